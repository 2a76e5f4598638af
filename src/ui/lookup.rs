//! From a drawn thing's id (`eni:ng-1-1/eth0`) back to the model object it draws.

use crate::model::aws::eni::{Eni, IpSlot, Prefix};
use crate::model::aws::nat_gateway::NatGateway;
use crate::model::aws::subnet::Subnet;
use crate::model::{Cluster, Node};

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
        "node" => cluster.node_by_name(rest).map(Target::Node),
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
