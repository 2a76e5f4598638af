//! Properties of address allocation over random scenarios: no address given twice, every
//! address inside its subnet and not reserved, and the same scenario gives the same answer.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;
use std::net::Ipv4Addr;

use eksplain::model::{self, aws::instance_types::InstanceTypes};
use eksplain::scenario::{default_scenario, NodeGroup, Scenario, Subnet};
use proptest::prelude::*;

/// Subnets carved in order out of 10.0.0.0/16, each aligned to its own size.
fn subnets() -> impl Strategy<Value = Vec<Subnet>> {
    prop::collection::vec((20u8..=28, any::<bool>(), 0usize..3), 2..7).prop_map(|specs| {
        let mut next: u32 = u32::from(Ipv4Addr::new(10, 0, 0, 0));
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (prefix, public, az))| {
                let size = 1u32 << (32 - prefix);
                next = next.div_ceil(size) * size;
                let cidr = format!("{}/{prefix}", Ipv4Addr::from(next));
                next += size;
                Subnet {
                    tags: Default::default(),
                    name: format!("s{i}"),
                    // The first two subnets are in different AZs, as EKS requires.
                    az: format!("us-east-1{}", ['a', 'b', 'c'][if i < 2 { i } else { az }]),
                    cidr,
                    public,
                }
            })
            .collect()
    })
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let types = InstanceTypes::get().all().len();
    (
        subnets(),
        prop::collection::vec(
            (0..types, 0u32..12, prop::collection::vec(0usize..6, 1..4)),
            0..4,
        ),
        (
            0u32..3,
            prop::option::of(0u32..20),
            prop::option::of(0u32..40),
        ),
        (any::<bool>(), any::<bool>(), any::<bool>(), 0u32..300),
    )
        .prop_map(
            move |(subnets, groups, (warm_eni, warm_ip, min_ip), (pd, custom, pod_eni, replicas))| {
                let mut s = default_scenario();
                s.vpc.nat_gateways = eksplain::scenario::NatGatewayMode::Disable;
                s.cluster.control_plane_subnets.clear();
                s.managed_node_groups = groups
                    .into_iter()
                    .enumerate()
                    .map(|(g, (t, n, picks))| NodeGroup {
                        name: format!("ng{g}"),
                        instance_type: InstanceTypes::get().all()[t].name.clone(),
                        desired_capacity: n,
                        subnets: picks
                            .into_iter()
                            .map(|p| subnets[p % subnets.len()].name.clone())
                            .collect(),
                        labels: Default::default(),
                        taints: Vec::new(),
                        max_pods_per_node: None,
                    })
                    .collect();
                if custom {
                    for sub in subnets.iter().rev() {
                        s.cluster
                            .vpc_cni
                            .custom_networking
                            .insert(sub.az.clone(), sub.name.clone());
                    }
                }
                s.cluster.vpc_cni.prefix_delegation = pd;
                s.cluster.vpc_cni.pod_eni = pod_eni;
            // Pods that fill (and overfill) nodes and subnets, some wanting branch ENIs.
            s.workloads = serde_json::from_value(serde_json::json!([
                {"name": "web", "replicas": replicas, "requests": {"cpu": "10m", "memory": "16Mi"}},
                {"name": "db", "replicas": replicas / 10, "securityGroups": ["sg-0123456789abcdef0"]}
            ]))
            .expect("valid workloads");
                s.vpc.subnets = subnets;
                s.cluster.vpc_cni.warm_eni_target = Some(warm_eni);
                s.cluster.vpc_cni.warm_ip_target = warm_ip;
                s.cluster.vpc_cni.minimum_ip_target = min_ip;
                s
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn addresses_are_unique_inside_their_subnet_and_not_reserved(s in scenario()) {
        let cluster = model::build(&s).expect("generated scenarios are valid");
        let mut seen = HashSet::new();
        for e in &cluster.control_plane.enis {
            prop_assert!(seen.insert(e.ip), "{} given twice", e.ip);
            prop_assert!(cluster.subnets[e.subnet].cidr.contains(&e.ip));
        }
        for node in &cluster.nodes {
            for eni in &node.enis {
                let subnet = &cluster.subnets[eni.subnet];
                let first = u32::from(subnet.cidr.network());
                let last = u32::from(subnet.cidr.broadcast());
                let in_prefixes = eni.prefixes.iter().flat_map(|p| {
                    let base = u32::from(p.cidr.network());
                    (0..16).map(move |k| Ipv4Addr::from(base + k))
                });
                for ip in std::iter::once(eni.primary_ip).chain(eni.slots.iter().map(|s| s.ip)).chain(in_prefixes) {
                    prop_assert!(seen.insert(ip), "{ip} given twice");
                    let n = u32::from(ip);
                    prop_assert!(n >= first + 4 && n < last, "{ip} is reserved or outside {}", subnet.cidr);
                }
                for p in &eni.prefixes {
                    prop_assert_eq!(p.cidr.prefix_len(), 28);
                    prop_assert_eq!(u32::from(p.cidr.network()) % 16, 0, "{} is not /28-aligned", p.cidr);
                }
                prop_assert!((eni.slots.len() + eni.prefixes.len()) as u32 <= eni.capacity);
            }
            prop_assert!(node.enis.len() as u32 <= node.instance_type.max_enis);
            for b in &node.branches {
                prop_assert!(seen.insert(b.ip), "{} given twice", b.ip);
            }
        }
        let mut pod_ips = HashSet::new();
        for pod in &cluster.pods {
            use eksplain::model::PodStatus::*;
            match pod.status {
                Running => prop_assert!(pod.ip.is_some() && pod.node.is_some()),
                ContainerCreating => prop_assert!(pod.ip.is_none() && pod.node.is_some()),
                Pending => prop_assert!(pod.ip.is_none() && pod.node.is_none() && pod.reason.is_some()),
            }
            if let (Some(ip), false) = (pod.ip, pod.host_network) {
                prop_assert!(pod_ips.insert(ip), "pod address {ip} given twice");
            }
        }
        for subnet in &cluster.subnets {
            prop_assert!(subnet.used() <= subnet.usable());
            let held: u32 = cluster.enis().filter(|(_, e)| cluster.subnets[e.subnet].name == subnet.name)
                .map(|(_, e)| 1 + e.held()).sum();
            let branches = cluster.nodes.iter().flat_map(|n| &n.branches)
                .filter(|b| cluster.subnets[b.subnet].name == subnet.name).count() as u32;
            let others = subnet.usage.nat_gateways + subnet.usage.eks_enis;
            prop_assert_eq!(held + branches + others, subnet.used());
        }
    }

    #[test]
    fn the_same_scenario_gives_the_same_allocation(s in scenario()) {
        prop_assert_eq!(model::build(&s).unwrap(), model::build(&s.clone()).unwrap());
    }
}

#[test]
fn a_full_subnet_stops_nodes_launching_with_a_finding() {
    let mut s = default_scenario();
    s.vpc.subnets[3].cidr = "10.0.16.0/28".into(); // 11 usable addresses
    s.managed_node_groups[0].desired_capacity = 36; // twelve nodes placed in private-a
    let cluster = model::build(&s).unwrap();
    // The control plane's cross-account ENI takes one address; nodes launch next and take one
    // each: ten fit, the eleventh (ng-1-31) cannot launch, and no address is left for any
    // warm pool.
    let in_a: Vec<_> = cluster.nodes.iter().filter(|n| n.subnet == 3).collect();
    assert_eq!(in_a.len(), 10);
    assert!(in_a.iter().all(|n| n.secondary_ips() == 0));
    assert!(cluster
        .findings
        .iter()
        .any(|f| f.subject == "node:ng-1-31"
            && f.message.contains("InsufficientFreeAddressesInSubnet")));
    assert_eq!(cluster.subnets[3].free(), 0);
    assert!(cluster
        .findings
        .iter()
        .any(|f| f.subject == "subnet:private-a" && f.message.contains("no free address")));
}
