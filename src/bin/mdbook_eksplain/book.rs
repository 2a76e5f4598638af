//! mdBook's book JSON, walked as a `serde_json::Value` so every field this preprocessor does
//! not know (and any mdBook adds) goes back unchanged. Chapters are `{"Chapter": {...}}` items
//! of the book's `items` (mdBook 0.5) or `sections` (0.4) and of each chapter's `sub_items`;
//! only each chapter's `content` is rewritten.

use std::path::Path;

use serde_json::Value;

use crate::config::Config;
use crate::diagram::{self, escape_html, Chapter};
use crate::fence;

/// One block that could not be drawn: where, and why.
pub struct BlockError {
    pub chapter: String,
    pub line: usize,
    pub message: String,
}

impl BlockError {
    pub fn text(&self) -> String {
        format!(
            "{}, line {}: eksplain block: {}",
            self.chapter, self.line, self.message
        )
    }
}

/// Rewrites every chapter of `book`; the blocks that failed (drawn as error boxes when the
/// config says `on-error = "warn"`).
pub fn process(book: &mut Value, config: &Config) -> Vec<BlockError> {
    let mut errors = Vec::new();
    let mut ordinal = 0;
    for key in ["items", "sections"] {
        if let Some(items) = book.get_mut(key).and_then(Value::as_array_mut) {
            walk(items, config, &mut ordinal, &mut errors);
        }
    }
    errors
}

fn walk(items: &mut [Value], config: &Config, ordinal: &mut usize, errors: &mut Vec<BlockError>) {
    for item in items {
        let Some(chapter) = item.get_mut("Chapter").and_then(Value::as_object_mut) else {
            continue;
        };
        let path = ["path", "source_path"]
            .iter()
            .find_map(|k| chapter.get(*k).and_then(Value::as_str))
            .map(str::to_string);
        let name = chapter
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let label = match &path {
            Some(p) => format!("chapter \"{name}\" ({p})"),
            None => format!("chapter \"{name}\""),
        };
        if let Some(content) = chapter.get("content").and_then(Value::as_str) {
            let rewritten = rewrite(
                content,
                &label,
                path.as_deref().map(Path::new),
                config,
                ordinal,
                errors,
            );
            if let Some(text) = rewritten {
                chapter.insert("content".into(), Value::String(text));
            }
        }
        if let Some(subs) = chapter.get_mut("sub_items").and_then(Value::as_array_mut) {
            walk(subs, config, ordinal, errors);
        }
    }
}

/// The chapter's text with its blocks replaced; `None` when it has none.
fn rewrite(
    content: &str,
    label: &str,
    path: Option<&Path>,
    config: &Config,
    ordinal: &mut usize,
    errors: &mut Vec<BlockError>,
) -> Option<String> {
    let blocks = fence::blocks(content);
    if blocks.is_empty() {
        return None;
    }
    let chapter = Chapter { path };
    let mut out = String::with_capacity(content.len());
    let mut from = 0;
    for block in &blocks {
        *ordinal += 1;
        out.push_str(&content[from..block.start]);
        // A blank line before and after: mdBook (CommonMark) passes the HTML block through.
        out.push('\n');
        let html = match diagram::render(block, &chapter, config, *ordinal) {
            Ok(html) => html,
            Err(failure) => {
                let error = BlockError {
                    chapter: label.to_string(),
                    line: block.line,
                    message: failure.text(),
                };
                // Line breaks as character references: one source line, which no blank
                // line in a message can cut out of the HTML block.
                let html = format!(
                    "<div class=\"eksplain-error\" role=\"alert\" style=\"border:2px solid #c62828;border-radius:4px;padding:0.5em 1em;color:#b71c1c;background:#fff5f5\"><strong>eksplain: this diagram could not be drawn</strong><pre style=\"white-space:pre-wrap;background:none;color:inherit\">{}</pre></div>\n",
                    escape_html(&error.text()).replace('\n', "&#10;")
                );
                errors.push(error);
                html
            }
        };
        for line in html.lines() {
            out.push_str(&" ".repeat(block.indent));
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
        from = block.end;
    }
    out.push_str(&content[from..]);
    Some(out)
}
