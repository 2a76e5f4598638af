//! `eksplain describe --json`: the cluster as a stable JSON document for scripts and tests.

use serde::Serialize;

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
    pub findings: Vec<Finding>,
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
    pub enis: Vec<EniDescription>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EniDescription {
    pub id: String,
    pub device_index: u32,
    pub subnet: String,
    pub primary_ip: String,
    /// Secondary addresses held on this ENI (pod or warm).
    pub ips: Vec<String>,
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
                enis: n
                    .enis
                    .iter()
                    .map(|e| EniDescription {
                        id: e.id.trim_start_matches("eni:").to_string(),
                        device_index: e.device_index,
                        subnet: subnet_name(e.subnet),
                        primary_ip: e.primary_ip.to_string(),
                        ips: e.slots.iter().map(|s| s.ip.to_string()).collect(),
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
        findings: cluster.findings.clone(),
    }
}
