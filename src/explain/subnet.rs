//! A subnet's page — its addresses, what uses them, its head-room, its default route — and the
//! page of one node group's summary in a subnet (a huge cluster, zoomed out).

use super::docs;
use super::explanation::{derived, fact, mono, Explanation};
use crate::layout::aggregate::Aggregates;
use crate::layout::text::{plural, thousands};
use crate::model::aws::eni::PREFIX_SIZE;
use crate::model::aws::route_table::{default_route, DefaultRoute};
use crate::model::aws::subnet::{Subnet, RESERVED_PER_SUBNET};
use crate::model::{Cluster, Id};

/// The subnet's default route in words, and the id of the gateway it leads to.
fn route(cluster: &Cluster, subnet: &Subnet) -> (String, Option<Id>) {
    match default_route(subnet, &cluster.nat_gateways) {
        DefaultRoute::InternetGateway => {
            ("Public: 0.0.0.0/0 → internet gateway".into(), Some(Id::Igw))
        }
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

/// A subnet: its addresses worked out from the CIDR, what uses them, its head-room.
pub(super) fn subnet(cluster: &Cluster, s: &Subnet) -> Explanation {
    let mut d = Explanation::new("Subnet", s.name.clone());
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
    d.link("Availability Zone", Id::Az(s.az.clone()), s.az.clone());
    if let Some(id) = route_id {
        let text = if id == Id::Igw {
            "Internet gateway".to_string()
        } else {
            "NAT gateway".to_string()
        };
        d.link("Default route", id, text);
    }
    if let Some(index) = cluster.subnets.iter().position(|x| x.id == s.id) {
        for e in cluster
            .control_plane
            .enis
            .iter()
            .filter(|e| e.subnet == index)
        {
            d.link("EKS ENI", e.id.clone(), e.ip.to_string());
        }
        for n in cluster.nodes.iter().filter(|n| n.subnet == index).take(24) {
            d.link("Node", n.id.clone(), n.name.clone());
        }
    }
    d.docs = vec![
        docs::SUBNET_SIZING,
        docs::NETWORK_REQUIREMENTS,
        docs::WARM_TARGETS,
    ];
    d
}

/// A node group's nodes in one subnet, counted (the summary a huge cluster shows zoomed out).
pub(super) fn summary(cluster: &Cluster, s: &Subnet, group: &str) -> Explanation {
    let mut d = Explanation::new("Node group summary", format!("{group} in {}", s.name));
    let aggregates = Aggregates::new(cluster);
    let id = Id::Summary {
        subnet: s.name.clone(),
        group: Some(group.to_string()),
    };
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
    d.link("Subnet", s.id.clone(), s.name.clone());
    let nodes = cluster
        .nodes
        .iter()
        .filter(|n| n.group == group && cluster.subnets.get(n.subnet) == Some(s));
    for n in nodes.take(30) {
        d.link("Node", n.id.clone(), n.name.clone());
    }
    d.docs = vec![docs::MAX_PODS, docs::VPC_CNI];
    d
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{page, value};
    use crate::model;
    use crate::scenario::default_scenario;

    #[test]
    fn subnet_numbers_add_up() {
        let cluster = model::build(&default_scenario()).unwrap();
        let p = page(&cluster, "subnet:private-a");
        assert_eq!(value(&p, "CIDR"), "10.0.16.0/20");
        assert_eq!(value(&p, "Reserved by AWS"), "5");
        let usable = p.fact("Usable").unwrap();
        assert_eq!(usable.value, "4,091");
        assert_eq!(
            usable.formula.as_deref(),
            Some("2^(32 − 20) − 5 = 4,096 − 5")
        );
        let free = p.fact("Free").unwrap();
        assert_eq!(
            free.formula.as_deref(),
            Some(format!("4,091 − {}", cluster.subnets[3].used()).as_str())
        );
        assert_eq!(
            p.summary.as_deref(),
            Some("Private: 0.0.0.0/0 → NAT gateway in us-east-1a")
        );
        assert!(p.related.iter().any(|r| r.id == "natgw:us-east-1a"));
    }

    #[test]
    fn a_node_group_summary_counts_its_nodes() {
        let cluster = model::build(&crate::scenario::scale_scenario(300)).unwrap();
        let p = page(&cluster, "summary:private-b/ng-1");
        assert_eq!(p.title, "ng-1 in private-b");
        let nodes: u32 = value(&p, "Nodes").replace(',', "").parse().unwrap();
        let counted = cluster
            .nodes
            .iter()
            .filter(|n| n.group == "ng-1" && cluster.subnets[n.subnet].name == "private-b")
            .count() as u32;
        assert_eq!(nodes, counted);
    }
}
