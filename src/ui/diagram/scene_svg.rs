//! [`SceneSvg`]: a whole scene as SVG content (a `<g>`), without any interaction.
//!
//! Its props compare the scene by identity, so zooming, panning or selecting re-renders the
//! diagram's frame but never diffs the thousands of shapes below it. It mounts
//! [`scene_markup`], which Export SVG and `eksplain render` write as text
//! (`standalone_svg.rs`).

use std::rc::Rc;

use yew::prelude::*;

use crate::layout::Scene;
use crate::model::Id;
use crate::ui::markup::{el, Node};
use crate::ui::shared::Shared;
use crate::ui::svg::{arrow_marker, edge, frame, shape, Draw, Lit, Lod};

#[derive(PartialEq, Properties)]
pub struct SceneSvgProps {
    pub scene: Shared<Scene>,
    /// Level of detail and window; the default draws everything.
    #[prop_or_default]
    pub draw: Draw,
    /// Ids to light (`data-highlight="true"`): the architecture walk-through's current step.
    #[prop_or_default]
    pub lit: Rc<[Id]>,
}

#[function_component(SceneSvg)]
pub fn scene_svg(props: &SceneSvgProps) -> Html {
    scene_markup(&props.scene, props.draw, &props.lit[..]).into()
}

/// Back to front: the boxes of frames, the calls between components (arrows that pass under
/// the boxes they go through), the shapes, then the other lines.
pub fn scene_markup(scene: &Scene, draw: Draw, lit: Lit) -> Node {
    let calls = scene.edges.iter().any(|e| e.kind.is_call());
    let detail = format!("detail-{:?}", scene.detail).to_ascii_lowercase();
    let summary = if matches!(draw.lod, Lod::Summary(_)) {
        "lod-summary"
    } else {
        ""
    };
    let edges = |call: bool| -> Node {
        scene
            .edges
            .iter()
            .filter(|e| e.kind.is_call() == call)
            .map(|e| edge(e, lit))
            .collect()
    };
    let mut g = el("g").class(&["scene", &detail, summary]);
    if calls {
        g = g.child(el("defs").child(arrow_marker()));
    }
    g = g.child(scene.shapes.iter().map(|s| frame(s, lit)).collect::<Node>());
    if calls {
        g = g.child(el("g").class(&["calls"]).child(edges(true)));
    }
    g.child(
        scene
            .shapes
            .iter()
            .map(|s| shape(s, draw, lit))
            .collect::<Node>(),
    )
    .child(el("g").class(&["edges"]).child(edges(false)))
    .child(
        el("g").class(&["overlay"]).child(
            scene
                .overlay
                .iter()
                .map(|s| shape(s, draw, lit))
                .collect::<Node>(),
        ),
    )
    .into()
}
