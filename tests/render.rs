//! `eksplain render`: the diagram as a standalone SVG drawn by the page's own drawing code
//! (its element tree written as text). The file parses as XML, carries the page's `data-kind`s, its `<metadata>`
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
    assert!(style.contains(".k-subnet"), "the stylesheet is inlined");
    // The diagram's stylesheet (www/diagram.css), none of the editor's (www/style.css).
    for editor in [".inspector", ".subnet-item", ".import-dialog"] {
        assert!(!style.contains(editor), "{editor}: a rule of the editor");
    }
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

/// `-o DIR/` names the file after the scenario, `NAME.eksplain.svg`, as the page's SVG
/// download does, and prints where it went; `-o` with a file name is kept as given.
#[test]
fn a_directory_output_gets_the_scenarios_eksplain_svg_name() {
    let dir = out_dir().join("named");
    let _ = std::fs::remove_dir_all(&dir);
    let expected = dir.join("three-azs-one-node-group.eksplain.svg");
    // A directory that does not exist yet, named with a trailing slash, is made.
    let slash = format!("{}/", dir.display());
    let out = common::eksplain(&["render", "static/scenarios/default.json", "-o", &slash]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        expected.display().to_string()
    );
    let text = std::fs::read_to_string(&expected).unwrap();
    assert_eq!(
        eksplain::ui::scenario_from_svg(&text).unwrap(),
        default_scenario_file()
    );

    // An existing directory, without the slash, and the scenario's own name.
    let gallery = "static/scenarios/gallery/etp-cluster-vs-local.json";
    let out = common::eksplain(&["render", gallery, "-o", dir.to_str().unwrap()]);
    assert!(out.status.success());
    let scenario = from_json(&std::fs::read_to_string(gallery).unwrap()).unwrap();
    let named = dir.join(eksplain::ui::file_name::svg_file_name(&scenario));
    assert!(named.to_str().unwrap().ends_with(".eksplain.svg"));
    assert!(named.is_file(), "no {}", named.display());

    // A file name is kept as given, and nothing is printed.
    let given = dir.join("as-given.svg");
    let out = common::eksplain(&[
        "render",
        "static/scenarios/default.json",
        "-o",
        given.to_str().unwrap(),
    ]);
    assert!(out.status.success() && out.stdout.is_empty());
    assert!(given.is_file());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 3);
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

// ---------------------------------------------------------------------------------------------
// The embed page's options (issue 12): `--view`, `--flow`, `--theme`, and PNG output.

mod common;

const ETP: &str = "static/scenarios/gallery/etp-cluster-vs-local.json";

/// `eksplain render ARGS…` into `target/render/NAME`; the output's path.
fn render_with(name: &str, args: &[&str]) -> PathBuf {
    let out = out_dir().join(name);
    let out_str = out.to_str().unwrap();
    let mut all = vec!["render"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", out_str]);
    let result = common::eksplain(&all);
    assert!(
        result.status.success(),
        "eksplain {all:?} failed: {}",
        String::from_utf8_lossy(&result.stderr)
    );
    out
}

/// The (`data-kind`, `data-id`) pairs of an SVG document.
fn kinds(svg: &str) -> BTreeSet<(String, String)> {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    doc.descendants()
        .filter_map(|n| {
            let kind = n.attribute("data-kind")?;
            Some((
                kind.to_string(),
                n.attribute("data-id").unwrap_or_default().to_string(),
            ))
        })
        .collect()
}

fn has_kind(pairs: &BTreeSet<(String, String)>, kind: &str) -> bool {
    pairs.iter().any(|(k, _)| k == kind)
}

/// The scenario's first flow, `from->to`.
fn first_flow(path: &str) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let s = from_json(&text).unwrap();
    format!("{}->{}", s.flows[0].from, s.flows[0].to)
}

#[test]
fn the_first_flow_is_traced_over_the_network_view() {
    let flow = first_flow(ETP);
    let out = render_with("etp-flow.svg", &[ETP, "--flow", &flow]);
    let svg = std::fs::read_to_string(&out).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let path = doc
        .descendants()
        .find(|n| n.attribute("data-kind") == Some("flow-path"))
        .expect("a traced path");
    assert_eq!(path.attribute("data-flow"), Some(flow.as_str()));
    let stops: Vec<&str> = path
        .descendants()
        .filter(|n| n.attribute("data-kind") == Some("flow-stop"))
        .filter_map(|n| n.attribute("data-at"))
        .collect();
    assert!(stops.len() >= 3, "too few stops: {stops:?}");
    assert_eq!(stops[0], "internet");
    assert!(stops.iter().any(|s| s.starts_with("pod:")), "{stops:?}");
    // What the page draws with it: the load balancers and the Services.
    let pairs = kinds(&svg);
    for kind in ["lb", "service", "subnet", "node"] {
        assert!(has_kind(&pairs, kind), "no data-kind={kind}");
    }
    assert_eq!(doc.root_element().attribute("data-view"), Some("network"));
    // Without --flow there is no path.
    let plain = render_with("etp-plain.svg", &[ETP]);
    let plain = std::fs::read_to_string(plain).unwrap();
    assert!(!plain.contains("data-kind=\"flow-path\""));
}

#[test]
fn the_architecture_view_draws_its_parts() {
    let out = render_with("etp-architecture.svg", &[ETP, "--view", "architecture"]);
    let svg = std::fs::read_to_string(&out).unwrap();
    let pairs = kinds(&svg);
    assert!(svg.contains("data-view=\"architecture\""));
    for id in ["arch:kube-apiserver", "arch:etcd", "arch:node:ng-1-1"] {
        assert!(
            pairs.contains(&("arch-part".to_string(), id.to_string())),
            "no arch-part {id}"
        );
    }
    assert!(has_kind(&pairs, "arch-edge"));
    assert!(!has_kind(&pairs, "subnet"), "the network view is not drawn");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(
        doc.root_element().attribute("data-view"),
        Some("architecture")
    );
    // It still carries the scenario, so Open… reads it back.
    let expected = from_json(&std::fs::read_to_string(ETP).unwrap()).unwrap();
    assert_eq!(eksplain::ui::scenario_from_svg(&svg).unwrap(), expected);
}

/// The fill of `.eksplain-export .export-background` in the SVG's inlined stylesheet.
fn background_fill(svg: &str) -> String {
    let at = svg
        .find(".eksplain-export .export-background")
        .expect("the background rule");
    let rule = &svg[at..];
    let body = &rule[rule.find('{').unwrap() + 1..rule.find('}').unwrap()];
    body.trim()
        .strip_prefix("fill:")
        .unwrap_or(body)
        .trim_end_matches(';')
        .trim()
        .to_string()
}

#[test]
fn the_dark_theme_changes_the_colours() {
    let light = std::fs::read_to_string(render_with("etp-light.svg", &[ETP])).unwrap();
    let dark =
        std::fs::read_to_string(render_with("etp-dark.svg", &[ETP, "--theme", "dark"])).unwrap();
    assert_eq!(background_fill(&light), "#ffffff");
    assert_eq!(background_fill(&dark), "#161d25");
    assert!(dark.contains("data-theme=\"dark\""));
    assert!(!dark.contains("var(--"));
}

/// Width and height of a PNG, from its IHDR chunk (after checking the signature).
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(
        &bytes[..8],
        b"\x89PNG\r\n\x1a\n",
        "not a PNG: bad signature"
    );
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

/// The SVG's `width` and `height`.
fn svg_size(svg: &str) -> (f64, f64) {
    let doc = roxmltree::Document::parse(svg).unwrap();
    let root = doc.root_element();
    let number = |name: &str| root.attribute(name).unwrap().parse::<f64>().unwrap();
    (number("width"), number("height"))
}

#[test]
fn png_output_is_the_svg_drawn_at_twice_its_size_with_its_text() {
    let flow = first_flow(ETP);
    let svg_path = render_with("etp-flow-for-png.svg", &[ETP, "--flow", &flow]);
    let png_path = render_with("etp-flow.png", &[ETP, "--flow", &flow]);
    let svg = std::fs::read_to_string(svg_path).unwrap();
    let png = std::fs::read(png_path).unwrap();
    let (w, h) = svg_size(&svg);
    assert_eq!(
        png_size(&png),
        ((w * 2.0).ceil() as u32, (h * 2.0).ceil() as u32)
    );

    // Ink where the "Internet" label is, and the plain background in the top-left corner.
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).expect("a PNG that decodes");
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let label = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && n.text() == Some("Internet"))
        .expect("the internet's label");
    let coordinate = |name: &str| label.attribute(name).unwrap().parse::<f64>().unwrap();
    let (x, y) = (coordinate("x"), coordinate("y"));
    let background = pixmap.pixel(1, 1).unwrap();
    assert_eq!(
        (background.red(), background.green(), background.blue()),
        (255, 255, 255),
        "the light theme's background"
    );
    let mut inked = 0;
    for py in ((y - 10.0) * 2.0) as u32..((y + 2.0) * 2.0) as u32 {
        for px in ((x - 30.0) * 2.0).max(0.0) as u32..((x + 30.0) * 2.0) as u32 {
            let p = pixmap.pixel(px, py).unwrap();
            if p.red() < 160 && p.green() < 160 && p.blue() < 160 {
                inked += 1;
            }
        }
    }
    assert!(inked > 40, "the label is not drawn: {inked} dark pixels");
}

#[test]
fn the_architecture_view_renders_to_png_too() {
    let png = std::fs::read(render_with(
        "etp-architecture-dark.png",
        &[ETP, "--view", "architecture", "--theme", "dark"],
    ))
    .unwrap();
    let (w, h) = png_size(&png);
    assert!(w > 1000 && h > 500, "{w}×{h}");
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    let corner = pixmap.pixel(1, 1).unwrap();
    assert_eq!(
        (corner.red(), corner.green(), corner.blue()),
        (0x16, 0x1d, 0x25),
        "the dark theme's background"
    );
}

#[test]
fn unknown_choices_exit_2_naming_the_valid_ones() {
    let cases: [(&[&str], &[&str]); 4] = [
        (&["--view", "3d"], &["network", "architecture"]),
        (&["--theme", "pink"], &["light", "dark"]),
        (
            &["--flow", "internet->service/nope"],
            &[
                "internet->service/nope",
                "internet->service/web-cluster",
                "internet->service/web-local",
            ],
        ),
        (
            &["--flow", "nonsense"],
            &["FROM->TO", "internet->service/web-cluster"],
        ),
    ];
    for (options, named) in cases {
        let out = out_dir().join("refused.svg");
        let _ = std::fs::remove_file(&out);
        let mut args = vec!["render", ETP, "-o", out.to_str().unwrap()];
        args.extend_from_slice(options);
        let result = common::eksplain(&args);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert_eq!(result.status.code(), Some(2), "{options:?}: {stderr}");
        for name in named {
            assert!(
                stderr.contains(name),
                "{options:?} does not name {name}: {stderr}"
            );
        }
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!out.exists(), "{options:?} wrote a file");
    }
}

#[test]
fn an_invalid_scenario_with_options_exits_1() {
    let input = out_dir().join("invalid.json");
    let mut doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(ETP).unwrap()).unwrap();
    doc["vpc"]["cidr"] = "10.0.0.0/99".into();
    std::fs::write(&input, doc.to_string()).unwrap();
    let out = out_dir().join("invalid.png");
    let result = common::eksplain(&[
        "render",
        input.to_str().unwrap(),
        "--flow",
        "internet->service/web-cluster",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(result.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&result.stderr).contains("vpc.cidr"));
}

/// docs/embedding.md's CI loop, run as written there: every `docs/**/NAME.eksplain.json` of a
/// tree gets its `NAME.eksplain.svg` beside it, and the drawing opens again as its scenario.
#[test]
fn the_docs_ci_loop_redraws_every_eksplain_json() {
    let docs = std::fs::read_to_string("docs/embedding.md").unwrap();
    let marker = "<!-- tests/render.rs runs this loop as written here. -->\n```sh\n";
    let start = docs
        .find(marker)
        .expect("docs/embedding.md has the CI loop")
        + marker.len();
    let script = &docs[start..start + docs[start..].find("```").unwrap()];

    let root = out_dir().join("ci-loop");
    let _ = std::fs::remove_dir_all(&root);
    let nested = root.join("docs/network/deep");
    std::fs::create_dir_all(&nested).unwrap();
    let sources = [
        (
            "static/scenarios/default.json",
            root.join("docs/cluster.eksplain.json"),
        ),
        (
            "static/scenarios/gallery/prefix-delegation.json",
            nested.join("prefixes.eksplain.json"),
        ),
    ];
    for (from, to) in &sources {
        std::fs::copy(from, to).unwrap();
    }
    // The eksplain just built first on PATH.
    let bin = Path::new(env!("CARGO_BIN_EXE_eksplain")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let status = Command::new("bash")
        .args(["-e", "-c", script])
        .current_dir(&root)
        .env("PATH", path)
        .status()
        .expect("bash runs");
    assert!(status.success(), "the docs' loop failed: {status}");
    for (from, to) in &sources {
        let svg = to.with_extension("svg");
        assert!(svg.to_str().unwrap().ends_with(".eksplain.svg"));
        let text = std::fs::read_to_string(&svg).unwrap();
        let scenario = from_json(&std::fs::read_to_string(from).unwrap()).unwrap();
        assert_eq!(eksplain::ui::scenario_from_svg(&text).unwrap(), scenario);
    }
}
