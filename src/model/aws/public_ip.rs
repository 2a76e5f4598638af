//! Public addresses. EC2 hands them out from Amazon's pools; the model uses reserved ranges so
//! that no real address is ever shown: NAT gateways' Elastic IPs come from the documentation
//! range 198.51.100.0/24, nodes' public IPs from the benchmarking range 198.18.0.0/15, in order.

use std::net::Ipv4Addr;

/// The Elastic IP of the `n`-th NAT gateway (from 0).
pub fn nat_gateway_eip(n: usize) -> Ipv4Addr {
    Ipv4Addr::new(198, 51, 100, 10u8.saturating_add(n.min(240) as u8))
}

/// The public IP of the `n`-th node launched in a public subnet (from 0).
pub fn node_public_ip(n: usize) -> Ipv4Addr {
    let base = u32::from(Ipv4Addr::new(198, 18, 0, 10));
    Ipv4Addr::from(base + (n as u32 % 131_000))
}
