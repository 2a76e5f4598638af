//! The kube-scheduler's decision: which node each pod is bound to, or why it stays Pending.
//!
//! Modelled on the default profile of kube-scheduler 1.33 (an EKS standard-support version;
//! the filter texts and message format are the same from 1.30), plugin by plugin:
//!
//! **Filters**, in the default profile's order; a node's status comes from the first filter
//! it fails, with that plugin's reason text:
//!
//! | plugin | reason | code |
//! |---|---|---|
//! | NodeUnschedulable | `node(s) were unschedulable` | unresolvable |
//! | TaintToleration | `node(s) had untolerated taint {key: value}` (the first `NoSchedule`/`NoExecute` taint not tolerated) | unresolvable |
//! | NodeAffinity | `node(s) didn't match Pod's node affinity/selector` | unresolvable |
//! | NodeResourcesFit | `Too many pods`, `Insufficient cpu`, `Insufficient memory`, `Insufficient vpc.amazonaws.com/pod-eni` (every one that applies) | resolvable |
//! | PodTopologySpread | `node(s) didn't match pod topology spread constraints` (`… (missing required label)` when the node lacks the key) | resolvable (unresolvable) |
//!
//! A node that is not Ready carries `node.kubernetes.io/not-ready` `NoSchedule` and
//! `NoExecute` taints (the node lifecycle controller's), a cordoned node
//! `node.kubernetes.io/unschedulable:NoSchedule`; both appear after the node's own taints.
//! PodTopologySpread counts pods matching the constraint's selector (the workload's labels,
//! same namespace) on nodes that match the pod's nodeSelector (`nodeAffinityPolicy: Honor`,
//! `nodeTaintsPolicy: Ignore`, the defaults), and requires
//! `count(domain) + 1 − min(count over domains) ≤ maxSkew`.
//!
//! **Scores**, with the default weights: TaintToleration ×3 (untolerated `PreferNoSchedule`
//! taints, reverse-normalised), NodeResourcesFit ×1 (LeastAllocated over cpu and memory,
//! equal weights, unset requests counted as 100m/200Mi), NodeResourcesBalancedAllocation ×1
//! (skipped for best-effort pods, as since 1.33), PodTopologySpread ×2 (the pod's
//! `ScheduleAnyway` constraints, or, for a pod with no constraints at all, the system defaults
//! `hostname maxSkew 3` + `zone maxSkew 5` over the pod's own ReplicaSet; weights
//! `ln(domains + 2)`, min/max normalised). NodeAffinity, InterPodAffinity and ImageLocality
//! score every node alike here, so they are left out. The highest total wins; where the
//! real scheduler picks among ties at random, this model takes the first node in order.
//! The real scheduler also scores only a sample of nodes in clusters above 100 nodes
//! (`percentageOfNodesToScore`); this model scores every feasible node.
//!
//! **DaemonSet pods** arrive bound by node affinity to the node they were made for: every
//! other node is reported as `node(s) didn't satisfy plugin(s) [NodeAffinity]` and the pod
//! still has to pass the filters on its own node ("Too many pods" when it is full).
//! Topology spread is not evaluated for them.
//!
//! **Pending message**, exactly as `kubectl describe pod` shows the `FailedScheduling` event
//! of 1.30+ (`FitError.Error()`): `0/N nodes are available: ` then `<count> <reason>` per
//! reason, sorted as strings, joined by `, `, then `.`; then the DefaultPreemption
//! post-filter's ` preemption: 0/N nodes are available: ` with
//! `<count> No preemption victims found for incoming pod` for nodes that failed a
//! resolvable filter and `<count> Preemption is not helpful for scheduling` for the rest,
//! sorted the same way, then `.`. Pods reach the scheduler in priority order (system
//! DaemonSets first) and user pods share priority 0, so preemption never finds a victim.
//! Kubernetes before 1.30 could print a doubled `..` at the end, and newer ones may shorten the
//! taint reason to `node(s) had untolerated taint(s)`; this model prints the 1.30–1.33 text.
//! With no node at all the message is `no nodes available to schedule pods`.
//!
//! **Order and state.** Pods are taken in [`PodSet`](super::pods::PodSet) order; each bound pod's requests are
//! added to its node before the next pod is considered, as the scheduler's cache does.
//! A pod that fits nowhere stays Pending and changes nothing.
//!
//! **Complexity.** Consecutive pods of one Deployment are identical, so they are handled as
//! a run, and runs whose pods have the same requests, nodeSelector, tolerations and spread
//! key shape share a *class*, kept across runs (at most 16 at once, least recently used
//! first out); topology keys every node carries do not count in the shape, so on a cluster
//! whose nodes all have zone and hostname labels, Deployments with and without constraints
//! of their own share one. A class is built once in O(N): every node filtered once (the static filters
//! are cached per distinct nodeSelector + tolerations) and the fitting nodes put in max-heaps
//! keyed by their resource score, one heap per *bucket* of nodes whose spread and taint
//! scores are necessarily equal when they hold none of the run's pods (same zone, same
//! untolerated `PreferNoSchedule` count). Every bind bumps its node's version and is logged;
//! a class takes in the log when used, rescoring each node bound since (a fresh heap entry;
//! the old one is stale and dropped when it reaches the top; a node that no longer fits
//! leaves for good, as usage only grows). A run gathers the nodes already holding its
//! matching pods (K of them) into buckets of its own, keyed by their count as well, and sets
//! their class entries aside while it lasts. Placing a pod looks at the top of each bucket
//! (B buckets, usually a few per zone), binds the winner and rescores it. A run costs
//! O(K·log N + Z + pods·(B + log N)) plus O(log N) per pod bound elsewhere since the class
//! was last used — not O(N) — for Z zones; overall O(C·N + R·Z + P·(B + log N)) for C
//! classes built, R runs, P pods, N nodes, against O(R·N + P·(B + log N)) before classes and
//! O(P·N) evaluating every node for every pod. A failing run's message costs O(N) once. The
//! result is identical to evaluating every node for every pod (a test checks it against such
//! a reference).
//!
//! **Files**, one concept each: `node` (the node view: labels, condition taints); one file
//! per plugin family, as upstream's `pkg/scheduler/framework/plugins`: `static_filters`
//! (NodeUnschedulable, TaintToleration, NodeAffinity in the profile's order),
//! `taint_toleration`, `node_resources` (NodeResourcesFit, BalancedAllocation),
//! `topology_spread`; `diagnosis` (the `FailedScheduling` message); `outcome` (what
//! [`schedule`] returns); `engine` (the fast scheduler: `class`, `run`, `buckets`,
//! `trackers`). The reference it is checked against, every node for every pod, is the
//! test-only `reference`.

mod diagnosis;
mod engine;
mod node;
mod node_resources;
mod outcome;
#[cfg(test)]
mod reference;
mod static_filters;
mod taint_toleration;
mod topology_spread;

pub use diagnosis::{
    reason_insufficient_pod_eni, reason_taint, NO_NODES_MESSAGE, REASON_INSUFFICIENT_CPU,
    REASON_INSUFFICIENT_MEMORY, REASON_NODE_AFFINITY, REASON_NO_VICTIMS, REASON_PINNED_ELSEWHERE,
    REASON_PREEMPTION_NOT_HELPFUL, REASON_SPREAD, REASON_SPREAD_LABEL, REASON_TOO_MANY_PODS,
    REASON_UNSCHEDULABLE,
};
pub use engine::schedule;
pub use node::{
    well_known_labels, Labels, SchedNode, LABEL_HOSTNAME, LABEL_INSTANCE_TYPE, LABEL_NODEGROUP,
    LABEL_OS, LABEL_REGION, LABEL_ZONE, TAINT_NOT_READY, TAINT_UNSCHEDULABLE,
};
pub use outcome::{NodeUsage, Placement, Schedule};
pub use taint_toleration::{first_untolerated, tolerates, tolerates_all};
