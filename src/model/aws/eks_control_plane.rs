//! The EKS control plane: AWS-managed components in an AWS-owned VPC, reached through
//! cross-account ENIs in the customer's subnets, and the API endpoint's access settings.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use super::subnet::{AddressPool, Subnet};
use super::vpc::parse_cidr;
use crate::scenario::{ClusterSpec, Path, Problem};

/// A component of the control plane and one line on its role.
pub const COMPONENTS: [(&str, &str); 5] = [
    ("kube-apiserver", "The front door: every client, node and controller talks to it; the only one that talks to etcd."),
    ("etcd", "The cluster's store of record: every object the API server accepts is kept here."),
    ("kube-scheduler", "Watches for unscheduled pods and binds each to the node that fits it best."),
    ("kube-controller-manager", "Runs the control loops (Deployment, ReplicaSet, EndpointSlice, node lifecycle) that drive the cluster to its desired state."),
    ("cloud-controller-manager", "Ties Kubernetes to AWS: node addresses and lifecycle, and (in-tree) Classic Load Balancers."),
];

/// EKS needs at least this many free addresses in each control plane subnet…
pub const MIN_FREE_FOR_ENIS: u32 = 6;
/// …and recommends at least this many (upgrades briefly need up to 5 more).
pub const RECOMMENDED_FREE: u32 = 16;
/// EKS places between 2 and 4 cross-account ENIs.
pub const MAX_CROSS_ACCOUNT_ENIS: usize = 4;

/// A cross-account ENI: owned by EKS's account, placed in a customer subnet, carrying the
/// private endpoint and the API server → kubelet traffic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrossAccountEni {
    /// Stable id, `eks-eni:<az>`.
    pub id: crate::model::Id,
    pub az: String,
    pub subnet: usize,
    pub ip: Ipv4Addr,
}

/// Which endpoints the Kubernetes API has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointAccess {
    pub public: bool,
    pub private: bool,
    /// Who may reach the public endpoint.
    pub public_access_cidrs: Vec<Ipv4Net>,
    /// `publicAccessCIDRs` was given as `[]` with the public endpoint on, and was read as EKS's
    /// default 0.0.0.0/0 (a finding says so).
    pub cidrs_defaulted: bool,
}

impl EndpointAccess {
    pub fn label(&self) -> &'static str {
        match (self.public, self.private) {
            (true, false) => "public",
            (true, true) => "public and private",
            (false, true) => "private",
            (false, false) => "none",
        }
    }

    /// Whether an address may use the public endpoint.
    pub fn allows(&self, ip: Ipv4Addr) -> bool {
        self.public && self.public_access_cidrs.iter().any(|c| c.contains(&ip))
    }

    /// The first few CIDRs and a count of the rest: for messages repeated per node, which
    /// must not each carry the whole list.
    pub fn cidr_summary(&self) -> String {
        const SHOWN: usize = 3;
        let mut text = self
            .public_access_cidrs
            .iter()
            .take(SHOWN)
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let rest = self.public_access_cidrs.len().saturating_sub(SHOWN);
        if rest > 0 {
            text.push_str(&format!(" and {rest} more"));
        }
        text
    }

    /// Every CIDR (at most 40, EKS's quota): for messages shown once.
    pub fn cidr_list(&self) -> String {
        self.public_access_cidrs
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The control plane as the model sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlPlane {
    pub enis: Vec<CrossAccountEni>,
    pub endpoint: EndpointAccess,
    /// The cluster security group: all traffic from itself, all outbound; on the
    /// cross-account ENIs and on managed node group nodes.
    pub cluster_security_group: String,
}

/// Checks the endpoint settings and which subnets get cross-account ENIs. Returns the
/// endpoint settings and, per chosen subnet, its index (one subnet per AZ, at most 4).
pub fn check_control_plane(
    spec: &ClusterSpec,
    subnets: &[Subnet],
    judge_subnets: bool,
    problems: &mut Vec<Problem>,
) -> (EndpointAccess, Vec<usize>) {
    let path = Path::root().field("cluster");
    let e = spec.cluster_endpoints;
    if !e.public_access && !e.private_access {
        problems.push(Problem::new(
            path.field("clusterEndpoints"),
            "the API needs at least one endpoint: turn on publicAccess, privateAccess or both",
        ));
    }
    let mut cidrs = Vec::new();
    for (i, text) in spec.public_access_cidrs.iter().enumerate() {
        match parse_cidr(text) {
            Ok(c) => cidrs.push(c),
            Err(m) => problems.push(Problem::new(path.field("publicAccessCIDRs").index(i), m)),
        }
    }
    // EKS reads an empty list as its default, 0.0.0.0/0 (EKS API reference,
    // `VpcConfigRequest.publicAccessCidrs`: "The default value is 0.0.0.0/0").
    let cidrs_defaulted = e.public_access && spec.public_access_cidrs.is_empty();
    if cidrs_defaulted {
        cidrs.push(Ipv4Net::new(Ipv4Addr::UNSPECIFIED, 0).expect("/0 is a valid prefix"));
    }
    // The named subnets; when none are named, every subnet, private ones first (eksctl hands
    // EKS all of the VPC's subnets).
    let candidates: Vec<usize> = if spec.control_plane_subnets.is_empty() {
        let private = (0..subnets.len()).filter(|&i| !subnets[i].public);
        private
            .chain((0..subnets.len()).filter(|&i| subnets[i].public))
            .collect()
    } else {
        let index: std::collections::HashMap<&str, usize> = subnets
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        spec.control_plane_subnets
            .iter()
            .filter_map(|n| {
                crate::model::work::tick();
                index.get(n.as_str()).copied()
            })
            .collect()
    };
    let mut chosen: Vec<usize> = Vec::new();
    for i in candidates {
        if chosen.len() < MAX_CROSS_ACCOUNT_ENIS
            && !chosen.iter().any(|&c| subnets[c].az == subnets[i].az)
        {
            chosen.push(i);
        }
    }
    if chosen.len() < 2 && judge_subnets && !subnets.is_empty() {
        problems.push(Problem::new(
            path.field("controlPlaneSubnets"),
            format!(
                "EKS needs subnets in at least two Availability Zones for its cross-account ENIs; these cover {}",
                if chosen.is_empty() { "none".to_string() } else { subnets[chosen[0]].az.clone() }
            ),
        ));
    }
    (
        EndpointAccess {
            public: e.public_access,
            private: e.private_access,
            public_access_cidrs: cidrs,
            cidrs_defaulted,
        },
        chosen,
    )
}

/// Places the cross-account ENIs at cluster creation: before any node takes an address.
/// A subnet with fewer than 6 free addresses makes cluster creation fail.
pub fn place_cross_account_enis(
    chosen: &[usize],
    subnets: &[Subnet],
    pools: &mut [AddressPool],
    problems: &mut Vec<Problem>,
) -> Vec<CrossAccountEni> {
    let mut enis = Vec::new();
    for &i in chosen {
        let free = pools[i].remaining();
        if free < MIN_FREE_FOR_ENIS {
            problems.push(Problem::new(
                Path::root().field("cluster").field("controlPlaneSubnets"),
                format!(
                    "subnet {} has {free} free addresses; EKS needs at least {MIN_FREE_FOR_ENIS} in each control plane subnet to create the cluster",
                    subnets[i].name
                ),
            ));
            continue;
        }
        if let Some(ip) = pools[i].take() {
            enis.push(CrossAccountEni {
                id: crate::model::Id::EksEni(subnets[i].az.clone()),
                az: subnets[i].az.clone(),
                subnet: i,
                ip,
            });
        }
    }
    enis
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_names_three_cidrs_and_counts_the_rest() {
        let mut access = EndpointAccess {
            public: true,
            private: false,
            public_access_cidrs: vec!["0.0.0.0/0".parse().unwrap()],
            cidrs_defaulted: false,
        };
        assert_eq!(access.cidr_summary(), "0.0.0.0/0");
        access.public_access_cidrs = (0..40)
            .map(|i| format!("203.0.{i}.0/24").parse().unwrap())
            .collect();
        assert_eq!(
            access.cidr_summary(),
            "203.0.0.0/24, 203.0.1.0/24, 203.0.2.0/24 and 37 more"
        );
        assert_eq!(access.cidr_list().matches(", ").count(), 39);
    }

    /// EKS user guide, "Cluster API server endpoint"
    /// (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html): the endpoint is
    /// public, private or both; turning both off is refused.
    #[test]
    fn the_api_needs_at_least_one_endpoint() {
        let mut s = crate::scenario::default_scenario();
        s.cluster.cluster_endpoints.public_access = false;
        let problems = crate::model::build(&s).unwrap_err();
        assert_eq!(
            problems[0].to_string(),
            "cluster.clusterEndpoints: the API needs at least one endpoint: turn on publicAccess, privateAccess or both"
        );
    }

    /// EKS API reference, `VpcConfigRequest.publicAccessCidrs`
    /// (https://docs.aws.amazon.com/eks/latest/APIReference/API_VpcConfigRequest.html): "The
    /// default value is 0.0.0.0/0". An empty list is accepted as that default, with a note on
    /// the control plane, not refused.
    #[test]
    fn an_empty_public_access_cidrs_is_the_default_with_a_note() {
        let mut s = crate::scenario::default_scenario();
        s.cluster.public_access_cidrs = Vec::new();
        let cluster = crate::model::build(&s).unwrap_or_else(|p| panic!("{p:?}"));
        let endpoint = &cluster.control_plane.endpoint;
        assert!(endpoint.cidrs_defaulted);
        assert_eq!(endpoint.cidr_list(), "0.0.0.0/0");
        assert!(endpoint.allows("198.51.100.7".parse().unwrap()));
        let note = cluster
            .findings
            .iter()
            .find(|f| {
                f.subject == crate::model::Id::ControlPlane
                    && f.message.contains("publicAccessCIDRs is empty")
            })
            .expect("a note on the control plane");
        assert_eq!(note.severity, crate::model::finding::Severity::Info);
        // With the public endpoint off, an empty list is simply empty.
        s.cluster.cluster_endpoints.public_access = false;
        s.cluster.cluster_endpoints.private_access = true;
        let cluster = crate::model::build(&s).unwrap();
        assert!(!cluster.control_plane.endpoint.cidrs_defaulted);
        assert!(cluster
            .control_plane
            .endpoint
            .public_access_cidrs
            .is_empty());
    }
}
