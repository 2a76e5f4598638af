//! [`Inspector`]: the details of the selected thing, every number with the arithmetic that
//! produced it, and links to the things it relates to.

use yew::prelude::*;

use super::docs::{self, Doc};
use super::inspector_services;
use super::lookup::{resolve, Target};
use super::shared::Shared;
use super::svg::severity_name;
use crate::layout::text::{plural, thousands};
use crate::model::aws::eks_control_plane::COMPONENTS;
use crate::model::aws::eni::{Eni, EniRole, PREFIX_SIZE};
use crate::model::aws::instance_types::Hypervisor;
use crate::model::aws::route_table::{default_route, DefaultRoute};
use crate::model::aws::subnet::{Subnet, RESERVED_PER_SUBNET};
use crate::model::aws::vpc_cni::IpamMode;
use crate::model::describe::api_path_text;
use crate::model::{Cluster, Node, Pod, PodStatus};

#[derive(PartialEq, Properties)]
pub struct InspectorProps {
    pub cluster: Shared<Cluster>,
    pub selected: AttrValue,
    pub on_select: Callback<Option<AttrValue>>,
    /// Drawn under the summary: what the user can do to the selection (node_actions.rs).
    #[prop_or_default]
    pub actions: Html,
}

/// One fact: a label, its value, and how the value was worked out.
pub(super) struct Fact {
    pub label: &'static str,
    pub value: Html,
    pub formula: Option<String>,
}

pub(super) fn fact(label: &'static str, value: impl Into<Html>) -> Fact {
    Fact {
        label,
        value: value.into(),
        formula: None,
    }
}

pub(super) fn derived(
    label: &'static str,
    value: impl Into<Html>,
    formula: impl Into<String>,
) -> Fact {
    Fact {
        label,
        value: value.into(),
        formula: Some(formula.into()),
    }
}

pub(super) fn mono(text: impl Into<String>) -> Html {
    html! { <code>{ text.into() }</code> }
}

/// What the panel shows for one target.
pub(super) struct Details {
    pub kind: &'static str,
    pub title: String,
    pub summary: Option<String>,
    pub facts: Vec<Fact>,
    /// Related things: (label, id, text).
    pub links: Vec<(&'static str, String, String)>,
    /// The pages the numbers follow.
    pub docs: Vec<Doc>,
}

impl Details {
    pub(super) fn new(kind: &'static str, title: impl Into<String>) -> Details {
        Details {
            kind,
            title: title.into(),
            summary: None,
            facts: Vec::new(),
            links: Vec::new(),
            docs: Vec::new(),
        }
    }
}

/// Links to at most `max` pods, then a count of the rest.
fn pod_links(d: &mut Details, label: &'static str, pods: &[&Pod], max: usize) {
    for p in pods.iter().take(max) {
        let ip =
            p.ip.map_or_else(|| "no address".to_string(), |ip| ip.to_string());
        d.links
            .push((label, p.id.to_string(), format!("{} · {ip}", p.name)));
    }
    if pods.len() > max {
        d.facts.push(fact(
            "Not listed",
            format!("{} more", plural((pods.len() - max) as u32, "pod", "pods")),
        ));
    }
}

/// Where a pod's address comes from.
enum Place<'a> {
    Slot(&'a Eni, &'a crate::model::aws::eni::IpSlot),
    Prefix(&'a Eni, &'a crate::model::aws::eni::Prefix),
    Branch(&'a crate::model::aws::eni::BranchEni),
    Node,
    Ipv6,
    None,
}

fn place_of<'a>(cluster: &'a Cluster, pod: &Pod) -> Place<'a> {
    let Some(node) = pod.node.and_then(|n| cluster.nodes.get(n)) else {
        return Place::None;
    };
    if pod.host_network {
        return Place::Node;
    }
    for e in &node.enis {
        if let Some(slot) = e.slots.iter().find(|s| s.pod.as_deref() == Some(&pod.name)) {
            return Place::Slot(e, slot);
        }
        if let Some(p) = e
            .prefixes
            .iter()
            .find(|p| p.pods.iter().any(|(_, n)| *n == pod.name))
        {
            return Place::Prefix(e, p);
        }
    }
    if let Some(b) = node.branches.iter().find(|b| b.pod == pod.name) {
        return Place::Branch(b);
    }
    if matches!(pod.ip, Some(std::net::IpAddr::V6(_))) {
        return Place::Ipv6;
    }
    Place::None
}

fn gib(mib: u64) -> String {
    let g = mib as f64 / 1024.0;
    if g.fract() == 0.0 {
        format!("{g:.0} GiB")
    } else {
        format!("{g:.1} GiB")
    }
}

fn route(cluster: &Cluster, subnet: &Subnet) -> (String, Option<String>) {
    match default_route(subnet, &cluster.nat_gateways) {
        DefaultRoute::InternetGateway => (
            "Public: 0.0.0.0/0 → internet gateway".into(),
            Some("igw".into()),
        ),
        DefaultRoute::NatGateway(i) => {
            let nat = &cluster.nat_gateways[i];
            (
                format!("Private: 0.0.0.0/0 → NAT gateway in {}", nat.az),
                Some(nat.id.clone()),
            )
        }
        DefaultRoute::None => ("Private: no route to the internet".into(), None),
    }
}

fn subnet_details(cluster: &Cluster, s: &Subnet) -> Details {
    let mut d = Details::new("Subnet", s.name.clone());
    let (route_text, route_id) = route(cluster, s);
    d.summary = Some(route_text);
    let u = s.usage;
    let prefix = s.cidr.prefix_len();
    d.facts = vec![
        fact("CIDR", mono(s.cidr.to_string())),
        fact("Availability Zone", s.az.clone()),
        derived(
            "Addresses",
            thousands(s.total()),
            format!("2^(32 − {prefix})"),
        ),
        derived(
            "Reserved by AWS",
            RESERVED_PER_SUBNET.to_string(),
            "network, VPC router (+1), DNS (+2), future use (+3), broadcast",
        ),
        derived(
            "Usable",
            thousands(s.usable()),
            format!(
                "2^(32 − {prefix}) − {RESERVED_PER_SUBNET} = {} − {RESERVED_PER_SUBNET}",
                thousands(s.total())
            ),
        ),
        fact("ENI primary IPs", thousands(u.eni_primaries)),
        fact("Warm IPs (held by the CNI)", thousands(u.warm)),
        fact("Pod IPs", thousands(u.pods)),
        fact("NAT gateways", thousands(u.nat_gateways)),
        fact("EKS control plane ENIs", thousands(u.eks_enis)),
        fact("Branch ENIs", thousands(u.branch_enis)),
        derived(
            "Used",
            thousands(s.used()),
            format!(
                "{} ENI primaries + {} pods + {} warm + {} NAT + {} EKS ENIs + {} branch ENIs",
                u.eni_primaries, u.pods, u.warm, u.nat_gateways, u.eks_enis, u.branch_enis
            ),
        ),
        derived(
            "Free",
            thousands(s.free()),
            format!("{} − {}", thousands(s.usable()), thousands(s.used())),
        ),
    ];
    let cap = s.capacity;
    if let Some(more) = cap.more_nodes {
        d.facts.push(derived(
            "Room for more nodes",
            thousands(more),
            format!(
                "{} free ÷ {} per new node",
                thousands(s.free()),
                plural(cap.addresses_per_new_node, "address", "addresses")
            ),
        ));
    }
    if cap.pod_nodes > 0 {
        d.facts.push(derived(
            "Pods at max pods",
            thousands(cap.pods_at_max),
            format!(
                "each node's max pods − its hostNetwork pods, at most what its ENIs address; {} now",
                thousands(cap.pods_now)
            ),
        ));
        d.facts.push(derived(
            "Addresses to reach max pods",
            thousands(cap.addresses_to_max),
            "what ipamd would add (pods + warm pool) to run every node at max pods",
        ));
        d.facts.push(derived(
            "Room for more pods",
            thousands(cap.more_pods),
            format!(
                "{} pod IPs here; at max pods {} {} more",
                plural(cap.pod_nodes, "node takes its", "nodes take their"),
                if cap.pod_nodes == 1 {
                    "it needs"
                } else {
                    "they need"
                },
                plural(cap.addresses_to_max, "address", "addresses")
            ),
        ));
    }
    d.links
        .push(("Availability Zone", format!("az:{}", s.az), s.az.clone()));
    if let Some(id) = route_id {
        let text = if id == "igw" {
            "Internet gateway".to_string()
        } else {
            "NAT gateway".to_string()
        };
        d.links.push(("Default route", id, text));
    }
    if let Some(index) = cluster.subnets.iter().position(|x| x.id == s.id) {
        for e in cluster
            .control_plane
            .enis
            .iter()
            .filter(|e| e.subnet == index)
        {
            d.links.push(("EKS ENI", e.id.clone(), e.ip.to_string()));
        }
        for n in cluster.nodes.iter().filter(|n| n.subnet == index).take(24) {
            d.links.push(("Node", n.id.clone(), n.name.clone()));
        }
    }
    d.docs = vec![
        docs::SUBNET_SIZING,
        docs::NETWORK_REQUIREMENTS,
        docs::WARM_TARGETS,
    ];
    d
}

fn node_details(cluster: &Cluster, n: &Node) -> Details {
    let t = &n.instance_type;
    let mut d = Details::new("Node", n.name.clone());
    d.summary = Some(format!("{} in {}, node group {}", t.name, n.az, n.group));
    let hypervisor = match t.hypervisor {
        Hypervisor::Nitro => "Nitro",
        Hypervisor::Xen => "Xen",
        Hypervisor::Unknown => "none reported (bare metal)",
    };
    let size = match (t.vcpus, t.memory_mib) {
        (Some(c), Some(m)) => format!("{} · {}", plural(c, "vCPU", "vCPUs"), gib(m)),
        _ => "not in the reference data".into(),
    };
    let held: u32 = n.secondary_ips();
    let used: u32 = n.enis.iter().map(Eni::used).sum();
    d.facts = vec![
        fact("Instance type", mono(t.name.clone())),
        fact("Size", size),
        fact("Hypervisor", hypervisor),
        derived(
            "ENIs × IPv4 per ENI",
            format!("{} × {}", t.max_enis, t.ipv4_per_eni),
            "EC2 limits of the instance type (default network card)",
        ),
        derived(
            "Max pods",
            thousands(n.max_pods.value),
            n.max_pods.formula.clone(),
        ),
        fact("Address mode", n.ipam_mode.label()),
        fact("Primary IP (InternalIP)", mono(n.primary_ip.to_string())),
    ];
    if let Some(ip) = n.public_ip {
        d.facts.push(fact("Public IP", mono(ip.to_string())));
    }
    d.facts.push(fact("Hostname", mono(n.hostname())));
    d.facts.push(derived(
        "ENIs attached",
        format!("{} of {}", n.enis.len(), t.max_enis),
        "ipamd attaches ENIs as the warm pool (WARM_ENI_TARGET / WARM_IP_TARGET) asks",
    ));
    d.facts.push(derived(
        "Pod IPs held",
        thousands(held),
        format!(
            "{} used by pods + {} warm",
            thousands(used),
            thousands(held - used.min(held))
        ),
    ));
    let free: u32 = n.enis.iter().map(Eni::free).sum();
    d.facts.push(derived(
        if n.ipam_mode == IpamMode::Prefix {
            "Free /28 slots"
        } else {
            "Free slots"
        },
        thousands(free),
        "capacity of the attached ENIs not yet allocated from the subnet",
    ));
    let index = cluster.nodes.iter().position(|x| x.id == n.id);
    let on_node: Vec<&Pod> = cluster
        .pods
        .iter()
        .filter(|p| p.node.is_some() && p.node == index)
        .collect();
    let host: Vec<&str> = on_node
        .iter()
        .filter(|p| p.host_network)
        .map(|p| p.workload.as_str())
        .collect();
    let waiting = on_node
        .iter()
        .filter(|p| p.status == PodStatus::ContainerCreating)
        .count() as u32;
    d.facts.push(derived(
        "Pods on the node",
        thousands(on_node.len() as u32),
        format!(
            "{} with a VPC address + {} hostNetwork ({}) + {} waiting for an address",
            n.ip_pods(),
            n.host_network_pods,
            host.join(", "),
            waiting
        ),
    ));
    if !n.branches.is_empty() {
        d.facts.push(derived(
            "Branch ENIs",
            thousands(n.branches.len() as u32),
            format!(
                "of {} the instance type allows (security groups for pods)",
                n.instance_type.branch_enis.unwrap_or(0)
            ),
        ));
    }
    if let Some(p) = n.ipv6_prefix {
        d.facts.push(fact("IPv6 prefix", mono(p.to_string())));
    }
    d.facts.push(fact(
        "Path to the API server",
        api_path_text(cluster, &n.api_path),
    ));
    if let Some(s) = cluster.subnets.get(n.subnet) {
        d.links
            .push(("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr)));
    }
    if let Some(s) = n
        .pod_subnet
        .filter(|&p| p != n.subnet)
        .and_then(|p| cluster.subnets.get(p))
    {
        d.links.push((
            "Pod subnet",
            s.id.clone(),
            format!("{} ({})", s.name, s.cidr),
        ));
    }
    for e in &n.enis {
        d.links.push((
            "ENI",
            e.id.clone(),
            format!("{} · {}", e.name(), e.primary_ip),
        ));
    }
    if n.host_network_pods > 0 {
        d.links.push((
            "hostNetwork",
            format!("hostnet:{}", n.name),
            plural(n.host_network_pods, "pod", "pods"),
        ));
    }
    let pods: Vec<&Pod> = on_node
        .iter()
        .copied()
        .filter(|p| !p.host_network)
        .collect();
    pod_links(&mut d, "Pod", &pods, 30);
    d.docs = vec![docs::MAX_PODS, docs::WARM_TARGETS];
    match n.ipam_mode {
        IpamMode::Prefix => d.docs.push(docs::PREFIX_DELEGATION),
        IpamMode::Ipv6 => d.docs.push(docs::IPV6),
        IpamMode::SecondaryIp => {}
    }
    if n.pod_subnet != Some(n.subnet) {
        d.docs.push(docs::CUSTOM_NETWORKING);
    }
    d
}

fn eni_details(cluster: &Cluster, n: &Node, e: &Eni) -> Details {
    let mut d = Details::new("Network interface", format!("{} on {}", e.name(), n.name));
    let role = match e.role {
        EniRole::Primary => "primary (the node's own address)",
        EniRole::Secondary => "secondary, attached by ipamd for pod addresses",
        EniRole::Trunk => "trunk, for branch ENIs (security groups for pods)",
    };
    d.summary = Some(role.to_string());
    let slots = (e.slots.len() + e.prefixes.len()) as u32;
    let per_eni = n.instance_type.ipv4_per_eni;
    d.facts = vec![
        fact("Device index", e.device_index.to_string()),
        fact("Primary IP", mono(e.primary_ip.to_string())),
    ];
    if e.prefixes.is_empty() {
        d.facts.push(derived(
            "Secondary IPs held",
            thousands(e.slots.len() as u32),
            format!("{} used by pods + {} warm", e.used(), e.warm()),
        ));
        d.facts.push(derived(
            "Capacity",
            thousands(e.capacity),
            if e.capacity == 0 && e.role == EniRole::Primary {
                "none: under custom networking (or IPv6) the primary ENI carries no pod addresses"
                    .to_string()
            } else if e.role == EniRole::Trunk {
                format!(
                    "a trunk carries branch ENIs instead: {} of {} on this node",
                    n.branches.len(),
                    n.instance_type.branch_enis.unwrap_or(0)
                )
            } else {
                format!(
                    "IPv4 per ENI − 1 (its primary) = {per_eni} − 1 = {}",
                    per_eni.saturating_sub(1)
                )
            },
        ));
    } else {
        d.facts.push(derived(
            "/28 prefixes held",
            thousands(e.prefixes.len() as u32),
            format!(
                "{} addresses: {} used by pods + {} warm",
                e.held(),
                e.used(),
                e.warm()
            ),
        ));
        d.facts.push(derived(
            "Capacity (prefixes)",
            thousands(e.capacity),
            format!(
                "IPv4 per ENI − 1 = {per_eni} − 1 prefixes, each a /28 of {PREFIX_SIZE} addresses = {} addresses",
                thousands(e.capacity * PREFIX_SIZE)
            ),
        ));
    }
    d.facts.push(derived(
        "Free slots",
        thousands(e.free()),
        format!("{} − {slots}", e.capacity),
    ));
    if !e.slots.is_empty() {
        let list: Vec<String> = e.slots.iter().map(|s| s.ip.to_string()).collect();
        d.facts.push(fact(
            "Secondary IPs",
            html! { <code class="ip-list">{ list.join(", ") }</code> },
        ));
    }
    d.links.push(("Node", n.id.clone(), n.name.clone()));
    if let Some(s) = cluster.subnets.get(e.subnet) {
        d.links
            .push(("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr)));
    }
    for p in &e.prefixes {
        d.links.push(("Prefix", p.id.clone(), p.cidr.to_string()));
    }
    if e.role == EniRole::Trunk {
        for b in &n.branches {
            d.links
                .push(("Branch ENI", b.id.clone(), format!("{} · {}", b.ip, b.pod)));
        }
        d.docs = vec![docs::SECURITY_GROUPS_FOR_PODS];
    } else if e.prefixes.is_empty() {
        d.docs = vec![docs::WARM_TARGETS, docs::MAX_PODS];
    } else {
        d.docs = vec![docs::PREFIX_DELEGATION, docs::WARM_PREFIX_TARGET];
    }
    d
}

fn details(cluster: &Cluster, target: Target) -> Details {
    match target {
        Target::Internet => {
            let mut d = Details::new("Internet", "The internet");
            d.summary = Some(if cluster.internet_gateway {
                "Reached from public subnets through the internet gateway, and from private subnets through a NAT gateway.".into()
            } else {
                "Not reachable: the VPC has no public subnet, so no internet gateway.".into()
            });
            if cluster.internet_gateway {
                d.links
                    .push(("Gateway", "igw".into(), "Internet gateway".into()));
            }
            d
        }
        Target::Cloud => {
            let mut d = Details::new("AWS Cloud", "AWS Cloud");
            d.summary = Some("Everything AWS runs for this cluster.".into());
            d
        }
        Target::Region(region) => {
            let mut d = Details::new("Region", region.to_string());
            d.summary = Some("A VPC lives in one Region and spans its Availability Zones.".into());
            d.links.push(("VPC", "vpc".into(), cluster.vpc.cidr_list()));
            d
        }
        Target::Vpc => {
            let mut d = Details::new("VPC", cluster.vpc.cidr_list());
            let total: u64 = cluster
                .vpc
                .cidrs
                .iter()
                .map(|c| u64::from(crate::model::aws::subnet::size(*c)))
                .sum();
            d.facts = vec![
                fact("CIDRs", mono(cluster.vpc.cidr_list())),
                fact("Addresses", thousands(total)),
                fact("Availability Zones", cluster.azs.len().to_string()),
                fact("Subnets", cluster.subnets.len().to_string()),
                fact(
                    "Internet gateway",
                    if cluster.internet_gateway {
                        "yes"
                    } else {
                        "no"
                    },
                ),
                fact("NAT gateways", cluster.nat_gateways.len().to_string()),
                fact("Nodes", thousands(cluster.nodes.len() as u32)),
            ];
            for s in &cluster.subnets {
                d.links
                    .push(("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr)));
            }
            d
        }
        Target::Az(az) => {
            let mut d = Details::new("Availability Zone", az.to_string());
            let nodes = cluster.nodes.iter().filter(|n| n.az == az).count();
            d.facts = vec![fact("Nodes", thousands(nodes as u32))];
            for (_, s) in cluster.subnets_in(az) {
                d.links
                    .push(("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr)));
            }
            d
        }
        Target::Subnet(s) => subnet_details(cluster, s),
        Target::Igw => {
            let mut d = Details::new("Internet gateway", "Internet gateway");
            d.summary = Some("Attached to the VPC. Public subnets route 0.0.0.0/0 here; it translates their public IPs.".into());
            for s in cluster.subnets.iter().filter(|s| s.public) {
                d.links.push((
                    "Public subnet",
                    s.id.clone(),
                    format!("{} ({})", s.name, s.cidr),
                ));
            }
            d
        }
        Target::NatGw(nat) => {
            let mut d = Details::new("NAT gateway", format!("NAT gateway in {}", nat.az));
            d.summary = Some("Private subnets route 0.0.0.0/0 here; it rewrites their source address to its Elastic IP.".into());
            d.facts = vec![
                fact(
                    "Private IP",
                    mono(
                        nat.private_ip
                            .map_or_else(|| "none: its subnet is full".into(), |ip| ip.to_string()),
                    ),
                ),
                fact("Elastic IP", mono(nat.public_ip.to_string())),
                fact("Availability Zone", nat.az.clone()),
            ];
            if let Some(s) = cluster.subnets.get(nat.subnet) {
                d.links.push((
                    "In subnet",
                    s.id.clone(),
                    format!("{} ({})", s.name, s.cidr),
                ));
            }
            let index = cluster.nat_gateways.iter().position(|n| n.id == nat.id);
            for s in &cluster.subnets {
                if index.is_some_and(|i| {
                    default_route(s, &cluster.nat_gateways) == DefaultRoute::NatGateway(i)
                }) {
                    d.links
                        .push(("Serves", s.id.clone(), format!("{} ({})", s.name, s.cidr)));
                }
            }
            d.docs = vec![docs::NAT_GATEWAY];
            d
        }
        Target::Node(n) => node_details(cluster, n),
        Target::Eni(n, e) => eni_details(cluster, n, e),
        Target::Ip(n, e, slot) => {
            let mut d = Details::new("IP address", slot.ip.to_string());
            d.summary = Some(match &slot.pod {
                Some(pod) => format!("Secondary IP of {}, used by pod {pod}", e.name()),
                None => format!(
                    "Secondary IP of {}, warm: allocated from the subnet and waiting for a pod",
                    e.name()
                ),
            });
            d.facts = vec![
                fact("Address", mono(slot.ip.to_string())),
                fact("State", if slot.pod.is_some() { "used" } else { "warm" }),
                fact("Owner", format!("{} of {}", e.name(), n.name)),
            ];
            if let Some(pod) = &slot.pod {
                d.facts.push(fact("Pod", pod.clone()));
                if let Some(p) = cluster.pods.iter().find(|p| &p.name == pod) {
                    d.links.push(("Pod", p.id.to_string(), p.name.to_string()));
                }
            }
            d.docs = vec![docs::WARM_TARGETS];
            d.links.push((
                "ENI",
                e.id.clone(),
                format!("{} · {}", e.name(), e.primary_ip),
            ));
            d.links.push(("Node", n.id.clone(), n.name.clone()));
            d
        }
        Target::Prefix(n, e, p) => {
            let mut d = Details::new("Prefix", p.cidr.to_string());
            d.summary = Some(format!(
                "A /28 on {} of {}: {PREFIX_SIZE} pod addresses in one allocation from the subnet",
                e.name(),
                n.name
            ));
            d.facts = vec![
                fact("Prefix", mono(p.cidr.to_string())),
                derived(
                    "Addresses",
                    PREFIX_SIZE.to_string(),
                    "2^(32 − 28); all of them go to pods (no reserved address inside a prefix)",
                ),
                derived(
                    "Used by pods",
                    p.pods.len().to_string(),
                    format!(
                        "of {PREFIX_SIZE}; {} warm",
                        PREFIX_SIZE as usize - p.pods.len().min(16)
                    ),
                ),
            ];
            d.links.push((
                "ENI",
                e.id.clone(),
                format!("{} · {}", e.name(), e.primary_ip),
            ));
            d.links.push(("Node", n.id.clone(), n.name.clone()));
            let pods: Vec<&Pod> = p
                .pods
                .iter()
                .filter_map(|(_, name)| cluster.pods.iter().find(|x| &x.name == name))
                .collect();
            pod_links(&mut d, "Pod", &pods, 16);
            d.docs = vec![docs::PREFIX_DELEGATION, docs::WARM_PREFIX_TARGET];
            d
        }
        Target::Slot(n, e, k) => {
            let mut d = Details::new("Free slot", format!("Slot {k} of {}", e.name()));
            d.summary = Some(
                "Room on an attached ENI for one more secondary IP. No address is taken from the subnet until ipamd needs it for pods or for its warm pool."
                    .into(),
            );
            d.facts = vec![
                fact("State", "free (not allocated)"),
                derived(
                    "Free on this ENI",
                    thousands(e.free()),
                    format!(
                        "capacity {} − held {}",
                        e.capacity,
                        e.slots.len() + e.prefixes.len()
                    ),
                ),
            ];
            d.links.push((
                "ENI",
                e.id.clone(),
                format!("{} · {}", e.name(), e.primary_ip),
            ));
            d.links.push(("Node", n.id.clone(), n.name.clone()));
            d
        }
        Target::Pod(p) => pod_details(cluster, p),
        Target::LoadBalancer(lb) => inspector_services::load_balancer_details(cluster, lb),
        Target::LbNode(lb, n) => inspector_services::lb_node_details(cluster, lb, n),
        Target::Service(s) => inspector_services::service_details(cluster, s),
        Target::Ingress(i) => inspector_services::ingress_details(cluster, i),
        Target::Branch(n, b) => {
            let mut d = Details::new("Branch ENI", b.ip.to_string());
            d.summary = Some(format!(
                "Pod {}'s own network interface, trunked through {}'s trunk ENI, with its own security groups",
                b.pod, n.name
            ));
            let mode = match cluster.cni.pod_security_group_enforcing_mode {
                crate::scenario::EnforcingMode::Strict => "strict: the pod's groups apply to all its traffic",
                crate::scenario::EnforcingMode::Standard => "standard: same-node traffic is not enforced; traffic leaving the VPC uses eth0's groups",
            };
            d.facts = vec![
                fact("Address", mono(b.ip.to_string())),
                fact("Security groups", mono(b.security_groups.join(", "))),
                fact("Enforcing mode", mode),
                derived(
                    "Branch ENIs on the node",
                    thousands(n.branches.len() as u32),
                    format!(
                        "of {} for {} (the VPC resource controller's limit)",
                        n.instance_type.branch_enis.unwrap_or(0),
                        n.instance_type.name
                    ),
                ),
            ];
            if let Some(s) = cluster.subnets.get(b.subnet) {
                d.links
                    .push(("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr)));
            }
            if let Some(p) = cluster.pods.iter().find(|p| p.name == b.pod) {
                d.links.push(("Pod", p.id.to_string(), p.name.to_string()));
            }
            if let Some(t) = n.enis.iter().find(|e| e.role == EniRole::Trunk) {
                d.links.push((
                    "Trunk ENI",
                    t.id.clone(),
                    format!("{} · {}", t.name(), t.primary_ip),
                ));
            }
            d.links.push(("Node", n.id.clone(), n.name.clone()));
            d.docs = vec![docs::SECURITY_GROUPS_FOR_PODS];
            d
        }
        Target::HostNetwork(n) => {
            let mut d = Details::new(
                "hostNetwork pods",
                plural(n.host_network_pods, "hostNetwork pod", "hostNetwork pods"),
            );
            d.summary = Some(format!(
                "They share {}'s own address ({}): no secondary IP, no slot on an ENI, but they count against max pods.",
                n.name, n.primary_ip
            ));
            let index = cluster.nodes.iter().position(|x| x.id == n.id);
            let pods: Vec<&Pod> = cluster
                .pods
                .iter()
                .filter(|p| p.host_network && p.node.is_some() && p.node == index)
                .collect();
            d.facts = vec![
                fact("Address", mono(n.primary_ip.to_string())),
                derived(
                    "Max pods left for pods with VPC addresses",
                    thousands(n.max_pods.value.saturating_sub(n.host_network_pods)),
                    format!(
                        "max pods {} − {} hostNetwork",
                        n.max_pods.value, n.host_network_pods
                    ),
                ),
            ];
            pod_links(&mut d, "Pod", &pods, 20);
            d.links.push(("Node", n.id.clone(), n.name.clone()));
            d.docs = vec![docs::MAX_PODS];
            d
        }
        Target::EksEni(e) => {
            let mut d = Details::new("EKS cross-account ENI", e.ip.to_string());
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
                d.links
                    .push(("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr)));
            }
            d.links.push((
                "Control plane",
                crate::layout::CONTROL_PLANE_ID.into(),
                "EKS control plane".into(),
            ));
            d.docs = vec![docs::NETWORK_REQUIREMENTS, docs::CLUSTER_ENDPOINT];
            d
        }
        Target::ControlPlane => control_plane_details(cluster),
        Target::CpComponent(name, role) => {
            let mut d = Details::new("Control plane component", name.to_string());
            d.summary = Some(role.to_string());
            d.facts = vec![fact(
                "Runs in",
                "the EKS-owned VPC, managed and scaled by AWS across Availability Zones",
            )];
            d.links.push((
                "Control plane",
                crate::layout::CONTROL_PLANE_ID.into(),
                "EKS control plane".into(),
            ));
            d.docs = vec![docs::CONTROL_PLANE];
            d
        }
        Target::Workloads => {
            let mut d = Details::new("Kubernetes", "Workloads");
            d.summary = Some("Every Deployment and DaemonSet; each pod's cell takes its workload's colour (system pods in grey).".into());
            let mut seen: Vec<(&str, &str)> = Vec::new();
            for p in &cluster.pods {
                if !seen.contains(&(p.namespace.as_str(), p.workload.as_str())) {
                    seen.push((&p.namespace, &p.workload));
                    d.links.push((
                        "Workload",
                        format!("workload:{}/{}", p.namespace, p.workload),
                        format!("{}/{}", p.namespace, p.workload),
                    ));
                }
            }
            d
        }
        Target::Workload(namespace, name) => {
            let pods: Vec<&Pod> = cluster
                .pods
                .iter()
                .filter(|p| p.namespace == namespace && p.workload == name)
                .collect();
            let mut d = Details::new("Workload", format!("{namespace}/{name}"));
            let count = |s: PodStatus| pods.iter().filter(|p| p.status == s).count() as u32;
            d.facts = vec![
                fact("Pods", thousands(pods.len() as u32)),
                fact("Running", thousands(count(PodStatus::Running))),
                fact(
                    "ContainerCreating (no address)",
                    thousands(count(PodStatus::ContainerCreating)),
                ),
                fact("Pending (no node)", thousands(count(PodStatus::Pending))),
                fact(
                    "Network",
                    if pods.iter().any(|p| p.host_network) {
                        "hostNetwork: the node's own address"
                    } else if pods.iter().any(|p| !p.security_groups.is_empty()) {
                        "branch ENIs with their own security groups"
                    } else {
                        "a VPC address from the node's ENIs"
                    },
                ),
            ];
            pod_links(&mut d, "Pod", &pods, 30);
            d.docs = vec![docs::SCHEDULER, docs::VPC_CNI];
            d
        }
        Target::Pending => {
            let pods: Vec<&Pod> = cluster
                .pods
                .iter()
                .filter(|p| p.status == PodStatus::Pending)
                .collect();
            let mut d = Details::new("Pending pods", plural(pods.len() as u32, "pod", "pods"));
            d.summary = Some(
                "No node passed the scheduler's filters (resources, max pods, selectors, taints). The message is the scheduler's, as kubectl describe pod shows it."
                    .into(),
            );
            let mut reasons: Vec<&str> = Vec::new();
            for p in &pods {
                let r = p.reason.as_deref().unwrap_or("");
                if !reasons.contains(&r) {
                    reasons.push(r);
                }
            }
            for r in reasons {
                d.facts.push(fact("Scheduler", r.to_string()));
            }
            pod_links(&mut d, "Pod", &pods, 30);
            d.docs = vec![docs::SCHEDULER, docs::MAX_PODS];
            d
        }
        Target::Summary(s, group) => summary_details(cluster, s, group),
    }
}

/// A node group's nodes in one subnet, counted (the summary a huge cluster shows zoomed out).
fn summary_details(cluster: &Cluster, s: &Subnet, group: &str) -> Details {
    let mut d = Details::new("Node group summary", format!("{group} in {}", s.name));
    let aggregates = crate::layout::aggregate::Aggregates::new(cluster);
    let id = crate::layout::aggregate::summary_id(&s.name, group);
    let Some(g) = aggregates.find(&id) else {
        return d;
    };
    d.summary = Some(format!(
        "{} of node group {group} ({}) in {}, counted together: the cluster is too large to draw node by node from afar. Zoom in, or pick a node, to see each one.",
        plural(g.nodes, "node", "nodes"),
        g.instance_types.join(", "),
        s.name
    ));
    d.facts.push(derived(
        "Nodes",
        thousands(g.nodes),
        format!(
            "{} Ready + {} NotReady + {} cordoned",
            g.ready, g.not_ready, g.cordoned
        ),
    ));
    d.facts.push(derived(
        "Pods",
        thousands(g.pods()),
        format!(
            "{} Running (hostNetwork {}) + {} ContainerCreating",
            thousands(g.running),
            thousands(g.host_network),
            thousands(g.creating)
        ),
    ));
    d.facts.push(derived(
        "Max pods",
        thousands(g.max_pods),
        "sum of the kubelets' --max-pods",
    ));
    d.facts.push(fact("ENIs", thousands(g.enis)));
    if g.prefixes > 0 {
        d.facts.push(derived(
            "/28 prefixes",
            thousands(g.prefixes),
            format!("{} addresses", thousands(g.prefixes * PREFIX_SIZE)),
        ));
    }
    if g.secondary_ips > 0 {
        d.facts
            .push(fact("Secondary IPs", thousands(g.secondary_ips)));
    }
    if g.branch_enis > 0 {
        d.facts.push(fact("Branch ENIs", thousands(g.branch_enis)));
    }
    for a in &g.addresses {
        let name = cluster
            .subnets
            .get(a.subnet)
            .map_or("?", |x| x.name.as_str());
        d.facts.push(derived(
            "Addresses",
            format!("{} in {name}", thousands(a.total())),
            format!(
                "{} ENI primaries + {} pods + {} warm + {} branch ENIs",
                a.primaries, a.pods, a.warm, a.branches
            ),
        ));
    }
    if g.findings > 0 {
        d.facts.push(fact("Findings", thousands(g.findings)));
    }
    d.links.push(("Subnet", s.id.clone(), s.name.clone()));
    let nodes = cluster
        .nodes
        .iter()
        .filter(|n| n.group == group && cluster.subnets.get(n.subnet) == Some(s));
    for n in nodes.take(30) {
        d.links.push(("Node", n.id.clone(), n.name.clone()));
    }
    d.docs = vec![docs::MAX_PODS, docs::VPC_CNI];
    d
}

fn pod_details(cluster: &Cluster, p: &Pod) -> Details {
    let mut d = Details::new("Pod", p.name.clone());
    let node = p.node.and_then(|n| cluster.nodes.get(n));
    d.summary = Some(match (p.status, node) {
        (PodStatus::Running, Some(n)) => format!("Running on {}", n.name),
        (PodStatus::ContainerCreating, Some(n)) => format!(
            "Bound to {} but stuck in ContainerCreating: the VPC CNI had no address to give it",
            n.name
        ),
        _ => "Pending: no node passed the scheduler's filters".to_string(),
    });
    d.facts = vec![
        fact("Namespace", p.namespace.clone()),
        fact("Workload", p.workload.clone()),
        fact("Status", p.status.label()),
        fact(
            "IP",
            mono(p.ip.map_or_else(|| "none".to_string(), |ip| ip.to_string())),
        ),
    ];
    let place = place_of(cluster, p);
    let from = match &place {
        Place::Slot(e, _) => format!(
            "a secondary IP of {}: one of its IPv4 per ENI − 1 slots",
            e.name()
        ),
        Place::Prefix(e, pr) => format!("an address of the /28 {} on {}", pr.cidr, e.name()),
        Place::Branch(b) => format!(
            "its own branch ENI (security groups {})",
            b.security_groups.join(", ")
        ),
        Place::Node => "the node's own address (hostNetwork)".into(),
        Place::Ipv6 => "the node's IPv6 /80".into(),
        Place::None => "—".into(),
    };
    d.facts.push(fact("Address from", from));
    if let Some(reason) = &p.reason {
        d.facts.push(fact("Why", reason.clone()));
    }
    if let Some(n) = node {
        d.links.push(("Node", n.id.clone(), n.name.clone()));
    }
    match place {
        Place::Slot(e, slot) => {
            d.links.push((
                "ENI",
                e.id.clone(),
                format!("{} · {}", e.name(), e.primary_ip),
            ));
            d.links.push(("IP", slot.id.clone(), slot.ip.to_string()));
            d.docs = vec![docs::VPC_CNI, docs::WARM_TARGETS];
        }
        Place::Prefix(e, pr) => {
            d.links.push((
                "ENI",
                e.id.clone(),
                format!("{} · {}", e.name(), e.primary_ip),
            ));
            d.links.push(("Prefix", pr.id.clone(), pr.cidr.to_string()));
            d.docs = vec![docs::PREFIX_DELEGATION];
        }
        Place::Branch(b) => {
            d.links.push(("Branch ENI", b.id.clone(), b.ip.to_string()));
            d.docs = vec![docs::SECURITY_GROUPS_FOR_PODS];
        }
        Place::Ipv6 => d.docs = vec![docs::IPV6],
        Place::Node => {
            if let Some(n) = node {
                d.links.push((
                    "hostNetwork",
                    format!("hostnet:{}", n.name),
                    "the node's hostNetwork pods".into(),
                ));
            }
        }
        Place::None => {
            d.docs = if p.status == PodStatus::Pending {
                vec![docs::SCHEDULER, docs::MAX_PODS]
            } else {
                vec![
                    docs::WARM_TARGETS,
                    docs::PREFIX_DELEGATION,
                    docs::SUBNET_SIZING,
                ]
            };
        }
    }
    d.links.push((
        "Workload",
        format!("workload:{}/{}", p.namespace, p.workload),
        format!("{}/{}", p.namespace, p.workload),
    ));
    d
}

fn control_plane_details(cluster: &Cluster) -> Details {
    let cp = &cluster.control_plane;
    let e = &cp.endpoint;
    let mut d = Details::new("EKS control plane", format!("Cluster {}", cluster.name));
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
        d.links.push((
            "EKS ENI",
            eni.id.clone(),
            format!("{} · {}", eni.ip, eni.az),
        ));
    }
    for (name, _) in COMPONENTS {
        d.links.push((
            "Component",
            crate::layout::component_id(name),
            name.to_string(),
        ));
    }
    d.docs = vec![
        docs::CLUSTER_ENDPOINT,
        docs::NETWORK_REQUIREMENTS,
        docs::SECURITY_GROUP_REQUIREMENTS,
    ];
    d
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let close = {
        let on_select = props.on_select.clone();
        Callback::from(move |_: MouseEvent| on_select.emit(None))
    };
    let cluster = &props.cluster;
    let id = props.selected.as_str();
    let Some(target) = resolve(cluster, id) else {
        return html! {
            <aside class="inspector" data-kind="inspector" aria-label="Inspector">
                <header class="inspector-head">
                    <h2>{ "Not in the cluster" }</h2>
                    <button type="button" class="close" onclick={close} aria-label="Close inspector">{ "×" }</button>
                </header>
                <p class="summary">{ format!("{id} is not part of the current cluster.") }</p>
            </aside>
        };
    };
    let d = details(cluster, target);
    let findings: Vec<&crate::model::Finding> = cluster
        .findings
        .iter()
        .filter(|f| f.subject == id)
        .collect();
    let link = |(label, target, text): &(&'static str, String, String)| {
        let on_select = props.on_select.clone();
        let target_id = AttrValue::from(target.clone());
        let onclick = Callback::from(move |_: MouseEvent| on_select.emit(Some(target_id.clone())));
        html! {
            <li key={target.clone()}>
                <span class="link-label">{ *label }</span>
                <button type="button" class="link" data-target={target.clone()} {onclick}>{ text.clone() }</button>
            </li>
        }
    };
    html! {
        <aside class="inspector" data-kind="inspector" data-selected={id.to_string()} aria-label="Inspector" aria-live="polite">
            <header class="inspector-head">
                <div>
                    <p class="eyebrow">{ d.kind }</p>
                    <h2>{ d.title.clone() }</h2>
                </div>
                <button type="button" class="close" onclick={close} aria-label="Close inspector" title="Close (Esc)">{ "×" }</button>
            </header>
            if let Some(summary) = &d.summary {
                <p class="summary">{ summary.clone() }</p>
            }
            if !findings.is_empty() {
                <ul class="findings">
                    { for findings.iter().map(|f| html! {
                        <li class={classes!("finding", format!("sev-{}", severity_name(f.severity)))} data-severity={severity_name(f.severity)}>{ f.message.clone() }</li>
                    }) }
                </ul>
            }
            { props.actions.clone() }
            if !d.facts.is_empty() {
                <dl class="facts">
                    { for d.facts.into_iter().map(|f| html! {
                        <div class="fact">
                            <dt>{ f.label }</dt>
                            <dd>
                                <span class="value">{ f.value }</span>
                                if let Some(formula) = f.formula {
                                    <span class="formula">{ formula }</span>
                                }
                            </dd>
                        </div>
                    }) }
                </dl>
            }
            if !d.links.is_empty() {
                <ul class="links">{ for d.links.iter().map(link) }</ul>
            }
            if !d.docs.is_empty() {
                <div class="docs">
                    <h3>{ "How AWS documents it" }</h3>
                    <ul>{ for d.docs.iter().map(|doc| html! { <li>{ docs::link(doc) }</li> }) }</ul>
                </div>
            }
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout;
    use crate::model;
    use crate::scenario::default_scenario;

    fn scenarios() -> Vec<crate::scenario::Scenario> {
        let web = |replicas: u32, groups: &[&str]| crate::scenario::Workload {
            name: "web".into(),
            namespace: "default".into(),
            kind: Default::default(),
            replicas,
            labels: Default::default(),
            requests: Default::default(),
            node_selector: Default::default(),
            tolerations: Vec::new(),
            topology_spread_constraints: Vec::new(),
            security_groups: groups.iter().map(|g| g.to_string()).collect(),
            host_network: false,
            container_port: 8080,
        };
        let mut out = vec![default_scenario()];
        let mut pd = default_scenario();
        pd.cluster.vpc_cni.prefix_delegation = true;
        pd.workloads.push(web(20, &[]));
        out.push(pd);
        let mut sg = default_scenario();
        sg.cluster.vpc_cni.pod_eni = true;
        sg.workloads.push(web(6, &["sg-0123456789abcdef0"]));
        out.push(sg);
        let mut crowded = default_scenario();
        crowded.vpc.subnets[3].cidr = "10.0.16.0/28".into();
        crowded.workloads.push(web(100, &[]));
        out.push(crowded);
        let mut v6 = default_scenario();
        v6.cluster.ip_family = crate::scenario::IpFamily::IPv6;
        v6.cluster.vpc_cni.prefix_delegation = true;
        v6.workloads.push(web(4, &[]));
        out.push(v6);
        out
    }

    #[test]
    fn every_shape_has_details() {
        for scenario in scenarios() {
            let cluster = model::build(&scenario).unwrap();
            for shape in layout::layout(&cluster).walk() {
                let target = resolve(&cluster, &shape.id)
                    .unwrap_or_else(|| panic!("{} does not resolve", shape.id));
                let d = details(&cluster, target);
                assert!(!d.title.is_empty(), "{}", shape.id);
            }
            // Every finding's subject is drawn, so its badge and its panel entry lead somewhere.
            let scene = layout::layout(&cluster);
            for f in &cluster.findings {
                let shape = scene
                    .find(&f.subject)
                    .unwrap_or_else(|| panic!("finding subject {} is not drawn", f.subject));
                assert!(shape.badge.is_some(), "{} has no badge", f.subject);
            }
        }
    }

    #[test]
    fn pods_explain_where_their_address_comes_from() {
        let all = scenarios();
        for (scenario, from) in [
            (&all[0], "a secondary IP of eth0"),
            (&all[1], "an address of the /28"),
            (&all[2], "its own branch ENI"),
        ] {
            let cluster = model::build(scenario).unwrap();
            let pod = cluster
                .pods
                .iter()
                .find(|p| {
                    p.ip.is_some()
                        && !p.host_network
                        && (p.workload == "web" || scenario == &all[0])
                })
                .unwrap();
            let d = pod_details(&cluster, pod);
            let fact = d.facts.iter().find(|f| f.label == "Address from").unwrap();
            let text = format!("{:?}", fact.value);
            assert!(text.contains(from), "{text}");
            assert!(!d.docs.is_empty());
        }
    }

    #[test]
    fn subnet_numbers_add_up() {
        let cluster = model::build(&default_scenario()).unwrap();
        let d = subnet_details(&cluster, &cluster.subnets[3]);
        let labels: Vec<&str> = d.facts.iter().map(|f| f.label).collect();
        for label in [
            "CIDR",
            "Availability Zone",
            "Addresses",
            "Reserved by AWS",
            "Usable",
            "Used",
            "Free",
        ] {
            assert!(labels.contains(&label), "{label}");
        }
        let free = d.facts.iter().find(|f| f.label == "Free").unwrap();
        assert_eq!(
            free.formula.as_deref(),
            Some(format!("4,091 − {}", cluster.subnets[3].used()).as_str())
        );
    }
}
