//! Pages of a node's network interfaces and what they hold: an ENI (its capacity worked out
//! from the instance type), a secondary address, a /28 prefix, a free slot, a branch ENI.

use super::docs;
use super::explanation::{derived, fact, list, mono, Explanation};
use super::pod::pod_links;
use crate::layout::text::thousands;
use crate::model::aws::eni::{BranchEni, Eni, EniRole, IpSlot, Prefix, PREFIX_SIZE};
use crate::model::{Cluster, Node, Pod};
use crate::scenario::EnforcingMode;

/// An ENI: its role, what it holds, its capacity worked out from the instance type.
pub(super) fn eni(cluster: &Cluster, n: &Node, e: &Eni) -> Explanation {
    let mut d = Explanation::new("Network interface", format!("{} on {}", e.name(), n.name));
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
        let ips: Vec<String> = e.slots.iter().map(|s| s.ip.to_string()).collect();
        d.facts.push(fact("Secondary IPs", list(&ips)));
    }
    d.link("Node", n.id.clone(), n.name.clone());
    if let Some(s) = cluster.subnets.get(e.subnet) {
        d.link("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr));
    }
    for p in &e.prefixes {
        d.link("Prefix", p.id.clone(), p.cidr.to_string());
    }
    if e.role == EniRole::Trunk {
        for b in &n.branches {
            d.link("Branch ENI", b.id.clone(), format!("{} · {}", b.ip, b.pod));
        }
        d.docs = vec![docs::SECURITY_GROUPS_FOR_PODS];
    } else if e.prefixes.is_empty() {
        d.docs = vec![docs::WARM_TARGETS, docs::MAX_PODS];
    } else {
        d.docs = vec![docs::PREFIX_DELEGATION, docs::WARM_PREFIX_TARGET];
    }
    d
}

/// A secondary address of an ENI, used by a pod or warm.
pub(super) fn ip(cluster: &Cluster, n: &Node, e: &Eni, slot: &IpSlot) -> Explanation {
    let mut d = Explanation::new("IP address", slot.ip.to_string());
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
        d.facts.push(fact("Pod", pod.to_string()));
        if let Some(p) = cluster.pods.iter().find(|p| &p.name == pod) {
            d.link("Pod", p.as_id(), p.name.to_string());
        }
    }
    d.docs = vec![docs::WARM_TARGETS];
    d.link(
        "ENI",
        e.id.clone(),
        format!("{} · {}", e.name(), e.primary_ip),
    );
    d.link("Node", n.id.clone(), n.name.clone());
    d
}

/// A /28 prefix on an ENI and the pods addressed from it.
pub(super) fn prefix(cluster: &Cluster, n: &Node, e: &Eni, p: &Prefix) -> Explanation {
    let mut d = Explanation::new("Prefix", p.cidr.to_string());
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
    d.link(
        "ENI",
        e.id.clone(),
        format!("{} · {}", e.name(), e.primary_ip),
    );
    d.link("Node", n.id.clone(), n.name.clone());
    let pods: Vec<&Pod> = p
        .pods
        .iter()
        .filter_map(|(_, name)| cluster.pods.iter().find(|x| &x.name == name))
        .collect();
    pod_links(&mut d, "Pod", &pods, 16);
    d.docs = vec![docs::PREFIX_DELEGATION, docs::WARM_PREFIX_TARGET];
    d
}

/// Room on an ENI for one more secondary address.
pub(super) fn free_slot(n: &Node, e: &Eni, k: u32) -> Explanation {
    let mut d = Explanation::new("Free slot", format!("Slot {k} of {}", e.name()));
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
    d.link(
        "ENI",
        e.id.clone(),
        format!("{} · {}", e.name(), e.primary_ip),
    );
    d.link("Node", n.id.clone(), n.name.clone());
    d
}

/// A pod's branch ENI (security groups for pods).
pub(super) fn branch(cluster: &Cluster, n: &Node, b: &BranchEni) -> Explanation {
    let mut d = Explanation::new("Branch ENI", b.ip.to_string());
    d.summary = Some(format!(
            "Pod {}'s own network interface, trunked through {}'s trunk ENI, with its own security groups",
            b.pod, n.name
        ));
    let mode = match cluster.cni.pod_security_group_enforcing_mode {
            EnforcingMode::Strict => "strict: the pod's groups apply to all its traffic",
            EnforcingMode::Standard => "standard: same-node traffic is not enforced; traffic leaving the VPC uses eth0's groups",
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
    let pod = cluster.pods.iter().find(|p| p.name == b.pod);
    if let Some(ip @ std::net::IpAddr::V6(_)) = pod.and_then(|p| p.ip) {
        d.facts.insert(
            1,
            derived(
                "Pod's IPv6 address",
                mono(ip.to_string()),
                "an IPv6 cluster's branch pod takes its branch ENI's IPv6 address (the VPC CNI's rpc_handler.go); the IPv4 address stays on the ENI",
            ),
        );
    }
    if let Some(s) = cluster.subnets.get(b.subnet) {
        d.link("Subnet", s.id.clone(), format!("{} ({})", s.name, s.cidr));
    }
    if let Some(p) = pod {
        d.link("Pod", p.as_id(), p.name.to_string());
    }
    if let Some(t) = n.enis.iter().find(|e| e.role == EniRole::Trunk) {
        d.link(
            "Trunk ENI",
            t.id.clone(),
            format!("{} · {}", t.name(), t.primary_ip),
        );
    }
    d.link("Node", n.id.clone(), n.name.clone());
    d.docs = vec![docs::SECURITY_GROUPS_FOR_PODS];
    d
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{page, scenarios, value};
    use super::super::Style;
    use crate::model;

    #[test]
    fn an_eni_page_works_out_its_capacity_and_lists_its_addresses() {
        let mut scenario = crate::scenario::default_scenario();
        scenario.cluster.vpc_cni.warm_ip_target = Some(2);
        let cluster = model::build(&scenario).unwrap();
        let e = &cluster.node_by_name("ng-1-1").unwrap().enis[0];
        let p = page(&cluster, "eni:ng-1-1/eth0");
        assert_eq!(p.title, "eth0 on ng-1-1");
        assert_eq!(value(&p, "Primary IP"), e.primary_ip.to_string());
        let capacity = p.fact("Capacity").unwrap();
        assert_eq!(capacity.value, "9");
        assert_eq!(
            capacity.formula.as_deref(),
            Some("IPv4 per ENI − 1 (its primary) = 10 − 1 = 9")
        );
        let ips = p.fact("Secondary IPs").unwrap();
        assert_eq!(ips.style, Style::List);
        assert!(ips.value.contains(&e.slots[0].ip.to_string()));
        let ip = page(&cluster, &e.slots[0].id);
        assert_eq!(ip.title, e.slots[0].ip.to_string());
        let slot = page(&cluster, "slot:ng-1-1/eth0/5");
        assert_eq!(value(&slot, "State"), "free (not allocated)");
    }

    #[test]
    fn prefixes_and_branch_enis_have_pages() {
        let all = scenarios();
        let pd = model::build(&all[1]).unwrap();
        let prefix = pd
            .nodes
            .iter()
            .flat_map(|n| &n.enis)
            .flat_map(|e| &e.prefixes)
            .next()
            .unwrap();
        let p = page(&pd, &prefix.id);
        assert_eq!(value(&p, "Addresses"), "16");
        let sg = model::build(&all[2]).unwrap();
        let branch = sg.nodes.iter().flat_map(|n| &n.branches).next().unwrap();
        let p = page(&sg, &branch.id);
        assert_eq!(value(&p, "Security groups"), "sg-0123456789abcdef0");
        assert!(p.related.iter().any(|r| r.label == "Trunk ENI"));
        assert!(p.fact("Pod's IPv6 address").is_none());
        // In an IPv6 cluster the page names the pod's IPv6 address beside the ENI's IPv4 one.
        let v6 = model::build(&all[5]).unwrap();
        let branch = v6.nodes.iter().flat_map(|n| &n.branches).next().unwrap();
        let p = page(&v6, &branch.id);
        let pod = v6.pods.iter().find(|p| p.name == branch.pod).unwrap();
        assert_eq!(value(&p, "Pod's IPv6 address"), pod.ip.unwrap().to_string());
        assert_eq!(value(&p, "Address"), branch.ip.to_string());
    }
}
