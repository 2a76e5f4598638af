//! [`Diagram`]: the scene in an `<svg>` the user can pan and zoom (`pan_zoom.rs`: drag,
//! wheel, + / − / 0, Shift + arrow keys, the toolbar), move the keyboard through (one Tab
//! stop, arrow keys between things: `roving.rs`) and select in (click, Enter on a thing
//! with nothing inside, Space). The first view fits the VPC; labels too small to read at the
//! current zoom are hidden (`viewport::unreadable_text`).
//!
//! Interaction is delegated: one set of handlers on the `<svg>` reads the `data-id` of the
//! closest drawn thing, so the shapes themselves ([`SceneSvg`]) carry no callbacks. All DOM
//! access happens in handlers and effects.

use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, FocusEvent, KeyboardEvent, MouseEvent};
use yew::prelude::*;

use crate::layout::aggregate::Aggregates;
use crate::layout::{summary_scene, Detail, Kind, Rect, Scene};
use crate::model::{Cluster, Id};
use crate::ui::dom;
use crate::ui::legend::Legend;
use crate::ui::pan_zoom::{use_pan_zoom, view_size};
use crate::ui::roving::{self, Move};
use crate::ui::scene_svg::SceneSvg;
use crate::ui::shared::Shared;
use crate::ui::svg::{num, Lod};
use crate::ui::viewport::{
    draw_for, focus, summary_scale, unreadable_text, Bounds, SceneCost, ViewAction, ViewBox,
    ELEMENT_BUDGET, HOME_MIN_SCALE,
};

#[derive(PartialEq, Properties)]
pub struct DiagramProps {
    /// The cluster of a scene drawn as bars, which is summarised from it when zoomed out
    /// ([`summarised`]); `None` for any other scene, which draws from the scene alone, so
    /// that an edit which keeps the scene (a toggle of a Service's setting) leaves the
    /// diagram as it is, without a render.
    pub cluster: Option<Shared<Cluster>>,
    pub scene: Shared<Scene>,
    pub selected: Option<Id>,
    pub on_select: Callback<Option<Id>>,
    /// Drawn over the scene, in its coordinates (the traced flow's path).
    #[prop_or_default]
    pub overlay: Html,
    /// The page: the first view fits the VPC, no farther than its names read, and labels too
    /// small to read are hidden. Else (an embed, whose host sizes its frame to the drawing)
    /// the whole scene with every label.
    #[prop_or_default]
    pub readable: bool,
    /// The zoom it opens on (a link's, or the one it had before the architecture view);
    /// `None`: the first view.
    #[prop_or_default]
    pub initial_view: Option<ViewBox>,
    /// Told every change of the zoom (`None`: back to the first view), for the link.
    #[prop_or_default]
    pub on_view: Callback<Option<ViewBox>>,
    /// The first drawing mounted as parsed text (`SceneSvg::first_as_text`): the embed.
    #[prop_or_default]
    pub first_as_text: bool,
}

/// The [`DiagramProps::cluster`] for `scene`, drawn from `cluster`: the cluster when the scene
/// is drawn as bars (it is summarised then), else `None`.
pub fn summarised(scene: &Scene, cluster: &Rc<Cluster>) -> Option<Shared<Cluster>> {
    (scene.detail == Detail::Bars).then(|| Shared::from(cluster.clone()))
}

/// Where the keyboard first lands in the drawing: the first node (what most questions are
/// about: its addresses, its pods, its max pods), else the VPC. Escape climbs from there to
/// its subnet, Availability Zone and VPC.
const FIRST_STOP: [&str; 2] = ["[data-kind=\"node\"]", "[data-kind=\"vpc\"]"];

#[function_component(Diagram)]
pub fn diagram(props: &DiagramProps) -> Html {
    // On the page, the first view fits the VPC (what the user came to read), not the whole
    // canvas, and no farther than its names read.
    let vpc = use_memo(
        (props.scene.clone(), props.readable),
        |(scene, readable)| {
            scene
                .shapes
                .iter()
                .flat_map(|s| s.walk())
                .find(|s| *readable && s.kind == Kind::Vpc)
                .map(|s| s.rect)
        },
    );
    let pz = use_pan_zoom(
        Bounds {
            scene: props.scene.size,
            focus: *vpc,
            // A huge cluster opens on its summaries, which size their text for the zoom.
            min_scale: if props.readable && props.scene.detail != Detail::Bars {
                HOME_MIN_SCALE
            } else {
                0.0
            },
        },
        props.initial_view,
    );
    // Every change of the zoom is told (the link keeps it).
    {
        let on_view = props.on_view.clone();
        use_effect_with(pz.custom_view, move |custom| on_view.emit(*custom));
    }
    let svg_ref = pz.svg.clone();

    // Once per scene: what drawing each part costs, and for a huge cluster its counts.
    let cost = use_memo(props.scene.clone(), |scene| SceneCost::new(scene));
    // What is drawn over the scene takes its share of the element budget.
    let budget = ELEMENT_BUDGET.saturating_sub(elements(&props.overlay));
    let aggregates = use_memo(
        (props.scene.clone(), props.cluster.clone()),
        |(scene, cluster)| {
            cluster
                .as_ref()
                .filter(|_| scene.detail == Detail::Bars)
                .map(|c| Aggregates::new(c))
        },
    );
    // A summary scene per zoom level, made the first time that level is shown.
    let summaries = use_mut_ref(Summaries::default);
    let view_box = pz.view_box;
    let draw = draw_for(&cost, view_box, pz.measured, budget);
    let summary = match (draw.lod, aggregates.as_ref(), props.cluster.as_ref()) {
        (Lod::Summary(level), Some(aggregates), Some(cluster)) => Some(summaries.borrow_mut().at(
            level,
            &props.scene,
            cluster,
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
            target_of(
                selected.as_ref()?,
                cluster.as_deref(),
                scene,
                summary.as_deref(),
            )
        },
    );
    // A selection made elsewhere (a finding, an inspector link, a search) brings its shape
    // into view; one drawn only in detail, or a summary, is zoomed to until it is drawn.
    {
        let pz = pz.clone();
        let target = *selected_target;
        let cost = cost.clone();
        use_effect_with((props.selected.clone(), props.scene.clone()), move |_| {
            let view = view_size(&pz.svg);
            match target {
                Some((rect, true)) => {
                    let next = focus(&cost, pz.view_box, view, rect, budget);
                    if next != pz.view_box {
                        pz.dispatcher.dispatch(ViewAction::Show(next));
                    }
                }
                Some((target, false)) => pz.reveal(target),
                None => {}
            }
        });
    }
    // After every render: the drawing keeps exactly one Tab stop (a redrawn scene, a
    // summary swapped for nodes, may have taken it away).
    {
        let svg_ref = svg_ref.clone();
        use_effect(move || {
            if let Some(root) = svg_ref.cast::<Element>() {
                roving::current_or(&root, &FIRST_STOP);
            }
        });
    }

    let onclick = {
        let on_select = props.on_select.clone();
        let pz = pz.clone();
        Callback::from(move |e: MouseEvent| {
            if pz.was_drag() {
                return;
            }
            dom::focus_closest(e.target());
            on_select.emit(dom::closest_id(e.target()));
        })
    };
    // Whatever takes focus in the drawing (a click, the inspector giving it back) becomes
    // its Tab stop.
    let onfocusin = {
        let svg_ref = svg_ref.clone();
        Callback::from(move |e: FocusEvent| {
            let item = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .filter(roving::is_item);
            if let (Some(root), Some(item)) = (svg_ref.cast::<Element>(), item) {
                roving::make_current(&root, &item);
            }
        })
    };

    let onkeydown = {
        let on_select = props.on_select.clone();
        let selected = props.selected.is_some();
        let pz = pz.clone();
        let scene = shown.clone();
        Callback::from(move |e: KeyboardEvent| {
            if pz.keydown(&e, false) || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let Some(root) = pz.svg.cast::<Element>() else {
                return;
            };
            let Some(item) = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .filter(roving::is_item)
            else {
                return;
            };
            let step = match e.key().as_str() {
                "ArrowRight" | "ArrowDown" => Move::Next,
                "ArrowLeft" | "ArrowUp" => Move::Previous,
                "Home" => Move::First,
                "End" => Move::Last,
                // Into a container; a thing with nothing inside opens in the inspector.
                "Enter" if !roving::children(&item).is_empty() => Move::In,
                "Enter" | " " => {
                    e.prevent_default();
                    if let Some(id) = dom::item_id(&item) {
                        on_select.emit(Some(id));
                    }
                    return;
                }
                // With the inspector open, Escape closes it (app.rs) and focus stays here.
                "Escape" if !selected => Move::Out,
                _ => return,
            };
            e.prevent_default();
            if let Some(next) = roving::target(&item, &root, step) {
                roving::make_current(&root, &next);
                dom::focus_element(&next);
                if let Some(shape) = dom::item_id(&next).and_then(|id| scene.find(&id)) {
                    pz.reveal(shape.rect);
                }
            }
        })
    };

    let selection = selected_target.map(|(rect, _)| {
        let r = crate::layout::scene::outline(rect);
        html! {
            <rect class="selection" x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="6" />
        }
    });
    // On the page, labels that would read under 11 px at this zoom are hidden until the
    // user zooms in; an embed is a picture the host sizes, and keeps them all.
    let unreadable = props.readable.then(|| unreadable_text(pz.scale()));

    html! {
        <div class="diagram" data-kind="diagram">
            <div class="canvas">
            // Before the drawing, so that Tab goes from the drawing straight to the panels.
            { pz.tools() }
            <svg
                ref={svg_ref}
                id="diagram"
                class={classes!("diagram-svg", unreadable)}
                viewBox={view_box.attr()}
                preserveAspectRatio="xMidYMid meet"
                role="group"
                aria-roledescription="diagram"
                aria-label="Cluster diagram"
                aria-describedby="diagram-keys"
                onpointerdown={pz.onpointerdown.clone()}
                onpointermove={pz.onpointermove.clone()}
                onpointerup={pz.end_press.clone()}
                onpointercancel={pz.end_press.clone()}
                {onclick}
                {onfocusin}
                {onkeydown}
            >
                <SceneSvg scene={shown} {draw} first_as_text={props.first_as_text} />
                // One element each whatever they hold, so that a change of selection or trace
                // never makes Yew rebuild the scene beside them (and lose the focused thing).
                <g class="drawn-over">{ props.overlay.clone() }</g>
                <g class="selection-layer" aria-hidden="true">{ for selection }</g>
            </svg>
            <p id="diagram-keys" class="visually-hidden">
                { "Arrow keys move between things, Enter goes into a group or opens the details, Space opens the details, Escape goes back out. Plus and minus zoom, Shift and the arrow keys pan, 0 fits." }
            </p>
            </div>
            <Legend detail={props.scene.detail} summary={matches!(draw.lod, Lod::Summary(_))} />
        </div>
    }
}

/// Elements (tags) in `html`: what the overlay takes of the element budget.
fn elements(html: &Html) -> u32 {
    match html {
        Html::VTag(tag) => 1 + tag.children().map_or(0, elements),
        Html::VList(list) => list.iter().map(elements).sum(),
        _ => 0,
    }
}

/// The selected thing's box, and whether selecting it zooms to it: a summary, or something
/// drawn only in the detailed scene of a huge cluster (a node, an ENI; a pod, which is not
/// drawn one by one there, stands in as its node's box).
fn target_of(
    id: &Id,
    cluster: Option<&Cluster>,
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
    let cluster = cluster?;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{layout, layout_with, Options};
    use crate::scenario::default_scenario;

    #[test]
    fn only_a_scene_of_bars_takes_the_cluster() {
        let cluster = Rc::new(crate::model::build(&default_scenario()).unwrap());
        assert!(summarised(&layout(&cluster), &cluster).is_none());
        let bars = layout_with(
            &cluster,
            Options {
                detail: Some(Detail::Bars),
            },
        );
        assert!(summarised(&bars, &cluster).is_some_and(|c| Rc::ptr_eq(&c.0, &cluster)));
    }
}
