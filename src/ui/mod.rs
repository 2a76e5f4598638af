//! Yew components that edit the scenario and draw its [`crate::layout::Scene`].
//!
//! Code map: `app` (the page and its state), `narrow_layout` (the menu and the editor drawer
//! of phones and narrow windows), `workspace` (the document state as a reducer:
//! edits, problems, the last valid cluster), `editor` / `field` / `controls` / `problem_list` /
//! `findings_panel` / `workload_editor` / `cni_settings` / `endpoint_settings` /
//! `instance_type_list` (the side panel), `list_edit` (each list of the scenario as data: its
//! fields, their text, add / duplicate / remove) with `item_list` (any list drawn from it) and
//! `subnet_form` (Add subnet, with the next free CIDR), `change_note` (what the last edit
//! moved), `docs` (the AWS pages the numbers follow),
//! `diagram` (selection, `roving` keyboard movement between things; `pan_zoom` shared with
//! the architecture view) over `scene_svg` / `svg` / `icons` (pure SVG rendering to
//! `markup`'s element tree, mounted as Yew `Html` or written as text),
//! `viewport` (zoom and pan arithmetic, and the level of detail of huge scenes), `legend`,
//! `inspector` (draws the page `crate::explain` computes for the selected id), `lookup` (from a
//! drawn id back to the model, for the flow panel), `dom` (the few browser calls,
//! made in handlers and effects only), `shared` (identity-compared props and memos), `reuse`
//! (what an edit keeps of the last cluster and scene), `later` (work put off until after the
//! paint), `decimal` (the plain decimals read back: a viewBox, a link's zoom, a saved time).
//! Traffic and Kubernetes: `flow_panel` (flow picker, hop table, client-IP badge, shares,
//! toggles) with `traffic_overlay` (draws the path and share bars `layout::trace_path`
//! placed; load balancers and the service band are the scene's overlay); `node_actions` (Fail /
//! Cordon / Drain / Restore / Scale in the inspector, with a stepper diffing the clusters);
//! `architecture_view` (Network | Architecture, the kubectl-apply walk-through); `test_hook`
//! and `bench_hook` (`window.eksplainLoad(json)`, `window.eksplainPanic()`, the benchmark's
//! bindings: only with the `test-hooks` feature, never in the release site).
//! `framing` (the editor's refusal to run in another site's frame).
//! Saved work: `saved_work` (what is autosaved where, the guard against other tabs, drafts
//! kept aside), `work_guard` (the offers before anything replaces saved work), `crash` (the
//! panic hook: the draft kept, a message instead of a dead page).
//! Sharing: `url_state` (the scenario in the URL fragment, own steps and links), `view_link`
//! (the view, flow, selection and zoom after it), `share_tools`
//! (Share, Embed, SVG/PNG export, Open, Import, Gallery, the banners), `import_module` (the
//! page's whole share of Import…: it fetches the import module and opens its dialog). In the
//! import module only: `import_dialog` (the Import… dialog, a Yew app of its own) with
//! `import_worker` (the same module run as a web worker, which reads the inputs) and
//! `import_message` (what the two say). `embed` (the read-only
//! `embed.html` page) with `frame_height` (it posts its diagram's height to the page that
//! frames it), `export` (downloads and import in the browser), `file_name` (the
//! `NAME.eksplain.svg` names the page and `eksplain render` give), `standalone_svg` (the
//! SVG document both the page and `eksplain render` produce, the diagram's element tree
//! written as text).
//!
//! Architecture invariant: nothing renders differently natively and in the browser; `web_sys`
//! is touched only in callbacks and effects, and the diagram is drawn once, as `markup`'s
//! element tree, for the page and for the SVG export alike.

mod app;
#[cfg(feature = "test-hooks")]
pub mod bench_hook;
pub mod crash;
mod decimal;
mod diagram;
mod dom;
mod editor;
mod later;
mod narrow_layout;
pub mod opening;
mod panels;
mod reuse;
mod share;
mod shared;
#[cfg(feature = "test-hooks")]
mod test_hook;
mod workspace;

// Each file is named at `crate::ui::<file>` whatever its folder, so moving a file between
// folders changes no path that uses it.
pub use diagram::viewport;
use diagram::{
    architecture_view, canvas, icons, legend, markup, pan_zoom, roving, scene_svg, svg,
    traffic_overlay,
};
use editor::{
    cni_settings, controls, endpoint_settings, field, form, instance_type_list, item_list,
    list_edit, long_list, subnet_form, workload_editor,
};
use panels::{
    change_note, docs, findings_panel, flow_panel, inspector, node_actions, problem_list, search,
};
pub use share::{
    embed, file_name, frame_height, framing, import_dialog, import_message, url_state, view_link,
};
use share::{
    export, import_module, import_worker, page_stylesheet, saved_work, share_tools, standalone_svg,
    work_guard,
};

pub use app::App;
pub use scene_svg::{SceneSvg, SceneSvgProps};
pub use shared::Shared;
pub use standalone_svg::{render_document, render_picture, scenario_from_svg, StandaloneSvg};
pub use svg::{Draw, Lod};
pub use workspace::{Edit, Workspace};
