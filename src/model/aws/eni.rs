//! Elastic network interfaces on a node and the addresses in their slots.

use std::net::Ipv4Addr;

/// One ENI attached to a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eni {
    /// Stable id, `eni:<node>/eth<N>`.
    pub id: String,
    /// Device index: 0 is the primary ENI (eth0).
    pub device_index: u32,
    /// Index into `Cluster::subnets`.
    pub subnet: usize,
    /// The ENI's own address; never a pod address.
    pub primary_ip: Ipv4Addr,
    /// Secondary addresses the CNI holds on this ENI.
    pub slots: Vec<IpSlot>,
    /// Secondary addresses this ENI can hold (the type's IPv4 per ENI − 1).
    pub capacity: u32,
}

impl Eni {
    pub fn name(&self) -> String {
        format!("eth{}", self.device_index)
    }

    pub fn used(&self) -> u32 {
        self.slots.iter().filter(|s| s.pod.is_some()).count() as u32
    }

    pub fn warm(&self) -> u32 {
        self.slots.len() as u32 - self.used()
    }

    /// Slots with no address allocated from the subnet yet.
    pub fn free(&self) -> u32 {
        self.capacity.saturating_sub(self.slots.len() as u32)
    }
}

/// A secondary address held by the CNI: given to a pod, or warm (waiting for one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpSlot {
    /// Stable id, `ip:<node>/eth<N>/<slot>`.
    pub id: String,
    pub ip: Ipv4Addr,
    /// The pod using it; `None` = warm.
    pub pod: Option<String>,
}
