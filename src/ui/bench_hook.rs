//! Hooks for the in-browser benchmark (`cargo xtask bench`): the model's build timed inside
//! wasm, so the figure is the cluster build alone, not parsing in JavaScript or drawing.
//! Trunk exposes wasm exports as `window.wasmBindings`.

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
