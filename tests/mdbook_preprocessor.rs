//! `mdbook-eksplain` spoken to as mdBook does (docs/mdbook.md): `supports RENDERER`, then
//! `[context, book]` JSON on standard input and the book back on standard output. The book is
//! tests/fixtures/mdbook/, copied to a scratch directory first (the default mode writes SVG
//! files beside the chapters).
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{json, Value};

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_mdbook-eksplain");

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mdbook")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A fresh copy of the fixture book, named for the test.
fn book_root(test: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("mdbook-{test}"));
    let _ = std::fs::remove_dir_all(&root);
    copy_dir(&fixture(), &root);
    root
}

/// A chapter item as mdBook 0.5 serialises it.
fn chapter(root: &Path, name: &str, path: &str, content: Option<&str>) -> Value {
    let content = content.map_or_else(
        || std::fs::read_to_string(root.join("src").join(path)).unwrap(),
        str::to_string,
    );
    json!({"Chapter": {"name": name, "content": content, "number": [1], "sub_items": [],
        "path": path, "source_path": path, "parent_names": []}})
}

fn input(root: &Path, settings: Value, items: Vec<Value>) -> Value {
    json!([
        {"root": root, "config": {"book": {"title": "fixture", "src": "src"},
            "preprocessor": {"eksplain": settings}}, "renderer": "html", "mdbook_version": "0.5.4"},
        {"items": items}
    ])
}

fn run(input: &Value) -> Output {
    common::run_with_stdin(BIN, &[], input.to_string().as_bytes())
}

fn contents(out: &Output) -> Vec<String> {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book: Value = serde_json::from_slice(&out.stdout).unwrap();
    book["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["Chapter"]["content"].as_str().map(str::to_string))
        .collect()
}

fn ids(html: &str) -> Vec<&str> {
    html.split(" id=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect()
}

#[test]
fn supports_html_and_not_pdf() {
    for (renderer, ok) in [("html", true), ("markdown", true), ("pdf", false)] {
        let status = Command::new(BIN)
            .args(["supports", renderer])
            .status()
            .unwrap();
        assert_eq!(status.success(), ok, "supports {renderer}");
    }
}

#[test]
fn every_input_form_becomes_an_image_file_beside_its_chapter() {
    let root = book_root("forms");
    let items = vec![
        chapter(&root, "Every input form", "lessons/forms.md", None),
        json!("Separator"),
        json!({"PartTitle": "Kept"}),
    ];
    let input = input(
        &root,
        json!({"app-url": "https://eksplain.example/app/"}),
        items,
    );
    let out = run(&input);
    let text = &contents(&out)[0];
    let book: Value = serde_json::from_slice(&out.stdout).unwrap();
    // Items the preprocessor does not touch, and every chapter field, come back unchanged.
    assert_eq!(book["items"][1], json!("Separator"));
    assert_eq!(book["items"][2], json!({"PartTitle": "Kept"}));
    assert_eq!(book["items"][0]["Chapter"]["number"], json!([1]));
    assert!(!text.contains("```eksplain alt"), "blocks left:\n{text}");
    // JSON, YAML, link and file=: four images, each a file written beside the chapter.
    let srcs: Vec<&str> = text
        .split("<img src=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(srcs.len(), 4, "{text}");
    for src in &srcs {
        assert!(
            src.starts_with("eksplain-") && src.ends_with(".svg"),
            "{src}"
        );
        let svg = std::fs::read_to_string(root.join("src/lessons").join(src)).unwrap();
        assert!(svg.contains("class=\"eksplain-export\""), "{src}");
    }
    let svg = |i: usize| std::fs::read_to_string(root.join("src/lessons").join(srcs[i])).unwrap();
    assert!(svg(0).contains("JSON block"));
    assert!(svg(1).contains("YAML block") && svg(1).contains("data-view=\"architecture\""));
    assert!(svg(1).contains("data-theme=\"dark\""));
    assert!(svg(2).contains("Three AZs, one node group"));
    // The file= block traces its flow: the load balancer and the path are drawn.
    assert!(svg(3).contains("data-kind=\"lb\""));
    assert!(svg(3).contains("data-kind=\"flow-path\""));
    assert!(text.contains("alt=\"Two subnets, one node\""));
    assert!(text.contains("alt=\"ETP Local: the path from the internet\""));
    assert_eq!(
        text.matches("href=\"https://eksplain.example/app/#s=1.")
            .count(),
        4
    );
    // The block shown inside a four-backtick fence is left as it is.
    assert!(text.contains("````markdown\n```eksplain\nfile=scenarios/etp-local.json\n```\n````"));
}

#[test]
fn two_inline_diagrams_on_one_page_share_no_id() {
    let root = book_root("inline");
    let items = vec![chapter(&root, "Two on one page", "lessons/two.md", None)];
    let text = &contents(&run(&input(&root, json!({"inline": true}), items)))[0];
    assert_eq!(text.matches("<svg").count(), 2, "{text}");
    assert!(!text.contains("<?xml"));
    let ids = ids(text);
    assert!(ids.len() > 4, "{ids:?}");
    let mut seen = HashMap::new();
    for id in &ids {
        *seen.entry(id).or_insert(0) += 1;
    }
    let repeated: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "ids used twice: {repeated:?}");
    // Every reference points at an id of the page.
    for reference in text.split("url(#").skip(1) {
        let id = &reference[..reference.find(')').unwrap()];
        assert!(seen.contains_key(&id), "url(#{id}) has no target");
    }
    for list in text.split("aria-labelledby=\"").skip(1) {
        for id in list[..list.find('"').unwrap()].split_whitespace() {
            assert!(seen.contains_key(&id), "aria-labelledby {id} has no target");
        }
    }
    // No rule of the diagrams' styles reaches the host page: each selector is under the
    // diagram's wrapper class.
    for style in text.split("<style>").skip(1) {
        let css = &style[..style.find("</style>").unwrap()];
        assert!(!css.contains(":root"), "unscoped :root");
        for rule in css.split('}') {
            let selector = rule.split('{').next().unwrap().trim();
            if selector.is_empty() || selector.starts_with('@') || !rule.contains('{') {
                continue;
            }
            if ["from", "to"].contains(&selector) || selector.ends_with('%') {
                continue;
            }
            for one in selector.split(',') {
                assert!(
                    one.trim().starts_with(".eksplain-"),
                    "unscoped selector {one}"
                );
            }
        }
    }
    // No blank line: Markdown would end the HTML block there.
    assert!(!text.contains("\n\n<svg") && !text.split("<div").nth(1).unwrap().contains("\n\n"));
    // Nothing written beside the chapter in inline mode.
    let files: Vec<_> = std::fs::read_dir(root.join("src/lessons"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".svg"))
        .collect();
    assert!(files.is_empty());
}

#[test]
fn a_bad_block_fails_naming_chapter_line_and_every_problem() {
    let root = book_root("bad");
    let items = vec![chapter(&root, "A bad block", "bad.md", None)];
    let out = run(&input(&root, json!({}), items));
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("chapter \"A bad block\" (bad.md), line 5"),
        "{err}"
    );
    assert!(
        err.contains("vpc.subnets[0].cidr: 10.1.0.0/24 is outside the VPC"),
        "{err}"
    );
    assert!(
        err.contains("managedNodeGroups[0].instanceType: `m5.huge`"),
        "{err}"
    );
    assert!(err.contains("2 problems found"), "{err}");
}

#[test]
fn bad_input_of_every_kind_is_named_with_its_line() {
    let root = book_root("bad-kinds");
    let content = "# K\n\n```eksplain colour=red\nfile=scenarios/etp-local.json\n```\n\n```eksplain\n#s=1.broken\n```\n\n```eksplain\nfile=../book.toml\n```\n\n```eksplain flow=nowhere->service/web\nfile=scenarios/etp-local.json\n```\n";
    let items = vec![chapter(&root, "Kinds", "kinds.md", Some(content))];
    let out = run(&input(&root, json!({}), items));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("4 eksplain blocks could not be drawn"),
        "{err}"
    );
    assert!(
        err.contains("line 3: eksplain block: unknown fence option \"colour\""),
        "{err}"
    );
    assert!(err.contains("line 7: eksplain block: the link"), "{err}");
    assert!(
        err.contains("line 11: eksplain block: file=../book.toml is outside"),
        "{err}"
    );
    assert!(err.contains("line 15: eksplain block: flow:"), "{err}");
}

#[test]
fn on_error_warn_draws_an_error_box_and_goes_on() {
    let root = book_root("warn");
    let items = vec![
        chapter(&root, "A bad block", "bad.md", None),
        chapter(&root, "Two on one page", "lessons/two.md", None),
    ];
    let out = run(&input(&root, json!({"on-error": "warn"}), items));
    let texts = contents(&out);
    assert!(texts[0].contains("<div class=\"eksplain-error\" role=\"alert\""));
    assert!(texts[0].contains("managedNodeGroups[0].instanceType: `m5.huge`"));
    assert!(texts[0].contains("line 5"));
    assert_eq!(texts[1].matches("<img src=\"eksplain-").count(), 2);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("warning") && err.contains("bad.md"), "{err}");
}

#[test]
fn a_bad_setting_or_input_is_refused_plainly() {
    let root = book_root("settings");
    let out = run(&input(&root, json!({"inlined": true}), vec![]));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown key \"inlined\""));
    let out = run(&json!({"not": "an array"}));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[context, book]"));
}

#[test]
fn an_mdbook_0_4_book_keeps_its_shape_and_sub_chapters_are_drawn() {
    let root = book_root("sections");
    let mut sub = chapter(&root, "Two on one page", "lessons/two.md", None);
    sub["Chapter"]["number"] = json!([1, 1]);
    let mut top = chapter(&root, "Top", "top.md", Some("# Top\n\nNo diagram.\n"));
    top["Chapter"]["sub_items"] = json!([sub]);
    let mut input = input(&root, json!({}), vec![]);
    input[1] = json!({"sections": [top], "__non_exhaustive": null});
    let out = run(&input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(book["__non_exhaustive"], Value::Null);
    assert!(book.as_object().unwrap().contains_key("__non_exhaustive"));
    let top = &book["sections"][0]["Chapter"];
    assert_eq!(top["content"], json!("# Top\n\nNo diagram.\n"));
    let sub = &top["sub_items"][0]["Chapter"];
    assert_eq!(sub["number"], json!([1, 1]));
    assert_eq!(
        sub["content"]
            .as_str()
            .unwrap()
            .matches("<img src=\"eksplain-")
            .count(),
        2
    );
}

#[test]
fn theme_auto_draws_both_themes_for_the_reader_to_choose() {
    let root = book_root("auto");
    let content = "# Auto\n\n```eksplain theme=auto\nfile=scenarios/etp-local.json\n```\n";
    let items = || vec![chapter(&root, "Auto", "auto.md", Some(content))];
    let text = &contents(&run(&input(&root, json!({}), items())))[0];
    assert!(
        text.contains("<picture><source srcset=\"eksplain-")
            && text.contains("media=\"(prefers-color-scheme: dark)\"><img src=\"eksplain-"),
        "{text}"
    );
    let text = &contents(&run(&input(&root, json!({"inline": true}), items())))[0];
    assert!(text.contains("data-theme=\"light\"") && text.contains("data-theme=\"dark\""));
    assert!(text.contains("@media (prefers-color-scheme: dark){.eksplain-"));
    let ids = ids(text);
    let unique: std::collections::HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
}

#[test]
fn a_file_block_reads_an_svg_eksplain_wrote() {
    let root = book_root("svg-file");
    let render = Command::new(env!("CARGO_BIN_EXE_eksplain"))
        .arg("render")
        .arg(root.join("src/scenarios/etp-local.json"))
        .arg("-o")
        .arg(root.join("src/scenarios/etp-local.svg"))
        .status()
        .unwrap();
    assert!(render.success());
    let content = "# S\n\n```eksplain view=architecture\nfile=scenarios/etp-local.svg\n```\n\n```eksplain\nfile=SUMMARY.md\n```\n";
    let items = vec![chapter(&root, "S", "s.md", Some(content))];
    let out = run(&input(&root, json!({"on-error": "warn"}), items));
    let text = &contents(&out)[0];
    assert_eq!(text.matches("<img src=\"eksplain-").count(), 1, "{text}");
    assert!(text.contains("externalTrafficPolicy Local"));
    // A file that is no scenario is named with the parser's own problems.
    assert!(text.contains("line 7: eksplain block: file=SUMMARY.md is not a valid scenario"));
}

#[test]
fn hostile_text_is_escaped_in_the_page_and_the_terminal() {
    let root = book_root("hostile");
    let content = "# H\n\n```eksplain alt=\"<script>x</script>\\\"\"\nfile=scenarios/etp-local.json\n```\n\n```eksplain\n{\"version\": 1, \"name\": \"<b>\\u001b[2J\"}\n```\n";
    let items = vec![chapter(
        &root,
        "H\u{1b}]0;title\u{7}",
        "h.md",
        Some(content),
    )];
    let out = run(&input(&root, json!({"on-error": "warn"}), items));
    let text = &contents(&out)[0];
    assert!(
        text.contains("alt=\"&lt;script&gt;x&lt;/script&gt;&quot;\""),
        "{text}"
    );
    assert!(!text.contains("<script>") && !text.contains("<b>"));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 7"), "{err}");
    assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
}
