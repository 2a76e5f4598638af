//! [`pretty`]: compact JSON re-indented exactly as `serde_json::to_string_pretty` writes it.
//!
//! Why: the page serialises scenarios compactly (links, autosave) and prettily (exports, the
//! import dialog). Writing both with serde would compile the scenario's whole `Serialize` code
//! twice, once per formatter (≈ 13 KB of wasm each); re-indenting the compact text is a few
//! hundred bytes and gives the same text.

/// `compact` (serde_json's compact output, so no whitespace outside strings) with serde_json's
/// pretty layout: two-space indents, `": "` after keys, `[]` and `{}` for empty containers.
pub fn pretty(compact: &str) -> String {
    let bytes = compact.as_bytes();
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut start = 0;
    let (mut in_string, mut escaped) = (false, false);
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        let piece = match b {
            b'"' => {
                in_string = true;
                continue;
            }
            b'{' | b'[' | b'}' | b']' | b',' | b':' => &compact[start..i],
            _ => continue,
        };
        out.push_str(piece);
        start = i + 1;
        match b {
            b'{' | b'[' => {
                out.push(char::from(b));
                let empty = matches!(bytes.get(i + 1), Some(b'}' | b']'));
                depth += 1;
                if !empty {
                    newline(&mut out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if !matches!(bytes.get(i.wrapping_sub(1)), Some(b'{' | b'[')) {
                    newline(&mut out, depth);
                }
                out.push(char::from(b));
            }
            b',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            _ => out.push_str(": "),
        }
    }
    out.push_str(&compact[start..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn same(value: &Value) {
        let compact = serde_json::to_string(value).unwrap();
        assert_eq!(
            pretty(&compact),
            serde_json::to_string_pretty(value).unwrap()
        );
    }

    #[test]
    fn reads_as_serde_json_writes_it() {
        same(&json!({}));
        same(&json!([]));
        same(&json!("a"));
        same(&json!(3));
        same(&json!({"a": [], "b": {}, "c": [1, 2, {"d": null}], "e": [[]], "f": [{}]}));
        same(&json!({"tricky": "a\"b\\\",:{}[]\n\t\u{1}é🙂", "\\": ["}", "\\\\", "]"]}));
        same(&serde_json::to_value(crate::scenario::default_scenario()).unwrap());
    }

    #[test]
    fn every_shipped_scenario_reads_as_serde_json_writes_it() {
        let texts = crate::scenario::shipped_json_texts();
        for text in &texts {
            same(&serde_json::from_str(text).unwrap());
        }
        assert!(texts.len() > 5);
    }
}
