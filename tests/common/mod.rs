//! What the CLI integration tests share: running the `eksplain` binary.

use std::process::{Command, Output};

/// Runs `eksplain` with `args` from the repository root and collects its output.
pub fn eksplain(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eksplain"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run eksplain")
}
