//! Traffic through the public API: every case of SEMANTICS.md on externalTrafficPolicy, load
//! balancers, SNAT and endpoint access, security groups, drops with their reasons, and the
//! CLI's `trace` JSON.
#![cfg(not(target_arch = "wasm32"))]

mod common;
use common::eksplain;
use std::collections::BTreeMap;
use std::net::IpAddr;

use eksplain::model::traffic::{self, HopKind, Ratio, Trace, Tracer, Verdict, CLIENT_IP};
use eksplain::model::{self, Cluster};
use eksplain::scenario::{default_scenario, Scenario};
use serde_json::{json, Value};

fn build(s: &Scenario) -> Cluster {
    model::build(s).unwrap_or_else(|p| panic!("{p:#?}"))
}

/// The default scenario with `patch`'s top-level fields replaced.
fn scenario(patch: Value) -> Scenario {
    let mut v = serde_json::to_value(default_scenario()).unwrap();
    for (k, val) in patch.as_object().unwrap() {
        v[k] = val.clone();
    }
    serde_json::from_value(v).unwrap_or_else(|e| panic!("{e}"))
}

fn trace(s: &Scenario, flow: &str) -> Trace {
    let c = build(s);
    traffic::trace(&c, &s.security_groups, flow).unwrap_or_else(|e| panic!("{flow}: {e}"))
}

fn r(n: u64, d: u64) -> Ratio {
    Ratio::new(n, d).unwrap()
}

/// Shares by node name, in endpoint order.
fn shares(t: &Trace) -> Vec<(String, Ratio)> {
    t.shares.iter().map(|s| (s.node.clone(), s.share)).collect()
}

fn assert_sums_to_one(t: &Trace) {
    let total = Ratio::checked_sum(t.shares.iter().map(|s| s.share)).unwrap();
    assert_eq!(total, Ratio::ONE, "{:#?}", t.shares);
}

fn delivered(t: &Trace) {
    assert_eq!(t.verdict, Verdict::Delivered, "{}", t.to_text());
}

fn dropped(t: &Trace) -> String {
    match &t.verdict {
        Verdict::Dropped { reason, .. } => reason.clone(),
        Verdict::Delivered => panic!("delivered, expected a drop:\n{}", t.to_text()),
    }
}

fn kinds(t: &Trace) -> Vec<HopKind> {
    t.hops.iter().map(|h| h.kind).collect()
}

fn lb_service(policy: &str, lb: Value) -> Value {
    json!({"name": "web", "selector": {"app": "web"}, "type": "LoadBalancer",
           "ports": [{"port": 80, "targetPort": 8080}],
           "externalTrafficPolicy": policy, "loadBalancer": lb})
}

/// Two nodes labelled for web (ng-1-1 in 1a, ng-1-2 in 1b) and one without (ng-2-1 in 1c):
/// three web pods land 2 + 1.
fn uneven(policy: &str, lb: Value) -> Scenario {
    scenario(json!({
        "managedNodeGroups": [
            {"name": "ng-1", "instanceType": "m5.large", "desiredCapacity": 2,
             "subnets": ["private-a", "private-b"], "labels": {"role": "web"}},
            {"name": "ng-2", "instanceType": "m5.large", "subnets": ["private-c"]}
        ],
        "workloads": [{"name": "web", "replicas": 3, "nodeSelector": {"role": "web"}}],
        "services": [lb_service(policy, lb)]
    }))
}

fn web_pods_per_node(c: &Cluster) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for p in c.pods.iter().filter(|p| p.workload == "web") {
        *m.entry(c.nodes[p.node.unwrap()].name.clone()).or_default() += 1;
    }
    m
}

fn public_nlb() -> Value {
    json!({"scheme": "internet-facing"})
}

#[test]
fn the_uneven_fixture_puts_two_pods_on_one_node_and_one_on_another() {
    let c = build(&uneven("Local", public_nlb()));
    assert_eq!(
        web_pods_per_node(&c),
        BTreeMap::from([("ng-1-1".to_string(), 2), ("ng-1-2".to_string(), 1)])
    );
}

// ---- externalTrafficPolicy -------------------------------------------------------------

#[test]
fn cluster_policy_gives_each_pod_one_nth_and_the_pod_sees_a_node_address() {
    let s = scenario(json!({
        "workloads": [{"name": "web", "replicas": 4}],
        "services": [lb_service("Cluster", public_nlb())]
    }));
    let c = build(&s);
    let t = trace(&s, "internet->service/web");
    delivered(&t);
    assert_eq!(t.shares.len(), 4);
    assert!(
        t.shares.iter().all(|s| s.share == r(1, 4)),
        "{:#?}",
        t.shares
    );
    assert_sums_to_one(&t);
    let seen = t.client_ip_seen.unwrap();
    assert!(
        c.nodes.iter().any(|n| IpAddr::V4(n.primary_ip) == seen),
        "{seen}"
    );
    assert!(!t.client_ip_preserved);
    assert!(t
        .hops
        .iter()
        .any(|h| h.kind == HopKind::KubeProxy && h.action.contains("masquerade")));
    // Every node passes the health check.
    assert!(t.unhealthy_nodes.is_empty(), "{:#?}", t.unhealthy_nodes);
    assert!(t.explanation.contains("externalTrafficPolicy is Cluster"));
    // Some connections cross AZs: kube-proxy picks among all endpoints.
    assert!(!t.cross_az_share.unwrap().is_zero());
}

#[test]
fn cluster_policy_may_forward_to_another_node_with_a_cross_az_hop() {
    // One web pod, on ng-1-3 (1c): the NLB node in 1a sends to ng-1-1, which forwards.
    let s = scenario(json!({
        "workloads": [{"name": "web", "nodeSelector": {"kubernetes.io/hostname": "ng-1-3"}}],
        "services": [lb_service("Cluster", public_nlb())]
    }));
    let t = trace(&s, "internet->service/web");
    delivered(&t);
    let at: Vec<String> = t.hops.iter().map(|h| h.at.to_string()).collect();
    assert!(at.iter().any(|a| a == "node:ng-1-1"), "{}", t.to_text());
    assert!(
        at.iter().any(|a| a.starts_with("eni:ng-1-3/")),
        "{}",
        t.to_text()
    );
    let forwarded = t
        .hops
        .iter()
        .find(|h| h.at.to_string().starts_with("eni:ng-1-3/"))
        .unwrap();
    assert!(forwarded.cross_az, "{}", t.to_text());
    assert_eq!(t.shares[0].share, Ratio::ONE);
    // NLB node → node: 2/3 land on a node of another AZ... and every one ends in 1c, so all
    // connections but those entering by 1c's NLB node onto ng-1-3 cross an AZ.
    assert_eq!(t.cross_az_share, Some(r(2, 3)));
}

#[test]
fn local_policy_splits_by_healthy_node_then_by_pod_and_keeps_the_client_address() {
    let s = uneven("Local", public_nlb());
    let t = trace(&s, "internet->service/web");
    delivered(&t);
    let mut got = shares(&t);
    got.sort();
    assert_eq!(
        got,
        vec![
            ("ng-1-1".to_string(), r(1, 4)),
            ("ng-1-1".to_string(), r(1, 4)),
            ("ng-1-2".to_string(), r(1, 2)),
        ]
    );
    assert_sums_to_one(&t);
    assert_eq!(t.client_ip_seen, Some(IpAddr::V4(CLIENT_IP)));
    assert!(t.client_ip_preserved);
    // The node without a web pod fails the health check and gets nothing.
    assert_eq!(t.unhealthy_nodes.len(), 1);
    assert_eq!(t.unhealthy_nodes[0].node, "ng-2-1");
    assert!(t.unhealthy_nodes[0].reason.contains("healthCheckNodePort"));
    assert!(t.explanation.contains("externalTrafficPolicy is Local"));
    // No masquerade; one kube-proxy DNAT on the receiving node.
    assert!(!t.hops.iter().any(|h| h.action.contains("masquerade")));
    assert_eq!(t.cross_az_share, Some(Ratio::ZERO));
    // Its AZ has no healthy target: DNS leaves the NLB node in 1c out.
    assert!(
        t.notes.iter().any(|n| n.contains("us-east-1c")),
        "{:?}",
        t.notes
    );
}

#[test]
fn nodes_without_endpoints_get_nothing_even_with_cross_zone_on() {
    let s = uneven(
        "Local",
        json!({"scheme": "internet-facing", "crossZone": true}),
    );
    let t = trace(&s, "internet->service/web");
    let mut got = shares(&t);
    got.sort();
    // Two healthy nodes, 1/2 each, then per pod.
    assert_eq!(got[0].1, r(1, 4));
    assert_eq!(got[2], ("ng-1-2".to_string(), r(1, 2)));
    assert_eq!(t.unhealthy_nodes[0].node, "ng-2-1");
}

/// ng-1 over private-a and private-b: three nodes, two in 1a and one in 1b; a web pod on each.
fn two_and_one(lb: Value, policy: &str) -> Scenario {
    scenario(json!({
        "managedNodeGroups": [{"name": "ng-1", "instanceType": "m5.large", "desiredCapacity": 3,
                               "subnets": ["private-a", "private-b"]}],
        "workloads": [{"name": "web", "replicas": 3,
                       "topologySpreadConstraints": [{"topologyKey": "kubernetes.io/hostname"}]}],
        "services": [lb_service(policy, lb)]
    }))
}

#[test]
fn cross_zone_off_splits_by_az_first() {
    let s = two_and_one(public_nlb(), "Local");
    let c = build(&s);
    let per_az = |az: &str| c.nodes.iter().filter(|n| n.az == az).count();
    assert_eq!((per_az("us-east-1a"), per_az("us-east-1b")), (2, 1));
    let t = trace(&s, "internet->service/web");
    let by_az = |t: &Trace, az: &str| -> Vec<Ratio> {
        t.shares
            .iter()
            .filter(|s| s.az == az)
            .map(|s| s.share)
            .collect()
    };
    // Off: each AZ with a healthy target gets 1/2, split over its nodes.
    assert_eq!(by_az(&t, "us-east-1a"), vec![r(1, 4), r(1, 4)]);
    assert_eq!(by_az(&t, "us-east-1b"), vec![r(1, 2)]);
    assert_sums_to_one(&t);
    // On: evenly over the three nodes.
    let s = two_and_one(
        json!({"scheme": "internet-facing", "crossZone": true}),
        "Local",
    );
    let t = trace(&s, "internet->service/web");
    assert!(
        t.shares.iter().all(|s| s.share == r(1, 3)),
        "{:#?}",
        t.shares
    );
    // ip targets: the same split over pods.
    let s = two_and_one(
        json!({"scheme": "internet-facing", "targetType": "ip"}),
        "Cluster",
    );
    let t = trace(&s, "internet->service/web");
    assert_eq!(by_az(&t, "us-east-1a"), vec![r(1, 4), r(1, 4)]);
    assert_eq!(by_az(&t, "us-east-1b"), vec![r(1, 2)]);
    assert_eq!(t.cross_az_share, Some(Ratio::ZERO));
}

#[test]
fn nlb_ip_targets_bypass_kube_proxy_and_hide_the_client_unless_preserved() {
    let s = uneven(
        "Local",
        json!({"scheme": "internet-facing", "targetType": "ip"}),
    );
    let c = build(&s);
    let t = trace(&s, "internet->service/web");
    delivered(&t);
    assert!(!kinds(&t).contains(&HopKind::KubeProxy), "{}", t.to_text());
    let lb = &c.load_balancers[0];
    let seen = t.client_ip_seen.unwrap();
    assert!(
        lb.nodes.iter().any(|n| IpAddr::V4(n.private_ip) == seen),
        "{seen}"
    );
    assert!(!t.client_ip_preserved);
    // Per AZ first (cross-zone off): 1a's two pods 1/4 each, 1b's one 1/2.
    let mut got = shares(&t);
    got.sort();
    assert_eq!(got[2], ("ng-1-2".to_string(), r(1, 2)));
    // No node is a target, so none is unhealthy; externalTrafficPolicy does not matter.
    assert!(t.unhealthy_nodes.is_empty());
    let s = uneven(
        "Local",
        json!({"scheme": "internet-facing", "targetType": "ip", "preserveClientIp": true}),
    );
    let t = trace(&s, "internet->service/web");
    assert_eq!(t.client_ip_seen, Some(IpAddr::V4(CLIENT_IP)));
    assert!(t.client_ip_preserved);
}

#[test]
fn a_classic_load_balancer_is_a_proxy() {
    let s = uneven("Local", json!({"scheme": "internet-facing", "kind": "clb"}));
    let c = build(&s);
    let t = trace(&s, "internet->service/web");
    delivered(&t);
    let seen = t.client_ip_seen.unwrap();
    assert!(c.load_balancers[0]
        .nodes
        .iter()
        .any(|n| IpAddr::V4(n.private_ip) == seen));
    assert!(!t.client_ip_preserved);
    assert!(t.explanation.contains("Classic LB is a proxy"));
}

fn with_ingress(target_type: &str, policy: &str) -> Scenario {
    let mut s = uneven(policy, Value::Null);
    let mut v = serde_json::to_value(&s).unwrap();
    v["services"][0]["type"] = json!("NodePort");
    v["services"][0]
        .as_object_mut()
        .unwrap()
        .remove("loadBalancer");
    v["ingresses"] = json!([{"name": "shop", "scheme": "internet-facing", "targetType": target_type,
                             "rules": [{"path": "/", "service": "web", "port": 80}]}]);
    s = serde_json::from_value(v).unwrap();
    s
}

#[test]
fn an_alb_carries_the_client_address_only_in_x_forwarded_for() {
    for (target, policy) in [
        ("instance", "Cluster"),
        ("instance", "Local"),
        ("ip", "Cluster"),
    ] {
        let s = with_ingress(target, policy);
        let c = build(&s);
        let t = trace(&s, "internet->ingress/shop");
        delivered(&t);
        assert_eq!(
            t.forwarded_for,
            Some(IpAddr::V4(CLIENT_IP)),
            "{target} {policy}"
        );
        assert!(!t.client_ip_preserved);
        assert_ne!(t.client_ip_seen, Some(IpAddr::V4(CLIENT_IP)));
        let seen = t.client_ip_seen.unwrap();
        let alb = c.load_balancers[0]
            .nodes
            .iter()
            .any(|n| IpAddr::V4(n.private_ip) == seen);
        let node = c.nodes.iter().any(|n| IpAddr::V4(n.primary_ip) == seen);
        match (target, policy) {
            ("instance", "Cluster") => assert!(node, "{}", t.to_text()),
            _ => assert!(alb, "{}", t.to_text()),
        }
        assert!(t.explanation.contains("X-Forwarded-For"));
        assert_sums_to_one(&t);
        // An ALB always balances across zones.
        if target == "ip" {
            assert!(t.shares.iter().all(|s| s.share == r(1, 3)));
        }
    }
}

#[test]
fn internal_load_balancers_and_cluster_ip_services_are_not_reachable_from_the_internet() {
    let s = uneven("Local", json!({}));
    assert!(dropped(&trace(&s, "internet->service/web")).contains("internal"));
    let mut s = uneven("Cluster", Value::Null);
    s.services[0].service_type = eksplain::scenario::ServiceType::ClusterIP;
    s.services[0].load_balancer = None;
    assert!(dropped(&trace(&s, "internet->service/web")).contains("ClusterIP"));
    assert!(dropped(&trace(&s, "internet->pod/web")).contains("private VPC address"));
    assert!(dropped(&trace(&s, "internet->node/ng-1-1")).contains("no public IP"));
}

#[test]
fn a_service_without_endpoints_drops_everything() {
    let mut s = uneven("Local", public_nlb());
    s.services[0].selector = [("app".to_string(), "nothing".to_string())].into();
    let t = trace(&s, "internet->service/web");
    assert!(
        dropped(&t).contains("no ready endpoints"),
        "{}",
        t.to_text()
    );
    let t = trace(&s, "pod/web->service/web");
    assert!(dropped(&t).contains("no ready endpoints"));
}

// ---- SNAT and egress ----------------------------------------------------------------------

fn nodes_in(subnets: [&str; 3], cni: Value) -> Scenario {
    let mut cluster = serde_json::to_value(default_scenario().cluster).unwrap();
    cluster["vpcCni"] = cni;
    scenario(json!({
        "cluster": cluster,
        "managedNodeGroups": [{"name": "ng-1", "instanceType": "m5.large", "desiredCapacity": 3,
                               "subnets": subnets}],
        "workloads": [{"name": "web", "replicas": 3}]
    }))
}

const PUBLIC: [&str; 3] = ["public-a", "public-b", "public-c"];
const PRIVATE: [&str; 3] = ["private-a", "private-b", "private-c"];

#[test]
fn default_snat_rewrites_to_the_node_primary_ip_then_nat_or_public_ip() {
    let s = nodes_in(PRIVATE, json!({}));
    let c = build(&s);
    let t = trace(&s, "pod/web->internet");
    delivered(&t);
    let pod = c
        .pods
        .iter()
        .find(|p| p.workload == "web" && p.ip.is_some())
        .unwrap();
    let node = &c.nodes[pod.node.unwrap()];
    let snat = t.hops.iter().find(|h| h.kind == HopKind::Node).unwrap();
    assert_eq!(snat.src.ip(), IpAddr::V4(node.primary_ip));
    assert!(snat.action.contains("SNAT"));
    assert!(kinds(&t).contains(&HopKind::NatGateway));
    let nat = c.nat_gateways.iter().find(|n| n.az == node.az).unwrap();
    assert_eq!(t.client_ip_seen, Some(IpAddr::V4(nat.public_ip)));
    // A node in a public subnet leaves by the internet gateway with its public IP.
    let s = nodes_in(PUBLIC, json!({}));
    let c = build(&s);
    let t = trace(&s, "pod/web->internet");
    delivered(&t);
    assert!(!kinds(&t).contains(&HopKind::NatGateway));
    let pod = c
        .pods
        .iter()
        .find(|p| p.workload == "web" && p.ip.is_some())
        .unwrap();
    let node = &c.nodes[pod.node.unwrap()];
    assert_eq!(t.client_ip_seen, node.public_ip.map(IpAddr::V4));
}

#[test]
fn external_snat_in_a_public_subnet_has_no_way_out() {
    let s = nodes_in(PUBLIC, json!({"externalSnat": true}));
    let t = trace(&s, "pod/web->internet");
    let reason = dropped(&t);
    assert!(
        reason.contains("no public IP") || reason.contains("has none"),
        "{reason}"
    );
    assert!(!t.hops.iter().any(|h| h.action.starts_with("SNAT")));
    // In a private subnet the NAT gateway translates the pod's own address.
    let s = nodes_in(PRIVATE, json!({"externalSnat": true}));
    let c = build(&s);
    let t = trace(&s, "pod/web->internet");
    delivered(&t);
    let pod = c
        .pods
        .iter()
        .find(|p| p.workload == "web" && p.ip.is_some())
        .unwrap();
    let nat = t
        .hops
        .iter()
        .find(|h| h.kind == HopKind::NatGateway)
        .unwrap();
    assert!(
        nat.action
            .contains(&format!("translates {}", pod.ip.unwrap())),
        "{}",
        nat.action
    );
}

#[test]
fn a_private_subnet_without_nat_has_no_route_to_the_internet() {
    let mut s = nodes_in(PRIVATE, json!({}));
    s.vpc.nat_gateways = eksplain::scenario::NatGatewayMode::Disable;
    s.cluster.cluster_endpoints.private_access = true;
    let t = trace(&s, "pod/web->internet");
    assert!(dropped(&t).contains("no route to the internet"));
    assert_eq!(t.hops.last().unwrap().kind, HopKind::VpcRouter);
}

#[test]
fn ipv6_pods_leave_without_nat() {
    let s = nodes_in(PRIVATE, json!({"prefixDelegation": true}));
    let mut s = s;
    s.cluster.ip_family = eksplain::scenario::IpFamily::IPv6;
    let c = build(&s);
    let t = trace(&s, "pod/web->internet");
    delivered(&t);
    let pod = c
        .pods
        .iter()
        .find(|p| p.workload == "web" && p.ip.is_some())
        .unwrap();
    assert!(pod.ip.unwrap().is_ipv6());
    assert_eq!(t.client_ip_seen, pod.ip);
    assert!(t.client_ip_preserved);
    assert!(!kinds(&t).contains(&HopKind::NatGateway));
    let node = &c.nodes[pod.node.unwrap()];
    let IpAddr::V6(v6) = pod.ip.unwrap() else {
        unreachable!()
    };
    assert!(node.ipv6_prefix.unwrap().contains(&v6));
}

// ---- the API endpoint ----------------------------------------------------------------------

#[test]
fn a_private_endpoint_keeps_node_traffic_on_the_cross_account_enis() {
    let mut s = nodes_in(PRIVATE, json!({}));
    s.cluster.cluster_endpoints.private_access = true;
    let c = build(&s);
    let t = trace(&s, "node/ng-1-2->apiserver");
    delivered(&t);
    let eni = t
        .hops
        .iter()
        .find(|h| h.kind == HopKind::CrossAccountEni)
        .unwrap();
    assert_eq!(eni.at, "eks-eni:us-east-1b", "the node's own AZ");
    assert!(!kinds(&t).contains(&HopKind::NatGateway));
    assert!(!kinds(&t).contains(&HopKind::InternetGateway));
    assert_eq!(t.client_ip_seen, Some(IpAddr::V4(c.nodes[1].primary_ip)));
    // The model's api_path agrees.
    assert!(matches!(
        c.nodes[1].api_path,
        model::aws::api_access::ApiPath::PrivateEndpoint { .. }
    ));
    // Public and private: kubectl still uses the public endpoint.
    delivered(&trace(&s, "kubectl->apiserver"));
    // Private only: kubectl from outside has nothing to reach.
    s.cluster.cluster_endpoints.public_access = false;
    assert!(dropped(&trace(&s, "kubectl->apiserver")).contains("no public endpoint"));
    delivered(&trace(&s, "node/ng-1-1->apiserver"));
}

#[test]
fn a_nat_gateway_outside_public_access_cidrs_keeps_nodes_from_the_api() {
    let mut s = nodes_in(PRIVATE, json!({}));
    s.cluster.public_access_cidrs = vec!["203.0.113.0/24".into()];
    let c = build(&s);
    let t = trace(&s, "node/ng-1-1->apiserver");
    let reason = dropped(&t);
    assert!(
        reason.contains("not in publicAccessCIDRs (203.0.113.0/24)"),
        "{reason}"
    );
    assert!(kinds(&t).contains(&HopKind::NatGateway));
    assert!(
        !c.nodes[0].api_path.reaches(),
        "the model agrees: the node never joins"
    );
    // kubectl at 203.0.113.50 is inside the allow-list.
    delivered(&trace(&s, "kubectl->apiserver"));
    s.cluster.public_access_cidrs = vec!["198.51.100.0/24".into()];
    assert!(dropped(&trace(&s, "kubectl->apiserver"))
        .contains("203.0.113.50 is not in publicAccessCIDRs"));
    // ...and its NAT gateway is: nodes reach it.
    delivered(&trace(&s, "node/ng-1-1->apiserver"));
}

#[test]
fn the_api_server_reaches_kubelets_through_the_cross_account_enis() {
    let s = nodes_in(PRIVATE, json!({}));
    let c = build(&s);
    let t = trace(&s, "apiserver->node/ng-1-3");
    delivered(&t);
    assert_eq!(t.hops[1].at, "eks-eni:us-east-1c");
    assert_eq!(t.hops.last().unwrap().dst.port(), 10250);
    assert_eq!(
        t.hops.last().unwrap().dst.ip(),
        IpAddr::V4(c.nodes[2].primary_ip)
    );
    // Pods reach the API through the `kubernetes` service: a cross-account ENI, in the VPC.
    let t = trace(&s, "pod/web->apiserver");
    delivered(&t);
    assert!(kinds(&t).contains(&HopKind::CrossAccountEni));
    assert_eq!(t.shares.len(), 3);
    assert_sums_to_one(&t);
}

// ---- in-cluster ------------------------------------------------------------------------------

#[test]
fn pod_to_pod_on_one_node_another_node_and_another_az() {
    let s = scenario(json!({
        "workloads": [
            {"name": "a", "nodeSelector": {"kubernetes.io/hostname": "ng-1-1"}},
            {"name": "b", "nodeSelector": {"kubernetes.io/hostname": "ng-1-1"}},
            {"name": "c", "nodeSelector": {"kubernetes.io/hostname": "ng-1-2"}}
        ]
    }));
    let c = build(&s);
    let ip = |w: &str| c.pods.iter().find(|p| p.workload == w).unwrap().ip.unwrap();
    let same = trace(&s, "pod/a->pod/b");
    delivered(&same);
    assert!(!same
        .hops
        .iter()
        .any(|h| h.kind == HopKind::NodeEni || h.cross_az));
    assert_eq!(same.client_ip_seen, Some(ip("a")));
    let other = trace(&s, "pod/a->pod/c");
    delivered(&other);
    assert!(other.hops.iter().any(|h| h.cross_az), "{}", other.to_text());
    assert!(other.client_ip_preserved);
    assert_eq!(other.client_ip_seen, Some(ip("a")));
    assert!(other.explanation.contains("never NATed"));
}

#[test]
fn internal_traffic_policy_local_needs_an_endpoint_on_the_callers_node() {
    let s = scenario(json!({
        "workloads": [
            {"name": "client", "nodeSelector": {"kubernetes.io/hostname": "ng-1-1"}},
            {"name": "web", "nodeSelector": {"kubernetes.io/hostname": "ng-1-2"}}
        ],
        "services": [{"name": "web", "selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}],
                      "internalTrafficPolicy": "Local"}]
    }));
    let t = trace(&s, "pod/client->service/web");
    let reason = dropped(&t);
    assert!(
        reason.contains(
            "internalTrafficPolicy is Local and no endpoint of default/web runs on ng-1-1"
        ),
        "{reason}"
    );
    // From a pod on the endpoint's node it works, and stays on the node.
    let t = trace(&s, "node/ng-1-2->service/web");
    delivered(&t);
    assert_eq!(t.shares.len(), 1);
    let mut s = s;
    s.services[0].internal_traffic_policy = eksplain::scenario::TrafficPolicy::Cluster;
    delivered(&trace(&s, "pod/client->service/web"));
}

// ---- security groups ----------------------------------------------------------------------

const SG_DB: &str = "sg-0db00001";
const SG_WEB: &str = "sg-0e0b0001";

fn with_pod_security_groups(mode: &str) -> Scenario {
    let mut cluster = serde_json::to_value(default_scenario().cluster).unwrap();
    cluster["vpcCni"] = json!({"podEni": true, "podSecurityGroupEnforcingMode": mode});
    scenario(json!({
        "cluster": cluster,
        "workloads": [
            {"name": "db", "containerPort": 5432, "securityGroups": [SG_DB],
             "nodeSelector": {"kubernetes.io/hostname": "ng-1-1"}},
            {"name": "web", "securityGroups": [SG_WEB],
             "nodeSelector": {"kubernetes.io/hostname": "ng-1-2"}},
            {"name": "batch", "securityGroups": [SG_WEB],
             "nodeSelector": {"kubernetes.io/hostname": "ng-1-1"}},
            {"name": "api", "nodeSelector": {"kubernetes.io/hostname": "ng-1-1"}}
        ],
        "securityGroups": [
            {"id": SG_DB, "ingress": [{"protocol": "tcp", "ports": "5432", "from": "sg-0ab00001"}]},
            {"id": SG_WEB, "ingress": [{"ports": "8080", "from": "10.0.0.0/16"}]}
        ]
    }))
}

#[test]
fn a_security_group_deny_names_the_missing_rule() {
    let s = with_pod_security_groups("strict");
    let c = build(&s);
    let web_ip = c
        .pods
        .iter()
        .find(|p| p.workload == "web")
        .unwrap()
        .ip
        .unwrap();
    let t = trace(&s, "pod/web->pod/db");
    assert_eq!(
        dropped(&t),
        format!("security group {SG_DB} has no inbound rule for tcp/5432 from {SG_WEB} ({web_ip})")
    );
    assert_eq!(t.hops.last().unwrap().kind, HopKind::SecurityGroup);
    assert_eq!(t.hops.last().unwrap().at.to_string(), format!("sg:{SG_DB}"));
    // Allow sg-web and it passes, naming the rule.
    let mut s = s;
    s.security_groups[0].ingress[0].from = SG_WEB.into();
    let t = trace(&s, "pod/web->pod/db");
    delivered(&t);
    assert!(t
        .hops
        .iter()
        .any(|h| h.action.contains(&format!("rule: tcp 5432 from {SG_WEB}"))));
    // A pod without its own groups carries the cluster security group: not allowed.
    let reason = dropped(&trace(&s, "pod/api->pod/db"));
    assert!(reason.contains("from eks-cluster-sg-demo"), "{reason}");
}

#[test]
fn strict_mode_enforces_same_node_traffic_and_standard_does_not() {
    // batch (sg-web) and db share ng-1-1; db allows only sg-0ab00001.
    let s = with_pod_security_groups("strict");
    let t = trace(&s, "pod/api->pod/db");
    assert!(dropped(&t).contains(SG_DB));
    assert!(
        t.hops.iter().any(|h| h.action.contains("strict mode")),
        "{}",
        t.to_text()
    );
    let s = with_pod_security_groups("standard");
    let t = trace(&s, "pod/api->pod/db");
    delivered(&t);
    assert!(
        t.hops.iter().any(|h| h.action.contains("standard")),
        "{}",
        t.to_text()
    );
    // Another node is enforced in both modes.
    assert!(dropped(&trace(&s, "pod/web->pod/db")).contains(SG_DB));
}

#[test]
fn standard_mode_sends_traffic_leaving_the_vpc_with_eth0s_groups() {
    let mut s = with_pod_security_groups("standard");
    s.security_groups[0].egress = Some(Vec::new());
    let t = trace(&s, "pod/db->internet");
    delivered(&t);
    let mut s = with_pod_security_groups("strict");
    s.security_groups[0].egress = Some(Vec::new());
    let reason = dropped(&trace(&s, "pod/db->internet"));
    assert_eq!(
        reason,
        format!("security group {SG_DB} has no outbound rule for tcp/443 to 203.0.113.10")
    );
}

#[test]
fn bad_security_group_rules_and_flows_are_scenario_problems() {
    let mut s = with_pod_security_groups("strict");
    s.security_groups[0].ingress[0].ports = "99999".into();
    s.flows = vec![eksplain::scenario::Flow {
        from: "pod/nope".into(),
        to: "internet".into(),
    }];
    // The model's build reports them like any other problem with the scenario.
    let problems: Vec<String> = model::build(&s)
        .unwrap_err()
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems[0].starts_with("securityGroups[0].ingress[0].ports:"));
    assert!(
        problems[1].starts_with(
            "flows[0].from: no workload or pod `nope`; valid: pod/kube-system/aws-node"
        ),
        "{}",
        problems[1]
    );
}

// ---- drops, errors -------------------------------------------------------------------------

#[test]
fn pending_pods_and_failed_nodes_take_no_traffic() {
    let mut s = scenario(json!({
        "workloads": [{"name": "web", "replicas": 3},
                      {"name": "huge", "requests": {"cpu": "64"}}],
        "services": [lb_service("Cluster", public_nlb())]
    }));
    let t = trace(&s, "pod/huge->internet");
    assert!(dropped(&t).contains("Pending"), "{}", t.to_text());
    assert!(dropped(&trace(&s, "pod/web->pod/huge")).contains("is Pending"));
    s.node_states
        .insert("ng-1-1".into(), eksplain::scenario::NodeState::Failed);
    let t = trace(&s, "internet->service/web");
    delivered(&t);
    let failed = t
        .unhealthy_nodes
        .iter()
        .find(|u| u.node == "ng-1-1")
        .unwrap();
    assert!(failed.reason.contains("failed"));
    assert!(!t.shares.iter().any(|s| s.node == "ng-1-1"));
    assert_sums_to_one(&t);
    assert!(dropped(&trace(&s, "apiserver->node/ng-1-1")).contains("failed"));
    assert!(dropped(&trace(&s, "node/ng-1-1->internet")).contains("failed"));
}

#[test]
fn unknown_names_are_errors_that_list_the_valid_ones() {
    let s = uneven("Local", public_nlb());
    let c = build(&s);
    let tracer = Tracer::new(&c, &[]);
    let e = tracer
        .trace(&"internet->service/nope".parse().unwrap())
        .unwrap_err();
    assert!(e.message.starts_with("no service `nope`; valid: service/kubernetes, service/kube-system/kube-dns, service/web"), "{e}");
    let e = tracer
        .trace(&"node/ng-9->apiserver".parse().unwrap())
        .unwrap_err();
    assert!(e.message.contains("node/ng-1-1"), "{e}");
    let e = traffic::trace(&c, &[], "internet->ingress/x").unwrap_err();
    assert!(e.message.contains("there are none"), "{e}");
    let e = traffic::trace(&c, &[], "kubectl->pod/web").unwrap_err();
    assert!(e.message.contains("no path is modelled"), "{e}");
    assert!(traffic::trace(&c, &[], "garbage").is_err());
    // Namespaced names and the hostname work.
    assert!(traffic::trace(
        &c,
        &[],
        "pod/kube-system/coredns->service/kube-system/kube-dns"
    )
    .is_ok());
    let hostname = c.nodes[0].hostname();
    assert!(traffic::trace(&c, &[], &format!("node/{hostname}->apiserver")).is_ok());
    assert!(tracer.places().contains(&"pod/web".to_string()));
}

#[test]
fn every_flow_pair_traces_without_panicking() {
    let mut ipv6 = nodes_in(PRIVATE, json!({"prefixDelegation": true}));
    ipv6.cluster.ip_family = eksplain::scenario::IpFamily::IPv6;
    ipv6.services = uneven("Local", public_nlb()).services;
    let mut failed = with_ingress("ip", "Cluster");
    failed
        .node_states
        .insert("ng-1-2".into(), eksplain::scenario::NodeState::Failed);
    let mut blocked = uneven("Cluster", public_nlb());
    blocked.cluster.public_access_cidrs = vec!["203.0.113.0/24".into()];
    for s in [
        with_ingress("instance", "Local"),
        failed,
        blocked,
        ipv6,
        with_pod_security_groups("strict"),
        with_pod_security_groups("standard"),
        nodes_in(PUBLIC, json!({"externalSnat": true})),
    ] {
        every_pair(&s);
    }
}

fn every_pair(s: &Scenario) {
    let c = build(s);
    let tracer = Tracer::new(&c, &s.security_groups);
    let places = [
        "internet",
        "kubectl",
        "apiserver",
        "pod/web",
        "pod/db",
        "pod/coredns",
        "pod/aws-node",
        "service/web",
        "service/kubernetes",
        "service/kube-system/kube-dns",
        "ingress/shop",
        "node/ng-1-1",
        "node/ng-1-2",
        "node/ng-2-1",
    ];
    for a in places {
        for b in places {
            let flow = format!("{a}->{b}");
            if let Ok(t) = tracer.trace(&flow.parse().unwrap()) {
                assert!(!t.hops.is_empty(), "{flow}");
                if !t.shares.is_empty() && t.verdict.is_delivered() {
                    assert_sums_to_one(&t);
                }
            }
        }
    }
}

#[test]
fn a_trace_is_fast_on_a_large_cluster() {
    // 600 nodes, 12,000 web pods behind a Local NLB: tracing is linear in nodes and endpoints.
    let (t, elapsed) = large(600, 12_000, "internet->service/web");
    delivered(&t);
    assert_eq!(t.shares.len(), 12_000);
    assert_sums_to_one(&t);
    assert!(elapsed.as_millis() < 2_000, "{elapsed:?}");
}

/// `nodes` m5.large nodes over three /18 subnets, `pods` web pods behind a Local NLB; the trace
/// of `flow` and how long it took (building the cluster not counted).
fn large(nodes: u32, pods: u32, flow: &str) -> (Trace, std::time::Duration) {
    let mut subnets = Vec::new();
    for (i, az) in ["a", "b", "c"].iter().enumerate() {
        subnets.push(
            json!({"name": format!("public-{az}"), "az": format!("us-east-1{az}"),
                            "cidr": format!("10.0.{i}.0/24"), "public": true}),
        );
        subnets.push(
            json!({"name": format!("private-{az}"), "az": format!("us-east-1{az}"),
                            "cidr": format!("10.0.{}.0/18", 64 * (i + 1))}),
        );
    }
    let mut cluster = serde_json::to_value(default_scenario().cluster).unwrap();
    cluster["controlPlaneSubnets"] = json!(["private-a", "private-b", "private-c"]);
    let s = scenario(json!({
        "vpc": {"cidr": "10.0.0.0/16", "subnets": subnets, "natGateways": "HighlyAvailable"},
        "cluster": cluster,
        "managedNodeGroups": [{"name": "ng-1", "instanceType": "m5.large", "desiredCapacity": nodes,
                               "subnets": ["private-a", "private-b", "private-c"]}],
        "workloads": [{"name": "web", "replicas": pods, "requests": {"cpu": "10m", "memory": "16Mi"}}],
        "services": [lb_service("Local", public_nlb())]
    }));
    let c = build(&s);
    let tracer = Tracer::new(&c, &[]);
    let flow = flow.parse().unwrap();
    let start = std::time::Instant::now();
    let t = tracer.trace(&flow).unwrap();
    (t, start.elapsed())
}

/// The brief's scale: 5,000 nodes and 150,000 pods need IPv6 or several /16s of pod
/// addresses; with IPv4 /18s this is 2,000 nodes and 54,000 pods. Slow to build in a debug
/// build: `cargo test --release --test traffic -- --ignored`.
#[test]
#[ignore]
fn a_trace_is_fast_at_scale() {
    for flow in [
        "internet->service/web",
        "pod/web->service/web",
        "pod/web->internet",
    ] {
        let (t, elapsed) = large(2_000, 54_000, flow);
        eprintln!("{flow}: {} shares in {elapsed:?}", t.shares.len());
        assert!(elapsed.as_millis() < 500, "{flow}: {elapsed:?}");
    }
}

// ---- the CLI -------------------------------------------------------------------------------

#[test]
fn cli_trace_prints_the_documented_json() {
    let o = eksplain(&[
        "trace",
        "static/scenarios/etp-local.json",
        "--flow",
        "internet->service/web",
        "--json",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    for key in ["hops", "verdict", "reason", "clientIpPreserved", "shares"] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["verdict"], "delivered");
    assert_eq!(v["reason"], Value::Null);
    assert_eq!(v["clientIpPreserved"], true);
    assert_eq!(v["clientIpSeen"], "203.0.113.50");
    for hop in v["hops"].as_array().unwrap() {
        let mut keys: Vec<&str> = hop
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        keys.sort();
        assert_eq!(keys, ["action", "at", "crossAz", "dst", "kind", "src"]);
    }
    let mut fractions: Vec<&str> = v["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["fraction"].as_str().unwrap())
        .collect();
    fractions.sort();
    assert_eq!(fractions, ["1/2", "1/4", "1/4"]);
    let total: f64 = v["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["share"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-12);
    for s in v["shares"].as_array().unwrap() {
        for key in ["pod", "node", "az", "share", "fraction"] {
            assert!(s.get(key).is_some(), "share without {key}");
        }
    }
    assert_eq!(v["unhealthyNodes"][0]["node"], "ng-2-1");
    // Every flow of the file: an array; the table without --json.
    let o = eksplain(&["trace", "static/scenarios/etp-local.json", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let all: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(all.as_array().unwrap().len(), 5);
    let o = eksplain(&[
        "trace",
        "static/scenarios/etp-local.json",
        "--flow",
        "pod/web->internet",
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(text.contains("verdict: delivered"), "{text}");
    assert!(text.contains("SNAT"), "{text}");
}

#[test]
fn cli_trace_exit_statuses() {
    let o = eksplain(&[
        "trace",
        "static/scenarios/etp-local.json",
        "--flow",
        "internet->service/nope",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("valid: service/kubernetes"));
    let o = eksplain(&[
        "trace",
        "static/scenarios/etp-local.json",
        "--flow",
        "nonsense",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let o = eksplain(&["trace", "static/scenarios/default.json"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "no flows in the file and no --flow"
    );
    let o = eksplain(&[
        "trace",
        "tests/fixtures/invalid.json",
        "--flow",
        "kubectl->apiserver",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let o = eksplain(&["trace", "no/such/file.json", "--flow", "kubectl->apiserver"]);
    assert_eq!(o.status.code(), Some(2));
    // A drop is an answer, not a failure.
    let o = eksplain(&[
        "trace",
        "static/scenarios/default.json",
        "--flow",
        "internet->pod/coredns",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["verdict"], "dropped");
    assert!(v["reason"].as_str().unwrap().contains("private"));
}

#[test]
fn the_etp_local_preset_checks_and_its_flows_trace() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/static/scenarios/etp-local.json"
    ))
    .unwrap();
    let s = eksplain::scenario::from_json(&text).unwrap();
    let c = build(&s);
    assert!(traffic::check(&c, &s).is_empty());
    let tracer = Tracer::new(&c, &s.security_groups);
    for f in &s.flows {
        let t = tracer
            .trace(&traffic::Flow::from_document(f).unwrap())
            .unwrap();
        delivered(&t);
    }
}
