//! Reading one input into its documents: JSON (one value or several in a row, as a paste of
//! several `aws` outputs gives) or YAML (several documents separated by `---`), with every
//! `kind: List` opened into its items.
//!
//! A hostile input is refused, never followed: past [`MAX_INPUT_BYTES`] it is not read; JSON
//! nesting is counted before parsing; YAML goes through serde-saphyr's budget (aliases, anchors,
//! depth, nodes, documents), so an alias bomb is a message, not a hang.

use serde_json::Value;

use super::Input;
use crate::scenario::{limits, Path, Problem};

/// The largest input read: a `kubectl get … -A -o yaml` of a large cluster fits.
pub const MAX_INPUT_BYTES: usize = 10 * 1024 * 1024;

/// The most YAML aliases (`*name`) an input may use; real manifests use a handful.
const MAX_ALIASES: usize = 1_000;
/// The most events aliases may replay in all: an alias bomb multiplies these.
const MAX_REPLAYED_EVENTS: usize = 100_000;
/// Nesting deeper than this is not a manifest (serde_json's own limit is 128).
const MAX_DEPTH: usize = 64;
/// Documents in one input.
const MAX_DOCUMENTS: usize = 5_000;

/// One document of an input, and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// `name#n` (the n-th document, from 1), `name#n items[i]` for an item of a `kind: List`.
    pub source: String,
    pub value: Value,
}

/// The documents of `input`, in order; empty and null documents are skipped.
pub fn documents(input: &Input) -> Result<Vec<Document>, Problem> {
    let name = if input.name.is_empty() {
        "input"
    } else {
        &input.name
    };
    let at = || Path::from(name);
    if input.text.len() > MAX_INPUT_BYTES {
        return Err(Problem::new(
            at(),
            format!(
                "the input is {} bytes; eksplain imports at most {MAX_INPUT_BYTES} bytes (10 MiB) an input",
                input.text.len()
            ),
        ));
    }
    let text = input.text.trim_start_matches('\u{feff}');
    let values = if looks_like_json(text) {
        json_values(text).map_err(|e| Problem::new(at(), e))?
    } else {
        yaml_values(text).map_err(|e| Problem::new(at(), e))?
    };
    let mut out = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        let source = format!("{name}#{}", i + 1);
        push_document(source, value, &mut out);
    }
    Ok(out)
}

/// Adds `value`, or the items of a `kind: List`, to `out`.
fn push_document(source: String, value: Value, out: &mut Vec<Document>) {
    if value.is_null() {
        return;
    }
    let is_list = value.get("kind").and_then(Value::as_str) == Some("List")
        && value.get("items").is_some_and(Value::is_array);
    if !is_list {
        out.push(Document { source, value });
        return;
    }
    if let Value::Object(mut object) = value {
        if let Some(Value::Array(items)) = object.remove("items") {
            for (i, item) in items.into_iter().enumerate() {
                if !item.is_null() {
                    out.push(Document {
                        source: format!("{source} items[{i}]"),
                        value: item,
                    });
                }
            }
        }
    }
}

/// JSON starts with `{` or `[` (after blanks); anything else is read as YAML.
fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().chars().next(), Some('{') | Some('['))
}

/// Every JSON value in `text`, one after another (`{…}{…}` or one per line).
fn json_values(text: &str) -> Result<Vec<Value>, String> {
    limits::check_json_depth(text).map_err(|p| p.message)?;
    let mut out = Vec::new();
    for value in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        let value = value.map_err(|e| format!("not valid JSON ({e})"))?;
        out.push(value);
        if out.len() > MAX_DOCUMENTS {
            return Err(format!(
                "more than {MAX_DOCUMENTS} JSON documents; split the input"
            ));
        }
    }
    Ok(out)
}

/// Every YAML document in `text`, under the budget.
fn yaml_values(text: &str) -> Result<Vec<Value>, String> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_aliases: MAX_ALIASES,
            max_depth: MAX_DEPTH,
            max_documents: MAX_DOCUMENTS,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_REPLAYED_EVENTS,
        },
    };
    serde_saphyr::from_multiple_with_options::<Value>(text, options)
        .map_err(|e| format!("not valid YAML or JSON ({})", first_line(&e.to_string())))
}

/// The first line of a parser's message (serde-saphyr adds a snippet of the input below it).
fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(text: &str) -> Input {
        Input {
            name: "t.yaml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn yaml_documents_are_numbered_and_nulls_skipped() {
        let docs = documents(&input("a: 1\n---\n---\nb: 2\n")).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].source, "t.yaml#1");
        assert_eq!(docs[1].value["b"], 2);
    }

    #[test]
    fn json_values_in_a_row_are_documents() {
        let docs = documents(&input("{\"Vpcs\": []}\n{\"Subnets\": []}")).unwrap();
        assert_eq!(docs.len(), 2);
        assert!(docs[1].value.get("Subnets").is_some());
    }

    #[test]
    fn a_list_is_opened_into_its_items() {
        let text = "apiVersion: v1\nkind: List\nitems:\n- kind: Service\n- kind: Pod\n";
        let docs = documents(&input(text)).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].source, "t.yaml#1 items[1]");
        assert_eq!(docs[1].value["kind"], "Pod");
    }

    #[test]
    fn bad_text_is_a_problem_naming_the_input() {
        let problem = documents(&input("a: [1")).unwrap_err();
        assert_eq!(problem.path.as_str(), "t.yaml");
        assert!(problem.message.starts_with("not valid YAML"), "{problem}");
        let problem = documents(&input("{\"a\": ")).unwrap_err();
        assert!(problem.message.starts_with("not valid JSON"), "{problem}");
    }

    #[test]
    fn an_alias_bomb_is_refused() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        let problem = documents(&input(&text)).unwrap_err();
        assert!(problem.message.starts_with("not valid YAML"), "{problem}");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let deep = format!("{}1{}", "[".repeat(200), "]".repeat(200));
        assert!(documents(&input(&deep)).is_err());
        let deep_yaml = format!("a: {}1{}", "[".repeat(200), "]".repeat(200));
        assert!(documents(&input(&deep_yaml)).is_err());
    }

    #[test]
    fn an_input_past_the_limit_is_not_read() {
        let big = "#".repeat(MAX_INPUT_BYTES + 1);
        let problem = documents(&input(&big)).unwrap_err();
        assert!(problem.message.contains("at most"), "{problem}");
    }
}
