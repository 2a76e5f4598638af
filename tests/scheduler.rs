//! The scheduler through its public API: one test per filter with the reason text
//! `kubectl describe pod` shows, capacity limits, spreading, determinism, and properties
//! over random clusters.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeMap;
use std::time::Instant;

use eksplain::model::aws::instance_types::InstanceTypes;
use eksplain::model::k8s::pods::{expand, pod_templates, PodSet};
use eksplain::model::k8s::scheduler::{schedule, SchedNode, Schedule, LABEL_ZONE};
use eksplain::model::k8s::NodeAllocatable;
use eksplain::scenario::{
    Requests, Taint, TaintEffect, Toleration, TolerationOperator, TopologySpreadConstraint,
    WhenUnsatisfiable, Workload, WorkloadKind,
};
use proptest::prelude::*;

const ZONES: [&str; 3] = ["us-east-1a", "us-east-1b", "us-east-1c"];

fn deployment(name: &str, replicas: u32, cpu: &str, memory: &str) -> Workload {
    Workload {
        replicas,
        ..Workload::deployment(name, cpu, memory)
    }
}

fn daemonset(name: &str, cpu: &str) -> Workload {
    Workload {
        kind: WorkloadKind::DaemonSet,
        ..deployment(name, 1, cpu, "64Mi")
    }
}

/// An m5.large as EKS sets it up: 1930m and 7518 MiB allocatable, max pods 29.
fn m5_large(i: usize, az: &str) -> SchedNode {
    let t = InstanceTypes::get().lookup("m5.large").expect("m5.large");
    let allocatable = NodeAllocatable::for_instance(t, 29);
    SchedNode::new(
        &format!("ng-1-{i}"),
        az,
        "m5.large",
        "ng-1",
        &BTreeMap::new(),
        &allocatable,
        29,
    )
}

fn cluster(n: usize) -> Vec<SchedNode> {
    (0..n).map(|i| m5_large(i + 1, ZONES[i % 3])).collect()
}

fn run(nodes: &[SchedNode], workloads: &[Workload]) -> (PodSet, Schedule) {
    let set =
        expand(pod_templates(workloads).expect("valid workloads"), nodes).expect("within limits");
    let s = schedule(nodes, &set);
    (set, s)
}

/// Placements of one workload's pods.
fn of<'a>(
    set: &'a PodSet,
    s: &'a Schedule,
    name: &'a str,
) -> impl Iterator<Item = Option<usize>> + 'a {
    (0..set.pods.len())
        .filter(move |&p| set.template_of(p).name == name)
        .map(move |p| s.placements[p].node())
}

/// The one message of the workload's Pending pods (they all share it).
fn pending_message(set: &PodSet, s: &Schedule, name: &str) -> String {
    let messages: Vec<&str> = (0..set.pods.len())
        .filter(|&p| set.template_of(p).name == name)
        .filter_map(|p| s.placements[p].pending_message())
        .collect();
    assert!(!messages.is_empty(), "no pod of {name} is Pending");
    assert!(messages.iter().all(|m| *m == messages[0]));
    messages[0].to_string()
}

fn taint(key: &str, value: &str, effect: TaintEffect) -> Taint {
    Taint {
        key: key.into(),
        value: value.into(),
        effect,
    }
}

fn zone_spread(skew: u32) -> TopologySpreadConstraint {
    TopologySpreadConstraint {
        max_skew: skew,
        topology_key: LABEL_ZONE.into(),
        when_unsatisfiable: WhenUnsatisfiable::DoNotSchedule,
    }
}

// ---------------------------------------------------------------------------------------
// One filter each.

#[test]
fn node_unschedulable() {
    let mut nodes = cluster(1);
    nodes[0].unschedulable = true;
    let (set, s) = run(&nodes, &[deployment("web", 1, "100m", "64Mi")]);
    assert_eq!(
        pending_message(&set, &s, "web"),
        "0/1 nodes are available: 1 node(s) were unschedulable. \
         preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    );
    // The system DaemonSets tolerate the cordon and still run there.
    assert!(of(&set, &s, "kube-proxy").all(|p| p == Some(0)));
}

#[test]
fn taint_toleration() {
    let mut nodes = cluster(5);
    nodes[3]
        .taints
        .push(taint("dedicated", "gpu", TaintEffect::NoSchedule));
    nodes[4]
        .taints
        .push(taint("dedicated", "gpu", TaintEffect::NoSchedule));
    let (set, s) = run(&nodes, &[deployment("web", 30, "500m", "64Mi")]);
    // 3 free nodes × 3 pods of 500m (1930m − 150m of system pods) = 9.
    assert_eq!(of(&set, &s, "web").flatten().count(), 9);
    assert_eq!(
        pending_message(&set, &s, "web"),
        "0/5 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu. \
         preemption: 0/5 nodes are available: 2 Preemption is not helpful for scheduling, \
         3 No preemption victims found for incoming pod."
    );

    // Tolerating it opens the tainted nodes.
    let mut tolerant = deployment("web", 30, "500m", "64Mi");
    tolerant.tolerations = vec![Toleration {
        key: Some("dedicated".into()),
        operator: TolerationOperator::Equal,
        value: Some("gpu".into()),
        effect: Some(TaintEffect::NoSchedule),
    }];
    let (set, s) = run(&nodes, &[tolerant]);
    assert_eq!(of(&set, &s, "web").flatten().count(), 15);
}

#[test]
fn prefer_no_schedule_is_avoided_not_refused() {
    let mut nodes = cluster(2);
    nodes[0]
        .taints
        .push(taint("spot", "", TaintEffect::PreferNoSchedule));
    let (set, s) = run(&nodes, &[deployment("web", 1, "100m", "64Mi")]);
    assert_eq!(of(&set, &s, "web").collect::<Vec<_>>(), vec![Some(1)]);
    // Node 1 holds five 300m pods (1780m free); only then does node 0 get any.
    let (set, s) = run(&nodes, &[deployment("web", 8, "300m", "64Mi")]);
    let placed: Vec<Option<usize>> = of(&set, &s, "web").collect();
    assert_eq!(placed[..5], [Some(1); 5]);
    assert_eq!(placed[5..], [Some(0); 3]);
}

#[test]
fn node_not_ready() {
    let mut nodes = cluster(2);
    nodes[1].ready = false;
    let (set, s) = run(&nodes, &[deployment("web", 20, "500m", "64Mi")]);
    assert_eq!(
        pending_message(&set, &s, "web"),
        "0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }. \
         preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, \
         1 Preemption is not helpful for scheduling."
    );
}

#[test]
fn node_affinity_selector() {
    let mut nodes = cluster(3);
    nodes[0].labels.insert("role".into(), "edge".into());
    let mut web = deployment("web", 4, "100m", "64Mi");
    web.node_selector = BTreeMap::from([("role".into(), "edge".into())]);
    let (set, s) = run(&nodes, &[web.clone()]);
    assert!(of(&set, &s, "web").all(|p| p == Some(0)));

    web.node_selector = BTreeMap::from([("role".into(), "db".into())]);
    let (set, s) = run(&nodes, &[web]);
    assert_eq!(
        pending_message(&set, &s, "web"),
        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. \
         preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    );
}

#[test]
fn insufficient_cpu_and_memory_are_both_reported() {
    let nodes = cluster(3);
    let (set, s) = run(&nodes, &[deployment("big", 1, "4", "16Gi")]);
    assert_eq!(
        pending_message(&set, &s, "big"),
        "0/3 nodes are available: 3 Insufficient cpu, 3 Insufficient memory. \
         preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    );
    let (set, s) = run(&nodes, &[deployment("mem", 4, "100m", "5Gi")]);
    assert_eq!(of(&set, &s, "mem").flatten().count(), 3);
    assert!(pending_message(&set, &s, "mem")
        .starts_with("0/3 nodes are available: 3 Insufficient memory."));
}

#[test]
fn pod_eni() {
    let mut nodes = cluster(3);
    nodes[0].pod_eni_capacity = 2;
    let mut web = deployment("web", 4, "100m", "64Mi");
    web.security_groups = vec!["sg-0123456789abcdef0".into()];
    let (set, s) = run(&nodes, &[web]);
    assert_eq!(
        of(&set, &s, "web").collect::<Vec<_>>(),
        vec![Some(0), Some(0), None, None]
    );
    assert_eq!(s.nodes[0].branch_eni_pods, 2);
    assert_eq!(s.nodes[0].node_ip_pods(), 0);
    assert_eq!(
        pending_message(&set, &s, "web"),
        "0/3 nodes are available: 3 Insufficient vpc.amazonaws.com/pod-eni. \
         preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    );
}

#[test]
fn topology_spread_skew() {
    // One node per zone; zone c's node is tainted but still a spread domain (taints are
    // ignored by default), so zones a and b may each get one pod, then nothing.
    let mut nodes = cluster(3);
    nodes[2]
        .taints
        .push(taint("dedicated", "gpu", TaintEffect::NoSchedule));
    let mut web = deployment("web", 4, "100m", "64Mi");
    web.topology_spread_constraints = vec![zone_spread(1)];
    let (set, s) = run(&nodes, &[web]);
    assert_eq!(
        of(&set, &s, "web").collect::<Vec<_>>(),
        vec![Some(0), Some(1), None, None]
    );
    assert_eq!(
        pending_message(&set, &s, "web"),
        "0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, \
         2 node(s) didn't match pod topology spread constraints. \
         preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, \
         2 No preemption victims found for incoming pod."
    );
}

#[test]
fn topology_spread_missing_label() {
    let mut nodes = cluster(2);
    nodes[1].labels.remove(LABEL_ZONE);
    let mut web = deployment("web", 3, "100m", "64Mi");
    web.topology_spread_constraints = vec![zone_spread(1)];
    let (set, s) = run(&nodes, &[web]);
    assert_eq!(
        of(&set, &s, "web").collect::<Vec<_>>(),
        vec![Some(0), Some(0), Some(0)]
    );
    let (set, s) = run(&nodes, &[deployment("x", 1, "100m", "64Mi")]);
    assert!(of(&set, &s, "x").all(|p| p.is_some()));

    let mut nodes = cluster(1);
    nodes[0].labels.remove(LABEL_ZONE);
    let mut web = deployment("web", 1, "100m", "64Mi");
    web.topology_spread_constraints = vec![zone_spread(1)];
    let (set, s) = run(&nodes, &[web]);
    assert_eq!(
        pending_message(&set, &s, "web"),
        "0/1 nodes are available: 1 node(s) didn't match pod topology spread constraints (missing required label). \
         preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    );
}

#[test]
fn no_nodes() {
    let (set, s) = run(&[], &[deployment("web", 2, "100m", "64Mi")]);
    assert_eq!(
        pending_message(&set, &s, "web"),
        "no nodes available to schedule pods"
    );
}

// ---------------------------------------------------------------------------------------
// Capacity.

#[test]
fn more_replicas_than_max_pods() {
    // 3 × m5.large, max pods 29, aws-node and kube-proxy on each: 27 slots per node.
    let nodes = cluster(3);
    let (set, s) = run(&nodes, &[deployment("web", 100, "10m", "16Mi")]);
    assert_eq!(of(&set, &s, "web").flatten().count(), 81);
    assert_eq!(of(&set, &s, "web").filter(Option::is_none).count(), 19);
    assert_eq!(
        pending_message(&set, &s, "web"),
        "0/3 nodes are available: 3 Too many pods. \
         preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    );
    for usage in &s.nodes {
        assert_eq!(usage.pods, 29);
        assert_eq!(usage.host_network_pods, 2);
        assert_eq!(usage.node_ip_pods(), 27);
    }
}

#[test]
fn more_replicas_than_cpu() {
    // 1930m − 150m of system pods leaves 1780m: seven 250m pods per node.
    let nodes = cluster(3);
    let (set, s) = run(&nodes, &[deployment("web", 30, "250m", "256Mi")]);
    assert_eq!(of(&set, &s, "web").flatten().count(), 21);
    assert_eq!(
        pending_message(&set, &s, "web"),
        "0/3 nodes are available: 3 Insufficient cpu. \
         preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod."
    );
    for usage in &s.nodes {
        assert_eq!(usage.cpu_millis, 150 + 7 * 250);
    }
}

#[test]
fn host_network_and_daemonset_pods_count_against_max_pods() {
    let mut nodes = cluster(3);
    for n in &mut nodes {
        n.max_pods = 6;
    }
    let mut agent = daemonset("agent", "10m");
    agent.host_network = true;
    let mut host = deployment("host", 3, "10m", "16Mi");
    host.host_network = true;
    let workloads = [deployment("web", 20, "10m", "16Mi"), agent, host];
    let (set, s) = run(&nodes, &workloads);
    // 6 slots: aws-node, kube-proxy, agent, then 3 for the Deployments (web first).
    assert_eq!(of(&set, &s, "agent").flatten().count(), 3);
    assert_eq!(of(&set, &s, "web").flatten().count(), 9);
    assert_eq!(of(&set, &s, "host").flatten().count(), 0);
    for usage in &s.nodes {
        assert_eq!(
            (usage.pods, usage.host_network_pods, usage.node_ip_pods()),
            (6, 3, 3)
        );
    }
    assert!(
        pending_message(&set, &s, "host").starts_with("0/3 nodes are available: 3 Too many pods.")
    );
}

#[test]
fn daemonset_pod_on_a_full_node_stays_pending() {
    let mut nodes = cluster(3);
    nodes[1].max_pods = 2; // the system DaemonSets fill it
    let (set, s) = run(&nodes, &[daemonset("agent", "10m")]);
    let placements: Vec<Option<usize>> = of(&set, &s, "agent").collect();
    assert_eq!(placements, vec![Some(0), None, Some(2)]);
    assert_eq!(
        pending_message(&set, &s, "agent"),
        "0/3 nodes are available: 1 Too many pods, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. \
         preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, \
         2 Preemption is not helpful for scheduling."
    );
    assert_eq!(
        set.pods
            .iter()
            .find(|p| p.name_in(&set.ids) == "agent-ng-1-2")
            .and_then(|p| p.node),
        Some(1)
    );
}

// ---------------------------------------------------------------------------------------
// Spreading and determinism.

#[test]
fn default_spreading_is_even_over_three_zones() {
    let nodes = cluster(9);
    let (set, s) = run(&nodes, &[deployment("web", 30, "100m", "128Mi")]);
    let mut per_zone = [0; 3];
    let mut per_node = [0; 9];
    for node in of(&set, &s, "web").flatten() {
        per_zone[node % 3] += 1;
        per_node[node] += 1;
    }
    assert_eq!(per_zone, [10, 10, 10]);
    assert!(per_node.iter().all(|&c| c == 3 || c == 4), "{per_node:?}");
}

#[test]
fn zone_constraint_evens_out_unequal_zones() {
    // 1 node in a, 2 in b, 3 in c: the default spreading would favour c; the constraint
    // keeps the zones within one pod of each other.
    let nodes: Vec<SchedNode> = [0, 1, 1, 2, 2, 2]
        .iter()
        .enumerate()
        .map(|(i, &z)| m5_large(i + 1, ZONES[z]))
        .collect();
    let mut web = deployment("web", 12, "100m", "128Mi");
    web.topology_spread_constraints = vec![zone_spread(1)];
    let (set, s) = run(&nodes, &[web]);
    let mut per_zone = [0; 3];
    for node in of(&set, &s, "web").flatten() {
        per_zone[[0, 1, 1, 2, 2, 2][node]] += 1;
    }
    assert_eq!(per_zone, [4, 4, 4]);
}

#[test]
fn same_input_same_output() {
    let mut nodes = cluster(7);
    nodes[2]
        .taints
        .push(taint("spot", "", TaintEffect::PreferNoSchedule));
    let mut spread = deployment("spread", 25, "200m", "300Mi");
    spread.topology_spread_constraints = vec![zone_spread(1)];
    let workloads = [
        deployment("web", 40, "100m", "128Mi"),
        spread,
        daemonset("agent", "20m"),
    ];
    let (set_a, a) = run(&nodes, &workloads);
    let (set_b, b) = run(&nodes, &workloads);
    assert_eq!(set_a, set_b);
    assert_eq!(a, b);
}

#[test]
fn five_thousand_nodes_and_a_hundred_forty_thousand_pods() {
    let t = InstanceTypes::get()
        .lookup("m5.4xlarge")
        .expect("m5.4xlarge");
    let allocatable = NodeAllocatable::for_instance(t, 234);
    let nodes: Vec<SchedNode> = (0..5000)
        .map(|i| {
            SchedNode::new(
                &format!("n{i}"),
                ZONES[i % 3],
                "m5.4xlarge",
                "ng",
                &BTreeMap::new(),
                &allocatable,
                110,
            )
        })
        .collect();
    let workloads = [
        deployment("web", 100_000, "50m", "64Mi"),
        deployment("api", 30_000, "100m", "256Mi"),
        deployment("batch", 10_000, "10m", "16Mi"),
    ];
    let started = Instant::now();
    let (set, s) = run(&nodes, &workloads);
    let elapsed = started.elapsed();
    eprintln!("5,000 nodes, {} pods: {elapsed:?}", set.pods.len());
    assert_eq!(set.pods.len(), 150_000);
    assert_eq!(s.pending_count(), 0);
    // 28 pods per node on average; the zones have 1667, 1667 and 1666 nodes and zone
    // spreading evens the zones' totals, so a few nodes take one or two more or fewer.
    for usage in &s.nodes {
        assert!(
            (28..=32).contains(&usage.pods),
            "{} pods on a node",
            usage.pods
        );
    }
    let even = s.nodes.iter().filter(|u| u.pods == 30).count();
    assert!(even >= 4900, "{even} nodes with exactly 30 pods");
    // Generous: this runs unoptimised in `cargo test`; release builds take a fraction.
    assert!(elapsed.as_secs() < 60, "{elapsed:?}");
}

// ---------------------------------------------------------------------------------------
// Properties over random clusters.

fn node_strategy() -> impl Strategy<Value = SchedNode> {
    (
        0usize..3,
        prop::option::of(500u64..8000),
        prop::option::of(512u64..32768),
        2u32..40,
        0u32..4,
        0u8..12,
    )
        .prop_map(|(zone, cpu, mem, max_pods, eni, flags)| {
            let mut n =
                SchedNode::with_resources("n", ZONES[zone], cpu, mem.map(|m| m << 20), max_pods);
            n.pod_eni_capacity = eni;
            n.ready = flags != 0;
            n.unschedulable = flags == 1;
            if flags == 2 {
                n.taints
                    .push(taint("dedicated", "gpu", TaintEffect::NoSchedule));
            }
            if flags == 3 {
                n.labels.insert("role".into(), "edge".into());
            }
            n
        })
}

fn workload_strategy() -> impl Strategy<Value = Workload> {
    (0u32..60, 0u64..1200, 0u64..2048, 0u8..8, any::<bool>()).prop_map(
        |(replicas, cpu, mem, shape, host_network)| {
            let mut w = deployment("w", replicas, &format!("{cpu}m"), &format!("{mem}Mi"));
            w.host_network = host_network;
            match shape {
                0 => w.kind = WorkloadKind::DaemonSet,
                1 => w.topology_spread_constraints = vec![zone_spread(1)],
                2 => w.node_selector = BTreeMap::from([("role".into(), "edge".into())]),
                3 => w.security_groups = vec!["sg-01234567".into()],
                4 => w.requests = Requests::default(),
                _ => {}
            }
            w
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn no_node_is_ever_overcommitted(
        mut nodes in prop::collection::vec(node_strategy(), 0..12),
        mut workloads in prop::collection::vec(workload_strategy(), 0..6),
    ) {
        for (i, n) in nodes.iter_mut().enumerate() {
            n.name = format!("n{i}");
            n.labels.insert("kubernetes.io/hostname".into(), n.name.clone());
        }
        for (i, w) in workloads.iter_mut().enumerate() {
            w.name = format!("w{i}");
        }
        let (set, s) = run(&nodes, &workloads);
        prop_assert_eq!(s.placements.len(), set.pods.len());
        prop_assert_eq!(s.nodes.len(), nodes.len());
        for (n, u) in nodes.iter().zip(&s.nodes) {
            prop_assert!(u.pods <= n.max_pods);
            prop_assert!(n.cpu_millis.is_none_or(|c| u.cpu_millis <= c));
            prop_assert!(n.memory_bytes.is_none_or(|m| u.memory_bytes <= m));
            prop_assert!(u.branch_eni_pods <= n.pod_eni_capacity);
        }
        // Totals add up, DaemonSet pods stay on their node, Pending pods say why.
        let mut pods = vec![0u32; nodes.len()];
        for (p, placement) in s.placements.iter().enumerate() {
            match placement.node() {
                Some(n) => {
                    pods[n] += 1;
                    if let Some(pinned) = set.pods[p].node {
                        prop_assert_eq!(n, pinned);
                    }
                }
                None => {
                    let message = placement.pending_message().unwrap_or("");
                    prop_assert!(
                        message.starts_with(&format!("0/{} nodes are available: ", nodes.len()))
                            || (nodes.is_empty() && message == "no nodes available to schedule pods"),
                        "{}", message
                    );
                }
            }
        }
        prop_assert_eq!(pods, s.nodes.iter().map(|u| u.pods).collect::<Vec<_>>());
        // Same input, same output.
        let again = schedule(&nodes, &set);
        prop_assert_eq!(&again, &s);
    }
}
