//! [`Cursor`]: a position in a JSON text and the reads `document_reader` builds a scenario
//! from (a string, an unsigned integer, a literal, an object's next key, a list's next item),
//! each as strict as serde_json, so a text read to its end this way is JSON serde_json takes.
//! Nothing is built but what the reader keeps: a key is compared where it lies in the text.

use std::borrow::Cow;

use super::key_order::KeyOrder;
use super::limits::MAX_STRING_CHARS;
use super::read_error::Error;

/// A position in `text`, always at a character boundary, and what the reader keeps while it
/// reads.
pub struct Cursor<'t> {
    text: &'t str,
    at: usize,
    /// Reading the user's own text, where a string longer than [`Cursor::max`] bytes stops
    /// the read (the tree path checks it); `false` for text written from a parsed tree.
    pub raw: bool,
    /// The longest string a raw read takes here, in bytes.
    pub max: usize,
    /// Lists the reader collects a map's entries and keys in, kept from one map to the next,
    /// and the order that sorted the last map's keys.
    pub pairs: Vec<(String, String)>,
    pub keys: Vec<&'t str>,
    pub order: KeyOrder<'t>,
    /// Whether some value failed to read (even if a later entry of its key replaced it).
    pub erred: bool,
}

impl<'t> Cursor<'t> {
    pub fn new(text: &'t str, raw: bool) -> Cursor<'t> {
        Cursor {
            text,
            at: 0,
            raw,
            max: MAX_STRING_CHARS,
            pairs: Vec::new(),
            keys: Vec::new(),
            order: KeyOrder::default(),
            erred: false,
        }
    }

    /// The next byte after whitespace (JSON's four), not taken.
    #[inline]
    pub fn peek(&mut self) -> Option<u8> {
        let bytes = self.text.as_bytes();
        while let Some(&b) = bytes.get(self.at) {
            if !matches!(b, b' ' | b'\n' | b'\t' | b'\r') {
                return Some(b);
            }
            self.at += 1;
        }
        None
    }

    /// The text read.
    pub fn text(&self) -> &'t str {
        self.text
    }

    /// Where the cursor is: the byte it reads next.
    pub fn offset(&self) -> usize {
        self.at
    }

    /// Moves the cursor back to `at`, an offset it had.
    pub fn seek(&mut self, at: usize) {
        self.at = at;
    }

    /// Takes the byte [`Cursor::peek`] returned (an ASCII one: `{`, `[`, `:`, `,` ...).
    pub fn bump(&mut self) {
        self.at += 1;
    }

    /// Takes `word` (`null`, `true`, `false`) when it comes next, after [`Cursor::peek`].
    pub fn literal(&mut self, word: &str) -> bool {
        let found = self.text.as_bytes()[self.at..].starts_with(word.as_bytes());
        if found {
            self.at += word.len();
        }
        found
    }

    /// The string starting here (at its `"`, after [`Cursor::peek`]): a slice of the text, or
    /// serde_json's reading of it when it has escapes.
    pub fn string(&mut self) -> Result<Cow<'t, str>, Error> {
        let bytes = self.text.as_bytes();
        let open = self.at;
        let end = open + 1 + plain_len(bytes.get(open + 1..).unwrap_or_default());
        let text = match bytes.get(end) {
            Some(b'"') => {
                self.at = end + 1;
                Cow::Borrowed(&self.text[open + 1..end])
            }
            Some(b'\\') => Cow::Owned(self.escaped(open, end)?),
            _ => return Err(Error::stop()),
        };
        if self.raw && text.len() > self.max {
            return Err(Error::stop());
        }
        Ok(text)
    }

    /// The string opened at `open` with an escape at `at`, as serde_json reads it (through
    /// `json_tree`, whose parse every build carries).
    #[inline(never)]
    fn escaped(&mut self, open: usize, mut at: usize) -> Result<String, Error> {
        let bytes = self.text.as_bytes();
        loop {
            match bytes.get(at) {
                Some(b'"') => break,
                Some(b'\\') => at += 2,
                Some(_) => at += 1,
                None => return Err(Error::stop()),
            }
        }
        self.at = at + 1;
        match super::json_tree::parse(&self.text[open..=at]) {
            Ok((serde_json::Value::String(text), _)) => Ok(text),
            _ => Err(Error::stop()),
        }
    }

    /// The unsigned integer here, when it is one serde_json reads as such (digits, no leading
    /// zero, no fraction or exponent, within `u64`); else `None`, nothing taken.
    pub fn unsigned(&mut self) -> Option<u64> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        let mut i = start;
        let mut n: u64 = 0;
        while let Some(&b) = bytes.get(i).filter(|b| b.is_ascii_digit()) {
            n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
            i += 1;
        }
        let leading_zero = bytes.get(start) == Some(&b'0') && i > start + 1;
        if i == start || leading_zero || matches!(bytes.get(i), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        self.at = i;
        Some(n)
    }

    /// Inside an object (after its `{`): the next entry's key, its `:` taken, or `None` at
    /// the closing `}` (taken). `first` is true until the first call.
    pub fn key(&mut self, first: &mut bool) -> Result<Option<Cow<'t, str>>, Error> {
        if !self.more(b'}', first)? {
            return Ok(None);
        }
        if self.peek() != Some(b'"') {
            return Err(Error::stop());
        }
        let key = self.string()?;
        if self.peek() != Some(b':') {
            return Err(Error::stop());
        }
        self.at += 1;
        Ok(Some(key))
    }

    /// Inside a list (after its `[`): whether an item follows (its `,` taken), or `false` at
    /// the closing `]` (taken). `first` is true until the first call.
    pub fn item(&mut self, first: &mut bool) -> Result<bool, Error> {
        self.more(b']', first)
    }

    /// Inside an object or a list: whether another entry follows (the `,` before it taken,
    /// none before the first), or `false` at `close` (taken).
    fn more(&mut self, close: u8, first: &mut bool) -> Result<bool, Error> {
        let next = self.peek();
        if next == Some(close) {
            self.at += 1;
            return Ok(false);
        }
        if !std::mem::replace(first, false) {
            if next != Some(b',') {
                return Err(Error::stop());
            }
            self.at += 1;
        }
        Ok(true)
    }

    /// Passes over the value here, whatever it holds, without recursing.
    pub fn skip(&mut self) -> Result<(), Error> {
        let mut depth = 0usize;
        loop {
            match self.peek() {
                None => return Err(Error::stop()),
                Some(b'"') => {
                    self.string()?;
                }
                Some(b'[' | b'{') => {
                    depth += 1;
                    self.at += 1;
                }
                Some(b']' | b'}') => {
                    depth = depth.checked_sub(1).ok_or_else(Error::stop)?;
                    self.at += 1;
                }
                Some(b',' | b':') => self.at += 1,
                Some(_) => {
                    let bytes = self.text.as_bytes();
                    while bytes
                        .get(self.at)
                        .is_some_and(|b| !b",:[]{}\" \t\n\r".contains(b))
                    {
                        self.at += 1;
                    }
                }
            }
            if depth == 0 {
                return Ok(());
            }
        }
    }

    /// Whether only whitespace is left.
    pub fn at_end(&mut self) -> bool {
        self.peek().is_none()
    }
}

/// How many bytes of `bytes` come before the first `"`, `\` or control character (all of
/// them when there is none): eight at a time, as serde_json looks for a string's end.
fn plain_len(bytes: &[u8]) -> usize {
    const ONES: u64 = u64::MAX / 255;
    let stops = |b: &u8| matches!(b, b'"' | b'\\' | 0..0x20);
    let mut chunks = bytes.chunks_exact(8);
    let mut n = 0;
    for chunk in chunks.by_ref() {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        // A byte's high bit is set where it is below 0x20, or equal to `"` or `\`
        // (bits above the first such byte may be set too; only the first counts).
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        let found = (w.wrapping_sub(ONES * 0x20) & !w
            | quote.wrapping_sub(ONES) & !quote
            | backslash.wrapping_sub(ONES) & !backslash)
            & (ONES << 7);
        if found != 0 {
            return n + (found.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    let rest = chunks.remainder();
    n + rest.iter().position(stops).unwrap_or(rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_read_as_serde_json_reads_them() {
        for text in [
            r#""plain""#,
            r#""tab\tand \u00e9 \"q\"""#,
            r#""é""#,
            r#""""#,
        ] {
            let mut c = Cursor::new(text, true);
            assert_eq!(
                c.string().unwrap(),
                serde_json::from_str::<String>(text).unwrap()
            );
            assert!(c.at_end());
        }
        for bad in [
            "\"a\u{1}\"",
            r#""\ud800""#,
            r#""\x""#,
            r#""open"#,
            r#""end\"#,
        ] {
            assert!(Cursor::new(bad, true).string().is_err(), "{bad}");
        }
        let long = format!("\"{}\"", "x".repeat(MAX_STRING_CHARS + 1));
        assert!(Cursor::new(&long, true).string().is_err());
        assert!(Cursor::new(&long, false).string().is_ok());
    }

    #[test]
    fn a_plain_run_ends_at_the_first_quote_backslash_or_control() {
        let text = "abcdefghijklmnopqrstuvwxyz0123456789";
        for at in 0..text.len() {
            for stop in ['"', '\\', '\n', '\u{1f}', '\0'] {
                let mut with = text.to_string();
                with.insert(at, stop);
                with.push('"');
                assert_eq!(plain_len(with.as_bytes()), at, "{with:?}");
            }
        }
        assert_eq!(plain_len(text.as_bytes()), text.len());
        assert_eq!(plain_len("é\u{7f}ÿ!~ ".as_bytes()), "é\u{7f}ÿ!~ ".len());
    }

    #[test]
    fn only_plain_integers_are_unsigned() {
        let read = |text: &str| Cursor::new(text, true).unsigned();
        assert_eq!(read("0"), Some(0));
        assert_eq!(read("42,"), Some(42));
        assert_eq!(read("18446744073709551615"), Some(u64::MAX));
        for other in [
            "-1",
            "-0",
            "01",
            "1.0",
            "1e2",
            "1E2",
            "18446744073709551616",
            "x",
        ] {
            assert_eq!(read(other), None, "{other}");
        }
    }

    #[test]
    fn objects_and_lists_take_only_json() {
        let keys = |text: &str| -> Result<Vec<String>, Error> {
            let mut c = Cursor::new(text, true);
            c.bump();
            let (mut first, mut out) = (true, Vec::new());
            while let Some(key) = c.key(&mut first)? {
                out.push(key.into_owned());
                c.peek();
                assert!(c.literal("1"));
            }
            Ok(out)
        };
        assert_eq!(keys(r#"{ "a" : 1 , "b":1 }"#).unwrap(), ["a", "b"]);
        assert!(keys("{}").unwrap().is_empty());
        for bad in [
            r#"{"a":1,}"#,
            r#"{,"a":1}"#,
            r#"{"a" 1}"#,
            r#"{"a":1 "b":1}"#,
            "{1:1}",
        ] {
            assert!(keys(bad).is_err(), "{bad}");
        }
        let mut c = Cursor::new("[[1, {\"a\": [\"]\"]}], 2] x", true);
        c.skip().unwrap();
        assert_eq!(c.peek(), Some(b'x'));
        assert!(!c.at_end());
    }
}
