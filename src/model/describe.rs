//! `eksplain describe --json`: the cluster as a stable JSON document for scripts and tests.

use serde::Serialize;

use super::aws::api_access::ApiPath;
use super::aws::eni::EniRole;
use super::cluster::Cluster;
use super::finding::Finding;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Description {
    pub name: String,
    pub vpc: VpcDescription,
    pub nodes: Vec<NodeDescription>,
    pub subnets: Vec<SubnetDescription>,
    pub nat_gateways: Vec<NatGatewayDescription>,
    pub control_plane: ControlPlaneDescription,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ControlPlaneDescription {
    /// `public`, `public and private` or `private`.
    pub endpoint_access: String,
    #[serde(rename = "publicAccessCIDRs")]
    pub public_access_cidrs: Vec<String>,
    pub cluster_security_group: String,
    pub cross_account_enis: Vec<CrossAccountEniDescription>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CrossAccountEniDescription {
    pub az: String,
    pub subnet: String,
    pub ip: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VpcDescription {
    pub cidrs: Vec<String>,
    pub azs: Vec<String>,
    pub internet_gateway: bool,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeDescription {
    pub name: String,
    pub hostname: String,
    pub group: String,
    pub az: String,
    pub subnet: String,
    pub instance_type: String,
    pub primary_ip: String,
    pub public_ip: Option<String>,
    /// `secondary IPs`, `prefix delegation (/28)` or `IPv6 (/80 per node)`.
    pub ip_mode: String,
    pub max_pods: u32,
    pub max_pods_formula: String,
    pub ipv6_prefix: Option<String>,
    /// How the kubelet reaches the API server, or why it cannot.
    pub api_path: String,
    pub enis: Vec<EniDescription>,
    pub branch_enis: Vec<BranchEniDescription>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BranchEniDescription {
    pub pod: String,
    pub subnet: String,
    pub ip: String,
    pub security_groups: Vec<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EniDescription {
    pub id: String,
    pub device_index: u32,
    pub subnet: String,
    pub primary_ip: String,
    /// `primary`, `secondary` or `trunk`.
    pub role: String,
    /// Secondary addresses held on this ENI (pod or warm).
    pub ips: Vec<String>,
    /// /28 prefixes held on this ENI (prefix delegation).
    pub prefixes: Vec<String>,
    /// Secondary addresses or prefixes the ENI can hold.
    pub capacity: u32,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubnetDescription {
    pub name: String,
    pub az: String,
    pub cidr: String,
    pub public: bool,
    pub total: u32,
    pub reserved: u32,
    pub usable: u32,
    pub used: u32,
    pub free: u32,
    /// What takes the used addresses.
    pub breakdown: UsageBreakdown,
    pub capacity: CapacityDescription,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UsageBreakdown {
    /// Primary addresses of node ENIs (each node's own address, each extra ENI's, trunk ENIs).
    pub eni_primaries: u32,
    pub pods: u32,
    pub warm: u32,
    pub branch_enis: u32,
    pub nat_gateways: u32,
    pub eks_enis: u32,
    pub load_balancers: u32,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityDescription {
    pub more_pods: u32,
    pub pods_at_max: u32,
    pub addresses_to_max_pods: u32,
    pub more_nodes: Option<u32>,
    pub addresses_per_new_node: u32,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NatGatewayDescription {
    pub az: String,
    pub subnet: String,
    pub private_ip: Option<String>,
}

/// Describes a cluster; field names are a public contract (see the README).
pub fn describe(cluster: &Cluster) -> Description {
    let subnet_name = |i: usize| cluster.subnets[i].name.clone();
    Description {
        name: cluster.name.clone(),
        vpc: VpcDescription {
            cidrs: cluster.vpc.cidrs.iter().map(|c| c.to_string()).collect(),
            azs: cluster.azs.clone(),
            internet_gateway: cluster.internet_gateway,
        },
        nodes: cluster
            .nodes
            .iter()
            .map(|n| NodeDescription {
                name: n.name.clone(),
                hostname: n.hostname(),
                group: n.group.clone(),
                az: n.az.clone(),
                subnet: subnet_name(n.subnet),
                instance_type: n.instance_type.name.clone(),
                primary_ip: n.primary_ip.to_string(),
                public_ip: n.public_ip.map(|ip| ip.to_string()),
                ip_mode: n.ipam_mode.label().to_string(),
                max_pods: n.max_pods.value,
                max_pods_formula: n.max_pods.formula.clone(),
                ipv6_prefix: n.ipv6_prefix.map(|p| p.to_string()),
                api_path: api_path_text(cluster, &n.api_path),
                branch_enis: n
                    .branches
                    .iter()
                    .map(|b| BranchEniDescription {
                        pod: b.pod.clone(),
                        subnet: subnet_name(b.subnet),
                        ip: b.ip.to_string(),
                        security_groups: b.security_groups.clone(),
                    })
                    .collect(),
                enis: n
                    .enis
                    .iter()
                    .map(|e| EniDescription {
                        id: e.id.trim_start_matches("eni:").to_string(),
                        device_index: e.device_index,
                        subnet: subnet_name(e.subnet),
                        primary_ip: e.primary_ip.to_string(),
                        role: match e.role {
                            EniRole::Primary => "primary",
                            EniRole::Secondary => "secondary",
                            EniRole::Trunk => "trunk",
                        }
                        .to_string(),
                        ips: e.slots.iter().map(|s| s.ip.to_string()).collect(),
                        prefixes: e.prefixes.iter().map(|p| p.cidr.to_string()).collect(),
                        capacity: e.capacity,
                    })
                    .collect(),
            })
            .collect(),
        subnets: cluster
            .subnets
            .iter()
            .map(|s| SubnetDescription {
                name: s.name.clone(),
                az: s.az.clone(),
                cidr: s.cidr.to_string(),
                public: s.public,
                total: s.total(),
                reserved: super::aws::subnet::RESERVED_PER_SUBNET,
                usable: s.usable(),
                used: s.used(),
                free: s.free(),
                breakdown: UsageBreakdown {
                    eni_primaries: s.usage.eni_primaries,
                    pods: s.usage.pods,
                    warm: s.usage.warm,
                    branch_enis: s.usage.branch_enis,
                    nat_gateways: s.usage.nat_gateways,
                    eks_enis: s.usage.eks_enis,
                    load_balancers: 0,
                },
                capacity: CapacityDescription {
                    more_pods: s.capacity.more_pods,
                    pods_at_max: s.capacity.pods_at_max,
                    addresses_to_max_pods: s.capacity.addresses_to_max,
                    more_nodes: s.capacity.more_nodes,
                    addresses_per_new_node: s.capacity.addresses_per_new_node,
                },
            })
            .collect(),
        nat_gateways: cluster
            .nat_gateways
            .iter()
            .map(|g| NatGatewayDescription {
                az: g.az.clone(),
                subnet: subnet_name(g.subnet),
                private_ip: g.private_ip.map(|ip| ip.to_string()),
            })
            .collect(),
        control_plane: ControlPlaneDescription {
            endpoint_access: cluster.control_plane.endpoint.label().to_string(),
            public_access_cidrs: cluster
                .control_plane
                .endpoint
                .public_access_cidrs
                .iter()
                .map(|c| c.to_string())
                .collect(),
            cluster_security_group: cluster.control_plane.cluster_security_group.clone(),
            cross_account_enis: cluster
                .control_plane
                .enis
                .iter()
                .map(|e| CrossAccountEniDescription {
                    az: e.az.clone(),
                    subnet: subnet_name(e.subnet),
                    ip: e.ip.to_string(),
                })
                .collect(),
        },
        findings: cluster.findings.clone(),
    }
}

/// The API path in words, e.g. `public endpoint through NAT gateway natgw:us-east-1a (198.51.100.10)`.
pub fn api_path_text(cluster: &Cluster, path: &ApiPath) -> String {
    match path {
        ApiPath::PrivateEndpoint { eni } => match cluster.control_plane.enis.get(*eni) {
            Some(e) => format!("private endpoint: cross-account ENI {} in {}", e.ip, e.az),
            None => "private endpoint".into(),
        },
        ApiPath::PublicViaInternetGateway { source } => format!(
            "public endpoint through the internet gateway, from the node's public IP {source}"
        ),
        ApiPath::PublicViaNatGateway { nat, source } => {
            format!(
                "public endpoint through NAT gateway {} ({source})",
                cluster.nat_gateways[*nat].id
            )
        }
        ApiPath::Blocked(why) => format!("blocked: {why}"),
    }
}
