//! The page's whole share of Import…: when the button is pressed, it adds the import module's
//! opener script (`www/post_build.mjs` writes it), which fetches the module (the second wasm
//! module, `src/bin/eksplain_import.rs`) the first time and opens its dialog. The dialog, the
//! worker that reads the inputs, the importer and the YAML parser all live in that module, so
//! the page's first load carries none of them.
//!
//! Open…, a file dropped on the page and text pasted on it come here too when they are not a
//! scenario the page reads itself ([`open_with`]): the dialog opens with them and reads them at
//! once, showing its notes or problems before anything changes.
//!
//! What comes back is a [`EVENT`] event on the window: its `detail` is the imported scenario as
//! JSON text (read as any scenario is), `null` when the dialog closed without applying, or
//! `false` when the module could not be loaded.

use wasm_bindgen::JsValue;

use crate::ui::import_worker::module_url;

/// The window event the opener and the dialog send (`www/post_build.mjs`).
pub const EVENT: &str = "eksplain-import";

/// The sentence the user reads when the module does not come.
pub const NOT_LOADED: &str =
    "The import module could not be loaded. Reload the page and try again.";

/// What an [`EVENT`] says.
pub enum Outcome {
    /// The scenario to apply, as JSON text.
    Applied(String),
    /// Closed without applying.
    Closed,
    /// The module (its opener, glue or wasm) did not load.
    NotLoaded,
}

impl Outcome {
    /// Reads an [`EVENT`]'s `detail`.
    pub fn of(detail: JsValue) -> Outcome {
        match detail.as_string() {
            Some(json) => Outcome::Applied(json),
            None if detail == JsValue::FALSE => Outcome::NotLoaded,
            None => Outcome::Closed,
        }
    }
}

/// The window property the opener takes the inputs of [`open_with`] from (and deletes).
pub const INPUTS: &str = "eksplainImportInputs";

/// Opens the dialog with these inputs (name, text) read at once.
pub fn open_with(inputs: &[(String, String)]) {
    let json = serde_json::to_string(inputs).unwrap_or_default();
    let _ = js_sys::Reflect::set(
        &gloo_utils::window(),
        &JsValue::from_str(INPUTS),
        &JsValue::from_str(&json),
    );
    open_dialog();
}

/// Adds the opener script, which opens the dialog (the module ignores a press while one is
/// open). The opener's own failure to load is an [`Outcome::NotLoaded`] event too.
pub fn open_dialog() {
    let document = gloo_utils::document();
    let opener = module_url().ok().and_then(|loader| {
        let script = document.create_element("script").ok()?;
        script
            .set_attribute("src", &loader.replace("_loader.js", "_open.js"))
            .ok()?;
        Some(script)
    });
    let Some(script) = opener else {
        return not_loaded();
    };
    gloo_events::EventListener::once(&script, "error", |_| not_loaded()).forget();
    let _ = gloo_utils::head().append_child(&script);
}

/// Tells the page the module did not load, as the opener would.
fn not_loaded() {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&JsValue::FALSE);
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(EVENT, &init) {
        let _ = gloo_utils::window().dispatch_event(&event);
    }
}
