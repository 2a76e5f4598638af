//! Fuzzing eksplain's untrusted inputs: share links, scenario files (JSON and YAML), exported
//! SVGs, and valid-but-large generated scenarios through the model, layout and trace.
//!
//! Code map: [`targets`] (one `fn(&[u8]) -> Outcome` per input, and the checks run on every
//! scenario that reads), [`generate`] (bytes → a big scenario built to validate, with
//! [`source`] reading the bytes as choices), [`seeds`] (the starting corpus), [`mutate`]
//! (byte-level and JSON-aware mutations), [`engine`] (the seeded, deterministic loop that
//! finds crashes and slow inputs), [`rng`]. The binary `eksplain-fuzz` runs the engine
//! (`cargo xtask fuzz`); `tests/` replays every saved finding under
//! `tests/fuzz/regressions/<target>/` and runs a short fixed-seed pass of every target.
//! `fuzz/afl/` (outside the workspace) drives the same targets with AFL++ when cargo-afl is
//! installed. See `docs/fuzzing.md`.

pub mod engine;
pub mod generate;
pub mod mutate;
pub mod rng;
pub mod seeds;
pub mod source;
pub mod targets;

pub use targets::{target, Outcome, Target, TARGETS};

/// Where the saved findings of `target` live: `tests/fuzz/regressions/<target>/`.
pub fn regressions_dir(target: &str) -> std::path::PathBuf {
    seeds::repo_root()
        .join("tests/fuzz/regressions")
        .join(target)
}
