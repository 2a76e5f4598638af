//! One row of a traced path: where the packet is, what it looks like after that place, and
//! what happened to it there — the way AWS Reachability Analyzer lists a path.

use std::net::SocketAddr;

/// What kind of component a hop is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HopKind {
    /// Where the flow starts outside AWS (a browser, kubectl).
    Client,
    /// The public internet between a client and AWS.
    Internet,
    InternetGateway,
    /// A subnet's route table deciding where the packet goes next.
    VpcRouter,
    NatGateway,
    /// A load balancer node (NLB, CLB or ALB) in one AZ.
    LoadBalancer,
    /// A security group evaluating the packet (inbound or outbound).
    SecurityGroup,
    /// A node's ENI the packet enters or leaves by.
    NodeEni,
    /// kube-proxy's iptables rules on a node: DNAT to an endpoint, masquerade.
    KubeProxy,
    /// The node itself: its kernel (VPC CNI SNAT) or a host process (kubelet).
    Node,
    /// The pod's veth pair on the host: the last step to a pod.
    HostVeth,
    /// A pod's own branch ENI (security groups for pods), behind the trunk ENI.
    BranchEni,
    Pod,
    /// An EKS-owned ENI in a customer subnet (private endpoint, API server → kubelet).
    CrossAccountEni,
    /// kube-apiserver in the EKS control plane.
    ApiServer,
}

impl HopKind {
    /// The name used in JSON and in the DOM's `data-kind`.
    pub const fn as_str(self) -> &'static str {
        match self {
            HopKind::Client => "client",
            HopKind::Internet => "internet",
            HopKind::InternetGateway => "internet-gateway",
            HopKind::VpcRouter => "vpc-router",
            HopKind::NatGateway => "nat-gateway",
            HopKind::LoadBalancer => "load-balancer",
            HopKind::SecurityGroup => "security-group",
            HopKind::NodeEni => "node-eni",
            HopKind::KubeProxy => "kube-proxy",
            HopKind::Node => "node",
            HopKind::HostVeth => "host-veth",
            HopKind::BranchEni => "branch-eni",
            HopKind::Pod => "pod",
            HopKind::CrossAccountEni => "cross-account-eni",
            HopKind::ApiServer => "api-server",
        }
    }
}

/// One step of the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    /// The id of the drawn thing this happens at (`igw`, `lb:default/web`, `node:ng-1-1`,
    /// `eni:ng-1-1/eth0`, `pod:default/web-…`, `natgw:us-east-1a`, `eks-eni:us-east-1a`,
    /// `control-plane`, `internet`, `subnet:private-a`, `sg:<id>`, `ip:…`, `branch:…`).
    pub at: crate::model::Id,
    pub kind: HopKind,
    /// The packet's source after this hop.
    pub src: SocketAddr,
    /// The packet's destination after this hop.
    pub dst: SocketAddr,
    /// What happened here, in words.
    pub action: String,
    /// Getting here crossed an Availability Zone boundary (data transfer is charged).
    pub cross_az: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_kebab_case_names() {
        assert_eq!(HopKind::InternetGateway.as_str(), "internet-gateway");
        assert_eq!(HopKind::CrossAccountEni.as_str(), "cross-account-eni");
        let hop = Hop {
            at: crate::model::Id::Igw,
            kind: HopKind::InternetGateway,
            src: "203.0.113.50:49152".parse().unwrap(),
            dst: "[2001:db8::1]:443".parse().unwrap(),
            action: String::new(),
            cross_az: false,
        };
        assert_eq!(hop.dst.to_string(), "[2001:db8::1]:443");
    }
}
