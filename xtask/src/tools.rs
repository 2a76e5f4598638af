//! Finds the tools the build needs and installs the missing ones, at exactly the pinned versions.
//!
//! | tool                         | pinned in                    | installed with                          |
//! |------------------------------|------------------------------|-----------------------------------------|
//! | wasm32-unknown-unknown       | —                            | `rustup target add`                     |
//! | trunk                        | [`TRUNK_VERSION`]            | `cargo install --locked trunk`          |
//! | wasm-bindgen(-test-runner)   | Cargo.lock (`wasm-bindgen`)  | `cargo install wasm-bindgen-cli` (1)    |
//! | wasm-opt                     | xtask/package.json (binaryen)| `npm ci` into xtask/node_modules        |
//! | chromium, chromedriver       | Debian                       | `apt-get install` (root on Debian only) |
//! | rsvg-convert (librsvg2-bin)  | Debian                       | `apt-get install` (root on Debian only) |
//! | mdbook (`book`, `test`)      | `book::MDBOOK_VERSION`       | `cargo install --locked --root target/tools` (src/book.rs) |
//!
//! (1) without `--locked`: one of its locked dependencies is no longer on crates.io.
//!
//! Trunk.toml's `[tools]` versions must agree with these pins (checked here), because trunk
//! runs offline and only accepts a tool on PATH whose `--version` matches exactly.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{fail, failure, output, run, step, Result};

pub const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Chromium flags for headless runs in containers and CI; keep in sync with `webdriver.json`.
pub const CHROME_ARGS: &[&str] = &[
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
];

/// Where the tools are, once [`Tools::ensure_build`] / [`Tools::ensure_test`] succeeded.
pub struct Tools {
    root: PathBuf,
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
}

impl Tools {
    /// Everything `trunk build` / `trunk serve` need.
    pub fn ensure_build(root: &Path) -> Result<Tools> {
        setup_path(root);
        require_node()?;
        ensure_wasm_target()?;
        ensure_wasm_opt(root)?;
        ensure_trunk()?;
        let bindgen = ensure_wasm_bindgen(root)?;
        step(&format!(
            "tools ready: {WASM_TARGET}, trunk {TRUNK_VERSION}, wasm-bindgen {bindgen}, wasm-opt {} (xtask/node_modules)",
            trunk_tool(root, "wasm_opt")?
        ));
        Ok(Tools {
            root: root.to_path_buf(),
            chromium: PathBuf::new(),
            chromedriver: PathBuf::new(),
        })
    }

    /// [`Tools::ensure_build`] plus the browser and its driver.
    pub fn ensure_test(root: &Path) -> Result<Tools> {
        let mut tools = Tools::ensure_build(root)?;
        (tools.chromium, tools.chromedriver) = ensure_chromium()?;
        ensure_rsvg()?;
        step(&format!(
            "browser ready: {} and {}",
            tools.chromium.display(),
            tools.chromedriver.display()
        ));
        if !root.join("webdriver.json").is_file() {
            return fail!("webdriver.json (Chrome flags for wasm-bindgen-test-runner) is missing from the repository root");
        }
        Ok(tools)
    }

    /// `trunk` run from the repository root (Trunk.toml lives there).
    pub fn trunk(&self) -> Command {
        let mut cmd = Command::new("trunk");
        cmd.current_dir(&self.root);
        cmd
    }

    /// Environment for `cargo test --target wasm32-unknown-unknown`: wasm-bindgen-test-runner
    /// (0.2.130: `headless.rs`) starts `$CHROMEDRIVER`, reads the capabilities from
    /// `$WASM_BINDGEN_TEST_WEBDRIVER_JSON` (default: `webdriver.json` in the working
    /// directory), appends `headless`, `disable-dev-shm-usage` and `no-sandbox` to
    /// `goog:chromeOptions.args` and opens a session. A `*DRIVER` variable for another browser
    /// would win, so those are removed.
    pub fn wasm_test_env<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        cmd.env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
            "wasm-bindgen-test-runner",
        )
        .env("CHROMEDRIVER", &self.chromedriver)
        .env(
            "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
            self.root.join("webdriver.json"),
        )
        .env_remove("GECKODRIVER")
        .env_remove("GECKODRIVER_REMOTE")
        .env_remove("SAFARIDRIVER")
        .env_remove("SAFARIDRIVER_REMOTE")
        .env_remove("CHROMEDRIVER_REMOTE")
        .env_remove("NO_HEADLESS")
        .env("WASM_BINDGEN_TEST_DRIVER_TIMEOUT", "30")
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
    }
}

/// Puts `$CARGO_HOME/bin` and `xtask/node_modules/.bin` first on PATH, for this process and
/// every child (trunk looks tools up on PATH).
fn setup_path(root: &Path) {
    let cargo_bin = cargo_home().join("bin");
    let npm_bin = root.join("xtask/node_modules/.bin");
    let old = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![npm_bin, cargo_bin];
    dirs.extend(std::env::split_paths(&old));
    if let Ok(path) = std::env::join_paths(dirs) {
        std::env::set_var("PATH", path);
    }
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"))
}

/// The first word after the program name in `PROGRAM --version`, e.g. "0.21.14".
fn version_of(program: &str) -> Option<String> {
    let out = output(Command::new(program).arg("--version"))?;
    out.split_whitespace().nth(1).map(str::to_owned)
}

fn require_node() -> Result<String> {
    let Some(version) = output(Command::new("node").arg("--version")) else {
        return fail!("Node.js is missing: install Node.js 20 or newer and npm (Debian 12: `apt-get install -y nodejs npm` gives 18, too old — use NodeSource's nodejs 20+ package)");
    };
    let version = version.trim().trim_start_matches('v').to_owned();
    let major: u32 = version
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if major < 20 {
        return fail!("Node.js {version} is too old: playwright-core needs Node.js 20 or newer");
    }
    if output(Command::new("npm").arg("--version")).is_none() {
        return fail!("npm is missing: install npm (it comes with Node.js)");
    }
    Ok(version)
}

fn ensure_wasm_target() -> Result {
    let Some(installed) = output(Command::new("rustup").args(["target", "list", "--installed"]))
    else {
        return fail!(
            "rustup is missing: install Rust with rustup (https://rustup.rs), then re-run"
        );
    };
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        return Ok(());
    }
    step(&format!("rustup target add {WASM_TARGET}"));
    run(
        "rustup target add",
        Command::new("rustup").args(["target", "add", WASM_TARGET]),
    )
}

fn ensure_trunk() -> Result {
    if version_of("trunk").as_deref() == Some(TRUNK_VERSION) {
        return Ok(());
    }
    step(&format!(
        "building trunk {TRUNK_VERSION} from crates.io — about 8 minutes on 2 cores"
    ));
    run(
        "cargo install trunk",
        Command::new("cargo").args(["install", "--locked", "trunk", "--version", TRUNK_VERSION]),
    )?;
    match version_of("trunk") {
        Some(v) if v == TRUNK_VERSION => Ok(()),
        found => fail!(
            "installed trunk {TRUNK_VERSION}, but `trunk --version` on PATH says {found:?}; \
             is another trunk earlier on PATH?"
        ),
    }
}

/// Returns the version in use.
fn ensure_wasm_bindgen(root: &Path) -> Result<String> {
    let wanted = locked_version(root, "wasm-bindgen")?;
    let in_trunk_toml = trunk_tool(root, "wasm_bindgen")?;
    if in_trunk_toml != wanted {
        return fail!(
            "Trunk.toml has [tools] wasm_bindgen = \"{in_trunk_toml}\" but Cargo.lock pins \
             wasm-bindgen {wanted}; set wasm_bindgen = \"{wanted}\" in Trunk.toml"
        );
    }
    let ok = || {
        version_of("wasm-bindgen").as_deref() == Some(wanted.as_str())
            && version_of("wasm-bindgen-test-runner").as_deref() == Some(wanted.as_str())
    };
    if ok() {
        return Ok(wanted);
    }
    step(&format!(
        "building wasm-bindgen-cli {wanted} (the version in Cargo.lock) from crates.io — about 2 minutes"
    ));
    run(
        "cargo install wasm-bindgen-cli",
        Command::new("cargo").args([
            "install",
            "--force",
            "wasm-bindgen-cli",
            "--version",
            &format!("={wanted}"),
        ]),
    )?;
    if ok() {
        Ok(wanted)
    } else {
        fail!(
            "installed wasm-bindgen-cli {wanted}, but `wasm-bindgen --version` on PATH says {:?}; \
             is another wasm-bindgen earlier on PATH?",
            version_of("wasm-bindgen")
        )
    }
}

fn ensure_wasm_opt(root: &Path) -> Result {
    let dir = root.join("xtask");
    let package = read(&dir.join("package.json"))?;
    let Some(pinned) = json_string_value(&package, "binaryen") else {
        return fail!("xtask/package.json does not pin \"binaryen\"");
    };
    let major = pinned.split('.').next().unwrap_or_default().to_owned();
    let wanted = format!("version_{major}");
    let in_trunk_toml = trunk_tool(root, "wasm_opt")?;
    if in_trunk_toml != wanted {
        return fail!(
            "Trunk.toml has [tools] wasm_opt = \"{in_trunk_toml}\" but xtask/package.json pins \
             binaryen {pinned}; set wasm_opt = \"{wanted}\" in Trunk.toml"
        );
    }
    let wasm_opt = dir.join("node_modules/.bin/wasm-opt");
    // npm binaryen prints "wasm-opt version 132 (version_132)"; trunk reads the third word.
    let ok = || {
        output(Command::new(&wasm_opt).arg("--version"))
            .and_then(|v| v.split_whitespace().nth(2).map(str::to_owned))
            .is_some_and(|v| v == major)
    };
    if ok() {
        return Ok(());
    }
    step(&format!(
        "npm ci in xtask/ (wasm-opt from npm binaryen {pinned})"
    ));
    run(
        "npm ci (xtask)",
        Command::new("npm").current_dir(&dir).args([
            "ci",
            "--no-audit",
            "--no-fund",
            "--loglevel=error",
        ]),
    )?;
    if ok() {
        Ok(())
    } else {
        fail!(
            "{} --version does not report version {major}",
            wasm_opt.display()
        )
    }
}

/// Finds Chromium and ChromeDriver (Debian paths, or `$CHROMIUM` / `$CHROMEDRIVER`); installs
/// them with apt when missing and we are root on Debian.
fn ensure_chromium() -> Result<(PathBuf, PathBuf)> {
    let chromium = env_path("CHROMIUM", "/usr/bin/chromium");
    let driver = env_path("CHROMEDRIVER", "/usr/bin/chromedriver");
    if chromium.is_file() && driver.is_file() {
        return Ok((chromium, driver));
    }
    let is_root = output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
    let debian = Path::new("/etc/debian_version").is_file();
    let wanted_paths =
        Path::new("/usr/bin/chromium") == chromium && Path::new("/usr/bin/chromedriver") == driver;
    if !(is_root && debian && wanted_paths) {
        return fail!(
            "the browser tests need Chromium at {} and ChromeDriver at {}.\n\
             On Debian/Ubuntu install them with:\n    \
             sudo apt-get update && sudo apt-get install -y chromium chromium-driver\n\
             (or point $CHROMIUM and $CHROMEDRIVER at a matching Chromium and ChromeDriver)",
            chromium.display(),
            driver.display()
        );
    }
    step("apt-get install -y chromium chromium-driver");
    run(
        "apt-get update",
        Command::new("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    run(
        "apt-get install chromium chromium-driver",
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "--no-install-recommends",
                "chromium",
                "chromium-driver",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    if chromium.is_file() && driver.is_file() {
        Ok((chromium, driver))
    } else {
        fail!("apt-get installed chromium and chromium-driver, but /usr/bin/chromium or /usr/bin/chromedriver is still missing")
    }
}

/// `rsvg-convert` (Debian librsvg2-bin): tests/render.rs draws the CLI's SVG with it. Installed
/// with apt when missing and we are root on Debian.
fn ensure_rsvg() -> Result {
    if output(Command::new("rsvg-convert").arg("--version")).is_some() {
        return Ok(());
    }
    let is_root = output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
    if !(is_root && Path::new("/etc/debian_version").is_file()) {
        return fail!(
            "tests/render.rs needs rsvg-convert. On Debian/Ubuntu:\n    \
             sudo apt-get update && sudo apt-get install -y librsvg2-bin"
        );
    }
    step("apt-get install -y librsvg2-bin");
    run(
        "apt-get update",
        Command::new("apt-get")
            .arg("update")
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    run(
        "apt-get install librsvg2-bin",
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends", "librsvg2-bin"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn env_path(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// The first TCP port from `start` that is free on 127.0.0.1.
pub fn free_port(start: u16) -> Option<u16> {
    (start..start.saturating_add(100)).find(|&p| TcpListener::bind(("127.0.0.1", p)).is_ok())
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| failure!("reading {}: {e}", path.display()))
}

/// The version of `package` in Cargo.lock (the only one, or fails when there are several).
fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = read(&root.join("Cargo.lock"))?;
    let name_line = format!("name = \"{package}\"");
    let mut versions = Vec::new();
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == name_line {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|l| l.strip_suffix('"'))
            {
                versions.push(v.to_owned());
            }
        }
    }
    match versions.as_slice() {
        [one] => Ok(one.clone()),
        [] => fail!("Cargo.lock has no {package} package (run `cargo generate-lockfile`)"),
        many => fail!(
            "Cargo.lock has several {package} versions {many:?}; the CLI must match exactly one"
        ),
    }
}

/// A value under `[tools]` in Trunk.toml.
fn trunk_tool(root: &Path, key: &str) -> Result<String> {
    let toml = read(&root.join("Trunk.toml"))?;
    let mut in_tools = false;
    for line in toml.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if line.starts_with('[') {
            in_tools = line == "[tools]";
        } else if in_tools {
            if let Some((k, v)) = line.split_once('=') {
                if k.trim() == key {
                    return Ok(v.trim().trim_matches('"').to_owned());
                }
            }
        }
    }
    fail!("Trunk.toml has no [tools] {key} = \"...\" (trunk runs offline and needs exact versions)")
}

/// The string value of `"key": "value"` in a small JSON document (package.json).
fn json_string_value(json: &str, key: &str) -> Option<String> {
    let after = &json[json.find(&format!("\"{key}\""))? + key.len() + 2..];
    let after = after
        .trim_start()
        .strip_prefix(':')?
        .trim_start()
        .strip_prefix('"')?;
    Some(after[..after.find('"')?].to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_json_string_value() {
        let json = r#"{ "dependencies": { "binaryen" : "132.0.0" } }"#;
        assert_eq!(
            json_string_value(json, "binaryen").as_deref(),
            Some("132.0.0")
        );
        assert_eq!(json_string_value(json, "missing"), None);
    }

    #[test]
    fn repository_pins_agree() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let lock = locked_version(root, "wasm-bindgen").unwrap();
        assert_eq!(trunk_tool(root, "wasm_bindgen").unwrap(), lock);
        assert!(trunk_tool(root, "wasm_opt")
            .unwrap()
            .starts_with("version_"));
    }

    #[test]
    fn finds_a_free_port() {
        let taken = TcpListener::bind(("127.0.0.1", 0)).unwrap();
        let port = taken.local_addr().unwrap().port();
        assert_ne!(free_port(port), Some(port));
    }
}
