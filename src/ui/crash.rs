//! When the page hits a bug (a Rust panic): keep the work and say so, instead of leaving a
//! dead page.
//!
//! [`install`] sets the panic hook from the entry point, through `yew::set_custom_panic_hook`
//! (else Yew's renderer replaces it with its own). On wasm32 the hook runs before the module
//! traps, with `panic = "abort"` too (checked by `tests/e2e/drafts.test.mjs`). It:
//!
//! 1. logs the panic's message and JS stack to the console, as Yew's default hook does;
//! 2. saves the draft on screen to the recovery key ([`saved_work::save_recovery`]), not over
//!    the good draft: the draft may be what the bug trips on, and the page must open again;
//!    the next load offers it back (Open it / Download it / Discard it);
//! 3. shows a plain-DOM message over the page (the Yew app is gone): what happened, that the
//!    work is kept, and a link that reloads the page without the fragment, so it opens on the
//!    saved work rather than on the link that may trip the bug again.
//!
//! The hook never panics itself (a panic in the hook aborts at once, with nothing shown): it
//! runs once, only tries its borrows and ignores every DOM error.

use std::cell::Cell;

use crate::ui::saved_work;

thread_local! {
    static HIT: Cell<bool> = const { Cell::new(false) };
}

/// Sets the panic hook (browser only; natively the default hook stays).
pub fn install() {
    if cfg!(target_arch = "wasm32") {
        yew::set_custom_panic_hook(Box::new(|info| {
            if HIT.with(|h| h.replace(true)) {
                return;
            }
            console_error_panic_hook::hook(info);
            on_panic(&info.to_string());
        }));
    }
}

/// The message shown over the page, as (heading, body) text.
pub fn message(saved: bool) -> (&'static str, &'static str) {
    let body = if saved {
        "Your work is saved: the scenario you had open is kept in this browser, and eksplain \
         offers it when the page opens again."
    } else {
        "The scenario you had open may not be saved (this browser gives the page no storage); \
         the page's address still holds it."
    };
    ("eksplain hit a bug and stopped.", body)
}

fn on_panic(details: &str) {
    let saved = saved_work::save_recovery();
    let _ = show(saved, details);
}

fn show(saved: bool, details: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    let body = document.body()?;
    let el = |tag: &str, text: &str| -> Option<web_sys::Element> {
        let e = document.create_element(tag).ok()?;
        e.set_text_content(Some(text));
        Some(e)
    };
    let (heading, text) = message(saved);
    let panel = document.create_element("div").ok()?;
    panel.set_class_name("crash-notice");
    panel.set_attribute("role", "alert").ok()?;
    panel.set_attribute("data-kind", "crash-notice").ok()?;
    let card = document.create_element("div").ok()?;
    card.set_class_name("crash-card");
    let (h, p) = (el("h2", heading)?, el("p", text)?);
    card.append_child(&h).ok()?;
    card.append_child(&p).ok()?;
    let reload = el("a", "Reload eksplain")?;
    reload
        .set_attribute("href", &crate::ui::url_state::page_url())
        .ok()?;
    reload.set_attribute("data-action", "reload").ok()?;
    reload.set_class_name("share-button primary");
    card.append_child(&reload).ok()?;
    let more = el("details", "")?;
    let summary = el("summary", "What went wrong (for a bug report)")?;
    let pre = el("pre", details)?;
    more.append_child(&summary).ok()?;
    more.append_child(&pre).ok()?;
    card.append_child(&more).ok()?;
    panel.append_child(&card).ok()?;
    body.append_child(&panel).ok()?;
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_message_says_whether_the_work_is_kept() {
        let (heading, body) = message(true);
        assert!(heading.contains("bug"));
        assert!(body.starts_with("Your work is saved"));
        assert!(message(false).1.contains("may not be saved"));
    }
}
