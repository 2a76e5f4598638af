//! [`Error`]: a reading error and the path to it (`managedNodeGroups[0].desiredCapacity`),
//! with serde's own messages (`invalid type: string "three", expected u32`). A message that
//! quotes the value (`invalid type: ...`) is [`Pending`] until [`Error::resolve`] writes it from
//! the value, since the reader works on text and never builds one.

use std::fmt;

use serde::de;
use serde_json::Value;

/// An error and the path to it, innermost segment first while it travels out.
#[derive(Debug)]
pub struct Error {
    pub(super) message: String,
    segments: Vec<Segment>,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// The message is written.
    Written,
    /// The message waits for the value, which starts at this byte of the text read.
    Pending(Pending, usize),
    /// Not an error of the document: the text is not what the reader takes as it stands
    /// (not JSON, or a case the long way reads with more care), so the read stops there.
    Stop,
}

/// A message that depends on the value at the error's place, written once that value is known.
#[derive(Debug, Clone, Copy)]
pub enum Pending {
    /// `invalid type: VALUE, expected ...` ([`invalid_type`]).
    Type(&'static str),
    /// An unsigned integer no larger than the number, named by the string (`u32`).
    Unsigned(u64, &'static str),
    /// A unit variant among these names, as a string or `{"Variant": null}`.
    Variant(&'static [&'static str]),
}

/// One step of a path: an object's field or a list's index.
#[derive(Debug)]
pub enum Segment {
    Field(String),
    Index(usize),
}

impl Error {
    /// An error about the value starting at byte `at` of the text, whose message
    /// [`Error::resolve`] writes.
    #[inline(never)]
    pub fn pending(pending: Pending, at: usize) -> Error {
        Error {
            message: String::new(),
            segments: Vec::new(),
            kind: Kind::Pending(pending, at),
        }
    }

    /// The read stops: see [`Kind::Stop`].
    #[inline(never)]
    pub fn stop() -> Error {
        Error {
            message: String::new(),
            segments: Vec::new(),
            kind: Kind::Stop,
        }
    }

    pub fn is_stop(&self) -> bool {
        matches!(self.kind, Kind::Stop)
    }

    /// The error with its message written: when [`Pending`], `say` writes it, given the path
    /// (innermost step first) and where the value starts in the text read. The error `say`
    /// returns may have a path of its own, inside this one.
    pub fn resolve(self, say: impl FnOnce(&[Segment], usize, Pending) -> Error) -> Error {
        let Kind::Pending(pending, at) = self.kind else {
            return self;
        };
        let mut said = say(&self.segments, at, pending);
        said.segments.extend(self.segments);
        said
    }

    /// The same error, one level further out.
    #[inline(never)]
    pub fn at(mut self, segment: Segment) -> Error {
        self.segments.push(segment);
        self
    }

    /// Dotted fields and `[i]` indexes; empty for the document itself.
    pub fn path(&self) -> String {
        let mut path = String::new();
        for segment in self.segments.iter().rev() {
            match segment {
                Segment::Field(name) => {
                    if !path.is_empty() {
                        path.push('.');
                    }
                    path.push_str(name);
                }
                Segment::Index(i) => {
                    path.push('[');
                    path.push_str(&i.to_string());
                    path.push(']');
                }
            }
        }
        path
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<M: fmt::Display>(message: M) -> Error {
        Error {
            message: message.to_string(),
            segments: Vec::new(),
            kind: Kind::Written,
        }
    }
}

/// How serde names a value in an `invalid type` message.
pub fn unexpected(value: &Value) -> de::Unexpected<'_> {
    match value {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => de::Unexpected::Unsigned(u),
            (_, Some(i)) => de::Unexpected::Signed(i),
            _ => de::Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

/// `invalid type: VALUE, expected EXPECTED`.
#[inline(never)]
pub fn invalid_type(value: &Value, expected: &str) -> Error {
    de::Error::invalid_type(unexpected(value), &expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_reads_outside_in() {
        let e = <Error as de::Error>::custom("bad")
            .at(Segment::Field("desiredCapacity".into()))
            .at(Segment::Index(2))
            .at(Segment::Field("managedNodeGroups".into()));
        assert_eq!(e.path(), "managedNodeGroups[2].desiredCapacity");
        assert_eq!(e.to_string(), "bad");
        assert_eq!(<Error as de::Error>::custom("x").path(), "");
    }

    #[test]
    fn invalid_types_read_as_serde_writes_them() {
        let e = invalid_type(&Value::from("three"), "u32");
        assert_eq!(e.message, "invalid type: string \"three\", expected u32");
        let e = invalid_type(&Value::from(1.5), "a string");
        assert_eq!(
            e.message,
            "invalid type: floating point `1.5`, expected a string"
        );
    }
}
