//! From an [`Id`] to the model object it names ([`Subject`]), and, when nothing has that id,
//! an [`Unknown`] that names a few ids of the same kind the cluster does have.

use std::fmt;

use crate::model::aws::eks_control_plane::{CrossAccountEni, COMPONENTS};
use crate::model::aws::eni::{BranchEni, Eni, IpSlot, Prefix};
use crate::model::aws::load_balancer::{LbNode, LoadBalancer};
use crate::model::aws::nat_gateway::NatGateway;
use crate::model::aws::subnet::Subnet;
use crate::model::id::PREFIXES as KINDS;
use crate::model::k8s::ingress::Ingress;
use crate::model::k8s::services::Service;
use crate::model::{Cluster, Id, Node, Pod};

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

/// An id nothing in the cluster has (or a text that is no id). What it says instead — the
/// kinds of id there are, or a few ids of its kind that exist — is worked out only when it is
/// printed (`Display`), so the page, which only says "not in the cluster", does not carry that
/// code.
#[derive(Clone)]
pub struct Unknown<'a> {
    /// The id as written.
    id: String,
    /// Its kind, when it is an id.
    kind: Option<&'static str>,
    cluster: &'a Cluster,
}

/// How many ids of the same kind an [`Unknown`] suggests.
pub const EXAMPLES: usize = 5;

impl Unknown<'_> {
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The id's kind, when it is an id.
    pub fn kind(&self) -> Option<&'static str> {
        self.kind
    }

    /// Up to [`EXAMPLES`] ids of the same kind that the cluster has.
    pub fn examples(&self) -> Vec<String> {
        self.kind
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
        let id = &self.id;
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

fn node_eni<'a>(cluster: &'a Cluster, node: &str, device: u32) -> Option<(&'a Node, &'a Eni)> {
    let node = cluster.node_by_name(node)?;
    let eni = node.enis.iter().find(|e| e.device_index == device)?;
    Some((node, eni))
}

/// A load balancer by name, or its node in one AZ. An IngressGroup's name may look like
/// `<namespace>/<zone>`, so `Id` may read a load balancer as a node: both are tried.
fn lb_or_node<'a>(cluster: &'a Cluster, id: &Id) -> Option<Subject<'a>> {
    let by_name = |name: &str| cluster.load_balancers.iter().find(|l| l.name == name);
    match id {
        Id::Lb(name) => by_name(name).map(Subject::LoadBalancer),
        Id::LbNode { lb, az } => {
            if let Some(lb) = by_name(&format!("{lb}/{az}")) {
                return Some(Subject::LoadBalancer(lb));
            }
            let lb = by_name(lb)?;
            let node = lb.nodes.iter().find(|n| &n.az == az)?;
            Some(Subject::LbNode(lb, node))
        }
        _ => None,
    }
}

/// What `id` names in `cluster`; `None` when nothing (any more).
fn find<'a>(cluster: &'a Cluster, id: &Id) -> Option<Subject<'a>> {
    Some(match id {
        Id::Internet => Subject::Internet,
        Id::Cloud => Subject::Cloud,
        Id::Region(r) => Subject::Region(cluster_region(cluster, r.as_deref())?),
        Id::Vpc => Subject::Vpc,
        Id::Igw => return cluster.internet_gateway.then_some(Subject::Igw),
        Id::Az(az) => Subject::Az(cluster.azs.iter().find(|a| *a == az)?),
        Id::Subnet(name) => Subject::Subnet(cluster.subnet_by_name(name)?),
        Id::NatGw(_) => Subject::NatGw(cluster.nat_gateways.iter().find(|n| n.id == *id)?),
        Id::Node(name) => Subject::Node(cluster.node_by_name(name)?),
        Id::Eni { node, device } => {
            let (node, eni) = node_eni(cluster, node, *device)?;
            Subject::Eni(node, eni)
        }
        Id::Ip { node, device, .. } => {
            let (node, eni) = node_eni(cluster, node, *device)?;
            Subject::Ip(node, eni, eni.slots.iter().find(|s| s.id == *id)?)
        }
        Id::Prefix { node, device, .. } => {
            let (node, eni) = node_eni(cluster, node, *device)?;
            Subject::Prefix(node, eni, eni.prefixes.iter().find(|p| p.id == *id)?)
        }
        Id::Slot { node, device, slot } => {
            let (node, eni) = node_eni(cluster, node, *device)?;
            let taken = (eni.slots.len() + eni.prefixes.len()) as u32;
            return (taken..eni.capacity)
                .contains(slot)
                .then_some(Subject::Slot(node, eni, *slot));
        }
        Id::Pod { namespace, name } => Subject::Pod(
            cluster
                .pods
                .iter()
                .find(|p| p.name.as_str() == name && p.namespace.as_str() == namespace)?,
        ),
        Id::Branch(_) => {
            return cluster.nodes.iter().find_map(|n| {
                n.branches
                    .iter()
                    .find(|b| b.id == *id)
                    .map(|b| Subject::Branch(n, b))
            })
        }
        // A node's mark stands for the node.
        Id::HostNetwork(name) => Subject::HostNetwork(cluster.node_by_name(name)?),
        Id::NodeState(name) => Subject::Node(cluster.node_by_name(name)?),
        Id::EksEni(_) => Subject::EksEni(cluster.control_plane.enis.iter().find(|e| e.id == *id)?),
        Id::ControlPlane => Subject::ControlPlane,
        Id::CpComponent(name) => {
            let (name, role) = COMPONENTS.iter().find(|(n, _)| n == name)?;
            Subject::Component(name, role)
        }
        Id::Workloads => Subject::Workloads,
        Id::Workload { namespace, name } => {
            let pod = cluster
                .pods
                .iter()
                .find(|p| p.namespace.as_str() == namespace && p.workload.as_str() == name)?;
            Subject::Workload(&pod.namespace, &pod.workload)
        }
        Id::Pending => Subject::Pending,
        Id::Lb(_) | Id::LbNode { .. } => return lb_or_node(cluster, id),
        // "+N more" load balancer nodes: the subnet they are in.
        Id::LbMore(subnet) => Subject::Subnet(cluster.subnet_by_name(subnet)?),
        Id::Service { .. } => Subject::Service(cluster.services.iter().find(|s| s.id == *id)?),
        Id::Ingress { .. } => Subject::Ingress(cluster.ingresses.iter().find(|i| i.id == *id)?),
        Id::Summary {
            subnet,
            group: None,
        } => Subject::Subnet(cluster.subnet_by_name(subnet)?),
        Id::Summary {
            subnet,
            group: Some(group),
        } => {
            let s = cluster.subnet_by_name(subnet)?;
            let node = cluster
                .nodes
                .iter()
                .find(|n| &n.group == group && cluster.subnets.get(n.subnet) == Some(s))?;
            Subject::Summary(s, &node.group)
        }
        // Lines, the band's frame, security groups and the architecture view have no page.
        Id::ServiceBand | Id::Link(_) | Id::SecurityGroup(_) | Id::Arch(_) | Id::ArchEdge(_) => {
            return None
        }
    })
}

/// The Region a `region:<name>` id names: the one the cluster's AZs are in (`None` when it
/// names another).
fn cluster_region<'a>(cluster: &'a Cluster, name: Option<&str>) -> Option<&'a str> {
    let region = cluster
        .azs
        .first()
        .and_then(|az| crate::model::aws::vpc::region_of(az));
    match (name, region) {
        (None, _) => Some(""),
        (Some(n), Some(r)) if n == r => Some(r),
        _ => None,
    }
}

/// The model object `id` names in `cluster`.
pub fn resolve<'a>(cluster: &'a Cluster, id: &Id) -> Result<Subject<'a>, Unknown<'a>> {
    find(cluster, id).ok_or_else(|| Unknown {
        id: id.to_string(),
        kind: Some(id.prefix()),
        cluster,
    })
}

/// The model object an id's text names: what the CLI, given a user's text, resolves.
pub fn resolve_text<'a>(cluster: &'a Cluster, text: &str) -> Result<Subject<'a>, Unknown<'a>> {
    match text.parse::<Id>() {
        Ok(id) => resolve(cluster, &id),
        Err(_) => Err(Unknown {
            id: text.to_string(),
            kind: KINDS
                .iter()
                .copied()
                .find(|k| text.split_once(':').map_or(text, |(k, _)| k) == *k),
            cluster,
        }),
    }
}

/// Up to [`EXAMPLES`] ids of `kind` that `cluster` has, in the model's order.
pub fn examples(cluster: &Cluster, kind: &str) -> Vec<String> {
    let enis = || cluster.nodes.iter().flat_map(|n| n.enis.iter());
    let ids: Box<dyn Iterator<Item = String> + '_> = match kind {
        "az" => Box::new(cluster.azs.iter().map(|az| Id::Az(az.clone()).to_string())),
        "subnet" => Box::new(cluster.subnets.iter().map(|s| s.id.to_string())),
        "natgw" => Box::new(cluster.nat_gateways.iter().map(|n| n.id.to_string())),
        "node" => Box::new(cluster.nodes.iter().map(|n| n.id.to_string())),
        "eni" => Box::new(enis().map(|e| e.id.to_string())),
        "ip" => Box::new(enis().flat_map(|e| e.slots.iter().map(|s| s.id.to_string()))),
        "prefix" => Box::new(enis().flat_map(|e| e.prefixes.iter().map(|p| p.id.to_string()))),
        "slot" => Box::new(cluster.nodes.iter().flat_map(|n| {
            n.enis.iter().flat_map(move |e| {
                let taken = (e.slots.len() + e.prefixes.len()) as u32;
                (taken..e.capacity).map(move |slot| {
                    Id::Slot {
                        node: n.name.as_str().into(),
                        device: e.device_index,
                        slot,
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
                .flat_map(|n| n.branches.iter().map(|b| b.id.to_string())),
        ),
        "hostnet" => Box::new(
            cluster
                .nodes
                .iter()
                .filter(|n| n.host_network_pods > 0)
                .map(|n| Id::HostNetwork(n.name.clone()).to_string()),
        ),
        "eks-eni" => Box::new(cluster.control_plane.enis.iter().map(|e| e.id.to_string())),
        "cp-component" => Box::new(
            COMPONENTS
                .iter()
                .map(|(name, _)| Id::CpComponent(name.to_string()).to_string()),
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
            Box::new(seen.into_iter().map(|(namespace, name)| {
                Id::Workload {
                    namespace: namespace.into(),
                    name: name.into(),
                }
                .to_string()
            }))
        }
        "lb" => Box::new(cluster.load_balancers.iter().flat_map(|lb| {
            std::iter::once(lb.id.to_string()).chain(lb.nodes.iter().map(|n| {
                Id::LbNode {
                    lb: lb.name.clone(),
                    az: n.az.clone(),
                }
                .to_string()
            }))
        })),
        "service" => Box::new(cluster.services.iter().map(|s| s.id.to_string())),
        "ingress" => Box::new(cluster.ingresses.iter().map(|i| i.id.to_string())),
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
                Id::Summary {
                    subnet: subnet.into(),
                    group: Some(group.into()),
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
            matches!(resolve_text(&cluster, "node:ng-1-2"), Ok(Subject::Node(n)) if n.name == "ng-1-2")
        );
        assert!(
            matches!(resolve_text(&cluster, "eni:ng-1-2/eth0"), Ok(Subject::Eni(_, e)) if e.device_index == 0)
        );
        assert!(
            matches!(resolve_text(&cluster, "ip:ng-1-1/eth0/1"), Ok(Subject::Ip(_, _, s)) if s.id == "ip:ng-1-1/eth0/1")
        );
        assert!(matches!(
            resolve_text(&cluster, "slot:ng-1-1/eth0/5"),
            Ok(Subject::Slot(_, _, 5))
        ));
        assert!(
            matches!(resolve_text(&cluster, "subnet:public-b"), Ok(Subject::Subnet(s)) if s.public)
        );
        assert!(matches!(
            resolve_text(&cluster, "natgw:us-east-1c"),
            Ok(Subject::NatGw(_))
        ));
        assert!(matches!(
            resolve_text(&cluster, "az:us-east-1b"),
            Ok(Subject::Az("us-east-1b"))
        ));
        assert!(matches!(
            resolve_text(&cluster, "workload:kube-system/coredns"),
            Ok(Subject::Workload("kube-system", "coredns"))
        ));
        assert!(matches!(
            resolve_text(&cluster, "cp-component:etcd"),
            Ok(Subject::Component("etcd", _))
        ));
        assert!(
            matches!(resolve_text(&cluster, "hostnet:ng-1-3"), Ok(Subject::HostNetwork(n)) if n.name == "ng-1-3")
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
        // The service band is a frame the pointer passes through: it has no page.
        for shape in summary
            .walk()
            .filter(|s| s.kind != layout::Kind::ServiceBand)
        {
            assert!(resolve(&cluster, &shape.id).is_ok(), "{}", shape.id);
        }
        assert!(matches!(
            resolve_text(&cluster, "summary:private-b/ng-1"),
            Ok(Subject::Summary(s, "ng-1")) if s.name == "private-b"
        ));
        for id in ["summary:pods-a/ng-1", "summary:private-a/ng-9"] {
            assert!(resolve_text(&cluster, id).is_err(), "{id}");
        }
        let some = examples(&cluster, "summary");
        assert!(!some.is_empty());
        assert!(some.iter().all(|id| resolve_text(&cluster, id).is_ok()));
    }

    #[test]
    fn an_unknown_id_names_ids_of_its_kind_or_the_kinds() {
        let cluster = model::build(&default_scenario()).unwrap();
        let Err(e) = resolve_text(&cluster, "node:ng-1-9") else {
            panic!("node:ng-1-9 resolves")
        };
        assert_eq!((e.id(), e.kind()), ("node:ng-1-9", Some("node")));
        assert_eq!(e.examples(), ["node:ng-1-1", "node:ng-1-2", "node:ng-1-3"]);
        assert!(e.to_string().contains("node:ng-1-1, node:ng-1-2"), "{e}");
        let Err(e) = resolve_text(&cluster, "lb:web") else {
            panic!("lb:web resolves")
        };
        assert!(e.to_string().contains("no `lb` at all"), "{e}");
        let Err(e) = resolve_text(&cluster, "bogus:1") else {
            panic!("bogus:1 resolves")
        };
        assert!(e.to_string().contains("node, eni, ip, prefix"), "{e}");
        let Err(e) = resolve_text(&cluster, "eni:ng-1-1") else {
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
            assert!(resolve_text(&cluster, id).is_err(), "{id}");
        }
        // Every kind with things in it suggests ids that resolve.
        for kind in KINDS {
            for id in examples(&cluster, kind) {
                assert!(resolve_text(&cluster, &id).is_ok(), "{kind}: {id}");
            }
        }
    }
}
