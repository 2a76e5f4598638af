//! A worker node: an EC2 instance in one subnet with the ENIs the VPC CNI attached.

use std::net::Ipv4Addr;

use ipnet::Ipv6Net;

use super::aws::api_access::ApiPath;
use super::aws::eni::{BranchEni, Eni};
use super::aws::instance_types::InstanceType;
use super::aws::vpc::region_of;
use super::aws::vpc_cni::IpamMode;
use crate::scenario::NodeState;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stable id, `node:<name>`.
    pub id: crate::model::Id,
    /// `<group>-<n>`.
    pub name: String,
    pub group: String,
    pub az: String,
    /// Index into `Cluster::subnets`.
    pub subnet: usize,
    pub instance_type: InstanceType,
    /// The primary ENI's primary address: the node's InternalIP.
    pub primary_ip: Ipv4Addr,
    /// Its public IP, in a public subnet.
    pub public_ip: Option<Ipv4Addr>,
    pub ipam_mode: IpamMode,
    pub enis: Vec<Eni>,
    /// Branch ENIs of pods with their own security groups.
    pub branches: Vec<BranchEni>,
    /// ENIs that may carry pod addresses.
    pub pod_enis: u32,
    /// The subnet pod addresses come from (the ENIConfig subnet under custom networking);
    /// `None` when custom networking has no ENIConfig for the node's AZ.
    pub pod_subnet: Option<usize>,
    /// Pods using the node's own address (aws-node, kube-proxy and other hostNetwork pods).
    pub host_network_pods: u32,
    /// The node's IPv6 /80 (IPv6 clusters).
    pub ipv6_prefix: Option<Ipv6Net>,
    /// The kubelet's `--max-pods`.
    pub max_pods: MaxPodsValue,
    /// How its kubelet reaches the API server.
    pub api_path: ApiPath,
    /// Cordoned, drained or failed; `None` = Ready and schedulable.
    pub state: Option<NodeState>,
}

/// The kubelet's max pods and the arithmetic that produced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MaxPodsValue {
    pub value: u32,
    pub formula: String,
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

    /// Pods with an address from the CNI (IPv4 slots and prefixes, or branch ENIs).
    pub fn ip_pods(&self) -> u32 {
        self.enis.iter().map(|e| e.used()).sum::<u32>() + self.branches.len() as u32
    }

    /// Addresses the CNI holds for pods (used and warm), besides the ENIs' own.
    pub fn secondary_ips(&self) -> u32 {
        self.enis.iter().map(|e| e.held()).sum()
    }
}

#[cfg(test)]
mod tests {
    use crate::scenario::default_scenario;

    /// EC2 user guide, "Amazon EC2 instance hostnames" (`ec2-instance-naming.html`): IP-based
    /// names are `ip-<address with dashes>.ec2.internal` in us-east-1 and
    /// `ip-….<region>.compute.internal` elsewhere; EKS names nodes by them.
    #[test]
    fn node_names_are_ec2_private_dns_names() {
        let mut s = default_scenario();
        let c = crate::model::build(&s).unwrap();
        let n = &c.nodes[0];
        let dashed = n.primary_ip.to_string().replace('.', "-");
        assert_eq!(n.hostname(), format!("ip-{dashed}.ec2.internal"));
        for subnet in &mut s.vpc.subnets {
            subnet.az = subnet.az.replace("us-east-1", "eu-west-1");
        }
        let c = crate::model::build(&s).unwrap();
        let n = &c.nodes[0];
        let dashed = n.primary_ip.to_string().replace('.', "-");
        assert_eq!(
            n.hostname(),
            format!("ip-{dashed}.eu-west-1.compute.internal")
        );
    }
}
