//! Turns a [`Cluster`] into a [`Scene`]: positioned shapes, lines and labels, each carrying
//! the id and kind of the model object it draws.
//!
//! Pure geometry: no web crate, no font engine (text is measured by estimate, see [`text`]).
//! The same scene is drawn by the Yew components in the browser and, natively, by the CLI's
//! SVG export. Layout is deterministic and linear in the size of the cluster.
//!
//! Code map: [`geometry`] (points and rectangles), [`scene`] (the output types), [`text`]
//! (font sizes, width estimates, wrapping), `context` (what placing looks up: pods by name,
//! workload colours, findings by subject), `vpc_layout` (the frames, AZ columns, subnet rows,
//! the lines to the control plane), `subnet_layout` (a subnet's header and usage meter, NAT
//! gateway, cross-account ENI and node grid), `node_layout` (a node, its ENIs, their address
//! cells, prefixes and branch ENIs, and its pods), `control_plane_layout` (the EKS control
//! plane box), `k8s_layout` (the workloads key and the Pending tray).

//!
//! The architecture view is a scene of its own: [`architecture_scene`] (`architecture_layout`:
//! the control plane's components, the paths into the VPC, every node's agents and the calls
//! between them) and [`walkthrough`] (the `kubectl apply` steps, each naming the boxes it
//! involves).
//!
//! Level of detail: [`auto_detail`] draws each ENI as one bar at thousands of nodes, and
//! [`summary_scene`] (`summary_layout`, over the counts of [`aggregate`], drawn as `card`s)
//! is the same map zoomed out, with one summary per subnet and node group in place of the
//! nodes; the view picks one or the other as the user zooms.
//!
//! Architecture invariants (checked by the tests of each file): every shape lies inside its
//! parent (the internet gateway straddles the VPC's left border by design); siblings never
//! overlap; labels fit their box; ids are unique and are the model's ids, so they do not
//! change when unrelated parts of the scenario do.

pub mod aggregate;
mod architecture_layout;
mod card;
mod context;
mod control_plane_layout;
pub mod geometry;
mod k8s_layout;
mod lb_layout;
mod node_layout;
mod node_state_layout;
pub mod scene;
mod service_band_layout;
mod subnet_layout;
mod summary_layout;
pub mod text;
pub mod trace_path;
mod vpc_layout;
mod walkthrough;

/// The layout's invariants as assertions: the unit tests here and the fuzz targets
/// (`fuzz/`, through the `test-support` feature) check every scene with them.
#[cfg(any(test, feature = "test-support"))]
#[doc(hidden)]
pub mod tests_support;

pub use architecture_layout::{
    agent_id, arch_id, architecture_scene, AGENTS, ARCH_CONTROL_PLANE_KEY, ARCH_MORE_KEY,
    MAX_NODES_DRAWN,
};
pub use control_plane_layout::{component_id, CONTROL_PLANE_ID};
pub use geometry::{Point, Rect, Size};
pub use k8s_layout::{PENDING_ID, WORKLOADS_ID};
pub use scene::{
    Anchor, Badge, Detail, Edge, EdgeKind, Kind, Meter, MeterPart, Scene, Shape, State, Stroke,
    Text, TextStyle, Tone, BADGE_RADIUS,
};
pub use service_band_layout::SERVICE_BAND_ID;
pub use summary_layout::{reference_scale, summary_scene};
pub use trace_path::{trace_path, TracePath};
pub use walkthrough::{walkthrough, WalkStep};

use crate::model::Cluster;

/// Address cells a scene draws at most; above this, ENIs are drawn as bars. A cell is one
/// DOM element (three for a pod's: the address, the pod, its label), and a browser stays
/// responsive with some tens of thousands.
pub const CELL_BUDGET: u64 = 12_000;

/// How to lay a cluster out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// `None` = cells while the cluster has at most [`CELL_BUDGET`] slots, else bars.
    pub detail: Option<Detail>,
}

/// Cells a scene of `cluster` draws in [`Detail::Cells`]: every slot of every ENI (a held
/// /28 prefix is 16 cells), every branch ENI, and every pod that is not hostNetwork (those
/// are listed on their node, not drawn one by one).
pub fn cell_count(cluster: &Cluster) -> u64 {
    let enis: u64 = cluster
        .enis()
        .map(|(_, e)| {
            let taken = (e.slots.len() + e.prefixes.len()) as u64;
            u64::from(e.capacity).max(taken) + e.prefixes.len() as u64 * 15
        })
        .sum();
    let branches: u64 = cluster.nodes.iter().map(|n| n.branches.len() as u64).sum();
    let pods = cluster.pods.iter().filter(|p| !p.host_network).count() as u64;
    enis + branches + pods
}

/// The detail that keeps a cluster's scene within [`CELL_BUDGET`].
pub fn auto_detail(cluster: &Cluster) -> Detail {
    let cells = cell_count(cluster);
    if cells <= CELL_BUDGET {
        Detail::Cells
    } else {
        Detail::Bars
    }
}

/// Lays out a cluster with the default options.
pub fn layout(cluster: &Cluster) -> Scene {
    layout_with(cluster, Options::default())
}

/// Lays out a cluster.
pub fn layout_with(cluster: &Cluster, options: Options) -> Scene {
    let detail = options.detail.unwrap_or_else(|| auto_detail(cluster));
    let mut scene = vpc_layout::scene(cluster, detail);
    let overlay = overlay(cluster, &scene);
    set_overlay(&mut scene, overlay);
    scene
}

/// What is drawn over the map of `scene`: the load balancers, the service band, the marks on
/// changed nodes. It reads the map's shapes only (never its overlay), so a change that leaves
/// the map as it was (a Service's traffic policy) lays out this part alone.
pub fn overlay(cluster: &Cluster, scene: &Scene) -> Vec<Shape> {
    let mut out = lb_layout::load_balancers(cluster, scene);
    out.extend(service_band_layout::service_band(cluster, scene));
    out.extend(node_state_layout::node_states(cluster, scene));
    out
}

/// Puts `overlay` on `scene`, growing the scene to hold it (the service band hangs below the
/// map, beside the workloads key).
pub fn set_overlay(scene: &mut Scene, overlay: Vec<Shape>) {
    const MARGIN: f64 = 24.0;
    for s in &overlay {
        scene.size.w = scene.size.w.max((s.rect.right() + MARGIN).ceil());
        scene.size.h = scene.size.h.max((s.rect.bottom() + MARGIN).ceil());
    }
    scene.overlay = overlay;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::tests_support::cluster_with;

    #[test]
    fn small_clusters_get_cells_and_huge_ones_bars() {
        assert_eq!(auto_detail(&cluster_with(|_| {})), Detail::Cells);
        let huge = cluster_with(|s| s.managed_node_groups[0].desired_capacity = 2000);
        assert_eq!(auto_detail(&huge), Detail::Bars);
        assert_eq!(layout(&huge).detail, Detail::Bars);
        let forced = layout_with(
            &huge,
            Options {
                detail: Some(Detail::Cells),
            },
        );
        assert_eq!(forced.detail, Detail::Cells);
    }
}
