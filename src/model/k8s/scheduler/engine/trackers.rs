//! Pods matching a spread constraint's selector, counted per node as pods are bound.

use std::collections::{BTreeMap, HashMap};

use crate::model::fast_hash::{map_with_capacity, FastMap};
use std::hash::{BuildHasherDefault, Hasher};

use crate::model::k8s::pods::PodTemplate;
use crate::model::k8s::scheduler::static_filters::selector_matches;

/// Matching pods per node. Updated at every bind of a pod with spread constraints, so keyed
/// with a multiplicative hash of the node index rather than SipHash (the keys are ours; only
/// lookups and order-free sums use the map, so its order does not matter).
pub(super) type NodeCounts = HashMap<u32, u32, BuildHasherDefault<NodeHasher>>;

/// The hasher of [`NodeCounts`]: Fibonacci hashing of a `u32` (a bijection on the low bits,
/// so consecutive node indexes spread evenly).
#[derive(Default)]
pub(super) struct NodeHasher(u64);

impl Hasher for NodeHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Pods matching a label selector, per node, kept up to date as pods are bound.
pub(super) struct Trackers {
    /// Per tracker: node → matching pods.
    pub(super) counts: Box<[NodeCounts]>,
    /// Per template: its own tracker, when it has constraints of its own.
    pub(super) of_template: Box<[Option<usize>]>,
    /// Per template: the trackers its pods count towards.
    pub(super) feeds: Box<[Box<[usize]>]>,
}

impl Trackers {
    pub(super) fn new(templates: &[PodTemplate]) -> Trackers {
        let mut ids: FastMap<(&str, &BTreeMap<String, String>), usize> = FastMap::default();
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
            let mut postings: FastMap<(&str, &str, &str), Vec<usize>> =
                map_with_capacity(templates.len());
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
            counts: vec![NodeCounts::default(); selectors.len()].into(),
            of_template: of_template.into(),
            feeds: feeds.into_iter().map(Vec::into_boxed_slice).collect(),
        }
    }

    #[inline]
    pub(super) fn bound(&mut self, template: usize, node: usize) {
        for &id in self.feeds[template].iter() {
            *self.counts[id].entry(node as u32).or_default() += 1;
        }
    }
}
