//! Every id the model and the layout write — shapes, lines, hops, load shares, finding
//! subjects — reads back as an [`Id`] of its own kind and prints as the same text: the DOM's
//! `data-id` and the typed id are one spelling.

use std::collections::BTreeSet;

use eksplain::layout::aggregate::Aggregates;
use eksplain::layout::{layout, reference_scale, summary_scene, trace_path};
use eksplain::model::traffic::{Flow, Tracer};
use eksplain::model::{self, Id};
use eksplain::scenario::{default_scenario, from_json, scale_scenario, Scenario};

fn scenarios() -> Vec<Scenario> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenarios/gallery");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut failed = default_scenario();
    failed
        .node_states
        .insert("ng-1-1".into(), eksplain::scenario::NodeState::Failed);
    let mut out = vec![default_scenario(), scale_scenario(4), failed];
    for f in files {
        out.push(from_json(&std::fs::read_to_string(f).unwrap()).unwrap());
    }
    out
}

/// The ids a scenario's cluster, scene and traces write.
fn ids_of(s: &Scenario) -> BTreeSet<String> {
    let c = model::build(s).unwrap();
    let scene = layout(&c);
    let mut ids: BTreeSet<String> = scene.walk().map(|s| s.id.to_string()).collect();
    ids.extend(scene.edges.iter().map(|e| e.id.to_string()));
    let zoomed_out = summary_scene(
        &c,
        &Aggregates::new(&c),
        &scene,
        reference_scale(scene.size),
    );
    ids.extend(zoomed_out.walk().map(|s| s.id.to_string()));
    ids.extend(c.findings.iter().map(|f| f.subject.to_string()));
    for flow in &s.flows {
        let text = format!("{}->{}", flow.from, flow.to);
        let parsed: Flow = text.parse().unwrap();
        let Ok(trace) = Tracer::new(&c, &s.security_groups).trace(&parsed) else {
            continue;
        };
        ids.extend(trace.hops.iter().map(|h| h.at.to_string()));
        ids.extend(trace.shares.iter().map(|h| h.id.to_string()));
        let path = trace_path(&scene, &text, &trace);
        ids.extend(path.stops.iter().map(|s| s.at.to_string()));
    }
    ids
}

#[test]
fn every_id_written_reads_back_as_itself() {
    let mut kinds = BTreeSet::new();
    for s in scenarios() {
        for text in ids_of(&s) {
            let id: Id = text.parse().unwrap_or_else(|e| panic!("{}: {e}", s.name));
            assert_eq!(id.to_string(), text, "{}", s.name);
            kinds.insert(id.prefix());
        }
    }
    // The gallery draws every kind of thing the diagram knows.
    for kind in [
        "subnet",
        "node",
        "eni",
        "ip",
        "pod",
        "lb",
        "service",
        "ingress",
        "natgw",
        "eks-eni",
        "branch",
        "sg",
        "node-state",
        "summary",
    ] {
        assert!(
            kinds.contains(kind),
            "no {kind} id in the gallery: {kinds:?}"
        );
    }
}
