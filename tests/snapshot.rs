//! The model's output is pinned for a fixed set of scenarios: the default, every gallery
//! scenario, a failed, drained and cordoned node (the two-pass schedule), IPv6, and the
//! generated clusters at 3 and 100 nodes (1,000 and 5,000 in release builds only, where they
//! take a moment). Speed work on the model must leave all of it alone.
//!
//! - `eksplain describe --json` of each hand-written scenario is an `insta` snapshot of the
//!   pretty JSON (`tests/snapshots/snapshot__*.snap`), so a change fails with a line diff.
//! - The generated clusters are too big to keep whole: each has a snapshot of a compact
//!   summary (counts, subnet usage, the first and last node and pod) and the FNV hash of its
//!   whole describe JSON.
//! - The whole `Cluster` (its `Debug` text: every id, address, label, endpoint and finding) is
//!   an FNV hash per scenario; when one differs the test prints every actual value.
//!
//! To accept a deliberate change, rewrite the snapshots in place and review the diff in git:
//! `INSTA_UPDATE=always cargo test --test snapshot` (add `--release` for the 1,000- and
//! 5,000-node summaries). Without it, a mismatch leaves a `.snap.new` beside the snapshot
//! (ignored by git) and `cargo insta review` can accept it if cargo-insta is installed. Hashes
//! are updated by copying the printed values here, with the reason in the commit message.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;

use eksplain::model::{self, describe::describe};
use eksplain::scenario::{
    default_scenario, from_json, scale_scenario, IpFamily, NodeState, Scenario,
};

/// FNV-1a over everything written to it: stable across platforms and runs.
struct Fnv(u64);

impl Write for Fnv {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn fnv() -> Fnv {
    Fnv(0xcbf2_9ce4_8422_2325)
}

fn build(scenario: &Scenario) -> model::Cluster {
    model::build(scenario).unwrap_or_else(|p| panic!("{}: {p:?}", scenario.name))
}

/// The describe JSON as `eksplain describe --json` prints it.
fn describe_json(cluster: &model::Cluster) -> String {
    serde_json::to_string_pretty(&describe(cluster)).expect("describe serialises")
}

fn file(path: &str) -> Scenario {
    let full = format!("{}/static/scenarios/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    from_json(&text).unwrap_or_else(|p| panic!("{path}: {p:?}"))
}

/// The default scenario with its first three nodes failed, drained and cordoned.
fn disrupted() -> Scenario {
    let mut scenario = default_scenario();
    let names: Vec<String> = build(&scenario)
        .nodes
        .iter()
        .map(|n| n.name.clone())
        .collect();
    for (name, state) in
        names
            .into_iter()
            .zip([NodeState::Failed, NodeState::Drained, NodeState::Cordoned])
    {
        scenario.node_states.insert(name, state);
    }
    scenario
}

fn ipv6() -> Scenario {
    let mut scenario = default_scenario();
    scenario.cluster.ip_family = IpFamily::IPv6;
    scenario.cluster.vpc_cni.prefix_delegation = true;
    scenario
}

/// Scenario files under `static/scenarios/` whose describe JSON is snapshotted whole.
const FILES: &[&str] = &[
    "default.json",
    "etp-local.json",
    "gallery/custom-networking.json",
    "gallery/etp-cluster-vs-local.json",
    "gallery/external-snat.json",
    "gallery/ingress-groups.json",
    "gallery/prefix-delegation.json",
    "gallery/private-endpoint.json",
    "gallery/security-groups-for-pods.json",
    "gallery/small-subnets.json",
];

/// Generated cluster sizes: the large ones only in release builds.
fn scale_sizes() -> Vec<u32> {
    let mut sizes = vec![3, 100];
    if !cfg!(debug_assertions) {
        sizes.extend([1_000, 5_000]);
    }
    sizes
}

/// Every pinned scenario with its name in the hash tables.
fn scenarios() -> Vec<(String, Scenario)> {
    let mut out = vec![("default".to_string(), default_scenario())];
    out.extend(FILES.iter().map(|path| (path.to_string(), file(path))));
    out.push(("default, failed + drained + cordoned".into(), disrupted()));
    out.push(("default, IPv6".into(), ipv6()));
    for n in scale_sizes() {
        out.push((format!("scale {n}"), scale_scenario(n)));
    }
    out
}

/// A snapshot name for a scenario file: `gallery/small-subnets.json` → `gallery-small-subnets`.
fn snapshot_name(path: &str) -> String {
    path.trim_end_matches(".json").replace('/', "-")
}

fn assert_describe_snapshot(name: &str, scenario: &Scenario) {
    let json = describe_json(&build(scenario));
    insta::assert_snapshot!(name, json);
}

#[test]
fn default_describe_matches_its_snapshot() {
    assert_describe_snapshot("built-in-default", &default_scenario());
}

#[test]
fn scenario_files_describe_matches_their_snapshots() {
    for path in FILES {
        assert_describe_snapshot(&snapshot_name(path), &file(path));
    }
}

#[test]
fn disrupted_nodes_describe_matches_its_snapshot() {
    assert_describe_snapshot("failed-drained-cordoned", &disrupted());
}

#[test]
fn ipv6_describe_matches_its_snapshot() {
    assert_describe_snapshot("ipv6", &ipv6());
}

/// A generated cluster in brief: counts, subnet usage, the first and last node and pod.
fn summary(cluster: &model::Cluster) -> serde_json::Value {
    let d = describe(cluster);
    let node = |n: Option<&model::describe::NodeDescription>| {
        n.map(|n| {
            serde_json::json!({
                "name": n.name, "subnet": n.subnet, "primaryIp": n.primary_ip,
                "maxPods": n.max_pods, "enis": n.enis.len(),
            })
        })
    };
    let pod = |p: Option<&model::describe::PodDescription>| {
        p.map(|p| serde_json::json!({ "name": p.name, "node": p.node, "ip": p.ip }))
    };
    serde_json::json!({
        "nodes": d.nodes.len(),
        "enis": d.nodes.iter().map(|n| n.enis.len()).sum::<usize>(),
        "pods": d.pods.len(),
        "podsWithoutIp": d.pods.iter().filter(|p| p.ip.is_none()).count(),
        "pending": d.pending.len(),
        "services": d.services.len(),
        "endpoints": d.services.iter().map(|s| s.endpoints.len()).sum::<usize>(),
        "ingresses": d.ingresses.len(),
        "loadBalancers": d.load_balancers.len(),
        "findings": d.findings.len(),
        "subnets": d.subnets.iter().map(|s| serde_json::json!({
            "name": s.name, "cidr": s.cidr, "used": s.used, "free": s.free,
        })).collect::<Vec<_>>(),
        "firstNode": node(d.nodes.first()),
        "lastNode": node(d.nodes.last()),
        "firstPod": pod(d.pods.first()),
        "lastPod": pod(d.pods.last()),
    })
}

/// (nodes, hash of the whole describe JSON) of the generated clusters.
const SCALE_DESCRIBE: &[(u32, u64)] = &[
    (3, 0xb76fc59b066748d8),
    (100, 0x65913456c79c2dfa),
    (1_000, 0xdc97f4ca3784598a),
    (5_000, 0xa814e3e1f1c0a5c5),
];

#[test]
fn generated_clusters_match_their_summaries_and_hashes() {
    for n in scale_sizes() {
        let cluster = build(&scale_scenario(n));
        let summary = serde_json::to_string_pretty(&summary(&cluster)).expect("serialises");
        insta::assert_snapshot!(format!("scale-{n}"), summary);
        let mut hash = fnv();
        hash.write_all(describe_json(&cluster).as_bytes())
            .expect("hashing never fails");
        let pinned = SCALE_DESCRIBE.iter().find(|p| p.0 == n).map(|p| p.1);
        assert_eq!(
            Some(hash.0),
            pinned,
            "scale {n}: the describe JSON changed though its summary did not; actual hash {:#018x}",
            hash.0
        );
    }
}

/// (scenario, hash of the whole `Cluster`'s `Debug` text).
const CLUSTER_DEBUG: &[(&str, u64)] = &[
    ("default", 0xae8d4df5bb729157),
    ("default.json", 0xae8d4df5bb729157),
    ("etp-local.json", 0x7426ba8efe63bbdb),
    ("gallery/custom-networking.json", 0xf8ce9f139d92683b),
    ("gallery/etp-cluster-vs-local.json", 0xa8b389965de01ada),
    ("gallery/external-snat.json", 0x32572963b342f817),
    ("gallery/ingress-groups.json", 0x0fc7836e7fc4d1f4),
    ("gallery/prefix-delegation.json", 0xf23e5a9a0fa1f101),
    ("gallery/private-endpoint.json", 0x4af848605c7bb8fb),
    ("gallery/security-groups-for-pods.json", 0xb0f156ad1ccd5e11),
    ("gallery/small-subnets.json", 0x8ecad55f96867a08),
    ("default, failed + drained + cordoned", 0x10d21784b847b3a9),
    ("default, IPv6", 0x3d2905789a7486d6),
    ("scale 3", 0x93fc61a250f645c8),
    ("scale 100", 0xb29afa7b11294a5b),
    ("scale 1000", 0xe3c6fe8d52eb979e),
    ("scale 5000", 0x3dcb965253db532b),
];

#[test]
fn the_whole_cluster_is_pinned() {
    let mut actual = Vec::new();
    let mut wrong = Vec::new();
    for (name, scenario) in scenarios() {
        let mut hash = fnv();
        write!(hash, "{:?}", build(&scenario)).expect("hashing never fails");
        let debug = hash.0;
        actual.push(format!("    ({name:?}, {debug:#018x}),"));
        match CLUSTER_DEBUG.iter().find(|p| p.0 == name) {
            Some(&(_, d)) if d == debug => {}
            Some(&(_, d)) => wrong.push(format!("{name}: {debug:#018x} (pinned {d:#018x})")),
            None => wrong.push(format!("{name}: not pinned")),
        }
    }
    assert!(
        wrong.is_empty(),
        "the cluster's Debug text changed:\n{}\nactual values:\n{}",
        wrong.join("\n"),
        actual.join("\n")
    );
}
