//! Pages of the EKS control plane: its endpoint access and cluster security group, its
//! components, and its cross-account ENIs in the VPC's subnets.

use super::docs;
use super::explanation::{derived, fact, mono, Explanation};
use crate::layout::text::thousands;
use crate::model::aws::eks_control_plane::{CrossAccountEni, COMPONENTS};
use crate::model::{Cluster, Id};

/// The control plane: endpoint access, the cluster security group, its cross-account ENIs.
pub(super) fn control_plane(cluster: &Cluster) -> Explanation {
    let cp = &cluster.control_plane;
    let e = &cp.endpoint;
    let mut d = Explanation::new("EKS control plane", format!("Cluster {}", cluster.name));
    d.summary = Some(
        "kube-apiserver, etcd and the controllers run in a VPC that AWS owns and operates; the cluster reaches into yours through cross-account ENIs."
            .into(),
    );
    let onoff = |b: bool| if b { "on" } else { "off" };
    d.facts = vec![
        fact("Endpoint access", e.label()),
        fact("Public endpoint", onoff(e.public)),
        fact("Private endpoint", onoff(e.private)),
        fact(
            "publicAccessCIDRs",
            mono(if e.public_access_cidrs.is_empty() {
                "none".to_string()
            } else {
                e.cidr_list()
            }),
        ),
        derived(
            "Cluster security group",
            mono(cp.cluster_security_group.clone()),
            "inbound: all from itself; outbound: all. On the cross-account ENIs and managed node group nodes",
        ),
        derived(
            "Cross-account ENIs",
            thousands(cp.enis.len() as u32),
            "one per Availability Zone of the control plane subnets, 2 to 4",
        ),
    ];
    for eni in &cp.enis {
        d.link(
            "EKS ENI",
            eni.id.clone(),
            format!("{} · {}", eni.ip, eni.az),
        );
    }
    for (name, _) in COMPONENTS {
        d.link(
            "Component",
            Id::CpComponent(name.to_string()),
            name.to_string(),
        );
    }
    d.docs = vec![
        docs::CLUSTER_ENDPOINT,
        docs::NETWORK_REQUIREMENTS,
        docs::SECURITY_GROUP_REQUIREMENTS,
    ];
    d
}

/// A control plane component and what it does.
pub(super) fn component(name: &str, role: &str) -> Explanation {
    let mut d = Explanation::new("Control plane component", name.to_string());
    d.summary = Some(role.to_string());
    d.facts = vec![fact(
        "Runs in",
        "the EKS-owned VPC, managed and scaled by AWS across Availability Zones",
    )];
    d.link(
        "Control plane",
        Id::ControlPlane,
        "EKS control plane".into(),
    );
    d.docs = vec![docs::CONTROL_PLANE];
    d
}

/// A cross-account ENI of the control plane in one of the VPC's subnets.
pub(super) fn eks_eni(cluster: &Cluster, e: &CrossAccountEni) -> Explanation {
    let mut d = Explanation::new("EKS cross-account ENI", e.ip.to_string());
    d.summary = Some(
            "Owned by EKS's account, placed in your subnet: the private endpoint resolves here, and the API server reaches kubelets (logs, exec, port-forward) through it."
                .into(),
        );
    d.facts = vec![
            fact("Address", mono(e.ip.to_string())),
            fact("Availability Zone", e.az.clone()),
            fact(
                "Security group",
                mono(cluster.control_plane.cluster_security_group.clone()),
            ),
            derived(
                "Takes from the subnet",
                "1 address",
                "EKS needs ≥ 6 free in each control plane subnet (16 recommended; upgrades take up to 5 more for a while)",
            ),
        ];
    if let Some(s) = cluster.subnets.get(e.subnet) {
        d.link("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr));
    }
    d.link(
        "Control plane",
        Id::ControlPlane,
        "EKS control plane".into(),
    );
    d.docs = vec![docs::NETWORK_REQUIREMENTS, docs::CLUSTER_ENDPOINT];
    d
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{page, value};
    use crate::model;
    use crate::scenario::default_scenario;

    #[test]
    fn the_control_plane_links_its_enis_and_components() {
        let cluster = model::build(&default_scenario()).unwrap();
        let p = page(&cluster, "control-plane");
        assert_eq!(value(&p, "Public endpoint"), "on");
        assert_eq!(value(&p, "Private endpoint"), "off");
        assert_eq!(value(&p, "Cross-account ENIs"), "3");
        assert!(p.related.iter().any(|r| r.id == "cp-component:etcd"));
        assert!(p
            .docs
            .iter()
            .any(|d| d.url.ends_with("cluster-endpoint.html")));
        let etcd = page(&cluster, "cp-component:etcd");
        assert!(etcd.summary.unwrap().contains("store of record"));
        let eni = &cluster.control_plane.enis[0];
        let p = page(&cluster, &eni.id);
        assert_eq!(value(&p, "Address"), eni.ip.to_string());
    }
}
