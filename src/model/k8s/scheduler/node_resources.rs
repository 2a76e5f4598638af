//! NodeResourcesFit (the filter: max pods, cpu, memory, branch ENIs; the LeastAllocated
//! score) and NodeResourcesBalancedAllocation (the score).

use std::borrow::Cow;

use super::diagnosis::{
    reason_insufficient_pod_eni, REASON_INSUFFICIENT_CPU, REASON_INSUFFICIENT_MEMORY,
    REASON_TOO_MANY_PODS,
};
use super::node::SchedNode;
use super::outcome::NodeUsage;
use crate::model::k8s::pods::PodRequests;

pub(super) const FIT_PODS: u8 = 1;
pub(super) const FIT_CPU: u8 = 2;
pub(super) const FIT_MEMORY: u8 = 4;
pub(super) const FIT_POD_ENI: u8 = 8;

/// NodeResourcesFit: the insufficient resources, as bits (0 = fits).
#[inline]
pub(super) fn fit(node: &SchedNode, used: &NodeUsage, r: &PodRequests) -> u8 {
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

pub(super) fn fit_reasons(bits: u8) -> impl Iterator<Item = Cow<'static, str>> {
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
pub(super) fn resource_score(node: &SchedNode, used: &NodeUsage, r: &PodRequests) -> i64 {
    // Written out for cpu and memory rather than looped over them: it runs after every bind,
    // for every class that holds the node.
    let cpu = resource(
        node.cpu_millis,
        used.nonzero_cpu_millis.saturating_add(r.nonzero_cpu_millis),
        used.cpu_millis.saturating_add(r.cpu_millis),
    );
    let memory = resource(
        node.memory_bytes,
        used.nonzero_memory_bytes
            .saturating_add(r.nonzero_memory_bytes),
        used.memory_bytes.saturating_add(r.memory_bytes),
    );
    let least = match (cpu, memory) {
        (Some((c, _)), Some((m, _))) => ((c + m) / 2) as i64,
        (Some((one, _)), None) | (None, Some((one, _))) => one as i64,
        (None, None) => 0,
    };
    let balanced = if r.cpu_millis == 0 && r.memory_bytes == 0 {
        0 // BalancedAllocation skips best-effort pods
    } else {
        let std = match (cpu, memory) {
            (Some((_, c)), Some((_, m))) => ((c - m) / 2.0).abs(),
            _ => 0.0,
        };
        ((1.0 - std) * 100.0) as i64
    };
    least + balanced
}

/// One resource of a node with allocatable `allocatable` (unknown or zero: not scored):
/// LeastAllocated's `(allocatable − requested) × 100 / allocatable` over the requests
/// counted as non-zero (`requested`), and the fraction of it `used` takes (at most 1) for
/// BalancedAllocation.
#[inline(always)]
fn resource(allocatable: Option<u64>, requested: u64, used: u64) -> Option<(u64, f64)> {
    let a = allocatable.filter(|a| *a > 0)?;
    let least = match a.checked_sub(requested) {
        None => 0,
        // (a − requested) × 100 / a without 128-bit arithmetic when it fits in 64 bits
        // (a comparison, not `checked_mul`, which is a 128-bit multiply in wasm).
        Some(free) if free <= u64::MAX / 100 => free * 100 / a,
        Some(free) => (u128::from(free) * 100 / u128::from(a)) as u64,
    };
    let fraction = used as f64 / a as f64;
    Some((least, fraction.min(1.0)))
}

#[cfg(test)]
mod tests {
    use super::super::reference::m5_large;
    use super::*;

    #[test]
    fn reservation_arithmetic_for_score() {
        // An empty m5.large and a 250m/256Mi pod: LeastAllocated (87 + 96)/2 = 91,
        // BalancedAllocation (1 − |0.1295 − 0.0340|/2) × 100 = 95.
        let node = m5_large("a", "us-east-1a");
        let r = PodRequests::new(Some(250), Some(256 << 20), 0);
        assert_eq!(resource_score(&node, &NodeUsage::default(), &r), 91 + 95);
    }
}
