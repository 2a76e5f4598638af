//! No step of the checks is quadratic: every list of a scenario is doubled, and the work the
//! build does (probes — one per lookup of an item among the others, `model::work`) and the
//! problems it reports grow in proportion to the document, not to its square. Counted, not
//! timed, so the test says the same on any machine.

use eksplain::model::{self, work};
use eksplain::scenario::{self, limits, Problem};
use serde_json::{json, Value};

const AZS: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

/// A scenario in which every list grows: the document's own lists with `n` (secondary CIDRs,
/// subnets, node groups, node states, workloads, Services, Ingresses, security groups,
/// flows) and the lists inside its items with `k` (a node group's subnets, labels and taints,
/// a workload's labels and tolerations, a Service's selector and ports, an Ingress's rules, a
/// security group's rules, publicAccessCIDRs). `hostile` adds, per secondary CIDR, subnets
/// outside the VPC, overlapping ones and duplicate names, and overlapping secondary CIDRs.
fn scenario(n: usize, k: usize, hostile: bool) -> Value {
    let mut secondary: Vec<String> = (0..n).map(|i| format!("100.{}.0.0/16", 64 + i)).collect();
    let mut subnets = vec![];
    for (j, az) in AZS.iter().enumerate() {
        subnets.push(json!({"name": format!("public-{j}"), "az": az, "cidr": format!("10.0.{j}.0/24"), "public": true}));
    }
    for i in 0..n {
        for j in 0..4 {
            subnets.push(json!({"name": format!("s-{i}-{j}"), "az": AZS[j % 3], "cidr": format!("100.{}.{j}.0/24", 64 + i)}));
        }
    }
    if hostile {
        for i in 0..n / 4 {
            secondary.push(format!("100.{}.0.0/17", 64 + i));
        }
        for i in 0..n {
            subnets.push(json!({"name": format!("stray-{i}"), "az": "us-east-1a", "cidr": format!("172.16.{i}.0/24")}));
            subnets.push(json!({"name": format!("over-{i}"), "az": "us-east-1b", "cidr": format!("100.{}.0.0/23", 64 + i)}));
            subnets.push(json!({"name": format!("s-{i}-1"), "az": "us-east-1c", "cidr": format!("100.{}.9.0/24", 64 + i)}));
        }
    }
    let groups: Vec<Value> = (0..n)
        .map(|i| {
            let names: Vec<String> = (0..k)
                .map(|j| format!("s-{}-{}", (i + j) % n, j % 4))
                .collect();
            let labels: serde_json::Map<String, Value> =
                (0..k).map(|j| (format!("l{j}"), json!("v"))).collect();
            let taints: Vec<Value> = (0..k)
                .map(
                    |j| json!({"key": format!("t{j}"), "value": "v", "effect": "PreferNoSchedule"}),
                )
                .collect();
            json!({"name": format!("ng-{i}"), "instanceType": "m5.large", "desiredCapacity": 2,
                   "subnets": names, "labels": labels, "taints": taints})
        })
        .collect();
    let node_states: serde_json::Map<String, Value> = (0..n)
        .map(|i| (format!("ng-{i}-1"), json!("Cordoned")))
        .collect();
    let workloads: Vec<Value> = (0..2 * n)
        .map(|i| {
            let mut labels: serde_json::Map<String, Value> = (0..k)
                .map(|j| (format!("l{j}"), json!(format!("w-{i}"))))
                .collect();
            labels.insert("app".into(), json!(format!("w-{i}")));
            let tolerations: Vec<Value> = (0..k)
                .map(|j| json!({"key": format!("t{j}"), "operator": "Exists"}))
                .collect();
            json!({"name": format!("w-{i}"), "labels": labels, "tolerations": tolerations,
                   "requests": {"cpu": "10m", "memory": "16Mi"}})
        })
        .collect();
    let services: Vec<Value> = (0..2 * n)
        .map(|i| {
            let mut selector: serde_json::Map<String, Value> = (0..k)
                .map(|j| (format!("l{j}"), json!(format!("w-{i}"))))
                .collect();
            selector.insert("app".into(), json!(format!("w-{i}")));
            let ports: Vec<Value> = (0..k)
                .map(|j| json!({"name": format!("p{j}"), "port": 80 + j, "targetPort": 8080}))
                .collect();
            json!({"name": format!("svc-{i}"), "selector": selector, "ports": ports})
        })
        .collect();
    let ingresses: Vec<Value> = (0..n)
        .map(|i| {
            let rules: Vec<Value> = (0..k)
                .map(|j| json!({"path": format!("/p{j}"), "service": format!("svc-{i}"), "port": 80 + j}))
                .collect();
            json!({"name": format!("ing-{i}"), "targetType": "ip", "rules": rules})
        })
        .collect();
    let security_groups: Vec<Value> = (0..n)
        .map(|i| {
            let rules: Vec<Value> = (0..k)
                .map(|j| json!({"ports": format!("{}", 1000 + j), "from": "10.0.0.0/16"}))
                .collect();
            json!({"id": format!("sg-{:08x}", i + 1), "ingress": rules})
        })
        .collect();
    let flows: Vec<Value> = (0..n)
        .map(|i| json!({"from": format!("pod/w-{i}"), "to": format!("service/svc-{i}")}))
        .collect();
    let public_access: Vec<String> = (0..k).map(|j| format!("203.0.{j}.0/24")).collect();
    json!({
        "version": 1,
        "vpc": {"cidr": "10.0.0.0/16", "secondaryCidrs": secondary, "subnets": subnets},
        "cluster": {"publicAccessCIDRs": public_access},
        "managedNodeGroups": groups,
        "nodeStates": node_states,
        "workloads": workloads,
        "services": services,
        "ingresses": ingresses,
        "securityGroups": security_groups,
        "flows": flows,
    })
}

/// How big the document is: every list element and object member, at every depth.
fn items(v: &Value) -> u64 {
    match v {
        Value::Array(a) => a.len() as u64 + a.iter().map(items).sum::<u64>(),
        Value::Object(o) => o.len() as u64 + o.values().map(items).sum::<u64>(),
        _ => 0,
    }
}

struct Run {
    items: u64,
    probes: u64,
    problems: usize,
}

fn run(n: usize, k: usize, hostile: bool) -> Run {
    let doc = scenario(n, k, hostile);
    let s = scenario::from_value(doc.clone()).expect("the generated scenario parses");
    assert_eq!(
        limits::check_counts(&s),
        Ok(()),
        "n = {n} is within the limits"
    );
    let (result, probes) = work::measure(|| model::build(&s));
    let problems = match result {
        Ok(cluster) => {
            assert!(!hostile, "the hostile scenario built");
            assert_eq!(cluster.nodes.len(), 2 * n);
            0
        }
        Err(problems) => {
            assert!(hostile, "the valid scenario has problems: {problems:#?}");
            problems.len()
        }
    };
    Run {
        items: items(&doc),
        probes,
        problems,
    }
}

/// When the lists double, the document roughly doubles, and the work may grow at most a
/// little more than the document (a check comparing every item with every other would
/// quadruple it).
fn assert_linear(small: &Run, big: &Run, what: &str) {
    let growth = big.items as f64 / small.items as f64;
    let work = big.probes as f64 / small.probes as f64;
    assert!(
        (1.6..=2.2).contains(&growth),
        "{what}: the document grew {growth:.2}×, not about twice"
    );
    assert!(small.probes > 0, "{what}: no probe counted");
    assert!(
        work <= growth * 1.15,
        "{what}: the document grew {growth:.2}×, the probes {work:.2}× ({} → {})",
        small.probes,
        big.probes
    );
}

/// Runs at `(n, k)`, doubling the document's lists (`n`), then its items' lists (`k`).
fn doublings(hostile: bool) -> Vec<(String, Run, Run)> {
    let mut out = Vec::new();
    for n in [8, 16] {
        let what = format!("document lists {n} → {}", 2 * n);
        out.push((what, run(n, 8, hostile), run(2 * n, 8, hostile)));
    }
    for k in [4, 8] {
        let what = format!("lists in items {k} → {}", 2 * k);
        out.push((what, run(16, k, hostile), run(16, 2 * k, hostile)));
    }
    out
}

#[test]
fn the_valid_build_grows_with_the_document() {
    for (what, small, big) in doublings(false) {
        assert_linear(&small, &big, &format!("valid, {what}"));
    }
}

#[test]
fn the_checks_of_a_hostile_scenario_grow_with_the_document() {
    for (what, small, big) in doublings(true) {
        assert_linear(&small, &big, &format!("hostile, {what}"));
        let pair = [small, big];
        // Problems are one per bad item: they double with the items that are bad.
        assert!(
            pair[1].problems <= 2 * pair[0].problems + 2,
            "{} → {} problems",
            pair[0].problems,
            pair[1].problems
        );
    }
}

#[test]
fn lists_over_their_limits_are_one_problem_each_and_no_work() {
    // Ten times the largest generated scenario's lists, and more: refused by the count.
    let mut doc = scenario(32, 8, true);
    let cidrs: Vec<String> = (0..20_000)
        .map(|i| format!("100.{}.{}.0/24", 64 + i / 256 % 64, i % 256))
        .collect();
    doc["vpc"]["secondaryCidrs"] = json!(cidrs);
    let s = scenario::from_value(doc).unwrap();
    let (result, probes) = work::measure(|| model::build(&s));
    let problems: Vec<Problem> = result.unwrap_err();
    assert_eq!(probes, 0, "a per-item check ran");
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].path.as_str(), "vpc.secondaryCidrs");
    assert!(problems[0]
        .message
        .starts_with("20,000 secondary CIDR blocks; a VPC holds at most 49 (AWS quota"));
}
