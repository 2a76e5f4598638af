//! The user's document: schema, parsing with a path to the offending field, presets.

mod default;
mod document;
mod document_reader;
mod json_tree;
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
