//! Browser side of export and import: download the standalone SVG ([`render_document`]) or a
//! PNG of it, drawn with the page's current [`ViewOptions`] (the view and the flow shown), and
//! read a scenario back from an exported SVG or a JSON file, or tell what goes to the import
//! module instead ([`classify`]). Called from handlers only.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::pipeline::ViewOptions;
use crate::scenario::{from_json, Scenario};
use crate::ui::file_name::{file_name, svg_file_name};
use crate::ui::standalone_svg::{render_document, render_problems, scenario_from_svg};

fn blob_of(text: &str, mime: &str) -> Result<web_sys::Blob, JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
}

/// Offers a blob as a download named `name`.
fn download(blob: &web_sys::Blob, name: &str) -> Result<(), JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = gloo_utils::document();
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(name);
    a.set_attribute("hidden", "")?;
    let body = gloo_utils::body();
    body.append_child(&a)?;
    a.click();
    body.remove_child(&a)?;
    // Let the download start before the URL goes.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    gloo_utils::window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000)?;
    Ok(())
}

/// Downloads `text` as a file named `name` (a saved draft kept aside, for the user to keep).
pub fn download_text(text: &str, name: &str, mime: &str) -> Result<(), String> {
    let blob = blob_of(text, mime).map_err(js_message)?;
    download(&blob, name).map_err(js_message)
}

/// Downloads the diagram as a standalone SVG, `NAME.eksplain.svg`. Errors come back as a message for the user.
pub async fn download_svg(scenario: Scenario, options: ViewOptions) -> Result<(), String> {
    let svg = render_document(&scenario, &options)
        .map_err(|p| format!("the scenario cannot be drawn: {}", render_problems(&p)))?;
    let blob = blob_of(&svg, "image/svg+xml").map_err(js_message)?;
    download(&blob, &svg_file_name(&scenario)).map_err(js_message)
}

/// Downloads the diagram as a PNG at twice its size: the SVG drawn into a canvas.
pub async fn download_png(scenario: Scenario, options: ViewOptions) -> Result<(), String> {
    let svg = render_document(&scenario, &options)
        .map_err(|p| format!("the scenario cannot be drawn: {}", render_problems(&p)))?;
    let blob = blob_of(&svg, "image/svg+xml").map_err(js_message)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_message)?;
    let image = web_sys::HtmlImageElement::new().map_err(js_message)?;
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        image.set_onload(Some(&resolve));
        image.set_onerror(Some(&reject));
    });
    image.set_src(&url);
    let result = JsFuture::from(loaded).await;
    let _ = web_sys::Url::revoke_object_url(&url);
    result.map_err(|_| "the browser could not draw the SVG".to_string())?;
    let scale = 2.0;
    let (w, h) = (image.natural_width(), image.natural_height());
    let canvas: web_sys::HtmlCanvasElement = gloo_utils::document()
        .create_element("canvas")
        .map_err(js_message)?
        .dyn_into()
        .map_err(|_| "no canvas".to_string())?;
    canvas.set_width((f64::from(w) * scale) as u32);
    canvas.set_height((f64::from(h) * scale) as u32);
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_message)?
        .ok_or("no 2d canvas")?
        .dyn_into()
        .map_err(|_| "no 2d canvas".to_string())?;
    context.scale(scale, scale).map_err(js_message)?;
    context
        .draw_image_with_html_image_element(&image, 0.0, 0.0)
        .map_err(js_message)?;
    let png = js_sys::Promise::new(&mut |resolve, _| {
        let _ = canvas.to_blob(&resolve);
    });
    let png: web_sys::Blob = JsFuture::from(png)
        .await
        .map_err(js_message)?
        .dyn_into()
        .map_err(|_| "the browser could not make the PNG".to_string())?;
    download(&png, &file_name(&scenario, "png")).map_err(js_message)
}

/// Files past this are refused unread, as the import module refuses them.
const MAX_OPEN_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// The name and text of a file the user picked or dropped.
pub async fn read_text(file: web_sys::File) -> Result<(String, String), String> {
    let name = file.name();
    if file.size() > MAX_OPEN_BYTES {
        return Err(format!("{name}: eksplain opens files of at most 10 MiB"));
    }
    let text = JsFuture::from(file.text())
        .await
        .map_err(js_message)?
        .as_string()
        .unwrap_or_default();
    Ok((name, text))
}

/// What a file, or text pasted on the page, opens as.
#[derive(Debug)]
pub enum Opened {
    /// A scenario: JSON, an SVG exported by eksplain, or a share link.
    Scenario(Box<Scenario>),
    /// A scenario (or an SVG, or a link) that cannot be read: why.
    Refused(String),
    /// Anything else — YAML, an eksctl ClusterConfig, Kubernetes manifests, `aws` output —
    /// for the import module, which the page fetches only now.
    Import,
}

/// Decides what `text` opens as. Only what the page reads itself is parsed here (a JSON
/// scenario, an exported SVG, a link); the rest goes to the import module, so the page's own
/// wasm carries no YAML parser. Pure.
pub fn classify(name: &str, text: &str) -> Opened {
    let trimmed = text.trim();
    if trimmed.starts_with('<') {
        return match scenario_from_svg(text) {
            Ok(s) => Opened::Scenario(Box::new(s)),
            Err(e) => Opened::Refused(format!("{name}: {e}")),
        };
    }
    // A share link (the whole URL or its fragment), pasted.
    let fragment = trimmed.split_once('#').map_or(trimmed, |(_, f)| f);
    if !trimmed.contains(char::is_whitespace)
        && !trimmed.starts_with('{')
        && crate::ui::url_state::has_scenario(fragment)
    {
        return match crate::scenario::decode_link(trimmed) {
            Ok(s) => Opened::Scenario(Box::new(s)),
            Err(e) => Opened::Refused(format!("This link could not be opened: {e}.")),
        };
    }
    match from_json(text) {
        Ok(s) => Opened::Scenario(Box::new(s)),
        Err(problems) => {
            // JSON with a `version` and no Kubernetes `apiVersion` is meant as a scenario: its
            // problems are the answer. Other JSON (aws output, manifests) and YAML are imported.
            let scenario_like = serde_json::from_str::<serde_json::Value>(text)
                .ok()
                .and_then(|v| {
                    v.as_object()
                        .map(|o| o.contains_key("version") && !o.contains_key("apiVersion"))
                })
                .unwrap_or(false);
            if scenario_like {
                Opened::Refused(format!(
                    "{name} is not a valid scenario: {}",
                    render_problems(&problems)
                ))
            } else {
                Opened::Import
            }
        }
    }
}

/// A scenario from the text of an SVG exported by eksplain or of a JSON scenario. Pure.
pub fn scenario_from_text(name: &str, text: &str) -> Result<Scenario, String> {
    match classify(name, text) {
        Opened::Scenario(s) => Ok(*s),
        Opened::Refused(why) => Err(why),
        Opened::Import => from_json(text)
            .map_err(|p| format!("{name} is not a valid scenario: {}", render_problems(&p))),
    }
}

fn js_message(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{default_scenario, encode_link, to_json};

    fn kind(text: &str) -> &'static str {
        match classify("f", text) {
            Opened::Scenario(_) => "scenario",
            Opened::Refused(_) => "refused",
            Opened::Import => "import",
        }
    }

    #[test]
    fn scenarios_open_here_and_the_rest_goes_to_the_import_module() {
        let json = to_json(&default_scenario());
        assert_eq!(kind(&json), "scenario");
        let link = encode_link(&default_scenario());
        assert_eq!(
            kind(&format!("https://x.org/eksplain/{link}&view=architecture")),
            "scenario"
        );
        assert_eq!(kind(&link), "scenario");
        assert_eq!(kind(&link[..link.len() / 2]), "refused");
        assert_eq!(kind(r#"{"version": 1, "vpc": {"cidr": 3}}"#), "refused");
        assert_eq!(kind("<svg xmlns='http://www.w3.org/2000/svg'/>"), "refused");
        let eksctl = include_str!("../../../tests/fixtures/import/eksctl-01-simple-cluster.yaml");
        assert_eq!(kind(eksctl), "import");
        assert_eq!(kind(r#"{"Vpcs": []}"#), "import");
        assert_eq!(kind(r#"{"apiVersion": "v1", "kind": "Service"}"#), "import");
        assert_eq!(kind("version: 1\nvpc:\n  cidr: 10.0.0.0/16\n"), "import");
        assert!(scenario_from_text("f", eksctl).is_err());
    }
}
