//! The pages of a Service — its ClusterIP, ports, traffic policies and ready endpoints — and
//! of an Ingress — its rules and the ALB its IngressGroup shares.

use super::docs;
use super::explanation::{derived, fact, mono, Explanation};
use super::load_balancer::{scheme_text, target_text};
use crate::layout::text::{plural, thousands};
use crate::model::k8s::ingress::Ingress;
use crate::model::k8s::services::Service;
use crate::model::Cluster;
use crate::scenario::{ServiceType, TrafficPolicy};

/// How many endpoint pods a Service page links to before it only counts them.
const MAX_ENDPOINT_LINKS: usize = 12;

/// A traffic policy as the Service spec writes it.
fn policy_text(policy: TrafficPolicy) -> &'static str {
    match policy {
        TrafficPolicy::Cluster => "Cluster",
        TrafficPolicy::Local => "Local",
    }
}

/// A Service type as the Service spec writes it.
fn type_text(ty: ServiceType) -> &'static str {
    match ty {
        ServiceType::ClusterIP => "ClusterIP",
        ServiceType::NodePort => "NodePort",
        ServiceType::LoadBalancer => "LoadBalancer",
    }
}

/// A Service: its virtual address, ports, policies and ready endpoints.
pub(super) fn service(cluster: &Cluster, s: &Service) -> Explanation {
    let mut d = Explanation::new("Service", format!("{}/{}", s.namespace, s.name));
    d.summary = Some(match s.service_type {
        ServiceType::ClusterIP => format!(
            "A virtual address inside the cluster: kube-proxy on every node sends connections for {} to one of {}.",
            s.cluster_ip,
            plural(s.endpoints.len() as u32, "ready endpoint", "ready endpoints")
        ),
        ServiceType::NodePort => format!(
            "Reachable on every node's address at its NodePort, and inside the cluster at {}; {}.",
            s.cluster_ip,
            plural(s.endpoints.len() as u32, "ready endpoint", "ready endpoints")
        ),
        ServiceType::LoadBalancer => format!(
            "Exposed through a load balancer, with a NodePort on every node and {} inside the cluster; {}.",
            s.cluster_ip,
            plural(s.endpoints.len() as u32, "ready endpoint", "ready endpoints")
        ),
    });
    d.facts = vec![
        fact("Type", type_text(s.service_type)),
        derived(
            "ClusterIP",
            mono(s.cluster_ip.to_string()),
            format!("from the service CIDR {}", cluster.service_cidr),
        ),
        fact("DNS name", mono(s.dns.clone())),
    ];
    for p in &s.ports {
        let node_port = p
            .node_port
            .map_or(String::new(), |np| format!(" · NodePort {np}"));
        d.facts.push(fact(
            "Port",
            mono(format!(
                "{} → {} {:?}{node_port}",
                p.port, p.target_port, p.protocol
            )),
        ));
    }
    if !s.selector.is_empty() {
        let selector: Vec<String> = s.selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
        d.facts.push(fact("Selector", mono(selector.join(", "))));
    }
    if s.service_type != ServiceType::ClusterIP {
        d.facts.push(derived(
            "externalTrafficPolicy",
            policy_text(s.external_traffic_policy),
            match s.external_traffic_policy {
                TrafficPolicy::Cluster => "any node forwards to any endpoint; the client address is SNATed to the node's",
                TrafficPolicy::Local => "a node forwards only to endpoints on itself and keeps the client address; nodes without one fail the health check",
            },
        ));
    }
    d.facts.push(fact(
        "internalTrafficPolicy",
        policy_text(s.internal_traffic_policy),
    ));
    if let Some(port) = s.health_check_node_port {
        d.facts.push(derived(
            "Health check",
            mono(format!("NodePort {port}")),
            "kube-proxy answers the load balancer here: healthy only where a ready endpoint runs",
        ));
    }
    let mut by_az: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for e in &s.endpoints {
        *by_az.entry(e.az.as_str()).or_default() += 1;
    }
    let spread: Vec<String> = by_az.iter().map(|(az, n)| format!("{az}: {n}")).collect();
    d.facts.push(derived(
        "Ready endpoints",
        thousands(s.endpoints.len() as u32),
        if spread.is_empty() {
            "no ready pod matches the selector".to_string()
        } else {
            spread.join(" · ")
        },
    ));
    if let Some(lb) = s
        .load_balancer_index
        .and_then(|i| cluster.load_balancers.get(i))
    {
        d.link("Load balancer", lb.id.clone(), lb.kind.label().to_string());
    }
    for e in s.endpoints.iter().take(MAX_ENDPOINT_LINKS) {
        // A pod, or (for `kubernetes`) the control plane's ENI in the VPC.
        let id = match e.node {
            Some(_) => cluster
                .pods
                .iter()
                .find(|p| p.name == e.pod && p.namespace == s.namespace)
                .map(|p| p.as_id()),
            None => cluster
                .control_plane
                .enis
                .iter()
                .find(|c| std::net::IpAddr::V4(c.ip) == e.ip)
                .map(|c| c.id.clone()),
        };
        if let Some(id) = id {
            d.link("Endpoint", id, format!("{} · {}", e.pod, e.ip));
        }
    }
    if s.endpoints.len() > MAX_ENDPOINT_LINKS {
        d.facts.push(fact(
            "Not listed",
            format!(
                "{} more",
                plural(
                    (s.endpoints.len() - MAX_ENDPOINT_LINKS) as u32,
                    "endpoint",
                    "endpoints"
                )
            ),
        ));
    }
    d.docs = vec![docs::SERVICE_TRAFFIC_POLICY];
    d
}

/// An Ingress: its rules and the ALB its IngressGroup shares.
pub(super) fn ingress(cluster: &Cluster, i: &Ingress) -> Explanation {
    let mut d = Explanation::new("Ingress", format!("{}/{}", i.namespace, i.name));
    d.summary = Some(format!(
        "Served by the {} ALB of IngressGroup {}: the ALB matches each request's host and path and sends it to the backend Service's targets.",
        scheme_text(i.scheme),
        i.group
    ));
    d.facts = vec![
        fact("IngressGroup", i.group.clone()),
        fact("Scheme", scheme_text(i.scheme)),
        fact("Targets", target_text(i.target_type)),
    ];
    for r in &i.rules {
        let backend = cluster
            .services
            .get(r.service)
            .map_or("?".to_string(), |s| format!("{}:{}", s.name, r.port));
        d.facts.push(fact(
            "Rule",
            mono(format!(
                "{}{} → {backend}",
                r.host.as_deref().unwrap_or("*"),
                r.path
            )),
        ));
    }
    if let Some(lb) = i.load_balancer.and_then(|n| cluster.load_balancers.get(n)) {
        d.link("Load balancer", lb.id.clone(), lb.kind.label().to_string());
    }
    let mut seen = Vec::new();
    for r in &i.rules {
        if let Some(s) = cluster.services.get(r.service) {
            if !seen.contains(&r.service) {
                seen.push(r.service);
                d.link(
                    "Backend",
                    s.id.clone(),
                    format!("{}/{} · {}", s.namespace, s.name, s.cluster_ip),
                );
            }
        }
    }
    d.docs = vec![docs::ALB_INGRESS];
    d
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{gallery, page, value};
    use crate::scenario::TrafficPolicy;

    #[test]
    fn a_local_service_explains_its_health_check_and_endpoints() {
        let cluster = gallery("etp-cluster-vs-local");
        let s = cluster
            .services
            .iter()
            .find(|s| s.external_traffic_policy == TrafficPolicy::Local)
            .expect("the gallery scenario has a Local service");
        let p = page(&cluster, &s.id);
        assert_eq!(value(&p, "ClusterIP"), s.cluster_ip.to_string());
        assert_eq!(value(&p, "externalTrafficPolicy"), "Local");
        assert!(p.fact("Health check").is_some());
        let ready = p.fact("Ready endpoints").unwrap();
        assert!(ready.formula.as_deref().unwrap().contains("us-east-1"));
        assert!(super::super::explain_text(&cluster, "service:nope/none").is_err());
    }

    #[test]
    fn every_service_and_ingress_has_a_page() {
        let cluster = gallery("ingress-groups");
        assert!(!cluster.ingresses.is_empty());
        for s in &cluster.services {
            assert!(page(&cluster, &s.id).summary.is_some());
        }
        for i in &cluster.ingresses {
            let p = page(&cluster, &i.id);
            assert!(p.facts.iter().any(|f| f.label == "Rule"), "{}", i.id);
            assert!(p.related.iter().any(|r| r.label == "Load balancer"));
        }
    }
}
