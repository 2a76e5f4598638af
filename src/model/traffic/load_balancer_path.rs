//! From the internet through a load balancer: a LoadBalancer Service's NLB (instance or ip
//! targets) or Classic LB, and an Ingress's ALB.
//!
//! AWS Load Balancer Controller and ELB behaviour modelled (SEMANTICS.md, "Load balancers"):
//! NLB instance targets are NodePorts, so kube-proxy and externalTrafficPolicy apply, and the
//! NLB preserves the client's address for them; ip targets are pod addresses, kube-proxy is
//! bypassed, and client IP preservation is off unless `preserveClientIp` turns it on. A Classic
//! LB (TCP listener) and an ALB are proxies: the target sees the load balancer's address; the
//! ALB puts the client's in `X-Forwarded-For`. The internet gateway translates the load balancer
//! node's public address to its private one. The controller (or the in-tree provider for a
//! CLB) adds a rule to the targets' security group allowing the load balancer's backend group
//! to the NodePort range (instance) or the target port (ip).

use std::net::{IpAddr, SocketAddr};

use super::hop::HopKind;
use super::kube_proxy::{key, rule_protocol};
use super::security_groups::Party;
use super::shares::{distribute, Distribution, Targets};
use super::trace::{Stop, Walk};
use super::{Outcome, Tracer, CLIENT_IP, EPHEMERAL_PORT};
use crate::model::aws::load_balancer::{
    branch_pods_refuse_instance_local, ipv6_refusal, node_ipv6, LbKind, LoadBalancer,
};
use crate::model::aws::max_pods::CniVersion;
use crate::model::k8s::services::Service;
use crate::model::Id;
use crate::scenario::{Protocol, Scheme, ServiceType, TargetType, TrafficPolicy};

/// 1st, 2nd, 3rd, 4th …
fn ordinal(i: usize) -> String {
    let n = i + 1;
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Whether an NLB target group keeps the client's address, and the words that say why. ELB
/// user guide, "Edit target group attributes for your Network Load Balancer", client IP
/// preservation: on by default for instance targets, off for ip targets over TCP, and always on
/// (it cannot be turned off) for UDP target groups whatever the target type.
pub(crate) fn nlb_preserves_client_ip(
    preserve: Option<bool>,
    targets: TargetType,
    protocol: Protocol,
) -> (bool, &'static str) {
    match (protocol, preserve, targets) {
        (Protocol::UDP, Some(false), _) => (true, "client IP preservation is always on for a UDP target group and cannot be turned off (preserveClientIp: false is ignored)"),
        (Protocol::UDP, _, _) => (true, "client IP preservation is always on for a UDP target group"),
        (Protocol::TCP, Some(true), _) => (true, "client IP preservation is on (preserveClientIp)"),
        (Protocol::TCP, Some(false), _) => (false, "client IP preservation is off (preserveClientIp: false)"),
        (Protocol::TCP, None, TargetType::Instance) => (true, "client IP preservation is on by default for instance targets"),
        (Protocol::TCP, None, TargetType::Ip) => (false, "client IP preservation is off by default for TCP ip targets"),
    }
}

/// The trace's first hop when it goes no further than the load balancer: the client looking up
/// its name.
fn client_resolves(w: &mut Walk, lb: &LoadBalancer) {
    w.step(
        Id::Internet,
        HopKind::Client,
        None,
        format!(
            "a client at {CLIENT_IP} (a documentation address) resolves {}",
            lb.dns_name
        ),
    );
}

/// A client resolves the load balancer's name and is turned away at its first node: where a
/// trace stops when the load balancer itself refuses (no healthy target, no path to IPv6 pods).
fn refused_at_load_balancer(
    w: &mut Walk,
    lb: &LoadBalancer,
    port: u16,
    reason: impl Into<String>,
) -> Stop {
    let lbn = &lb.nodes[0];
    w.dst = SocketAddr::new(IpAddr::V4(lbn.public_ip.unwrap_or(lbn.private_ip)), port);
    client_resolves(w, lb);
    w.drop(lb.id.clone(), HopKind::LoadBalancer, Some(&lbn.az), reason)
}

fn short_kind(lb: &LoadBalancer) -> &'static str {
    match lb.kind {
        LbKind::Nlb => "NLB",
        LbKind::Clb => "Classic LB",
        LbKind::Alb => "ALB",
    }
}

impl Tracer<'_> {
    /// The load balancer's backend security group, as the targets' rules name it.
    fn lb_party(&self, lb: &LoadBalancer, node: usize) -> Party {
        let group = match lb.kind {
            LbKind::Clb => format!("k8s-elb-{}", lb.name.replace('/', "-")),
            _ => format!("k8s-traffic-{}", self.cluster.name),
        };
        Party {
            ip: IpAddr::V4(lb.nodes[node].private_ip),
            groups: vec![group],
        }
    }

    fn lb_rule(&self, lb: &LoadBalancer, ports: &str) -> String {
        let group = &self.lb_party(lb, 0).groups[0];
        match lb.kind {
            LbKind::Clb => format!("the in-tree cloud provider's rule allows the ELB's security group {group} to {ports}"),
            _ => format!("the AWS Load Balancer Controller's rule allows the backend security group {group} to {ports}"),
        }
    }

    /// Client → DNS → the load balancer node → through the internet gateway.
    fn enter_load_balancer(
        &self,
        w: &mut Walk,
        lb: &LoadBalancer,
        d: &Distribution,
        listener: u16,
    ) {
        let lbn = &lb.nodes[d.lb_node];
        let public = lbn.public_ip.unwrap_or(lbn.private_ip);
        w.src = SocketAddr::new(IpAddr::V4(CLIENT_IP), EPHEMERAL_PORT);
        w.dst = SocketAddr::new(IpAddr::V4(public), listener);
        w.step(Id::Internet, HopKind::Client, None, format!(
            "a client at {CLIENT_IP} (a documentation address) resolves {} and connects to the {} node in {} (the {} of {} addresses DNS returns; the first is traced)",
            lb.dns_name, short_kind(lb), lbn.az, ordinal(d.lb_node), lb.nodes.len()
        ));
        w.dst = SocketAddr::new(IpAddr::V4(lbn.private_ip), listener);
        w.step(Id::Igw, HopKind::InternetGateway, Some(&lbn.az), format!(
            "translates the load balancer's public address {public} to its private address {} in subnet {}",
            lbn.private_ip, self.cluster.subnets[lbn.subnet].name
        ));
    }

    /// Pods have IPv6 addresses (an IPv6 cluster).
    fn ipv6_pods(&self) -> bool {
        self.cluster.nodes.iter().any(|n| n.ipv6_prefix.is_some())
    }

    /// In an IPv6 cluster, a load balancer that cannot reach IPv6 pods stops the flow at
    /// itself ([`ipv6_refusal`]); nothing is ever DNATed from IPv4 to an IPv6 pod address.
    fn refuse_ipv6(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        lb: &LoadBalancer,
        listener: u16,
    ) -> Result<(), Stop> {
        if !self.ipv6_pods() {
            return Ok(());
        }
        let Some(why) = ipv6_refusal(lb.kind, lb.controller, lb.target_type) else {
            return Ok(());
        };
        out.explanation =
            format!("The cluster is IPv6: its pods have only IPv6 addresses, and {why}.");
        Err(refused_at_load_balancer(w, lb, listener, why))
    }

    /// The source an ip target sees from load balancer node `lbn`: over IPv6 (an IPv6 pod),
    /// the node's own IPv6 address, whatever client IP preservation says (ELB user guide,
    /// NLB target group attributes: an IPv6 target gets the load balancer's IPv6 address for
    /// an IPv4 client).
    fn ipv6_source(&self, lb: &LoadBalancer, node: usize) -> IpAddr {
        let n = &lb.nodes[node];
        IpAddr::V6(node_ipv6(n.subnet, n.private_ip))
    }

    /// Common refusals before a load balancer is reached.
    fn check_exposed(&self, w: &mut Walk, lb: &LoadBalancer, what: &str) -> Result<(), Stop> {
        // Found by fuzzing: a load balancer placed in no subnet has no node to enter by.
        let Some(lbn) = lb.nodes.first() else {
            return Err(w.drop(
                lb.id.clone(),
                HopKind::LoadBalancer,
                None,
                format!(
                    "{what}'s load balancer {} has no node in any subnet",
                    lb.name
                ),
            ));
        };
        if lb.scheme == Scheme::Internal {
            w.src = SocketAddr::new(IpAddr::V4(CLIENT_IP), EPHEMERAL_PORT);
            w.dst = SocketAddr::new(IpAddr::V4(lbn.private_ip), 80);
            client_resolves(w, lb);
            return Err(w.drop(lb.id.clone(), HopKind::LoadBalancer, None, format!(
                "{what}'s load balancer is internal: its name resolves to private addresses reachable only from the VPC or connected networks; set scheme internet-facing"
            )));
        }
        Ok(())
    }

    pub(super) fn internet_to_service(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        s: usize,
    ) -> Result<(), Stop> {
        let c = self.cluster;
        let svc = &c.services[s];
        out.original = Some(IpAddr::V4(CLIENT_IP));
        w.src = SocketAddr::new(IpAddr::V4(CLIENT_IP), EPHEMERAL_PORT);
        let Some(lb_index) = svc.load_balancer_index else {
            w.step(
                Id::Internet,
                HopKind::Client,
                None,
                format!(
                    "a client at {CLIENT_IP} (a documentation address) looks for service {}",
                    key(svc)
                ),
            );
            let reason = match svc.service_type {
                ServiceType::ClusterIP => format!("service {} is ClusterIP: it has no address outside the cluster; make it type LoadBalancer or put an Ingress in front", key(svc)),
                ServiceType::NodePort => format!("service {} is NodePort: it is reachable only at a node's own address, which nodes in private subnets do not have and the cluster security group does not open to the internet; make it type LoadBalancer", key(svc)),
                // The build's finding says why (no subnet fits, or a protocol the maker refuses).
                ServiceType::LoadBalancer => c
                    .findings
                    .iter()
                    .find(|f| f.subject == svc.id && f.message.contains(" gets no load balancer: "))
                    .map(|f| f.message.clone())
                    .unwrap_or_else(|| format!("service {} got no load balancer: no subnet fits its scheme", key(svc))),
            };
            return Err(w.drop(Id::Internet, HopKind::Internet, None, reason));
        };
        let lb = &c.load_balancers[lb_index];
        self.check_exposed(w, lb, &format!("service {}", key(svc)))?;
        let spec = svc.load_balancer.clone().unwrap_or_default();
        let targets = if lb.kind != LbKind::Clb && lb.target_type == TargetType::Ip {
            Targets::Ip
        } else {
            Targets::Instance
        };
        let port = &svc.ports[0];
        self.refuse_ipv6(w, out, lb, port.port)?;
        let d = match distribute(c, lb, svc, targets) {
            Ok(d) => d,
            Err(reason) => {
                out.explanation = format!(
                    "The {} has no healthy target, so no connection gets through.",
                    short_kind(lb)
                );
                return Err(refused_at_load_balancer(w, lb, port.port, reason));
            }
        };
        self.fill_distribution(out, &d);
        self.enter_load_balancer(w, lb, &d, port.port);
        let lbn = &lb.nodes[d.lb_node];
        let frontend = format!(
            "its security group allows {}/{} from 0.0.0.0/0",
            if port.protocol == Protocol::UDP {
                "udp"
            } else {
                "tcp"
            },
            port.port
        );
        let zone = if lb.cross_zone {
            "cross-zone load balancing is on: any AZ"
        } else {
            "cross-zone load balancing is off: only its own AZ"
        };
        let protocol = rule_protocol(port.protocol);
        match targets {
            Targets::Ip => {
                let e = &svc.endpoints[d.target_endpoint.unwrap_or(0)];
                let (preserve, why) =
                    nlb_preserves_client_ip(spec.preserve_client_ip, TargetType::Ip, port.protocol);
                w.dst = SocketAddr::new(e.ip, port.target_port);
                let v6 = e.ip.is_ipv6();
                if v6 {
                    w.src = SocketAddr::new(self.ipv6_source(lb, d.lb_node), EPHEMERAL_PORT);
                } else if !preserve {
                    w.src = SocketAddr::new(IpAddr::V4(lbn.private_ip), EPHEMERAL_PORT);
                }
                w.step(lb.id.clone(), HopKind::LoadBalancer, Some(&lbn.az), format!(
                    "NLB node in {} ({frontend}) forwards to ip target {} at {} — the first healthy target ({zone}); ip targets bypass NodePorts and kube-proxy, so externalTrafficPolicy does not apply; {}",
                    lbn.az, e.pod, w.dst,
                    if v6 {
                        format!("the target is IPv6 (a dualstack NLB), so the source becomes the NLB's own IPv6 address {}: an IPv4 client's address cannot be kept in an IPv6 packet", w.src.ip())
                    } else if preserve {
                        format!("{why}, so the source stays the client's")
                    } else {
                        format!("{why}, so the source becomes the NLB's private address {}", lbn.private_ip)
                    }
                ));
                let Some(q) = self.endpoint_pod(svc, e) else {
                    return Err(w.stop_here("the endpoint has no pod"));
                };
                let rule = self.lb_rule(lb, &format!("the target port {}", port.target_port));
                let from = Party {
                    ip: w.src.ip(),
                    groups: self.lb_party(lb, d.lb_node).groups,
                };
                self.deliver_to_pod(w, &from, Some(&rule), None, q, protocol)?;
                out.seen = Some(w.src.ip());
                out.explanation = format!(
                    "ip targets: the NLB sends straight to pod addresses, bypassing NodePorts and kube-proxy, so externalTrafficPolicy does not apply and the split is even over pods{}; {}.",
                    if lb.cross_zone { "" } else { " within each AZ (cross-zone off: per AZ first)" },
                    if v6 { format!("the pod is IPv6, so it sees the NLB's IPv6 address ({})", w.src.ip()) } else if preserve { format!("{why}, so the pod sees the client's address") } else { format!("{why}, so the pod sees the NLB's private address ({})", lbn.private_ip) }
                );
            }
            Targets::Instance => {
                let t = d.target_node.unwrap_or(0);
                let node = &c.nodes[t];
                let node_port = port.node_port.unwrap_or(0);
                w.dst = SocketAddr::new(IpAddr::V4(node.primary_ip), node_port);
                let action = match lb.kind {
                    LbKind::Clb => {
                        w.src = SocketAddr::new(IpAddr::V4(lbn.private_ip), EPHEMERAL_PORT);
                        format!(
                            "Classic LB node in {} ({frontend}) is a TCP proxy: it opens its own connection from {} to instance target {} at {} — the first healthy target ({zone})",
                            lbn.az, lbn.private_ip, node.name, w.dst
                        )
                    }
                    _ => {
                        let (preserve, why) = nlb_preserves_client_ip(
                            spec.preserve_client_ip,
                            TargetType::Instance,
                            port.protocol,
                        );
                        if !preserve {
                            w.src = SocketAddr::new(IpAddr::V4(lbn.private_ip), EPHEMERAL_PORT);
                        }
                        format!(
                            "NLB node in {} ({frontend}) forwards to instance target {} at {} — the first healthy target ({zone}); {why}, so {}",
                            lbn.az, node.name, w.dst,
                            if preserve { "the source stays the client's" } else { "the source becomes the NLB's address" }
                        )
                    }
                };
                w.step(lb.id.clone(), HopKind::LoadBalancer, Some(&lbn.az), action);
                self.through_node_port(w, lb, d.lb_node, svc, 0, t)?;
                out.seen = Some(w.src.ip());
                out.explanation = self.instance_explanation(lb, svc, out.seen);
            }
        }
        Ok(())
    }

    /// Arrives at node `t` on the NodePort, passes its security group, then kube-proxy.
    fn through_node_port(
        &self,
        w: &mut Walk,
        lb: &LoadBalancer,
        lb_node: usize,
        svc: &Service,
        port_index: usize,
        t: usize,
    ) -> Result<(), Stop> {
        let node = &self.cluster.nodes[t];
        let az = Some(node.az.as_str());
        let node_port = w.dst.port();
        w.step(
            self.eth0_id(t),
            HopKind::NodeEni,
            az,
            format!(
                "arrives at {}'s primary ENI (eth0) on NodePort {node_port}",
                node.name
            ),
        );
        let ports = match svc.health_check_node_port {
            Some(hc)
                if svc.external_traffic_policy == TrafficPolicy::Local
                    && lb.kind != LbKind::Alb =>
            {
                format!("NodePort {node_port} and the health check port {hc}")
            }
            _ => format!("NodePort {node_port}"),
        };
        let rule = self.lb_rule(lb, &ports);
        let from = Party {
            ip: w.src.ip(),
            groups: self.lb_party(lb, lb_node).groups,
        };
        let protocol = rule_protocol(svc.ports[port_index].protocol);
        self.inbound_check(
            w,
            &[self.cluster_sg()],
            &from,
            Some(&rule),
            protocol,
            node_port,
        )?;
        let q = self.node_port(w, t, svc, port_index)?;
        if svc.external_traffic_policy == TrafficPolicy::Local && self.attachment(q).branch {
            let cni = &self.cluster.cni;
            let version = CniVersion::parse(&cni.version).unwrap_or(CniVersion::new(1, 0));
            if branch_pods_refuse_instance_local(cni.pod_security_group_enforcing_mode, &version) {
                let pod = self.pod(q);
                return Err(w.drop(
                    self.attachment(q).eni_id,
                    HopKind::BranchEni,
                    Some(self.node_az(self.pod_node(q))),
                    format!(
                        "not supported: {} has its own security groups (a branch ENI), and EKS does not support pods with security groups behind instance targets with externalTrafficPolicy Local when POD_SECURITY_GROUP_ENFORCING_MODE is strict (or the VPC CNI is older than 1.11): the pod's traffic, replies included, goes by its branch ENI instead of back through {}, where kube-proxy would undo the DNAT; use ip targets, externalTrafficPolicy Cluster, or standard mode",
                        pod.name, node.name
                    ),
                ));
            }
        }
        let sender = if svc.external_traffic_policy == TrafficPolicy::Cluster {
            self.node_party(t)
        } else {
            Party::external(w.src.ip())
        };
        self.send_to_pod(w, super::pod_path::Source::Node(t), q, &sender, protocol)
    }

    fn instance_explanation(
        &self,
        lb: &LoadBalancer,
        svc: &Service,
        seen: Option<IpAddr>,
    ) -> String {
        let seen = seen.map(|s| s.to_string()).unwrap_or_default();
        let lb_word = short_kind(lb);
        let mut text = match (lb.kind, svc.external_traffic_policy) {
            (LbKind::Clb, TrafficPolicy::Local) => format!(
                "externalTrafficPolicy is Local: only nodes with a {} pod pass the health check, but a Classic LB is a proxy, so the pod sees the load balancer's address ({seen}), never the client's.",
                svc.name
            ),
            (LbKind::Clb, TrafficPolicy::Cluster) => format!(
                "A Classic LB is a proxy and externalTrafficPolicy Cluster masquerades too: the pod sees the node's address ({seen}), never the client's."
            ),
            (_, TrafficPolicy::Local) => format!(
                "externalTrafficPolicy is Local: only nodes with a {} pod pass the {lb_word}'s health check{}, and the pod sees {}.",
                svc.name,
                svc.health_check_node_port.map(|p| format!(" on {p}")).unwrap_or_default(),
                if seen == CLIENT_IP.to_string() { "the client's address".to_string() } else { format!("{seen}, not the client") }
            ),
            (_, TrafficPolicy::Cluster) => format!(
                "externalTrafficPolicy is Cluster: every node passes the {lb_word}'s health check and kube-proxy may forward to a pod on another node (maybe in another AZ), masquerading to the node's address, so the pod sees {seen}, not the client."
            ),
        };
        if !lb.cross_zone && lb.kind != LbKind::Alb {
            text.push_str(&format!(" Cross-zone load balancing is off: each AZ's {lb_word} node gets an equal share and sends only to targets in its AZ."));
        }
        text
    }

    fn fill_distribution(&self, out: &mut Outcome, d: &Distribution) {
        out.shares = d.shares.clone();
        out.unhealthy = d.unhealthy.clone();
        out.cross_az = d.cross_az;
        out.notes.extend(d.notes.iter().cloned());
    }

    pub(super) fn internet_to_ingress(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        i: usize,
    ) -> Result<(), Stop> {
        let c = self.cluster;
        let ing = &c.ingresses[i];
        out.original = Some(IpAddr::V4(CLIENT_IP));
        w.src = SocketAddr::new(IpAddr::V4(CLIENT_IP), EPHEMERAL_PORT);
        let Some(lb) = ing.load_balancer.map(|l| &c.load_balancers[l]) else {
            w.step(
                Id::Internet,
                HopKind::Client,
                None,
                format!(
                    "a client at {CLIENT_IP} (a documentation address) looks for Ingress {}",
                    ing.name
                ),
            );
            return Err(w.drop(
                Id::Internet,
                HopKind::Internet,
                None,
                format!(
                    "Ingress {} got no ALB: an ALB needs subnets of its scheme in at least two AZs",
                    ing.name
                ),
            ));
        };
        self.check_exposed(w, lb, &format!("Ingress {}", ing.name))?;
        let Some(rule) = ing.rules.first() else {
            return Err(w.drop(
                lb.id.clone(),
                HopKind::LoadBalancer,
                None,
                format!("Ingress {} has no rule", ing.name),
            ));
        };
        let svc = &c.services[rule.service];
        let port_index = svc
            .ports
            .iter()
            .position(|p| p.port == rule.port)
            .unwrap_or(0);
        let port = &svc.ports[port_index];
        let targets = if ing.target_type == TargetType::Ip {
            Targets::Ip
        } else {
            Targets::Instance
        };
        self.refuse_ipv6(w, out, lb, 80)?;
        let d = match distribute(c, lb, svc, targets) {
            Ok(d) => d,
            Err(reason) => {
                out.explanation =
                    "The ALB has no healthy target for the rule's service, so it answers 503."
                        .into();
                return Err(refused_at_load_balancer(w, lb, 80, reason));
            }
        };
        self.fill_distribution(out, &d);
        self.enter_load_balancer(w, lb, &d, 80);
        let lbn = &lb.nodes[d.lb_node];
        let rule_text = format!(
            "{}{} → service {}:{}",
            rule.host.as_deref().unwrap_or(""),
            rule.path,
            svc.name,
            rule.port
        );
        let others = if ing.rules.len() > 1 {
            format!(" (the first of {} rules)", ing.rules.len())
        } else {
            String::new()
        };
        w.src = SocketAddr::new(IpAddr::V4(lbn.private_ip), EPHEMERAL_PORT);
        let protocol = rule_protocol(port.protocol);
        match targets {
            Targets::Ip => {
                let e = &svc.endpoints[d.target_endpoint.unwrap_or(0)];
                w.dst = SocketAddr::new(e.ip, port.target_port);
                if e.ip.is_ipv6() {
                    w.src = SocketAddr::new(self.ipv6_source(lb, d.lb_node), EPHEMERAL_PORT);
                }
                w.step(lb.id.clone(), HopKind::LoadBalancer, Some(&lbn.az), format!(
                    "ALB node in {} (its security group allows tcp/80 from 0.0.0.0/0) ends the client's HTTP connection, matches {rule_text}{others}, and opens its own from {} to ip target {} at {} — the first healthy target (an ALB balances across zones); X-Forwarded-For: {CLIENT_IP}",
                    lbn.az, w.src.ip(), e.pod, w.dst
                ));
                let Some(q) = self.endpoint_pod(svc, e) else {
                    return Err(w.stop_here("the endpoint has no pod"));
                };
                let rule = self.lb_rule(lb, &format!("the target port {}", port.target_port));
                let from = Party {
                    ip: w.src.ip(),
                    groups: self.lb_party(lb, d.lb_node).groups,
                };
                self.deliver_to_pod(w, &from, Some(&rule), None, q, protocol)?;
            }
            Targets::Instance => {
                let t = d.target_node.unwrap_or(0);
                let node = &c.nodes[t];
                w.dst = SocketAddr::new(IpAddr::V4(node.primary_ip), port.node_port.unwrap_or(0));
                w.step(lb.id.clone(), HopKind::LoadBalancer, Some(&lbn.az), format!(
                    "ALB node in {} (its security group allows tcp/80 from 0.0.0.0/0) ends the client's HTTP connection, matches {rule_text}{others}, and opens its own from {} to instance target {} at {} — the first healthy target (an ALB balances across zones); X-Forwarded-For: {CLIENT_IP}",
                    lbn.az, lbn.private_ip, node.name, w.dst
                ));
                self.through_node_port(w, lb, d.lb_node, svc, port_index, t)?;
            }
        }
        out.seen = Some(w.src.ip());
        out.forwarded_for = Some(IpAddr::V4(CLIENT_IP));
        out.explanation = format!(
            "An ALB is a layer-7 proxy: it opens its own connection, so the pod sees {} ({}); the client's address {CLIENT_IP} reaches the pod only in the X-Forwarded-For header.",
            out.seen.map(|s| s.to_string()).unwrap_or_default(),
            match (targets, svc.external_traffic_policy) {
                (Targets::Ip, _) => "an ALB address: ip targets go straight to the pod".to_string(),
                (Targets::Instance, TrafficPolicy::Cluster) => "the node's address: instance targets go through the NodePort, and externalTrafficPolicy Cluster masquerades".to_string(),
                (Targets::Instance, TrafficPolicy::Local) => "an ALB address: instance targets go through the NodePort, and externalTrafficPolicy Local keeps the ALB's source".to_string(),
            }
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{nlb_preserves_client_ip, ordinal};

    #[test]
    fn ordinals() {
        assert_eq!(
            [0, 1, 2, 3, 10, 11, 20].map(ordinal),
            ["1st", "2nd", "3rd", "4th", "11th", "12th", "21st"]
        );
    }

    /// ELB user guide, "Edit target group attributes for your Network Load Balancer"
    /// (docs.aws.amazon.com/elasticloadbalancing/latest/network/edit-target-group-attributes.html):
    /// client IP preservation is enabled, and can't be disabled, for UDP target groups.
    #[test]
    fn udp_target_groups_always_keep_the_client_address() {
        use crate::scenario::{Protocol, TargetType};
        assert!(nlb_preserves_client_ip(Some(false), TargetType::Ip, Protocol::UDP).0);
        assert!(nlb_preserves_client_ip(None, TargetType::Ip, Protocol::UDP).0);
        assert!(!nlb_preserves_client_ip(None, TargetType::Ip, Protocol::TCP).0);
        assert!(nlb_preserves_client_ip(None, TargetType::Instance, Protocol::TCP).0);
        assert!(!nlb_preserves_client_ip(Some(false), TargetType::Instance, Protocol::TCP).0);

        let mut s: crate::scenario::Scenario = serde_json::from_str(include_str!(
            "../../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap();
        let svc = &mut s.services[0];
        svc.ports[0].protocol = Protocol::UDP;
        let lb = svc.load_balancer.as_mut().unwrap();
        lb.target_type = TargetType::Ip;
        lb.preserve_client_ip = Some(false);
        let c = crate::model::build(&s).unwrap();
        assert!(
            c.findings
                .iter()
                .any(|f| f.message.contains("cannot be turned off for UDP")),
            "{:?}",
            c.findings
        );
        let t = crate::model::traffic::trace(&c, &[], "internet->service/web-cluster").unwrap();
        assert!(t.verdict.is_delivered(), "{t:?}");
        assert_eq!(
            t.client_ip_seen,
            Some(crate::model::traffic::CLIENT_IP.into())
        );
        assert!(t
            .hops
            .iter()
            .any(|h| h.action.contains("always on for a UDP target group")));
    }

    /// EKS user guide, "Assign security groups to individual Pods", considerations
    /// (docs.aws.amazon.com/eks/latest/userguide/security-groups-for-pods.html): with
    /// POD_SECURITY_GROUP_ENFORCING_MODE=strict, LoadBalancer Services using instance targets
    /// with externalTrafficPolicy Local aren't supported for pods with security groups.
    #[test]
    fn strict_branch_pods_behind_instance_targets_with_etp_local_are_refused() {
        use crate::scenario::{
            EnforcingMode, LoadBalancerSpec, Scheme, ServiceType, TrafficPolicy,
        };
        let mut s: crate::scenario::Scenario = serde_json::from_str(include_str!(
            "../../../static/scenarios/gallery/security-groups-for-pods.json"
        ))
        .unwrap();
        s.services.push(crate::scenario::Service {
            name: "db".into(),
            namespace: "default".into(),
            selector: [("app".to_string(), "db".to_string())].into(),
            service_type: ServiceType::LoadBalancer,
            ports: vec![crate::scenario::ServicePort {
                name: None,
                port: 5432,
                target_port: Some(5432),
                protocol: crate::scenario::Protocol::TCP,
                node_port: None,
            }],
            external_traffic_policy: TrafficPolicy::Local,
            internal_traffic_policy: TrafficPolicy::Cluster,
            load_balancer: Some(LoadBalancerSpec {
                scheme: Some(Scheme::InternetFacing),
                ..LoadBalancerSpec::default()
            }),
        });
        let c = crate::model::build(&s).unwrap();
        assert!(
            c.findings.iter().any(|f| f
                .message
                .contains("externalTrafficPolicy Local in strict mode")),
            "{:?}",
            c.findings
        );
        let t = crate::model::traffic::trace(&c, &[], "internet->service/db").unwrap();
        let reason = t.verdict.reason().unwrap_or_default();
        assert!(reason.starts_with("not supported"), "{t:?}");
        assert!(reason.contains("POD_SECURITY_GROUP_ENFORCING_MODE is strict"));

        // Standard mode supports it: delivered, the client's address kept.
        s.cluster.vpc_cni.pod_security_group_enforcing_mode = EnforcingMode::Standard;
        let c = crate::model::build(&s).unwrap();
        assert!(!c
            .findings
            .iter()
            .any(|f| f.message.contains("in strict mode")));
        let t = crate::model::traffic::trace(&c, &[], "internet->service/db").unwrap();
        assert!(t.verdict.is_delivered(), "{t:?}");
    }

    /// kubernetes/cloud-provider-aws `pkg/providers/v1/aws.go` (`EnsureLoadBalancer`): the
    /// in-tree provider refuses a Classic LB for any port that is not TCP ("Only TCP
    /// LoadBalancer is supported for AWS ELB"), so a UDP Service gets none.
    #[test]
    fn a_udp_service_gets_no_classic_load_balancer() {
        use crate::scenario::{LoadBalancerKind, Protocol};
        let mut s: crate::scenario::Scenario = serde_json::from_str(include_str!(
            "../../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap();
        let svc = &mut s.services[0];
        svc.ports[0].protocol = Protocol::UDP;
        svc.load_balancer.as_mut().unwrap().kind = LoadBalancerKind::Clb;
        let c = crate::model::build(&s).unwrap();
        let t = crate::model::traffic::trace(&c, &[], "internet->service/web-cluster").unwrap();
        let reason = t.verdict.reason().unwrap_or_default();
        assert!(
            reason.contains("Only TCP LoadBalancer is supported for AWS ELB"),
            "{reason}"
        );
    }
}
