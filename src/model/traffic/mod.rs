//! Traffic: the path a flow's first packet takes through the cluster, with every address
//! rewrite, the security groups it meets, where and why it stops, and how a load-balanced
//! flow's connections split over pods.
//!
//! Entry point: [`Tracer`] over a built [`Cluster`] and the scenario's `securityGroups`;
//! [`Tracer::trace`] takes a [`Flow`] (`internet->service/web`) and returns a [`Trace`]: the
//! hops of one representative path (each choice — the AZ, the target, the endpoint — is the
//! first in the model's order, and the hop says so) and, in [`Trace::shares`], the exact
//! distribution over every endpoint.
//!
//! Code map: `flow` parses places; `hop` and `trace` are the result; `ratio` and `shares` are
//! the load arithmetic; `security_groups` evaluates rules; the paths themselves are in
//! `load_balancer_path` (internet → LoadBalancer service, Ingress), `kube_proxy` (ClusterIP,
//! NodePort), `pod_path` (pod ↔ pod, node → pod), `snat` (egress to the internet) and
//! `api_path` (nodes, kubectl and pods to the API server; the API server to kubelets and pods).
//!
//! Architecture invariant: a trace is a pure function of the cluster, the groups and the flow,
//! linear in nodes and endpoints (a 5,000-node, 150,000-pod cluster traces in milliseconds).
//!
//! Fixed addresses, all from documentation ranges so that no real address is shown: the
//! internet client and kubectl are 203.0.113.50, a server on the internet is 203.0.113.10
//! (2001:db8:ffff::10 over IPv6), the EKS public endpoint is 192.0.2.254; clients use source
//! port 49152.

mod api_path;
pub mod flow;
pub mod hop;
mod kube_proxy;
mod load_balancer_path;
mod pod_path;
pub mod ratio;
pub mod security_groups;
pub mod shares;
mod snat;
pub mod trace;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::ops::Range;

pub use flow::{Flow, FlowError, Place};
pub use hop::{Hop, HopKind};
pub use ratio::Ratio;
pub use security_groups::SecurityGroups;
pub use shares::{Share, UnhealthyNode};
pub use trace::{Trace, Verdict};

use super::cluster::Cluster;
use super::fast_hash::FastMap;
use super::pod::{Pod, PodStatus};
use super::shared_str::SharedStr;
use crate::scenario::{self, Path, Problem};
use trace::{Stop, Walk};

/// The internet client's address (documentation range, RFC 5737).
pub const CLIENT_IP: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 50);
/// A server on the internet that pods and nodes talk to.
pub const INTERNET_SERVER: Ipv4Addr = Ipv4Addr::new(203, 0, 113, 10);
/// The same over IPv6 (documentation range, RFC 3849, outside the VPC's 2001:db8::/56).
pub const INTERNET_SERVER_V6: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0xffff, 0, 0, 0, 0, 0x10);
/// The EKS API server's public endpoint (an NLB in the EKS account).
pub const PUBLIC_ENDPOINT: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 254);
/// The source port clients use.
pub const EPHEMERAL_PORT: u16 = 49152;
/// The kubelet's port.
pub const KUBELET_PORT: u16 = 10250;

/// Traces flows over one cluster. Cheap to build; keep one per built cluster.
pub struct Tracer<'a> {
    cluster: &'a Cluster,
    sgs: SecurityGroups,
    /// The pods by workload, made on the first lookup.
    workloads: std::sync::OnceLock<Workloads<'a>>,
}

/// The cluster's workloads, `(namespace, name)` in the order their first pod appears, and
/// each one's pods in pod order, as runs of consecutive pods: a workload's pods are nearly
/// always one run, so the index costs a comparison per pod and a lookup per run, not a list
/// entry per pod.
struct Workloads<'a> {
    keys: Vec<(&'a str, &'a str)>,
    /// Every workload's runs, one list after the other: workload `id`'s are
    /// `runs[start[id]..start[id + 1]]`.
    start: Vec<usize>,
    runs: Vec<Range<usize>>,
    by_key: FastMap<(&'a str, &'a str), usize>,
    /// Workload name → its workloads (one per namespace), in order.
    by_name: FastMap<&'a str, Vec<usize>>,
}

impl<'a> Workloads<'a> {
    /// The index, found by comparing each pod with the one before.
    fn new(cluster: &'a Cluster) -> Workloads<'a> {
        Workloads::of_runs(cluster, runs(&cluster.pods, same_workload))
    }

    /// The index from each pod's template (`template_of`, as the build made the pods): the
    /// pods of one template share their namespace and workload, so a run of one template is
    /// a run of one workload, found without reading the pod records (150,000 of them at
    /// 5,000 nodes, a memory-bound pass in the wasm). The same index as [`Workloads::new`]:
    /// a workload's pods in pod order.
    fn of_templates(cluster: &'a Cluster, template_of: &[usize]) -> Workloads<'a> {
        Workloads::of_runs(cluster, runs(template_of, |a, b| a == b))
    }

    /// The index from `runs`, consecutive ranges of pods of one workload each, in pod order.
    fn of_runs(cluster: &'a Cluster, runs: impl Iterator<Item = Range<usize>>) -> Workloads<'a> {
        let mut w = Workloads {
            keys: Vec::new(),
            start: Vec::new(),
            runs: Vec::new(),
            by_key: FastMap::default(),
            by_name: FastMap::default(),
        };
        // Each run's workload, in pod order; then the runs grouped by workload (a count, then
        // the lists laid out one after the other: no list per workload to grow).
        let pods = &cluster.pods;
        let mut found: Vec<(usize, Range<usize>)> = Vec::new();
        let mut count: Vec<usize> = Vec::new();
        for run in runs.filter(|r| r.start < r.end && r.end <= pods.len()) {
            let p = &pods[run.start];
            let key = (p.namespace.as_str(), p.workload.as_str());
            let next = w.keys.len();
            let id = *w.by_key.entry(key).or_insert(next);
            if id == next {
                w.keys.push(key);
                count.push(0);
                w.by_name.entry(key.1).or_default().push(id);
            }
            found.push((id, run));
            count[id] += 1;
        }
        w.start = Vec::with_capacity(count.len() + 1);
        let mut at = 0;
        for c in &mut count {
            w.start.push(at);
            // `count` becomes where the next run of the workload goes.
            (*c, at) = (at, at + *c);
        }
        w.start.push(at);
        w.runs = vec![0..0; at];
        for (id, run) in found {
            w.runs[count[id]] = run;
            count[id] += 1;
        }
        w
    }

    /// The same workloads, in the same order, with the same pods (runs may be split
    /// differently).
    #[cfg(test)]
    fn assert_same(&self, other: &Workloads) {
        assert_eq!(self.keys, other.keys);
        assert_eq!(self.by_name, other.by_name);
        for (key, id) in &self.by_key {
            assert_eq!(other.by_key.get(key), Some(id));
            let (mine, theirs): (Vec<usize>, Vec<usize>) =
                (self.members(*id).collect(), other.members(*id).collect());
            assert_eq!(mine, theirs, "{key:?}");
        }
        assert_eq!(self.by_key.len(), other.by_key.len());
    }

    /// Workload `id`'s pods, in pod order.
    fn members(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        self.runs[self.start[id]..self.start[id + 1]]
            .iter()
            .flat_map(Clone::clone)
    }
}

/// The runs of `items` that `same` holds for, each item compared with its run's first.
fn runs<'i, T>(
    items: &'i [T],
    same: impl Fn(&T, &T) -> bool + 'i,
) -> impl Iterator<Item = Range<usize>> + 'i {
    let mut i = 0;
    std::iter::from_fn(move || {
        let first = items.get(i)?;
        let end = items[i + 1..]
            .iter()
            .position(|x| !same(x, first))
            .map_or(items.len(), |k| i + 1 + k);
        let run = i..end;
        i = end;
        Some(run)
    })
}

/// Same namespace and workload, by pointer first (pods of a workload share the strings).
fn same_workload(a: &Pod, b: &Pod) -> bool {
    let same = |x: &SharedStr, y: &SharedStr| SharedStr::ptr_eq(x, y) || x == y;
    same(&a.workload, &b.workload) && same(&a.namespace, &b.namespace)
}

/// Traces one flow written as text (`internet->service/web`).
pub fn trace(
    cluster: &Cluster,
    groups: &[scenario::SecurityGroup],
    flow: &str,
) -> Result<Trace, FlowError> {
    Tracer::new(cluster, groups).trace(&flow.parse()?)
}

/// Problems with the scenario's `flows` and `securityGroups`, with their paths: names the
/// cluster does not have, rules that do not parse.
pub fn check(cluster: &Cluster, scenario: &scenario::Scenario) -> Vec<Problem> {
    check_with(Tracer::new(cluster, &scenario.security_groups), scenario)
}

/// [`check`] for the cluster a build has just made, given each pod's template (`template_of`):
/// the tracer's workload index is made from the templates, not by reading every pod record.
pub(crate) fn check_built(
    cluster: &Cluster,
    scenario: &scenario::Scenario,
    template_of: &[usize],
) -> Vec<Problem> {
    let tracer = Tracer::new(cluster, &scenario.security_groups);
    if template_of.len() == cluster.pods.len() {
        let index = Workloads::of_templates(cluster, template_of);
        // Every unit test that builds a cluster checks the two ways agree.
        #[cfg(test)]
        index.assert_same(&Workloads::new(cluster));
        // (Empty: the tracer was made on the line above.)
        let _ = tracer.workloads.set(index);
    }
    check_with(tracer, scenario)
}

fn check_with(tracer: Tracer, scenario: &scenario::Scenario) -> Vec<Problem> {
    let mut problems = security_groups::check(&scenario.security_groups);
    for (i, f) in scenario.flows.iter().enumerate() {
        let path = Path::root().field("flows").index(i);
        let parsed = match (f.from.parse::<Place>(), f.to.parse::<Place>()) {
            (Err(e), _) => {
                problems.push(Problem::new(path.field("from"), e.message));
                continue;
            }
            (_, Err(e)) => {
                problems.push(Problem::new(path.field("to"), e.message));
                continue;
            }
            (Ok(from), Ok(to)) => Flow::new(from, to),
        };
        if let Err(e) = tracer.resolve(&parsed.from) {
            problems.push(Problem::new(path.field("from"), e.message));
        } else if let Err(e) = tracer.resolve(&parsed.to) {
            problems.push(Problem::new(path.field("to"), e.message));
        } else if let Err(e) = tracer.trace(&parsed) {
            problems.push(Problem::new(path, e.message));
        }
    }
    problems
}

/// A place resolved against the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Resolved {
    Internet,
    Kubectl,
    ApiServer,
    /// A Running pod (index into `Cluster::pods`).
    Pod(usize),
    /// A workload or pod that exists but has no Running pod: the first of them.
    PodNotRunning(usize),
    Service(usize),
    Ingress(usize),
    Node(usize),
}

/// What a path function hands back to fill the trace.
#[derive(Debug, Default)]
struct Outcome {
    /// The source address the destination sees (when delivered).
    seen: Option<IpAddr>,
    /// The address a client would hope the destination sees.
    original: Option<IpAddr>,
    forwarded_for: Option<IpAddr>,
    shares: Vec<Share>,
    unhealthy: Vec<UnhealthyNode>,
    cross_az: Option<Ratio>,
    notes: Vec<String>,
    explanation: String,
}

impl<'a> Tracer<'a> {
    pub fn new(cluster: &'a Cluster, groups: &[scenario::SecurityGroup]) -> Tracer<'a> {
        Tracer {
            cluster,
            sgs: SecurityGroups::new(groups, &cluster.control_plane.cluster_security_group),
            workloads: std::sync::OnceLock::new(),
        }
    }

    pub fn cluster(&self) -> &Cluster {
        self.cluster
    }

    /// Every place a flow may name, e.g. for a picker: `internet`, `kubectl`, `apiserver`, then
    /// `pod/…`, `service/…`, `ingress/…`, `node/…`.
    pub fn places(&self) -> Vec<String> {
        let mut out: Vec<String> = ["internet", "kubectl", "apiserver"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        out.extend(self.workload_names());
        out.extend(self.service_names());
        out.extend(self.ingress_names());
        out.extend(self.node_names());
        out
    }

    /// Traces one flow. `Err` only when the flow names something the cluster lacks or pairs
    /// places no packet goes between; a packet that is stopped is a [`Verdict::Dropped`].
    pub fn trace(&self, flow: &Flow) -> Result<Trace, FlowError> {
        let from = self.resolve(&flow.from)?;
        let to = self.resolve(&flow.to)?;
        let to = match (from, to) {
            // pod/web->pod/web: another pod of the same workload.
            (Resolved::Pod(a), Resolved::Pod(b)) if a == b => {
                self.other_running_pod(a).map(Resolved::Pod).unwrap_or(to)
            }
            _ => to,
        };
        let mut out = Outcome::default();
        let mut walk = Walk::new(unspecified(), unspecified());
        let result = self.dispatch(flow, from, to, &mut walk, &mut out)?;
        let delivered = result.is_ok() && walk.verdict.is_delivered();
        if out.explanation.is_empty() {
            if let Verdict::Dropped { at, reason } = &walk.verdict {
                out.explanation = if matches!(at, crate::model::Id::SecurityGroup(_)) {
                    format!("Security groups let in (and out) only what one of their rules allows: {reason}. Add such a rule in the scenario's securityGroups to let it through.")
                } else {
                    format!("The packet stops at {at}: {reason}.")
                };
            }
        }
        let seen = if delivered { out.seen } else { None };
        Ok(Trace {
            flow: flow.clone(),
            hops: walk.hops,
            verdict: walk.verdict,
            client_ip_preserved: delivered && seen.is_some() && seen == out.original,
            client_ip_seen: seen,
            forwarded_for: if delivered { out.forwarded_for } else { None },
            shares: out.shares,
            unhealthy_nodes: out.unhealthy,
            cross_az_share: out.cross_az,
            notes: out.notes,
            explanation: out.explanation,
        })
    }

    fn dispatch(
        &self,
        flow: &Flow,
        from: Resolved,
        to: Resolved,
        w: &mut Walk,
        out: &mut Outcome,
    ) -> Result<Result<(), Stop>, FlowError> {
        use Resolved as R;
        Ok(match (from, to) {
            (R::PodNotRunning(p), _) => Err(self.pod_not_running(w, p)),
            (R::Internet, R::Service(s)) => self.internet_to_service(w, out, s),
            (R::Internet, R::Ingress(i)) => self.internet_to_ingress(w, out, i),
            (R::Internet, R::Pod(p)) => self.internet_to_pod(w, out, p),
            (R::Internet, R::Node(n)) => self.internet_to_node(w, out, n),
            (R::Internet | R::Kubectl, R::ApiServer) => self.kubectl_to_api(w, out),
            (R::Pod(p), R::Pod(q)) => self.pod_to_pod(w, out, p, q),
            (R::Internet | R::Pod(_) | R::Node(_), R::PodNotRunning(q)) => {
                Err(self.pod_not_running(w, q))
            }
            (R::Pod(p), R::Service(s)) => self.to_service(w, out, pod_path::Source::Pod(p), s),
            (R::Node(n), R::Service(s)) => self.to_service(w, out, pod_path::Source::Node(n), s),
            (R::Pod(p), R::Internet) => self.pod_to_internet(w, out, p),
            (R::Node(n), R::Internet) => self.node_to_internet(w, out, n),
            (R::Pod(p), R::ApiServer) => self.pod_to_api(w, out, p),
            (R::Node(n), R::ApiServer) => self.node_to_api(w, out, n),
            (R::Node(n), R::Pod(p)) => self.node_to_pod(w, out, n, p),
            (R::ApiServer, R::Node(n)) => self.api_to_node(w, out, n),
            (R::ApiServer, R::Pod(p)) => self.api_to_pod(w, out, p),
            (R::ApiServer, R::PodNotRunning(p)) => Err(self.pod_not_running(w, p)),
            _ => {
                return Err(FlowError::syntax(format!(
                    "no path is modelled from {} to {}; flows that work: internet->service/<name>, internet->ingress/<name>, internet->pod|node/<name>, kubectl->apiserver, pod/<a>->pod/<b>, pod|node/<name>->service/<name>, pod|node/<name>->internet, pod|node/<name>->apiserver, node/<name>->pod/<name>, apiserver->node|pod/<name>",
                    flow.from, flow.to
                )))
            }
        })
    }

    /// Resolves one place, or says which names exist.
    fn resolve(&self, place: &Place) -> Result<Resolved, FlowError> {
        let c = self.cluster;
        Ok(match place {
            Place::Internet => Resolved::Internet,
            Place::Kubectl => Resolved::Kubectl,
            Place::ApiServer => Resolved::ApiServer,
            Place::Node(name) => Resolved::Node(
                c.nodes
                    .iter()
                    .position(|n| &n.name == name || n.hostname() == *name)
                    .ok_or_else(|| {
                        FlowError::unknown(
                            &format!("node `{}`", flow::short(name)),
                            &self.node_names(),
                        )
                    })?,
            ),
            Place::Service(name) => {
                let (ns, n) = split_namespace(name);
                let found = pick_namespaced(
                    c.services
                        .iter()
                        .map(|s| (s.namespace.as_str(), s.name.as_str())),
                    ns,
                    n,
                );
                Resolved::Service(found.ok_or_else(|| {
                    FlowError::unknown(
                        &format!("service `{}`", flow::short(name)),
                        &self.service_names(),
                    )
                })?)
            }
            Place::Ingress(name) => {
                let (ns, n) = split_namespace(name);
                let found = pick_namespaced(
                    c.ingresses
                        .iter()
                        .map(|s| (s.namespace.as_str(), s.name.as_str())),
                    ns,
                    n,
                );
                Resolved::Ingress(found.ok_or_else(|| {
                    FlowError::unknown(
                        &format!("ingress `{}`", flow::short(name)),
                        &self.ingress_names(),
                    )
                })?)
            }
            Place::Pod(name) => self.resolve_pod(name).ok_or_else(|| {
                FlowError::unknown(
                    &format!("workload or pod `{}`", flow::short(name)),
                    &self.workload_names(),
                )
            })?,
        })
    }

    fn workloads(&self) -> &Workloads<'a> {
        self.workloads.get_or_init(|| Workloads::new(self.cluster))
    }

    /// A workload's first Running pod, or a pod by name.
    fn resolve_pod(&self, name: &str) -> Option<Resolved> {
        let pods = &self.cluster.pods;
        let (ns, n) = split_namespace(name);
        // Workloads named `n`: (namespace, name) in pod order, unique.
        let index = self.workloads();
        let named: &[usize] = index.by_name.get(n).map_or(&[], |ids| &ids[..]);
        let chosen =
            pick_namespaced(named.iter().map(|&id| index.keys[id]), ns, n).map(|i| named[i]);
        match chosen {
            Some(id) => self.first_running(index.members(id)),
            None => (0..pods.len())
                .find(|&i| pods[i].name == n && ns.is_none_or(|ns| pods[i].namespace == ns))
                .and_then(|i| self.first_running(std::iter::once(i))),
        }
    }

    /// The first Running pod with an address among `members`, else the first; `None` when
    /// there is none.
    fn first_running(&self, mut members: impl Iterator<Item = usize>) -> Option<Resolved> {
        let pods = &self.cluster.pods;
        let running = |i: usize| pods[i].status == PodStatus::Running && pods[i].ip.is_some();
        let first = members.next()?;
        if running(first) {
            return Some(Resolved::Pod(first));
        }
        Some(
            members
                .find(|&i| running(i))
                .map_or(Resolved::PodNotRunning(first), Resolved::Pod),
        )
    }

    /// Another Running pod of `p`'s workload.
    fn other_running_pod(&self, p: usize) -> Option<usize> {
        let pods = &self.cluster.pods;
        let index = self.workloads();
        let id = index
            .by_key
            .get(&(pods[p].namespace.as_str(), pods[p].workload.as_str()))?;
        index
            .members(*id)
            .find(|&i| i != p && pods[i].status == PodStatus::Running && pods[i].ip.is_some())
    }

    fn workload_names(&self) -> Vec<String> {
        self.workloads()
            .keys
            .iter()
            .map(|(ns, n)| format!("pod/{}", namespaced(ns, n)))
            .collect()
    }

    fn service_names(&self) -> Vec<String> {
        self.cluster
            .services
            .iter()
            .map(|s| format!("service/{}", namespaced(&s.namespace, &s.name)))
            .collect()
    }

    fn ingress_names(&self) -> Vec<String> {
        self.cluster
            .ingresses
            .iter()
            .map(|s| format!("ingress/{}", namespaced(&s.namespace, &s.name)))
            .collect()
    }

    fn node_names(&self) -> Vec<String> {
        self.cluster
            .nodes
            .iter()
            .map(|n| format!("node/{}", n.name))
            .collect()
    }

    /// A pod that is not Running sends and receives nothing.
    fn pod_not_running(&self, w: &mut Walk, p: usize) -> Stop {
        let pod = &self.cluster.pods[p];
        let why = pod.reason.as_deref().unwrap_or("");
        let reason = format!(
            "pod {} is {}, not Running{}{}",
            pod.name,
            pod.status.label(),
            if why.is_empty() { "" } else { ": " },
            why
        );
        let az = pod.node.map(|n| self.cluster.nodes[n].az.as_str());
        w.drop(pod.as_id(), HopKind::Pod, az, reason)
    }
}

/// `0.0.0.0:0` until the flow sets the real addresses.
fn unspecified() -> SocketAddr {
    SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0)
}

/// `ns/name` → (Some(ns), name); `name` → (None, name).
fn split_namespace(name: &str) -> (Option<&str>, &str) {
    match name.split_once('/') {
        Some((ns, n)) => (Some(ns), n),
        None => (None, name),
    }
}

/// `name` in `default`, else `ns/name`.
fn namespaced(ns: &str, name: &str) -> String {
    if ns == "default" {
        name.to_string()
    } else {
        format!("{ns}/{name}")
    }
}

/// The index of `(ns, name)`: the given namespace, else `default`, else the only one so named.
fn pick_namespaced<'x>(
    items: impl Iterator<Item = (&'x str, &'x str)>,
    ns: Option<&str>,
    name: &str,
) -> Option<usize> {
    let matching: Vec<(usize, &str)> = items
        .enumerate()
        .filter(|(_, (_, n))| *n == name)
        .map(|(i, (ns, _))| (i, ns))
        .collect();
    match ns {
        Some(ns) => matching.iter().find(|(_, n)| *n == ns).map(|(i, _)| *i),
        None => matching
            .iter()
            .find(|(_, n)| *n == "default")
            .or(if matching.len() == 1 {
                matching.first()
            } else {
                None
            })
            .map(|(i, _)| *i),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_resolve_in_default_first_then_uniquely() {
        let items = [("kube-system", "dns"), ("default", "web"), ("shop", "web")];
        assert_eq!(pick_namespaced(items.iter().copied(), None, "web"), Some(1));
        assert_eq!(
            pick_namespaced(items.iter().copied(), Some("shop"), "web"),
            Some(2)
        );
        assert_eq!(pick_namespaced(items.iter().copied(), None, "dns"), Some(0));
        assert_eq!(pick_namespaced(items.iter().copied(), None, "db"), None);
        let twice = [("a", "x"), ("b", "x")];
        assert_eq!(pick_namespaced(twice.iter().copied(), None, "x"), None);
    }

    /// The build's check reads the workload index from the pods' templates; `check` on the
    /// same cluster reads it from the pod records. Each build below (the default, a generated
    /// cluster and the gallery) asserts the two indexes
    /// are the same (`check_built`), and both checks find the same problems.
    #[test]
    fn the_index_from_templates_is_the_index_from_the_pods() {
        for s in &scenario::shipped_scenarios() {
            let c = crate::model::build(s).unwrap();
            assert_eq!(check(&c, s), Vec::new(), "{}", s.cluster.name);
            // (Every cluster has the system workloads at least: aws-node, kube-proxy, coredns.)
            let index = Workloads::new(&c);
            assert!(
                index.keys.len() >= 3,
                "{}: {:?}",
                s.cluster.name,
                index.keys
            );
        }
    }
}
