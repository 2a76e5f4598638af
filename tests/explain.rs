//! `eksplain explain FILE ID [--json]` end to end, on the gallery's externalTrafficPolicy
//! scenario: a node, an ENI, a pod, a load balancer and its node in an AZ, a Service — the
//! inspector's pages, with their real addresses and formulas — and the refusals.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::eksplain;
use serde_json::Value;
use std::process::Output;

const ETP: &str = "static/scenarios/gallery/etp-cluster-vs-local.json";

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The page of `id` as JSON; the command must succeed.
fn page(id: &str) -> Value {
    let o = eksplain(&["explain", ETP, id, "--json"]);
    assert_eq!(o.status.code(), Some(0), "{id}: {}", stderr(&o));
    let page: Value = serde_json::from_str(&stdout(&o)).expect("explain --json prints JSON");
    assert_eq!(page["id"], id);
    page
}

/// The fact labelled `label`: its value and formula.
fn fact<'a>(page: &'a Value, label: &str) -> (&'a str, Option<&'a str>) {
    let f = page["facts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["label"] == label)
        .unwrap_or_else(|| panic!("{} has no fact {label}: {page}", page["id"]));
    (f["value"].as_str().unwrap(), f["formula"].as_str())
}

/// The related ids labelled `label`.
fn related<'a>(page: &'a Value, label: &str) -> Vec<(&'a str, &'a str)> {
    page["related"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["label"] == label)
        .map(|r| (r["id"].as_str().unwrap(), r["text"].as_str().unwrap()))
        .collect()
}

#[test]
fn a_node_shows_max_pods_with_the_calculators_formula() {
    let node = page("node:ng-1-1");
    assert_eq!(node["kind"], "node");
    assert_eq!(node["title"], "ng-1-1");
    assert_eq!(fact(&node, "Instance type").0, "m5.large");
    assert_eq!(
        fact(&node, "Max pods"),
        (
            "29",
            Some("3 ENIs × (10 IPs − 1) + 2 = 29; min(29, 110) = 29 (2 vCPUs ≤ 30)")
        )
    );
    assert_eq!(fact(&node, "Primary IP (InternalIP)").0, "10.0.16.5");
    assert_eq!(
        related(&node, "Subnet"),
        [("subnet:private-a", "private-a (10.0.16.0/20)")]
    );
    // The same page as text: the formula on the line under its fact.
    let o = eksplain(&["explain", ETP, "node:ng-1-1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("Node: ng-1-1\n"), "{text}");
    assert!(
        text.contains("Max pods                 29\n                         = 3 ENIs × (10 IPs − 1) + 2 = 29"),
        "{text}"
    );
    assert!(text.contains("choosing-instance-type.html"), "{text}");
}

#[test]
fn an_eni_works_out_its_capacity_and_lists_its_addresses() {
    let eni = page("eni:ng-1-1/eth0");
    assert_eq!(eni["title"], "eth0 on ng-1-1");
    assert_eq!(fact(&eni, "Primary IP").0, "10.0.16.5");
    assert_eq!(
        fact(&eni, "Capacity"),
        ("9", Some("IPv4 per ENI − 1 (its primary) = 10 − 1 = 9"))
    );
    let ips = fact(&eni, "Secondary IPs").0;
    assert!(ips.starts_with("10.0.16.6, 10.0.16.7, "), "{ips}");
}

#[test]
fn a_pod_says_which_eni_its_address_comes_from() {
    let node = page("node:ng-1-1");
    let (id, text) = related(&node, "Pod")
        .into_iter()
        .find(|(id, _)| id.starts_with("pod:default/web-"))
        .expect("a web pod runs on ng-1-1");
    let ip = text.rsplit(" · ").next().unwrap();
    assert!(ip.starts_with("10.0.16."), "{text}");
    let pod = page(id);
    assert_eq!(pod["kind"], "pod");
    assert_eq!(pod["summary"], "Running on ng-1-1");
    assert_eq!(fact(&pod, "IP").0, ip);
    assert!(fact(&pod, "Address from")
        .0
        .starts_with("a secondary IP of eth0"));
    assert_eq!(related(&pod, "ENI")[0].0, "eni:ng-1-1/eth0");
}

#[test]
fn a_load_balancer_and_its_node_in_an_az() {
    let lb = page("lb:default/web-local");
    assert_eq!(lb["noun"], "Network Load Balancer");
    assert_eq!(fact(&lb, "Scheme").0, "internet-facing");
    assert_eq!(
        fact(&lb, "DNS name").0,
        "k8s-default-web-local-de22b1.elb.us-east-1.amazonaws.com"
    );
    let nodes = related(&lb, "Node in AZ");
    assert_eq!(nodes.len(), 3);
    assert_eq!(
        nodes[0],
        (
            "lb:default/web-local/us-east-1a",
            "us-east-1a · public-a · 10.0.0.6 (public 192.0.2.5)"
        )
    );
    let node = page("lb:default/web-local/us-east-1a");
    assert_eq!(fact(&node, "Private address").0, "10.0.0.6");
    assert_eq!(fact(&node, "Public address").0, "192.0.2.5");
}

#[test]
fn a_local_service_explains_its_policy_and_endpoints() {
    let service = page("service:default/web-local");
    assert_eq!(fact(&service, "Type").0, "LoadBalancer");
    assert_eq!(
        fact(&service, "ClusterIP"),
        ("172.20.148.89", Some("from the service CIDR 172.20.0.0/16"))
    );
    assert_eq!(fact(&service, "externalTrafficPolicy").0, "Local");
    assert_eq!(
        fact(&service, "Ready endpoints"),
        ("3", Some("us-east-1a: 2 · us-east-1b: 1"))
    );
    assert_eq!(related(&service, "Endpoint").len(), 3);
    assert_eq!(
        related(&service, "Load balancer")[0].0,
        "lb:default/web-local"
    );
}

#[test]
fn an_unknown_id_exits_2_naming_ids_of_its_kind() {
    let o = eksplain(&["explain", ETP, "node:ng-9-9"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("`node:ng-9-9`"), "{err}");
    assert!(
        err.contains("node:ng-1-1, node:ng-1-2, node:ng-1-3"),
        "{err}"
    );
    assert!(stdout(&o).is_empty());
    // An id of no kind: the kinds there are.
    let o = eksplain(&["explain", ETP, "frobnicate:1", "--json"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("`frobnicate:1` is not an id"), "{err}");
    assert!(err.contains("node, eni, ip, prefix"), "{err}");
    // A kind this cluster has none of.
    let o = eksplain(&["explain", "static/scenarios/default.json", "lb:web"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no `lb` at all"), "{}", stderr(&o));
}

#[test]
fn an_invalid_scenario_exits_1_with_its_problems() {
    let o = eksplain(&["explain", "tests/fixtures/invalid.json", "node:ng-1-1"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("vpc.subnets[3].cidr: 10.1.0.0/24 is outside the VPC's CIDRs"),
        "{err}"
    );
    assert!(err.contains("4 problems found"), "{err}");
    let o = eksplain(&["explain", "no/such/file.json", "node:ng-1-1"]);
    assert_eq!(o.status.code(), Some(2));
    let o = eksplain(&["explain", ETP]);
    assert_eq!(o.status.code(), Some(2), "the id is required");
}
