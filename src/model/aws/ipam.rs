//! One node's network as ipamd and the VPC resource controller build it: ENIs in device order,
//! their secondary addresses or /28 prefixes, the trunk and branch ENIs, the IPv6 /80, and the
//! address each pod gets (or not).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::Ipv6Net;

use super::eni::{BranchEni, Eni, EniRole, IpSlot, Prefix, PREFIX_SIZE};
use super::instance_types::InstanceType;
use super::subnet::AddressPool;
use super::vpc_cni::{grow_pool, Ec2, IpamMode, PoolShape, WarmPool};
use crate::model::{Id, SharedStr};

/// What a node's network is built from.
pub struct NodeNetworkInput<'a> {
    pub node: SharedStr,
    pub instance_type: &'a InstanceType,
    pub mode: IpamMode,
    pub warm: WarmPool,
    /// The kubelet's max pods (ipamd stops growing the pool there, CNI 1.16.3+).
    pub max_pods: u32,
    /// The node's own subnet (primary ENI).
    pub node_subnet: usize,
    /// Where secondary ENIs go: the node's subnet, or the ENIConfig subnet under custom
    /// networking (`None` = custom networking with no ENIConfig for the node's AZ).
    pub pod_subnet: Option<usize>,
    pub custom_networking: bool,
    /// Branch ENI capacity when security groups for pods are on and the type supports them.
    pub trunk_branches: Option<u32>,
    /// The node's /80 (IPv6 clusters).
    pub ipv6_prefix: Option<Ipv6Net>,
    /// Pods that need an address from the CNI, in the order they were bound (their names,
    /// shared with the slots and prefixes that record them).
    pub ip_pods: &'a [SharedStr],
    /// Pods that get a branch ENI, with their security groups.
    pub branch_pods: &'a [(SharedStr, Vec<String>)],
}

/// The result: ENIs, branch ENIs and each pod's address (`None` = the CNI could not give one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeNetwork {
    pub enis: Vec<Eni>,
    pub branches: Vec<BranchEni>,
    /// One per `ip_pods`, in order: its address (`None` = the CNI could not give one).
    pub pod_ips: Vec<Option<IpAddr>>,
    /// Pod-carrying ENIs ipamd may attach (max ENIs less the trunk and, under custom
    /// networking, less the primary).
    pub pod_enis: u32,
}

/// Builds the ENIs after the node's primary address was taken.
pub fn build_node_network(
    input: &NodeNetworkInput,
    primary_ip: Ipv4Addr,
    pools: &mut [AddressPool],
) -> NodeNetwork {
    let t = input.instance_type;
    let slots_per_eni = t.ipv4_per_eni.saturating_sub(1);
    let trunk = u32::from(input.trunk_branches.is_some());
    // The node's name, shared by every ENI, address and prefix id on it.
    let node = input.node.clone();
    let eni_id = |device: u32| Id::Eni {
        node: node.clone(),
        device,
    };
    let mut enis = vec![Eni {
        id: eni_id(0),
        device_index: 0,
        role: EniRole::Primary,
        subnet: input.node_subnet,
        primary_ip,
        slots: Vec::new(),
        prefixes: Vec::new(),
        capacity: if input.custom_networking || input.mode == IpamMode::Ipv6 {
            0
        } else {
            slots_per_eni
        },
    }];
    // ENIs that may carry pod addresses: all but the trunk; under custom networking not eth0.
    let pod_enis = t
        .max_enis
        .saturating_sub(trunk)
        .saturating_sub(u32::from(input.custom_networking));
    let pods = input.ip_pods.len() as u32;
    let mut pod_ips: Vec<Option<IpAddr>> = Vec::with_capacity(input.ip_pods.len());
    let mut waiting = input.ip_pods.iter();

    match (input.mode, input.pod_subnet) {
        (IpamMode::Ipv6, _) => {
            // One /80 on eth0; every pod takes the next address of it. No IPv4 pool.
            for (k, _) in waiting.by_ref().enumerate() {
                let ip = input
                    .ipv6_prefix
                    .map(|p| IpAddr::V6(Ipv6Addr::from(u128::from(p.network()) + k as u128 + 1)));
                pod_ips.push(ip);
            }
        }
        (_, None) => {} // custom networking without an ENIConfig: no ENI for pods.
        (mode, Some(pod_subnet)) => {
            let shape = PoolShape {
                mode,
                slots_per_eni,
                pod_enis,
                primary_carries_pods: !input.custom_networking,
                max_pods: input.max_pods,
            };
            let mut ec2 = SubnetEc2 {
                node: node.clone(),
                prefix: mode == IpamMode::Prefix,
                first_device: u32::from(input.custom_networking),
                pod_subnet,
                slots_per_eni,
                enis,
                pools: &mut *pools,
            };
            grow_pool(pods, shape, input.warm, &mut ec2);
            enis = ec2.enis;
            // The pods take the addresses in device and slot order.
            for eni in &mut enis {
                for slot in &mut eni.slots {
                    let Some(pod) = waiting.next() else { break };
                    slot.pod = Some(pod.clone());
                    pod_ips.push(Some(IpAddr::V4(slot.ip)));
                }
                for prefix in &mut eni.prefixes {
                    // One allocation per prefix for the pods it will hold.
                    prefix.pods.reserve(waiting.len().min(PREFIX_SIZE as usize));
                    let base = u32::from(prefix.cidr.network());
                    for (offset, pod) in waiting.by_ref().take(PREFIX_SIZE as usize).enumerate() {
                        let ip = Ipv4Addr::from(base + offset as u32);
                        prefix.pods.push((ip, pod.clone()));
                        pod_ips.push(Some(IpAddr::V4(ip)));
                    }
                }
            }
        }
    }
    // Whoever is still waiting gets no address: ContainerCreating.
    pod_ips.extend(waiting.map(|_| None));

    let mut branches = Vec::new();
    if let Some(capacity) = input.trunk_branches {
        let subnet = input.pod_subnet.unwrap_or(input.node_subnet);
        let device = enis.len() as u32;
        if let Some(ip) = pools[subnet].take() {
            enis.push(Eni {
                id: eni_id(device),
                device_index: device,
                role: EniRole::Trunk,
                subnet,
                primary_ip: ip,
                slots: Vec::new(),
                prefixes: Vec::new(),
                capacity: 0,
            });
            for (pod, groups) in input.branch_pods.iter().take(capacity as usize) {
                let Some(ip) = pools[subnet].take() else {
                    break;
                };
                branches.push(BranchEni {
                    id: Id::Branch(pod.to_string()),
                    subnet,
                    ip,
                    pod: pod.clone(),
                    security_groups: groups.clone(),
                });
            }
        }
    }
    NodeNetwork {
        enis,
        branches,
        pod_ips,
        pod_enis,
    }
}

/// ipamd's EC2 calls against the node's subnets: the ENIs and the addresses or /28 prefixes
/// they take, as ipamd asks for them ([`grow_pool`]).
struct SubnetEc2<'a> {
    node: SharedStr,
    prefix: bool,
    /// Device of pod ENI 0 (1 under custom networking).
    first_device: u32,
    pod_subnet: usize,
    slots_per_eni: u32,
    /// eth0 first, then the ENIs created, in device order.
    enis: Vec<Eni>,
    pools: &'a mut [AddressPool],
}

impl SubnetEc2<'_> {
    /// Up to `n` slots on `eni` from its subnet, all or none.
    fn take(&mut self, device: usize, n: u32) -> bool {
        let eni = &mut self.enis[device];
        let pool = &mut self.pools[eni.subnet];
        let node = &self.node;
        let id = |slot: u32| (node.clone(), device as u32, slot);
        if self.prefix {
            let Some(blocks) = pool.take_blocks(28, n) else {
                return false;
            };
            for cidr in blocks {
                let (node, device, slot) = id(eni.prefixes.len() as u32);
                eni.prefixes.push(Prefix {
                    id: Id::Prefix { node, device, slot },
                    cidr,
                    pods: Vec::new(),
                });
            }
        } else {
            if pool.remaining() < n {
                return false;
            }
            for _ in 0..n {
                let ip = pool.take().expect("counted free");
                let (node, device, slot) = id(eni.slots.len() as u32);
                eni.slots.push(IpSlot {
                    id: Id::Ip { node, device, slot },
                    ip,
                    pod: None,
                });
            }
        }
        true
    }
}

impl Ec2 for SubnetEc2<'_> {
    fn assign(&mut self, k: usize, n: u32) -> u32 {
        let device = self.first_device as usize + k;
        if self.take(device, n) {
            n
        } else if n > 1 && self.take(device, 1) {
            1
        } else {
            0
        }
    }

    fn create_eni(&mut self, n: u32) -> bool {
        let device = self.enis.len();
        let Some(ip) = self.pools[self.pod_subnet].take() else {
            return false;
        };
        self.enis.push(Eni {
            id: Id::Eni {
                node: self.node.clone(),
                device: device as u32,
            },
            device_index: device as u32,
            role: EniRole::Secondary,
            subnet: self.pod_subnet,
            primary_ip: ip,
            slots: Vec::new(),
            prefixes: Vec::new(),
            capacity: self.slots_per_eni,
        });
        if self.take(device, n) {
            true
        } else {
            self.enis.pop();
            self.pools[self.pod_subnet].release(ip);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::aws::instance_types::InstanceTypes;
    use crate::model::aws::max_pods::CniVersion;
    use crate::scenario::VpcCni;

    fn input<'a>(t: &'a str, mode: IpamMode, pods: &'a [SharedStr]) -> NodeNetworkInput<'a> {
        NodeNetworkInput {
            node: SharedStr::from("n"),
            instance_type: InstanceTypes::get().lookup(t).unwrap(),
            mode,
            warm: WarmPool::from_settings(&VpcCni::default(), &CniVersion::new(1, 18)),
            max_pods: 110,
            node_subnet: 0,
            pod_subnet: Some(0),
            custom_networking: false,
            trunk_branches: None,
            ipv6_prefix: None,
            ip_pods: pods,
            branch_pods: &[],
        }
    }

    fn pools(cidrs: &[&str]) -> Vec<AddressPool> {
        cidrs
            .iter()
            .map(|c| AddressPool::new(c.parse().unwrap()))
            .collect()
    }

    fn pods(n: usize) -> Vec<SharedStr> {
        (0..n).map(|i| SharedStr::from(format!("p{i}"))).collect()
    }

    #[test]
    fn secondary_ip_mode_gives_each_pod_a_secondary_address() {
        let mut pools = pools(&["10.0.0.0/24"]);
        let primary = pools[0].take().unwrap();
        let p = pods(3);
        let net = build_node_network(
            &input("m5.large", IpamMode::SecondaryIp, &p),
            primary,
            &mut pools,
        );
        assert_eq!(net.enis.len(), 2);
        assert_eq!(net.enis[0].slots.len(), 9);
        assert_eq!(net.enis[1].primary_ip, Ipv4Addr::new(10, 0, 0, 14));
        assert_eq!(net.pod_ips[0], Some("10.0.0.5".parse().unwrap()));
        assert_eq!(net.enis[0].slots[0].pod.as_deref(), Some("p0"));
        assert_eq!(net.enis[0].used(), 3);
        assert_eq!(net.enis[0].warm() + net.enis[1].warm(), 15);
    }

    #[test]
    fn prefix_mode_puts_pods_in_aligned_prefixes() {
        let mut pools = pools(&["10.0.0.0/24"]);
        let primary = pools[0].take().unwrap();
        let p = pods(20);
        let net = build_node_network(
            &input("m5.large", IpamMode::Prefix, &p),
            primary,
            &mut pools,
        );
        let prefixes: Vec<String> = net.enis[0]
            .prefixes
            .iter()
            .map(|p| p.cidr.to_string())
            .collect();
        // ⌈20 / 16⌉ + 1 warm prefix = 3 prefixes on eth0.
        assert_eq!(
            prefixes,
            vec!["10.0.0.16/28", "10.0.0.32/28", "10.0.0.48/28"]
        );
        assert_eq!(net.pod_ips[16], Some("10.0.0.32".parse().unwrap()));
        assert_eq!(net.enis[0].used(), 20);
        assert_eq!(net.enis[0].warm(), 28);
    }

    #[test]
    fn custom_networking_keeps_pods_off_the_primary_eni() {
        let mut pools = pools(&["10.0.0.0/24", "100.64.0.0/24"]);
        let primary = pools[0].take().unwrap();
        let p = pods(2);
        let mut i = input("m5.large", IpamMode::SecondaryIp, &p);
        i.custom_networking = true;
        i.pod_subnet = Some(1);
        let net = build_node_network(&i, primary, &mut pools);
        assert_eq!(net.pod_enis, 2);
        assert_eq!(net.enis[0].capacity, 0);
        assert!(net.enis[0].slots.is_empty());
        assert_eq!(net.enis[1].subnet, 1);
        assert_eq!(net.pod_ips[0], Some("100.64.0.5".parse().unwrap()));
        i.pod_subnet = None;
        let net = build_node_network(&i, primary, &mut pools);
        assert!(net.pod_ips.iter().all(|ip| ip.is_none()));
    }

    #[test]
    fn trunk_eni_takes_a_slot_and_branches_get_their_own_address() {
        let mut pools = pools(&["10.0.0.0/24"]);
        let primary = pools[0].take().unwrap();
        let p = pods(1);
        let sg = vec![(SharedStr::from("db-1"), vec!["sg-db".to_string()])];
        let mut i = input("m5.large", IpamMode::SecondaryIp, &p);
        i.trunk_branches = Some(9);
        i.branch_pods = &sg;
        let net = build_node_network(&i, primary, &mut pools);
        assert_eq!(net.pod_enis, 2);
        let trunk = net.enis.iter().find(|e| e.role == EniRole::Trunk).unwrap();
        assert_eq!(trunk.device_index, 2);
        assert_eq!(net.branches.len(), 1);
        assert_eq!(net.branches[0].pod, "db-1");
    }

    #[test]
    fn ipv6_pods_take_addresses_of_the_node_prefix() {
        let mut pools = pools(&["10.0.0.0/24"]);
        let primary = pools[0].take().unwrap();
        let p = pods(2);
        let mut i = input("m5.large", IpamMode::Ipv6, &p);
        i.ipv6_prefix = Some("2001:db8:0:1:1::/80".parse().unwrap());
        let net = build_node_network(&i, primary, &mut pools);
        assert_eq!(net.enis.len(), 1);
        assert_eq!(net.pod_ips[1], Some("2001:db8:0:1:1::2".parse().unwrap()));
        assert_eq!(pools[0].remaining(), 250);
    }

    /// EC2's CreateNetworkInterface takes the ENI's secondary addresses in the same call
    /// (aws/amazon-vpc-cni-k8s `pkg/awsutils/awsutils.go` `createENI`,
    /// SecondaryPrivateIpAddressCount): with too few free addresses no ENI is made at all.
    #[test]
    fn an_eni_is_not_created_without_room_for_its_addresses() {
        let mut pools = pools(&["10.0.0.0/27"]);
        let primary = pools[0].take().unwrap();
        let p = pods(12);
        let net = build_node_network(
            &input("m5.large", IpamMode::SecondaryIp, &p),
            primary,
            &mut pools,
        );
        // eth0's 9 and eth1 (1 + 9) fit in the 26 left; eth2 would need 10 of the 7 left.
        assert_eq!(net.enis.len(), 2);
        assert_eq!(pools[0].remaining(), 7);
        assert!(net.pod_ips.iter().all(|ip| ip.is_some()));
    }

    #[test]
    fn a_full_node_leaves_pods_without_an_address() {
        let mut pools = pools(&["10.0.0.0/24"]);
        let primary = pools[0].take().unwrap();
        let p = pods(30);
        let net = build_node_network(
            &input("m5.large", IpamMode::SecondaryIp, &p),
            primary,
            &mut pools,
        );
        assert_eq!(net.pod_ips.iter().filter(|ip| ip.is_none()).count(), 3);
    }
}
