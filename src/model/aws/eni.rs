//! Elastic network interfaces on a node and the addresses they hold.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::model::SharedStr;

/// What an ENI is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EniRole {
    /// eth0: the node's own address. Carries pod addresses unless custom networking is on.
    Primary,
    /// Attached by ipamd to hold pod addresses.
    Secondary,
    /// Attached by the VPC resource controller for security groups for pods; carries branch
    /// ENIs, no pod addresses of its own.
    Trunk,
}

/// One ENI attached to a node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Eni {
    /// Stable id, `eni:<node>/eth<N>`.
    pub id: crate::model::Id,
    /// Device index: 0 is the primary ENI (eth0).
    pub device_index: u32,
    pub role: EniRole,
    /// Index into `Cluster::subnets`.
    pub subnet: usize,
    /// The ENI's own address; never a pod address.
    pub primary_ip: Ipv4Addr,
    /// Secondary addresses the CNI holds on this ENI (secondary-IP mode).
    pub slots: Vec<IpSlot>,
    /// /28 prefixes the CNI holds on this ENI (prefix delegation).
    pub prefixes: Vec<Prefix>,
    /// Secondary addresses or prefixes this ENI may hold (the type's IPv4 per ENI − 1; 0 for
    /// a primary ENI under custom networking and for a trunk ENI).
    pub capacity: u32,
}

impl Eni {
    pub fn name(&self) -> String {
        format!("eth{}", self.device_index)
    }

    /// Addresses on this ENI given to pods.
    pub fn used(&self) -> u32 {
        let in_slots = self.slots.iter().filter(|s| s.pod.is_some()).count();
        let in_prefixes: usize = self.prefixes.iter().map(|p| p.pods.len()).sum();
        (in_slots + in_prefixes) as u32
    }

    /// Addresses held for pods but not yet used.
    pub fn warm(&self) -> u32 {
        self.held() - self.used()
    }

    /// Addresses the CNI holds from the subnet, besides the ENI's own.
    pub fn held(&self) -> u32 {
        self.slots.len() as u32 + self.prefixes.len() as u32 * PREFIX_SIZE
    }

    /// Slots (addresses or prefixes) not yet allocated from the subnet.
    pub fn free(&self) -> u32 {
        self.capacity
            .saturating_sub((self.slots.len() + self.prefixes.len()) as u32)
    }
}

/// A secondary address held by the CNI: given to a pod, or warm (waiting for one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpSlot {
    /// Stable id, `ip:<node>/eth<N>/<slot>`.
    pub id: crate::model::Id,
    pub ip: Ipv4Addr,
    /// The pod using it (its name, shared with the pod); `None` = warm.
    pub pod: Option<SharedStr>,
}

/// Addresses in a /28 prefix.
pub const PREFIX_SIZE: u32 = 16;

/// A /28 prefix assigned to an ENI under prefix delegation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prefix {
    /// Stable id, `prefix:<node>/eth<N>/<k>`.
    pub id: crate::model::Id,
    pub cidr: Ipv4Net,
    /// Pods using addresses of this prefix, in address order from the first.
    pub pods: Vec<(Ipv4Addr, SharedStr)>,
}

/// A branch ENI: one pod's own interface (security groups for pods), trunked through the
/// node's trunk ENI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BranchEni {
    /// Stable id, `branch:<pod>`.
    pub id: crate::model::Id,
    pub subnet: usize,
    pub ip: Ipv4Addr,
    /// The pod's name, shared with the pod.
    pub pod: SharedStr,
    pub security_groups: Vec<String>,
}
