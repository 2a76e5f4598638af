//! Turns a [`Cluster`] into a [`Scene`]: positioned shapes, lines and labels, each carrying
//! the id and kind of the model object it draws.
//!
//! Pure geometry: no web crate, no font engine (text is measured by estimate, see [`text`]).
//! The same scene is drawn by the Yew components in the browser and, natively, by the CLI's
//! SVG export. Layout is deterministic and linear in the size of the cluster.
//!
//! Code map: [`geometry`] (points and rectangles), [`scene`] (the output types), [`text`]
//! (font sizes and width estimates), `vpc_layout` (the frames, AZ columns and subnet rows),
//! `subnet_layout` (a subnet's header, NAT gateway and node grid), `node_layout` (a node, its
//! ENIs and their address cells).
//!
//! Architecture invariants (checked by the tests of each file): every shape lies inside its
//! parent (the internet gateway straddles the VPC's left border by design); siblings never
//! overlap; labels fit their box; ids are unique and are the model's ids, so they do not
//! change when unrelated parts of the scenario do.

pub mod geometry;
mod node_layout;
pub mod scene;
mod subnet_layout;
pub mod text;
mod vpc_layout;

#[cfg(test)]
mod tests_support;

pub use geometry::{Point, Rect, Size};
pub use scene::{
    Anchor, Detail, Edge, EdgeKind, Kind, Meter, MeterPart, Scene, Shape, State, Text, TextStyle,
};

use crate::model::Cluster;

/// Address cells a scene draws at most; above this, ENIs are drawn as bars. A cell is a few
/// DOM elements, and a browser stays responsive with some tens of thousands.
pub const CELL_BUDGET: u64 = 12_000;

/// How to lay a cluster out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    /// `None` = cells while the cluster has at most [`CELL_BUDGET`] slots, else bars.
    pub detail: Option<Detail>,
}

/// The detail that keeps a cluster's scene within [`CELL_BUDGET`].
pub fn auto_detail(cluster: &Cluster) -> Detail {
    let cells: u64 = cluster.enis().map(|(_, e)| u64::from(e.capacity)).sum();
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
    vpc_layout::scene(cluster, detail)
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
