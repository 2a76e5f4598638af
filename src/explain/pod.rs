//! A pod's page — its status, its address and where that address comes from — and the pages
//! of the workloads and of the pods no node took.

use super::docs;
use super::explanation::{fact, mono, Explanation};
use crate::layout::text::{plural, thousands};
use crate::model::aws::eni::{BranchEni, Eni, IpSlot, Prefix};
use crate::model::{Cluster, Id, Pod, PodStatus};

/// Links to at most `max` pods, then a count of the rest.
pub(super) fn pod_links(d: &mut Explanation, label: &'static str, pods: &[&Pod], max: usize) {
    for p in pods.iter().take(max) {
        let ip =
            p.ip.map_or_else(|| "no address".to_string(), |ip| ip.to_string());
        d.link(label, p.as_id(), format!("{} · {ip}", p.name));
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
    Slot(&'a Eni, &'a IpSlot),
    Prefix(&'a Eni, &'a Prefix),
    Branch(&'a BranchEni),
    Node,
    Ipv6,
    None,
}

/// The slot, prefix or branch ENI that gave `pod` its address.
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

/// A pod: its status, its address and where that address comes from.
pub(super) fn pod(cluster: &Cluster, p: &Pod) -> Explanation {
    let mut d = Explanation::new("Pod", p.name.clone());
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
        fact("Namespace", p.namespace.to_string()),
        fact("Workload", p.workload.to_string()),
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
        d.facts.push(fact("Why", reason.to_string()));
    }
    if let Some(n) = node {
        d.link("Node", n.id.clone(), n.name.clone());
    }
    match place {
        Place::Slot(e, slot) => {
            d.link(
                "ENI",
                e.id.clone(),
                format!("{} · {}", e.name(), e.primary_ip),
            );
            d.link("IP", slot.id.clone(), slot.ip.to_string());
            d.docs = vec![docs::VPC_CNI, docs::WARM_TARGETS];
        }
        Place::Prefix(e, pr) => {
            d.link(
                "ENI",
                e.id.clone(),
                format!("{} · {}", e.name(), e.primary_ip),
            );
            d.link("Prefix", pr.id.clone(), pr.cidr.to_string());
            d.docs = vec![docs::PREFIX_DELEGATION];
        }
        Place::Branch(b) => {
            d.link("Branch ENI", b.id.clone(), b.ip.to_string());
            d.docs = vec![docs::SECURITY_GROUPS_FOR_PODS];
        }
        Place::Ipv6 => d.docs = vec![docs::IPV6],
        Place::Node => {
            if let Some(n) = node {
                d.link(
                    "hostNetwork",
                    Id::HostNetwork(n.name.clone()),
                    "the node's hostNetwork pods".into(),
                );
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
    d.link(
        "Workload",
        Id::Workload {
            namespace: p.namespace.to_string(),
            name: p.workload.to_string(),
        },
        format!("{}/{}", p.namespace, p.workload),
    );
    d
}

/// Every workload of the cluster.
pub(super) fn workloads(cluster: &Cluster) -> Explanation {
    let mut d = Explanation::new("Kubernetes", "Workloads");
    d.summary = Some("Every Deployment and DaemonSet; each pod's cell takes its workload's colour (system pods in grey).".into());
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for p in &cluster.pods {
        if !seen.contains(&(p.namespace.as_str(), p.workload.as_str())) {
            seen.push((&p.namespace, &p.workload));
            d.link(
                "Workload",
                Id::Workload {
                    namespace: p.namespace.to_string(),
                    name: p.workload.to_string(),
                },
                format!("{}/{}", p.namespace, p.workload),
            );
        }
    }
    d
}

/// A Deployment or DaemonSet: its pods by status and how they get addresses.
pub(super) fn workload(cluster: &Cluster, namespace: &str, name: &str) -> Explanation {
    let pods: Vec<&Pod> = cluster
        .pods
        .iter()
        .filter(|p| p.namespace == namespace && p.workload == name)
        .collect();
    let mut d = Explanation::new("Workload", format!("{namespace}/{name}"));
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

/// The pods no node took, with the scheduler's reasons.
pub(super) fn pending(cluster: &Cluster) -> Explanation {
    let pods: Vec<&Pod> = cluster
        .pods
        .iter()
        .filter(|p| p.status == PodStatus::Pending)
        .collect();
    let mut d = Explanation::new("Pending pods", plural(pods.len() as u32, "pod", "pods"));
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

#[cfg(test)]
mod tests {
    use super::super::test_support::{page, scenarios, value};
    use crate::model;

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
            let p = page(&cluster, &pod.id);
            assert!(value(&p, "Address from").contains(from), "{p:?}");
            assert_eq!(value(&p, "IP"), pod.ip.unwrap().to_string());
            assert!(!p.docs.is_empty());
        }
    }

    #[test]
    fn workloads_and_pending_pods_have_pages() {
        let all = scenarios();
        let crowded = model::build(&all[3]).unwrap();
        let p = page(&crowded, "workload:default/web");
        assert_eq!(value(&p, "Pods"), "100");
        let waiting: u32 = value(&p, "ContainerCreating (no address)").parse().unwrap();
        assert!(waiting > 0, "a /28 cannot address 100 pods");
        let p = page(&crowded, "workloads");
        assert!(p.related.iter().any(|r| r.id == "workload:default/web"));
        page(&crowded, "pending");
    }
}
