//! What an edit moved, in a few words: the previous and the new built [`Cluster`] compared,
//! giving "max pods 29 → 110 on 3 nodes", "6 /28 prefixes", "private-a: 4,070 → 3,974 free".
//! The page shows it after each edit (`ui::change_note`), so a setting's effect is not left
//! to tiny node text. Pure: compares model values only.

use std::collections::BTreeMap;

use crate::layout::text::{plural, thousands};
use crate::model::Cluster;
use crate::model::PodStatus;
use crate::scenario::{Scheme, TrafficPolicy};

/// At most this many changes are named; the rest are counted.
pub const MAX_ITEMS: usize = 6;

/// The changes from `before` to `after`, most telling first; empty when nothing a user sees
/// moved. At most [`MAX_ITEMS`] items, the last saying how many more there are.
pub fn change_summary(before: &Cluster, after: &Cluster) -> Vec<String> {
    let mut items = Vec::new();
    nodes(before, after, &mut items);
    prefixes(before, after, &mut items);
    pods(before, after, &mut items);
    let free = subnets(before, after, &mut items);
    services(before, after, &mut items);
    load_balancers(before, after, &mut items);
    // Free addresses last: a new load balancer or node moves a few in many subnets.
    items.extend(free);
    if items.len() > MAX_ITEMS {
        let more = items.len() - (MAX_ITEMS - 1);
        items.truncate(MAX_ITEMS - 1);
        items.push(format!(
            "{} more {}",
            thousands(more as u64),
            if more == 1 { "change" } else { "changes" }
        ));
    }
    items
}

/// Names in sorted order with their index, for lookups by name: one sorted list per kind
/// rather than a map per value type (less code in the page's wasm).
struct Names<'a>(Vec<(&'a str, usize)>);

impl<'a> Names<'a> {
    fn new(names: impl Iterator<Item = &'a str>) -> Self {
        let mut v: Vec<(&str, usize)> = names.enumerate().map(|(i, n)| (n, i)).collect();
        v.sort_unstable();
        Names(v)
    }

    fn get(&self, name: &str) -> Option<usize> {
        self.0
            .binary_search_by(|(n, _)| (*n).cmp(name))
            .ok()
            .map(|at| self.0[at].1)
    }
}

fn nodes(before: &Cluster, after: &Cluster, out: &mut Vec<String>) {
    if before.nodes.len() != after.nodes.len() {
        out.push(format!(
            "nodes {} → {}",
            thousands(before.nodes.len() as u64),
            thousands(after.nodes.len() as u64)
        ));
    }
    // Max pods of the nodes in both, grouped by (old, new).
    let old = Names::new(before.nodes.iter().map(|n| n.name.as_str()));
    let mut moved: BTreeMap<(u32, u32), u32> = BTreeMap::new();
    for n in &after.nodes {
        if let Some(was) = old.get(&n.name).map(|i| before.nodes[i].max_pods.value) {
            if was != n.max_pods.value {
                *moved.entry((was, n.max_pods.value)).or_default() += 1;
            }
        }
    }
    for ((was, now), count) in moved {
        out.push(format!(
            "max pods {was} → {now} on {}",
            plural(count, "node", "nodes")
        ));
    }
}

fn prefix_count(c: &Cluster) -> u64 {
    c.enis().map(|(_, e)| e.prefixes.len() as u64).sum()
}

fn prefixes(before: &Cluster, after: &Cluster, out: &mut Vec<String>) {
    let (was, now) = (prefix_count(before), prefix_count(after));
    if was == now {
        return;
    }
    out.push(if was == 0 {
        format!("{} /28 prefixes", thousands(now))
    } else {
        format!("/28 prefixes {} → {}", thousands(was), thousands(now))
    });
}

fn pods(before: &Cluster, after: &Cluster, out: &mut Vec<String>) {
    const SHOWN: [(PodStatus, &str); 3] = [
        (PodStatus::Running, "running pods"),
        (PodStatus::Pending, "pending pods"),
        (PodStatus::ContainerCreating, "pods without an address"),
    ];
    // One pass over each cluster's pods (3,000 at 100 nodes) for the three counts.
    let count = |c: &Cluster| {
        let mut counts = [0u64; 3];
        for p in &c.pods {
            if let Some(i) = SHOWN.iter().position(|(status, _)| p.status == *status) {
                counts[i] += 1;
            }
        }
        counts
    };
    let (before, after) = (count(before), count(after));
    for (i, (_, what)) in SHOWN.iter().enumerate() {
        let (was, now) = (before[i], after[i]);
        if was != now {
            out.push(format!("{what} {} → {}", thousands(was), thousands(now)));
        }
    }
}

/// Subnets added, removed or renumbered into `out`; returns the changes of free addresses.
fn subnets(before: &Cluster, after: &Cluster, out: &mut Vec<String>) -> Vec<String> {
    let old = Names::new(before.subnets.iter().map(|s| s.name.as_str()));
    let mut free = Vec::new();
    for s in &after.subnets {
        match old.get(&s.name).map(|i| &before.subnets[i]) {
            None => out.push(format!("new subnet {} ({}, {})", s.name, s.cidr, s.az)),
            Some(was) if was.cidr != s.cidr => {
                out.push(format!("{}: {} → {}", s.name, was.cidr, s.cidr))
            }
            Some(was) if was.free() != s.free() => free.push(format!(
                "{}: {} → {} free",
                s.name,
                thousands(was.free()),
                thousands(s.free())
            )),
            Some(_) => {}
        }
    }
    let now = Names::new(after.subnets.iter().map(|s| s.name.as_str()));
    for s in &before.subnets {
        if now.get(&s.name).is_none() {
            out.push(format!("subnet {} removed", s.name));
        }
    }
    free
}

fn services(before: &Cluster, after: &Cluster, out: &mut Vec<String>) {
    let key = |s: &crate::model::k8s::services::Service| format!("{}/{}", s.namespace, s.name);
    let old_keys: Vec<String> = before.services.iter().map(key).collect();
    let old = Names::new(old_keys.iter().map(String::as_str));
    let policy = |p: TrafficPolicy| match p {
        TrafficPolicy::Cluster => "Cluster",
        TrafficPolicy::Local => "Local",
    };
    for s in after.services.iter().filter(|s| !s.system) {
        let k = key(s);
        match old.get(&k).map(|i| &before.services[i]) {
            None => out.push(format!("new Service {k} ({:?})", s.service_type)),
            Some(was) => {
                if was.external_traffic_policy != s.external_traffic_policy {
                    out.push(format!(
                        "{k}: externalTrafficPolicy {} → {}",
                        policy(was.external_traffic_policy),
                        policy(s.external_traffic_policy)
                    ));
                }
                if was.endpoints.len() != s.endpoints.len() {
                    out.push(format!(
                        "{k}: endpoints {} → {}",
                        thousands(was.endpoints.len() as u64),
                        thousands(s.endpoints.len() as u64)
                    ));
                }
            }
        }
    }
    let new_keys: Vec<String> = after.services.iter().map(key).collect();
    let now = Names::new(new_keys.iter().map(String::as_str));
    for (s, k) in before.services.iter().zip(&old_keys) {
        if !s.system && now.get(k).is_none() {
            out.push(format!("Service {k} removed"));
        }
    }
}

fn load_balancers(before: &Cluster, after: &Cluster, out: &mut Vec<String>) {
    let scheme = |s: Scheme| match s {
        Scheme::Internal => "internal",
        Scheme::InternetFacing => "internet-facing",
    };
    let old = Names::new(before.load_balancers.iter().map(|l| l.name.as_str()));
    for lb in &after.load_balancers {
        match old.get(&lb.name).map(|i| &before.load_balancers[i]) {
            None => out.push(format!(
                "new {} for {} ({})",
                lb.kind.label(),
                lb.name,
                scheme(lb.scheme)
            )),
            Some(was) if was.scheme != lb.scheme => out.push(format!(
                "load balancer {}: {} → {}",
                lb.name,
                scheme(was.scheme),
                scheme(lb.scheme)
            )),
            Some(_) => {}
        }
    }
    let now = Names::new(after.load_balancers.iter().map(|l| l.name.as_str()));
    for lb in &before.load_balancers {
        if now.get(&lb.name).is_none() {
            out.push(format!("load balancer {} removed", lb.name));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::build;
    use crate::scenario::{default_scenario, Scenario};

    fn summary(before: &Scenario, change: impl FnOnce(&mut Scenario)) -> Vec<String> {
        let mut after = before.clone();
        change(&mut after);
        change_summary(&build(before).unwrap(), &build(&after).unwrap())
    }

    #[test]
    fn nothing_moved_says_nothing() {
        let s = default_scenario();
        assert!(summary(&s, |_| {}).is_empty());
    }

    #[test]
    fn prefix_delegation_names_max_pods_prefixes_and_free_addresses() {
        let items = summary(&default_scenario(), |s| {
            s.cluster.vpc_cni.prefix_delegation = true
        });
        assert_eq!(items[0], "max pods 29 → 110 on 3 nodes", "{items:?}");
        assert!(items[1].ends_with(" /28 prefixes"), "{items:?}");
        // Free addresses come after what was added or removed, and are cut first.
        assert!(
            items
                .iter()
                .any(|i| i.starts_with("private-a: ") && i.ends_with(" free")),
            "{items:?}"
        );
    }

    #[test]
    fn nodes_pods_subnets_and_services_are_named() {
        let base = crate::scenario::from_json(include_str!(
            "../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap();
        let items = summary(&base, |s| {
            s.services[0].external_traffic_policy = match s.services[0].external_traffic_policy {
                TrafficPolicy::Cluster => TrafficPolicy::Local,
                TrafficPolicy::Local => TrafficPolicy::Cluster,
            };
        });
        assert_eq!(items.len(), 1, "{items:?}");
        assert!(items[0].contains(": externalTrafficPolicy "), "{items:?}");

        let items = summary(&default_scenario(), |s| {
            s.managed_node_groups[0].desired_capacity = 4;
            let mut extra = s.vpc.subnets[0].clone();
            extra.name = "public-d".into();
            extra.cidr = "10.0.3.0/24".into();
            s.vpc.subnets.push(extra);
        });
        assert_eq!(items[0], "nodes 3 → 4", "{items:?}");
        assert!(
            items.contains(&"new subnet public-d (10.0.3.0/24, us-east-1a)".to_string()),
            "{items:?}"
        );
        let items = summary(&default_scenario(), |s| {
            s.vpc.subnets.remove(2);
        });
        assert!(
            items.contains(&"subnet public-c removed".to_string()),
            "{items:?}"
        );
    }

    #[test]
    fn a_new_load_balancer_is_named_before_the_addresses_it_takes() {
        let mut base = default_scenario();
        base.workloads
            .push(serde_json::from_str(r#"{"name": "web", "replicas": 3}"#).unwrap());
        let items = summary(&base, |s| {
            s.services.push(
                serde_json::from_str(
                    r#"{"name": "web", "selector": {"app": "web"}, "type": "LoadBalancer",
                        "ports": [{"port": 80, "targetPort": 8080}]}"#,
                )
                .unwrap(),
            )
        });
        assert!(items[0].starts_with("new Service default/web"), "{items:?}");
        assert!(
            items[1].starts_with("new Network Load Balancer for default/web"),
            "{items:?}"
        );
    }

    #[test]
    fn a_whole_new_scenario_is_cut_to_a_few_items() {
        let base = default_scenario();
        let other = crate::scenario::from_json(include_str!(
            "../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap();
        let items = change_summary(&build(&base).unwrap(), &build(&other).unwrap());
        assert!(items.len() <= MAX_ITEMS, "{items:?}");
        if items.len() == MAX_ITEMS {
            assert!(items[MAX_ITEMS - 1].ends_with("more changes"), "{items:?}");
        }
    }
}
