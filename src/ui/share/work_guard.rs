//! [`WorkGuard`]: keeps the URL and the autosave in step with the draft, and asks before
//! anything replaces the user's saved work: a link opened over it (at load, pasted into the
//! address bar, or set by the page that opened this one), another tab's save, a draft this
//! version cannot read, the work left open when the page hit a bug. The rules are in
//! [`crate::ui::url_state`] (own steps and links) and [`crate::ui::saved_work`] (what is saved where).
//!
//! While an offer waits, autosave waits too: nothing is written over the saved work until the
//! user chose.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::scenario::Scenario;
use crate::ui::export;
use crate::ui::saved_work::{self, KeptAside, Saved, SavedWork, UNREADABLE_PREFIX};
use crate::ui::shared::Shared;
use crate::ui::url_state::{self, Navigation, LONG_LINK_CHARS};
use crate::ui::workspace::Edit;

/// A question waiting for the user; autosave waits with it.
#[derive(Debug, Clone, PartialEq)]
enum Offer {
    /// A link was opened over different saved work.
    Restore(SavedWork),
    /// Another tab saved different work since this one last read or wrote.
    OtherTab(SavedWork),
    /// Another tab saved work this version cannot read: why.
    OtherTabUnreadable(String),
}

impl Offer {
    /// The saved work the offer would bring back.
    fn work(&self) -> Option<&SavedWork> {
        match self {
            Offer::Restore(w) | Offer::OtherTab(w) => Some(w),
            Offer::OtherTabUnreadable(_) => None,
        }
    }
}

#[derive(PartialEq, Properties)]
pub struct WorkGuardProps {
    pub draft: Shared<Scenario>,
    /// The draft builds: only such a draft is saved over the good one.
    pub builds: bool,
    pub on_edit: Callback<Edit>,
    /// A link opened over the page, or a step Back or Forward, whose view the page should
    /// show ([`url_state::view_follows`]): its fragment, and the scenario it goes with.
    #[prop_or_default]
    pub on_view: Callback<Arrival>,
}

/// A view arriving with a link or a step: applied once its scenario is the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Arrival {
    pub fragment: String,
    /// A step Back or Forward through the page's own entries.
    pub step: bool,
    pub scenario: Rc<Scenario>,
}

/// A value the listeners share with the component.
type Mirror<T> = Rc<RefCell<T>>;

/// Storage changed (a `storage` event, or a save that found another tab's): asks, unless the
/// stored work is what this tab shows.
fn check_storage(
    offer: &UseStateSetter<Option<Offer>>,
    offer_now: &Mirror<Option<Offer>>,
    current: &Mirror<Shared<Scenario>>,
) {
    if !saved_work::changed_elsewhere() {
        return;
    }
    match saved_work::latest() {
        Ok(stored)
            if !saved_work::needs_asking(
                &current.borrow(),
                stored.as_ref().map(|w| &w.scenario),
            ) =>
        {
            saved_work::adopt()
        }
        Ok(Some(w)) => offer.set(Some(match &*offer_now.borrow() {
            // A link is waiting: the work to restore is now the other tab's.
            Some(Offer::Restore(_)) => Offer::Restore(w),
            _ => Offer::OtherTab(w),
        })),
        Ok(None) => saved_work::adopt(),
        Err(why) => offer.set(Some(Offer::OtherTabUnreadable(why))),
    }
}

#[function_component(WorkGuard)]
pub fn work_guard(props: &WorkGuardProps) -> Html {
    let start = use_memo((), |_| url_state::startup());
    let offer = use_state(|| start.restore_offer.clone().map(Offer::Restore));
    let link_error = use_state(|| start.link_error.clone());
    let link_len = use_state(|| 0usize);
    let kept_aside = use_state(|| start.kept_aside.clone());
    let recovery = use_state(|| start.recovery.clone());
    // What the listeners, installed once, read.
    let current = use_mut_ref(|| props.draft.clone());
    *current.borrow_mut() = props.draft.clone();
    let offer_now = use_mut_ref(|| (*offer).clone());
    *offer_now.borrow_mut() = (*offer).clone();

    // The URL and the autosave follow the draft, after the next paint; saving waits while an
    // offer does. The work an offer would bring back, on screen again (Back to it), ends it.
    {
        let link_len = link_len.setter();
        let offer_set = offer.setter();
        let offer_now = offer_now.clone();
        let current = current.clone();
        let paused = offer.is_some();
        use_effect_with(
            (props.draft.clone(), props.builds, paused),
            move |(draft, builds, paused)| {
                saved_work::set_current(draft.0.clone());
                let back = offer_now
                    .borrow()
                    .as_ref()
                    .and_then(Offer::work)
                    .is_some_and(|w| w.scenario == **draft);
                if back {
                    if matches!(*offer_now.borrow(), Some(Offer::OtherTab(_))) {
                        saved_work::adopt();
                    }
                    offer_set.set(None);
                    return;
                }
                let save = (!*paused).then_some(*builds);
                url_state::write_after_paint(draft.0.clone(), save, move |len, saved| {
                    link_len.set(len);
                    if saved == Some(Saved::ChangedElsewhere) {
                        check_storage(&offer_set, &offer_now, &current);
                    }
                });
            },
        );
    }

    // Back / Forward, fragments edited or set from outside, other tabs' saves; a committed
    // step (a field's change, a button) makes the next URL write a new history entry.
    {
        let on_edit = props.on_edit.clone();
        let on_view = props.on_view.clone();
        let link_error = link_error.setter();
        let offer_set = offer.setter();
        let offer_now = offer_now.clone();
        let current = current.clone();
        use_effect_with((), move |_| {
            let navigated = {
                let (offer_set, offer_now, current) =
                    (offer_set.clone(), offer_now.clone(), current.clone());
                move || {
                    let waiting = offer_now.borrow().as_ref().and_then(Offer::work).cloned();
                    let saved = waiting.or_else(|| saved_work::latest().ok().flatten());
                    let fragment = url_state::current_fragment();
                    let next = url_state::navigate(
                        &fragment,
                        url_state::is_own_entry(),
                        &current.borrow(),
                        saved.as_ref().map(|w| &w.scenario),
                    );
                    if url_state::view_follows(&fragment, &next) {
                        let scenario = match &next {
                            Navigation::Step(s)
                            | Navigation::Link(s)
                            | Navigation::LinkOverWork(s) => Rc::new(s.clone()),
                            _ => current.borrow().0.clone(),
                        };
                        let step = matches!(next, Navigation::Step(_));
                        on_view.emit(Arrival {
                            fragment,
                            step,
                            scenario,
                        });
                    }
                    match next {
                        Navigation::Stay => {}
                        Navigation::Error(e) => link_error.set(Some(e)),
                        Navigation::Step(s) | Navigation::Link(s) => {
                            on_edit.emit(Edit::Replace(Box::new(s)))
                        }
                        Navigation::LinkOverWork(s) => {
                            if let Some(w) = saved {
                                offer_set.set(Some(Offer::Restore(w)));
                            }
                            on_edit.emit(Edit::Replace(Box::new(s)));
                        }
                    }
                }
            };
            let window = gloo_utils::window();
            let on_pop = {
                let navigated = navigated.clone();
                EventListener::new(&window, "popstate", move |_| navigated())
            };
            let on_hash = EventListener::new(&window, "hashchange", move |_| navigated());
            let on_storage = EventListener::new(&window, "storage", move |e| {
                let key = e.dyn_ref::<web_sys::StorageEvent>().and_then(|s| s.key());
                if saved_work::is_work_key(key.as_deref()) {
                    check_storage(&offer_set, &offer_now, &current);
                }
            });
            // Leaving the page writes a draft still waiting for its frame.
            let on_hide = EventListener::new(&window, "pagehide", |_| url_state::flush());
            let capture = EventListenerOptions::run_in_capture_phase();
            let on_change = EventListener::new_with_options(&window, "change", capture, |_| {
                url_state::commit()
            });
            let on_click = EventListener::new_with_options(&window, "click", capture, |e| {
                let on_button = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|el| el.closest("button").ok().flatten())
                    .is_some();
                if on_button {
                    url_state::commit();
                }
            });
            move || drop((on_pop, on_hash, on_storage, on_hide, on_change, on_click))
        });
    }

    let replace = {
        let on_edit = props.on_edit.clone();
        move |s: Scenario| {
            url_state::commit();
            on_edit.emit(Edit::Replace(Box::new(s)));
        }
    };
    // Restore: the saved work comes back, in place of the link's history entry.
    let restore = {
        let offer = offer.clone();
        let on_edit = props.on_edit.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(Offer::Restore(w)) = &*offer {
                url_state::replace_url(&w.scenario);
                on_edit.emit(Edit::Replace(Box::new(w.scenario.clone())));
            }
            offer.set(None);
        })
    };
    // Keep the link's: its entry becomes a step of the user's, and autosave saves it.
    let keep_link = {
        let offer = offer.setter();
        Callback::from(move |_: MouseEvent| {
            url_state::mark_own_entry();
            offer.set(None);
        })
    };
    let load_other = {
        let offer = offer.clone();
        let replace = replace.clone();
        Callback::from(move |_: MouseEvent| {
            saved_work::adopt();
            if let Some(Offer::OtherTab(w)) = &*offer {
                replace(w.scenario.clone());
            }
            offer.set(None);
        })
    };
    let keep_mine = {
        let offer = offer.clone();
        let kept_aside = kept_aside.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(Offer::OtherTabUnreadable(_)) = &*offer {
                let mut all = (*kept_aside).clone();
                all.extend(saved_work::keep_aside_latest());
                kept_aside.set(all);
            }
            saved_work::adopt();
            offer.set(None);
        })
    };
    let download = |key: String, name: &'static str| {
        Callback::from(move |_: MouseEvent| {
            if let Some(text) = saved_work::raw(&key) {
                let _ = export::download_text(&text, name, "application/json");
            }
        })
    };
    let dismiss_kept = |key: String| {
        let kept_aside = kept_aside.clone();
        Callback::from(move |_: MouseEvent| {
            let rest: Vec<KeptAside> = kept_aside
                .iter()
                .filter(|k| k.key != key)
                .cloned()
                .collect();
            kept_aside.set(rest);
        })
    };
    let open_recovery = {
        let recovery = recovery.clone();
        let replace = replace.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = &*recovery {
                replace(w.scenario.clone());
            }
            saved_work::forget_recovery();
            recovery.set(None);
        })
    };
    let discard_recovery = {
        let recovery = recovery.setter();
        Callback::from(move |_: MouseEvent| {
            saved_work::forget_recovery();
            recovery.set(None);
        })
    };
    let dismiss_error = {
        let link_error = link_error.setter();
        Callback::from(move |_: MouseEvent| link_error.set(None))
    };

    html! {
        <>
            if let Some(w) = &*recovery {
                <div class="notice warn" data-kind="recovery-offer" role="status">
                    <span>{ format!("eksplain stopped on a bug last time ({}). The scenario you had open then, “{}”, is kept — ", w.saved_at, w.scenario.name) }</span>
                    <button type="button" class="link-button" data-action="open" onclick={open_recovery}>{ "Open it" }</button>
                    <span>{ " / " }</span>
                    <button type="button" class="link-button" data-action="download" onclick={download(saved_work::RECOVERY_KEY.to_string(), "eksplain-recovered.json")}>{ "Download it" }</button>
                    <span>{ " / " }</span>
                    <button type="button" class="link-button" data-action="discard" onclick={discard_recovery}>{ "Discard it" }</button>
                </div>
            }
            { for kept_aside.iter().map(|k| {
                let moved = k.key.starts_with(UNREADABLE_PREFIX);
                let where_ = if moved {
                    format!("It is kept aside, not overwritten, in this browser's storage (key “{}”).", k.key)
                } else {
                    format!("It stays under “{}”, and this tab does not autosave until there is room to keep it aside.", k.key)
                };
                html! {
                    <div class="notice warn" data-kind="kept-aside" data-key={k.key.clone()} role="alert">
                        <span>{ format!("Your saved scenario from {} could not be opened: {}. {where_} The page starts without it.", k.saved_at, k.why) }</span>
                        <button type="button" class="link-button" data-action="download" onclick={download(k.key.clone(), "eksplain-saved-draft.json")}>{ "Download it" }</button>
                        <button type="button" class="icon-button" onclick={dismiss_kept(k.key.clone())} aria-label="Dismiss">{ "×" }</button>
                    </div>
                }
            }) }
            { match &*offer {
                None => Html::default(),
                Some(Offer::Restore(saved)) => html! {
                    <div class="notice" data-kind="restore-offer" role="status">
                        <span>{ format!("You have unsaved work from {} — ", saved.saved_at) }</span>
                        <button type="button" class="link-button" data-action="restore" onclick={restore}>{ "Restore it" }</button>
                        <span>{ " / " }</span>
                        <button type="button" class="link-button" data-action="keep" onclick={keep_link}>{ "Keep the link's" }</button>
                    </div>
                },
                Some(Offer::OtherTab(other)) => html! {
                    <div class="notice warn" data-kind="other-tab-offer" role="status">
                        <span>{ format!("Another tab changed your saved scenario (“{}”, {}). This tab stopped saving — ", other.scenario.name, other.saved_at) }</span>
                        <button type="button" class="link-button" data-action="load" onclick={load_other}>{ "Load it" }</button>
                        <span>{ " / " }</span>
                        <button type="button" class="link-button" data-action="keep" onclick={keep_mine}>{ "Keep mine (saves over it)" }</button>
                    </div>
                },
                Some(Offer::OtherTabUnreadable(why)) => html! {
                    <div class="notice warn" data-kind="other-tab-offer" role="status">
                        <span>{ format!("Another tab saved a scenario this version cannot read: {why}. This tab stopped saving — ") }</span>
                        <button type="button" class="link-button" data-action="keep" onclick={keep_mine}>{ "Keep mine (the other is kept aside)" }</button>
                    </div>
                },
            } }
            if let Some(e) = &*link_error {
                <div class="notice bad" data-kind="link-error" role="alert">
                    <span>{ e.clone() }</span>
                    <button type="button" class="icon-button" onclick={dismiss_error} aria-label="Dismiss">{ "×" }</button>
                </div>
            }
            if *link_len > LONG_LINK_CHARS {
                <div class="notice warn" data-kind="link-warning" role="status">
                    { format!("This link is {} characters long; some chat tools and browsers cut links past {LONG_LINK_CHARS}. Export an SVG (it carries the scenario) to share it instead.", *link_len) }
                </div>
            }
        </>
    }
}
