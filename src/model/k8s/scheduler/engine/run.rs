//! A run: consecutive identical pods placed one by one, each on the best node of the few
//! buckets that pass the spread filter.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::rc::Rc;

use super::buckets::{Bucket, BucketKey, ClassEntry, Entry};
use super::Scheduler;
use crate::model::k8s::pods::{PodTemplate, TopologyKey};
use crate::model::k8s::scheduler::diagnosis::{Diagnosis, REASON_SPREAD, REASON_SPREAD_LABEL};
use crate::model::k8s::scheduler::node_resources::fit;
use crate::model::k8s::scheduler::static_filters::StaticStatus;
use crate::model::k8s::scheduler::taint_toleration::taint_normalized;
use crate::model::k8s::scheduler::topology_spread::{
    spread_normalized, spread_raw, ScoreTerms, SpreadRules,
};

/// The state of one run of identical pods.
pub(super) struct Run {
    pub(super) template: usize,
    pub(super) class: usize,
    pub(super) rules: SpreadRules,
    /// `rules.score` as one sum per candidate (nearly always).
    pub(super) terms: Option<ScoreTerms>,
    pub(super) uses_host: bool,
    /// Nodes with matching pods (their counts are in `Scheduler::matching`).
    pub(super) touched: Vec<u32>,
    /// Matching pods per zone over filter-counted nodes, and over score-counted nodes.
    pub(super) filter_zone_counts: Box<[u64]>,
    pub(super) score_zone_counts: Box<[u64]>,
    /// A `DoNotSchedule` constraint uses the hostname: only then are the two counts below
    /// kept (they give the minimum over hostname domains).
    pub(super) filter_host: bool,
    /// Filter-counted nodes with a hostname and no matching pod.
    pub(super) host_zero: u32,
    /// The same with matching pods, by matching pods.
    pub(super) host_histogram: BTreeMap<u32, u32>,
    /// When the hostname is scored, nodes with matching pods leave their class bucket for
    /// a bucket of this run, keyed by their count (how many fitting nodes are out is
    /// [`ClassBucket::excluded`](super::class::ClassBucket::excluded)): the class entries
    /// taken out of the way, restored when the run ends; and the run's own buckets (a
    /// handful, found by a linear search; their order does not matter).
    pub(super) set_aside: Vec<(u32, ClassEntry)>,
    pub(super) local: Vec<(BucketKey, Bucket)>,
    /// Buffers [`Scheduler::choose`] reuses from pod to pod: the eligible buckets, and per
    /// zone (plus one for nodes without a zone) the last pod whose choice saw it (a stamp,
    /// so the marks need no clearing from pod to pod).
    pub(super) eligible: Vec<Eligible>,
    pub(super) zones_seen: Box<[u32]>,
    pub(super) stamp: u32,
    /// No `DoNotSchedule` constraint: every bucket passes the skew check.
    pub(super) unfiltered: bool,
    /// PodTopologySpread's weights, ln(domains + 2), for (hosts, zones) domains.
    pub(super) weights: (usize, usize, f64, f64),
}

/// The buffers of a finished run, kept for the next one so that a run allocates nothing
/// once the first few have grown them (a cluster has thousands of runs).
#[derive(Default)]
pub(super) struct Spare {
    touched: Vec<u32>,
    filter_zone_counts: Box<[u64]>,
    score_zone_counts: Box<[u64]>,
    set_aside: Vec<(u32, ClassEntry)>,
    local: Vec<(BucketKey, Bucket)>,
    /// Emptied buckets of the run's own.
    heaps: Vec<Bucket>,
    eligible: Vec<Eligible>,
    zones_seen: Box<[u32]>,
}

/// `list` with `n` zeros: the same allocation when it has that length already.
fn zeroed<T: Copy + Default>(mut list: Box<[T]>, n: usize) -> Box<[T]> {
    if list.len() == n {
        list.fill(T::default());
        list
    } else {
        vec![T::default(); n].into()
    }
}

/// A bucket that passes the skew check: its key, where it is (an index of `Run::local`, or
/// [`CLASS`]), its feasible nodes, its top's resource score and node, and its
/// PodTopologySpread raw score once computed (when the pod is scored and the bucket not
/// ignored). Small and plain: a choice copies a handful of them for every pod.
#[derive(Debug, Clone, Copy)]
pub(super) struct Eligible {
    key: BucketKey,
    local: u32,
    nodes: u32,
    score: i64,
    node: u32,
    raw: i64,
}

/// [`Eligible::local`] of a class bucket.
const CLASS: u32 = u32::MAX;

impl Eligible {
    #[inline]
    fn new(key: BucketKey, local: u32, nodes: u32, top: Entry) -> Eligible {
        Eligible {
            key,
            local,
            nodes,
            score: top.score(),
            node: top.node(),
            raw: 0,
        }
    }
}

/// The run's bucket with `key`, made empty (from `heaps`, the spare ones) when there is none.
#[inline]
pub(super) fn local_bucket<'l>(
    local: &'l mut Vec<(BucketKey, Bucket)>,
    heaps: &mut Vec<Bucket>,
    key: BucketKey,
) -> &'l mut Bucket {
    let b = match local.iter().position(|(k, _)| *k == key) {
        Some(b) => b,
        None => {
            local.push((key, heaps.pop().unwrap_or_default()));
            local.len() - 1
        }
    };
    &mut local[b].1
}

/// Where a run's winner came from: the class, or the run's own bucket at this index of
/// `Run::local` (which nothing changes between choosing and binding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Class,
    Local(usize),
}

impl<'a> Scheduler<'a> {
    pub(super) fn start_run(&mut self, t: usize) -> Run {
        let template = &self.templates[t];
        let rules = SpreadRules::of(template);
        let slot = self.class_for(t);
        let uses_host = rules.uses(TopologyKey::Hostname);
        let filter_host = rules.filter.iter().any(|c| c.key == TopologyKey::Hostname);

        // Matching pods per node: the shared tracker for the pod's own constraints, else the
        // pod's own ReplicaSet (the system default selector).
        let mut spare = std::mem::take(&mut self.spare);
        let mut touched = std::mem::take(&mut spare.touched);
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
        let class = &mut self.classes[slot];
        let mut filter_zone_counts =
            zeroed(std::mem::take(&mut spare.filter_zone_counts), self.zones);
        let mut score_zone_counts =
            zeroed(std::mem::take(&mut spare.score_zone_counts), self.zones);
        let mut host_histogram = BTreeMap::new();
        let mut host_zero = class.host_domains;
        for bucket in class.buckets.iter_mut() {
            bucket.excluded = 0;
        }
        let mut local = std::mem::take(&mut spare.local);
        for &node in &touched {
            let i = node as usize;
            let m = self.matching[i];
            let cn = class.nodes[i];
            if let Some(z) = self.zone[i] {
                if cn.filter_counted {
                    filter_zone_counts[z as usize] += u64::from(m);
                }
                if cn.score_counted {
                    score_zone_counts[z as usize] += u64::from(m);
                }
            }
            if filter_host && cn.filter_counted && self.has_host[i] {
                host_zero -= 1;
                *host_histogram.entry(m).or_insert(0u32) += 1;
            }
            if uses_host && cn.fits {
                let bucket = &mut class.buckets[cn.bucket as usize];
                bucket.excluded += 1;
                let key = BucketKey {
                    count: m,
                    ..bucket.key
                };
                let score = self.scores.score(
                    i,
                    self.version[i],
                    (self.requests_id[t], &template.requests),
                    &self.nodes[i],
                    &self.usage[i],
                );
                local_bucket(&mut local, &mut spare.heaps, key).push(Entry::new(score, node, 0));
            }
        }
        let set_aside = std::mem::take(&mut spare.set_aside);
        let eligible = std::mem::take(&mut spare.eligible);
        let zones_seen = zeroed(std::mem::take(&mut spare.zones_seen), self.zones + 1);
        self.spare = spare;
        let unfiltered = rules.filter.is_empty();
        let terms = ScoreTerms::of(&rules.score);
        Run {
            template: t,
            class: slot,
            rules,
            terms,
            uses_host,
            touched,
            filter_zone_counts,
            score_zone_counts,
            filter_host,
            host_zero,
            host_histogram,
            set_aside,
            local,
            eligible,
            zones_seen,
            stamp: 0,
            unfiltered,
            weights: (usize::MAX, usize::MAX, 0.0, 0.0),
        }
    }

    /// Ends a run: clears its matching counts and puts back the class entries it set aside.
    pub(super) fn finish_run(&mut self, mut run: Run) {
        for &node in &run.touched {
            self.matching[node as usize] = 0;
        }
        let class = &mut self.classes[run.class];
        for (b, entry) in run.set_aside.drain(..) {
            class.buckets[b as usize].heap.push(entry);
        }
        // The buffers go to the next run, emptied.
        let spare = &mut self.spare;
        for (_, mut heap) in run.local.drain(..) {
            heap.clear();
            spare.heaps.push(heap);
        }
        run.touched.clear();
        spare.touched = run.touched;
        spare.filter_zone_counts = run.filter_zone_counts;
        spare.score_zone_counts = run.score_zone_counts;
        spare.set_aside = run.set_aside;
        spare.local = run.local;
        spare.eligible = run.eligible;
        spare.zones_seen = run.zones_seen;
    }

    /// Drops stale entries from the top of the run's class buckets, and sets aside the
    /// entries of nodes that are in the run's own buckets, so each top is a live candidate.
    pub(super) fn clean_tops(&mut self, run: &mut Run) {
        let class = &mut self.classes.as_mut_slice()[run.class];
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
    #[inline]
    pub(super) fn spread_allows(
        &self,
        run: &Run,
        key: &BucketKey,
        min_zone: u64,
        min_host: u64,
    ) -> bool {
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
    pub(super) fn choose(&mut self, run: &mut Run) -> Option<(Source, usize)> {
        self.clean_tops(run);
        let class = &self.classes.as_slice()[run.class];
        // The domains' minimum counts matter only to a `DoNotSchedule` constraint.
        let (min_zone, min_host) = if run.unfiltered {
            (0, 0)
        } else {
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
            (min_zone, min_host)
        };
        let mut eligible = std::mem::take(&mut run.eligible);
        eligible.clear();
        // (The skew check is written out in both: a shared closure stays a call per bucket
        // in the size-optimised build.)
        eligible.extend(class.buckets.iter().filter_map(|bucket| {
            let top = *bucket.heap.peek()?;
            let nodes = bucket.fitting - bucket.excluded;
            let allowed =
                run.unfiltered || self.spread_allows(run, &bucket.key, min_zone, min_host);
            allowed.then(|| Eligible::new(bucket.key, CLASS, nodes, top))
        }));
        eligible.extend(run.local.iter().enumerate().filter_map(|(l, (key, heap))| {
            let top = *heap.peek()?;
            let nodes = heap.len() as u32;
            let allowed = run.unfiltered || self.spread_allows(run, key, min_zone, min_host);
            allowed.then(|| Eligible::new(*key, l as u32, nodes, top))
        }));
        if eligible.is_empty() {
            run.eligible = eligible;
            return None;
        }

        // PodTopologySpread scores.
        let score = &run.rules.score;
        let (mut min, mut max) = (i64::MAX, 0i64);
        let scored = !score.is_empty();
        if scored {
            // Feasible hosts, and zone domains among the scored feasible nodes; a node without
            // the label makes an empty-valued domain of its own (as `node.Labels[key]` reads
            // "").
            run.stamp = run.stamp.wrapping_add(1);
            if run.stamp == 0 {
                run.zones_seen.fill(0);
                run.stamp = 1;
            }
            let (mut hosts, mut zones) = (0, 0);
            for e in eligible.iter().filter(|e| !e.key.ignored) {
                hosts += e.nodes as usize;
                let seen = &mut run.zones_seen[e.key.zone.map_or(self.zones, |z| z as usize)];
                if *seen != run.stamp {
                    *seen = run.stamp;
                    zones += 1;
                }
            }
            // The weights change only when the feasible hosts or zones do.
            if (run.weights.0, run.weights.1) != (hosts, zones) {
                let ln = |n: usize| ((n + 2) as f64).ln();
                run.weights = (hosts, zones, ln(hosts), ln(zones));
            }
            let (w_host, w_zone) = (run.weights.2, run.weights.3);
            for e in eligible.iter_mut().filter(|e| !e.key.ignored) {
                let key = &e.key;
                let host = key.has_host.then_some(u64::from(key.count));
                let zone = key.zone.map(|z| run.score_zone_counts[z as usize]);
                let raw = match run.terms {
                    Some(terms) => terms.raw(host, zone, w_host, w_zone),
                    None => spread_raw(score, host, zone, w_host, w_zone),
                };
                min = min.min(raw);
                max = max.max(raw);
                e.raw = raw;
            }
        }
        let max_prefer = eligible
            .iter()
            .map(|e| e.key.prefer_no_schedule)
            .max()
            .unwrap_or(0);

        let mut best: Option<(i64, Reverse<u32>, u32)> = None;
        for e in &eligible {
            let spread = if scored && !e.key.ignored {
                spread_normalized(e.raw, min, max)
            } else {
                0
            };
            let total =
                e.score + 2 * spread + 3 * taint_normalized(e.key.prefer_no_schedule, max_prefer);
            let node = Reverse(e.node);
            if best.as_ref().is_none_or(|b| (total, node) > (b.0, b.1)) {
                best = Some((total, node, e.local));
            }
        }
        run.eligible = eligible;
        best.map(|(_, Reverse(node), local)| {
            let source = match local {
                CLASS => Source::Class,
                l => Source::Local(l as usize),
            };
            (source, node as usize)
        })
    }

    /// After the run's pod was bound to `node` (from `source`): the counts, the class and the
    /// run's own buckets follow.
    pub(super) fn after_bind(&mut self, run: &mut Run, source: Source, node: usize) {
        if let Source::Local(b) = source {
            let heap = &mut run.local[b].1;
            heap.pop();
            if heap.is_empty() {
                let (_, heap) = run.local.swap_remove(b);
                self.spare.heaps.push(heap);
            }
        }
        let old = self.matching[node];
        let was_excluded =
            run.uses_host && old > 0 && self.classes.as_slice()[run.class].nodes[node].fits;
        self.sync(run.class);
        self.matching[node] = old + 1;
        if old == 0 {
            run.touched.push(node as u32);
        }
        let class = &mut self.classes.as_mut_slice()[run.class];
        let cn = class.nodes[node];
        if let Some(z) = self.zone[node] {
            if cn.filter_counted {
                run.filter_zone_counts[z as usize] += 1;
            }
            if cn.score_counted {
                run.score_zone_counts[z as usize] += 1;
            }
        }
        if run.filter_host && cn.filter_counted && self.has_host[node] {
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
            let b = cn.bucket;
            let now_excluded = cn.fits;
            if b != u32::MAX {
                let excluded = &mut class.buckets[b as usize].excluded;
                *excluded = *excluded + u32::from(now_excluded) - u32::from(was_excluded);
            }
            if now_excluded {
                let key = BucketKey {
                    count: old + 1,
                    ..class.buckets[b as usize].key
                };
                let template = &self.templates[run.template];
                let score = self.scores.score(
                    node,
                    self.version[node],
                    (self.requests_id[run.template], &template.requests),
                    &self.nodes[node],
                    &self.usage[node],
                );
                local_bucket(&mut run.local, &mut self.spare.heaps, key).push(Entry::new(
                    score,
                    node as u32,
                    0,
                ));
            }
        }
    }

    /// Every node's status when no node is feasible.
    pub(super) fn failure_message(&self, run: &Run, template: &PodTemplate) -> Rc<str> {
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
    pub(super) fn bucket_count(&self, s: &Scheduler) -> usize {
        self.local.len()
            + s.classes[self.class]
                .buckets
                .iter()
                .filter(|bucket| bucket.fitting > bucket.excluded)
                .count()
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::reference::{m5_large, workload};
    use super::*;
    use crate::model::k8s::pods::{expand, pod_templates};
    use crate::model::k8s::scheduler::SchedNode;

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
}
