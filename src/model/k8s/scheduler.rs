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
//! **Order and state.** Pods are taken in [`PodSet`] order; each bound pod's requests are
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

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;
use std::sync::Arc;

use super::allocatable::NodeAllocatable;
use super::pods::{
    PodRequests, PodSet, PodTemplate, SpreadConstraint, TopologyKey, POD_ENI_RESOURCE,
};
use crate::model::aws::vpc::region_of;
use crate::scenario::{Taint, TaintEffect, Toleration, TolerationOperator, WhenUnsatisfiable};

pub const LABEL_HOSTNAME: &str = "kubernetes.io/hostname";
pub const LABEL_ZONE: &str = "topology.kubernetes.io/zone";
pub const LABEL_REGION: &str = "topology.kubernetes.io/region";
pub const LABEL_INSTANCE_TYPE: &str = "node.kubernetes.io/instance-type";
pub const LABEL_NODEGROUP: &str = "eks.amazonaws.com/nodegroup";
pub const LABEL_OS: &str = "kubernetes.io/os";
pub const TAINT_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_UNSCHEDULABLE: &str = "node.kubernetes.io/unschedulable";

pub const REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";
pub const REASON_NODE_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";
pub const REASON_TOO_MANY_PODS: &str = "Too many pods";
pub const REASON_INSUFFICIENT_CPU: &str = "Insufficient cpu";
pub const REASON_INSUFFICIENT_MEMORY: &str = "Insufficient memory";
pub const REASON_SPREAD: &str = "node(s) didn't match pod topology spread constraints";
pub const REASON_SPREAD_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";
pub const REASON_PINNED_ELSEWHERE: &str = "node(s) didn't satisfy plugin(s) [NodeAffinity]";
pub const REASON_NO_VICTIMS: &str = "No preemption victims found for incoming pod";
pub const REASON_PREEMPTION_NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
pub const NO_NODES_MESSAGE: &str = "no nodes available to schedule pods";

/// `Insufficient vpc.amazonaws.com/pod-eni`.
pub fn reason_insufficient_pod_eni() -> String {
    format!("Insufficient {POD_ENI_RESOURCE}")
}

/// `node(s) had untolerated taint {key: value}`.
pub fn reason_taint(taint: &Taint) -> String {
    format!(
        "node(s) had untolerated taint {{{}: {}}}",
        taint.key, taint.value
    )
}

/// A node as the scheduler sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchedNode {
    /// The Kubernetes node name (DaemonSet pods are named after it).
    pub name: String,
    pub az: String,
    /// Every label, the well-known ones included (see [`well_known_labels`]).
    pub labels: BTreeMap<String, String>,
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

/// The labels EKS puts on a managed node group's node.
pub fn well_known_labels(
    name: &str,
    az: &str,
    instance_type: &str,
    node_group: &str,
) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    labels.insert(LABEL_HOSTNAME.to_string(), name.to_string());
    labels.insert(LABEL_OS.to_string(), "linux".to_string());
    if !az.is_empty() {
        labels.insert(LABEL_ZONE.to_string(), az.to_string());
        if let Some(region) = region_of(az) {
            labels.insert(LABEL_REGION.to_string(), region.to_string());
        }
    }
    if !instance_type.is_empty() {
        labels.insert(LABEL_INSTANCE_TYPE.to_string(), instance_type.to_string());
    }
    if !node_group.is_empty() {
        labels.insert(LABEL_NODEGROUP.to_string(), node_group.to_string());
    }
    labels
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
        let mut labels = group_labels.clone();
        labels.extend(well_known_labels(name, az, instance_type, node_group));
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

/// Does `toleration` tolerate `taint`? (`v1.Toleration.ToleratesTaint`)
pub fn tolerates(toleration: &Toleration, taint: &Taint) -> bool {
    if toleration.effect.is_some_and(|e| e != taint.effect) {
        return false;
    }
    let key = toleration.key.as_deref().unwrap_or("");
    if !key.is_empty() && key != taint.key {
        return false;
    }
    match toleration.operator {
        TolerationOperator::Exists => true,
        TolerationOperator::Equal => toleration.value.as_deref().unwrap_or("") == taint.value,
    }
}

fn blocks_scheduling(taint: &Taint) -> bool {
    matches!(
        taint.effect,
        TaintEffect::NoSchedule | TaintEffect::NoExecute
    )
}

/// The first `NoSchedule`/`NoExecute` taint no toleration tolerates.
pub fn first_untolerated(tolerations: &[Toleration], taints: &[Taint]) -> Option<usize> {
    taints
        .iter()
        .position(|t| blocks_scheduling(t) && !tolerations.iter().any(|tol| tolerates(tol, t)))
}

/// Every `NoSchedule`/`NoExecute` taint is tolerated.
pub fn tolerates_all(tolerations: &[Toleration], taints: &[Taint]) -> bool {
    first_untolerated(tolerations, taints).is_none()
}

/// TaintToleration's score input: `PreferNoSchedule` taints not tolerated by a toleration
/// whose effect is empty or `PreferNoSchedule`.
fn intolerable_prefer_no_schedule(tolerations: &[Toleration], taints: &[Taint]) -> u32 {
    taints
        .iter()
        .filter(|t| t.effect == TaintEffect::PreferNoSchedule)
        .filter(|t| {
            !tolerations
                .iter()
                .filter(|tol| {
                    tol.effect.is_none() || tol.effect == Some(TaintEffect::PreferNoSchedule)
                })
                .any(|tol| tolerates(tol, t))
        })
        .count() as u32
}

/// Where one pod went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// Bound to this node (index into the nodes given to [`schedule`]).
    Node(usize),
    /// Not scheduled, with the `FailedScheduling` message.
    Pending(Arc<str>),
}

impl Placement {
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

    fn add(&mut self, template: &PodTemplate) {
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

/// The scheduler's answer for a [`PodSet`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Schedule {
    /// One per pod, in [`PodSet::pods`] order.
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

/// Schedules every pod of `pods` onto `nodes`. Pure and deterministic.
pub fn schedule(nodes: &[SchedNode], pods: &PodSet) -> Schedule {
    let mut s = Scheduler::new(nodes, pods);
    let mut i = 0;
    while i < pods.pods.len() {
        let pod = &pods.pods[i];
        if let Some(n) = pod.node {
            s.schedule_pinned(i, n);
            i += 1;
            continue;
        }
        let t = pod.template;
        let mut j = i + 1;
        while j < pods.pods.len() && pods.pods[j].template == t && pods.pods[j].node.is_none() {
            j += 1;
        }
        s.schedule_run(t, i..j);
        i = j;
    }
    Schedule {
        placements: s.placements,
        nodes: s.usage,
    }
}

// ---------------------------------------------------------------------------------------
// Shared rules (also used by the reference implementation in the tests).

/// The first static filter a node fails for a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StaticStatus {
    Ok,
    Unschedulable,
    /// Index into the node's effective taints.
    Taint(usize),
    Affinity,
}

fn static_status(template: &PodTemplate, node: &SchedNode, taints: &[Taint]) -> StaticStatus {
    let unschedulable_taint = Taint {
        key: TAINT_UNSCHEDULABLE.into(),
        value: String::new(),
        effect: TaintEffect::NoSchedule,
    };
    if node.unschedulable
        && !template
            .tolerations
            .iter()
            .any(|t| tolerates(t, &unschedulable_taint))
    {
        return StaticStatus::Unschedulable;
    }
    if let Some(i) = first_untolerated(&template.tolerations, taints) {
        return StaticStatus::Taint(i);
    }
    if !selector_matches(&template.node_selector, &node.labels) {
        return StaticStatus::Affinity;
    }
    StaticStatus::Ok
}

fn selector_matches(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

const FIT_PODS: u8 = 1;
const FIT_CPU: u8 = 2;
const FIT_MEMORY: u8 = 4;
const FIT_POD_ENI: u8 = 8;

/// NodeResourcesFit: the insufficient resources, as bits (0 = fits).
fn fit(node: &SchedNode, used: &NodeUsage, r: &PodRequests) -> u8 {
    let mut out = 0;
    if u64::from(used.pods) + 1 > u64::from(node.max_pods) {
        out |= FIT_PODS;
    }
    if r.cpu_millis == 0 && r.memory_bytes == 0 && r.pod_eni == 0 {
        return out;
    }
    let short = |request: u64, allocatable: Option<u64>, used: u64| {
        request > 0 && allocatable.is_some_and(|a| request > a.saturating_sub(used))
    };
    if short(r.cpu_millis, node.cpu_millis, used.cpu_millis) {
        out |= FIT_CPU;
    }
    if short(r.memory_bytes, node.memory_bytes, used.memory_bytes) {
        out |= FIT_MEMORY;
    }
    if short(
        u64::from(r.pod_eni),
        Some(u64::from(node.pod_eni_capacity)),
        u64::from(used.branch_eni_pods),
    ) {
        out |= FIT_POD_ENI;
    }
    out
}

fn fit_reasons(bits: u8) -> impl Iterator<Item = Cow<'static, str>> {
    [
        (FIT_PODS, REASON_TOO_MANY_PODS),
        (FIT_CPU, REASON_INSUFFICIENT_CPU),
        (FIT_MEMORY, REASON_INSUFFICIENT_MEMORY),
    ]
    .into_iter()
    .filter(move |(bit, _)| bits & bit != 0)
    .map(|(_, reason)| Cow::Borrowed(reason))
    .chain((bits & FIT_POD_ENI != 0).then(|| Cow::Owned(reason_insufficient_pod_eni())))
}

/// NodeResourcesFit LeastAllocated + NodeResourcesBalancedAllocation, both weight 1.
fn resource_score(node: &SchedNode, used: &NodeUsage, r: &PodRequests) -> i64 {
    let resources = [
        (
            node.cpu_millis,
            used.nonzero_cpu_millis,
            r.nonzero_cpu_millis,
            used.cpu_millis,
            r.cpu_millis,
        ),
        (
            node.memory_bytes,
            used.nonzero_memory_bytes,
            r.nonzero_memory_bytes,
            used.memory_bytes,
            r.memory_bytes,
        ),
    ];
    let mut least = 0u64;
    let mut counted = 0u64;
    let mut fractions = [0f64; 2];
    let mut fraction_count = 0;
    for (allocatable, nonzero_used, nonzero_request, used, request) in resources {
        let Some(a) = allocatable.filter(|a| *a > 0) else {
            continue;
        };
        let requested = nonzero_used.saturating_add(nonzero_request);
        least += match a.checked_sub(requested) {
            None => 0,
            // (a − requested) × 100 / a without 128-bit arithmetic when it fits in 64 bits
            // (a comparison, not `checked_mul`, which is a 128-bit multiply in wasm).
            Some(free) if free <= u64::MAX / 100 => free * 100 / a,
            Some(free) => (u128::from(free) * 100 / u128::from(a)) as u64,
        };
        counted += 1;
        let fraction = used.saturating_add(request) as f64 / a as f64;
        fractions[fraction_count] = fraction.min(1.0);
        fraction_count += 1;
    }
    let least = least.checked_div(counted).map_or(0, |v| v as i64);
    let balanced = if r.cpu_millis == 0 && r.memory_bytes == 0 {
        0 // BalancedAllocation skips best-effort pods
    } else {
        let std = if fraction_count == 2 {
            ((fractions[0] - fractions[1]) / 2.0).abs()
        } else {
            0.0
        };
        ((1.0 - std) * 100.0) as i64
    };
    least + balanced
}

/// The last resource score computed for each node, with the node's version and the requests
/// it was for. After a bind, the class that placed the pod, the run's own bucket and every
/// other class holding the node rescore it, most often for the same requests: one
/// computation serves them all. Requests are told apart by a number per distinct requests
/// (`requests_id`), so a lookup compares two integers.
struct ScoreMemo(Vec<Option<(u32, u32, i64)>>);

impl ScoreMemo {
    fn score(
        &mut self,
        i: usize,
        version: u32,
        (requests_id, r): (u32, &PodRequests),
        node: &SchedNode,
        used: &NodeUsage,
    ) -> i64 {
        match self.0[i] {
            Some((v, id, score)) if v == version && id == requests_id => score,
            _ => {
                let score = resource_score(node, used, r);
                self.0[i] = Some((version, requests_id, score));
                score
            }
        }
    }
}

/// The system default spreading for a pod with no constraints of its own.
const SYSTEM_DEFAULT_SPREAD: [SpreadConstraint; 2] = [
    SpreadConstraint {
        max_skew: 3,
        key: TopologyKey::Hostname,
        when_unsatisfiable: WhenUnsatisfiable::ScheduleAnyway,
    },
    SpreadConstraint {
        max_skew: 5,
        key: TopologyKey::Zone,
        when_unsatisfiable: WhenUnsatisfiable::ScheduleAnyway,
    },
];

/// The constraints PodTopologySpread filters and scores with.
struct SpreadRules {
    filter: Vec<SpreadConstraint>,
    score: Vec<SpreadConstraint>,
    /// The pod has constraints of its own: nodes must carry every key to count.
    require_all: bool,
}

impl SpreadRules {
    fn of(template: &PodTemplate) -> SpreadRules {
        if template.spread.is_empty() {
            return SpreadRules {
                filter: Vec::new(),
                score: SYSTEM_DEFAULT_SPREAD.to_vec(),
                require_all: false,
            };
        }
        let (filter, score) = template
            .spread
            .iter()
            .partition(|c| c.when_unsatisfiable == WhenUnsatisfiable::DoNotSchedule);
        SpreadRules {
            filter,
            score,
            require_all: true,
        }
    }

    fn uses(&self, key: TopologyKey) -> bool {
        self.filter.iter().chain(&self.score).any(|c| c.key == key)
    }

    /// Has every key of the `DoNotSchedule` constraints (counts for, and may pass, the filter).
    fn filter_keys(&self, has: impl Fn(TopologyKey) -> bool) -> bool {
        self.filter.iter().all(|c| has(c.key))
    }

    /// Is scored by PodTopologySpread: the pod has no constraints of its own, or the node
    /// has every key of the `ScheduleAnyway` ones (otherwise it is ignored: score 0).
    fn score_keys(&self, has: impl Fn(TopologyKey) -> bool) -> bool {
        !self.require_all || self.score.iter().all(|c| has(c.key))
    }
}

/// `int64(math.Round(Σ cnt × weight + maxSkew − 1))` over the constraints the node has.
fn spread_raw(
    score: &[SpreadConstraint],
    host: Option<u64>,
    zone: Option<u64>,
    w_host: f64,
    w_zone: f64,
) -> i64 {
    let mut total = 0f64;
    for c in score {
        let (count, weight) = match c.key {
            TopologyKey::Hostname => (host, w_host),
            TopologyKey::Zone => (zone, w_zone),
        };
        if let Some(count) = count {
            total += count as f64 * weight + f64::from(c.max_skew) - 1.0;
        }
    }
    round_half_away(total) as i64
}

/// `f64::round` (halves away from zero), from `trunc`: one instruction in wasm, where `round`
/// is a library call. Exact: `x − trunc(x)` is representable.
fn round_half_away(x: f64) -> f64 {
    let t = x.trunc();
    if (x - t).abs() >= 0.5 {
        t + x.signum()
    } else {
        t
    }
}

/// PodTopologySpread's NormalizeScore.
fn spread_normalized(raw: i64, min: i64, max: i64) -> i64 {
    if max == 0 {
        100
    } else {
        100 * (max + min - raw) / max
    }
}

/// TaintToleration's reverse NormalizeScore.
fn taint_normalized(count: u32, max: u32) -> i64 {
    if max == 0 {
        100
    } else {
        100 - 100 * i64::from(count) / i64::from(max)
    }
}

/// Per-node failure statuses → the `FailedScheduling` message.
#[derive(Default)]
struct Diagnosis {
    reasons: HashMap<Cow<'static, str>, usize>,
    resolvable: usize,
    unresolvable: usize,
}

impl Diagnosis {
    fn node(&mut self, reasons: impl IntoIterator<Item = Cow<'static, str>>, unresolvable: bool) {
        for reason in reasons {
            *self.reasons.entry(reason).or_default() += 1;
        }
        if unresolvable {
            self.unresolvable += 1;
        } else {
            self.resolvable += 1;
        }
    }

    fn nodes(&mut self, count: usize, reason: &'static str) {
        if count > 0 {
            *self.reasons.entry(Cow::Borrowed(reason)).or_default() += count;
            self.unresolvable += count;
        }
    }

    fn message(self, node_count: usize) -> Arc<str> {
        if node_count == 0 {
            return Arc::from(NO_NODES_MESSAGE);
        }
        let histogram = |entries: Vec<(usize, &str)>| {
            let mut parts: Vec<String> = entries
                .into_iter()
                .filter(|(count, _)| *count > 0)
                .map(|(count, reason)| format!("{count} {reason}"))
                .collect();
            parts.sort();
            parts.join(", ")
        };
        let filter = histogram(self.reasons.iter().map(|(r, c)| (*c, r.as_ref())).collect());
        let preemption = histogram(vec![
            (self.resolvable, REASON_NO_VICTIMS),
            (self.unresolvable, REASON_PREEMPTION_NOT_HELPFUL),
        ]);
        Arc::from(format!(
            "0/{node_count} nodes are available: {filter}. preemption: 0/{node_count} nodes are available: {preemption}."
        ))
    }
}

// ---------------------------------------------------------------------------------------
// The fast scheduler.

/// Matching pods per node. Updated at every bind of a pod with spread constraints, so keyed
/// with a multiplicative hash of the node index rather than SipHash (the keys are ours; only
/// lookups and order-free sums use the map, so its order does not matter).
type NodeCounts = HashMap<u32, u32, BuildHasherDefault<NodeHasher>>;

/// The hasher of [`NodeCounts`]: Fibonacci hashing of a `u32` (a bijection on the low bits,
/// so consecutive node indexes spread evenly).
#[derive(Default)]
struct NodeHasher(u64);

impl Hasher for NodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Pods matching a label selector, per node, kept up to date as pods are bound.
struct Trackers {
    /// Per tracker: node → matching pods.
    counts: Vec<NodeCounts>,
    /// Per template: its own tracker, when it has constraints of its own.
    of_template: Vec<Option<usize>>,
    /// Per template: the trackers its pods count towards.
    feeds: Vec<Vec<usize>>,
}

impl Trackers {
    fn new(templates: &[PodTemplate]) -> Trackers {
        let mut ids: HashMap<(&str, &BTreeMap<String, String>), usize> = HashMap::new();
        let mut selectors = Vec::new();
        let mut of_template = vec![None; templates.len()];
        for (t, template) in templates.iter().enumerate() {
            if template.spread.is_empty() {
                continue;
            }
            let key = (template.namespace.as_str(), &template.labels);
            let id = *ids.entry(key).or_insert_with(|| {
                selectors.push(key);
                selectors.len() - 1
            });
            of_template[t] = Some(id);
        }
        let mut feeds = vec![Vec::new(); templates.len()];
        if !selectors.is_empty() {
            // Posting lists: (namespace, key, value) → templates carrying that label.
            let mut postings: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
            for (t, template) in templates.iter().enumerate() {
                for (k, v) in &template.labels {
                    postings
                        .entry((template.namespace.as_str(), k.as_str(), v.as_str()))
                        .or_default()
                        .push(t);
                }
            }
            let all: Vec<usize> = (0..templates.len()).collect();
            for (id, (namespace, labels)) in selectors.iter().enumerate() {
                let candidates = labels
                    .iter()
                    .map(|(k, v)| {
                        postings
                            .get(&(*namespace, k.as_str(), v.as_str()))
                            .map_or(&[][..], |p| &p[..])
                    })
                    .min_by_key(|p| p.len())
                    .unwrap_or(&all[..]);
                for &t in candidates {
                    let template = &templates[t];
                    if template.namespace == *namespace
                        && selector_matches(labels, &template.labels)
                    {
                        feeds[t].push(id);
                    }
                }
            }
        }
        Trackers {
            counts: vec![NodeCounts::default(); selectors.len()],
            of_template,
            feeds,
        }
    }

    fn bound(&mut self, template: usize, node: usize) {
        for &id in &self.feeds[template] {
            *self.counts[id].entry(node as u32).or_default() += 1;
        }
    }
}

/// Nodes whose spread and taint scores are necessarily equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct BucketKey {
    /// Lacks a key the pod's own constraints use: PodTopologySpread scores it 0.
    ignored: bool,
    zone: Option<u32>,
    has_host: bool,
    /// Matching pods on the node (0 when no constraint uses the hostname).
    count: u32,
    prefer_no_schedule: u32,
}

/// A heap entry: (resource score, earliest node, the node's version when scored), ordered
/// as that tuple with the node reversed, packed in one integer so that the heaps, which see
/// a push and a pop for nearly every bind, compare entries in a couple of instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Entry(u128);

impl Entry {
    fn new(score: i64, node: u32, version: u32) -> Entry {
        // Flipping the sign bit maps i64 order onto u64 order.
        let score = (score as u64) ^ (1 << 63);
        Entry(u128::from(score) << 64 | u128::from(u32::MAX - node) << 32 | u128::from(version))
    }

    fn score(self) -> i64 {
        (((self.0 >> 64) as u64) ^ (1 << 63)) as i64
    }

    fn node(self) -> u32 {
        u32::MAX - (self.0 >> 32) as u32
    }

    fn version(self) -> u32 {
        self.0 as u32
    }
}

/// Max-heap of (resource score, earliest node) (version 0).
type Bucket = BinaryHeap<Entry>;

/// A class bucket's heap.
type ClassHeap = BinaryHeap<ClassEntry>;

/// (resource score, earliest node, the node's version when scored).
type ClassEntry = Entry;

/// A bucket of a [`Class`]: the nodes with one static [`BucketKey`] (count 0).
struct ClassBucket {
    key: BucketKey,
    /// Every fitting node's entry at its current version, plus stale entries (older
    /// versions) that are dropped when they reach the top.
    heap: ClassHeap,
    /// Nodes of the bucket that currently fit.
    fitting: u32,
}

/// What every run of pods with the same requests, nodeSelector, tolerations and spread
/// key shape shares, kept across runs: the static filters, the per-node flags, and the
/// nodes that fit, in heaps by resource score. Binds are logged; a class catches up on the
/// log when it is next used (rescoring only the nodes bound since).
struct Class {
    /// Its shape (index of the first [`ClassShape`] seen).
    key: usize,
    last_used: usize,
    /// The requests every template of the class has, and their number in `requests_id`.
    requests: PodRequests,
    requests_id: u32,
    statics: Arc<Vec<StaticStatus>>,
    /// Counts towards the filter's domains: matches the nodeSelector, has the filter keys.
    filter_counted: Vec<bool>,
    /// Counts towards the score's zone counts: matches the nodeSelector, is scored.
    score_counted: Vec<bool>,
    /// Zones with a filter-counted node (the filter's zone domains).
    zone_domain: Vec<bool>,
    /// Filter-counted nodes with a hostname (the hostname domains).
    host_domains: u32,
    /// Per node: its bucket (`u32::MAX` = fails a static filter or lacks a `DoNotSchedule`
    /// key: never a candidate).
    bucket_of: Vec<u32>,
    /// Per node: the version last scored, and whether it fit then.
    seen: Vec<u32>,
    fits: Vec<bool>,
    buckets: Vec<ClassBucket>,
    /// How much of the scheduler's bind log has been taken in.
    synced: usize,
}

/// The state of one run of identical pods.
struct Run {
    template: usize,
    class: usize,
    rules: SpreadRules,
    uses_host: bool,
    /// Nodes with matching pods (their counts are in `Scheduler::matching`).
    touched: Vec<u32>,
    /// Matching pods per zone over filter-counted nodes, and over score-counted nodes.
    filter_zone_counts: Vec<u64>,
    score_zone_counts: Vec<u64>,
    /// A `DoNotSchedule` constraint uses the hostname: only then are the two counts below
    /// kept (they give the minimum over hostname domains).
    filter_host: bool,
    /// Filter-counted nodes with a hostname and no matching pod.
    host_zero: u32,
    /// The same with matching pods, by matching pods.
    host_histogram: BTreeMap<u32, u32>,
    /// When the hostname is scored, nodes with matching pods leave their class bucket for
    /// a bucket of this run, keyed by their count: per class bucket, how many fitting nodes
    /// are out; the class entries taken out of the way, restored when the run ends; and
    /// the run's own buckets (a handful, found by a linear search; their order does not
    /// matter).
    excluded: Vec<u32>,
    set_aside: Vec<(u32, ClassEntry)>,
    local: Vec<(BucketKey, Bucket)>,
    /// Buffers [`Scheduler::choose`] reuses from pod to pod.
    eligible: Vec<Eligible>,
    raws: Vec<Option<i64>>,
    zones_seen: Vec<bool>,
    /// PodTopologySpread's weights, ln(domains + 2), for (hosts, zones) domains.
    weights: (usize, usize, f64, f64),
}

/// A bucket that passes the skew check: key, source, feasible nodes, top.
type Eligible = (BucketKey, Source, usize, Entry);

/// The run's bucket with `key`, made empty when there is none.
fn local_bucket(local: &mut Vec<(BucketKey, Bucket)>, key: BucketKey) -> &mut Bucket {
    let b = match local.iter().position(|(k, _)| *k == key) {
        Some(b) => b,
        None => {
            local.push((key, Bucket::new()));
            local.len() - 1
        }
    };
    &mut local[b].1
}

/// Where a run's winner came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Class,
    Local(BucketKey),
}

/// What decides a template's static filter statuses: its tolerations and nodeSelector.
type StaticShape<'a> = (&'a [Toleration], &'a BTreeMap<String, String>);

/// What runs of one class have in common: the same requests, nodeSelector, tolerations and
/// spread key shape: the topology keys (as bit sets, only those some node lacks) a node needs
/// to count towards the `DoNotSchedule` constraints and to be scored (none when the pod has
/// no constraints of its own: then every node is scored). These decide every per-node fact
/// a class holds.
#[derive(PartialEq, Eq, Hash)]
struct ClassShape<'a> {
    tolerations: &'a [Toleration],
    node_selector: &'a BTreeMap<String, String>,
    requests: PodRequests,
    filter_keys: u8,
    score_keys: u8,
}

/// Classes kept at once (each holds O(nodes)); the least recently used makes way.
const MAX_CLASSES: usize = 16;

struct Scheduler<'a> {
    nodes: &'a [SchedNode],
    set: &'a PodSet,
    taints: Vec<Vec<Taint>>,
    zone: Vec<Option<u32>>,
    zones: usize,
    has_host: Vec<bool>,
    /// Topology keys (bits `1 << key`) that some node lacks.
    missing_keys: u8,
    usage: Vec<NodeUsage>,
    placements: Vec<Placement>,
    trackers: Trackers,
    /// Per template: the nodes its pods are bound to.
    own: Vec<Vec<u32>>,
    /// Per template: its last pod (index into the pod set).
    last_pod: Vec<usize>,
    /// Pods of the template being placed follow the current run or pinned pod: `own` is
    /// kept for them (it is read only when a later run of the template starts).
    keep_own: bool,
    static_cache: HashMap<StaticShape<'a>, Arc<Vec<StaticStatus>>>,
    /// Per node: bumped on every bind (what a class heap entry was scored at).
    version: Vec<u32>,
    /// Every bind's node, in order.
    log: Vec<u32>,
    classes: Vec<Class>,
    /// Every class shape seen, numbered in order of first sight.
    class_shapes: HashMap<ClassShape<'a>, usize>,
    /// Per template: its class shape's number, once computed.
    class_keys: Vec<Option<usize>>,
    runs: usize,
    /// Per node: matching pods for the current run (0 outside runs).
    matching: Vec<u32>,
    scores: ScoreMemo,
    /// Per template: a number per distinct requests (equal requests, equal numbers).
    requests_id: Vec<u32>,
}

impl<'a> Scheduler<'a> {
    fn new(nodes: &'a [SchedNode], set: &'a PodSet) -> Scheduler<'a> {
        let mut zone_ids: HashMap<&str, u32> = HashMap::new();
        let zone = nodes
            .iter()
            .map(|n| {
                n.labels.get(LABEL_ZONE).map(|z| {
                    let next = zone_ids.len() as u32;
                    *zone_ids.entry(z.as_str()).or_insert(next)
                })
            })
            .collect();
        Scheduler {
            nodes,
            set,
            taints: nodes.iter().map(SchedNode::effective_taints).collect(),
            zone,
            zones: zone_ids.len(),
            has_host: nodes
                .iter()
                .map(|n| n.labels.contains_key(LABEL_HOSTNAME))
                .collect(),
            missing_keys: {
                let lacks = |label: &str| nodes.iter().any(|n| !n.labels.contains_key(label));
                u8::from(lacks(LABEL_ZONE)) << TopologyKey::Zone as u8
                    | u8::from(lacks(LABEL_HOSTNAME)) << TopologyKey::Hostname as u8
            },
            usage: vec![NodeUsage::default(); nodes.len()],
            placements: vec![Placement::Pending(Arc::from("")); set.pods.len()],
            trackers: Trackers::new(&set.templates),
            own: vec![Vec::new(); set.templates.len()],
            last_pod: {
                let mut last = vec![0; set.templates.len()];
                for (p, pod) in set.pods.iter().enumerate() {
                    last[pod.template] = p;
                }
                last
            },
            keep_own: true,
            static_cache: HashMap::new(),
            version: vec![0; nodes.len()],
            log: Vec::new(),
            classes: Vec::new(),
            class_shapes: HashMap::new(),
            class_keys: vec![None; set.templates.len()],
            runs: 0,
            matching: vec![0; nodes.len()],
            scores: ScoreMemo(vec![None; nodes.len()]),
            requests_id: {
                let mut ids: HashMap<PodRequests, u32> = HashMap::new();
                set.templates
                    .iter()
                    .map(|t| {
                        let next = ids.len() as u32;
                        *ids.entry(t.requests).or_insert(next)
                    })
                    .collect()
            },
        }
    }

    fn bind(&mut self, pod: usize, template: usize, node: usize) {
        self.usage[node].add(&self.set.templates[template]);
        self.placements[pod] = Placement::Node(node);
        self.trackers.bound(template, node);
        if self.keep_own {
            self.own[template].push(node as u32);
        }
        self.version[node] = self.version[node].wrapping_add(1);
        self.log.push(node as u32);
    }

    /// A DaemonSet pod: its own node or nothing.
    fn schedule_pinned(&mut self, pod: usize, node: usize) {
        let set = self.set;
        let t = set.pods[pod].template;
        let template = &set.templates[t];
        self.keep_own = self.last_pod[t] > pod;
        if node >= self.nodes.len() {
            let mut d = Diagnosis::default();
            d.nodes(self.nodes.len(), REASON_PINNED_ELSEWHERE);
            self.placements[pod] = Placement::Pending(d.message(self.nodes.len()));
            return;
        }
        let status = static_status(template, &self.nodes[node], &self.taints[node]);
        let bits = fit(&self.nodes[node], &self.usage[node], &template.requests);
        if status == StaticStatus::Ok && bits == 0 {
            self.bind(pod, t, node);
            return;
        }
        let mut d = Diagnosis::default();
        self.diagnose_static_or_fit(&mut d, status, node, bits);
        d.nodes(self.nodes.len() - 1, REASON_PINNED_ELSEWHERE);
        self.placements[pod] = Placement::Pending(d.message(self.nodes.len()));
    }

    fn diagnose_static_or_fit(
        &self,
        d: &mut Diagnosis,
        status: StaticStatus,
        node: usize,
        bits: u8,
    ) {
        match status {
            StaticStatus::Unschedulable => d.node([Cow::Borrowed(REASON_UNSCHEDULABLE)], true),
            StaticStatus::Taint(i) => {
                d.node([Cow::Owned(reason_taint(&self.taints[node][i]))], true)
            }
            StaticStatus::Affinity => d.node([Cow::Borrowed(REASON_NODE_AFFINITY)], true),
            StaticStatus::Ok => d.node(fit_reasons(bits), false),
        }
    }

    /// Every node's static filter status for template `t`, cached per distinct tolerations
    /// and nodeSelector.
    fn statics(&mut self, t: usize) -> Arc<Vec<StaticStatus>> {
        let set = self.set;
        let template = &set.templates[t];
        let key = (&template.tolerations[..], &template.node_selector);
        if let Some(cached) = self.static_cache.get(&key) {
            return cached.clone();
        }
        let statuses: Arc<Vec<StaticStatus>> = Arc::new(
            self.nodes
                .iter()
                .zip(&self.taints)
                .map(|(node, taints)| static_status(template, node, taints))
                .collect(),
        );
        self.static_cache.insert(key, statuses.clone());
        statuses
    }

    /// Consecutive identical pods of one template.
    fn schedule_run(&mut self, t: usize, pods: Range<usize>) {
        let set = self.set;
        let template = &set.templates[t];
        let mut run = self.start_run(t);
        self.keep_own = self.last_pod[t] >= pods.end;
        for pod in pods.clone() {
            match self.choose(&mut run) {
                Some((source, node)) => {
                    self.bind(pod, t, node);
                    self.after_bind(&mut run, source, node);
                }
                None => {
                    let message = self.failure_message(&run, template);
                    for rest in pod..pods.end {
                        self.placements[rest] = Placement::Pending(message.clone());
                    }
                    break;
                }
            }
        }
        self.finish_run(run);
    }

    /// The class of a template: its slot, made (or remade) when not kept.
    fn class_for(&mut self, t: usize) -> usize {
        let set = self.set;
        let template = &set.templates[t];
        let rules = SpreadRules::of(template);
        let key = match self.class_keys[t] {
            Some(key) => key,
            None => {
                // Only keys some node lacks change which nodes count: a node lacking none
                // counts for every constraint (and for the score, also without constraints
                // of the pod's own). So runs with, say, zone constraints and runs with the
                // default spreading share one class on nodes that all have zone and hostname.
                let keys = |cs: &[SpreadConstraint]| -> u8 {
                    cs.iter().fold(0, |bits, c| bits | 1 << c.key as u8) & self.missing_keys
                };
                let shape = ClassShape {
                    tolerations: &template.tolerations,
                    node_selector: &template.node_selector,
                    requests: template.requests,
                    filter_keys: keys(&rules.filter),
                    score_keys: if rules.require_all {
                        keys(&rules.score)
                    } else {
                        0
                    },
                };
                let next = self.class_shapes.len();
                let key = *self.class_shapes.entry(shape).or_insert(next);
                self.class_keys[t] = Some(key);
                key
            }
        };
        self.runs += 1;
        if let Some(slot) = self.classes.iter().position(|c| c.key == key) {
            self.classes[slot].last_used = self.runs;
            self.sync(slot);
            return slot;
        }
        let class = self.make_class(t, &rules, key);
        if self.classes.len() < MAX_CLASSES {
            self.classes.push(class);
            self.classes.len() - 1
        } else {
            let slot = (0..self.classes.len())
                .min_by_key(|&c| self.classes[c].last_used)
                .unwrap_or(0);
            self.classes[slot] = class;
            slot
        }
    }

    fn make_class(&mut self, t: usize, rules: &SpreadRules, key: usize) -> Class {
        let set = self.set;
        let template = &set.templates[t];
        let statics = self.statics(t);
        let n = self.nodes.len();
        let has = |i: usize, k: TopologyKey| match k {
            TopologyKey::Zone => self.zone[i].is_some(),
            TopologyKey::Hostname => self.has_host[i],
        };
        let filter_keys: Vec<bool> = (0..n).map(|i| rules.filter_keys(|k| has(i, k))).collect();
        let score_keys: Vec<bool> = (0..n).map(|i| rules.score_keys(|k| has(i, k))).collect();
        let affinity: Vec<bool> = if template.node_selector.is_empty() {
            vec![true; n]
        } else {
            (0..n)
                .map(|i| selector_matches(&template.node_selector, &self.nodes[i].labels))
                .collect()
        };
        let filter_counted: Vec<bool> = (0..n).map(|i| affinity[i] && filter_keys[i]).collect();
        let score_counted: Vec<bool> = (0..n).map(|i| affinity[i] && score_keys[i]).collect();
        let mut zone_domain = vec![false; self.zones];
        let mut host_domains = 0;
        for (i, &counted) in filter_counted.iter().enumerate() {
            if let (Some(z), true) = (self.zone[i], counted) {
                zone_domain[z as usize] = true;
            }
            if counted && self.has_host[i] {
                host_domains += 1;
            }
        }
        let mut ids: BTreeMap<BucketKey, u32> = BTreeMap::new();
        let mut entries: Vec<Vec<ClassEntry>> = Vec::new();
        let mut fitting: Vec<u32> = Vec::new();
        let mut bucket_of = vec![u32::MAX; n];
        let mut fits = vec![false; n];
        for i in 0..n {
            if statics[i] != StaticStatus::Ok || !filter_keys[i] {
                continue;
            }
            let key = BucketKey {
                ignored: !score_keys[i],
                zone: self.zone[i],
                has_host: self.has_host[i],
                count: 0,
                prefer_no_schedule: intolerable_prefer_no_schedule(
                    &template.tolerations,
                    &self.taints[i],
                ),
            };
            let b = *ids.entry(key).or_insert_with(|| {
                entries.push(Vec::new());
                fitting.push(0);
                entries.len() as u32 - 1
            });
            bucket_of[i] = b;
            if fit(&self.nodes[i], &self.usage[i], &template.requests) == 0 {
                let score = self.scores.score(
                    i,
                    self.version[i],
                    (self.requests_id[t], &template.requests),
                    &self.nodes[i],
                    &self.usage[i],
                );
                entries[b as usize].push(Entry::new(score, i as u32, self.version[i]));
                fitting[b as usize] += 1;
                fits[i] = true;
            }
        }
        let mut keys = vec![None; entries.len()];
        for (key, b) in ids {
            keys[b as usize] = Some(key);
        }
        let buckets = keys
            .into_iter()
            .zip(entries)
            .zip(fitting)
            .map(|((key, heap), fitting)| ClassBucket {
                key: key.expect("every bucket has a key"),
                heap: BinaryHeap::from(heap),
                fitting,
            })
            .collect();
        Class {
            key,
            last_used: self.runs,
            requests: template.requests,
            requests_id: self.requests_id[t],
            statics,
            filter_counted,
            score_counted,
            zone_domain,
            host_domains,
            bucket_of,
            seen: self.version.clone(),
            fits,
            buckets,
            synced: self.log.len(),
        }
    }

    /// Takes in the binds since the class was last brought up to date: each node bound
    /// since is rescored (a fresh entry; the old one goes stale) or leaves the fitting set.
    fn sync(&mut self, slot: usize) {
        let class = &mut self.classes[slot];
        for k in class.synced..self.log.len() {
            let i = self.log[k] as usize;
            let b = class.bucket_of[i];
            if b == u32::MAX || class.seen[i] == self.version[i] {
                continue;
            }
            class.seen[i] = self.version[i];
            let requests = &class.requests;
            let bucket = &mut class.buckets[b as usize];
            let fits = fit(&self.nodes[i], &self.usage[i], requests) == 0;
            if fits {
                let score = self.scores.score(
                    i,
                    self.version[i],
                    (class.requests_id, requests),
                    &self.nodes[i],
                    &self.usage[i],
                );
                bucket
                    .heap
                    .push(Entry::new(score, i as u32, self.version[i]));
            }
            if fits != class.fits[i] {
                class.fits[i] = fits;
                if fits {
                    bucket.fitting += 1;
                } else {
                    bucket.fitting -= 1;
                }
            }
        }
        class.synced = self.log.len();
    }

    fn start_run(&mut self, t: usize) -> Run {
        let set = self.set;
        let template = &set.templates[t];
        let rules = SpreadRules::of(template);
        let slot = self.class_for(t);
        let uses_host = rules.uses(TopologyKey::Hostname);
        let filter_host = rules.filter.iter().any(|c| c.key == TopologyKey::Hostname);

        // Matching pods per node: the shared tracker for the pod's own constraints, else the
        // pod's own ReplicaSet (the system default selector).
        let mut touched = Vec::new();
        match self.trackers.of_template[t] {
            Some(id) => {
                for (&node, &count) in &self.trackers.counts[id] {
                    if count > 0 {
                        self.matching[node as usize] = count;
                        touched.push(node);
                    }
                }
            }
            None => {
                for &node in &self.own[t] {
                    if self.matching[node as usize] == 0 {
                        touched.push(node);
                    }
                    self.matching[node as usize] += 1;
                }
            }
        }
        let class = &self.classes[slot];
        let mut filter_zone_counts = vec![0u64; self.zones];
        let mut score_zone_counts = vec![0u64; self.zones];
        let mut host_histogram = BTreeMap::new();
        let mut host_zero = class.host_domains;
        let mut excluded = vec![0u32; class.buckets.len()];
        let mut local: Vec<(BucketKey, Bucket)> = Vec::new();
        for &node in &touched {
            let i = node as usize;
            let m = self.matching[i];
            if let Some(z) = self.zone[i] {
                if class.filter_counted[i] {
                    filter_zone_counts[z as usize] += u64::from(m);
                }
                if class.score_counted[i] {
                    score_zone_counts[z as usize] += u64::from(m);
                }
            }
            if filter_host && class.filter_counted[i] && self.has_host[i] {
                host_zero -= 1;
                *host_histogram.entry(m).or_insert(0u32) += 1;
            }
            if uses_host && class.fits[i] {
                let b = class.bucket_of[i] as usize;
                excluded[b] += 1;
                let key = BucketKey {
                    count: m,
                    ..class.buckets[b].key
                };
                let score = self.scores.score(
                    i,
                    self.version[i],
                    (self.requests_id[t], &template.requests),
                    &self.nodes[i],
                    &self.usage[i],
                );
                local_bucket(&mut local, key).push(Entry::new(score, node, 0));
            }
        }
        Run {
            template: t,
            class: slot,
            rules,
            uses_host,
            touched,
            filter_zone_counts,
            score_zone_counts,
            filter_host,
            host_zero,
            host_histogram,
            excluded,
            set_aside: Vec::new(),
            local,
            eligible: Vec::new(),
            raws: Vec::new(),
            zones_seen: Vec::new(),
            weights: (usize::MAX, usize::MAX, 0.0, 0.0),
        }
    }

    /// Ends a run: clears its matching counts and puts back the class entries it set aside.
    fn finish_run(&mut self, run: Run) {
        for &node in &run.touched {
            self.matching[node as usize] = 0;
        }
        let class = &mut self.classes[run.class];
        for (b, entry) in run.set_aside {
            class.buckets[b as usize].heap.push(entry);
        }
    }

    /// Drops stale entries from the top of the run's class buckets, and sets aside the
    /// entries of nodes that are in the run's own buckets, so each top is a live candidate.
    fn clean_tops(&mut self, run: &mut Run) {
        let class = &mut self.classes[run.class];
        for (b, bucket) in class.buckets.iter_mut().enumerate() {
            while let Some(&entry) = bucket.heap.peek() {
                let node = entry.node() as usize;
                if entry.version() != self.version[node] {
                    bucket.heap.pop();
                } else if run.uses_host && self.matching[node] > 0 {
                    bucket.heap.pop();
                    run.set_aside.push((b as u32, entry));
                } else {
                    break;
                }
            }
        }
    }

    /// The skew check for a bucket's nodes, given the domains' minimum counts.
    fn spread_allows(&self, run: &Run, key: &BucketKey, min_zone: u64, min_host: u64) -> bool {
        run.rules.filter.iter().all(|c| {
            let (count, min) = match c.key {
                TopologyKey::Zone => match key.zone {
                    Some(z) => (run.filter_zone_counts[z as usize], min_zone),
                    None => return false,
                },
                TopologyKey::Hostname => (u64::from(key.count), min_host),
            };
            // skew = count + 1 (the pod itself) − min ≤ maxSkew
            count < min + u64::from(c.max_skew)
        })
    }

    /// The winning node and where it came from, or `None` when no node is feasible.
    fn choose(&mut self, run: &mut Run) -> Option<(Source, usize)> {
        self.clean_tops(run);
        let class = &self.classes[run.class];
        let min_zone = (0..self.zones)
            .filter(|&z| class.zone_domain[z])
            .map(|z| run.filter_zone_counts[z])
            .min()
            .unwrap_or(0);
        let min_host = if run.host_zero > 0 {
            0
        } else {
            u64::from(run.host_histogram.keys().next().copied().unwrap_or(0))
        };
        let mut eligible = std::mem::take(&mut run.eligible);
        eligible.clear();
        for (b, bucket) in class.buckets.iter().enumerate() {
            let Some(&top) = bucket.heap.peek() else {
                continue;
            };
            if self.spread_allows(run, &bucket.key, min_zone, min_host) {
                let nodes = (bucket.fitting - run.excluded[b]) as usize;
                eligible.push((bucket.key, Source::Class, nodes, top));
            }
        }
        for (key, heap) in &run.local {
            let Some(&top) = heap.peek() else {
                continue;
            };
            if self.spread_allows(run, key, min_zone, min_host) {
                eligible.push((*key, Source::Local(*key), heap.len(), top));
            }
        }
        if eligible.is_empty() {
            run.eligible = eligible;
            return None;
        }

        // PodTopologySpread scores.
        let score = &run.rules.score;
        let mut raws = std::mem::take(&mut run.raws);
        raws.clear();
        raws.resize(eligible.len(), None);
        let (mut min, mut max) = (i64::MAX, 0i64);
        if !score.is_empty() {
            let hosts: usize = eligible.iter().filter(|e| !e.0.ignored).map(|e| e.2).sum();
            // Zone domains among the scored feasible nodes; a node without the label makes an
            // empty-valued domain of its own (as `node.Labels[key]` reads "").
            let mut zones_seen = std::mem::take(&mut run.zones_seen);
            zones_seen.clear();
            zones_seen.resize(self.zones + 1, false);
            for e in eligible.iter().filter(|e| !e.0.ignored) {
                zones_seen[e.0.zone.map_or(self.zones, |z| z as usize)] = true;
            }
            let zones = zones_seen.iter().filter(|s| **s).count();
            run.zones_seen = zones_seen;
            // The weights change only when the feasible hosts or zones do.
            if (run.weights.0, run.weights.1) != (hosts, zones) {
                let ln = |n: usize| ((n + 2) as f64).ln();
                run.weights = (hosts, zones, ln(hosts), ln(zones));
            }
            let (w_host, w_zone) = (run.weights.2, run.weights.3);
            for (slot, e) in raws.iter_mut().zip(&eligible) {
                let key = &e.0;
                if key.ignored {
                    continue;
                }
                let host = key.has_host.then_some(u64::from(key.count));
                let zone = key.zone.map(|z| run.score_zone_counts[z as usize]);
                let raw = spread_raw(score, host, zone, w_host, w_zone);
                min = min.min(raw);
                max = max.max(raw);
                *slot = Some(raw);
            }
        }
        let max_prefer = eligible
            .iter()
            .map(|e| e.0.prefer_no_schedule)
            .max()
            .unwrap_or(0);

        let mut best: Option<(i64, Reverse<u32>, Source)> = None;
        for ((key, source, _, top), raw) in eligible.iter().zip(&raws) {
            let spread = raw.map_or(0, |raw| spread_normalized(raw, min, max));
            let total =
                top.score() + 2 * spread + 3 * taint_normalized(key.prefer_no_schedule, max_prefer);
            let node = Reverse(top.node());
            if best.as_ref().is_none_or(|b| (total, node) > (b.0, b.1)) {
                best = Some((total, node, *source));
            }
        }
        run.eligible = eligible;
        run.raws = raws;
        best.map(|(_, Reverse(node), source)| (source, node as usize))
    }

    /// After the run's pod was bound to `node` (from `source`): the counts, the class and the
    /// run's own buckets follow.
    fn after_bind(&mut self, run: &mut Run, source: Source, node: usize) {
        if let Source::Local(key) = source {
            if let Some(b) = run.local.iter().position(|(k, _)| *k == key) {
                let heap = &mut run.local[b].1;
                heap.pop();
                if heap.is_empty() {
                    run.local.swap_remove(b);
                }
            }
        }
        let old = self.matching[node];
        let was_excluded = run.uses_host && old > 0 && self.classes[run.class].fits[node];
        self.sync(run.class);
        self.matching[node] = old + 1;
        if old == 0 {
            run.touched.push(node as u32);
        }
        let class = &self.classes[run.class];
        if let Some(z) = self.zone[node] {
            if class.filter_counted[node] {
                run.filter_zone_counts[z as usize] += 1;
            }
            if class.score_counted[node] {
                run.score_zone_counts[z as usize] += 1;
            }
        }
        if run.filter_host && class.filter_counted[node] && self.has_host[node] {
            if old == 0 {
                run.host_zero -= 1;
            } else if let Some(c) = run.host_histogram.get_mut(&old) {
                *c -= 1;
                if *c == 0 {
                    run.host_histogram.remove(&old);
                }
            }
            *run.host_histogram.entry(old + 1).or_insert(0) += 1;
        }
        if run.uses_host {
            let b = class.bucket_of[node];
            let now_excluded = class.fits[node];
            if b != u32::MAX {
                let excluded = &mut run.excluded[b as usize];
                *excluded = *excluded + u32::from(now_excluded) - u32::from(was_excluded);
            }
            if now_excluded {
                let key = BucketKey {
                    count: old + 1,
                    ..class.buckets[b as usize].key
                };
                let template = &self.set.templates[run.template];
                let score = self.scores.score(
                    node,
                    self.version[node],
                    (self.requests_id[run.template], &template.requests),
                    &self.nodes[node],
                    &self.usage[node],
                );
                local_bucket(&mut run.local, key).push(Entry::new(score, node as u32, 0));
            }
        }
    }

    /// Every node's status when no node is feasible.
    fn failure_message(&self, run: &Run, template: &PodTemplate) -> Arc<str> {
        let statics = &self.classes[run.class].statics;
        let mut d = Diagnosis::default();
        for i in 0..self.nodes.len() {
            let status = statics[i];
            let bits = if status == StaticStatus::Ok {
                fit(&self.nodes[i], &self.usage[i], &template.requests)
            } else {
                0
            };
            if status != StaticStatus::Ok || bits != 0 {
                self.diagnose_static_or_fit(&mut d, status, i, bits);
                continue;
            }
            // PodTopologySpread, constraint by constraint.
            let mut unresolvable = false;
            for c in &run.rules.filter {
                let has = match c.key {
                    TopologyKey::Zone => self.zone[i].is_some(),
                    TopologyKey::Hostname => self.has_host[i],
                };
                if !has {
                    unresolvable = true;
                    break;
                }
            }
            if unresolvable {
                d.node([Cow::Borrowed(REASON_SPREAD_LABEL)], true);
            } else {
                d.node([Cow::Borrowed(REASON_SPREAD)], false);
            }
        }
        d.message(self.nodes.len())
    }
}

impl Run {
    #[cfg(test)]
    fn bucket_count(&self, s: &Scheduler) -> usize {
        self.local.len()
            + s.classes[self.class]
                .buckets
                .iter()
                .enumerate()
                .filter(|(b, bucket)| bucket.fitting > self.excluded[*b])
                .count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::k8s::pods::{expand, pod_templates};
    use crate::scenario::{Requests, Workload, WorkloadKind};

    fn workload(name: &str, replicas: u32, cpu: &str, memory: &str) -> Workload {
        Workload {
            name: name.into(),
            namespace: "default".into(),
            kind: WorkloadKind::Deployment,
            replicas,
            labels: BTreeMap::new(),
            requests: Requests {
                cpu: Some(cpu.into()),
                memory: Some(memory.into()),
            },
            node_selector: BTreeMap::new(),
            tolerations: Vec::new(),
            topology_spread_constraints: Vec::new(),
            security_groups: Vec::new(),
            host_network: false,
            container_port: 8080,
        }
    }

    fn m5_large(name: &str, az: &str) -> SchedNode {
        SchedNode::with_resources(name, az, Some(1930), Some(7518 << 20), 29)
    }

    fn run(nodes: &[SchedNode], workloads: &[Workload]) -> (PodSet, Schedule) {
        let set = expand(pod_templates(workloads).unwrap(), nodes).unwrap();
        let schedule = schedule(nodes, &set);
        (set, schedule)
    }

    #[test]
    fn toleration_matching_follows_the_api() {
        let taint = Taint {
            key: "dedicated".into(),
            value: "gpu".into(),
            effect: TaintEffect::NoSchedule,
        };
        let tol = |key: Option<&str>, op, value: Option<&str>, effect| Toleration {
            key: key.map(Into::into),
            operator: op,
            value: value.map(Into::into),
            effect,
        };
        use TolerationOperator::*;
        assert!(tolerates(
            &tol(Some("dedicated"), Equal, Some("gpu"), None),
            &taint
        ));
        assert!(!tolerates(
            &tol(Some("dedicated"), Equal, Some("cpu"), None),
            &taint
        ));
        assert!(tolerates(
            &tol(
                Some("dedicated"),
                Exists,
                None,
                Some(TaintEffect::NoSchedule)
            ),
            &taint
        ));
        assert!(!tolerates(
            &tol(
                Some("dedicated"),
                Exists,
                None,
                Some(TaintEffect::NoExecute)
            ),
            &taint
        ));
        assert!(tolerates(&tol(None, Exists, None, None), &taint));
        assert!(!tolerates(&tol(Some("other"), Exists, None, None), &taint));
    }

    #[test]
    fn reservation_arithmetic_for_score() {
        // An empty m5.large and a 250m/256Mi pod: LeastAllocated (87 + 96)/2 = 91,
        // BalancedAllocation (1 − |0.1295 − 0.0340|/2) × 100 = 95.
        let node = m5_large("a", "us-east-1a");
        let r = PodRequests::new(Some(250), Some(256 << 20), 0);
        assert_eq!(resource_score(&node, &NodeUsage::default(), &r), 91 + 95);
    }

    #[test]
    fn rounding_matches_the_standard_library() {
        let mut x = -6.0;
        while x <= 6.0 {
            for v in [
                x,
                x + f64::EPSILON,
                x - f64::EPSILON,
                0.49999999999999994,
                -0.5,
            ] {
                assert_eq!(round_half_away(v).to_bits(), v.round().to_bits(), "{v}");
            }
            x += 0.125;
        }
        for v in [
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
            -0.0,
            4_503_599_627_370_497.0,
        ] {
            assert_eq!(round_half_away(v).to_bits(), v.round().to_bits(), "{v}");
        }
        assert!(round_half_away(f64::NAN).is_nan());
    }

    #[test]
    fn message_format_sorts_count_prefixed_reasons_as_strings() {
        let mut d = Diagnosis::default();
        for _ in 0..10 {
            d.node([Cow::Borrowed(REASON_TOO_MANY_PODS)], false);
        }
        for _ in 0..2 {
            d.node([Cow::Borrowed(REASON_INSUFFICIENT_CPU)], false);
        }
        d.node(
            [Cow::Owned(reason_taint(&Taint {
                key: "dedicated".into(),
                value: "gpu".into(),
                effect: TaintEffect::NoSchedule,
            }))],
            true,
        );
        assert_eq!(
            &*d.message(13),
            "0/13 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 10 Too many pods, \
             2 Insufficient cpu. preemption: 0/13 nodes are available: 1 Preemption is not helpful for scheduling, \
             12 No preemption victims found for incoming pod."
        );
        assert_eq!(&*Diagnosis::default().message(0), NO_NODES_MESSAGE);
    }

    #[test]
    fn default_spreading_balances_zones_and_nodes() {
        let nodes: Vec<SchedNode> = (0..6)
            .map(|i| {
                m5_large(
                    &format!("n{i}"),
                    ["us-east-1a", "us-east-1b", "us-east-1c"][i % 3],
                )
            })
            .collect();
        let (set, s) = run(&nodes, &[workload("web", 12, "100m", "128Mi")]);
        let web: Vec<usize> = (0..set.pods.len())
            .filter(|&p| !set.template_of(p).is_system())
            .collect();
        let mut per_node = [0; 6];
        for &p in &web {
            per_node[s.placements[p].node().unwrap()] += 1;
        }
        assert_eq!(per_node, [2; 6]);
    }

    #[test]
    fn bucket_count_stays_small_for_a_big_deployment() {
        let nodes: Vec<SchedNode> = (0..300)
            .map(|i| {
                m5_large(
                    &format!("n{i}"),
                    ["us-east-1a", "us-east-1b", "us-east-1c"][i % 3],
                )
            })
            .collect();
        let set = expand(
            pod_templates(&[workload("web", 3000, "10m", "10Mi")]).unwrap(),
            &nodes,
        )
        .unwrap();
        let mut s = Scheduler::new(&nodes, &set);
        for p in 0..600 {
            s.schedule_pinned(p, set.pods[p].node.unwrap());
        }
        let mut run = s.start_run(2);
        for pod in 600..1500 {
            let (source, node) = s.choose(&mut run).unwrap();
            s.bind(pod, 2, node);
            s.after_bind(&mut run, source, node);
            let buckets = run.bucket_count(&s);
            assert!(buckets <= 6, "{buckets} buckets");
        }
    }

    /// A direct transcription of the scheduling cycle: every node, every pod.
    fn reference(nodes: &[SchedNode], set: &PodSet) -> Schedule {
        let taints: Vec<Vec<Taint>> = nodes.iter().map(SchedNode::effective_taints).collect();
        let mut usage = vec![NodeUsage::default(); nodes.len()];
        let mut placements = Vec::new();
        let mut bound: Vec<(usize, usize)> = Vec::new(); // (template, node)
        for pod in &set.pods {
            let template = &set.templates[pod.template];
            let statuses: Vec<StaticStatus> = nodes
                .iter()
                .zip(&taints)
                .map(|(n, t)| static_status(template, n, t))
                .collect();
            let diagnose =
                |d: &mut Diagnosis, i: usize, status: StaticStatus, bits: u8| match status {
                    StaticStatus::Unschedulable => {
                        d.node([Cow::Borrowed(REASON_UNSCHEDULABLE)], true)
                    }
                    StaticStatus::Taint(t) => {
                        d.node([Cow::Owned(reason_taint(&taints[i][t]))], true)
                    }
                    StaticStatus::Affinity => d.node([Cow::Borrowed(REASON_NODE_AFFINITY)], true),
                    StaticStatus::Ok => d.node(fit_reasons(bits), false),
                };
            if let Some(n) = pod.node {
                let bits = fit(&nodes[n], &usage[n], &template.requests);
                if statuses[n] == StaticStatus::Ok && bits == 0 {
                    usage[n].add(template);
                    bound.push((pod.template, n));
                    placements.push(Placement::Node(n));
                } else {
                    let mut d = Diagnosis::default();
                    diagnose(&mut d, n, statuses[n], bits);
                    d.nodes(nodes.len() - 1, REASON_PINNED_ELSEWHERE);
                    placements.push(Placement::Pending(d.message(nodes.len())));
                }
                continue;
            }
            let rules = SpreadRules::of(template);
            let has = |i: usize, k: TopologyKey| nodes[i].labels.contains_key(k.label());
            let affinity = |i: usize| selector_matches(&template.node_selector, &nodes[i].labels);
            let filter_counted = |i: usize| affinity(i) && rules.filter_keys(|k| has(i, k));
            let score_counted = |i: usize| affinity(i) && rules.score_keys(|k| has(i, k));
            let matches = |t: usize| {
                if template.spread.is_empty() {
                    t == pod.template
                } else {
                    set.templates[t].namespace == template.namespace
                        && selector_matches(&template.labels, &set.templates[t].labels)
                }
            };
            let on_node =
                |i: usize| bound.iter().filter(|(t, n)| *n == i && matches(*t)).count() as u64;
            let domain_count = |i: usize, k: TopologyKey, counted: &dyn Fn(usize) -> bool| -> u64 {
                let value = nodes[i].labels.get(k.label());
                (0..nodes.len())
                    .filter(|&j| counted(j) && nodes[j].labels.get(k.label()) == value)
                    .map(on_node)
                    .sum()
            };
            let min_count = |k: TopologyKey| -> u64 {
                (0..nodes.len())
                    .filter(|&j| filter_counted(j) && has(j, k))
                    .map(|j| domain_count(j, k, &filter_counted))
                    .min()
                    .unwrap_or(0)
            };
            let mut d = Diagnosis::default();
            let mut feasible = Vec::new();
            for i in 0..nodes.len() {
                let bits = fit(&nodes[i], &usage[i], &template.requests);
                if statuses[i] != StaticStatus::Ok || bits != 0 {
                    diagnose(&mut d, i, statuses[i], bits);
                    continue;
                }
                let mut failed = None;
                for c in &rules.filter {
                    if !has(i, c.key) {
                        failed = Some(true);
                        break;
                    }
                    if domain_count(i, c.key, &filter_counted) + 1
                        > min_count(c.key) + u64::from(c.max_skew)
                    {
                        failed = Some(false);
                        break;
                    }
                }
                match failed {
                    Some(true) => d.node([Cow::Borrowed(REASON_SPREAD_LABEL)], true),
                    Some(false) => d.node([Cow::Borrowed(REASON_SPREAD)], false),
                    None => feasible.push(i),
                }
            }
            if feasible.is_empty() {
                placements.push(Placement::Pending(d.message(nodes.len())));
                continue;
            }
            let ignored = |i: usize| !rules.score_keys(|k| has(i, k));
            let scored: Vec<usize> = feasible.iter().copied().filter(|&i| !ignored(i)).collect();
            let w_host = ((scored.len() + 2) as f64).ln();
            let mut zones: Vec<&str> = scored
                .iter()
                .map(|&i| nodes[i].labels.get(LABEL_ZONE).map_or("", |z| z.as_str()))
                .collect();
            zones.sort();
            zones.dedup();
            let w_zone = ((zones.len() + 2) as f64).ln();
            let raw = |i: usize| {
                let host = has(i, TopologyKey::Hostname).then(|| on_node(i));
                let zone = has(i, TopologyKey::Zone)
                    .then(|| domain_count(i, TopologyKey::Zone, &score_counted));
                spread_raw(&rules.score, host, zone, w_host, w_zone)
            };
            let raws: Vec<i64> = scored.iter().map(|&i| raw(i)).collect();
            let (min, max) = (
                raws.iter().copied().min().unwrap_or(i64::MAX),
                raws.iter().copied().max().unwrap_or(0),
            );
            let prefer: Vec<u32> = feasible
                .iter()
                .map(|&i| intolerable_prefer_no_schedule(&template.tolerations, &taints[i]))
                .collect();
            let max_prefer = prefer.iter().copied().max().unwrap_or(0);
            let mut best: Option<(i64, Reverse<usize>)> = None;
            for (k, &i) in feasible.iter().enumerate() {
                let spread = if rules.score.is_empty() || ignored(i) {
                    0
                } else {
                    spread_normalized(raw(i), min, max)
                };
                let total = resource_score(&nodes[i], &usage[i], &template.requests)
                    + 2 * spread
                    + 3 * taint_normalized(prefer[k], max_prefer);
                if best.is_none_or(|b| (total, Reverse(i)) > b) {
                    best = Some((total, Reverse(i)));
                }
            }
            let Some((_, Reverse(n))) = best else {
                unreachable!()
            };
            usage[n].add(template);
            bound.push((pod.template, n));
            placements.push(Placement::Node(n));
        }
        Schedule {
            placements,
            nodes: usage,
        }
    }

    #[test]
    fn reference_agrees_on_a_mixed_cluster() {
        let mut nodes: Vec<SchedNode> = (0..7)
            .map(|i| {
                m5_large(
                    &format!("n{i}"),
                    ["us-east-1a", "us-east-1b", "us-east-1c"][i % 3],
                )
            })
            .collect();
        nodes[1].taints.push(Taint {
            key: "dedicated".into(),
            value: "gpu".into(),
            effect: TaintEffect::NoSchedule,
        });
        nodes[2].taints.push(Taint {
            key: "spot".into(),
            value: String::new(),
            effect: TaintEffect::PreferNoSchedule,
        });
        nodes[3].unschedulable = true;
        nodes[4].cpu_millis = Some(4000);
        let mut spread = workload("spread", 20, "300m", "512Mi");
        spread.topology_spread_constraints = vec![crate::scenario::TopologySpreadConstraint {
            max_skew: 1,
            topology_key: LABEL_ZONE.into(),
            when_unsatisfiable: WhenUnsatisfiable::DoNotSchedule,
        }];
        let (set, fast) = run(&nodes, &[workload("web", 30, "100m", "128Mi"), spread]);
        assert_eq!(fast, reference(&nodes, &set));
    }

    #[cfg(not(target_arch = "wasm32"))]
    mod properties {
        use super::*;
        use crate::scenario::TopologySpreadConstraint;
        use proptest::prelude::*;

        fn node_strategy() -> impl Strategy<Value = SchedNode> {
            (
                0usize..4,
                prop::option::of(200u64..4000),
                prop::option::of(256u64..8192),
                0u32..12,
                0u32..3,
                any::<bool>(),
                0u8..10,
                prop::option::of(0u8..3),
            )
                .prop_map(|(zone, cpu, mem, max_pods, eni, ready, flags, taint)| {
                    let az = ["us-east-1a", "us-east-1b", "us-east-1c", ""][zone];
                    let mut n =
                        SchedNode::with_resources("n", az, cpu, mem.map(|m| m << 20), max_pods);
                    n.pod_eni_capacity = eni;
                    n.ready = ready || flags < 8;
                    n.unschedulable = flags == 9;
                    if flags % 3 == 0 {
                        n.labels.insert("role".into(), "edge".into());
                    }
                    if let Some(t) = taint {
                        n.taints.push(Taint {
                            key: "dedicated".into(),
                            value: "x".into(),
                            effect: [
                                TaintEffect::NoSchedule,
                                TaintEffect::PreferNoSchedule,
                                TaintEffect::NoExecute,
                            ][t as usize],
                        });
                    }
                    n
                })
        }

        fn workload_strategy() -> impl Strategy<Value = Workload> {
            (
                0u32..14,
                prop::option::of(0u64..900),
                prop::option::of(0u64..1500),
                any::<bool>(),
                0u8..6,
                0u8..4,
                any::<bool>(),
                0u8..3,
                any::<bool>(),
            )
                .prop_map(
                    |(replicas, cpu, mem, daemon, spread, select, tolerate, label, sg)| {
                        let mut w = workload("w", replicas, "0", "0");
                        w.requests.cpu = cpu.map(|c| format!("{c}m"));
                        w.requests.memory = mem.map(|m| format!("{m}Mi"));
                        if daemon {
                            w.kind = WorkloadKind::DaemonSet;
                        }
                        w.host_network = replicas % 5 == 0;
                        if sg {
                            w.security_groups = vec!["sg-01234567".into()];
                        }
                        if label > 0 {
                            w.labels = BTreeMap::from([("tier".into(), format!("t{label}"))]);
                        }
                        if select == 1 {
                            w.node_selector = BTreeMap::from([("role".into(), "edge".into())]);
                        }
                        if tolerate {
                            w.tolerations = vec![Toleration {
                                key: Some("dedicated".into()),
                                operator: TolerationOperator::Exists,
                                value: None,
                                effect: None,
                            }];
                        }
                        let c = |key: &str, skew, when| TopologySpreadConstraint {
                            max_skew: skew,
                            topology_key: key.into(),
                            when_unsatisfiable: when,
                        };
                        use WhenUnsatisfiable::*;
                        w.topology_spread_constraints = match spread {
                            1 => vec![c(LABEL_ZONE, 1, DoNotSchedule)],
                            2 => vec![c(LABEL_HOSTNAME, 1, DoNotSchedule)],
                            3 => vec![
                                c(LABEL_ZONE, 2, ScheduleAnyway),
                                c(LABEL_HOSTNAME, 1, DoNotSchedule),
                            ],
                            4 => vec![c(LABEL_HOSTNAME, 1, ScheduleAnyway)],
                            _ => Vec::new(),
                        };
                        w
                    },
                )
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(200))]
            #[test]
            fn fast_scheduler_equals_the_reference(
                nodes in prop::collection::vec(node_strategy(), 0..8),
                workloads in prop::collection::vec(workload_strategy(), 0..5),
            ) {
                agrees_with_the_reference(nodes, workloads)?;
            }

            /// Larger clusters: runs share classes and come back to nodes many times.
            #[test]
            fn fast_scheduler_equals_the_reference_on_larger_clusters(
                nodes in prop::collection::vec(node_strategy(), 8..40),
                workloads in prop::collection::vec(workload_strategy(), 3..12),
            ) {
                agrees_with_the_reference(nodes, workloads)?;
            }
        }

        fn agrees_with_the_reference(
            mut nodes: Vec<SchedNode>,
            mut workloads: Vec<Workload>,
        ) -> Result<(), TestCaseError> {
            {
                for (i, n) in nodes.iter_mut().enumerate() {
                    n.name = format!("n{i}");
                    n.labels.insert(LABEL_HOSTNAME.into(), n.name.clone());
                }
                for (i, w) in workloads.iter_mut().enumerate() {
                    w.name = format!("w{i}");
                }
                let set = expand(pod_templates(&workloads).unwrap(), &nodes).unwrap();
                let fast = schedule(&nodes, &set);
                prop_assert_eq!(&fast, &reference(&nodes, &set));
                for (n, u) in nodes.iter().zip(&fast.nodes) {
                    prop_assert!(u.pods <= n.max_pods);
                    prop_assert!(n.cpu_millis.is_none_or(|c| u.cpu_millis <= c));
                    prop_assert!(n.memory_bytes.is_none_or(|m| u.memory_bytes <= m));
                    prop_assert!(u.branch_eni_pods <= n.pod_eni_capacity);
                }
            }
            Ok(())
        }
    }
}
