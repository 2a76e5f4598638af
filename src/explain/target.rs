//! The id of a thing the inspector explains, parsed: the one place in `explain` that reads an
//! id string (`node:ng-1-1`, `eni:ng-1-1/eth0`, `lb:web/us-east-1a`, …) and the one place that
//! writes the ids it builds itself. When ids become a typed `Id`, this file is what goes.

use std::fmt;

/// Every kind of id, as written before the `:` (or alone, for the singletons).
pub const KINDS: &[&str] = &[
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
    "lb",
    "service",
    "ingress",
    "summary",
];

/// An id, taken apart; nothing here says whether the cluster has it (`resolve` does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'a> {
    Internet,
    Cloud,
    /// `region:<name>`, or `region` alone when the AZs name no Region.
    Region(&'a str),
    Vpc,
    Az(&'a str),
    Subnet(&'a str),
    Igw,
    /// A NAT gateway, by its AZ.
    NatGw(&'a str),
    Node(&'a str),
    Eni {
        node: &'a str,
        eni: &'a str,
    },
    /// A secondary address: its slot on the ENI.
    Ip {
        node: &'a str,
        eni: &'a str,
        slot: u32,
    },
    Prefix {
        node: &'a str,
        eni: &'a str,
        slot: u32,
    },
    /// A free slot on an ENI.
    Slot {
        node: &'a str,
        eni: &'a str,
        slot: u32,
    },
    Pod {
        namespace: &'a str,
        name: &'a str,
    },
    /// A branch ENI, by its pod's name.
    Branch(&'a str),
    /// A node's hostNetwork pods, by the node's name.
    HostNetwork(&'a str),
    /// A cross-account ENI of the control plane, by its AZ.
    EksEni(&'a str),
    ControlPlane,
    Component(&'a str),
    Workloads,
    Workload {
        namespace: &'a str,
        name: &'a str,
    },
    Pending,
    /// `lb:<name>` or `lb:<name>/<az>`: a load balancer's name may hold a `/`, so which of
    /// the two it is only the cluster can say.
    Lb(&'a str),
    Service {
        namespace: &'a str,
        name: &'a str,
    },
    Ingress {
        namespace: &'a str,
        name: &'a str,
    },
    /// A subnet's summary (`group` absent) or one node group's in it.
    Summary {
        subnet: &'a str,
        group: Option<&'a str>,
    },
}

/// `<node>/<eni>` and, when `slot`, `/<number>` after it.
fn nic(rest: &str) -> Option<(&str, &str, Option<&str>)> {
    let mut parts = rest.splitn(3, '/');
    let node = parts.next().filter(|n| !n.is_empty())?;
    let eni = parts.next().filter(|e| !e.is_empty())?;
    Some((node, eni, parts.next()))
}

fn slot(text: Option<&str>) -> Option<u32> {
    let text = text?;
    // Only the canonical spelling, so that an id and its `Display` agree.
    if text.is_empty() || (text.len() > 1 && text.starts_with('0')) {
        return None;
    }
    text.parse().ok()
}

/// `<namespace>/<name>`, both present.
fn named(rest: &str) -> Option<(&str, &str)> {
    rest.split_once('/')
        .filter(|(ns, name)| !ns.is_empty() && !name.is_empty())
}

fn non_empty(rest: &str) -> Option<&str> {
    (!rest.is_empty()).then_some(rest)
}

/// The kind of an id: what comes before its `:` (the whole id when it has none).
pub fn kind_of(id: &str) -> &str {
    id.split_once(':').map_or(id, |(kind, _)| kind)
}

/// Takes an id apart; `None` when it is not the shape of any id.
pub fn parse(id: &str) -> Option<Target<'_>> {
    let (kind, rest) = match id.split_once(':') {
        Some((kind, rest)) => (kind, Some(rest)),
        None => (id, None),
    };
    let alone = |t: Target<'static>| rest.is_none().then_some(t);
    let rest_or_none = rest.unwrap_or("");
    Some(match kind {
        "internet" => return alone(Target::Internet),
        "aws-cloud" => return alone(Target::Cloud),
        "vpc" => return alone(Target::Vpc),
        "igw" => return alone(Target::Igw),
        "control-plane" => return alone(Target::ControlPlane),
        "workloads" => return alone(Target::Workloads),
        "pending" => return alone(Target::Pending),
        "region" => Target::Region(rest_or_none),
        "az" => Target::Az(non_empty(rest?)?),
        "subnet" => Target::Subnet(non_empty(rest?)?),
        "natgw" => Target::NatGw(non_empty(rest?)?),
        "node" => Target::Node(non_empty(rest?)?),
        "eni" => match nic(rest?)? {
            (node, eni, None) => Target::Eni { node, eni },
            _ => return None,
        },
        "ip" => {
            let (node, eni, n) = nic(rest?)?;
            Target::Ip {
                node,
                eni,
                slot: slot(n)?,
            }
        }
        "prefix" => {
            let (node, eni, n) = nic(rest?)?;
            Target::Prefix {
                node,
                eni,
                slot: slot(n)?,
            }
        }
        "slot" => {
            let (node, eni, n) = nic(rest?)?;
            Target::Slot {
                node,
                eni,
                slot: slot(n)?,
            }
        }
        "pod" => {
            let (namespace, name) = named(rest?)?;
            Target::Pod { namespace, name }
        }
        "branch" => Target::Branch(non_empty(rest?)?),
        "hostnet" => Target::HostNetwork(non_empty(rest?)?),
        "eks-eni" => Target::EksEni(non_empty(rest?)?),
        "cp-component" => Target::Component(non_empty(rest?)?),
        "workload" => {
            let (namespace, name) = named(rest?)?;
            Target::Workload { namespace, name }
        }
        "lb" => Target::Lb(non_empty(rest?)?),
        "service" => {
            let (namespace, name) = named(rest?)?;
            Target::Service { namespace, name }
        }
        "ingress" => {
            let (namespace, name) = named(rest?)?;
            Target::Ingress { namespace, name }
        }
        "summary" => match rest?.split_once('/') {
            None => Target::Summary {
                subnet: non_empty(rest_or_none)?,
                group: None,
            },
            Some((subnet, group)) => Target::Summary {
                subnet: non_empty(subnet)?,
                group: Some(non_empty(group)?),
            },
        },
        _ => return None,
    })
}

/// The id of a load balancer's node in one AZ, from the load balancer's own id.
pub fn lb_node_id(lb_id: &str, az: &str) -> String {
    format!("{lb_id}/{az}")
}

impl fmt::Display for Target<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Internet => f.write_str("internet"),
            Target::Cloud => f.write_str("aws-cloud"),
            Target::Region("") => f.write_str("region"),
            Target::Region(r) => write!(f, "region:{r}"),
            Target::Vpc => f.write_str("vpc"),
            Target::Az(az) => write!(f, "az:{az}"),
            Target::Subnet(s) => write!(f, "subnet:{s}"),
            Target::Igw => f.write_str("igw"),
            Target::NatGw(az) => write!(f, "natgw:{az}"),
            Target::Node(n) => write!(f, "node:{n}"),
            Target::Eni { node, eni } => write!(f, "eni:{node}/{eni}"),
            Target::Ip { node, eni, slot } => write!(f, "ip:{node}/{eni}/{slot}"),
            Target::Prefix { node, eni, slot } => write!(f, "prefix:{node}/{eni}/{slot}"),
            Target::Slot { node, eni, slot } => write!(f, "slot:{node}/{eni}/{slot}"),
            Target::Pod { namespace, name } => write!(f, "pod:{namespace}/{name}"),
            Target::Branch(pod) => write!(f, "branch:{pod}"),
            Target::HostNetwork(node) => write!(f, "hostnet:{node}"),
            Target::EksEni(az) => write!(f, "eks-eni:{az}"),
            Target::ControlPlane => f.write_str("control-plane"),
            Target::Component(name) => write!(f, "cp-component:{name}"),
            Target::Workloads => f.write_str("workloads"),
            Target::Workload { namespace, name } => write!(f, "workload:{namespace}/{name}"),
            Target::Pending => f.write_str("pending"),
            Target::Lb(rest) => write!(f, "lb:{rest}"),
            Target::Service { namespace, name } => write!(f, "service:{namespace}/{name}"),
            Target::Ingress { namespace, name } => write!(f, "ingress:{namespace}/{name}"),
            Target::Summary {
                subnet,
                group: None,
            } => write!(f, "summary:{subnet}"),
            Target::Summary {
                subnet,
                group: Some(g),
            } => write!(f, "summary:{subnet}/{g}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for id in [
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
            "prefix:ng-1-1/eth1/0",
            "slot:ng-1-1/eth0/7",
            "pod:default/web-7d4f-1",
            "branch:web-1",
            "hostnet:ng-1-1",
            "eks-eni:us-east-1b",
            "control-plane",
            "cp-component:etcd",
            "workloads",
            "workload:kube-system/coredns",
            "pending",
            "lb:web",
            "lb:shared/us-east-1a",
            "service:default/web",
            "ingress:shop/front",
            "summary:private-a",
            "summary:private-a/ng-1",
        ] {
            let target = parse(id).unwrap_or_else(|| panic!("{id} does not parse"));
            assert_eq!(target.to_string(), id);
            assert!(KINDS.contains(&kind_of(id)), "{id}");
        }
    }

    #[test]
    fn malformed_ids_do_not_parse() {
        for id in [
            "",
            "bogus:1",
            "node:",
            "node",
            "vpc:x",
            "eni:ng-1-1",
            "eni:ng-1-1/eth0/1",
            "ip:ng-1-1/eth0",
            "ip:ng-1-1/eth0/x",
            "ip:ng-1-1/eth0/01",
            "slot:ng-1-1/eth0/-1",
            "pod:default",
            "pod:/web",
            "service:web",
            "summary:",
            "summary:a/",
        ] {
            assert_eq!(parse(id), None, "{id}");
        }
    }

    #[test]
    fn a_load_balancer_node_id_is_its_load_balancer_id_and_az() {
        assert_eq!(lb_node_id("lb:a/b", "us-east-1a"), "lb:a/b/us-east-1a");
        assert_eq!(kind_of("lb:a/b/us-east-1a"), "lb");
        assert_eq!(kind_of("vpc"), "vpc");
    }
}
