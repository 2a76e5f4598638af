//! A subnet and its address pool: 5 reserved addresses, the rest handed out in order.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

/// AWS reserves the network address, +1 (VPC router), +2 (DNS), +3 (future use) and broadcast.
pub const RESERVED_PER_SUBNET: u32 = 5;

/// A subnet as the model sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subnet {
    /// Stable id, `subnet:<name>`.
    pub id: String,
    pub name: String,
    pub az: String,
    pub cidr: Ipv4Net,
    pub public: bool,
    pub usage: SubnetUsage,
}

impl Subnet {
    /// Every address in the CIDR.
    pub fn total(&self) -> u32 {
        size(self.cidr)
    }

    /// Addresses AWS lets you use: total − 5.
    pub fn usable(&self) -> u32 {
        self.total().saturating_sub(RESERVED_PER_SUBNET)
    }

    pub fn used(&self) -> u32 {
        self.usage.total()
    }

    pub fn free(&self) -> u32 {
        self.usable().saturating_sub(self.used())
    }
}

/// Number of addresses in a CIDR.
pub fn size(cidr: Ipv4Net) -> u32 {
    // prefix_len is at least 16 for validated subnets; saturate for /0.
    1u32.checked_shl(32 - u32::from(cidr.prefix_len()))
        .unwrap_or(u32::MAX)
}

/// What takes the usable addresses of a subnet (reserved ones are not counted here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SubnetUsage {
    /// Primary addresses of node ENIs (the node's own address on eth0, and each extra ENI's).
    pub eni_primaries: u32,
    /// Secondary addresses assigned to pods.
    pub pods: u32,
    /// Secondary addresses held free by the CNI's warm pool.
    pub warm: u32,
    /// NAT gateway ENIs.
    pub nat_gateways: u32,
}

impl SubnetUsage {
    pub fn total(&self) -> u32 {
        self.eni_primaries + self.pods + self.warm + self.nat_gateways
    }
}

/// Hands out a subnet's usable addresses in ascending order, deterministically.
#[derive(Debug, Clone)]
pub struct AddressPool {
    first: u32,
    /// One past the last usable address.
    end: u32,
    next: u32,
}

impl AddressPool {
    pub fn new(cidr: Ipv4Net) -> AddressPool {
        let network = u32::from(cidr.network());
        let total = size(cidr);
        // The first four and the last address are reserved.
        let first = network.saturating_add(4);
        let end = network.saturating_add(total.saturating_sub(1)).max(first);
        AddressPool {
            first,
            end,
            next: first,
        }
    }

    /// The next free address, or `None` when the subnet is exhausted.
    pub fn take(&mut self) -> Option<Ipv4Addr> {
        if self.next >= self.end {
            return None;
        }
        let ip = Ipv4Addr::from(self.next);
        self.next += 1;
        Some(ip)
    }

    /// Addresses handed out so far.
    pub fn taken(&self) -> u32 {
        self.next - self.first
    }

    pub fn remaining(&self) -> u32 {
        self.end - self.next
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> Ipv4Net {
        s.parse().unwrap()
    }

    #[test]
    fn five_addresses_are_reserved() {
        let mut pool = AddressPool::new(net("10.0.0.0/28"));
        assert_eq!(pool.remaining(), 11);
        assert_eq!(pool.take(), Some(Ipv4Addr::new(10, 0, 0, 4)));
        let rest: Vec<_> = std::iter::from_fn(|| pool.take()).collect();
        assert_eq!(rest.len(), 10);
        assert_eq!(rest.last(), Some(&Ipv4Addr::new(10, 0, 0, 14)));
        assert_eq!(pool.take(), None);
        assert_eq!(pool.taken(), 11);
    }

    #[test]
    fn usable_is_total_less_five() {
        let s = Subnet {
            id: "subnet:a".into(),
            name: "a".into(),
            az: "us-east-1a".into(),
            cidr: net("10.0.16.0/20"),
            public: false,
            usage: SubnetUsage {
                eni_primaries: 3,
                warm: 27,
                ..Default::default()
            },
        };
        assert_eq!(
            (s.total(), s.usable(), s.used(), s.free()),
            (4096, 4091, 30, 4061)
        );
    }
}
