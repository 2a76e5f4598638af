//! Scenario text made safe for a terminal, and for JSON and XML read in one.
//!
//! A scenario is untrusted: a name can hold ESC sequences that retitle or clear a terminal,
//! C1 controls (U+009B is a one-character CSI), or bidi overrides that make a line read
//! differently from what it is. Whatever the CLI prints passes through one of these
//! functions, at the output boundary, so no message can forget to.
//!
//! - [`escape_text`] writes every such character as a visible `\u{1b}` (tabs and line
//!   breaks stay: they shape the output);
//! - [`escape_json`] writes them as JSON escapes (`\u001b`), so the JSON still round-trips;
//! - [`escape_xml`] writes them as character references (`&#x202e;`), which XML readers
//!   decode back, or, for the characters XML forbids (C0 controls, U+FFFE, U+FFFF), as
//!   visible `\u{1b}` text: the one filter every SVG document eksplain writes passes through
//!   (the page's export and `eksplain render`), so a hostile name still gives valid XML.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Does this character need escaping before it reaches a terminal? C0 and C1 controls
/// (ESC and CSI among them), DEL, and the Unicode bidi controls: embeddings and overrides
/// (U+202A–U+202E), isolates (U+2066–U+2069), the marks U+200E, U+200F and U+061C.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

/// Plain text for a terminal: unsafe characters become `\u{1b}`; `\n` and `\t` stay.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    escape_with(
        text,
        |c| is_unsafe(c) && !matches!(c, '\n' | '\t'),
        |out, c| {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        },
    )
}

/// JSON text: unsafe characters (which in valid JSON can only be inside strings) become
/// `\u001b` escapes. Line breaks and indentation between values stay.
pub fn escape_json(json: &str) -> Cow<'_, str> {
    escape_with(
        json,
        |c| is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r'),
        |out, c| {
            let _ = write!(out, "\\u{:04x}", c as u32);
        },
    )
}

/// XML text (an SVG document): unsafe characters become character references, except those
/// XML 1.0 forbids even as references (C0 controls but tab and line breaks, U+FFFE, U+FFFF),
/// which become visible `\u{1b}` text. Idempotent, so it may run twice on one document.
pub fn escape_xml(xml: &str) -> Cow<'_, str> {
    let forbidden = |c: char| {
        (c < ' ' && !matches!(c, '\n' | '\t' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    escape_with(
        xml,
        |c| forbidden(c) || (is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r')),
        |out, c| {
            if forbidden(c) {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            } else {
                let _ = write!(out, "&#x{:x};", c as u32);
            }
        },
    )
}

/// `text` with every character that `needs` it passed to `write` instead of copied.
fn escape_with(
    text: &str,
    needs: impl Fn(char) -> bool,
    write: impl Fn(&mut String, char),
) -> Cow<'_, str> {
    if !text.chars().any(&needs) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if needs(c) {
            write(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "demo\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{9b}31m\u{202e}gpj.exe\u{7f}\u{2066}";

    fn clean(s: &str) -> bool {
        !s.chars()
            .any(|c| is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r'))
    }

    #[test]
    fn text_shows_every_unsafe_character() {
        let out = escape_text(HOSTILE);
        assert!(clean(&out));
        assert_eq!(
            out,
            "demo\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J\\u{9b}31m\\u{202e}gpj.exe\\u{7f}\\u{2066}"
        );
        assert!(matches!(escape_text("plain\ttext\n"), Cow::Borrowed(_)));
        assert_eq!(escape_text("a\rb"), "a\\u{d}b");
    }

    #[test]
    fn json_round_trips() {
        let json = serde_json::to_string_pretty(&serde_json::json!({ "name": HOSTILE })).unwrap();
        let out = escape_json(&json);
        assert!(clean(&out));
        assert!(out.contains("\\u009b") && out.contains("\\u202e"));
        let back: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(back["name"], HOSTILE);
    }

    #[test]
    fn xml_keeps_what_xml_allows() {
        let out = escape_xml("<title>a\u{202e}b\u{1b}c\u{85}\u{ffff}</title>\n");
        assert_eq!(out, "<title>a&#x202e;b\\u{1b}c&#x85;\\u{ffff}</title>\n");
        assert_eq!(escape_xml(&out), out, "idempotent");
        assert!(matches!(escape_xml("é ✓ 😀\t\r\n"), Cow::Borrowed(_)));
    }
}
