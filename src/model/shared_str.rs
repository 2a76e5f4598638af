//! [`SharedStr`]: an immutable string whose clones share one allocation.
//!
//! At 150,000 pods, giving every pod its own copy of its namespace and workload name, and
//! every endpoint, ENI slot and prefix its own copy of the pod's name, made allocation and
//! freeing the largest cost of a build. The model makes each such string once and hands out
//! clones (a reference count bump). A `SharedStr` may also be a part of another's text in
//! the same allocation: a pod's name is the tail of its id `pod:<namespace>/<name>`, and every
//! pod's id is a part of one text holding them all ([`SharedStr::part`]), so making 150,000
//! pods allocates once for their names, not once per pod.
//!
//! It reads like a `String`: it derefs to `str`, compares with `str`, `&str` and `String`,
//! and prints (`Display` and `Debug`) exactly as the same `String` would. Equality, order and
//! hashing are those of the text.
//!
//! The count is an `Rc`'s, not an `Arc`'s: a cluster is built and read on one thread, and
//! atomic counting of the ~10 clones per pod was about 12 % of a native build (the wasm has no
//! atomics either way). A `Cluster` is therefore neither `Send` nor `Sync`.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::rc::Rc;

/// An immutable, cheaply cloned string: `text[start..end]` of a shared text.
///
/// The text is an `Rc<Box<str>>`, a thin pointer, not an `Rc<str>` (a pointer and a length):
/// 16 bytes rather than 24, and a cluster of 150,000 pods holds over a million of them (five
/// in each pod record alone). A `String` also becomes one without copying its bytes.
#[derive(Clone)]
pub struct SharedStr {
    text: Rc<Box<str>>,
    start: u32,
    end: u32,
}

impl SharedStr {
    /// The whole of `text` (`end` saturates: a text past 4 GiB is cut there, which no model
    /// string comes near).
    fn whole(text: Rc<Box<str>>) -> SharedStr {
        let end = u32::try_from(text.len()).unwrap_or(u32::MAX);
        SharedStr {
            text,
            start: 0,
            end,
        }
    }

    #[inline]
    pub fn as_str(&self) -> &str {
        self.text
            .get(self.start as usize..self.end as usize)
            .unwrap_or_default()
    }

    /// The text from byte `at` on, sharing this one's allocation ([`SharedStr::part`] to the
    /// end: empty when `at` is not a character boundary or is past the end, never a panic).
    pub fn suffix(&self, at: usize) -> SharedStr {
        self.part(at, self.as_str().len())
    }

    /// Bytes `start..end` of this text, sharing its allocation: many strings made with a
    /// single allocation (every pod's id is a part of one text). A range that is not on
    /// character boundaries or is past the end reads as empty, so it never panics.
    #[inline]
    pub fn part(&self, start: usize, end: usize) -> SharedStr {
        // Within this part's text and in order: both offsets are then within
        // `self.start..=self.end`, so they fit a `u32`. Character boundaries are not checked
        // here: `as_str` reads every part through `str::get`, which gives "" off a boundary,
        // and every comparison, hash and print goes through `as_str`. (Left out, the check
        // is not paid twice for each of the 300,000 pod ids and names of a 5,000-node build.)
        if start > end || end > (self.end - self.start) as usize {
            return SharedStr::default();
        }
        SharedStr {
            text: self.text.clone(),
            start: self.start + start as u32,
            end: self.start + end as u32,
        }
    }

    /// The same allocation and the same part of it (so the same text) without reading the
    /// text: a cheap first test where neighbours usually share one string (pods of one
    /// workload).
    #[inline]
    pub fn ptr_eq(a: &SharedStr, b: &SharedStr) -> bool {
        Rc::ptr_eq(&a.text, &b.text) && a.start == b.start && a.end == b.end
    }
}

impl Default for SharedStr {
    fn default() -> SharedStr {
        SharedStr::from("")
    }
}

impl Deref for SharedStr {
    type Target = str;

    #[inline]
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for SharedStr {
    #[inline]
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for SharedStr {
    #[inline]
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for SharedStr {
    #[inline]
    fn eq(&self, other: &SharedStr) -> bool {
        SharedStr::ptr_eq(self, other) || self.as_str() == other.as_str()
    }
}

impl Eq for SharedStr {}

impl PartialOrd for SharedStr {
    fn partial_cmp(&self, other: &SharedStr) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SharedStr {
    fn cmp(&self, other: &SharedStr) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for SharedStr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state)
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> SharedStr {
        SharedStr::whole(Rc::new(Box::from(s)))
    }
}

impl From<&String> for SharedStr {
    fn from(s: &String) -> SharedStr {
        SharedStr::from(s.as_str())
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> SharedStr {
        SharedStr::whole(Rc::new(s.into_boxed_str()))
    }
}

/// A copy of the text (an `Rc<str>` cannot be shared as a thin text).
impl From<Rc<str>> for SharedStr {
    fn from(text: Rc<str>) -> SharedStr {
        SharedStr::from(&*text)
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> String {
        s.as_str().to_string()
    }
}

impl From<&SharedStr> for String {
    fn from(s: &SharedStr) -> String {
        s.as_str().to_string()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        self.as_str() == other.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_compares_and_prints_like_a_string() {
        let s = SharedStr::from("web-7d4b9c8f6d-x2k4p");
        let t = s.clone();
        assert!(SharedStr::ptr_eq(&s, &t), "a clone shares the allocation");
        assert!(!SharedStr::ptr_eq(&s, &SharedStr::from(s.as_str())));
        assert_eq!(s, "web-7d4b9c8f6d-x2k4p");
        assert_eq!("web-7d4b9c8f6d-x2k4p", s);
        assert_eq!(s, String::from("web-7d4b9c8f6d-x2k4p"));
        assert_eq!(s.len(), 20);
        assert!(s.starts_with("web-"));
        assert_eq!(format!("{s}"), "web-7d4b9c8f6d-x2k4p");
        assert_eq!(format!("{s:?}"), format!("{:?}", "web-7d4b9c8f6d-x2k4p"));
        assert_eq!(
            format!("{:?}", Some(SharedStr::from("a\"b"))),
            format!("{:?}", Some(String::from("a\"b")))
        );
        assert_eq!(String::from(s), "web-7d4b9c8f6d-x2k4p");
        assert_eq!(SharedStr::default(), "");
    }

    #[test]
    fn a_suffix_shares_the_text_and_is_only_its_tail() {
        let id = SharedStr::from("pod:default/web-1");
        let name = id.suffix("pod:default/".len());
        assert_eq!(name, "web-1");
        assert_eq!(format!("{name:?}"), "\"web-1\"");
        assert!(Rc::ptr_eq(&id.text, &name.text));
        assert_eq!(name.suffix(4), "1");
        assert_eq!(name, SharedStr::from("web-1"), "equal by text");
        assert!(!SharedStr::ptr_eq(&name, &id));
        assert_eq!(id.suffix(99), "", "past the end: empty, no panic");
        assert_eq!(
            SharedStr::from("é").suffix(1),
            "",
            "not a boundary: no panic"
        );
    }

    #[test]
    fn parts_share_one_text() {
        let all = SharedStr::from("pod:a/xpod:b/yz");
        let parts: Vec<SharedStr> = [(0, 7), (7, 15), (9, 3), (0, 99)]
            .into_iter()
            .map(|(start, end)| all.part(start, end))
            .collect();
        assert_eq!(parts, ["pod:a/x", "pod:b/yz", "", ""]);
        assert!(Rc::ptr_eq(&parts[0].text, &parts[1].text));
        assert_eq!(parts[1].suffix("pod:b/".len()), "yz");
        assert_eq!(
            parts[0].suffix("pod:a/".len()),
            "x",
            "a suffix keeps the part's end"
        );
        assert_eq!(parts[1].part(4, 5), "b", "a part of a part");
        assert!(!SharedStr::ptr_eq(&parts[0], &parts[1]));
        assert_eq!(
            SharedStr::from("é").part(0, 1),
            "",
            "not a boundary: empty, no panic"
        );
    }

    #[test]
    fn orders_and_hashes_as_its_text() {
        use std::collections::HashMap;
        let mut sorted = vec![SharedStr::from("b"), SharedStr::from("xa").suffix(1)];
        sorted.sort();
        assert_eq!(sorted, ["a", "b"]);
        let map: HashMap<SharedStr, u32> = [(SharedStr::from("yx").suffix(1), 1)].into();
        assert_eq!(map.get("x"), Some(&1));
    }
}
