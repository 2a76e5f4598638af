//! The node as the scheduler sees it: its labels (the well-known ones EKS sets), its own
//! taints and the condition taints the control plane adds, its allocatable resources.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::model::aws::vpc::region_of;
use crate::model::k8s::allocatable::NodeAllocatable;
use crate::model::SharedStr;
use crate::scenario::{Taint, TaintEffect};

pub const LABEL_HOSTNAME: &str = "kubernetes.io/hostname";
pub const LABEL_ZONE: &str = "topology.kubernetes.io/zone";
pub const LABEL_REGION: &str = "topology.kubernetes.io/region";
pub const LABEL_INSTANCE_TYPE: &str = "node.kubernetes.io/instance-type";
pub const LABEL_NODEGROUP: &str = "eks.amazonaws.com/nodegroup";
pub const LABEL_OS: &str = "kubernetes.io/os";
pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

/// A node as the scheduler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchedNode {
    /// The Kubernetes node name (DaemonSet pods are named after it).
    pub name: String,
    pub az: String,
    /// Every label, the well-known ones included (see [`well_known_labels`]). The keys are
    /// shared between nodes, not copied.
    pub labels: Labels,
    /// The node's own taints (node group taints); condition taints are added by
    /// [`SchedNode::effective_taints`].
    pub taints: Vec<Taint>,
    /// Allocatable CPU; `None` = unknown, not limited.
    pub cpu_millis: Option<u64>,
    /// Allocatable memory; `None` = unknown, not limited.
    pub memory_bytes: Option<u64>,
    /// The kubelet's max pods (allocatable `pods`).
    pub max_pods: u32,
    /// Allocatable `vpc.amazonaws.com/pod-eni`; 0 when the node does not advertise it.
    pub pod_eni_capacity: u32,
    /// Cordoned (`spec.unschedulable`).
    pub unschedulable: bool,
    pub ready: bool,
}

/// A node's labels: key → value.
pub type Labels = BTreeMap<SharedStr, String>;

/// Recently used label keys, so thousands of nodes share a handful of key strings instead of
/// allocating half a dozen each.
const SHARED_TEXTS: usize = 64;

thread_local! {
    static TEXTS: RefCell<Vec<SharedStr>> = const { RefCell::new(Vec::new()) };
}

/// `text` as a [`SharedStr`], shared with the last one made for the same text (a small
/// cache, emptied when full, so it never grows with the input).
fn shared(text: &str) -> SharedStr {
    TEXTS.with(|texts| {
        let mut texts = texts.borrow_mut();
        if let Some(s) = texts.iter().find(|s| s.as_str() == text) {
            return s.clone();
        }
        if texts.len() >= SHARED_TEXTS {
            texts.clear();
        }
        let s = SharedStr::from(text);
        texts.push(s.clone());
        s
    })
}

thread_local! {
    /// The well-known label keys, made once: every node has most of them.
    static WELL_KNOWN: [SharedStr; 6] = [
        LABEL_HOSTNAME,
        LABEL_OS,
        LABEL_ZONE,
        LABEL_REGION,
        LABEL_INSTANCE_TYPE,
        LABEL_NODEGROUP,
    ]
    .map(SharedStr::from);
}

/// The labels EKS puts on a managed node group's node.
pub fn well_known_labels(name: &str, az: &str, instance_type: &str, node_group: &str) -> Labels {
    WELL_KNOWN.with(
        |[hostname, os, zone, region_key, instance_type_key, node_group_key]| {
            let mut labels = Labels::new();
            labels.insert(hostname.clone(), name.to_string());
            labels.insert(os.clone(), "linux".to_string());
            if !az.is_empty() {
                labels.insert(zone.clone(), az.to_string());
                if let Some(region) = region_of(az) {
                    labels.insert(region_key.clone(), region.to_string());
                }
            }
            if !instance_type.is_empty() {
                labels.insert(instance_type_key.clone(), instance_type.to_string());
            }
            if !node_group.is_empty() {
                labels.insert(node_group_key.clone(), node_group.to_string());
            }
            labels
        },
    )
}

impl SchedNode {
    /// A Ready managed-node-group node with the well-known labels plus `group_labels`.
    pub fn new(
        name: &str,
        az: &str,
        instance_type: &str,
        node_group: &str,
        group_labels: &BTreeMap<String, String>,
        allocatable: &NodeAllocatable,
        max_pods: u32,
    ) -> SchedNode {
        let mut labels = well_known_labels(name, az, instance_type, node_group);
        // The well-known labels win over a group label with the same key, as before.
        for (k, v) in group_labels {
            if !labels.contains_key(k.as_str()) {
                labels.insert(shared(k), v.clone());
            }
        }
        SchedNode {
            name: name.into(),
            az: az.into(),
            labels,
            taints: Vec::new(),
            cpu_millis: allocatable.cpu_millis,
            memory_bytes: allocatable.memory_bytes,
            max_pods,
            pod_eni_capacity: 0,
            unschedulable: false,
            ready: true,
        }
    }

    /// A Ready node with hostname and zone labels and the given allocatable resources.
    pub fn with_resources(
        name: &str,
        az: &str,
        cpu_millis: Option<u64>,
        memory_bytes: Option<u64>,
        max_pods: u32,
    ) -> SchedNode {
        SchedNode {
            name: name.into(),
            az: az.into(),
            labels: well_known_labels(name, az, "", ""),
            taints: Vec::new(),
            cpu_millis,
            memory_bytes,
            max_pods,
            pod_eni_capacity: 0,
            unschedulable: false,
            ready: true,
        }
    }

    /// The node's taints with the condition taints the control plane adds: not Ready →
    /// `node.kubernetes.io/not-ready` (`NoSchedule` and `NoExecute`); cordoned →
    /// `node.kubernetes.io/unschedulable:NoSchedule`.
    pub fn effective_taints(&self) -> Vec<Taint> {
        let mut taints = self.taints.clone();
        let mut add = |key: &str, effect| {
            taints.push(Taint {
                key: key.into(),
                value: String::new(),
                effect,
            })
        };
        if !self.ready {
            add(TAINT_NOT_READY, TaintEffect::NoSchedule);
            add(TAINT_NOT_READY, TaintEffect::NoExecute);
        }
        if self.unschedulable {
            add(TAINT_UNSCHEDULABLE, TaintEffect::NoSchedule);
        }
        taints
    }
}
