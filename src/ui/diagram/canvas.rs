//! [`Diagram`]: the scene in an `<svg>` the user can pan (drag, arrow keys), zoom (wheel,
//! + / − / 0 keys, toolbar buttons) and select in (click, Enter or Space on a focused shape).
//!
//! Interaction is delegated: one set of handlers on the `<svg>` reads the `data-id` of the
//! closest drawn thing, so the shapes themselves ([`SceneSvg`]) carry no callbacks. All DOM
//! access happens in handlers and effects.

use std::collections::HashMap;
use std::rc::Rc;

use gloo_events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent, MouseEvent, PointerEvent, WheelEvent};
use yew::prelude::*;

use crate::layout::aggregate::Aggregates;
use crate::layout::{summary_scene, Detail, Kind, Rect, Scene, Size};
use crate::model::{Cluster, Id};
use crate::ui::dom;
use crate::ui::legend::Legend;
use crate::ui::scene_svg::SceneSvg;
use crate::ui::shared::Shared;
use crate::ui::svg::{elements, num, Lod};
use crate::ui::viewport::{
    draw_for, focus, summary_scale, SceneCost, View, ViewAction, ViewBox, ELEMENT_BUDGET,
};

/// Zoom step of a button press or key press.
const STEP: f64 = 1.25;
/// CSS pixels an arrow key pans.
const ARROW_PAN: f64 = 60.0;
/// A press that moves less than this is a click, not a drag.
const DRAG_THRESHOLD: f64 = 4.0;

#[derive(PartialEq, Properties)]
pub struct DiagramProps {
    /// The cluster the scene draws: a huge one is summarised from it when zoomed out.
    pub cluster: Shared<Cluster>,
    pub scene: Shared<Scene>,
    pub selected: Option<Id>,
    pub on_select: Callback<Option<Id>>,
    /// Drawn over the scene, in its coordinates (the traced flow's path).
    #[prop_or_default]
    pub overlay: Html,
    /// The zoom it opens on (a link's, or the one it had before the architecture view);
    /// `None`: the whole scene.
    #[prop_or_default]
    pub initial_view: Option<ViewBox>,
    /// Told every change of the zoom (`None`: fitted again), for the link.
    #[prop_or_default]
    pub on_view: Callback<Option<ViewBox>>,
}

/// A press of the primary button on the diagram.
struct Press {
    pointer: i32,
    start: (i32, i32),
    last: (i32, i32),
    dragging: bool,
}

fn view_size(svg: &NodeRef) -> Size {
    svg.cast::<Element>()
        .map_or(Size::new(800.0, 600.0), |e| dom::size_of(&e))
}

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    let svg_ref = use_node_ref();
    let initial_view = props.initial_view;
    let view = use_reducer(move || View {
        custom: initial_view,
    });
    {
        let on_view = props.on_view.clone();
        use_effect_with(view.custom, move |custom| on_view.emit(*custom));
    }
    let press = use_mut_ref(|| None::<Press>);
    // Set when a drag ends, so the click that follows it does not select.
    let swallow_click = use_mut_ref(|| false);
    let scene_size = props.scene.size;
    // The element's size, measured after every render (a panel opening beside the diagram
    // narrows it) and on window resizes: it decides the level of detail of huge scenes. Only
    // a change re-renders.
    let measured = use_state_eq(|| None::<Size>);
    {
        let measured = measured.setter();
        let svg_ref = svg_ref.clone();
        use_effect(move || {
            if let Some(svg) = svg_ref.cast::<Element>() {
                measured.set(Some(dom::size_of(&svg)));
            }
        });
    }
    {
        let measured = measured.setter();
        let svg_ref = svg_ref.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo_utils::window(), "resize", move |_| {
                if let Some(svg) = svg_ref.cast::<Element>() {
                    measured.set(Some(dom::size_of(&svg)));
                }
            });
            move || drop(listener)
        });
    }

    // Wheel zoom needs a non-passive listener to keep the page from scrolling.
    {
        let dispatcher = view.dispatcher();
        let svg_ref = svg_ref.clone();
        use_effect_with(
            (scene_size.w.to_bits(), scene_size.h.to_bits()),
            move |_| {
                let listener = svg_ref.cast::<Element>().map(|svg| {
                    let target = svg.clone();
                    EventListener::new_with_options(
                        &target,
                        "wheel",
                        EventListenerOptions::enable_prevent_default(),
                        move |e| {
                            let Some(e) = e.dyn_ref::<WheelEvent>() else {
                                return;
                            };
                            e.prevent_default();
                            let unit = match e.delta_mode() {
                                1 => 16.0,
                                2 => 400.0,
                                _ => 1.0,
                            };
                            let factor = (-e.delta_y() * unit * 0.0015).clamp(-1.0, 1.0).exp();
                            dispatcher.dispatch(ViewAction::Zoom {
                                factor,
                                anchor: Some(dom::local_point(&svg, e.client_x(), e.client_y())),
                                view: dom::size_of(&svg),
                                scene: scene_size,
                            });
                        },
                    )
                });
                move || drop(listener)
            },
        );
    }

    // Once per scene: what drawing each part costs, and for a huge cluster its counts.
    let cost = use_memo(props.scene.clone(), |scene| SceneCost::new(scene));
    // What is drawn over the scene takes its share of the element budget.
    let budget = ELEMENT_BUDGET.saturating_sub(elements(&props.overlay));
    let aggregates = use_memo(
        (props.scene.clone(), props.cluster.clone()),
        |(scene, cluster)| (scene.detail == Detail::Bars).then(|| Aggregates::new(cluster)),
    );
    // A summary scene per zoom level, made the first time that level is shown.
    let summaries = use_mut_ref(Summaries::default);
    let custom = view.custom.is_some();
    let view_box = view.view_box(scene_size);
    let draw = draw_for(&cost, view_box, *measured, budget);
    let summary = match (draw.lod, aggregates.as_ref()) {
        (Lod::Summary(level), Some(aggregates)) => Some(summaries.borrow_mut().at(
            level,
            &props.scene,
            &props.cluster,
            aggregates,
        )),
        _ => None,
    };
    let shown = summary.clone().unwrap_or_else(|| props.scene.clone());
    // Summaries are looked up even when the nodes are drawn (a selected summary's box).
    let summary = summary.or_else(|| summaries.borrow().last_of(&props.scene));

    // The selected thing's box (once per selection), and whether it is drawn only in detail
    // (a node, or a pod found by name), or is a summary: then selecting it zooms to it.
    let selected_target = use_memo(
        (
            props.selected.clone(),
            props.scene.clone(),
            props.cluster.clone(),
            summary.clone(),
        ),
        |(selected, scene, cluster, summary)| {
            target_of(selected.as_ref()?, cluster, scene, summary.as_deref())
        },
    );
    // A selection made elsewhere (a finding, an inspector link, a search) brings its shape
    // into view; one drawn only in detail, or a summary, is zoomed to until it is drawn.
    {
        let dispatcher = view.dispatcher();
        let svg_ref = svg_ref.clone();
        let target = *selected_target;
        let cost = cost.clone();
        let current = view.view_box(scene_size);
        use_effect_with((props.selected.clone(), props.scene.clone()), move |_| {
            let view = view_size(&svg_ref);
            match target {
                Some((rect, true)) => {
                    let next = focus(&cost, current, view, rect, budget);
                    if next != current {
                        dispatcher.dispatch(ViewAction::Show(next));
                    }
                }
                Some((target, false)) => dispatcher.dispatch(ViewAction::Reveal {
                    target,
                    view,
                    scene: scene_size,
                }),
                None => {}
            }
        });
    }

    let zoom_by = {
        let dispatcher = view.dispatcher();
        let svg_ref = svg_ref.clone();
        Rc::new(move |factor: f64| {
            dispatcher.dispatch(ViewAction::Zoom {
                factor,
                anchor: None,
                view: view_size(&svg_ref),
                scene: scene_size,
            })
        })
    };
    let pan_by = {
        let dispatcher = view.dispatcher();
        let svg_ref = svg_ref.clone();
        Rc::new(move |dx: f64, dy: f64| {
            dispatcher.dispatch(ViewAction::Pan {
                dx,
                dy,
                view: view_size(&svg_ref),
                scene: scene_size,
            })
        })
    };

    let onpointerdown = {
        let press = press.clone();
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            *press.borrow_mut() = Some(Press {
                pointer: e.pointer_id(),
                start: (e.client_x(), e.client_y()),
                last: (e.client_x(), e.client_y()),
                dragging: false,
            });
        })
    };
    let onpointermove = {
        let press = press.clone();
        let pan_by = pan_by.clone();
        let svg_ref = svg_ref.clone();
        Callback::from(move |e: PointerEvent| {
            let mut guard = press.borrow_mut();
            let Some(p) = guard.as_mut().filter(|p| p.pointer == e.pointer_id()) else {
                return;
            };
            let (x, y) = (e.client_x(), e.client_y());
            if !p.dragging {
                let moved = f64::from(x - p.start.0).hypot(f64::from(y - p.start.1));
                if moved < DRAG_THRESHOLD {
                    return;
                }
                p.dragging = true;
                // Captured only once it is a drag, so that a click keeps its real target.
                if let Some(svg) = svg_ref.cast::<Element>() {
                    let _ = svg.set_pointer_capture(p.pointer);
                }
            }
            let (dx, dy) = (f64::from(x - p.last.0), f64::from(y - p.last.1));
            p.last = (x, y);
            drop(guard);
            pan_by(dx, dy);
        })
    };
    let end_press = {
        let press = press.clone();
        let swallow_click = swallow_click.clone();
        Callback::from(move |e: PointerEvent| {
            let ended = press.borrow_mut().take_if(|p| p.pointer == e.pointer_id());
            if let Some(p) = ended {
                *swallow_click.borrow_mut() = p.dragging;
            }
        })
    };

    let onclick = {
        let on_select = props.on_select.clone();
        let swallow_click = swallow_click.clone();
        Callback::from(move |e: MouseEvent| {
            if std::mem::take(&mut *swallow_click.borrow_mut()) {
                return;
            }
            dom::focus_closest(e.target());
            on_select.emit(dom::closest_id(e.target()));
        })
    };

    let onkeydown = {
        let on_select = props.on_select.clone();
        let zoom_by = zoom_by.clone();
        let pan_by = pan_by.clone();
        let dispatcher = view.dispatcher();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            match e.key().as_str() {
                "Enter" | " " => match dom::closest_id(e.target()) {
                    Some(id) => on_select.emit(Some(id)),
                    None => return,
                },
                "+" | "=" => zoom_by(STEP),
                "-" | "_" => zoom_by(1.0 / STEP),
                "0" => dispatcher.dispatch(ViewAction::Fit),
                "ArrowLeft" => pan_by(ARROW_PAN, 0.0),
                "ArrowRight" => pan_by(-ARROW_PAN, 0.0),
                "ArrowUp" => pan_by(0.0, ARROW_PAN),
                "ArrowDown" => pan_by(0.0, -ARROW_PAN),
                "Escape" => on_select.emit(None),
                _ => return,
            }
            e.prevent_default();
        })
    };

    let zoom_in = {
        let zoom_by = zoom_by.clone();
        Callback::from(move |_: MouseEvent| zoom_by(STEP))
    };
    let zoom_out = Callback::from(move |_: MouseEvent| zoom_by(1.0 / STEP));
    let fit = {
        let dispatcher = view.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(ViewAction::Fit))
    };

    let selection = selected_target.map(|(rect, _)| {
        let r = crate::layout::scene::outline(rect);
        html! {
            <rect class="selection" x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="6" aria-hidden="true" />
        }
    });

    html! {
        <div class="diagram" data-kind="diagram">
            <div class="canvas">
            <svg
                ref={svg_ref}
                class="diagram-svg"
                viewBox={view_box.attr()}
                preserveAspectRatio="xMidYMid meet"
                role="group"
                aria-label="Cluster diagram. Tab moves between things, Enter shows details; plus and minus zoom, arrow keys pan, 0 fits."
                tabindex="0"
                {onpointerdown}
                {onpointermove}
                onpointerup={end_press.clone()}
                onpointercancel={end_press}
                {onclick}
                {onkeydown}
            >
                <SceneSvg scene={shown} {draw} />
                { props.overlay.clone() }
                { for selection }
            </svg>
            <div class="diagram-tools" role="toolbar" aria-label="Zoom">
                <button type="button" class="tool" onclick={zoom_in} aria-label="Zoom in" title="Zoom in (+)">{"+"}</button>
                <button type="button" class="tool" onclick={zoom_out} aria-label="Zoom out" title="Zoom out (−)">{"−"}</button>
                <button type="button" class={classes!("tool", "tool-fit", custom.then_some("active"))} onclick={fit} aria-label="Fit to screen" title="Fit to screen (0)">{"Fit"}</button>
            </div>
            </div>
            <Legend detail={props.scene.detail} summary={matches!(draw.lod, Lod::Summary(_))} />
        </div>
    }
}

/// The selected thing's box, and whether selecting it zooms to it: a summary, or something
/// drawn only in the detailed scene of a huge cluster (a node, an ENI; a pod, which is not
/// drawn one by one there, stands in as its node's box).
fn target_of(
    id: &Id,
    cluster: &Cluster,
    scene: &Scene,
    summary: Option<&Scene>,
) -> Option<(Rect, bool)> {
    if let Some(s) = summary.and_then(|summary| summary.find(id)) {
        return Some((
            s.rect,
            matches!(s.kind, Kind::Summary | Kind::SubnetSummary),
        ));
    }
    if let Some(s) = scene.find(id) {
        return Some((s.rect, summary.is_some()));
    }
    summary?;
    let Id::Pod { namespace, name } = id else {
        return None;
    };
    let node = cluster
        .pods
        .iter()
        .find(|p| p.name.as_str() == name && p.namespace.as_str() == namespace)?
        .node?;
    let node = cluster.nodes.get(node)?;
    scene.find(&node.id).map(|s| (s.rect, true))
}

/// The summary scenes of one scene, by zoom level, made as they are first shown.
#[derive(Default)]
struct Summaries {
    /// The scene they summarise; another one empties the cache.
    scene: Option<Shared<Scene>>,
    levels: HashMap<i8, Shared<Scene>>,
    /// The last one shown.
    last: Option<Shared<Scene>>,
}

impl Summaries {
    fn at(
        &mut self,
        level: i8,
        scene: &Shared<Scene>,
        cluster: &Cluster,
        aggregates: &Aggregates,
    ) -> Shared<Scene> {
        if self.scene.as_ref() != Some(scene) {
            self.levels.clear();
            self.last = None;
            self.scene = Some(scene.clone());
        }
        let summary = self
            .levels
            .entry(level)
            .or_insert_with(|| {
                Shared::from(Rc::new(summary_scene(
                    cluster,
                    aggregates,
                    scene,
                    summary_scale(level),
                )))
            })
            .clone();
        self.last = Some(summary.clone());
        summary
    }

    /// The summary last shown of `scene`, if any.
    fn last_of(&self, scene: &Shared<Scene>) -> Option<Shared<Scene>> {
        self.last
            .clone()
            .filter(|_| self.scene.as_ref() == Some(scene))
    }
}
