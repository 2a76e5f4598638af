//! IPv6 clusters end to end: Services and security-group pods get IPv6 addresses, as EKS gives
//! them (issue 14, rules 4 and 14).

use std::net::IpAddr;

use eksplain::model::traffic::{self, HopKind, Verdict};
use eksplain::model::{self, Cluster};
use eksplain::scenario::{default_scenario, IpFamily, Scenario, Workload};

fn ipv6_cluster(security_groups: &[&str]) -> Scenario {
    let mut s = default_scenario();
    s.cluster.ip_family = IpFamily::IPv6;
    s.cluster.vpc_cni.prefix_delegation = true;
    s.cluster.vpc_cni.pod_eni = !security_groups.is_empty();
    let mut web: Workload = serde_json::from_value(serde_json::json!({
        "name": "web", "replicas": 3, "labels": {"app": "web"}
    }))
    .unwrap();
    web.security_groups = security_groups.iter().map(|g| g.to_string()).collect();
    s.workloads.push(web);
    s.services.push(
        serde_json::from_value(serde_json::json!({
            "name": "web", "selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]
        }))
        .unwrap(),
    );
    s
}

fn build(s: &Scenario) -> Cluster {
    model::build(s).unwrap_or_else(|p| panic!("{p:#?}"))
}

/// EKS user guide, "IPv6 addresses for clusters, Pods, and services"
/// (https://docs.aws.amazon.com/eks/latest/userguide/cni-ipv6.html) and the EKS API reference
/// (`KubernetesNetworkConfigRequest.ipFamily`): an IPv6 cluster's Services get addresses from
/// the unique-local range fc00::/7. A pod calling a Service is DNATed from an IPv6 ClusterIP to
/// an IPv6 pod address; no IPv4 address appears on the way.
#[test]
fn an_ipv6_pod_calls_an_ipv6_cluster_ip() {
    let s = ipv6_cluster(&[]);
    let c = build(&s);
    let ula: ipnet::IpNet = "fc00::/7".parse().unwrap();
    assert!(ula.contains(&c.service_cidr), "{}", c.service_cidr);
    assert!(c.services.iter().all(|svc| svc.cluster_ip.is_ipv6()));
    assert_eq!(
        c.cluster_dns,
        eksplain::model::k8s::service_cidr::nth(c.service_cidr, 10)
    );
    let web = c.services.iter().find(|svc| svc.name == "web").unwrap();
    let t = traffic::trace(&c, &s.security_groups, "pod/web->service/web").unwrap();
    assert_eq!(t.verdict, Verdict::Delivered, "{}", t.to_text());
    assert!(
        t.to_text().contains(&web.cluster_ip.to_string()),
        "{}",
        t.to_text()
    );
    for hop in &t.hops {
        assert!(hop.src.is_ipv6() && hop.dst.is_ipv6(), "{hop:?}");
    }
    let dnat = t
        .hops
        .iter()
        .find(|h| h.kind == HopKind::KubeProxy)
        .unwrap();
    assert!(
        dnat.action
            .starts_with(&format!("kube-proxy DNAT [{}]:80 → [", web.cluster_ip)),
        "{}",
        dnat.action
    );
}

/// EKS user guide, cni-ipv6.html ("You can use IPv6 with security groups for Pods") and the
/// VPC CNI's `pkg/ipamd/rpc_handler.go` (aws/amazon-vpc-cni-k8s): a branch-ENI pod takes
/// `firstENI.IPV6Addr` when IPv6 is on, `PrivateIP` otherwise. Its branch ENI still holds an
/// IPv4 address of the subnet (every ENI in a dual-stack subnet does).
#[test]
fn security_group_pods_in_an_ipv6_cluster_get_ipv6_addresses() {
    let c = build(&ipv6_cluster(&["sg-0123456789abcdef0"]));
    let branch_pods: Vec<_> = c
        .nodes
        .iter()
        .flat_map(|n| n.branches.iter().map(move |b| (n, b)))
        .collect();
    assert_eq!(branch_pods.len(), 3);
    let mut seen = std::collections::HashSet::new();
    for (node, b) in branch_pods {
        let pod = c.pods.iter().find(|p| p.name == b.pod).unwrap();
        let Some(IpAddr::V6(v6)) = pod.ip else {
            panic!("{} has {:?}", pod.name, pod.ip)
        };
        assert!(seen.insert(v6), "{v6} twice");
        // In the branch ENI's subnet's /64, outside the node's /80.
        let subnet64 = ipnet::Ipv6Net::new(node.ipv6_prefix.unwrap().network(), 64)
            .unwrap()
            .trunc();
        assert!(subnet64.contains(&v6) && !node.ipv6_prefix.unwrap().contains(&v6));
        assert!(c.subnets[b.subnet].cidr.contains(&b.ip));
    }
    // A call to their Service ends at a branch pod's IPv6 address, through its branch ENI.
    let s = ipv6_cluster(&["sg-0123456789abcdef0"]);
    let t = traffic::trace(
        &c,
        &s.security_groups,
        "pod/kube-system/coredns->service/web",
    )
    .unwrap();
    assert_eq!(t.verdict, Verdict::Delivered, "{}", t.to_text());
    assert!(
        t.hops.iter().all(|h| h.src.is_ipv6() && h.dst.is_ipv6()),
        "{}",
        t.to_text()
    );
    assert!(t.to_text().contains("branch"), "{}", t.to_text());
    // The same pods in an IPv4 cluster keep their branch ENI's IPv4 address.
    let mut v4 = ipv6_cluster(&["sg-0123456789abcdef0"]);
    v4.cluster.ip_family = IpFamily::IPv4;
    let c = build(&v4);
    for b in c.nodes.iter().flat_map(|n| &n.branches) {
        let pod = c.pods.iter().find(|p| p.name == b.pod).unwrap();
        assert_eq!(pod.ip, Some(IpAddr::V4(b.ip)));
    }
}
