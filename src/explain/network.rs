//! Pages of the network's frame: the internet, the AWS Cloud and Region, the VPC, its
//! Availability Zones, the internet gateway and the NAT gateways.

use super::docs;
use super::explanation::{fact, mono, Explanation};
use crate::layout::text::thousands;
use crate::model::aws::nat_gateway::NatGateway;
use crate::model::aws::route_table::{default_route, DefaultRoute};
use crate::model::{Cluster, Id};

/// The internet, beyond the gateways.
pub(super) fn internet(cluster: &Cluster) -> Explanation {
    let mut d = Explanation::new("Internet", "The internet");
    d.summary = Some(if cluster.internet_gateway {
        "Reached from public subnets through the internet gateway, and from private subnets through a NAT gateway.".into()
    } else {
        "Not reachable: the VPC has no public subnet, so no internet gateway.".into()
    });
    if cluster.internet_gateway {
        d.link("Gateway", Id::Igw, "Internet gateway".into());
    }
    d
}

/// The AWS Cloud frame.
pub(super) fn cloud() -> Explanation {
    let mut d = Explanation::new("AWS Cloud", "AWS Cloud");
    d.summary = Some("Everything AWS runs for this cluster.".into());
    d
}

/// The Region the VPC lives in.
pub(super) fn region(cluster: &Cluster, region: &str) -> Explanation {
    let mut d = Explanation::new("Region", region.to_string());
    d.summary = Some("A VPC lives in one Region and spans its Availability Zones.".into());
    d.link("VPC", Id::Vpc, cluster.vpc.cidr_list());
    d
}

/// The VPC: its CIDRs and what it holds.
pub(super) fn vpc(cluster: &Cluster) -> Explanation {
    let mut d = Explanation::new("VPC", cluster.vpc.cidr_list());
    let total: u64 = cluster
        .vpc
        .cidrs
        .iter()
        .map(|c| u64::from(crate::model::aws::subnet::size(*c)))
        .sum();
    d.facts = vec![
        fact("CIDRs", mono(cluster.vpc.cidr_list())),
        fact("Addresses", thousands(total)),
        fact("Availability Zones", cluster.azs.len().to_string()),
        fact("Subnets", cluster.subnets.len().to_string()),
        fact(
            "Internet gateway",
            if cluster.internet_gateway {
                "yes"
            } else {
                "no"
            },
        ),
        fact("NAT gateways", cluster.nat_gateways.len().to_string()),
        fact("Nodes", thousands(cluster.nodes.len() as u32)),
    ];
    for s in &cluster.subnets {
        d.link("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr));
    }
    d
}

/// An Availability Zone: its nodes and subnets.
pub(super) fn az(cluster: &Cluster, az: &str) -> Explanation {
    let mut d = Explanation::new("Availability Zone", az.to_string());
    let nodes = cluster.nodes.iter().filter(|n| n.az == az).count();
    d.facts = vec![fact("Nodes", thousands(nodes as u32))];
    for (_, s) in cluster.subnets_in(az) {
        d.link("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr));
    }
    d
}

/// The internet gateway and the public subnets that route to it.
pub(super) fn igw(cluster: &Cluster) -> Explanation {
    let mut d = Explanation::new("Internet gateway", "Internet gateway");
    d.summary = Some(
        "Attached to the VPC. Public subnets route 0.0.0.0/0 here; it translates their public IPs."
            .into(),
    );
    for s in cluster.subnets.iter().filter(|s| s.public) {
        d.link(
            "Public subnet",
            s.id.clone(),
            format!("{} ({})", s.name, s.cidr),
        );
    }
    d
}

/// A NAT gateway: its addresses and the subnets it serves.
pub(super) fn nat_gateway(cluster: &Cluster, nat: &NatGateway) -> Explanation {
    let mut d = Explanation::new("NAT gateway", format!("NAT gateway in {}", nat.az));
    d.summary = Some(
        "Private subnets route 0.0.0.0/0 here; it rewrites their source address to its Elastic IP."
            .into(),
    );
    d.facts = vec![
        fact(
            "Private IP",
            mono(
                nat.private_ip
                    .map_or_else(|| "none: its subnet is full".into(), |ip| ip.to_string()),
            ),
        ),
        fact("Elastic IP", mono(nat.public_ip.to_string())),
        fact("Availability Zone", nat.az.clone()),
    ];
    if let Some(s) = cluster.subnets.get(nat.subnet) {
        d.link(
            "In subnet",
            s.id.clone(),
            format!("{} ({})", s.name, s.cidr),
        );
    }
    let index = cluster.nat_gateways.iter().position(|n| n.id == nat.id);
    for s in &cluster.subnets {
        if index
            .is_some_and(|i| default_route(s, &cluster.nat_gateways) == DefaultRoute::NatGateway(i))
        {
            d.link("Serves", s.id.clone(), format!("{} ({})", s.name, s.cidr));
        }
    }
    d.docs = vec![docs::NAT_GATEWAY];
    d
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{page, value};
    use crate::model;
    use crate::scenario::default_scenario;

    #[test]
    fn the_vpc_and_its_gateways_have_pages() {
        let cluster = model::build(&default_scenario()).unwrap();
        let vpc = page(&cluster, "vpc");
        assert_eq!(value(&vpc, "CIDRs"), "10.0.0.0/16");
        assert_eq!(value(&vpc, "Addresses"), "65,536");
        assert_eq!(value(&vpc, "Subnets"), "6");
        let nat = page(&cluster, "natgw:us-east-1b");
        assert_eq!(nat.title, "NAT gateway in us-east-1b");
        assert!(nat.related.iter().any(|r| r.id == "subnet:private-b"));
        let igw = page(&cluster, "igw");
        assert_eq!(igw.related.len(), 3, "three public subnets");
        page(&cluster, "internet");
        page(&cluster, "az:us-east-1a");
    }
}
