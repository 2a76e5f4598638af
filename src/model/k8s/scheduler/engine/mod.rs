//! The fast scheduler: the same decisions as evaluating every node for every pod, in the
//! time the [module documentation](super) gives. Runs of identical pods share a class
//! ([`class`]), each run keeps its own counts and buckets ([`run`]), and spread constraints
//! count matching pods per node ([`trackers`]) in heaps of packed entries ([`buckets`]).

mod buckets;
mod class;
mod run;
mod trackers;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::rc::Rc;

use self::class::{Class, ClassShape};
use self::trackers::Trackers;
use super::diagnosis::{
    reason_taint, Diagnosis, REASON_NODE_AFFINITY, REASON_PINNED_ELSEWHERE, REASON_UNSCHEDULABLE,
};
use super::node::{SchedNode, LABEL_HOSTNAME, LABEL_ZONE};
use super::node_resources::{fit, fit_reasons, resource_score};
use super::outcome::{NodeUsage, Placement, Schedule};
use super::static_filters::{static_status, StaticStatus};
use crate::model::fast_hash::{map_with_capacity, FastMap};
use crate::model::k8s::pods::{PodRequests, PodSet, PodTemplate, TopologyKey};
use crate::scenario::{Taint, Toleration};

/// Schedules every pod of `pods` onto `nodes`. Pure and deterministic.
pub fn schedule(nodes: &[SchedNode], pods: &PodSet) -> Schedule {
    let mut s = Scheduler::new(nodes, pods);
    let list = pods.pods.as_slice();
    let mut i = 0;
    while i < list.len() {
        let pod = &list[i];
        if let Some(n) = pod.node {
            s.schedule_pinned(i, n);
            i += 1;
            continue;
        }
        let t = pod.template;
        let mut j = i + 1;
        while j < list.len() && list[j].template == t && list[j].node.is_none() {
            j += 1;
        }
        s.schedule_run(t, i..j);
        i = j;
    }
    Schedule {
        placements: s.placements.into_vec(),
        nodes: s.usage.into_vec(),
    }
}

/// The last resource score computed for each node, with the node's version and the requests
/// it was for. After a bind, the class that placed the pod, the run's own bucket and every
/// other class holding the node rescore it, most often for the same requests: one
/// computation serves them all. Requests are told apart by a number per distinct requests
/// (`requests_id`), so a lookup compares two integers.
struct ScoreMemo(Box<[Option<(u32, u32, i64)>]>);

impl ScoreMemo {
    #[inline]
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

/// What decides a template's static filter statuses: its tolerations and nodeSelector.
type StaticShape<'a> = (&'a [Toleration], &'a BTreeMap<String, String>);

///
/// The per-node and per-template lists are boxed slices, not `Vec`s: indexing a slice is
/// built in, where `Vec`'s `Index` stays a function call in the size-optimised build (the
/// engine indexes them a few dozen times per pod).
struct Scheduler<'a> {
    nodes: &'a [SchedNode],
    set: &'a PodSet,
    templates: &'a [PodTemplate],
    taints: Box<[Vec<Taint>]>,
    zone: Box<[Option<u32>]>,
    zones: usize,
    has_host: Box<[bool]>,
    /// Topology keys (bits `1 << key`) that some node lacks.
    missing_keys: u8,
    usage: Box<[NodeUsage]>,
    placements: Box<[Placement]>,
    trackers: Trackers,
    /// Per template: the nodes its pods are bound to.
    own: Box<[Vec<u32>]>,
    /// Per template: its last pod (index into the pod set).
    last_pod: Box<[usize]>,
    /// Pods of the template being placed follow the current run or pinned pod: `own` is
    /// kept for them (it is read only when a later run of the template starts).
    keep_own: bool,
    static_cache: FastMap<StaticShape<'a>, Rc<[StaticStatus]>>,
    /// Per node: bumped on every bind (what a class heap entry was scored at).
    version: Box<[u32]>,
    /// Every bind's node, in order: the first `logged` entries (a pod is bound at most once,
    /// so one slot per pod is enough).
    log: Box<[u32]>,
    logged: usize,
    /// The kept classes (at most [`class::MAX_CLASSES`]), read through `as_slice` on the
    /// per-pod paths, where `Vec`'s `Index` would be a call.
    classes: Vec<Class>,
    /// Every class shape seen, numbered in order of first sight.
    class_shapes: FastMap<ClassShape<'a>, usize>,
    /// Per template: its class shape's number, once computed.
    class_keys: Box<[Option<usize>]>,
    runs: usize,
    /// Per node: matching pods for the current run (0 outside runs).
    matching: Box<[u32]>,
    scores: ScoreMemo,
    /// Per template: a number per distinct requests (equal requests, equal numbers).
    requests_id: Box<[u32]>,
    /// The last run's buffers, for the next.
    spare: run::Spare,
}

impl<'a> Scheduler<'a> {
    fn new(nodes: &'a [SchedNode], set: &'a PodSet) -> Scheduler<'a> {
        // (The scenario limits allow 5,000.)
        assert!(
            nodes.len() < buckets::MAX_NODES,
            "too many nodes to schedule on"
        );
        let mut zone_ids: FastMap<&str, u32> = FastMap::default();
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
            templates: &set.templates,
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
            usage: vec![NodeUsage::default(); nodes.len()].into(),
            // Every pod is given its placement (bound or Pending) before `schedule` returns;
            // a node index fills the list without a reference count per pod.
            placements: vec![Placement::Node(usize::MAX); set.pods.len()].into(),
            trackers: Trackers::new(&set.templates),
            own: vec![Vec::new(); set.templates.len()].into(),
            last_pod: {
                let mut last = vec![0; set.templates.len()];
                for (p, pod) in set.pods.iter().enumerate() {
                    last[pod.template] = p;
                }
                last.into()
            },
            keep_own: true,
            static_cache: FastMap::default(),
            version: vec![0; nodes.len()].into(),
            log: vec![0; set.pods.len()].into(),
            logged: 0,
            classes: Vec::new(),
            class_shapes: FastMap::default(),
            class_keys: vec![None; set.templates.len()].into(),
            runs: 0,
            matching: vec![0; nodes.len()].into(),
            scores: ScoreMemo(vec![None; nodes.len()].into()),
            requests_id: {
                let mut ids: FastMap<PodRequests, u32> = map_with_capacity(set.templates.len());
                set.templates
                    .iter()
                    .map(|t| {
                        let next = ids.len() as u32;
                        *ids.entry(t.requests).or_insert(next)
                    })
                    .collect()
            },
            spare: run::Spare::default(),
        }
    }

    #[inline]
    fn bind(&mut self, pod: usize, template: usize, node: usize) {
        self.usage[node].add(&self.templates[template]);
        self.placements[pod] = Placement::Node(node);
        self.trackers.bound(template, node);
        if self.keep_own {
            self.own[template].push(node as u32);
        }
        self.version[node] = self.version[node].wrapping_add(1);
        self.log[self.logged] = node as u32;
        self.logged += 1;
    }

    /// A DaemonSet pod: its own node or nothing.
    fn schedule_pinned(&mut self, pod: usize, node: usize) {
        let t = self.set.pods[pod].template;
        let templates = self.templates;
        let template = &templates[t];
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
    fn statics(&mut self, t: usize) -> Rc<[StaticStatus]> {
        let templates = self.templates;
        let template = &templates[t];
        let key = (&template.tolerations[..], &template.node_selector);
        if let Some(cached) = self.static_cache.get(&key) {
            return cached.clone();
        }
        let statuses: Rc<[StaticStatus]> = self
            .nodes
            .iter()
            .zip(&self.taints)
            .map(|(node, taints)| static_status(template, node, taints))
            .collect();
        self.static_cache.insert(key, statuses.clone());
        statuses
    }

    /// Consecutive identical pods of one template.
    fn schedule_run(&mut self, t: usize, pods: Range<usize>) {
        let templates = self.templates;
        let template = &templates[t];
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
}

#[cfg(test)]
mod tests {
    use super::super::reference::{m5_large, run, workload};
    use super::*;

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
}
