//! The seeded mutation engine: runs a target on its seeds, then on mutations of its corpus
//! until a time or execution budget is spent. Std only, deterministic for a given seed and
//! execution count (so the short pass in `cargo test` is repeatable).
//!
//! Feedback without instrumentation: an input whose [`Outcome::signature`] (which error at
//! which field, how far a valid scenario got) is new joins the corpus, so the corpus keeps
//! one example of every behaviour seen.
//!
//! Findings are written to `findings_dir/<kind>-<hash>.<ext>`: `crash` (the target
//! panicked: a bug in eksplain or a broken invariant), `slow` (one input took longer than
//! `slow`), `hang` (one input ran past `hang`: a watchdog thread saves it and ends the
//! process, since a running thread cannot be stopped).

use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::{Duration, Instant};

use crate::mutate::mutate;
use crate::rng::Rng;
use crate::seeds::seeds;
use crate::targets::{Outcome, Target};

/// When a run stops.
#[derive(Debug, Clone, Copy)]
pub enum Budget {
    Time(Duration),
    Execs(u64),
}

/// How to fuzz one target.
#[derive(Clone)]
pub struct Config {
    pub target: &'static Target,
    pub seed: u64,
    pub budget: Budget,
    /// An input taking longer than this is a `slow` finding.
    pub slow: Duration,
    /// An input taking longer than this ends the process as a `hang` finding.
    pub hang: Duration,
    pub findings_dir: PathBuf,
    /// Mutations are cut to this many bytes.
    pub max_len: usize,
    /// The most inputs the corpus keeps.
    pub max_corpus: usize,
}

impl Config {
    pub fn new(target: &'static Target, budget: Budget, findings_dir: PathBuf) -> Config {
        Config {
            target,
            seed: 1,
            budget,
            slow: Duration::from_secs(1),
            hang: Duration::from_secs(60),
            findings_dir,
            max_len: 1 << 20,
            max_corpus: 2048,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Crash,
    Slow,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: Kind,
    pub path: PathBuf,
    /// The panic message and where it was raised, or how long the input took.
    pub message: String,
}

/// What a run did.
#[derive(Debug, Clone)]
pub struct Report {
    pub target: &'static str,
    pub execs: u64,
    /// Inputs that read as a scenario.
    pub accepted: u64,
    /// Inputs whose scenario also built.
    pub built: u64,
    pub corpus: usize,
    pub elapsed: Duration,
    pub slowest: Duration,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn execs_per_second(&self) -> f64 {
        self.execs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

thread_local! {
    /// Set while a target runs on this thread: the hook records the panic instead of
    /// printing it.
    static CAPTURE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Installs (once) a panic hook that records panics raised inside [`run_one`] and leaves
/// every other panic to the previous hook.
fn install_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let captured = CAPTURE.with(|c| {
                let mut c = c.borrow_mut();
                if c.is_some() {
                    let at = info
                        .location()
                        .map(|l| format!("{}:{}", l.file(), l.line()))
                        .unwrap_or_default();
                    let message = info
                        .payload()
                        .downcast_ref::<&str>()
                        .map(|s| s.to_string())
                        .or_else(|| info.payload().downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "a panic".into());
                    *c = Some(format!("{message} (at {at})"));
                    true
                } else {
                    false
                }
            });
            if !captured {
                previous(info);
            }
        }));
    });
}

/// Runs `target` on `data`: its outcome, or the panic's message.
pub fn run_one(target: &Target, data: &[u8]) -> Result<Outcome, String> {
    install_hook();
    CAPTURE.with(|c| *c.borrow_mut() = Some(String::new()));
    let result = panic::catch_unwind(AssertUnwindSafe(|| (target.run)(data)));
    let message = CAPTURE.with(|c| c.borrow_mut().take()).unwrap_or_default();
    result.map_err(|_| message)
}

fn hash_of(data: &[u8]) -> u64 {
    let mut h = DefaultHasher::new();
    data.hash(&mut h);
    h.finish()
}

/// Writes `data` as a finding of `kind` for `target`; its path.
pub fn save(dir: &Path, kind: &str, target: &Target, data: &[u8]) -> PathBuf {
    let _ = std::fs::create_dir_all(dir);
    let path = dir.join(format!("{kind}-{:016x}.{}", hash_of(data), target.ext));
    if let Err(e) = std::fs::write(&path, data) {
        eprintln!("eksplain-fuzz: cannot write {}: {e}", path.display());
    }
    path
}

/// The input being run and since when, for the watchdog.
struct Current {
    data: Vec<u8>,
    since: Instant,
}

/// Starts the watchdog for a run: it saves the input that runs past `config.hang` and ends
/// the process. Dropping the returned flag's last owner stops it at its next tick.
fn watchdog(config: &Config, current: Arc<Mutex<Current>>) -> Arc<AtomicBool> {
    let done = Arc::new(AtomicBool::new(false));
    let stop = Arc::clone(&done);
    let hang = config.hang;
    let dir = config.findings_dir.clone();
    let target = config.target;
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
            let Ok(c) = current.lock() else { return };
            if c.since.elapsed() > hang {
                let path = save(&dir, "hang", target, &c.data);
                eprintln!(
                    "eksplain-fuzz: {}: an input ran for more than {:?}; saved it to {} and stopped",
                    target.name,
                    hang,
                    path.display()
                );
                std::process::exit(3);
            }
        }
    });
    done
}

/// Fuzzes one target as `config` says.
pub fn fuzz(config: &Config) -> Report {
    let target = config.target;
    let mut rng = Rng::new(config.seed ^ hash_of(target.name.as_bytes()));
    let mut corpus = seeds(target.name);
    // The seeds stay in the corpus and are mutated a third of the time: the corpus fills up
    // with refused inputs, and the seeds are what reaches the model.
    let n_seeds = corpus.len();
    let mut queue: Vec<Vec<u8>> = corpus.clone();
    let mut signatures = HashSet::new();
    let mut crashes = HashSet::new();
    let mut report = Report {
        target: target.name,
        execs: 0,
        accepted: 0,
        built: 0,
        corpus: 0,
        elapsed: Duration::ZERO,
        slowest: Duration::ZERO,
        findings: Vec::new(),
    };
    let current = Arc::new(Mutex::new(Current {
        data: Vec::new(),
        since: Instant::now(),
    }));
    let done = watchdog(config, Arc::clone(&current));
    let started = Instant::now();
    loop {
        let out_of_budget = match config.budget {
            Budget::Time(t) => started.elapsed() >= t,
            Budget::Execs(n) => report.execs >= n,
        };
        if out_of_budget {
            break;
        }
        // Seeds first, then mutations of the corpus.
        let input = queue.pop().unwrap_or_else(|| {
            let base = if rng.one_in(3) && n_seeds > 0 {
                &corpus[rng.below(n_seeds)]
            } else {
                &corpus[rng.below(corpus.len())]
            };
            mutate(&mut rng, target.shape, base, &corpus, config.max_len)
        });
        if let Ok(mut c) = current.lock() {
            c.data.clone_from(&input);
            c.since = Instant::now();
        }
        let t = Instant::now();
        let result = run_one(target, &input);
        let took = t.elapsed();
        report.execs += 1;
        report.slowest = report.slowest.max(took);
        match result {
            Ok(outcome) => {
                report.accepted += u64::from(outcome.accepted);
                report.built += u64::from(outcome.built);
                if signatures.insert(outcome.signature) {
                    if corpus.len() < config.max_corpus {
                        corpus.push(input.clone());
                    } else if corpus.len() > n_seeds {
                        let i = n_seeds + rng.below(corpus.len() - n_seeds);
                        corpus[i] = input.clone();
                    }
                }
            }
            Err(message) => {
                // One file per distinct panic (its message with the numbers left out).
                let key: String = message.chars().filter(|c| !c.is_ascii_digit()).collect();
                if crashes.insert(key) {
                    let path = save(&config.findings_dir, "crash", target, &input);
                    report.findings.push(Finding {
                        kind: Kind::Crash,
                        path,
                        message,
                    });
                }
            }
        }
        if took > config.slow {
            let path = save(&config.findings_dir, "slow", target, &input);
            report.findings.push(Finding {
                kind: Kind::Slow,
                path,
                message: format!("took {took:.2?}"),
            });
        }
    }
    done.store(true, Ordering::Relaxed);
    report.elapsed = started.elapsed();
    report.corpus = corpus.len();
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::targets::target;

    #[test]
    fn a_panic_is_caught_with_its_location() {
        let boom = Target {
            name: "boom",
            about: "",
            ext: "bin",
            shape: crate::mutate::Shape::Bytes,
            run: |_| panic!("kaboom"),
        };
        let message = run_one(&boom, b"").unwrap_err();
        assert!(
            message.contains("kaboom") && message.contains("engine.rs"),
            "{message}"
        );
        assert!(run_one(target("json").unwrap(), b"{}").is_ok());
    }
}
