//! AWS resources: the VPC, subnets, gateways, instance types, ENIs and the VPC CNI.

pub mod eni;
pub mod instance_types;
pub mod nat_gateway;
pub mod node_group;
pub mod subnet;
pub mod vpc;
pub mod vpc_cni;
