//! A subnet and its address pool: 5 reserved addresses, the rest handed out in order.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::capacity::SubnetCapacity;

/// AWS reserves the network address, +1 (VPC router), +2 (DNS), +3 (future use) and broadcast.
pub const RESERVED_PER_SUBNET: u32 = 5;

/// A subnet as the model sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subnet {
    /// Stable id, `subnet:<name>`.
    pub id: crate::model::Id,
    pub name: String,
    pub az: String,
    pub cidr: Ipv4Net,
    pub public: bool,
    pub usage: SubnetUsage,
    /// Head-room under the current settings, filled in once nodes are built.
    pub capacity: SubnetCapacity,
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
    /// The EKS control plane's cross-account ENIs.
    pub eks_enis: u32,
    /// Branch ENIs of pods with their own security groups (one address each).
    pub branch_enis: u32,
    /// Load balancer nodes (one ENI per AZ for each NLB, CLB and ALB).
    pub load_balancers: u32,
}

impl SubnetUsage {
    pub fn total(&self) -> u32 {
        self.eni_primaries
            + self.pods
            + self.warm
            + self.nat_gateways
            + self.eks_enis
            + self.branch_enis
            + self.load_balancers
    }
}

/// A subnet's address map. Single addresses go to the lowest free address; /28 prefixes to
/// the lowest aligned block that is wholly free. Both rules are deterministic stand-ins for
/// EC2's choice, and together they fragment a subnet the way real allocations do: once single
/// addresses sit between the blocks, free space no longer forms a whole /28.
#[derive(Debug, Clone)]
pub struct AddressPool {
    network: u32,
    /// One bit per address of the CIDR; set = taken or reserved.
    taken: Vec<u64>,
    size: u32,
    /// No single address below this is free.
    single_hint: u32,
    /// No wholly free aligned block starts below this.
    block_hint: u32,
    free: u32,
}

impl AddressPool {
    pub fn new(cidr: Ipv4Net) -> AddressPool {
        let size = size(cidr);
        let mut pool = AddressPool {
            network: u32::from(cidr.network()),
            taken: vec![0; size.div_ceil(64) as usize],
            size,
            single_hint: 0,
            block_hint: 0,
            free: size,
        };
        // The first four and the last address are reserved.
        for offset in (0..4.min(size)).chain(size.checked_sub(1)) {
            pool.mark(offset);
        }
        pool
    }

    fn is_taken(&self, offset: u32) -> bool {
        self.taken[(offset / 64) as usize] & (1 << (offset % 64)) != 0
    }

    fn mark(&mut self, offset: u32) {
        if !self.is_taken(offset) {
            self.taken[(offset / 64) as usize] |= 1 << (offset % 64);
            self.free -= 1;
        }
    }

    /// The lowest free address, or `None` when the subnet is exhausted.
    pub fn take(&mut self) -> Option<Ipv4Addr> {
        let offset = (self.single_hint..self.size).find(|&o| !self.is_taken(o))?;
        self.mark(offset);
        self.single_hint = offset + 1;
        Some(Ipv4Addr::from(self.network + offset))
    }

    /// The lowest wholly free, aligned block of `2^(32 − prefix_len)` addresses (a /28 for
    /// prefix delegation), or `None` when none is left even if single addresses are.
    pub fn take_block(&mut self, prefix_len: u8) -> Option<Ipv4Net> {
        let block = 1u32 << (32 - u32::from(prefix_len.clamp(1, 32)));
        let mut start = self.block_hint.div_ceil(block) * block;
        while start + block <= self.size {
            if self.block_is_free(start, block) {
                self.mark_block(start, block);
                self.block_hint = start + block;
                return Ipv4Net::new(Ipv4Addr::from(self.network + start), prefix_len).ok();
            }
            start += block;
        }
        self.block_hint = self.size;
        None
    }

    /// The aligned block `start..start + block` (`block` a power of two) as words of the map:
    /// part of one word when it has at most 64 addresses, whole words otherwise.
    fn block_words(start: u32, block: u32) -> (std::ops::Range<usize>, u64) {
        let first = (start / 64) as usize;
        if block >= 64 {
            (first..first + (block / 64) as usize, u64::MAX)
        } else {
            (first..first + 1, ((1u64 << block) - 1) << (start % 64))
        }
    }

    fn block_is_free(&self, start: u32, block: u32) -> bool {
        let (words, mask) = Self::block_words(start, block);
        self.taken[words].iter().all(|w| w & mask == 0)
    }

    /// Marks a wholly free block taken.
    fn mark_block(&mut self, start: u32, block: u32) {
        let (words, mask) = Self::block_words(start, block);
        for w in &mut self.taken[words] {
            *w |= mask;
        }
        self.free -= block;
    }

    /// `n` wholly free aligned blocks, or none taken at all (an EC2 call that asks for `n`
    /// prefixes gets all of them or fails).
    pub fn take_blocks(&mut self, prefix_len: u8, n: u32) -> Option<Vec<Ipv4Net>> {
        let mut got = Vec::with_capacity(n as usize);
        while (got.len() as u32) < n {
            match self.take_block(prefix_len) {
                Some(b) => got.push(b),
                None => {
                    for b in got {
                        self.release_block(b);
                    }
                    return None;
                }
            }
        }
        Some(got)
    }

    /// Returns a block taken by [`AddressPool::take_block`] to the pool.
    fn release_block(&mut self, net: Ipv4Net) {
        let start = u32::from(net.network()).wrapping_sub(self.network);
        let block = 1u32 << (32 - u32::from(net.prefix_len()));
        let (words, mask) = Self::block_words(start, block);
        for w in &mut self.taken[words] {
            *w &= !mask;
        }
        self.free += block;
        self.block_hint = self.block_hint.min(start);
        self.single_hint = self.single_hint.min(start);
    }

    /// Returns an address to the pool (a terminated instance's): it becomes the lowest free
    /// again if it is below the others.
    pub fn release(&mut self, ip: Ipv4Addr) {
        let offset = u32::from(ip).wrapping_sub(self.network);
        if offset >= 4 && offset + 1 < self.size && self.is_taken(offset) {
            self.taken[(offset / 64) as usize] &= !(1 << (offset % 64));
            self.free += 1;
            self.single_hint = self.single_hint.min(offset);
            self.block_hint = self.block_hint.min(offset - offset % 16);
        }
    }

    /// Usable addresses not yet handed out.
    pub fn remaining(&self) -> u32 {
        self.free
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
        assert_eq!(pool.remaining(), 0);
    }

    #[test]
    fn prefixes_are_aligned_and_skip_reserved_blocks() {
        let mut pool = AddressPool::new(net("10.0.0.0/26"));
        assert_eq!(pool.take(), Some(Ipv4Addr::new(10, 0, 0, 4)));
        // 10.0.0.0/28 holds reserved and used addresses; 10.0.0.48/28 holds the broadcast.
        assert_eq!(pool.take_block(28), Some(net("10.0.0.16/28")));
        assert_eq!(pool.take_block(28), Some(net("10.0.0.32/28")));
        assert_eq!(pool.take_block(28), None);
        assert_eq!(pool.remaining(), 64 - 5 - 1 - 32);
        // Single addresses still fit in the fragments.
        assert_eq!(pool.take(), Some(Ipv4Addr::new(10, 0, 0, 5)));
    }

    #[test]
    fn several_blocks_are_taken_all_or_none() {
        let mut pool = AddressPool::new(net("10.0.0.0/26"));
        assert_eq!(pool.take_blocks(28, 3), None);
        assert_eq!(pool.remaining(), 59);
        assert_eq!(
            pool.take_blocks(28, 2),
            Some(vec![net("10.0.0.16/28"), net("10.0.0.32/28")])
        );
        assert_eq!(pool.remaining(), 59 - 32);
        assert_eq!(pool.take(), Some(Ipv4Addr::new(10, 0, 0, 4)));
    }

    #[test]
    fn released_addresses_are_handed_out_again() {
        let mut pool = AddressPool::new(net("10.0.0.0/28"));
        let a = pool.take().unwrap();
        let b = pool.take().unwrap();
        pool.release(a);
        pool.release(Ipv4Addr::new(10, 0, 0, 0)); // reserved: ignored
        assert_eq!(pool.remaining(), 10);
        assert_eq!(pool.take(), Some(a));
        assert_eq!(pool.take(), Some(Ipv4Addr::from(u32::from(b) + 1)));
    }

    #[test]
    fn blocks_of_every_size_match_address_by_address() {
        for prefix in [26, 27, 28, 29, 30, 24, 23] {
            let mut pool = AddressPool::new(net("10.0.0.0/21"));
            for _ in 0..70 {
                pool.take();
            }
            let mut reference = pool.clone();
            for _ in 0..3 {
                let got = pool.take_block(prefix);
                // One address at a time, as the rule says.
                let block = 1u32 << (32 - prefix);
                let mut start = reference.block_hint.div_ceil(block) * block;
                let mut want = None;
                while start + block <= reference.size {
                    if (start..start + block).all(|o| !reference.is_taken(o)) {
                        for o in start..start + block {
                            reference.mark(o);
                        }
                        reference.block_hint = start + block;
                        want = Ipv4Net::new(Ipv4Addr::from(reference.network + start), prefix).ok();
                        break;
                    }
                    start += block;
                }
                assert_eq!(got, want, "/{prefix}");
                assert_eq!(pool.remaining(), reference.remaining());
                assert_eq!(pool.taken, reference.taken);
            }
        }
    }

    #[test]
    fn singles_fragment_the_space_for_prefixes() {
        let mut pool = AddressPool::new(net("10.0.0.0/27"));
        for _ in 0..12 {
            pool.take();
        }
        // 10.0.0.16 is now taken, so no /28 is wholly free although 15 addresses are.
        assert_eq!(pool.remaining(), 15);
        assert_eq!(pool.take_block(28), None);
    }

    #[test]
    fn usable_is_total_less_five() {
        let s = Subnet {
            id: crate::model::Id::Subnet("a".into()),
            name: "a".into(),
            az: "us-east-1a".into(),
            cidr: net("10.0.16.0/20"),
            public: false,
            usage: SubnetUsage {
                eni_primaries: 3,
                warm: 27,
                ..Default::default()
            },
            capacity: SubnetCapacity::default(),
        };
        assert_eq!(
            (s.total(), s.usable(), s.used(), s.free()),
            (4096, 4091, 30, 4061)
        );
    }
}
