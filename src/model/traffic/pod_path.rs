//! Reaching a pod: from another pod, from a node, from whatever the VPC hands a packet to —
//! the ENI that holds the pod's address, the security groups on the way, the host's veth.
//!
//! VPC CNI facts used here (amazon-vpc-cni-k8s README, "Security groups for pods" in the EKS
//! user guide): pod addresses are VPC addresses, so pod-to-pod traffic is routed by the VPC
//! without NAT; a pod's address lives on one of its node's ENIs (or on its own branch ENI).
//! POD_SECURITY_GROUP_ENFORCING_MODE=strict applies a branch pod's groups to all its traffic,
//! even from its own node (it goes out by the trunk ENI and back); `standard` leaves same-node
//! traffic alone and lets traffic to outside the VPC use eth0's groups.

use std::net::{IpAddr, SocketAddr};

use super::hop::HopKind;
use super::security_groups::{Decision, Party};
use super::trace::{Stop, Walk};
use super::{Outcome, Share, Tracer, CLIENT_IP, EPHEMERAL_PORT};
use crate::model::aws::eni::EniRole;
use crate::model::Id;
use crate::model::Pod;
use crate::scenario::{EnforcingMode, RuleProtocol};

/// Who starts a connection inside the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Pod(usize),
    Node(usize),
}

/// Where a pod's address lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Attachment {
    pub node: usize,
    /// `eni:<node>/ethN` or `branch:<pod>`.
    pub eni_id: Id,
    /// `eth1`, or `branch ENI`.
    pub eni_name: String,
    /// The drawn address: `ip:…`, `prefix:…`, else the ENI.
    pub address_id: Id,
    /// Index into `Cluster::subnets` of the ENI.
    pub subnet: usize,
    pub branch: bool,
    /// How the ENI holds it: `a secondary IP`, `an address of prefix 10.0.16.32/28`.
    pub how: String,
}

impl Tracer<'_> {
    pub(super) fn pod(&self, p: usize) -> &Pod {
        &self.cluster.pods[p]
    }

    /// A Running pod's address (resolution only hands out pods that have one).
    pub(super) fn pod_ip(&self, p: usize) -> IpAddr {
        self.pod(p)
            .ip
            .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    pub(super) fn pod_node(&self, p: usize) -> usize {
        self.pod(p).node.unwrap_or(0)
    }

    pub(super) fn node_az(&self, n: usize) -> &str {
        &self.cluster.nodes[n].az
    }

    pub(super) fn attachment(&self, p: usize) -> Attachment {
        let pod = self.pod(p);
        let n = self.pod_node(p);
        let node = &self.cluster.nodes[n];
        if let Some(b) = node.branches.iter().find(|b| b.pod == pod.name) {
            return Attachment {
                node: n,
                eni_id: b.id.clone(),
                eni_name: "its branch ENI".into(),
                address_id: b.id.clone(),
                subnet: b.subnet,
                branch: true,
                how: "its own branch ENI's address".into(),
            };
        }
        for eni in &node.enis {
            if let Some(slot) = eni
                .slots
                .iter()
                .find(|s| s.pod.as_deref() == Some(pod.name.as_str()))
            {
                return Attachment {
                    node: n,
                    eni_id: eni.id.clone(),
                    eni_name: eni.name(),
                    address_id: slot.id.clone(),
                    subnet: eni.subnet,
                    branch: false,
                    how: "a secondary IP".into(),
                };
            }
            if let Some(prefix) = eni
                .prefixes
                .iter()
                .find(|pr| pr.pods.iter().any(|(_, name)| name == &pod.name))
            {
                return Attachment {
                    node: n,
                    eni_id: eni.id.clone(),
                    eni_name: eni.name(),
                    address_id: prefix.id.clone(),
                    subnet: eni.subnet,
                    branch: false,
                    how: format!("an address of prefix {}", prefix.cidr),
                };
            }
        }
        // hostNetwork, IPv6 (the node's /80 sits on eth0), or not found: eth0.
        let eth0 = node.enis.iter().find(|e| e.role == EniRole::Primary);
        let how = if pod.host_network {
            "the node's own address (hostNetwork)".to_string()
        } else if let Some(prefix) = node.ipv6_prefix {
            format!("an address of the node's IPv6 prefix {prefix}")
        } else {
            "an address of the node".to_string()
        };
        Attachment {
            node: n,
            eni_id: eth0.map_or_else(|| node.id.clone(), |e| e.id.clone()),
            eni_name: "eth0".into(),
            address_id: eth0.map_or_else(|| node.id.clone(), |e| e.id.clone()),
            subnet: eth0.map_or(node.subnet, |e| e.subnet),
            branch: false,
            how,
        }
    }

    pub(super) fn eth0_id(&self, n: usize) -> Id {
        Id::Eni {
            node: self.cluster.nodes[n].name.as_str().into(),
            device: 0,
        }
    }

    pub(super) fn cluster_sg(&self) -> String {
        self.sgs.cluster_sg().to_string()
    }

    pub(super) fn node_party(&self, n: usize) -> Party {
        Party {
            ip: IpAddr::V4(self.cluster.nodes[n].primary_ip),
            groups: vec![self.cluster_sg()],
        }
    }

    /// A pod's groups: its branch ENI's, else its node's (the cluster security group).
    pub(super) fn pod_groups(&self, p: usize) -> Vec<String> {
        if self.attachment(p).branch {
            self.pod(p).security_groups.clone()
        } else {
            vec![self.cluster_sg()]
        }
    }

    pub(super) fn pod_party(&self, p: usize) -> Party {
        Party {
            ip: self.pod_ip(p),
            groups: self.pod_groups(p),
        }
    }

    pub(super) fn strict(&self) -> bool {
        self.cluster.cni.pod_security_group_enforcing_mode == EnforcingMode::Strict
    }

    /// Inside one of the VPC's CIDRs.
    pub(super) fn in_vpc(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(v4) => self.cluster.vpc.cidrs.iter().any(|c| c.contains(&v4)),
            // The VPC's IPv6 block, 2001:db8::/56 in the model.
            IpAddr::V6(v6) => v6.segments()[..3] == [0x2001, 0xdb8, 0] && v6.segments()[3] < 0x100,
        }
    }

    /// A security group hop: allowed (a row saying which rule) or dropped (naming what is
    /// missing). `lb_rule` is the rule a load balancer controller added for its own traffic.
    pub(super) fn inbound_check(
        &self,
        w: &mut Walk,
        groups: &[String],
        from: &Party,
        lb_rule: Option<&str>,
        protocol: RuleProtocol,
        port: u16,
    ) -> Result<(), Stop> {
        let az = w.az.clone();
        let az = az.as_deref();
        let at = Id::SecurityGroup(groups.first().map_or("none", |g| g.as_str()).to_string());
        if let Some(rule) = lb_rule {
            w.step(
                at,
                HopKind::SecurityGroup,
                az,
                format!(
                    "security group {} allows {}/{port} from the load balancer: {rule}",
                    groups.join(", "),
                    proto(protocol)
                ),
            );
            return Ok(());
        }
        match self.sgs.inbound(groups, from, protocol, port) {
            Decision::Allowed(why) => {
                w.step(at, HopKind::SecurityGroup, az, why);
                Ok(())
            }
            Decision::Denied(why) => Err(w.drop(at, HopKind::SecurityGroup, az, why)),
        }
    }

    /// A branch pod's outbound check (strict: its own groups; standard and leaving the VPC:
    /// eth0's groups). Pods without a branch ENI use the node's groups: all outbound.
    pub(super) fn pod_egress(
        &self,
        w: &mut Walk,
        p: usize,
        to: &Party,
        protocol: RuleProtocol,
        port: u16,
    ) -> Result<(), Stop> {
        let att = self.attachment(p);
        if !att.branch {
            return Ok(());
        }
        let az = Some(self.node_az(att.node).to_string());
        let az = az.as_deref();
        if !self.strict() && !self.in_vpc(to.ip) {
            w.step(
                Id::SecurityGroup(self.cluster_sg().to_string()),
                HopKind::SecurityGroup,
                az,
                format!(
                    "POD_SECURITY_GROUP_ENFORCING_MODE is standard: traffic to outside the VPC uses eth0's security group {}, which allows all outbound",
                    self.cluster_sg()
                ),
            );
            return Ok(());
        }
        let groups = self.pod(p).security_groups.clone();
        let at = Id::SecurityGroup(groups.first().map_or("none", |g| g.as_str()).to_string());
        match self.sgs.outbound(&groups, to, protocol, port) {
            Decision::Allowed(why) => {
                w.step(at, HopKind::SecurityGroup, az, why);
                Ok(())
            }
            Decision::Denied(why) => Err(w.drop(at, HopKind::SecurityGroup, az, why)),
        }
    }

    /// The first hop of a pod's connection. `w.dst` must be set.
    pub(super) fn start_at_pod(&self, w: &mut Walk, p: usize, what: &str) {
        let pod = self.pod(p);
        let n = self.pod_node(p);
        w.src = SocketAddr::new(self.pod_ip(p), EPHEMERAL_PORT);
        w.step(
            pod.as_id(),
            HopKind::Pod,
            Some(self.node_az(n)),
            format!(
                "{} ({} on {}) opens a connection to {what}",
                pod.name,
                self.pod_ip(p),
                self.cluster.nodes[n].name
            ),
        );
    }

    /// The first hop of a node's own connection (kubelet, a hostNetwork process).
    pub(super) fn start_at_node(
        &self,
        w: &mut Walk,
        n: usize,
        who: &str,
        what: &str,
    ) -> Result<(), Stop> {
        let node = &self.cluster.nodes[n];
        w.src = SocketAddr::new(IpAddr::V4(node.primary_ip), EPHEMERAL_PORT);
        if let Some(why) = super::shares::not_registered(self.cluster, n) {
            if node.state == Some(crate::scenario::NodeState::Failed) {
                return Err(w.drop(
                    node.id.clone(),
                    HopKind::Node,
                    Some(&node.az),
                    format!("{} {why}", node.name),
                ));
            }
        }
        w.step(
            node.id.clone(),
            HopKind::Node,
            Some(&node.az),
            format!(
                "{who} on {} ({}) opens a connection to {what}",
                node.name, node.primary_ip
            ),
        );
        Ok(())
    }

    /// Leaves a node for the VPC by the ENI `eni_id`.
    pub(super) fn leave_node(&self, w: &mut Walk, n: usize, eni_id: Id, why: &str) {
        let node = &self.cluster.nodes[n];
        w.step(
            eni_id,
            HopKind::NodeEni,
            Some(&node.az),
            format!("leaves {} {why}", node.name),
        );
    }

    /// Delivers to pod `q`; `w.dst` must be its address and port. `via_node` is the node the
    /// packet is on now (`None`: it comes from the VPC — a load balancer, another node, a
    /// cross-account ENI). `from` is the sender as security groups see it.
    pub(super) fn deliver_to_pod(
        &self,
        w: &mut Walk,
        from: &Party,
        lb_rule: Option<&str>,
        via_node: Option<usize>,
        q: usize,
        protocol: RuleProtocol,
    ) -> Result<(), Stop> {
        let pod = self.pod(q);
        let att = self.attachment(q);
        let n = att.node;
        let node = &self.cluster.nodes[n];
        let az = Some(node.az.as_str());
        let port = w.dst.port();
        let same_node = via_node == Some(n);
        if pod.host_network {
            if !same_node {
                w.step(att.eni_id.clone(), HopKind::NodeEni, az, format!(
                    "the VPC delivers {} to eth0 of {}: a hostNetwork pod uses the node's own address",
                    w.dst.ip(), node.name
                ));
                self.inbound_check(w, &[self.cluster_sg()], from, lb_rule, protocol, port)?;
            }
        } else if att.branch {
            if same_node && !self.strict() {
                w.step(att.eni_id.clone(), HopKind::BranchEni, az, format!(
                    "same-node traffic to {}'s branch ENI: POD_SECURITY_GROUP_ENFORCING_MODE is standard, so its security groups are not enforced",
                    pod.name
                ));
            } else {
                let how = if same_node {
                    "strict mode: even traffic from its own node goes out by the trunk ENI and back in by the branch ENI, so the pod's security groups apply".to_string()
                } else {
                    format!(
                        "the VPC delivers {} to {}'s branch ENI (a VLAN on {}'s trunk ENI)",
                        w.dst.ip(),
                        pod.name,
                        node.name
                    )
                };
                w.step(att.eni_id.clone(), HopKind::BranchEni, az, how);
                self.inbound_check(
                    w,
                    &pod.security_groups.clone(),
                    from,
                    lb_rule,
                    protocol,
                    port,
                )?;
            }
        } else {
            if !same_node {
                w.step(
                    att.eni_id.clone(),
                    HopKind::NodeEni,
                    az,
                    format!(
                        "the VPC delivers {} to {} of {}, which holds it as {}",
                        w.dst.ip(),
                        att.eni_name,
                        node.name,
                        att.how
                    ),
                );
                self.inbound_check(w, &[self.cluster_sg()], from, lb_rule, protocol, port)?;
            }
            w.step(
                att.address_id.clone(),
                HopKind::HostVeth,
                az,
                format!(
                    "the node's route for {} leads into {}'s veth (the VPC CNI's host route)",
                    w.dst.ip(),
                    pod.name
                ),
            );
        }
        w.step(
            pod.as_id(),
            HopKind::Pod,
            az,
            format!(
                "{} accepts the connection on port {port}; it sees the source {}",
                pod.name,
                w.src.ip()
            ),
        );
        Ok(())
    }

    /// From a pod or a node to pod `q` (`w.dst` set): on the same node the host routes it to
    /// the veth; otherwise it leaves by the sender's ENI and the VPC delivers it. Strict mode
    /// sends a branch pod's traffic through the VPC even on one node.
    pub(super) fn send_to_pod(
        &self,
        w: &mut Walk,
        source: Source,
        q: usize,
        from: &Party,
        protocol: RuleProtocol,
    ) -> Result<(), Stop> {
        let qn = self.pod_node(q);
        let dest_branch = self.attachment(q).branch;
        let (n, src_branch, src_eni) = match source {
            Source::Pod(p) => {
                let a = self.attachment(p);
                (a.node, a.branch, a)
            }
            Source::Node(n) => (
                n,
                false,
                Attachment {
                    node: n,
                    eni_id: self.eth0_id(n),
                    eni_name: "eth0".into(),
                    address_id: self.eth0_id(n),
                    subnet: self.cluster.nodes[n].subnet,
                    branch: false,
                    how: String::new(),
                },
            ),
        };
        let local = n == qn && !(self.strict() && (src_branch || dest_branch));
        if local {
            if !src_branch
                && !dest_branch
                && !self.pod(q).host_network
                && matches!(source, Source::Pod(_))
            {
                w.step(self.cluster.nodes[n].id.clone(), HopKind::Node, Some(self.node_az(n)),
                    "same node: the host routes it from one veth to the other; it never leaves the node");
            }
            return self.deliver_to_pod(w, from, None, Some(n), q, protocol);
        }
        if !src_branch && n != qn {
            let why = match source {
                Source::Pod(_) => format!("by {}: the VPC CNI routes a pod's traffic out of the ENI that holds its address", src_eni.eni_name),
                Source::Node(_) => "by eth0".to_string(),
            };
            self.leave_node(w, n, src_eni.eni_id.clone(), &why);
        }
        if src_branch {
            w.step(
                src_eni.eni_id.clone(),
                HopKind::BranchEni,
                Some(self.node_az(n)),
                "leaves by the pod's own branch ENI (a VLAN on the node's trunk ENI)",
            );
        }
        let via = if n == qn && dest_branch {
            Some(n)
        } else {
            None
        };
        self.deliver_to_pod(w, from, None, via, q, protocol)
    }

    pub(super) fn pod_to_pod(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        p: usize,
        q: usize,
    ) -> Result<(), Stop> {
        let target = self.pod(q);
        let port = target.container_port;
        let (pn, qn) = (self.pod_node(p), self.pod_node(q));
        out.original = Some(self.pod_ip(p));
        out.shares = vec![self.single_share(q)];
        w.dst = SocketAddr::new(self.pod_ip(q), port);
        self.start_at_pod(w, p, &format!("{} at {}", target.name, w.dst));
        self.pod_egress(w, p, &self.pod_party(q), RuleProtocol::Tcp, port)?;
        self.send_to_pod(w, Source::Pod(p), q, &self.pod_party(p), RuleProtocol::Tcp)?;
        out.seen = Some(w.src.ip());
        let crossing = self.node_az(pn) != self.node_az(qn);
        out.explanation = format!(
            "Pod-to-pod traffic is never NATed: pods have VPC addresses, so {} sees {}'s own address{}.",
            target.name,
            self.pod(p).name,
            if pn == qn {
                " (both run on the same node)".to_string()
            } else if crossing {
                format!("; the path crosses from {} to {} (inter-AZ data transfer is charged)", self.node_az(pn), self.node_az(qn))
            } else {
                ", routed by the VPC between the two nodes".to_string()
            }
        );
        Ok(())
    }

    pub(super) fn node_to_pod(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        n: usize,
        q: usize,
    ) -> Result<(), Stop> {
        let target = self.pod(q);
        let port = target.container_port;
        w.dst = SocketAddr::new(self.pod_ip(q), port);
        out.original = Some(IpAddr::V4(self.cluster.nodes[n].primary_ip));
        out.shares = vec![self.single_share(q)];
        self.start_at_node(
            w,
            n,
            "a host process (the kubelet's probes, say)",
            &format!("{} at {}", target.name, w.dst),
        )?;
        self.send_to_pod(
            w,
            Source::Node(n),
            q,
            &self.node_party(n),
            RuleProtocol::Tcp,
        )?;
        out.seen = Some(w.src.ip());
        out.explanation = format!(
            "A node reaches pods by their VPC addresses without NAT, so {} sees the node's address.",
            target.name
        );
        Ok(())
    }

    /// Pods have private addresses: nothing on the internet routes to them (IPv4); IPv6 pod
    /// addresses are global, so the node's security group decides.
    pub(super) fn internet_to_pod(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        q: usize,
    ) -> Result<(), Stop> {
        let pod = self.pod(q);
        let port = pod.container_port;
        w.src = SocketAddr::new(IpAddr::V4(CLIENT_IP), EPHEMERAL_PORT);
        out.original = Some(IpAddr::V4(CLIENT_IP));
        let ip = pod.ip;
        match ip {
            Some(IpAddr::V6(v6)) => {
                w.src = SocketAddr::new(
                    IpAddr::V6(std::net::Ipv6Addr::new(
                        0x2001, 0xdb8, 0xffff, 0, 0, 0, 0, 0x50,
                    )),
                    EPHEMERAL_PORT,
                );
                out.original = Some(w.src.ip());
                w.dst = SocketAddr::new(IpAddr::V6(v6), port);
                w.step(
                    Id::Internet,
                    HopKind::Client,
                    None,
                    format!(
                        "a client at {} (a documentation address) connects to {}'s IPv6 address",
                        w.src.ip(),
                        pod.name
                    ),
                );
                let n = self.pod_node(q);
                let subnet = &self.cluster.subnets[self.cluster.nodes[n].subnet];
                if !subnet.public {
                    return Err(w.drop(Id::Igw, HopKind::InternetGateway, None, format!(
                        "subnet {} reaches the internet by an egress-only internet gateway, which lets no connection in", subnet.name)));
                }
                w.step(
                    Id::Igw,
                    HopKind::InternetGateway,
                    Some(&subnet.az),
                    "routes IPv6 without translation",
                );
                self.deliver_to_pod(
                    w,
                    &Party::external(out.original.unwrap_or(w.src.ip())),
                    None,
                    None,
                    q,
                    RuleProtocol::Tcp,
                )?;
                out.seen = Some(w.src.ip());
                out.explanation = "IPv6 pod addresses are global: only the security groups stand between the internet and the pod.".into();
                Ok(())
            }
            _ => {
                w.dst = SocketAddr::new(
                    ip.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)),
                    port,
                );
                w.step(
                    Id::Internet,
                    HopKind::Client,
                    None,
                    format!(
                        "a client at {CLIENT_IP} (a documentation address) sends to {}'s address",
                        pod.name
                    ),
                );
                out.explanation = "Pod IPv4 addresses are private VPC addresses; to reach a pod from the internet, put a LoadBalancer service or an Ingress in front of it.".into();
                Err(w.drop(
                    Id::Internet,
                    HopKind::Internet,
                    None,
                    format!(
                        "{} is a private VPC address: nothing on the internet routes to it",
                        w.dst.ip()
                    ),
                ))
            }
        }
    }

    /// Straight to a node from the internet (SSH, port 22): only a node with a public IP, and
    /// only if its security group lets the client in.
    pub(super) fn internet_to_node(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        n: usize,
    ) -> Result<(), Stop> {
        let node = &self.cluster.nodes[n];
        w.src = SocketAddr::new(IpAddr::V4(CLIENT_IP), EPHEMERAL_PORT);
        out.original = Some(IpAddr::V4(CLIENT_IP));
        out.explanation = "Nodes are reached from the internet only by a public IP, and the cluster security group lets nothing in from outside; expose workloads with a load balancer instead.".into();
        let Some(public) = node.public_ip else {
            w.dst = SocketAddr::new(IpAddr::V4(node.primary_ip), 22);
            w.step(
                Id::Internet,
                HopKind::Client,
                None,
                format!(
                    "a client at {CLIENT_IP} (a documentation address) tries SSH to {}",
                    node.name
                ),
            );
            return Err(w.drop(Id::Internet, HopKind::Internet, None, format!(
                "{} is in a private subnet and has no public IP: nothing on the internet routes to it", node.name)));
        };
        w.dst = SocketAddr::new(IpAddr::V4(public), 22);
        w.step(Id::Internet, HopKind::Client, None, format!("a client at {CLIENT_IP} (a documentation address) connects to {}'s public IP (SSH, port 22)", node.name));
        w.dst = SocketAddr::new(IpAddr::V4(node.primary_ip), 22);
        w.step(
            Id::Igw,
            HopKind::InternetGateway,
            Some(&node.az),
            format!(
                "translates the public address {public} to the node's private address {}",
                node.primary_ip
            ),
        );
        w.step(
            self.eth0_id(n),
            HopKind::NodeEni,
            Some(&node.az),
            format!("arrives at {}'s eth0", node.name),
        );
        self.inbound_check(
            w,
            &[self.cluster_sg()],
            &Party::external(IpAddr::V4(CLIENT_IP)),
            None,
            RuleProtocol::Tcp,
            22,
        )?;
        w.step(
            node.id.clone(),
            HopKind::Node,
            Some(&node.az),
            format!("{} accepts on port 22", node.name),
        );
        out.seen = Some(w.src.ip());
        Ok(())
    }

    pub(super) fn single_share(&self, q: usize) -> Share {
        let pod = self.pod(q);
        let n = self.pod_node(q);
        Share {
            pod: pod.name.to_string(),
            id: pod.as_id(),
            node: self.cluster.nodes[n].name.clone(),
            az: self.node_az(n).to_string(),
            share: super::Ratio::ONE,
        }
    }
}

pub(super) fn proto(p: RuleProtocol) -> &'static str {
    match p {
        RuleProtocol::Tcp => "tcp",
        RuleProtocol::Udp => "udp",
        RuleProtocol::All => "all",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    #[test]
    fn a_pods_address_is_found_on_its_eni_slot() {
        let c = crate::model::build(&default_scenario()).unwrap();
        let tracer = Tracer::new(&c, &[]);
        let p = c.pods.iter().position(|p| p.workload == "coredns").unwrap();
        let a = tracer.attachment(p);
        assert!(
            matches!(&a.address_id, Id::Ip { node, device: 0, .. } if *node == c.nodes[a.node].name),
            "{a:?}"
        );
        assert_eq!(a.how, "a secondary IP");
        assert!(!a.branch);
        // hostNetwork pods sit on eth0 with the node's address.
        let h = c
            .pods
            .iter()
            .position(|p| p.workload == "kube-proxy")
            .unwrap();
        assert!(tracer.attachment(h).how.contains("hostNetwork"));
        assert!(tracer.in_vpc(tracer.pod_ip(p)));
        assert!(!tracer.in_vpc(IpAddr::V4(CLIENT_IP)));
    }

    #[test]
    fn the_internet_cannot_reach_a_private_pod_address() {
        let c = crate::model::build(&default_scenario()).unwrap();
        let t = crate::model::traffic::trace(&c, &[], "internet->pod/coredns").unwrap();
        assert!(t.verdict.reason().unwrap().contains("private VPC address"));
        assert_eq!(t.hops.last().unwrap().at, "internet");
    }
}
