//! `eksplain describe --json`: the cluster as a stable JSON document for scripts and tests.

use serde::Serialize;

use super::aws::api_access::ApiPath;
use super::aws::eni::EniRole;
use super::cluster::Cluster;
use super::finding::Finding;
use super::pod::PodStatus;

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Description {
    pub name: String,
    pub vpc: VpcDescription,
    pub nodes: Vec<NodeDescription>,
    pub subnets: Vec<SubnetDescription>,
    pub nat_gateways: Vec<NatGatewayDescription>,
    pub control_plane: ControlPlaneDescription,
    pub service_cidr: String,
    pub cluster_dns: String,
    /// Pods bound to a node: `Running`, or `ContainerCreating` while the CNI has no address.
    pub pods: Vec<PodDescription>,
    /// Pods no node accepted, with the scheduler's message.
    pub pending: Vec<PendingDescription>,
    pub services: Vec<ServiceDescription>,
    pub ingresses: Vec<IngressDescription>,
    pub load_balancers: Vec<LoadBalancerDescription>,
    pub findings: Vec<Finding>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodDescription {
    pub name: String,
    pub workload: String,
    pub namespace: String,
    pub node: String,
    pub ip: Option<String>,
    pub host_network: bool,
    pub status: String,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingDescription {
    pub name: String,
    pub workload: String,
    pub namespace: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceDescription {
    pub name: String,
    pub namespace: String,
    #[serde(rename = "type")]
    pub service_type: String,
    pub cluster_ip: String,
    pub dns: String,
    pub ports: Vec<String>,
    pub node_ports: Vec<u16>,
    pub health_check_node_port: Option<u16>,
    pub external_traffic_policy: String,
    pub endpoints: Vec<String>,
    pub load_balancer: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IngressDescription {
    pub name: String,
    pub namespace: String,
    pub group: String,
    pub load_balancer: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancerDescription {
    pub name: String,
    pub kind: String,
    pub scheme: String,
    pub target_type: String,
    pub cross_zone: bool,
    pub dns_name: String,
    pub nodes: Vec<LbNodeDescription>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LbNodeDescription {
    pub az: String,
    pub subnet: String,
    pub private_ip: String,
    pub public_ip: Option<String>,
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

fn lower<T: std::fmt::Debug>(v: T) -> String {
    format!("{v:?}")
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
                        pod: b.pod.to_string(),
                        subnet: subnet_name(b.subnet),
                        ip: b.ip.to_string(),
                        security_groups: b.security_groups.clone(),
                    })
                    .collect(),
                enis: n
                    .enis
                    .iter()
                    .map(|e| EniDescription {
                        id: e.id.key(),
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
                    load_balancers: s.usage.load_balancers,
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
        service_cidr: cluster.service_cidr.to_string(),
        cluster_dns: cluster.cluster_dns.to_string(),
        pods: cluster
            .pods
            .iter()
            .filter_map(|p| {
                Some(PodDescription {
                    node: cluster.nodes[p.node?].name.clone(),
                    name: p.name.to_string(),
                    workload: p.workload.to_string(),
                    namespace: p.namespace.to_string(),
                    ip: p.ip.map(|ip| ip.to_string()),
                    host_network: p.host_network,
                    status: p.status.label().to_string(),
                    reason: p.reason.as_ref().map(String::from),
                })
            })
            .collect(),
        pending: cluster
            .pods
            .iter()
            .filter(|p| p.status == PodStatus::Pending)
            .map(|p| PendingDescription {
                name: p.name.to_string(),
                workload: p.workload.to_string(),
                namespace: p.namespace.to_string(),
                reason: p.reason.as_ref().map(String::from).unwrap_or_default(),
            })
            .collect(),
        services: cluster
            .services
            .iter()
            .map(|s| ServiceDescription {
                name: s.name.clone(),
                namespace: s.namespace.clone(),
                service_type: lower(s.service_type),
                cluster_ip: s.cluster_ip.to_string(),
                dns: s.dns.clone(),
                ports: s
                    .ports
                    .iter()
                    .map(|p| format!("{}:{}/{:?}", p.port, p.target_port, p.protocol))
                    .collect(),
                node_ports: s.ports.iter().filter_map(|p| p.node_port).collect(),
                health_check_node_port: s.health_check_node_port,
                external_traffic_policy: lower(s.external_traffic_policy),
                endpoints: s.endpoints.iter().map(|e| e.ip.to_string()).collect(),
                load_balancer: s
                    .load_balancer_index
                    .map(|i| cluster.load_balancers[i].name.clone()),
            })
            .collect(),
        ingresses: cluster
            .ingresses
            .iter()
            .map(|i| IngressDescription {
                name: i.name.clone(),
                namespace: i.namespace.clone(),
                group: i.group.clone(),
                load_balancer: i
                    .load_balancer
                    .map(|l| cluster.load_balancers[l].name.clone()),
            })
            .collect(),
        load_balancers: cluster
            .load_balancers
            .iter()
            .map(|l| LoadBalancerDescription {
                name: l.name.clone(),
                kind: l.kind.label().to_string(),
                scheme: match l.scheme {
                    crate::scenario::Scheme::Internal => "internal",
                    crate::scenario::Scheme::InternetFacing => "internet-facing",
                }
                .to_string(),
                target_type: lower(l.target_type).to_lowercase(),
                cross_zone: l.cross_zone,
                dns_name: l.dns_name.clone(),
                nodes: l
                    .nodes
                    .iter()
                    .map(|n| LbNodeDescription {
                        az: n.az.clone(),
                        subnet: subnet_name(n.subnet),
                        private_ip: n.private_ip.to_string(),
                        public_ip: n.public_ip.map(|ip| ip.to_string()),
                    })
                    .collect(),
            })
            .collect(),
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
