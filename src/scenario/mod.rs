//! The user's document: schema, parsing with a path to the offending field, presets.

mod default;
mod document;
mod parse;
mod problem;

pub use default::default_scenario;
pub use document::*;
pub use parse::{from_json, to_json, MAX_DOCUMENT_BYTES};
pub use problem::{Path, Problem};
