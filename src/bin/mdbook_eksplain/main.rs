//! `mdbook-eksplain`: the mdBook preprocessor that draws ```` ```eksplain ```` blocks as
//! diagrams (docs/mdbook.md). Native only, like the `eksplain` CLI.
//!
//! Protocol (mdBook's): `mdbook-eksplain supports RENDERER` exits 0 when the renderer can show
//! the output (html; markdown gets the same HTML blocks), 1 otherwise; with no arguments it
//! reads `[context, book]` as JSON on standard input and writes the book on standard output.
//! A block that cannot be drawn fails the build (exit 1, each block's chapter, line and
//! problems on standard error) unless `on-error = "warn"`.

#[cfg(not(target_arch = "wasm32"))]
mod book;
#[cfg(not(target_arch = "wasm32"))]
mod config;
#[cfg(not(target_arch = "wasm32"))]
mod diagram;
#[cfg(not(target_arch = "wasm32"))]
mod fence;
#[cfg(not(target_arch = "wasm32"))]
mod scope;

/// mimalloc, not the system's malloc: a 5,000-node build allocates ~260,000 times and glibc's
/// malloc and free were ~13 % of its instructions (build 10 % faster; ARCHITECTURE.md).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Renderers whose output shows the HTML this preprocessor writes.
#[cfg(not(target_arch = "wasm32"))]
const SUPPORTED: [&str; 2] = ["html", "markdown"];

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use std::io::Write;
    use std::process::ExitCode;

    use eksplain::scenario::safe_text::escape_text;

    let say = |message: &str| {
        let _ = std::io::stderr()
            .lock()
            .write_all(escape_text(&format!("mdbook-eksplain: {message}\n")).as_bytes());
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("supports") => {
            let Some(renderer) = args.get(1) else {
                say("usage: mdbook-eksplain supports RENDERER");
                return ExitCode::from(2);
            };
            return if SUPPORTED.contains(&renderer.as_str()) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            };
        }
        Some("--version" | "-V") => {
            let _ = writeln!(
                std::io::stdout(),
                "mdbook-eksplain {}",
                env!("CARGO_PKG_VERSION")
            );
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            say(&format!(
                "unknown argument \"{other}\": run by mdBook (see docs/mdbook.md), or `supports RENDERER`"
            ));
            return ExitCode::from(2);
        }
        None => {}
    }
    match run() {
        Ok(book) => {
            let mut out = std::io::stdout().lock();
            if out
                .write_all(book.as_bytes())
                .and_then(|()| out.flush())
                .is_err()
            {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            say(&message);
            ExitCode::FAILURE
        }
    }
}

/// Reads `[context, book]`, draws every block, gives the book's JSON.
#[cfg(not(target_arch = "wasm32"))]
fn run() -> Result<String, String> {
    let input: serde_json::Value = serde_json::from_reader(std::io::stdin().lock())
        .map_err(|e| format!("cannot read mdBook's [context, book] JSON on standard input: {e}"))?;
    let [context, book] =
        <[serde_json::Value; 2]>::try_from(input.as_array().cloned().unwrap_or_default())
            .map_err(|_| "standard input is not mdBook's [context, book] array".to_string())?;
    let config = config::Config::from_context(&context)?;
    let mut book = book;
    let errors = book::process(&mut book, &config);
    if !errors.is_empty() {
        let text = errors
            .iter()
            .map(book::BlockError::text)
            .collect::<Vec<_>>()
            .join("\n");
        if !config.warn {
            return Err(format!(
                "{} eksplain block{} could not be drawn:\n{text}",
                errors.len(),
                if errors.len() == 1 { "" } else { "s" }
            ));
        }
        let _ = std::io::Write::write_all(
            &mut std::io::stderr().lock(),
            eksplain::scenario::safe_text::escape_text(&format!(
                "mdbook-eksplain: warning (on-error = \"warn\"; drawn as error boxes):\n{text}\n"
            ))
            .as_bytes(),
        );
    }
    serde_json::to_string(&book).map_err(|e| format!("cannot write the book's JSON: {e}"))
}

#[cfg(target_arch = "wasm32")]
fn main() {}
