//! Values as manifests spell them: `${PLACEHOLDER}`s (envsubst templates, the EKS Workshop's
//! files) replaced by a stand-in with a note, and numbers that may be strings.

use serde_json::Value;

use super::super::{Draft, NoteKind};

/// The `${NAME}` or `$NAME` placeholders in `text`, in order.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'$' {
            i += 1;
            continue;
        }
        let start = i;
        let (name_start, braced) = if bytes.get(i + 1) == Some(&b'{') {
            (i + 2, true)
        } else {
            (i + 1, false)
        };
        let mut end = name_start;
        while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
            end += 1;
        }
        let closed = !braced || bytes.get(end) == Some(&b'}');
        let first_ok = bytes
            .get(name_start)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_');
        if end > name_start && closed && first_ok {
            let stop = if braced { end + 1 } else { end };
            found.push(&text[start..stop]);
            i = stop;
        } else {
            i += 1;
        }
    }
    found
}

/// The stand-in for a placeholder: its name in lower case with `-` for `_`
/// (`${SUBNET_AZ_1}` → `subnet-az-1`), a valid Kubernetes name.
pub fn stand_in(placeholder: &str) -> String {
    placeholder
        .trim_start_matches('$')
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase()
        .replace('_', "-")
        .trim_matches('-')
        .to_string()
}

/// `text` with each placeholder replaced by its stand-in.
pub fn with_stand_ins(text: &str) -> String {
    let mut out = text.to_string();
    for p in placeholders(text) {
        out = out.replacen(p, &stand_in(p), 1);
    }
    out
}

/// A `Placeholder` note at `path` for each placeholder in `text`.
pub fn note_placeholders(text: &str, path: &str, draft: &mut Draft) {
    for p in placeholders(text) {
        draft.note(
            NoteKind::Placeholder,
            path,
            format!("{p} is a placeholder; `{}` stands in for it", stand_in(p)),
        );
    }
}

/// `text` with each placeholder replaced by its stand-in, and a `Placeholder` note at `path`
/// for each.
pub fn replace_placeholders(text: &str, path: &str, draft: &mut Draft) -> String {
    note_placeholders(text, path, draft);
    with_stand_ins(text)
}

/// A whole number, written as a number or a string (`"3"`); `None` for anything else.
pub fn number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A port (1–65535), as [`number`] reads it.
pub fn port(value: &Value) -> Option<u16> {
    number(value)
        .and_then(|n| u16::try_from(n).ok())
        .filter(|p| *p > 0)
}

/// A string field, or a number or boolean written where a string goes.
pub fn string(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn placeholders_braced_and_bare_are_found() {
        assert_eq!(
            placeholders("${AWS_REGION}a and $INBOUND_CIDRS, not $5 or ${} or $"),
            ["${AWS_REGION}", "$INBOUND_CIDRS"]
        );
        assert!(placeholders("subnet-0123").is_empty());
    }

    #[test]
    fn stand_ins_are_kubernetes_names() {
        assert_eq!(stand_in("${SUBNET_AZ_1}"), "subnet-az-1");
        assert_eq!(stand_in("$APP_"), "app");
    }

    #[test]
    fn replacing_notes_each_placeholder() {
        let mut d = super::super::testing::draft();
        let s = replace_placeholders("${A}-${B_C}", "workloads[0].name", &mut d);
        assert_eq!(s, "a-b-c");
        assert_eq!(d.notes.len(), 2);
        assert_eq!(d.notes[0].kind, NoteKind::Placeholder);
        assert_eq!(
            d.notes[1].message,
            "${B_C} is a placeholder; `b-c` stands in for it"
        );
    }

    #[test]
    fn numbers_and_ports_may_be_strings() {
        assert_eq!(number(&serde_json::json!("3")), Some(3));
        assert_eq!(number(&serde_json::json!(-1)), None);
        assert_eq!(port(&serde_json::json!(70000)), None);
        assert_eq!(port(&serde_json::json!(0)), None);
        assert_eq!(port(&serde_json::json!(8080)), Some(8080));
        assert_eq!(
            string(Some(&serde_json::json!(true))).as_deref(),
            Some("true")
        );
    }
}
