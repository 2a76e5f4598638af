//! The simulation: pure and deterministic. Never imports a web crate.

pub mod aws;
mod build;
mod cluster;
pub mod describe;
mod fast_hash;
mod finding;
pub mod id;
pub mod k8s;
mod node;
mod pod;
mod shared_str;
pub mod traffic;
pub mod work;

pub use build::{build, build_after, Groundwork, Last};
pub use cluster::Cluster;
pub use finding::{Finding, Severity};
pub use id::Id;
pub use node::{MaxPodsValue, Node};
pub use pod::{Pod, PodStatus, CNI_NO_ADDRESS};
pub use shared_str::SharedStr;
