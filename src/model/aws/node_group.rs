//! Managed node groups: checking them and placing their nodes round-robin over their subnets.

use std::collections::{HashMap, HashSet};

use super::instance_types::{InstanceType, InstanceTypes};
use super::subnet::Subnet;
use super::vpc::check_name;
use crate::model::work;
use crate::scenario::{self, Path, Problem};

/// Kubernetes is tested up to 5,000 nodes; eksplain models clusters up to that size
/// (`scenario::limits` checks it before anything else; this check covers direct callers).
pub use crate::scenario::limits::MAX_NODES;

/// A node to launch: which group, which subnet, which type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// `<group>-<n>`, n counting from 1.
    pub name: String,
    pub group: String,
    /// Index into the cluster's subnets.
    pub subnet: usize,
    pub instance_type: InstanceType,
    pub max_pods_override: Option<u32>,
}

/// Checks every node group and places its nodes. Node `i` of a group goes to the group's
/// subnet `i mod n`, as EKS's Auto Scaling group balances instances over its subnets.
/// `declared` names every subnet of the document, valid or not: a subnet that failed its own
/// checks is reported once, at its own field, not again as an unknown name here.
pub fn place_nodes(
    groups: &[scenario::NodeGroup],
    subnets: &[Subnet],
    declared: &[&str],
    problems: &mut Vec<Problem>,
) -> Vec<Placement> {
    let base = Path::root().field("managedNodeGroups");
    let table = InstanceTypes::get();
    let mut placements = Vec::new();
    // Names looked up once each, not scanned: groups × subnets stays linear.
    let mut names: HashSet<&str> = HashSet::with_capacity(groups.len());
    let subnet_index: HashMap<&str, usize> = subnets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.as_str(), i))
        .collect();
    let declared: HashSet<&str> = declared.iter().copied().collect();
    let mut total: u64 = 0;
    for (g, group) in groups.iter().enumerate() {
        let path = base.index(g);
        let mut ok = true;
        if let Err(m) = check_name(&group.name) {
            problems.push(Problem::new(path.field("name"), m));
            ok = false;
        } else if !names.insert(&group.name) {
            problems.push(Problem::new(
                path.field("name"),
                format!("another node group is already named `{}`", group.name),
            ));
            ok = false;
        }
        work::tick();
        let instance_type = table.lookup(&group.instance_type);
        if instance_type.is_none() {
            let hint = table.suggestions(&group.instance_type, 4);
            let hint = if hint.is_empty() {
                String::new()
            } else {
                format!("; did you mean {}?", hint.join(", "))
            };
            problems.push(Problem::new(
                path.field("instanceType"),
                format!(
                    "`{}` is not a known EC2 instance type{hint}",
                    group.instance_type.escape_default()
                ),
            ));
        }
        total += u64::from(group.desired_capacity);
        if u64::from(group.desired_capacity) > u64::from(MAX_NODES) {
            problems.push(Problem::new(
                path.field("desiredCapacity"),
                format!(
                    "{} nodes is more than eksplain models: at most {MAX_NODES} nodes in a cluster (Kubernetes' tested limit)",
                    group.desired_capacity
                ),
            ));
            ok = false;
        }
        let mut group_subnets = Vec::new();
        if group.subnets.is_empty() {
            problems.push(Problem::new(
                path.field("subnets"),
                "a node group needs at least one subnet",
            ));
        }
        for (s, name) in group.subnets.iter().enumerate() {
            work::tick();
            match subnet_index.get(name.as_str()) {
                Some(&i) => group_subnets.push(i),
                None if declared.contains(name.as_str()) => {}
                None => problems.push(Problem::new(
                    path.field("subnets").index(s),
                    format!("no subnet is named `{}`", name.escape_default()),
                )),
            }
        }
        if let (true, Some(t), false) = (ok, instance_type, group_subnets.is_empty()) {
            for i in 0..group.desired_capacity {
                placements.push(Placement {
                    name: format!("{}-{}", group.name, i + 1),
                    group: group.name.clone(),
                    subnet: group_subnets[i as usize % group_subnets.len()],
                    instance_type: t.clone(),
                    max_pods_override: group.max_pods_per_node,
                });
            }
        }
    }
    if total > u64::from(MAX_NODES) && groups.iter().all(|g| g.desired_capacity <= MAX_NODES) {
        problems.push(Problem::new(
            base,
            format!("{total} nodes in all is more than eksplain models: at most {MAX_NODES} nodes in a cluster (Kubernetes' tested limit)"),
        ));
        placements.clear();
    }
    placements
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::aws::vpc::build_subnets;
    use crate::scenario::default_scenario;

    fn subnets() -> Vec<Subnet> {
        let mut problems = Vec::new();
        let spec = default_scenario().vpc;
        let vpc = crate::model::aws::vpc::build_vpc(&spec, &mut problems);
        build_subnets(&spec, vpc.as_ref(), &mut problems)
    }

    #[test]
    fn nodes_go_round_robin_over_the_group_subnets() {
        let mut groups = default_scenario().managed_node_groups;
        groups[0].desired_capacity = 5;
        let mut problems = Vec::new();
        let placed = place_nodes(&groups, &subnets(), &[], &mut problems);
        assert!(problems.is_empty());
        let where_: Vec<(String, usize)> =
            placed.iter().map(|p| (p.name.clone(), p.subnet)).collect();
        assert_eq!(
            where_,
            vec![
                ("ng-1-1".into(), 3),
                ("ng-1-2".into(), 4),
                ("ng-1-3".into(), 5),
                ("ng-1-4".into(), 3),
                ("ng-1-5".into(), 4)
            ]
        );
    }

    #[test]
    fn bad_groups_report_every_problem() {
        let mut groups = default_scenario().managed_node_groups;
        groups[0].instance_type = "m5.huge".into();
        groups[0].subnets.push("private-z".into());
        groups.push(groups[0].clone());
        groups[1].instance_type = "m5.large".into();
        groups[1].desired_capacity = 4_000_000_000;
        let mut problems = Vec::new();
        let placed = place_nodes(&groups, &subnets(), &[], &mut problems);
        assert!(placed.is_empty());
        let texts: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(texts[0].starts_with("managedNodeGroups[0].instanceType: `m5.huge` is not a known EC2 instance type; did you mean m5.12xlarge"), "{texts:?}");
        assert_eq!(
            texts[1],
            "managedNodeGroups[0].subnets[3]: no subnet is named `private-z`"
        );
        assert_eq!(
            texts[2],
            "managedNodeGroups[1].name: another node group is already named `ng-1`"
        );
        assert!(texts[3].starts_with(
            "managedNodeGroups[1].desiredCapacity: 4000000000 nodes is more than eksplain models"
        ));
        assert_eq!(
            texts[4],
            "managedNodeGroups[1].subnets[3]: no subnet is named `private-z`"
        );
        assert_eq!(texts.len(), 5);
    }
}
