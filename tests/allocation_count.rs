//! How many heap allocations a build makes per pod (issue 17: O(1), not 5): the system
//! allocator with counters (`stats_alloc`), over the generated cluster at 100 nodes (3,000 pods).
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::System;

use eksplain::model;
use eksplain::scenario::scale_scenario;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[test]
fn a_build_allocates_a_bounded_number_of_times_per_pod() {
    let scenario = scale_scenario(100);
    // Warm the lazily built tables (instance types) so they are not counted.
    let _ = model::build(&scenario).unwrap();
    let region = Region::new(GLOBAL);
    let cluster = model::build(&scenario).unwrap();
    let stats = region.change();
    let pods = cluster.pods.len() as f64;
    let per_pod = (stats.allocations + stats.reallocations) as f64 / pods;
    println!(
        "{} allocations + {} reallocations for {pods} pods: {per_pod:.2} per pod",
        stats.allocations, stats.reallocations
    );
    assert!(per_pod < 6.0, "{per_pod:.2} allocations per pod");
}
