//! [`SceneSvg`]: a whole scene as SVG content (a `<g>`), without any interaction.
//!
//! Its props compare the scene by identity, so zooming, panning or selecting re-renders the
//! diagram's frame but never diffs the thousands of shapes below it. Free of `web_sys`, it
//! is what a native SVG export renders too.

use yew::prelude::*;

use super::shared::Shared;
use super::svg::{edge, shape, Draw, Lod};
use crate::layout::Scene;

#[derive(PartialEq, Properties)]
pub struct SceneSvgProps {
    pub scene: Shared<Scene>,
    /// Level of detail and window; the default draws everything.
    #[prop_or_default]
    pub draw: Draw,
}

#[function_component(SceneSvg)]
pub fn scene_svg(props: &SceneSvgProps) -> Html {
    let scene = &props.scene;
    html! {
        <g class={classes!("scene", format!("detail-{:?}", scene.detail).to_lowercase(), matches!(props.draw.lod, Lod::Summary(_)).then_some("lod-summary"))}>
            { for scene.shapes.iter().map(|s| shape(s, props.draw)) }
            <g class="edges">{ for scene.edges.iter().map(edge) }</g>
            <g class="overlay">{ for scene.overlay.iter().map(|s| shape(s, props.draw)) }</g>
        </g>
    }
}
