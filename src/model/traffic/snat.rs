//! Egress to the internet: the VPC CNI's SNAT, the subnet's default route, NAT and internet
//! gateways.
//!
//! amazon-vpc-cni-k8s README (AWS_VPC_K8S_CNI_EXTERNALSNAT) and SEMANTICS.md: with the default
//! (false) a pod's IPv4 traffic to an address outside every VPC CIDR is SNATed on the host to
//! the primary IP of the node's primary ENI and leaves by eth0; a node in a public subnet then
//! leaves through the internet gateway with its public IP, a node in a private subnet through
//! the NAT gateway (the source becomes its Elastic IP). With EXTERNALSNAT=true the pod's address
//! leaves unchanged by the ENI that holds it: a NAT gateway translates it, an internet gateway
//! cannot (a secondary IP has no public IP). A branch pod in strict mode sends through its
//! branch ENI, so it is not SNATed by the node either. IPv6 is never NATed: the pod's address
//! leaves as it is, by the internet gateway in a public subnet or an egress-only internet
//! gateway in a private one (eksctl creates one for IPv6 clusters).

use std::net::{IpAddr, SocketAddr};

use super::hop::HopKind;
use super::security_groups::Party;
use super::trace::{Stop, Walk};
use super::{Outcome, Tracer, INTERNET_SERVER, INTERNET_SERVER_V6};
use crate::model::aws::route_table::{default_route, DefaultRoute};
use crate::model::Id;
use crate::scenario::RuleProtocol;

const HTTPS: u16 = 443;

impl Tracer<'_> {
    pub(super) fn pod_to_internet(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        p: usize,
    ) -> Result<(), Stop> {
        let c = self.cluster;
        let ip = self.pod_ip(p);
        let n = self.pod_node(p);
        let node = &c.nodes[n];
        let att = self.attachment(p);
        out.original = Some(ip);
        if ip.is_ipv6() {
            w.dst = SocketAddr::new(IpAddr::V6(INTERNET_SERVER_V6), HTTPS);
            self.start_at_pod(
                w,
                p,
                &format!(
                    "a server on the internet at {} (a documentation address)",
                    w.dst
                ),
            );
            self.pod_egress(w, p, &Party::external(w.dst.ip()), RuleProtocol::Tcp, HTTPS)?;
            self.leave_node(
                w,
                n,
                att.eni_id.clone(),
                &format!(
                    "by {} with the pod's own IPv6 address: IPv6 is never NATed",
                    att.eni_name
                ),
            );
            let subnet = &c.subnets[att.subnet];
            w.step(subnet.id.clone(), HopKind::VpcRouter, Some(&subnet.az), if subnet.public {
                format!("route table of {}: ::/0 → internet gateway", subnet.name)
            } else {
                format!("route table of {}: ::/0 → egress-only internet gateway (outbound only; eksctl creates one for IPv6 private subnets)", subnet.name)
            });
            w.step(
                Id::Igw,
                HopKind::InternetGateway,
                Some(&subnet.az),
                "routes IPv6 without translation",
            );
            w.leave_az();
            w.step(
                Id::Internet,
                HopKind::Internet,
                None,
                format!(
                    "reaches {} from the pod's own address {}",
                    w.dst,
                    w.src.ip()
                ),
            );
            out.seen = Some(w.src.ip());
            out.explanation = "IPv6 pods have global addresses: their traffic is never NATed, so the server sees the pod's own IPv6 address.".into();
            return Ok(());
        }
        if self.pod(p).host_network {
            // A hostNetwork pod already uses the node's address: the node's own path.
            w.dst = SocketAddr::new(IpAddr::V4(INTERNET_SERVER), HTTPS);
            self.start_at_pod(
                w,
                p,
                &format!(
                    "a server on the internet at {} (a documentation address); it uses the node's own address (hostNetwork), so there is nothing to SNAT",
                    w.dst
                ),
            );
            self.leave_node(w, n, self.eth0_id(n), "by eth0");
            out.explanation = format!(
                "A hostNetwork pod sends from the node's address: {}.",
                self.route_words(node.subnet)
            );
            return self.route_out(w, out, node.subnet, node.public_ip);
        }
        w.dst = SocketAddr::new(IpAddr::V4(INTERNET_SERVER), HTTPS);
        self.start_at_pod(
            w,
            p,
            &format!(
                "a server on the internet at {} (a documentation address)",
                w.dst
            ),
        );
        self.pod_egress(w, p, &Party::external(w.dst.ip()), RuleProtocol::Tcp, HTTPS)?;
        let external_snat = c.cni.external_snat;
        let strict_branch = att.branch && self.strict();
        if external_snat || strict_branch {
            let why = if strict_branch {
                "a branch pod in strict mode sends through its own branch ENI, so the node does not SNAT it".to_string()
            } else {
                "AWS_VPC_K8S_CNI_EXTERNALSNAT is true: the VPC CNI leaves the pod's address as it is".to_string()
            };
            if !att.branch {
                self.leave_node(
                    w,
                    n,
                    att.eni_id.clone(),
                    &format!("by {} with the pod's own address {ip}: {why}", att.eni_name),
                );
            } else {
                w.step(
                    att.eni_id.clone(),
                    HopKind::BranchEni,
                    Some(&node.az),
                    format!("leaves by the pod's branch ENI with its own address {ip}: {why}"),
                );
            }
            out.explanation = if strict_branch {
                "A branch pod in strict mode leaves by its own ENI without SNAT: only a NAT gateway can give it a public address, so such pods need private subnets.".to_string()
            } else {
                "AWS_VPC_K8S_CNI_EXTERNALSNAT is true: the pod's address leaves the node unchanged, so only a NAT gateway can translate it; an internet gateway cannot, because a secondary IP has no public IP.".to_string()
            };
            self.route_out(w, out, att.subnet, None)?;
        } else {
            w.src = SocketAddr::new(IpAddr::V4(node.primary_ip), w.src.port());
            w.step(node.id.clone(), HopKind::Node, Some(&node.az), format!(
                "SNAT {ip} → the node's primary IP {}: the destination is outside the VPC's CIDRs ({}) and AWS_VPC_K8S_CNI_EXTERNALSNAT is false",
                node.primary_ip, c.vpc.cidr_summary()
            ));
            self.leave_node(
                w,
                n,
                self.eth0_id(n),
                "by eth0, the primary ENI, as the SNAT rule does",
            );
            out.explanation = format!(
                "AWS_VPC_K8S_CNI_EXTERNALSNAT is false (the default): the VPC CNI SNATs pod traffic leaving the VPC to the node's primary IP, then {}.",
                self.route_words(node.subnet)
            );
            self.route_out(w, out, node.subnet, node.public_ip)?;
        }
        Ok(())
    }

    pub(super) fn node_to_internet(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        n: usize,
    ) -> Result<(), Stop> {
        let node = &self.cluster.nodes[n];
        w.dst = SocketAddr::new(IpAddr::V4(INTERNET_SERVER), HTTPS);
        out.original = Some(IpAddr::V4(node.primary_ip));
        self.start_at_node(
            w,
            n,
            "a host process (pulling an image, say)",
            &format!(
                "a server on the internet at {} (a documentation address)",
                w.dst
            ),
        )?;
        self.leave_node(w, n, self.eth0_id(n), "by eth0");
        out.explanation = format!(
            "A node's own traffic to the internet: {}.",
            self.route_words(node.subnet)
        );
        self.route_out(w, out, node.subnet, node.public_ip)
    }

    /// What the subnet's default route does, in words.
    fn route_words(&self, subnet: usize) -> String {
        let s = &self.cluster.subnets[subnet];
        match default_route(s, &self.cluster.nat_gateways) {
            DefaultRoute::InternetGateway => format!(
                "{} is public, so it leaves by the internet gateway with the node's public IP",
                s.name
            ),
            DefaultRoute::NatGateway(i) => format!(
                "{} is private, so the NAT gateway in {} translates it to its Elastic IP {}",
                s.name, self.cluster.nat_gateways[i].az, self.cluster.nat_gateways[i].public_ip
            ),
            DefaultRoute::None => format!("{} has no route to the internet", s.name),
        }
    }

    /// From an ENI in `subnet` to the internet, by the subnet's default route. `public_ip` is
    /// the public address the source address has (a node's), if any.
    pub(super) fn route_out(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        subnet: usize,
        public_ip: Option<std::net::Ipv4Addr>,
    ) -> Result<(), Stop> {
        let c = self.cluster;
        let s = &c.subnets[subnet];
        let az = Some(s.az.as_str());
        match default_route(s, &c.nat_gateways) {
            DefaultRoute::InternetGateway => {
                w.step(
                    s.id.clone(),
                    HopKind::VpcRouter,
                    az,
                    format!("route table of {}: 0.0.0.0/0 → internet gateway", s.name),
                );
                let source_is_node = public_ip.is_some()
                    || c.nodes
                        .iter()
                        .any(|n| IpAddr::V4(n.primary_ip) == w.src.ip());
                match public_ip {
                    Some(public) => {
                        let before = w.src.ip();
                        w.src = SocketAddr::new(IpAddr::V4(public), w.src.port());
                        w.step(
                            Id::Igw,
                            HopKind::InternetGateway,
                            az,
                            format!("translates {before} to its public IP {public}"),
                        );
                    }
                    None if source_is_node => {
                        return Err(w.drop(Id::Igw, HopKind::InternetGateway, az, format!(
                            "{} has no public IP, so the internet gateway cannot carry its traffic", w.src.ip()
                        )));
                    }
                    None => {
                        return Err(w.drop(Id::Igw, HopKind::InternetGateway, az, format!(
                            "the internet gateway translates only addresses that have a public IP, and the pod's secondary IP {} has none (AWS_VPC_K8S_CNI_EXTERNALSNAT=true, or a strict-mode branch ENI): pods in public subnets cannot reach the internet this way",
                            w.src.ip()
                        )));
                    }
                }
            }
            DefaultRoute::NatGateway(i) => {
                let nat = &c.nat_gateways[i];
                w.step(
                    s.id.clone(),
                    HopKind::VpcRouter,
                    az,
                    format!(
                        "route table of {}: 0.0.0.0/0 → NAT gateway in {}",
                        s.name, nat.az
                    ),
                );
                let before = w.src.ip();
                w.src = SocketAddr::new(IpAddr::V4(nat.public_ip), w.src.port());
                w.step(
                    nat.id.clone(),
                    HopKind::NatGateway,
                    Some(&nat.az),
                    format!(
                        "translates {before} to its Elastic IP {}{}",
                        nat.public_ip,
                        if nat.az != s.az {
                            " (the only NAT gateway is in another AZ: cross-AZ data transfer)"
                        } else {
                            ""
                        }
                    ),
                );
                w.step(
                    Id::Igw,
                    HopKind::InternetGateway,
                    Some(&nat.az),
                    format!(
                        "carries it out: the NAT gateway's public subnet {} routes 0.0.0.0/0 here",
                        c.subnets[nat.subnet].name
                    ),
                );
            }
            DefaultRoute::None => {
                return Err(w.drop(s.id.clone(), HopKind::VpcRouter, az, format!(
                    "no route to the internet: subnet {}'s route table has no 0.0.0.0/0 route (no NAT gateway; natGateways is Disable or there is no public subnet)",
                    s.name
                )));
            }
        }
        w.leave_az();
        w.step(
            Id::Internet,
            HopKind::Internet,
            None,
            format!("reaches {} from {}", w.dst, w.src.ip()),
        );
        out.seen = Some(w.src.ip());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::traffic::{trace, HopKind, Verdict};
    use crate::scenario::{default_scenario, NatGatewayMode};

    #[test]
    fn a_node_in_a_private_subnet_leaves_by_its_azs_nat_gateway() {
        let c = crate::model::build(&default_scenario()).unwrap();
        let t = trace(&c, &[], "node/ng-1-2->internet").unwrap();
        assert_eq!(t.verdict, Verdict::Delivered);
        let nat = t
            .hops
            .iter()
            .find(|h| h.kind == HopKind::NatGateway)
            .unwrap();
        assert_eq!(nat.at, "natgw:us-east-1b");
        assert!(!nat.cross_az);
        // A single NAT gateway in 1a: the trip from 1b crosses AZs.
        let mut s = default_scenario();
        s.vpc.nat_gateways = NatGatewayMode::Single;
        let c = crate::model::build(&s).unwrap();
        let t = trace(&c, &[], "node/ng-1-2->internet").unwrap();
        let nat = t
            .hops
            .iter()
            .find(|h| h.kind == HopKind::NatGateway)
            .unwrap();
        assert!(nat.cross_az && nat.action.contains("another AZ"));
    }

    #[test]
    fn no_nat_gateway_means_no_route() {
        let mut s = default_scenario();
        s.vpc.nat_gateways = NatGatewayMode::Disable;
        s.cluster.cluster_endpoints.private_access = true;
        let c = crate::model::build(&s).unwrap();
        let t = trace(&c, &[], "node/ng-1-1->internet").unwrap();
        assert!(t
            .verdict
            .reason()
            .unwrap()
            .starts_with("no route to the internet"));
        assert_eq!(t.hops.last().unwrap().at, "subnet:private-a");
    }
}
