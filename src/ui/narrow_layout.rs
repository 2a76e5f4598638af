//! [`use_narrow_layout`]: the page on a phone or in a narrow window (under 720 px, see
//! style.css). The top bar keeps the brand and the scenario's name; its tools (status,
//! search, Share, Open…, Import…, Export, Embed, Gallery) fold into a Menu that opens below
//! it, and the editor becomes a drawer over the diagram, opened with Edit and closed with its
//! Close button or Escape. Focus goes into the drawer when it opens and back to Edit when it
//! closes; Escape in the menu closes it and returns to Menu. On wider windows the buttons are
//! hidden and the state is ignored.

use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent, MouseEvent};
use yew::prelude::*;

use crate::ui::dom;

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

    /// Escape in the drawer closes it.
    pub fn drawer_keys(&self) -> Callback<KeyboardEvent> {
        let (open, set) = (self.editor_open, self.set_editor.clone());
        Callback::from(move |e: KeyboardEvent| {
            if open && e.key() == "Escape" && !in_dialog(&e) {
                set.set(false);
            }
        })
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
