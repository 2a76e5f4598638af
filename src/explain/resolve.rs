//! From a parsed id to the model object it names ([`Subject`]), and, when nothing has that id,
//! an [`Unknown`] that names a few ids of the same kind the cluster does have.

use std::fmt;

use super::target::{self, lb_node_id, Target, KINDS};
use crate::model::aws::eks_control_plane::{CrossAccountEni, COMPONENTS};
use crate::model::aws::eni::{BranchEni, Eni, IpSlot, Prefix};
use crate::model::aws::load_balancer::{LbNode, LoadBalancer};
use crate::model::aws::nat_gateway::NatGateway;
use crate::model::aws::subnet::Subnet;
use crate::model::k8s::ingress::Ingress;
use crate::model::k8s::services::Service;
use crate::model::{Cluster, Node, Pod};

/// A model object an id names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Subject<'a> {
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
    Component(&'a str, &'a str),
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
    /// group's name. A subnet's own summary is the subnet.
    Summary(&'a Subnet, &'a str),
}

/// An id nothing in the cluster has. What it says instead — the kinds of id there are, or a
/// few ids of its kind that exist — is worked out only when it is printed (`Display`), so the
/// page, which only says "not in the cluster", does not carry that code.
#[derive(Clone, Copy)]
pub struct Unknown<'a> {
    id: &'a str,
    cluster: &'a Cluster,
}

/// How many ids of the same kind an [`Unknown`] suggests.
pub const EXAMPLES: usize = 5;

impl<'a> Unknown<'a> {
    pub fn id(&self) -> &'a str {
        self.id
    }

    /// The id's kind, when it is one eksplain knows (even if the rest is malformed).
    pub fn kind(&self) -> Option<&'static str> {
        let kind = target::kind_of(self.id);
        KINDS.iter().copied().find(|k| *k == kind)
    }

    /// Up to [`EXAMPLES`] ids of the same kind that the cluster has.
    pub fn examples(&self) -> Vec<String> {
        self.kind()
            .map_or_else(Vec::new, |kind| examples(self.cluster, kind))
    }
}

impl fmt::Debug for Unknown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unknown").field("id", &self.id).finish()
    }
}

impl fmt::Display for Unknown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let id = self.id;
        let Some(kind) = self.kind() else {
            return write!(
                f,
                "`{id}` is not an id; an id is one of {}, most followed by `:` and a name (e.g. node:ng-1-1, eni:ng-1-1/eth0, pod:default/web-1)",
                KINDS.join(", ")
            );
        };
        let examples = self.examples();
        if examples.is_empty() {
            write!(
                f,
                "nothing in this cluster has the id `{id}`, and it has no `{kind}` at all"
            )
        } else {
            write!(
                f,
                "nothing in this cluster has the id `{id}`; {kind} ids it has: {}",
                examples.join(", ")
            )
        }
    }
}

fn node_eni<'a>(cluster: &'a Cluster, node: &str, eni: &str) -> Option<(&'a Node, &'a Eni)> {
    let node = cluster.node_by_name(node)?;
    let eni = node.enis.iter().find(|e| e.name() == eni)?;
    Some((node, eni))
}

/// `lb:<name>` or `lb:<name>/<az>`; a load balancer's name may itself hold a `/`.
fn lb_or_node<'a>(cluster: &'a Cluster, id: &str) -> Option<Subject<'a>> {
    if let Some(lb) = cluster.load_balancers.iter().find(|l| l.id == id) {
        return Some(Subject::LoadBalancer(lb));
    }
    let (lb_id, az) = id.rsplit_once('/')?;
    let lb = cluster.load_balancers.iter().find(|l| l.id == lb_id)?;
    let node = lb.nodes.iter().find(|n| n.az == az)?;
    Some(Subject::LbNode(lb, node))
}

/// What a parsed id names in `cluster`; `None` when nothing (any more). `id` is the id as
/// written, which the model's own ids are compared with.
fn find<'a>(cluster: &'a Cluster, target: Target<'a>, id: &str) -> Option<Subject<'a>> {
    Some(match target {
        Target::Internet => Subject::Internet,
        Target::Cloud => Subject::Cloud,
        Target::Region(r) => Subject::Region(r),
        Target::Vpc => Subject::Vpc,
        Target::Igw => return cluster.internet_gateway.then_some(Subject::Igw),
        Target::Az(az) => Subject::Az(cluster.azs.iter().find(|a| *a == az)?),
        Target::Subnet(name) => Subject::Subnet(cluster.subnet_by_name(name)?),
        Target::NatGw(_) => Subject::NatGw(cluster.nat_gateways.iter().find(|n| n.id == id)?),
        Target::Node(name) => Subject::Node(cluster.node_by_name(name)?),
        Target::Eni { node, eni } => {
            let (node, eni) = node_eni(cluster, node, eni)?;
            Subject::Eni(node, eni)
        }
        Target::Ip { node, eni, .. } => {
            let (node, eni) = node_eni(cluster, node, eni)?;
            Subject::Ip(node, eni, eni.slots.iter().find(|s| s.id == id)?)
        }
        Target::Prefix { node, eni, .. } => {
            let (node, eni) = node_eni(cluster, node, eni)?;
            Subject::Prefix(node, eni, eni.prefixes.iter().find(|p| p.id == id)?)
        }
        Target::Slot { node, eni, slot } => {
            let (node, eni) = node_eni(cluster, node, eni)?;
            let taken = (eni.slots.len() + eni.prefixes.len()) as u32;
            return (taken..eni.capacity)
                .contains(&slot)
                .then_some(Subject::Slot(node, eni, slot));
        }
        Target::Pod { .. } => Subject::Pod(cluster.pods.iter().find(|p| p.id == id)?),
        Target::Branch(_) => {
            return cluster.nodes.iter().find_map(|n| {
                n.branches
                    .iter()
                    .find(|b| b.id == id)
                    .map(|b| Subject::Branch(n, b))
            })
        }
        Target::HostNetwork(name) => Subject::HostNetwork(cluster.node_by_name(name)?),
        Target::EksEni(_) => {
            Subject::EksEni(cluster.control_plane.enis.iter().find(|e| e.id == id)?)
        }
        Target::ControlPlane => Subject::ControlPlane,
        Target::Component(name) => {
            let (name, role) = COMPONENTS.iter().find(|(n, _)| *n == name)?;
            Subject::Component(name, role)
        }
        Target::Workloads => Subject::Workloads,
        Target::Workload { namespace, name } => {
            return cluster
                .pods
                .iter()
                .any(|p| p.namespace == namespace && p.workload == name)
                .then_some(Subject::Workload(namespace, name))
        }
        Target::Pending => Subject::Pending,
        Target::Lb(_) => return lb_or_node(cluster, id),
        Target::Service { .. } => Subject::Service(cluster.services.iter().find(|s| s.id == id)?),
        Target::Ingress { .. } => Subject::Ingress(cluster.ingresses.iter().find(|i| i.id == id)?),
        Target::Summary {
            subnet,
            group: None,
        } => Subject::Subnet(cluster.subnet_by_name(subnet)?),
        Target::Summary {
            subnet,
            group: Some(group),
        } => {
            let s = cluster.subnet_by_name(subnet)?;
            return cluster
                .nodes
                .iter()
                .any(|n| n.group == group && cluster.subnets.get(n.subnet) == Some(s))
                .then_some(Subject::Summary(s, group));
        }
    })
}

/// The model object `id` names in `cluster`.
pub fn resolve<'a>(cluster: &'a Cluster, id: &'a str) -> Result<Subject<'a>, Unknown<'a>> {
    let unknown = Unknown { id, cluster };
    let target = target::parse(id).ok_or(unknown)?;
    find(cluster, target, id).ok_or(unknown)
}

/// Up to [`EXAMPLES`] ids of `kind` that `cluster` has, in the model's order.
pub fn examples(cluster: &Cluster, kind: &str) -> Vec<String> {
    let enis = || cluster.nodes.iter().flat_map(|n| n.enis.iter());
    let ids: Box<dyn Iterator<Item = String> + '_> = match kind {
        "az" => Box::new(cluster.azs.iter().map(|az| Target::Az(az).to_string())),
        "subnet" => Box::new(cluster.subnets.iter().map(|s| s.id.clone())),
        "natgw" => Box::new(cluster.nat_gateways.iter().map(|n| n.id.clone())),
        "node" => Box::new(cluster.nodes.iter().map(|n| n.id.clone())),
        "eni" => Box::new(enis().map(|e| e.id.clone())),
        "ip" => Box::new(enis().flat_map(|e| e.slots.iter().map(|s| s.id.clone()))),
        "prefix" => Box::new(enis().flat_map(|e| e.prefixes.iter().map(|p| p.id.clone()))),
        "slot" => Box::new(cluster.nodes.iter().flat_map(|n| {
            n.enis.iter().flat_map(move |e| {
                let taken = (e.slots.len() + e.prefixes.len()) as u32;
                let eni = e.name();
                (taken..e.capacity).map(move |k| {
                    Target::Slot {
                        node: &n.name,
                        eni: &eni,
                        slot: k,
                    }
                    .to_string()
                })
            })
        })),
        "pod" => Box::new(cluster.pods.iter().map(|p| p.id.to_string())),
        "branch" => Box::new(
            cluster
                .nodes
                .iter()
                .flat_map(|n| n.branches.iter().map(|b| b.id.clone())),
        ),
        "hostnet" => Box::new(
            cluster
                .nodes
                .iter()
                .filter(|n| n.host_network_pods > 0)
                .map(|n| Target::HostNetwork(&n.name).to_string()),
        ),
        "eks-eni" => Box::new(cluster.control_plane.enis.iter().map(|e| e.id.clone())),
        "cp-component" => Box::new(
            COMPONENTS
                .iter()
                .map(|(name, _)| Target::Component(name).to_string()),
        ),
        "workload" => {
            let mut seen: Vec<(&str, &str)> = Vec::new();
            for p in &cluster.pods {
                let key = (p.namespace.as_str(), p.workload.as_str());
                if !seen.contains(&key) {
                    seen.push(key);
                    if seen.len() == EXAMPLES {
                        break;
                    }
                }
            }
            Box::new(
                seen.into_iter()
                    .map(|(namespace, name)| Target::Workload { namespace, name }.to_string()),
            )
        }
        "lb" => Box::new(cluster.load_balancers.iter().flat_map(|lb| {
            std::iter::once(lb.id.clone()).chain(lb.nodes.iter().map(|n| lb_node_id(&lb.id, &n.az)))
        })),
        "service" => Box::new(cluster.services.iter().map(|s| s.id.clone())),
        "ingress" => Box::new(cluster.ingresses.iter().map(|i| i.id.clone())),
        "summary" => {
            // A node group's summary in each subnet its first nodes are in.
            let mut seen: Vec<(&str, &str)> = Vec::new();
            for n in &cluster.nodes {
                let Some(subnet) = cluster.subnets.get(n.subnet) else {
                    continue;
                };
                let key = (subnet.name.as_str(), n.group.as_str());
                if !seen.contains(&key) {
                    seen.push(key);
                    if seen.len() == EXAMPLES {
                        break;
                    }
                }
            }
            Box::new(seen.into_iter().map(|(subnet, group)| {
                Target::Summary {
                    subnet,
                    group: Some(group),
                }
                .to_string()
            }))
        }
        _ => Box::new(std::iter::empty()),
    };
    ids.take(EXAMPLES).collect()
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
        for shape in layout::layout(&cluster).walk() {
            assert!(resolve(&cluster, &shape.id).is_ok(), "{}", shape.id);
        }
    }

    #[test]
    fn ids_resolve_to_their_objects() {
        let mut scenario = default_scenario();
        scenario.cluster.vpc_cni.warm_ip_target = Some(2);
        let cluster = model::build(&scenario).unwrap();
        assert!(
            matches!(resolve(&cluster, "node:ng-1-2"), Ok(Subject::Node(n)) if n.name == "ng-1-2")
        );
        assert!(
            matches!(resolve(&cluster, "eni:ng-1-2/eth0"), Ok(Subject::Eni(_, e)) if e.device_index == 0)
        );
        assert!(
            matches!(resolve(&cluster, "ip:ng-1-1/eth0/1"), Ok(Subject::Ip(_, _, s)) if s.id == "ip:ng-1-1/eth0/1")
        );
        assert!(matches!(
            resolve(&cluster, "slot:ng-1-1/eth0/5"),
            Ok(Subject::Slot(_, _, 5))
        ));
        assert!(matches!(resolve(&cluster, "subnet:public-b"), Ok(Subject::Subnet(s)) if s.public));
        assert!(matches!(
            resolve(&cluster, "natgw:us-east-1c"),
            Ok(Subject::NatGw(_))
        ));
        assert!(matches!(
            resolve(&cluster, "az:us-east-1b"),
            Ok(Subject::Az("us-east-1b"))
        ));
        assert!(matches!(
            resolve(&cluster, "workload:kube-system/coredns"),
            Ok(Subject::Workload("kube-system", "coredns"))
        ));
        assert!(matches!(
            resolve(&cluster, "cp-component:etcd"),
            Ok(Subject::Component("etcd", _))
        ));
        assert!(
            matches!(resolve(&cluster, "hostnet:ng-1-3"), Ok(Subject::HostNetwork(n)) if n.name == "ng-1-3")
        );
    }

    #[test]
    fn every_summary_resolves() {
        let cluster = model::build(&crate::scenario::scale_scenario(300)).unwrap();
        let scene = layout::layout(&cluster);
        let aggregates = layout::aggregate::Aggregates::new(&cluster);
        let summary = layout::summary_scene(
            &cluster,
            &aggregates,
            &scene,
            layout::reference_scale(scene.size),
        );
        for shape in summary.walk() {
            assert!(resolve(&cluster, &shape.id).is_ok(), "{}", shape.id);
        }
        assert!(matches!(
            resolve(&cluster, "summary:private-b/ng-1"),
            Ok(Subject::Summary(s, "ng-1")) if s.name == "private-b"
        ));
        for id in ["summary:pods-a/ng-1", "summary:private-a/ng-9"] {
            assert!(resolve(&cluster, id).is_err(), "{id}");
        }
        let some = examples(&cluster, "summary");
        assert!(!some.is_empty());
        assert!(some.iter().all(|id| resolve(&cluster, id).is_ok()));
    }

    #[test]
    fn an_unknown_id_names_ids_of_its_kind_or_the_kinds() {
        let cluster = model::build(&default_scenario()).unwrap();
        let Err(e) = resolve(&cluster, "node:ng-1-9") else {
            panic!("node:ng-1-9 resolves")
        };
        assert_eq!((e.id(), e.kind()), ("node:ng-1-9", Some("node")));
        assert_eq!(e.examples(), ["node:ng-1-1", "node:ng-1-2", "node:ng-1-3"]);
        assert!(e.to_string().contains("node:ng-1-1, node:ng-1-2"), "{e}");
        let Err(e) = resolve(&cluster, "lb:web") else {
            panic!("lb:web resolves")
        };
        assert!(e.to_string().contains("no `lb` at all"), "{e}");
        let Err(e) = resolve(&cluster, "bogus:1") else {
            panic!("bogus:1 resolves")
        };
        assert!(e.to_string().contains("node, eni, ip, prefix"), "{e}");
        let Err(e) = resolve(&cluster, "eni:ng-1-1") else {
            panic!("eni:ng-1-1 resolves")
        };
        assert!(e.to_string().contains("eni:ng-1-1/eth0"), "{e}");
        for id in [
            "",
            "eni:ng-1-1/eth7",
            "ip:ng-1-1/eth0/99",
            "slot:ng-1-1/eth0/1",
            "subnet:nope",
            "workload:default/nope",
        ] {
            assert!(resolve(&cluster, id).is_err(), "{id}");
        }
        // Every kind with things in it suggests ids that resolve.
        for kind in KINDS {
            for id in examples(&cluster, kind) {
                assert!(resolve(&cluster, &id).is_ok(), "{kind}: {id}");
            }
        }
    }
}
