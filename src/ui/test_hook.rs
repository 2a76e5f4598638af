//! `window.eksplainLoad(jsonText)`: loads a scenario document into the page as if the user
//! had replaced the draft (an [`Edit::Replace`]). Installed by [`use_load_hook`] once the App
//! is mounted; the e2e tests use it to load gallery scenarios. Returns `true` when the text
//! parsed, else the problems joined by newlines (nothing is changed then).
//!
//! `window.eksplainPanic()`: panics inside the page, so the e2e tests can check the panic hook
//! (`crash.rs`) keeps the draft and shows its message. Installed by [`use_panic_trigger`].

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::ui::workspace::Edit;

#[wasm_bindgen]
extern "C" {
    /// The global object, for the one property this module sets.
    type Global;
    #[wasm_bindgen(method, setter = eksplainLoad)]
    fn set_eksplain_load(this: &Global, f: &JsValue);
    #[wasm_bindgen(method, setter = eksplainPanic)]
    fn set_eksplain_panic(this: &Global, f: &JsValue);
}

/// Installs `window.eksplainLoad` for the life of the component (an effect: no DOM access
/// while rendering).
#[hook]
pub fn use_load_hook(on_edit: Callback<Edit>) {
    use_effect_with((), move |_| {
        let closure = Closure::<dyn Fn(String) -> JsValue>::new(move |text: String| {
            match crate::scenario::from_json(&text) {
                Ok(s) => {
                    on_edit.emit(Edit::Replace(Box::new(s)));
                    JsValue::TRUE
                }
                Err(problems) => JsValue::from_str(
                    &problems
                        .iter()
                        .map(|p| format!("{}: {}", p.path, p.message))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
            }
        });
        let window = gloo_utils::window();
        window
            .unchecked_ref::<Global>()
            .set_eksplain_load(closure.as_ref());
        move || {
            window
                .unchecked_ref::<Global>()
                .set_eksplain_load(&JsValue::UNDEFINED);
            drop(closure);
        }
    });
}

/// Installs `window.eksplainPanic()` for the life of the component: a real panic in a
/// callback, as a bug would have.
#[hook]
pub fn use_panic_trigger() {
    use_effect_with((), move |_| {
        let closure =
            Closure::<dyn Fn()>::new(|| panic!("eksplainPanic: a panic asked for by a test"));
        let window = gloo_utils::window();
        window
            .unchecked_ref::<Global>()
            .set_eksplain_panic(closure.as_ref());
        move || {
            window
                .unchecked_ref::<Global>()
                .set_eksplain_panic(&JsValue::UNDEFINED);
            drop(closure);
        }
    });
}
