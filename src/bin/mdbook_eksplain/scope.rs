//! Inlining an SVG into a page that may hold others: every id gets a per-diagram prefix (and
//! every reference to one: `url(#…)`, `href="#…"`, `aria-labelledby`, `#id` in the style),
//! and the `<style>`'s selectors are scoped under the diagram's wrapper class, so two
//! diagrams on one page never collide and the page's own elements are never styled.

use std::collections::BTreeSet;

/// Attributes whose value is a list of ids.
const ID_LISTS: [&str; 6] = [
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "aria-details",
    "aria-flowto",
];

/// `svg` with its ids prefixed by `prefix-` and its `<style>` blocks scoped under `.prefix`.
pub fn scope_svg(svg: &str, prefix: &str) -> String {
    let ids = ids(svg);
    let mut out = String::with_capacity(svg.len() + svg.len() / 8);
    let mut rest = svg;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        // Text that is not markup: comments and CDATA sections, copied as they are.
        for (open, close) in [("<!--", "-->"), ("<![CDATA[", "]]>")] {
            if rest.starts_with(open) {
                let end = rest.find(close).map_or(rest.len(), |i| i + close.len());
                out.push_str(&rest[..end]);
                rest = &rest[end..];
            }
        }
        if !rest.starts_with('<') {
            continue;
        }
        let end = tag_end(rest);
        let tag = &rest[..end];
        out.push_str(&scope_tag(tag, prefix, &ids));
        rest = &rest[end..];
        if tag.starts_with("<style") && !tag.ends_with("/>") {
            let close = rest.find("</style>").unwrap_or(rest.len());
            out.push_str(&scope_css(
                &prefix_id_refs(&rest[..close], prefix, &ids),
                prefix,
            ));
            rest = &rest[close..];
        }
    }
    out.push_str(rest);
    out
}

/// Where the tag at the start of `text` ends (after its `>`), quotes respected.
fn tag_end(text: &str) -> usize {
    let mut quote = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    text.len()
}

/// Every `id="…"` value of the document.
fn ids(svg: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut rest = svg;
    while let Some(i) = rest.find(" id=\"") {
        rest = &rest[i + 5..];
        if let Some(end) = rest.find('"') {
            found.insert(rest[..end].to_string());
        }
    }
    found
}

/// One tag with its id attributes prefixed and `#id` references in any attribute rewritten.
fn scope_tag(tag: &str, prefix: &str, ids: &BTreeSet<String>) -> String {
    let mut out = String::with_capacity(tag.len() + 32);
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let name_start = rest[..eq]
            .rfind(|c: char| c.is_whitespace())
            .map_or(0, |i| i + 1);
        let name = &rest[name_start..eq];
        let value_start = eq + 2;
        let Some(len) = rest[value_start..].find('"') else {
            break;
        };
        let value = &rest[value_start..value_start + len];
        out.push_str(&rest[..value_start]);
        if name == "id" {
            out.push_str(&format!("{prefix}-{value}"));
        } else if ID_LISTS.contains(&name) {
            let list: Vec<String> = value
                .split_whitespace()
                .map(|id| {
                    if ids.contains(id) {
                        format!("{prefix}-{id}")
                    } else {
                        id.to_string()
                    }
                })
                .collect();
            out.push_str(&list.join(" "));
        } else {
            out.push_str(&prefix_id_refs(value, prefix, ids));
        }
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out
}

/// Whether `c` can continue a CSS identifier (and so an id after `#`).
fn name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

/// `#id` (as in `url(#id)`, `href="#id"` or a CSS selector) prefixed for every id of the
/// document; a `#` followed by anything else (a colour) is left alone.
fn prefix_id_refs(text: &str, prefix: &str, ids: &BTreeSet<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('#') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let len = rest.find(|c: char| !name_char(c)).unwrap_or(rest.len());
        if ids.contains(&rest[..len]) {
            out.push_str(prefix);
            out.push('-');
        }
    }
    out.push_str(rest);
    out
}

/// A stylesheet with every rule's selectors under `.scope`: `:root`, `html` and `body` become
/// the wrapper itself; rules inside `@media`, `@supports`, `@container` and `@layer` are
/// scoped too; `@keyframes`, `@font-face` and other at-rules are kept as they are.
/// Comments are dropped.
pub fn scope_css(css: &str, scope: &str) -> String {
    let css = strip_comments(css);
    let mut out = String::with_capacity(css.len() + css.len() / 4);
    scope_rules(&css, scope, &mut out);
    out
}

fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i + 2..]
            .find("*/")
            .map_or("", |j| &rest[i + 2 + j + 2..]);
    }
    out.push_str(rest);
    out
}

/// The index just after the `}` closing the block whose `{` is at `open`.
fn block_end(css: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in css[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return open + i + 1;
                }
            }
            _ => {}
        }
    }
    css.len()
}

fn scope_rules(css: &str, scope: &str, out: &mut String) {
    let mut rest = css;
    loop {
        let trimmed = rest.trim_start();
        if trimmed.is_empty() {
            return;
        }
        rest = trimmed;
        let brace = rest.find('{');
        let semi = rest.find(';');
        if rest.starts_with('@') && semi.is_some_and(|s| brace.is_none_or(|b| s < b)) {
            // A statement at-rule (`@import …;`): kept.
            let end = semi.unwrap_or(rest.len()) + 1;
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        let Some(open) = brace else {
            return;
        };
        let end = block_end(rest, open);
        let prelude = rest[..open].trim();
        let body = &rest[open + 1..end.saturating_sub(1).max(open + 1)];
        if let Some(at) = prelude.strip_prefix('@') {
            out.push_str(prelude);
            out.push('{');
            let nested = ["media", "supports", "container", "layer"]
                .iter()
                .any(|n| at.starts_with(n));
            if nested {
                scope_rules(body, scope, out);
            } else {
                out.push_str(body);
            }
            out.push('}');
        } else {
            out.push_str(&scope_selectors(prelude, scope));
            out.push('{');
            out.push_str(body);
            out.push('}');
        }
        rest = &rest[end..];
    }
}

/// A selector list, each selector under `.scope` (split at top-level commas only).
fn scope_selectors(list: &str, scope: &str) -> String {
    let mut parts = Vec::new();
    let (mut depth, mut from) = (0, 0);
    for (i, c) in list.char_indices() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&list[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&list[from..]);
    parts
        .iter()
        .map(|s| {
            let s = s.trim();
            for root in [":root", "html", "body"] {
                if let Some(after) = s.strip_prefix(root) {
                    if !after.starts_with(name_char) {
                        return format!(".{scope}{after}");
                    }
                }
            }
            format!(".{scope} {s}")
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_ids_and_every_reference() {
        let svg = r##"<svg aria-labelledby="t d"><title id="t">A #t</title><desc id="d"/><marker id="arrow"/><path marker-end="url(#arrow)"/><use href="#arrow"/><style>#t{fill:#fff}</style></svg>"##;
        let out = scope_svg(svg, "p1");
        assert!(out.contains(r#"aria-labelledby="p1-t p1-d""#), "{out}");
        assert!(out.contains(r#"id="p1-arrow""#));
        assert!(out.contains("url(#p1-arrow)"));
        assert!(out.contains(r##"href="#p1-arrow""##));
        assert!(out.contains(".p1 #p1-t{fill:#fff}"), "{out}");
        // Text is not markup: left alone.
        assert!(out.contains(">A #t<"));
    }

    #[test]
    fn scopes_selectors_media_and_root() {
        let css = "/* c */ :root{--a:1} html, .x > y{b:c} @media (prefers-color-scheme: dark){:root{--a:2} .n{d:e}} @keyframes k{from{o:0}to{o:1}}";
        let out = scope_css(css, "w");
        assert_eq!(
            out,
            ".w{--a:1}.w,.w .x > y{b:c}@media (prefers-color-scheme: dark){.w{--a:2}.w .n{d:e}}@keyframes k{from{o:0}to{o:1}}"
        );
    }

    #[test]
    fn selector_lists_split_only_at_the_top_level() {
        assert_eq!(
            scope_selectors(":is(a, b) c, d", "w"),
            ".w :is(a, b) c,.w d"
        );
    }
}
