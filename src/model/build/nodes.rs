//! Stage 4, nodes before pods: what each node is before any pod is known — its IP mode, max
//! pods, pod subnet, trunk ENI, IPv6 prefix, public address and path to the API server.

use crate::model::Id;
use std::net::Ipv4Addr;

use ipnet::Ipv6Net;

use super::findings::Findings;
use super::{Launched, State};
use crate::model::aws::api_access::{node_api_path, ApiPath};
use crate::model::aws::instance_types::Hypervisor;
use crate::model::aws::instance_types::InstanceType;
use crate::model::aws::max_pods::{max_pods, CniVersion, MaxPodsError, MaxPodsInput};
use crate::model::aws::node_group::Placement as NodePlacement;
use crate::model::aws::pod_eni::branch_capacity;
use crate::model::aws::public_ip::node_public_ip;
use crate::model::aws::subnet::Subnet;
use crate::model::aws::vpc_cni::{
    ipam_mode, ipamd_supports_prefixes, ipv6_refusal, prefix_delegation_refusal, IpamMode,
};
use crate::model::fast_hash::FastMap;
use crate::model::finding::Finding;
use crate::model::node::MaxPodsValue;
use crate::scenario::{NodeState, VpcCni};

/// A node between launch and network: what is decided before its pods are known.
pub(super) struct NodeDraft {
    pub(super) placement: NodePlacement,
    pub(super) primary_ip: Ipv4Addr,
    pub(super) node_id: Id,
    pub(super) mode: IpamMode,
    /// ipamd started: false when it refuses the node's configuration (IPv6 on a type without
    /// prefix delegation), so the node stays NotReady and nothing is scheduled on it.
    pub(super) cni_ready: bool,
    pub(super) max_pods: MaxPodsValue,
    pub(super) pod_subnet: Option<usize>,
    pub(super) trunk_branches: Option<u32>,
    pub(super) ipv6_prefix: Option<Ipv6Net>,
    pub(super) public_ip: Option<Ipv4Addr>,
    pub(super) api_path: ApiPath,
    pub(super) state: Option<NodeState>,
}

impl State<'_> {
    /// Each launched node's draft, in launch order. A failed node's instance is terminated:
    /// its address goes back to the subnet, and it runs nothing.
    pub(super) fn nodes_before_pods(&mut self, launched: Launched) -> Vec<NodeDraft> {
        let scenario = self.scenario;
        let cni = &scenario.cluster.vpc_cni;
        let (ipv6, custom_networking) = (self.ipv6, self.custom_networking);
        let (subnets, findings) = (&self.subnets, &mut self.findings);
        let cni_version = &self.cni_version;
        let (endpoint, nat_gateways, eks_enis) =
            (&self.endpoint, &self.nat_gateways, &self.eks_enis);
        // What each node is, before any pod: its IP mode, max pods, path to the API server.
        let mut drafts = Vec::with_capacity(launched.len());
        let mut per_subnet_nodes = vec![0u32; subnets.len()];
        let mut public_nodes = 0;
        let mut max_pods_by_group: FastMap<String, MaxPodsValue> = FastMap::default();
        let subnet_index: FastMap<&str, usize> = subnets
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        for (placement, primary_ip) in launched {
            let t = &placement.instance_type;
            let subnet = &subnets[placement.subnet];
            let node_id = Id::Node(placement.name.clone());
            let mode = node_ipam_mode(cni, ipv6, &placement, cni_version, &node_id, findings);
            let cni_ready = !ipv6 || ipv6_refusal(t).is_none();
            // The same for every node of a group (its type and maxPodsPerNode): computed once.
            let max_pods = match max_pods_by_group.get(placement.group.as_str()) {
                Some(value) => MaxPodsValue::clone(value),
                None => {
                    let value = kubelet_max_pods(t, &placement, cni, cni_version, findings);
                    max_pods_by_group.insert(placement.group.clone(), value.clone());
                    value
                }
            };
            let pod_subnet = if custom_networking {
                custom_pod_subnet(cni, subnet, &subnet_index, &node_id, findings)
            } else {
                Some(placement.subnet)
            };
            let trunk_branches = cni
                .pod_eni
                .then(|| trunk_branches(&placement, &node_id, findings))
                .flatten();
            per_subnet_nodes[placement.subnet] += 1;
            let ipv6_prefix = (ipv6 && cni_ready)
                .then(|| node_ipv6_prefix(placement.subnet, per_subnet_nodes[placement.subnet]));
            let public_ip = subnet.public.then(|| {
                public_nodes += 1;
                node_public_ip(public_nodes - 1)
            });
            let api_path = node_api_path(endpoint, subnet, public_ip, nat_gateways, eks_enis);
            if let ApiPath::Blocked(why) = &api_path {
                findings.once(
                    &format!("api:{}", subnet.name),
                    Finding::error(&node_id, format!("nodes in {} cannot reach the API server and will not join the cluster: {why}", subnet.name)),
                );
            }
            let state = scenario.node_states.get(&placement.name).copied();
            drafts.push(NodeDraft {
                placement,
                primary_ip,
                node_id,
                mode,
                cni_ready,
                max_pods,
                pod_subnet,
                trunk_branches,
                ipv6_prefix,
                public_ip,
                api_path,
                state,
            });
        }

        // A failed node's instance is terminated: its address goes back to the subnet, and it
        // runs nothing.
        for d in drafts.iter().filter(|d| d.state == Some(NodeState::Failed)) {
            self.pools[d.placement.subnet].release(d.primary_ip);
            self.findings.push(Finding::warning(
                &d.node_id,
                format!(
                    "{} failed: NotReady, then its pods were evicted and the ReplicaSet controller recreated them on other nodes; the instance was terminated and its addresses returned to {}",
                    d.placement.name, self.subnets[d.placement.subnet].name
                ),
            ));
        }
        drafts
    }
}

/// The node's IP mode; a warning, once per node group, when prefix delegation is asked for
/// but the type or CNI version cannot have it; an error when ipamd refuses an IPv6 node.
fn node_ipam_mode(
    cni: &VpcCni,
    ipv6: bool,
    placement: &NodePlacement,
    cni_version: &CniVersion,
    node_id: &Id,
    findings: &mut Findings,
) -> IpamMode {
    let t = &placement.instance_type;
    let mode = ipam_mode(cni, ipv6, t, cni_version.supports_prefix_delegation());
    if let Some(why) = ipv6.then(|| ipv6_refusal(t)).flatten() {
        findings.once(
            &format!("ipv6:{}", placement.group),
            Finding::error(
                node_id,
                format!(
                    "node group {}: {why}; its pods are scheduled elsewhere or stay Pending. Use a Nitro-based type for IPv6",
                    placement.group
                ),
            ),
        );
    }
    let bare_metal_prefixes = matches!(mode, IpamMode::Prefix | IpamMode::Ipv6)
        && t.hypervisor != Hypervisor::Nitro
        && ipamd_supports_prefixes(t);
    if bare_metal_prefixes {
        findings.once(
            &format!("metal:{}", placement.group),
            Finding::info(
                node_id,
                format!(
                    "node group {}: {} is bare metal: ipamd gives it prefixes (it accepts Nitro or bare metal), but the EKS AMI's max-pods calculator asks for a Nitro hypervisor, so max pods is the secondary-IP figure",
                    placement.group, t.name
                ),
            ),
        );
    }
    if cni.prefix_delegation && !ipv6 {
        if let Some(why) = prefix_delegation_refusal(t, cni_version.supports_prefix_delegation()) {
            findings.once(
                &placement.group,
                Finding::warning(
                    node_id,
                    format!(
                        "node group {}: {why}; its nodes use secondary IPs",
                        placement.group
                    ),
                ),
            );
        }
    }
    mode
}

/// With custom networking, the subnet the AZ's ENIConfig names for pods; an error, once per
/// AZ, when none does.
fn custom_pod_subnet(
    cni: &VpcCni,
    subnet: &Subnet,
    subnet_index: &FastMap<&str, usize>,
    node_id: &Id,
    findings: &mut Findings,
) -> Option<usize> {
    let s = cni
        .custom_networking
        .get(&subnet.az)
        .and_then(|name| subnet_index.get(name.as_str()).copied());
    if s.is_none() {
        findings.once(
            &format!("eniconfig:{}", subnet.az),
            Finding::error(node_id, format!("custom networking is on but no ENIConfig names a subnet for {}: pods on nodes there get no address", subnet.az)),
        );
    }
    s
}

/// With security groups for pods, the branch ENIs the node's trunk ENI can hold; a warning,
/// once per node group, when its type has no trunk ENI.
fn trunk_branches(placement: &NodePlacement, node_id: &Id, findings: &mut Findings) -> Option<u32> {
    match branch_capacity(&placement.instance_type) {
        Ok(n) => Some(n),
        Err(why) => {
            findings.once(
                &format!("podeni:{}", placement.group),
                Finding::warning(
                    node_id,
                    format!(
                        "node group {}: no security groups for pods: {why}",
                        placement.group
                    ),
                ),
            );
            None
        }
    }
}

/// The VPC's Amazon-provided IPv6 block is modelled as 2001:db8::/56 (the documentation
/// range): subnet `i` gets 2001:db8:0:i::/64 and its `n`-th node the /80 2001:db8:0:i:n::/80.
fn node_ipv6_prefix(subnet: usize, n: u32) -> Ipv6Net {
    let base: u128 = 0x2001_0db8_0000_0000u128 << 64;
    let addr = base | ((subnet as u128 & 0xff) << 64) | ((u128::from(n) & 0xffff) << 48);
    Ipv6Net::new(std::net::Ipv6Addr::from(addr), 80).expect("80 is a valid prefix length")
}

/// A branch ENI's IPv6 address in an IPv6 cluster, from its subnet's /64 (every ENI in a
/// dual-stack subnet also keeps its primary IPv4 address, which the model's `BranchEni::ip`
/// holds). The model sets the /80 slot `ffff` of 2001:db8:0:i::/64 aside for ENI addresses
/// (node /80s use slots 0 up; a subnet never holds 65,535 nodes: `scenario::limits`) and
/// writes the branch's IPv4 address into the low 32 bits, so each branch ENI has its own.
pub(super) fn branch_ipv6_address(subnet: usize, ipv4: std::net::Ipv4Addr) -> std::net::Ipv6Addr {
    let base: u128 = 0x2001_0db8_0000_0000u128 << 64;
    let addr =
        base | ((subnet as u128 & 0xff) << 64) | (0xffffu128 << 48) | u128::from(u32::from(ipv4));
    std::net::Ipv6Addr::from(addr)
}

/// The kubelet's max pods: the node group's `maxPodsPerNode`, else the EKS calculator's answer
/// for the CNI settings (uncapped, with a finding, when the type's vCPUs are unknown).
fn kubelet_max_pods(
    t: &InstanceType,
    placement: &NodePlacement,
    cni: &VpcCni,
    version: &CniVersion,
    findings: &mut Findings,
) -> MaxPodsValue {
    let mut input = MaxPodsInput::new(version.clone());
    input.custom_networking = !cni.custom_networking.is_empty();
    input.prefix_delegation = cni.prefix_delegation;
    let computed = match max_pods(t, &input) {
        Ok(m) => m,
        Err(MaxPodsError::UnknownVcpus { .. }) => {
            input.show_max_allowed = true;
            let m = max_pods(t, &input).expect("the uncapped value needs no vCPU count");
            findings.once(
                &format!("vcpus:{}", placement.group),
                Finding::warning(
                    Id::Node(placement.name.clone()),
                    format!(
                        "{}'s vCPU count is unknown, so max pods is the uncapped {} rather than 110 or 250",
                        t.name, m.value
                    ),
                ),
            );
            m
        }
        // Custom networking on a one-ENI type: no ENI for pods.
        Err(_) => {
            return MaxPodsValue {
                value: 0,
                formula: format!("{}: custom networking leaves no ENI for pods", t.name),
            }
        }
    };
    match placement.max_pods_override {
        Some(v) => MaxPodsValue {
            value: v,
            formula: format!(
                "maxPodsPerNode = {v} (the calculator would give {})",
                computed.value
            ),
        },
        None => MaxPodsValue {
            value: computed.value,
            formula: computed.formula,
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::model::build;
    use crate::scenario::default_scenario;

    /// eksctl's `maxPodsPerNode` (eksctl.io "Managed nodegroups", passed to the kubelet as
    /// `--max-pods`) replaces the calculator's value; without it every node gets the EKS AMI's
    /// `max-pods-calculator.sh` answer (awslabs/amazon-eks-ami).
    #[test]
    fn max_pods_per_node_overrides_the_calculator() {
        let mut s = default_scenario();
        let calculated = build(&s).unwrap().nodes[0].max_pods.value;
        assert_eq!(calculated, 29, "m5.large");
        s.managed_node_groups[0].max_pods_per_node = Some(20);
        let cluster = build(&s).unwrap();
        assert!(cluster.nodes.iter().all(|n| n.max_pods.value == 20));
    }
}
