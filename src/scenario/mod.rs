//! The user's document: schema, parsing with a path to the offending field, presets.

mod default;
mod document;
mod document_reader;
mod json_cursor;
mod json_tree;
mod key_order;
pub mod limits;
mod link;
mod parse;
mod pretty_json;
mod problem;
mod problem_summary;
mod read_error;
pub mod safe_text;
mod scale;
#[cfg(test)]
mod tree_reader;
mod yaml;

pub use default::default_scenario;
pub use document::*;
pub use link::{
    decode as decode_link, encode as encode_link, encode_params as encode_fragment_params,
    encode_with as encode_link_with, fragment_params, LinkError, LINK_FORMAT, MAX_EXPANDED_BYTES,
    MAX_LINK_PAYLOAD_CHARS, SCENARIO_KEY,
};
pub use parse::{from_json, from_value, to_json, MAX_DOCUMENT_BYTES};
pub use problem::{Path, Problem};
pub use problem_summary::{report, summarize, ProblemSummary, MAX_LISTED};
pub use scale::scale_scenario;
pub use yaml::from_yaml;

/// The default scenario, a generated one (6 nodes) and every gallery scenario, for tests that
/// check a property on each kind of cluster the project ships.
#[cfg(test)]
pub(crate) fn shipped_scenarios() -> Vec<Scenario> {
    let mut out = vec![default_scenario(), scale_scenario(6)];
    out.extend(gallery_scenarios().into_iter().map(|(_, s)| s));
    out
}

/// Every gallery scenario (static/scenarios/gallery), read, with its file's stem, in file
/// order: for tests that walk the whole gallery.
#[cfg(test)]
pub(crate) fn gallery_scenarios() -> Vec<(String, Scenario)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenarios/gallery");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 8,
        "the gallery has {} scenarios",
        paths.len()
    );
    paths
        .into_iter()
        .map(|path| {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            (
                stem,
                from_json(&text).unwrap_or_else(|e| panic!("{}: {e:?}", path.display())),
            )
        })
        .collect()
}

/// The text of every JSON file under static/scenarios (the gallery's, the fixtures), for tests
/// that check a reader or writer against each document the project ships.
#[cfg(test)]
pub(crate) fn shipped_json_texts() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenarios");
    let mut dirs = vec![std::path::PathBuf::from(dir)];
    let mut texts = Vec::new();
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                texts.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    texts
}
