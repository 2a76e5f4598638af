//! The short fixed-seed pass that `cargo test` (and so `cargo xtask test`) runs: a few
//! hundred to a few thousand inputs per target, the same ones every time, in a few seconds.
//! A crash here is a bug; the input is saved under `target/fuzz/short-pass/<target>/` and
//! the message says which one.

use std::time::Duration;

use eksplain_fuzz::engine::{fuzz, Budget, Config, Kind};
use eksplain_fuzz::target;

fn pass(name: &str, execs: u64) {
    let t = target(name).expect("a target");
    let dir = eksplain_fuzz::seeds::repo_root()
        .join("target/fuzz/short-pass")
        .join(name);
    let mut config = Config::new(t, Budget::Execs(execs), dir);
    config.seed = 2024;
    // Debug builds are ten times slower than `cargo xtask fuzz`'s.
    config.slow = Duration::from_secs(10);
    config.max_len = 64 * 1024;
    let report = fuzz(&config);
    eprintln!(
        "{name}: {} execs in {:.2?} ({:.0}/s), {} accepted, {} built, corpus {}",
        report.execs,
        report.elapsed,
        report.execs_per_second(),
        report.accepted,
        report.built,
        report.corpus
    );
    let crashes: Vec<String> = report
        .findings
        .iter()
        .filter(|f| f.kind == Kind::Crash)
        .map(|f| format!("{} (saved to {})", f.message, f.path.display()))
        .collect();
    assert!(crashes.is_empty(), "{name}: {}", crashes.join("\n"));
    assert!(report.accepted > 0, "{name}: no input read as a scenario");
}

#[test]
fn link() {
    pass("link", 3000);
}

#[test]
fn json() {
    pass("json", 2000);
}

#[test]
fn yaml() {
    pass("yaml", 1500);
}

#[test]
fn import() {
    pass("import", 1000);
}

#[test]
fn model() {
    pass("model", 200);
}

#[test]
fn svg() {
    pass("svg", 1500);
}
