//! Where a subnet's default route (0.0.0.0/0) goes: the internet gateway for a public
//! subnet, a NAT gateway (its AZ's, else the single one) for a private subnet, or nowhere.

use super::nat_gateway::NatGateway;
use super::subnet::Subnet;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultRoute {
    InternetGateway,
    /// Index into `Cluster::nat_gateways`.
    NatGateway(usize),
    /// No route to the internet: only the VPC (and VPC endpoints) are reachable.
    None,
}

pub fn default_route(subnet: &Subnet, nat_gateways: &[NatGateway]) -> DefaultRoute {
    if subnet.public {
        return DefaultRoute::InternetGateway;
    }
    nat_gateways
        .iter()
        .position(|n| n.az == subnet.az)
        .or(if nat_gateways.is_empty() {
            None
        } else {
            Some(0)
        })
        .map_or(DefaultRoute::None, DefaultRoute::NatGateway)
}
