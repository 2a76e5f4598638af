//! The layers go one way, scenario → model → layout → explain → ui, and only `src/ui` (and the
//! binaries) touch the browser. This test reads the source and fails, naming the file and line,
//! when:
//!
//! - a file under `src/scenario` or `src/model` names a web crate (`yew`, `web_sys`, `gloo*`,
//!   `wasm_bindgen*`, `js_sys`) — they must build and test natively without a browser;
//! - a file under `src/layout` names `yew`, `web_sys`, `gloo*` or `wasm_bindgen*` — the layout
//!   is plain geometry, drawn by the ui and by `eksplain render` alike;
//! - `src/pipeline.rs` (scenario → cluster → scene → trace, for every output) names a web
//!   crate or uses `crate::ui` — it runs natively in `eksplain render` as in the page;
//! - a file under `src/explain` names any web crate — the inspector's pages are plain data,
//!   printed by `eksplain explain` as well as drawn by the ui;
//! - a file under `src/import` names any web crate — the importer runs in `eksplain import` and
//!   in the page's import module alike;
//! - `src/scenario` uses `crate::model`, `crate::layout`, `crate::explain` or `crate::ui`;
//!   `src/model` uses `crate::layout`, `crate::explain` or `crate::ui`; `src/layout` uses
//!   `crate::explain` or `crate::ui`; `src/explain` uses `crate::ui`; `src/import` uses `crate::ui`, `crate::layout`,
//!   `crate::explain` or `crate::pipeline`.
//!
//! A rule's `dir` may be one file.
//!
//! It looks at tokens outside comments and string literals: `crate::ui::x`, grouped imports
//! (`crate::{ui, model}`) and attributes (`#[wasm_bindgen]`) all count.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// One layer's rule: the crates and the `crate::` modules its files must not name.
struct Rule {
    dir: &'static str,
    crates: &'static [&'static str],
    modules: &'static [&'static str],
}

const WEB: &[&str] = &["yew", "web_sys", "gloo*", "wasm_bindgen*", "js_sys"];

const RULES: &[Rule] = &[
    Rule {
        dir: "src/scenario",
        crates: WEB,
        modules: &["model", "layout", "explain", "ui"],
    },
    Rule {
        dir: "src/model",
        crates: WEB,
        modules: &["layout", "explain", "ui"],
    },
    Rule {
        dir: "src/layout",
        crates: &["yew", "web_sys", "gloo*", "wasm_bindgen*"],
        modules: &["explain", "ui"],
    },
    Rule {
        dir: "src/explain",
        crates: WEB,
        modules: &["ui"],
    },
    Rule {
        dir: "src/import",
        crates: WEB,
        modules: &["ui", "layout", "explain", "pipeline"],
    },
    Rule {
        dir: "src/pipeline.rs",
        crates: WEB,
        modules: &["ui"],
    },
];

/// A token of Rust source: an identifier, `::`, or one punctuation character.
#[derive(Debug, PartialEq)]
enum Token {
    Ident(String),
    Path,
    Punct(char),
}

/// The tokens of `source` with their 1-based line numbers; comments, string and character
/// literals are skipped (raw strings and lifetimes handled well enough for this check).
fn tokens(source: &str) -> Vec<(usize, Token)> {
    let chars: Vec<char> = source.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\n' => {
                line += 1;
                i += 1;
            }
            '/' if at(i + 1) == '/' => {
                while i < chars.len() && chars[i] != '\n' {
                    i += 1;
                }
            }
            '/' if at(i + 1) == '*' => {
                let mut depth = 0;
                loop {
                    if i >= chars.len() {
                        break;
                    }
                    if chars[i] == '/' && at(i + 1) == '*' {
                        depth += 1;
                        i += 2;
                    } else if chars[i] == '*' && at(i + 1) == '/' {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if chars[i] == '\n' {
                            line += 1;
                        }
                        i += 1;
                    }
                }
            }
            'r' if at(i + 1) == '#' || at(i + 1) == '"' => {
                // A raw string r"…" or r#"…"#, or a raw identifier r#name.
                let mut hashes = 0;
                let mut j = i + 1;
                while at(j) == '#' {
                    hashes += 1;
                    j += 1;
                }
                if at(j) != '"' {
                    i = j;
                    continue;
                }
                j += 1;
                loop {
                    if j >= chars.len() {
                        break;
                    }
                    if chars[j] == '\n' {
                        line += 1;
                    }
                    if chars[j] == '"' && (1..=hashes).all(|k| at(j + k) == '#') {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                i = j;
            }
            '"' => {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    if at(i) == '\n' {
                        line += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            '\'' => {
                // A character literal ('a', '\n', '\u{1F}') or a lifetime ('a).
                if at(i + 1) == '\\' {
                    // Past the quote, the backslash and the escaped character.
                    i += 3;
                    while i < chars.len() && chars[i] != '\'' {
                        i += 1;
                    }
                    i += 1;
                } else if at(i + 2) == '\'' {
                    i += 3;
                } else {
                    i += 1;
                }
            }
            ':' if at(i + 1) == ':' => {
                out.push((line, Token::Path));
                i += 2;
            }
            c if c.is_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push((line, Token::Ident(chars[start..i].iter().collect())));
            }
            c if c.is_whitespace() => i += 1,
            c => {
                out.push((line, Token::Punct(c)));
                i += 1;
            }
        }
    }
    out
}

/// Whether `name` matches a pattern: exact, or a prefix when the pattern ends in `*`.
fn matches(name: &str, pattern: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => name.starts_with(prefix),
        None => name == pattern,
    }
}

/// Each (line, what) in `source` that breaks `rule`.
fn violations(source: &str, rule: &Rule) -> Vec<(usize, String)> {
    let tokens = tokens(source);
    let mut out = Vec::new();
    for (k, (line, token)) in tokens.iter().enumerate() {
        let Token::Ident(name) = token else { continue };
        if let Some(pattern) = rule.crates.iter().find(|p| matches(name, p)) {
            out.push((*line, format!("names the web crate `{name}` ({pattern})")));
        }
        if name != "crate" || tokens.get(k + 1).map(|t| &t.1) != Some(&Token::Path) {
            continue;
        }
        // `crate::module…` or the top level of a group: `crate::{module, other::…}`.
        let mut used = Vec::new();
        match tokens.get(k + 2) {
            Some((line, Token::Ident(module))) => used.push((*line, module.clone())),
            Some((_, Token::Punct('{'))) => {
                let mut depth = 0;
                let mut expect_name = true;
                for (line, t) in &tokens[k + 2..] {
                    match t {
                        Token::Punct('{') => {
                            depth += 1;
                            expect_name = true;
                            continue;
                        }
                        Token::Punct('}') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        Token::Punct(',') if depth == 1 => {
                            expect_name = true;
                            continue;
                        }
                        Token::Ident(module) if depth == 1 && expect_name => {
                            used.push((*line, module.clone()));
                        }
                        _ => {}
                    }
                    expect_name = false;
                }
            }
            _ => {}
        }
        for (line, module) in used {
            if rule.modules.contains(&module.as_str()) {
                out.push((line, format!("uses `crate::{module}`")));
            }
        }
    }
    out
}

/// The `.rs` files under `dir`, or `dir` itself when it is one file.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn layers_import_only_downwards_and_no_web_crates_below_the_ui() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut problems = Vec::new();
    for rule in RULES {
        let mut files = Vec::new();
        rust_files(&root.join(rule.dir), &mut files);
        assert!(!files.is_empty(), "{}: no Rust files found", rule.dir);
        files.sort();
        for file in files {
            let source = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            let shown = file
                .strip_prefix(root)
                .unwrap_or(&file)
                .display()
                .to_string();
            for (line, what) in violations(&source, rule) {
                problems.push(format!(
                    "{shown}:{line}: {what}, which {} must not",
                    rule.dir
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "layering broken:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_check_finds_every_form_of_import() {
    let model = &RULES[1];
    let source = "//! yew in a comment is fine\n\
                  use crate::scenario::Scenario;\n\
                  use crate::ui::App;\n\
                  use crate::{\n    model::Cluster,\n    layout::Scene,\n};\n\
                  #[wasm_bindgen]\n\
                  fn f() -> &'static str { let _ = web_sys::window(); \"gloo_utils::x\" }\n\
                  fn g<'a>(c: char) -> bool { c == '\\'' || ::js_sys::Date::now() > 0.0 }\n\
                  type T = gloo_events::EventListener;\n";
    let found: Vec<(usize, String)> = violations(source, model);
    assert_eq!(
        found,
        vec![
            (3, "uses `crate::ui`".to_string()),
            (6, "uses `crate::layout`".to_string()),
            (
                8,
                "names the web crate `wasm_bindgen` (wasm_bindgen*)".to_string()
            ),
            (9, "names the web crate `web_sys` (web_sys)".to_string()),
            (10, "names the web crate `js_sys` (js_sys)".to_string()),
            (11, "names the web crate `gloo_events` (gloo*)".to_string()),
        ]
    );
    let layout = &RULES[2];
    assert_eq!(
        violations(
            "use crate::model::Cluster;\nuse crate::ui::x;\nuse js_sys::Array;",
            layout
        ),
        vec![(2, "uses `crate::ui`".to_string())]
    );
    let pipeline = &RULES[5];
    assert_eq!(pipeline.dir, "src/pipeline.rs");
    assert_eq!(
        violations(
            "use crate::layout::Scene;\nuse crate::ui::standalone_svg;\nuse yew::Html;",
            pipeline
        ),
        vec![
            (2, "uses `crate::ui`".to_string()),
            (3, "names the web crate `yew` (yew)".to_string()),
        ]
    );
    let explain = &RULES[3];
    assert_eq!(
        violations(
            "use crate::layout::text::plural;\nuse crate::ui::docs;\nuse yew::Html;",
            explain
        ),
        vec![
            (2, "uses `crate::ui`".to_string()),
            (3, "names the web crate `yew` (yew)".to_string())
        ]
    );
}

/// The prefixes of the DOM's ids: only `src/model/id.rs` spells them.
use eksplain::model::id::PREFIXES as ID_PREFIXES;

/// Each (line, what) in the code of `source` (above its `#[cfg(test)]` module: tests may
/// write ids as text) that builds or takes apart an id as a string: a string literal starting
/// with an id's prefix and `:` (`"node:"`, `"pod:{}/{}"`). Ids in the ui are `model::Id`s, so
/// there is no string to split either.
fn id_strings(source: &str) -> Vec<(usize, String)> {
    let tests = ["#[cfg(test)]", "#[cfg(all(test"]
        .iter()
        .filter_map(|t| source.find(t))
        .min()
        .unwrap_or(source.len());
    let code = &source[..tests];
    let mut out = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let text = line.split("//").next().unwrap_or("");
        for (k, _) in text.match_indices('"') {
            let rest = &text[k + 1..];
            if let Some(prefix) = ID_PREFIXES
                .iter()
                .find(|p| rest.strip_prefix(**p).is_some_and(|r| r.starts_with(':')))
            {
                out.push((i + 1, format!("spells the id prefix `{prefix}:`")));
            }
        }
    }
    out
}

#[test]
fn the_ui_neither_builds_nor_parses_id_strings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src/ui"), &mut files);
    files.sort();
    let mut problems = Vec::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let shown = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .display()
            .to_string();
        for (line, what) in id_strings(&source) {
            problems.push(format!(
                "{shown}:{line}: {what}; use model::Id (its variants, Display and FromStr)"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "ids as strings in src/ui:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_id_check_finds_prefixes_but_not_in_tests() {
    let source = "let a = format!(\"node:{}\", n);\n\
                  let b = id.strip_prefix(\"pod:\");\n\
                  let c = \"nodes: 3\";\n\
                  let (k, r) = css.split_once(':');\n\
                  #[cfg(test)]\n\
                  mod tests { const X: &str = \"node:ng-1-1\"; }\n";
    assert_eq!(
        id_strings(source),
        vec![
            (1, "spells the id prefix `node:`".to_string()),
            (2, "spells the id prefix `pod:`".to_string()),
        ]
    );
}
