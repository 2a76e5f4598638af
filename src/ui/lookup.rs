//! From a drawn thing's id (`eni:ng-1-1/eth0`) back to the model object it draws.

use crate::model::aws::eks_control_plane::{CrossAccountEni, COMPONENTS};
use crate::model::aws::eni::{BranchEni, Eni, IpSlot, Prefix};
use crate::model::aws::load_balancer::{LbNode, LoadBalancer};
use crate::model::aws::nat_gateway::NatGateway;
use crate::model::aws::subnet::Subnet;
use crate::model::k8s::ingress::Ingress;
use crate::model::k8s::services::Service;
use crate::model::{Cluster, Node, Pod};

/// A model object the user selected.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Target<'a> {
    Internet,
    Cloud,
    Region(&'a str),
    Vpc,
    Az(&'a str),
    Subnet(&'a Subnet),
    Igw,
    NatGw(&'a NatGateway),
    Node(&'a Node),
    Eni(&'a Node, &'a Eni),
    Ip(&'a Node, &'a Eni, &'a IpSlot),
    Prefix(&'a Node, &'a Eni, &'a Prefix),
    /// A free slot: its index on the ENI.
    Slot(&'a Node, &'a Eni, u32),
    Pod(&'a Pod),
    Branch(&'a Node, &'a BranchEni),
    /// A node's hostNetwork pods.
    HostNetwork(&'a Node),
    EksEni(&'a CrossAccountEni),
    ControlPlane,
    /// A control plane component: its name and role.
    CpComponent(&'a str, &'a str),
    Workloads,
    /// A workload: namespace and name.
    Workload(&'a str, &'a str),
    Pending,
    LoadBalancer(&'a LoadBalancer),
    /// A load balancer's node in one AZ.
    LbNode(&'a LoadBalancer, &'a LbNode),
    Service(&'a Service),
    Ingress(&'a Ingress),
    /// A node group's summary in a subnet (a huge cluster, zoomed out): the subnet and the
    /// group's name. A subnet's own summary resolves to the subnet.
    Summary(&'a Subnet, &'a str),
}

fn node_eni<'a>(
    cluster: &'a Cluster,
    path: &'a str,
) -> Option<(&'a Node, &'a Eni, Option<&'a str>)> {
    let mut parts = path.splitn(3, '/');
    let node = cluster.node_by_name(parts.next()?)?;
    let eth = parts.next()?;
    let eni = node.enis.iter().find(|e| e.name() == eth)?;
    Some((node, eni, parts.next()))
}

/// `lb:<name>` or `lb:<name>/<az>`; a load balancer's name may itself hold a `/`.
fn lb_or_node<'a>(cluster: &'a Cluster, id: &str) -> Option<Target<'a>> {
    if let Some(lb) = cluster.load_balancers.iter().find(|l| l.id == id) {
        return Some(Target::LoadBalancer(lb));
    }
    let (lb_id, az) = id.rsplit_once('/')?;
    let lb = cluster.load_balancers.iter().find(|l| l.id == lb_id)?;
    let node = lb.nodes.iter().find(|n| n.az == az)?;
    Some(Target::LbNode(lb, node))
}

/// Resolves an id of the scene; `None` when nothing in the cluster has it (any more).
pub fn resolve<'a>(cluster: &'a Cluster, id: &'a str) -> Option<Target<'a>> {
    let (kind, rest) = id.split_once(':').unwrap_or((id, ""));
    match kind {
        "internet" => Some(Target::Internet),
        "aws-cloud" => Some(Target::Cloud),
        "region" => Some(Target::Region(rest)),
        "vpc" => Some(Target::Vpc),
        "igw" => cluster.internet_gateway.then_some(Target::Igw),
        "az" => cluster
            .azs
            .iter()
            .find(|a| *a == rest)
            .map(|a| Target::Az(a.as_str())),
        "subnet" => cluster.subnet_by_name(rest).map(Target::Subnet),
        "natgw" => cluster
            .nat_gateways
            .iter()
            .find(|n| n.id == id)
            .map(Target::NatGw),
        // A node's state mark stands for the node.
        "node" | "node-state" => cluster.node_by_name(rest).map(Target::Node),
        // "+N more" load balancer nodes: the subnet they are in.
        "lb-more" => cluster.subnet_by_name(rest).map(Target::Subnet),
        "eni" => match node_eni(cluster, rest)? {
            (node, eni, None) => Some(Target::Eni(node, eni)),
            _ => None,
        },
        "ip" => {
            let (node, eni, _) = node_eni(cluster, rest)?;
            eni.slots
                .iter()
                .find(|s| s.id == id)
                .map(|s| Target::Ip(node, eni, s))
        }
        "prefix" => {
            let (node, eni, _) = node_eni(cluster, rest)?;
            eni.prefixes
                .iter()
                .find(|p| p.id == id)
                .map(|p| Target::Prefix(node, eni, p))
        }
        "pod" => cluster.pods.iter().find(|p| p.id == id).map(Target::Pod),
        "branch" => cluster.nodes.iter().find_map(|n| {
            n.branches
                .iter()
                .find(|b| b.id == id)
                .map(|b| Target::Branch(n, b))
        }),
        "hostnet" => cluster.node_by_name(rest).map(Target::HostNetwork),
        "eks-eni" => cluster
            .control_plane
            .enis
            .iter()
            .find(|e| e.id == id)
            .map(Target::EksEni),
        "control-plane" => Some(Target::ControlPlane),
        "cp-component" => COMPONENTS
            .iter()
            .find(|(name, _)| *name == rest)
            .map(|(name, role)| Target::CpComponent(name, role)),
        "lb" => lb_or_node(cluster, id),
        "service" => cluster
            .services
            .iter()
            .find(|s| s.id == id)
            .map(Target::Service),
        "ingress" => cluster
            .ingresses
            .iter()
            .find(|i| i.id == id)
            .map(Target::Ingress),
        "workloads" => Some(Target::Workloads),
        "workload" => {
            let (namespace, name) = rest.split_once('/')?;
            cluster
                .pods
                .iter()
                .any(|p| p.namespace == namespace && p.workload == name)
                .then_some(Target::Workload(namespace, name))
        }
        "pending" => Some(Target::Pending),
        "summary" => match rest.split_once('/') {
            None => cluster.subnet_by_name(rest).map(Target::Subnet),
            Some((subnet, group)) => {
                let s = cluster.subnet_by_name(subnet)?;
                cluster
                    .nodes
                    .iter()
                    .any(|n| n.group == group && cluster.subnets.get(n.subnet) == Some(s))
                    .then_some(Target::Summary(s, group))
            }
        },
        "slot" => {
            let (node, eni, k) = node_eni(cluster, rest)?;
            let k: u32 = k?.parse().ok()?;
            let taken = (eni.slots.len() + eni.prefixes.len()) as u32;
            (taken..eni.capacity)
                .contains(&k)
                .then_some(Target::Slot(node, eni, k))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout;
    use crate::model;
    use crate::scenario::default_scenario;

    #[test]
    fn every_shape_of_the_default_scene_resolves() {
        let cluster = model::build(&default_scenario()).unwrap();
        let scene = layout::layout(&cluster);
        for shape in scene.walk() {
            assert!(resolve(&cluster, &shape.id).is_some(), "{}", shape.id);
        }
    }

    #[test]
    fn ids_resolve_to_their_objects() {
        let mut scenario = default_scenario();
        scenario.cluster.vpc_cni.warm_ip_target = Some(2);
        let cluster = model::build(&scenario).unwrap();
        assert!(
            matches!(resolve(&cluster, "node:ng-1-2"), Some(Target::Node(n)) if n.name == "ng-1-2")
        );
        assert!(
            matches!(resolve(&cluster, "eni:ng-1-2/eth0"), Some(Target::Eni(_, e)) if e.device_index == 0)
        );
        assert!(
            matches!(resolve(&cluster, "ip:ng-1-1/eth0/1"), Some(Target::Ip(_, _, s)) if s.id == "ip:ng-1-1/eth0/1")
        );
        assert!(matches!(
            resolve(&cluster, "slot:ng-1-1/eth0/5"),
            Some(Target::Slot(_, _, 5))
        ));
        assert!(
            matches!(resolve(&cluster, "subnet:public-b"), Some(Target::Subnet(s)) if s.public)
        );
        assert!(matches!(
            resolve(&cluster, "natgw:us-east-1c"),
            Some(Target::NatGw(_))
        ));
        assert!(matches!(
            resolve(&cluster, "az:us-east-1b"),
            Some(Target::Az("us-east-1b"))
        ));
    }

    #[test]
    fn pods_workloads_and_the_control_plane_resolve() {
        let cluster = model::build(&default_scenario()).unwrap();
        let coredns = cluster
            .pods
            .iter()
            .find(|p| p.workload == "coredns")
            .unwrap();
        assert!(
            matches!(resolve(&cluster, &coredns.id), Some(Target::Pod(p)) if p.id == coredns.id)
        );
        assert!(matches!(
            resolve(&cluster, "workload:kube-system/coredns"),
            Some(Target::Workload("kube-system", "coredns"))
        ));
        assert_eq!(resolve(&cluster, "workload:default/nope"), None);
        assert!(matches!(
            resolve(&cluster, "cp-component:etcd"),
            Some(Target::CpComponent("etcd", _))
        ));
        assert!(
            matches!(resolve(&cluster, "eks-eni:us-east-1b"), Some(Target::EksEni(e)) if e.az == "us-east-1b")
        );
        assert!(
            matches!(resolve(&cluster, "hostnet:ng-1-3"), Some(Target::HostNetwork(n)) if n.name == "ng-1-3")
        );
        assert_eq!(
            resolve(&cluster, "control-plane"),
            Some(Target::ControlPlane)
        );
    }

    #[test]
    fn every_summary_resolves() {
        let cluster = model::build(&crate::scenario::scale_scenario(300)).unwrap();
        let scene = layout::layout(&cluster);
        let summary = layout::summary_scene(
            &cluster,
            &layout::aggregate::Aggregates::new(&cluster),
            &scene,
            layout::reference_scale(scene.size),
        );
        // The service band is a frame the pointer passes through.
        for shape in summary
            .walk()
            .filter(|s| s.kind != layout::Kind::ServiceBand)
        {
            assert!(resolve(&cluster, &shape.id).is_some(), "{}", shape.id);
        }
        assert!(matches!(
            resolve(&cluster, "summary:private-b/ng-1"),
            Some(Target::Summary(s, "ng-1")) if s.name == "private-b"
        ));
        assert!(
            matches!(resolve(&cluster, "summary:private-b"), Some(Target::Subnet(s)) if s.name == "private-b")
        );
        for id in [
            "summary:pods-a/ng-1",
            "summary:private-a/ng-9",
            "summary:nope/ng-1",
        ] {
            assert_eq!(resolve(&cluster, id), None, "{id}");
        }
    }

    #[test]
    fn unknown_and_stale_ids_do_not_resolve() {
        let cluster = model::build(&default_scenario()).unwrap();
        for id in [
            "",
            "node:",
            "node:ng-1-9",
            "eni:ng-1-1/eth7",
            "ip:ng-1-1/eth0/99",
            "slot:ng-1-1/eth0/1",
            "slot:ng-1-1/eth0/x",
            "bogus:1",
            "subnet:nope",
        ] {
            assert_eq!(resolve(&cluster, id), None, "{id}");
        }
    }
}
