//! [`parse`]: JSON text into a tree, checking the nesting limit as it goes and noting whether
//! any string may be over its length limit, so that reading a large document walks its text
//! once rather than three times (a bracket count, the parse, a walk of the tree).
//!
//! The tree is the one `serde_json::from_str::<Value>` builds, to the byte: same numbers, same
//! strings, a repeated key keeps its last value. Only the cost differs.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use super::limits::{DESCRIPTION_MAX, MAX_DEPTH, MAX_STRING_CHARS};

/// The tree of `text`, and whether some string or key in it is longer, in bytes, than
/// [`super::limits::check_value`] allows in characters (when `false`, that check cannot find
/// anything; when `true`, it must run to say what). Nesting deeper than [`MAX_DEPTH`] stops the
/// parse with an error, as does invalid JSON; the caller tells the two apart.
pub fn parse(text: &str) -> Result<(Value, bool), serde_json::Error> {
    let mut state = State::default();
    let value = run(text, true, &mut state)?;
    Ok((value, state.long))
}

/// [`parse`] without building the tree: the same errors and the same flag, and of the tree only
/// what is checked before anything else: when the root is an object, its `version` if it has
/// one (`Some(None)` when not).
pub fn check(text: &str) -> Result<(Option<Option<Value>>, bool), serde_json::Error> {
    let mut state = State::default();
    run(text, false, &mut state)?;
    Ok((state.root, state.long))
}

fn run(text: &str, keep: bool, state: &mut State) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Node {
        depth: 0,
        description: false,
        keep,
        state,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

/// What the whole parse shares: whether a long string was seen, the entries and items of the
/// objects and lists being read (one growing buffer each, rather than one per object), and,
/// when nothing is built, the root's version if the root is an object.
#[derive(Default)]
struct State {
    long: bool,
    entries: Vec<(String, Value)>,
    items: Vec<Value>,
    root: Option<Option<Value>>,
}

/// Objects of at most this many entries are built by inserting: for so few, the one-pass
/// build's buffer and sort cost more than the searches they save.
const SMALL_OBJECT: usize = 6;

/// One value of the tree: how deep it sits (the root is 0), whether it is the root's
/// `description` (which may be longer), whether it is built (else only checked: `null` comes
/// back) and the parse's [`State`].
struct Node<'s> {
    depth: usize,
    description: bool,
    keep: bool,
    state: &'s mut State,
}

impl Node<'_> {
    fn child(&mut self, description: bool) -> Node<'_> {
        Node {
            depth: self.depth + 1,
            description,
            keep: self.keep,
            state: self.state,
        }
    }

    /// A container here: its brackets would be the `MAX_DEPTH + 1`-th open.
    fn too_deep<E: de::Error>(&self) -> Result<(), E> {
        if self.depth + 1 > MAX_DEPTH {
            return Err(E::custom("the document nests too deep"));
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Value, E> {
        Ok(Number::from_f64(n).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        let max = if self.description {
            DESCRIPTION_MAX
        } else {
            MAX_STRING_CHARS
        };
        if s.len() > max {
            self.state.long = true;
        }
        Ok(match self.keep {
            true => Value::String(s.to_owned()),
            false => Value::Null,
        })
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        self.too_deep()?;
        let start = self.state.items.len();
        while let Some(item) = seq.next_element_seed(self.child(false))? {
            if self.keep {
                self.state.items.push(item);
            }
        }
        if !self.keep {
            return Ok(Value::Null);
        }
        Ok(Value::Array(self.state.items.drain(start..).collect()))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        self.too_deep()?;
        // Collected, then built in one pass: a scenario's objects come with their keys in
        // order (its maps are sorted), where inserting would search the map for each key.
        // `from_iter` sorts stably and keeps the last of equal keys, as inserting does.
        // When only checking, keys are looked at where they lie and nothing is kept but the
        // root's version (the last one, as in the tree), in the state.
        let start = self.state.entries.len();
        let mut version = None;
        while let Some(key) = map.next_key_seed(KeyOf { keep: self.keep })? {
            self.state.long |= key.len > MAX_STRING_CHARS;
            let root = self.depth == 0;
            let mut child = self.child(root && key.description);
            if !child.keep && root && key.version {
                child.keep = true;
                version = Some(map.next_value_seed(child)?);
                continue;
            }
            let value = map.next_value_seed(child)?;
            if let Some(name) = key.name {
                self.state.entries.push((name, value));
            }
        }
        if !self.keep {
            if self.depth == 0 {
                self.state.root = Some(version);
            }
            return Ok(Value::Null);
        }
        let entries = self.state.entries.drain(start..);
        if entries.len() <= SMALL_OBJECT {
            let mut map = Map::new();
            for (key, value) in entries {
                map.insert(key, value);
            }
            return Ok(Value::Object(map));
        }
        Ok(Value::Object(entries.collect::<Map<String, Value>>()))
    }
}

/// An object's key as [`Node`] needs it: its length, whether it is one the root's are checked
/// for, and the key itself when the object is built.
struct Key {
    len: usize,
    description: bool,
    version: bool,
    name: Option<String>,
}

/// Reads a [`Key`], keeping the key when `keep`.
struct KeyOf {
    keep: bool,
}

impl<'de> DeserializeSeed<'de> for KeyOf {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeyOf {
    type Value = Key;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }

    fn visit_str<E>(self, s: &str) -> Result<Key, E> {
        Ok(Key {
            len: s.len(),
            description: s == "description",
            version: s == "version",
            name: self.keep.then(|| s.to_owned()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(text: &str) {
        let theirs = serde_json::from_str::<Value>(text);
        match (parse(text), check(text)) {
            (Ok((tree, long)), Ok((root, checked_long))) => {
                assert_eq!(long, checked_long, "{text}");
                let version = tree.as_object().map(|o| o.get("version"));
                assert_eq!(version, root.as_ref().map(Option::as_ref), "{text}");
            }
            (Err(ours), Err(checked)) => assert_eq!(ours.to_string(), checked.to_string()),
            (ours, checked) => panic!("{text}: {ours:?} / {checked:?}"),
        }
        match (parse(text), theirs) {
            (Ok((ours, _)), Ok(theirs)) => {
                assert_eq!(ours, theirs, "{text}");
                assert_eq!(ours.to_string(), theirs.to_string(), "{text}");
            }
            (Err(ours), Err(theirs)) => assert_eq!(ours.to_string(), theirs.to_string(), "{text}"),
            (ours, theirs) => panic!("{text}: {ours:?} / {theirs:?}"),
        }
    }

    #[test]
    fn the_tree_is_serde_json_s() {
        for text in [
            r#"{"b": 1, "a": [true, null, -3, 1.5, 1e400, "x\u00e9\n"], "c": {"z": {}, "y": []}}"#,
            r#"{"a": 1, "a": 2, "b": {"k": 1}, "b": 3}"#,
            r#"{"z": 1, "a": 2, "m": 3, "a": 4}"#,
            "18446744073709551615",
            "-9223372036854775808",
            "[1, 2,]",
            "{\"a\" 1}",
            "[1] 2",
            "",
            "\"\\ud800\"",
            "{1: 2}",
            r#"{"version": [1, {"a": "\u00e9"}], "b": 2, "version": {"c": null}}"#,
            r#"{"version": 1, "a": {"version": 2}}"#,
            "[{\"version\": 1}]",
            "{\"x\": \"\\ud800\"}",
            "{\"x\": 1e400, \"y\": [1, 2,]}",
            "{\"k\": \"a\u{1}b\"}",
        ] {
            same(text);
        }
    }

    #[test]
    fn nesting_stops_at_the_limit_and_long_strings_are_noted() {
        type Read = fn(&str) -> Result<bool, serde_json::Error>;
        let parsed: Read = |text| parse(text).map(|(_, long)| long);
        let checked: Read = |text| check(text).map(|(_, long)| long);
        for read in [parsed, checked] {
            let nested = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
            assert!(read(&nested(MAX_DEPTH)).is_ok());
            assert!(read(&nested(MAX_DEPTH + 1)).is_err());
            let long = "x".repeat(MAX_STRING_CHARS + 1);
            assert!(!read(r#"{"a": "short"}"#).unwrap());
            assert!(read(&format!(r#"{{"a": "{long}"}}"#)).unwrap());
            assert!(read(&format!(r#"{{"{long}": 1}}"#)).unwrap());
            assert!(read(&format!(r#"{{"a": "\\n{long}"}}"#)).unwrap());
            assert!(!read(&format!(r#"{{"description": "{long}"}}"#)).unwrap());
            let inner = format!(r#"{{"a": {{"description": "{long}"}}}}"#);
            assert!(read(&inner).unwrap());
        }
    }
}
