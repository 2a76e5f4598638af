//! [`use_frame_height`]: `embed.html` tells the page that frames it how tall its diagram is,
//! so the host can size the `<iframe>` to it (as Structurizr's embeds do):
//! `parent.postMessage({type: "eksplain:resize", height}, "*")` when it renders and whenever
//! that height changes, only when it is framed. `docs/embedding.md` gives the host's script.
//!
//! The embed page fits the diagram to its frame, so its document is always exactly as tall as
//! the frame; the height posted is the document's height at which the diagram, drawn at the
//! frame's width, fits without a margin: the document's scroll height with the drawing's own
//! height replaced by its width times its aspect ([`natural_height`]). In a frame of that
//! height the sum comes out the same, so a host that follows it settles at once.
//!
//! The message carries a number only, and the embed page listens to no message: nothing a
//! host posts can change what it shows (only its URL does).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The `type` of the message the embed page posts to its parent.
pub const RESIZE_MESSAGE: &str = "eksplain:resize";

/// What to measure: the drawn `<svg>` (a CSS selector) and its height over its width when
/// drawn whole (`None`: read it from the element's `viewBox`), and what else must fit: an
/// element beside the drawing (the architecture view's walk-through), whose bottom plus
/// [`BESIDE_MARGIN`] the height is never less than.
#[derive(Debug, Clone, PartialEq)]
pub struct Drawing {
    pub selector: &'static str,
    pub aspect: Option<f64>,
    pub beside: Option<&'static str>,
}

/// Room kept under the element beside the drawing (the walk-through's bottom margin).
pub const BESIDE_MARGIN: f64 = 12.0;

/// The document's height at which a drawing `drawn_w` wide fits whole: `document_h` with the
/// drawing's `drawn_h` replaced by `drawn_w × aspect`, rounded up to a whole pixel. `None` for
/// sizes that are not positive and finite (nothing laid out yet). Pure.
pub fn natural_height(document_h: f64, drawn_w: f64, drawn_h: f64, aspect: f64) -> Option<f64> {
    let sizes = [document_h, drawn_w, drawn_h, aspect];
    if sizes.iter().any(|v| !v.is_finite()) || drawn_w <= 0.0 || aspect <= 0.0 {
        return None;
    }
    let height = (document_h - drawn_h + drawn_w * aspect).ceil();
    (height > 0.0).then_some(height)
}

/// Height over width of a `viewBox` attribute (`"x y w h"`, spaces or commas). Pure.
pub fn view_box_aspect(view_box: &str) -> Option<f64> {
    let numbers: Vec<f64> = view_box
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(crate::ui::decimal::decimal)
        .collect::<Option<_>>()?;
    match numbers[..] {
        [_, _, w, h] if w > 0.0 && h > 0.0 => Some(h / w),
        _ => None,
    }
}

/// The window that frames this page, if any (`window.parent`, when it is not this window).
fn framing_window() -> Option<web_sys::Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok()??;
    (!js_sys::Object::is(&parent, &window)).then_some(parent)
}

/// The height [`natural_height`] gives for `drawing` in the current layout.
fn measure(drawing: &Drawing) -> Option<f64> {
    let document = gloo_utils::document();
    let root = document.document_element()?;
    let svg = document.query_selector(drawing.selector).ok()??;
    let aspect = match drawing.aspect {
        Some(aspect) => aspect,
        None => view_box_aspect(&svg.get_attribute("viewBox")?)?,
    };
    let height = natural_height(
        f64::from(root.scroll_height()),
        f64::from(svg.client_width()),
        f64::from(svg.client_height()),
        aspect,
    )?;
    // Past a drawing squeezed by what is beside it the sum comes out too short, and would
    // shrink the frame again at every step: the frame is at least as tall as that element.
    let beside = drawing
        .beside
        .and_then(|selector| document.query_selector(selector).ok().flatten())
        .map_or(0.0, |e| {
            (e.get_bounding_client_rect().bottom() + BESIDE_MARGIN).ceil()
        });
    Some(height.max(beside))
}

/// Posts `{type: "eksplain:resize", height}` to `parent` with `height`.
fn post(parent: &web_sys::Window, height: f64) {
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"type".into(), &RESIZE_MESSAGE.into());
    let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
    // "*": the embed page cannot know its host's origin, and the message says nothing secret
    // (how tall a picture is that the host itself framed).
    let _ = parent.post_message(&message, "*");
}

/// Posts the diagram's height to the framing page after every render and on every change of
/// the document's size (a `ResizeObserver` on the root element: the frame resized, the legend
/// wrapped), each height once. Does nothing when the page is not framed.
#[hook]
pub fn use_frame_height(drawing: Option<Drawing>) {
    // What to measure now and the last height posted, shared with the observer's callback.
    let state = use_mut_ref(|| (None::<Drawing>, None::<f64>));
    state.borrow_mut().0 = drawing;
    let update = {
        let state = state.clone();
        move || {
            let Some(parent) = framing_window() else {
                return;
            };
            let mut state = state.borrow_mut();
            let Some(height) = state.0.as_ref().and_then(measure) else {
                return;
            };
            if state.1 != Some(height) {
                state.1 = Some(height);
                post(&parent, height);
            }
        }
    };
    {
        let update = update.clone();
        use_effect(update);
    }
    use_effect_with((), move |_| {
        let observer = observe_root(update);
        move || {
            if let Some(observer) = observer {
                observer.disconnect();
            }
        }
    });
}

/// A `ResizeObserver` on the document's root element that calls `update`.
fn observe_root(update: impl Fn() + 'static) -> Option<web_sys::ResizeObserver> {
    framing_window()?;
    let root = gloo_utils::document().document_element()?;
    let callback = Closure::<dyn FnMut()>::new(update);
    let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    // The observer lives as long as the page: the closure too.
    callback.forget();
    observer.observe(&root);
    Some(observer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drawing_is_given_its_width_times_its_aspect() {
        // A 600 px frame, 900 px wide, 40 px of it not the drawing; a drawing twice as wide as
        // tall wants 450 px, so the document 490.
        assert_eq!(natural_height(600.0, 900.0, 560.0, 0.5), Some(490.0));
        // In a frame of that height the answer is the same: a host settles at once.
        assert_eq!(natural_height(490.0, 900.0, 450.0, 0.5), Some(490.0));
        // Rounded up to whole pixels.
        assert_eq!(natural_height(100.0, 301.0, 100.0, 1.0 / 3.0), Some(101.0));
        // Nothing laid out yet, or nonsense: nothing posted.
        assert_eq!(natural_height(600.0, 0.0, 0.0, 0.5), None);
        assert_eq!(natural_height(600.0, 900.0, 560.0, f64::NAN), None);
        assert_eq!(natural_height(0.0, 10.0, 600.0, 0.5), None);
    }

    #[test]
    fn view_box_aspects() {
        assert_eq!(view_box_aspect("0 0 200 100"), Some(0.5));
        assert_eq!(view_box_aspect("-20.00,-20.00 440 220"), Some(0.5));
        assert_eq!(view_box_aspect("0 0 0 100"), None);
        assert_eq!(view_box_aspect("0 0 100"), None);
        assert_eq!(view_box_aspect("a b c d"), None);
    }
}
