//! The Kubernetes API: nodes, kubectl and pods reaching kube-apiserver, and the API server
//! reaching kubelets and pods (EKS user guide, "Cluster API server endpoint" and "Amazon EKS
//! networking requirements"; SEMANTICS.md, "EKS control plane").
//!
//! With private access, inside the VPC the endpoint name resolves to the cross-account ENIs,
//! so node traffic stays in the VPC. Otherwise it goes to the public endpoint over the internet
//! — by the internet gateway from a public IP or through a NAT gateway — and that address must
//! be in publicAccessCIDRs. kubectl on the internet needs the public endpoint and an allowed
//! address. Pods use the `kubernetes` service, whose endpoints are the cross-account ENIs.
//! The API server reaches kubelets (TCP 10250) and pods (webhooks) through the cross-account
//! ENIs, whatever the endpoint setting.

use std::net::{IpAddr, SocketAddr};

use super::hop::HopKind;
use super::pod_path::Source;
use super::security_groups::Party;
use super::trace::{Stop, Walk};
use super::{Outcome, Tracer, CLIENT_IP, EPHEMERAL_PORT, KUBELET_PORT, PUBLIC_ENDPOINT};
use crate::model::Id;
use crate::scenario::RuleProtocol;

const API_PORT: u16 = 443;

impl Tracer<'_> {
    /// The cross-account ENI in `az`, else the first.
    fn eks_eni_for(&self, az: &str) -> Option<usize> {
        let enis = &self.cluster.control_plane.enis;
        enis.iter()
            .position(|e| e.az == az)
            .or(if enis.is_empty() { None } else { Some(0) })
    }

    /// Arrives at a cross-account ENI, passes the cluster security group, reaches the API server.
    pub(super) fn deliver_to_eks_eni(
        &self,
        w: &mut Walk,
        eni: usize,
        from: &Party,
        protocol: RuleProtocol,
    ) -> Result<(), Stop> {
        let c = self.cluster;
        let e = &c.control_plane.enis[eni];
        let az = Some(e.az.as_str());
        w.step(e.id.clone(), HopKind::CrossAccountEni, az, format!(
            "the cross-account ENI in {} ({}, placed in subnet {} by EKS) carries it into the control plane's VPC",
            e.az, e.ip, c.subnets[e.subnet].name
        ));
        self.inbound_check(w, &[self.cluster_sg()], from, None, protocol, w.dst.port())?;
        w.leave_az();
        w.step(
            Id::ControlPlane,
            HopKind::ApiServer,
            None,
            format!(
                "kube-apiserver accepts the connection; it sees the source {}",
                w.src.ip()
            ),
        );
        Ok(())
    }

    pub(super) fn node_to_api(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        n: usize,
    ) -> Result<(), Stop> {
        let c = self.cluster;
        let node = &c.nodes[n];
        let endpoint = &c.control_plane.endpoint;
        out.original = Some(IpAddr::V4(node.primary_ip));
        if endpoint.private {
            let Some(eni) = self.eks_eni_for(&node.az) else {
                w.src = SocketAddr::new(IpAddr::V4(node.primary_ip), EPHEMERAL_PORT);
                return Err(w.drop(
                    node.id.clone(),
                    HopKind::Node,
                    Some(&node.az),
                    "the cluster has no cross-account ENI for the private endpoint",
                ));
            };
            let e = &c.control_plane.enis[eni];
            w.dst = SocketAddr::new(IpAddr::V4(e.ip), API_PORT);
            self.start_at_node(w, n, "the kubelet", &format!(
                "the API server; private access is on, so inside the VPC the endpoint name resolves to the cross-account ENIs ({} in {}{})",
                e.ip, e.az, if e.az == node.az { ", its own AZ" } else { "" }
            ))?;
            self.leave_node(w, n, self.eth0_id(n), "by eth0");
            self.deliver_to_eks_eni(w, eni, &self.node_party(n), RuleProtocol::Tcp)?;
            out.seen = Some(w.src.ip());
            out.explanation = format!(
                "Private endpoint access is on: {}'s kubelet reaches the API server through a cross-account ENI inside the VPC, never leaving it.",
                node.name
            );
            return Ok(());
        }
        w.dst = SocketAddr::new(IpAddr::V4(PUBLIC_ENDPOINT), API_PORT);
        self.start_at_node(w, n, "the kubelet", &format!(
            "the API server's public endpoint {} (a documentation address; private access is off)", w.dst
        ))?;
        self.leave_node(w, n, self.eth0_id(n), "by eth0");
        self.route_out(w, out, node.subnet, node.public_ip)?;
        self.public_endpoint(w, out, &format!("{}'s traffic", node.name))?;
        out.explanation = format!(
            "Only the public endpoint is on: {} reaches the API server over the internet from {}, which publicAccessCIDRs must allow.",
            node.name, w.src.ip()
        );
        Ok(())
    }

    /// At the public endpoint: allowed by publicAccessCIDRs, or dropped.
    fn public_endpoint(&self, w: &mut Walk, out: &mut Outcome, who: &str) -> Result<(), Stop> {
        let endpoint = &self.cluster.control_plane.endpoint;
        let src = w.src.ip();
        let allowed = match src {
            IpAddr::V4(v4) => endpoint.allows(v4),
            IpAddr::V6(_) => false,
        };
        if !allowed {
            out.explanation = format!(
                "The public endpoint admits only publicAccessCIDRs ({}); {who} comes from {src}.{}",
                endpoint.cidr_list(),
                if who == "kubectl" {
                    ""
                } else {
                    " A node that cannot reach the API server never joins the cluster: add that address to publicAccessCIDRs or turn on private access."
                }
            );
            return Err(w.drop(
                Id::ControlPlane,
                HopKind::ApiServer,
                None,
                format!(
                    "{src} is not in publicAccessCIDRs ({})",
                    endpoint.cidr_list()
                ),
            ));
        }
        w.step(Id::ControlPlane, HopKind::ApiServer, None, format!(
            "the public endpoint admits {src} (in publicAccessCIDRs: {}); kube-apiserver accepts the connection",
            endpoint.cidr_list()
        ));
        out.seen = Some(src);
        Ok(())
    }

    pub(super) fn kubectl_to_api(&self, w: &mut Walk, out: &mut Outcome) -> Result<(), Stop> {
        let endpoint = &self.cluster.control_plane.endpoint;
        w.src = SocketAddr::new(IpAddr::V4(CLIENT_IP), EPHEMERAL_PORT);
        w.dst = SocketAddr::new(IpAddr::V4(PUBLIC_ENDPOINT), API_PORT);
        out.original = Some(IpAddr::V4(CLIENT_IP));
        w.step(Id::Internet, HopKind::Client, None, format!(
            "kubectl on a laptop at {CLIENT_IP} (a documentation address) connects to the cluster endpoint"
        ));
        if !endpoint.public {
            out.explanation = "The API server has only a private endpoint: kubectl must run inside the VPC or a connected network.".into();
            return Err(w.drop(Id::ControlPlane, HopKind::ApiServer, None,
                "no public endpoint: the API server is private only, reachable from the VPC or connected networks (VPN, Direct Connect, peering), not from the internet"));
        }
        w.step(
            Id::Internet,
            HopKind::Internet,
            None,
            format!("the endpoint name resolves to the public endpoint {PUBLIC_ENDPOINT}"),
        );
        self.public_endpoint(w, out, "kubectl")?;
        out.explanation = format!(
            "kubectl reaches the public endpoint from {CLIENT_IP}, which publicAccessCIDRs ({}) allows.",
            endpoint.cidr_list()
        );
        Ok(())
    }

    /// A pod talks to `kubernetes.default.svc` (the ClusterIP `.1`), whose endpoints are the
    /// cross-account ENIs.
    pub(super) fn pod_to_api(&self, w: &mut Walk, out: &mut Outcome, p: usize) -> Result<(), Stop> {
        let s = self
            .cluster
            .services
            .iter()
            .position(|s| s.system && s.name == "kubernetes")
            .unwrap_or(0);
        self.to_service(w, out, Source::Pod(p), s)?;
        out.explanation = "Pods reach the API server at the `kubernetes` service's ClusterIP; kube-proxy DNATs it to a cross-account ENI, inside the VPC whatever the endpoint setting.".into();
        Ok(())
    }

    /// From the control plane into the VPC by a cross-account ENI: the hops before a node.
    fn enter_from_control_plane(&self, w: &mut Walk, az: &str, what: &str) -> Result<(), Stop> {
        let Some(eni) = self.eks_eni_for(az) else {
            w.step(
                Id::ControlPlane,
                HopKind::ApiServer,
                None,
                format!("kube-apiserver opens a connection to {what}"),
            );
            return Err(w.stop_here("the cluster has no cross-account ENI"));
        };
        let e = &self.cluster.control_plane.enis[eni];
        w.src = SocketAddr::new(IpAddr::V4(e.ip), EPHEMERAL_PORT);
        w.step(Id::ControlPlane, HopKind::ApiServer, None, format!(
            "kube-apiserver opens a connection to {what}; API server → kubelet and webhook traffic always goes through the cross-account ENIs"
        ));
        w.step(
            e.id.clone(),
            HopKind::CrossAccountEni,
            Some(&e.az),
            format!(
                "enters the VPC by the cross-account ENI in {} ({}{})",
                e.az,
                e.ip,
                if e.az == az { ", the node's AZ" } else { "" }
            ),
        );
        Ok(())
    }

    pub(super) fn api_to_node(
        &self,
        w: &mut Walk,
        out: &mut Outcome,
        n: usize,
    ) -> Result<(), Stop> {
        let node = &self.cluster.nodes[n];
        w.dst = SocketAddr::new(IpAddr::V4(node.primary_ip), KUBELET_PORT);
        out.explanation = "The API server reaches kubelets (logs, exec, port-forward) on TCP 10250 through the cross-account ENIs, whatever the endpoint setting; the cluster security group lets them in.".into();
        if let Some(why) = super::shares::not_registered(self.cluster, n) {
            w.step(
                Id::ControlPlane,
                HopKind::ApiServer,
                None,
                format!("kube-apiserver looks for {}", node.name),
            );
            return Err(w.drop(
                node.id.clone(),
                HopKind::Node,
                Some(&node.az),
                format!("{} {why}", node.name),
            ));
        }
        self.enter_from_control_plane(
            w,
            &node.az,
            &format!("the kubelet on {} at {}", node.name, w.dst),
        )?;
        let from = Party {
            ip: w.src.ip(),
            groups: vec![self.cluster_sg()],
        };
        w.step(
            self.eth0_id(n),
            HopKind::NodeEni,
            Some(&node.az),
            format!("arrives at {}'s eth0", node.name),
        );
        self.inbound_check(
            w,
            &[self.cluster_sg()],
            &from,
            None,
            RuleProtocol::Tcp,
            KUBELET_PORT,
        )?;
        w.step(
            node.id.clone(),
            HopKind::Node,
            Some(&node.az),
            format!(
                "the kubelet accepts on port {KUBELET_PORT}; it sees the source {}",
                w.src.ip()
            ),
        );
        out.original = Some(w.src.ip());
        out.seen = Some(w.src.ip());
        Ok(())
    }

    pub(super) fn api_to_pod(&self, w: &mut Walk, out: &mut Outcome, q: usize) -> Result<(), Stop> {
        let pod = self.pod(q);
        let n = self.pod_node(q);
        w.dst = SocketAddr::new(self.pod_ip(q), pod.container_port);
        out.shares = vec![self.single_share(q)];
        out.explanation = "The API server reaches pods (admission webhooks, the aggregation layer) by their VPC addresses through the cross-account ENIs.".into();
        let az = self.node_az(n).to_string();
        self.enter_from_control_plane(w, &az, &format!("{} at {}", pod.name, w.dst))?;
        let from = Party {
            ip: w.src.ip(),
            groups: vec![self.cluster_sg()],
        };
        out.original = Some(w.src.ip());
        self.deliver_to_pod(w, &from, None, None, q, RuleProtocol::Tcp)?;
        out.seen = Some(w.src.ip());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::model::traffic::{trace, HopKind, Verdict, CLIENT_IP};
    use crate::scenario::default_scenario;

    #[test]
    fn kubectl_reaches_the_public_endpoint_from_the_documentation_address() {
        let c = crate::model::build(&default_scenario()).unwrap();
        let t = trace(&c, &[], "kubectl->apiserver").unwrap();
        assert_eq!(t.verdict, Verdict::Delivered);
        assert_eq!(t.client_ip_seen, Some(CLIENT_IP.into()));
        assert_eq!(t.hops.last().unwrap().kind, HopKind::ApiServer);
    }

    #[test]
    fn the_api_server_enters_by_the_eni_in_the_nodes_az() {
        let c = crate::model::build(&default_scenario()).unwrap();
        let t = trace(&c, &[], "apiserver->node/ng-1-2").unwrap();
        assert_eq!(t.hops[1].at, "eks-eni:us-east-1b");
        assert!(t.hops.iter().all(|h| !h.cross_az));
        assert_eq!(t.hops.last().unwrap().dst.port(), super::KUBELET_PORT);
    }
}
