//! `cargo xtask` — the project's build tool: installs what is missing, then does the job.
//!
//! ```text
//! cargo xtask serve   # dev server with live reload on http://127.0.0.1:8080/ (or the next free port)
//! cargo xtask dist    # optimised static site in dist/ (relative URLs: any server, any sub-path)
//! cargo xtask book    # the sample book docs/book/ with mdbook and mdbook-eksplain into target/book/
//! cargo xtask test    # fmt, clippy (native + wasm32), native tests, wasm tests, dist, book, e2e tests
//! cargo xtask bench   # criterion benchmarks in release, then target/bench/report.md
//! cargo xtask fuzz    # fuzz links, scenario files, SVGs and the model (docs/fuzzing.md)
//! ```
//!
//! Tools are installed only when missing or at the wrong version: the wasm32 target (rustup),
//! trunk 0.21.14 and wasm-bindgen-cli (cargo install, from crates.io), wasm-opt (npm
//! `binaryen`, pinned in `xtask/package.json`), Chromium + ChromeDriver (apt, for `test`), mdbook
//! (cargo install into target/tools/, for `book` and `test`: src/book.rs).
//! trunk runs offline (Trunk.toml) and finds every tool on PATH by its `--version`; nothing
//! is ever downloaded from GitHub. Standard library only, so it builds in seconds.

mod bench;
mod book;
mod fuzz;
mod tools;
mod wasm_size;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use tools::{Tools, CHROME_ARGS};

/// A failure with a message for the user; printed by `main`, exit status 1.
#[derive(Debug)]
pub struct Failure(pub String);

pub type Result<T = ()> = std::result::Result<T, Failure>;

/// A [`Failure`] from a format string.
#[macro_export]
macro_rules! failure {
    ($($arg:tt)*) => { $crate::Failure(format!($($arg)*)) };
}

/// `Err(failure!(...))`.
#[macro_export]
macro_rules! fail {
    ($($arg:tt)*) => { Err($crate::failure!($($arg)*)) };
}

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve   install missing tools, then run `trunk serve` on http://127.0.0.1:8080/
          (or the next free port) with live reload
  dist    release build with wasm-opt into dist/ (relative asset URLs: works from any
          static server, under any sub-path); prints gzip sizes
  book    install mdbook (pinned, into target/tools/) when missing, build the mdbook-eksplain
          preprocessor, then build the sample book docs/book/ into target/book/
  test    fmt, clippy (native and wasm32), native tests, wasm tests in headless Chromium,
          dist (and the same site with test hooks in target/hooked-dist/), the book, then
          the browser end-to-end tests in tests/e2e/
  bench   criterion benchmarks of the model, layout and links at 3 to 5,000 nodes (release,
          a few minutes), then a report with budgets in target/bench/report.md
          (`bench --report-only` rewrites it; `bench -- <args>` passes arguments to criterion);
          the in-browser part runs on its own build with the `test-hooks` feature, in
          target/hooked-dist/, so dist/ stays without test hooks
  fuzz    fuzz share links, JSON/YAML scenarios, exported SVGs and generated scenarios through
          the model: `fuzz [--time 60s] [--target NAME] [--seed N] [--engine seeded|afl]`
          (time per target; AFL++ when cargo-afl is installed); findings are saved under
          tests/fuzz/regressions/ (docs/fuzzing.md)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = repo_root();
    let outcome = match args.first().map(String::as_str) {
        Some("serve") if args.len() == 1 => serve(&root),
        Some("dist") if args.len() == 1 => dist(&root).map(|_| ()),
        Some("book") if args.len() == 1 => book::book(&root).map(|_| ()),
        Some("test") if args.len() == 1 => test(&root),
        Some("bench") => bench::bench(&root, &args[1..]),
        Some("fuzz") => fuzz::fuzz(&root, &args[1..]),
        Some("help" | "-h" | "--help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("\nxtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: the parent of this crate's directory.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in a sub-directory of the repository")
        .to_path_buf()
}

/// Prints a progress line for a step.
pub fn step(title: &str) {
    println!("==> {title}");
}

/// Runs `cmd`, inheriting stdio; fails with `what` in the message when it exits non-zero.
pub fn run(what: &str, cmd: &mut Command) -> Result {
    let status = cmd
        .status()
        .map_err(|e| failure!("{what}: could not start {:?}: {e}", cmd.get_program()))?;
    if status.success() {
        Ok(())
    } else {
        fail!("{what} failed ({status}): {}", describe(cmd))
    }
}

/// Runs `cmd` and returns its stdout when it starts and exits successfully.
pub fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The command line of `cmd`, for messages.
fn describe(cmd: &Command) -> String {
    std::iter::once(cmd.get_program())
        .chain(cmd.get_args())
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

fn cargo(root: &Path) -> Command {
    let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    cmd.current_dir(root);
    cmd
}

fn minutes(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}m{:02}s", s / 60, s % 60)
}

// ---------------------------------------------------------------------------------------------
// serve

fn serve(root: &Path) -> Result {
    let tools = Tools::ensure_build(root)?;
    fetch(root)?;
    let port = tools::free_port(8080)
        .ok_or_else(|| Failure("no free TCP port on 127.0.0.1 between 8080 and 8179".into()))?;
    let url = format!("http://127.0.0.1:{port}/");
    step(&format!(
        "trunk serve — the first build takes a while; then open {url}"
    ));
    println!();
    println!("    eksplain dev server: {url}");
    println!(
        "    (rebuilds and reloads on changes under src/, www/, static/, data/; Ctrl-C to stop)"
    );
    println!();
    run(
        "trunk serve",
        tools.trunk().args([
            "serve",
            "--address",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            // Keep dist/ for the release site; the dev build goes under target/.
            "--dist",
            "target/trunk-serve",
        ]),
    )
}

fn fetch(root: &Path) -> Result {
    step("cargo fetch (trunk builds offline)");
    run("cargo fetch", cargo(root).arg("fetch"))
}

// ---------------------------------------------------------------------------------------------
// dist

/// Builds the release site into `dist/` and prints its gzip sizes.
fn dist(root: &Path) -> Result<Duration> {
    let tools = Tools::ensure_build(root)?;
    fetch(root)?;
    build_dist(root, &tools)
}

fn build_dist(root: &Path, tools: &Tools) -> Result<Duration> {
    step("trunk build --release (wasm-opt -Oz) into dist/");
    let started = Instant::now();
    run(
        "trunk build --release",
        tools
            .trunk()
            .args(["build", "--release", "--public-url", "./"]),
    )?;
    let took = started.elapsed();
    println!("    built in {}", minutes(took));
    print_sizes(&root.join("dist"))?;
    Ok(took)
}

/// Where [`build_hooked_dist`] puts the site with the test hooks.
pub const HOOKED_DIST: &str = "target/hooked-dist";

/// The release site with the `test-hooks` feature (the benchmark's bindings, src/ui/bench_hook.rs;
/// the e2e tests' panic trigger, src/ui/test_hook.rs) into target/hooked-dist/, so dist/ stays
/// the site users get, without hooks.
fn build_hooked_dist(root: &Path) -> Result {
    let tools = Tools::ensure_build(root)?;
    fetch(root)?;
    step(&format!(
        "trunk build --release --features test-hooks into {HOOKED_DIST}/"
    ));
    let started = Instant::now();
    run(
        "trunk build --release --features test-hooks",
        tools.trunk().args([
            "build",
            "--release",
            "--public-url",
            "./",
            "--features",
            "test-hooks",
            "--dist",
            HOOKED_DIST,
        ]),
    )?;
    println!("    built in {}", minutes(started.elapsed()));
    Ok(())
}

/// Prints the gzip -9 size of every kind of file in `dist`, and the total.
fn print_sizes(dist: &Path) -> Result {
    let mut files = Vec::new();
    list_files(dist, &mut files)?;
    let kinds = ["html", "js", "wasm", "css"];
    let mut raw = [0u64; 5];
    let mut gz = [0u64; 5];
    for file in &files {
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
        let i = kinds.iter().position(|k| *k == ext).unwrap_or(kinds.len());
        raw[i] += std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
        gz[i] += gzip_size(file)?;
    }
    println!("    dist/ sizes (gzip -9):");
    for (i, kind) in kinds.iter().chain(["other"].iter()).enumerate() {
        println!("      {kind:<6} {:>9}   ({} raw)", kib(gz[i]), kib(raw[i]));
    }
    println!(
        "      {:<6} {:>9}   ({} raw, {} files)",
        "total",
        kib(gz.iter().sum()),
        kib(raw.iter().sum()),
        files.len()
    );
    let mut first = 0;
    for file in first_load(dist)? {
        first += gzip_size(&file)?;
    }
    println!("    first load (index.html and what it names): {first} bytes gzip -9");
    let mut embed = 0;
    for file in embed_load(dist)? {
        embed += gzip_size(&file)?;
    }
    println!("    embed.html and what it names (its own wasm): {embed} bytes gzip -9");
    let mut module = 0;
    for file in files.iter().filter(|f| is_import_module(f)) {
        module += gzip_size(file)?;
    }
    println!("    import module (fetched when Import… opens): {module} bytes gzip -9");
    Ok(())
}

/// The files of the import module (src/bin/eksplain_import.rs; named by www/post_build.mjs).
fn is_import_module(file: &Path) -> bool {
    file.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("eksplain-import-"))
}

/// What a first visit loads: `index.html` and every file of `dist` it names in a `src` or
/// `href` (its loader script, the page's script and wasm it preloads, both stylesheets —
/// the diagram's and the editor's —, the icon). The import module is not among them: the
/// page names only its loader, in a meta tag.
pub fn first_load(dist: &Path) -> Result<Vec<PathBuf>> {
    page_load(dist, "index.html")
}

/// What `embed.html` loads: the page and every file it names (the embed module's glue and
/// the wasm it preloads, the fallback script, the diagram's stylesheet, the icon), none of the
/// editor's (not its stylesheet either).
pub fn embed_load(dist: &Path) -> Result<Vec<PathBuf>> {
    page_load(dist, "embed.html")
}

/// `page` of `dist` and every file of `dist` it names in a `src` or `href`.
fn page_load(dist: &Path, page: &str) -> Result<Vec<PathBuf>> {
    let index = dist.join(page);
    let html = std::fs::read_to_string(&index)
        .map_err(|e| failure!("reading {}: {e}", index.display()))?;
    let mut files = vec![index];
    for attr in [" src=\"", " href=\""] {
        for part in html.split(attr).skip(1) {
            let name = part.split('"').next().unwrap_or_default();
            let file = dist.join(name.trim_start_matches("./"));
            if !name.contains(':') && file.is_file() && !files.contains(&file) {
                files.push(file);
            }
        }
    }
    Ok(files)
}

fn list_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result {
    let entries = std::fs::read_dir(dir).map_err(|e| failure!("reading {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry
            .map_err(|e| failure!("reading {}: {e}", dir.display()))?
            .path();
        if path.is_dir() {
            list_files(&path, out)?;
        } else {
            out.push(path);
        }
    }
    out.sort();
    Ok(())
}

/// Size of `file` after `gzip -9` (the gzip program is part of every Debian install).
fn gzip_size(file: &Path) -> Result<u64> {
    let out = Command::new("gzip")
        .args(["-9", "-c", "-n"])
        .arg(file)
        .output()
        .map_err(|e| failure!("running gzip: {e}"))?;
    if !out.status.success() {
        return fail!("gzip -9 {} failed", file.display());
    }
    Ok(out.stdout.len() as u64)
}

fn kib(bytes: u64) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

// ---------------------------------------------------------------------------------------------
// test

/// Runs every check in order, stopping at the first failure. The end-to-end tests run last,
/// so the output ends with node's test summary.
fn test(root: &Path) -> Result {
    let started = Instant::now();
    let tools = Tools::ensure_test(root)?;
    fetch(root)?;
    let timed = |name: &str, f: &mut dyn FnMut() -> Result| -> Result {
        step(name);
        let t = Instant::now();
        f().map_err(|Failure(m)| failure!("step \"{name}\" failed.\n{m}"))?;
        println!("    {name}: ok in {}", minutes(t.elapsed()));
        Ok(())
    };

    timed("cargo fmt --all --check", &mut || {
        run(
            "cargo fmt --check (run `cargo fmt --all` to fix)",
            cargo(root).args(["fmt", "--all", "--check"]),
        )
    })?;
    timed("clippy (native)", &mut || {
        run(
            "clippy (native)",
            cargo(root).args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ]),
        )
    })?;
    timed("clippy (wasm32)", &mut || {
        run(
            "clippy (wasm32)",
            cargo(root).args([
                "clippy",
                "-p",
                "eksplain",
                "--target",
                "wasm32-unknown-unknown",
                "--lib",
                "--bins",
                "--tests",
                // The test hooks too (native clippy checks the build without them).
                "--features",
                "test-hooks",
                "--",
                "-D",
                "warnings",
            ]),
        )
    })?;
    timed("native tests", &mut || {
        run("native tests", cargo(root).args(["test", "--workspace"]))
    })?;
    timed("wasm tests (headless Chromium)", &mut || {
        run(
            "wasm tests",
            tools.wasm_test_env(cargo(root).args([
                "test",
                "-p",
                "eksplain",
                "--target",
                "wasm32-unknown-unknown",
                "--test",
                "wasm",
            ])),
        )
    })?;
    timed("dist", &mut || build_dist(root, &tools).map(|_| ()))?;
    timed("dist with test hooks", &mut || build_hooked_dist(root))?;
    timed("book (mdbook + mdbook-eksplain)", &mut || {
        book::book(root).map(|_| ())
    })?;
    step(&format!(
        "end-to-end tests (tests/e2e, Chromium via playwright-core) — all other checks passed in {}",
        minutes(started.elapsed())
    ));
    e2e(root, &tools).map_err(|Failure(m)| failure!("step \"end-to-end tests\" failed.\n{m}"))
}

/// The in-browser benchmarks against their own build (target/hooked-dist/, with the
/// `test-hooks` feature): writes target/bench/browser.json, and limits.json and limits.md
/// (opening a link at each documented limit, tests/e2e/limits.bench.mjs).
fn browser_bench(root: &Path) -> Result {
    build_hooked_dist(root)?;
    let tools = Tools::ensure_test(root)?;
    npm_ci_e2e(root)?;
    // Mermaid's bundle, the yardstick for the time to a first diagram: bench only, in its own
    // folder, so the tests never install it.
    run(
        "npm ci (tests/e2e/mermaid, the benchmark's Mermaid)",
        Command::new("npm")
            .current_dir(root.join("tests/e2e/mermaid"))
            .args([
                "ci",
                "--no-audit",
                "--no-fund",
                "--loglevel=error",
                "--ignore-scripts",
            ]),
    )?;
    run(
        "cargo build --release --bin eksplain",
        cargo(root).args(["build", "--release", "--bin", "eksplain"]),
    )?;
    let mut node = Command::new("node");
    node.current_dir(root)
        .args([
            "--test",
            "--test-reporter=spec",
            "tests/e2e/browser.bench.mjs",
            "tests/e2e/limits.bench.mjs",
        ])
        .env("EKSPLAIN_DIST", root.join(HOOKED_DIST))
        .env("CHROMIUM", &tools.chromium)
        .env("CHROMIUM_ARGS", CHROME_ARGS.join(" "))
        .env("E2E_TIMEOUT_MS", "120000");
    run("in-browser benchmark", &mut node)
}

fn npm_ci_e2e(root: &Path) -> Result {
    run(
        "npm ci (tests/e2e)",
        Command::new("npm")
            .current_dir(root.join("tests/e2e"))
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"]),
    )
}

fn e2e(root: &Path, tools: &Tools) -> Result {
    let dir = root.join("tests/e2e");
    npm_ci_e2e(root)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| failure!("reading {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".test.mjs"))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return fail!("no *.test.mjs files in {}", dir.display());
    }
    let mut node = Command::new("node");
    node.current_dir(root)
        .args(["--test", "--test-reporter=spec"])
        .args(files.iter().map(|f| f.strip_prefix(root).unwrap_or(f)))
        .env("EKSPLAIN_DIST", root.join("dist"))
        .env("EKSPLAIN_HOOKED_DIST", root.join(HOOKED_DIST))
        .env("EKSPLAIN_BOOK", root.join(book::BOOK_OUT))
        .env("CHROMIUM", &tools.chromium)
        .env("CHROMIUM_ARGS", CHROME_ARGS.join(" "));
    run("end-to-end tests", &mut node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_loads_what_it_names() {
        let dist = std::env::temp_dir().join(format!("eksplain-dist-{}", std::process::id()));
        std::fs::create_dir_all(&dist).unwrap();
        let files = [
            "web.js",
            "web_bg.wasm",
            "embed.js",
            "embed_bg.wasm",
            "diagram.css",
            "style.css",
        ];
        for name in files {
            std::fs::write(dist.join(name), name).unwrap();
        }
        std::fs::write(
            dist.join("index.html"),
            r#"<link rel="stylesheet" href="./diagram.css"><link rel="stylesheet" href="./style.css"><link rel="preload" href="./web_bg.wasm"><script src="./web.js"></script><a href="https://example.org/">x</a>"#,
        )
        .unwrap();
        std::fs::write(
            dist.join("embed.html"),
            r#"<link rel="stylesheet" crossorigin="anonymous" href="./diagram.css"><link rel="preload" href="./embed_bg.wasm"><script defer src="./embed.js"></script>"#,
        )
        .unwrap();
        let names = |files: Vec<PathBuf>| -> Vec<String> {
            files
                .iter()
                .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(
            names(first_load(&dist).unwrap()),
            [
                "index.html",
                "web.js",
                "diagram.css",
                "style.css",
                "web_bg.wasm"
            ]
        );
        assert_eq!(
            names(embed_load(&dist).unwrap()),
            ["embed.html", "embed.js", "diagram.css", "embed_bg.wasm"]
        );
        std::fs::remove_dir_all(&dist).unwrap();
    }
}
