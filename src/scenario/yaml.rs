//! Reading a scenario from YAML (the CLI, the fuzz targets and the import module; not the
//! page's own wasm, which never calls it).
//!
//! YAML carries the same document as JSON: it is read into the JSON tree and then through
//! [`from_value`], so paths and messages are the same. serde-saphyr bounds aliases and
//! nesting, so a hostile file cannot blow up.

use super::document::Scenario;
use super::parse::{from_value, MAX_DOCUMENT_BYTES};
use super::problem::{Path, Problem};

/// Parses a YAML scenario; a document over [`MAX_DOCUMENT_BYTES`] is refused unread.
pub fn from_yaml(text: &str) -> Result<Scenario, Vec<Problem>> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(vec![Problem::new(
            Path::root(),
            format!(
                "the document is {} bytes; eksplain reads at most {MAX_DOCUMENT_BYTES} bytes",
                text.len()
            ),
        )]);
    }
    let value: serde_json::Value = serde_saphyr::from_str(text)
        .map_err(|e| vec![Problem::new(Path::root(), format!("not valid YAML ({e})"))])?;
    from_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    #[test]
    fn the_default_scenario_reads_from_yaml() {
        let text = include_str!("../../tests/fixtures/default.yaml");
        assert_eq!(from_yaml(text).unwrap(), default_scenario());
    }

    #[test]
    fn bad_yaml_is_a_problem_at_the_root() {
        let problems = from_yaml("version: [1").unwrap_err();
        assert!(
            problems[0].to_string().contains("not valid YAML"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_type_error_names_the_field() {
        let text = include_str!("../../tests/fixtures/bad.yaml");
        let problems = from_yaml(text).unwrap_err();
        assert!(
            problems[0].to_string().contains("desiredCapacity"),
            "{problems:?}"
        );
    }
}
