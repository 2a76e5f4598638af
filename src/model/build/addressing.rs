//! Stage 6, CNI addressing: on every node the VPC CNI's ENIs, secondary addresses or /28
//! prefixes, trunk and branch ENIs, and each pod's address; then the pod records, in pod
//! order, with the pods the CNI could not address left ContainerCreating.

use crate::model::Id;
use std::net::IpAddr;
use std::rc::Rc;

use super::findings::Findings;
use super::nodes::{branch_ipv6_address, NodeDraft};
use super::scheduling::Scheduled;
use super::State;
use crate::model::aws::ipam::{build_node_network, NodeNetwork, NodeNetworkInput};
use crate::model::aws::vpc_cni::IpamMode;
use crate::model::fast_hash::FastMap;
use crate::model::finding::Finding;
use crate::model::k8s::pods::PodSet;
use crate::model::k8s::scheduler::{Placement, Schedule};
use crate::model::node::Node;
use crate::model::pod::{Pod, PodStatus, CNI_NO_ADDRESS};
use crate::model::shared_str::SharedStr;
use crate::scenario::NodeState;

impl State<'_> {
    /// Every node's network and every pod's record; returns each pod's template and the number
    /// of templates (what the EndpointSlice controller's index needs).
    pub(super) fn cni_addressing(
        &mut self,
        drafts: Vec<NodeDraft>,
        scheduled: Scheduled,
    ) -> (Vec<usize>, usize) {
        let Scheduled {
            mut pod_set,
            schedule,
            joined,
            bound_at,
            bound_pods,
        } = scheduled;
        let bound = |n: usize| &bound_pods[bound_at[n]..bound_at[n + 1]];
        let pod_ip = self.node_networks(drafts, &pod_set, bound);
        let template_of = self.pod_records(&mut pod_set, pod_ip, &schedule, &joined);
        pod_findings(&self.pods, &self.nodes, &mut self.findings);
        (template_of, pod_set.templates.len())
    }

    /// On every node, the CNI gives its pods addresses: makes the nodes, and returns each pod's
    /// address. Answers go to a compact per-pod list (the nodes' pods are scattered over the pod
    /// order); the pod records are made after, in order. `bound(n)` are the pods bound to
    /// draft `n`, in binding order.
    fn node_networks<'p>(
        &mut self,
        drafts: Vec<NodeDraft>,
        pod_set: &PodSet,
        bound: impl Fn(usize) -> &'p [usize],
    ) -> Vec<Option<IpAddr>> {
        let (templates, set_pods) = (&pod_set.templates, &pod_set.pods);
        let (warm, custom_networking, ipv6) = (self.warm, self.custom_networking, self.ipv6);
        let (subnets, pools, findings) = (&self.subnets, &mut self.pools, &mut self.findings);
        let mut pod_ip: Vec<Option<IpAddr>> = vec![None; set_pods.len()];
        let mut nodes = Vec::with_capacity(drafts.len());
        // Per-node lists, reused from node to node.
        let (mut ip_pod_index, mut ip_pod_names) = (Vec::new(), Vec::new());
        let (mut branch_pods, mut branch_pod_index) = (Vec::new(), Vec::new());
        // Every node's name in one text: the names the ids of the ENIs, addresses and
        // prefixes share cost one allocation, not one per node.
        let mut names = String::with_capacity(drafts.iter().map(|d| d.placement.name.len()).sum());
        for draft in &drafts {
            names.push_str(&draft.placement.name);
        }
        let names = SharedStr::from(names);
        let mut name_at = 0;
        for (n, draft) in drafts.into_iter().enumerate() {
            let name_end = name_at + draft.placement.name.len();
            let node_name = names.part(name_at, name_end);
            name_at = name_end;
            ip_pod_index.clear();
            ip_pod_names.clear();
            branch_pods.clear();
            branch_pod_index.clear();
            let mut host_network_pods = 0;
            for &p in bound(n) {
                let t = &templates[set_pods[p].template];
                if t.host_network {
                    pod_ip[p] = Some(IpAddr::V4(draft.primary_ip));
                    host_network_pods += 1;
                } else if t.needs_branch_eni() {
                    branch_pods.push((pod_set.shared_name(p), t.security_groups.clone()));
                    branch_pod_index.push(p);
                } else {
                    ip_pod_index.push(p);
                }
            }
            ip_pod_names.extend(ip_pod_index.iter().map(|&p| pod_set.shared_name(p)));
            let input = NodeNetworkInput {
                node: node_name,
                instance_type: &draft.placement.instance_type,
                mode: draft.mode,
                warm,
                max_pods: draft.max_pods.value,
                node_subnet: draft.placement.subnet,
                pod_subnet: draft.pod_subnet,
                custom_networking,
                trunk_branches: draft.trunk_branches,
                ipv6_prefix: draft.ipv6_prefix,
                ip_pods: &ip_pod_names,
                branch_pods: &branch_pods,
            };
            let net = if draft.state == Some(NodeState::Failed) {
                NodeNetwork {
                    enis: Vec::new(),
                    branches: Vec::new(),
                    pod_ips: Vec::new(),
                    pod_enis: 0,
                }
            } else {
                build_node_network(&input, draft.primary_ip, pools)
            };
            let unaddressed = net.pod_ips.iter().filter(|ip| ip.is_none()).count();
            if unaddressed > 0 && warm.minimum_without_warm_ip() && draft.mode != IpamMode::Ipv6 {
                findings.once(
                    "minimum-ip-target",
                    Finding::warning(
                        &draft.node_id,
                        format!(
                            "MINIMUM_IP_TARGET={} is set without WARM_IP_TARGET: ipamd takes WARM_IP_TARGET as 0, keeps {} addresses per node{} and asks for no more, so {unaddressed} pod{} on {} get no address (VPC CNI README, MINIMUM_IP_TARGET). Set WARM_IP_TARGET as well",
                            warm.minimum_ip_target.unwrap_or(0),
                            warm.minimum_ip_target.unwrap_or(0),
                            if draft.mode == IpamMode::Prefix { " (in whole /28 prefixes)" } else { "" },
                            if unaddressed == 1 { "" } else { "s" },
                            draft.placement.name
                        ),
                    ),
                );
            }
            // The CNI answers in the order it was asked: pod_ips follows ip_pods, and branch ENIs
            // go to the first branch pods until none is left. A branch pod takes its branch
            // ENI's IPv6 address in an IPv6 cluster, its IPv4 address otherwise (the CNI's
            // `pkg/ipamd/rpc_handler.go`: `ipv6Addr = firstENI.IPV6Addr` when IPv6 is on).
            let answers = ip_pod_index.iter().zip(net.pod_ips.iter().copied());
            let branches = branch_pod_index.iter().enumerate().map(|(k, p)| {
                let ip = net.branches.get(k).map(|b| {
                    if ipv6 {
                        IpAddr::V6(branch_ipv6_address(b.subnet, b.ip))
                    } else {
                        IpAddr::V4(b.ip)
                    }
                });
                (p, ip)
            });
            for (&p, ip) in answers.chain(branches) {
                pod_ip[p] = ip;
            }
            let placement = draft.placement;
            nodes.push(Node {
                id: draft.node_id,
                name: placement.name,
                group: placement.group,
                az: subnets[placement.subnet].az.clone(),
                subnet: placement.subnet,
                instance_type: placement.instance_type,
                primary_ip: draft.primary_ip,
                public_ip: draft.public_ip,
                ipam_mode: draft.mode,
                enis: net.enis,
                branches: net.branches,
                pod_enis: net.pod_enis,
                pod_subnet: draft.pod_subnet,
                host_network_pods,
                ipv6_prefix: draft.ipv6_prefix,
                max_pods: draft.max_pods,
                api_path: draft.api_path,
                state: draft.state,
            });
        }
        self.nodes = nodes;
        pod_ip
    }

    /// The pod records, in pod order. A bound pod runs once it has an address (hostNetwork
    /// pods have the node's); without one it stays ContainerCreating. Returns each pod's
    /// template.
    fn pod_records(
        &mut self,
        pod_set: &mut PodSet,
        pod_ip: Vec<Option<IpAddr>>,
        schedule: &Schedule,
        joined: &[usize],
    ) -> Vec<usize> {
        // What the pods of one template share is made once: namespace (one text for
        // neighbouring templates of one namespace), workload name, and the labels, moved out
        // of the templates (the pod records are their last use).
        let mut shared: Vec<(SharedStr, SharedStr, Rc<_>)> =
            Vec::with_capacity(pod_set.templates.len());
        for t in &mut pod_set.templates {
            let namespace = match shared.last() {
                Some((last, _, _)) if *last == t.namespace => last.clone(),
                _ => SharedStr::from(&t.namespace),
            };
            let labels = Rc::new(std::mem::take(&mut t.labels));
            shared.push((namespace, SharedStr::from(&t.name), labels));
        }
        let (templates, set_pods) = (&pod_set.templates, &pod_set.pods);
        let cni_no_address = SharedStr::from(CNI_NO_ADDRESS);
        let mut template_of: Vec<usize> = Vec::with_capacity(set_pods.len());
        let mut pods: Vec<Pod> = Vec::with_capacity(set_pods.len());
        // The pods of one failed run share one message: it is made a `SharedStr` once.
        let mut pending: Option<(&Rc<str>, SharedStr)> = None;
        let records = set_pods.iter().zip(pod_ip).zip(&schedule.placements);
        for (i, ((draft, ip), placement)) in records.enumerate() {
            let t = &templates[draft.template];
            let (namespace, workload, labels) = &shared[draft.template];
            let (status, reason) = match placement {
                Placement::Pending(why) => {
                    let reason = match &pending {
                        Some((last, text)) if Rc::ptr_eq(last, why) => text.clone(),
                        _ => {
                            let text = SharedStr::from(why.clone());
                            pending = Some((why, text.clone()));
                            text
                        }
                    };
                    (PodStatus::Pending, Some(reason))
                }
                Placement::Node(_) if ip.is_some() => (PodStatus::Running, None),
                Placement::Node(_) => (PodStatus::ContainerCreating, Some(cni_no_address.clone())),
            };
            template_of.push(draft.template);
            pods.push(Pod {
                id: pod_set.shared_id(i),
                name: pod_set.shared_name(i),
                namespace: namespace.clone(),
                workload: workload.clone(),
                node: placement.node().map(|k| joined[k]),
                ip,
                host_network: t.host_network,
                // Most pods have none: an empty list is made without a clone's call.
                security_groups: if t.security_groups.is_empty() {
                    Vec::new()
                } else {
                    t.security_groups.clone()
                },
                labels: labels.clone(),
                container_port: t.container_port,
                status,
                reason,
            });
        }
        self.pods = pods;
        template_of
    }
}

/// Pending and ContainerCreating pods, summarised once per workload.
fn pod_findings(pods: &[Pod], nodes: &[Node], findings: &mut Findings) {
    // In order of first appearance; found by key, not by a scan: a cluster can have
    // thousands of workloads with pods waiting.
    let mut counts: Vec<(&str, &str, PodStatus, &str, u32)> = Vec::new();
    let mut at: FastMap<(&str, &str, PodStatus, &str), usize> = FastMap::default();
    for pod in pods.iter().filter(|p| p.status != PodStatus::Running) {
        let reason = pod.reason.as_deref().unwrap_or("");
        let key = (
            pod.workload.as_str(),
            pod.namespace.as_str(),
            pod.status,
            reason,
        );
        match at.get(&key) {
            Some(&i) => counts[i].4 += 1,
            None => {
                at.insert(key, counts.len());
                counts.push((key.0, key.1, key.2, key.3, 1));
            }
        }
    }
    for (workload, namespace, status, reason, n) in counts {
        let subject = Id::Workload {
            namespace: namespace.to_string(),
            name: workload.to_string(),
        };
        let message = match status {
            PodStatus::Pending => format!(
                "{n} {workload} pod{} Pending: {reason}",
                if n == 1 { " is" } else { "s are" }
            ),
            _ => {
                let pd = nodes.iter().any(|n| n.ipam_mode == IpamMode::SecondaryIp);
                format!(
                    "{n} {workload} pod{} stuck in ContainerCreating: the scheduler placed {} but the VPC CNI has no address to give ({reason}). The scheduler does not count addresses: free up the subnet or the node's ENIs{}",
                    if n == 1 { " is" } else { "s are" },
                    if n == 1 { "it" } else { "them" },
                    if pd { ", turn on prefix delegation, or use a larger subnet" } else { ", or use a larger subnet" }
                )
            }
        };
        findings.push(Finding::error(subject, message));
    }
}
