//! [`page_stylesheet`]: the text of `www/style.css`, which the SVG export inlines and the embed
//! page's theme pinning reads.
//!
//! Natively (`eksplain render`, tests) there is no page, so the file is compiled in. In the
//! browser the page has already loaded it: it is read back from the CSSOM instead, which keeps
//! a second, 50 KB copy of the stylesheet out of the wasm (about 11 KB of the gzipped download).

use std::borrow::Cow;

/// The page's stylesheet as CSS text (comments may be gone; rules and custom properties are
/// as written).
#[cfg(not(target_arch = "wasm32"))]
pub fn page_stylesheet() -> Cow<'static, str> {
    Cow::Borrowed(include_str!("../../../www/style.css"))
}

/// The page's stylesheet as CSS text: every rule of every stylesheet the document could read
/// (a cross-origin sheet without CORS cannot be read and is skipped).
#[cfg(target_arch = "wasm32")]
pub fn page_stylesheet() -> Cow<'static, str> {
    let mut css = String::new();
    for sheet in css_sheets() {
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
}
