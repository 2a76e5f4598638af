//! Node allocatable CPU and memory: what the scheduler may hand to pods.
//!
//! `Allocatable = Capacity − kube-reserved − eviction threshold`, with the EKS-optimized
//! AMI's reservation (AL2 `bootstrap.sh`, and AL2023 `nodeadm`'s
//! `getCPUMillicoresToReserve`/`getMemoryMebibytesToReserve`, awslabs/amazon-eks-ami):
//!
//! - **memory** kube-reserved = 11 MiB × max pods + 255 MiB, where max pods is the AMI's
//!   default for the instance type (the `eni-max-pods.txt` value, or the max-pods calculator
//!   for types not in it) — *not* a `maxPods` override given to the kubelet;
//! - **cpu** kube-reserved = 6 % of the first core, 1 % of the second, 0.5 % of the third and
//!   fourth, 0.25 % of every core above four (each range in whole millicores, rounded down);
//! - **eviction** `evictionHard: memory.available < 100Mi` is also withheld from memory.
//!
//! `system-reserved` is not set by the AMI. Capacity here is EC2's nominal size
//! (`instance-resources.tsv`: vCPUs × 1000m, MiB × 2²⁰); a real node's kernel keeps a few
//! percent of memory for itself, so the kubelet reports a capacity some hundreds of MiB
//! lower than the nominal one (m5.large: 7.5 GiB rather than 8 GiB). This model uses the
//! nominal figure and says so in [`NodeAllocatable::memory_formula`].
//!
//! Unknown vCPUs or memory (types missing from `instance-resources.tsv`) give `None`:
//! the scheduler then does not limit that resource, and the formula says so.

use super::quantity::{format_cpu, human_memory};
use crate::model::aws::instance_types::InstanceType;

const MIB: u64 = 1 << 20;

/// The kubelet's `evictionHard` `memory.available` threshold on the EKS AMI.
pub const EVICTION_HARD_MEMORY_MIB: u64 = 100;

/// CPU ranges (millicores) and the share of each reserved, in hundredths of a percent.
const CPU_RANGES: [(u64, u64, u64); 4] = [
    (0, 1000, 600),
    (1000, 2000, 100),
    (2000, 4000, 50),
    (4000, u64::MAX, 25),
];

/// kube-reserved CPU for a node with `vcpus` cores, in millicores (2 vCPUs → 70m).
pub fn kube_reserved_cpu_millis(vcpus: u32) -> u64 {
    let total = u64::from(vcpus) * 1000;
    CPU_RANGES
        .iter()
        .map(|&(start, end, share)| {
            if total <= start {
                0
            } else {
                (total.min(end) - start) * share / 10_000
            }
        })
        .sum()
}

/// kube-reserved memory for the AMI's default `max_pods`, in MiB (29 pods → 574 MiB).
pub fn kube_reserved_memory_mib(max_pods: u32) -> u64 {
    11 * u64::from(max_pods) + 255
}

/// A node's capacity, reservations and allocatable resources, with how they were found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeAllocatable {
    /// vCPUs × 1000; `None` when the instance type's size is unknown.
    pub capacity_cpu_millis: Option<u64>,
    /// Nominal memory in bytes; `None` when unknown.
    pub capacity_memory_bytes: Option<u64>,
    pub kube_reserved_cpu_millis: u64,
    pub kube_reserved_memory_bytes: u64,
    pub eviction_memory_bytes: u64,
    /// The max pods the reservation was computed for.
    pub reservation_max_pods: u32,
    /// What pods may request; `None` = unknown, not limited by the scheduler.
    pub cpu_millis: Option<u64>,
    pub memory_bytes: Option<u64>,
}

impl NodeAllocatable {
    /// The allocatable figures for one instance type, with the EKS AMI reservation computed
    /// for `reservation_max_pods` (the AMI's default max pods for the type).
    pub fn for_instance(instance: &InstanceType, reservation_max_pods: u32) -> NodeAllocatable {
        Self::from_size(instance.vcpus, instance.memory_mib, reservation_max_pods)
    }

    /// The same from a raw size, for types not in the table and for tests.
    pub fn from_size(
        vcpus: Option<u32>,
        memory_mib: Option<u64>,
        reservation_max_pods: u32,
    ) -> NodeAllocatable {
        let capacity_cpu_millis = vcpus.map(|v| u64::from(v) * 1000);
        let capacity_memory_bytes = memory_mib.and_then(|m| m.checked_mul(MIB));
        let kube_reserved_cpu_millis = vcpus.map_or(0, kube_reserved_cpu_millis);
        let kube_reserved_memory_bytes = kube_reserved_memory_mib(reservation_max_pods) * MIB;
        let eviction_memory_bytes = EVICTION_HARD_MEMORY_MIB * MIB;
        NodeAllocatable {
            capacity_cpu_millis,
            capacity_memory_bytes,
            kube_reserved_cpu_millis,
            kube_reserved_memory_bytes,
            eviction_memory_bytes,
            reservation_max_pods,
            cpu_millis: capacity_cpu_millis.map(|c| c.saturating_sub(kube_reserved_cpu_millis)),
            memory_bytes: capacity_memory_bytes
                .map(|c| c.saturating_sub(kube_reserved_memory_bytes + eviction_memory_bytes)),
        }
    }

    /// How allocatable CPU was found, for the inspector.
    pub fn cpu_formula(&self) -> String {
        match (self.capacity_cpu_millis, self.cpu_millis) {
            (Some(capacity), Some(allocatable)) => format!(
                "{} vCPU = {} − {} kube-reserved (EKS AMI: 6% of the first core, 1% of the second, \
                 0.5% of cores 3–4, 0.25% of the rest) = {} allocatable",
                capacity / 1000,
                format_cpu(capacity),
                format_cpu(self.kube_reserved_cpu_millis),
                format_cpu(allocatable)
            ),
            _ => "vCPUs unknown for this instance type: the scheduler does not limit CPU".into(),
        }
    }

    /// How allocatable memory was found, for the inspector.
    pub fn memory_formula(&self) -> String {
        match (self.capacity_memory_bytes, self.memory_bytes) {
            (Some(capacity), Some(allocatable)) => format!(
                "{} MiB − {} MiB kube-reserved (EKS AMI: 11 MiB × {} max pods + 255 MiB) − {} MiB eviction \
                 threshold (memory.available<100Mi) = {} MiB allocatable ({}); EC2's nominal memory — a real \
                 node reports a few hundred MiB less, kept by the kernel",
                capacity / MIB,
                self.kube_reserved_memory_bytes / MIB,
                self.reservation_max_pods,
                self.eviction_memory_bytes / MIB,
                allocatable / MIB,
                human_memory(allocatable)
            ),
            _ => "memory unknown for this instance type: the scheduler does not limit memory".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::aws::instance_types::InstanceTypes;

    #[test]
    fn cpu_reservation_follows_the_eks_ami_ranges() {
        assert_eq!(kube_reserved_cpu_millis(0), 0);
        assert_eq!(kube_reserved_cpu_millis(1), 60);
        assert_eq!(kube_reserved_cpu_millis(2), 70);
        assert_eq!(kube_reserved_cpu_millis(3), 75);
        assert_eq!(kube_reserved_cpu_millis(4), 80);
        assert_eq!(kube_reserved_cpu_millis(8), 90);
        assert_eq!(kube_reserved_cpu_millis(16), 110);
        assert_eq!(kube_reserved_cpu_millis(96), 310);
        assert_eq!(kube_reserved_cpu_millis(448), 1190);
        assert_eq!(
            kube_reserved_cpu_millis(u32::MAX),
            60 + 10 + 10 + (u64::from(u32::MAX) * 1000 - 4000) / 400
        );
    }

    #[test]
    fn memory_reservation_is_per_pod() {
        assert_eq!(kube_reserved_memory_mib(29), 574);
        assert_eq!(kube_reserved_memory_mib(110), 1465);
        assert_eq!(kube_reserved_memory_mib(0), 255);
        assert_eq!(
            kube_reserved_memory_mib(u32::MAX),
            11 * u64::from(u32::MAX) + 255
        );
    }

    #[test]
    fn m5_large() {
        let t = InstanceTypes::get()
            .lookup("m5.large")
            .expect("m5.large is known");
        let a = NodeAllocatable::for_instance(t, 29);
        assert_eq!(a.cpu_millis, Some(1930));
        assert_eq!(a.memory_bytes, Some((8192 - 574 - 100) * MIB));
        assert!(
            a.cpu_formula().contains("1930m allocatable"),
            "{}",
            a.cpu_formula()
        );
        assert!(
            a.memory_formula().contains("7518 MiB allocatable"),
            "{}",
            a.memory_formula()
        );
    }

    #[test]
    fn unknown_size_is_unlimited_and_says_so() {
        let a = NodeAllocatable::from_size(None, None, 29);
        assert_eq!(a.cpu_millis, None);
        assert_eq!(a.memory_bytes, None);
        assert!(a.cpu_formula().contains("does not limit"));
        assert!(a.memory_formula().contains("does not limit"));
    }

    #[test]
    fn tiny_or_huge_sizes_do_not_overflow() {
        let a = NodeAllocatable::from_size(Some(1), Some(256), 737);
        assert_eq!(a.memory_bytes, Some(0));
        assert_eq!(a.cpu_millis, Some(940));
        let a = NodeAllocatable::from_size(Some(u32::MAX), Some(u64::MAX), u32::MAX);
        assert_eq!(a.capacity_memory_bytes, None);
        assert!(a.cpu_millis.is_some());
    }

    #[test]
    fn every_known_type_has_sane_allocatable() {
        for t in InstanceTypes::get().all() {
            let a = NodeAllocatable::for_instance(t, 110);
            if let (Some(cap), Some(alloc)) = (a.capacity_cpu_millis, a.cpu_millis) {
                assert!(
                    alloc < cap && alloc > cap * 9 / 10,
                    "{}: {alloc} of {cap}",
                    t.name
                );
            }
        }
    }
}
