//! Reading a scenario from JSON: every syntax or type error comes back with its field path.

use super::document::{Scenario, CURRENT_VERSION};
use super::problem::{Path, Problem};

/// Documents larger than this are refused before parsing (a scenario is a few KB).
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// Parses a JSON scenario. The version is checked first so that a newer document gets a
/// message about its version rather than about fields this build does not know.
pub fn from_json(text: &str) -> Result<Scenario, Vec<Problem>> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(vec![Problem::new(
            Path::root(),
            format!(
                "the document is {} bytes; eksplain reads at most {} bytes",
                text.len(),
                MAX_DOCUMENT_BYTES
            ),
        )]);
    }
    // Read straight from the text. Unless that went cleanly, what serde would say first of
    // the document itself (not JSON, nested too deep, another version, a string too long) is
    // checked on the text, without its tree; the tree is built only when the text holds what
    // only it is read with care for.
    use super::document_reader::{read_text, Fast};
    let read = match read_text(text) {
        Fast::Sure(scenario) => return Ok(scenario),
        Fast::Unsure(read) => Some(read),
        Fast::Stopped => None,
    };
    let (root, long) = super::json_tree::check(text).map_err(|e| not_json(text, e))?;
    check_root_version(root.as_ref().map(Option::as_ref))?;
    match read {
        Some(read) if !long => {
            read.map_err(|(path, message)| vec![Problem::new(Path::from(path.as_str()), message)])
        }
        _ => from_json_tree(text),
    }
}

/// [`from_json`] the long way, through the parsed tree: what it says of a document is what
/// the document gets.
pub(super) fn from_json_tree(text: &str) -> Result<Scenario, Vec<Problem>> {
    // Nesting is checked as the text is parsed, so the parser never recurses into a hostile
    // depth.
    let (value, maybe_long) = super::json_tree::parse(text).map_err(|e| not_json(text, e))?;
    check_version(&value)?;
    // The nesting is already checked; string lengths only when the parse saw a long one.
    if maybe_long {
        super::limits::check_value(&value).map_err(|p| vec![p])?;
    }
    read(value)
}

/// Why `text` did not parse: its nesting when that is over the limit anywhere in the text,
/// else the JSON error.
fn not_json(text: &str, e: serde_json::Error) -> Vec<Problem> {
    match super::limits::check_json_depth(text) {
        Err(deep) => vec![deep],
        Ok(()) => vec![Problem::new(Path::root(), format!("not valid JSON ({e})"))],
    }
}

/// Reads a scenario from an already parsed document (JSON, or YAML read into the same tree).
pub fn from_value(value: serde_json::Value) -> Result<Scenario, Vec<Problem>> {
    check_version(&value)?;
    // Nesting and string lengths, before any field is read.
    super::limits::check_value(&value).map_err(|p| vec![p])?;
    read(value)
}

fn read(value: serde_json::Value) -> Result<Scenario, Vec<Problem>> {
    super::document_reader::read(value)
        .map_err(|(path, message)| vec![Problem::new(Path::from(path.as_str()), message)])
}

pub(super) fn check_version(value: &serde_json::Value) -> Result<(), Vec<Problem>> {
    check_root_version(value.as_object().map(|object| object.get("version")))
}

/// [`check_version`] given what it looks at: when the root is an object, its version if any.
fn check_root_version(root: Option<Option<&serde_json::Value>>) -> Result<(), Vec<Problem>> {
    let Some(version) = root else {
        return Err(vec![Problem::new(
            Path::root(),
            "a scenario is a JSON object with `version`, `vpc` and `cluster`",
        )]);
    };
    match version {
        None => Err(vec![Problem::new(
            "version",
            format!("missing; this build reads version {CURRENT_VERSION}"),
        )]),
        Some(v) if v.as_u64() == Some(u64::from(CURRENT_VERSION)) => Ok(()),
        Some(v) => Err(vec![Problem::new(
            "version",
            format!("version {v} is not supported; this build reads version {CURRENT_VERSION}"),
        )]),
    }
}

/// Pretty JSON, the form `link --decode` and exports print.
pub fn to_json(scenario: &Scenario) -> String {
    // A Scenario has only string keys and plain values: serialising cannot fail. Compact, then
    // re-indented: the page then carries one copy of the scenario's `Serialize` code, not two.
    let compact = serde_json::to_string(scenario).unwrap_or_default();
    super::pretty_json::pretty(&compact)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    #[test]
    fn default_scenario_round_trips_through_json() {
        let s = default_scenario();
        assert_eq!(from_json(&to_json(&s)).unwrap(), s);
        assert_eq!(to_json(&s), serde_json::to_string_pretty(&s).unwrap());
    }

    #[test]
    fn a_type_error_names_the_field() {
        let text = to_json(&default_scenario())
            .replace("\"desiredCapacity\": 3", "\"desiredCapacity\": \"three\"");
        let problems = from_json(&text).unwrap_err();
        assert_eq!(
            problems[0].path.as_str(),
            "managedNodeGroups[0].desiredCapacity"
        );
        assert!(
            problems[0].message.contains("expected u32"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn an_unknown_field_is_named() {
        let text =
            to_json(&default_scenario()).replace("\"desiredCapacity\"", "\"desiredCapcity\"");
        let problems = from_json(&text).unwrap_err();
        assert!(
            problems[0].message.contains("desiredCapcity"),
            "{}",
            problems[0].message
        );
        assert_eq!(
            problems[0].path.as_str(),
            "managedNodeGroups[0].desiredCapcity"
        );
    }

    #[test]
    fn version_is_checked_first() {
        let problems = from_json(r#"{"version": 7, "vpc": 3}"#).unwrap_err();
        assert_eq!(problems[0].path.as_str(), "version");
        assert!(problems[0].message.contains("version 7 is not supported"));
        let problems = from_json(r#"{"vpc": {}}"#).unwrap_err();
        assert_eq!(problems[0].path.as_str(), "version");
        let problems = from_json("[1,2]").unwrap_err();
        assert_eq!(problems[0].path, Path::root());
        assert!(from_json("{").unwrap_err()[0]
            .message
            .starts_with("not valid JSON"));
    }

    #[test]
    fn huge_numbers_are_a_message_not_a_panic() {
        let text = to_json(&default_scenario())
            .replace("\"desiredCapacity\": 3", "\"desiredCapacity\": 1e30");
        let problems = from_json(&text).unwrap_err();
        assert_eq!(
            problems[0].path.as_str(),
            "managedNodeGroups[0].desiredCapacity"
        );
    }
}
