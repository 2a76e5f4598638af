//! What the zoomed-out view of a large cluster counts: for every subnet, the nodes of each
//! node group in it, with their states, pods, ENIs and addresses, and the findings about them.
//!
//! One pass over nodes (with their ENIs) and one over pods, so it is linear in the cluster.
//! The same numbers feed the summary shapes ([`super::summary_layout`]) and the inspector.

use std::collections::HashMap;

use crate::model::aws::eni::PREFIX_SIZE;
use crate::model::{Cluster, Id, Node, PodStatus, Severity};
use crate::scenario::NodeState;

/// Addresses a node group holds in one subnet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AddressUse {
    /// Index into `Cluster::subnets`.
    pub subnet: usize,
    /// ENIs' own addresses (each node's primary address among them).
    pub primaries: u32,
    /// Addresses given to pods (secondary IPs and addresses of /28 prefixes).
    pub pods: u32,
    /// Addresses held for pods to come.
    pub warm: u32,
    /// Branch ENIs (security groups for pods).
    pub branches: u32,
}

impl AddressUse {
    pub fn total(&self) -> u32 {
        self.primaries + self.pods + self.warm + self.branches
    }
}

/// One node group's nodes in one subnet, counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupCounts {
    /// `summary:<subnet>/<group>`, stable while the subnet and the group keep their names.
    pub id: Id,
    /// Index into `Cluster::subnets`: where the nodes are.
    pub subnet: usize,
    pub group: String,
    /// Instance types in order of first appearance (one for a managed node group).
    pub instance_types: Vec<String>,
    pub nodes: u32,
    /// Joined the cluster and schedulable.
    pub ready: u32,
    /// Failed, or never joined (no path to the API server).
    pub not_ready: u32,
    /// Cordoned or drained (SchedulingDisabled), but Ready.
    pub cordoned: u32,
    /// Pods bound to these nodes, by status (hostNetwork pods included in `running`).
    pub running: u32,
    pub creating: u32,
    /// Of `running`, the pods on the nodes' own address.
    pub host_network: u32,
    /// Sum of the kubelets' `--max-pods`.
    pub max_pods: u32,
    pub enis: u32,
    /// Secondary addresses held (secondary-IP mode), used or warm.
    pub secondary_ips: u32,
    /// /28 prefixes held (prefix delegation).
    pub prefixes: u32,
    pub branch_enis: u32,
    /// Addresses held, per subnet, in order of first appearance.
    pub addresses: Vec<AddressUse>,
    /// Findings about these nodes, their ENIs and their pods.
    pub findings: u32,
    pub worst: Option<Severity>,
}

impl GroupCounts {
    fn new(cluster: &Cluster, node: &Node) -> GroupCounts {
        let subnet = cluster
            .subnets
            .get(node.subnet)
            .map_or("?", |s| s.name.as_str());
        GroupCounts {
            id: summary_id(subnet, &node.group),
            subnet: node.subnet,
            group: node.group.clone(),
            instance_types: Vec::new(),
            nodes: 0,
            ready: 0,
            not_ready: 0,
            cordoned: 0,
            running: 0,
            creating: 0,
            host_network: 0,
            max_pods: 0,
            enis: 0,
            secondary_ips: 0,
            prefixes: 0,
            branch_enis: 0,
            addresses: Vec::new(),
            findings: 0,
            worst: None,
        }
    }

    /// Pods bound to these nodes.
    pub fn pods(&self) -> u32 {
        self.running + self.creating
    }

    /// The subnet where the group holds most addresses: where its pods' addresses come from
    /// (the ENIConfig's subnet under custom networking, else the nodes' own).
    pub fn main_addresses(&self) -> Option<&AddressUse> {
        self.addresses
            .iter()
            .fold(None, |best: Option<&AddressUse>, a| match best {
                Some(b) if b.total() >= a.total() => Some(b),
                _ => Some(a),
            })
    }

    fn use_in(&mut self, subnet: usize) -> &mut AddressUse {
        let at = match self.addresses.iter().position(|a| a.subnet == subnet) {
            Some(at) => at,
            None => {
                self.addresses.push(AddressUse {
                    subnet,
                    ..AddressUse::default()
                });
                self.addresses.len() - 1
            }
        };
        &mut self.addresses[at]
    }

    fn note(&mut self, finding: Option<&(Severity, u32)>) {
        if let Some(&(severity, count)) = finding {
            self.findings += count;
            self.worst = self.worst.max(Some(severity));
        }
    }
}

/// `summary:<subnet>/<group>`: the id of a node group's summary in a subnet.
pub fn summary_id(subnet: &str, group: &str) -> Id {
    Id::Summary {
        subnet: subnet.into(),
        group: Some(group.into()),
    }
}

/// `summary:<subnet>`: the id of a subnet's summary.
pub fn subnet_summary_id(subnet: &str) -> Id {
    Id::Summary {
        subnet: subnet.into(),
        group: None,
    }
}

/// Every node group in every subnet, counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aggregates {
    /// Subnet by subnet (in `Cluster::subnets` order), each subnet's groups in the order of
    /// their first node.
    pub groups: Vec<GroupCounts>,
    /// Per subnet: the indices into `groups` of its groups.
    pub by_subnet: Vec<Vec<usize>>,
    /// Pods no node took (they belong to no subnet).
    pub pending: u32,
}

impl Aggregates {
    /// Counts everything in one pass over nodes and one over pods.
    pub fn new(cluster: &Cluster) -> Aggregates {
        let findings = Findings::new(cluster);
        let subnets = cluster.subnets.len();
        let mut groups: Vec<GroupCounts> = Vec::new();
        // (subnet, group) → index into `groups`; node → index into `groups`.
        let mut index: HashMap<(usize, &str), usize> = HashMap::new();
        let mut node_group: Vec<usize> = Vec::with_capacity(cluster.nodes.len());
        for node in &cluster.nodes {
            let g = *index
                .entry((node.subnet, node.group.as_str()))
                .or_insert_with(|| {
                    groups.push(GroupCounts::new(cluster, node));
                    groups.len() - 1
                });
            node_group.push(g);
            count_node(&mut groups[g], node, &findings);
        }
        let mut pending = 0;
        for pod in &cluster.pods {
            let Some(&g) = pod.node.and_then(|n| node_group.get(n)) else {
                pending += u32::from(pod.status == PodStatus::Pending);
                continue;
            };
            let counts = &mut groups[g];
            match pod.status {
                PodStatus::Running => counts.running += 1,
                PodStatus::ContainerCreating => counts.creating += 1,
                // A pod with a node is bound; count it as the model says all the same.
                PodStatus::Pending => pending += 1,
            }
            counts.host_network += u32::from(pod.host_network);
            if findings.any("pod") {
                counts.note(findings.about("pod", &pod.as_id()));
            }
        }
        // Subnet by subnet, groups in order of first node: a bucket per subnet index keeps that
        // order, with no sort (one fewer sort instantiation in the wasm).
        let mut buckets: Vec<Vec<GroupCounts>> = Vec::new();
        for g in groups {
            if buckets.len() <= g.subnet {
                buckets.resize_with(g.subnet + 1, Vec::new);
            }
            buckets[g.subnet].push(g);
        }
        let groups: Vec<GroupCounts> = buckets.into_iter().flatten().collect();
        let mut by_subnet = vec![Vec::new(); subnets];
        for (i, g) in groups.iter().enumerate() {
            if let Some(list) = by_subnet.get_mut(g.subnet) {
                list.push(i);
            }
        }
        Aggregates {
            groups,
            by_subnet,
            pending,
        }
    }

    /// The groups whose nodes are in subnet `subnet`.
    pub fn in_subnet(&self, subnet: usize) -> impl Iterator<Item = &GroupCounts> {
        self.by_subnet
            .get(subnet)
            .into_iter()
            .flatten()
            .filter_map(|&g| self.groups.get(g))
    }

    /// The group with this summary id.
    pub fn find(&self, id: &Id) -> Option<&GroupCounts> {
        self.groups.iter().find(|g| g.id == *id)
    }
}

/// The findings by subject, and which kinds of subject they name: at 150,000 pods, a pod's
/// findings are looked up only when some finding is about a pod.
struct Findings<'a> {
    by_subject: HashMap<&'a Id, (Severity, u32)>,
    /// Id kinds (`pod`) some finding's subject has.
    kinds: Vec<&'static str>,
}

impl<'a> Findings<'a> {
    fn new(cluster: &'a Cluster) -> Findings<'a> {
        let mut by_subject: HashMap<&Id, (Severity, u32)> = HashMap::new();
        let mut kinds: Vec<&'static str> = Vec::new();
        for f in &cluster.findings {
            let entry = by_subject.entry(&f.subject).or_insert((f.severity, 0));
            entry.0 = entry.0.max(f.severity);
            entry.1 += 1;
            let kind = f.subject.prefix();
            if !kinds.contains(&kind) {
                kinds.push(kind);
            }
        }
        Findings { by_subject, kinds }
    }

    /// Some finding is about an id of kind `kind` (`pod`).
    fn any(&self, kind: &str) -> bool {
        self.kinds.contains(&kind)
    }

    /// The worst finding about `id` (of kind `kind`) and how many there are.
    fn about(&self, kind: &str, id: &Id) -> Option<&(Severity, u32)> {
        if self.any(kind) {
            self.by_subject.get(id)
        } else {
            None
        }
    }
}

fn count_node(counts: &mut GroupCounts, node: &Node, findings: &Findings) {
    counts.nodes += 1;
    let name = &node.instance_type.name;
    if !counts.instance_types.contains(name) {
        counts.instance_types.push(name.clone());
    }
    match node.state {
        Some(NodeState::Failed) => counts.not_ready += 1,
        _ if !node.api_path.reaches() => counts.not_ready += 1,
        Some(NodeState::Cordoned | NodeState::Drained) => counts.cordoned += 1,
        None => counts.ready += 1,
    }
    counts.max_pods += node.max_pods.value;
    counts.enis += node.enis.len() as u32;
    counts.branch_enis += node.branches.len() as u32;
    counts.note(findings.about("node", &node.id));
    if findings.any("hostnet") {
        counts.note(findings.about("hostnet", &Id::HostNetwork(node.name.clone())));
    }
    for eni in &node.enis {
        counts.secondary_ips += eni.slots.len() as u32;
        counts.prefixes += eni.prefixes.len() as u32;
        let used = eni.used();
        let held = eni.slots.len() as u32 + eni.prefixes.len() as u32 * PREFIX_SIZE;
        let a = counts.use_in(eni.subnet);
        a.primaries += 1;
        a.pods += used;
        a.warm += held.saturating_sub(used);
        counts.note(findings.about("eni", &eni.id));
    }
    for b in &node.branches {
        counts.use_in(b.subnet).branches += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::tests_support::{cluster_with, deployment};

    #[test]
    fn counts_add_up_to_the_cluster() {
        let cluster = cluster_with(|s| {
            s.managed_node_groups[0].desired_capacity = 7;
            let mut second = s.managed_node_groups[0].clone();
            second.name = "ng-2".into();
            second.instance_type = "c5.large".into();
            second.desired_capacity = 4;
            s.managed_node_groups.push(second);
            s.workloads.push(deployment("web", 80));
            s.node_states
                .insert("ng-1-2".into(), crate::scenario::NodeState::Cordoned);
            s.node_states
                .insert("ng-2-1".into(), crate::scenario::NodeState::Failed);
        });
        let agg = Aggregates::new(&cluster);
        let sum = |f: fn(&GroupCounts) -> u32| agg.groups.iter().map(f).sum::<u32>();
        assert_eq!(sum(|g| g.nodes) as usize, cluster.nodes.len());
        assert_eq!(
            sum(|g| g.ready + g.not_ready + g.cordoned),
            sum(|g| g.nodes)
        );
        assert_eq!((sum(|g| g.not_ready), sum(|g| g.cordoned)), (1, 1));
        let status = |st: PodStatus| cluster.pods.iter().filter(|p| p.status == st).count() as u32;
        assert_eq!(sum(|g| g.running), status(PodStatus::Running));
        assert_eq!(sum(|g| g.creating), status(PodStatus::ContainerCreating));
        assert_eq!(agg.pending, status(PodStatus::Pending));
        assert_eq!(sum(|g| g.enis) as usize, cluster.enis().count());
        let held: u32 = cluster.nodes.iter().map(|n| n.secondary_ips()).sum();
        let pods: u32 = cluster.nodes.iter().map(|n| n.ip_pods()).sum();
        let addresses = |f: fn(&AddressUse) -> u32| {
            agg.groups
                .iter()
                .flat_map(|g| &g.addresses)
                .map(f)
                .sum::<u32>()
        };
        assert_eq!(addresses(|a| a.pods + a.warm), held);
        assert_eq!(addresses(|a| a.pods), pods);
        // What the groups hold in each subnet is what the subnet reports for nodes.
        for (i, subnet) in cluster.subnets.iter().enumerate() {
            let held: u32 = agg
                .groups
                .iter()
                .flat_map(|g| &g.addresses)
                .filter(|a| a.subnet == i)
                .map(AddressUse::total)
                .sum();
            let u = subnet.usage;
            assert_eq!(
                held,
                u.eni_primaries + u.pods + u.warm + u.branch_enis,
                "{}",
                subnet.name
            );
        }
        // Every node is in exactly one group of its own subnet.
        for (i, _) in cluster.subnets.iter().enumerate() {
            let nodes = cluster.nodes.iter().filter(|n| n.subnet == i).count() as u32;
            assert_eq!(agg.in_subnet(i).map(|g| g.nodes).sum::<u32>(), nodes);
        }
        let node = cluster.node_by_name("ng-2-1").unwrap();
        let subnet = &cluster.subnets[node.subnet].name;
        let failed = agg.find(&summary_id(subnet, "ng-2")).unwrap();
        assert_eq!(failed.not_ready, 1);
        assert!(failed.findings >= 1 && failed.worst.is_some());
        assert_eq!(failed.instance_types, ["c5.large"]);
    }

    #[test]
    fn ids_are_stable_and_groups_keep_node_order() {
        let small = Aggregates::new(&cluster_with(|_| {}));
        let ids: Vec<String> = small.groups.iter().map(|g| g.id.to_string()).collect();
        assert_eq!(
            ids,
            [
                "summary:private-a/ng-1",
                "summary:private-b/ng-1",
                "summary:private-c/ng-1"
            ]
        );
        let big = Aggregates::new(&cluster_with(|s| {
            s.managed_node_groups[0].desired_capacity = 30;
            s.workloads.push(deployment("web", 10));
        }));
        let big_ids: Vec<String> = big.groups.iter().map(|g| g.id.to_string()).collect();
        assert_eq!(ids, big_ids);
        assert_eq!(big.in_subnet(3).count(), 1);
        assert_eq!(big.in_subnet(0).count(), 0);
        assert_eq!(big.by_subnet.len(), 6);
    }

    #[test]
    fn findings_about_nodes_enis_and_pods_count_for_their_group() {
        let mut cluster = cluster_with(|s| s.workloads.push(deployment("web", 6)));
        let before = Aggregates::new(&cluster).groups[0].findings;
        let node = &cluster.nodes[0];
        let pod = cluster
            .pods
            .iter()
            .find(|p| p.node == Some(0))
            .unwrap()
            .as_id();
        let eni = node.enis[0].id.clone();
        for subject in [pod, eni, Id::Vpc] {
            cluster
                .findings
                .push(crate::model::Finding::error(subject, "something is wrong"));
        }
        let g = &Aggregates::new(&cluster).groups[0];
        assert_eq!(g.findings, before + 2);
        assert_eq!(g.worst, Some(Severity::Error));
    }

    #[test]
    fn secondary_ip_mode_counts_addresses_not_prefixes() {
        let cluster = cluster_with(|s| s.workloads.push(deployment("web", 12)));
        let agg = Aggregates::new(&cluster);
        assert_eq!(agg.groups.iter().map(|g| g.prefixes).sum::<u32>(), 0);
        assert!(agg.groups.iter().all(|g| g.secondary_ips > 0));
        let g = &agg.groups[0];
        let main = g.main_addresses().unwrap();
        assert_eq!(main.subnet, g.subnet);
        assert_eq!(main.primaries, g.enis);
    }
}
