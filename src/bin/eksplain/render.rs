//! `eksplain render FILE -o OUT.svg`: the diagram as a standalone SVG, drawn by the same Yew
//! components as the page (server-side rendered), for docs that cannot run JavaScript.
//!
//! Exit status: 0 success; 1 the scenario is invalid; 2 usage or input error.

use std::process::ExitCode;

use clap::Args;
use eksplain::ui::render_document;

use crate::cli::{read_scenario, Failure};

/// `render FILE [-o OUT.svg]`.
#[derive(Debug, Clone, Args)]
pub struct RenderArgs {
    /// Scenario file (JSON or YAML); `-` reads standard input.
    pub file: String,
    /// Where to write the SVG; `-` (the default) writes standard output.
    #[arg(short, long, value_name = "OUT.svg", default_value = "-")]
    pub output: String,
}

pub fn main(args: &RenderArgs) -> ExitCode {
    let fail = |code: u8, message: String| {
        crate::out::error(&message);
        ExitCode::from(code)
    };
    let scenario = match read_scenario(&args.file) {
        Ok(s) => s,
        Err(Failure::Usage(m)) => return fail(2, m),
        Err(Failure::Invalid(problems)) => {
            return fail(
                1,
                format!(
                    "{} is not a valid scenario:\n{}",
                    args.file,
                    crate::out::problems(&problems)
                ),
            );
        }
    };
    let svg = match futures_executor::block_on(render_document(&scenario)) {
        Ok(svg) => svg,
        Err(problems) => {
            return fail(
                1,
                format!(
                    "{} cannot be drawn:\n{}",
                    args.file,
                    crate::out::problems(&problems)
                ),
            );
        }
    };
    // `render_document` already wrote terminal controls and bidi characters in names as
    // character references (those XML forbids as visible escapes): safe in a terminal too.
    if args.output == "-" {
        crate::out::text(&svg);
        return ExitCode::SUCCESS;
    }
    let path = std::path::Path::new(&args.output);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            return fail(2, format!("cannot create {}: {e}", dir.display()));
        }
    }
    match std::fs::write(path, svg) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(2, format!("cannot write {}: {e}", args.output)),
    }
}
