//! The editor refuses to run inside another site's frame (clickjacking: a page could lay the
//! editor under its own buttons, or drive it through the URL). `frame-ancestors` works only as
//! an HTTP header, and eksplain is a static site that sets none, so the entry point asks
//! [`framed_by_another_origin`] first and, when it is, mounts [`FramedNotice`] instead of the
//! app: no scenario is read, nothing is saved. `embed.html` is meant for frames and skips this.

use yew::prelude::*;

/// Is this page inside a frame whose top page is not of this page's origin? Reading a
/// cross-origin `top.location.origin` throws, and a sandboxed frame's origin is opaque, so
/// either counts as another origin.
pub fn framed_by_another_origin() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let top = match window.top() {
        Ok(Some(top)) => top,
        // No reachable top: be safe.
        _ => return true,
    };
    let this: &wasm_bindgen::JsValue = window.as_ref();
    let top_value: &wasm_bindgen::JsValue = top.as_ref();
    if this == top_value {
        return false;
    }
    let ours = window.location().origin().ok();
    let theirs = top.location().origin().ok();
    !matches!((ours, theirs), (Some(a), Some(b)) if a == b && a != "null")
}

#[derive(PartialEq, Properties)]
pub struct FramedNoticeProps {
    /// This page's address, for the link that opens it in its own tab.
    pub href: AttrValue,
}

/// What the editor shows in another site's frame: a sentence and a link to a tab of its own.
#[function_component(FramedNotice)]
pub fn framed_notice(props: &FramedNoticeProps) -> Html {
    html! {
        <main class="framed-notice" data-kind="framed-notice">
            <p>{ "The eksplain editor does not run inside another site's page." }</p>
            <p>
                <a href={props.href.clone()} target="_blank" rel="noopener noreferrer">
                    { "Open eksplain in its own tab ↗" }
                </a>
            </p>
            <p class="framed-hint">{ "To show a diagram in a page, embed embed.html instead." }</p>
        </main>
    }
}

// Rendered with Yew SSR, driven by futures-executor: a native dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn the_notice_links_to_the_page_in_a_new_tab() {
        let html = futures_executor::block_on(
            yew::ServerRenderer::<FramedNotice>::with_props(|| FramedNoticeProps {
                href: "https://example.org/eksplain/#s=1.abc".into(),
            })
            .render(),
        );
        assert!(html.contains(r#"data-kind="framed-notice""#), "{html}");
        assert!(
            html.contains(r#"href="https://example.org/eksplain/#s=1.abc""#),
            "{html}"
        );
        assert!(html.contains(r#"target="_blank""#), "{html}");
    }
}
