//! In-browser tests: the real Yew app mounted in headless Chromium.
//!
//! Run with `cargo xtask test` (step "wasm tests"), or by hand:
//!
//! ```text
//! CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//! CHROMEDRIVER=/usr/bin/chromedriver \
//!   cargo test -p eksplain --target wasm32-unknown-unknown --test wasm
//! ```
//!
//! The Chrome flags come from `webdriver.json` at the repository root. Tests select elements
//! by the `data-kind` / `data-id` DOM contract (see DESIGN.md), never by CSS class.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::Element;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `eksplain::ui::App` into a fresh `<div>` appended to `<body>` and returns the div.
/// Dropping the handle does not unmount the app, so the div keeps its content.
fn mount_app() -> Element {
    let div = gloo_utils::document()
        .create_element("div")
        .expect("create a <div>");
    gloo_utils::body()
        .append_child(&div)
        .expect("append the <div> to <body>");
    yew::Renderer::<eksplain::ui::App>::with_root(div.clone()).render();
    div
}

/// Yields to the browser until `selector` matches inside `root`, for at most two seconds.
async fn wait_for(root: &Element, selector: &str) -> Element {
    for _ in 0..200 {
        if let Some(found) = root.query_selector(selector).expect("a valid CSS selector") {
            return found;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!(
        "no element matches {selector:?} after 2 s; rendered HTML:\n{}",
        root.inner_html()
    );
}

#[wasm_bindgen_test]
async fn app_mounts_and_renders_its_root() {
    let root = mount_app();
    let app = wait_for(&root, r#"[data-kind="app"]"#).await;
    assert!(
        app.is_connected(),
        "the app root is attached to the document"
    );
}

/// Clicks the first element matching `selector` inside `root`.
async fn click(root: &Element, selector: &str) {
    use wasm_bindgen::JsCast;
    wait_for(root, selector)
        .await
        .dyn_into::<web_sys::HtmlElement>()
        .expect("an HTML element")
        .click();
}

/// The editor's Add node group button adds a group whose nodes the diagram draws, and the
/// change note says how many nodes there are now; Remove takes it away again.
#[wasm_bindgen_test]
async fn the_editor_adds_and_removes_a_node_group_and_says_what_changed() {
    let root = mount_app();
    wait_for(&root, r#"[data-kind="node"][data-id="node:ng-1-3"]"#).await;
    click(&root, r#"[data-action="add-managedNodeGroups"]"#).await;
    wait_for(&root, r#"[data-kind="node"][data-id="node:ng-2-2"]"#).await;
    let note = wait_for(&root, r#"[data-kind="change-summary"]"#).await;
    let text = note.text_content().unwrap_or_default();
    assert!(text.contains("nodes 3 → 5"), "{text}");
    assert_eq!(note.get_attribute("role").as_deref(), Some("status"));
    // The new group's form is open: its subnets field is there to edit.
    wait_for(&root, r#"[data-field="managedNodeGroups[1].subnets"]"#).await;
    click(
        &root,
        r#"[data-item="managedNodeGroups[1]"] [data-action="remove"]"#,
    )
    .await;
    for _ in 0..200 {
        if root
            .query_selector(r#"[data-kind="node"][data-id="node:ng-2-1"]"#)
            .unwrap()
            .is_none()
        {
            let text = root
                .query_selector(r#"[data-kind="change-summary"]"#)
                .unwrap()
                .and_then(|n| n.text_content())
                .unwrap_or_default();
            assert!(text.contains("nodes 5 → 3"), "{text}");
            return;
        }
        yew::platform::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("ng-2's nodes are still drawn after Remove");
}
