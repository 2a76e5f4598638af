//! The diagram: pan and zoom over a scene (`canvas`), the level of detail (`viewport`),
//! the scene drawn as SVG (`scene_svg`, `svg`, `icons`), its key (`legend`), the traced flow
//! over it (`traffic_overlay`) and the architecture view (`architecture_view`).

pub(crate) mod architecture_view;
pub(crate) mod canvas;
pub(crate) mod icons;
pub(crate) mod legend;
pub(crate) mod scene_svg;
pub(crate) mod svg;
pub(crate) mod traffic_overlay;
pub mod viewport;
