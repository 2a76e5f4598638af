//! The scenario in the page's URL, and what the page opens with.
//!
//! * Every change of the draft rewrites the fragment (`#s=1.…`, see
//!   [`crate::scenario::encode_link`]) with `history.replaceState`; a committed step (a field's
//!   `change` event: blur or Enter, a toggle, a preset loaded) makes the *next* change push a
//!   new history entry instead, so Back undoes one step at a time.
//! * The draft is autosaved ([`crate::ui::saved_work`]). Opening a link never silently replaces
//!   saved work: when storage holds a different scenario, the page offers to restore it.
//! * Both writes wait for the next frame ([`write_after_paint`]): encoding the link, the
//!   history entry and the storage write change nothing on screen, so a toggle's repaint does
//!   not wait for them. Only the latest draft is written; leaving the page writes at once.
//! * A bad link keeps the last good scenario (storage, else the default) and says why.
//!
//! **The page's own steps and foreign links.** Every entry the page writes carries
//! [`STEP_MARK`] as its `history.state`. A `popstate` or `hashchange` that lands on such an
//! entry is Back / Forward through the user's own steps: the draft follows, without asking.
//! Any other new fragment (a link pasted into the address bar, `location.href` set by the page
//! that opened this one) is a *link*, treated like one opened fresh ([`navigate`]): when its
//! scenario differs from the saved work, the same "Restore it / Keep the link's" offer shows
//! and autosave waits for the choice. The entry becomes the page's own once the link is kept
//! (or replaced by the restored work).
//!
//! Browser calls happen in effects and handlers only; [`startup`] runs once, before the first
//! render, from the entry point.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;

use crate::scenario::{decode_link, default_scenario, encode_link, Scenario};
use crate::ui::saved_work::{self, KeptAside, Loaded, Saved, SavedWork};
use crate::ui::view_link::{self, ViewState};

/// Links longer than this get a warning: some chat tools and browsers cut them.
pub const LONG_LINK_CHARS: usize = 8_000;
/// The `history.state` of every entry the page writes: how it tells its own steps from links.
pub const STEP_MARK: &str = "eksplain-step";

/// What the page starts with.
#[derive(Debug, Clone, PartialEq)]
pub struct Startup {
    pub scenario: Scenario,
    /// The link could not be read: why (the scenario is then the saved one or the default).
    pub link_error: Option<String>,
    /// The link's scenario was opened over different saved work.
    pub restore_offer: Option<SavedWork>,
    /// When `scenario` is saved work that does not build: the last that did, for the diagram.
    pub last_good: Option<Scenario>,
    /// Saved drafts this build could not read, moved aside.
    pub kept_aside: Vec<KeptAside>,
    /// What was open when the page last hit a bug.
    pub recovery: Option<SavedWork>,
    /// The view the link carries after its scenario ([`view_link`]), and why parts of it
    /// were left out; the default, and none, when the link has no scenario or a bad one.
    pub view: ViewState,
    pub view_notes: Vec<String>,
}

/// Decides what to show from the fragment and what storage held. Pure.
pub fn decide(fragment: &str, loaded: Loaded) -> Startup {
    let Loaded {
        work: saved,
        last_good,
        kept_aside,
        recovery,
    } = loaded;
    let mut startup = Startup {
        scenario: default_scenario(),
        link_error: None,
        restore_offer: None,
        last_good: None,
        kept_aside,
        recovery,
        view: ViewState::default(),
        view_notes: Vec::new(),
    };
    let fragment = fragment.trim_start_matches('#');
    if !has_scenario(fragment) {
        if let Some(s) = saved {
            startup.scenario = s.scenario;
            startup.last_good = last_good;
        }
        return startup;
    }
    match decode_link(fragment) {
        Ok(scenario) => {
            if saved.as_ref().is_some_and(|s| s.scenario == scenario) {
                // A reload in the middle of typing: the same work, over the same picture.
                startup.last_good = last_good;
            }
            startup.restore_offer = saved.filter(|s| s.scenario != scenario);
            startup.scenario = scenario;
            (startup.view, startup.view_notes) = view_link::parse(fragment);
        }
        Err(e) => {
            let showing = match saved {
                Some(s) => {
                    startup.scenario = s.scenario;
                    startup.last_good = last_good;
                    "your last scenario"
                }
                None => "the default scenario",
            };
            startup.link_error = Some(link_error(&e, showing));
        }
    }
    startup
}

/// What the page says of a link it could not open, `showing` what instead.
pub fn link_error(e: &dyn std::fmt::Display, showing: &str) -> String {
    format!("This link could not be opened: {e}. Showing {showing} instead.")
}

/// Whether a fragment (without `#`) carries a scenario.
pub fn has_scenario(fragment: &str) -> bool {
    crate::scenario::fragment_params(fragment)
        .iter()
        .any(|(k, _)| k == crate::scenario::SCENARIO_KEY)
}

/// What a `popstate` or `hashchange` does.
#[derive(Debug, Clone, PartialEq)]
pub enum Navigation {
    /// Nothing: no scenario in the fragment, or the one shown.
    Stay,
    /// The link cannot be read: why (the diagram stays).
    Error(String),
    /// Back / Forward through the page's own steps: the draft follows.
    Step(Scenario),
    /// A link, with nothing saved it would replace: open it.
    Link(Scenario),
    /// A link over different saved work: open it, offer the work back, hold the autosave.
    LinkOverWork(Scenario),
}

/// Decides what a new fragment does, given whether its history entry is one the page wrote
/// (`own_step`: its state is [`STEP_MARK`]), the draft shown and the saved work. Pure.
pub fn navigate(
    fragment: &str,
    own_step: bool,
    current: &Scenario,
    saved: Option<&Scenario>,
) -> Navigation {
    let fragment = fragment.trim_start_matches('#');
    if !has_scenario(fragment) {
        return Navigation::Stay;
    }
    match decode_link(fragment) {
        Err(e) => Navigation::Error(format!(
            "This link could not be opened: {e}. The diagram is unchanged."
        )),
        Ok(s) if s == *current => Navigation::Stay,
        Ok(s) if own_step => Navigation::Step(s),
        Ok(s) if saved.is_some_and(|w| *w != s) => Navigation::LinkOverWork(s),
        Ok(s) => Navigation::Link(s),
    }
}

/// Whether the view follows a `popstate` or `hashchange` that decided `next`: a link opened
/// (at once, or over saved work while the page offers it back) and a step Back or Forward
/// bring their view ([`view_link::arrived`]); so does a link of the scenario shown that
/// carries a view part (its view edited in the address bar). Nothing else does. Pure.
pub fn view_follows(fragment: &str, next: &Navigation) -> bool {
    match next {
        Navigation::Step(_) | Navigation::Link(_) | Navigation::LinkOverWork(_) => true,
        Navigation::Stay => {
            let fragment = fragment.trim_start_matches('#');
            has_scenario(fragment) && view_link::has_view(fragment)
        }
        Navigation::Error(_) => false,
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
    /// Autosave too: `Some(whether it builds)`.
    save: Option<bool>,
    /// Told the length of the URL written, and what became of the save.
    written: Box<dyn FnOnce(usize, Option<Saved>)>,
}

/// Writes `scenario` into the URL ([`write_url`]) and, when `save` is `Some(builds)`, into
/// storage ([`saved_work::save`]), once the next frame is painted
/// ([`crate::ui::later::after_paint`]); then calls `written` with the URL's length and what
/// became of the save. A call before that replaces the waiting draft: only the latest is
/// written.
pub fn write_after_paint(
    scenario: Rc<Scenario>,
    save: Option<bool>,
    written: impl FnOnce(usize, Option<Saved>) + 'static,
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
        crate::ui::later::after_paint(flush);
    }
}

/// Writes the waiting draft now, if any (after the frame, or when the page is left).
pub fn flush() {
    view_link::flush();
    let Some(p) = PENDING.with(|p| p.borrow_mut().take()) else {
        return;
    };
    let len = write_url(&p.scenario, p.save.is_some());
    let saved = p.save.map(|builds| saved_work::save(&p.scenario, builds));
    (p.written)(len, saved);
}

/// What the page starts with, read once from the URL and storage (browser only; natively the
/// default scenario).
pub fn startup() -> Startup {
    STARTUP.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                if cfg!(target_arch = "wasm32") {
                    decide(&current_fragment(), saved_work::load())
                } else {
                    decide("", Loaded::default())
                }
            })
            .clone()
    })
}

/// Marks a committed step: the next change of the URL gets its own history entry.
pub fn commit() {
    PUSH_NEXT.with(|p| *p.borrow_mut() = true);
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

/// The full share URL for a scenario, with the view the page shows ([`view_link`]).
pub fn share_url(scenario: &Scenario) -> String {
    view_link::flush();
    // The view on screen, even when the entry holds another (Back to an older step).
    let fragment = fragment_for(scenario, &current_fragment());
    format!(
        "{}#{}",
        page_url(),
        view_link::with_state(&fragment, &view_link::current())
    )
}

/// Writes the scenario into the URL: a new history entry after a committed step, else the
/// current entry is replaced. Returns the length of the full URL. `own`: the entry is one of
/// the user's steps (marked [`STEP_MARK`]); not while an offer waits, since the draft is then
/// not saved work yet, and going back to it later must ask again.
pub fn write_url(scenario: &Scenario, own: bool) -> usize {
    // The page as loaded is a step of its own: the first change after it gets a new entry.
    if WRITTEN.with(|w| !w.replace(true)) {
        let len = write_now(scenario, Some(false), own);
        commit();
        return len;
    }
    write_now(scenario, None, own)
}

/// `push`: `None` = push if a step was committed since the last write.
fn write_now(scenario: &Scenario, push: Option<bool>, own: bool) -> usize {
    let current = current_fragment();
    let fragment = fragment_for(scenario, &current);
    let url = format!("{}#{}", page_url(), fragment);
    if fragment == current {
        // The entry shows the draft already (the page opened on it): mark it as a step.
        if own {
            mark_own_entry();
        }
        return url.len();
    }
    let push =
        push.unwrap_or_else(|| PUSH_NEXT.with(|p| std::mem::replace(&mut *p.borrow_mut(), false)));
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let mark = if own {
            JsValue::from_str(STEP_MARK)
        } else {
            JsValue::NULL
        };
        let _ = if push {
            history.push_state_with_url(&mark, "", Some(&url))
        } else {
            history.replace_state_with_url(&mark, "", Some(&url))
        };
    }
    url.len()
}

/// Replaces the current history entry with `scenario`'s (a link's entry, when the user
/// restored their work over it): Back then skips the link.
pub fn replace_url(scenario: &Scenario) {
    WRITTEN.with(|w| w.set(true));
    write_now(scenario, Some(false), true);
    mark_own_entry();
}

/// Whether the current history entry is one the page wrote (see the top of this file).
pub fn is_own_entry() -> bool {
    web_sys::window()
        .and_then(|w| w.history().ok())
        .and_then(|h| h.state().ok())
        .and_then(|s| s.as_string())
        .is_some_and(|s| s == STEP_MARK)
}

/// Makes the current entry one of the page's own steps (a link the user kept).
pub fn mark_own_entry() {
    if is_own_entry() {
        return;
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let url = web_sys::window()
            .and_then(|w| w.location().href().ok())
            .unwrap_or_default();
        let _ = history.replace_state_with_url(&JsValue::from_str(STEP_MARK), "", Some(&url));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(s: Scenario) -> Loaded {
        Loaded {
            work: Some(SavedWork {
                scenario: s,
                saved_at: "then".into(),
            }),
            ..Loaded::default()
        }
    }

    fn named(name: &str) -> Scenario {
        let mut s = default_scenario();
        s.name = name.into();
        s
    }

    #[test]
    fn no_link_restores_saved_work_else_the_default() {
        assert_eq!(decide("", Loaded::default()).scenario, default_scenario());
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
        let s = decide("s=1.!!!", Loaded::default());
        assert_eq!(s.scenario, default_scenario());
    }

    #[test]
    fn other_fragment_keys_ride_along() {
        let f = fragment_for(&default_scenario(), "s=1.abc&flow=a%20b");
        assert!(f.starts_with("s=1."));
        assert!(f.ends_with("&flow=a%20b"), "{f}");
    }

    #[test]
    fn unfinished_work_opens_over_the_last_good_picture() {
        let mut loaded = saved(named("typing"));
        loaded.last_good = Some(named("good"));
        let s = decide("", loaded.clone());
        assert_eq!(s.scenario, named("typing"));
        assert_eq!(s.last_good, Some(named("good")));
        // Reloaded mid-typing (the link is the unfinished work): the same.
        let s = decide(&encode_link(&named("typing")), loaded.clone());
        assert_eq!(s.last_good, Some(named("good")));
        assert!(s.restore_offer.is_none());
        // A link opens alone: the saved work is offered back, whole.
        let s = decide(&encode_link(&default_scenario()), loaded);
        assert_eq!(s.last_good, None);
        assert_eq!(s.restore_offer.unwrap().scenario, named("typing"));
    }

    #[test]
    fn a_pasted_link_over_different_work_is_offered_like_a_fresh_one() {
        let link = encode_link(&named("link"));
        let mine = named("mine");
        // A link (no step mark) over different saved work: the offer.
        assert_eq!(
            navigate(&link, false, &mine, Some(&mine)),
            Navigation::LinkOverWork(named("link"))
        );
        // The same link when nothing is saved, or the saved work is the link's: just open it.
        assert_eq!(
            navigate(&link, false, &mine, None),
            Navigation::Link(named("link"))
        );
        assert_eq!(
            navigate(&format!("#{link}"), false, &mine, Some(&named("link"))),
            Navigation::Link(named("link"))
        );
    }

    #[test]
    fn back_and_forward_through_own_steps_never_ask() {
        let step = encode_link(&named("step 1"));
        let mine = named("step 2");
        assert_eq!(
            navigate(&step, true, &mine, Some(&mine)),
            Navigation::Step(named("step 1"))
        );
        // The entry shows what is on screen already, or carries no scenario: nothing to do.
        assert_eq!(
            navigate(&encode_link(&mine), false, &mine, Some(&named("x"))),
            Navigation::Stay
        );
        assert_eq!(navigate("flow=a", false, &mine, None), Navigation::Stay);
    }

    #[test]
    fn a_damaged_pasted_link_leaves_the_diagram() {
        let link = encode_link(&named("link"));
        let cut = &link[..link.len() / 2];
        match navigate(cut, false, &named("mine"), None) {
            Navigation::Error(e) => assert!(e.contains("The diagram is unchanged"), "{e}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_view_follows_links_and_steps_not_errors_or_bare_views() {
        let shown = named("shown");
        let link = encode_link(&named("other"));
        let same = encode_link(&shown);
        let with_view = format!("{same}&flow=a-%3Eb");
        // A link, over work or not, and a step: the view follows.
        for (own, saved) in [(false, None), (false, Some(&shown)), (true, None)] {
            let next = navigate(&link, own, &shown, saved);
            assert!(!matches!(next, Navigation::Stay | Navigation::Error(_)));
            assert!(view_follows(&link, &next), "{next:?}");
        }
        // The scenario shown with a view part: the view follows; without one, nothing moves.
        let next = navigate(&with_view, false, &shown, None);
        assert_eq!(next, Navigation::Stay);
        assert!(view_follows(&with_view, &next));
        assert!(!view_follows(&same, &navigate(&same, false, &shown, None)));
        // No scenario (a bare `#view=…`), or one that does not read: nothing moves.
        assert!(!view_follows(
            "#view=architecture",
            &navigate("#view=architecture", false, &shown, None)
        ));
        let bad = "#s=1.garbage&view=architecture";
        let next = navigate(bad, false, &shown, None);
        assert!(matches!(next, Navigation::Error(_)));
        assert!(!view_follows(bad, &next));
    }

    #[test]
    fn a_link_opens_with_its_view_and_a_bad_one_without() {
        let link = crate::scenario::encode_link_with(
            &named("link"),
            &[("view", "architecture"), ("zoom", "x")],
        );
        let s = decide(&link, Loaded::default());
        assert_eq!(s.view.view, crate::pipeline::View::Architecture);
        assert_eq!(s.view_notes.len(), 1, "{:?}", s.view_notes);
        // The view of a link that cannot be read is not applied to another scenario.
        let cut = format!("{}&view=architecture", &link[..link.len() / 3]);
        let s = decide(&cut, Loaded::default());
        assert!(s.link_error.is_some());
        assert_eq!(s.view, ViewState::default());
        // The view keys ride along when the scenario is written.
        let fragment = fragment_for(&named("next"), &link);
        assert!(
            fragment.ends_with("&view=architecture&zoom=x"),
            "{fragment}"
        );
    }
}
