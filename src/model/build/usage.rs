//! Stage 8, usage and findings: what takes each subnet's addresses, each subnet's head-room
//! for max pods, and the findings about the finished network (exhausted subnets, the API
//! endpoint, the control plane's subnets, full subnets).

use super::State;
use crate::model::aws::capacity::{smallest_prefix_holding, subnet_capacity};
use crate::model::aws::eks_control_plane::{CrossAccountEni, EndpointAccess, RECOMMENDED_FREE};
use crate::model::aws::nat_gateway::NatGateway;
use crate::model::aws::route_table::{default_route, DefaultRoute};
use crate::model::aws::subnet::{AddressPool, Subnet};
use crate::model::finding::Finding;
use crate::model::node::Node;
use crate::model::Id;

impl State<'_> {
    /// Each subnet's usage and capacity, and the findings about them.
    pub(super) fn usage_and_findings(&mut self) {
        let (warm, custom_networking) = (self.warm, self.custom_networking);
        let (subnets, nodes, pools) = (&mut self.subnets, &self.nodes, &self.pools);
        let (nat_gateways, eks_enis) = (&self.nat_gateways, &self.eks_enis);
        let findings = &mut self.findings;
        account_usage(subnets, nat_gateways, eks_enis, nodes);
        for lb in &self.load_balancers {
            for n in &lb.nodes {
                subnets[n.subnet].usage.load_balancers += 1;
            }
        }
        let capacities: Vec<_> = subnets
            .iter()
            .enumerate()
            .map(|(i, s)| subnet_capacity(i, s, nodes, warm))
            .collect();
        for (subnet, capacity) in subnets.iter_mut().zip(capacities) {
            subnet.capacity = capacity;
            if let Some(f) = exhaustion_finding(subnet, custom_networking) {
                findings.push(f);
            }
        }
        for f in endpoint_findings(&self.endpoint, subnets, nat_gateways, nodes) {
            findings.push(f);
        }
        for f in control_plane_subnet_findings(eks_enis, subnets, pools) {
            findings.push(f);
        }
        for (i, subnet) in subnets.iter().enumerate() {
            if pools[i].remaining() == 0 {
                findings.push(Finding::warning(
                    &subnet.id,
                    format!(
                        "subnet {} ({}) has no free address left",
                        subnet.name, subnet.cidr
                    ),
                ));
            }
        }
    }
}

/// Counts what takes each subnet's addresses.
fn account_usage(
    subnets: &mut [Subnet],
    nat_gateways: &[NatGateway],
    eks_enis: &[CrossAccountEni],
    nodes: &[Node],
) {
    for nat in nat_gateways.iter().filter(|n| n.private_ip.is_some()) {
        subnets[nat.subnet].usage.nat_gateways += 1;
    }
    for e in eks_enis {
        subnets[e.subnet].usage.eks_enis += 1;
    }
    for node in nodes {
        for eni in &node.enis {
            let usage = &mut subnets[eni.subnet].usage;
            usage.eni_primaries += 1;
            usage.pods += eni.used();
            usage.warm += eni.warm();
        }
        for branch in &node.branches {
            subnets[branch.subnet].usage.branch_enis += 1;
        }
    }
}

/// What the endpoint setting means for nodes, kubectl and image pulls.
fn endpoint_findings(
    endpoint: &EndpointAccess,
    subnets: &[Subnet],
    nat_gateways: &[NatGateway],
    nodes: &[Node],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let subject = &Id::ControlPlane;
    match (endpoint.public, endpoint.private) {
        (true, false) => out.push(Finding::info(
            subject,
            format!("public endpoint only: nodes and kubectl reach the API over the internet, from addresses in publicAccessCIDRs ({})", endpoint.cidr_list()),
        )),
        (true, true) => out.push(Finding::info(
            subject,
            format!("public and private endpoint: inside the VPC the API name resolves to the cross-account ENIs, so node traffic stays in the VPC; kubectl from outside uses the public endpoint ({})", endpoint.cidr_list()),
        )),
        (false, true) => {
            out.push(Finding::info(
                subject,
                "private endpoint only: the API is reachable only from the VPC or connected networks (VPN, Direct Connect, peering); the VPC needs DNS support and DNS hostnames",
            ));
        }
        (false, false) => {}
    }
    if endpoint.cidrs_defaulted {
        out.push(Finding::info(
            subject,
            "publicAccessCIDRs is empty, which EKS reads as its default 0.0.0.0/0: the public endpoint admits every address. List the CIDRs that may reach it to restrict it",
        ));
    }
    // Nodes without a route to the internet cannot pull images from ECR without VPC endpoints.
    let mut without_route: Vec<&str> = Vec::new();
    let mut listed = vec![false; subnets.len()];
    for node in nodes {
        let s = &subnets[node.subnet];
        if !listed[node.subnet] && default_route(s, nat_gateways) == DefaultRoute::None {
            listed[node.subnet] = true;
            without_route.push(&s.name);
        }
    }
    if !without_route.is_empty() {
        out.push(Finding::warning(
            subject,
            format!(
                "nodes in {} have no route to the internet: pulling images needs VPC endpoints for ECR (api and dkr), S3 (gateway), EC2 and STS, or a NAT gateway",
                without_route.join(", ")
            ),
        ));
    }
    out
}

/// A subnet that cannot give every node it serves its max pods, with the numbers and the
/// changes that would fix it.
fn exhaustion_finding(subnet: &Subnet, custom_networking: bool) -> Option<Finding> {
    let cap = &subnet.capacity;
    let free = subnet.free();
    if cap.pod_nodes == 0 || cap.fits_max_pods(free) {
        return None;
    }
    let needed = subnet.used() + cap.addresses_to_max;
    let mut fixes = Vec::new();
    if let Some(p) = smallest_prefix_holding(needed) {
        fixes.push(format!(
            "a /{p} subnet or larger ({} usable addresses)",
            (1u32 << (32 - p)) - 5
        ));
    }
    if !custom_networking {
        fixes.push("custom networking: add 100.64.0.0/16 as a secondary VPC CIDR and give each AZ an ENIConfig subnet there, so pod addresses leave this subnet".to_string());
    }
    if subnet.usage.warm * 3 > subnet.used() {
        fixes.push(format!(
            "a smaller warm pool (WARM_IP_TARGET / MINIMUM_IP_TARGET): {} of its {} used addresses are warm",
            subnet.usage.warm,
            subnet.used()
        ));
    }
    Some(Finding::warning(
        &subnet.id,
        format!(
            "subnet {} ({}) cannot hold max pods on its {} node{}: that needs {} more addresses and {} are free, so only {} more pods fit (of {}). Fix: {}.",
            subnet.name,
            subnet.cidr,
            cap.pod_nodes,
            if cap.pod_nodes == 1 { "" } else { "s" },
            cap.addresses_to_max,
            free,
            cap.more_pods,
            cap.pods_at_max - cap.pods_now,
            fixes.join("; or ")
        ),
    ))
}

/// EKS needs room in its subnets: at least 6 free addresses, 16 recommended (upgrades take up to
/// 5 more for a while).
fn control_plane_subnet_findings(
    eks_enis: &[CrossAccountEni],
    subnets: &[Subnet],
    pools: &[AddressPool],
) -> Vec<Finding> {
    eks_enis
        .iter()
        .filter(|e| pools[e.subnet].remaining() < RECOMMENDED_FREE)
        .map(|e| {
            let s = &subnets[e.subnet];
            Finding::warning(
                &s.id,
                format!(
                    "control plane subnet {} has {} free addresses left; EKS recommends at least {RECOMMENDED_FREE} (an upgrade needs up to 5 more for a while)",
                    s.name,
                    pools[e.subnet].remaining()
                ),
            )
        })
        .collect()
}
