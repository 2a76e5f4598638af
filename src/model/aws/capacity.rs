//! How much more a subnet holds under the current settings: more pods on the nodes it serves,
//! more nodes of the groups placed in it, and whether every node can reach its max pods.

use super::eni::PREFIX_SIZE;
use super::subnet::{size, Subnet, RESERVED_PER_SUBNET};
use super::vpc_cni::{pod_address_cost, IpamMode, PoolShape, WarmPool};
use crate::model::node::Node;

/// The head-room of one subnet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SubnetCapacity {
    /// Nodes whose pod addresses come from this subnet.
    pub pod_nodes: u32,
    /// Pods those nodes run with a VPC address now.
    pub pods_now: u32,
    /// Pods with a VPC address they could run at their max pods.
    pub pods_at_max: u32,
    /// Extra addresses those nodes would take to reach max pods.
    pub addresses_to_max: u32,
    /// More pods that fit: all the way to max pods if the subnet holds it, else as many as the
    /// free addresses serve.
    pub more_pods: u32,
    /// Nodes whose primary ENI is in this subnet.
    pub nodes: u32,
    /// Addresses one more such node takes when it starts (primary, warm pool, trunk ENI).
    pub addresses_per_new_node: u32,
    /// More such nodes that fit at that cost; `None` when no node group uses the subnet.
    pub more_nodes: Option<u32>,
}

impl SubnetCapacity {
    /// Every node served can reach its max pods.
    pub fn fits_max_pods(&self, free: u32) -> bool {
        self.addresses_to_max <= free
    }
}

/// Costs already worked out, by pool shape and pods: the nodes of a group share a shape and
/// mostly the same pod counts, so the pool is grown once per group rather than per node.
#[derive(Default)]
struct Costs(Vec<((PoolShape, u32), u32)>);

impl Costs {
    fn get(&mut self, node: &Node, pods: u32, warm: WarmPool) -> u32 {
        let key = (shape_of(node), pods);
        if let Some(&(_, cost)) = self.0.iter().find(|(k, _)| *k == key) {
            return cost;
        }
        let cost = pod_address_cost(key.0, pods, warm);
        // A handful of shapes and counts in practice; a bound keeps the search short when
        // a squeezed subnet's search tries many counts.
        if self.0.len() < 64 {
            self.0.push((key, cost));
        }
        cost
    }
}

fn shape_of(node: &Node) -> PoolShape {
    PoolShape {
        mode: node.ipam_mode,
        slots_per_eni: node.instance_type.ipv4_per_eni.saturating_sub(1),
        pod_enis: node.pod_enis,
        primary_carries_pods: node.enis.first().is_some_and(|e| e.capacity > 0),
        max_pods: node.max_pods.value,
    }
}

/// Addresses a node holds in its pod subnet for pods: secondary addresses and prefixes, plus
/// the primary address of every ENI there other than eth0.
fn held_for_pods(node: &Node, subnet: usize) -> u32 {
    node.enis
        .iter()
        .filter(|e| e.subnet == subnet && e.role != super::eni::EniRole::Trunk)
        .map(|e| e.held() + u32::from(e.device_index > 0))
        .sum()
}

/// Pods with a VPC address a node can run: its max pods less host-network pods, at most what its
/// pod ENIs can address.
pub fn max_ip_pods(node: &Node) -> u32 {
    let per_eni = node.instance_type.ipv4_per_eni.saturating_sub(1);
    let addressable = match node.ipam_mode {
        IpamMode::SecondaryIp => per_eni * node.pod_enis,
        IpamMode::Prefix => per_eni * node.pod_enis * PREFIX_SIZE,
        IpamMode::Ipv6 => u32::MAX,
    };
    node.max_pods
        .value
        .saturating_sub(node.host_network_pods)
        .min(addressable)
}

/// The head-room of subnet `index` given the nodes built so far.
pub fn subnet_capacity(
    index: usize,
    subnet: &Subnet,
    nodes: &[Node],
    warm: WarmPool,
) -> SubnetCapacity {
    let mut cap = SubnetCapacity::default();
    let free = subnet.free();
    let mut demands = Vec::new();
    let mut costs = Costs::default();
    for node in nodes
        .iter()
        .filter(|n| n.pod_subnet == Some(index) && n.ipam_mode != IpamMode::Ipv6)
    {
        let now = node.ip_pods();
        let max = max_ip_pods(node).max(now);
        cap.pod_nodes += 1;
        cap.pods_now += now;
        cap.pods_at_max += max;
        // Against what the node really holds: an exhausted subnet may have given it less than
        // ipamd asked for.
        let extra = costs
            .get(node, max, warm)
            .saturating_sub(held_for_pods(node, index));
        cap.addresses_to_max += extra;
        demands.push((node, now, max));
    }
    cap.more_pods = if cap.addresses_to_max <= free {
        cap.pods_at_max - cap.pods_now
    } else {
        // Not every node can fill up: give the free addresses to nodes in order, each taking as
        // many more pods as the addresses left pay for.
        let mut left = free;
        let mut more = 0;
        for (node, now, max) in demands {
            let base = held_for_pods(node, index);
            let (mut lo, mut hi) = (now, max);
            while lo < hi {
                let mid = lo + (hi - lo).div_ceil(2);
                if costs.get(node, mid, warm).saturating_sub(base) <= left {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            left = left.saturating_sub(costs.get(node, lo, warm).saturating_sub(base));
            more += lo - now;
        }
        more
    };
    let mut templates = nodes.iter().filter(|n| n.subnet == index);
    if let Some(first) = templates.next() {
        cap.nodes = 1 + templates.count() as u32;
        let pods_here = first.pod_subnet == Some(index);
        let trunk = first
            .enis
            .iter()
            .filter(|e| e.role == super::eni::EniRole::Trunk && e.subnet == index)
            .count() as u32;
        cap.addresses_per_new_node = 1
            + trunk
            + if pods_here {
                costs.get(first, 0, warm)
            } else {
                0
            };
        cap.more_nodes = Some(free / cap.addresses_per_new_node.max(1));
    }
    cap
}

/// The smallest subnet prefix whose usable addresses hold `needed`, if any /16–/28 does.
pub fn smallest_prefix_holding(needed: u32) -> Option<u8> {
    (16..=28u8).rev().find(|&p| {
        size(format!("10.0.0.0/{p}").parse().expect("valid")) - RESERVED_PER_SUBNET >= needed
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smallest_prefix() {
        assert_eq!(smallest_prefix_holding(11), Some(28));
        assert_eq!(smallest_prefix_holding(12), Some(27));
        assert_eq!(smallest_prefix_holding(251), Some(24));
        assert_eq!(smallest_prefix_holding(252), Some(23));
        assert_eq!(smallest_prefix_holding(70_000), None);
    }
}
