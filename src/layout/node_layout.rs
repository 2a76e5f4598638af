//! A worker node: its name, type and addresses, then each attached ENI with its secondary
//! address slots drawn as cells (used, warm, free) or, for huge clusters, as one bar.
//!
//! Measuring ([`node_size`]) and placing ([`node_shape`]) are separate so that a subnet can
//! size its grid before anything is built; both read the same constants.

use super::geometry::{Rect, Size};
use super::scene::{Anchor, Detail, Kind, Meter, MeterPart, Shape, State, TextStyle};
use super::text::{ascent, line_height, plural, thousands, width};
use crate::model::aws::eni::{Eni, PREFIX_SIZE};
use crate::model::{Cluster, Node};

/// Inner padding of a node box.
const PAD: f64 = 8.0;
/// Icon and first line of a node.
const ICON: f64 = 18.0;
const ICON_GAP: f64 = 6.0;
/// Space between the node's text and its ENIs, and between ENIs.
const STACK_GAP: f64 = 6.0;
/// Inner padding of an ENI box.
const ENI_PAD: f64 = 6.0;
/// Side of an address cell and the gap between cells.
pub const CELL: f64 = 10.0;
pub const CELL_GAP: f64 = 3.0;
const PITCH: f64 = CELL + CELL_GAP;
/// Cells per row at most; rows are then balanced (29 slots → 2 rows of 15 and 14).
const MAX_COLS: u32 = 16;
/// Height of an ENI's bar in [`Detail::Bars`].
const BAR: f64 = 8.0;
/// Narrowest node, so a grid of nodes reads as a grid.
const MIN_WIDTH: f64 = 150.0;

/// Rows and columns of cells for an ENI with `capacity` slots.
pub fn grid(capacity: u32) -> (u32, u32) {
    if capacity == 0 {
        return (0, 0);
    }
    let rows = capacity.div_ceil(MAX_COLS);
    (rows, capacity.div_ceil(rows))
}

fn eni_header(node: &Node, eni: &Eni, cluster: &Cluster) -> String {
    let mut header = format!("{} {}", eni.name(), eni.primary_ip);
    if eni.subnet != node.subnet {
        if let Some(s) = cluster.subnets.get(eni.subnet) {
            header.push_str(" · ");
            header.push_str(&s.name);
        }
    }
    header
}

/// Slots taken (addresses or prefixes) of the ENI's capacity.
fn eni_count(eni: &Eni) -> String {
    format!("{}/{}", eni.slots.len() + eni.prefixes.len(), eni.capacity)
}

fn eni_width(node: &Node, eni: &Eni, cluster: &Cluster) -> f64 {
    let (_, cols) = grid(eni.capacity);
    let cells = f64::from(cols) * PITCH - CELL_GAP;
    let header = width(&eni_header(node, eni, cluster), TextStyle::Mono)
        + 10.0
        + width(&eni_count(eni), TextStyle::Muted);
    2.0 * ENI_PAD + cells.max(header)
}

fn eni_height(eni: &Eni, detail: Detail) -> f64 {
    let body = match detail {
        Detail::Cells => {
            let (rows, _) = grid(eni.capacity);
            (f64::from(rows) * PITCH - CELL_GAP).max(0.0)
        }
        Detail::Bars => BAR,
    };
    2.0 * ENI_PAD + line_height(TextStyle::Mono) + 2.0 + body
}

fn type_label(node: &Node) -> &str {
    &node.instance_type.name
}

fn footer(node: &Node) -> String {
    format!(
        "{} of {} ENIs · max pods {}",
        node.enis.len(),
        node.instance_type.max_enis,
        thousands(node.max_pods.value)
    )
}

/// The node's addresses: private, then public if it has one.
fn addresses(node: &Node) -> String {
    match node.public_ip {
        Some(public) => format!("{} · {public}", node.primary_ip),
        None => node.primary_ip.to_string(),
    }
}

/// Height of the text block above the ENIs.
fn head_height() -> f64 {
    ICON + 2.0 + line_height(TextStyle::Mono) + line_height(TextStyle::Muted)
}

/// The natural size of a node box.
pub fn node_size(node: &Node, cluster: &Cluster, detail: Detail) -> Size {
    let head = [
        ICON + ICON_GAP
            + width(&node.name, TextStyle::Heading)
            + 12.0
            + width(type_label(node), TextStyle::Muted),
        width(&addresses(node), TextStyle::Mono),
        width(&node.hostname(), TextStyle::Muted),
        width(&footer(node), TextStyle::Muted),
    ];
    let enis = node.enis.iter().map(|e| eni_width(node, e, cluster));
    let inner = head.into_iter().chain(enis).fold(0.0, f64::max);
    let enis_h: f64 = node
        .enis
        .iter()
        .map(|e| eni_height(e, detail) + STACK_GAP)
        .sum();
    Size::new(
        (inner + 2.0 * PAD).max(MIN_WIDTH).ceil(),
        PAD + head_height() + STACK_GAP + enis_h + line_height(TextStyle::Muted) + PAD - 2.0,
    )
}

/// Builds a node box at `rect` (its width at least [`node_size`]'s).
pub fn node_shape(node: &Node, cluster: &Cluster, detail: Detail, rect: Rect) -> Shape {
    let mut shape = Shape::new(node.id.clone(), Kind::Node, rect);
    shape.name = format!(
        "Node {}, {}, primary IP {}, {}",
        node.name,
        type_label(node),
        node.primary_ip,
        plural(node.enis.len() as u32, "ENI", "ENIs")
    );
    let x = rect.x + PAD;
    let right = rect.right() - PAD;
    let mut y = rect.y + PAD;
    shape.icon = Some(Rect::new(x, y, ICON, ICON));
    let first_baseline = y + ICON / 2.0 + ascent(TextStyle::Heading) / 2.0 - 1.0;
    shape.text(
        x + ICON + ICON_GAP,
        first_baseline,
        node.name.clone(),
        TextStyle::Heading,
        Anchor::Start,
    );
    shape.text(
        right,
        first_baseline,
        type_label(node).to_string(),
        TextStyle::Muted,
        Anchor::End,
    );
    y += ICON + 2.0;
    shape.text(
        x,
        y + ascent(TextStyle::Mono),
        addresses(node),
        TextStyle::Mono,
        Anchor::Start,
    );
    y += line_height(TextStyle::Mono);
    shape.text(
        x,
        y + ascent(TextStyle::Muted),
        node.hostname(),
        TextStyle::Muted,
        Anchor::Start,
    );
    y += line_height(TextStyle::Muted) + STACK_GAP;
    for eni in &node.enis {
        let h = eni_height(eni, detail);
        shape.children.push(eni_shape(
            node,
            eni,
            cluster,
            detail,
            Rect::new(x, y, right - x, h),
        ));
        y += h + STACK_GAP;
    }
    shape.text(
        x,
        y + ascent(TextStyle::Muted),
        footer(node),
        TextStyle::Muted,
        Anchor::Start,
    );
    shape
}

fn eni_shape(node: &Node, eni: &Eni, cluster: &Cluster, detail: Detail, rect: Rect) -> Shape {
    let mut shape = Shape::new(eni.id.clone(), Kind::Eni, rect);
    shape.name = if eni.prefixes.is_empty() {
        format!(
            "ENI {} of {}, primary IP {}, {} of {} secondary IPs held",
            eni.name(),
            node.name,
            eni.primary_ip,
            eni.slots.len(),
            eni.capacity
        )
    } else {
        format!(
            "ENI {} of {}, primary IP {}, {} of {} /28 prefixes held",
            eni.name(),
            node.name,
            eni.primary_ip,
            eni.prefixes.len(),
            eni.capacity
        )
    };
    let x = rect.x + ENI_PAD;
    let right = rect.right() - ENI_PAD;
    let baseline = rect.y + ENI_PAD + ascent(TextStyle::Mono);
    shape.text(
        x,
        baseline,
        eni_header(node, eni, cluster),
        TextStyle::Mono,
        Anchor::Start,
    );
    shape.text(
        right,
        baseline,
        eni_count(eni),
        TextStyle::Muted,
        Anchor::End,
    );
    let top = rect.y + ENI_PAD + line_height(TextStyle::Mono) + 2.0;
    match detail {
        Detail::Bars => {
            // In addresses: a prefix slot holds 16.
            let per_slot = if eni.prefixes.is_empty() {
                1
            } else {
                PREFIX_SIZE
            };
            shape.meter = Some(Meter {
                rect: Rect::new(x, top, right - x, BAR),
                parts: vec![(MeterPart::Used, eni.used()), (MeterPart::Warm, eni.warm())],
                total: eni.capacity.saturating_mul(per_slot).max(eni.held()),
            });
        }
        Detail::Cells => {
            let (_, cols) = grid(eni.capacity);
            let cell = |k: u32| {
                let (row, col) = (k / cols.max(1), k % cols.max(1));
                Rect::new(
                    x + f64::from(col) * PITCH,
                    top + f64::from(row) * PITCH,
                    CELL,
                    CELL,
                )
            };
            shape.children.reserve(eni.capacity as usize);
            for (k, slot) in eni.slots.iter().enumerate() {
                let mut c = Shape::new(slot.id.clone(), Kind::Ip, cell(k as u32));
                c.state = if slot.pod.is_some() {
                    State::Used
                } else {
                    State::Warm
                };
                c.name = match &slot.pod {
                    Some(pod) => format!(
                        "{} on {} of {}, used by pod {pod}",
                        slot.ip,
                        eni.name(),
                        node.name
                    ),
                    None => format!(
                        "{} on {} of {}, warm (held for a pod)",
                        slot.ip,
                        eni.name(),
                        node.name
                    ),
                };
                shape.children.push(c);
            }
            let taken = eni.slots.len() + eni.prefixes.len();
            for (k, prefix) in eni.prefixes.iter().enumerate() {
                let mut c = Shape::new(
                    prefix.id.clone(),
                    Kind::Prefix,
                    cell((eni.slots.len() + k) as u32),
                );
                c.state = if prefix.pods.is_empty() {
                    State::Warm
                } else {
                    State::Used
                };
                c.name = format!(
                    "Prefix {} on {} of {}, {} of {PREFIX_SIZE} addresses used by pods",
                    prefix.cidr,
                    eni.name(),
                    node.name,
                    prefix.pods.len()
                );
                shape.children.push(c);
            }
            for k in taken as u32..eni.capacity {
                let id = format!("slot:{}/{}/{k}", node.name, eni.name());
                let mut c = Shape::new(id, Kind::Slot, cell(k));
                c.state = State::Free;
                c.name = format!(
                    "Free slot {k} on {} of {}: no address allocated",
                    eni.name(),
                    node.name
                );
                shape.children.push(c);
            }
        }
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::tests_support::{assert_tree_invariants, cluster_with};

    #[test]
    fn grid_balances_rows() {
        assert_eq!(grid(0), (0, 0));
        assert_eq!(grid(9), (1, 9));
        assert_eq!(grid(16), (1, 16));
        assert_eq!(grid(29), (2, 15));
        assert_eq!(grid(49), (4, 13));
        assert_eq!(grid(63), (4, 16));
    }

    #[test]
    fn a_default_node_has_its_eni_and_nine_warm_cells() {
        let cluster = cluster_with(|_| {});
        let node = &cluster.nodes[0];
        let size = node_size(node, &cluster, Detail::Cells);
        let shape = node_shape(
            node,
            &cluster,
            Detail::Cells,
            Rect::at(Default::default(), size),
        );
        assert_tree_invariants(&shape);
        assert_eq!(shape.children.len(), node.enis.len());
        let eni = &shape.children[0];
        assert_eq!(eni.id, "eni:ng-1-1/eth0");
        let warm = eni
            .children
            .iter()
            .filter(|c| c.kind == Kind::Ip && c.state == State::Warm)
            .count();
        assert_eq!(warm as u32, node.enis[0].warm());
        assert!(shape.texts.iter().any(|t| t.text == "m5.large"));
        assert!(shape
            .texts
            .iter()
            .any(|t| t.text == node.primary_ip.to_string()));
        assert!(
            shape
                .texts
                .iter()
                .any(|t| t.text == format!("{} of 3 ENIs · max pods 29", node.enis.len())),
            "{:?}",
            shape.texts
        );
    }

    #[test]
    fn prefixes_are_cells_of_their_own() {
        let cluster = cluster_with(|s| s.cluster.vpc_cni.prefix_delegation = true);
        let node = &cluster.nodes[0];
        let size = node_size(node, &cluster, Detail::Cells);
        let shape = node_shape(
            node,
            &cluster,
            Detail::Cells,
            Rect::at(Default::default(), size),
        );
        assert_tree_invariants(&shape);
        let prefixes: usize = node.enis.iter().map(|e| e.prefixes.len()).sum();
        assert!(prefixes > 0);
        assert_eq!(
            shape.walk().filter(|s| s.kind == Kind::Prefix).count(),
            prefixes
        );
        let free: u32 = node.enis.iter().map(|e| e.free()).sum();
        assert_eq!(
            shape.walk().filter(|s| s.kind == Kind::Slot).count(),
            free as usize
        );
    }

    #[test]
    fn free_slots_fill_an_eni_up_to_its_capacity() {
        let cluster = cluster_with(|s| s.cluster.vpc_cni.warm_ip_target = Some(2));
        let node = &cluster.nodes[0];
        let size = node_size(node, &cluster, Detail::Cells);
        let shape = node_shape(
            node,
            &cluster,
            Detail::Cells,
            Rect::at(Default::default(), size),
        );
        assert_tree_invariants(&shape);
        let eni = &shape.children[0];
        let kinds: Vec<(Kind, State)> = eni.children.iter().map(|c| (c.kind, c.state)).collect();
        // WARM_IP_TARGET=2 on a node running one CoreDNS pod: 3 addresses held, 2 of them warm.
        assert_eq!(
            kinds
                .iter()
                .filter(|k| **k == (Kind::Ip, State::Warm))
                .count(),
            2
        );
        assert_eq!(kinds.iter().filter(|k| k.0 == Kind::Ip).count(), 3);
        assert_eq!(
            kinds
                .iter()
                .filter(|k| **k == (Kind::Slot, State::Free))
                .count(),
            6
        );
        assert_eq!(eni.children[3].id, "slot:ng-1-1/eth0/3");
    }

    #[test]
    fn bars_draw_one_meter_per_eni() {
        let cluster =
            cluster_with(|s| s.managed_node_groups[0].instance_type = "m5.24xlarge".into());
        let node = &cluster.nodes[0];
        let cells = node_size(node, &cluster, Detail::Cells);
        let bars = node_size(node, &cluster, Detail::Bars);
        assert!(bars.h < cells.h);
        let shape = node_shape(
            node,
            &cluster,
            Detail::Bars,
            Rect::at(Default::default(), bars),
        );
        assert_tree_invariants(&shape);
        assert!(shape
            .children
            .iter()
            .all(|e| e.children.is_empty() && e.meter.is_some()));
    }

    #[test]
    fn big_instances_grow_the_node() {
        let small = cluster_with(|_| {});
        let big = cluster_with(|s| s.managed_node_groups[0].instance_type = "m5.4xlarge".into());
        let a = node_size(&small.nodes[0], &small, Detail::Cells);
        let b = node_size(&big.nodes[0], &big, Detail::Cells);
        assert!(b.w > a.w && b.h > a.h, "{a:?} {b:?}");
    }
}
