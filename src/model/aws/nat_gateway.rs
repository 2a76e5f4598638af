//! NAT gateways: where eksctl's `vpc.nat.gateway` setting puts them.

use std::net::Ipv4Addr;

use super::public_ip::nat_gateway_eip;
use super::subnet::Subnet;
use crate::scenario::{NatGatewayMode, Path, Problem};

/// A NAT gateway: an ENI with one private address in a public subnet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NatGateway {
    /// Stable id, `natgw:<az>`.
    pub id: crate::model::Id,
    pub az: String,
    /// Index into the cluster's subnets (a public one).
    pub subnet: usize,
    pub private_ip: Option<Ipv4Addr>,
    /// The Elastic IP that traffic leaving through it carries.
    pub public_ip: Ipv4Addr,
}

/// HighlyAvailable: one in the first public subnet of each AZ that has one. Single: one in the
/// first public subnet. Disable: none.
pub fn place_nat_gateways(
    mode: NatGatewayMode,
    subnets: &[Subnet],
    problems: &mut Vec<Problem>,
) -> Vec<NatGateway> {
    let publics = subnets.iter().enumerate().filter(|(_, s)| s.public);
    let chosen: Vec<usize> = match mode {
        NatGatewayMode::Disable => Vec::new(),
        NatGatewayMode::Single => publics.take(1).map(|(i, _)| i).collect(),
        NatGatewayMode::HighlyAvailable => {
            let mut azs: Vec<&str> = Vec::new();
            publics
                .filter(|(_, s)| {
                    let new = !azs.contains(&s.az.as_str());
                    azs.push(&s.az);
                    new
                })
                .map(|(i, _)| i)
                .collect()
        }
    };
    if mode != NatGatewayMode::Disable && chosen.is_empty() && !subnets.is_empty() {
        problems.push(Problem::new(
            Path::root().field("vpc").field("natGateways"),
            "a NAT gateway needs a public subnet; mark one subnet `public: true` or set natGateways to Disable",
        ));
    }
    chosen
        .into_iter()
        .enumerate()
        .map(|(n, i)| NatGateway {
            id: crate::model::Id::NatGw(subnets[i].az.clone()),
            az: subnets[i].az.clone(),
            subnet: i,
            private_ip: None,
            public_ip: nat_gateway_eip(n),
        })
        .collect()
}
