//! `eksplain render FILE -o OUT.svg [--view network|architecture] [--flow FROM->TO]
//! [--theme light|dark]`: the diagram as a standalone SVG, drawn by the same code as the page
//! (`eksplain::ui::render_picture`: its element tree written as text) from the same pipeline
//! (`eksplain::pipeline`) and the same options as `embed.html`, for docs that cannot run
//! JavaScript. `-o OUT.png` draws that SVG to a PNG natively (`png.rs`). `-o DIR/` (a name
//! ending `/`, or a directory that exists) writes `DIR/NAME.eksplain.svg`, named after the
//! scenario as the page's SVG download is (`eksplain::ui::file_name`), and prints that path.
//!
//! Exit status: 0 success; 1 the scenario is invalid; 2 usage or input error (an unknown
//! `--view`, `--theme` or `--flow` names the valid choices).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::Args;
use eksplain::pipeline::{self, Theme, View, ViewOptions};
use eksplain::scenario::Scenario;
use eksplain::ui::file_name::svg_file_name;
use eksplain::ui::render_picture;

use crate::cli::{read_scenario, Failure};

/// `--view`'s parser: the pipeline's choices, listed by `--help` and named in errors.
fn view_parser() -> impl TypedValueParser<Value = View> {
    PossibleValuesParser::new(View::ALL.map(View::name)).try_map(|s| s.parse::<View>())
}

/// `--theme`'s parser, likewise.
fn theme_parser() -> impl TypedValueParser<Value = Theme> {
    PossibleValuesParser::new(Theme::ALL.map(Theme::name)).try_map(|s| s.parse::<Theme>())
}

/// `render FILE [-o OUT.svg|OUT.png] [--view V] [--flow FROM->TO] [--theme T]`.
#[derive(Debug, Clone, Args)]
pub struct RenderArgs {
    /// Scenario file (JSON or YAML); `-` reads standard input.
    pub file: String,
    /// Where to write the picture: a name ending `.png` writes a PNG (twice the SVG's size),
    /// else SVG; a directory (or a name ending `/`) gets `NAME.eksplain.svg`, named after the
    /// scenario; `-` (the default) writes the SVG to standard output.
    #[arg(short, long, value_name = "OUT.svg|OUT.png|DIR/", default_value = "-")]
    pub output: String,
    /// The view drawn, as in embed.html's `view=`.
    #[arg(long, value_parser = view_parser(), default_value = "network")]
    pub view: View,
    /// A flow traced over the network view, as in embed.html's `flow=`: one of the scenario's
    /// `flows` (e.g. `internet->service/web`) or any FROM->TO between places it has.
    #[arg(long, value_name = "FROM->TO")]
    pub flow: Option<String>,
    /// The colours, as in embed.html's `theme=`.
    #[arg(long, value_parser = theme_parser(), default_value = "light")]
    pub theme: Theme,
}

impl RenderArgs {
    fn options(&self) -> ViewOptions {
        ViewOptions {
            view: self.view,
            flow: self.flow.clone(),
            theme: Some(self.theme),
        }
    }

    /// Whether the output is a directory: a name ending in a separator, or one that exists.
    fn directory(&self) -> bool {
        self.output.ends_with('/')
            || self.output.ends_with(std::path::MAIN_SEPARATOR)
            || std::path::Path::new(&self.output).is_dir()
    }

    /// The file to write: `-o` as given, or `DIR/NAME.eksplain.svg` for a directory.
    fn path(&self, scenario: &Scenario) -> PathBuf {
        if self.directory() {
            Path::new(&self.output).join(svg_file_name(scenario))
        } else {
            PathBuf::from(&self.output)
        }
    }
}

/// Whether `path` names a PNG (by its extension).
fn is_png(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"))
}

pub fn main(args: &RenderArgs) -> ExitCode {
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => {
            crate::out::error(&message);
            ExitCode::from(code)
        }
    }
}

fn run(args: &RenderArgs) -> Result<(), (u8, String)> {
    let invalid = |what: &str, problems: &[eksplain::scenario::Problem]| {
        (
            1,
            format!("{} {what}:\n{}", args.file, crate::out::problems(problems)),
        )
    };
    let scenario = read_scenario(&args.file).map_err(|f| match f {
        Failure::Usage(m) => (2, m),
        Failure::Invalid(problems) => invalid("is not a valid scenario", &problems),
    })?;
    let options = args.options();
    let picture = pipeline::picture(&scenario, &options)
        .map_err(|problems| invalid("cannot be drawn", &problems))?;
    if let Some(unknown) = picture.unknown_flow() {
        return Err((2, format!("--flow: {unknown}")));
    }
    // `render_picture` writes terminal controls and bidi characters in names as character
    // references (those XML forbids as visible escapes): safe in a terminal too.
    let svg = render_picture(&scenario, &picture, &options);
    if args.output == "-" {
        crate::out::text(&svg);
        return Ok(());
    }
    let path = args.path(&scenario);
    let bytes = if is_png(&path) {
        crate::png::svg_to_png(&svg).map_err(|e| (2, e))?
    } else {
        svg.into_bytes()
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| (2, format!("cannot create {}: {e}", dir.display())))?;
    }
    std::fs::write(&path, bytes)
        .map_err(|e| (2, format!("cannot write {}: {e}", path.display())))?;
    if args.directory() {
        // The name was chosen here: say it, for scripts and people.
        crate::out::text(&format!("{}\n", path.display()));
    }
    Ok(())
}
