//! How a load balancer's connections split over pods, exactly.
//!
//! Instance targets (NodePorts): the load balancer splits over the healthy nodes — per AZ
//! first when cross-zone load balancing is off — and kube-proxy on each node splits again:
//! over every endpoint (`externalTrafficPolicy: Cluster`) or over the node's own
//! (`Local`). IP targets: the load balancer splits over the pods directly, per AZ first when
//! cross-zone is off.
//!
//! With cross-zone off, an AZ whose load balancer node has no healthy target is left out of
//! DNS, so clients never reach it and its share goes to the other AZs ("If there are no
//! healthy targets in an enabled Availability Zone, we remove the IP address for the
//! corresponding subnet from DNS" — ELB user guide, "Health checks for Network Load Balancer
//! target groups"). Targets in an AZ where the load balancer has no subnet are unused.
//!
//! Linear in nodes and endpoints.

use super::ratio::Ratio;
use crate::model::aws::load_balancer::{LbKind, LoadBalancer};
use crate::model::k8s::services::Service;
use crate::model::Cluster;
use crate::scenario::{NodeState, TrafficPolicy};

/// One pod's share of a flow's connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    /// The pod's name (or `kube-apiserver` for the API server's endpoints).
    pub pod: String,
    /// Its drawn id (`pod:<namespace>/<name>`, or `eks-eni:<az>`).
    pub id: crate::model::Id,
    /// The node it runs on (empty outside the nodes).
    pub node: String,
    pub az: String,
    pub share: Ratio,
}

/// A node that receives nothing, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnhealthyNode {
    pub node: String,
    pub reason: String,
}

/// What the load balancer sends to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Targets {
    /// Nodes on the service's NodePort; kube-proxy applies the traffic policy.
    Instance,
    /// Pod addresses; kube-proxy is bypassed.
    Ip,
}

/// The outcome: per-pod shares (every endpoint, in endpoint order, zero for those that get
/// nothing), nodes left out, and the path to draw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    pub shares: Vec<Share>,
    pub unhealthy: Vec<UnhealthyNode>,
    /// Sentences on DNS and AZs worth telling.
    pub notes: Vec<String>,
    /// Share of connections that cross an AZ boundary at least once (`None` if the exact sum
    /// overflowed).
    pub cross_az: Option<Ratio>,
    /// The load balancer node the traced path enters by (index into `lb.nodes`).
    pub lb_node: usize,
    /// Instance targets: the node the traced path goes to.
    pub target_node: Option<usize>,
    /// IP targets: the endpoint the traced path goes to (index into `service.endpoints`).
    pub target_endpoint: Option<usize>,
}

/// Why nodes do not take part: failed, never joined. `None` = registered.
pub fn not_registered(cluster: &Cluster, n: usize) -> Option<String> {
    let node = &cluster.nodes[n];
    if node.state == Some(NodeState::Failed) {
        return Some("failed: NotReady, then terminated, so it left the target group".into());
    }
    if let crate::model::aws::api_access::ApiPath::Blocked(why) = &node.api_path {
        return Some(format!(
            "never joined the cluster ({why}), so it is no target"
        ));
    }
    None
}

/// The health check words for a node without a local endpoint (instance targets, Local).
fn local_health_failure(lb: &LoadBalancer, service: &Service) -> String {
    let key = format!("{}/{}", service.namespace, service.name);
    match (lb.kind, service.health_check_node_port) {
        (LbKind::Alb, _) | (_, None) => format!(
            "no local endpoint of {key}: with externalTrafficPolicy Local kube-proxy drops NodePort traffic here, so the health check on the traffic port fails"
        ),
        (_, Some(hc)) => format!(
            "no local endpoint of {key}: kube-proxy answers 503 on healthCheckNodePort {hc} /healthz, so the health check fails"
        ),
    }
}

/// The load balancer's view of the service's targets. `Err` when no target is healthy.
pub fn distribute(
    cluster: &Cluster,
    lb: &LoadBalancer,
    service: &Service,
    targets: Targets,
) -> Result<Distribution, String> {
    let lb_azs: Vec<&str> = lb.nodes.iter().map(|n| n.az.as_str()).collect();
    let endpoints = &service.endpoints;
    if lb.nodes.is_empty() {
        return Err(format!(
            "load balancer {} has no node in any subnet",
            lb.name
        ));
    }
    match targets {
        Targets::Instance => instance(cluster, lb, service, &lb_azs),
        Targets::Ip => {
            if endpoints.is_empty() {
                return Err(no_endpoints(service));
            }
            ip(cluster, lb, service, &lb_azs)
        }
    }
}

pub fn no_endpoints(service: &Service) -> String {
    format!(
        "service {}/{} has no ready endpoints: no Running pod matches its selector",
        service.namespace, service.name
    )
}

fn instance(
    cluster: &Cluster,
    lb: &LoadBalancer,
    service: &Service,
    lb_azs: &[&str],
) -> Result<Distribution, String> {
    let nodes = &cluster.nodes;
    let policy = service.external_traffic_policy;
    let mut local = vec![0usize; nodes.len()];
    for e in &service.endpoints {
        if let Some(n) = e.node {
            local[n] += 1;
        }
    }
    if service.endpoints.is_empty() {
        return Err(no_endpoints(service));
    }
    let mut unhealthy = Vec::new();
    let mut healthy: Vec<usize> = Vec::new();
    for (n, node) in nodes.iter().enumerate() {
        let reason = if let Some(why) = not_registered(cluster, n) {
            Some(why)
        } else if policy == TrafficPolicy::Local && local[n] == 0 {
            Some(local_health_failure(lb, service))
        } else if !lb_azs.contains(&node.az.as_str()) {
            Some(format!(
                "in {}, where the load balancer has no subnet: the target is unused",
                node.az
            ))
        } else {
            None
        };
        match reason {
            Some(reason) => unhealthy.push(UnhealthyNode {
                node: node.name.clone(),
                reason,
            }),
            None => healthy.push(n),
        }
    }
    if healthy.is_empty() {
        return Err(format!(
            "no node passes the load balancer's health check: {}",
            unhealthy
                .first()
                .map(|u| u.reason.clone())
                .unwrap_or_default()
        ));
    }
    // Healthy nodes per LB node's AZ.
    let per_az: Vec<usize> = lb_azs
        .iter()
        .map(|az| healthy.iter().filter(|&&n| nodes[n].az == *az).count())
        .collect();
    let mut notes = Vec::new();
    let in_dns: Vec<usize> = if lb.cross_zone {
        (0..lb.nodes.len()).collect()
    } else {
        let keep: Vec<usize> = (0..lb.nodes.len()).filter(|&i| per_az[i] > 0).collect();
        for (i, lbn) in lb.nodes.iter().enumerate() {
            if per_az[i] == 0 {
                notes.push(format!(
                    "DNS leaves out the load balancer node in {}: no healthy target there and cross-zone load balancing is off, so its share goes to the other AZs",
                    lbn.az
                ));
            }
        }
        keep
    };
    // The share each healthy node receives.
    let mut node_share = vec![Ratio::ZERO; nodes.len()];
    let a = Ratio::recip(in_dns.len()).ok_or("no load balancer node in DNS")?;
    if lb.cross_zone {
        let each = Ratio::recip(healthy.len()).ok_or("no healthy target")?;
        for &n in &healthy {
            node_share[n] = each;
        }
    } else {
        for &i in &in_dns {
            let each = a
                .checked_mul(Ratio::recip(per_az[i]).ok_or("no healthy target")?)
                .ok_or("share overflow")?;
            for &n in healthy.iter().filter(|&&n| nodes[n].az == lb_azs[i]) {
                node_share[n] = each;
            }
        }
    }
    let total = service.endpoints.len();
    let shares = service
        .endpoints
        .iter()
        .map(|e| {
            let share = match (policy, e.node) {
                (TrafficPolicy::Cluster, _) => Ratio::recip(total).unwrap_or(Ratio::ZERO),
                (TrafficPolicy::Local, Some(n)) => node_share[n]
                    .checked_mul(Ratio::recip(local[n]).unwrap_or(Ratio::ZERO))
                    .unwrap_or(Ratio::ZERO),
                (TrafficPolicy::Local, None) => Ratio::ZERO,
            };
            share_of(cluster, service, e, share)
        })
        .collect();
    // Connections that stay in one AZ: the LB node's AZ, the node's and the pod's agree.
    let endpoints_in = |az: &str| service.endpoints.iter().filter(|e| e.az == az).count();
    let mut same = Some(Ratio::ZERO);
    for &i in &in_dns {
        let az = lb_azs[i];
        let p_node_here: Ratio = if lb.cross_zone {
            Ratio::new(per_az[i] as u64, healthy.len() as u64).unwrap_or(Ratio::ZERO)
        } else {
            Ratio::ONE
        };
        let p_pod_here = match policy {
            TrafficPolicy::Local => Ratio::ONE,
            TrafficPolicy::Cluster => {
                Ratio::new(endpoints_in(az) as u64, total as u64).unwrap_or(Ratio::ZERO)
            }
        };
        same =
            same.and_then(|s| s.checked_add(a.checked_mul(p_node_here)?.checked_mul(p_pod_here)?));
    }
    let cross_az = same.map(|s| minus(Ratio::ONE, s));
    // The traced path: the first LB node in DNS, then the first healthy node it may send to.
    let lb_node = in_dns[0];
    let target_node = healthy
        .iter()
        .copied()
        .find(|&n| lb.cross_zone || nodes[n].az == lb_azs[lb_node]);
    Ok(Distribution {
        shares,
        unhealthy,
        notes,
        cross_az,
        lb_node,
        target_node,
        target_endpoint: None,
    })
}

fn ip(
    cluster: &Cluster,
    lb: &LoadBalancer,
    service: &Service,
    lb_azs: &[&str],
) -> Result<Distribution, String> {
    let endpoints = &service.endpoints;
    let mut notes = Vec::new();
    let usable: Vec<bool> = endpoints
        .iter()
        .map(|e| lb_azs.contains(&e.az.as_str()))
        .collect();
    let mut unused_azs: Vec<&str> = Vec::new();
    for (e, ok) in endpoints.iter().zip(&usable) {
        if !ok && !unused_azs.contains(&e.az.as_str()) {
            unused_azs.push(&e.az);
        }
    }
    for az in &unused_azs {
        notes.push(format!(
            "pods in {az} get nothing: the load balancer has no subnet there, so those targets are unused"
        ));
    }
    let eligible = usable.iter().filter(|u| **u).count();
    if eligible == 0 {
        return Err(format!(
            "every endpoint of {}/{} is in an AZ where the load balancer has no subnet",
            service.namespace, service.name
        ));
    }
    let per_az: Vec<usize> = lb_azs
        .iter()
        .map(|az| endpoints.iter().filter(|e| e.az == *az).count())
        .collect();
    let in_dns: Vec<usize> = if lb.cross_zone {
        (0..lb.nodes.len()).collect()
    } else {
        for (i, lbn) in lb.nodes.iter().enumerate() {
            if per_az[i] == 0 {
                notes.push(format!(
                    "DNS leaves out the load balancer node in {}: no healthy target there and cross-zone load balancing is off, so its share goes to the other AZs",
                    lbn.az
                ));
            }
        }
        (0..lb.nodes.len()).filter(|&i| per_az[i] > 0).collect()
    };
    let a = Ratio::recip(in_dns.len()).ok_or("no load balancer node in DNS")?;
    let shares = endpoints
        .iter()
        .zip(&usable)
        .map(|(e, ok)| {
            let share = if !ok {
                Ratio::ZERO
            } else if lb.cross_zone {
                Ratio::recip(eligible).unwrap_or(Ratio::ZERO)
            } else {
                let i = lb_azs.iter().position(|az| *az == e.az).unwrap_or(0);
                a.checked_mul(Ratio::recip(per_az[i]).unwrap_or(Ratio::ZERO))
                    .unwrap_or(Ratio::ZERO)
            };
            share_of(cluster, service, e, share)
        })
        .collect();
    let cross_az = if lb.cross_zone {
        let mut same = Some(Ratio::ZERO);
        for &i in &in_dns {
            let here = Ratio::new(per_az[i] as u64, eligible as u64).unwrap_or(Ratio::ZERO);
            same = same.and_then(|s| s.checked_add(a.checked_mul(here)?));
        }
        same.map(|s| minus(Ratio::ONE, s))
    } else {
        Some(Ratio::ZERO)
    };
    let lb_node = in_dns[0];
    let target_endpoint = endpoints
        .iter()
        .zip(&usable)
        .position(|(e, ok)| *ok && (lb.cross_zone || e.az == lb_azs[lb_node]));
    Ok(Distribution {
        shares,
        unhealthy: Vec::new(),
        notes,
        cross_az,
        lb_node,
        target_node: None,
        target_endpoint,
    })
}

/// `a − b` for `b ≤ a`.
fn minus(a: Ratio, b: Ratio) -> Ratio {
    let (an, ad, bn, bd) = (
        u128::from(a.numer()),
        u128::from(a.denom()),
        u128::from(b.numer()),
        u128::from(b.denom()),
    );
    let num = (an * bd).saturating_sub(bn * ad);
    let den = ad * bd;
    let g = {
        let (mut x, mut y) = (num, den);
        while y != 0 {
            (x, y) = (y, x % y);
        }
        x.max(1)
    };
    Ratio::new(
        u64::try_from(num / g).unwrap_or(0),
        u64::try_from(den / g).unwrap_or(1),
    )
    .unwrap_or(Ratio::ZERO)
}

fn share_of(
    cluster: &Cluster,
    service: &Service,
    e: &crate::model::k8s::services::Endpoint,
    share: Ratio,
) -> Share {
    Share {
        pod: e.pod.to_string(),
        id: crate::model::Id::pod(&service.namespace, &e.pod),
        node: e
            .node
            .map(|n| cluster.nodes[n].name.clone())
            .unwrap_or_default(),
        az: e.az.to_string(),
        share,
    }
}

/// Shares spread evenly over `n` endpoints of a ClusterIP (kube-proxy picks at random).
pub fn even(
    cluster: &Cluster,
    service: &Service,
    chosen: &[&crate::model::k8s::services::Endpoint],
) -> Vec<Share> {
    let each = Ratio::recip(chosen.len()).unwrap_or(Ratio::ZERO);
    chosen
        .iter()
        .map(|e| {
            let mut s = share_of(cluster, service, e, each);
            if e.node.is_none() {
                s.id = crate::model::Id::EksEni(e.az.to_string());
            }
            s
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{default_scenario, LoadBalancerSpec, Scheme, ServicePort, ServiceType};

    /// Default cluster, `replicas` web pods, a public NLB service with `policy`.
    fn cluster(replicas: u32, policy: TrafficPolicy, cross_zone: bool) -> Cluster {
        let mut s = default_scenario();
        s.workloads.push(
            serde_json::from_value(serde_json::json!({"name": "web", "replicas": replicas}))
                .unwrap(),
        );
        s.services.push(crate::scenario::Service {
            name: "web".into(),
            namespace: "default".into(),
            selector: [("app".to_string(), "web".to_string())].into(),
            service_type: ServiceType::LoadBalancer,
            ports: vec![ServicePort {
                name: None,
                port: 80,
                target_port: Some(8080),
                protocol: Default::default(),
                node_port: None,
            }],
            external_traffic_policy: policy,
            internal_traffic_policy: TrafficPolicy::Cluster,
            load_balancer: Some(LoadBalancerSpec {
                scheme: Some(Scheme::InternetFacing),
                cross_zone,
                ..Default::default()
            }),
        });
        crate::model::build(&s).unwrap()
    }

    fn web(c: &Cluster) -> (&LoadBalancer, &Service) {
        let svc = c.services.iter().find(|s| s.name == "web").unwrap();
        (&c.load_balancers[svc.load_balancer_index.unwrap()], svc)
    }

    #[test]
    fn cluster_policy_is_one_nth_per_pod_whatever_the_node_split() {
        for cross_zone in [false, true] {
            let c = cluster(5, TrafficPolicy::Cluster, cross_zone);
            let (lb, svc) = web(&c);
            let d = distribute(&c, lb, svc, Targets::Instance).unwrap();
            assert!(d
                .shares
                .iter()
                .all(|s| s.share == Ratio::new(1, 5).unwrap()));
            assert!(d.unhealthy.is_empty());
            assert_eq!(d.target_node, Some(0));
        }
    }

    #[test]
    fn local_policy_follows_the_pods_per_node() {
        // 5 pods over 3 nodes (2, 2, 1): each node 1/3, so 1/6, 1/6, 1/6, 1/6, 1/3.
        let c = cluster(5, TrafficPolicy::Local, false);
        let (lb, svc) = web(&c);
        let d = distribute(&c, lb, svc, Targets::Instance).unwrap();
        let mut got: Vec<Ratio> = d.shares.iter().map(|s| s.share).collect();
        got.sort();
        let r = |n, d| Ratio::new(n, d).unwrap();
        assert_eq!(got, vec![r(1, 6), r(1, 6), r(1, 6), r(1, 6), r(1, 3)]);
        assert_eq!(Ratio::checked_sum(got), Some(Ratio::ONE));
        assert_eq!(d.cross_az, Some(Ratio::ZERO));
    }

    #[test]
    fn no_endpoints_is_an_error_with_the_reason() {
        let c = cluster(0, TrafficPolicy::Local, false);
        let (lb, svc) = web(&c);
        let e = distribute(&c, lb, svc, Targets::Instance).unwrap_err();
        assert!(e.contains("no ready endpoints"), "{e}");
        assert!(distribute(&c, lb, svc, Targets::Ip).is_err());
    }

    #[test]
    fn subtraction_is_exact() {
        let r = |n, d| Ratio::new(n, d).unwrap();
        assert_eq!(minus(Ratio::ONE, r(1, 3)), r(2, 3));
        assert_eq!(minus(r(1, 2), r(1, 2)), Ratio::ZERO);
    }
}
