//! `cargo xtask bench`: runs the criterion benchmarks (`tests/benches/model.rs`) in release,
//! then writes `target/bench/report.md`: the machine, the generated clusters' shapes, the
//! median time of every stage at every size, how each stage scales, and the budgets.
//!
//! ```text
//! cargo xtask bench                     # measure (a few minutes on two cores), then report
//! cargo xtask bench -- build            # pass arguments to criterion (here: a filter)
//! cargo xtask bench --report-only       # rewrite the report from the last measurements
//! ```
//!
//! Inputs of the report, all optional except the shapes: `target/bench/shapes.tsv` (written
//! by the bench before it measures), `target/criterion/<stage>/<nodes>/new/estimates.json`
//! (criterion's estimates; written without the `html_reports` feature too),
//! `target/bench/browser.json` (the browser benchmark's medians, when it has run), `dist/`
//! (the last `cargo xtask dist`), and the default scenario's link (`eksplain link`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::{cargo, fail, failure, gzip_size, list_files, minutes, output, run, step, Result};

/// The stages the bench measures, as criterion names them, with their titles.
const STAGES: [(&str, &str); 7] = [
    ("build", "build (scenario → cluster)"),
    ("layout_cells", "layout, cells"),
    ("layout_bars", "layout, bars"),
    ("layout_summary", "summaries (zoomed out)"),
    ("link_encode", "link encode"),
    ("link_decode", "link decode"),
    ("trace", "trace (3 flows)"),
];

/// Cluster build at 5,000 nodes / 150,000 pods: natively (issue 17: 60 ms) and in Chromium's
/// wasm (100 ms).
const NATIVE_BUILD_BUDGET_MS: f64 = 60.0;
const BUILD_BUDGET_MS: f64 = 100.0;
/// The size the build budget is about.
const BUDGET_NODES: u64 = 5_000;
/// dist/ after gzip -9, every file.
const DIST_BUDGET_BYTES: u64 = 250_000;
/// Issue 17: what the editor's first visit loads (index.html and the files it names), gzip -9.
const FIRST_LOAD_BUDGET_BYTES: u64 = 400_000;
/// Everything embed.html loads, after gzip -9 (issue 17): its own wasm, the viewer alone.
const EMBED_BUDGET_BYTES: u64 = 200_000;
/// The default scenario's link (the fragment `#s=1.…`).
const LINK_BUDGET_CHARS: usize = 400;
/// The work of a repaint after a toggle at 100 nodes / 3,000 pods (click → Yew rendered →
/// style and layout), in the browser.
const REPAINT_BUDGET_MS: f64 = 16.0;
/// Issue 17: decoding a share link never takes more than this much main-thread time, at the
/// largest payload the codec accepts (256 KiB).
const LINK_DECODE_BUDGET_MS: f64 = 50.0;
/// Issue 17: navigation to the first diagram, index.html and embed.html (fresh browser, median),
/// and eksplain's time against a Mermaid flowchart of similar size measured in the same run.
const FIRST_DIAGRAM_BUDGET_MS: f64 = 200.0;
const EMBED_FIRST_DIAGRAM_BUDGET_MS: f64 = 150.0;
const MERMAID_RATIO_BUDGET: f64 = 0.25;
/// The figures each budget row shows as "before": issue 17's own measurements (its table of
/// first-node times, its 154 ms wasm build), this repository's at the start of the issue 17
/// work (commit 2a4daaf: the editor's first load, embed.html loading the editor's files), and
/// the last report of the session before this one (a87d93e), on the same two-core kind of
/// machine.
mod before {
    pub const NATIVE_BUILD: &str = "186.5 ms (a87d93e)";
    pub const WASM_BUILD: &str = "154 ms (issue 17); 165.4 ms (a87d93e)";
    pub const FIRST_LOAD: &str = "719,565 B (2a4daaf); 667,009 B (a87d93e)";
    pub const EMBED_LOAD: &str = "719,565 B (2a4daaf: the editor's files); 439,311 B (a87d93e)";
    pub const INDEX_FIRST_DIAGRAM: &str = "417–613 ms (issue 17); 558.6 ms (a87d93e, read by polling); 526 ms (a87d93e, painted, timed in the page)";
    pub const EMBED_FIRST_DIAGRAM: &str = "335–397 ms (issue 17); 413.4 ms (a87d93e, read by polling); 357 ms (a87d93e, painted, timed in the page)";
    pub const INDEX_MERMAID: &str = "×0.32–0.40 (issue 17); ×0.51 (a87d93e, read by polling)";
    pub const EMBED_MERMAID: &str = "×0.26 (issue 17); ×0.37 (a87d93e, read by polling)";
    pub const LINK_DECODE: &str = "11.2 ms (a87d93e)";
    pub const LINK_DECODE_EXPANDED: &str = "84.4 ms (a87d93e)";
    pub const DIST: &str = "596,253 B (issue 17)";
    pub const LINK: &str = "388 characters (a87d93e)";
    pub const REPAINT: &str = "16.5 ms (a87d93e)";
}
/// The repaint figures before the repaint work (issue 7): the code of commit e627dfc with the
/// bench's signal (04d2deb), measured by `tests/e2e/browser.bench.mjs` on the two-core machine
/// of the first report that has them, in the same session as its figures — (nodes, work,
/// Event Timing's input → next paint), medians in milliseconds. The measure before that
/// (click → two animation frames) gave 65.7 ms at 100 nodes.
const REPAINT_BEFORE: [(u64, f64, f64); 2] = [(100, 66.7, 88.0), (5_000, 1201.1, 904.0)];

pub fn bench(root: &Path, args: &[String]) -> Result {
    let mut report_only = false;
    let mut criterion_args: Vec<&str> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--report-only" => report_only = true,
            "--" => criterion_args.extend(rest.by_ref().map(String::as_str)),
            other => {
                return fail!(
                "cargo xtask bench: unknown argument `{other}` (usage: cargo xtask bench [--report-only] [-- <criterion arguments>])"
            )
            }
        }
    }
    let target = target_dir(root);
    let out = target.join("bench");
    if !report_only {
        step("cargo bench -p eksplain --bench model (release build, then a few minutes of measuring)");
        let started = Instant::now();
        run(
            "cargo bench",
            cargo(root)
                .args(["bench", "-p", "eksplain", "--bench", "model", "--"])
                .args(&criterion_args)
                .env("EKSPLAIN_BENCH_OUT", &out),
        )?;
        println!("    measured in {}", minutes(started.elapsed()));
        step("in-browser benchmark (tests/e2e/browser.bench.mjs in headless Chromium, on a build with the test-hooks feature)");
        crate::browser_bench(root)?;
        // Last, so dist/ and the release wasm the report measures are the site users get.
        crate::dist(root)?;
    }
    step("the default scenario's link (cargo run --release --bin eksplain -- link static/scenarios/default.json)");
    let link = default_link(root);
    let report = Report {
        machine: Machine::read(root),
        shapes: read_shapes(&out.join("shapes.tsv"))?,
        criterion: target.join("criterion"),
        dist: DistSizes::read(&root.join("dist"))?,
        link,
        browser: Browser::read(&out.join("browser.json")),
        limits: std::fs::read_to_string(out.join("limits.md")).ok(),
        wasm: crate::wasm_size::read(
            &target.join("wasm32-unknown-unknown/wasm-release/eksplain-web.wasm"),
        ),
        embed_wasm: crate::wasm_size::read(
            &target.join("wasm32-unknown-unknown/wasm-release/eksplain-embed.wasm"),
        ),
    };
    let text = report.render();
    std::fs::create_dir_all(&out).map_err(|e| failure!("creating {}: {e}", out.display()))?;
    let path = out.join("report.md");
    std::fs::write(&path, &text).map_err(|e| failure!("writing {}: {e}", path.display()))?;
    step(&format!("report written to {}", path.display()));
    if let Some(budgets) = text.find("## Budgets") {
        let end = text[budgets..]
            .find("\n## Browser")
            .map_or(text.len(), |i| budgets + i);
        println!("\n{}", text[budgets..end].trim_end());
    }
    Ok(())
}

/// `$CARGO_TARGET_DIR` (relative to the repository root) or `target/`.
fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// What the report says about the computer that ran the bench.
struct Machine {
    cpu: String,
    cores: usize,
    memory: String,
    rustc: String,
    date: String,
    commit: String,
    /// `[profile.release]`'s opt-level (the CLI and the benchmarks) and `[profile.wasm-release]`'s.
    opt_level: String,
    wasm_opt_level: String,
}

impl Machine {
    fn read(root: &Path) -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map_or_else(|| "unknown".to_string(), |(_, v)| v.trim().to_string());
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        let memory = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|m| {
                let line = m.lines().find(|l| l.starts_with("MemTotal:"))?;
                let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
                Some(format!("{:.1} GiB", kib / 1024.0 / 1024.0))
            })
            .unwrap_or_else(|| "unknown".into());
        let rustc = output(
            Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into())).arg("-V"),
        )
        .map_or_else(|| "unknown".into(), |v| v.trim().to_string());
        let commit =
            output(
                Command::new("git")
                    .current_dir(root)
                    .args(["rev-parse", "--short", "HEAD"]),
            )
            .map(|c| {
                let dirty = output(Command::new("git").current_dir(root).args([
                    "status",
                    "--porcelain",
                    "--untracked-files=no",
                ]))
                .is_some_and(|s| !s.trim().is_empty());
                format!(
                    "{}{}",
                    c.trim(),
                    if dirty { " with local changes" } else { "" }
                )
            })
            .unwrap_or_else(|| "unknown".into());
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap_or_default();
        let opt_level = profile_setting(&manifest, "release", "opt-level")
            .unwrap_or_else(|| "3 (default)".into());
        let wasm_opt_level = profile_setting(&manifest, "wasm-release", "opt-level")
            .unwrap_or_else(|| opt_level.clone());
        Machine {
            cpu,
            cores,
            memory,
            rustc,
            date: utc_now(),
            commit,
            opt_level,
            wasm_opt_level,
        }
    }
}

/// A setting of `[profile.<profile>]` in Cargo.toml, as written.
fn profile_setting(toml: &str, profile: &str, key: &str) -> Option<String> {
    let start = toml.find(&format!("[profile.{profile}]"))?;
    toml[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.trim_start().starts_with('['))
        .filter_map(|l| l.split_once('='))
        .find(|(k, _)| k.trim() == key)
        .map(|(_, v)| v.trim().to_string())
}

/// Now, as `2026-01-31 14:05 UTC` (from the system clock; no time zone database needed).
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = (secs / 86_400) as i64;
    let (h, m) = ((secs % 86_400) / 3600, (secs % 3600) / 60);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    format!("{y:04}-{mo:02}-{d:02} {h:02}:{m:02} UTC")
}

/// One row of `shapes.tsv`: column name → value.
struct Shape(Vec<(String, String)>);

impl Shape {
    fn get(&self, key: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map_or("?", |(_, v)| v.as_str())
    }

    fn num(&self, key: &str) -> Option<u64> {
        self.get(key).parse().ok()
    }

    fn nodes(&self) -> u64 {
        self.num("nodes").unwrap_or(0)
    }
}

fn read_shapes(path: &Path) -> Result<Vec<Shape>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        failure!(
            "reading {}: {e} (the bench writes it; run `cargo xtask bench` without --report-only)",
            path.display()
        )
    })?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
    Ok(lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            Shape(
                header
                    .iter()
                    .zip(l.split('\t'))
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        })
        .collect())
}

/// Criterion's median for one benchmark, in nanoseconds, with its 95% confidence interval.
#[derive(Clone, Copy)]
struct Median {
    ns: f64,
    low: f64,
    high: f64,
}

fn read_median(criterion: &Path, stage: &str, nodes: u64) -> Option<Median> {
    let path = criterion
        .join(stage)
        .join(nodes.to_string())
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let median = &text[text.find("\"median\"")?..];
    Some(Median {
        ns: json_number(median, "point_estimate")?,
        low: json_number(median, "lower_bound")?,
        high: json_number(median, "upper_bound")?,
    })
}

/// The number after the first `"key":` in `text` (enough for criterion's flat JSON and ours).
fn json_number(text: &str, key: &str) -> Option<f64> {
    let quoted = format!("\"{key}\"");
    let after = &text[text.find(&quoted)? + quoted.len()..];
    let after = after.trim_start().strip_prefix(':')?.trim_start();
    let end = after
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E')))
        .unwrap_or(after.len());
    after[..end].parse().ok()
}

/// gzip -9 sizes of dist/, by kind.
struct DistSizes {
    /// (kind, raw bytes, gzip bytes): wasm, js, css, html, other.
    kinds: Vec<(&'static str, u64, u64)>,
    files: usize,
    /// gzip -9 bytes of what a first visit loads ([`crate::first_load`]).
    first_load: u64,
    /// gzip -9 bytes of the page's own wasm (not the import module's).
    page_wasm: u64,
    /// gzip -9 bytes of what `embed.html` loads ([`crate::embed_load`]).
    embed_load: u64,
    /// gzip -9 bytes of the embed module's wasm (src/bin/eksplain_embed.rs).
    embed_wasm: u64,
    /// Hours since the newest file was written.
    age_hours: f64,
}

impl DistSizes {
    fn read(dist: &Path) -> Result<Option<DistSizes>> {
        if !dist.is_dir() {
            return Ok(None);
        }
        let mut files = Vec::new();
        list_files(dist, &mut files)?;
        let names = ["wasm", "js", "css", "html"];
        let mut kinds: Vec<(&'static str, u64, u64)> = names
            .iter()
            .chain(["other"].iter())
            .map(|k| (*k, 0, 0))
            .collect();
        let mut newest = UNIX_EPOCH;
        for file in &files {
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
            let i = names.iter().position(|k| *k == ext).unwrap_or(names.len());
            let meta = std::fs::metadata(file).ok();
            kinds[i].1 += meta.as_ref().map_or(0, |m| m.len());
            kinds[i].2 += gzip_size(file)?;
            if let Some(t) = meta.and_then(|m| m.modified().ok()) {
                newest = newest.max(t);
            }
        }
        let age_hours = SystemTime::now()
            .duration_since(newest)
            .map_or(0.0, |d| d.as_secs_f64() / 3600.0);
        let (mut first_load, mut page_wasm) = (0, 0);
        for file in crate::first_load(dist)? {
            let gz = gzip_size(&file)?;
            first_load += gz;
            if file.extension().is_some_and(|e| e == "wasm") {
                page_wasm += gz;
            }
        }
        let (mut embed_load, mut embed_wasm) = (0, 0);
        for file in crate::embed_load(dist)? {
            let gz = gzip_size(&file)?;
            embed_load += gz;
            if file.extension().is_some_and(|e| e == "wasm") {
                embed_wasm += gz;
            }
        }
        Ok(Some(DistSizes {
            kinds,
            files: files.len(),
            first_load,
            page_wasm,
            embed_load,
            embed_wasm,
            age_hours,
        }))
    }

    fn total_gzip(&self) -> u64 {
        self.kinds.iter().map(|k| k.2).sum()
    }
}

/// `eksplain link static/scenarios/default.json`: the fragment, or why it is missing.
fn default_link(root: &Path) -> std::result::Result<String, String> {
    let out = cargo(root)
        .args([
            "run",
            "--quiet",
            "--release",
            "--bin",
            "eksplain",
            "--",
            "link",
            "static/scenarios/default.json",
        ])
        .output()
        .map_err(|e| format!("could not start cargo: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`eksplain link` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The browser benchmark's medians (`target/bench/browser.json`), when it has run.
struct Browser {
    first_diagram_ms: Option<f64>,
    embed_first_diagram_ms: Option<f64>,
    /// A Mermaid 11.17.2 flowchart of about the default scenario's size, the same way.
    mermaid_first_diagram_ms: Option<f64>,
    /// When the VPC (Mermaid's first node) entered the DOM, before that frame was painted.
    first_diagram_in_dom_ms: Option<f64>,
    embed_first_diagram_in_dom_ms: Option<f64>,
    mermaid_first_diagram_in_dom_ms: Option<f64>,
    wasm_build_5000_ms: Option<f64>,
    /// Decoding the largest link the codec accepts, and its length; the 5,000-node cluster's
    /// link as a document (not its generator's `#s=2.scale.5000`), and its length.
    link_decode_max: Option<(f64, f64)>,
    link_decode_5000: Option<(f64, f64)>,
    /// A link whose scenario expands to just under the 4 MiB limit, and its expanded bytes.
    link_decode_expanded: Option<(f64, f64)>,
    /// The toggle at 100 and at 5,000 nodes.
    repaint: Vec<(u64, Repaint)>,
}

/// A toggle's figures at one size (`repaint<nodes><Figure>` in browser.json).
struct Repaint {
    /// Click → Yew rendered → style and layout forced: the work, no frame wait.
    work_ms: Option<f64>,
    /// Its parts: the click handler (the model's build and the layout run in the reducer),
    /// Yew's render with the effects, the browser's style and layout.
    handler_ms: Option<f64>,
    render_ms: Option<f64>,
    style_ms: Option<f64>,
    /// Frames the browser began during the work (Yew yields after 16 ms of rendering).
    frames_during_work: Option<f64>,
    /// Event Timing's duration of a trusted click: input → next frame presented. `Some(None)`:
    /// the median run was under 16 ms, which the API does not report.
    event_timing_ms: Option<Option<f64>>,
    /// Click → the end of the next frame on the main thread.
    frame_ms: Option<f64>,
    runs: Option<f64>,
}

impl Browser {
    fn read(path: &Path) -> Option<Browser> {
        let text = std::fs::read_to_string(path).ok()?;
        let repaint = [100, 5_000]
            .into_iter()
            .filter_map(|nodes| Repaint::read(&text, nodes).map(|r| (nodes, r)))
            .collect();
        Some(Browser {
            first_diagram_ms: json_number(&text, "firstDiagramMs"),
            embed_first_diagram_ms: json_number(&text, "embedFirstDiagramMs"),
            mermaid_first_diagram_ms: json_number(&text, "mermaidFirstDiagramMs"),
            first_diagram_in_dom_ms: json_number(&text, "firstDiagramInDomMs"),
            embed_first_diagram_in_dom_ms: json_number(&text, "embedFirstDiagramInDomMs"),
            mermaid_first_diagram_in_dom_ms: json_number(&text, "mermaidFirstDiagramInDomMs"),
            wasm_build_5000_ms: json_number(&text, "wasmBuild5000Ms"),
            link_decode_max: json_number(&text, "linkDecodeMaxMs")
                .zip(json_number(&text, "linkDecodeMaxChars")),
            link_decode_5000: json_number(&text, "linkDecode5000Ms")
                .zip(json_number(&text, "linkDecode5000Chars")),
            link_decode_expanded: json_number(&text, "linkDecodeExpandedMs")
                .zip(json_number(&text, "linkDecodeExpandedBytes")),
            repaint,
        })
    }

    fn repaint(&self, nodes: u64) -> Option<&Repaint> {
        self.repaint
            .iter()
            .find(|(n, _)| *n == nodes)
            .map(|(_, r)| r)
    }
}

impl Repaint {
    fn read(text: &str, nodes: u64) -> Option<Repaint> {
        let key = |figure: &str| format!("repaint{nodes}{figure}");
        let num = |figure: &str| json_number(text, &key(figure));
        let work_ms = num("WorkMs")?;
        let event_timing_ms = if json_is_null(text, &key("EventTimingMs")) {
            Some(None)
        } else {
            num("EventTimingMs").map(Some)
        };
        Some(Repaint {
            work_ms: Some(work_ms),
            handler_ms: num("HandlerMs"),
            render_ms: num("RenderMs"),
            style_ms: num("StyleMs"),
            frames_during_work: num("FramesDuringWork"),
            event_timing_ms,
            frame_ms: num("FrameMs"),
            runs: num("Runs"),
        })
    }
}

/// Whether `"key": null` is in `text`.
fn json_is_null(text: &str, key: &str) -> bool {
    let quoted = format!("\"{key}\"");
    text.find(&quoted).is_some_and(|i| {
        text[i + quoted.len()..]
            .trim_start()
            .strip_prefix(':')
            .is_some_and(|rest| rest.trim_start().starts_with("null"))
    })
}

// ---------------------------------------------------------------------------------------------
// The report

struct Report {
    machine: Machine,
    shapes: Vec<Shape>,
    criterion: PathBuf,
    dist: Option<DistSizes>,
    link: std::result::Result<String, String>,
    browser: Option<Browser>,
    /// The table `tests/e2e/limits.bench.mjs` writes (target/bench/limits.md), when it has run.
    limits: Option<String>,
    /// The linked page module before wasm-opt (it still has names), for where its bytes go.
    wasm: std::result::Result<crate::wasm_size::Breakdown, String>,
    /// The same for the embed module (embed.html's wasm).
    embed_wasm: std::result::Result<crate::wasm_size::Breakdown, String>,
}

impl Report {
    fn median(&self, stage: &str, nodes: u64) -> Option<Median> {
        read_median(&self.criterion, stage, nodes)
    }

    fn render(&self) -> String {
        let mut r = String::new();
        self.header(&mut r);
        self.scenarios(&mut r);
        self.medians(&mut r);
        self.scaling(&mut r);
        self.budgets(&mut r);
        let wasm_gzip = self.dist.as_ref().map(|d| d.page_wasm);
        r.push_str(&crate::wasm_size::render(
            &self.wasm,
            wasm_gzip,
            crate::wasm_size::Module::Page,
        ));
        let embed_gzip = self.dist.as_ref().map(|d| d.embed_wasm);
        r.push_str(&crate::wasm_size::render(
            &self.embed_wasm,
            embed_gzip,
            crate::wasm_size::Module::Embed,
        ));
        self.browser(&mut r);
        r.push_str("\n## Opening a link at each limit\n\n");
        r.push_str(self.limits.as_deref().unwrap_or(
            "Not measured yet: `tests/e2e/limits.bench.mjs` writes `target/bench/limits.md`.\n",
        ));
        r
    }

    fn header(&self, r: &mut String) {
        let m = &self.machine;
        let _ = write!(
            r,
            "# eksplain benchmark report\n\n\
             Written by `cargo xtask bench` from the criterion benchmarks in \
             `tests/benches/model.rs` (medians of 10 samples; 95% confidence interval of the \
             median in the detail table).\n\n\
             ## Machine\n\n\
             | | |\n|---|---|\n\
             | CPU | {} |\n| logical cores | {} |\n| memory | {} |\n| rustc | {} |\n\
             | date | {} |\n| commit | {} |\n\
             | profile | bench = release: opt-level {}, LTO, 1 codegen unit, mimalloc as the \
             allocator (what the CLI ships with); the wasm: wasm-release, opt-level {} |\n\n",
            m.cpu, m.cores, m.memory, m.rustc, m.date, m.commit, m.opt_level, m.wasm_opt_level
        );
    }

    fn scenarios(&self, r: &mut String) {
        r.push_str(
            "## Scenarios\n\n\
             `eksplain::scenario::scale_scenario(nodes)`: three AZs, prefix delegation and \
             custom networking, managed node groups of m5.2xlarge / m6i.2xlarge, 30 pods per \
             node, one Service per Deployment (a LoadBalancer in 50, a NodePort in 5, Ingresses \
             in four ALB groups). Every pod is Running at every size.\n\n\
             | nodes | pods (Running) | Deployments | Services | load balancers | Ingresses | subnets | VPC CIDRs | pod subnets | ENIs | /28 prefixes | addresses used / usable |\n\
             |---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|\n",
        );
        for s in &self.shapes {
            let _ = writeln!(
                r,
                "| {} | {} ({}) | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} |",
                group(s.nodes()),
                group_str(s.get("pods")),
                group_str(s.get("running")),
                group_str(s.get("deployments")),
                group_str(s.get("services")),
                s.get("load_balancers"),
                s.get("ingresses"),
                s.get("subnets"),
                s.get("vpc_cidrs").replace(' ', ", "),
                s.get("pod_subnets").replace(' ', ", "),
                group_str(s.get("enis")),
                group_str(s.get("prefixes")),
                group_str(s.get("addresses_used")),
                group_str(s.get("addresses_usable")),
            );
        }
        r.push_str(
            "\n| nodes | scenario JSON (compact) | share link | scene shapes, cells | scene shapes, bars | the app draws |\n\
             |---:|---:|---:|---:|---:|---|\n",
        );
        for s in &self.shapes {
            let _ = writeln!(
                r,
                "| {} | {} | {} characters | {} | {} | {} |",
                group(s.nodes()),
                s.num("json_bytes").map_or("?".into(), bytes),
                group_str(s.get("link_chars")),
                group_str(s.get("shapes_cells")),
                group_str(s.get("shapes_bars")),
                s.get("auto_detail").to_lowercase(),
            );
        }
        r.push('\n');
    }

    fn medians(&self, r: &mut String) {
        r.push_str("## Medians\n\n| nodes | pods |");
        for (_, title) in STAGES {
            let _ = write!(r, " {title} |");
        }
        r.push_str("\n|---:|---:|");
        for _ in STAGES {
            r.push_str("---:|");
        }
        r.push('\n');
        for s in &self.shapes {
            let n = s.nodes();
            let auto = s.get("auto_detail").to_lowercase();
            let _ = write!(r, "| {} | {} |", group(n), group_str(s.get("pods")));
            for (stage, _) in STAGES {
                let mark = if stage == format!("layout_{auto}") {
                    " ◆"
                } else {
                    ""
                };
                let cell = self
                    .median(stage, n)
                    .map_or("—".into(), |m| format!("{}{mark}", duration(m.ns)));
                let _ = write!(r, " {cell} |");
            }
            r.push('\n');
        }
        r.push_str(
            "\n◆ the level of detail the app picks at that size (`layout::auto_detail`). \
             The build is timed with the drop of the cluster it made.\n\n\
             <details><summary>95% confidence intervals of the medians</summary>\n\n\
             | stage | nodes | median | interval |\n|---|---:|---:|---|\n",
        );
        for (stage, _) in STAGES {
            for s in &self.shapes {
                if let Some(m) = self.median(stage, s.nodes()) {
                    let _ = writeln!(
                        r,
                        "| {stage} | {} | {} | {} – {} |",
                        group(s.nodes()),
                        duration(m.ns),
                        duration(m.low),
                        duration(m.high)
                    );
                }
            }
        }
        r.push_str("\n</details>\n\n");
    }

    fn scaling(&self, r: &mut String) {
        r.push_str(
            "## Scaling\n\n\
             Time per node at each size, and how much longer a stage takes when the cluster \
             grows tenfold (100 → 1,000 nodes) and fivefold (1,000 → 5,000). A linear stage \
             grows by the same factor as the cluster; the scene in bars grows slower by design \
             (an ENI is one bar however many addresses it holds).\n\n\
             | stage |",
        );
        for s in &self.shapes {
            let _ = write!(r, " per node at {} |", group(s.nodes()));
        }
        r.push_str(" 100 → 1,000 (linear: ×10) | 1,000 → 5,000 (linear: ×5) |\n|---|");
        for _ in &self.shapes {
            r.push_str("---:|");
        }
        r.push_str("---:|---:|\n");
        for (stage, title) in STAGES {
            let _ = write!(r, "| {title} |");
            for s in &self.shapes {
                let cell = self
                    .median(stage, s.nodes())
                    .filter(|_| s.nodes() > 0)
                    .map_or("—".into(), |m| duration(m.ns / s.nodes() as f64));
                let _ = write!(r, " {cell} |");
            }
            for (from, to) in [(100, 1_000), (1_000, 5_000)] {
                let cell = match (self.median(stage, from), self.median(stage, to)) {
                    (Some(a), Some(b)) if a.ns > 0.0 => {
                        let factor = b.ns / a.ns;
                        let ideal = (to / from) as f64;
                        format!("×{factor:.1} ({})", verdict(factor, ideal))
                    }
                    _ => "—".into(),
                };
                let _ = write!(r, " {cell} |");
            }
            r.push('\n');
        }
        r.push('\n');
    }

    fn budgets(&self, r: &mut String) {
        r.push_str("## Budgets\n\n| budget | before | now | verdict |\n|---|---:|---:|---|\n");
        // Cluster build at 5,000 nodes, natively.
        match self.median("build", BUDGET_NODES) {
            Some(m) => {
                ms_row(
                    r,
                    "cluster build, 5,000 nodes / 150,000 pods, native",
                    before::NATIVE_BUILD,
                    m.ns / 1e6,
                    NATIVE_BUILD_BUDGET_MS,
                );
            }
            None => {
                let _ = writeln!(r, "| cluster build, 5,000 nodes / 150,000 pods, native: under {NATIVE_BUILD_BUDGET_MS:.0} ms | {} | — | not measured (no `build/5000` estimate) |", before::NATIVE_BUILD);
            }
        }
        // The site's size.
        match &self.dist {
            Some(d) => {
                let total = d.total_gzip();
                let parts: Vec<String> = d
                    .kinds
                    .iter()
                    .filter(|k| k.1 > 0)
                    .map(|(kind, _, gz)| format!("{kind} {}", bytes(*gz)))
                    .collect();
                // What the first visit loads: the page, its script, wasm and stylesheet (the
                // preset scenarios under static/ and the import module are fetched when used).
                let first_load = d.first_load;
                let _ = writeln!(
                    r,
                    "| dist/ after gzip -9, every file: at most 250 KB (250,000 bytes) | {} | {} ({}; {} files, built {:.1} h before this report) | {} |",
                    before::DIST,
                    bytes(total),
                    parts.join(", "),
                    d.files,
                    d.age_hours,
                    judge(total as f64, DIST_BUDGET_BYTES as f64, |b| bytes(b as u64))
                );
                let _ = writeln!(
                    r,
                    "| the editor's first load: index.html and the files it names, after gzip -9: at most 400 KB | {} | {} | {} |",
                    before::FIRST_LOAD,
                    bytes(first_load),
                    judge(first_load as f64, FIRST_LOAD_BUDGET_BYTES as f64, |b| bytes(b as u64))
                );
                // embed.html: its own wasm (src/bin/eksplain_embed.rs), none of the editor's.
                let _ = writeln!(
                    r,
                    "| embed.html loads ≤ 200 KB gzip: the page and the files it names (its own wasm {}), after gzip -9 | {} | {} | {} |",
                    bytes(d.embed_wasm),
                    before::EMBED_LOAD,
                    bytes(d.embed_load),
                    judge(d.embed_load as f64, EMBED_BUDGET_BYTES as f64, |b| bytes(b as u64))
                );
            }
            None => {
                for what in [
                    "dist/ after gzip -9: at most 250 KB",
                    "the editor's first load: at most 400 KB",
                    "embed.html loads ≤ 200 KB gzip",
                ] {
                    let _ = writeln!(r, "| {what} | — | — | not measured: no dist/ (run `cargo xtask dist` first) |");
                }
            }
        }
        // The default scenario's link.
        match &self.link {
            Ok(link) => {
                let n = link.chars().count();
                let _ = writeln!(
                    r,
                    "| link of the default scenario (`#s=1.…`, `eksplain link static/scenarios/default.json`): at most {LINK_BUDGET_CHARS} characters | {} | {n} characters | {} |",
                    before::LINK,
                    judge(n as f64, LINK_BUDGET_CHARS as f64, |c| format!("{c:.0} characters"))
                );
            }
            Err(why) => {
                let _ = writeln!(r, "| link of the default scenario: at most {LINK_BUDGET_CHARS} characters | {} | — | not measured: {} |", before::LINK, why.replace('\n', " "));
            }
        }
        if let Some(ms) = self.browser.as_ref().and_then(|b| b.wasm_build_5000_ms) {
            ms_row(
                r,
                "cluster build, 5,000 nodes, in Chromium (wasm)",
                before::WASM_BUILD,
                ms,
                BUILD_BUDGET_MS,
            );
        }
        if let Some(b) = &self.browser {
            for (page, value, budget, was, was_ratio) in [
                (
                    "index.html",
                    b.first_diagram_ms,
                    FIRST_DIAGRAM_BUDGET_MS,
                    before::INDEX_FIRST_DIAGRAM,
                    before::INDEX_MERMAID,
                ),
                (
                    "embed.html",
                    b.embed_first_diagram_ms,
                    EMBED_FIRST_DIAGRAM_BUDGET_MS,
                    before::EMBED_FIRST_DIAGRAM,
                    before::EMBED_MERMAID,
                ),
            ] {
                let Some(ms) = value else { continue };
                ms_row(
                    r,
                    &format!(
                        "first diagram of {page} painted after navigation, fresh browser, median"
                    ),
                    was,
                    ms,
                    budget,
                );
                if let Some(mermaid) = b.mermaid_first_diagram_ms {
                    let ratio = ms / mermaid;
                    let _ = writeln!(
                        r,
                        "| {page} against a Mermaid 11.17.2 flowchart of similar size ({}), same run: at most ×{MERMAID_RATIO_BUDGET} | {was_ratio} | ×{ratio:.3} | {} |",
                        duration(mermaid * 1e6),
                        // Three decimals: at two, a ratio just over ×0.25 read "missed by ×0.00".
                        judge(ratio, MERMAID_RATIO_BUDGET, |x| format!("×{x:.3}"))
                    );
                }
            }
        }
        match self.browser.as_ref().and_then(|b| b.link_decode_max) {
            Some((ms, chars)) => {
                ms_row(
                    r,
                    &format!("decoding the largest share link accepted ({chars:.0} characters), in Chromium (wasm)"),
                    before::LINK_DECODE,
                    ms,
                    LINK_DECODE_BUDGET_MS,
                );
            }
            None => {
                let _ = writeln!(r, "| decoding the largest share link accepted: under {LINK_DECODE_BUDGET_MS:.0} ms | {} | — | not measured (no `linkDecodeMaxMs` in browser.json) |", before::LINK_DECODE);
            }
        }
        if let Some((ms, bytes)) = self.browser.as_ref().and_then(|b| b.link_decode_expanded) {
            ms_row(
                r,
                &format!("decoding a link that expands to the 4 MiB limit ({bytes:.0} bytes of JSON), in Chromium (wasm)"),
                before::LINK_DECODE_EXPANDED,
                ms,
                LINK_DECODE_BUDGET_MS,
            );
        }
        match self
            .browser
            .as_ref()
            .and_then(|b| b.repaint(100))
            .and_then(|r| r.work_ms)
        {
            Some(ms) => {
                ms_row(
                    r,
                    "repaint after a toggle, 100 nodes / 3,000 pods, in Chromium (the work: click → rendered → style and layout)",
                    before::REPAINT,
                    ms,
                    REPAINT_BUDGET_MS,
                );
            }
            None => {
                let _ = writeln!(r, "| repaint after a toggle, 100 nodes / 3,000 pods: under {REPAINT_BUDGET_MS:.0} ms | {} | — | not measured (no `repaint100WorkMs` in browser.json) |", before::REPAINT);
            }
        }
        r.push('\n');
    }

    fn browser(&self, r: &mut String) {
        r.push_str("## Browser (Chromium wasm)\n\n");
        let Some(b) = &self.browser else {
            r.push_str(
                "Not measured yet. The browser benchmark writes `target/bench/browser.json` \
                 (`{\"firstDiagramMs\": …, \"wasmBuild5000Ms\": …, \"repaint100WorkMs\": …}`, \
                 medians in milliseconds); `cargo xtask bench --report-only` then fills this \
                 section and adds the in-browser figures to the budgets.\n",
            );
            return;
        };
        r.push_str("| measure | median |\n|---|---:|\n");
        for (title, value) in [
            (
                "first diagram of index.html painted (navigation start → the first frame painted with the default scenario's VPC, timed in the page)",
                b.first_diagram_ms,
            ),
            (
                "… its VPC entered the DOM",
                b.first_diagram_in_dom_ms,
            ),
            (
                "first diagram of embed.html painted (the default scenario)",
                b.embed_first_diagram_ms,
            ),
            (
                "… its VPC entered the DOM",
                b.embed_first_diagram_in_dom_ms,
            ),
            (
                "first node of a Mermaid 11.17.2 flowchart of similar size painted",
                b.mermaid_first_diagram_ms,
            ),
            (
                "… it entered the DOM",
                b.mermaid_first_diagram_in_dom_ms,
            ),
            (
                "cluster build at 5,000 nodes (wasm, in the page)",
                b.wasm_build_5000_ms,
            ),
            (
                "decoding the largest link accepted (wasm)",
                b.link_decode_max.map(|(ms, _)| ms),
            ),
            (
                "decoding the 5,000-node cluster's link as a document (wasm; shared as `#s=2.scale.5000` it is 17 characters)",
                b.link_decode_5000.map(|(ms, _)| ms),
            ),
        ] {
            let cell = value.map_or("— (missing from browser.json)".into(), |ms| {
                duration(ms * 1e6)
            });
            let _ = writeln!(r, "| {title} | {cell} |");
        }
        if let (Some(wasm), Some(native)) =
            (b.wasm_build_5000_ms, self.median("build", BUDGET_NODES))
        {
            let _ = writeln!(
                r,
                "\nThe wasm build at 5,000 nodes takes ×{:.1} the native one.",
                wasm / (native.ns / 1e6)
            );
        }
        self.repaint(r, b);
    }

    /// The repaint after toggling externalTrafficPolicy in the traffic panel.
    fn repaint(&self, r: &mut String, b: &Browser) {
        r.push_str(
            "\n### Repaint after a toggle\n\n\
             The traffic panel's externalTrafficPolicy button for the first flow's service, \
             toggled back and forth on the generated clusters (medians; two warm-up toggles \
             first). **Work** is what the page does for the toggle: from the click (`el.click()` \
             in the page) through Yew's handler — which builds the cluster and, when the \
             picture's inputs changed, lays it out — and Yew's render with its effects \
             (`window.eksplainRendered`, called by the root component's last effect), to the \
             browser's style and layout forced with `offsetHeight`; it waits for no frame. \
             **Input → next paint** is the browser's Event Timing duration of a trusted click \
             (Playwright's `page.click`): from the input event to the next frame presented, \
             vsync wait and paint included, in steps of 8 ms; the API reports nothing under \
             16 ms. **Click → next frame** is the click's timestamp to the end of the first \
             frame the main thread produces after the render (requestAnimationFrame, then a \
             message). When Yew renders for longer than 16 ms it yields before the effects, \
             and a frame — with its style, layout and paint — falls inside the work (the \
             frames column). **Before** is the code before the repaint work (e627dfc) measured \
             the same way on this machine (`REPAINT_BEFORE` in xtask/src/bench.rs).\n\n\
             | nodes | work | handler (build, layout) | Yew render and effects | style and layout | frames during the work | input → next paint | click → next frame | runs | before (e627dfc): work, input → next paint |\n\
             |---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n",
        );
        let ms = |v: Option<f64>| v.map_or("—".into(), |ms| duration(ms * 1e6));
        for (nodes, p) in &b.repaint {
            let paint = match p.event_timing_ms {
                Some(Some(v)) => duration(v * 1e6),
                Some(None) => "under 16 ms".into(),
                None => "—".into(),
            };
            let before = REPAINT_BEFORE
                .iter()
                .find(|(n, _, _)| n == nodes)
                .map_or("—".into(), |(_, work, paint)| {
                    format!("{}, {}", duration(work * 1e6), duration(paint * 1e6))
                });
            let _ = writeln!(
                r,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                group(*nodes),
                ms(p.work_ms),
                ms(p.handler_ms),
                ms(p.render_ms),
                ms(p.style_ms),
                p.frames_during_work
                    .map_or("—".into(), |f| format!("{f:.0}")),
                paint,
                ms(p.frame_ms),
                p.runs.map_or("—".into(), |n| format!("{n:.0}")),
                before,
            );
        }
        if b.repaint.is_empty() {
            r.push_str("| — | not measured (no `repaint<nodes>WorkMs` in browser.json) | | | | | | | | |\n");
        }
    }
}

/// `met (…, … under)` or `missed (… over, ×k)`.
/// A budget row of the report: `| what: under N ms | figure | verdict |`.
/// A budget row in milliseconds: what, the figure before (`before`), now, the verdict.
fn ms_row(r: &mut String, what: &str, before: &str, ms: f64, budget: f64) {
    let _ = writeln!(
        r,
        "| {what}: under {budget:.0} ms | {before} | {} | {} |",
        duration(ms * 1e6),
        judge(ms, budget, |d| duration(d * 1e6))
    );
}

fn judge(figure: f64, budget: f64, show: impl Fn(f64) -> String) -> String {
    if figure <= budget {
        format!(
            "**met**, {} under ({:.0}% of the budget)",
            show(budget - figure),
            100.0 * figure / budget
        )
    } else {
        format!(
            "**missed** by {} (×{:.1} the budget)",
            show(figure - budget),
            figure / budget
        )
    }
}

/// How a measured growth factor compares with linear growth.
fn verdict(factor: f64, ideal: f64) -> &'static str {
    if factor > ideal * 1.5 {
        "superlinear"
    } else if factor < ideal * 0.6 {
        "sublinear"
    } else {
        "≈ linear"
    }
}

/// A duration in nanoseconds, in the unit that reads best.
fn duration(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

/// Bytes as `123,456 B (120.6 KiB)`.
fn bytes(n: u64) -> String {
    format!("{} B ({:.1} KiB)", group(n), n as f64 / 1024.0)
}

/// 150000 → `150,000`.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn group_str(text: &str) -> String {
    text.parse().map_or_else(|_| text.to_string(), group)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_come_out_of_criterion_json() {
        let text = r#"{"mean":{"confidence_interval":{"confidence_level":0.95,"lower_bound":1.0,"upper_bound":2.0},"point_estimate":1.5},"median":{"confidence_interval":{"confidence_level":0.95,"lower_bound":4846636.6,"upper_bound":8.5e6},"point_estimate":6654690.25,"standard_error":1.0}}"#;
        let median = &text[text.find("\"median\"").unwrap()..];
        assert_eq!(json_number(median, "point_estimate"), Some(6654690.25));
        assert_eq!(json_number(median, "lower_bound"), Some(4846636.6));
        assert_eq!(json_number(median, "upper_bound"), Some(8.5e6));
        assert_eq!(
            json_number(r#"{"firstDiagramMs": 812}"#, "firstDiagramMs"),
            Some(812.0)
        );
        assert_eq!(json_number("{}", "x"), None);
    }

    #[test]
    fn repaint_figures_come_out_of_browser_json() {
        let text = r#"{"repaint100WorkMs": 9.5, "repaint100HandlerMs": 4, "repaint100EventTimingMs": null,
            "repaint100FrameMs": 20.1, "repaint100Runs": 7, "repaint5000WorkMs": 900, "repaint5000EventTimingMs": 704}"#;
        let small = Repaint::read(text, 100).unwrap();
        assert_eq!(small.work_ms, Some(9.5));
        assert_eq!(small.handler_ms, Some(4.0));
        assert_eq!(small.event_timing_ms, Some(None), "null: under 16 ms");
        assert_eq!(small.render_ms, None);
        let big = Repaint::read(text, 5_000).unwrap();
        assert_eq!(big.event_timing_ms, Some(Some(704.0)));
        assert!(Repaint::read(text, 1_000).is_none());
        assert!(json_is_null(r#"{"a" :  null}"#, "a"));
        assert!(!json_is_null(r#"{"a": 0}"#, "a"));
    }

    #[test]
    fn issue_17_figures_come_out_of_browser_json() {
        let dir = std::env::temp_dir().join(format!("eksplain-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("browser.json");
        std::fs::write(
            &file,
            r#"{"firstDiagramMs": 400, "embedFirstDiagramMs": 300, "mermaidFirstDiagramMs": 800,
            "linkDecodeMaxMs": 7, "linkDecodeMaxChars": 262148, "linkDecode5000Ms": 12.5,
            "linkDecode5000Chars": 70939, "linkDecodeExpandedMs": 62, "linkDecodeExpandedBytes": 4192823}"#,
        )
        .unwrap();
        let b = Browser::read(&file).unwrap();
        assert_eq!(b.embed_first_diagram_ms, Some(300.0));
        assert_eq!(b.mermaid_first_diagram_ms, Some(800.0));
        assert_eq!(b.link_decode_max, Some((7.0, 262_148.0)));
        assert_eq!(b.link_decode_5000, Some((12.5, 70_939.0)));
        assert_eq!(b.link_decode_expanded, Some((62.0, 4_192_823.0)));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn figures_read_well() {
        assert_eq!(group(150_000), "150,000");
        assert_eq!(group(3), "3");
        assert_eq!(duration(1.5e9), "1.50 s");
        assert_eq!(duration(2_500_000.0), "2.5 ms");
        assert_eq!(duration(999.0), "999 ns");
        assert!(judge(80.0, 100.0, |v| format!("{v}")).starts_with("**met**, 20 under"));
        assert!(judge(250.0, 100.0, |v| format!("{v}")).contains("×2.5"));
        assert_eq!(verdict(5.2, 5.0), "≈ linear");
        assert_eq!(verdict(21.0, 5.0), "superlinear");
    }

    #[test]
    fn release_settings_are_read_from_the_manifest() {
        let toml = "[package]\nname = \"x\"\n\n[profile.release]\nopt-level = 3\nlto = true\n\n[profile.wasm-release]\ninherits = \"release\"\nopt-level = \"z\"\n\n[profile.dev]\nopt-level = 1\n";
        assert_eq!(
            profile_setting(toml, "release", "opt-level").as_deref(),
            Some("3")
        );
        assert_eq!(
            profile_setting(toml, "wasm-release", "opt-level").as_deref(),
            Some("\"z\"")
        );
        assert_eq!(profile_setting(toml, "release", "debug"), None);
    }

    #[test]
    fn dates_are_civil() {
        let d = utc_now();
        assert!(
            d.ends_with(" UTC") && d.len() == "2026-01-31 14:05 UTC".len(),
            "{d}"
        );
    }
}
