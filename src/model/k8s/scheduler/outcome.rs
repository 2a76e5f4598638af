//! What the scheduler returns: each pod's placement and what each node's pods add up to.

use std::rc::Rc;

use crate::model::k8s::pods::PodTemplate;

/// Where one pod went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Bound to this node (index into the nodes given to [`schedule`](super::schedule)).
    Node(usize),
    /// Not scheduled, with the `FailedScheduling` message.
    Pending(Rc<str>),
}

impl Placement {
    #[inline]
    pub fn node(&self) -> Option<usize> {
        match self {
            Placement::Node(n) => Some(*n),
            Placement::Pending(_) => None,
        }
    }

    pub fn pending_message(&self) -> Option<&str> {
        match self {
            Placement::Node(_) => None,
            Placement::Pending(m) => Some(m),
        }
    }
}

/// What the pods bound to one node add up to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NodeUsage {
    /// Every pod, hostNetwork and DaemonSet pods included (what max pods limits).
    pub pods: u32,
    pub host_network_pods: u32,
    /// Pods with their own branch ENI (security groups for pods).
    pub branch_eni_pods: u32,
    /// Requested CPU and memory (what NodeResourcesFit filters on).
    pub cpu_millis: u64,
    pub memory_bytes: u64,
    /// The same with unset requests counted as 100m / 200Mi (what LeastAllocated scores).
    pub nonzero_cpu_millis: u64,
    pub nonzero_memory_bytes: u64,
}

impl NodeUsage {
    /// Pods that take a secondary address of the node's ENIs.
    pub fn node_ip_pods(&self) -> u32 {
        self.pods - self.host_network_pods - self.branch_eni_pods
    }

    pub(super) fn add(&mut self, template: &PodTemplate) {
        let r = &template.requests;
        self.pods += 1;
        self.host_network_pods += u32::from(template.host_network);
        self.branch_eni_pods += r.pod_eni;
        self.cpu_millis = self.cpu_millis.saturating_add(r.cpu_millis);
        self.memory_bytes = self.memory_bytes.saturating_add(r.memory_bytes);
        self.nonzero_cpu_millis = self.nonzero_cpu_millis.saturating_add(r.nonzero_cpu_millis);
        self.nonzero_memory_bytes = self
            .nonzero_memory_bytes
            .saturating_add(r.nonzero_memory_bytes);
    }
}

/// The scheduler's answer for a [`PodSet`](crate::model::k8s::pods::PodSet).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schedule {
    /// One per pod, in [`PodSet::pods`](crate::model::k8s::pods::PodSet::pods) order.
    pub placements: Vec<Placement>,
    /// One per node, in the order given.
    pub nodes: Vec<NodeUsage>,
}

impl Schedule {
    pub fn pending_count(&self) -> usize {
        self.placements
            .iter()
            .filter(|p| p.node().is_none())
            .count()
    }

    pub fn bound_count(&self) -> usize {
        self.placements.len() - self.pending_count()
    }

    /// Indexes of the pods bound to `node`.
    pub fn pods_on(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        self.placements
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.node() == Some(node))
            .map(|(i, _)| i)
    }
}
