//! [`use_pan_zoom`]: zoom and pan of an `<svg>` over a scene, one code path for the network
//! diagram (`canvas.rs`) and the architecture view (`architecture_view.rs`): the wheel, a
//! drag, the + / − / 0 keys, Shift + arrow keys and the zoom toolbar, over the arithmetic of
//! `viewport.rs`. The caller gives the scene's size and the box of its first view; it gets
//! the `viewBox` to draw, the element's measured size and the handlers to put on the
//! `<svg>`.
//!
//! All DOM access happens in handlers and effects, so the views still render natively.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent, MouseEvent, PointerEvent, WheelEvent};
use yew::prelude::*;

use crate::layout::{Rect, Size};
use crate::ui::dom;
use crate::ui::viewport::{Bounds, View, ViewAction, ViewBox};

/// Zoom step of a button press or key press.
const STEP: f64 = 1.25;
/// CSS pixels a Shift + arrow key pans.
const ARROW_PAN: f64 = 60.0;
/// A press that moves less than this is a click, not a drag.
const DRAG_THRESHOLD: f64 = 4.0;

/// A press of the primary button on the drawing.
struct Press {
    pointer: i32,
    start: (i32, i32),
    last: (i32, i32),
    dragging: bool,
}

/// The size of the element behind `svg`, or a typical one before it is mounted.
pub fn view_size(svg: &NodeRef) -> Size {
    svg.cast::<Element>()
        .map_or(Size::new(800.0, 600.0), |e| dom::size_of(&e))
}

/// What [`use_pan_zoom`] gives a view.
#[derive(Clone)]
pub struct PanZoom {
    /// Put on the `<svg>`.
    pub svg: NodeRef,
    /// The box to draw (`viewBox`).
    pub view_box: ViewBox,
    /// The user moved away from the first view (Fit is lit).
    pub custom: bool,
    /// The box the user moved to (`None`: the first view).
    pub custom_view: Option<ViewBox>,
    /// The element's size, once measured.
    pub measured: Option<Size>,
    pub bounds: Bounds,
    pub dispatcher: UseReducerDispatcher<View>,
    pub onpointerdown: Callback<PointerEvent>,
    pub onpointermove: Callback<PointerEvent>,
    /// For `onpointerup` and `onpointercancel`.
    pub end_press: Callback<PointerEvent>,
    /// Set when a drag ends: the click that follows it is not a click.
    dragged: Rc<RefCell<bool>>,
}

impl PanZoom {
    /// Whether the click being handled ends a drag (and must not select); clears the mark.
    pub fn was_drag(&self) -> bool {
        std::mem::take(&mut *self.dragged.borrow_mut())
    }

    /// The CSS pixels per scene unit at which the view is drawn.
    pub fn scale(&self) -> f64 {
        self.view_box
            .scale(self.measured.unwrap_or_else(|| view_size(&self.svg)))
    }

    fn zoom_by(&self, factor: f64) {
        self.dispatcher.dispatch(ViewAction::Zoom {
            factor,
            anchor: None,
            view: view_size(&self.svg),
            bounds: self.bounds,
        });
    }

    fn pan_by(&self, dx: f64, dy: f64) {
        self.dispatcher.dispatch(ViewAction::Pan {
            dx,
            dy,
            view: view_size(&self.svg),
            bounds: self.bounds,
        });
    }

    /// Brings `target` (scene units) into view when none of it is.
    pub fn reveal(&self, target: Rect) {
        self.dispatcher.dispatch(ViewAction::Reveal {
            target,
            view: view_size(&self.svg),
            bounds: self.bounds,
        });
    }

    /// The view's keys: + and − zoom, 0 fits, Shift + arrows pan (plain arrows too when
    /// `arrows_pan`: a view with nothing to move between). Returns whether it took the key
    /// (and kept it from the page).
    pub fn keydown(&self, e: &KeyboardEvent, arrows_pan: bool) -> bool {
        if e.ctrl_key() || e.meta_key() || e.alt_key() {
            return false;
        }
        let pan = arrows_pan || e.shift_key();
        match e.key().as_str() {
            "+" | "=" => self.zoom_by(STEP),
            "-" | "_" => self.zoom_by(1.0 / STEP),
            "0" => self.dispatcher.dispatch(ViewAction::Fit),
            "ArrowLeft" if pan => self.pan_by(ARROW_PAN, 0.0),
            "ArrowRight" if pan => self.pan_by(-ARROW_PAN, 0.0),
            "ArrowUp" if pan => self.pan_by(0.0, ARROW_PAN),
            "ArrowDown" if pan => self.pan_by(0.0, -ARROW_PAN),
            _ => return false,
        }
        e.prevent_default();
        true
    }

    /// The zoom toolbar (Zoom in, Zoom out, Fit), for the corner of the view.
    pub fn tools(&self) -> Html {
        let zoom_in = {
            let me = self.clone();
            Callback::from(move |_: MouseEvent| me.zoom_by(STEP))
        };
        let zoom_out = {
            let me = self.clone();
            Callback::from(move |_: MouseEvent| me.zoom_by(1.0 / STEP))
        };
        let fit = {
            let dispatcher = self.dispatcher.clone();
            Callback::from(move |_: MouseEvent| dispatcher.dispatch(ViewAction::Fit))
        };
        // The names are what the buttons show (+ and − read as plus and minus), then what
        // they do (WCAG 2.5.3: a name starts with the visible label).
        html! {
            <div class="diagram-tools" role="toolbar" aria-label="Zoom">
                <button type="button" class="tool" data-action="zoom-in" onclick={zoom_in} aria-label="Zoom in" title="Zoom in (+)">{"+"}</button>
                <button type="button" class="tool" data-action="zoom-out" onclick={zoom_out} aria-label="Zoom out" title="Zoom out (−)">{"−"}</button>
                <button type="button" class={classes!("tool", "tool-fit", self.custom.then_some("active"))} data-action="fit" onclick={fit} aria-label="Fit to screen" title="Fit to screen (0)">{"Fit"}</button>
            </div>
        }
    }
}

impl PartialEq for PanZoom {
    fn eq(&self, other: &Self) -> bool {
        self.view_box == other.view_box
            && self.custom_view == other.custom_view
            && self.measured == other.measured
            && self.bounds == other.bounds
    }
}

/// Zoom and pan over a scene of `bounds.scene`, starting at `initial` (a link's zoom) or its
/// first view, `bounds.home` for the element's size, which Fit returns to.
#[hook]
pub fn use_pan_zoom(bounds: Bounds, initial: Option<ViewBox>) -> PanZoom {
    let svg = use_node_ref();
    let view = use_reducer(move || View { custom: initial });
    let press = use_mut_ref(|| None::<Press>);
    let dragged = use_mut_ref(|| false);
    // The element's size, measured after every render (a panel opening beside the view
    // narrows it) and on window resizes: it decides which labels read and the level of
    // detail of huge scenes. Only a change re-renders.
    let measured = use_state_eq(|| None::<Size>);
    {
        let measured = measured.setter();
        let svg = svg.clone();
        use_effect(move || {
            if let Some(e) = svg.cast::<Element>() {
                measured.set(Some(dom::size_of(&e)));
            }
        });
    }
    {
        let measured = measured.setter();
        let svg = svg.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo_utils::window(), "resize", move |_| {
                if let Some(e) = svg.cast::<Element>() {
                    measured.set(Some(dom::size_of(&e)));
                }
            });
            move || drop(listener)
        });
    }
    // Wheel zoom needs a non-passive listener to keep the page from scrolling.
    {
        let dispatcher = view.dispatcher();
        let svg = svg.clone();
        let key = (
            bounds.scene.w.to_bits(),
            bounds.scene.h.to_bits(),
            bounds.focus.map(|r| ViewBox(r).attr()),
            bounds.min_scale.to_bits(),
        );
        use_effect_with(key, move |_| {
            let listener = svg.cast::<Element>().map(|element| {
                let target = element.clone();
                EventListener::new_with_options(
                    &target,
                    "wheel",
                    EventListenerOptions::enable_prevent_default(),
                    move |e| {
                        let Some(e) = e.dyn_ref::<WheelEvent>() else {
                            return;
                        };
                        e.prevent_default();
                        let unit = match e.delta_mode() {
                            1 => 16.0,
                            2 => 400.0,
                            _ => 1.0,
                        };
                        let factor = (-e.delta_y() * unit * 0.0015).clamp(-1.0, 1.0).exp();
                        dispatcher.dispatch(ViewAction::Zoom {
                            factor,
                            anchor: Some(dom::local_point(&element, e.client_x(), e.client_y())),
                            view: dom::size_of(&element),
                            bounds,
                        });
                    },
                )
            });
            move || drop(listener)
        });
    }

    let onpointerdown = {
        let press = press.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            *press.borrow_mut() = Some(Press {
                pointer: e.pointer_id(),
                start: (e.client_x(), e.client_y()),
                last: (e.client_x(), e.client_y()),
                dragging: false,
            });
        })
    };
    let onpointermove = {
        let press = press.clone();
        let svg = svg.clone();
        let dispatcher = view.dispatcher();
        Callback::from(move |e: PointerEvent| {
            let mut guard = press.borrow_mut();
            let Some(p) = guard.as_mut().filter(|p| p.pointer == e.pointer_id()) else {
                return;
            };
            let (x, y) = (e.client_x(), e.client_y());
            if !p.dragging {
                let moved = f64::from(x - p.start.0).hypot(f64::from(y - p.start.1));
                if moved < DRAG_THRESHOLD {
                    return;
                }
                p.dragging = true;
                // Captured only once it is a drag, so that a click keeps its real target.
                if let Some(e) = svg.cast::<Element>() {
                    let _ = e.set_pointer_capture(p.pointer);
                }
            }
            let (dx, dy) = (f64::from(x - p.last.0), f64::from(y - p.last.1));
            p.last = (x, y);
            drop(guard);
            dispatcher.dispatch(ViewAction::Pan {
                dx,
                dy,
                view: view_size(&svg),
                bounds,
            });
        })
    };
    let end_press = {
        let press = press.clone();
        let dragged = dragged.clone();
        Callback::from(move |e: PointerEvent| {
            let ended = press.borrow_mut().take_if(|p| p.pointer == e.pointer_id());
            if let Some(p) = ended {
                *dragged.borrow_mut() = p.dragging;
            }
        })
    };

    PanZoom {
        svg,
        view_box: view.view_box(bounds.home(*measured)),
        custom: view.custom.is_some(),
        custom_view: view.custom,
        measured: *measured,
        bounds,
        dispatcher: view.dispatcher(),
        onpointerdown,
        onpointermove,
        end_press,
        dragged,
    }
}
