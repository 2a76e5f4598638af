//! [`App`]: the page. It owns the document state ([`Workspace`](crate::ui::workspace::Workspace): the draft scenario, its
//! problems, the last valid cluster and scene) and the selection; the editor, the diagram and
//! the inspector each get only the parts they draw.

use yew::prelude::*;

use crate::explain::change_summary::change_summary;
use crate::layout::text::plural;
use crate::model::Id;
use crate::pipeline::{View, ViewOptions};
use crate::ui::architecture_view::{view_toggle, ArchitectureView};
#[cfg(feature = "test-hooks")]
use crate::ui::bench_hook::use_rendered_signal;
use crate::ui::canvas::{summarised, Diagram};
use crate::ui::change_note::ChangeNote;
use crate::ui::findings_panel::FindingsPanel;
use crate::ui::flow_panel::{shown_flow, FlowPanel, Shown};
use crate::ui::form::Editor;
use crate::ui::inspector::Inspector;
use crate::ui::later;
use crate::ui::narrow_layout::use_narrow_layout;
use crate::ui::node_actions::{highlights, NodeActions};
use crate::ui::roving::{back_to_diagram, skip_to_diagram};
use crate::ui::search::Search;
use crate::ui::share_tools::{Description, ShareTools};
use crate::ui::shared::{use_memo_same, Shared};
#[cfg(feature = "test-hooks")]
use crate::ui::test_hook::{use_load_hook, use_panic_trigger};
use crate::ui::traffic_overlay::traffic_overlay;
use crate::ui::view_link;
use crate::ui::work_guard::Arrival;
use crate::ui::workspace::{Built, Edit};

#[function_component(App)]
pub fn app() -> Html {
    // The scenario of the link, else the autosaved one, else the default (url_state.rs);
    // saved work that does not build opens over the last that did. In the browser it was
    // built in a task of its own before the page mounted (opening.rs).
    let workspace = use_reducer(crate::ui::opening::take_or_make);
    // The view the link carries after its scenario (view_link.rs): view, flow, selection,
    // zoom; what this scenario lacks is left out, with a notice.
    let opened = {
        let workspace = workspace.clone();
        use_memo((), move |_| {
            let built = workspace.built.as_ref();
            view_link::opened(built.map(|b| (&*b.cluster, b.scene.size)), &workspace.draft)
        })
    };
    let selected = use_state(|| opened.0.selected.clone());
    let on_edit = use_callback(workspace.dispatcher(), |edit: Edit, dispatcher| {
        dispatcher.dispatch(edit)
    });
    let on_select = use_callback(selected.setter(), |id: Option<Id>, set| set.set(id));
    // Traffic (flow_panel.rs): the flow traced beside the diagram; `None` = the scenario's first.
    let flow = use_state(|| opened.0.flow.clone().map(AttrValue::from));
    let on_flow = use_callback(flow.setter(), |f: Option<AttrValue>, set| set.set(f));
    // The traffic panel open (the flow traced on the diagram) or closed (no path drawn, none
    // exported); `None` = open when the scenario has flows or services to trace.
    let trace_panel = use_state(|| None::<bool>);
    let on_trace_panel = use_callback(trace_panel.setter(), |open: bool, set| set.set(Some(open)));
    // Test builds only (`test-hooks`): `window.eksplainLoad`, `window.eksplainPanic` and the
    // benchmark's signal.
    #[cfg(feature = "test-hooks")]
    {
        use_load_hook(on_edit.clone());
        use_panic_trigger();
        use_rendered_signal();
    }
    // Shapes a node action's step points at (node_actions.rs).
    let highlight = use_state(Vec::<Id>::new);
    // Network (the diagram) or Architecture (architecture_view.rs).
    let architecture = use_state(|| opened.0.view == View::Architecture);
    {
        // The URL follows the view, flow and selection, replacing its entry (view_link.rs).
        let shown = (*architecture, (*flow).clone(), (*selected).clone());
        use_effect_with(shown, |(architecture, flow, selected)| {
            let view = if *architecture {
                View::Architecture
            } else {
                View::Network
            };
            view_link::set_view(view, flow.as_ref().map(|f| f.to_string()), selected.clone());
        });
    }
    let on_zoom = use_callback((), |zoom, _| view_link::set_zoom(zoom));
    // Why part of the link's view was left out (the link the page opened with, else the last
    // one opened over it), and the diagram's key: changed to draw it again at a link's zoom
    // (its first view is the only one it takes from its props).
    let link_view = use_state(|| (opened.1.clone(), 0u32));
    // A link opened over the page, or a step Back or Forward (work_guard.rs): its view,
    // applied once its scenario is the draft, like a fresh open's (view_link::arrived).
    let arrival = use_state(|| None::<Arrival>);
    let on_view_link = use_callback(arrival.setter(), |a: Arrival, set| set.set(Some(a)));
    {
        let (arrival_set, ws) = (arrival.setter(), workspace.clone());
        let (architecture, flow, selected) =
            (architecture.setter(), flow.setter(), selected.setter());
        let (link_view, key) = (link_view.setter(), link_view.1);
        use_effect_with(
            ((*arrival).clone(), Shared::from(workspace.draft.clone())),
            move |(arrival, draft)| {
                let Some(a) = arrival.as_ref().filter(|a| *a.scenario == **draft) else {
                    return;
                };
                let built = ws.built.as_ref().map(|b| (&*b.cluster, b.scene.size));
                let (state, why) =
                    view_link::arrived(&a.fragment, a.step, &view_link::current(), built, draft);
                architecture.set(state.view == View::Architecture);
                flow.set(state.flow.map(AttrValue::from));
                selected.set(state.selected);
                let redraw = state.zoom != view_link::zoom();
                if redraw {
                    view_link::set_zoom(state.zoom);
                }
                link_view.set((why, key + u32::from(redraw)));
                arrival_set.set(None);
            },
        );
    }
    let on_highlight = use_callback(highlight.setter(), |ids: Vec<Id>, set| set.set(ids));
    {
        // A step's highlights belong to the inspected thing: gone when the selection changes.
        let set = highlight.setter();
        use_effect_with((*selected).clone(), move |_| set.set(Vec::new()));
    }
    // Escape closes the inspector wherever focus is (a click on the diagram may leave it on
    // the body). Listened for on the document, in an effect: no DOM access while rendering.
    {
        let on_select = on_select.clone();
        use_effect_with(selected.is_some(), move |open| {
            let listener = open.then(|| {
                gloo_events::EventListener::new(&gloo_utils::document(), "keydown", move |e| {
                    use wasm_bindgen::JsCast;
                    if e.dyn_ref::<KeyboardEvent>()
                        .is_some_and(|k| k.key() == "Escape")
                    {
                        on_select.emit(None);
                    }
                })
            });
            move || drop(listener)
        });
    }

    // Narrow windows (style.css, under 720 px): the top bar's tools fold into a menu and the
    // editor becomes a drawer over the diagram (the inspector is one too).
    let narrow = use_narrow_layout();

    // The editor — three quarters of the page's elements — mounts in the task after the first
    // paint, so that the diagram is on screen sooner (issue 17); its grid column holds its
    // width meanwhile, so nothing moves. The root is `data-kind="app"` from then on: the page
    // whole.
    let whole = use_state_eq(|| false);
    {
        let whole = whole.setter();
        use_effect_with((), move |_| {
            crate::ui::opening::mark("eksplain:rendered");
            later::after_paint(move || whole.set(true));
        });
    }

    let built = workspace.built.as_ref();
    let draft = &workspace.draft;
    let trace_open = trace_panel.unwrap_or(!draft.flows.is_empty() || !draft.services.is_empty());
    // The flow shown and its trace: made once per change, for the panel and the overlay, and
    // kept while equal (a toggle that leaves the path as it was neither places it again nor
    // redraws the overlay).
    let shown = use_memo_same(
        (
            built.map(|b| Shared::from(b.cluster.clone())),
            Shared::from(workspace.draft.clone()),
            (*flow).clone(),
            trace_open,
        ),
        |(cluster, draft, flow, open)| {
            cluster
                .as_ref()
                .filter(|_| *open)
                .and_then(|c| shown_flow(c, draft, flow.as_deref()))
        },
    );
    // The shown flow placed on the scene; kept (and not drawn again) while equal.
    let path = use_memo_same(
        (
            built.map(|b| Shared::from(b.scene.clone())),
            Shared::new(shown.clone()),
        ),
        |(scene, shown)| {
            let scene = scene.as_ref()?;
            let shown: &Option<Shown> = shown;
            crate::pipeline::path(scene, View::Network, shown.as_ref())
        },
    );
    // The cluster and scene an edit replaces are freed after the next paint: at 5,000 nodes
    // that takes tens of milliseconds the repaint need not wait for. Held here until the
    // effect, so that no component's render drops the last reference.
    let retired = use_mut_ref(|| None::<Built>);
    let last_shown = use_mut_ref(|| None::<Built>);
    // What the last edit moved (change_note.rs), made when the cluster changes; emptied by
    // its Dismiss button.
    let note = use_mut_ref(|| std::rc::Rc::new(Vec::<String>::new()));
    let repaint = use_force_update();
    {
        let current = workspace.built.clone();
        let previous = last_shown.replace(current.clone());
        let same = match (&previous, &current) {
            (Some(a), Some(b)) => a.is(b),
            (a, b) => a.is_none() && b.is_none(),
        };
        if !same {
            if let (Some(a), Some(b)) = (&previous, &current) {
                if !std::rc::Rc::ptr_eq(&a.cluster, &b.cluster) {
                    *note.borrow_mut() = std::rc::Rc::new(change_summary(&a.cluster, &b.cluster));
                }
            }
            *retired.borrow_mut() = previous;
        }
        let retired = retired.clone();
        use_effect(move || {
            if let Some(old) = retired.borrow_mut().take() {
                later::drop_after_paint(old);
            }
        });
    }
    // What the page shows, for Export SVG/PNG to draw the same (the pipeline's options). The
    // theme stays the file's default, light.
    let view_options = ViewOptions {
        view: if *architecture {
            View::Architecture
        } else {
            View::Network
        },
        flow: shown.as_ref().as_ref().map(|s| s.flow.clone()),
        theme: None,
    };
    let stats = built.map(|b| {
        let c = &b.cluster;
        format!(
            "{} · {} · {}",
            plural(c.azs.len() as u32, "AZ", "AZs"),
            plural(c.subnets.len() as u32, "subnet", "subnets"),
            plural(c.nodes.len() as u32, "node", "nodes")
        )
    });
    let on_dismiss_note = {
        let note = note.clone();
        Callback::from(move |_: MouseEvent| {
            *note.borrow_mut() = std::rc::Rc::default();
            repaint.force_update();
        })
    };
    let note_items = Shared::new(note.borrow().clone());
    let inspector = match (built, (*selected).clone()) {
        (Some(b), Some(id)) => html! {
            <Inspector cluster={Shared::from(b.cluster.clone())} selected={id.clone()} on_select={on_select.clone()}
                actions={html! { <NodeActions cluster={Shared::from(b.cluster.clone())} draft={Shared::from(workspace.draft.clone())}
                    selected={id} on_edit={on_edit.clone()} on_highlight={on_highlight.clone()} /> }} />
        },
        _ => Html::default(),
    };

    html! {
        <div class={classes!("app", narrow.menu_open.then_some("menu-open"), narrow.editor_open.then_some("editor-open"))} data-kind={whole.then_some("app")}>
            <a class="skip-link" href="#diagram" onclick={skip_to_diagram()}>{ "Skip to the diagram" }</a>
            <header class="topbar">
                <div class="brand">
                    <svg class="brand-mark" viewBox="0 0 24 24" aria-hidden="true">
                        <path d="M12 2.5 20.5 7.25v9.5L12 21.5 3.5 16.75v-9.5z" />
                        <circle cx="12" cy="12" r="2.6" />
                        <path d="M12 9.4V5.6M14.3 13.3l3.3 1.9M9.7 13.3l-3.3 1.9" />
                    </svg>
                    <span class="brand-name">{ "eksplain" }</span>
                </div>
                <div class="scenario-title">
                    // The page's one heading of level 1: the cluster it shows.
                    <h1 class="scenario-name">{ workspace.draft.name.clone() }</h1>
                    if let Some(stats) = stats {
                        <span class="scenario-stats">{ stats }</span>
                    }
                </div>
                { narrow.buttons() }
                <div class="topbar-menu" id="topbar-menu" onkeydown={narrow.menu_keys()}>
                <div class={classes!("status", if workspace.is_current() { "ok" } else { "bad" })} role="status">
                    { if workspace.is_current() {
                        "Up to date".to_string()
                    } else {
                        plural(workspace.problems.len() as u32, "problem", "problems")
                    } }
                </div>
                if let Some(b) = built {
                    <Search cluster={Shared::from(b.cluster.clone())} on_select={on_select.clone()} />
                }
                <ShareTools draft={Shared::from(workspace.draft.clone())} builds={workspace.is_current()} on_edit={on_edit.clone()} view={view_options}
                    view_notice={link_view.0.clone()} on_view={on_view_link} />
                </div>
            </header>
            <div class={classes!("workspace", selected.is_some().then_some("inspecting"))}>
                { narrow.scrim(selected.is_some(), on_select.clone()) }
                <div class="editor-drawer" id="editor-drawer" onkeydown={narrow.drawer_keys()}>
                { narrow.drawer_head() }
                if *whole {
                <Editor
                    draft={Shared::from(workspace.draft.clone())}
                    raw={Shared::from(workspace.raw.clone())}
                    problems={Shared::from(workspace.problems.clone())}
                    on_edit={on_edit.clone()}
                    built_cidr={built.map(|b| AttrValue::from(b.cluster.vpc.primary().to_string()))}
                >
                    if let Some(b) = built {
                        <FindingsPanel cluster={Shared::from(b.cluster.clone())} selected={(*selected).clone()} on_select={on_select.clone()} stale={!workspace.is_current()} />
                    }
                </Editor>
                }
                </div>
                <main class="stage" aria-label="Diagram" onkeydown={back_to_diagram()}>
                    <Description draft={Shared::from(workspace.draft.clone())} />
                    <ChangeNote items={note_items} on_dismiss={on_dismiss_note} />
                    if built.is_some() {
                        { view_toggle(architecture.clone()) }
                    }
                    if let (Some(b), true) = (built, *architecture) {
                        <ArchitectureView cluster={Shared::from(b.cluster.clone())} readable=true />
                    } else if let Some(b) = built {
                        <Diagram key={link_view.1} cluster={summarised(&b.scene, &b.cluster)} scene={Shared::from(b.scene.clone())} selected={(*selected).clone()} on_select={on_select.clone()} readable=true
                            initial_view={view_link::zoom()} on_view={on_zoom}
                            overlay={html! { <>
                                { traffic_overlay(path.as_ref().as_ref()) }
                                { highlights(&b.scene, &highlight) }
                            </> }} />
                        <FlowPanel cluster={Shared::from(b.cluster.clone())} draft={Shared::from(workspace.draft.clone())}
                            flow={(*flow).clone()} shown={Shared::new(shown.clone())} on_flow={on_flow} on_edit={on_edit.clone()} on_select={on_select.clone()}
                            open={trace_open} on_open={on_trace_panel} />
                    } else {
                        <div class="empty">{ "Nothing to draw yet: the scenario has problems." }</div>
                    }
                </main>
                // Only to keep Tab inside the inspector while it is a drawer (no box of its own).
                <div class="inspector-drawer" onkeydown={narrow.inspector_keys()}>{ inspector }</div>
            </div>
        </div>
    }
}
