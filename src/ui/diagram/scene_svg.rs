//! [`SceneSvg`]: a whole scene as SVG content (a `<g>`), without any interaction.
//!
//! Its props compare the scene by identity, so zooming, panning or selecting re-renders the
//! diagram's frame but never diffs the thousands of shapes below it. Free of `web_sys`, it
//! is what a native SVG export renders too.

use std::rc::Rc;

use yew::prelude::*;

use crate::layout::Scene;
use crate::model::Id;
use crate::ui::shared::Shared;
use crate::ui::svg::{arrow_marker, edge, frame, shape, Draw, Lod};

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

/// Back to front: the boxes of frames, the calls between components (arrows that pass under
/// the boxes they go through), the shapes, then the other lines.
#[function_component(SceneSvg)]
pub fn scene_svg(props: &SceneSvgProps) -> Html {
    let scene = &props.scene;
    let lit = &props.lit[..];
    let calls = scene.edges.iter().any(|e| e.kind.is_call());
    html! {
        <g class={classes!("scene", format!("detail-{:?}", scene.detail).to_ascii_lowercase(), matches!(props.draw.lod, Lod::Summary(_)).then_some("lod-summary"))}>
            if calls {
                <defs>{ arrow_marker() }</defs>
            }
            { for scene.shapes.iter().map(|s| frame(s, lit)) }
            if calls {
                <g class="calls">{ for scene.edges.iter().filter(|e| e.kind.is_call()).map(|e| edge(e, lit)) }</g>
            }
            { for scene.shapes.iter().map(|s| shape(s, props.draw, lit)) }
            <g class="edges">{ for scene.edges.iter().filter(|e| !e.kind.is_call()).map(|e| edge(e, lit)) }</g>
            <g class="overlay">{ for scene.overlay.iter().map(|s| shape(s, props.draw, lit)) }</g>
        </g>
    }
}
