//! Buckets of nodes whose spread and taint scores are equal, as max-heaps of packed
//! (resource score, node, version) entries.

use std::collections::BinaryHeap;

/// Nodes whose spread and taint scores are necessarily equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct BucketKey {
    /// Lacks a key the pod's own constraints use: PodTopologySpread scores it 0.
    pub(super) ignored: bool,
    pub(super) zone: Option<u32>,
    pub(super) has_host: bool,
    /// Matching pods on the node (0 when no constraint uses the hostname).
    pub(super) count: u32,
    pub(super) prefer_no_schedule: u32,
}

/// A heap entry: (resource score, earliest node, the node's version when scored), ordered
/// as that tuple with the node reversed, packed in one integer so that the heaps, which see
/// a push and a pop for nearly every bind, compare entries in a couple of instructions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Entry(u128);

impl Entry {
    #[inline]
    pub(super) fn new(score: i64, node: u32, version: u32) -> Entry {
        // Flipping the sign bit maps i64 order onto u64 order.
        let score = (score as u64) ^ (1 << 63);
        Entry(u128::from(score) << 64 | u128::from(u32::MAX - node) << 32 | u128::from(version))
    }

    #[inline]
    pub(super) fn score(self) -> i64 {
        (((self.0 >> 64) as u64) ^ (1 << 63)) as i64
    }

    #[inline]
    pub(super) fn node(self) -> u32 {
        u32::MAX - (self.0 >> 32) as u32
    }

    #[inline]
    pub(super) fn version(self) -> u32 {
        self.0 as u32
    }
}

/// Max-heap of (resource score, earliest node) (version 0).
pub(super) type Bucket = BinaryHeap<Entry>;

/// A class bucket's heap.
pub(super) type ClassHeap = BinaryHeap<ClassEntry>;

/// (resource score, earliest node, the node's version when scored).
pub(super) type ClassEntry = Entry;
