//! The sample book docs/book/ (`cargo xtask book` builds it with mdbook; tests/e2e/book.test.mjs
//! opens it in Chromium): its scenario files are the gallery's, every chapter of SUMMARY.md
//! exists, and every eksplain block in it draws, checked here without mdbook by handing its
//! chapters to `mdbook-eksplain` as mdBook 0.5 does.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

use serde_json::{json, Value};

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_mdbook-eksplain");

fn book() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/book")
}

/// The chapter files SUMMARY.md links, in order.
fn chapters() -> Vec<String> {
    let summary = std::fs::read_to_string(book().join("src/SUMMARY.md")).unwrap();
    summary
        .split("](")
        .skip(1)
        .map(|rest| rest[..rest.find(')').unwrap()].to_string())
        .collect()
}

#[test]
fn the_scenario_files_are_the_gallerys() {
    let dir = book().join("src/scenarios");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let gallery = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("static/scenarios/gallery")
            .join(&name);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            std::fs::read_to_string(&gallery)
                .unwrap_or_else(|e| panic!("{name} is not a gallery scenario: {e}")),
            "docs/book/src/scenarios/{name} differs from static/scenarios/gallery/{name}: copy it again"
        );
        names.push(name);
    }
    assert_eq!(names.len(), 3, "{names:?}");
}

#[test]
fn every_block_of_every_chapter_draws() {
    let chapters = chapters();
    assert_eq!(chapters.len(), 4, "{chapters:?}");
    // A scratch copy of src/: the preprocessor writes its SVG files beside the chapters.
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sample-book");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("src/scenarios")).unwrap();
    for dir in ["src", "src/scenarios"] {
        for entry in std::fs::read_dir(book().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap();
            if path.is_file() && !name.starts_with("eksplain-") {
                std::fs::copy(&path, root.join(dir).join(name)).unwrap();
            }
        }
    }
    let items: Vec<Value> = chapters
        .iter()
        .map(|path| {
            let content = std::fs::read_to_string(root.join("src").join(path)).unwrap();
            json!({"Chapter": {"name": path, "content": content, "number": null, "sub_items": [],
                "path": path, "source_path": path, "parent_names": []}})
        })
        .collect();
    let input = json!([
        {"root": root, "config": {"book": {"title": "sample", "src": "src"},
            "preprocessor": {"eksplain": {"app-url": "../eksplain/"}}},
         "renderer": "html", "mdbook_version": "0.5.4"},
        {"items": items}
    ]);
    let out = common::run_with_stdin(BIN, &[], input.to_string().as_bytes());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let book: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut images = 0;
    for item in book["items"].as_array().unwrap() {
        let content = item["Chapter"]["content"].as_str().unwrap();
        assert!(
            !content
                .lines()
                .any(|l| l.trim_start().starts_with("```eksplain")),
            "a block left in {content}"
        );
        images += content.matches("<img src=\"eksplain-").count();
    }
    assert_eq!(images, 5, "one diagram per block");
    let etp = std::fs::read_to_string(root.join("src/external-traffic-policy.md")).unwrap();
    assert_eq!(etp.matches(" flow=internet->service/web-").count(), 2);
}
