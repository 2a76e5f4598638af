//! Every VPC CNI mode and the EKS control plane, through the whole model.
#![cfg(not(target_arch = "wasm32"))]

use eksplain::model::aws::api_access::ApiPath;
use eksplain::model::aws::eni::EniRole;
use eksplain::model::aws::vpc_cni::IpamMode;
use eksplain::model::{self, Cluster, Severity};
use eksplain::scenario::{default_scenario, IpFamily, NatGatewayMode, Scenario, Subnet};

fn build(s: &Scenario) -> Cluster {
    model::build(s).unwrap_or_else(|p| panic!("{p:?}"))
}

fn has_finding(c: &Cluster, severity: Severity, subject: &str, text: &str) -> bool {
    c.findings
        .iter()
        .any(|f| f.severity == severity && f.subject == subject && f.message.contains(text))
}

#[test]
fn prefix_delegation_turns_29_into_110_and_hands_out_prefixes() {
    let mut s = default_scenario();
    assert!(build(&s)
        .nodes
        .iter()
        .all(|n| n.max_pods.value == 29 && n.ipam_mode == IpamMode::SecondaryIp));
    s.cluster.vpc_cni.prefix_delegation = true;
    let c = build(&s);
    for n in &c.nodes {
        assert_eq!(n.max_pods.value, 110, "{}", n.max_pods.formula);
        assert_eq!(n.ipam_mode, IpamMode::Prefix);
        // WARM_PREFIX_TARGET=1: one prefix in use (CoreDNS runs on the first two nodes) and one
        // whole prefix warm.
        let coredns = c
            .pods
            .iter()
            .filter(|p| {
                p.node == Some(c.nodes.iter().position(|x| x.name == n.name).unwrap())
                    && !p.host_network
            })
            .count();
        assert_eq!(
            n.enis[0].prefixes.len(),
            1 + usize::from(coredns > 0),
            "{}",
            n.name
        );
        assert!(n.enis[0].slots.is_empty());
    }
    // private-a: the EKS ENI (.4), the node (.5), then the first wholly free /28: .16/28.
    assert_eq!(
        c.nodes[0].enis[0].prefixes[0].cidr.to_string(),
        "10.0.16.16/28"
    );
    assert_eq!(c.subnets[3].used(), 1 + 1 + 2 * 16);
}

#[test]
fn prefix_delegation_is_refused_on_xen_and_old_cni_with_a_reason() {
    let mut s = default_scenario();
    s.cluster.vpc_cni.prefix_delegation = true;
    s.managed_node_groups[0].instance_type = "m4.large".into();
    let c = build(&s);
    assert!(c.nodes.iter().all(|n| n.ipam_mode == IpamMode::SecondaryIp));
    assert!(has_finding(
        &c,
        Severity::Warning,
        "node:ng-1-1",
        "neither a Nitro nor a bare-metal instance type"
    ));
    s.managed_node_groups[0].instance_type = "m5.large".into();
    s.cluster.vpc_cni.version = "1.8.0".into();
    let c = build(&s);
    assert!(has_finding(
        &c,
        Severity::Warning,
        "node:ng-1-1",
        "needs VPC CNI 1.9.0"
    ));
    assert_eq!(c.nodes[0].max_pods.value, 29);
}

fn with_custom_networking() -> Scenario {
    let mut s = default_scenario();
    s.vpc.secondary_cidrs = vec!["100.64.0.0/16".into()];
    for (i, az) in ["a", "b", "c"].iter().enumerate() {
        s.vpc.subnets.push(Subnet {
            tags: Default::default(),
            name: format!("pods-{az}"),
            az: format!("us-east-1{az}"),
            cidr: format!("100.64.{}.0/19", i * 32),
            public: false,
        });
        s.cluster
            .vpc_cni
            .custom_networking
            .insert(format!("us-east-1{az}"), format!("pods-{az}"));
    }
    s
}

#[test]
fn custom_networking_moves_pod_addresses_to_the_eniconfig_subnet() {
    let c = build(&with_custom_networking());
    let n = &c.nodes[0];
    assert_eq!(n.max_pods.value, 20, "{}", n.max_pods.formula); // 2 ENIs × 9 + 2
    assert_eq!(n.enis[0].capacity, 0);
    assert!(n.enis[0].slots.is_empty());
    assert_eq!(c.subnets[n.enis[1].subnet].name, "pods-a");
    assert_eq!(n.enis[1].slots[0].ip.to_string(), "100.64.0.5");
    // The node subnet keeps only the node's own address (and the EKS ENI).
    assert_eq!(c.subnets[3].used(), 2);
}

#[test]
fn custom_networking_rejects_an_eniconfig_in_another_az() {
    let mut s = with_custom_networking();
    s.cluster
        .vpc_cni
        .custom_networking
        .insert("us-east-1a".into(), "pods-b".into());
    let problems = model::build(&s).unwrap_err();
    assert_eq!(
        problems[0].path.as_str(),
        "cluster.vpcCni.customNetworking.us-east-1a"
    );
    assert!(problems[0]
        .message
        .contains("must name a subnet in us-east-1a"));
}

#[test]
fn ipv6_nodes_get_a_slash_80_and_still_an_ipv4_address() {
    let mut s = default_scenario();
    s.cluster.ip_family = IpFamily::IPv6;
    let problems = model::build(&s).unwrap_err();
    assert_eq!(problems[0].path.as_str(), "cluster.vpcCni.prefixDelegation");
    s.cluster.vpc_cni.prefix_delegation = true;
    let c = build(&s);
    let n = &c.nodes[0];
    assert_eq!(n.ipam_mode, IpamMode::Ipv6);
    assert_eq!(n.ipv6_prefix.unwrap().prefix_len(), 80);
    assert_eq!(n.primary_ip.to_string(), "10.0.16.5");
    assert_eq!(n.enis.len(), 1);
    assert!(n.enis[0].slots.is_empty() && n.enis[0].prefixes.is_empty());
    let prefixes: std::collections::HashSet<_> =
        c.nodes.iter().map(|n| n.ipv6_prefix.unwrap()).collect();
    assert_eq!(prefixes.len(), 3);
}

#[test]
fn security_groups_for_pods_attach_a_trunk_eni_or_say_why_not() {
    let mut s = default_scenario();
    s.cluster.vpc_cni.pod_eni = true;
    let c = build(&s);
    let n = &c.nodes[0];
    assert_eq!(
        n.pod_enis, 2,
        "the trunk takes one of m5.large's 3 ENI slots"
    );
    assert!(n.enis.iter().any(|e| e.role == EniRole::Trunk));
    s.managed_node_groups[0].instance_type = "t3.large".into();
    let c = build(&s);
    assert!(c
        .nodes
        .iter()
        .all(|n| n.enis.iter().all(|e| e.role != EniRole::Trunk)));
    assert!(has_finding(
        &c,
        Severity::Warning,
        "node:ng-1-1",
        "t family"
    ));
}

#[test]
fn the_control_plane_places_cross_account_enis_in_two_to_four_azs() {
    let c = build(&default_scenario());
    let ips: Vec<String> = c
        .control_plane
        .enis
        .iter()
        .map(|e| e.ip.to_string())
        .collect();
    assert_eq!(ips, vec!["10.0.16.4", "10.0.32.4", "10.0.48.4"]);
    let mut s = default_scenario();
    s.cluster.control_plane_subnets = vec!["private-a".into(), "public-a".into()];
    let problems = model::build(&s).unwrap_err();
    assert_eq!(problems[0].path.as_str(), "cluster.controlPlaneSubnets");
    assert!(problems[0]
        .message
        .contains("at least two Availability Zones"));
}

#[test]
fn a_small_control_plane_subnet_is_a_warning() {
    let mut s = default_scenario();
    s.vpc.subnets.push(Subnet {
        tags: Default::default(),
        name: "cp-a".into(),
        az: "us-east-1a".into(),
        cidr: "10.0.250.0/28".into(),
        public: false,
    });
    s.vpc.subnets.push(Subnet {
        tags: Default::default(),
        name: "cp-b".into(),
        az: "us-east-1b".into(),
        cidr: "10.0.250.16/28".into(),
        public: false,
    });
    s.cluster.control_plane_subnets = vec!["cp-a".into(), "cp-b".into()];
    let c = build(&s);
    assert!(has_finding(
        &c,
        Severity::Warning,
        "subnet:cp-a",
        "10 free addresses left; EKS recommends at least 16"
    ));
}

#[test]
fn a_nat_gateway_outside_public_access_cidrs_stops_nodes_joining() {
    let mut s = default_scenario();
    s.cluster.public_access_cidrs = vec!["203.0.113.0/24".into()];
    let c = build(&s);
    assert!(matches!(c.nodes[0].api_path, ApiPath::Blocked(_)));
    assert!(has_finding(
        &c,
        Severity::Error,
        "node:ng-1-1",
        "198.51.100.10, which is not in publicAccessCIDRs (203.0.113.0/24)"
    ));
    // Adding the NAT gateways' addresses fixes it.
    s.cluster.public_access_cidrs.push("198.51.100.0/24".into());
    let c = build(&s);
    assert!(matches!(
        c.nodes[0].api_path,
        ApiPath::PublicViaNatGateway { .. }
    ));
    // So does private access: node traffic stays in the VPC.
    s.cluster.public_access_cidrs = vec!["203.0.113.0/24".into()];
    s.cluster.cluster_endpoints.private_access = true;
    let c = build(&s);
    assert_eq!(c.nodes[0].api_path, ApiPath::PrivateEndpoint { eni: 0 });
    assert!(c.findings.iter().all(|f| f.severity != Severity::Error));
}

#[test]
fn private_only_without_nat_needs_vpc_endpoints() {
    let mut s = default_scenario();
    s.cluster.cluster_endpoints.public_access = false;
    s.cluster.cluster_endpoints.private_access = true;
    s.vpc.nat_gateways = NatGatewayMode::Disable;
    let c = build(&s);
    assert!(has_finding(
        &c,
        Severity::Info,
        "control-plane",
        "private endpoint only"
    ));
    assert!(has_finding(
        &c,
        Severity::Warning,
        "control-plane",
        "VPC endpoints for ECR"
    ));
    s.cluster.cluster_endpoints.private_access = false;
    let problems = model::build(&s).unwrap_err();
    assert_eq!(problems[0].path.as_str(), "cluster.clusterEndpoints");
}

#[test]
fn small_subnets_are_reported_with_numbers_and_a_fix() {
    let mut s = default_scenario();
    for (i, sub) in s.vpc.subnets.iter_mut().enumerate().skip(3) {
        sub.cidr = format!("10.0.{}.0/26", 16 * i);
    }
    s.managed_node_groups[0].desired_capacity = 6;
    let c = build(&s);
    let f = c
        .findings
        .iter()
        .find(|f| f.subject == "subnet:private-a")
        .expect("a finding for private-a");
    assert_eq!(f.severity, Severity::Warning);
    // /26: 59 usable. EKS ENI 1; ng-1-1 runs a CoreDNS pod, so it holds eth0 + eth1 (1 + 18 +
    // 1), ng-1-4 holds eth0's 9 warm addresses (1 + 9): 31 used, 28 free. Reaching 27 pods
    // each (29 max − aws-node − kube-proxy) needs 10 + 20 more addresses.
    assert!(
        f.message.contains(
            "that needs 30 more addresses and 28 are free, so only 35 more pods fit (of 53)"
        ),
        "{}",
        f.message
    );
    assert!(
        f.message
            .contains("a /25 subnet or larger (123 usable addresses)"),
        "{}",
        f.message
    );
    assert!(
        f.message.contains("custom networking: add 100.64.0.0/16"),
        "{}",
        f.message
    );
    let cap = c.subnets[3].capacity;
    assert_eq!(
        (cap.more_pods, cap.more_nodes, cap.addresses_per_new_node),
        (35, Some(2), 10)
    );
}

/// aws/amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go` `isConfigValid`: in IPv6 mode on a type without
/// prefix delegation ipamd does not start, so the node never becomes Ready.
#[test]
fn ipv6_on_a_xen_type_is_an_error_and_the_node_takes_no_pods() {
    let mut s = default_scenario();
    s.cluster.ip_family = IpFamily::IPv6;
    s.cluster.vpc_cni.prefix_delegation = true;
    s.managed_node_groups[0].instance_type = "m4.large".into();
    let c = build(&s);
    assert!(has_finding(
        &c,
        Severity::Error,
        "node:ng-1-1",
        "m4.large is neither a Nitro nor a bare-metal instance type"
    ));
    for n in &c.nodes {
        assert_eq!(n.ipv6_prefix, None, "{}", n.name);
        assert!(n
            .enis
            .iter()
            .all(|e| e.slots.is_empty() && e.prefixes.is_empty()));
    }
    assert!(c.pods.iter().all(|p| p.node.is_none()));
}

/// aws/amazon-vpc-cni-k8s `pkg/awsutils/awsutils.go` `IsPrefixDelegationSupported` ("nitro"
/// or bare metal): a bare-metal node takes /28 prefixes, while the max-pods calculator
/// (awslabs/amazon-eks-ami `max-pods-calculator.sh`) still gives the secondary-IP figure.
#[test]
fn bare_metal_nodes_take_prefixes_with_the_calculators_max_pods() {
    let mut s = default_scenario();
    s.cluster.vpc_cni.prefix_delegation = true;
    s.managed_node_groups[0].instance_type = "m5.metal".into();
    let c = build(&s);
    let n = &c.nodes[0];
    assert_eq!(n.ipam_mode, IpamMode::Prefix);
    assert!(!n.enis[0].prefixes.is_empty());
    // 15 ENIs × (50 − 1) + 2 = 737, capped at 250 (96 vCPUs).
    assert_eq!(n.max_pods.value, 250, "{}", n.max_pods.formula);
    assert!(n.max_pods.formula.starts_with("15 ENIs × (50 IPs − 1) + 2"));
    assert!(has_finding(
        &c,
        Severity::Info,
        "node:ng-1-1",
        "m5.metal is bare metal: ipamd gives it prefixes"
    ));
}

/// aws/amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go` `isDatastorePoolTooLow` (VPC CNI 1.16.3+): a
/// `maxPodsPerNode` the first ENI already covers keeps no spare ENI; CNI 1.16.2 still does.
#[test]
fn max_pods_per_node_stops_the_warm_pool_from_cni_1_16_3() {
    let mut s = default_scenario();
    s.managed_node_groups[0].max_pods_per_node = Some(8);
    let c = build(&s);
    assert!(
        c.nodes.iter().all(|n| n.enis.len() == 1),
        "one ENI per node"
    );
    s.cluster.vpc_cni.version = "1.16.2".into();
    let old = build(&s);
    let busy = old.nodes.iter().find(|n| n.ip_pods() > 0).unwrap();
    assert_eq!(busy.enis.len(), 2);
}

/// aws/amazon-vpc-cni-k8s README (MINIMUM_IP_TARGET): without WARM_IP_TARGET "this
/// configuration will prevent future ENIs/IPs from being allocated".
#[test]
fn minimum_ip_target_alone_leaves_later_pods_without_an_address() {
    let mut s = default_scenario();
    s.cluster.vpc_cni.minimum_ip_target = Some(2);
    s.workloads
        .push(serde_json::from_value(serde_json::json!({"name": "web", "replicas": 12})).unwrap());
    let c = build(&s);
    assert!(c
        .nodes
        .iter()
        .all(|n| n.enis.iter().map(|e| e.held()).sum::<u32>() <= 2));
    assert!(c
        .pods
        .iter()
        .any(|p| p.status == eksplain::model::PodStatus::ContainerCreating));
    assert!(c.findings.iter().any(|f| f.severity == Severity::Warning
        && f.message
            .contains("MINIMUM_IP_TARGET=2 is set without WARM_IP_TARGET")));
}
