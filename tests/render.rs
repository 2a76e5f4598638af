//! `eksplain render`: the diagram as a standalone SVG drawn by the page's own components
//! (Yew SSR). The file parses as XML, carries the page's `data-kind`s, its `<metadata>`
//! decodes back to the scenario, and librsvg draws it.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use eksplain::scenario::{from_json, Scenario};

/// The kinds the page's diagram shows for the default scenario (tests/e2e/share.test.mjs
/// checks the page has them too).
const DEFAULT_KINDS: &[&str] = &[
    "cloud",
    "region",
    "internet",
    "vpc",
    "az",
    "subnet",
    "igw",
    "natgw",
    "node",
    "eni",
    "ip",
    "pod",
    "host-network",
    "control-plane",
    "cp-component",
    "eks-eni",
    "eks-link",
    "workloads",
    "workload",
];

fn render(input: &str, output: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_eksplain"))
        .args(["render", input, "-o"])
        .arg(output)
        .status()
        .expect("eksplain runs");
    assert!(status.success(), "eksplain render {input} failed: {status}");
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/render");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn default_scenario_file() -> Scenario {
    let text = std::fs::read_to_string("static/scenarios/default.json").unwrap();
    from_json(&text).unwrap()
}

#[test]
fn the_default_scenario_renders_to_valid_standalone_svg() {
    let out = out_dir().join("default.svg");
    render("static/scenarios/default.json", &out);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    let doc = roxmltree::Document::parse(&text).expect("the SVG is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert!(root.attribute("viewBox").is_some());

    let child = |name: &str| {
        root.children()
            .find(|n| n.tag_name().name() == name)
            .unwrap_or_else(|| panic!("no <{name}>"))
    };
    assert_eq!(child("title").text(), Some("Three AZs, one node group"));
    assert!(child("desc").text().is_some_and(|t| !t.is_empty()));
    let style = child("style").text().unwrap_or_default();
    assert!(style.contains(".subnet"), "the stylesheet is inlined");
    assert!(
        !style.contains("var(--"),
        "no CSS variables left for viewers without them"
    );

    // The scenario travels inside.
    let json = child("metadata").text().expect("metadata text");
    assert_eq!(from_json(json).unwrap(), default_scenario_file());
    assert_eq!(
        eksplain::ui::scenario_from_svg(&text).unwrap(),
        default_scenario_file()
    );

    let kinds: BTreeSet<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("data-kind"))
        .collect();
    for kind in DEFAULT_KINDS {
        assert!(kinds.contains(kind), "no data-kind={kind:?} in {kinds:?}");
    }
}

#[test]
fn every_gallery_scenario_renders() {
    for entry in std::fs::read_dir("static/scenarios/gallery").unwrap() {
        let path = entry.unwrap().path();
        let out = out_dir().join(path.with_extension("svg").file_name().unwrap());
        render(path.to_str().unwrap(), &out);
        let text = std::fs::read_to_string(&out).unwrap();
        roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{} is not XML: {e}", out.display()));
    }
}

#[test]
fn an_invalid_scenario_exits_1_with_its_problems() {
    let out = Command::new(env!("CARGO_BIN_EXE_eksplain"))
        .args(["render", "-"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&out.stderr).is_empty());
}

#[test]
fn librsvg_draws_it() {
    let svg = out_dir().join("default-rsvg.svg");
    render("static/scenarios/default.json", &svg);
    let png = out_dir().join("default.png");
    let result = Command::new("rsvg-convert")
        .arg(&svg)
        .arg("-o")
        .arg(&png)
        .status();
    let status = match result {
        Ok(s) => s,
        Err(e) => {
            panic!("rsvg-convert is missing ({e}): install librsvg2-bin (`cargo xtask test` does)")
        }
    };
    assert!(status.success(), "rsvg-convert failed: {status}");
    let size = std::fs::metadata(&png).unwrap().len();
    assert!(
        size > 50_000,
        "the PNG is only {size} bytes: nothing drawn?"
    );
}

/// Control characters, ESC sequences, NUL, the two non-characters XML forbids, a C1 CSI and a
/// bidi override: what a hostile scenario puts in its names (issue 11).
const HOSTILE: &str =
    "\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{0}\u{b}\u{c}\u{FFFE}\u{FFFF}\u{9b}\u{202e}<&>\"'";

/// Every string value equal to `from` in `value`, replaced by `to` (names and the references
/// to them change together).
fn rename(value: &mut serde_json::Value, from: &str, to: &str) {
    match value {
        serde_json::Value::String(s) if s == from => *s = to.to_string(),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| rename(v, from, to)),
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| rename(v, from, to)),
        _ => {}
    }
}

/// The values of every `name`, `namespace` and `description` field, in document order.
fn names(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::Array(items) => items.iter().for_each(|v| names(v, out)),
        serde_json::Value::Object(map) => {
            for (key, v) in map {
                match v {
                    serde_json::Value::String(s)
                        if matches!(key.as_str(), "name" | "namespace" | "description") =>
                    {
                        out.push(s.clone())
                    }
                    _ => names(v, out),
                }
            }
        }
        _ => {}
    }
}

#[test]
fn hostile_names_still_render_to_valid_xml_that_opens_again() {
    let text =
        std::fs::read_to_string("static/scenarios/gallery/etp-cluster-vs-local.json").unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut all = Vec::new();
    names(&doc, &mut all);
    // Each name made hostile, kept when the model still builds (some names are checked).
    let mut taken = Vec::new();
    for name in all {
        let hostile = format!("{name}{HOSTILE}");
        let mut trial = doc.clone();
        rename(&mut trial, &name, &hostile);
        let builds = from_json(&trial.to_string())
            .ok()
            .is_some_and(|s| eksplain::model::build(&s).is_ok());
        if builds {
            doc = trial;
            taken.push(name);
        }
    }
    // Kubernetes and AWS names are checked by the model; the scenario's name and description
    // are free text.
    assert!(
        taken
            .iter()
            .any(|n| n == "externalTrafficPolicy: Cluster vs Local"),
        "the scenario's name not made hostile: {taken:?}"
    );
    assert!(
        taken
            .iter()
            .any(|n| n.starts_with("Two LoadBalancer services")),
        "the description not made hostile: {taken:?}"
    );
    let scenario = from_json(&doc.to_string()).unwrap();
    let input = out_dir().join("hostile.json");
    std::fs::write(&input, doc.to_string()).unwrap();
    let out = out_dir().join("hostile.svg");
    render(input.to_str().unwrap(), &out);
    let svg = std::fs::read_to_string(&out).unwrap();
    let parsed = roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
    let root = parsed.root_element();
    let title = root
        .children()
        .find(|n| n.tag_name().name() == "title")
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(
        title,
        "externalTrafficPolicy: Cluster vs Local\\u{1b}]0;PWNED\\u{7}\\u{1b}[2J\\u{0}\\u{b}\\u{c}\\u{fffe}\\u{ffff}\u{9b}\u{202e}<&>\"'",
        "what XML forbids is shown as an escape; C1 and bidi come back as character references"
    );
    // The hostile names are drawn (escaped), and the scenario comes back exactly.
    let drawn: String = parsed
        .descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n");
    if taken.iter().any(|n| n == "demo") {
        assert!(
            drawn.contains("demo\\u{1b}]0;PWNED"),
            "the cluster's name is not drawn"
        );
    }
    assert_eq!(eksplain::ui::scenario_from_svg(&svg).unwrap(), scenario);
    let metadata = root
        .children()
        .find(|n| n.tag_name().name() == "metadata")
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(from_json(metadata).unwrap(), scenario);
}
