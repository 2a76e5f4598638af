//! Roving focus in the diagram: the whole drawing is one stop of the Tab key, and the arrow
//! keys move between its things (WAI-ARIA's roving tabindex). Every drawn thing carries
//! `tabindex="-1"` (`svg.rs`); the one the keyboard is on carries `0`, so Tab leaves the
//! drawing and Shift+Tab comes back to it. The things nest as the scene does (a VPC holds
//! subnets, a subnet nodes, a node ENIs…): arrows move among the things of one container,
//! Enter goes into a container, Escape comes back out to it.
//!
//! The page's ways into the drawing ([`skip_to_diagram`], [`back_to_diagram`]) land on that
//! thing too. DOM only, for handlers and effects (`canvas.rs`, `app.rs`).

use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent, MouseEvent};
use yew::Callback;

use crate::ui::dom;

/// Where a key moves the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Next,
    Previous,
    First,
    Last,
    /// Into the container: its first thing.
    In,
    /// Out to the container.
    Out,
}

/// Whether `e` is one of the things the keyboard moves between.
pub fn is_item(e: &Element) -> bool {
    e.has_attribute("tabindex") && e.has_attribute("data-kind")
}

/// The things directly in `container` (not inside another thing), in document order.
pub fn children(container: &Element) -> Vec<Element> {
    fn walk(e: &Element, out: &mut Vec<Element>) {
        let mut child = e.first_element_child();
        while let Some(c) = child {
            if is_item(&c) {
                out.push(c.clone());
            } else {
                walk(&c, out);
            }
            child = c.next_element_sibling();
        }
    }
    let mut out = Vec::new();
    walk(container, &mut out);
    out
}

/// The thing that holds `item`, or `None` at the top of `root`.
pub fn parent(item: &Element, root: &Element) -> Option<Element> {
    let mut up = item.parent_element();
    while let Some(e) = up {
        if &e == root {
            return None;
        }
        if is_item(&e) {
            return Some(e);
        }
        up = e.parent_element();
    }
    None
}

/// Where `m` takes the keyboard from `item` in the drawing `root`; `None` = nowhere (the
/// last of its row, a thing with nothing inside, the top).
pub fn target(item: &Element, root: &Element, m: Move) -> Option<Element> {
    let row = || children(&parent(item, root).unwrap_or_else(|| root.clone()));
    match m {
        Move::In => children(item).into_iter().next(),
        Move::Out => parent(item, root),
        Move::First => row().into_iter().next(),
        Move::Last => row().pop(),
        Move::Next | Move::Previous => {
            let row = row();
            let i = row.iter().position(|e| e == item)?;
            let j = if m == Move::Next {
                i.checked_add(1)?
            } else {
                i.checked_sub(1)?
            };
            row.get(j).cloned()
        }
    }
}

/// Makes `item` the drawing's one Tab stop.
pub fn make_current(root: &Element, item: &Element) {
    while let Ok(Some(other)) = root.query_selector("[tabindex=\"0\"]") {
        if &other == item {
            break;
        }
        let _ = other.set_attribute("tabindex", "-1");
    }
    let _ = item.set_attribute("tabindex", "0");
}

/// The drawing's Tab stop: the one set, else (first render, or it was redrawn) the first
/// match of the first of `first` that matches (the view's choice of where to start), else
/// the first thing at the top.
pub fn current_or(root: &Element, first: &[&str]) -> Option<Element> {
    if let Ok(Some(e)) = root.query_selector("[tabindex=\"0\"]") {
        return Some(e);
    }
    let e = first
        .iter()
        .find_map(|s| root.query_selector(s).ok().flatten().filter(is_item))
        .or_else(|| children(root).into_iter().next())?;
    make_current(root, &e);
    Some(e)
}

/// Focuses the drawing: the thing the keyboard was last on, or the view itself (the
/// architecture view, which has no things to move between). Returns whether it could.
pub fn focus_diagram() -> bool {
    let document = gloo_utils::document();
    let target = document
        .query_selector("#diagram [tabindex=\"0\"]")
        .ok()
        .flatten()
        .or_else(|| document.get_element_by_id("diagram"));
    match target {
        Some(e) => {
            dom::focus_element(&e);
            true
        }
        None => false,
    }
}

/// The skip link's click (Enter on it too): focus to the drawing, without the `#diagram`
/// fragment replacing the scenario's in the address.
pub fn skip_to_diagram() -> Callback<MouseEvent> {
    Callback::from(|e: MouseEvent| {
        if focus_diagram() {
            e.prevent_default();
        }
    })
}

/// Escape in a panel of the stage (the traffic panel, the description) goes back to the
/// drawing, where the keyboard was.
pub fn back_to_diagram() -> Callback<KeyboardEvent> {
    Callback::from(|e: KeyboardEvent| {
        if e.key() != "Escape" {
            return;
        }
        let in_panel = e
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .and_then(|t| {
                t.closest("[data-kind=\"flow-panel\"], [data-kind=\"description\"], .diagram-tools")
                    .ok()
                    .flatten()
            })
            .is_some();
        if in_panel && focus_diagram() {
            e.prevent_default();
        }
    })
}
