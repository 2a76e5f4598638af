//! From the scenario's workloads to pods: validation, pod templates, and expansion.
//!
//! - A **Deployment** becomes `replicas` pods named like the ReplicaSet controller names them,
//!   `<deployment>-<pod-template-hash>-<suffix>` (e.g. `web-7d4b9c8f6d-x2k4p`). Both parts
//!   are derived from the namespace, the name and the pod's index, so a pod keeps its name
//!   when replicas change or requests are edited, and no two pods share one.
//! - A **DaemonSet** becomes one pod per node the DaemonSet controller would choose (its
//!   nodeSelector matches and the node's `NoSchedule`/`NoExecute` taints are tolerated),
//!   named `<daemonset>-<node>`. The controller adds its standard tolerations
//!   (`not-ready`/`unreachable` `NoExecute`; `disk-pressure`, `memory-pressure`,
//!   `pid-pressure`, `unschedulable` `NoSchedule`; `network-unavailable` for hostNetwork).
//! - The **system DaemonSets** of every EKS cluster run on every node: `aws-node` (Amazon VPC
//!   CNI: `aws-node` and `aws-eks-nodeagent` containers, 25m CPU each) and `kube-proxy`
//!   (100m CPU), both in `kube-system`, `hostNetwork: true` (they use the node's address,
//!   no pod IP), `priorityClassName: system-node-critical`, tolerating every taint
//!   (`operator: Exists`). They count against the kubelet's max pods like any pod.
//!
//! Pods come out in the order they reach the scheduler: system DaemonSets, then the
//! scenario's DaemonSets, then its Deployments, each in document order and, within a
//! workload, by index (DaemonSet pods by node order). DaemonSet pods are made when a node
//! joins, so they go first.
//!
//! Limits: at most [`MAX_PODS_TOTAL`] pods in all (Kubernetes' tested scalability limit of
//! 150,000 pods per cluster); the sum is checked before any per-pod memory is allocated.

use std::collections::BTreeMap;

use super::quantity::{parse_cpu, parse_memory};
use super::scheduler::{tolerates_all, SchedNode};
use crate::model::fast_hash::FastMap;
use crate::model::SharedStr;
use crate::scenario::limits::{DNS_LABEL_MAX, DNS_SUBDOMAIN_MAX};
use crate::scenario::{
    Path, Problem, TaintEffect, Toleration, TolerationOperator, WhenUnsatisfiable, Workload,
    WorkloadKind,
};

/// Kubernetes' tested limit: "No more than 150,000 total pods" (scalability thresholds). The
/// Deployments' replicas are summed in `scenario::limits` first; DaemonSet pods depend on
/// the nodes, so the cluster's total is checked again in [`expand`].
pub use crate::scenario::limits::MAX_PODS_TOTAL;

/// The namespace of the system DaemonSets.
pub const SYSTEM_NAMESPACE: &str = "kube-system";

/// The names of the system DaemonSets, in [`system_daemonsets`] order.
pub const SYSTEM_DAEMONSETS: [&str; 2] = ["aws-node", "kube-proxy"];

/// `system-node-critical`.
pub const SYSTEM_NODE_CRITICAL_PRIORITY: i32 = 2_000_001_000;

/// What the scheduler counts for a container that sets no CPU request (scoring only).
pub const DEFAULT_MILLI_CPU_REQUEST: u64 = 100;
/// What the scheduler counts for a container that sets no memory request (scoring only).
pub const DEFAULT_MEMORY_REQUEST: u64 = 200 * 1024 * 1024;

/// The extended resource a pod with its own security groups requests.
pub const POD_ENI_RESOURCE: &str = "vpc.amazonaws.com/pod-eni";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OwnerKind {
    Deployment,
    DaemonSet,
}

/// A pod's resource requests as the scheduler sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PodRequests {
    pub cpu_millis: u64,
    pub memory_bytes: u64,
    /// NodeResourcesFit's scoring counts an unset request as 100m CPU / 200Mi memory per
    /// container (`GetNonzeroRequests`); filtering uses the real requests.
    pub nonzero_cpu_millis: u64,
    pub nonzero_memory_bytes: u64,
    /// `vpc.amazonaws.com/pod-eni`: 1 for a pod with its own security groups (a branch ENI).
    pub pod_eni: u32,
}

impl PodRequests {
    /// Requests of a one-container pod: `None` = not set.
    pub fn new(cpu_millis: Option<u64>, memory_bytes: Option<u64>, pod_eni: u32) -> PodRequests {
        PodRequests {
            cpu_millis: cpu_millis.unwrap_or(0),
            memory_bytes: memory_bytes.unwrap_or(0),
            nonzero_cpu_millis: cpu_millis.unwrap_or(DEFAULT_MILLI_CPU_REQUEST),
            nonzero_memory_bytes: memory_bytes.unwrap_or(DEFAULT_MEMORY_REQUEST),
            pod_eni,
        }
    }

    /// A best-effort pod requests nothing (BalancedAllocation skips it).
    pub fn is_zero(&self) -> bool {
        self.cpu_millis == 0 && self.memory_bytes == 0 && self.pod_eni == 0
    }
}

/// The topology keys eksplain models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TopologyKey {
    /// `topology.kubernetes.io/zone`
    Zone,
    /// `kubernetes.io/hostname`
    Hostname,
}

impl TopologyKey {
    pub fn label(self) -> &'static str {
        match self {
            TopologyKey::Zone => super::scheduler::LABEL_ZONE,
            TopologyKey::Hostname => super::scheduler::LABEL_HOSTNAME,
        }
    }

    pub fn from_label(label: &str) -> Option<TopologyKey> {
        match label {
            super::scheduler::LABEL_ZONE => Some(TopologyKey::Zone),
            super::scheduler::LABEL_HOSTNAME => Some(TopologyKey::Hostname),
            _ => None,
        }
    }
}

/// A validated topology spread constraint. Its label selector is the workload's own pod
/// labels (the scenario has no separate selector).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpreadConstraint {
    pub max_skew: u32,
    pub key: TopologyKey,
    pub when_unsatisfiable: WhenUnsatisfiable,
}

/// Everything the pods of one workload share.
#[derive(Debug, Clone, PartialEq)]
pub struct PodTemplate {
    /// The Deployment's or DaemonSet's name.
    pub name: String,
    pub namespace: String,
    pub kind: OwnerKind,
    /// Index into the scenario's `workloads`; `None` for a system DaemonSet.
    pub workload: Option<usize>,
    /// Deployment replicas (0 for a DaemonSet: its pod count is the eligible nodes).
    pub replicas: u32,
    /// Pod labels (`app: <name>` when the workload gives none).
    pub labels: BTreeMap<String, String>,
    pub requests: PodRequests,
    pub node_selector: BTreeMap<String, String>,
    /// The user's tolerations plus, for a DaemonSet, the controller's standard ones.
    pub tolerations: Vec<Toleration>,
    pub spread: Vec<SpreadConstraint>,
    /// Security group ids from a SecurityGroupPolicy (the pod needs a branch ENI).
    pub security_groups: Vec<String>,
    pub host_network: bool,
    pub priority: i32,
    pub container_port: u16,
}

impl PodTemplate {
    pub fn is_system(&self) -> bool {
        self.workload.is_none()
    }

    /// Gets its address from a branch ENI rather than from the node's ENIs.
    pub fn needs_branch_eni(&self) -> bool {
        self.requests.pod_eni > 0
    }

    /// Takes a VPC address from the node's ENIs (not hostNetwork, no branch ENI).
    pub fn needs_node_ip(&self) -> bool {
        !self.host_network && !self.needs_branch_eni()
    }
}

/// One pod: where its id and name are in [`PodSet::ids`], its template and its node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pod {
    /// Its id `pod:<namespace>/<name>` is `ids[id..end]` of the set's text of every id.
    pub id: u32,
    /// Its name, the id's tail, is `ids[name..end]`.
    pub name: u32,
    pub end: u32,
    /// Index into [`PodSet::templates`].
    pub template: usize,
    /// For a DaemonSet pod, the node the controller made it for (it is bound there or
    /// stays Pending).
    pub node: Option<usize>,
}

impl Pod {
    /// Its name, read from the set's text of every id.
    pub fn name_in<'a>(&self, ids: &'a str) -> &'a str {
        ids.get(self.name as usize..self.end as usize)
            .unwrap_or_default()
    }
}

/// The start every id of a template's pods shares, `pod:<namespace>/` and then `first` (the
/// DaemonSet's `<name>-`, the Deployment's `<name>-<hash>-`), made once per template; with
/// the length of `pod:<namespace>/`, where the pods' names start.
fn id_head(namespace: &str, first: &str) -> (String, u32) {
    let mut head = String::with_capacity("pod:/".len() + namespace.len() + first.len());
    head.push_str("pod:");
    head.push_str(namespace);
    head.push('/');
    let name_at = u32::try_from(head.len()).unwrap_or(u32::MAX);
    head.push_str(first);
    (head, name_at)
}

/// Templates and their pods, in scheduling order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PodSet {
    /// The system DaemonSets first, then one per scenario workload in document order.
    pub templates: Vec<PodTemplate>,
    pub pods: Vec<Pod>,
    /// Every pod's id, one after the other: one allocation for all of them, which the
    /// cluster's records of the pods share ([`PodSet::shared_id`], [`PodSet::shared_name`]).
    pub ids: SharedStr,
}

impl PodSet {
    pub fn template_of(&self, pod: usize) -> &PodTemplate {
        &self.templates[self.pods[pod].template]
    }

    /// A stable id: `pod:<namespace>/<name>`.
    pub fn pod_id(&self, pod: usize) -> String {
        self.shared_id(pod).to_string()
    }

    /// The pod's name.
    pub fn name(&self, pod: usize) -> &str {
        self.pods[pod].name_in(&self.ids)
    }

    /// The pod's id, sharing the one text of every id.
    pub fn shared_id(&self, pod: usize) -> SharedStr {
        let p = &self.pods[pod];
        self.ids.part(p.id as usize, p.end as usize)
    }

    /// The pod's name, sharing the one text of every id.
    pub fn shared_name(&self, pod: usize) -> SharedStr {
        let p = &self.pods[pod];
        self.ids.part(p.name as usize, p.end as usize)
    }
}

/// Validates the scenario's workloads and turns them into templates, the system
/// DaemonSets first. Every problem is returned, not only the first.
pub fn pod_templates(workloads: &[Workload]) -> Result<Vec<PodTemplate>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut templates = system_daemonsets();
    // (namespace, name) → the workload's index, `SYSTEM` for a system DaemonSet (a plain
    // usize: the map type the model already has).
    const SYSTEM: usize = usize::MAX;
    let mut seen: FastMap<(&str, &str), usize> = SYSTEM_DAEMONSETS
        .iter()
        .map(|name| ((SYSTEM_NAMESPACE, *name), SYSTEM))
        .collect();
    let mut total_replicas: u64 = 0;
    let mut cap_reported = false;

    let base = Path::root().field("workloads");
    for (i, w) in workloads.iter().enumerate() {
        // Paths are made only for a problem: most workloads have none.
        let path = || base.index(i);
        let before = problems.len();

        if let Err(message) = check_subdomain(&w.name) {
            problems.push(Problem::new(path().field("name"), message));
        }
        if let Err(message) = check_label_name(&w.namespace, "namespace") {
            problems.push(Problem::new(path().field("namespace"), message));
        }
        match seen.get(&(w.namespace.as_str(), w.name.as_str())) {
            Some(first) => {
                let other = match *first {
                    SYSTEM => "the EKS system DaemonSet".into(),
                    j => format!("workloads[{j}]"),
                };
                problems.push(Problem::new(
                    path().field("name"),
                    format!(
                        "namespace `{}` already has a workload named `{}` ({other}); names are unique per namespace",
                        w.namespace.escape_default(),
                        w.name.escape_default()
                    ),
                ));
            }
            None => {
                seen.insert((w.namespace.as_str(), w.name.as_str()), i);
            }
        }

        if w.kind == WorkloadKind::Deployment {
            total_replicas += u64::from(w.replicas);
            if total_replicas > MAX_PODS_TOTAL && !cap_reported {
                cap_reported = true;
                problems.push(Problem::new(
                    path().field("replicas"),
                    format!(
                        "{} replicas bring the workloads to {total_replicas} pods; Kubernetes is tested up to \
                         {MAX_PODS_TOTAL} pods per cluster, so eksplain stops there",
                        w.replicas
                    ),
                ));
            }
        }

        let cpu = match w.requests.cpu.as_deref().map(parse_cpu).transpose() {
            Ok(v) => v,
            Err(e) => {
                problems.push(Problem::new(
                    path().field("requests").field("cpu"),
                    e.to_string(),
                ));
                None
            }
        };
        let memory = match w.requests.memory.as_deref().map(parse_memory).transpose() {
            Ok(v) => v,
            Err(e) => {
                problems.push(Problem::new(
                    path().field("requests").field("memory"),
                    e.to_string(),
                ));
                None
            }
        };

        for (key, value) in &w.labels {
            check_label(&|| path().field("labels"), key, value, &mut problems);
        }
        for (key, value) in &w.node_selector {
            check_label(&|| path().field("nodeSelector"), key, value, &mut problems);
        }
        for (j, t) in w.tolerations.iter().enumerate() {
            check_toleration(&|| path().field("tolerations").index(j), t, &mut problems);
        }
        let mut spread = Vec::new();
        for (j, c) in w.topology_spread_constraints.iter().enumerate() {
            let cpath = || path().field("topologySpreadConstraints").index(j);
            if c.max_skew == 0 {
                problems.push(Problem::new(
                    cpath().field("maxSkew"),
                    "must be greater than zero",
                ));
            }
            match TopologyKey::from_label(&c.topology_key) {
                None => problems.push(Problem::new(
                    cpath().field("topologyKey"),
                    format!(
                        "`{}` is not modelled: eksplain spreads over `topology.kubernetes.io/zone` or \
                         `kubernetes.io/hostname`",
                        c.topology_key.escape_default()
                    ),
                )),
                Some(key) => {
                    if spread
                        .iter()
                        .any(|s: &SpreadConstraint| s.key == key && s.when_unsatisfiable == c.when_unsatisfiable)
                    {
                        problems.push(Problem::new(
                            cpath(),
                            format!(
                                "a constraint on `{}` with whenUnsatisfiable {:?} is already given; Kubernetes \
                                 refuses duplicates",
                                c.topology_key, c.when_unsatisfiable
                            ),
                        ));
                    } else if c.max_skew > 0 {
                        spread.push(SpreadConstraint {
                            max_skew: c.max_skew,
                            key,
                            when_unsatisfiable: c.when_unsatisfiable,
                        });
                    }
                }
            }
        }
        for (j, sg) in w.security_groups.iter().enumerate() {
            if !is_security_group_id(sg) {
                problems.push(Problem::new(
                    path().field("securityGroups").index(j),
                    format!(
                        "`{}` is not a security group id (`sg-` and 8 or 17 hexadecimal digits)",
                        sg.escape_default()
                    ),
                ));
            }
        }
        if w.container_port == 0 {
            problems.push(Problem::new(
                path().field("containerPort"),
                "must be between 1 and 65535, inclusive",
            ));
        }

        if problems.len() > before {
            continue;
        }
        let labels = if w.labels.is_empty() {
            label_map("app", &w.name)
        } else {
            w.labels.clone()
        };
        // The VPC resource controller's webhook skips hostNetwork pods: they keep the node's
        // address and its security groups.
        let pod_eni = u32::from(!w.security_groups.is_empty() && !w.host_network);
        let mut tolerations = w.tolerations.clone();
        if w.kind == WorkloadKind::DaemonSet {
            tolerations.extend(daemonset_tolerations(w.host_network));
        }
        templates.push(PodTemplate {
            name: w.name.clone(),
            namespace: w.namespace.clone(),
            kind: match w.kind {
                WorkloadKind::Deployment => OwnerKind::Deployment,
                WorkloadKind::DaemonSet => OwnerKind::DaemonSet,
            },
            workload: Some(i),
            replicas: if w.kind == WorkloadKind::Deployment {
                w.replicas
            } else {
                0
            },
            labels,
            requests: PodRequests::new(cpu, memory, pod_eni),
            node_selector: w.node_selector.clone(),
            tolerations,
            spread,
            security_groups: w.security_groups.clone(),
            host_network: w.host_network,
            priority: 0,
            container_port: w.container_port,
        });
    }
    if problems.is_empty() {
        Ok(templates)
    } else {
        Err(problems)
    }
}

/// `aws-node` and `kube-proxy`, as the EKS add-ons define them.
pub fn system_daemonsets() -> Vec<PodTemplate> {
    let tolerate_all = vec![Toleration {
        key: None,
        operator: TolerationOperator::Exists,
        value: None,
        effect: None,
    }];
    let system = |name: &str, cpu_millis: u64, containers: u64, port: u16| PodTemplate {
        name: name.into(),
        namespace: SYSTEM_NAMESPACE.into(),
        kind: OwnerKind::DaemonSet,
        workload: None,
        replicas: 0,
        labels: label_map("k8s-app", name),
        requests: PodRequests {
            cpu_millis,
            memory_bytes: 0,
            nonzero_cpu_millis: cpu_millis,
            nonzero_memory_bytes: containers * DEFAULT_MEMORY_REQUEST,
            pod_eni: 0,
        },
        node_selector: BTreeMap::new(),
        tolerations: tolerate_all.clone(),
        spread: Vec::new(),
        security_groups: Vec::new(),
        host_network: true,
        priority: SYSTEM_NODE_CRITICAL_PRIORITY,
        container_port: port,
    };
    vec![
        // Containers aws-node (25m) and aws-eks-nodeagent (25m), VPC CNI ≥ 1.14 manifests.
        system(SYSTEM_DAEMONSETS[0], 50, 2, 61678),
        // The EKS kube-proxy add-on requests 100m.
        system(SYSTEM_DAEMONSETS[1], 100, 1, 10249),
    ]
}

/// CoreDNS as the EKS add-on runs it: a Deployment of 2 replicas in kube-system behind the
/// `kube-dns` service, each requesting 100m CPU and 70Mi memory, tolerating
/// `CriticalAddonsOnly`. Its pods take VPC addresses like any other pod.
pub fn coredns() -> PodTemplate {
    PodTemplate {
        name: "coredns".into(),
        namespace: SYSTEM_NAMESPACE.into(),
        kind: OwnerKind::Deployment,
        workload: None,
        replicas: 2,
        labels: label_map("k8s-app", "kube-dns"),
        requests: PodRequests::new(Some(100), Some(70 * 1024 * 1024), 0),
        node_selector: BTreeMap::new(),
        tolerations: vec![Toleration {
            key: Some("CriticalAddonsOnly".into()),
            operator: TolerationOperator::Exists,
            value: None,
            effect: None,
        }],
        spread: Vec::new(),
        security_groups: Vec::new(),
        host_network: false,
        priority: 2_000_000_000,
        container_port: 53,
    }
}

/// The tolerations the DaemonSet controller adds to every DaemonSet pod.
pub fn daemonset_tolerations(host_network: bool) -> Vec<Toleration> {
    let exists = |key: &str, effect| Toleration {
        key: Some(key.into()),
        operator: TolerationOperator::Exists,
        value: None,
        effect: Some(effect),
    };
    let mut list = vec![
        exists("node.kubernetes.io/not-ready", TaintEffect::NoExecute),
        exists("node.kubernetes.io/unreachable", TaintEffect::NoExecute),
        exists("node.kubernetes.io/disk-pressure", TaintEffect::NoSchedule),
        exists(
            "node.kubernetes.io/memory-pressure",
            TaintEffect::NoSchedule,
        ),
        exists("node.kubernetes.io/pid-pressure", TaintEffect::NoSchedule),
        exists("node.kubernetes.io/unschedulable", TaintEffect::NoSchedule),
    ];
    if host_network {
        list.push(exists(
            "node.kubernetes.io/network-unavailable",
            TaintEffect::NoSchedule,
        ));
    }
    list
}

/// Would the DaemonSet controller make a pod of `template` for `node`? (nodeSelector
/// matches and every `NoSchedule`/`NoExecute` taint is tolerated; resources are the
/// scheduler's business.)
pub fn daemonset_should_run(template: &PodTemplate, node: &SchedNode) -> bool {
    template
        .node_selector
        .iter()
        .all(|(k, v)| node.labels.get(k.as_str()).is_some_and(|l| l == v))
        && tolerates_all(&template.tolerations, &node.effective_taints())
}

/// Expands templates into pods for these nodes, in scheduling order. Fails (before
/// allocating pods) when the total would pass [`MAX_PODS_TOTAL`].
pub fn expand(templates: Vec<PodTemplate>, nodes: &[SchedNode]) -> Result<PodSet, Vec<Problem>> {
    // Which nodes each DaemonSet runs on, and the total, before any pod exists.
    let mut eligible: Vec<Vec<usize>> = vec![Vec::new(); templates.len()];
    let mut total: u64 = 0;
    let mut problems = Vec::new();
    for (t, template) in templates.iter().enumerate() {
        let count = match template.kind {
            OwnerKind::Deployment => u64::from(template.replicas),
            OwnerKind::DaemonSet => {
                eligible[t] = (0..nodes.len())
                    .filter(|&n| daemonset_should_run(template, &nodes[n]))
                    .collect();
                eligible[t].len() as u64
            }
        };
        total += count;
        if total > MAX_PODS_TOTAL && problems.is_empty() {
            let path = match template.workload {
                Some(i) if template.kind == OwnerKind::Deployment => {
                    Path::root().field("workloads").index(i).field("replicas")
                }
                Some(i) => Path::root().field("workloads").index(i),
                None => Path::root().field("managedNodeGroups"),
            };
            problems.push(Problem::new(
                path,
                format!(
                    "{} ({count} pods) brings the cluster to {total} pods; Kubernetes is tested up to \
                     {MAX_PODS_TOTAL} pods per cluster, so eksplain stops there",
                    template.name
                ),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    // Every id (`pod:<namespace>/<name>`) is written one after the other into one text, which
    // is copied once into the allocation all pods share; a pod records where its id and name
    // are (each id ends where the next starts).
    let mut pods: Vec<Pod> = Vec::with_capacity(total as usize);
    // Its exact length first, so the text is written without growing: `pod:<namespace>/`,
    // then `<daemonset>-<node>` or `<deployment>-<10-letter hash>-<5-letter suffix>`.
    let length: usize = templates
        .iter()
        .zip(&eligible)
        .map(|(template, on)| {
            let head = "pod:/".len() + template.namespace.len() + template.name.len() + 1;
            match template.kind {
                OwnerKind::DaemonSet => on.iter().map(|&n| head + nodes[n].name.len()).sum(),
                OwnerKind::Deployment => template.replicas as usize * (head + 10 + 1 + 5),
            }
        })
        .sum();
    // Written as bytes (every part is a `str` or ASCII letters) and made a `String` once.
    let mut ids: Vec<u8> = Vec::with_capacity(length);
    let at = |ids: &Vec<u8>| u32::try_from(ids.len()).unwrap_or(u32::MAX);
    let order = scheduling_order(&templates);
    for t in order {
        let template = &templates[t];
        match template.kind {
            OwnerKind::DaemonSet => {
                let mut first = String::with_capacity(template.name.len() + 1);
                first.push_str(&template.name);
                first.push('-');
                let (head, name_at) = id_head(&template.namespace, &first);
                for &n in &eligible[t] {
                    let id = at(&ids);
                    ids.extend_from_slice(head.as_bytes());
                    ids.extend_from_slice(nodes[n].name.as_bytes());
                    pods.push(Pod {
                        id,
                        name: id + name_at,
                        end: at(&ids),
                        template: t,
                        node: Some(n),
                    });
                }
            }
            OwnerKind::Deployment => {
                let names = ReplicaNames::new(&template.namespace, &template.name);
                let (head, name_at) = id_head(&template.namespace, &names.prefix);
                for i in 0..template.replicas {
                    let id = at(&ids);
                    ids.extend_from_slice(head.as_bytes());
                    names.write_suffix(i, &mut ids);
                    pods.push(Pod {
                        id,
                        name: id + name_at,
                        end: at(&ids),
                        template: t,
                        node: None,
                    });
                }
            }
        }
    }
    // Names, namespaces and node names are `str`s and the letters ASCII: always UTF-8.
    let ids = String::from_utf8(ids).unwrap_or_default();
    Ok(PodSet {
        templates,
        pods,
        ids: SharedStr::from(ids),
    })
}

/// System DaemonSets, then the scenario's DaemonSets, then its Deployments.
fn scheduling_order(templates: &[PodTemplate]) -> Vec<usize> {
    let rank = |t: &PodTemplate| match (t.is_system(), t.kind) {
        (true, _) => 0,
        (false, OwnerKind::DaemonSet) => 1,
        (false, OwnerKind::Deployment) => 2,
    };
    // A bucket per rank keeps document order within a rank, with no sort instantiation.
    let mut by_rank: [Vec<usize>; 3] = Default::default();
    for (t, template) in templates.iter().enumerate() {
        by_rank[rank(template)].push(t);
    }
    by_rank.concat()
}

/// A one-label map, inserted rather than `BTreeMap::from([..])` (which sorts: one more sort
/// instantiation in the wasm).
pub fn label_map(key: &str, value: &str) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    labels.insert(key.to_string(), value.to_string());
    labels
}

/// `kubectl`-style pod names for one Deployment: `<name>-<hash>-<suffix>`.
struct ReplicaNames {
    prefix: String,
    offset: u64,
}

/// The alphabet Kubernetes uses for generated names (no vowels, no look-alikes).
const ALPHABET: &[u8; 27] = b"bcdfghjklmnpqrstvwxz2456789";
/// 27⁵ possible suffixes.
const SUFFIX_SPACE: u64 = 27 * 27 * 27 * 27 * 27;
/// Coprime with 27⁵, so `index ↦ (index × STEP + offset) mod 27⁵` never repeats.
const STEP: u64 = 7_654_321;

impl ReplicaNames {
    fn new(namespace: &str, name: &str) -> ReplicaNames {
        // FNV-1a of `<namespace>/<name>`, taken piece by piece (no text made for it).
        let hash = [namespace.as_bytes(), b"/", name.as_bytes()]
            .iter()
            .fold(FNV_OFFSET, |hash, bytes| fnv1a_from(hash, bytes));
        let mut prefix = String::with_capacity(name.len() + 12);
        prefix.push_str(name);
        prefix.push('-');
        let at = prefix.len();
        // ALPHABET is ASCII, so its letters are always UTF-8.
        prefix.push_str(std::str::from_utf8(&letters::<10>(hash)).unwrap_or_default());
        let offset = fnv1a(&prefix.as_bytes()[at..]) % SUFFIX_SPACE;
        prefix.push('-');
        ReplicaNames { prefix, offset }
    }

    /// Appends the 5 letters of replica `index`'s slot to `out` (its name is `prefix` and
    /// them).
    fn write_suffix(&self, index: u32, out: &mut Vec<u8>) {
        let slot = (u64::from(index) * STEP + self.offset) % SUFFIX_SPACE;
        out.extend_from_slice(&letters::<5>(slot));
    }

    #[cfg(test)]
    fn name(&self, index: u32) -> String {
        let mut out = self.prefix.clone().into_bytes();
        self.write_suffix(index, &mut out);
        String::from_utf8(out).unwrap_or_default()
    }
}

/// `N` letters of [`ALPHABET`] spelling `value`, lowest digit first (ASCII bytes).
fn letters<const N: usize>(mut value: u64) -> [u8; N] {
    let mut out = [0u8; N];
    for letter in &mut out {
        *letter = ALPHABET[(value % 27) as usize];
        value /= 27;
    }
    out
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_from(FNV_OFFSET, bytes)
}

/// FNV-1a continued from `hash` over `bytes`.
fn fnv1a_from(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// An object name: a lowercase RFC 1123 subdomain, at most 63 characters here (pod names
/// are built from it).
fn check_subdomain(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a name is required".into());
    }
    if name.len() > DNS_LABEL_MAX {
        return Err(format!(
            "`{}` is longer than {DNS_LABEL_MAX} characters",
            shorten(name)
        ));
    }
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.');
    let ok_ends = name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !ok_chars || !ok_ends {
        return Err(format!(
            "`{}`: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or \
             '.', and must start and end with an alphanumeric character",
            shorten(name)
        ));
    }
    Ok(())
}

/// A namespace: a lowercase RFC 1123 label.
fn check_label_name(name: &str, what: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("a {what} is required"));
    }
    if name.len() > DNS_LABEL_MAX {
        return Err(format!(
            "`{}` is longer than {DNS_LABEL_MAX} characters",
            shorten(name)
        ));
    }
    let ok_chars = name
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let ok_ends = name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !ok_chars || !ok_ends {
        return Err(format!(
            "`{}`: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and \
             must start and end with an alphanumeric character",
            shorten(name)
        ));
    }
    Ok(())
}

/// A label key (`[prefix/]name`) and value, as the API server checks them.
fn check_label(path: &dyn Fn() -> Path, key: &str, value: &str, problems: &mut Vec<Problem>) {
    if let Err(message) = check_label_key(key) {
        problems.push(Problem::new(path().field(key), message));
    } else if !is_label_value(value) {
        problems.push(Problem::new(
            path().field(key),
            format!(
                "`{}`: a label value must be 63 characters or less and consist of alphanumeric characters, '-', \
                 '_' or '.', starting and ending with an alphanumeric character (or be empty)",
                shorten(value)
            ),
        ));
    }
}

fn check_label_key(key: &str) -> Result<(), String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((prefix, name)) => (Some(prefix), name),
        None => (None, key),
    };
    if let Some(prefix) = prefix {
        let ok = !prefix.is_empty()
            && prefix.len() <= DNS_SUBDOMAIN_MAX
            && prefix.split('.').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                    && !part.starts_with('-')
                    && !part.ends_with('-')
            });
        if !ok {
            return Err(format!(
                "`{}`: the prefix of a label key must be a lowercase DNS subdomain",
                shorten(key)
            ));
        }
    }
    if name.is_empty() || !is_label_value(name) {
        return Err(format!(
            "`{}`: a label key's name part must be 63 characters or less and consist of alphanumeric characters, \
             '-', '_' or '.', starting and ending with an alphanumeric character",
            shorten(key)
        ));
    }
    Ok(())
}

fn is_label_value(value: &str) -> bool {
    value.is_empty()
        || (value.len() <= DNS_LABEL_MAX
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
            && value.starts_with(|c: char| c.is_ascii_alphanumeric())
            && value.ends_with(|c: char| c.is_ascii_alphanumeric()))
}

fn check_toleration(path: &dyn Fn() -> Path, t: &Toleration, problems: &mut Vec<Problem>) {
    let key = t.key.as_deref().unwrap_or("");
    if key.is_empty() {
        if t.operator != TolerationOperator::Exists {
            problems.push(Problem::new(
                path().field("operator"),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
            ));
        }
    } else if let Err(message) = check_label_key(key) {
        problems.push(Problem::new(path().field("key"), message));
    }
    let value = t.value.as_deref().unwrap_or("");
    if t.operator == TolerationOperator::Exists && !value.is_empty() {
        problems.push(Problem::new(
            path().field("value"),
            "value must be empty when `operator` is 'Exists'",
        ));
    } else if !is_label_value(value) {
        problems.push(Problem::new(
            path().field("value"),
            format!("`{}` is not a valid label value", shorten(value)),
        ));
    }
}

fn is_security_group_id(sg: &str) -> bool {
    sg.strip_prefix("sg-").is_some_and(|hex| {
        (hex.len() == 8 || hex.len() == 17)
            && hex
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

fn shorten(text: &str) -> String {
    let escaped: String = text.escape_default().collect();
    if escaped.chars().count() <= 64 {
        escaped
    } else {
        let head: String = escaped.chars().take(64).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::k8s::scheduler::SchedNode;
    use crate::scenario::{Requests, Taint, TopologySpreadConstraint};
    use std::collections::HashSet;

    pub(crate) fn workload(name: &str) -> Workload {
        Workload {
            name: name.into(),
            namespace: "default".into(),
            kind: WorkloadKind::Deployment,
            replicas: 3,
            labels: BTreeMap::new(),
            requests: Requests {
                cpu: Some("250m".into()),
                memory: Some("256Mi".into()),
            },
            node_selector: BTreeMap::new(),
            tolerations: Vec::new(),
            topology_spread_constraints: Vec::new(),
            security_groups: Vec::new(),
            host_network: false,
            container_port: 8080,
        }
    }

    fn nodes(n: usize) -> Vec<SchedNode> {
        (0..n)
            .map(|i| {
                SchedNode::with_resources(
                    &format!("ng-1-{}", i + 1),
                    "us-east-1a",
                    Some(1930),
                    Some(7518 << 20),
                    29,
                )
            })
            .collect()
    }

    fn paths(problems: &[Problem]) -> Vec<String> {
        problems.iter().map(|p| p.path.to_string()).collect()
    }

    #[test]
    fn deployments_become_replicas_with_stable_unique_names() {
        let mut web = workload("web");
        web.replicas = 5;
        let templates = pod_templates(&[web.clone()]).unwrap();
        assert_eq!(templates.len(), 3);
        assert_eq!(
            templates[2].labels,
            BTreeMap::from([("app".into(), "web".into())])
        );
        assert_eq!(templates[2].requests.cpu_millis, 250);
        assert_eq!(templates[2].requests.memory_bytes, 256 << 20);
        let set = expand(templates, &nodes(2)).unwrap();
        let names: Vec<&str> = set.pods.iter().map(|p| p.name_in(&set.ids)).collect();
        // 2 aws-node, 2 kube-proxy, then 5 web pods.
        assert_eq!(names[0], "aws-node-ng-1-1");
        assert_eq!(names[3], "kube-proxy-ng-1-2");
        let web_names = &names[4..];
        assert_eq!(web_names.len(), 5);
        for name in web_names {
            let parts: Vec<&str> = name.split('-').collect();
            assert_eq!(parts.len(), 3, "{name}");
            assert_eq!(parts[0], "web");
            assert_eq!(parts[1].len(), 10);
            assert_eq!(parts[2].len(), 5);
            assert!(name
                .bytes()
                .all(|b| b == b'-' || ALPHABET.contains(&b) || b"web".contains(&b)));
        }
        // Stable: the same scenario gives the same names; more replicas keep the first ones.
        web.replicas = 7;
        let again = expand(pod_templates(&[web]).unwrap(), &nodes(2)).unwrap();
        let again_names: Vec<&str> = again.pods[4..]
            .iter()
            .map(|p| p.name_in(&again.ids))
            .collect();
        assert_eq!(&again_names[..5], web_names);
        assert_eq!(set.pod_id(4), format!("pod:default/{}", web_names[0]));
    }

    #[test]
    fn replica_names_never_collide() {
        let names = ReplicaNames::new("default", "big");
        let all: HashSet<String> = (0..150_000).map(|i| names.name(i)).collect();
        assert_eq!(all.len(), 150_000);
    }

    #[test]
    fn daemonsets_follow_selectors_and_taints() {
        let mut ds = workload("agent");
        ds.kind = WorkloadKind::DaemonSet;
        ds.node_selector = BTreeMap::from([("role".into(), "edge".into())]);
        let mut ns = nodes(4);
        for n in &mut ns[..3] {
            n.labels.insert("role".into(), "edge".into());
        }
        ns[1].taints.push(Taint {
            key: "dedicated".into(),
            value: "gpu".into(),
            effect: TaintEffect::NoSchedule,
        });
        ns[2].unschedulable = true; // cordoned: the controller's toleration covers it
        let set = expand(pod_templates(&[ds]).unwrap(), &ns).unwrap();
        let agent: Vec<&Pod> = set
            .pods
            .iter()
            .filter(|p| set.templates[p.template].name == "agent")
            .collect();
        assert_eq!(
            agent.iter().map(|p| p.node).collect::<Vec<_>>(),
            vec![Some(0), Some(2)]
        );
        assert_eq!(agent[0].name_in(&set.ids), "agent-ng-1-1");
        // System DaemonSets tolerate everything: every node gets both.
        assert_eq!(
            set.pods
                .iter()
                .filter(|p| set.templates[p.template].is_system())
                .count(),
            8
        );
        assert!(set.templates[0].host_network && set.templates[1].host_network);
        assert!(!set.templates[0].needs_node_ip());
    }

    #[test]
    fn not_ready_nodes_get_only_daemonsets_that_tolerate_it() {
        let mut ds = workload("agent");
        ds.kind = WorkloadKind::DaemonSet;
        let mut ns = nodes(2);
        ns[0].ready = false;
        let set = expand(pod_templates(&[ds]).unwrap(), &ns).unwrap();
        let agent: Vec<Option<usize>> = set
            .pods
            .iter()
            .filter(|p| set.templates[p.template].name == "agent")
            .map(|p| p.node)
            .collect();
        assert_eq!(agent, vec![Some(1)]);
        assert_eq!(set.pods.iter().filter(|p| p.node == Some(0)).count(), 2);
    }

    #[test]
    fn scheduling_order_puts_daemonsets_first() {
        let web = workload("web");
        let mut ds = workload("agent");
        ds.kind = WorkloadKind::DaemonSet;
        let set = expand(pod_templates(&[web, ds]).unwrap(), &nodes(1)).unwrap();
        let order: Vec<&str> = set
            .pods
            .iter()
            .map(|p| set.templates[p.template].name.as_str())
            .collect();
        assert_eq!(
            order,
            vec!["aws-node", "kube-proxy", "agent", "web", "web", "web"]
        );
    }

    #[test]
    fn every_problem_is_reported_with_its_path() {
        let mut a = workload("Web_1");
        a.namespace = "Team A".into();
        a.requests.cpu = Some("lots".into());
        a.requests.memory = Some("1GB".into());
        a.labels = BTreeMap::from([("bad key!".into(), "x".into())]);
        a.tolerations = vec![Toleration {
            key: None,
            operator: TolerationOperator::Equal,
            value: Some("x".into()),
            effect: None,
        }];
        a.topology_spread_constraints = vec![TopologySpreadConstraint {
            max_skew: 0,
            topology_key: "topology.kubernetes.io/region".into(),
            when_unsatisfiable: WhenUnsatisfiable::DoNotSchedule,
        }];
        a.security_groups = vec!["sg-xyz".into()];
        a.container_port = 0;
        let b = workload("web");
        let c = workload("web");
        let mut d = workload("kube-proxy");
        d.namespace = "kube-system".into();
        let problems = pod_templates(&[a, b, c, d]).unwrap_err();
        let got = paths(&problems);
        for want in [
            "workloads[0].name",
            "workloads[0].namespace",
            "workloads[0].requests.cpu",
            "workloads[0].requests.memory",
            "workloads[0].labels.bad key!",
            "workloads[0].tolerations[0].operator",
            "workloads[0].topologySpreadConstraints[0].maxSkew",
            "workloads[0].topologySpreadConstraints[0].topologyKey",
            "workloads[0].securityGroups[0]",
            "workloads[0].containerPort",
            "workloads[2].name",
            "workloads[3].name",
        ] {
            assert!(got.iter().any(|p| p == want), "missing {want} in {got:?}");
        }
        let dup = problems
            .iter()
            .find(|p| p.path.as_str() == "workloads[2].name")
            .unwrap();
        assert!(dup.message.contains("(workloads[1])"), "{}", dup.message);
        let cpu = problems
            .iter()
            .find(|p| p.path.as_str() == "workloads[0].requests.cpu")
            .unwrap();
        assert!(cpu.message.contains("`lots`"), "{}", cpu.message);
        assert!(problems
            .iter()
            .any(|p| p.message.contains("EKS system DaemonSet")));
    }

    #[test]
    fn replicas_are_capped_before_any_pod_exists() {
        let mut a = workload("a");
        a.replicas = 100_000;
        let mut b = workload("b");
        b.replicas = 60_000;
        let mut c = workload("c");
        c.replicas = u32::MAX;
        let problems = pod_templates(&[a.clone(), b, c]).unwrap_err();
        assert_eq!(paths(&problems), vec!["workloads[1].replicas"]);
        assert!(
            problems[0].message.contains("150000"),
            "{}",
            problems[0].message
        );
        // Exactly the limit is fine… until the system DaemonSets are added on top.
        a.replicas = 150_000;
        let templates = pod_templates(&[a]).unwrap();
        let problems = expand(templates, &nodes(1)).unwrap_err();
        assert_eq!(paths(&problems), vec!["workloads[0].replicas"]);
    }

    #[test]
    fn security_groups_need_a_branch_eni_except_on_the_host_network() {
        let mut a = workload("a");
        a.security_groups = vec!["sg-0123456789abcdef0".into()];
        let mut b = workload("b");
        b.security_groups = vec!["sg-01234567".into()];
        b.host_network = true;
        let t = pod_templates(&[a, b]).unwrap();
        assert_eq!(t[2].requests.pod_eni, 1);
        assert!(t[2].needs_branch_eni() && !t[2].needs_node_ip());
        assert_eq!(t[3].requests.pod_eni, 0);
    }

    #[test]
    fn unset_requests_count_as_defaults_for_scoring_only() {
        let mut a = workload("a");
        a.requests = Requests::default();
        let t = pod_templates(&[a]).unwrap();
        let r = t[2].requests;
        assert_eq!((r.cpu_millis, r.memory_bytes), (0, 0));
        assert_eq!(
            (r.nonzero_cpu_millis, r.nonzero_memory_bytes),
            (100, 200 << 20)
        );
        assert!(r.is_zero());
    }

    #[test]
    fn label_checks() {
        assert!(check_label_key("app").is_ok());
        assert!(check_label_key("app.kubernetes.io/name").is_ok());
        assert!(check_label_key("/name").is_err());
        assert!(check_label_key("Example.com/name").is_err());
        assert!(check_label_key(&"a".repeat(64)).is_err());
        assert!(is_label_value(""));
        assert!(!is_label_value("-x"));
        assert!(check_subdomain("web.v2").is_ok());
        assert!(check_subdomain("Web").is_err());
        assert!(check_subdomain("ünïcode").is_err());
    }
}
