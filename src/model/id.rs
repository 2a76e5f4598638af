//! [`Id`]: the one name of everything that is drawn, traced, inspected or searched — a node,
//! an ENI, an address slot, a pod, a load balancer and its node in one AZ, a Service, a hop at
//! a security group. Its text (`Display`) is the DOM's `data-id` (`eni:ng-1-1/eth0`) and
//! `FromStr` reads it back, so the page, the exports, the CLI and the tests share one
//! spelling, and the prefixes are written here and nowhere else.
//!
//! Parts a lookup needs (the node and device of an ENI, the namespace and name of a pod) are
//! fields; parts only compared are kept whole.

use std::fmt;
use std::str::FromStr;

use crate::model::SharedStr;

/// The id of a drawn, traced or inspected thing. See the module docs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Id {
    /// The public internet (`internet`).
    Internet,
    /// The AWS Cloud frame (`aws-cloud`).
    Cloud,
    /// A Region frame (`region:us-east-1`, or `region` when the scenario names none).
    Region(Option<String>),
    /// The customer VPC (`vpc`).
    Vpc,
    /// An Availability Zone column (`az:us-east-1a`).
    Az(String),
    /// A subnet, by name (`subnet:private-a`).
    Subnet(String),
    /// The internet gateway (`igw`).
    Igw,
    /// A NAT gateway, by its AZ (`natgw:us-east-1a`).
    NatGw(String),
    /// A node, by name (`node:ng-1-1`).
    Node(String),
    /// A node's ENI (`eni:ng-1-1/eth0`).
    Eni { node: SharedStr, device: u32 },
    /// A secondary address on an ENI (`ip:ng-1-1/eth0/3`).
    Ip {
        node: SharedStr,
        device: u32,
        slot: u32,
    },
    /// A /28 prefix on an ENI (`prefix:ng-1-1/eth0/1`).
    Prefix {
        node: SharedStr,
        device: u32,
        slot: u32,
    },
    /// Room on an ENI for one more address (`slot:ng-1-1/eth0/7`).
    Slot {
        node: SharedStr,
        device: u32,
        slot: u32,
    },
    /// A pod (`pod:default/web-1`).
    Pod { namespace: String, name: String },
    /// A pod's branch ENI, security groups for pods, by the pod's name (`branch:web-1`).
    Branch(String),
    /// A node's hostNetwork pods (`hostnet:ng-1-1`).
    HostNetwork(String),
    /// A cross-account ENI of the control plane, by AZ (`eks-eni:us-east-1a`).
    EksEni(String),
    /// The EKS control plane (`control-plane`).
    ControlPlane,
    /// One component of the control plane (`cp-component:etcd`).
    CpComponent(String),
    /// The workloads key (`workloads`).
    Workloads,
    /// A Deployment or DaemonSet (`workload:default/web`).
    Workload { namespace: String, name: String },
    /// The Pending tray (`pending`).
    Pending,
    /// A subnet's summary (`summary:private-a`) or a node group's in it
    /// (`summary:private-a/ng-1`), zoomed out.
    Summary {
        subnet: String,
        group: Option<String>,
    },
    /// A load balancer (`lb:default/web`; an ALB of an IngressGroup is `lb:<group>`).
    Lb(String),
    /// A load balancer's node in one AZ (`lb:default/web/us-east-1a`).
    LbNode { lb: String, az: String },
    /// The "+N more" load balancer nodes of a subnet (`lb-more:public-a`).
    LbMore(String),
    /// The service-CIDR band (`service-band`).
    ServiceBand,
    /// A Service (`service:default/web`).
    Service { namespace: String, name: String },
    /// An Ingress (`ingress:default/web`).
    Ingress { namespace: String, name: String },
    /// The mark on a failed, cordoned or drained node (`node-state:ng-1-1`).
    NodeState(String),
    /// A line between two shapes (`link:internet-igw`).
    Link(String),
    /// A security group a hop checks (`sg:sg-0123`).
    SecurityGroup(String),
    /// A box of the architecture view (`arch:kube-apiserver`, `arch:node:ng-1-1/kubelet`).
    Arch(String),
    /// An arrow of the architecture view (`arch-edge:kubectl-apiserver`).
    ArchEdge(String),
}

/// Every kind's prefix, as written before the `:` (or alone, for the ids without a key).
pub const PREFIXES: &[&str] = &[
    "internet",
    "aws-cloud",
    "region",
    "vpc",
    "az",
    "subnet",
    "igw",
    "natgw",
    "node",
    "eni",
    "ip",
    "prefix",
    "slot",
    "pod",
    "branch",
    "hostnet",
    "eks-eni",
    "control-plane",
    "cp-component",
    "workloads",
    "workload",
    "pending",
    "summary",
    "lb",
    "lb-more",
    "service-band",
    "service",
    "ingress",
    "node-state",
    "link",
    "sg",
    "arch",
    "arch-edge",
];

/// Why a text is not an [`Id`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdError(pub String);

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IdError {}

impl Id {
    /// A pod's id from its namespace and name.
    pub fn pod(namespace: &str, name: &str) -> Id {
        Id::Pod {
            namespace: namespace.into(),
            name: name.into(),
        }
    }

    /// A node's id from its name.
    pub fn node(name: &str) -> Id {
        Id::Node(name.into())
    }

    /// The prefix before `:` (or the whole id for those without a key): what kind of thing
    /// it names, in the DOM's spelling.
    pub fn prefix(&self) -> &'static str {
        match self {
            Id::Internet => "internet",
            Id::Cloud => "aws-cloud",
            Id::Region(_) => "region",
            Id::Vpc => "vpc",
            Id::Az(_) => "az",
            Id::Subnet(_) => "subnet",
            Id::Igw => "igw",
            Id::NatGw(_) => "natgw",
            Id::Node(_) => "node",
            Id::Eni { .. } => "eni",
            Id::Ip { .. } => "ip",
            Id::Prefix { .. } => "prefix",
            Id::Slot { .. } => "slot",
            Id::Pod { .. } => "pod",
            Id::Branch(_) => "branch",
            Id::HostNetwork(_) => "hostnet",
            Id::EksEni(_) => "eks-eni",
            Id::ControlPlane => "control-plane",
            Id::CpComponent(_) => "cp-component",
            Id::Workloads => "workloads",
            Id::Workload { .. } => "workload",
            Id::Pending => "pending",
            Id::Summary { .. } => "summary",
            Id::Lb(_) | Id::LbNode { .. } => "lb",
            Id::LbMore(_) => "lb-more",
            Id::ServiceBand => "service-band",
            Id::Service { .. } => "service",
            Id::Ingress { .. } => "ingress",
            Id::NodeState(_) => "node-state",
            Id::Link(_) => "link",
            Id::SecurityGroup(_) => "sg",
            Id::Arch(_) => "arch",
            Id::ArchEdge(_) => "arch-edge",
        }
    }

    /// What it is, for people: `Subnet`, `Node`, `Load balancer`.
    pub fn kind_label(&self) -> &'static str {
        match self {
            Id::Internet => "Internet",
            Id::Cloud => "AWS Cloud",
            Id::Region(_) => "Region",
            Id::Vpc => "VPC",
            Id::Az(_) => "Availability Zone",
            Id::Subnet(_) => "Subnet",
            Id::Igw => "Internet gateway",
            Id::NatGw(_) => "NAT gateway",
            Id::Node(_) | Id::NodeState(_) => "Node",
            Id::Eni { .. } => "ENI",
            Id::Ip { .. } => "Address",
            Id::Prefix { .. } => "Prefix",
            Id::Slot { .. } => "Free slot",
            Id::Pod { .. } => "Pod",
            Id::Branch(_) => "Branch ENI",
            Id::HostNetwork(_) => "hostNetwork pods",
            Id::EksEni(_) => "EKS cross-account ENI",
            Id::ControlPlane => "EKS control plane",
            Id::CpComponent(_) => "Control plane component",
            Id::Workloads => "Workloads",
            Id::Workload { .. } => "Workload",
            Id::Pending => "Pending pods",
            Id::Summary { .. } => "Summary",
            Id::Lb(_) => "Load balancer",
            Id::LbNode { .. } => "Load balancer node",
            Id::LbMore(_) => "Load balancer nodes",
            Id::ServiceBand => "Services",
            Id::Service { .. } => "Service",
            Id::Ingress { .. } => "Ingress",
            Id::Link(_) => "Link",
            Id::SecurityGroup(_) => "Security group",
            Id::Arch(_) => "Architecture",
            Id::ArchEdge(_) => "Architecture arrow",
        }
    }

    /// The part after the prefix, as the DOM spells it (`ng-1-1/eth0`); empty for ids
    /// without one.
    pub fn key(&self) -> String {
        let text = self.to_string();
        match text.split_once(':') {
            Some((_, key)) => key.to_string(),
            None => String::new(),
        }
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = self.prefix();
        match self {
            Id::Internet
            | Id::Cloud
            | Id::Vpc
            | Id::Igw
            | Id::ControlPlane
            | Id::Workloads
            | Id::Pending
            | Id::ServiceBand
            | Id::Region(None) => f.write_str(p),
            Id::Region(Some(k))
            | Id::Az(k)
            | Id::Subnet(k)
            | Id::NatGw(k)
            | Id::Node(k)
            | Id::HostNetwork(k)
            | Id::Branch(k)
            | Id::EksEni(k)
            | Id::CpComponent(k)
            | Id::Lb(k)
            | Id::LbMore(k)
            | Id::NodeState(k)
            | Id::Link(k)
            | Id::SecurityGroup(k)
            | Id::Arch(k)
            | Id::ArchEdge(k) => write!(f, "{p}:{k}"),
            Id::Eni { node, device } => write!(f, "{p}:{node}/eth{device}"),
            Id::Ip { node, device, slot }
            | Id::Prefix { node, device, slot }
            | Id::Slot { node, device, slot } => write!(f, "{p}:{node}/eth{device}/{slot}"),
            Id::Pod { namespace, name }
            | Id::Workload { namespace, name }
            | Id::Service { namespace, name }
            | Id::Ingress { namespace, name } => write!(f, "{p}:{namespace}/{name}"),
            Id::Summary { subnet, group } => match group {
                Some(g) => write!(f, "{p}:{subnet}/{g}"),
                None => write!(f, "{p}:{subnet}"),
            },
            Id::LbNode { lb, az } => write!(f, "{p}:{lb}/{az}"),
        }
    }
}

/// An id equals its text (`Id::Igw == "igw"`): for assertions and tests. Code that looks
/// things up compares `Id`s.
impl PartialEq<str> for Id {
    fn eq(&self, other: &str) -> bool {
        *self.to_string() == *other
    }
}

impl PartialEq<&str> for Id {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl From<&Id> for Id {
    fn from(id: &Id) -> Id {
        id.clone()
    }
}

/// As its text, the DOM's `data-id` (`eksplain describe --json` prints ids so).
impl serde::Serialize for Id {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for Id {
    type Err = IdError;

    fn from_str(text: &str) -> Result<Id, IdError> {
        let bad = |why: &str| IdError(format!("{text:?} is not an id: {why}"));
        let (prefix, key) = match text.split_once(':') {
            Some((p, k)) => (p, Some(k)),
            None => (text, None),
        };
        let owned = |k: &str| -> Result<String, IdError> {
            if k.is_empty() {
                Err(bad("nothing after the ':'"))
            } else {
                Ok(k.to_string())
            }
        };
        let pair = |k: &str| -> Result<(String, String), IdError> {
            match k.split_once('/') {
                Some((a, b)) if !a.is_empty() && !b.is_empty() => Ok((a.into(), b.into())),
                _ => Err(bad("expected <namespace>/<name>")),
            }
        };
        let nic = |k: &str, with_slot: bool| -> Result<(SharedStr, u32, Option<u32>), IdError> {
            let mut parts = k.rsplitn(if with_slot { 3 } else { 2 }, '/');
            let slot = if with_slot {
                Some(
                    parts
                        .next()
                        .and_then(|s| s.parse().ok())
                        .ok_or_else(|| bad("expected <node>/eth<n>/<slot>"))?,
                )
            } else {
                None
            };
            let device = parts
                .next()
                .and_then(|d| d.strip_prefix("eth"))
                .and_then(|d| d.parse().ok())
                .ok_or_else(|| bad("expected <node>/eth<n>"))?;
            let node = parts
                .next()
                .filter(|n| !n.is_empty())
                .ok_or_else(|| bad("expected a node name"))?;
            Ok((SharedStr::from(node), device, slot))
        };
        let id = match (prefix, key) {
            ("internet", None) => Id::Internet,
            ("aws-cloud", None) => Id::Cloud,
            ("region", None) => Id::Region(None),
            ("region", Some(k)) => Id::Region(Some(owned(k)?)),
            ("vpc", None) => Id::Vpc,
            ("igw", None) => Id::Igw,
            ("control-plane", None) => Id::ControlPlane,
            ("workloads", None) => Id::Workloads,
            ("pending", None) => Id::Pending,
            ("service-band", None) => Id::ServiceBand,
            (_, None) => return Err(bad("unknown kind")),
            (p, Some(k)) => match p {
                "az" => Id::Az(owned(k)?),
                "subnet" => Id::Subnet(owned(k)?),
                "natgw" => Id::NatGw(owned(k)?),
                "node" => Id::Node(owned(k)?),
                "hostnet" => Id::HostNetwork(owned(k)?),
                "branch" => Id::Branch(owned(k)?),
                "eks-eni" => Id::EksEni(owned(k)?),
                "cp-component" => Id::CpComponent(owned(k)?),
                "lb-more" => Id::LbMore(owned(k)?),
                "node-state" => Id::NodeState(owned(k)?),
                "link" => Id::Link(owned(k)?),
                "sg" => Id::SecurityGroup(owned(k)?),
                "arch" => Id::Arch(owned(k)?),
                "arch-edge" => Id::ArchEdge(owned(k)?),
                "eni" => {
                    let (node, device, _) = nic(k, false)?;
                    Id::Eni { node, device }
                }
                "ip" | "prefix" | "slot" => {
                    let (node, device, slot) = nic(k, true)?;
                    let slot = slot.unwrap_or_default();
                    match p {
                        "ip" => Id::Ip { node, device, slot },
                        "prefix" => Id::Prefix { node, device, slot },
                        _ => Id::Slot { node, device, slot },
                    }
                }
                "pod" | "workload" | "service" | "ingress" => {
                    let (namespace, name) = pair(k)?;
                    match p {
                        "pod" => Id::Pod { namespace, name },
                        "workload" => Id::Workload { namespace, name },
                        "service" => Id::Service { namespace, name },
                        _ => Id::Ingress { namespace, name },
                    }
                }
                "summary" => match k.split_once('/') {
                    Some((subnet, group)) => Id::Summary {
                        subnet: owned(subnet)?,
                        group: Some(owned(group)?),
                    },
                    None => Id::Summary {
                        subnet: owned(k)?,
                        group: None,
                    },
                },
                "lb" => match k.rsplit_once('/') {
                    Some((lb, az)) if looks_like_az(az) && !lb.is_empty() => Id::LbNode {
                        lb: lb.into(),
                        az: az.into(),
                    },
                    _ => Id::Lb(owned(k)?),
                },
                _ => return Err(bad("unknown kind")),
            },
        };
        Ok(id)
    }
}

/// `us-east-1a`, `eu-central-2b`, `us-gov-west-1c`: a region's name (letters and hyphens,
/// then a number) and a zone letter. A load balancer's name is `<namespace>/<service>` or an
/// IngressGroup's name, so the last part of `lb:<name>/<az>` tells a node from a load
/// balancer (a Service named like a zone in a namespace named like a group is read as a
/// node; resolution falls back to the load balancer).
fn looks_like_az(s: &str) -> bool {
    let Some((region, zone)) = s.rsplit_once('-') else {
        return false;
    };
    let digits = zone.trim_end_matches(|c: char| c.is_ascii_lowercase());
    let letters = &zone[digits.len()..];
    region.contains('-')
        && region.chars().all(|c| c.is_ascii_lowercase() || c == '-')
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
        && letters.len() == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips() {
        for text in [
            "internet",
            "aws-cloud",
            "region",
            "region:us-east-1",
            "vpc",
            "az:us-east-1a",
            "subnet:private-a",
            "igw",
            "natgw:us-east-1a",
            "node:ng-1-1",
            "eni:ng-1-1/eth0",
            "ip:ng-1-1/eth0/3",
            "prefix:ng-1-1/eth2/1",
            "slot:ng-1-1/eth1/7",
            "pod:default/web-1",
            "branch:web-1",
            "hostnet:ng-1-1",
            "eks-eni:us-east-1a",
            "control-plane",
            "cp-component:etcd",
            "workloads",
            "workload:default/web",
            "pending",
            "summary:private-a",
            "summary:private-a/ng-1",
            "lb:default/web",
            "lb:shared-alb",
            "lb:default/web/us-east-1a",
            "lb:shared-alb/eu-central-2b",
            "lb-more:public-a",
            "service-band",
            "service:default/web",
            "ingress:default/web",
            "node-state:ng-1-1",
            "link:internet-igw",
            "sg:sg-0123",
            "arch:node:ng-1-1/kubelet",
            "arch-edge:kubelet-api:ng-1-1",
        ] {
            let id: Id = text.parse().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(id.to_string(), text);
        }
    }

    #[test]
    fn every_prefix_is_listed() {
        for text in [
            "node:a",
            "lb:x/us-east-1a",
            "arch-edge:x",
            "service-band",
            "region",
        ] {
            let id: Id = text.parse().unwrap();
            assert!(PREFIXES.contains(&id.prefix()), "{text}");
        }
    }

    #[test]
    fn parts_are_typed() {
        assert_eq!(
            "ip:ng-1-1/eth0/3".parse::<Id>().unwrap(),
            Id::Ip {
                node: "ng-1-1".into(),
                device: 0,
                slot: 3
            }
        );
        assert_eq!(
            "lb:default/web/us-east-1a".parse::<Id>().unwrap(),
            Id::LbNode {
                lb: "default/web".into(),
                az: "us-east-1a".into()
            }
        );
        assert_eq!(
            "lb:default/web".parse::<Id>().unwrap(),
            Id::Lb("default/web".into())
        );
        assert_eq!("node:ng-1-1".parse::<Id>().unwrap().kind_label(), "Node");
        assert_eq!(
            "eni:ng-1-1/eth0".parse::<Id>().unwrap().key(),
            "ng-1-1/eth0"
        );
    }

    #[test]
    fn bad_ids_say_why() {
        for text in [
            "",
            "nope",
            "node:",
            "eni:ng-1-1/eth",
            "ip:ng/eth0/x",
            "pod:web",
            "zzz:1",
        ] {
            let e = text.parse::<Id>().unwrap_err();
            assert!(e.0.contains("is not an id"), "{e}");
        }
    }

    #[test]
    fn zones_are_told_from_names() {
        assert!(looks_like_az("us-east-1a"));
        assert!(looks_like_az("us-gov-west-1c"));
        assert!(looks_like_az("ap-southeast-10b"));
        assert!(!looks_like_az("web"));
        assert!(!looks_like_az("web-1"));
        assert!(!looks_like_az("us-east-1"));
    }
}
