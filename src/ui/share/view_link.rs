//! The view in the link: what the page shows of the scenario — the view (network or
//! architecture), the flow traced, the selection and the zoom — carried after the scenario in
//! the fragment, so that a shared link opens on the same picture:
//!
//! ```text
//! #s=1.<scenario>&view=architecture&flow=internet-%3Eservice/web-local&select=node:ng-1-1&zoom=120,40,800,600
//! ```
//!
//! * Every key is optional and has a default (network, the scenario's first flow, nothing
//!   selected, the whole diagram), which is left out. A link of scenario alone (every link
//!   made before this part existed) opens as it always did. Keys this build does not know are
//!   kept when the page rewrites the fragment and otherwise ignored.
//! * `zoom` is the diagram's `viewBox` in scene units, `x,y,w,h`: the same part of the scene
//!   on any screen (the element's aspect shows more on one axis).
//! * Reading is bounded and never fails: a value longer than [`MAX_VALUE_CHARS`], a view or
//!   zoom that does not read, an id that is no id is left out with a note ([`parse`]); a flow
//!   or selection the scenario does not have, or a zoom off the diagram, is left out with a
//!   note once the cluster is built ([`check`]). The page shows the notes as one notice; the
//!   scenario always opens.
//! * The page rewrites these keys with `history.replaceState` when the view changes
//!   ([`set_view`], [`set_zoom`]), a fifth of a second after the last change: a click or a
//!   wheel turn is no history entry (Back undoes edits, not looks), and a zoom gesture is one
//!   write. The entry's `history.state` is kept, so the page's own steps stay its own
//!   ([`crate::ui::url_state`]). Share and the URL's other writers keep them.

use std::cell::{Cell, RefCell};

use crate::layout::{Rect, Size};
use crate::model::{Cluster, Id};
use crate::pipeline::View;
use crate::scenario::{encode_fragment_params, fragment_params, Scenario, SCENARIO_KEY};
use crate::ui::viewport::ViewBox;

/// The key of the view (`network` is the default, left out).
pub const VIEW_KEY: &str = "view";
/// The key of the flow traced (a flow id, `from->to`).
pub const FLOW_KEY: &str = "flow";
/// The key of the selected thing (its [`Id`], as `data-id` spells it).
pub const SELECT_KEY: &str = "select";
/// The key of the zoom (`x,y,w,h`, the diagram's viewBox in scene units).
pub const ZOOM_KEY: &str = "zoom";
/// The keys this file reads and writes.
pub const KEYS: [&str; 4] = [VIEW_KEY, FLOW_KEY, SELECT_KEY, ZOOM_KEY];
/// A value longer than this is not read (a flow id or an id is a few dozen characters).
pub const MAX_VALUE_CHARS: usize = 1_000;
/// A zoom coordinate past this many scene units is not read (scenes are at most ~10^5 wide).
const MAX_COORD: f64 = 1.0e7;
/// The narrowest zoom box read, in scene units (the viewport zooms to 6 pixels a unit).
const MIN_ZOOM_SIZE: f64 = 4.0;
/// How much wider than the whole diagram a zoom box may be (the viewport stops at 4×).
const MAX_ZOOM_OUT: f64 = 8.0;
/// A view change is written this long after the last one.
#[cfg(target_arch = "wasm32")]
const WRITE_DELAY_MS: i32 = 200;

/// What the page shows of the scenario, as the link carries it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ViewState {
    pub view: View,
    /// `None`: the scenario's first flow.
    pub flow: Option<String>,
    pub selected: Option<Id>,
    /// `None`: the whole diagram.
    pub zoom: Option<ViewBox>,
}

/// At most 40 characters of a value from a link, for a note.
fn quoted(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars
        .by_ref()
        .take(40)
        .flat_map(char::escape_debug)
        .collect();
    if chars.next().is_some() {
        format!("“{head}…”")
    } else {
        format!("“{head}”")
    }
}

/// Reads `x,y,w,h`.
fn parse_zoom(text: &str) -> Option<ViewBox> {
    let numbers: Vec<f64> = text
        .split(',')
        .map(|n| crate::ui::decimal::decimal(n.trim()))
        .collect::<Option<_>>()?;
    let [x, y, w, h] = numbers[..] else {
        return None;
    };
    let fine = [x, y, w, h]
        .iter()
        .all(|n| n.is_finite() && n.abs() <= MAX_COORD);
    (fine && w >= MIN_ZOOM_SIZE && h >= MIN_ZOOM_SIZE).then(|| ViewBox(Rect::new(x, y, w, h)))
}

/// A number as the link writes it: at most one decimal, no trailing `.0`.
fn short_number(n: f64) -> String {
    let rounded = (n * 10.0).round() / 10.0;
    if rounded == rounded.trunc() {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// The view state of a fragment (with or without `#`), and a note for each part left out.
/// Pure, bounded, never fails; the first of a key counts.
pub fn parse(fragment: &str) -> (ViewState, Vec<String>) {
    let mut state = ViewState::default();
    let mut notes = Vec::new();
    let mut seen = [false; KEYS.len()];
    for (key, value) in fragment_params(fragment) {
        let Some(i) = KEYS.iter().position(|k| *k == key) else {
            continue;
        };
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        let value = value.trim();
        if value.chars().count() > MAX_VALUE_CHARS {
            notes.push(format!(
                "its {key} is longer than {MAX_VALUE_CHARS} characters"
            ));
            continue;
        }
        match key.as_str() {
            VIEW_KEY => match value.parse::<View>() {
                Ok(view) => state.view = view,
                Err(_) => notes.push(format!(
                    "its view {} is not network or architecture",
                    quoted(value)
                )),
            },
            FLOW_KEY => state.flow = Some(value.to_string()).filter(|f| !f.is_empty()),
            SELECT_KEY if value.is_empty() => {}
            SELECT_KEY => match value.parse::<Id>() {
                Ok(id) => state.selected = Some(id),
                Err(_) => notes.push(format!(
                    "its selection {} is not the id of anything eksplain draws",
                    quoted(value)
                )),
            },
            ZOOM_KEY if value.is_empty() => {}
            _ => match parse_zoom(value) {
                Some(zoom) => state.zoom = Some(zoom),
                None => notes.push(format!(
                    "its zoom {} is not four numbers x,y,w,h with a width and height of at \
                     least {MIN_ZOOM_SIZE}",
                    quoted(value)
                )),
            },
        }
    }
    (state, notes)
}

/// `state` without what the built scenario does not have: a flow that does not trace, a
/// selection of nothing it has, a zoom off its network diagram (of size `scene`); a note for
/// each. The notes of [`parse`] come first. Pure.
pub fn check(
    mut state: ViewState,
    mut notes: Vec<String>,
    cluster: &Cluster,
    draft: &Scenario,
    scene: Size,
) -> (ViewState, Vec<String>) {
    if let Some(flow) = state.flow.take() {
        match crate::pipeline::trace(cluster, draft, &flow).trace {
            Ok(_) => state.flow = Some(flow),
            Err(e) => notes.push(format!(
                "its flow {} is not in this scenario ({}), so the first flow is shown",
                quoted(&flow),
                e.reason
            )),
        }
    }
    if let Some(id) = state.selected.take() {
        match crate::explain::explain(cluster, &id) {
            Ok(_) => state.selected = Some(id),
            Err(_) => notes.push(format!(
                "its selection {} is not in this scenario",
                quoted(&id.to_string())
            )),
        }
    }
    if let Some(zoom) = state.zoom.take() {
        let whole = ViewBox::whole(scene).0;
        let fits = zoom.0.overlaps(&whole)
            && zoom.0.w <= whole.w * MAX_ZOOM_OUT
            && zoom.0.h <= whole.h * MAX_ZOOM_OUT;
        if fits {
            state.zoom = Some(zoom);
        } else {
            notes.push("its zoom shows no part of this diagram".to_string());
        }
    }
    (state, notes)
}

/// The one notice for the notes of [`parse`] and [`check`], if any.
pub fn notice(notes: &[String]) -> Option<String> {
    (!notes.is_empty()).then(|| {
        format!(
            "Part of this link's view was left out: {}. The scenario is as shared.",
            notes.join("; ")
        )
    })
}

/// The pairs of `state` that differ from the defaults, in [`KEYS`] order.
pub fn pairs(state: &ViewState) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if state.view != View::default() {
        out.push((VIEW_KEY, state.view.name().to_string()));
    }
    if let Some(flow) = &state.flow {
        out.push((FLOW_KEY, flow.clone()));
    }
    if let Some(id) = &state.selected {
        out.push((SELECT_KEY, id.to_string()));
    }
    if let Some(ViewBox(r)) = state.zoom {
        let zoom = [r.x, r.y, r.w, r.h].map(short_number).join(",");
        out.push((ZOOM_KEY, zoom));
    }
    out
}

/// `fragment` (with or without `#`; returned without) with `state` in place of its view keys:
/// the scenario first (only the first `s`), other keys kept in their order, then `state`'s
/// pairs. The scenario's text is copied, not encoded again. Pure.
pub fn with_state(fragment: &str, state: &ViewState) -> String {
    let params = fragment_params(fragment);
    let scenario = params.iter().find(|(k, _)| k == SCENARIO_KEY);
    let others = params
        .iter()
        .filter(|(k, _)| k != SCENARIO_KEY && !KEYS.contains(&k.as_str()));
    let ours = pairs(state);
    let all: Vec<(&str, &str)> = scenario
        .into_iter()
        .chain(others)
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .chain(ours.iter().map(|(k, v)| (*k, v.as_str())))
        .collect();
    encode_fragment_params(&all)
}

/// The view the page opens on: the link's ([`crate::ui::url_state::startup`]), checked
/// against the cluster when the scenario builds (`built`: the cluster and its network scene's
/// size), and the notice for what was left out. It becomes what the URL's next write holds.
pub fn opened(built: Option<(&Cluster, Size)>, draft: &Scenario) -> (ViewState, Option<String>) {
    let startup = crate::ui::url_state::startup();
    let (state, notes) = match built {
        Some((cluster, scene)) => check(startup.view, startup.view_notes, cluster, draft, scene),
        None => (startup.view, startup.view_notes),
    };
    CURRENT.with(|c| *c.borrow_mut() = state.clone());
    let notice = notice(&notes);
    (state, notice)
}

/// Whether a fragment (with or without `#`) carries any view key: a link made with its view.
pub fn has_view(fragment: &str) -> bool {
    fragment_params(fragment)
        .iter()
        .any(|(k, _)| KEYS.contains(&k.as_str()))
}

/// The view after a link opened over the open page (a `hashchange` or `popstate`: a pasted
/// link, Back or Forward, see [`crate::ui::url_state::view_follows`]), once its scenario is
/// built (`built`: the cluster and its network scene's size). A fragment with a view part
/// opens on it exactly as a fresh open would ([`parse`], then [`check`]; the notice for what
/// was left out); one without keeps `current`, less what the new scenario lacks, with no
/// notice (the link asked for nothing). A `step` Back or Forward is one of the page's own
/// entries, whose view part the page kept equal to what it showed (a key left out is a
/// default): its view comes back whole. Pure.
pub fn arrived(
    fragment: &str,
    step: bool,
    current: &ViewState,
    built: Option<(&Cluster, Size)>,
    draft: &Scenario,
) -> (ViewState, Option<String>) {
    let from_link = step || has_view(fragment);
    let (state, notes) = if from_link {
        parse(fragment)
    } else {
        (current.clone(), Vec::new())
    };
    let (state, notes) = match built {
        Some((cluster, scene)) => check(state, notes, cluster, draft, scene),
        None => (state, notes),
    };
    (state, notice(&notes).filter(|_| from_link))
}

thread_local! {
    /// What the page shows now (what the next write puts in the URL).
    static CURRENT: RefCell<ViewState> = RefCell::new(ViewState::default());
    /// A write is waiting for its timer.
    static WAITING: Cell<bool> = const { Cell::new(false) };
}

/// The view, flow and selection changed: written into the URL shortly ([`flush`]).
pub fn set_view(view: View, flow: Option<String>, selected: Option<Id>) {
    CURRENT.with(|c| {
        let mut c = c.borrow_mut();
        c.view = view;
        c.flow = flow;
        c.selected = selected;
    });
    schedule();
}

/// The network diagram's zoom changed (`None`: fitted): written into the URL shortly.
pub fn set_zoom(zoom: Option<ViewBox>) {
    CURRENT.with(|c| c.borrow_mut().zoom = zoom);
    schedule();
}

/// What the page shows now (for Share).
pub fn current() -> ViewState {
    CURRENT.with(|c| c.borrow().clone())
}

/// The zoom the page shows, for a diagram drawn again (back from the architecture view).
pub fn zoom() -> Option<ViewBox> {
    CURRENT.with(|c| c.borrow().zoom)
}

fn schedule() {
    if WAITING.with(|w| w.replace(true)) {
        return;
    }
    #[cfg(target_arch = "wasm32")]
    if let Some(window) = web_sys::window() {
        use wasm_bindgen::JsCast;
        let task = wasm_bindgen::closure::Closure::once_into_js(flush);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            task.unchecked_ref(),
            WRITE_DELAY_MS,
        );
        return;
    }
    flush();
}

/// Writes a waiting view change into the current history entry now (before Share reads the
/// URL, when the page is left, or when its timer runs). Browser only; natively nothing.
pub fn flush() {
    let waiting = WAITING.with(|w| w.replace(false));
    #[cfg(target_arch = "wasm32")]
    if waiting {
        let state = CURRENT.with(|c| c.borrow().clone());
        let current = crate::ui::url_state::current_fragment();
        let next = with_state(&current, &state);
        if next == current {
            return;
        }
        let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
            return;
        };
        let url = format!("{}#{next}", crate::ui::url_state::page_url());
        // The entry stays what it was: one of the page's own steps, or a link.
        let mark = history.state().unwrap_or(wasm_bindgen::JsValue::NULL);
        let _ = history.replace_state_with_url(&mark, "", Some(&url));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = waiting;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{default_scenario, encode_link, encode_link_with};

    fn etp_gallery() -> Scenario {
        crate::scenario::from_json(include_str!(
            "../../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap()
    }

    fn full() -> ViewState {
        ViewState {
            view: View::Architecture,
            flow: Some("internet->service/web-local".into()),
            selected: Some(Id::node("ng-1-1")),
            zoom: Some(ViewBox(Rect::new(120.0, -40.5, 800.25, 600.0))),
        }
    }

    #[test]
    fn a_state_round_trips_through_the_fragment() {
        let link = encode_link(&default_scenario());
        let fragment = with_state(&link, &full());
        assert!(
            fragment.starts_with(link.trim_start_matches('#')),
            "{fragment}"
        );
        assert!(
            fragment.ends_with(
                "&view=architecture&flow=internet-%3Eservice/web-local&select=node:ng-1-1\
                 &zoom=120,-40.5,800.3,600"
            ),
            "{fragment}"
        );
        let (state, notes) = parse(&fragment);
        assert!(notes.is_empty(), "{notes:?}");
        let mut expected = full();
        expected.zoom = Some(ViewBox(Rect::new(120.0, -40.5, 800.3, 600.0)));
        assert_eq!(state, expected);
        // The scenario is untouched and still decodes.
        assert_eq!(
            crate::scenario::decode_link(&fragment).unwrap(),
            default_scenario()
        );
        // Written again with the defaults, the view keys go and the scenario stays.
        assert_eq!(
            with_state(&fragment, &ViewState::default()),
            link.trim_start_matches('#')
        );
    }

    #[test]
    fn old_links_open_with_the_default_view() {
        for link in [
            encode_link(&default_scenario()),
            include_str!("../../../tests/fixtures/links/v1-default.txt")
                .trim()
                .to_string(),
        ] {
            let (state, notes) = parse(&link);
            assert_eq!(state, ViewState::default());
            assert!(notes.is_empty());
        }
        assert_eq!(parse(""), (ViewState::default(), Vec::new()));
    }

    #[test]
    fn garbage_is_left_out_with_a_note_and_the_rest_kept() {
        let (state, notes) = parse(
            "#s=1.x&view=3d&flow=internet-%3Eservice/web&select=nope:x&zoom=1,2,three,4&zoom=1,2,30,40",
        );
        assert_eq!(state.view, View::Network);
        assert_eq!(state.flow.as_deref(), Some("internet->service/web"));
        assert_eq!(state.selected, None);
        // The first `zoom` counts, and it does not read.
        assert_eq!(state.zoom, None);
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].contains("view “3d” is not network or architecture"));
        assert!(notes[1].contains("selection “nope:x”"));
        assert!(notes[2].contains("zoom “1,2,three,4”"));
        for zoom in [
            "1,2,3",
            "1,2,3,4,5",
            "0,0,0,10",
            "0,0,10,-5",
            "NaN,0,10,10",
            "inf,0,10,10",
            "1e300,0,10,10",
            "",
        ] {
            let (state, _) = parse(&format!("zoom={zoom}"));
            assert_eq!(state.zoom, None, "{zoom}");
        }
        let notice = notice(&notes).unwrap();
        assert!(
            notice.starts_with("Part of this link's view was left out: its view"),
            "{notice}"
        );
        assert_eq!(super::notice(&[]), None);
    }

    #[test]
    fn hostile_and_huge_values_are_bounded() {
        let huge = "a".repeat(MAX_LINK_VALUE);
        let (state, notes) = parse(&format!("flow={huge}&select=node:{huge}&view={huge}"));
        assert_eq!(state, ViewState::default());
        assert_eq!(notes.len(), 3);
        assert!(
            notes
                .iter()
                .all(|n| n.contains("longer than 1000 characters")),
            "{notes:?}"
        );
        // Control and bidi characters are escaped in the notes, and cut short.
        let (_, notes) =
            parse("view=%1B%5B2J%E2%80%AEevil-and-a-long-tail-of-more-text-to-cut-off");
        assert!(
            !notes[0].contains('\u{1b}') && !notes[0].contains('\u{202e}'),
            "{notes:?}"
        );
        assert!(notes[0].contains('…'));
        // Percent signs, ampersands and equals signs in a flow survive a round trip.
        let state = ViewState {
            flow: Some("a&b=c%d#e->f".into()),
            ..ViewState::default()
        };
        assert_eq!(parse(&with_state("s=1.x", &state)).0, state);
    }

    const MAX_LINK_VALUE: usize = MAX_VALUE_CHARS + 1;

    #[test]
    fn unknown_keys_are_ignored_and_kept() {
        let link = encode_link_with(
            &default_scenario(),
            &[("future", "1"), ("view", "architecture")],
        );
        let (state, notes) = parse(&link);
        assert_eq!(state.view, View::Architecture);
        assert!(notes.is_empty());
        let written = with_state(&link, &ViewState::default());
        assert!(written.ends_with("&future=1"), "{written}");
        // A second `s` is dropped; the first stays first.
        assert_eq!(
            with_state("view=architecture&s=1.a&s=1.b", &full())
                .split('&')
                .next(),
            Some("s=1.a")
        );
    }

    #[test]
    fn a_link_over_the_open_page_brings_its_view_and_one_without_keeps_it() {
        let draft = etp_gallery();
        let cluster = crate::model::build(&draft).unwrap();
        let scene = crate::layout::layout(&cluster).size;
        let node = cluster.nodes[0].name.to_string();
        let link = encode_link(&draft);
        let built = Some((&cluster, scene));
        let looking = ViewState {
            view: View::Architecture,
            flow: Some("internet->service/web-cluster".into()),
            selected: Some(Id::node(&node)),
            zoom: Some(ViewBox(Rect::new(10.0, 10.0, 300.0, 200.0))),
        };
        // With a view part: the link's view, whatever was shown; defaults for keys left out.
        let fragment = format!("{link}&flow=internet-%3Eservice/web-local&select=node:{node}");
        assert!(has_view(&fragment) && !has_view(&link) && !has_view("s=1.x&future=1"));
        let (state, notice) = arrived(&fragment, false, &looking, built, &draft);
        assert_eq!(
            state,
            ViewState {
                view: View::Network,
                flow: Some("internet->service/web-local".into()),
                selected: Some(Id::node(&node)),
                zoom: None,
            }
        );
        assert_eq!(notice, None);
        // Stale parts are left out with the notice a fresh open gives.
        let stale =
            format!("{link}&view=architecture&flow=a-%3Eb&select=node:gone&zoom=1e6,1e6,9,9");
        let (state, notice) = arrived(&stale, false, &looking, built, &draft);
        assert_eq!(
            state,
            ViewState {
                view: View::Architecture,
                ..ViewState::default()
            }
        );
        let notice = notice.unwrap();
        assert!(notice.starts_with("Part of this link's view was left out"));
        assert!(
            notice.contains("flow “a->b”")
                && notice.contains("node:gone")
                && notice.contains("zoom")
        );
        // Without one: the view stays as it was…
        let (state, notice) = arrived(&link, false, &looking, built, &draft);
        assert_eq!((state, notice), (looking.clone(), None));
        // …less what the new scenario lacks, silently.
        let other = default_scenario();
        let other_cluster = crate::model::build(&other).unwrap();
        let lacking = ViewState {
            selected: Some(Id::node("only-in-etp")),
            zoom: Some(ViewBox(Rect::new(1.0e6, 1.0e6, 300.0, 200.0))),
            ..looking.clone()
        };
        let other_link = encode_link(&other);
        let (state, notice) = arrived(
            &other_link,
            false,
            &lacking,
            Some((&other_cluster, crate::layout::layout(&other_cluster).size)),
            &other,
        );
        assert_eq!(
            state,
            ViewState {
                view: View::Architecture,
                ..ViewState::default()
            }
        );
        assert_eq!(notice, None);
        // A step Back to an entry of the default view: the default view, whatever was shown.
        let (state, notice) = arrived(&link, true, &looking, built, &draft);
        assert_eq!((state, notice), (ViewState::default(), None));
        // Nothing built yet: the link's view as read.
        let (state, _) = arrived(&fragment, false, &looking, None, &draft);
        assert_eq!(state.flow.as_deref(), Some("internet->service/web-local"));
    }

    #[test]
    fn check_leaves_out_what_the_scenario_lacks() {
        let draft = etp_gallery();
        let cluster = crate::model::build(&draft).unwrap();
        let scene = crate::layout::layout(&cluster);
        let node = cluster.nodes[0].name.to_string();
        let good = ViewState {
            view: View::Network,
            flow: Some("internet->service/web-local".into()),
            selected: Some(Id::node(&node)),
            zoom: Some(ViewBox(Rect::new(10.0, 10.0, 300.0, 200.0))),
        };
        let (state, notes) = check(good.clone(), Vec::new(), &cluster, &draft, scene.size);
        assert_eq!(state, good);
        assert!(notes.is_empty(), "{notes:?}");

        let stale = ViewState {
            view: View::Architecture,
            flow: Some("internet->service/gone".into()),
            selected: Some(Id::node("no-such-node")),
            zoom: Some(ViewBox(Rect::new(1.0e6, 1.0e6, 300.0, 200.0))),
        };
        let (state, notes) = check(stale, vec!["first".into()], &cluster, &draft, scene.size);
        assert_eq!(
            state,
            ViewState {
                view: View::Architecture,
                ..ViewState::default()
            }
        );
        assert_eq!(notes.len(), 4, "{notes:?}");
        assert_eq!(notes[0], "first");
        assert!(notes[1].contains("flow “internet->service/gone” is not in this scenario"));
        assert!(notes[2].contains("selection “node:no-such-node”"));
        assert!(notes[3].contains("zoom shows no part"));
    }
}
