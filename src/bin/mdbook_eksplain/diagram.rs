//! One `eksplain` block to HTML: its scenario read (JSON, YAML, a `#s=1.` link, or
//! `file=PATH` of JSON, YAML or an SVG eksplain wrote), drawn by the same pipeline and SVG
//! drawing code as `eksplain render` (`eksplain::pipeline::picture`,
//! `eksplain::ui::render_picture`), then written as a content-hashed file beside the chapter
//! (`<img>`) or inlined with its ids and style scoped.

use std::path::{Path, PathBuf};

use eksplain::pipeline::{self, Theme, ViewOptions};
use eksplain::scenario::{self, report, Problem, Scenario};
use eksplain::ui::{render_picture, scenario_from_svg};

use crate::config::Config;
use crate::fence::{self, Block};
use crate::scope::scope_svg;

/// The chapter a block is in: its source file relative to the book's src dir.
pub struct Chapter<'a> {
    pub path: Option<&'a Path>,
}

/// The fence's options: what to draw, and the alt text.
struct Options {
    view: ViewOptions,
    /// `theme=auto`: both themes, the reader's system setting choosing.
    auto: bool,
    alt: Option<String>,
}

fn read_options(text: &str) -> Result<Options, String> {
    let mut out = Options {
        view: ViewOptions {
            theme: Some(Theme::Light),
            ..ViewOptions::default()
        },
        auto: false,
        alt: None,
    };
    for (key, value) in fence::options(text)? {
        match key.as_str() {
            "alt" => out.alt = Some(value),
            "theme" if value == "auto" => out.auto = true,
            _ => {
                let known = out.view.set(&key, &value).map_err(|e| {
                    if key == "theme" {
                        format!("{e}, auto")
                    } else {
                        e.to_string()
                    }
                })?;
                if !known {
                    return Err(format!(
                        "unknown fence option \"{key}\": choose view, flow, theme or alt"
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Why a block could not be drawn: one line, or a scenario's problems as `eksplain check`
/// prints them.
pub enum Failure {
    Message(String),
    Problems(String, Vec<Problem>),
}

impl Failure {
    pub fn text(&self) -> String {
        match self {
            Failure::Message(m) => m.clone(),
            Failure::Problems(what, problems) => format!("{what}:\n{}", report(problems)),
        }
    }
}

/// The scenario the block's body holds.
fn read_scenario(body: &str, config: &Config) -> Result<Scenario, Failure> {
    let text = body.trim();
    fn invalid(what: &str) -> impl Fn(Vec<Problem>) -> Failure + '_ {
        move |p| Failure::Problems(what.to_string(), p)
    }
    if let Some(file) = text.strip_prefix("file=") {
        let file = file.trim().trim_matches('"');
        let path = inside_src(&config.src, file).map_err(Failure::Message)?;
        let meta = std::fs::metadata(&path)
            .map_err(|e| Failure::Message(format!("cannot read file={file}: {e}")))?;
        if meta.len() > scenario::MAX_DOCUMENT_BYTES as u64 {
            return Err(Failure::Message(format!(
                "file={file} is {} bytes; eksplain reads at most {} bytes",
                meta.len(),
                scenario::MAX_DOCUMENT_BYTES
            )));
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| Failure::Message(format!("cannot read file={file}: {e}")))?;
        let what = format!("file={file} is not a valid scenario");
        return if file.ends_with(".svg") {
            // An SVG eksplain wrote (the page's download, `eksplain render`): its metadata.
            scenario_from_svg(&text).map_err(|e| Failure::Message(format!("file={file}: {e}")))
        } else if file.ends_with(".yaml") || file.ends_with(".yml") {
            scenario::from_yaml(&text).map_err(invalid(&what))
        } else {
            scenario::from_json(&text).map_err(invalid(&what))
        };
    }
    if text.starts_with("#s=") || (text.contains("#s=") && !text.contains('\n')) {
        return scenario::decode_link(text).map_err(|e| Failure::Message(format!("the link: {e}")));
    }
    if text.is_empty() {
        return Err(Failure::Message(
            "the block is empty: give a scenario (JSON or YAML), a #s=1. link or file=PATH".into(),
        ));
    }
    if text.len() > scenario::MAX_DOCUMENT_BYTES {
        return Err(Failure::Message(format!(
            "the block is {} bytes; eksplain reads at most {} bytes",
            text.len(),
            scenario::MAX_DOCUMENT_BYTES
        )));
    }
    let what = "the block is not a valid scenario";
    if text.starts_with('{') {
        scenario::from_json(text).map_err(invalid(what))
    } else {
        scenario::from_yaml(text).map_err(invalid(what))
    }
}

/// `file` under the book's src dir; a path that leaves it (`..`, absolute, a symlink out) is
/// refused.
fn inside_src(src: &Path, file: &str) -> Result<PathBuf, String> {
    let root = src
        .canonicalize()
        .map_err(|e| format!("cannot read the book's src dir {}: {e}", src.display()))?;
    let path = root
        .join(file)
        .canonicalize()
        .map_err(|e| format!("cannot read file={file}: {e}"))?;
    if !path.starts_with(&root) || Path::new(file).is_absolute() {
        return Err(format!(
            "file={file} is outside the book's src dir {}: give a path inside it",
            src.display()
        ));
    }
    Ok(path)
}

/// The SVG document of `scenario` drawn with `options`, as `eksplain render` draws it.
fn draw(scenario: &Scenario, options: &ViewOptions) -> Result<String, Failure> {
    let picture = pipeline::picture(scenario, options)
        .map_err(|p| Failure::Problems("the scenario cannot be drawn".into(), p))?;
    if let Some(unknown) = picture.unknown_flow() {
        return Err(Failure::Message(format!("flow: {unknown}")));
    }
    Ok(render_picture(scenario, &picture, options))
}

/// 64-bit FNV-1a, as 16 hex digits: a stable content hash for file names and id prefixes.
pub fn hash16(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Text for HTML content and attribute values.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Writes `svg` as `eksplain-HASH.svg` in `dir` (unless that file is already there, so a
/// rebuild under `mdbook serve` does not touch the source tree and loop) and gives its name.
fn write_file(dir: &Path, svg: &str) -> Result<String, Failure> {
    let name = format!("eksplain-{}.svg", hash16(svg.as_bytes()));
    let path = dir.join(&name);
    if std::fs::read(&path).ok().as_deref() != Some(svg.as_bytes()) {
        std::fs::create_dir_all(dir)
            .and_then(|()| std::fs::write(&path, svg))
            .map_err(|e| Failure::Message(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(name)
}

/// The block as HTML. `ordinal` (the block's place in the book) keeps id prefixes apart when
/// one page shows the same diagram twice.
pub fn render(
    block: &Block,
    chapter: &Chapter,
    config: &Config,
    ordinal: usize,
) -> Result<String, Failure> {
    let options = read_options(&block.options).map_err(Failure::Message)?;
    let scenario = read_scenario(&block.body, config)?;
    let alt = options.alt.clone().unwrap_or_else(|| {
        if scenario.name.is_empty() {
            "EKS cluster network diagram".to_string()
        } else {
            format!("{}: {} diagram", scenario.name, options.view.view.name())
        }
    });
    let themes: &[Theme] = if options.auto {
        &[Theme::Light, Theme::Dark]
    } else {
        &[]
    };
    let mut svgs = Vec::new();
    for theme in themes {
        let view = ViewOptions {
            theme: Some(*theme),
            ..options.view.clone()
        };
        svgs.push(draw(&scenario, &view)?);
    }
    if svgs.is_empty() {
        svgs.push(draw(&scenario, &options.view)?);
    }
    let scope = format!("eksplain-{}-{ordinal}", hash16(svgs[0].as_bytes()));
    let mut html = format!(
        "<div class=\"eksplain-diagram {scope}\" data-view=\"{}\">\n",
        options.view.view.name()
    );
    if options.auto && config.inline {
        // Both drawings, the reader's system theme showing one (each scoped on its own).
        html.push_str(&format!(
            "<style>.{scope} .eksplain-dark{{display:none}}@media (prefers-color-scheme: dark){{.{scope} .eksplain-light{{display:none}}.{scope} .eksplain-dark{{display:block}}}}</style>\n"
        ));
    }
    if config.inline {
        for (i, svg) in svgs.iter().enumerate() {
            let inner = format!("{scope}-{i}");
            let class = match (options.auto, i) {
                (false, _) => String::new(),
                (true, 0) => " eksplain-light".into(),
                (true, _) => " eksplain-dark".into(),
            };
            html.push_str(&format!(
                "<div class=\"{inner}{class}\" role=\"img\" aria-label=\"{}\">{}</div>\n",
                escape_html(&alt),
                scope_svg(without_prolog(svg), &inner)
            ));
        }
    } else {
        let rel_dir = chapter.path.and_then(Path::parent).unwrap_or(Path::new(""));
        let dir = config.src.join(rel_dir);
        let names = svgs
            .iter()
            .map(|svg| write_file(&dir, svg))
            .collect::<Result<Vec<_>, _>>()?;
        let img = format!(
            "<img src=\"{}\" alt=\"{}\">",
            escape_html(&names[0]),
            escape_html(&alt)
        );
        if let Some(dark) = names.get(1) {
            html.push_str(&format!(
                "<picture><source srcset=\"{}\" media=\"(prefers-color-scheme: dark)\">{img}</picture>\n",
                escape_html(dark)
            ));
        } else {
            html.push_str(&img);
            html.push('\n');
        }
    }
    if let Some(app) = &config.app_url {
        // The scenario only, as embed.html's own "Open in eksplain" link carries it.
        let link = scenario::encode_link(&scenario);
        html.push_str(&format!(
            "<p class=\"eksplain-open\"><a href=\"{}{}\" target=\"_blank\" rel=\"noopener\">Open in eksplain ↗</a></p>\n",
            escape_html(app),
            escape_html(&link)
        ));
    }
    html.push_str("</div>\n");
    Ok(without_blank_lines(&html))
}

/// `html` without its blank lines: Markdown ends an HTML block at the first blank line and
/// would read the rest of the drawing as text. Only whitespace between lines goes (in a
/// `<desc>`, a paragraph break becomes a line break; JSON strings hold no raw line breaks).
fn without_blank_lines(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    for line in html.lines().filter(|l| !l.trim().is_empty()) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The SVG without its XML declaration, which has no place inside an HTML page.
fn without_prolog(svg: &str) -> &str {
    let svg = svg.trim();
    match svg
        .strip_prefix("<?xml")
        .and_then(|rest| rest.split_once("?>"))
    {
        Some((_, rest)) => rest.trim_start(),
        None => svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_name_the_bad_key_and_the_choices() {
        let e = read_options("colour=red").err().unwrap();
        assert!(e.contains("\"colour\""), "{e}");
        let e = read_options("theme=sepia").err().unwrap();
        assert!(e.contains("light") && e.contains("auto"), "{e}");
        let o = read_options("view=architecture theme=auto alt=\"x y\"")
            .ok()
            .unwrap();
        assert!(o.auto);
        assert_eq!(o.alt.as_deref(), Some("x y"));
    }

    #[test]
    fn html_keeps_no_blank_line_and_no_prolog() {
        assert_eq!(
            without_blank_lines("<div>\n\n  \n<p>a</p>\n</div>"),
            "<div>\n<p>a</p>\n</div>\n"
        );
        assert_eq!(without_prolog("<?xml version=\"1.0\"?>\n<svg/>"), "<svg/>");
        assert_eq!(without_prolog("<svg/>"), "<svg/>");
    }

    #[test]
    fn the_hash_is_stable() {
        assert_eq!(hash16(b""), "cbf29ce484222325");
        assert_ne!(hash16(b"a"), hash16(b"b"));
    }

    #[test]
    fn a_path_outside_src_is_refused() {
        let dir = std::env::temp_dir().join(format!("mdbook-eksplain-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("secret.json"), "{}").unwrap();
        let e = inside_src(&dir.join("src"), "../secret.json").unwrap_err();
        assert!(e.contains("outside"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
