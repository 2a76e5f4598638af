//! The model's output is pinned: for a fixed set of scenarios, the hash of `eksplain describe
//! --json` and the hash of the whole `Cluster` (its `Debug` text: every id, address, label,
//! endpoint and finding) must not change. Speed work on the model must leave both alone; a
//! change that means to alter the output updates the hashes here and says why.
//!
//! The scenarios cover the default, every gallery scenario, a failed and a drained node (the
//! two-pass schedule), IPv6, and the generated clusters at 3 and 100 nodes (1,000 and 5,000 in
//! release builds only, where they take a moment).
//!
//! When a hash differs, the test prints every actual value, so a deliberate change is a copy.
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

/// (describe JSON hash, Debug hash) of the cluster a scenario builds.
fn hashes(scenario: &Scenario) -> (u64, u64) {
    let cluster = model::build(scenario).unwrap_or_else(|p| panic!("{}: {p:?}", scenario.name));
    let mut json = fnv();
    // As `eksplain describe --json` prints it.
    serde_json::to_writer_pretty(&mut json, &describe(&cluster)).expect("describe serialises");
    let mut debug = fnv();
    write!(debug, "{cluster:?}").expect("hashing never fails");
    (json.0, debug.0)
}

fn file(path: &str) -> Scenario {
    let full = format!("{}/static/scenarios/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    from_json(&text).unwrap_or_else(|p| panic!("{path}: {p:?}"))
}

fn scenarios() -> Vec<(String, Scenario)> {
    let mut out = vec![("default".to_string(), default_scenario())];
    for path in [
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
    ] {
        out.push((path.to_string(), file(path)));
    }
    let mut disrupted = default_scenario();
    let names: Vec<String> = model::build(&disrupted)
        .expect("the default scenario builds")
        .nodes
        .iter()
        .map(|n| n.name.clone())
        .collect();
    disrupted
        .node_states
        .insert(names[0].clone(), NodeState::Failed);
    disrupted
        .node_states
        .insert(names[1].clone(), NodeState::Drained);
    disrupted
        .node_states
        .insert(names[2].clone(), NodeState::Cordoned);
    out.push(("default, failed + drained + cordoned".into(), disrupted));
    let mut ipv6 = default_scenario();
    ipv6.cluster.ip_family = IpFamily::IPv6;
    ipv6.cluster.vpc_cni.prefix_delegation = true;
    out.push(("default, IPv6".into(), ipv6));
    let mut sizes = vec![3, 100];
    if !cfg!(debug_assertions) {
        sizes.extend([1_000, 5_000]);
    }
    for n in sizes {
        out.push((format!("scale {n}"), scale_scenario(n)));
    }
    out
}

/// (scenario, describe JSON hash, Debug hash), computed before the model's speed work.
const PINNED: &[(&str, u64, u64)] = &[
    ("default", 0x552f0d719011be4b, 0x974c3561c49c70e0),
    ("default.json", 0x552f0d719011be4b, 0x974c3561c49c70e0),
    ("etp-local.json", 0xe2dae6f0add91bb2, 0x65ba4b1646deca2c),
    (
        "gallery/custom-networking.json",
        0xd498dbb7501fb0e0,
        0x630e3f5f0386c114,
    ),
    (
        "gallery/etp-cluster-vs-local.json",
        0xd7a407a70c16a40b,
        0x83cd2501e703b75f,
    ),
    (
        "gallery/external-snat.json",
        0x8d27e7685cef5e75,
        0x44f4c2c3dc3ef665,
    ),
    (
        "gallery/ingress-groups.json",
        0x7e7b42b908f04cec,
        0x35d529020a015cd5,
    ),
    (
        "gallery/prefix-delegation.json",
        0x2748b7ad4926ea5e,
        0x67305fb468c86ae0,
    ),
    (
        "gallery/private-endpoint.json",
        0xac2f5469c12d69e6,
        0x610cb353fd2e00f0,
    ),
    (
        "gallery/security-groups-for-pods.json",
        0x1abce7ab07708f49,
        0x07c6283059f84afb,
    ),
    (
        "gallery/small-subnets.json",
        0x23ecd0760d7eb2e9,
        0xdbb0bde7a2c7c906,
    ),
    (
        "default, failed + drained + cordoned",
        0x85ea9e2207a0be15,
        0xaa741d2566347bc5,
    ),
    ("default, IPv6", 0x484ed314cfd5b285, 0x20fe7c6fe3a1c014),
    ("scale 3", 0xb76fc59b066748d8, 0xc0cb80475322f746),
    ("scale 100", 0x65913456c79c2dfa, 0xa285a9deb86fdf61),
    ("scale 1000", 0xdc97f4ca3784598a, 0x9c8382f6c6d1caed),
    ("scale 5000", 0xa814e3e1f1c0a5c5, 0x6aa85f34d9a302aa),
];

#[test]
fn the_model_output_is_pinned() {
    let mut actual = Vec::new();
    let mut wrong = Vec::new();
    for (name, scenario) in scenarios() {
        let (json, debug) = hashes(&scenario);
        actual.push(format!("    ({name:?}, {json:#018x}, {debug:#018x}),"));
        match PINNED.iter().find(|p| p.0 == name) {
            Some(&(_, j, d)) if (j, d) == (json, debug) => {}
            Some(&(_, j, d)) => wrong.push(format!(
                "{name}: describe {json:#018x} (pinned {j:#018x}), cluster {debug:#018x} (pinned {d:#018x})"
            )),
            None => wrong.push(format!("{name}: not pinned")),
        }
    }
    assert!(
        wrong.is_empty(),
        "the model's output changed:\n{}\nactual values:\n{}",
        wrong.join("\n"),
        actual.join("\n")
    );
}
