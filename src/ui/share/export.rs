//! Browser side of export and import: download the standalone SVG ([`render_document`]) or a
//! PNG of it, drawn with the page's current [`ViewOptions`] (the view and the flow shown), and
//! read a scenario back from an exported SVG or a JSON file. Called from handlers only.

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
        .await
        .map_err(|p| format!("the scenario cannot be drawn: {}", render_problems(&p)))?;
    let blob = blob_of(&svg, "image/svg+xml").map_err(js_message)?;
    download(&blob, &svg_file_name(&scenario)).map_err(js_message)
}

/// Downloads the diagram as a PNG at twice its size: the SVG drawn into a canvas.
pub async fn download_png(scenario: Scenario, options: ViewOptions) -> Result<(), String> {
    let svg = render_document(&scenario, &options)
        .await
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

/// Reads a scenario from a file the user picked or dropped: an exported SVG (`.eksplain.svg`,
/// or any SVG with eksplain's `<metadata>`) or JSON.
pub async fn read_file(file: web_sys::File) -> Result<Scenario, String> {
    let name = file.name();
    let text = JsFuture::from(file.text())
        .await
        .map_err(js_message)?
        .as_string()
        .unwrap_or_default();
    scenario_from_text(&name, &text)
}

/// A scenario from the text of an SVG exported by eksplain or of a JSON scenario. Pure.
pub fn scenario_from_text(name: &str, text: &str) -> Result<Scenario, String> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('<') {
        scenario_from_svg(text).map_err(|e| format!("{name}: {e}"))
    } else {
        from_json(text)
            .map_err(|p| format!("{name} is not a valid scenario: {}", render_problems(&p)))
    }
}

fn js_message(e: JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "the browser refused".to_string())
}
