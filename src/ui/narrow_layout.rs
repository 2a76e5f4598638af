//! [`use_narrow_layout`]: the page on a phone or in a narrow window (under 720 px, see
//! style.css). The top bar keeps the brand and the scenario's name; its tools (status,
//! search, Share, Open…, Import…, Export, Embed, Gallery) fold into a Menu that opens below
//! it, and the editor becomes a drawer over the diagram, opened with Edit and closed with its
//! Close button or Escape. Focus goes into the drawer when it opens and back to Edit when it
//! closes; Escape in the menu closes it and returns to Menu, and so does a click or tap
//! outside it (focus then goes where the click went). Both drawers (the editor, and the
//! inspector while something is selected) are modal there: a scrim dims the page behind
//! them and closes them when clicked, and Tab and Shift+Tab go round inside them. On wider
//! windows the buttons and the scrim are hidden, Tab is left alone and the state is ignored.

use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent, MouseEvent};
use yew::prelude::*;

use crate::model::Id;
use crate::ui::dom;

/// Under this width (CSS pixels, the viewport's) the layout is the narrow one: style.css's
/// `@media (max-width: 719.98px)`.
const NARROW_BELOW: f64 = 720.0;

/// What Tab can land on in a drawer (the visible ones count).
const FOCUSABLE: &str =
    "a[href], button:not([disabled]), input:not([disabled]):not([type=\"hidden\"]), \
    select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex=\"-1\"])";

/// The state of the narrow layout and what it draws.
#[derive(Clone)]
pub struct Narrow {
    pub menu_open: bool,
    pub editor_open: bool,
    set_menu: UseStateSetter<bool>,
    set_editor: UseStateSetter<bool>,
    menu_button: NodeRef,
    edit_button: NodeRef,
    drawer_close: NodeRef,
}

impl Narrow {
    /// Edit and Menu, for the top bar (shown on narrow windows only).
    pub fn buttons(&self) -> Html {
        let (menu, editor) = (self.menu_open, self.editor_open);
        let toggle_menu = {
            let set = self.set_menu.clone();
            Callback::from(move |_: MouseEvent| set.set(!menu))
        };
        let open_editor = {
            let (set, set_menu) = (self.set_editor.clone(), self.set_menu.clone());
            Callback::from(move |_: MouseEvent| {
                set_menu.set(false);
                set.set(!editor);
            })
        };
        html! {
            <div class="narrow-buttons">
                <button ref={self.edit_button.clone()} type="button" class="share-button" data-action="open-editor"
                    aria-controls="editor-drawer" aria-expanded={editor.to_string()} onclick={open_editor}>{ "Edit" }</button>
                <button ref={self.menu_button.clone()} type="button" class="share-button" data-action="menu"
                    aria-controls="topbar-menu" aria-expanded={menu.to_string()} onclick={toggle_menu}>{ "Menu" }</button>
            </div>
        }
    }

    /// The drawer's title bar: its name and Close (narrow windows only).
    pub fn drawer_head(&self) -> Html {
        let close = {
            let set = self.set_editor.clone();
            Callback::from(move |_: MouseEvent| set.set(false))
        };
        html! {
            <div class="drawer-head">
                <span class="drawer-title">{ "Scenario" }</span>
                <button ref={self.drawer_close.clone()} type="button" class="share-button" data-action="close-editor"
                    aria-controls="editor-drawer" onclick={close}>{ "Close" }</button>
            </div>
        }
    }

    /// The scrim behind an open drawer: a click on it closes the editor drawer, else the
    /// inspector (`inspecting`: something is selected). Drawn on narrow windows only.
    pub fn scrim(&self, inspecting: bool, on_select: Callback<Option<Id>>) -> Html {
        if !self.editor_open && !inspecting {
            return Html::default();
        }
        let (editor, set) = (self.editor_open, self.set_editor.clone());
        let close = Callback::from(move |_: MouseEvent| {
            if editor {
                set.set(false);
            } else {
                on_select.emit(None);
            }
        });
        html! { <div class="drawer-scrim" data-kind="drawer-scrim" aria-hidden="true" onclick={close}></div> }
    }

    /// Tab and Shift+Tab go round inside the inspector while it is a drawer.
    pub fn inspector_keys(&self) -> Callback<KeyboardEvent> {
        Callback::from(|e: KeyboardEvent| trap_tab(&e, ".inspector"))
    }

    /// Escape in the menu closes it.
    pub fn menu_keys(&self) -> Callback<KeyboardEvent> {
        let (open, set, button) = (
            self.menu_open,
            self.set_menu.clone(),
            self.menu_button.clone(),
        );
        Callback::from(move |e: KeyboardEvent| {
            if open && e.key() == "Escape" && !in_dialog(&e) {
                set.set(false);
                if let Some(b) = button.cast::<Element>() {
                    dom::focus_element(&b);
                }
            }
        })
    }

    /// Escape in the drawer closes it; Tab goes round inside it.
    pub fn drawer_keys(&self) -> Callback<KeyboardEvent> {
        let (open, set) = (self.editor_open, self.set_editor.clone());
        Callback::from(move |e: KeyboardEvent| {
            if open && e.key() == "Escape" && !in_dialog(&e) {
                set.set(false);
            } else if open {
                trap_tab(&e, ".editor-drawer");
            }
        })
    }
}

/// Whether the window is narrow (the drawers are drawers).
fn narrow_now() -> bool {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w < NARROW_BELOW)
}

/// Tab from the last thing Tab reaches in the drawer (the `drawer` the key was pressed in)
/// goes to the first, Shift+Tab from the first (or from before it, its heading) to the last:
/// focus stays in the drawer. Narrow windows only; a dialog opened from the drawer keeps its
/// own. (Yew listens at the root, so the drawer is found from the event's target.)
fn trap_tab(e: &KeyboardEvent, drawer: &str) {
    if e.key() != "Tab" || !narrow_now() || in_dialog(e) {
        return;
    }
    let Some(drawer) = e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest(drawer).ok().flatten())
    else {
        return;
    };
    let Ok(all) = drawer.query_selector_all(FOCUSABLE) else {
        return;
    };
    let stops: Vec<Element> = (0..all.length())
        .filter_map(|i| all.item(i)?.dyn_into::<Element>().ok())
        .filter(|el| {
            let r = el.get_bounding_client_rect();
            r.width() > 0.0 || r.height() > 0.0
        })
        .collect();
    let (Some(first), Some(last)) = (stops.first(), stops.last()) else {
        return;
    };
    // Focus on something Tab does not stop at (the inspector's heading, at its top) counts
    // as before the first stop.
    let at = dom::active_element()
        .filter(|a| drawer.contains(Some(a)))
        .map(|a| stops.iter().position(|s| *s == a));
    let target = match (e.shift_key(), at) {
        (true, None | Some(None) | Some(Some(0))) => Some(last),
        (false, None) => Some(first),
        (false, Some(Some(i))) if i + 1 == stops.len() => Some(first),
        _ => None,
    };
    if let Some(target) = target {
        e.prevent_default();
        dom::focus_element(target);
    }
}

/// Whether a key was pressed in a dialog (Import…), which handles its own Escape.
fn in_dialog(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|t| t.closest("dialog").ok().flatten())
        .is_some()
}

#[hook]
pub fn use_narrow_layout() -> Narrow {
    let menu = use_state_eq(|| false);
    let editor = use_state_eq(|| false);
    let menu_button = use_node_ref();
    let edit_button = use_node_ref();
    let drawer_close = use_node_ref();
    // Focus into the drawer as it opens, back to Edit as it closes (not on the first render).
    let was_open = use_mut_ref(|| false);
    {
        let (edit_button, drawer_close) = (edit_button.clone(), drawer_close.clone());
        use_effect_with(*editor, move |open| {
            let before = std::mem::replace(&mut *was_open.borrow_mut(), *open);
            let target = if *open {
                drawer_close.cast::<Element>()
            } else if before {
                edit_button.cast::<Element>()
            } else {
                None
            };
            if let Some(e) = target {
                dom::focus_element(&e);
            }
        });
    }
    // A click or tap outside the open menu (and not on Menu, which toggles it) closes it.
    {
        let (set, button) = (menu.setter(), menu_button.clone());
        use_effect_with(*menu, move |open| {
            let listener = open.then(|| {
                let options = gloo_events::EventListenerOptions::run_in_capture_phase();
                gloo_events::EventListener::new_with_options(
                    &gloo_utils::document(),
                    "pointerdown",
                    options,
                    move |e| {
                        let target = e.target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
                        let inside =
                            |el: Option<Element>| el.is_some_and(|el| el.contains(target.as_ref()));
                        let menu = gloo_utils::document().get_element_by_id("topbar-menu");
                        if !inside(menu) && !inside(button.cast::<Element>()) {
                            set.set(false);
                        }
                    },
                )
            });
            move || drop(listener)
        });
    }
    Narrow {
        menu_open: *menu,
        editor_open: *editor,
        set_menu: menu.setter(),
        set_editor: editor.setter(),
        menu_button,
        edit_button,
        drawer_close,
    }
}
