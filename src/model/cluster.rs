//! The simulated cluster: everything the scenario implies, with every address decided.

use std::net::IpAddr;

use ipnet::IpNet;

use super::aws::eks_control_plane::ControlPlane;
use super::aws::eni::Eni;
use super::aws::load_balancer::LoadBalancer;
use super::aws::nat_gateway::NatGateway;
use super::aws::subnet::Subnet;
use super::aws::vpc::Vpc;
use super::finding::Finding;
use super::k8s::ingress::Ingress;
use super::k8s::services::Service;
use super::node::Node;
use super::pod::Pod;
use crate::scenario::VpcCni;

/// The result of [`crate::model::build`]: pure data, the same for the same scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    pub name: String,
    pub vpc: Vpc,
    /// Availability Zones in the order their first subnet appears.
    pub azs: Vec<String>,
    pub subnets: Vec<Subnet>,
    /// An internet gateway exists when any subnet is public.
    pub internet_gateway: bool,
    pub nat_gateways: Vec<NatGateway>,
    pub control_plane: ControlPlane,
    pub nodes: Vec<Node>,
    /// Every pod: Running, ContainerCreating (no address) or Pending (no node).
    pub pods: Vec<Pod>,
    /// The service CIDR (scenario's, or the EKS default): IPv4, or a unique-local IPv6 /108 in
    /// an IPv6 cluster.
    pub service_cidr: IpNet,
    /// CoreDNS's ClusterIP: `.10` (`::a`) of the service CIDR.
    pub cluster_dns: IpAddr,
    /// `kubernetes`, `kube-dns`, then the scenario's services.
    pub services: Vec<Service>,
    pub ingresses: Vec<Ingress>,
    pub load_balancers: Vec<LoadBalancer>,
    pub cni: VpcCni,
    pub findings: Vec<Finding>,
}

impl Cluster {
    pub fn subnet_by_name(&self, name: &str) -> Option<&Subnet> {
        self.subnets.iter().find(|s| s.name == name)
    }

    pub fn node_by_name(&self, name: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.name == name)
    }

    /// Every ENI with the node it is attached to.
    pub fn enis(&self) -> impl Iterator<Item = (&Node, &Eni)> {
        self.nodes
            .iter()
            .flat_map(|n| n.enis.iter().map(move |e| (n, e)))
    }

    /// Subnets of one AZ, in document order.
    pub fn subnets_in<'a>(&'a self, az: &'a str) -> impl Iterator<Item = (usize, &'a Subnet)> + 'a {
        self.subnets
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.az == az)
    }
}
