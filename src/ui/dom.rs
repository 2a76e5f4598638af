//! The little DOM the components need, for event handlers and effects only (never during
//! render, so components stay renderable natively).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, EventTarget};

use crate::layout::{Point, Size};
use crate::model::Id;

#[wasm_bindgen]
extern "C" {
    /// Any DOM element, SVG ones included, for the two methods web-sys gates behind
    /// features this crate does not enable (`DomRect`) or puts on `HtmlElement` only (`focus`).
    type AnyElement;

    #[wasm_bindgen(method, js_name = getBoundingClientRect)]
    fn bounding_client_rect(this: &AnyElement) -> BoundingRect;

    #[wasm_bindgen(method, catch)]
    fn focus(this: &AnyElement) -> Result<(), JsValue>;

    /// `focus(options)`, for `{preventScroll: true}`.
    #[wasm_bindgen(method, catch, js_name = focus)]
    fn focus_with(this: &AnyElement, options: &JsValue) -> Result<(), JsValue>;

    /// `JSON.parse`, to make a small options object without another crate.
    #[wasm_bindgen(catch, js_namespace = JSON, js_name = parse)]
    fn json_parse(text: &str) -> Result<JsValue, JsValue>;

    /// The fields of a `DOMRect` that we read.
    type BoundingRect;

    #[wasm_bindgen(method, getter)]
    fn left(this: &BoundingRect) -> f64;

    #[wasm_bindgen(method, getter)]
    fn top(this: &BoundingRect) -> f64;
}

/// The `data-id` of the drawn thing at or around an event target.
pub fn closest_id(target: Option<EventTarget>) -> Option<Id> {
    let element = target?.dyn_into::<Element>().ok()?;
    element
        .closest("[data-id]")
        .ok()??
        .get_attribute("data-id")?
        .parse()
        .ok()
}

/// The id a drawn thing opens in the inspector: its `data-id`, or for a traced flow's stop
/// the thing it is at (`data-at`).
pub fn item_id(item: &Element) -> Option<Id> {
    item.get_attribute("data-id")
        .or_else(|| item.get_attribute("data-at"))?
        .parse()
        .ok()
}

/// Whether the reader's system asks for dark colours: what the page shows, so an export
/// draws the same.
pub fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// Moves keyboard focus to the drawn thing at or around an event target (a click on an SVG
/// shape does not focus it by itself), so the keyboard carries on from there.
pub fn focus_closest(target: Option<EventTarget>) {
    let Some(element) = target.and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    if let (Ok(Some(shape)), Ok(options)) = (
        element.closest("[data-id]"),
        json_parse(r#"{"preventScroll":true}"#),
    ) {
        // Without preventScroll the browser would scroll the stage to show the shape.
        let _ = shape.unchecked_ref::<AnyElement>().focus_with(&options);
    }
}

/// Moves keyboard focus to `element` (an SVG shape, a heading with `tabindex="-1"`) without
/// scrolling its container.
pub fn focus_element(element: &Element) {
    if let Ok(options) = json_parse(r#"{"preventScroll":true}"#) {
        let _ = element.unchecked_ref::<AnyElement>().focus_with(&options);
    }
}

/// The focused element, if any but the body.
pub fn active_element() -> Option<Element> {
    let document = gloo_utils::document();
    let active = document.active_element()?;
    (Some(&active) != document.body().as_ref().map(|b| b.as_ref())).then_some(active)
}

/// The size of an element's content box, in CSS pixels.
pub fn size_of(element: &Element) -> Size {
    Size::new(
        f64::from(element.client_width()),
        f64::from(element.client_height()),
    )
}

/// A viewport point (`clientX`, `clientY`) relative to an element's top-left corner.
pub fn local_point(element: &Element, client_x: i32, client_y: i32) -> Point {
    let r = element.unchecked_ref::<AnyElement>().bounding_client_rect();
    Point::new(
        f64::from(client_x) - r.left(),
        f64::from(client_y) - r.top(),
    )
}

/// A CSS attribute selector for `name="value"`.
fn attribute_selector(name: &str, value: &str) -> String {
    format!(
        "[{name}=\"{}\"]",
        value.replace('\\', "\\\\").replace('"', "\\\"")
    )
}

fn focus_first(selector: &str) {
    if let Ok(Some(element)) = gloo_utils::document().query_selector(selector) {
        let _ = element.unchecked_ref::<AnyElement>().focus();
    }
}

/// Moves keyboard focus to the editor field for a problem path, if there is one.
pub fn focus_field(path: &str) {
    focus_first(&attribute_selector("data-field", path));
}
