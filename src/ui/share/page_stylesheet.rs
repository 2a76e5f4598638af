//! [`page_stylesheet`]: the text of `www/diagram.css` — the diagram's own stylesheet (its
//! palette, the drawn shapes of every view, embed.html's chrome) — which the SVG export
//! inlines and the embed page's theme pinning reads. The editor's rules (`www/style.css`) are
//! not in it: an exported SVG carries only what draws it.
//!
//! Natively (`eksplain render`, tests) there is no page, so the file is compiled in. In the
//! browser the page has already loaded it: it is read back from the CSSOM instead, which keeps
//! a second copy of the stylesheet out of the wasm.

use std::borrow::Cow;

/// The diagram's stylesheet as CSS text (comments may be gone; rules and custom properties
/// are as written).
#[cfg(not(target_arch = "wasm32"))]
pub fn page_stylesheet() -> Cow<'static, str> {
    Cow::Borrowed(include_str!("../../../www/diagram.css"))
}

/// The diagram's stylesheet as CSS text: every rule of the page's `diagram-<hash>.css` (trunk
/// names the file after `www/diagram.css` and its hash), whichever other sheets the page has.
#[cfg(target_arch = "wasm32")]
pub fn page_stylesheet() -> Cow<'static, str> {
    let mut css = String::new();
    for sheet in diagram_sheets() {
        let Ok(rules) = sheet.css_rules() else {
            continue;
        };
        for j in 0..rules.length() {
            if let Some(rule) = rules.item(j) {
                css.push_str(&rule.css_text());
                css.push('\n');
            }
        }
    }
    Cow::Owned(css)
}

/// The document's CSS stylesheets, in order.
#[cfg(target_arch = "wasm32")]
pub fn css_sheets() -> impl Iterator<Item = web_sys::CssStyleSheet> {
    use wasm_bindgen::JsCast;
    let sheets = gloo_utils::document().style_sheets();
    (0..sheets.length()).filter_map(move |i| {
        sheets
            .item(i)
            .and_then(|s| s.dyn_into::<web_sys::CssStyleSheet>().ok())
    })
}

/// The page's sheets loaded from the diagram's stylesheet (normally one).
#[cfg(target_arch = "wasm32")]
pub fn diagram_sheets() -> impl Iterator<Item = web_sys::CssStyleSheet> {
    css_sheets().filter(|sheet| {
        sheet
            .href()
            .ok()
            .flatten()
            .is_some_and(|href| is_diagram_sheet(&href))
    })
}

/// Whether a stylesheet's URL is the diagram's: `…/diagram.css` or trunk's
/// `…/diagram-<hash>.css`, with any query or fragment.
#[cfg(any(target_arch = "wasm32", test))]
pub fn is_diagram_sheet(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or_default();
    let name = path.rsplit('/').next().unwrap_or_default();
    name.strip_suffix(".css").is_some_and(|stem| {
        stem == "diagram"
            || stem.strip_prefix("diagram-").is_some_and(|hash| {
                !hash.is_empty() && hash.chars().all(|c| c.is_ascii_alphanumeric())
            })
    })
}

/// The declarations of the first `:root { … }` block at or after `from`.
pub fn root_block(css: &str, from: usize) -> Option<&str> {
    let start = css.get(from..)?.find(":root")? + from;
    let open = css[start..].find('{')? + start + 1;
    let close = css[open..].find('}')? + open;
    Some(&css[open..close])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_light_root_block_holds_the_palette() {
        let css = page_stylesheet();
        let light = root_block(&css, 0).unwrap();
        assert!(light.contains("--bg:"), "{light}");
        assert!(!light.contains('}'));
    }

    #[test]
    fn no_root_block_past_the_end() {
        assert_eq!(root_block(":root { --a: 1; }", 99), None);
        assert_eq!(root_block("p { }", 0), None);
    }

    #[test]
    fn the_diagram_sheet_is_known_by_its_name_whatever_its_hash() {
        assert!(is_diagram_sheet(
            "https://x.org/eksplain/diagram-3f2a9c01d4e5b6a7.css"
        ));
        assert!(is_diagram_sheet("./diagram.css?v=2"));
        assert!(!is_diagram_sheet(
            "https://x.org/eksplain/style-3f2a9c01d4e5b6a7.css"
        ));
        assert!(!is_diagram_sheet("https://x.org/diagram-/x.css"));
        assert!(!is_diagram_sheet("https://x.org/mydiagram-1.css"));
    }

    #[test]
    fn the_diagram_sheet_has_none_of_the_editor() {
        let css = page_stylesheet();
        for editor in [".inspector", ".editor ", ".import-dialog"] {
            assert!(!css.contains(editor), "{editor} in diagram.css");
        }
    }
}
