//! The user's work in the browser's storage, and the rules that keep any of it from being
//! lost without the user choosing so.
//!
//! Keys (all in `localStorage`):
//!
//! | key | holds |
//! | --- | --- |
//! | `eksplain.draft` | the latest draft that builds (compact JSON) |
//! | `eksplain.draft.unfinished` | the latest draft when it does not build (a CIDR half typed, a scenario past the limits); removed when a draft that builds is saved |
//! | `eksplain.savedAt` | when either was last saved (milliseconds since the epoch) |
//! | `eksplain.saveId` | which tab saved last, and its count (`<tab>-<n>`) |
//! | `eksplain.draft.unreadable.<ms>` | a saved draft this build cannot read (a newer version, damaged JSON), moved aside at `<ms>`; never overwritten |
//! | `eksplain.draft.recovery`, `eksplain.draft.recoveryAt` | what was open when the page hit a bug (`crash.rs`) |
//!
//! Rules:
//!
//! * **A draft that fails to build never replaces a good one.** It is saved beside it (the
//!   unfinished key), so a reload in the middle of typing a CIDR keeps the typing, and the
//!   diagram meanwhile shows the last draft that built.
//! * **A tab saves only over what it last read or wrote.** Each save writes a [`Mark`]
//!   (`savedAt` and `saveId`); before saving, a tab compares the mark in storage with the one it
//!   knows. When another tab saved since, it does not write and asks instead (the `storage`
//!   event tells it at once; this check catches what the event missed).
//! * **What cannot be read is moved aside, not overwritten**, and the page says so.
//!
//! Storage can throw (sandboxed iframes, privacy modes): every access goes through
//! [`storage`], which turns that into `None`; writes that fail (a full quota) change nothing.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsValue;

use crate::scenario::{from_json, Scenario, CURRENT_VERSION};

/// The latest draft that builds (JSON).
pub const GOOD_KEY: &str = "eksplain.draft";
/// The latest draft when it does not build.
pub const UNFINISHED_KEY: &str = "eksplain.draft.unfinished";
/// When the latest draft was saved (milliseconds since the epoch).
pub const SAVED_AT_KEY: &str = "eksplain.savedAt";
/// Which tab saved last: `<tab>-<count>`.
pub const SAVE_ID_KEY: &str = "eksplain.saveId";
/// Prefix of the keys unreadable drafts are moved to (`<prefix><ms>`).
pub const UNREADABLE_PREFIX: &str = "eksplain.draft.unreadable.";
/// What was open when the page hit a bug.
pub const RECOVERY_KEY: &str = "eksplain.draft.recovery";
/// When that happened (milliseconds since the epoch).
pub const RECOVERY_AT_KEY: &str = "eksplain.draft.recoveryAt";

/// Work found in storage.
#[derive(Debug, Clone, PartialEq)]
pub struct SavedWork {
    pub scenario: Scenario,
    /// When it was saved, as the browser prints local times.
    pub saved_at: String,
}

/// Which save storage holds: its time and the tab that made it. Equal marks, the same save.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mark {
    pub saved_at: Option<String>,
    pub save_id: Option<String>,
}

/// A saved draft this build could not read, moved aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAside {
    /// Where it is now.
    pub key: String,
    /// Why it could not be read, for the user.
    pub why: String,
    /// When it had been saved, as the browser prints local times.
    pub saved_at: String,
}

/// What storage held when the page opened.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Loaded {
    /// The latest work: the unfinished draft if there is one, else the good one.
    pub work: Option<SavedWork>,
    /// When `work` is an unfinished draft: the good one, else the default scenario; the
    /// diagram shows it meanwhile (a refused link opened once shows a picture, not nothing).
    pub last_good: Option<Scenario>,
    /// Drafts that could not be read, moved aside just now.
    pub kept_aside: Vec<KeptAside>,
    /// What was open when the page last hit a bug.
    pub recovery: Option<SavedWork>,
}

/// Reads a saved draft, or says why it cannot be read: a newer version is named as such.
pub fn read_draft(text: &str) -> Result<Scenario, String> {
    from_json(text).map_err(|problems| {
        let version = serde_json::from_str::<serde_json::Value>(text)
            .ok()
            .and_then(|v| v.get("version").and_then(serde_json::Value::as_u64));
        match version {
            Some(v) if v > u64::from(CURRENT_VERSION) => format!(
                "it was saved by a newer eksplain (scenario version {v}; this one reads version {CURRENT_VERSION})"
            ),
            _ => {
                let first = problems
                    .first()
                    .map(|p| p.to_string())
                    .unwrap_or_default();
                format!("it is not a scenario this version can read ({first})")
            }
        }
    })
}

/// Whether a save should go to the good key: only a draft that builds.
pub fn key_for(builds: bool) -> &'static str {
    if builds {
        GOOD_KEY
    } else {
        UNFINISHED_KEY
    }
}

/// Whether a tab that knows `known` may save over what storage holds (`stored`).
pub fn may_save(known: &Mark, stored: &Mark) -> bool {
    known == stored
}

/// What a tab does when storage changed under it: nothing to ask when the stored work is
/// what the tab shows, or when there is none.
pub fn needs_asking(current: &Scenario, stored: Option<&Scenario>) -> bool {
    stored.is_some_and(|s| s != current)
}

thread_local! {
    /// The mark of the save this tab last read or wrote.
    static KNOWN: RefCell<Mark> = RefCell::new(Mark::default());
    /// This tab's id and its count of saves.
    static TAB: RefCell<Option<String>> = const { RefCell::new(None) };
    static COUNT: Cell<u64> = const { Cell::new(0) };
    /// An unreadable draft could not be moved aside: autosave stays off (see [`move_aside`]).
    static BLOCKED: Cell<bool> = const { Cell::new(false) };
    /// The draft on screen, for the panic hook ([`save_recovery`]).
    static CURRENT: RefCell<Option<Rc<Scenario>>> = const { RefCell::new(None) };
}

/// `window.localStorage`, or `None` where the page may not use it (sandboxed iframes throw).
fn storage() -> Option<web_sys::Storage> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    web_sys::window()?.local_storage().ok().flatten()
}

fn get(storage: &web_sys::Storage, key: &str) -> Option<String> {
    storage.get_item(key).ok().flatten()
}

/// A time in milliseconds, as the browser prints local times.
fn local_time(ms: Option<&str>) -> String {
    ms.and_then(crate::ui::decimal::decimal)
        .map(|ms| {
            js_sys::Date::new(&JsValue::from_f64(ms))
                .to_locale_string("default", &JsValue::UNDEFINED)
                .as_string()
                .unwrap_or_default()
        })
        .unwrap_or_else(|| "an earlier visit".to_string())
}

fn stored_mark(storage: &web_sys::Storage) -> Mark {
    Mark {
        saved_at: get(storage, SAVED_AT_KEY),
        save_id: get(storage, SAVE_ID_KEY),
    }
}

/// Moves an unreadable draft at `key` aside. When there is no room for the copy, it stays
/// where it is and this tab stops autosaving ([`save`] writes nothing), so it is still not
/// overwritten; the notice names the key either way.
fn move_aside(storage: &web_sys::Storage, key: &str, text: &str, why: String) -> KeptAside {
    let now = js_sys::Date::now() as u64;
    let mut aside = format!("{UNREADABLE_PREFIX}{now}");
    let mut n = 1;
    while get(storage, &aside).is_some() {
        n += 1;
        aside = format!("{UNREADABLE_PREFIX}{now}-{n}");
    }
    let saved_at = local_time(get(storage, SAVED_AT_KEY).as_deref());
    if storage.set_item(&aside, text).is_err() {
        BLOCKED.with(|b| b.set(true));
        aside = key.to_string();
    } else {
        let _ = storage.remove_item(key);
    }
    KeptAside {
        key: aside,
        why,
        saved_at,
    }
}

/// Reads the saved work once, when the page opens: moves what cannot be read aside, and
/// remembers the mark of what it read (the guard of [`save`]).
pub fn load() -> Loaded {
    let Some(storage) = storage() else {
        return Loaded::default();
    };
    let mut loaded = Loaded::default();
    let read = |key: &str, loaded: &mut Loaded| -> Option<Scenario> {
        let text = get(&storage, key)?;
        match read_draft(&text) {
            Ok(s) => Some(s),
            Err(why) => {
                loaded
                    .kept_aside
                    .push(move_aside(&storage, key, &text, why));
                None
            }
        }
    };
    let good = read(GOOD_KEY, &mut loaded);
    let unfinished = read(UNFINISHED_KEY, &mut loaded);
    let saved_at = local_time(get(&storage, SAVED_AT_KEY).as_deref());
    loaded.work = match (unfinished, good) {
        (Some(u), good) => {
            loaded.last_good = Some(good.unwrap_or_else(crate::scenario::default_scenario));
            Some(SavedWork {
                scenario: u,
                saved_at,
            })
        }
        (None, Some(g)) => Some(SavedWork {
            scenario: g,
            saved_at,
        }),
        (None, None) => None,
    };
    loaded.recovery = get(&storage, RECOVERY_KEY)
        .and_then(|t| read_draft(&t).ok())
        .map(|scenario| SavedWork {
            scenario,
            saved_at: local_time(get(&storage, RECOVERY_AT_KEY).as_deref()),
        });
    KNOWN.with(|k| *k.borrow_mut() = stored_mark(&storage));
    loaded
}

/// The latest work in storage now (after another tab saved): `Ok(None)` when there is none,
/// `Err(why)` when it cannot be read.
pub fn latest() -> Result<Option<SavedWork>, String> {
    let Some(storage) = storage() else {
        return Ok(None);
    };
    let saved_at = local_time(get(&storage, SAVED_AT_KEY).as_deref());
    let text = get(&storage, UNFINISHED_KEY).or_else(|| get(&storage, GOOD_KEY));
    match text {
        None => Ok(None),
        Some(t) => read_draft(&t).map(|scenario| Some(SavedWork { scenario, saved_at })),
    }
}

/// Whether another tab saved since this one last read or wrote.
pub fn changed_elsewhere() -> bool {
    storage().is_some_and(|s| !may_save(&KNOWN.with(|k| k.borrow().clone()), &stored_mark(&s)))
}

/// The user chose to go on from what storage holds now (loaded it, or keeps their own and
/// saves over it): the next save may write.
pub fn adopt() {
    if let Some(s) = storage() {
        KNOWN.with(|k| *k.borrow_mut() = stored_mark(&s));
    }
}

/// Moves whatever unreadable work storage holds now aside (before keeping this tab's work
/// over it). Returns what was kept.
pub fn keep_aside_latest() -> Vec<KeptAside> {
    let Some(storage) = storage() else {
        return Vec::new();
    };
    let mut kept = Vec::new();
    for key in [GOOD_KEY, UNFINISHED_KEY] {
        if let Some(text) = get(&storage, key) {
            if let Err(why) = read_draft(&text) {
                kept.push(move_aside(&storage, key, &text, why));
            }
        }
    }
    kept
}

/// What became of a save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Saved {
    /// Written (or there is no storage to write to).
    Written,
    /// Not written: another tab saved since this one last read or wrote.
    ChangedElsewhere,
}

/// Autosaves the draft: to the good key when it `builds`, else beside it (see the rules at
/// the top). Does not write when another tab saved since ([`Saved::ChangedElsewhere`]).
pub fn save(scenario: &Scenario, builds: bool) -> Saved {
    let Some(storage) = storage() else {
        return Saved::Written;
    };
    if BLOCKED.with(Cell::get) {
        return Saved::Written;
    }
    let known = KNOWN.with(|k| k.borrow().clone());
    if !may_save(&known, &stored_mark(&storage)) {
        return Saved::ChangedElsewhere;
    }
    // A Scenario has only string keys and plain values: serialising cannot fail.
    let json = serde_json::to_string(scenario).unwrap_or_default();
    if storage.set_item(key_for(builds), &json).is_err() {
        return Saved::Written; // full: nothing changed, nothing to ask
    }
    if builds {
        let _ = storage.remove_item(UNFINISHED_KEY);
    }
    let mark = Mark {
        saved_at: Some(js_sys::Date::now().to_string()),
        save_id: Some(next_save_id()),
    };
    let _ = storage.set_item(SAVED_AT_KEY, mark.saved_at.as_deref().unwrap_or_default());
    let _ = storage.set_item(SAVE_ID_KEY, mark.save_id.as_deref().unwrap_or_default());
    KNOWN.with(|k| *k.borrow_mut() = stored_mark(&storage));
    Saved::Written
}

fn next_save_id() -> String {
    let tab = TAB.with(|t| {
        t.borrow_mut()
            .get_or_insert_with(|| {
                let r = (js_sys::Math::random() * 1e12) as u64;
                format!("{r:x}")
            })
            .clone()
    });
    let n = COUNT.with(|c| {
        c.set(c.get() + 1);
        c.get()
    });
    format!("{tab}-{n}")
}

/// Whether a `storage` event's key is one of the saved work's (`None`: storage was cleared).
pub fn is_work_key(key: Option<&str>) -> bool {
    key.is_none_or(|k| [GOOD_KEY, UNFINISHED_KEY, SAVED_AT_KEY, SAVE_ID_KEY].contains(&k))
}

/// The raw text at `key` (to download what was kept aside).
pub fn raw(key: &str) -> Option<String> {
    get(&storage()?, key)
}

/// Removes the recovery copy (the user opened or discarded it).
pub fn forget_recovery() {
    if let Some(s) = storage() {
        let _ = s.remove_item(RECOVERY_KEY);
        let _ = s.remove_item(RECOVERY_AT_KEY);
    }
}

/// Remembers the draft on screen, for [`save_recovery`].
pub fn set_current(scenario: Rc<Scenario>) {
    CURRENT.with(|c| {
        if let Ok(mut c) = c.try_borrow_mut() {
            *c = Some(scenario);
        }
    });
}

/// Saves the draft on screen to the recovery key; called from the panic hook, so it never
/// panics itself (borrows are tried, errors ignored). Returns whether it was written.
///
/// Not over the good draft: the draft on screen may be what the bug trips on, and the page
/// must open again. The next page load offers it (Open it / Download / Discard).
pub fn save_recovery() -> bool {
    let Some(storage) = storage() else {
        return false;
    };
    let json = CURRENT.with(|c| {
        c.try_borrow()
            .ok()
            .and_then(|c| c.as_ref().and_then(|s| serde_json::to_string(&**s).ok()))
    });
    let Some(json) = json else {
        return false;
    };
    let written = storage.set_item(RECOVERY_KEY, &json).is_ok();
    let _ = storage.set_item(RECOVERY_AT_KEY, &js_sys::Date::now().to_string());
    written
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    #[test]
    fn a_newer_draft_is_named_as_such() {
        let why = read_draft(r#"{"version": 99, "vpc": {}}"#).unwrap_err();
        assert!(why.contains("newer eksplain"), "{why}");
        assert!(why.contains("version 99"), "{why}");
    }

    #[test]
    fn damaged_json_is_unreadable_not_newer() {
        let why = read_draft("{\"version\": 1, \"vpc\"").unwrap_err();
        assert!(why.starts_with("it is not a scenario"), "{why}");
        let good = serde_json::to_string(&default_scenario()).unwrap();
        assert_eq!(read_draft(&good).unwrap(), default_scenario());
    }

    #[test]
    fn only_a_draft_that_builds_goes_to_the_good_key() {
        assert_eq!(key_for(true), GOOD_KEY);
        assert_eq!(key_for(false), UNFINISHED_KEY);
    }

    #[test]
    fn a_tab_saves_only_over_its_own_last_save() {
        let mine = Mark {
            saved_at: Some("1".into()),
            save_id: Some("a-1".into()),
        };
        assert!(may_save(&mine, &mine.clone()));
        // Another tab saved in the same millisecond: the id tells them apart.
        let other = Mark {
            save_id: Some("b-1".into()),
            ..mine.clone()
        };
        assert!(!may_save(&mine, &other));
        // Nothing saved yet, and nothing saved since: the first save may write.
        assert!(may_save(&Mark::default(), &Mark::default()));
        assert!(!may_save(&Mark::default(), &mine));
    }

    #[test]
    fn storage_changed_to_what_the_tab_shows_needs_no_question() {
        let mut other = default_scenario();
        other.name = "other".into();
        assert!(!needs_asking(
            &default_scenario(),
            Some(&default_scenario())
        ));
        assert!(!needs_asking(&default_scenario(), None));
        assert!(needs_asking(&default_scenario(), Some(&other)));
    }

    #[test]
    fn the_work_keys_are_watched() {
        assert!(is_work_key(Some(GOOD_KEY)) && is_work_key(Some(SAVE_ID_KEY)) && is_work_key(None));
        assert!(!is_work_key(Some(RECOVERY_KEY)));
    }
}
