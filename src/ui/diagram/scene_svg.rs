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
    /// Mounts the first drawing as one text the browser parses, instead of element by element
    /// through Yew: for a page that draws once and then only pans (the embed), it saves
    /// thousands of calls from wasm before the first paint. Later drawings (a new scene, a
    /// level of detail) are diffed as usual, the first of them built afresh.
    #[prop_or_default]
    pub first_as_text: bool,
}

#[function_component(SceneSvg)]
pub fn scene_svg(props: &SceneSvgProps) -> Html {
    let as_text = use_mut_ref(|| props.first_as_text);
    let markup = scene_markup(&props.scene, props.draw, &props.lit[..]);
    if std::mem::take(&mut *as_text.borrow_mut()) {
        return Html::from_html_unchecked(markup.to_text().into());
    }
    markup.into()
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

// Natively only: Yew's server-side renderer is not in the wasm build.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    /// The first drawing mounted as text is the drawing Yew mounts element by element: the
    /// same markup, so the embed's page is the picture `eksplain render` writes either way.
    #[test]
    fn the_first_drawing_as_text_is_the_same_markup() {
        let s = crate::scenario::default_scenario();
        let cluster = crate::pipeline::build(&s).unwrap();
        let scene = Shared::from(Rc::new(crate::pipeline::network_scene(&cluster)));
        let ssr = |first_as_text: bool| {
            let props = SceneSvgProps {
                scene: scene.clone(),
                draw: Draw::default(),
                lit: Rc::from(Vec::new()),
                first_as_text,
            };
            futures_executor::block_on(
                yew::LocalServerRenderer::<SceneSvg>::with_props(props)
                    .hydratable(false)
                    .render(),
            )
        };
        let text = ssr(true);
        assert!(text.starts_with("<g class=\"scene"), "{}", &text[..40]);
        assert!(text.contains("data-kind=\"vpc\""));
        assert_eq!(text, ssr(false));
    }
}
