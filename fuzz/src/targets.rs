//! The fuzz targets: one plain function `fn(&[u8]) -> Outcome` per untrusted input, so any
//! engine can drive them (the seeded engine in [`crate::engine`], AFL++ in `fuzz/afl/`, the
//! regression tests in `tests/`).
//!
//! A target fails by panicking: on a panic inside eksplain, or on a broken invariant asserted
//! here (a round trip that changes the scenario, a layout shape outside its parent, a
//! message longer than the input could justify). Every input that reads as a scenario goes
//! on through [`check_scenario`]: `model::build`, the layout, the summary view, `describe`,
//! the traffic check and a trace of every flow. A slow input is the engine's to notice.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use crate::mutate::Shape;
use eksplain::layout::{self, aggregate::Aggregates, tests_support};
use eksplain::model::{self, traffic};
use eksplain::scenario::{self, LinkError, Problem, Scenario};

/// What one run of a target did, for the engine's bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// A hash of the kind of result (which error at which field, or how far a valid scenario
    /// got): an input with a new signature joins the corpus.
    pub signature: u64,
    /// The input read as a scenario (it may still have failed to build).
    pub accepted: bool,
    /// The scenario built into a cluster, so layout and traces ran on it.
    pub built: bool,
}

/// A fuzz target.
#[derive(Clone, Copy)]
pub struct Target {
    pub name: &'static str,
    pub about: &'static str,
    /// File extension of its inputs (regressions and seeds).
    pub ext: &'static str,
    /// How the seeded engine mutates its inputs.
    pub shape: Shape,
    pub run: fn(&[u8]) -> Outcome,
}

/// Every target, in the order `cargo xtask fuzz` runs them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "link",
        about: "share links: scenario::decode_link (fragment, base64, zlib, JSON)",
        ext: "txt",
        shape: Shape::Link,
        run: link,
    },
    Target {
        name: "json",
        about: "scenario files: scenario::from_json",
        ext: "json",
        shape: Shape::Text,
        run: json,
    },
    Target {
        name: "yaml",
        about: "scenario files: scenario::from_yaml (serde-saphyr)",
        ext: "yaml",
        shape: Shape::Text,
        run: yaml,
    },
    Target {
        name: "import",
        about: "eksctl, Kubernetes and AWS CLI documents: import::import (serde-saphyr)",
        ext: "yaml",
        shape: Shape::Text,
        run: import,
    },
    Target {
        name: "model",
        about: "generated valid-but-large scenarios through build, layout and trace",
        ext: "bin",
        shape: Shape::Bytes,
        run: model,
    },
    Target {
        name: "svg",
        about: "exported SVGs read back: ui::scenario_from_svg",
        ext: "svg",
        shape: Shape::Text,
        run: svg,
    },
];

/// The target called `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

fn hash(parts: impl Hash) -> u64 {
    let mut h = DefaultHasher::new();
    parts.hash(&mut h);
    h.finish()
}

/// The shape of a list of problems: each path with its indices dropped, and the message's
/// first words.
fn problems_signature(problems: &[Problem]) -> u64 {
    let shape: Vec<(String, String)> = problems
        .iter()
        .take(4)
        .map(|p| {
            let text = p.to_string();
            let path: String = text
                .split(':')
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_ascii_digit())
                .collect();
            let words: String = text.split_whitespace().skip(1).take(3).collect();
            (path, words)
        })
        .collect();
    hash(shape)
}

/// Problems are for people: their text may grow with the input, not faster.
fn assert_bounded(problems: &[Problem], input_len: usize) {
    let total: usize = problems.iter().map(|p| p.to_string().len()).sum();
    assert!(
        total <= 1024 * 1024 + 64 * input_len,
        "{} problems take {total} bytes for a {input_len}-byte document",
        problems.len()
    );
}

/// The share-link decoder, on the bytes as (lossy) UTF-8 text.
pub fn link(data: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(data);
    let _ = scenario::fragment_params(&text);
    match scenario::decode_link(&text) {
        Ok(s) => {
            let again = scenario::encode_link(&s);
            if again.len() <= scenario::MAX_LINK_PAYLOAD_CHARS {
                assert_eq!(
                    scenario::decode_link(&again).as_ref(),
                    Ok(&s),
                    "a decoded link does not survive encode + decode"
                );
            }
            {
                let (signature, built) = check_scenario(&s, data.len());
                Outcome {
                    signature: hash(("ok", signature)),
                    accepted: true,
                    built,
                }
            }
        }
        Err(e) => {
            let message = e.to_string();
            assert!(
                message.len() <= 1024 * 1024 + 64 * data.len(),
                "a {}-byte message for a {}-byte link",
                message.len(),
                data.len()
            );
            let signature = match &e {
                LinkError::Invalid(problems) => hash(("invalid", problems_signature(problems))),
                LinkError::Damaged(why) => hash((
                    "damaged",
                    why.split_whitespace().take(4).collect::<String>(),
                )),
                other => hash(std::mem::discriminant(other)),
            };
            Outcome {
                signature,
                accepted: false,
                built: false,
            }
        }
    }
}

/// A read scenario (or the problems found) through the rest of the pipeline.
fn read(result: Result<Scenario, Vec<Problem>>, data: &[u8], tag: &str) -> Outcome {
    match result {
        Ok(s) => {
            let json = scenario::to_json(&s);
            assert_eq!(
                scenario::from_json(&json).as_ref(),
                Ok(&s),
                "a scenario read from {tag} does not survive to_json + from_json"
            );
            {
                let (signature, built) = check_scenario(&s, data.len());
                Outcome {
                    signature: hash(("ok", signature)),
                    accepted: true,
                    built,
                }
            }
        }
        Err(problems) => {
            assert!(!problems.is_empty(), "{tag}: an error without a problem");
            assert_bounded(&problems, data.len());
            Outcome {
                signature: problems_signature(&problems),
                accepted: false,
                built: false,
            }
        }
    }
}

/// The JSON scenario reader.
pub fn json(data: &[u8]) -> Outcome {
    read(
        scenario::from_json(&String::from_utf8_lossy(data)),
        data,
        "JSON",
    )
}

/// The YAML scenario reader (the CLI's `.yaml` / `.yml` files).
pub fn yaml(data: &[u8]) -> Outcome {
    read(
        scenario::from_yaml(&String::from_utf8_lossy(data)),
        data,
        "YAML",
    )
}

/// The importer, on the bytes as one input; what it imports goes through the pipeline.
pub fn import(data: &[u8]) -> Outcome {
    let input = eksplain::import::Input {
        name: "fuzz.yaml".into(),
        text: String::from_utf8_lossy(data).into_owned(),
    };
    let result = eksplain::import::import(&[input], &eksplain::import::Options::default());
    match &result {
        Ok(imported) => assert_bounded_notes(&imported.notes, data.len()),
        Err(refused) => assert_bounded_notes(&refused.notes, data.len()),
    }
    read(
        result.map(|i| i.scenario).map_err(|r| r.problems),
        data,
        "import",
    )
}

/// Notes are for people too: they may grow with the input, not faster.
fn assert_bounded_notes(notes: &[eksplain::import::Note], input_len: usize) {
    let total: usize = notes.iter().map(|n| n.path.len() + n.message.len()).sum();
    assert!(
        total <= 1024 * 1024 + 64 * input_len,
        "{} notes take {total} bytes for a {input_len}-byte input",
        notes.len()
    );
}

/// The scenario in an exported SVG's metadata.
pub fn svg(data: &[u8]) -> Outcome {
    match eksplain::ui::scenario_from_svg(&String::from_utf8_lossy(data)) {
        Ok(s) => {
            let (signature, built) = check_scenario(&s, data.len());
            Outcome {
                signature: hash(("ok", signature)),
                accepted: true,
                built,
            }
        }
        Err(message) => {
            assert!(message.len() <= 1024 * 1024 + 64 * data.len());
            Outcome {
                signature: hash(message.split_whitespace().take(6).collect::<String>()),
                accepted: false,
                built: false,
            }
        }
    }
}

/// A scenario made by [`crate::generate::scenario`] from the bytes, read and checked.
pub fn model(data: &[u8]) -> Outcome {
    let document = crate::generate::scenario(data);
    let size = serde_json::to_string(&document).map_or(0, |t| t.len());
    match scenario::from_value(document) {
        Ok(s) => {
            let (signature, built) = check_scenario(&s, size);
            Outcome {
                signature: hash(("ok", signature)),
                accepted: true,
                built,
            }
        }
        Err(problems) => {
            assert_bounded(&problems, size);
            Outcome {
                signature: problems_signature(&problems),
                accepted: false,
                built: false,
            }
        }
    }
}

/// Builds the cluster and runs everything downstream of it, asserting the layout's
/// invariants; returns a signature of how far it got and whether it built. `size` is the
/// document's length, for the bound on problem text.
pub fn check_scenario(s: &Scenario, size: usize) -> (u64, bool) {
    let cluster = match model::build(s) {
        Ok(c) => c,
        Err(problems) => {
            assert!(!problems.is_empty(), "build failed without a problem");
            assert_bounded(&problems, size);
            return (hash(("build", problems_signature(&problems))), false);
        }
    };
    let scene = layout::layout(&cluster);
    tests_support::assert_scene_invariants(&scene);
    tests_support::assert_scene_invariants(&layout::architecture_scene(&cluster));
    let aggregates = Aggregates::new(&cluster);
    let summary = layout::summary_scene(
        &cluster,
        &aggregates,
        &scene,
        layout::reference_scale(scene.size),
    );
    let _ = serde_json::to_string(&model::describe::describe(&cluster));
    let problems = traffic::check(&cluster, s);
    if !problems.is_empty() {
        assert_bounded(&problems, size);
        return (hash(("traffic", problems_signature(&problems))), true);
    }
    let tracer = traffic::Tracer::new(&cluster, &s.security_groups);
    let mut flows: Vec<traffic::Flow> = s
        .flows
        .iter()
        .filter_map(|f| traffic::Flow::from_document(f).ok())
        .collect();
    let mut extra = vec!["kubectl->apiserver".to_string()];
    if let Some(node) = cluster.nodes.first() {
        extra.push(format!("node/{}->apiserver", node.name));
    }
    if let Some(service) = s.services.first() {
        extra.push(format!("internet->service/{}", service.name));
    }
    if let Some(w) = s.workloads.first() {
        extra.push(format!("pod/{}->internet", w.name));
        extra.push(format!("apiserver->pod/{}", w.name));
    }
    flows.extend(extra.iter().filter_map(|f| f.parse().ok()));
    let mut verdicts = Vec::new();
    for flow in &flows {
        if let Ok(trace) = tracer.trace(flow) {
            let _ = trace.to_text();
            let _ = trace.to_json();
            verdicts.push(trace.verdict.is_delivered());
        }
    }
    let signature = hash((
        "traced",
        scene.shapes.len().min(8),
        summary.shapes.len().min(8),
        cluster.findings.len().min(8),
        verdicts,
    ));
    (signature, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_names_are_unique() {
        for (i, t) in TARGETS.iter().enumerate() {
            assert!(TARGETS[..i].iter().all(|u| u.name != t.name), "{}", t.name);
            assert_eq!(target(t.name).map(|u| u.name), Some(t.name));
        }
    }

    #[test]
    fn the_default_scenario_is_accepted_by_every_reader() {
        let s = scenario::default_scenario();
        assert!(link(scenario::encode_link(&s).as_bytes()).accepted);
        assert!(json(scenario::to_json(&s).as_bytes()).accepted);
        assert!(yaml(scenario::to_json(&s).as_bytes()).accepted);
        let svg_text = format!(
            "<svg><metadata>{}</metadata></svg>",
            scenario::to_json(&s)
                .replace('&', "&amp;")
                .replace('<', "&lt;")
        );
        assert!(svg(svg_text.as_bytes()).accepted);
        assert!(model(&[]).accepted);
    }

    #[test]
    fn garbage_is_refused_without_panicking() {
        for t in TARGETS {
            if t.name != "model" {
                assert!(!(t.run)(b"\xff{[not a scenario").accepted, "{}", t.name);
            }
        }
    }
}
