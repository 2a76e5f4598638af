//! [`StandaloneSvg`]: a scenario's diagram as a self-contained SVG document — `xmlns`, the
//! page's stylesheet inlined in a `<style>` with the chosen theme's colours, a `<title>` and
//! `<desc>`, and the scenario JSON in `<metadata>` so the file opens again in eksplain.
//!
//! Both the browser's "Export SVG" and `eksplain render` call [`render_document`] with the
//! pipeline's [`ViewOptions`] (`crate::pipeline`): the network view with the flow traced over
//! it, or the architecture view. The drawing is the page's own ([`scene_markup`], what
//! `SceneSvg` mounts, and [`overlay_markup`]), written as text by our element tree
//! (`markup.rs`) in the format of Yew's server-side renderer: one drawing code, two outputs,
//! and no server-side renderer in the browser.
//!
//! DOM contract: the root `<svg class="eksplain-export">` has `data-view` and `data-theme`;
//! under it the page's `data-kind`s (the diagram's, `flow-path`, or `architecture` with its
//! `arch-part` / `arch-edge`).

use std::collections::BTreeMap;

use crate::pipeline::{Picture, Theme, View, ViewOptions};
use crate::scenario::{from_json, to_json, Problem, Scenario};
use crate::ui::markup::{el, list, text, Node};
use crate::ui::page_stylesheet::{page_stylesheet, root_block};
use crate::ui::scene_svg::scene_markup;
use crate::ui::svg::{num, Draw};
use crate::ui::traffic_overlay::overlay_markup;

/// The custom properties of `theme`: the stylesheet's light `:root` block, with the dark
/// block's (inside `@media (prefers-color-scheme: dark)`) over it for the dark theme.
fn theme_variables(css: &str, theme: Theme) -> BTreeMap<String, String> {
    let mut vars = BTreeMap::new();
    let mut read = |block: &str| {
        for decl in block.split(';') {
            if let Some((name, value)) = decl.split_once(':') {
                let name = name.trim();
                if name.starts_with("--") {
                    vars.insert(name.to_string(), value.trim().to_string());
                }
            }
        }
    };
    read(root_block(css, 0).unwrap_or_default());
    if theme == Theme::Dark {
        let dark = css
            .find("@media (prefers-color-scheme: dark)")
            .and_then(|from| root_block(css, from));
        read(dark.unwrap_or_default());
    }
    vars
}

/// The stylesheet as a standalone file needs it: comments dropped and every `var(--x)`
/// replaced by `theme`'s value (light: the `:root` block; dark: the `prefers-color-scheme:
/// dark` one over it), since SVG viewers such as librsvg, resvg and many editors do not
/// implement CSS custom properties.
pub fn export_stylesheet(theme: Theme) -> String {
    let css = strip_comments(&page_stylesheet());
    let vars = theme_variables(&css, theme);
    // Values may refer to other variables: substitute a few rounds.
    let mut out = css;
    for _ in 0..4 {
        out = substitute_vars(&out, &vars);
    }
    legacy_colours(&out)
}

/// `rgb(R G B / A%)` (CSS Color 4) written as `rgba(R, G, B, a)`, which SVG renderers that
/// predate it (resvg, older librsvg) read; they draw an unreadable colour black.
fn legacy_colours(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("rgb(") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 4..];
        let Some(end) = after.find(')') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let converted = inner.split_once('/').and_then(|(rgb, alpha)| {
            let parts: Vec<&str> = rgb.split_whitespace().collect();
            let alpha = alpha.trim();
            let alpha = match alpha.strip_suffix('%') {
                Some(p) => crate::ui::decimal::decimal(p.trim())? / 100.0,
                None => crate::ui::decimal::decimal(alpha)?,
            };
            (parts.len() == 3).then(|| format!("rgba({}, {alpha})", parts.join(", ")))
        });
        match converted {
            Some(c) => out.push_str(&c),
            None => out.push_str(&rest[start..start + 4 + end + 1]),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find("*/") {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// Replaces `var(--name)` / `var(--name, fallback)` by the value of `name`, else the fallback.
fn substitute_vars(css: &str, vars: &BTreeMap<String, String>) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("var(") {
        out.push_str(&rest[..start]);
        let inner_start = start + 4;
        // The matching parenthesis (fallbacks may nest).
        let mut depth = 1;
        let mut end = None;
        for (i, c) in rest[inner_start..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = Some(inner_start + i);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &rest[inner_start..end];
        let (name, fallback) = match inner.split_once(',') {
            Some((n, f)) => (n.trim(), Some(f.trim())),
            None => (inner.trim(), None),
        };
        match vars.get(name).map(String::as_str).or(fallback) {
            Some(value) => out.push_str(value),
            None => out.push_str(&rest[start..=end]),
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Id of the `<metadata>` element that carries the scenario.
pub const METADATA_ID: &str = "eksplain-scenario";

/// What a standalone document holds besides its drawing.
pub struct StandaloneSvg {
    /// The picture's size (the viewBox starts at 0,0).
    pub width: f64,
    pub height: f64,
    pub view: View,
    pub theme: Theme,
    pub title: String,
    pub description: String,
    /// The scenario as JSON (escaped as text: safe whatever it contains).
    pub scenario_json: String,
    /// The inlined stylesheet ([`export_stylesheet`]).
    pub css: String,
}

impl StandaloneSvg {
    /// The document's `<svg>` around `content` (the scene and its overlay: [`drawing`]).
    pub fn markup(self, content: Node) -> Node {
        el("svg")
            .attr("xmlns", "http://www.w3.org/2000/svg")
            .attr(
                "viewBox",
                format!("0 0 {} {}", num(self.width), num(self.height)),
            )
            .attr("width", num(self.width))
            .attr("height", num(self.height))
            .attr("role", "img")
            .attr("aria-labelledby", "eksplain-title eksplain-desc")
            .attr("data-view", self.view.name())
            .attr("data-theme", self.theme.name())
            .class(&["eksplain-export"])
            .child(
                el("title")
                    .attr("id", "eksplain-title")
                    .child(text(self.title)),
            )
            .child(
                el("desc")
                    .attr("id", "eksplain-desc")
                    .child(text(self.description)),
            )
            .child(
                el("metadata")
                    .attr("id", METADATA_ID)
                    .attr("data-format", "application/json")
                    .child(text(self.scenario_json)),
            )
            .child(el("style").child(text(self.css)))
            .child(
                el("rect")
                    .attr("width", "100%")
                    .attr("height", "100%")
                    .class(&["export-background"]),
            )
            .child(content)
            .into()
    }
}

/// The picture's drawing and its size: the view's scene (its overlay included) and the traced
/// flow over it, drawn by the page's own code.
fn drawing(picture: &Picture) -> (Node, f64, f64) {
    let size = picture.scene.size;
    let content = list([
        scene_markup(&picture.scene, Draw::default(), &[]),
        overlay_markup(picture.path.as_ref()),
    ]);
    (content, size.w, size.h)
}

/// Why a scenario could not be drawn: its problems.
pub fn render_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| p.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The whole SVG document (XML prolog included) of a scenario and its options, or the
/// scenario's problems. A flow that cannot be traced draws no path (the CLI refuses it before:
/// [`Picture::unknown_flow`]).
pub fn render_document(scenario: &Scenario, options: &ViewOptions) -> Result<String, Vec<Problem>> {
    let picture = crate::pipeline::picture(scenario, options)?;
    Ok(render_picture(scenario, &picture, options))
}

/// The SVG document of a picture the pipeline made from `scenario` and `options`.
pub fn render_picture(scenario: &Scenario, picture: &Picture, options: &ViewOptions) -> String {
    let title = if scenario.name.is_empty() {
        "EKS cluster network".to_string()
    } else {
        scenario.name.clone()
    };
    let description = if scenario.description.is_empty() {
        format!("{title}: drawn by eksplain")
    } else {
        scenario.description.clone()
    };
    let theme = options.theme.unwrap_or_default();
    let (content, width, height) = drawing(picture);
    let document = StandaloneSvg {
        width,
        height,
        view: options.view,
        theme,
        title,
        description,
        scenario_json: json_for_xml(&to_json(scenario)),
        css: export_stylesheet(theme),
    };
    let body = document.markup(content).to_text();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{}\n",
        crate::scenario::safe_text::escape_xml(&body).into_owned()
    )
}

/// The scenario JSON for `<metadata>`, with nothing `escape_xml` would make visible: JSON already
/// escapes C0 controls in strings (`\u001b`), and U+FFFE / U+FFFF, which it writes raw, can only
/// be inside strings, so they become `\ufffe` / `\uffff` and the scenario still reads back
/// exactly.
fn json_for_xml(json: &str) -> String {
    json.replace('\u{FFFE}', "\\ufffe")
        .replace('\u{FFFF}', "\\uffff")
}

/// Reads the scenario back out of an exported SVG's `<metadata>`.
pub fn scenario_from_svg(text: &str) -> Result<Scenario, String> {
    let not_ours =
        || "this SVG was not exported by eksplain (it has no scenario metadata)".to_string();
    let start = text.find("<metadata").ok_or_else(not_ours)?;
    let open_end = text[start..].find('>').ok_or_else(not_ours)? + start + 1;
    let close = text[open_end..].find("</metadata>").ok_or_else(not_ours)? + open_end;
    let raw = text[open_end..close].trim();
    let json = match raw
        .strip_prefix("<![CDATA[")
        .and_then(|r| r.strip_suffix("]]>"))
    {
        Some(cdata) => cdata.to_string(),
        None => unescape_xml(raw),
    };
    from_json(&json).map_err(|problems| {
        format!(
            "the SVG's scenario is not valid: {}",
            render_problems(&problems)
        )
    })
}

/// Replaces XML's predefined entities and numeric character references.
fn unescape_xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';') else { break };
        let entity = &rest[1..semi];
        let ch = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_stylesheet_has_no_variables_left() {
        for theme in Theme::ALL {
            let css = export_stylesheet(theme);
            assert!(!css.contains("/*"));
            let left = css.matches("var(--").count();
            assert_eq!(
                left, 0,
                "unresolved variables in the {theme} export stylesheet"
            );
        }
    }

    #[test]
    fn modern_rgb_is_written_the_old_way() {
        assert_eq!(
            legacy_colours(
                "a { fill: rgb(140 79 255 / 3%); b: rgb(0 0 0 / 0.5); c: rgb(1, 2, 3) }"
            ),
            "a { fill: rgba(140, 79, 255, 0.03); b: rgba(0, 0, 0, 0.5); c: rgb(1, 2, 3) }"
        );
        assert_eq!(legacy_colours("rgb(1 2"), "rgb(1 2");
        for theme in Theme::ALL {
            let css = export_stylesheet(theme);
            assert!(css.contains("rgba("), "{theme}");
            for (at, _) in css.match_indices("rgb(") {
                let call = &css[at..at + css[at..].find(')').unwrap()];
                assert!(!call.contains('/'), "{theme}: {call}");
            }
        }
    }

    #[test]
    fn the_dark_theme_has_the_dark_colours() {
        let light = export_stylesheet(Theme::Light);
        let dark = export_stylesheet(Theme::Dark);
        let background = |css: &str| {
            let at = css.find(".eksplain-export .export-background").unwrap();
            let block = &css[at..];
            block[block.find('{').unwrap() + 1..block.find('}').unwrap()]
                .trim()
                .to_string()
        };
        assert_eq!(background(&light), "fill: #ffffff;");
        assert_eq!(background(&dark), "fill: #161d25;");
    }

    #[test]
    fn entities_unescape() {
        assert_eq!(
            unescape_xml("&lt;a&gt; &amp;amp; &quot;x&quot; &#x27;&#39; &bogus"),
            "<a> &amp; \"x\" '' &bogus"
        );
    }

    /// Is `c` a character XML 1.0 allows in a document (its `Char` production)? Rust strings
    /// hold no surrogates, so what is left out is C0 controls but tab, LF and CR, and U+FFFE /
    /// U+FFFF.
    fn xml_allows(c: char) -> bool {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
    }

    #[test]
    fn hostile_names_still_give_xml_and_the_scenario_back() {
        let mut s = crate::scenario::default_scenario();
        s.name = "demo\u{1b}]0;PWNED\u{7}\u{1b}[2J\u{0}\u{FFFF}\u{202e}".into();
        s.description = "line\u{8}\u{c}\u{FFFE}".into();
        let svg = render_document(&s, &ViewOptions::default()).unwrap();
        assert!(!svg.chars().any(|c| !xml_allows(c)));
        assert!(
            !svg.chars()
                .any(|c| crate::scenario::safe_text::is_unsafe(c) && c != '\n'),
            "nothing a terminal acts on"
        );
        assert!(
            svg.contains("demo\\u{1b}]0;PWNED"),
            "a forbidden control is shown, not dropped"
        );
        assert_eq!(scenario_from_svg(&svg).unwrap(), s);
    }

    #[test]
    fn metadata_round_trips_even_as_cdata() {
        let s = crate::scenario::default_scenario();
        let json = to_json(&s);
        let svg = format!("<svg><metadata id=\"x\"><![CDATA[{json}]]></metadata></svg>");
        assert_eq!(scenario_from_svg(&svg).unwrap(), s);
        assert!(scenario_from_svg("<svg/>").is_err());
    }
}
