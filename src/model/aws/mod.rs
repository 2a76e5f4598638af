//! AWS resources: the VPC, subnets, gateways, instance types, ENIs and the VPC CNI.

pub mod api_access;
pub mod capacity;
pub mod cidr_plan;
pub mod cidr_set;
pub mod eks_control_plane;
pub mod eni;
pub mod instance_types;
pub mod ipam;
pub mod load_balancer;
pub mod max_pods;
pub mod nat_gateway;
pub mod node_group;
pub mod pod_eni;
pub mod public_ip;
pub mod route_table;
pub mod subnet;
pub mod vpc;
pub mod vpc_cni;
