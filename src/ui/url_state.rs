//! The scenario in the page's URL and in the browser's storage.
//!
//! * Every change of the draft rewrites the fragment (`#s=1.…`, see
//!   [`crate::scenario::encode_link`]) with `history.replaceState`; a committed step (a field's
//!   `change` event: blur or Enter, a toggle, a preset loaded) makes the *next* change push a
//!   new history entry instead, so Back undoes one step at a time. `popstate` / `hashchange`
//!   restore the scenario of the entry the browser went to.
//! * The draft is autosaved to `localStorage`. Opening a link never silently replaces saved
//!   work: when storage holds a different scenario, the page offers to restore it.
//! * Both writes wait for the next frame ([`write_after_paint`]): encoding the link, the
//!   history entry and the storage write change nothing on screen, so a toggle's repaint does
//!   not wait for them. Only the latest draft is written; leaving the page writes at once.
//! * A bad link keeps the last good scenario (storage, else the default) and says why.
//!
//! Storage can throw (sandboxed iframes, privacy modes): every access goes through
//! [`storage`], which turns that into `None`. Browser calls happen in effects and handlers only;
//! [`startup`] runs once, before the first render, from the entry point.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;

use crate::scenario::{decode_link, default_scenario, encode_link, from_json, Scenario};

/// Storage key of the autosaved draft (JSON).
pub const SAVED_KEY: &str = "eksplain.draft";
/// Storage key of when it was saved (milliseconds since the epoch).
pub const SAVED_AT_KEY: &str = "eksplain.savedAt";
/// Links longer than this get a warning: some chat tools and browsers cut them.
pub const LONG_LINK_CHARS: usize = 8_000;

/// Work found in storage that differs from the link being opened.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedWork {
    pub scenario: Scenario,
    /// When it was saved, as the browser prints local times.
    pub saved_at: String,
}

/// What the page starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct Startup {
    pub scenario: Scenario,
    /// The link could not be read: why (the scenario is then the saved one or the default).
    pub link_error: Option<String>,
    /// The link's scenario was opened over different saved work.
    pub restore_offer: Option<SavedWork>,
}

/// Decides what to show from the fragment and the saved draft. Pure.
pub fn decide(fragment: &str, saved: Option<SavedWork>) -> Startup {
    let fragment = fragment.trim_start_matches('#');
    let has_link = crate::scenario::fragment_params(fragment)
        .iter()
        .any(|(k, _)| k == crate::scenario::SCENARIO_KEY);
    if !has_link {
        return Startup {
            scenario: saved.map_or_else(default_scenario, |s| s.scenario),
            link_error: None,
            restore_offer: None,
        };
    }
    match decode_link(fragment) {
        Ok(scenario) => {
            let restore_offer = saved.filter(|s| s.scenario != scenario);
            Startup {
                scenario,
                link_error: None,
                restore_offer,
            }
        }
        Err(e) => {
            let (scenario, showing) = match saved {
                Some(s) => (s.scenario, "your last scenario"),
                None => (default_scenario(), "the default scenario"),
            };
            Startup {
                scenario,
                link_error: Some(format!(
                    "This link could not be opened: {e}. Showing {showing} instead."
                )),
                restore_offer: None,
            }
        }
    }
}

/// The fragment (without `#`) for a scenario, keeping the other keys of `current` (a flow, a
/// view) after it.
pub fn fragment_for(scenario: &Scenario, current: &str) -> String {
    fragment_with_hash(scenario, current)
        .trim_start_matches('#')
        .to_string()
}

fn fragment_with_hash(scenario: &Scenario, current: &str) -> String {
    let extra: Vec<(String, String)> =
        crate::scenario::fragment_params(current.trim_start_matches('#'))
            .into_iter()
            .filter(|(k, _)| k != crate::scenario::SCENARIO_KEY)
            .collect();
    if extra.is_empty() {
        return encode_link(scenario);
    }
    let pairs: Vec<(&str, &str)> = extra
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    crate::scenario::encode_link_with(scenario, &pairs)
}

thread_local! {
    static STARTUP: RefCell<Option<Startup>> = const { RefCell::new(None) };
    /// Set by a committed step: the next URL write pushes a history entry.
    static PUSH_NEXT: RefCell<bool> = const { RefCell::new(false) };
    /// Whether the URL was written since the page loaded.
    static WRITTEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The draft [`write_after_paint`] has yet to write.
    static PENDING: RefCell<Option<Pending>> = const { RefCell::new(None) };
}

/// A write of the URL (and of the autosave, when `save`) waiting for the next frame.
struct Pending {
    scenario: Rc<Scenario>,
    save: bool,
    /// Told the length of the URL written.
    written: Box<dyn FnOnce(usize)>,
}

/// Writes `scenario` into the URL ([`write_url`]) and, when `save`, into storage ([`save`]),
/// once the next frame is painted ([`super::later::after_paint`]); then calls `written` with
/// the URL's length. A call before that replaces the waiting draft: only the latest is
/// written.
pub fn write_after_paint(
    scenario: Rc<Scenario>,
    save: bool,
    written: impl FnOnce(usize) + 'static,
) {
    let waiting = PENDING.with(|p| {
        p.borrow_mut()
            .replace(Pending {
                scenario,
                save,
                written: Box::new(written),
            })
            .is_some()
    });
    if !waiting {
        super::later::after_paint(flush);
    }
}

/// Writes the waiting draft now, if any (after the frame, or when the page is left).
pub fn flush() {
    let Some(p) = PENDING.with(|p| p.borrow_mut().take()) else {
        return;
    };
    let len = write_url(&p.scenario);
    if p.save {
        save(&p.scenario);
    }
    (p.written)(len);
}

/// What the page starts with, read once from the URL and storage (browser only; natively the
/// default scenario).
pub fn startup() -> Startup {
    STARTUP.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                if cfg!(target_arch = "wasm32") {
                    decide(&current_fragment(), load_saved())
                } else {
                    decide("", None)
                }
            })
            .clone()
    })
}

/// Marks a committed step: the next change of the URL gets its own history entry.
pub fn commit() {
    PUSH_NEXT.with(|p| *p.borrow_mut() = true);
}

/// `window.localStorage`, or `None` where the page may not use it (sandboxed iframes throw).
fn storage() -> Option<web_sys::Storage> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    web_sys::window()?.local_storage().ok().flatten()
}

/// The autosaved draft, if any and readable.
pub fn load_saved() -> Option<SavedWork> {
    let storage = storage()?;
    let json = storage.get_item(SAVED_KEY).ok().flatten()?;
    let scenario = from_json(&json).ok()?;
    let saved_at = storage
        .get_item(SAVED_AT_KEY)
        .ok()
        .flatten()
        .and_then(|ms| ms.parse::<f64>().ok())
        .map(|ms| {
            js_sys::Date::new(&JsValue::from_f64(ms))
                .to_locale_string("default", &JsValue::UNDEFINED)
                .as_string()
                .unwrap_or_default()
        })
        .unwrap_or_else(|| "an earlier visit".to_string());
    Some(SavedWork { scenario, saved_at })
}

/// Autosaves the draft as compact JSON (smaller and quicker to write than the pretty form
/// the CLI prints); silently does nothing where storage is unavailable or full.
pub fn save(scenario: &Scenario) {
    if let Some(storage) = storage() {
        // A Scenario has only string keys and plain values: serialising cannot fail.
        let json = serde_json::to_string(scenario).unwrap_or_default();
        let _ = storage.set_item(SAVED_KEY, &json);
        let _ = storage.set_item(SAVED_AT_KEY, &js_sys::Date::now().to_string());
    }
}

/// The URL's fragment without `#`.
pub fn current_fragment() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// The page's URL without its fragment.
pub fn page_url() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    match href.split_once('#') {
        Some((base, _)) => base.to_string(),
        None => href,
    }
}

/// The full share URL for a scenario.
pub fn share_url(scenario: &Scenario) -> String {
    format!(
        "{}#{}",
        page_url(),
        fragment_for(scenario, &current_fragment())
    )
}

/// Writes the scenario into the URL: a new history entry after a committed step, else the
/// current entry is replaced. Returns the length of the full URL. No-op when unchanged.
pub fn write_url(scenario: &Scenario) -> usize {
    // The page as loaded is a step of its own: the first change after it gets a new entry.
    if WRITTEN.with(|w| !w.replace(true)) {
        let len = write_now(scenario, Some(false));
        commit();
        return len;
    }
    write_now(scenario, None)
}

/// `push`: `None` = push if a step was committed since the last write.
fn write_now(scenario: &Scenario, push: Option<bool>) -> usize {
    let current = current_fragment();
    let fragment = fragment_for(scenario, &current);
    let url = format!("{}#{}", page_url(), fragment);
    if fragment == current {
        return url.len();
    }
    let push =
        push.unwrap_or_else(|| PUSH_NEXT.with(|p| std::mem::replace(&mut *p.borrow_mut(), false)));
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = if push {
            history.push_state_with_url(&JsValue::NULL, "", Some(&url))
        } else {
            history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
        };
    }
    url.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(s: Scenario) -> Option<SavedWork> {
        Some(SavedWork {
            scenario: s,
            saved_at: "then".into(),
        })
    }

    #[test]
    fn no_link_restores_saved_work_else_the_default() {
        assert_eq!(decide("", None).scenario, default_scenario());
        let mut other = default_scenario();
        other.name = "mine".into();
        let s = decide("", saved(other.clone()));
        assert_eq!(s.scenario, other);
        assert!(s.link_error.is_none() && s.restore_offer.is_none());
    }

    #[test]
    fn a_link_over_different_work_offers_to_restore_it() {
        let mut mine = default_scenario();
        mine.name = "mine".into();
        let link = encode_link(&default_scenario());
        let s = decide(&format!("#{link}"), saved(mine.clone()));
        assert_eq!(s.scenario, default_scenario());
        assert_eq!(s.restore_offer.map(|w| w.scenario), Some(mine));
        // The same work: nothing to offer.
        let s = decide(&link, saved(default_scenario()));
        assert!(s.restore_offer.is_none());
    }

    #[test]
    fn a_bad_link_keeps_the_last_good_scenario_and_says_why() {
        let link = encode_link(&default_scenario());
        let cut = &link[..link.len() / 2];
        let mut mine = default_scenario();
        mine.name = "mine".into();
        let s = decide(cut, saved(mine.clone()));
        assert_eq!(s.scenario, mine);
        assert!(s.link_error.unwrap().contains("truncated or damaged"));
        let s = decide("s=1.!!!", None);
        assert_eq!(s.scenario, default_scenario());
    }

    #[test]
    fn other_fragment_keys_ride_along() {
        let f = fragment_for(&default_scenario(), "s=1.abc&flow=a%20b");
        assert!(f.starts_with("s=1."));
        assert!(f.ends_with("&flow=a%20b"), "{f}");
    }
}
