//! kube-proxy (iptables mode) on a node: a ClusterIP or a NodePort is DNATed to one ready
//! endpoint, chosen uniformly at random; traffic that arrived from outside the node for a
//! `externalTrafficPolicy: Cluster` service is also masqueraded to the node's address, so
//! replies come back through it. `Local` keeps the source and uses only the node's own
//! endpoints; `internalTrafficPolicy: Local` does the same for in-cluster ClusterIP traffic
//! and drops it when the caller's node has none (Kubernetes docs, "Virtual IPs and Service
//! Proxies", "Service Internal Traffic Policy").
//!
//! The traced path takes the first eligible endpoint in EndpointSlice order and says so; the
//! trace's shares give every endpoint its exact chance.

use std::net::{IpAddr, SocketAddr};

use super::hop::HopKind;
use super::pod_path::Source;
use super::security_groups::Party;
use super::trace::{Stop, Walk};
use super::{shares, Outcome, Tracer};
use crate::model::k8s::services::{Endpoint, Service};
use crate::scenario::{Protocol, RuleProtocol, TrafficPolicy};

pub(super) fn rule_protocol(p: Protocol) -> RuleProtocol {
    match p {
        Protocol::TCP => RuleProtocol::Tcp,
        Protocol::UDP => RuleProtocol::Udp,
    }
}

/// `default/web`.
pub(super) fn key(s: &Service) -> String {
    format!("{}/{}", s.namespace, s.name)
}

impl Tracer<'_> {
    /// The pod behind an endpoint.
    pub(super) fn endpoint_pod(&self, svc: &Service, e: &Endpoint) -> Option<usize> {
        self.cluster
            .pods
            .iter()
            .position(|p| p.namespace == svc.namespace && p.name == e.pod)
    }

    /// Where an endpoint runs, for an action text.
    fn endpoint_where(&self, e: &Endpoint) -> String {
        match e.node {
            Some(n) => format!("{} on {}", e.pod, self.cluster.nodes[n].name),
            None => format!("{} behind the cross-account ENI in {}", e.pod, e.az),
        }
    }

    /// A pod or a node connects to a service's ClusterIP.
    pub(super) fn to_service(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        source: Source,
        s: usize,
    ) -> Result<(), Stop> {
        let c = self.cluster;
        let svc = &c.services[s];
        let Some(port) = svc.ports.first() else {
            return Err(w.drop(
                svc.id.clone(),
                HopKind::KubeProxy,
                None,
                format!("service {} has no port", key(svc)),
            ));
        };
        let protocol = rule_protocol(port.protocol);
        w.dst = SocketAddr::new(svc.cluster_ip, port.port);
        let what = format!("service {} at {} ({})", key(svc), w.dst, svc.dns);
        let (n, from) = match source {
            Source::Pod(p) => {
                self.start_at_pod(w, p, &what);
                (self.pod_node(p), self.pod_party(p))
            }
            Source::Node(n) => {
                self.start_at_node(w, n, "a host process", &what)?;
                (n, self.node_party(n))
            }
        };
        out.original = Some(from.ip);
        let node = &c.nodes[n];
        let az = Some(node.az.as_str());
        if svc.endpoints.is_empty() {
            out.explanation = format!("A service without ready endpoints answers nothing: kube-proxy on {} rejects the connection.", node.name);
            return Err(w.drop(
                node.id.clone(),
                HopKind::KubeProxy,
                az,
                format!(
                    "{}: kube-proxy rejects the connection (ICMP port unreachable)",
                    shares::no_endpoints(svc)
                ),
            ));
        }
        let local = svc.internal_traffic_policy == TrafficPolicy::Local;
        let chosen: Vec<&Endpoint> = svc
            .endpoints
            .iter()
            .filter(|e| !local || e.node == Some(n))
            .collect();
        if chosen.is_empty() {
            out.explanation = format!(
                "internalTrafficPolicy is Local: kube-proxy on {} uses only endpoints on its own node, and none of {}'s {} endpoints runs there.",
                node.name, key(svc), svc.endpoints.len()
            );
            return Err(w.drop(node.id.clone(), HopKind::KubeProxy, az, format!(
                "internalTrafficPolicy is Local and no endpoint of {} runs on {}; kube-proxy drops the connection",
                key(svc), node.name
            )));
        }
        out.shares = shares::even(c, svc, &chosen);
        // The traced endpoint: the first that is not the caller itself (a pod may well reach
        // itself through its service, but that path shows little).
        let caller = match source {
            Source::Pod(p) => Some(self.pod_ip(p)),
            Source::Node(_) => None,
        };
        let pick = chosen
            .iter()
            .position(|e| Some(e.ip) != caller)
            .unwrap_or(0);
        let e = chosen[pick];
        let hairpin = Some(e.ip) == caller;
        w.dst = SocketAddr::new(e.ip, port.target_port);
        w.step(node.id.clone(), HopKind::KubeProxy, az, format!(
            "kube-proxy DNAT {} → {} ({}, the {} of {} endpoint{}{}; iptables picks one at random){}",
            SocketAddr::new(svc.cluster_ip, port.port), w.dst, self.endpoint_where(e),
            if pick == 0 { "first" } else { "first other than the caller" },
            chosen.len(),
            if chosen.len() == 1 { "" } else { "s" },
            if local { " on this node (internalTrafficPolicy Local)" } else { "" },
            if hairpin { String::new() } else { format!("; the source {} is kept", w.src.ip()) }
        ));
        if !hairpin && chosen.iter().any(|x| Some(x.ip) == caller) {
            out.notes.push(format!(
                "the caller is itself one of the {} endpoints: its 1/{} share loops back to it (hairpin) and kube-proxy masquerades that connection to the node's address {}",
                chosen.len(), chosen.len(), node.primary_ip
            ));
        }
        let mut from = from;
        if hairpin {
            // kube-proxy's per-endpoint chain marks a packet whose source is the endpoint
            // itself for masquerade (`pkg/proxy/iptables/proxier.go`: "Handle traffic that
            // loops back to the originator with SNAT"), so the reply comes back through the
            // node's conntrack instead of short-circuiting inside the pod.
            let before = w.src.ip();
            w.src = SocketAddr::new(IpAddr::V4(node.primary_ip), w.src.port());
            w.step(node.id.clone(), HopKind::KubeProxy, az, format!(
                "masquerade (SNAT) {before} → the node's IP {}: the caller is load-balanced to itself (hairpin), and kube-proxy masquerades traffic that loops back to its originator",
                node.primary_ip
            ));
            from = self.node_party(n);
        }
        match e.node {
            None => {
                let eni = c
                    .control_plane
                    .enis
                    .iter()
                    .position(|x| IpAddr::V4(x.ip) == e.ip)
                    .unwrap_or(0);
                if let Source::Pod(p) = source {
                    self.pod_egress(
                        w,
                        p,
                        &Party {
                            ip: e.ip,
                            groups: vec![self.cluster_sg()],
                        },
                        protocol,
                        port.target_port,
                    )?;
                    let a = self.attachment(p);
                    if !a.branch {
                        self.leave_node(w, n, a.eni_id.clone(), &format!("by {}", a.eni_name));
                    }
                } else {
                    self.leave_node(w, n, self.eth0_id(n), "by eth0");
                }
                self.deliver_to_eks_eni(w, eni, &from, protocol)?;
            }
            Some(_) => {
                let Some(q) = self.endpoint_pod(svc, e) else {
                    return Err(w.drop(
                        node.id.clone(),
                        HopKind::KubeProxy,
                        az,
                        format!("endpoint {} has no pod", e.pod),
                    ));
                };
                if let Source::Pod(p) = source {
                    self.pod_egress(w, p, &self.pod_party(q), protocol, port.target_port)?;
                }
                self.send_to_pod(w, source, q, &from, protocol)?;
            }
        }
        out.seen = Some(w.src.ip());
        out.explanation = if hairpin {
            format!(
                "The caller is {}'s only eligible endpoint, so kube-proxy load-balances it to itself (hairpin) and masquerades: the pod sees its node's address ({}), not its own.",
                key(svc), node.primary_ip
            )
        } else if local {
            format!(
                "internalTrafficPolicy is Local: kube-proxy on {} sends only to the {} endpoint{} on its own node, and the caller's address is kept.",
                node.name, chosen.len(), if chosen.len() == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "kube-proxy on the caller's node DNATs the ClusterIP to one of {}'s {} ready endpoints at random (each gets 1/{}); traffic inside the cluster keeps the caller's address.",
                key(svc), chosen.len(), chosen.len()
            )
        };
        Ok(())
    }

    /// kube-proxy on node `n` takes a packet for the service's NodePort (`w.dst` is the node's
    /// address and NodePort): DNAT to an endpoint and, for `externalTrafficPolicy: Cluster`,
    /// masquerade. Returns the endpoint's pod.
    pub(super) fn node_port(
        &self,
        w: &mut Walk,
        n: usize,
        svc: &Service,
        port_index: usize,
    ) -> Result<usize, Stop> {
        let c = self.cluster;
        let node = &c.nodes[n];
        let az = Some(node.az.as_str());
        let port = &svc.ports[port_index.min(svc.ports.len().saturating_sub(1))];
        let node_port = w.dst.port();
        let local = svc.external_traffic_policy == TrafficPolicy::Local;
        let chosen: Vec<&Endpoint> = svc
            .endpoints
            .iter()
            .filter(|e| !local || e.node == Some(n))
            .collect();
        let Some(e) = chosen.first() else {
            return Err(w.drop(
                node.id.clone(),
                HopKind::KubeProxy,
                az,
                if local {
                    format!(
                        "externalTrafficPolicy is Local and no endpoint of {} runs on {}",
                        key(svc),
                        node.name
                    )
                } else {
                    shares::no_endpoints(svc)
                },
            ));
        };
        let Some(q) = self.endpoint_pod(svc, e) else {
            return Err(w.drop(
                node.id.clone(),
                HopKind::KubeProxy,
                az,
                format!("endpoint {} has no pod", e.pod),
            ));
        };
        w.dst = SocketAddr::new(e.ip, port.target_port);
        w.step(node.id.clone(), HopKind::KubeProxy, az, format!(
            "kube-proxy DNAT NodePort {node_port} → {} ({}, the first of {} endpoint{}{}; iptables picks one at random)",
            w.dst, self.endpoint_where(e), chosen.len(),
            if chosen.len() == 1 { "" } else { "s" },
            if local { " on this node: externalTrafficPolicy is Local" } else { " in the cluster: externalTrafficPolicy is Cluster" }
        ));
        if !local {
            let before = w.src.ip();
            w.src = SocketAddr::new(IpAddr::V4(node.primary_ip), w.src.port());
            w.step(node.id.clone(), HopKind::KubeProxy, az, format!(
                "masquerade (SNAT) {before} → the node's IP {} because externalTrafficPolicy is Cluster: the reply must come back through this node to be un-DNATed",
                node.primary_ip
            ));
        } else {
            w.step(
                node.id.clone(),
                HopKind::KubeProxy,
                az,
                format!(
                    "no SNAT: externalTrafficPolicy is Local, so the source {} is kept",
                    w.src.ip()
                ),
            );
        }
        Ok(q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::traffic::{Ratio, Verdict};
    use crate::scenario::default_scenario;

    #[test]
    fn protocols_map_to_rule_protocols() {
        assert_eq!(rule_protocol(Protocol::TCP), RuleProtocol::Tcp);
        assert_eq!(rule_protocol(Protocol::UDP), RuleProtocol::Udp);
    }

    #[test]
    fn a_cluster_ip_is_dnated_to_one_endpoint_each_with_an_even_chance() {
        let c = crate::model::build(&default_scenario()).unwrap();
        let t = crate::model::traffic::trace(&c, &[], "node/ng-1-3->service/kube-system/kube-dns")
            .unwrap();
        assert_eq!(t.verdict, Verdict::Delivered);
        let dns = c.services.iter().find(|s| s.name == "kube-dns").unwrap();
        let dnat = t
            .hops
            .iter()
            .find(|h| h.kind == HopKind::KubeProxy)
            .unwrap();
        assert!(dnat
            .action
            .starts_with(&format!("kube-proxy DNAT {}:53 → ", dns.cluster_ip)));
        assert_eq!(t.shares.len(), 2);
        assert!(t
            .shares
            .iter()
            .all(|s| s.share == Ratio::new(1, 2).unwrap()));
        // The node's own address is kept: in-cluster traffic is not masqueraded.
        assert_eq!(t.client_ip_seen, Some(IpAddr::V4(c.nodes[2].primary_ip)));
    }

    /// kubernetes/kubernetes `pkg/proxy/iptables/proxier.go`: each endpoint's chain marks a
    /// packet whose source is that endpoint for masquerade ("Handle traffic that loops back to
    /// the originator with SNAT"). A pod load-balanced to itself sees its node's address.
    #[test]
    fn hairpin_traffic_is_masqueraded_to_the_node_address() {
        let mut s: crate::scenario::Scenario = serde_json::from_str(include_str!(
            "../../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap();
        // web-b is the only pod behind `solo`: calling `solo` from web-b loops back.
        s.services.push(crate::scenario::Service {
            name: "solo".into(),
            namespace: "default".into(),
            selector: [("app".to_string(), "web".to_string())].into(),
            service_type: crate::scenario::ServiceType::ClusterIP,
            ports: vec![crate::scenario::ServicePort {
                name: None,
                port: 80,
                target_port: Some(8080),
                protocol: Protocol::TCP,
                node_port: None,
            }],
            external_traffic_policy: TrafficPolicy::Cluster,
            internal_traffic_policy: TrafficPolicy::Local,
            load_balancer: None,
        });
        let c = crate::model::build(&s).unwrap();
        let t = crate::model::traffic::trace(&c, &[], "pod/web-b->service/solo").unwrap();
        assert_eq!(t.verdict, Verdict::Delivered, "{t:?}");
        let pod = c.pods.iter().find(|p| p.name.starts_with("web-b")).unwrap();
        let node = &c.nodes[pod.node.unwrap()];
        assert!(t.hops.iter().any(|h| h.kind == HopKind::KubeProxy
            && h.action.starts_with("masquerade (SNAT)")
            && h.action.contains("hairpin")));
        assert_eq!(t.client_ip_seen, Some(IpAddr::V4(node.primary_ip)));
        assert!(!t.client_ip_preserved);
        // Two endpoints, the caller one of them: the traced path goes to the other pod and
        // keeps the source; a note says the caller's own share is masqueraded.
        let t = crate::model::traffic::trace(&c, &[], "pod/web-b->service/web-cluster").unwrap();
        assert!(
            t.notes.iter().any(|n| n.contains("hairpin")),
            "{:?}",
            t.notes
        );
    }
}
