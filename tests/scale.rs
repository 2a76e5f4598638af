//! The generated clusters at scale (`scenario::scale_scenario`): they build, every pod runs,
//! the same scenario always gives the same cluster and scene, and the work grows linearly with
//! the cluster (counted in shapes and objects, not in seconds, so the check holds on any
//! machine). 3, 100 and 1,000 nodes run in every `cargo test`; 5,000 nodes (150,000 pods) only
//! in release (`cargo test --release --test scale`), and in the benchmarks.

use std::cell::RefCell;
use std::rc::Rc;

use eksplain::layout::{self, Detail, Options, Scene};
use eksplain::model::{self, traffic, Cluster, PodStatus, Severity};
use eksplain::scenario::{decode_link, encode_link, scale_scenario, Scenario};

/// Each size is built once per test thread: the model's shared strings are reference
/// counted without atomics (`Rc`), so a cluster stays on the thread that built it.
fn cluster(nodes: u32) -> Rc<Built> {
    thread_local! {
        static BUILT: RefCell<Vec<(u32, Rc<Built>)>> = const { RefCell::new(Vec::new()) };
    }
    BUILT.with_borrow_mut(|built| {
        if let Some((_, c)) = built.iter().find(|(n, _)| *n == nodes) {
            return c.clone();
        }
        let c = Rc::new(build(nodes));
        built.push((nodes, c.clone()));
        c
    })
}

/// A scale scenario and the cluster built from it.
type Built = (Scenario, Cluster);

fn build(nodes: u32) -> Built {
    let scenario = scale_scenario(nodes);
    let cluster = model::build(&scenario)
        .unwrap_or_else(|problems| panic!("{nodes} nodes: the scenario is invalid: {problems:#?}"));
    (scenario, cluster)
}

fn scene(cluster: &Cluster, detail: Detail) -> Scene {
    layout::layout_with(
        cluster,
        Options {
            detail: Some(detail),
        },
    )
}

/// Every node launched and joined, 30 pods per node, all Running with an address, and the
/// model found nothing wrong (warnings about head-room to max pods are expected: the pod
/// subnets are sized for the pods that run, not for 110 per node).
fn assert_healthy(nodes: u32, cluster: &Cluster) {
    assert_eq!(cluster.nodes.len(), nodes as usize, "{nodes} nodes");
    assert_eq!(cluster.pods.len(), 30 * nodes as usize, "{nodes} nodes");
    let stuck: Vec<String> = cluster
        .pods
        .iter()
        .filter(|p| p.status != PodStatus::Running || p.ip.is_none())
        .take(5)
        .map(|p| format!("{} {:?} {:?}", p.id, p.status, p.reason))
        .collect();
    assert!(
        stuck.is_empty(),
        "{nodes} nodes: pods not Running: {stuck:#?}"
    );
    let errors: Vec<&str> = cluster
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.message.as_str())
        .collect();
    assert!(errors.is_empty(), "{nodes} nodes: {errors:#?}");
    for subnet in &cluster.subnets {
        assert!(
            subnet.used() <= subnet.usable(),
            "{nodes} nodes: {} is over-full",
            subnet.name
        );
    }
}

#[test]
fn three_nodes_run_every_pod() {
    assert_healthy(3, &cluster(3).1);
}

#[test]
fn a_hundred_nodes_run_every_pod() {
    assert_healthy(100, &cluster(100).1);
}

#[test]
fn a_thousand_nodes_run_every_pod() {
    assert_healthy(1000, &cluster(1000).1);
}

/// 5,000 nodes and 150,000 pods, Kubernetes' tested limits: too slow for a debug build.
#[test]
#[cfg_attr(
    debug_assertions,
    ignore = "5,000 nodes: run with `cargo test --release --test scale`"
)]
fn five_thousand_nodes_run_every_pod() {
    let (scenario, cluster) = build(5000);
    assert_healthy(5000, &cluster);
    assert_eq!(cluster.pods.len(), 150_000);
    // Four VPC CIDRs (the default quota is five): a /16 of pod addresses per AZ.
    assert_eq!(cluster.vpc.cidrs.len(), 4);
    assert_eq!(traffic::check(&cluster, &scenario), Vec::new());
    let link = encode_link(&scenario);
    assert_eq!(
        decode_link(&link).as_ref(),
        Ok(&scenario),
        "the link decodes"
    );
}

#[test]
fn the_same_scenario_gives_the_same_cluster_and_scene() {
    let large_built = cluster(1000);
    let (scenario, first) = &*large_built;
    assert_eq!(&scale_scenario(1000), scenario);
    let (_, again) = build(1000);
    assert!(again == *first, "two builds of one scenario differ");
    assert!(scene(first, Detail::Bars) == scene(&again, Detail::Bars));
    let small_built = cluster(100);
    let (_, small) = &*small_built;
    assert!(scene(small, Detail::Cells) == scene(&build(100).1, Detail::Cells));
}

/// The scenarios' flows (internet → NLB, internet → ALB, pod → service) name real things and
/// trace without a problem.
#[test]
fn the_flows_trace_at_scale() {
    for nodes in [3, 100, 1000] {
        let built = cluster(nodes);
        let (scenario, cluster) = &*built;
        assert_eq!(scenario.flows.len(), 3);
        let problems = traffic::check(cluster, scenario);
        assert!(problems.is_empty(), "{nodes} nodes: {problems:#?}");
    }
}

#[test]
fn links_carry_the_scenario_at_scale() {
    for nodes in [3, 100, 1000] {
        let scenario = scale_scenario(nodes);
        let link = encode_link(&scenario);
        assert_eq!(decode_link(&link).as_ref(), Ok(&scenario), "{nodes} nodes");
    }
}

/// Ten times the nodes must not cost more than ~ten times the work: the model's objects and
/// the scene's shapes and edges at 1,000 nodes are at most 11× those at 100.
#[test]
fn work_grows_linearly_with_the_cluster() {
    let small_built = cluster(100);
    let (_, small) = &*small_built;
    let large_built = cluster(1000);
    let (_, large) = &*large_built;
    let objects = |c: &Cluster| {
        let enis = c.enis().count();
        let prefixes: usize = c.enis().map(|(_, e)| e.prefixes.len()).sum();
        let endpoints: usize = c.services.iter().map(|s| s.endpoints.len()).sum();
        (
            c.pods.len(),
            enis,
            prefixes,
            endpoints,
            c.services.len(),
            c.findings.len(),
        )
    };
    let (a, b) = (objects(small), objects(large));
    for (what, x, y) in [
        ("pods", a.0, b.0),
        ("ENIs", a.1, b.1),
        ("prefixes", a.2, b.2),
        ("endpoints", a.3, b.3),
        ("services", a.4, b.4),
        ("findings", a.5, b.5),
    ] {
        assert!(
            y <= 11 * x.max(1),
            "{what}: {x} at 100 nodes, {y} at 1,000 (more than 11×)"
        );
    }
    for detail in [Detail::Cells, Detail::Bars] {
        let (s, l) = (scene(small, detail), scene(large, detail));
        let (shapes_s, shapes_l) = (s.walk().count(), l.walk().count());
        assert!(
            shapes_l <= 11 * shapes_s,
            "{detail:?}: {shapes_s} shapes at 100 nodes, {shapes_l} at 1,000 (more than 11×)"
        );
        assert!(
            shapes_l > shapes_s,
            "{detail:?}: the scene does not grow with the cluster"
        );
        assert!(
            l.edges.len() <= 11 * s.edges.len().max(1),
            "{detail:?}: {} edges at 100 nodes, {} at 1,000",
            s.edges.len(),
            l.edges.len()
        );
    }
}

/// The drawing grows with the cluster, not faster: its area at 1,000 nodes is at most 11× the
/// area at 100, so a zoomed-out view of a large cluster is mostly cluster, not empty space.
#[test]
fn the_drawing_grows_linearly_with_the_cluster() {
    let small_built = cluster(100);
    let (_, small) = &*small_built;
    let large_built = cluster(1000);
    let (_, large) = &*large_built;
    for detail in [Detail::Cells, Detail::Bars] {
        let (s, l) = (scene(small, detail), scene(large, detail));
        let area = |s: &Scene| s.size.w * s.size.h;
        let parts = |s: &Scene| {
            s.shapes
                .iter()
                .map(|x| format!("{} {:.0}×{:.0}", x.id, x.rect.w, x.rect.h))
                .collect::<Vec<_>>()
                .join(", ")
        };
        assert!(
            area(&l) <= 11.0 * area(&s),
            "{detail:?}: the scene is {:.0}×{:.0} at 100 nodes and {:.0}×{:.0} at 1,000 (area ×{:.1}); \
             top-level shapes at 100: {}; at 1,000: {}",
            s.size.w,
            s.size.h,
            l.size.w,
            l.size.h,
            area(&l) / area(&s),
            parts(&s),
            parts(&l)
        );
    }
}
