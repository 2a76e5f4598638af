//! A pod as the cluster shows it: where it landed, its address, and its phase.

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::rc::Rc;

use super::shared_str::SharedStr;

/// `kubectl get pods` STATUS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PodStatus {
    Running,
    /// Bound to a node, but the CNI could not give it an address.
    ContainerCreating,
    /// Not bound: no node passed the scheduler's filters.
    Pending,
}

impl PodStatus {
    pub fn label(self) -> &'static str {
        match self {
            PodStatus::Running => "Running",
            PodStatus::ContainerCreating => "ContainerCreating",
            PodStatus::Pending => "Pending",
        }
    }
}

/// The message `kubectl describe pod` shows for a pod the CNI could not address.
pub const CNI_NO_ADDRESS: &str = "FailedCreatePodSandBox: plugin type=\"aws-cni\" name=\"aws-cni\" failed (add): add cmd: failed to assign an IP address to container";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pod {
    /// Stable id, `pod:<namespace>/<name>`: a part of one text that holds every pod's id,
    /// so a pod's strings cost no allocation of their own.
    pub id: SharedStr,
    /// The tail of its id (the same text), shared with its ENI slot or prefix, branch ENI
    /// and endpoints.
    pub name: SharedStr,
    /// Shared by the pods of one workload.
    pub namespace: SharedStr,
    /// The Deployment or DaemonSet it belongs to (shared by its pods).
    pub workload: SharedStr,
    /// Index into `Cluster::nodes`.
    pub node: Option<usize>,
    /// Its address: a secondary IP or prefix address, a branch ENI's, the node's own
    /// (hostNetwork), or an IPv6 address of the node's /80.
    pub ip: Option<IpAddr>,
    pub host_network: bool,
    /// Security groups of its branch ENI, when it has one.
    pub security_groups: Vec<String>,
    /// The workload's pod labels, one map shared by its pods.
    pub labels: Rc<BTreeMap<String, String>>,
    pub container_port: u16,
    pub status: PodStatus,
    /// Why it is not Running (one text shared by the pods with the same reason).
    pub reason: Option<SharedStr>,
}

impl Pod {
    /// Its typed [`Id`] (`pod:<namespace>/<name>`). The `id` field keeps the same text,
    /// shared, for the many records that only print or compare it.
    pub fn as_id(&self) -> super::Id {
        super::Id::pod(&self.namespace, &self.name)
    }
}

/// Sizes are those of 64-bit targets.
#[cfg(all(test, target_pointer_width = "64"))]
mod tests {
    use super::*;

    /// A 5,000-node cluster holds 150,000 of them: every byte is 150 KB moved and dropped.
    #[test]
    fn a_pod_record_stays_small() {
        assert_eq!(std::mem::size_of::<SharedStr>(), 16);
        assert!(
            std::mem::size_of::<Pod>() <= 152,
            "{}",
            std::mem::size_of::<Pod>()
        );
    }
}
