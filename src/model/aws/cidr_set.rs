//! [`CidrSet`]: IPv4 CIDRs that do not overlap, kept in address order, so that "which one
//! overlaps this?" and "which one holds this?" are one ordered-map lookup each, not a scan of
//! every CIDR. The VPC's CIDRs and its subnets are checked with it: thousands of subnets cost
//! thousands of lookups, not millions of comparisons.

use std::collections::BTreeMap;

use ipnet::Ipv4Net;

use crate::model::work;

/// Disjoint CIDRs by first address, each with a value (an index, a name).
#[derive(Debug, Clone)]
pub struct CidrSet<T> {
    by_start: BTreeMap<u32, (Ipv4Net, T)>,
}

impl<T> Default for CidrSet<T> {
    fn default() -> Self {
        CidrSet {
            by_start: BTreeMap::new(),
        }
    }
}

fn bounds(net: Ipv4Net) -> (u32, u32) {
    (u32::from(net.network()), u32::from(net.broadcast()))
}

impl<T> CidrSet<T> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.by_start.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_start.is_empty()
    }

    /// A member that shares an address with `net`. The members are disjoint, so the one
    /// starting last at or before `net`'s last address is the only candidate: any member
    /// starting earlier ends before that one starts.
    pub fn overlapping(&self, net: Ipv4Net) -> Option<(Ipv4Net, &T)> {
        work::tick();
        let (start, end) = bounds(net);
        let (_, (member, value)) = self.by_start.range(..=end).next_back()?;
        (bounds(*member).1 >= start).then_some((*member, value))
    }

    /// The member that holds all of `net`, if any.
    pub fn containing(&self, net: Ipv4Net) -> Option<(Ipv4Net, &T)> {
        self.overlapping(net)
            .filter(|(member, _)| member.contains(&net))
    }

    /// Adds `net` unless it overlaps a member, which is returned instead.
    pub fn insert(&mut self, net: Ipv4Net, value: T) -> Result<(), Ipv4Net> {
        if let Some((member, _)) = self.overlapping(net) {
            return Err(member);
        }
        self.by_start.insert(bounds(net).0, (net, value));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> Ipv4Net {
        s.parse().unwrap()
    }

    #[test]
    fn overlap_and_containment_are_found_whatever_the_order() {
        let mut set = CidrSet::new();
        assert!(set.insert(net("10.0.0.0/16"), 0).is_ok());
        assert!(set.insert(net("100.64.0.0/16"), 1).is_ok());
        assert!(set.insert(net("10.2.0.0/24"), 2).is_ok());
        assert_eq!(set.len(), 3);
        // A bigger block over a member, a smaller one inside, one that touches none.
        assert_eq!(set.insert(net("10.0.0.0/8"), 3), Err(net("10.2.0.0/24")));
        assert_eq!(
            set.overlapping(net("10.0.5.0/24")).unwrap().0,
            net("10.0.0.0/16")
        );
        assert!(set.overlapping(net("10.1.0.0/16")).is_none());
        assert!(set.overlapping(net("0.0.0.0/8")).is_none());
        assert!(set.containing(net("100.64.3.0/24")).is_some());
        assert!(set.containing(net("100.64.0.0/15")).is_none());
        assert!(set.containing(net("10.1.0.0/24")).is_none());
        assert!(set.overlapping(net("255.255.255.0/24")).is_none());
    }

    #[test]
    fn agrees_with_a_scan_of_every_pair() {
        // Every /26 to /30 block of a small range, inserted in a scrambled order.
        let mut nets: Vec<Ipv4Net> = Vec::new();
        for prefix in 26..=30u8 {
            let size = 1u32 << (32 - prefix);
            for i in 0..(256 / size) {
                nets.push(Ipv4Net::new((0x0a00_0000 + i * size).into(), prefix).unwrap());
            }
        }
        for step in [7usize, 11, 13] {
            let order: Vec<Ipv4Net> = (0..nets.len())
                .map(|i| nets[(i * step) % nets.len()])
                .collect();
            let mut set = CidrSet::new();
            let mut kept: Vec<Ipv4Net> = Vec::new();
            for n in order {
                let scan = kept
                    .iter()
                    .any(|k| k.contains(&n.network()) || n.contains(&k.network()));
                assert_eq!(set.insert(n, ()).is_err(), scan, "{n}");
                if !scan {
                    kept.push(n);
                }
            }
        }
    }
}
