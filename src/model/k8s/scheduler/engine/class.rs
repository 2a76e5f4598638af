//! A class: what every run with the same requests, nodeSelector, tolerations and spread key
//! shape shares, kept across runs and brought up to date from the bind log when used.

use std::collections::{BTreeMap, BinaryHeap};
use std::rc::Rc;

use super::buckets::{BucketKey, ClassEntry, ClassHeap, Entry};
use super::Scheduler;
use crate::model::k8s::pods::{PodRequests, SpreadConstraint, TopologyKey};
use crate::model::k8s::scheduler::node_resources::fit;
use crate::model::k8s::scheduler::static_filters::{node_selector_matches, StaticStatus};
use crate::model::k8s::scheduler::taint_toleration::intolerable_prefer_no_schedule;
use crate::model::k8s::scheduler::topology_spread::SpreadRules;
use crate::scenario::Toleration;

/// A bucket of a [`Class`]: the nodes with one static [`BucketKey`] (count 0).
pub(super) struct ClassBucket {
    pub(super) key: BucketKey,
    /// Every fitting node's entry at its current version, plus stale entries (older
    /// versions) that are dropped when they reach the top.
    pub(super) heap: ClassHeap,
    /// Nodes of the bucket that currently fit.
    pub(super) fitting: u32,
    /// Of those, the nodes the current run has moved to buckets of its own (0 outside runs).
    pub(super) excluded: u32,
}

/// What every run of pods with the same requests, nodeSelector, tolerations and spread
/// key shape shares, kept across runs: the static filters, the per-node flags, and the
/// nodes that fit, in heaps by resource score. Binds are logged; a class catches up on the
/// log when it is next used (rescoring only the nodes bound since).
pub(super) struct Class {
    /// Its shape (index of the first [`ClassShape`] seen).
    pub(super) key: usize,
    pub(super) last_used: usize,
    /// The requests every template of the class has, and their number in `requests_id`.
    pub(super) requests: PodRequests,
    pub(super) requests_id: u32,
    pub(super) statics: Rc<[StaticStatus]>,
    /// Per node, what the class knows of it (one record: a bind reads several of these).
    pub(super) nodes: Box<[ClassNode]>,
    /// Zones with a filter-counted node (the filter's zone domains).
    pub(super) zone_domain: Box<[bool]>,
    /// Filter-counted nodes with a hostname (the hostname domains).
    pub(super) host_domains: u32,
    pub(super) buckets: Box<[ClassBucket]>,
    /// How much of the scheduler's bind log has been taken in.
    pub(super) synced: usize,
}

/// What a [`Class`] knows of one node.
#[derive(Debug, Clone, Copy)]
pub(super) struct ClassNode {
    /// Its bucket (`u32::MAX` = fails a static filter or lacks a `DoNotSchedule` key: never
    /// a candidate).
    pub(super) bucket: u32,
    /// The version last scored, and whether it fit then.
    pub(super) seen: u32,
    pub(super) fits: bool,
    /// Counts towards the filter's domains: matches the nodeSelector, has the filter keys.
    pub(super) filter_counted: bool,
    /// Counts towards the score's zone counts: matches the nodeSelector, is scored.
    pub(super) score_counted: bool,
}

/// What runs of one class have in common: the same requests, nodeSelector, tolerations and
/// spread key shape: the topology keys (as bit sets, only those some node lacks) a node needs
/// to count towards the `DoNotSchedule` constraints and to be scored (none when the pod has
/// no constraints of its own: then every node is scored). These decide every per-node fact
/// a class holds.
#[derive(PartialEq, Eq, Hash)]
pub(super) struct ClassShape<'a> {
    pub(super) tolerations: &'a [Toleration],
    pub(super) node_selector: &'a BTreeMap<String, String>,
    pub(super) requests: PodRequests,
    pub(super) filter_keys: u8,
    pub(super) score_keys: u8,
}

/// Classes kept at once (each holds O(nodes)); the least recently used makes way.
pub(super) const MAX_CLASSES: usize = 16;

impl<'a> Scheduler<'a> {
    /// The class of a template: its slot, made (or remade) when not kept.
    pub(super) fn class_for(&mut self, t: usize) -> usize {
        let template = &self.templates[t];
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

    pub(super) fn make_class(&mut self, t: usize, rules: &SpreadRules, key: usize) -> Class {
        let template = &self.templates[t];
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
                .map(|i| node_selector_matches(&template.node_selector, &self.nodes[i].labels))
                .collect()
        };
        let mut nodes: Box<[ClassNode]> = (0..n)
            .map(|i| ClassNode {
                bucket: u32::MAX,
                seen: self.version[i],
                fits: false,
                filter_counted: affinity[i] && filter_keys[i],
                score_counted: affinity[i] && score_keys[i],
            })
            .collect();
        let mut zone_domain = vec![false; self.zones];
        let mut host_domains = 0;
        for (i, node) in nodes.iter().enumerate() {
            let counted = node.filter_counted;
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
            nodes[i].bucket = b;
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
                nodes[i].fits = true;
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
                excluded: 0,
            })
            .collect();
        Class {
            key,
            last_used: self.runs,
            requests: template.requests,
            requests_id: self.requests_id[t],
            statics,
            nodes,
            zone_domain: zone_domain.into(),
            host_domains,
            buckets,
            synced: self.logged,
        }
    }

    /// Takes in the binds since the class was last brought up to date: each node bound
    /// since is rescored (a fresh entry; the old one goes stale) or leaves the fitting set.
    pub(super) fn sync(&mut self, slot: usize) {
        let class = &mut self.classes.as_mut_slice()[slot];
        for &i in &self.log[class.synced..self.logged] {
            let i = i as usize;
            let node = &mut class.nodes[i];
            let b = node.bucket;
            if b == u32::MAX || node.seen == self.version[i] {
                continue;
            }
            node.seen = self.version[i];
            let was_fitting = node.fits;
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
                let entry = Entry::new(score, i as u32, self.version[i]);
                // The node's stale entry is usually the top (it was just chosen): replaced
                // in place, it costs one sift instead of a push now and a pop later.
                let replaced = match bucket.heap.peek_mut() {
                    Some(mut top) if top.node() == i as u32 => {
                        *top = entry;
                        true
                    }
                    _ => false,
                };
                if !replaced {
                    bucket.heap.push(entry);
                }
            }
            if fits != was_fitting {
                class.nodes[i].fits = fits;
                if fits {
                    bucket.fitting += 1;
                } else {
                    bucket.fitting -= 1;
                }
            }
        }
        class.synced = self.logged;
    }
}
