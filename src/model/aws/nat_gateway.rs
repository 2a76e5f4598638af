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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::aws::vpc::{build_subnets, build_vpc};
    use crate::scenario::default_scenario;

    /// eksctl's `vpc.nat.gateway` (eksctl.io "VPC Networking", NAT gateway): HighlyAvailable
    /// puts one NAT gateway in each AZ's public subnet, Single (the default) one in the first
    /// public subnet, Disable none; each gets an Elastic IP (the model's from 198.51.100.0/24).
    #[test]
    fn nat_gateways_follow_eksctls_modes() {
        let spec = default_scenario().vpc;
        let mut problems = Vec::new();
        let vpc = build_vpc(&spec, &mut problems);
        let subnets = build_subnets(&spec, vpc.as_ref(), &mut problems);
        let mut azs = |mode| {
            place_nat_gateways(mode, &subnets, &mut problems)
                .iter()
                .map(|n| {
                    (
                        n.az.clone(),
                        subnets[n.subnet].public,
                        n.public_ip.to_string(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            azs(NatGatewayMode::HighlyAvailable),
            vec![
                ("us-east-1a".into(), true, "198.51.100.10".into()),
                ("us-east-1b".into(), true, "198.51.100.11".into()),
                ("us-east-1c".into(), true, "198.51.100.12".into()),
            ]
        );
        assert_eq!(azs(NatGatewayMode::Single).len(), 1);
        assert!(azs(NatGatewayMode::Disable).is_empty());
        assert!(problems.is_empty(), "{problems:?}");
        // No public subnet: a NAT gateway has nowhere to go.
        let private: Vec<Subnet> = subnets.iter().filter(|s| !s.public).cloned().collect();
        place_nat_gateways(NatGatewayMode::Single, &private, &mut problems);
        assert!(problems[0].message.contains("needs a public subnet"));
    }
}
