//! What the layout looks up while it places shapes, indexed once per scene so that placing
//! stays linear: pods by name (ENI slots and branch ENIs name their pod), each workload's
//! colour, the pods each node could not address or runs on its own address, and the most
//! severe finding about each drawn id.

use std::collections::HashMap;

use super::geometry::{Point, Rect};
use super::scene::{Badge, Detail, Tone};
use crate::model::{Cluster, Id, Pod, PodStatus, Severity};

/// The namespace whose pods are drawn in the neutral tone.
pub const SYSTEM_NAMESPACE: &str = "kube-system";

/// One workload as the scene lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadSummary<'a> {
    /// `workload:<namespace>/<name>`, the subject of its findings.
    pub id: Id,
    pub namespace: &'a str,
    pub name: &'a str,
    pub tone: Tone,
    pub host_network: bool,
    pub running: u32,
    pub creating: u32,
    pub pending: u32,
}

impl WorkloadSummary<'_> {
    #[cfg(test)]
    pub fn total(&self) -> u32 {
        self.running + self.creating + self.pending
    }
}

/// The scene's lookups.
pub struct Context<'a> {
    pub cluster: &'a Cluster,
    pub detail: Detail,
    by_name: HashMap<&'a str, usize>,
    /// Per node: pods bound to it that the CNI could not address.
    pub creating: Vec<Vec<&'a Pod>>,
    /// Per node: names of the workloads of its hostNetwork pods, in order, without repeats.
    pub host_workloads: Vec<Vec<&'a str>>,
    /// Per node: IPv6 pods (IPv6 clusters), in binding order.
    pub ipv6_pods: Vec<Vec<&'a Pod>>,
    pub workloads: Vec<WorkloadSummary<'a>>,
    tones: HashMap<(&'a str, &'a str), Tone>,
    /// Subject id → (most severe finding, how many).
    pub(crate) findings: HashMap<&'a Id, (Severity, u32)>,
}

impl<'a> Context<'a> {
    pub fn new(cluster: &'a Cluster, detail: Detail) -> Context<'a> {
        let n = cluster.nodes.len();
        let mut ctx = Context {
            cluster,
            detail,
            by_name: HashMap::with_capacity(cluster.pods.len()),
            creating: vec![Vec::new(); n],
            host_workloads: vec![Vec::new(); n],
            ipv6_pods: vec![Vec::new(); n],
            workloads: Vec::new(),
            tones: HashMap::new(),
            findings: HashMap::new(),
        };
        let mut index: HashMap<(&str, &str), usize> = HashMap::new();
        let mut next_tone = 0u8;
        // Branch-ENI pods are drawn on their branch ENI, IPv6 address or not.
        let branch_pods: std::collections::HashSet<&str> = cluster
            .nodes
            .iter()
            .flat_map(|n| n.branches.iter().map(|b| b.pod.as_str()))
            .collect();
        for (i, pod) in cluster.pods.iter().enumerate() {
            ctx.by_name.entry(pod.name.as_str()).or_insert(i);
            let key = (pod.namespace.as_str(), pod.workload.as_str());
            let w = *index.entry(key).or_insert_with(|| {
                let tone = if pod.namespace == SYSTEM_NAMESPACE {
                    Tone::System
                } else {
                    let tone = next_tone;
                    next_tone = next_tone.wrapping_add(1);
                    Tone::Workload(tone % Tone::PALETTE)
                };
                ctx.tones.insert(key, tone);
                ctx.workloads.push(WorkloadSummary {
                    id: Id::Workload {
                        namespace: pod.namespace.to_string(),
                        name: pod.workload.to_string(),
                    },
                    namespace: &pod.namespace,
                    name: &pod.workload,
                    tone,
                    host_network: pod.host_network,
                    running: 0,
                    creating: 0,
                    pending: 0,
                });
                ctx.workloads.len() - 1
            });
            let summary = &mut ctx.workloads[w];
            match pod.status {
                PodStatus::Running => summary.running += 1,
                PodStatus::ContainerCreating => summary.creating += 1,
                PodStatus::Pending => summary.pending += 1,
            }
            let Some(node) = pod.node.filter(|&k| k < n) else {
                continue;
            };
            if pod.host_network {
                let names = &mut ctx.host_workloads[node];
                if !names.contains(&pod.workload.as_str()) {
                    names.push(&pod.workload);
                }
            } else if pod.status == PodStatus::ContainerCreating {
                ctx.creating[node].push(pod);
            } else if matches!(pod.ip, Some(std::net::IpAddr::V6(_)))
                && !branch_pods.contains(pod.name.as_str())
            {
                ctx.ipv6_pods[node].push(pod);
            }
        }
        for f in &cluster.findings {
            let entry = ctx.findings.entry(&f.subject).or_insert((f.severity, 0));
            entry.0 = entry.0.max(f.severity);
            entry.1 += 1;
        }
        ctx
    }

    /// The pod with this name (ENI slots, prefixes and branch ENIs name their pod).
    pub fn pod(&self, name: &str) -> Option<&'a Pod> {
        self.by_name.get(name).map(|&i| &self.cluster.pods[i])
    }

    /// The colour of a pod's workload.
    pub fn tone(&self, pod: &Pod) -> Tone {
        self.tones
            .get(&(pod.namespace.as_str(), pod.workload.as_str()))
            .copied()
            .unwrap_or(Tone::System)
    }

    /// The badge for a shape with this id at `rect`, if any finding is about it.
    pub fn badge(&self, id: &Id, rect: Rect) -> Option<Badge> {
        self.findings.get(id).map(|&(severity, count)| Badge {
            severity,
            count,
            center: Point::new(rect.right() - 1.0, rect.y + 1.0),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::tests_support::cluster_with;

    #[test]
    fn workloads_get_tones_in_order_and_system_pods_the_neutral_one() {
        let cluster = cluster_with(|s| {
            for (i, name) in ["web", "api", "db", "a", "b", "c", "d"].iter().enumerate() {
                s.workloads.push(crate::scenario::Workload {
                    name: name.to_string(),
                    namespace: "default".into(),
                    kind: Default::default(),
                    replicas: 1 + i as u32 % 2,
                    labels: Default::default(),
                    requests: Default::default(),
                    node_selector: Default::default(),
                    tolerations: Vec::new(),
                    topology_spread_constraints: Vec::new(),
                    security_groups: Vec::new(),
                    host_network: false,
                    container_port: 8080,
                });
            }
        });
        let ctx = Context::new(&cluster, Detail::Cells);
        let tone = |name: &str| ctx.workloads.iter().find(|w| w.name == name).unwrap().tone;
        assert_eq!(tone("coredns"), Tone::System);
        assert_eq!(tone("aws-node"), Tone::System);
        assert_eq!(tone("web"), Tone::Workload(0));
        assert_eq!(tone("api"), Tone::Workload(1));
        // Seven workloads, six hues: the seventh cycles back.
        assert_eq!(tone("d"), Tone::Workload(0));
        let coredns = ctx.workloads.iter().find(|w| w.name == "coredns").unwrap();
        assert_eq!((coredns.running, coredns.total()), (2, 2));
        assert!(ctx.host_workloads[0].contains(&"aws-node"));
        assert!(ctx.host_workloads[0].contains(&"kube-proxy"));
    }

    #[test]
    fn findings_become_badges_with_their_worst_severity() {
        let cluster = cluster_with(|_| {});
        let ctx = Context::new(&cluster, Detail::Cells);
        let b = ctx
            .badge(&Id::ControlPlane, Rect::new(0.0, 0.0, 10.0, 10.0))
            .unwrap();
        assert_eq!(b.severity, Severity::Info);
        assert!(ctx.badge(&Id::node("ng-1-1"), Rect::default()).is_none());
    }
}
