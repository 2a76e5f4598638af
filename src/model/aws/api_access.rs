//! How nodes and kubectl reach the Kubernetes API under each endpoint setting, and what stops
//! them (EKS user guide, "Cluster API server endpoint").

use std::net::Ipv4Addr;

use super::eks_control_plane::{CrossAccountEni, EndpointAccess};
use super::nat_gateway::NatGateway;
use super::route_table::{default_route, DefaultRoute};
use super::subnet::Subnet;

/// The path from a node to the API server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiPath {
    /// Private access: the endpoint name resolves to a cross-account ENI inside the VPC.
    PrivateEndpoint { eni: usize },
    /// Public endpoint over the internet gateway, from the node's own public IP.
    PublicViaInternetGateway { source: Ipv4Addr },
    /// Public endpoint through a NAT gateway, whose Elastic IP is the source.
    PublicViaNatGateway { nat: usize, source: Ipv4Addr },
    /// No way in; the sentence says why.
    Blocked(String),
}

impl ApiPath {
    pub fn reaches(&self) -> bool {
        !matches!(self, ApiPath::Blocked(_))
    }
}

/// A node's path to the API server: private endpoint when on (DNS resolves inside the VPC),
/// otherwise the public endpoint, whose allow-list must contain the address the node's traffic
/// leaves from.
pub fn node_api_path(
    endpoint: &EndpointAccess,
    subnet: &Subnet,
    node_public_ip: Option<Ipv4Addr>,
    nat_gateways: &[NatGateway],
    eks_enis: &[CrossAccountEni],
) -> ApiPath {
    if endpoint.private {
        let eni = eks_enis.iter().position(|e| e.az == subnet.az).unwrap_or(0);
        return if eks_enis.is_empty() {
            ApiPath::Blocked("the cluster has no cross-account ENI for the private endpoint".into())
        } else {
            ApiPath::PrivateEndpoint { eni }
        };
    }
    if !endpoint.public {
        return ApiPath::Blocked("the API has no endpoint".into());
    }
    let (path, source) = match default_route(subnet, nat_gateways) {
        DefaultRoute::InternetGateway => match node_public_ip {
            Some(ip) => (ApiPath::PublicViaInternetGateway { source: ip }, ip),
            None => {
                return ApiPath::Blocked(format!(
                    "subnet {} is public but the node has no public IP, so the internet gateway cannot carry its traffic",
                    subnet.name
                ))
            }
        },
        DefaultRoute::NatGateway(n) => {
            let ip = nat_gateways[n].public_ip;
            (ApiPath::PublicViaNatGateway { nat: n, source: ip }, ip)
        }
        DefaultRoute::None => {
            return ApiPath::Blocked(format!(
                "subnet {} has no route to the internet (no NAT gateway) and the endpoint is public only; turn on private access",
                subnet.name
            ))
        }
    };
    if endpoint.allows(source) {
        path
    } else {
        ApiPath::Blocked(format!(
            "its traffic leaves from {source}, which is not in publicAccessCIDRs ({})",
            endpoint.cidr_summary()
        ))
    }
}
