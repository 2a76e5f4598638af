//! `cargo xtask fuzz [--time 60s] [--target NAME] [--seed N] [--engine seeded|afl]`: fuzzes
//! the targets of `fuzz/` (share links, JSON and YAML scenarios, exported SVGs, generated
//! valid-but-large scenarios through the model), `--time` each.
//!
//! Two engines drive the same targets (`fuzz/src/targets.rs`):
//! * `seeded` (always available): `eksplain-fuzz`, a deterministic mutation engine, built
//!   with the `fuzz` profile (optimised, unwinding, overflow checks on).
//! * `afl` (when `cargo afl` is installed, and then the default): AFL++ through afl.rs, with
//!   coverage instrumentation; `fuzz/afl/` is built by `cargo afl build`. Install it with
//!   `cargo install cargo-afl --locked` (about a minute: it builds AFL++ from the source in
//!   the crate). `cargo xtask test` never needs it.
//!
//! Either way, every crash and every input slower than 1 s is saved under
//! `tests/fuzz/regressions/<target>/`, where `cargo test -p eksplain-fuzz --test regressions`
//! replays it. See docs/fuzzing.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{cargo, fail, failure, minutes, output, run, step, Result};

const USAGE: &str =
    "cargo xtask fuzz [--time 60s] [--target NAME] [--seed N] [--engine seeded|afl]";

struct Args {
    time: String,
    target: Option<String>,
    seed: Option<String>,
    engine: Option<String>,
}

fn parse(args: &[String]) -> Result<Args> {
    let mut parsed = Args {
        time: "60s".into(),
        target: None,
        seed: None,
        engine: None,
    };
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = || {
            rest.next()
                .cloned()
                .ok_or_else(|| failure!("{arg} needs a value (usage: {USAGE})"))
        };
        match arg.as_str() {
            "--time" => parsed.time = value()?,
            "--target" => parsed.target = Some(value()?),
            "--seed" => parsed.seed = Some(value()?),
            "--engine" => parsed.engine = Some(value()?),
            other => return fail!("cargo xtask fuzz: unknown argument `{other}` (usage: {USAGE})"),
        }
    }
    Ok(parsed)
}

/// Seconds in `60s`, `5m`, `1h` or `90`.
fn seconds(text: &str) -> Result<u64> {
    let i = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let n: u64 = text[..i]
        .parse()
        .map_err(|_| failure!("--time {text}: write it like 60s, 5m or 1h"))?;
    match &text[i..] {
        "" | "s" => Ok(n),
        "m" => Ok(n * 60),
        "h" => Ok(n * 3600),
        _ => fail!("--time {text}: write it like 60s, 5m or 1h"),
    }
}

fn afl_installed(root: &Path) -> bool {
    output(cargo(root).args(["afl", "--version"])).is_some()
}

pub fn fuzz(root: &Path, args: &[String]) -> Result {
    let args = parse(args)?;
    let secs = seconds(&args.time)?;
    let engine = match args.engine.as_deref() {
        Some("seeded") => "seeded",
        Some("afl") if afl_installed(root) => "afl",
        Some("afl") => {
            return fail!(
                "cargo-afl is not installed: `cargo install cargo-afl --locked` (about a minute; \
                 it builds AFL++ from the source in the crate), or use --engine seeded"
            )
        }
        Some(other) => return fail!("--engine {other}: the engines are seeded and afl"),
        None if afl_installed(root) => "afl",
        None => "seeded",
    };
    let started = Instant::now();
    let outcome = if engine == "afl" {
        afl(root, &args, secs)
    } else {
        seeded(root, &args, secs)
    };
    println!("    fuzzing took {}", minutes(started.elapsed()));
    outcome
}

fn seeded(root: &Path, args: &Args, secs: u64) -> Result {
    step("eksplain-fuzz: the seeded mutation engine (fuzz profile build, then --time per target)");
    let mut cmd = fuzz_bin(root, false);
    cmd.args(["run", "--time"]).arg(format!("{secs}s"));
    if let Some(t) = &args.target {
        cmd.args(["--target", t]);
    }
    if let Some(s) = &args.seed {
        cmd.args(["--seed", s]);
    }
    run("eksplain-fuzz (findings are listed above)", &mut cmd)
}

/// `cargo run [-q] --profile fuzz -p eksplain-fuzz --`: the fuzz crate's binary, built with
/// the fuzz profile (optimised, panics unwind); its own arguments follow.
fn fuzz_bin(root: &Path, quiet: bool) -> Command {
    let mut cmd = cargo(root);
    cmd.arg("run");
    if quiet {
        cmd.arg("-q");
    }
    cmd.args(["--profile", "fuzz", "-p", "eksplain-fuzz", "--"]);
    cmd
}

/// The targets, as `eksplain-fuzz list` names them.
fn targets(root: &Path, only: &Option<String>) -> Result<Vec<String>> {
    let list = output(fuzz_bin(root, true).arg("list"))
        .ok_or_else(|| failure!("eksplain-fuzz list failed"))?;
    let all: Vec<String> = list
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(String::from))
        .collect();
    match only {
        Some(t) if all.contains(t) => Ok(vec![t.clone()]),
        Some(t) => fail!("no target `{t}`; the targets are {}", all.join(", ")),
        None => Ok(all),
    }
}

/// `key : value` lines of AFL++'s `fuzzer_stats`.
fn stat(stats: &str, key: &str) -> String {
    stats
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            (k.trim() == key).then(|| v.trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn afl(root: &Path, args: &Args, secs: u64) -> Result {
    let names = targets(root, &args.target)?;
    let target_dir = root.join("target/afl");
    step("cargo afl build --release (fuzz/afl, instrumented for AFL++)");
    run(
        "cargo afl build",
        cargo(root)
            .args([
                "afl",
                "build",
                "--release",
                "--manifest-path",
                "fuzz/afl/Cargo.toml",
            ])
            .env("CARGO_TARGET_DIR", &target_dir),
    )?;
    let harness = target_dir.join("release/eksplain-fuzz-afl");
    let mut summary = Vec::new();
    let mut saved = 0;
    for name in &names {
        let work = root.join("target/fuzz/afl").join(name);
        let seeds = work.join("seeds");
        let out = work.join("out");
        let _ = std::fs::remove_dir_all(&work);
        run(
            "eksplain-fuzz seeds",
            fuzz_bin(root, true)
                .args(["seeds", "--target", name, "--out"])
                .arg(&seeds),
        )?;
        step(&format!("AFL++ on {name} for {secs}s"));
        // -t 1000: an input over 1 s is a hang, which is saved like a slow input. (Not
        // `1000+`: that lets AFL++ pick a shorter timeout from the seeds' speed.)
        run(
            "cargo afl fuzz",
            cargo(root)
                .args(["afl", "fuzz", "-V", &secs.to_string(), "-t", "1000", "-i"])
                .arg(&seeds)
                .arg("-o")
                .arg(&out)
                .arg("--")
                .arg(&harness)
                .env("EKSPLAIN_FUZZ_TARGET", name)
                .env("AFL_NO_UI", "1")
                .env("AFL_SKIP_CPUFREQ", "1")
                .env("AFL_NO_AFFINITY", "1")
                .env("AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES", "1"),
        )?;
        let stats = std::fs::read_to_string(out.join("default/fuzzer_stats")).unwrap_or_default();
        let found = keep_findings(root, name, &out.join("default"))?;
        saved += found;
        summary.push(format!(
            "{name:<6} {:>10} {:>10} {:>7} {:>8}",
            stat(&stats, "execs_done"),
            stat(&stats, "execs_per_sec"),
            stat(&stats, "corpus_count"),
            found
        ));
    }
    println!(
        "\n{:<6} {:>10} {:>10} {:>7} {:>8}",
        "target", "execs", "execs/s", "corpus", "findings"
    );
    for line in summary {
        println!("{line}");
    }
    if saved > 0 {
        return fail!(
            "{saved} finding(s) saved under tests/fuzz/regressions/: each is now a regression \
             test (`cargo test -p eksplain-fuzz --test regressions`); fix the bug, keep the file"
        );
    }
    println!("no crash, no input slower than 1 s");
    Ok(())
}

/// Copies AFL++'s crashes and hangs into `tests/fuzz/regressions/<target>/`; how many.
fn keep_findings(root: &Path, name: &str, out: &Path) -> Result<usize> {
    let dest = root.join("tests/fuzz/regressions").join(name);
    let mut n = 0;
    for (dir, kind) in [("crashes", "crash"), ("hangs", "slow")] {
        let Ok(entries) = std::fs::read_dir(out.join(dir)) else {
            continue;
        };
        for entry in entries.filter_map(|e| e.ok()) {
            let path: PathBuf = entry.path();
            let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("");
            if !file.starts_with("id:") {
                continue;
            }
            std::fs::create_dir_all(&dest)
                .map_err(|e| failure!("creating {}: {e}", dest.display()))?;
            let id = file.split(',').next().unwrap_or(file).replace(':', "-");
            let target = dest.join(format!("{kind}-afl-{id}.bin"));
            std::fs::copy(&path, &target)
                .map_err(|e| failure!("copying {}: {e}", path.display()))?;
            println!("    {name}: {kind}: saved {}", target.display());
            n += 1;
        }
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_read_with_units() {
        assert_eq!(seconds("60s").unwrap(), 60);
        assert_eq!(seconds("5m").unwrap(), 300);
        assert_eq!(seconds("90").unwrap(), 90);
        assert!(seconds("soon").is_err());
    }

    #[test]
    fn afl_stats_read() {
        let stats = "execs_done        : 1234\nexecs_per_sec     : 56.78\n";
        assert_eq!(stat(stats, "execs_done"), "1234");
        assert_eq!(stat(stats, "execs_per_sec"), "56.78");
        assert_eq!(stat(stats, "corpus_count"), "?");
    }
}
