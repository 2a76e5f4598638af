//! Inspector pages for the Kubernetes side of traffic: load balancers (and their node in each
//! AZ), Services and Ingresses — what was created, where its addresses come from and where it
//! sends connections.

use super::docs;
use super::inspector::{derived, fact, mono, Details};
use crate::layout::text::{plural, thousands};
use crate::model::aws::load_balancer::{LbKind, LbNode, LoadBalancer};
use crate::model::k8s::ingress::Ingress;
use crate::model::k8s::services::Service;
use crate::model::Cluster;
use crate::scenario::{Scheme, ServiceType, TargetType, TrafficPolicy};

/// How many endpoint pods a Service page links to before it only counts them.
const MAX_ENDPOINT_LINKS: usize = 12;

fn scheme_text(scheme: Scheme) -> &'static str {
    match scheme {
        Scheme::Internal => "internal",
        Scheme::InternetFacing => "internet-facing",
    }
}

fn target_text(target: TargetType) -> &'static str {
    match target {
        TargetType::Instance => "instance: each node, on the Service's NodePort",
        TargetType::Ip => "ip: each ready pod's own address",
    }
}

fn policy_text(policy: TrafficPolicy) -> &'static str {
    match policy {
        TrafficPolicy::Cluster => "Cluster",
        TrafficPolicy::Local => "Local",
    }
}

fn type_text(ty: ServiceType) -> &'static str {
    match ty {
        ServiceType::ClusterIP => "ClusterIP",
        ServiceType::NodePort => "NodePort",
        ServiceType::LoadBalancer => "LoadBalancer",
    }
}

fn lb_index(cluster: &Cluster, lb: &LoadBalancer) -> Option<usize> {
    cluster.load_balancers.iter().position(|l| l.id == lb.id)
}

fn lb_node_text(cluster: &Cluster, n: &LbNode) -> String {
    let subnet = cluster
        .subnets
        .get(n.subnet)
        .map_or("?", |s| s.name.as_str());
    match n.public_ip {
        Some(public) => format!("{} · {} · {} (public {public})", n.az, subnet, n.private_ip),
        None => format!("{} · {} · {}", n.az, subnet, n.private_ip),
    }
}

/// A load balancer: one node (and address) per AZ, and what it forwards to.
pub(super) fn load_balancer_details(cluster: &Cluster, lb: &LoadBalancer) -> Details {
    let mut d = Details::new(lb.kind.label(), lb.name.clone());
    let index = lb_index(cluster, lb);
    let services: Vec<&Service> = cluster
        .services
        .iter()
        .filter(|s| index.is_some() && s.load_balancer_index == index)
        .collect();
    let ingresses: Vec<&Ingress> = cluster
        .ingresses
        .iter()
        .filter(|i| index.is_some() && i.load_balancer == index)
        .collect();
    let made_by = match lb.kind {
        LbKind::Alb => "the AWS Load Balancer Controller, for an IngressGroup",
        LbKind::Nlb => "the AWS Load Balancer Controller, for a LoadBalancer Service",
        LbKind::Clb => "the in-tree cloud provider, for a LoadBalancer Service",
    };
    d.summary = Some(format!(
        "An {} {} made by {made_by}; it has a node and an address in each of {} and forwards to {}.",
        scheme_text(lb.scheme),
        lb.kind.label(),
        plural(lb.nodes.len() as u32, "Availability Zone", "Availability Zones"),
        match lb.target_type {
            TargetType::Instance => "the nodes' NodePort",
            TargetType::Ip => "the pods' addresses directly",
        }
    ));
    d.facts = vec![
        fact("Scheme", scheme_text(lb.scheme)),
        fact("Targets", target_text(lb.target_type)),
        derived(
            "Cross-zone",
            if lb.cross_zone { "on" } else { "off" },
            if lb.kind == LbKind::Alb {
                "always on for an Application Load Balancer"
            } else if lb.cross_zone {
                "each node spreads over targets in every AZ"
            } else {
                "each node sends only to targets in its own AZ"
            },
        ),
        fact("DNS name", mono(lb.dns_name.clone())),
    ];
    for n in &lb.nodes {
        d.links.push((
            "Node in AZ",
            format!("{}/{}", lb.id, n.az),
            lb_node_text(cluster, n),
        ));
    }
    for s in services {
        d.links.push((
            "Service",
            s.id.clone(),
            format!("{}/{} · {}", s.namespace, s.name, s.cluster_ip),
        ));
    }
    for i in ingresses {
        d.links.push((
            "Ingress",
            i.id.clone(),
            format!("{}/{}", i.namespace, i.name),
        ));
    }
    d.docs = vec![match lb.kind {
        LbKind::Alb => docs::ALB_INGRESS,
        LbKind::Nlb | LbKind::Clb => docs::NETWORK_LOAD_BALANCING,
    }];
    d
}

/// One AZ's node of a load balancer: its address in a subnet of that AZ.
pub(super) fn lb_node_details(cluster: &Cluster, lb: &LoadBalancer, n: &LbNode) -> Details {
    let mut d = Details::new("Load balancer node", format!("{} in {}", lb.name, n.az));
    d.summary = Some(format!(
        "The {}'s network interface in {}: connections resolved to this AZ's address arrive here.",
        lb.kind.label(),
        n.az
    ));
    d.facts = vec![
        fact("Availability Zone", n.az.clone()),
        fact("Private address", mono(n.private_ip.to_string())),
    ];
    if let Some(public) = n.public_ip {
        d.facts
            .push(fact("Public address", mono(public.to_string())));
    }
    d.links
        .push(("Load balancer", lb.id.clone(), lb.name.clone()));
    if let Some(s) = cluster.subnets.get(n.subnet) {
        d.links
            .push(("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr)));
    }
    d.docs = vec![match lb.kind {
        LbKind::Alb => docs::ALB_INGRESS,
        LbKind::Nlb | LbKind::Clb => docs::NETWORK_LOAD_BALANCING,
    }];
    d
}

/// A Service: its virtual address, ports, policies and ready endpoints.
pub(super) fn service_details(cluster: &Cluster, s: &Service) -> Details {
    let mut d = Details::new("Service", format!("{}/{}", s.namespace, s.name));
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
        d.links
            .push(("Load balancer", lb.id.clone(), lb.kind.label().to_string()));
    }
    for e in s.endpoints.iter().take(MAX_ENDPOINT_LINKS) {
        // A pod, or (for `kubernetes`) the control plane's ENI in the VPC.
        let id = match e.node {
            Some(_) => cluster
                .pods
                .iter()
                .find(|p| p.name == e.pod && p.namespace == s.namespace)
                .map(|p| p.id.to_string()),
            None => cluster
                .control_plane
                .enis
                .iter()
                .find(|c| std::net::IpAddr::V4(c.ip) == e.ip)
                .map(|c| c.id.clone()),
        };
        if let Some(id) = id {
            d.links
                .push(("Endpoint", id, format!("{} · {}", e.pod, e.ip)));
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
pub(super) fn ingress_details(cluster: &Cluster, i: &Ingress) -> Details {
    let mut d = Details::new("Ingress", format!("{}/{}", i.namespace, i.name));
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
        d.links
            .push(("Load balancer", lb.id.clone(), lb.kind.label().to_string()));
    }
    let mut seen = Vec::new();
    for r in &i.rules {
        if let Some(s) = cluster.services.get(r.service) {
            if !seen.contains(&r.service) {
                seen.push(r.service);
                d.links.push((
                    "Backend",
                    s.id.clone(),
                    format!("{}/{} · {}", s.namespace, s.name, s.cluster_ip),
                ));
            }
        }
    }
    d.docs = vec![docs::ALB_INGRESS];
    d
}

#[cfg(test)]
mod tests {
    use super::super::lookup::{resolve, Target};
    use super::*;
    use crate::model;
    use crate::scenario::from_json;

    fn gallery(name: &str) -> Cluster {
        let path = format!(
            "{}/static/scenarios/gallery/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let text = std::fs::read_to_string(path).unwrap();
        model::build(&from_json(&text).unwrap()).unwrap()
    }

    /// Every load balancer, LB node, Service and Ingress id of the cluster has a page, and
    /// every link on it leads to something that resolves too.
    fn every_id_has_a_page(cluster: &Cluster) -> usize {
        let mut ids: Vec<String> = Vec::new();
        for lb in &cluster.load_balancers {
            ids.push(lb.id.clone());
            ids.extend(lb.nodes.iter().map(|n| format!("{}/{}", lb.id, n.az)));
        }
        ids.extend(cluster.services.iter().map(|s| s.id.clone()));
        ids.extend(cluster.ingresses.iter().map(|i| i.id.clone()));
        for id in &ids {
            let target = resolve(cluster, id).unwrap_or_else(|| panic!("{id} does not resolve"));
            let d = match target {
                Target::LoadBalancer(lb) => load_balancer_details(cluster, lb),
                Target::LbNode(lb, n) => lb_node_details(cluster, lb, n),
                Target::Service(s) => service_details(cluster, s),
                Target::Ingress(i) => ingress_details(cluster, i),
                other => panic!("{id} resolved to {other:?}"),
            };
            assert!(!d.title.is_empty() && d.summary.is_some(), "{id}");
            for (_, link, _) in &d.links {
                assert!(resolve(cluster, link).is_some(), "{id} links to {link}");
            }
        }
        ids.len()
    }

    #[test]
    fn load_balancers_services_and_ingresses_have_pages() {
        let etp = gallery("etp-cluster-vs-local");
        assert!(!etp.load_balancers.is_empty());
        assert!(every_id_has_a_page(&etp) > etp.load_balancers.len());
        let ingress = gallery("ingress-groups");
        assert!(!ingress.ingresses.is_empty());
        every_id_has_a_page(&ingress);
    }

    #[test]
    fn an_nlb_page_names_its_nodes_and_service() {
        let cluster = gallery("etp-cluster-vs-local");
        let lb = &cluster.load_balancers[0];
        let d = load_balancer_details(&cluster, lb);
        let nodes = d.links.iter().filter(|l| l.0 == "Node in AZ").count();
        assert_eq!(nodes, lb.nodes.len());
        assert!(d.links.iter().any(|l| l.0 == "Service"));
        let node = &lb.nodes[0];
        let page = lb_node_details(&cluster, lb, node);
        let text: Vec<String> = page
            .facts
            .iter()
            .map(|f| format!("{:?}", f.value))
            .collect();
        assert!(text
            .iter()
            .any(|t| t.contains(&node.private_ip.to_string())));
    }

    #[test]
    fn a_local_service_explains_its_health_check() {
        let cluster = gallery("etp-cluster-vs-local");
        let s = cluster
            .services
            .iter()
            .find(|s| s.external_traffic_policy == TrafficPolicy::Local)
            .expect("the gallery scenario has a Local service");
        let d = service_details(&cluster, s);
        assert!(d.facts.iter().any(|f| f.label == "Health check"));
        let ready = d
            .facts
            .iter()
            .find(|f| f.label == "Ready endpoints")
            .unwrap();
        assert!(ready.formula.as_deref().unwrap().contains("us-east-1"));
    }

    #[test]
    fn an_unknown_lb_node_does_not_resolve() {
        let cluster = gallery("etp-cluster-vs-local");
        let lb = &cluster.load_balancers[0];
        assert!(resolve(&cluster, &format!("{}/mars-1a", lb.id)).is_none());
        assert!(resolve(&cluster, "lb:nothing").is_none());
        assert!(resolve(&cluster, "service:nope/none").is_none());
    }
}
