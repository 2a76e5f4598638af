//! What the CLI integration tests share: running the package's binaries.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `eksplain` with `args` from the repository root and collects its output.
#[allow(dead_code)] // not every test file that shares this module runs the CLI
pub fn eksplain(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_eksplain"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run eksplain")
}

/// Runs `bin` with `args`, writes `input` to its standard input, and collects its output.
#[allow(dead_code)] // not every test file that shares this module pipes standard input
pub fn run_with_stdin(bin: &str, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(bin)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input)
        .expect("the binary reads its input");
    child.wait_with_output().expect("the binary ends")
}
