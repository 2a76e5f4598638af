//! [`SharedStr`]: an immutable string whose clones share one allocation.
//!
//! At 150,000 pods, giving every pod its own copy of its namespace and workload name, and
//! every endpoint, ENI slot and prefix its own copy of the pod's name, made allocation and
//! freeing the largest cost of a build. The model makes each such string once and hands out
//! clones (a reference count bump). It reads like a `String`: it derefs to `str`, compares
//! with `str`, `&str` and `String`, and prints (`Display` and `Debug`) exactly as the same
//! `String` would.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

/// An immutable, cheaply cloned string (`Arc<str>`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SharedStr(Arc<str>);

impl SharedStr {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The same allocation (so the same text) without reading the text: a cheap first test
    /// where neighbours usually share one string (pods of one workload).
    pub fn ptr_eq(a: &SharedStr, b: &SharedStr) -> bool {
        Arc::ptr_eq(&a.0, &b.0)
    }
}

impl Default for SharedStr {
    fn default() -> SharedStr {
        SharedStr::from("")
    }
}

impl Deref for SharedStr {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for SharedStr {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for SharedStr {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl fmt::Debug for SharedStr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl From<&str> for SharedStr {
    fn from(s: &str) -> SharedStr {
        SharedStr(Arc::from(s))
    }
}

impl From<&String> for SharedStr {
    fn from(s: &String) -> SharedStr {
        SharedStr(Arc::from(s.as_str()))
    }
}

impl From<String> for SharedStr {
    fn from(s: String) -> SharedStr {
        SharedStr(Arc::from(s))
    }
}

impl From<Arc<str>> for SharedStr {
    fn from(s: Arc<str>) -> SharedStr {
        SharedStr(s)
    }
}

impl From<SharedStr> for String {
    fn from(s: SharedStr) -> String {
        s.0.to_string()
    }
}

impl From<&SharedStr> for String {
    fn from(s: &SharedStr) -> String {
        s.0.to_string()
    }
}

impl PartialEq<str> for SharedStr {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for SharedStr {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for SharedStr {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<SharedStr> for str {
    fn eq(&self, other: &SharedStr) -> bool {
        self == &*other.0
    }
}

impl PartialEq<SharedStr> for &str {
    fn eq(&self, other: &SharedStr) -> bool {
        *self == &*other.0
    }
}

impl PartialEq<SharedStr> for String {
    fn eq(&self, other: &SharedStr) -> bool {
        **self == *other.0
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
    fn orders_and_hashes_as_its_text() {
        use std::collections::HashMap;
        let mut sorted = vec![SharedStr::from("b"), SharedStr::from("a")];
        sorted.sort();
        assert_eq!(sorted, ["a", "b"]);
        let map: HashMap<SharedStr, u32> = [(SharedStr::from("x"), 1)].into();
        assert_eq!(map.get("x"), Some(&1));
    }
}
