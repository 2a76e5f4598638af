//! Hooks for the in-browser benchmark (`cargo xtask bench`): the model's build timed inside
//! wasm, so the figure is the cluster build alone, not parsing in JavaScript or drawing; and a
//! signal after every render of the page, so the benchmark can time a toggle's work without
//! waiting for the next frame. Trunk exposes wasm exports as `window.wasmBindings`.

use yew::prelude::*;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::prelude::wasm_bindgen;

/// `performance.now()` without enabling another web-sys feature.
#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    use wasm_bindgen::JsCast;
    let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap_or_default();
    js_sys::Reflect::get(&perf, &"now".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call0(&perf).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

/// `performance.mark(name)`: the steps of the page's start-up (`ui::opening::mark`), which the
/// benchmark reads from the page's performance timeline.
#[cfg(target_arch = "wasm32")]
pub fn mark(name: &str) {
    use wasm_bindgen::JsCast;
    let perf = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).unwrap_or_default();
    if let Ok(f) =
        js_sys::Reflect::get(&perf, &"mark".into()).and_then(|f| f.dyn_into::<js_sys::Function>())
    {
        let _ = f.call1(&perf, &name.into());
    }
}

/// Parses `json` and builds its cluster `runs` times; returns each build's milliseconds (the
/// parse is not timed), or an empty list when the scenario is invalid.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn eksplain_bench_build(json: &str, runs: u32) -> Vec<f64> {
    let Ok(scenario) = crate::scenario::from_json(json) else {
        return Vec::new();
    };
    (0..runs.max(1))
        .map(|_| {
            let start = now_ms();
            let built = crate::model::build(&scenario);
            let took = now_ms() - start;
            drop(built);
            took
        })
        .collect()
}

/// Decodes the share link `link` `runs` times (base64, inflate, JSON, the scenario's types —
/// what opening a link does before the build); returns each decode's milliseconds, refused or
/// not (a refusal costs the main thread the same way), followed by 1 when it decoded and 0 when
/// it was refused. Issue 17's budget: 50 ms at the largest link accepted.
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen]
pub fn eksplain_bench_decode_link(link: &str, runs: u32) -> Vec<f64> {
    let mut times = Vec::new();
    let mut ok = false;
    for _ in 0..runs.max(1) {
        let start = now_ms();
        let decoded = crate::scenario::decode_link(link);
        times.push(now_ms() - start);
        ok = decoded.is_ok();
    }
    times.push(if ok { 1.0 } else { 0.0 });
    times
}

/// Calls `window.eksplainRendered()`, when the page has set it, after every render of the
/// calling component. Used once, in the root [`crate::ui::App`]: Yew runs a parent's effects
/// after its children's, so the call comes when the whole page has rendered and its effects
/// have run — the end of a toggle's work before the browser's style and layout.
#[hook]
pub fn use_rendered_signal() {
    use_effect(|| {
        #[cfg(target_arch = "wasm32")]
        {
            use wasm_bindgen::JsCast;
            let global = js_sys::global();
            if let Ok(f) = js_sys::Reflect::get(&global, &"eksplainRendered".into())
                .and_then(|f| f.dyn_into::<js_sys::Function>())
            {
                let _ = f.call0(&global);
            }
        }
    });
}
