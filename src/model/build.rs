//! The one entry point: a `Scenario` in, a `Cluster` (or every problem found) out.

use super::aws::eni::{Eni, IpSlot};
use super::aws::nat_gateway::place_nat_gateways;
use super::aws::node_group::{place_nodes, Placement};
use super::aws::subnet::AddressPool;
use super::aws::vpc::{build_subnets, build_vpc};
use super::aws::vpc_cni::{plan_secondary_ips, WarmPool};
use super::cluster::Cluster;
use super::finding::{Finding, Severity};
use super::node::Node;
use crate::scenario::{Path, Problem, Scenario};

/// Builds the cluster a scenario describes. Every problem is collected before giving up, so a
/// user sees them all at once.
pub fn build(scenario: &Scenario) -> Result<Cluster, Vec<Problem>> {
    let mut problems = Vec::new();
    let vpc = build_vpc(&scenario.vpc, &mut problems);
    let mut subnets = build_subnets(&scenario.vpc, vpc.as_ref(), &mut problems);
    let mut nat_gateways = place_nat_gateways(scenario.vpc.nat_gateways, &subnets, &mut problems);
    let placements = place_nodes(&scenario.managed_node_groups, &subnets, &mut problems);
    check_subnet_references(scenario, &subnets, &mut problems);
    let Some(vpc) = vpc else { return Err(problems) };
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut pools: Vec<AddressPool> = subnets.iter().map(|s| AddressPool::new(s.cidr)).collect();
    let mut findings = Vec::new();
    // NAT gateways exist before the cluster: they take their subnet's first free address.
    for nat in &mut nat_gateways {
        nat.private_ip = pools[nat.subnet].take();
        match nat.private_ip {
            Some(_) => subnets[nat.subnet].usage.nat_gateways += 1,
            None => findings.push(Finding {
                severity: Severity::Error,
                subject: nat.id.clone(),
                message: format!(
                    "the NAT gateway could not be created: subnet {} has no free address",
                    subnets[nat.subnet].name
                ),
            }),
        }
    }

    let warm = WarmPool::from_settings(&scenario.cluster.vpc_cni);
    let mut nodes = Vec::with_capacity(placements.len());
    for placement in placements {
        let az = subnets[placement.subnet].az.clone();
        match launch_node(placement, az, &mut pools, warm) {
            Ok(node) => nodes.push(node),
            Err(finding) => findings.push(finding),
        }
    }
    for node in &nodes {
        for eni in &node.enis {
            let usage = &mut subnets[eni.subnet].usage;
            usage.eni_primaries += 1;
            usage.pods += eni.used();
            usage.warm += eni.warm();
        }
    }
    for (i, subnet) in subnets.iter().enumerate() {
        if pools[i].remaining() == 0 {
            findings.push(Finding {
                severity: Severity::Warning,
                subject: subnet.id.clone(),
                message: format!(
                    "subnet {} ({}) has no free address left",
                    subnet.name, subnet.cidr
                ),
            });
        }
    }

    let mut azs: Vec<String> = Vec::new();
    for s in &subnets {
        if !azs.contains(&s.az) {
            azs.push(s.az.clone());
        }
    }
    Ok(Cluster {
        name: scenario.cluster.name.clone(),
        vpc,
        azs,
        internet_gateway: subnets.iter().any(|s| s.public),
        subnets,
        nat_gateways,
        nodes,
        cni: scenario.cluster.vpc_cni.clone(),
        findings,
    })
}

/// Launches one node: its primary ENI's address, then the ENIs and secondary addresses the
/// VPC CNI's warm pool asks for, all from the node's subnet, in ascending order.
fn launch_node(
    p: Placement,
    az: String,
    pools: &mut [AddressPool],
    warm: WarmPool,
) -> Result<Node, Finding> {
    let pool = &mut pools[p.subnet];
    let node_id = format!("node:{}", p.name);
    let Some(primary_ip) = pool.take() else {
        return Err(Finding {
            severity: Severity::Error,
            subject: node_id,
            message: format!(
                "{} could not launch: its subnet has no free address (InsufficientFreeAddressesInSubnet)",
                p.name
            ),
        });
    };
    let t = &p.instance_type;
    let per_eni = t.ipv4_per_eni.saturating_sub(1);
    let plan = plan_secondary_ips(0, per_eni, t.max_enis, warm);
    let mut enis = Vec::with_capacity(plan.per_eni.len());
    for (device_index, &wanted) in plan.per_eni.iter().enumerate() {
        let eni_primary = if device_index == 0 {
            primary_ip
        } else {
            match pool.take() {
                Some(ip) => ip,
                None => break, // ipamd cannot attach another ENI: the subnet is full.
            }
        };
        let eni_id = format!("eni:{}/eth{device_index}", p.name);
        let slots = (0..wanted)
            .map_while(|slot| {
                pool.take().map(|ip| IpSlot {
                    id: format!("ip:{}/eth{device_index}/{slot}", p.name),
                    ip,
                    pod: None,
                })
            })
            .collect();
        enis.push(Eni {
            id: eni_id,
            device_index: device_index as u32,
            subnet: p.subnet,
            primary_ip: eni_primary,
            slots,
            capacity: per_eni,
        });
    }
    Ok(Node {
        id: node_id,
        az,
        name: p.name,
        group: p.group,
        subnet: p.subnet,
        instance_type: p.instance_type,
        primary_ip,
        enis,
    })
}

/// Names of subnets used elsewhere in the scenario must exist.
fn check_subnet_references(
    scenario: &Scenario,
    subnets: &[super::aws::subnet::Subnet],
    problems: &mut Vec<Problem>,
) {
    let known = |name: &str| subnets.iter().any(|s| s.name == name);
    let cluster = Path::root().field("cluster");
    for (i, name) in scenario.cluster.control_plane_subnets.iter().enumerate() {
        if !known(name) {
            problems.push(Problem::new(
                cluster.field("controlPlaneSubnets").index(i),
                format!("no subnet is named `{}`", name.escape_default()),
            ));
        }
    }
    for (az, name) in &scenario.cluster.vpc_cni.custom_networking {
        if !known(name) {
            problems.push(Problem::new(
                cluster.field("vpcCni").field("customNetworking").field(az),
                format!("no subnet is named `{}`", name.escape_default()),
            ));
        }
    }
}
