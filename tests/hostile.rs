//! The `eksplain` binary against hostile scenarios: lists past their limits are refused in a
//! few lines, and no scenario string reaches the terminal as a control sequence or a bidi
//! override, whatever the subcommand, on standard output or standard error.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::eksplain;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::{json, Value};

/// Retitles the terminal (OSC 0), rings the bell, clears the screen (CSI 2J), then a C1 CSI
/// and a right-to-left override.
const HOSTILE: &str = "demo\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{9b}31m\u{202e}gpj.exe\u{2066}";

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("eksplain-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(name: &str, text: &str) -> String {
    let path = dir().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn read(path: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// No ESC or other C0 control but line breaks and tabs, no C1 control, no bidi control.
fn assert_clean(bytes: &[u8], what: &str) {
    assert!(!bytes.contains(&0x1b), "{what}: an ESC byte");
    let text = String::from_utf8_lossy(bytes);
    for (i, c) in text.char_indices() {
        let bad = (c < ' ' && c != '\n' && c != '\t')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || ('\u{202a}'..='\u{202e}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}');
        assert!(
            !bad,
            "{what}: U+{:04X} at byte {i} in:\n{}",
            c as u32,
            text.escape_debug()
        );
    }
}

fn assert_both_clean(o: &Output, what: &str) {
    assert_clean(&o.stdout, &format!("{what} (stdout)"));
    assert_clean(&o.stderr, &format!("{what} (stderr)"));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("panicked"), "{what}: {err}");
}

/// Every subcommand that reads a scenario, in each of its output forms.
fn every_command(file: &str) -> Vec<(String, Output)> {
    let runs: Vec<Vec<&str>> = vec![
        vec!["check", file],
        vec!["describe", file],
        vec!["describe", file, "--json"],
        vec!["trace", file],
        vec!["trace", file, "--json"],
        vec!["trace", file, "--flow", "internet->service/web-cluster"],
        vec!["link", file],
        vec!["render", file],
        vec!["explain", file, "control-plane"],
        vec!["explain", file, "control-plane", "--json"],
    ];
    runs.into_iter()
        .map(|args| (args.join(" "), eksplain(&args)))
        .collect()
}

/// A valid scenario whose free-text fields are hostile: its name, description and the
/// cluster's name (which becomes the cluster security group's name in traces).
fn valid_hostile() -> Value {
    let mut s = read("static/scenarios/gallery/etp-cluster-vs-local.json");
    s["name"] = json!(HOSTILE);
    s["description"] = json!(format!("{HOSTILE}\n\nsecond paragraph \u{85}\u{200f}"));
    s["cluster"]["name"] = json!(HOSTILE);
    s
}

#[test]
fn a_valid_hostile_scenario_prints_no_control_character() {
    let text = serde_json::to_string(&valid_hostile()).unwrap();
    // The file's own name is hostile too: `check` prints it.
    let file = write("valid\u{1b}[2J\u{202e}.json", &text);
    for (what, o) in every_command(&file) {
        assert_eq!(
            o.status.code(),
            Some(0),
            "{what}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_both_clean(&o, &what);
    }
    // The JSON still carries the name exactly: escaped, not mangled.
    let o = eksplain(&["describe", &file, "--json"]);
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["name"], HOSTILE);
    let link = eksplain(&["link", &file]);
    let link = String::from_utf8(link.stdout).unwrap();
    let o = eksplain(&["link", "--decode", link.trim()]);
    assert_both_clean(&o, "link --decode");
    let back: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(back["name"], HOSTILE);
    assert_eq!(back["cluster"]["name"], HOSTILE);
    // The SVG stays well-formed XML, and its title reads the characters back (C1 and bidi
    // as character references; ESC, which XML forbids, as visible text).
    let o = eksplain(&["render", &file]);
    let svg = String::from_utf8(o.stdout).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
    let title = doc
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap();
    assert!(
        title.contains("\\u{1b}]0;PWNED") && title.contains('\u{202e}'),
        "{title:?}"
    );
}

#[test]
fn hostile_names_in_an_invalid_scenario_print_no_control_character() {
    let mut s = valid_hostile();
    s["vpc"]["subnets"][0]["name"] = json!(HOSTILE);
    s["vpc"]["subnets"][1]["name"] = json!(s["vpc"]["subnets"][2]["name"]);
    s["vpc"]["subnets"][1]["az"] = json!("us-east-1\u{1b}[2J");
    s["managedNodeGroups"][0]["name"] = json!(HOSTILE);
    s["managedNodeGroups"][0]["subnets"][0] = json!(HOSTILE);
    s["managedNodeGroups"][0]["instanceType"] = json!(HOSTILE);
    s["managedNodeGroups"][0]["labels"] = json!({ HOSTILE: HOSTILE });
    s["workloads"][0]["name"] = json!(HOSTILE);
    s["workloads"][0]["namespace"] = json!(HOSTILE);
    s["workloads"][0]["labels"] = json!({ HOSTILE: "x", "ok": HOSTILE });
    s["services"][0]["name"] = json!(HOSTILE);
    s["services"][0]["selector"] = json!({ HOSTILE: "x" });
    s["cluster"]["vpcCni"]["version"] = json!("1.\u{9b}2J");
    s["cluster"]["vpcCni"]["customNetworking"] = json!({ HOSTILE: HOSTILE });
    s["cluster"]["controlPlaneSubnets"] = json!([HOSTILE]);
    s["nodeStates"] = json!({ HOSTILE: "Failed" });
    s["flows"][0]["to"] = json!(format!("service/{HOSTILE}"));
    let file = write("invalid.json", &serde_json::to_string(&s).unwrap());
    for (what, o) in every_command(&file) {
        if what.starts_with("link") {
            // `link` needs the scenario to parse, not to be valid.
            assert_eq!(o.status.code(), Some(0), "{what}");
        } else {
            assert_eq!(o.status.code(), Some(1), "{what}");
            assert!(
                String::from_utf8_lossy(&o.stderr).contains("problems found"),
                "{what}"
            );
        }
        assert_both_clean(&o, &what);
    }
    // A hostile flow given on the command line.
    let good = write(
        "valid.json",
        &serde_json::to_string(&valid_hostile()).unwrap(),
    );
    let o = eksplain(&[
        "trace",
        &good,
        "--flow",
        &format!("internet->service/{HOSTILE}"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_both_clean(&o, "trace --flow <hostile>");
    let o = eksplain(&["explain", &good, &format!("node:{HOSTILE}")]);
    assert_eq!(o.status.code(), Some(2));
    assert_both_clean(&o, "explain <hostile id>");
    let o = eksplain(&[
        "max-pods",
        "--instance-type",
        HOSTILE,
        "--cni-version",
        "1.18.0",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_both_clean(&o, "max-pods --instance-type <hostile>");
    let o = eksplain(&["check", &format!("--{HOSTILE}")]);
    assert_eq!(o.status.code(), Some(2));
    assert_both_clean(&o, "an unknown hostile flag");
    let o = eksplain(&["check", &format!("no-such-{HOSTILE}.json")]);
    assert_eq!(o.status.code(), Some(2));
    assert_both_clean(&o, "a missing hostile file name");
}

#[test]
fn hostile_unknown_fields_print_no_control_character() {
    let mut s = valid_hostile();
    s["vpc"]["subnets"][0][HOSTILE] = json!(1);
    let file = write("unknown.json", &serde_json::to_string(&s).unwrap());
    let yaml = write(
        "unknown.yaml",
        &format!(
            "version: 1\nvpc: {{cidr: 10.0.0.0/16}}\n\"{}\": 1\n",
            yaml_escape(HOSTILE)
        ),
    );
    for f in [&file, &yaml] {
        for (what, o) in every_command(f) {
            assert_eq!(o.status.code(), Some(1), "{what}");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains("unknown field"), "{what}: {err}");
            assert_both_clean(&o, &what);
        }
    }
}

/// A YAML double-quoted string's escapes (`\u001b`): YAML allows no raw control character.
fn yaml_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c.to_string()
            } else {
                format!("\\u{:04x}", c as u32)
            }
        })
        .collect()
}

/// `count` secondary CIDRs and `stray` subnets outside the VPC, on top of the default
/// scenario.
fn many(count: usize, stray: usize) -> String {
    let mut s = read("static/scenarios/default.json");
    s["vpc"]["secondaryCidrs"] = json!((0..count)
        .map(|i| format!("100.{}.{}.0/24", 64 + i / 256 % 64, i % 256))
        .collect::<Vec<_>>());
    let subnets = s["vpc"]["subnets"].as_array_mut().unwrap();
    for i in 0..stray {
        subnets.push(json!({"name": format!("stray-{i}"), "az": "us-east-1a",
                            "cidr": format!("172.{}.{}.0/24", 16 + i / 256 % 16, i % 256)}));
    }
    serde_json::to_string(&s).unwrap()
}

fn output_bytes(o: &Output) -> usize {
    o.stdout.len() + o.stderr.len()
}

#[test]
fn thousands_of_cidrs_and_stray_subnets_are_refused_in_a_few_lines() {
    for (name, count, stray) in [("n2000.json", 2_000, 2_000), ("c20000.json", 20_000, 0)] {
        let file = write(name, &many(count, stray));
        for command in ["check", "describe", "trace", "render"] {
            let o = eksplain(&[command, &file]);
            assert_eq!(o.status.code(), Some(1), "{command} {name}");
            assert!(
                output_bytes(&o) < 10_000,
                "{command} {name}: {} bytes",
                output_bytes(&o)
            );
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(
                err.contains(&format!(
                    "vpc.secondaryCidrs: {} secondary CIDR blocks; a VPC holds at most 49 (AWS quota \"IPv4 CIDR blocks per VPC\"",
                    eksplain::scenario::limits::thousands(count as u64)
                )),
                "{command} {name}: {err}"
            );
        }
    }
}

#[test]
fn thousands_of_problems_within_the_limits_are_listed_a_hundred_at_a_time() {
    let file = write("strays.json", &many(40, 1_900));
    let o = eksplain(&["check", &file]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(output_bytes(&o) < 12_000, "{} bytes", output_bytes(&o));
    assert_eq!(err.lines().count(), 102, "{err}");
    assert!(err.contains(
        "vpc.subnets[6].cidr: 172.16.0.0/24 is outside the VPC's CIDRs (10.0.0.0/16 and 40 secondary CIDRs)"
    ));
    assert!(err.contains("and 1,800 more problems of the same kind at vpc.subnets[*].cidr"));
    assert!(err.ends_with("1,900 problems found\n"), "{err}");
}

/// Only the output boundary writes: a new `println!` elsewhere would bypass the escaping.
#[test]
fn the_cli_prints_only_through_its_output_boundary() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/bin/eksplain");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap() == "out.rs" {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for forbidden in [
            "print!",
            "println!",
            "eprint",
            "io::stdout",
            "io::stderr",
            "write_all",
            "dbg!",
        ] {
            assert!(
                !text.contains(forbidden),
                "{} uses {forbidden}: print through out.rs",
                path.display()
            );
        }
    }
}
