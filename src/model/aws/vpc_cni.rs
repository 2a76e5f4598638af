//! The Amazon VPC CNI's IP address manager (ipamd): which mode a node runs in, and how many
//! ENIs, secondary addresses or /28 prefixes it holds for a given number of pods under
//! WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET and WARM_PREFIX_TARGET.

use super::eni::PREFIX_SIZE;
use super::instance_types::{Hypervisor, InstanceType};
use crate::scenario::VpcCni;

/// How pods on a node get their addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IpamMode {
    /// One secondary IPv4 address per pod.
    SecondaryIp,
    /// /28 prefixes on the ENIs; a pod takes one address of a prefix.
    Prefix,
    /// IPv6 cluster: the node holds a /80, pods get IPv6 addresses only.
    Ipv6,
}

impl IpamMode {
    pub fn label(self) -> &'static str {
        match self {
            IpamMode::SecondaryIp => "secondary IPs",
            IpamMode::Prefix => "prefix delegation (/28)",
            IpamMode::Ipv6 => "IPv6 (/80 per node)",
        }
    }
}

/// Why a node does not use prefix delegation although it is switched on.
pub fn prefix_delegation_refusal(
    t: &InstanceType,
    version_supports_prefixes: bool,
) -> Option<String> {
    if !version_supports_prefixes {
        Some("prefix delegation needs VPC CNI 1.9.0 or later".into())
    } else if t.hypervisor != Hypervisor::Nitro {
        Some(format!(
            "{} is not a Nitro instance type{}; prefix delegation needs Nitro",
            t.name,
            if t.bare_metal {
                " (bare metal reports no hypervisor)"
            } else {
                ""
            }
        ))
    } else {
        None
    }
}

/// The mode ipamd runs in on a node of type `t`.
pub fn ipam_mode(
    cni: &VpcCni,
    ipv6: bool,
    t: &InstanceType,
    version_supports_prefixes: bool,
) -> IpamMode {
    if ipv6 {
        IpamMode::Ipv6
    } else if cni.prefix_delegation
        && prefix_delegation_refusal(t, version_supports_prefixes).is_none()
    {
        IpamMode::Prefix
    } else {
        IpamMode::SecondaryIp
    }
}

/// The warm-pool settings that decide how many addresses a node takes from its subnet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WarmPool {
    pub warm_eni_target: u32,
    pub warm_ip_target: Option<u32>,
    pub minimum_ip_target: Option<u32>,
    /// Whole free /28 prefixes to keep (prefix mode); EKS's add-on sets 1.
    pub warm_prefix_target: u32,
}

impl WarmPool {
    pub fn from_settings(cni: &VpcCni) -> WarmPool {
        WarmPool {
            warm_eni_target: cni.warm_eni_target.unwrap_or(1),
            // ipamd treats 0 as unset.
            warm_ip_target: cni.warm_ip_target.filter(|&n| n > 0),
            minimum_ip_target: cni.minimum_ip_target.filter(|&n| n > 0),
            warm_prefix_target: cni.warm_prefix_target.unwrap_or(1),
        }
    }

    /// WARM_IP_TARGET or MINIMUM_IP_TARGET set: addresses are kept one by one and
    /// WARM_ENI_TARGET is ignored.
    pub fn ip_targets_defined(&self) -> bool {
        self.warm_ip_target.is_some() || self.minimum_ip_target.is_some()
    }
}

/// What ipamd holds on one node: secondary addresses (or prefixes) per pod-carrying ENI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Addresses (secondary-IP mode) or /28 prefixes (prefix mode) on each ENI that carries
    /// pod addresses, in device order.
    pub per_eni: Vec<u32>,
    /// Pods that asked for an address and could not get one (the node's ENIs are full).
    pub unassigned: u32,
}

impl Plan {
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
pub fn plan_secondary_ips(pods: u32, ips_per_eni: u32, max_enis: u32, warm: WarmPool) -> Plan {
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
    Plan {
        per_eni: fill(held, ips_per_eni, max_enis),
        unassigned: pods.saturating_sub(held),
    }
}

/// How ipamd sizes a node's pool under prefix delegation: whole /28 prefixes. With
/// WARM_IP_TARGET / MINIMUM_IP_TARGET it keeps enough prefixes for max(pods + N, M)
/// addresses; otherwise ⌈pods / 16⌉ + WARM_PREFIX_TARGET prefixes, at least one.
pub fn plan_prefixes(pods: u32, prefixes_per_eni: u32, max_enis: u32, warm: WarmPool) -> Plan {
    let capacity = prefixes_per_eni.saturating_mul(max_enis);
    let wanted = if warm.ip_targets_defined() {
        let ips = pods
            .saturating_add(warm.warm_ip_target.unwrap_or(0))
            .max(warm.minimum_ip_target.unwrap_or(0));
        ips.div_ceil(PREFIX_SIZE)
    } else {
        pods.div_ceil(PREFIX_SIZE)
            .saturating_add(warm.warm_prefix_target)
    }
    .max(1);
    let held = wanted.min(capacity);
    Plan {
        per_eni: fill(held, prefixes_per_eni, max_enis),
        unassigned: pods.saturating_sub(held.saturating_mul(PREFIX_SIZE)),
    }
}

/// Subnet addresses a node's pods cost at a given pod count: the secondary addresses or whole
/// prefixes ipamd holds, plus the primary address of every extra ENI it attaches for them.
/// `primary_carries_pods` is false under custom networking (pod ENIs are all extra ENIs).
pub fn pod_address_cost(
    mode: IpamMode,
    pods: u32,
    slots_per_eni: u32,
    pod_enis: u32,
    primary_carries_pods: bool,
    warm: WarmPool,
) -> u32 {
    let (plan, per_slot) = match mode {
        IpamMode::Ipv6 => return 0,
        IpamMode::Prefix => (
            plan_prefixes(pods, slots_per_eni, pod_enis, warm),
            PREFIX_SIZE,
        ),
        IpamMode::SecondaryIp => (plan_secondary_ips(pods, slots_per_eni, pod_enis, warm), 1),
    };
    let enis = plan.per_eni.len() as u32;
    let extra_enis = if primary_carries_pods {
        enis.saturating_sub(1)
    } else {
        enis
    };
    plan.total() * per_slot + extra_enis
}

/// Spreads `held` slots over ENIs of `per_eni` slots each, in device order; the first ENI is
/// always listed (the primary ENI is attached even when it holds nothing).
fn fill(held: u32, per_eni: u32, max_enis: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut left = held;
    while left > 0 && per_eni > 0 {
        let n = left.min(per_eni);
        out.push(n);
        left -= n;
    }
    if out.is_empty() && max_enis > 0 {
        out.push(0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULT: WarmPool = WarmPool {
        warm_eni_target: 1,
        warm_ip_target: None,
        minimum_ip_target: None,
        warm_prefix_target: 1,
    };

    #[test]
    fn address_cost_counts_extra_eni_primaries() {
        // m5.large, defaults: no pods → eth0's 9; one pod → 18 + eth1's own address.
        assert_eq!(
            pod_address_cost(IpamMode::SecondaryIp, 0, 9, 3, true, DEFAULT),
            9
        );
        assert_eq!(
            pod_address_cost(IpamMode::SecondaryIp, 1, 9, 3, true, DEFAULT),
            19
        );
        // Custom networking: every pod ENI is an extra ENI.
        assert_eq!(
            pod_address_cost(IpamMode::SecondaryIp, 0, 9, 2, false, DEFAULT),
            10
        );
        assert_eq!(
            pod_address_cost(IpamMode::Prefix, 0, 9, 3, true, DEFAULT),
            16
        );
        assert_eq!(pod_address_cost(IpamMode::Ipv6, 50, 9, 3, true, DEFAULT), 0);
    }

    #[test]
    fn prefix_mode_keeps_whole_prefixes() {
        // m5.large: 3 ENIs × 9 prefix slots.
        assert_eq!(plan_prefixes(0, 9, 3, DEFAULT).per_eni, vec![1]);
        assert_eq!(plan_prefixes(1, 9, 3, DEFAULT).per_eni, vec![2]);
        assert_eq!(plan_prefixes(16, 9, 3, DEFAULT).per_eni, vec![2]);
        assert_eq!(plan_prefixes(17, 9, 3, DEFAULT).per_eni, vec![3]);
        assert_eq!(plan_prefixes(150, 9, 3, DEFAULT).per_eni, vec![9, 2]);
        let ip_targets = WarmPool {
            warm_ip_target: Some(5),
            ..DEFAULT
        };
        assert_eq!(plan_prefixes(12, 9, 3, ip_targets).per_eni, vec![2]);
        assert_eq!(plan_prefixes(10, 9, 3, ip_targets).per_eni, vec![1]);
        let full = plan_prefixes(500, 9, 3, DEFAULT);
        assert_eq!((full.total(), full.unassigned), (27, 500 - 27 * 16));
    }

    #[test]
    fn prefix_delegation_needs_nitro_and_cni_1_9() {
        use crate::model::aws::instance_types::InstanceTypes;
        let table = InstanceTypes::get();
        let m5 = table.lookup("m5.large").unwrap();
        let m4 = table.lookup("m4.large").unwrap();
        let metal = table.lookup("m5.metal").unwrap();
        assert_eq!(prefix_delegation_refusal(m5, true), None);
        assert!(prefix_delegation_refusal(m5, false)
            .unwrap()
            .contains("1.9.0"));
        assert!(prefix_delegation_refusal(m4, true)
            .unwrap()
            .contains("not a Nitro"));
        assert!(prefix_delegation_refusal(metal, true)
            .unwrap()
            .contains("bare metal"));
        let mut cni = VpcCni {
            prefix_delegation: true,
            ..VpcCni::default()
        };
        assert_eq!(ipam_mode(&cni, false, m5, true), IpamMode::Prefix);
        assert_eq!(ipam_mode(&cni, false, m4, true), IpamMode::SecondaryIp);
        assert_eq!(ipam_mode(&cni, true, m5, true), IpamMode::Ipv6);
        cni.prefix_delegation = false;
        assert_eq!(ipam_mode(&cni, false, m5, true), IpamMode::SecondaryIp);
    }

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
