//! Every input a fuzzing run saved (`tests/fuzz/regressions/<target>/`, a crash or an input
//! slower than 1 s) runs again through its target: no panic, and no longer slow.

use std::time::{Duration, Instant};

use eksplain_fuzz::engine::run_one;
use eksplain_fuzz::{regressions_dir, TARGETS};

/// The time one saved input may take here: 1 s, as in `cargo xtask fuzz`, in an optimised
/// build; ten times that in a debug build.
fn limit() -> Duration {
    if cfg!(debug_assertions) {
        Duration::from_secs(10)
    } else {
        Duration::from_secs(1)
    }
}

#[test]
fn every_saved_finding_passes_now() {
    let mut failures = Vec::new();
    let mut replayed = 0;
    for t in TARGETS {
        let Ok(entries) = std::fs::read_dir(regressions_dir(t.name)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            let data = std::fs::read(&path).expect("a saved finding reads");
            let started = Instant::now();
            let result = run_one(t, &data);
            let took = started.elapsed();
            replayed += 1;
            match result {
                Err(message) => failures.push(format!("{}: panics: {message}", path.display())),
                Ok(_) if took > limit() => {
                    failures.push(format!("{}: takes {took:.2?}", path.display()))
                }
                Ok(_) => {}
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    eprintln!("{replayed} saved findings replayed");
}
