//! Benchmarks of the whole pipeline at scale: scenario → cluster (`pipeline::build`, the stage
//! every output runs), cluster →
//! scene (`layout`, at both levels of detail the app draws, and the zoomed-out summaries of
//! `layout::summary_scene`), the share link (encode, decode) and the flow tracer
//! (`model::traffic`), on the generated clusters of `scenario::scale_scenario` at 3, 100,
//! 1,000 and 5,000 nodes (90 to 150,000 pods).
//!
//! ```text
//! cargo xtask bench                              # runs this in release and writes target/bench/report.md
//! cargo bench -p eksplain --bench model          # just the measurements
//! cargo bench -p eksplain --bench model -- build # one stage (a criterion filter)
//! EKSPLAIN_BENCH_SIZES=3,100 cargo bench -p eksplain --bench model
//! ```
//!
//! Benchmark ids are `<stage>/<nodes>` (`build/5000`, `layout_bars/100`,
//! `layout_summary/1000`, `trace/3`), so criterion writes
//! `target/criterion/<stage>/<nodes>/new/estimates.json`. Before measuring, the shape of
//! every generated cluster (nodes, pods, services, subnets, addresses, scene sizes, link
//! length) is written to `target/bench/shapes.tsv` (or `$EKSPLAIN_BENCH_OUT`), which
//! `cargo xtask bench` puts in its report.
//!
//! Sample counts and times are kept small (10 samples; flat sampling for the slow sizes) so
//! the whole run takes a few minutes on two cores. The build is timed with the drop of the
//! cluster it made, as the app pays it when the next edit replaces the cluster.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use eksplain::layout::aggregate::Aggregates;
use eksplain::layout::{self, Detail, Options};
use eksplain::model::traffic::{Flow, Tracer};
use eksplain::model::{Cluster, PodStatus};
use eksplain::pipeline;
use eksplain::scenario::{decode_link, encode_link, scale_scenario, Scenario};

/// The CLI's allocator (src/bin/eksplain/main.rs), so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The sizes measured, in nodes; `EKSPLAIN_BENCH_SIZES=3,100` picks others.
const SIZES: [u32; 4] = [3, 100, 1_000, 5_000];

/// Above this many nodes a single run takes long enough for flat sampling.
const FLAT_ABOVE: u32 = 500;

fn sizes() -> Vec<u32> {
    match std::env::var("EKSPLAIN_BENCH_SIZES") {
        Ok(list) => list
            .split(',')
            .filter_map(|s| s.trim().replace('_', "").parse().ok())
            .collect(),
        Err(_) => SIZES.to_vec(),
    }
}

/// One generated scenario with what each stage needs, made once before measuring.
struct Case {
    nodes: u32,
    scenario: Scenario,
    cluster: Cluster,
    link: String,
}

fn cases() -> Vec<Case> {
    sizes()
        .into_iter()
        .map(|nodes| {
            let scenario = scale_scenario(nodes);
            let cluster = pipeline::build(&scenario).unwrap_or_else(|problems| {
                panic!("the {nodes}-node scenario is invalid: {problems:?}")
            });
            let link = encode_link(&scenario);
            Case {
                nodes,
                scenario,
                cluster,
                link,
            }
        })
        .collect()
}

fn configure(group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, n: u32) {
    if n > FLAT_ABOVE {
        group.sampling_mode(SamplingMode::Flat);
    } else {
        group.sampling_mode(SamplingMode::Auto);
    }
}

fn bench(c: &mut Criterion) {
    let cases = cases();
    write_shapes(&cases);

    let mut group = c.benchmark_group("build");
    for case in &cases {
        configure(&mut group, case.nodes);
        group.bench_with_input(
            BenchmarkId::from_parameter(case.nodes),
            &case.scenario,
            |b, s| b.iter(|| pipeline::build(black_box(s))),
        );
    }
    group.finish();

    for (stage, detail) in [
        ("layout_cells", Detail::Cells),
        ("layout_bars", Detail::Bars),
    ] {
        let mut group = c.benchmark_group(stage);
        for case in &cases {
            configure(&mut group, case.nodes);
            let options = Options {
                detail: Some(detail),
            };
            group.bench_with_input(
                BenchmarkId::from_parameter(case.nodes),
                &case.cluster,
                |b, cluster| b.iter(|| layout::layout_with(black_box(cluster), options)),
            );
        }
        group.finish();
    }

    // The zoomed-out summaries of a huge cluster, over its detailed scene: the counts (once
    // per cluster in the app) and the summary scene at the fitted zoom (once per zoom level).
    let mut group = c.benchmark_group("layout_summary");
    for case in &cases {
        configure(&mut group, case.nodes);
        let scene = layout::layout_with(
            &case.cluster,
            Options {
                detail: Some(Detail::Bars),
            },
        );
        group.bench_with_input(
            BenchmarkId::from_parameter(case.nodes),
            &case.cluster,
            |b, cluster| {
                b.iter(|| {
                    let aggregates = Aggregates::new(black_box(cluster));
                    let scale = layout::reference_scale(scene.size);
                    layout::summary_scene(cluster, &aggregates, &scene, scale)
                })
            },
        );
    }
    group.finish();

    let mut group = c.benchmark_group("link_encode");
    for case in &cases {
        configure(&mut group, case.nodes);
        group.bench_with_input(
            BenchmarkId::from_parameter(case.nodes),
            &case.scenario,
            |b, s| b.iter(|| encode_link(black_box(s))),
        );
    }
    group.finish();

    let mut group = c.benchmark_group("link_decode");
    for case in &cases {
        configure(&mut group, case.nodes);
        group.bench_with_input(
            BenchmarkId::from_parameter(case.nodes),
            &case.link,
            |b, link| b.iter(|| decode_link(black_box(link))),
        );
    }
    group.finish();

    // The three flows of every scale scenario (internet → NLB service, internet → ALB
    // Ingress, pod → service), traced as the app does: one tracer per built cluster.
    let mut group = c.benchmark_group("trace");
    for case in &cases {
        configure(&mut group, case.nodes);
        let flows: Vec<Flow> = case
            .scenario
            .flows
            .iter()
            .map(|f| Flow::from_document(f).expect("the scale scenario's flows parse"))
            .collect();
        group.bench_with_input(
            BenchmarkId::from_parameter(case.nodes),
            &case.cluster,
            |b, cluster| {
                b.iter(|| {
                    let tracer = Tracer::new(black_box(cluster), &case.scenario.security_groups);
                    for flow in &flows {
                        black_box(
                            tracer
                                .trace(flow)
                                .expect("the scale scenario's flows trace"),
                        );
                    }
                })
            },
        );
    }
    group.finish();
}

/// Writes the shape of every case as a tab-separated table for `cargo xtask bench`.
fn write_shapes(cases: &[Case]) {
    let mut out = String::from(
        "nodes\tpods\trunning\tdeployments\tservices\tload_balancers\tingresses\tsubnets\tvpc_cidrs\tpod_subnets\tenis\tprefixes\taddresses_used\taddresses_usable\tjson_bytes\tlink_chars\tauto_detail\tshapes_cells\tshapes_bars\n",
    );
    for case in cases {
        let c = &case.cluster;
        let s = &case.scenario;
        let running = c
            .pods
            .iter()
            .filter(|p| p.status == PodStatus::Running)
            .count();
        let deployments = s
            .workloads
            .iter()
            .filter(|w| w.kind == eksplain::scenario::WorkloadKind::Deployment)
            .count();
        let enis = c.enis().count();
        let prefixes: usize = c.enis().map(|(_, e)| e.prefixes.len()).sum();
        let used: u64 = c.subnets.iter().map(|s| u64::from(s.used())).sum();
        let usable: u64 = c.subnets.iter().map(|s| u64::from(s.usable())).sum();
        let vpc_cidrs: Vec<String> = c.vpc.cidrs.iter().map(|n| n.to_string()).collect();
        let pod_subnets: Vec<String> = c
            .subnets
            .iter()
            .filter(|s| s.name.starts_with("pods-"))
            .map(|s| s.cidr.to_string())
            .collect();
        let json = serde_json::to_string(s).map_or(0, |j| j.len());
        let shapes = |detail| {
            layout::layout_with(
                c,
                Options {
                    detail: Some(detail),
                },
            )
            .walk()
            .count()
        };
        let _ = writeln!(
            out,
            "{}\t{}\t{running}\t{deployments}\t{}\t{}\t{}\t{}\t{}\t{}\t{enis}\t{prefixes}\t{used}\t{usable}\t{json}\t{}\t{:?}\t{}\t{}",
            case.nodes,
            c.pods.len(),
            s.services.len(),
            c.load_balancers.len(),
            c.ingresses.len(),
            c.subnets.len(),
            vpc_cidrs.join(" "),
            pod_subnets.join(" "),
            case.link.len(),
            layout::auto_detail(c),
            shapes(Detail::Cells),
            shapes(Detail::Bars),
        );
    }
    let dir = std::env::var_os("EKSPLAIN_BENCH_OUT")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"))
                .join("bench")
        });
    let path = dir.join("shapes.tsv");
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, out)) {
        eprintln!("warning: could not write {}: {e}", path.display());
    }
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .without_plots()
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench
}
criterion_main!(benches);
