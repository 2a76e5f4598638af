//! The Amazon VPC CNI's IP address manager (ipamd): how many ENIs and secondary addresses a
//! node holds for a given number of pods, under WARM_ENI_TARGET, WARM_IP_TARGET and
//! MINIMUM_IP_TARGET (secondary-IP mode).

use crate::scenario::VpcCni;

/// The warm-pool settings that decide how many addresses a node takes from its subnet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarmPool {
    pub warm_eni_target: u32,
    pub warm_ip_target: Option<u32>,
    pub minimum_ip_target: Option<u32>,
}

impl WarmPool {
    pub fn from_settings(cni: &VpcCni) -> WarmPool {
        WarmPool {
            warm_eni_target: cni.warm_eni_target.unwrap_or(1),
            // ipamd treats 0 as unset.
            warm_ip_target: cni.warm_ip_target.filter(|&n| n > 0),
            minimum_ip_target: cni.minimum_ip_target.filter(|&n| n > 0),
        }
    }

    /// WARM_IP_TARGET or MINIMUM_IP_TARGET set: addresses are kept one by one and
    /// WARM_ENI_TARGET is ignored.
    pub fn ip_targets_defined(&self) -> bool {
        self.warm_ip_target.is_some() || self.minimum_ip_target.is_some()
    }
}

/// The addresses ipamd holds on one node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondaryIpPlan {
    /// Secondary addresses on each attached ENI, primary ENI first.
    pub per_eni: Vec<u32>,
    /// Pods that asked for an address and could not get one (the node's ENIs are full).
    pub unassigned: u32,
}

impl SecondaryIpPlan {
    pub fn total(&self) -> u32 {
        self.per_eni.iter().sum()
    }
}

/// How ipamd sizes a node's pool in secondary-IP mode.
///
/// `ips_per_eni` is the instance type's IPv4 addresses per ENI less the primary; `max_enis` is
/// how many ENIs may carry pod addresses. With WARM_ENI_TARGET=W (the default, W=1) ipamd
/// attaches whole ENIs until W ENIs' worth of addresses are free: ENIs = ⌈pods / per ENI⌉ + W.
/// With WARM_IP_TARGET=N / MINIMUM_IP_TARGET=M it keeps max(pods + N, M) addresses.
pub fn plan_secondary_ips(
    pods: u32,
    ips_per_eni: u32,
    max_enis: u32,
    warm: WarmPool,
) -> SecondaryIpPlan {
    let capacity = ips_per_eni.saturating_mul(max_enis);
    let wanted = if warm.ip_targets_defined() {
        pods.saturating_add(warm.warm_ip_target.unwrap_or(0))
            .max(warm.minimum_ip_target.unwrap_or(0))
    } else if ips_per_eni == 0 {
        0
    } else {
        let enis = pods
            .div_ceil(ips_per_eni)
            .saturating_add(warm.warm_eni_target);
        enis.saturating_mul(ips_per_eni)
    };
    let held = wanted.min(capacity);
    // Fill ENIs in device order; the primary ENI is always attached.
    let mut per_eni = Vec::new();
    let mut left = held;
    while left > 0 {
        let n = left.min(ips_per_eni);
        per_eni.push(n);
        left -= n;
    }
    if per_eni.is_empty() && max_enis > 0 {
        per_eni.push(0);
    }
    SecondaryIpPlan {
        per_eni,
        unassigned: pods.saturating_sub(held),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: WarmPool = WarmPool {
        warm_eni_target: 1,
        warm_ip_target: None,
        minimum_ip_target: None,
    };

    #[test]
    fn warm_eni_target_one_keeps_a_whole_spare_eni() {
        // m5.large: 3 ENIs × 9 secondary addresses.
        assert_eq!(plan_secondary_ips(0, 9, 3, DEFAULT).per_eni, vec![9]);
        // One pod already costs two ENIs' addresses (SEMANTICS.md).
        assert_eq!(plan_secondary_ips(1, 9, 3, DEFAULT).per_eni, vec![9, 9]);
        assert_eq!(plan_secondary_ips(9, 9, 3, DEFAULT).per_eni, vec![9, 9]);
        assert_eq!(plan_secondary_ips(10, 9, 3, DEFAULT).per_eni, vec![9, 9, 9]);
        let full = plan_secondary_ips(30, 9, 3, DEFAULT);
        assert_eq!((full.total(), full.unassigned), (27, 3));
    }

    #[test]
    fn warm_ip_target_overrides_warm_eni_target() {
        let warm = WarmPool {
            warm_ip_target: Some(2),
            ..DEFAULT
        };
        assert_eq!(plan_secondary_ips(0, 9, 3, warm).per_eni, vec![2]);
        assert_eq!(plan_secondary_ips(8, 9, 3, warm).per_eni, vec![9, 1]);
        let floor = WarmPool {
            minimum_ip_target: Some(12),
            ..DEFAULT
        };
        assert_eq!(plan_secondary_ips(1, 9, 3, floor).per_eni, vec![9, 3]);
        let both = WarmPool {
            warm_ip_target: Some(3),
            minimum_ip_target: Some(5),
            ..DEFAULT
        };
        assert_eq!(plan_secondary_ips(4, 9, 3, both).total(), 7);
    }

    #[test]
    fn warm_eni_target_zero_holds_nothing_until_a_pod_comes() {
        let warm = WarmPool {
            warm_eni_target: 0,
            ..DEFAULT
        };
        assert_eq!(plan_secondary_ips(0, 9, 3, warm).per_eni, vec![0]);
        assert_eq!(plan_secondary_ips(1, 9, 3, warm).per_eni, vec![9]);
    }
}
