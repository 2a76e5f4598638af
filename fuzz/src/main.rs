//! `eksplain-fuzz`: runs the seeded engine on the fuzz targets (`cargo xtask fuzz` builds it
//! in release and calls it), writes seed corpora for AFL++, replays saved inputs.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use eksplain_fuzz::engine::{fuzz, run_one, Budget, Config, Kind};
use eksplain_fuzz::{regressions_dir, target, Target, TARGETS};

const USAGE: &str = "\
usage: eksplain-fuzz [run] [--time 60s] [--execs N] [--target NAME] [--seed N] [--findings DIR]
       eksplain-fuzz seeds --target NAME --out DIR
       eksplain-fuzz replay --target NAME FILE...
       eksplain-fuzz list

run      fuzz each target (or only NAME) for --time (per target; default 60s) or --execs
         inputs; crashes and slow inputs (> 1 s) are saved under
         tests/fuzz/regressions/<target>/ (or --findings DIR/<target>/)
seeds    write a target's seed corpus to DIR (for AFL++)
replay   run saved inputs through a target and say what each does
list     the targets
";

fn duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, unit) = text
        .find(|c: char| !c.is_ascii_digit())
        .map_or((text, "s"), |i| text.split_at(i));
    let n: u64 = number.parse().ok()?;
    let seconds = match unit {
        "s" => n,
        "m" | "min" => n * 60,
        "h" => n * 3600,
        _ => return None,
    };
    Some(Duration::from_secs(seconds))
}

struct Args {
    command: String,
    time: Duration,
    execs: Option<u64>,
    target: Option<&'static Target>,
    seed: u64,
    findings: Option<PathBuf>,
    out: Option<PathBuf>,
    files: Vec<PathBuf>,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        command: "run".into(),
        time: Duration::from_secs(60),
        execs: None,
        target: None,
        seed: 1,
        findings: None,
        out: None,
        files: Vec::new(),
    };
    let mut first = true;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "run" | "seeds" | "replay" | "list" if first => parsed.command = arg,
            "--time" => {
                let v = value("--time")?;
                parsed.time =
                    duration(&v).ok_or(format!("--time {v}: write it like 60s, 5m or 1h"))?;
            }
            "--execs" => {
                let v = value("--execs")?;
                parsed.execs = Some(
                    v.parse()
                        .map_err(|_| format!("--execs {v}: not a number"))?,
                );
            }
            "--target" => {
                let v = value("--target")?;
                let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
                parsed.target = Some(target(&v).ok_or(format!(
                    "no target `{v}`; the targets are {}",
                    names.join(", ")
                ))?);
            }
            "--seed" => {
                let v = value("--seed")?;
                parsed.seed = v.parse().map_err(|_| format!("--seed {v}: not a number"))?;
            }
            "--findings" => parsed.findings = Some(value("--findings")?.into()),
            "--out" => parsed.out = Some(value("--out")?.into()),
            "-h" | "--help" => return Err(String::new()),
            other if parsed.command == "replay" && !other.starts_with("--") => {
                parsed.files.push(other.into())
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
        first = false;
    }
    Ok(parsed)
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("eksplain-fuzz: {message}");
            }
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match args.command.as_str() {
        "list" => {
            for t in TARGETS {
                println!("{:<6} {}", t.name, t.about);
            }
            ExitCode::SUCCESS
        }
        "seeds" => seeds(&args),
        "replay" => replay(&args),
        _ => run(&args),
    }
}

fn seeds(args: &Args) -> ExitCode {
    let (Some(t), Some(out)) = (args.target, &args.out) else {
        eprintln!("eksplain-fuzz: seeds needs --target NAME and --out DIR");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("eksplain-fuzz: cannot create {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    let seeds = eksplain_fuzz::seeds::seeds(t.name);
    for (i, seed) in seeds.iter().enumerate() {
        let path = out.join(format!("seed-{i:03}.{}", t.ext));
        if let Err(e) = std::fs::write(&path, seed) {
            eprintln!("eksplain-fuzz: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    println!("{} seeds for {} in {}", seeds.len(), t.name, out.display());
    ExitCode::SUCCESS
}

fn replay(args: &Args) -> ExitCode {
    let Some(t) = args.target else {
        eprintln!("eksplain-fuzz: replay needs --target NAME");
        return ExitCode::from(2);
    };
    let mut failed = false;
    for file in &args.files {
        let Ok(data) = std::fs::read(file) else {
            eprintln!("{}: cannot read", file.display());
            failed = true;
            continue;
        };
        let started = std::time::Instant::now();
        let result = run_one(t, &data);
        let took = started.elapsed();
        match result {
            Ok(o) => println!(
                "{}: ok in {took:.2?} ({})",
                file.display(),
                if o.accepted {
                    "read as a scenario"
                } else {
                    "refused"
                }
            ),
            Err(message) => {
                failed = true;
                println!("{}: PANIC in {took:.2?}: {message}", file.display());
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn run(args: &Args) -> ExitCode {
    let targets: Vec<&'static Target> = match args.target {
        Some(t) => vec![t],
        None => TARGETS.iter().collect(),
    };
    let budget = match args.execs {
        Some(n) => Budget::Execs(n),
        None => Budget::Time(args.time),
    };
    println!(
        "{:<6} {:>10} {:>10} {:>9} {:>7} {:>7} {:>9} {:>8}",
        "target", "execs", "execs/s", "accepted", "built", "corpus", "slowest", "findings"
    );
    let mut findings = Vec::new();
    for t in targets {
        let dir = match &args.findings {
            Some(d) => d.join(t.name),
            None => regressions_dir(t.name),
        };
        let mut config = Config::new(t, budget, dir);
        config.seed = args.seed;
        let report = fuzz(&config);
        println!(
            "{:<6} {:>10} {:>10.0} {:>8.1}% {:>6.1}% {:>7} {:>9.2?} {:>8}",
            report.target,
            report.execs,
            report.execs_per_second(),
            100.0 * report.accepted as f64 / report.execs.max(1) as f64,
            100.0 * report.built as f64 / report.execs.max(1) as f64,
            report.corpus,
            report.slowest,
            report.findings.len()
        );
        findings.extend(report.findings.into_iter().map(|f| (t.name, f)));
    }
    if findings.is_empty() {
        println!("no crash, no input slower than 1 s");
        return ExitCode::SUCCESS;
    }
    println!();
    for (name, f) in &findings {
        let kind = if f.kind == Kind::Crash {
            "crash"
        } else {
            "slow"
        };
        println!(
            "{name}: {kind}: {}\n    saved to {}",
            f.message,
            f.path.display()
        );
    }
    println!(
        "\n{} finding(s). Each saved file is now a regression test (`cargo test -p eksplain-fuzz \
         --test regressions`): fix the bug, keep the file, commit both.",
        findings.len()
    );
    ExitCode::FAILURE
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_units() {
        assert_eq!(duration("60s"), Some(Duration::from_secs(60)));
        assert_eq!(duration("5m"), Some(Duration::from_secs(300)));
        assert_eq!(duration("90"), Some(Duration::from_secs(90)));
        assert_eq!(duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(duration("soon"), None);
    }

    #[test]
    fn arguments_parse() {
        let a = parse(
            ["--time", "2m", "--target", "link"]
                .map(String::from)
                .into_iter(),
        )
        .unwrap();
        assert_eq!(a.time, Duration::from_secs(120));
        assert_eq!(a.target.map(|t| t.name), Some("link"));
        assert!(parse(["--target", "nope"].map(String::from).into_iter()).is_err());
    }
}
