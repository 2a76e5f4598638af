//! A node's page — its instance type's limits, max pods with the calculator's formula, its
//! addresses and ENIs, the pods on it — and the page of its hostNetwork pods.

use super::docs;
use super::explanation::{derived, fact, mono, Explanation};
use super::pod::pod_links;
use crate::layout::text::{plural, thousands};
use crate::model::aws::eni::Eni;
use crate::model::aws::instance_types::Hypervisor;
use crate::model::aws::vpc_cni::IpamMode;
use crate::model::describe::api_path_text;
use crate::model::{Cluster, Id, Node, Pod, PodStatus};

/// MiB as GiB, with one decimal when not whole.
fn gib(mib: u64) -> String {
    let g = mib as f64 / 1024.0;
    if g.fract() == 0.0 {
        format!("{g:.0} GiB")
    } else {
        format!("{g:.1} GiB")
    }
}

/// A node: its instance type's limits, max pods, its addresses, ENIs and pods.
pub(super) fn node(cluster: &Cluster, n: &Node) -> Explanation {
    let t = &n.instance_type;
    let mut d = Explanation::new("Node", n.name.clone());
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
        "ipamd attaches ENIs as the warm pool (WARM_ENI_TARGET / WARM_IP_TARGET) asks, and from VPC CNI 1.16.3 stops once the node holds max pods addresses",
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
        d.link("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr));
    }
    if let Some(s) = n
        .pod_subnet
        .filter(|&p| p != n.subnet)
        .and_then(|p| cluster.subnets.get(p))
    {
        d.link(
            "Pod subnet",
            s.id.clone(),
            format!("{} ({})", s.name, s.cidr),
        );
    }
    for e in &n.enis {
        d.link(
            "ENI",
            e.id.clone(),
            format!("{} · {}", e.name(), e.primary_ip),
        );
    }
    if n.host_network_pods > 0 {
        d.link(
            "hostNetwork",
            Id::HostNetwork(n.name.clone()),
            plural(n.host_network_pods, "pod", "pods"),
        );
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

/// A node's hostNetwork pods, on the node's own address.
pub(super) fn host_network(cluster: &Cluster, n: &Node) -> Explanation {
    let mut d = Explanation::new(
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
    d.link("Node", n.id.clone(), n.name.clone());
    d.docs = vec![docs::MAX_PODS];
    d
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{page, value};
    use crate::model;
    use crate::scenario::default_scenario;

    #[test]
    fn a_node_page_works_out_max_pods_and_its_addresses() {
        let cluster = model::build(&default_scenario()).unwrap();
        let n = cluster.node_by_name("ng-1-1").unwrap();
        let p = page(&cluster, "node:ng-1-1");
        assert_eq!(
            (p.kind, p.noun, p.title.as_str()),
            ("node", "Node", "ng-1-1")
        );
        assert_eq!(value(&p, "Instance type"), "m5.large");
        assert_eq!(value(&p, "ENIs × IPv4 per ENI"), "3 × 10");
        let max = p.fact("Max pods").unwrap();
        assert_eq!(max.value, "29");
        assert_eq!(max.formula.as_deref(), Some(n.max_pods.formula.as_str()));
        assert_eq!(
            value(&p, "Primary IP (InternalIP)"),
            n.primary_ip.to_string()
        );
        assert!(p.related.iter().any(|r| r.id == "subnet:private-a"));
        assert!(p.related.iter().any(|r| r.id == "eni:ng-1-1/eth0"));
        assert!(p
            .docs
            .iter()
            .any(|d| d.url.contains("choosing-instance-type")));
    }

    #[test]
    fn hostnetwork_pods_count_against_max_pods() {
        let cluster = model::build(&default_scenario()).unwrap();
        let n = cluster.node_by_name("ng-1-3").unwrap();
        let p = page(&cluster, "hostnet:ng-1-3");
        let left = p.fact("Max pods left for pods with VPC addresses").unwrap();
        assert_eq!(
            left.formula.as_deref(),
            Some(format!("max pods 29 − {} hostNetwork", n.host_network_pods).as_str())
        );
        assert!(n.host_network_pods > 0);
    }
}
