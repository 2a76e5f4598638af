//! [`ArchitectureView`]: the architecture view of the cluster — the scene
//! `layout::architecture_scene` makes (control plane components, node agents, the calls
//! between them) drawn by the one scene renderer ([`SceneSvg`]) in an `<svg>`, and beside it
//! [`walkthrough`]'s steps of `kubectl apply`, whose current step's boxes are lit. The step is
//! the component's state; the geometry and the steps are the layout's. It zooms and pans as
//! the network diagram does (`pan_zoom.rs`), and hides labels too small to read the same way.
//!
//! DOM contract: `data-kind="architecture"` (the `<svg>`), boxes `data-kind="arch-part"` with
//! `data-id` (`arch:kube-apiserver`, `arch:etcd`, `arch:node:<name>`,
//! `arch:node:<name>/kubelet`, `arch:eks-eni:<az>`, `arch:natgw:<az>`, `arch:igw`,
//! `arch:public-endpoint`, `arch:kubectl`, `arch:lb-controller`, `arch:elb`, `arch:more`) and
//! `data-highlight="true"` when the current step involves them; edges `data-kind="arch-edge"`
//! with `data-id`, `data-from`, `data-to`, `data-via` (space-separated ids); the walk-through
//! `data-kind="walkthrough"` with `data-step` (1-based), buttons `data-action="back|next"`.

use std::rc::Rc;

use web_sys::KeyboardEvent;
use yew::prelude::*;

use crate::layout::{architecture_scene, walkthrough};
use crate::model::{Cluster, Id};
use crate::ui::pan_zoom::use_pan_zoom;
use crate::ui::scene_svg::SceneSvg;
use crate::ui::shared::Shared;
use crate::ui::viewport::{unreadable_text, Bounds, HOME_MIN_SCALE};

#[derive(PartialEq, Properties)]
pub struct ArchitectureViewProps {
    pub cluster: Shared<Cluster>,
    /// The page: the first view no farther than the names read, and labels too small to
    /// read hidden. Else (an embed) the whole picture with every label.
    #[prop_or_default]
    pub readable: bool,
}

#[function_component(ArchitectureView)]
pub fn architecture_view(props: &ArchitectureViewProps) -> Html {
    let step = use_state(|| 1_usize);
    let scene = use_memo(props.cluster.clone(), |c| Rc::new(architecture_scene(c)));
    let steps = use_memo(props.cluster.clone(), |c| walkthrough(c));
    // Zoom and pan as the network diagram does (one code path): the whole picture, or in a
    // small element its left part (the control plane) at the closest zoom its names read.
    let pz = use_pan_zoom(
        if props.readable {
            Bounds {
                scene: scene.size,
                focus: Some(scene.bounds()),
                min_scale: HOME_MIN_SCALE,
            }
        } else {
            Bounds::whole(scene.size)
        },
        None,
    );
    let n = steps.len();
    let current = &steps[(*step).clamp(1, n) - 1];
    let lit: Rc<[Id]> = current.ids.clone().into();
    // Each step brings its first lit box into view when none of it is.
    {
        let pz = pz.clone();
        let first = scene
            .walk()
            .find(|s| current.ids.contains(&s.id))
            .map(|s| s.rect);
        use_effect_with(*step, move |_| {
            if let Some(rect) = first {
                pz.reveal(rect);
            }
        });
    }
    let back = {
        let step = step.clone();
        Callback::from(move |_: MouseEvent| step.set((*step).saturating_sub(1).max(1)))
    };
    let next = {
        let step = step.clone();
        Callback::from(move |_: MouseEvent| step.set((*step + 1).min(n)))
    };
    // Nothing in it to move between: the arrow keys pan.
    let onkeydown = {
        let pz = pz.clone();
        Callback::from(move |e: KeyboardEvent| {
            pz.keydown(&e, true);
        })
    };
    // On the page, labels too small to read at this zoom are hidden (as in the diagram).
    let unreadable = props.readable.then(|| unreadable_text(pz.scale()));
    html! {
        <div class="architecture-wrap">
            <div class="canvas architecture-canvas">
                { pz.tools() }
                <svg ref={pz.svg.clone()} id="diagram" class={classes!("architecture", unreadable)} data-kind="architecture"
                    viewBox={pz.view_box.attr()} preserveAspectRatio="xMidYMid meet"
                    role="group" aria-roledescription="diagram" tabindex="0"
                    aria-label="Cluster architecture: control plane components and node agents. Plus and minus zoom, arrow keys pan, 0 fits."
                    onpointerdown={pz.onpointerdown.clone()} onpointermove={pz.onpointermove.clone()}
                    onpointerup={pz.end_press.clone()} onpointercancel={pz.end_press.clone()} {onkeydown}>
                    <SceneSvg scene={Shared::new((*scene).clone())} {lit} />
                </svg>
            </div>
            <section class="walkthrough" data-kind="walkthrough" data-step={step.to_string()} aria-label="kubectl apply, step by step" aria-live="polite">
                <p class="eyebrow">{ format!("kubectl apply a Deployment · step {} of {n}", *step) }</p>
                <h3>{ current.title }</h3>
                <p>{ current.text.clone() }</p>
                <div class="walk-buttons">
                    <button type="button" class="action" data-action="back" onclick={back} disabled={*step <= 1}>{ "Back" }</button>
                    <button type="button" class="action primary-action" data-action="next" onclick={next} disabled={*step >= n}>{ "Next" }</button>
                </div>
            </section>
        </div>
    }
}

/// The "Network | Architecture" switch (`data-kind="view-toggle"`, buttons `data-view`).
pub fn view_toggle(architecture: UseStateHandle<bool>) -> Html {
    let on = *architecture;
    let set = |v: bool| {
        let architecture = architecture.clone();
        Callback::from(move |_: MouseEvent| architecture.set(v))
    };
    html! {
        <div class="view-toggle segmented" data-kind="view-toggle" role="group" aria-label="View">
            <button type="button" class={classes!("seg", (!on).then_some("active"))} data-view="network"
                aria-pressed={(!on).to_string()} onclick={set(false)}>{ "Network" }</button>
            <button type="button" class={classes!("seg", on.then_some("active"))} data-view="architecture"
                aria-pressed={on.to_string()} onclick={set(true)}>{ "Architecture" }</button>
        </div>
    }
}

/// Natively: they render with Yew's server-side renderer.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The DOM contract of a tag: `data-kind data-id`, and for edges `data-from data-to
    /// data-via`, and `lit` when `data-highlight="true"`; one line per drawn thing.
    fn contract(html: &str) -> Vec<String> {
        let attr = |tag: &str, name: &str| {
            let key = format!(" {name}=\"");
            tag.find(&key).map(|i| {
                let rest = &tag[i + key.len()..];
                rest[..rest.find('"').unwrap_or(rest.len())].to_string()
            })
        };
        let mut out: Vec<String> = html
            .split('<')
            .filter_map(|tag| {
                let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
                let kind = attr(tag, "data-kind")?;
                let mut line = format!("{kind} {}", attr(tag, "data-id").unwrap_or_default());
                if kind == "arch-edge" {
                    for a in ["data-from", "data-to", "data-via"] {
                        line.push_str(&format!(" {a}={}", attr(tag, a).unwrap_or_default()));
                    }
                }
                if attr(tag, "data-highlight").as_deref() == Some("true") {
                    line.push_str(" lit");
                }
                Some(line)
            })
            .collect();
        out.sort();
        out
    }

    /// The view rendered natively draws, for every gallery scenario, the same things (kinds,
    /// ids, edge ends, the first step's highlights) as the contract kept in
    /// `tests/fixtures/architecture/` (written from the view before its geometry moved to
    /// `layout`; `UPDATE_ARCH_FIXTURES=1` rewrites it after a deliberate change).
    #[test]
    fn native_render_keeps_the_dom_contract() {
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/architecture");
        for (stem, s) in crate::scenario::gallery_scenarios() {
            let cluster = crate::model::build(&s).unwrap();
            let props = ArchitectureViewProps {
                cluster: Shared::new(std::rc::Rc::new(cluster)),
                readable: true,
            };
            let html = futures_executor::block_on(
                yew::LocalServerRenderer::<ArchitectureView>::with_props(props)
                    .hydratable(false)
                    .render(),
            );
            let got = contract(&html).join("\n") + "\n";
            let fixture = format!("{fixtures}/{stem}.txt");
            if std::env::var_os("UPDATE_ARCH_FIXTURES").is_some() {
                std::fs::create_dir_all(fixtures).unwrap();
                std::fs::write(&fixture, &got).unwrap();
            }
            let want = std::fs::read_to_string(&fixture).unwrap_or_default();
            assert_eq!(
                got, want,
                "{stem}: the architecture view's DOM contract changed"
            );
        }
    }

    /// The scene alone, through the export's standalone document (what `eksplain render` and
    /// Export SVG produce): well-formed XML drawing the same boxes and arrows as the view.
    #[test]
    fn the_standalone_document_draws_the_same_scene() {
        use crate::pipeline::{View, ViewOptions};
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/static/scenarios/gallery/small-subnets.json"
        );
        let s = crate::scenario::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
        let options = ViewOptions {
            view: View::Architecture,
            ..ViewOptions::default()
        };
        let svg = crate::ui::standalone_svg::render_document(&s, &options).unwrap();
        roxmltree::Document::parse(&svg).expect("well-formed XML");
        assert_eq!(svg.matches("id=\"arch-arrow\"").count(), 1);
        let fixture = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/architecture/small-subnets.txt"
        );
        let want: Vec<String> = std::fs::read_to_string(fixture)
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("arch-"))
            .map(|l| l.trim_end_matches(" lit").to_string())
            .collect();
        assert_eq!(contract(&svg), want);
    }
}
