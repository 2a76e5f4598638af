//! A worker node: an EC2 instance in one subnet with the ENIs the VPC CNI attached.

use std::net::Ipv4Addr;

use super::aws::eni::Eni;
use super::aws::instance_types::InstanceType;
use super::aws::vpc::region_of;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stable id, `node:<name>`.
    pub id: String,
    /// `<group>-<n>`.
    pub name: String,
    pub group: String,
    pub az: String,
    /// Index into `Cluster::subnets`.
    pub subnet: usize,
    pub instance_type: InstanceType,
    /// The primary ENI's primary address: the node's InternalIP.
    pub primary_ip: Ipv4Addr,
    pub enis: Vec<Eni>,
}

impl Node {
    /// EC2's private DNS name, which EKS uses as the Kubernetes node name.
    pub fn hostname(&self) -> String {
        let ip = self.primary_ip.to_string().replace('.', "-");
        match region_of(&self.az) {
            Some("us-east-1") | None => format!("ip-{ip}.ec2.internal"),
            Some(region) => format!("ip-{ip}.{region}.compute.internal"),
        }
    }

    pub fn secondary_ips(&self) -> u32 {
        self.enis.iter().map(|e| e.slots.len() as u32).sum()
    }
}
