//! Yew components that edit the scenario and draw its [`crate::layout::Scene`].
//!
//! Code map: `app` (the page and its state), `workspace` (the document state as a reducer:
//! edits, problems, the last valid cluster), `editor` / `field` / `controls` / `problem_list` /
//! `findings_panel` / `workload_editor` / `cni_settings` / `endpoint_settings` /
//! `instance_type_list` (the side panel), `docs` (the AWS pages the numbers follow),
//! `diagram` (pan, zoom, selection) over `scene_svg` / `svg` / `icons` (pure SVG rendering),
//! `viewport` (zoom and pan arithmetic), `legend`,
//! `inspector` with `lookup` (from a drawn id back to the model), `dom` (the few browser calls,
//! made in handlers and effects only), `shared` (identity-compared props).
//!
//! Architecture invariant: nothing renders differently natively and in the browser; `web_sys`
//! is touched only in callbacks and effects, so the SVG components render with Yew SSR too.

mod app;
mod cni_settings;
mod controls;
mod diagram;
mod docs;
mod dom;
mod editor;
mod endpoint_settings;
mod field;
mod findings_panel;
mod icons;
mod inspector;
mod instance_type_list;
mod legend;
mod lookup;
mod problem_list;
mod scene_svg;
mod shared;
mod svg;
pub mod viewport;
mod workload_editor;
mod workspace;

pub use app::App;
pub use lookup::{resolve, Target};
pub use scene_svg::{SceneSvg, SceneSvgProps};
pub use shared::Shared;
pub use svg::{Draw, Lod};
pub use workspace::{Edit, Workspace};
