//! The diagram: pan and zoom over a scene (`canvas`, with `pan_zoom` shared by the
//! architecture view), keyboard movement between its things (`roving`), the level of detail
//! (`viewport`),
//! the scene drawn as SVG (`scene_svg`, `svg`, `icons`, as `markup`'s element tree, which the
//! page mounts and the SVG export writes as text), its key (`legend`), the traced flow
//! over it (`traffic_overlay`) and the architecture view (`architecture_view`).

pub(crate) mod architecture_view;
pub(crate) mod canvas;
pub(crate) mod icons;
pub(crate) mod legend;
pub(crate) mod markup;
pub(crate) mod pan_zoom;
pub(crate) mod roving;
pub(crate) mod scene_svg;
pub(crate) mod svg;
pub(crate) mod traffic_overlay;
pub mod viewport;
