//! The Amazon VPC CNI's IP address manager (ipamd): which mode a node runs in, and how many
//! ENIs, secondary addresses or /28 prefixes it holds for a given number of pods under
//! WARM_ENI_TARGET, WARM_IP_TARGET, MINIMUM_IP_TARGET and WARM_PREFIX_TARGET.

use super::eni::PREFIX_SIZE;
use super::instance_types::{Hypervisor, InstanceType};
use super::max_pods::CniVersion;
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

/// Whether ipamd itself will hand out prefixes on type `t`: aws/amazon-vpc-cni-k8s
/// `pkg/awsutils/awsutils.go` `IsPrefixDelegationSupported` accepts a Nitro hypervisor **or**
/// bare metal. The max-pods calculator asks only for Nitro (see `max_pods.rs`), so a bare-metal
/// node takes /28 prefixes while its max pods is the secondary-IP figure.
pub fn ipamd_supports_prefixes(t: &InstanceType) -> bool {
    t.hypervisor == Hypervisor::Nitro || t.bare_metal
}

/// Why a node does not use prefix delegation although it is switched on (IPv4 clusters: ipamd
/// falls back to secondary IPs, `isConfigValid` in `pkg/ipamd/ipamd.go`).
pub fn prefix_delegation_refusal(
    t: &InstanceType,
    version_supports_prefixes: bool,
) -> Option<String> {
    if !version_supports_prefixes {
        Some("prefix delegation needs VPC CNI 1.9.0 or later".into())
    } else if !ipamd_supports_prefixes(t) {
        Some(format!(
            "{} is neither a Nitro nor a bare-metal instance type; ipamd gives prefixes only to those",
            t.name
        ))
    } else {
        None
    }
}

/// Why ipamd will not start on type `t` in an IPv6 cluster: IPv6 runs only in prefix-delegation
/// mode, which the type does not support (`isConfigValid` in `pkg/ipamd/ipamd.go` returns false:
/// "Prefix Delegation is not supported on non-nitro instance … IPv6 is only supported in Prefix
/// delegation Mode"). Without ipamd the node's CNI never becomes ready.
pub fn ipv6_refusal(t: &InstanceType) -> Option<String> {
    (!ipamd_supports_prefixes(t)).then(|| {
        format!(
            "{} is neither a Nitro nor a bare-metal instance type: IPv6 needs prefix delegation, which ipamd supports only on those, so ipamd refuses to start and the node stays NotReady",
            t.name
        )
    })
}

/// The mode ipamd runs in on a node of type `t`. In an IPv6 cluster the mode is IPv6 even on a
/// type [`ipv6_refusal`] rejects (the node then never becomes ready).
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
    /// ipamd stops growing the pool at the node's max pods (VPC CNI 1.16.3 and later).
    pub stop_at_max_pods: bool,
}

impl WarmPool {
    pub fn from_settings(cni: &VpcCni, version: &CniVersion) -> WarmPool {
        WarmPool {
            warm_eni_target: cni.warm_eni_target.unwrap_or(1),
            // ipamd treats 0 as unset.
            warm_ip_target: cni.warm_ip_target.filter(|&n| n > 0),
            minimum_ip_target: cni.minimum_ip_target.filter(|&n| n > 0),
            warm_prefix_target: cni.warm_prefix_target.unwrap_or(1),
            stop_at_max_pods: version.stops_pool_at_max_pods(),
        }
    }

    /// WARM_IP_TARGET or MINIMUM_IP_TARGET set: addresses are kept one by one and
    /// WARM_ENI_TARGET is ignored.
    pub fn ip_targets_defined(&self) -> bool {
        self.warm_ip_target.is_some() || self.minimum_ip_target.is_some()
    }

    /// MINIMUM_IP_TARGET without WARM_IP_TARGET: WARM_IP_TARGET counts as 0, so the node keeps
    /// MINIMUM_IP_TARGET addresses and asks for no more however many pods come (VPC CNI
    /// README, MINIMUM_IP_TARGET).
    pub fn minimum_without_warm_ip(&self) -> bool {
        self.minimum_ip_target.is_some() && self.warm_ip_target.is_none()
    }
}

/// What ipamd holds on one node: secondary addresses (or prefixes) per pod-carrying ENI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Addresses (secondary-IP mode) or /28 prefixes (prefix mode) on each ENI that carries
    /// pod addresses, in device order. Under custom networking, ENIs ipamd never created are
    /// not listed; otherwise eth0 is always listed.
    pub per_eni: Vec<u32>,
    /// Pods that asked for an address and could not get one.
    pub unassigned: u32,
}

impl Plan {
    pub fn total(&self) -> u32 {
        self.per_eni.iter().sum()
    }
}

/// The shape of one node's pool, whatever its pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolShape {
    /// `SecondaryIp` or `Prefix` (IPv6 nodes hold a /80 and no pool).
    pub mode: IpamMode,
    /// Secondary addresses or /28 prefixes one ENI holds (IPv4 per ENI − 1).
    pub slots_per_eni: u32,
    /// ENIs that may carry pod addresses (max ENIs less the trunk and, under custom
    /// networking, eth0).
    pub pod_enis: u32,
    /// eth0 carries pod addresses (false under custom networking).
    pub primary_carries_pods: bool,
    /// The kubelet's max pods, for ipamd's max-pods stop.
    pub max_pods: u32,
}

/// The EC2 calls ipamd makes to grow a pool: against a subnet (the node's build) or against an
/// unbounded one (what a pod count costs).
pub trait Ec2 {
    /// AssignPrivateIpAddresses / AssignIpv4Prefixes: `n` more slots on pod ENI `k`. ipamd asks
    /// for `n` and, when that fails, for one (`tryAssignIPs` / `tryAssignPrefixes`). Returns
    /// the slots given (0 = the subnet has none).
    fn assign(&mut self, k: usize, n: u32) -> u32;
    /// CreateNetworkInterface with `n` secondary addresses or prefixes in the same call: EC2
    /// creates the ENI with all of them or fails (InsufficientFreeAddressesInSubnet /
    /// InsufficientCidrBlocks) and creates nothing; ipamd does not retry with fewer.
    fn create_eni(&mut self, n: u32) -> bool;
}

/// An EC2 whose subnets never run out: what ipamd would ask for.
pub struct Unbounded;

impl Ec2 for Unbounded {
    fn assign(&mut self, _k: usize, n: u32) -> u32 {
        n
    }
    fn create_eni(&mut self, _n: u32) -> bool {
        true
    }
}

/// How ipamd grows a node's IPv4 pool for `pods` pods: the reconcile loop of aws/amazon-vpc-cni-k8s
/// `pkg/ipamd/ipamd.go` run until the pool is no longer too low.
///
/// - `isDatastorePoolTooLow`: not low once the node holds max pods addresses (CNI ≥ 1.16.3);
///   with WARM_IP_TARGET / MINIMUM_IP_TARGET, low when `datastoreTargetState` is short; else low
///   when fewer than WARM_ENI_TARGET ENIs' (WARM_PREFIX_TARGET prefixes') addresses are free,
///   or when the target is 0 and none is free.
/// - `datastoreTargetState`: short = max(WARM_IP_TARGET − free, MINIMUM_IP_TARGET − total), a
///   missing WARM_IP_TARGET counting as 0; in prefix mode ⌈short / 16⌉ prefixes.
/// - `increaseDatastorePool`: fill the first pod ENI with room (a whole ENI's worth, or the
///   shortfall with IP targets; in prefix mode `getPrefixesNeeded`), else create an ENI with
///   `GetENIResourcesToAllocate` slots, while `hasRoomForEni`.
///
/// The pods are all present: each takes the next free address, as in the steady state.
pub fn grow_pool(pods: u32, shape: PoolShape, warm: WarmPool, ec2: &mut impl Ec2) -> Plan {
    let prefix = shape.mode == IpamMode::Prefix;
    let unit = if prefix { PREFIX_SIZE } else { 1 };
    let mut enis: Vec<u32> = if shape.primary_carries_pods && shape.pod_enis > 0 {
        vec![0]
    } else {
        Vec::new()
    };
    let ip_targets = warm.ip_targets_defined();
    loop {
        let slots: u32 = enis.iter().sum();
        let total = slots.saturating_mul(unit);
        if warm.stop_at_max_pods && total >= shape.max_pods {
            break; // "If max pods has been reached, pool is not too low"
        }
        let assigned = pods.min(total);
        let free = total - assigned;
        let short = if ip_targets {
            let warm_short = warm.warm_ip_target.unwrap_or(0).saturating_sub(free);
            let min_short = warm.minimum_ip_target.unwrap_or(0).saturating_sub(total);
            warm_short.max(min_short)
        } else {
            0
        };
        let too_low = if ip_targets {
            short > 0
        } else {
            let (target, per_target) = if prefix {
                (warm.warm_prefix_target, PREFIX_SIZE)
            } else {
                (warm.warm_eni_target, shape.slots_per_eni)
            };
            free < per_target.saturating_mul(target) || (target == 0 && free == 0)
        };
        if !too_low {
            break;
        }
        let want = if prefix {
            if ip_targets {
                short.div_ceil(PREFIX_SIZE).max(1)
            } else {
                // WARM_PREFIX_TARGET less the prefixes no pod uses (`datastorePrefixTargetState`).
                let free_prefixes = slots - assigned.div_ceil(PREFIX_SIZE);
                warm.warm_prefix_target.saturating_sub(free_prefixes).max(1)
            }
        } else if ip_targets {
            short
        } else {
            shape.slots_per_eni
        };
        if want == 0 {
            break;
        }
        if let Some(k) = enis.iter().position(|&held| held < shape.slots_per_eni) {
            let got = ec2.assign(k, (shape.slots_per_eni - enis[k]).min(want));
            if got == 0 {
                break;
            }
            enis[k] += got;
        } else if (enis.len() as u32) < shape.pod_enis {
            let n = want.min(shape.slots_per_eni);
            if !ec2.create_eni(n) {
                break;
            }
            enis.push(n);
        } else {
            break;
        }
    }
    let total = enis.iter().sum::<u32>().saturating_mul(unit);
    Plan {
        per_eni: enis,
        unassigned: pods.saturating_sub(total),
    }
}

/// Subnet addresses a node's pods cost at a given pod count: the secondary addresses or whole
/// prefixes ipamd holds, plus the primary address of every extra ENI it attaches for them.
pub fn pod_address_cost(shape: PoolShape, pods: u32, warm: WarmPool) -> u32 {
    let per_slot = match shape.mode {
        IpamMode::Ipv6 => return 0,
        IpamMode::Prefix => PREFIX_SIZE,
        IpamMode::SecondaryIp => 1,
    };
    let plan = grow_pool(pods, shape, warm, &mut Unbounded);
    let enis = plan.per_eni.len() as u32;
    let extra_enis = if shape.primary_carries_pods {
        enis.saturating_sub(1)
    } else {
        enis
    };
    plan.total() * per_slot + extra_enis
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CNI 1.18 defaults: WARM_ENI_TARGET=1, WARM_PREFIX_TARGET=1, the max-pods stop on.
    const DEFAULT: WarmPool = WarmPool {
        warm_eni_target: 1,
        warm_ip_target: None,
        minimum_ip_target: None,
        warm_prefix_target: 1,
        stop_at_max_pods: true,
    };

    /// m5.large: 3 ENIs × 9 slots, max pods 29 (110 with prefixes).
    fn m5(mode: IpamMode, max_pods: u32) -> PoolShape {
        PoolShape {
            mode,
            slots_per_eni: 9,
            pod_enis: 3,
            primary_carries_pods: true,
            max_pods,
        }
    }

    fn secondary(pods: u32, warm: WarmPool) -> Plan {
        grow_pool(pods, m5(IpamMode::SecondaryIp, 29), warm, &mut Unbounded)
    }

    fn prefixes(pods: u32, warm: WarmPool) -> Plan {
        grow_pool(pods, m5(IpamMode::Prefix, 110), warm, &mut Unbounded)
    }

    #[test]
    fn address_cost_counts_extra_eni_primaries() {
        let shape = m5(IpamMode::SecondaryIp, 29);
        // m5.large, defaults: no pods → eth0's 9; one pod → 18 + eth1's own address.
        assert_eq!(pod_address_cost(shape, 0, DEFAULT), 9);
        assert_eq!(pod_address_cost(shape, 1, DEFAULT), 19);
        // Custom networking: every pod ENI is an extra ENI.
        let custom = PoolShape {
            pod_enis: 2,
            primary_carries_pods: false,
            ..shape
        };
        assert_eq!(pod_address_cost(custom, 0, DEFAULT), 10);
        assert_eq!(pod_address_cost(m5(IpamMode::Prefix, 110), 0, DEFAULT), 16);
        assert_eq!(pod_address_cost(m5(IpamMode::Ipv6, 110), 50, DEFAULT), 0);
    }

    #[test]
    fn prefix_mode_keeps_whole_prefixes() {
        assert_eq!(prefixes(0, DEFAULT).per_eni, vec![1]);
        assert_eq!(prefixes(1, DEFAULT).per_eni, vec![2]);
        assert_eq!(prefixes(16, DEFAULT).per_eni, vec![2]);
        assert_eq!(prefixes(17, DEFAULT).per_eni, vec![3]);
        let ip_targets = WarmPool {
            warm_ip_target: Some(5),
            ..DEFAULT
        };
        assert_eq!(prefixes(12, ip_targets).per_eni, vec![2]);
        assert_eq!(prefixes(10, ip_targets).per_eni, vec![1]);
        // Without the max-pods stop (CNI before 1.16.3), 150 pods on 27 prefix slots.
        let old = WarmPool {
            stop_at_max_pods: false,
            ..DEFAULT
        };
        let shape = m5(IpamMode::Prefix, 434);
        assert_eq!(
            grow_pool(150, shape, old, &mut Unbounded).per_eni,
            vec![9, 2]
        );
        let full = grow_pool(500, shape, old, &mut Unbounded);
        assert_eq!((full.total(), full.unassigned), (27, 500 - 27 * 16));
    }

    /// aws/amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go` `isDatastorePoolTooLow`: "If max pods has
    /// been reached, pool is not too low" (PR #2745, VPC CNI 1.16.3 and later).
    #[test]
    fn ipamd_stops_growing_the_pool_at_max_pods() {
        // m5.large with prefixes, max pods 110, 108 pods with VPC addresses: 7 prefixes hold
        // 112 ≥ 110, so no 8th warm prefix (before 1.16.3: ⌈108 / 16⌉ + 1 = 8).
        assert_eq!(prefixes(108, DEFAULT).total(), 7);
        let old = WarmPool {
            stop_at_max_pods: false,
            ..DEFAULT
        };
        assert_eq!(prefixes(108, old).total(), 8);
        // maxPodsPerNode = 9 on m5.large: eth0's 9 addresses reach it, no spare ENI.
        let small = m5(IpamMode::SecondaryIp, 9);
        assert_eq!(
            grow_pool(5, small, DEFAULT, &mut Unbounded).per_eni,
            vec![9]
        );
        assert_eq!(grow_pool(5, small, old, &mut Unbounded).per_eni, vec![9, 9]);
        // The stop is checked before each step: whole ENIs may overshoot it.
        let ten = m5(IpamMode::SecondaryIp, 10);
        assert_eq!(
            grow_pool(9, ten, DEFAULT, &mut Unbounded).per_eni,
            vec![9, 9]
        );
        // With WARM_IP_TARGET=5 and max pods 22, 20 pods: the step that passes 22 is the
        // last (18 + a new ENI's 5 = 23), short of pods + 5 = 25.
        let warm_ip = WarmPool {
            warm_ip_target: Some(5),
            ..DEFAULT
        };
        assert_eq!(
            grow_pool(20, m5(IpamMode::SecondaryIp, 22), warm_ip, &mut Unbounded).per_eni,
            vec![9, 9, 5]
        );
        let old_ip = WarmPool {
            stop_at_max_pods: false,
            ..warm_ip
        };
        assert_eq!(
            grow_pool(20, m5(IpamMode::SecondaryIp, 22), old_ip, &mut Unbounded).total(),
            25
        );
    }

    #[test]
    fn prefix_delegation_needs_nitro_or_bare_metal_and_cni_1_9() {
        use crate::model::aws::instance_types::InstanceTypes;
        let table = InstanceTypes::get();
        let m5 = table.lookup("m5.large").unwrap();
        let m4 = table.lookup("m4.large").unwrap();
        assert_eq!(prefix_delegation_refusal(m5, true), None);
        assert!(prefix_delegation_refusal(m5, false)
            .unwrap()
            .contains("1.9.0"));
        assert!(prefix_delegation_refusal(m4, true)
            .unwrap()
            .contains("neither a Nitro nor a bare-metal"));
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

    /// aws/amazon-vpc-cni-k8s `pkg/awsutils/awsutils.go` `IsPrefixDelegationSupported`:
    /// "nitro" hypervisor or bare metal. The max-pods calculator still refuses bare metal.
    #[test]
    fn ipamd_gives_prefixes_to_bare_metal_although_the_calculator_does_not() {
        use crate::model::aws::instance_types::InstanceTypes;
        use crate::model::aws::max_pods::{max_pods, MaxPodsInput};
        let metal = InstanceTypes::get().lookup("m5.metal").unwrap();
        assert!(metal.bare_metal && metal.hypervisor != Hypervisor::Nitro);
        assert!(ipamd_supports_prefixes(metal));
        assert_eq!(prefix_delegation_refusal(metal, true), None);
        let cni = VpcCni {
            prefix_delegation: true,
            ..VpcCni::default()
        };
        assert_eq!(ipam_mode(&cni, false, metal, true), IpamMode::Prefix);
        let calculator = max_pods(
            metal,
            &MaxPodsInput {
                prefix_delegation: true,
                ..MaxPodsInput::new(CniVersion::new(1, 18))
            },
        )
        .unwrap();
        assert!(!calculator.prefix_delegation_applied);
    }

    /// aws/amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go` `isConfigValid`: IPv6 needs prefix
    /// delegation, which needs Nitro (or bare metal); otherwise ipamd does not start.
    #[test]
    fn ipv6_needs_a_type_that_takes_prefixes() {
        use crate::model::aws::instance_types::InstanceTypes;
        let table = InstanceTypes::get();
        let m4 = table.lookup("m4.large").unwrap();
        let why = ipv6_refusal(m4).unwrap();
        assert!(
            why.contains("m4.large") && why.contains("NotReady"),
            "{why}"
        );
        assert_eq!(ipv6_refusal(table.lookup("m5.large").unwrap()), None);
        assert_eq!(ipv6_refusal(table.lookup("m5.metal").unwrap()), None);
    }

    #[test]
    fn warm_eni_target_one_keeps_a_whole_spare_eni() {
        assert_eq!(secondary(0, DEFAULT).per_eni, vec![9]);
        // One pod already costs two ENIs' addresses (SEMANTICS.md).
        assert_eq!(secondary(1, DEFAULT).per_eni, vec![9, 9]);
        assert_eq!(secondary(9, DEFAULT).per_eni, vec![9, 9]);
        assert_eq!(secondary(10, DEFAULT).per_eni, vec![9, 9, 9]);
        let full = secondary(30, DEFAULT);
        assert_eq!((full.total(), full.unassigned), (27, 3));
    }

    #[test]
    fn warm_ip_target_overrides_warm_eni_target() {
        let warm = WarmPool {
            warm_ip_target: Some(2),
            ..DEFAULT
        };
        assert_eq!(secondary(0, warm).per_eni, vec![2]);
        assert_eq!(secondary(8, warm).per_eni, vec![9, 1]);
        let floor = WarmPool {
            warm_ip_target: Some(1),
            minimum_ip_target: Some(12),
            ..DEFAULT
        };
        assert_eq!(secondary(1, floor).per_eni, vec![9, 3]);
        let both = WarmPool {
            warm_ip_target: Some(3),
            minimum_ip_target: Some(5),
            ..DEFAULT
        };
        assert_eq!(secondary(4, both).total(), 7);
    }

    /// aws/amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go`: `warmIPTargetsDefined` counts 0 as unset
    /// (`noWarmIPTarget`, `noMinimumIPTarget`); WARM_ENI_TARGET defaults to 1
    /// (`defaultWarmENITarget`); WARM_PREFIX_TARGET is 1 as the add-on's manifest sets it
    /// (`config/master/aws-k8s-cni.yaml`; ipamd's own default is 0).
    #[test]
    fn settings_read_as_ipamd_reads_them() {
        let cni = VpcCni {
            warm_ip_target: Some(0),
            minimum_ip_target: Some(0),
            ..VpcCni::default()
        };
        let warm = WarmPool::from_settings(&cni, &CniVersion::new(1, 18));
        assert!(!warm.ip_targets_defined());
        assert_eq!((warm.warm_eni_target, warm.warm_prefix_target), (1, 1));
        let unset = VpcCni {
            warm_eni_target: None,
            ..VpcCni::default()
        };
        assert_eq!(
            WarmPool::from_settings(&unset, &CniVersion::new(1, 18)).warm_eni_target,
            1
        );
        let old = CniVersion::parse("1.16.2").unwrap();
        assert!(!WarmPool::from_settings(&VpcCni::default(), &old).stop_at_max_pods);
    }

    /// aws/amazon-vpc-cni-k8s README, MINIMUM_IP_TARGET: without WARM_IP_TARGET it is taken as
    /// 0, and "this configuration will prevent future ENIs/IPs from being allocated"
    /// (`datastoreTargetState` in `pkg/ipamd/ipamd.go`).
    #[test]
    fn minimum_ip_target_alone_keeps_that_many_and_no_more() {
        let floor = WarmPool {
            minimum_ip_target: Some(12),
            ..DEFAULT
        };
        assert!(floor.minimum_without_warm_ip());
        assert_eq!(secondary(1, floor).per_eni, vec![9, 3]);
        let many = secondary(20, floor);
        assert_eq!((many.total(), many.unassigned), (12, 8));
        let pd = prefixes(40, floor);
        assert_eq!((pd.total(), pd.unassigned), (1, 40 - 16));
    }

    /// aws/amazon-vpc-cni-k8s `pkg/ipamd/ipamd.go` `isDatastorePoolTooLow`:
    /// `warmTarget == 0 && available == 0` is too low, so an idle node keeps its first ENI's
    /// addresses and a node with none free grows by a whole ENI (PR #587, CNI 1.6.0).
    #[test]
    fn warm_eni_target_zero_grows_by_an_eni_when_no_address_is_free() {
        let warm = WarmPool {
            warm_eni_target: 0,
            ..DEFAULT
        };
        assert_eq!(secondary(0, warm).per_eni, vec![9]);
        assert_eq!(secondary(1, warm).per_eni, vec![9]);
        assert_eq!(secondary(8, warm).per_eni, vec![9]);
        assert_eq!(secondary(9, warm).per_eni, vec![9, 9]);
        assert_eq!(secondary(10, warm).per_eni, vec![9, 9]);
        // Custom networking: the first pod ENI is created even with no pod.
        let custom = PoolShape {
            pod_enis: 2,
            primary_carries_pods: false,
            ..m5(IpamMode::SecondaryIp, 20)
        };
        assert_eq!(grow_pool(0, custom, warm, &mut Unbounded).per_eni, vec![9]);
    }

    /// A subnet that runs out: ipamd fills eth0 one address at a time, but EC2 creates an ENI
    /// with all its addresses or not at all (aws/amazon-vpc-cni-k8s `pkg/awsutils/awsutils.go`
    /// `createENI` sends SecondaryPrivateIpAddressCount in CreateNetworkInterface).
    #[test]
    fn an_eni_is_created_with_its_addresses_or_not_at_all() {
        struct Subnet(u32);
        impl Ec2 for Subnet {
            fn assign(&mut self, _k: usize, n: u32) -> u32 {
                let got = if n <= self.0 { n } else { self.0.min(1) };
                self.0 -= got;
                got
            }
            fn create_eni(&mut self, n: u32) -> bool {
                let ok = n < self.0; // its own address + n
                if ok {
                    self.0 -= n + 1;
                }
                ok
            }
        }
        let shape = m5(IpamMode::SecondaryIp, 29);
        // 14 free: eth0 takes 9, eth1 would need 10 of the 5 left.
        let mut subnet = Subnet(14);
        let plan = grow_pool(3, shape, DEFAULT, &mut subnet);
        assert_eq!(plan.per_eni, vec![9]);
        assert_eq!(subnet.0, 5);
        // 5 free: eth0 gets them one by one after the 9 fail.
        let mut small = Subnet(5);
        let plan = grow_pool(7, shape, DEFAULT, &mut small);
        assert_eq!((plan.per_eni.clone(), plan.unassigned), (vec![5], 2));
    }
}
