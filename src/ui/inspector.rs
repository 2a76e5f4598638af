//! [`Inspector`]: the details of the selected thing, every number with the arithmetic that
//! produced it, and links to the things it relates to.

use yew::prelude::*;

use super::lookup::{resolve, Target};
use super::shared::Shared;
use crate::layout::text::{plural, thousands};
use crate::model::aws::eni::{Eni, EniRole, PREFIX_SIZE};
use crate::model::aws::instance_types::Hypervisor;
use crate::model::aws::route_table::{default_route, DefaultRoute};
use crate::model::aws::subnet::{Subnet, RESERVED_PER_SUBNET};
use crate::model::{Cluster, Node};

#[derive(PartialEq, Properties)]
pub struct InspectorProps {
    pub cluster: Shared<Cluster>,
    pub selected: AttrValue,
    pub on_select: Callback<Option<AttrValue>>,
}

/// One fact: a label, its value, and how the value was worked out.
struct Fact {
    label: &'static str,
    value: Html,
    formula: Option<String>,
}

fn fact(label: &'static str, value: impl Into<Html>) -> Fact {
    Fact {
        label,
        value: value.into(),
        formula: None,
    }
}

fn derived(label: &'static str, value: impl Into<Html>, formula: impl Into<String>) -> Fact {
    Fact {
        label,
        value: value.into(),
        formula: Some(formula.into()),
    }
}

fn mono(text: impl Into<String>) -> Html {
    html! { <code>{ text.into() }</code> }
}

/// What the panel shows for one target.
struct Details {
    kind: &'static str,
    title: String,
    summary: Option<String>,
    facts: Vec<Fact>,
    /// Related things: (label, id, text).
    links: Vec<(&'static str, String, String)>,
}

impl Details {
    fn new(kind: &'static str, title: impl Into<String>) -> Details {
        Details {
            kind,
            title: title.into(),
            summary: None,
            facts: Vec::new(),
            links: Vec::new(),
        }
    }
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
            format!("{} − {RESERVED_PER_SUBNET}", thousands(s.total())),
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
                "{} + {} + {} + {} + {} + {}",
                u.eni_primaries, u.warm, u.pods, u.nat_gateways, u.eks_enis, u.branch_enis
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
        for n in cluster.nodes.iter().filter(|n| n.subnet == index).take(24) {
            d.links.push(("Node", n.id.clone(), n.name.clone()));
        }
    }
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
    if let Some(s) = cluster.subnets.get(n.subnet) {
        d.links
            .push(("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr)));
    }
    for e in &n.enis {
        d.links.push((
            "ENI",
            e.id.clone(),
            format!("{} · {}", e.name(), e.primary_ip),
        ));
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
            format!("IPv4 per ENI − 1 = {} − 1", n.instance_type.ipv4_per_eni),
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
            format!("IPv4 per ENI − 1, each a /28 of {PREFIX_SIZE} addresses"),
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
            }
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
                "A /28 on {} of {}: {PREFIX_SIZE} pod addresses in one allocation",
                e.name(),
                n.name
            ));
            d.facts = vec![
                fact("Prefix", mono(p.cidr.to_string())),
                derived(
                    "Used by pods",
                    p.pods.len().to_string(),
                    format!("of {PREFIX_SIZE}"),
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
    }
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
                        <li class={classes!("finding", format!("sev-{:?}", f.severity).to_lowercase())}>{ f.message.clone() }</li>
                    }) }
                </ul>
            }
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
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout;
    use crate::model;
    use crate::scenario::default_scenario;

    #[test]
    fn every_shape_has_details() {
        let cluster = model::build(&default_scenario()).unwrap();
        for shape in layout::layout(&cluster).walk() {
            let target = resolve(&cluster, &shape.id).unwrap();
            let d = details(&cluster, target);
            assert!(!d.title.is_empty(), "{}", shape.id);
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
