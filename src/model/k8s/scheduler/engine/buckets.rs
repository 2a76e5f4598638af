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
/// as that tuple with the node reversed, packed in one `u64` so that the heaps, which see a
/// push and a pop for nearly every bind, compare and move entries as single integers:
/// 8 bits of score (a resource score is 0 to 200: LeastAllocated and BalancedAllocation
/// are 0 to 100 each), 24 of node (the scheduler refuses 2²⁴ nodes or more), 32 of version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Entry(u64);

/// Nodes an [`Entry`] can name.
pub(super) const MAX_NODES: usize = 1 << 24;

impl Entry {
    #[inline]
    pub(super) fn new(score: i64, node: u32, version: u32) -> Entry {
        debug_assert!((0..256).contains(&score), "resource score {score}");
        debug_assert!((node as usize) < MAX_NODES);
        Entry((score as u64) << 56 | u64::from(0xff_ffff - node) << 32 | u64::from(version))
    }

    #[inline]
    pub(super) fn score(self) -> i64 {
        (self.0 >> 56) as i64
    }

    #[inline]
    pub(super) fn node(self) -> u32 {
        0xff_ffff - ((self.0 >> 32) as u32 & 0xff_ffff)
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
