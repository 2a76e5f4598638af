//! Test-only: the scheduling cycle transcribed directly (every node filtered and scored for
//! every pod), which the engine must agree with, and the helpers the scheduler's tests share.

use std::borrow::Cow;
use std::cmp::Reverse;

use super::diagnosis::*;
use super::node::*;
use super::node_resources::{fit, fit_reasons, resource_score};
use super::outcome::{NodeUsage, Placement, Schedule};
use super::schedule;
use super::static_filters::{node_selector_matches, selector_matches, static_status, StaticStatus};
use super::taint_toleration::{intolerable_prefer_no_schedule, taint_normalized};
use super::topology_spread::{spread_normalized, spread_raw, SpreadRules};
use crate::model::k8s::pods::{expand, pod_templates, PodSet, TopologyKey};
use crate::scenario::{Taint, TaintEffect, WhenUnsatisfiable, Workload};

pub(super) fn workload(name: &str, replicas: u32, cpu: &str, memory: &str) -> Workload {
    Workload {
        replicas,
        ..Workload::deployment(name, cpu, memory)
    }
}

pub(super) fn m5_large(name: &str, az: &str) -> SchedNode {
    SchedNode::with_resources(name, az, Some(1930), Some(7518 << 20), 29)
}

pub(super) fn run(nodes: &[SchedNode], workloads: &[Workload]) -> (PodSet, Schedule) {
    let set = expand(pod_templates(workloads).unwrap(), nodes).unwrap();
    let schedule = schedule(nodes, &set);
    (set, schedule)
}

/// A direct transcription of the scheduling cycle: every node, every pod.
pub(super) fn reference(nodes: &[SchedNode], set: &PodSet) -> Schedule {
    let taints: Vec<Vec<Taint>> = nodes.iter().map(SchedNode::effective_taints).collect();
    let mut usage = vec![NodeUsage::default(); nodes.len()];
    let mut placements = Vec::new();
    let mut bound: Vec<(usize, usize)> = Vec::new(); // (template, node)
    for pod in &set.pods {
        let template = &set.templates[pod.template];
        let statuses: Vec<StaticStatus> = nodes
            .iter()
            .zip(&taints)
            .map(|(n, t)| static_status(template, n, t))
            .collect();
        let diagnose = |d: &mut Diagnosis, i: usize, status: StaticStatus, bits: u8| match status {
            StaticStatus::Unschedulable => d.node([Cow::Borrowed(REASON_UNSCHEDULABLE)], true),
            StaticStatus::Taint(t) => d.node([Cow::Owned(reason_taint(&taints[i][t]))], true),
            StaticStatus::Affinity => d.node([Cow::Borrowed(REASON_NODE_AFFINITY)], true),
            StaticStatus::Ok => d.node(fit_reasons(bits), false),
        };
        if let Some(n) = pod.node {
            let bits = fit(&nodes[n], &usage[n], &template.requests);
            if statuses[n] == StaticStatus::Ok && bits == 0 {
                usage[n].add(template);
                bound.push((pod.template, n));
                placements.push(Placement::Node(n));
            } else {
                let mut d = Diagnosis::default();
                diagnose(&mut d, n, statuses[n], bits);
                d.nodes(nodes.len() - 1, REASON_PINNED_ELSEWHERE);
                placements.push(Placement::Pending(d.message(nodes.len())));
            }
            continue;
        }
        let rules = SpreadRules::of(template);
        let has = |i: usize, k: TopologyKey| nodes[i].labels.contains_key(k.label());
        let affinity = |i: usize| node_selector_matches(&template.node_selector, &nodes[i].labels);
        let filter_counted = |i: usize| affinity(i) && rules.filter_keys(|k| has(i, k));
        let score_counted = |i: usize| affinity(i) && rules.score_keys(|k| has(i, k));
        let matches = |t: usize| {
            if template.spread.is_empty() {
                t == pod.template
            } else {
                set.templates[t].namespace == template.namespace
                    && selector_matches(&template.labels, &set.templates[t].labels)
            }
        };
        let on_node =
            |i: usize| bound.iter().filter(|(t, n)| *n == i && matches(*t)).count() as u64;
        let domain_count = |i: usize, k: TopologyKey, counted: &dyn Fn(usize) -> bool| -> u64 {
            let value = nodes[i].labels.get(k.label());
            (0..nodes.len())
                .filter(|&j| counted(j) && nodes[j].labels.get(k.label()) == value)
                .map(on_node)
                .sum()
        };
        let min_count = |k: TopologyKey| -> u64 {
            (0..nodes.len())
                .filter(|&j| filter_counted(j) && has(j, k))
                .map(|j| domain_count(j, k, &filter_counted))
                .min()
                .unwrap_or(0)
        };
        let mut d = Diagnosis::default();
        let mut feasible = Vec::new();
        for i in 0..nodes.len() {
            let bits = fit(&nodes[i], &usage[i], &template.requests);
            if statuses[i] != StaticStatus::Ok || bits != 0 {
                diagnose(&mut d, i, statuses[i], bits);
                continue;
            }
            let mut failed = None;
            for c in &rules.filter {
                if !has(i, c.key) {
                    failed = Some(true);
                    break;
                }
                if domain_count(i, c.key, &filter_counted) + 1
                    > min_count(c.key) + u64::from(c.max_skew)
                {
                    failed = Some(false);
                    break;
                }
            }
            match failed {
                Some(true) => d.node([Cow::Borrowed(REASON_SPREAD_LABEL)], true),
                Some(false) => d.node([Cow::Borrowed(REASON_SPREAD)], false),
                None => feasible.push(i),
            }
        }
        if feasible.is_empty() {
            placements.push(Placement::Pending(d.message(nodes.len())));
            continue;
        }
        let ignored = |i: usize| !rules.score_keys(|k| has(i, k));
        let scored: Vec<usize> = feasible.iter().copied().filter(|&i| !ignored(i)).collect();
        let w_host = ((scored.len() + 2) as f64).ln();
        let mut zones: Vec<&str> = scored
            .iter()
            .map(|&i| nodes[i].labels.get(LABEL_ZONE).map_or("", |z| z.as_str()))
            .collect();
        zones.sort();
        zones.dedup();
        let w_zone = ((zones.len() + 2) as f64).ln();
        let raw = |i: usize| {
            let host = has(i, TopologyKey::Hostname).then(|| on_node(i));
            let zone = has(i, TopologyKey::Zone)
                .then(|| domain_count(i, TopologyKey::Zone, &score_counted));
            spread_raw(&rules.score, host, zone, w_host, w_zone)
        };
        let raws: Vec<i64> = scored.iter().map(|&i| raw(i)).collect();
        let (min, max) = (
            raws.iter().copied().min().unwrap_or(i64::MAX),
            raws.iter().copied().max().unwrap_or(0),
        );
        let prefer: Vec<u32> = feasible
            .iter()
            .map(|&i| intolerable_prefer_no_schedule(&template.tolerations, &taints[i]))
            .collect();
        let max_prefer = prefer.iter().copied().max().unwrap_or(0);
        let mut best: Option<(i64, Reverse<usize>)> = None;
        for (k, &i) in feasible.iter().enumerate() {
            let spread = if rules.score.is_empty() || ignored(i) {
                0
            } else {
                spread_normalized(raw(i), min, max)
            };
            let total = resource_score(&nodes[i], &usage[i], &template.requests)
                + 2 * spread
                + 3 * taint_normalized(prefer[k], max_prefer);
            if best.is_none_or(|b| (total, Reverse(i)) > b) {
                best = Some((total, Reverse(i)));
            }
        }
        let Some((_, Reverse(n))) = best else {
            unreachable!()
        };
        usage[n].add(template);
        bound.push((pod.template, n));
        placements.push(Placement::Node(n));
    }
    Schedule {
        placements,
        nodes: usage,
    }
}

#[test]
fn reference_agrees_on_a_mixed_cluster() {
    let mut nodes: Vec<SchedNode> = (0..7)
        .map(|i| {
            m5_large(
                &format!("n{i}"),
                ["us-east-1a", "us-east-1b", "us-east-1c"][i % 3],
            )
        })
        .collect();
    nodes[1].taints.push(Taint {
        key: "dedicated".into(),
        value: "gpu".into(),
        effect: TaintEffect::NoSchedule,
    });
    nodes[2].taints.push(Taint {
        key: "spot".into(),
        value: String::new(),
        effect: TaintEffect::PreferNoSchedule,
    });
    nodes[3].unschedulable = true;
    nodes[4].cpu_millis = Some(4000);
    let mut spread = workload("spread", 20, "300m", "512Mi");
    spread.topology_spread_constraints = vec![crate::scenario::TopologySpreadConstraint {
        max_skew: 1,
        topology_key: LABEL_ZONE.into(),
        when_unsatisfiable: WhenUnsatisfiable::DoNotSchedule,
    }];
    let (set, fast) = run(&nodes, &[workload("web", 30, "100m", "128Mi"), spread]);
    assert_eq!(fast, reference(&nodes, &set));
}

#[cfg(not(target_arch = "wasm32"))]
mod properties {
    use std::collections::BTreeMap;

    use super::*;
    use crate::scenario::WorkloadKind;
    use crate::scenario::{Toleration, TolerationOperator, TopologySpreadConstraint};
    use proptest::prelude::*;

    fn node_strategy() -> impl Strategy<Value = SchedNode> {
        (
            0usize..4,
            prop::option::of(200u64..4000),
            prop::option::of(256u64..8192),
            0u32..12,
            0u32..3,
            any::<bool>(),
            0u8..10,
            prop::option::of(0u8..3),
        )
            .prop_map(|(zone, cpu, mem, max_pods, eni, ready, flags, taint)| {
                let az = ["us-east-1a", "us-east-1b", "us-east-1c", ""][zone];
                let mut n = SchedNode::with_resources("n", az, cpu, mem.map(|m| m << 20), max_pods);
                n.pod_eni_capacity = eni;
                n.ready = ready || flags < 8;
                n.unschedulable = flags == 9;
                if flags % 3 == 0 {
                    n.labels.insert("role".into(), "edge".into());
                }
                if let Some(t) = taint {
                    n.taints.push(Taint {
                        key: "dedicated".into(),
                        value: "x".into(),
                        effect: [
                            TaintEffect::NoSchedule,
                            TaintEffect::PreferNoSchedule,
                            TaintEffect::NoExecute,
                        ][t as usize],
                    });
                }
                n
            })
    }

    fn workload_strategy() -> impl Strategy<Value = Workload> {
        (
            0u32..14,
            prop::option::of(0u64..900),
            prop::option::of(0u64..1500),
            any::<bool>(),
            0u8..6,
            0u8..4,
            any::<bool>(),
            0u8..3,
            any::<bool>(),
        )
            .prop_map(
                |(replicas, cpu, mem, daemon, spread, select, tolerate, label, sg)| {
                    let mut w = workload("w", replicas, "0", "0");
                    w.requests.cpu = cpu.map(|c| format!("{c}m"));
                    w.requests.memory = mem.map(|m| format!("{m}Mi"));
                    if daemon {
                        w.kind = WorkloadKind::DaemonSet;
                    }
                    w.host_network = replicas % 5 == 0;
                    if sg {
                        w.security_groups = vec!["sg-01234567".into()];
                    }
                    if label > 0 {
                        w.labels = BTreeMap::from([("tier".into(), format!("t{label}"))]);
                    }
                    if select == 1 {
                        w.node_selector = BTreeMap::from([("role".into(), "edge".into())]);
                    }
                    if tolerate {
                        w.tolerations = vec![Toleration {
                            key: Some("dedicated".into()),
                            operator: TolerationOperator::Exists,
                            value: None,
                            effect: None,
                        }];
                    }
                    let c = |key: &str, skew, when| TopologySpreadConstraint {
                        max_skew: skew,
                        topology_key: key.into(),
                        when_unsatisfiable: when,
                    };
                    use WhenUnsatisfiable::*;
                    w.topology_spread_constraints = match spread {
                        1 => vec![c(LABEL_ZONE, 1, DoNotSchedule)],
                        2 => vec![c(LABEL_HOSTNAME, 1, DoNotSchedule)],
                        3 => vec![
                            c(LABEL_ZONE, 2, ScheduleAnyway),
                            c(LABEL_HOSTNAME, 1, DoNotSchedule),
                        ],
                        4 => vec![c(LABEL_HOSTNAME, 1, ScheduleAnyway)],
                        _ => Vec::new(),
                    };
                    w
                },
            )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn fast_scheduler_equals_the_reference(
            nodes in prop::collection::vec(node_strategy(), 0..8),
            workloads in prop::collection::vec(workload_strategy(), 0..5),
        ) {
            agrees_with_the_reference(nodes, workloads)?;
        }

        /// Larger clusters: runs share classes and come back to nodes many times.
        #[test]
        fn fast_scheduler_equals_the_reference_on_larger_clusters(
            nodes in prop::collection::vec(node_strategy(), 8..40),
            workloads in prop::collection::vec(workload_strategy(), 3..12),
        ) {
            agrees_with_the_reference(nodes, workloads)?;
        }
    }

    fn agrees_with_the_reference(
        mut nodes: Vec<SchedNode>,
        mut workloads: Vec<Workload>,
    ) -> Result<(), TestCaseError> {
        {
            for (i, n) in nodes.iter_mut().enumerate() {
                n.name = format!("n{i}");
                n.labels
                    .insert(LABEL_HOSTNAME.into(), n.name.as_str().into());
            }
            for (i, w) in workloads.iter_mut().enumerate() {
                w.name = format!("w{i}");
            }
            let set = expand(pod_templates(&workloads).unwrap(), &nodes).unwrap();
            let fast = schedule(&nodes, &set);
            prop_assert_eq!(&fast, &reference(&nodes, &set));
            for (n, u) in nodes.iter().zip(&fast.nodes) {
                prop_assert!(u.pods <= n.max_pods);
                prop_assert!(n.cpu_millis.is_none_or(|c| u.cpu_millis <= c));
                prop_assert!(n.memory_bytes.is_none_or(|m| u.memory_bytes <= m));
                prop_assert!(u.branch_eni_pods <= n.pod_eni_capacity);
            }
        }
        Ok(())
    }
}
