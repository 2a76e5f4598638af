//! Kubernetes objects into the scenario's workloads, services, ingresses and CNI settings.
//!
//! For now every object is recorded as not read; the manifest reader replaces this file
//! (same signature).

use serde_json::Value;

use super::{Draft, Note, NoteKind};

/// Applies one Kubernetes object (`doc`, from `source`, e.g. `app.yaml#3`) to the draft.
pub fn apply(doc: &Value, source: &str, draft: &mut Draft) {
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("object");
    let name = doc
        .pointer("/metadata/name")
        .and_then(Value::as_str)
        .unwrap_or("(unnamed)");
    draft.notes.push(Note {
        kind: NoteKind::Ignored,
        path: format!("{source} {kind} {name}"),
        message: "Kubernetes objects are not read yet".into(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_object_becomes_a_note() {
        let mut draft = Draft::new(crate::import::empty_scenario());
        apply(
            &json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}}),
            "a.yaml#1",
            &mut draft,
        );
        assert_eq!(draft.notes[0].path, "a.yaml#1 Service web");
        assert_eq!(draft.notes[0].kind, NoteKind::Ignored);
    }
}
