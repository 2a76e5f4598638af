//! Services: ClusterIPs from the service CIDR, DNS names, NodePorts, and EndpointSlices.
//!
//! Kubernetes picks ClusterIPs and NodePorts at random; the model picks them from a hash of the
//! service's namespace and name (probing past taken values), so they are deterministic and stay
//! put when other services are added or removed.

use std::collections::BTreeMap;
use std::net::IpAddr;

use ipnet::IpNet;

use super::service_cidr::{nth, size};
use crate::model::fast_hash::{map_with_capacity, set_with_capacity, FastMap, FastSet};
use crate::model::{Pod, PodStatus, SharedStr};
use crate::scenario::{self, Path, Problem, Protocol, ServiceType, TrafficPolicy};

/// The NodePort range (kube-apiserver's `--service-node-port-range` default).
pub const NODE_PORT_MIN: u16 = 30000;
pub const NODE_PORT_MAX: u16 = 32767;

/// A service as the cluster runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// Stable id, `service:<namespace>/<name>`.
    pub id: crate::model::Id,
    pub name: String,
    pub namespace: String,
    pub service_type: ServiceType,
    /// From the service CIDR: IPv4 or IPv6 as the cluster's IP family.
    pub cluster_ip: IpAddr,
    /// `<name>.<namespace>.svc.cluster.local`.
    pub dns: String,
    pub ports: Vec<Port>,
    pub selector: BTreeMap<String, String>,
    pub external_traffic_policy: TrafficPolicy,
    pub internal_traffic_policy: TrafficPolicy,
    /// kube-proxy answers the load balancer's health check here (LoadBalancer with Local).
    pub health_check_node_port: Option<u16>,
    pub load_balancer: Option<scenario::LoadBalancerSpec>,
    /// The EndpointSlice's ready endpoints, in pod order.
    pub endpoints: Vec<Endpoint>,
    /// Built in, not from the scenario (`kubernetes`, `kube-dns`).
    pub system: bool,
    /// Index into `Cluster::load_balancers` (LoadBalancer services).
    pub load_balancer_index: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Port {
    pub port: u16,
    pub target_port: u16,
    pub protocol: Protocol,
    pub node_port: Option<u16>,
}

/// One ready endpoint of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The pod's name, shared with the pod.
    pub pod: SharedStr,
    pub ip: IpAddr,
    /// Index into `Cluster::nodes`; `None` for endpoints outside the nodes (the API server).
    pub node: Option<usize>,
    /// Shared by every endpoint in the AZ.
    pub az: SharedStr,
}

/// FNV-1a: a small, stable hash for deterministic "random" picks.
pub fn stable_hash(text: &str) -> u64 {
    stable_hash_more(0xcbf2_9ce4_8422_2325, text.as_bytes())
}

/// [`stable_hash`] continued over more bytes: the hash of a text written in pieces is that
/// of the whole text, with no text made for it.
fn stable_hash_more(hash: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(hash, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// `n` in decimal, as ASCII digits: the bytes `format!("{n}")` writes.
fn decimal(mut n: u16) -> ([u8; 5], usize) {
    let mut digits = [0u8; 5];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[..len].reverse();
    (digits, len)
}

/// Names of services are DNS-1035 labels.
fn check_dns_label(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= crate::scenario::limits::DNS_LABEL_MAX
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a valid name: lower-case letters, digits and `-`, starting with a letter, at most 63 characters",
            name.chars().take(40).collect::<String>().escape_default()
        ))
    }
}

/// Allocates addresses and ports for the scenario's services (after the built-in `kubernetes`
/// at `.1` and `kube-dns` at `.10`), checking each. Endpoints are filled in by [`endpoints`].
pub fn build_services(
    specs: &[scenario::Service],
    cidr: IpNet,
    problems: &mut Vec<Problem>,
) -> Vec<Service> {
    let size = size(cidr);
    let mut taken_ips: FastSet<u32> = [0, 1, 10, (size - 1) as u32].into_iter().collect();
    // Ports as u32: the same set type as the addresses (one fewer map type in the wasm).
    let mut taken_ports: FastSet<u32> = FastSet::default();
    let base = Path::root().field("services");
    // Requested NodePorts are reserved first, as the API server does.
    for (i, s) in specs.iter().enumerate() {
        for (j, p) in s.ports.iter().enumerate() {
            if let Some(np) = p.node_port {
                // Made only for a problem (most services have none).
                let path = || base.index(i).field("ports").index(j).field("nodePort");
                if s.service_type == ServiceType::ClusterIP {
                    problems.push(Problem::new(
                        path(),
                        "a ClusterIP service has no NodePort; use type NodePort or LoadBalancer",
                    ));
                } else if !(NODE_PORT_MIN..=NODE_PORT_MAX).contains(&np) {
                    problems.push(Problem::new(
                        path(),
                        format!(
                            "{np} is outside the NodePort range {NODE_PORT_MIN}–{NODE_PORT_MAX}"
                        ),
                    ));
                } else if taken_ports.contains(&u32::from(np)) {
                    problems.push(Problem::new(
                        path(),
                        format!("NodePort {np} is already taken by another service"),
                    ));
                } else {
                    taken_ports.insert(u32::from(np));
                }
            }
        }
    }
    let mut names: FastSet<(&str, &str)> = set_with_capacity(specs.len());
    let mut out = Vec::with_capacity(specs.len());
    for (i, s) in specs.iter().enumerate() {
        // Made only for a problem (most services have none).
        let path = || base.index(i);
        if let Err(m) = check_dns_label(&s.name) {
            problems.push(Problem::new(path().field("name"), m));
        } else if !names.insert((s.namespace.as_str(), s.name.as_str())) {
            problems.push(Problem::new(
                path().field("name"),
                format!(
                    "another service in {} is already named `{}`",
                    s.namespace, s.name
                ),
            ));
        }
        if s.ports.is_empty() {
            problems.push(Problem::new(
                path().field("ports"),
                "a service needs at least one port",
            ));
        }
        for (j, p) in s.ports.iter().enumerate() {
            if p.port == 0 {
                problems.push(Problem::new(
                    path().field("ports").index(j).field("port"),
                    "port 0 is not a valid port",
                ));
            }
        }
        if s.external_traffic_policy == TrafficPolicy::Local
            && s.service_type == ServiceType::ClusterIP
        {
            problems.push(Problem::new(
                path().field("externalTrafficPolicy"),
                "externalTrafficPolicy applies to NodePort and LoadBalancer services only",
            ));
        }
        if s.load_balancer.is_some() && s.service_type != ServiceType::LoadBalancer {
            problems.push(Problem::new(
                path().field("loadBalancer"),
                "loadBalancer settings need type LoadBalancer",
            ));
        }
        // The stable hash of `<namespace>/<name>`, and of it followed by `:<port>` or
        // `:healthz` for NodePorts, taken piece by piece.
        let key = [s.namespace.as_bytes(), b"/", s.name.as_bytes()]
            .iter()
            .fold(stable_hash(""), |h, part| stable_hash_more(h, part));
        let cluster_ip = pick(key % size, size, &mut taken_ips, |n| n as u32);
        let mut ports = Vec::with_capacity(s.ports.len());
        for p in &s.ports {
            let node_port = match (s.service_type, p.node_port) {
                (ServiceType::ClusterIP, _) => None,
                (_, Some(np)) => Some(np),
                (_, None) => {
                    let (digits, len) = decimal(p.port);
                    let hash = stable_hash_more(stable_hash_more(key, b":"), &digits[..len]);
                    Some(allocate_node_port(hash, &mut taken_ports))
                }
            };
            ports.push(Port {
                port: p.port,
                target_port: p.target_port.unwrap_or(p.port),
                protocol: p.protocol,
                node_port,
            });
        }
        let health_check_node_port = (s.service_type == ServiceType::LoadBalancer
            && s.external_traffic_policy == TrafficPolicy::Local)
            .then(|| allocate_node_port(stable_hash_more(key, b":healthz"), &mut taken_ports));
        out.push(Service {
            id: crate::model::Id::Service {
                namespace: s.namespace.clone(),
                name: s.name.clone(),
            },
            name: s.name.clone(),
            namespace: s.namespace.clone(),
            service_type: s.service_type,
            cluster_ip: nth(cidr, cluster_ip),
            dns: format!("{}.{}.svc.cluster.local", s.name, s.namespace),
            ports,
            selector: s.selector.clone(),
            external_traffic_policy: s.external_traffic_policy,
            internal_traffic_policy: s.internal_traffic_policy,
            health_check_node_port,
            load_balancer: (s.service_type == ServiceType::LoadBalancer)
                .then(|| s.load_balancer.clone().unwrap_or_default()),
            endpoints: Vec::new(),
            system: false,
            load_balancer_index: None,
        });
    }
    out
}

/// The built-in services: `default/kubernetes` at `.1` (endpoints: the cross-account ENIs on
/// 443) and `kube-system/kube-dns` at `.10` (CoreDNS on 53).
pub fn system_services(cidr: IpNet) -> [Service; 2] {
    let svc =
        |name: &str, ns: &str, n: u32, port: u16, target: u16, selector: &[(&str, &str)]| Service {
            id: crate::model::Id::Service {
                namespace: ns.into(),
                name: name.into(),
            },
            name: name.into(),
            namespace: ns.into(),
            service_type: ServiceType::ClusterIP,
            cluster_ip: nth(cidr, n),
            dns: format!("{name}.{ns}.svc.cluster.local"),
            ports: vec![Port {
                port,
                target_port: target,
                protocol: Protocol::TCP,
                node_port: None,
            }],
            selector: selector
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            external_traffic_policy: TrafficPolicy::Cluster,
            internal_traffic_policy: TrafficPolicy::Cluster,
            health_check_node_port: None,
            load_balancer: None,
            endpoints: Vec::new(),
            system: true,
            load_balancer_index: None,
        };
    [
        svc("kubernetes", "default", 1, 443, 443, &[]),
        svc(
            "kube-dns",
            "kube-system",
            10,
            53,
            53,
            &[("k8s-app", "kube-dns")],
        ),
    ]
}

/// The first free value at or after `start` (wrapping), marking it taken.
fn pick(start: u64, size: u64, taken: &mut FastSet<u32>, to: impl Fn(u64) -> u32) -> u32 {
    let mut n = start;
    for _ in 0..size {
        let v = to(n);
        if taken.insert(v) {
            return v;
        }
        n = (n + 1) % size;
    }
    to(start)
}

/// The first free NodePort from the one `hash` (of `<namespace>/<name>:<port>`) picks.
fn allocate_node_port(hash: u64, taken: &mut FastSet<u32>) -> u16 {
    let span = u64::from(NODE_PORT_MAX - NODE_PORT_MIN) + 1;
    let mut n = hash % span;
    for _ in 0..span {
        let port = NODE_PORT_MIN + n as u16;
        if taken.insert(u32::from(port)) {
            return port;
        }
        n = (n + 1) % span;
    }
    NODE_PORT_MIN
}

/// The EndpointSlice controller's view of the pods: the ready ones (Running on a node), by
/// group. A group is the pods of one template, which share a namespace and a label set, so
/// selectors are matched once per group, not once per pod (thousands of services × 150,000
/// pods must stay fast).
pub struct PodIndex<'a> {
    /// Per group: its namespace and labels (from its first ready pod).
    groups: Vec<Option<(&'a str, &'a BTreeMap<String, String>)>>,
    /// (namespace, key, value) → the groups carrying that label, in group order.
    by_label: FastMap<(&'a str, &'a str, &'a str), Vec<usize>>,
    /// The ready pods of group `g`, in pod order: `members[start[g]..start[g + 1]]`.
    start: Vec<usize>,
    members: Vec<usize>,
}

impl<'a> PodIndex<'a> {
    /// Indexes `pods`; `group_of[i]` is pod `i`'s group, below `groups`.
    pub fn new(pods: &'a [Pod], group_of: &[usize], groups: usize) -> PodIndex<'a> {
        let ready = |p: &Pod| p.status == PodStatus::Running && p.node.is_some() && p.ip.is_some();
        let mut start = vec![0usize; groups + 1];
        let mut first: Vec<Option<(&str, &BTreeMap<String, String>)>> = vec![None; groups];
        // The pod records are read once (150,000 of them, each ~150 bytes): the ready ones are
        // noted in a compact list, which the second pass reads instead.
        let mut ready_pods: Vec<(u32, u32)> = Vec::with_capacity(pods.len());
        for (i, (p, &g)) in pods.iter().zip(group_of).enumerate() {
            if ready(p) {
                start[g + 1] += 1;
                first[g].get_or_insert((p.namespace.as_str(), &*p.labels));
                ready_pods.push((i as u32, g as u32));
            }
        }
        for g in 0..groups {
            start[g + 1] += start[g];
        }
        let mut members = vec![0usize; start[groups]];
        let mut next = start.clone();
        for &(i, g) in &ready_pods {
            let g = g as usize;
            members[next[g]] = i as usize;
            next[g] += 1;
        }
        let mut by_label: FastMap<(&str, &str, &str), Vec<usize>> = map_with_capacity(groups);
        for (g, group) in first.iter().enumerate() {
            if let Some((namespace, labels)) = group {
                for (k, v) in labels.iter() {
                    by_label
                        .entry((namespace, k.as_str(), v.as_str()))
                        .or_default()
                        .push(g);
                }
            }
        }
        PodIndex {
            groups: first,
            by_label,
            start,
            members,
        }
    }
}

/// The EndpointSlice controller's view: pods in the service's namespace whose labels match its
/// selector and that are ready, in pod order. A service without a selector gets none.
/// `node_az[n]` is node `n`'s AZ.
pub fn endpoints(
    service: &Service,
    pods: &[Pod],
    index: &PodIndex,
    node_az: &[SharedStr],
) -> Vec<Endpoint> {
    let Some((k, v)) = service.selector.iter().next() else {
        return Vec::new();
    };
    let Some(groups) = index
        .by_label
        .get(&(service.namespace.as_str(), k.as_str(), v.as_str()))
    else {
        return Vec::new();
    };
    let members = |g: usize| &index.members[index.start[g]..index.start[g + 1]];
    let mut selected = groups.iter().copied().filter(|&g| {
        index.groups[g].is_some_and(|(_, labels)| {
            service
                .selector
                .iter()
                .all(|(k, v)| labels.get(k) == Some(v))
        })
    });
    let endpoint = |&i: &usize| {
        let p = &pods[i];
        let node = p.node?;
        Some(Endpoint {
            pod: p.name.clone(),
            ip: p.ip?,
            node: Some(node),
            az: node_az.get(node)?.clone(),
        })
    };
    let Some(one) = selected.next() else {
        return Vec::new();
    };
    match selected.next() {
        None => {
            let members = members(one);
            let mut out = Vec::with_capacity(members.len());
            out.extend(members.iter().filter_map(endpoint));
            out
        }
        Some(two) => {
            // Several groups: their pods merged back into pod order.
            let mut all: Vec<usize> = [one, two]
                .into_iter()
                .chain(selected)
                .flat_map(|g| members(g).iter().copied())
                .collect();
            all.sort_unstable();
            all.iter().filter_map(endpoint).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_in_pieces_and_decimals_match_the_whole_text() {
        let whole = stable_hash("default/web:8080");
        let pieces = [&b"default"[..], b"/", b"web", b":", b"8080"]
            .iter()
            .fold(stable_hash(""), |h, part| stable_hash_more(h, part));
        assert_eq!(whole, pieces);
        for n in [0u16, 7, 10, 99, 100, 8080, 30000, 65535] {
            let (digits, len) = decimal(n);
            assert_eq!(&digits[..len], n.to_string().as_bytes());
        }
    }
    use crate::scenario::{LoadBalancerSpec, ServicePort};

    fn spec(name: &str, t: ServiceType) -> scenario::Service {
        scenario::Service {
            name: name.into(),
            namespace: "default".into(),
            selector: [("app".to_string(), name.to_string())].into(),
            service_type: t,
            ports: vec![ServicePort {
                name: None,
                port: 80,
                target_port: Some(8080),
                protocol: Protocol::TCP,
                node_port: None,
            }],
            external_traffic_policy: TrafficPolicy::Cluster,
            internal_traffic_policy: TrafficPolicy::Cluster,
            load_balancer: None,
        }
    }

    fn cidr() -> IpNet {
        "172.20.0.0/16".parse().unwrap()
    }

    #[test]
    fn cluster_ips_and_node_ports_are_unique_deterministic_and_stable() {
        let specs: Vec<_> = (0..200)
            .map(|i| spec(&format!("svc{i}"), ServiceType::NodePort))
            .collect();
        let mut problems = Vec::new();
        let a = build_services(&specs, cidr(), &mut problems);
        assert!(problems.is_empty());
        let ips: std::collections::HashSet<_> = a.iter().map(|s| s.cluster_ip).collect();
        let ports: std::collections::HashSet<_> =
            a.iter().map(|s| s.ports[0].node_port.unwrap()).collect();
        assert_eq!((ips.len(), ports.len()), (200, 200));
        assert!(a.iter().all(|s| cidr().contains(&s.cluster_ip)
            && ![nth(cidr(), 1), nth(cidr(), 10)].contains(&s.cluster_ip)));
        assert!(ports
            .iter()
            .all(|p| (NODE_PORT_MIN..=NODE_PORT_MAX).contains(p)));
        assert_eq!(a, build_services(&specs, cidr(), &mut problems));
        // Removing one service leaves the others where they were.
        let b = build_services(&specs[1..], cidr(), &mut problems);
        assert_eq!(a[5].cluster_ip, b[4].cluster_ip);
        assert_eq!(a[5].ports, b[4].ports);
        assert_eq!(a[0].dns, "svc0.default.svc.cluster.local");
    }

    #[test]
    fn load_balancer_local_gets_a_health_check_node_port() {
        let mut s = spec("web", ServiceType::LoadBalancer);
        s.external_traffic_policy = TrafficPolicy::Local;
        let mut problems = Vec::new();
        let built = build_services(&[s], cidr(), &mut problems);
        assert!(built[0].health_check_node_port.is_some());
        assert_eq!(built[0].load_balancer, Some(LoadBalancerSpec::default()));
    }

    #[test]
    fn bad_services_are_named() {
        let mut a = spec("Web", ServiceType::ClusterIP);
        a.ports[0].node_port = Some(31000);
        a.external_traffic_policy = TrafficPolicy::Local;
        let mut b = spec("db", ServiceType::NodePort);
        b.ports[0].node_port = Some(80);
        let mut problems = Vec::new();
        build_services(&[a, b], cidr(), &mut problems);
        let texts: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(texts.len(), 4, "{texts:?}");
        assert!(texts.iter().any(
            |t| t.starts_with("services[0].ports[0].nodePort: a ClusterIP service has no NodePort")
        ));
        assert!(texts
            .iter()
            .any(|t| t
                .starts_with("services[1].ports[0].nodePort: 80 is outside the NodePort range")));
        assert!(texts
            .iter()
            .any(|t| t.starts_with("services[0].name: `Web` is not a valid name")));
        assert!(texts
            .iter()
            .any(|t| t.starts_with("services[0].externalTrafficPolicy:")));
    }
}
