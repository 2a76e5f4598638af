//! The CLI's output boundary: everything it prints goes through here, escaped for the kind of
//! text it is (`scenario::safe_text`), so a hostile name cannot retitle, clear or reorder the
//! user's terminal whichever message carries it. No other file of the CLI writes to standard
//! output or standard error (`tests/hostile.rs` checks the sources).
//!
//! A closed pipe (`eksplain describe … | head`) ends the output quietly instead of
//! panicking as `println!` would.

use std::io::Write;

use eksplain::scenario::safe_text::{escape_json, escape_text};
use eksplain::scenario::{report, Problem};

/// Plain text to standard output, as is (add the line break yourself).
pub fn text(text: &str) {
    let _ = std::io::stdout()
        .lock()
        .write_all(escape_text(text).as_bytes());
}

/// JSON to standard output: controls, C1 and bidi characters inside strings are written as
/// `\u…` escapes, so the JSON still reads back the same.
pub fn json(json: &str) {
    let _ = std::io::stdout()
        .lock()
        .write_all(escape_json(json).as_bytes());
}

/// A message to standard error, `eksplain: ` first.
pub fn error(message: &str) {
    let _ = std::io::stderr()
        .lock()
        .write_all(escape_text(&format!("eksplain: {message}\n")).as_bytes());
}

/// Lines to standard error, as they are.
pub fn error_lines(text: &str) {
    let _ = std::io::stderr()
        .lock()
        .write_all(escape_text(text).as_bytes());
}

/// What every command prints when a scenario is invalid (`scenario::report`).
pub fn problems(problems: &[Problem]) -> String {
    report(problems)
}
