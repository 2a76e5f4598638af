//! Kubernetes inside the cluster: workloads become pods, pods are scheduled onto nodes.
//!
//! - [`quantity`]: resource quantities (`250m`, `256Mi`) → millicores and bytes.
//! - [`allocatable`]: a node's allocatable CPU and memory (the EKS AMI's kube-reserved rule).
//! - [`pods`]: validation of the scenario's workloads, pod templates, the system DaemonSets
//!   (`aws-node`, `kube-proxy`), expansion into named pods.
//! - [`scheduler`]: the kube-scheduler's filters and scores, and the `FailedScheduling`
//!   message of a pod that stays Pending.
//!
//! Architecture invariant: pure and deterministic — no I/O, no clock, no randomness, no
//! addresses (the VPC CNI model assigns those after scheduling).
//!
//! Typical use:
//!
//! ```
//! use eksplain::model::k8s::{allocatable::NodeAllocatable, pods, scheduler};
//! use eksplain::scenario::default_scenario;
//!
//! let scenario = default_scenario();
//! let allocatable = NodeAllocatable::from_size(Some(2), Some(8192), 29);
//! let nodes: Vec<scheduler::SchedNode> = ["a", "b", "c"]
//!     .iter()
//!     .map(|z| {
//!         let name = format!("node-{z}");
//!         let az = format!("us-east-1{z}");
//!         scheduler::SchedNode::new(&name, &az, "m5.large", "ng-1", &Default::default(), &allocatable, 29)
//!     })
//!     .collect();
//! let templates = pods::pod_templates(&scenario.workloads).expect("valid workloads");
//! let set = pods::expand(templates, &nodes).expect("within limits");
//! let schedule = scheduler::schedule(&nodes, &set);
//! assert_eq!(schedule.placements.len(), set.pods.len());
//! // The same in one call:
//! let (again, same) = eksplain::model::k8s::schedule_workloads(&scenario.workloads, &nodes).unwrap();
//! assert_eq!((again, same), (set, schedule));
//! ```

pub mod allocatable;
pub mod ingress;
pub mod pods;
pub mod quantity;
pub mod scheduler;
pub mod service_cidr;
pub mod services;

use crate::scenario::{Problem, Workload};

pub use allocatable::NodeAllocatable;
pub use pods::{expand, pod_templates, Pod, PodSet, PodTemplate};
pub use scheduler::{schedule, NodeUsage, Placement, SchedNode, Schedule};

/// Validates `workloads`, expands them into pods for `nodes` and schedules them: the three
/// steps above in one call. Problems carry paths such as `workloads[2].requests.cpu`.
pub fn schedule_workloads(
    workloads: &[Workload],
    nodes: &[SchedNode],
) -> Result<(PodSet, Schedule), Vec<Problem>> {
    let set = expand(pod_templates(workloads)?, nodes)?;
    let placements = schedule(nodes, &set);
    Ok((set, placements))
}
