//! `cargo xtask book`: builds the sample book docs/book/ into target/book/ with the real
//! `mdbook` and the `mdbook-eksplain` preprocessor of this package (docs/mdbook.md).
//!
//! mdbook is installed from crates.io at exactly [`MDBOOK_VERSION`], without its default
//! features (the `serve`/`watch` web server and the search index: `build` writes the same
//! HTML without them, and the install compiles in a fraction of the time), into
//! target/tools/ so it never shadows another mdbook on the user's PATH.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::{cargo, fail, minutes, output, run, step, Result};

/// The mdbook release the book is built with (rust-version 1.88).
pub const MDBOOK_VERSION: &str = "0.5.4";

/// Where `cargo install --root` puts mdbook: `<root>/bin/mdbook`.
const TOOLS_ROOT: &str = "target/tools";

/// The sample book's directory, and where its HTML goes.
const BOOK_DIR: &str = "docs/book";
pub const BOOK_OUT: &str = "target/book";

/// Installs mdbook if needed, builds `mdbook-eksplain` (the path docs/book/book.toml's
/// `command` names), builds the book into target/book/ and returns that directory.
pub fn book(root: &Path) -> Result<PathBuf> {
    let mdbook = ensure_mdbook(root)?;
    step("cargo build --bin mdbook-eksplain (the book's preprocessor)");
    run(
        "cargo build --bin mdbook-eksplain",
        cargo(root)
            .args([
                "build",
                "--bin",
                "mdbook-eksplain",
                // book.toml names target/debug/mdbook-eksplain, whatever CARGO_TARGET_DIR says.
                "--target-dir",
            ])
            .arg(root.join("target")),
    )?;
    let out = root.join(BOOK_OUT);
    step(&format!("mdbook build {BOOK_DIR} into {BOOK_OUT}/"));
    let started = Instant::now();
    run(
        "mdbook build",
        Command::new(&mdbook)
            .current_dir(root)
            .arg("build")
            .arg(root.join(BOOK_DIR))
            // Relative to the book's root otherwise.
            .arg("--dest-dir")
            .arg(&out),
    )?;
    let index = out.join("index.html");
    if !index.is_file() {
        return fail!("mdbook build succeeded but wrote no {}", index.display());
    }
    println!("    built in {:.1}s", started.elapsed().as_secs_f64());
    println!("    the book: {}", index.display());
    Ok(out)
}

/// `target/tools/bin/mdbook` at [`MDBOOK_VERSION`], installed when missing or another version.
fn ensure_mdbook(root: &Path) -> Result<PathBuf> {
    let tools = root.join(TOOLS_ROOT);
    let mdbook = tools.join("bin").join("mdbook");
    // `mdbook --version` prints "mdbook v0.5.4".
    let ok = || {
        output(Command::new(&mdbook).arg("--version")).is_some_and(|v| {
            v.split_whitespace()
                .nth(1)
                .is_some_and(|v| v.trim_start_matches('v') == MDBOOK_VERSION)
        })
    };
    if ok() {
        return Ok(mdbook);
    }
    step(&format!(
        "building mdbook {MDBOOK_VERSION} from crates.io into {TOOLS_ROOT}/ — 2 to 3 minutes on 2 cores"
    ));
    let started = Instant::now();
    run(
        "cargo install mdbook",
        Command::new("cargo")
            .args([
                "install",
                "--locked",
                "mdbook",
                "--version",
                &format!("={MDBOOK_VERSION}"),
                "--no-default-features",
                "--root",
            ])
            .arg(&tools),
    )?;
    println!("    installed in {}", minutes(started.elapsed()));
    if ok() {
        Ok(mdbook)
    } else {
        fail!(
            "installed mdbook {MDBOOK_VERSION}, but `{} --version` does not say so",
            mdbook.display()
        )
    }
}
