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
    prop::collection::vec((20u8..=28, any::<bool>(), 0usize..3), 1..7).prop_map(|specs| {
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
                    name: format!("s{i}"),
                    az: format!("us-east-1{}", ['a', 'b', 'c'][az]),
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
    )
        .prop_map(move |(subnets, groups, (warm_eni, warm_ip, min_ip))| {
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
            s.vpc.subnets = subnets;
            s.cluster.vpc_cni.warm_eni_target = Some(warm_eni);
            s.cluster.vpc_cni.warm_ip_target = warm_ip;
            s.cluster.vpc_cni.minimum_ip_target = min_ip;
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn addresses_are_unique_inside_their_subnet_and_not_reserved(s in scenario()) {
        let cluster = model::build(&s).expect("generated scenarios are valid");
        let mut seen = HashSet::new();
        for node in &cluster.nodes {
            for eni in &node.enis {
                let subnet = &cluster.subnets[eni.subnet];
                let first = u32::from(subnet.cidr.network());
                let last = u32::from(subnet.cidr.broadcast());
                for ip in std::iter::once(eni.primary_ip).chain(eni.slots.iter().map(|s| s.ip)) {
                    prop_assert!(seen.insert(ip), "{ip} given twice");
                    let n = u32::from(ip);
                    prop_assert!(n >= first + 4 && n < last, "{ip} is reserved or outside {}", subnet.cidr);
                }
                prop_assert!(eni.slots.len() as u32 <= eni.capacity);
            }
            prop_assert!(node.enis.len() as u32 <= node.instance_type.max_enis);
        }
        for subnet in &cluster.subnets {
            prop_assert!(subnet.used() <= subnet.usable());
            let held: u32 = cluster.enis().filter(|(_, e)| cluster.subnets[e.subnet].name == subnet.name)
                .map(|(_, e)| 1 + e.slots.len() as u32).sum();
            prop_assert_eq!(held, subnet.used());
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
    s.managed_node_groups[0].desired_capacity = 9; // three nodes placed in private-a
    let cluster = model::build(&s).unwrap();
    // The first node takes its address and 9 warm ones (10 of 11); the second gets only its
    // primary address; the third cannot launch.
    let in_a: Vec<_> = cluster.nodes.iter().filter(|n| n.subnet == 3).collect();
    assert_eq!(in_a.len(), 2);
    assert_eq!(in_a[1].secondary_ips(), 0);
    assert!(cluster
        .findings
        .iter()
        .any(|f| f.subject == "node:ng-1-7"
            && f.message.contains("InsufficientFreeAddressesInSubnet")));
    assert_eq!(cluster.subnets[3].free(), 0);
    assert!(cluster
        .findings
        .iter()
        .any(|f| f.subject == "subnet:private-a" && f.message.contains("no free address")));
}
