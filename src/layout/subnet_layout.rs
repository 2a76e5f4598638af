//! A subnet: a header (name, PUBLIC/PRIVATE, CIDR, used and free addresses with a meter
//! stacked by what uses them), its NAT gateway and the EKS control plane's cross-account ENI
//! if it holds them, then its nodes in a grid of equal cells.

use super::context::Context;
use super::geometry::{Rect, Size};
use super::node_layout::node_shape;
use super::scene::{Anchor, Kind, Meter, MeterPart, Shape, State, TextStyle};
use super::text::{ascent, line_height, thousands, width};
use crate::model::aws::eks_control_plane::CrossAccountEni;
use crate::model::aws::nat_gateway::NatGateway;
use crate::model::aws::subnet::Subnet;
use crate::model::{Cluster, Node};

/// Inner padding of a subnet box.
pub const PAD: f64 = 10.0;
/// Gap between nodes of the grid, and between the header, the NAT gateway and the grid.
pub const GAP: f64 = 10.0;
const ICON: f64 = 16.0;
const METER: f64 = 6.0;
/// Narrowest subnet.
const MIN_WIDTH: f64 = 220.0;

const NAT_PAD: f64 = 7.0;
const NAT_ICON: f64 = 26.0;

/// What one subnet box holds.
pub struct SubnetContent<'a> {
    pub subnet: &'a Subnet,
    pub nat: Option<&'a NatGateway>,
    /// The control plane's cross-account ENI in this subnet.
    pub eks_eni: Option<&'a CrossAccountEni>,
    /// Its nodes in cluster order, each with its index in the cluster and natural size.
    pub nodes: Vec<(&'a Node, usize, Size)>,
}

/// `PUBLIC` or `PRIVATE`.
pub fn tag(subnet: &Subnet) -> &'static str {
    if subnet.public {
        "PUBLIC"
    } else {
        "PRIVATE"
    }
}

fn usable_label(subnet: &Subnet) -> String {
    format!("{} usable", thousands(subnet.usable()))
}

fn usage_label(subnet: &Subnet) -> String {
    let full = if subnet.free() == 0 { " · full" } else { "" };
    format!(
        "{} used · {} free{full}",
        thousands(subnet.used()),
        thousands(subnet.free())
    )
}

/// The segments of a subnet's usage gauge, by what takes the addresses.
pub fn usage_parts(s: &Subnet) -> Vec<(MeterPart, u32)> {
    let u = s.usage;
    vec![
        (MeterPart::Nat, u.nat_gateways),
        (MeterPart::Eks, u.eks_enis),
        (MeterPart::Primary, u.eni_primaries),
        (MeterPart::Branch, u.branch_enis),
        (MeterPart::Used, u.pods),
        (MeterPart::Warm, u.warm),
    ]
}

fn nat_ip(nat: &NatGateway) -> String {
    nat.private_ip
        .map_or_else(|| "no address".to_string(), |ip| ip.to_string())
}

fn nat_size(nat: &NatGateway) -> Size {
    gateway_size("NAT gateway", &nat_ip(nat))
}

const EKS_ENI_TITLE: &str = "EKS cross-account ENI";

fn eks_eni_size(eni: &CrossAccountEni) -> Size {
    gateway_size(EKS_ENI_TITLE, &eni.ip.to_string())
}

/// A box with an icon, a title and an address.
fn gateway_size(title: &str, address: &str) -> Size {
    let text = width(title, TextStyle::Heading).max(width(address, TextStyle::Mono));
    Size::new(
        (2.0 * NAT_PAD + NAT_ICON + 8.0 + text).ceil(),
        2.0 * NAT_PAD + line_height(TextStyle::Heading) + line_height(TextStyle::Mono),
    )
}

fn header_height() -> f64 {
    PAD + ICON + 4.0 + line_height(TextStyle::Mono) + line_height(TextStyle::Muted) + 2.0 + METER
}

impl SubnetContent<'_> {
    /// The narrowest this subnet can be drawn (its header and NAT gateway).
    pub fn min_width(&self) -> f64 {
        let s = self.subnet;
        let line1 =
            ICON + 6.0 + width(&s.name, TextStyle::Heading) + 12.0 + width(tag(s), TextStyle::Tag);
        let line2 = width(&s.cidr.to_string(), TextStyle::Mono)
            + 12.0
            + width(&usable_label(s), TextStyle::Muted);
        let line3 = width(&usage_label(s), TextStyle::Muted);
        let nat = self.nat.map_or(0.0, |n| nat_size(n).w);
        let eks = self
            .eks_eni
            .map_or(0.0, |e| eks_eni_size(e).w + EKS_LINE_ROOM);
        (2.0 * PAD + line1.max(line2).max(line3).max(nat).max(eks))
            .max(MIN_WIDTH)
            .ceil()
    }

    /// Rows of the node grid: for each, its nodes and height.
    fn rows(&self, cols: usize) -> impl Iterator<Item = (&[(&Node, usize, Size)], f64)> {
        self.nodes
            .chunks(cols.max(1))
            .map(|row| (row, row.iter().map(|(_, _, s)| s.h).fold(0.0, f64::max)))
    }

    /// The natural height with the nodes in a grid of `cols` columns.
    pub fn height(&self, cols: usize) -> f64 {
        let mut h = header_height() + PAD;
        if let Some(nat) = self.nat {
            h += nat_size(nat).h + GAP;
        }
        if let Some(eni) = self.eks_eni {
            h += eks_eni_size(eni).h + GAP;
        }
        for (_, row_h) in self.rows(cols) {
            h += row_h + GAP;
        }
        h
    }

    /// Builds the subnet at `rect`; nodes fill `cols` columns of `cell_w` each.
    pub fn shape(&self, ctx: &Context, rect: Rect, cols: usize, cell_w: f64) -> Shape {
        let cluster = ctx.cluster;
        let s = self.subnet;
        let mut shape = Shape::new(s.id.clone(), Kind::Subnet, rect);
        shape.badge = ctx.badge(&s.id, rect);
        shape.state = if s.public {
            State::Public
        } else {
            State::Private
        };
        shape.name = format!(
            "{} subnet {}, {} in {}, {} of {} usable addresses used, {} free",
            if s.public { "Public" } else { "Private" },
            s.name,
            s.cidr,
            s.az,
            thousands(s.used()),
            thousands(s.usable()),
            thousands(s.free())
        );
        let x = rect.x + PAD;
        let right = rect.right() - PAD;
        let mut y = rect.y + PAD;
        shape.icon = Some(Rect::new(x, y, ICON, ICON));
        let baseline = y + ICON / 2.0 + ascent(TextStyle::Heading) / 2.0 - 1.0;
        shape.text(
            x + ICON + 6.0,
            baseline,
            s.name.clone(),
            TextStyle::Heading,
            Anchor::Start,
        );
        shape.text(right, baseline - 1.0, tag(s), TextStyle::Tag, Anchor::End);
        y += ICON + 4.0;
        let baseline = y + ascent(TextStyle::Mono);
        shape.text(
            x,
            baseline,
            s.cidr.to_string(),
            TextStyle::Mono,
            Anchor::Start,
        );
        shape.text(
            right,
            baseline,
            usable_label(s),
            TextStyle::Muted,
            Anchor::End,
        );
        y += line_height(TextStyle::Mono);
        let usage = usage_label(s);
        shape.text(
            x,
            y + ascent(TextStyle::Muted),
            usage,
            TextStyle::Muted,
            Anchor::Start,
        );
        y += line_height(TextStyle::Muted) + 2.0;
        shape.meter = Some(Meter {
            rect: Rect::new(x, y, right - x, METER),
            parts: usage_parts(s),
            total: s.usable(),
        });
        y += METER + PAD;
        if let Some(nat) = self.nat {
            let size = nat_size(nat);
            let r = Rect::new(x, y, size.w, size.h);
            shape
                .children
                .push(nat_shape(cluster, nat, r, ctx.badge(&nat.id, r)));
            y += size.h + GAP;
        }
        if let Some(eni) = self.eks_eni {
            let size = eks_eni_size(eni);
            shape
                .children
                .push(eks_eni_shape(cluster, eni, Rect::new(x, y, size.w, size.h)));
            y += size.h + GAP;
        }
        shape.children.reserve(self.nodes.len());
        for (row, row_h) in self.rows(cols) {
            for (i, (node, index, size)) in row.iter().enumerate() {
                let cell = Rect::new(x + i as f64 * (cell_w + GAP), y, cell_w, size.h);
                shape.children.push(node_shape(node, *index, ctx, cell));
            }
            y += row_h + GAP;
        }
        shape
    }
}

/// Room right of the cross-account ENI for its line to leave the subnet.
const EKS_LINE_ROOM: f64 = 24.0;

fn eks_eni_shape(cluster: &Cluster, eni: &CrossAccountEni, rect: Rect) -> Shape {
    let mut shape = Shape::new(eni.id.clone(), Kind::EksEni, rect);
    let subnet = cluster
        .subnets
        .get(eni.subnet)
        .map_or("?", |s| s.name.as_str());
    shape.name = format!(
        "EKS cross-account ENI in {subnet} ({}), {}: the control plane's way into the VPC",
        eni.az, eni.ip
    );
    icon_and_two_lines(&mut shape, EKS_ENI_TITLE, eni.ip.to_string());
    shape
}

/// An icon on the left of a title and an address.
fn icon_and_two_lines(shape: &mut Shape, title: &str, address: String) {
    let rect = shape.rect;
    let x = rect.x + NAT_PAD;
    shape.icon = Some(Rect::new(
        x,
        rect.y + (rect.h - NAT_ICON) / 2.0,
        NAT_ICON,
        NAT_ICON,
    ));
    let tx = x + NAT_ICON + 8.0;
    let y = rect.y + NAT_PAD;
    shape.text(
        tx,
        y + ascent(TextStyle::Heading),
        title.to_string(),
        TextStyle::Heading,
        Anchor::Start,
    );
    let y = y + line_height(TextStyle::Heading);
    shape.text(
        tx,
        y + ascent(TextStyle::Mono),
        address,
        TextStyle::Mono,
        Anchor::Start,
    );
}

fn nat_shape(
    cluster: &Cluster,
    nat: &NatGateway,
    rect: Rect,
    badge: Option<super::scene::Badge>,
) -> Shape {
    let mut shape = Shape::new(nat.id.clone(), Kind::NatGw, rect);
    shape.badge = badge;
    let subnet = cluster
        .subnets
        .get(nat.subnet)
        .map_or("?", |s| s.name.as_str());
    shape.name = match nat.private_ip {
        Some(ip) => format!("NAT gateway in {subnet} ({}), private IP {ip}", nat.az),
        None => {
            shape.state = State::Alert;
            format!(
                "NAT gateway in {subnet} ({}): not created, the subnet has no free address",
                nat.az
            )
        }
    };
    icon_and_two_lines(&mut shape, "NAT gateway", nat_ip(nat));
    shape
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::node_layout::node_size;
    use crate::layout::scene::Detail;
    use crate::layout::tests_support::{assert_tree_invariants, cluster_with};

    fn content<'a>(cluster: &'a Cluster, ctx: &Context, subnet: usize) -> SubnetContent<'a> {
        SubnetContent {
            subnet: &cluster.subnets[subnet],
            nat: cluster.nat_gateways.iter().find(|n| n.subnet == subnet),
            eks_eni: cluster
                .control_plane
                .enis
                .iter()
                .find(|e| e.subnet == subnet),
            nodes: cluster
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.subnet == subnet)
                .map(|(i, n)| (n, i, node_size(n, i, ctx)))
                .collect(),
        }
    }

    fn build(cluster: &Cluster, subnet: usize, cols: usize) -> Shape {
        let ctx = Context::new(cluster, Detail::Cells);
        let c = content(cluster, &ctx, subnet);
        let cell_w = c.nodes.iter().map(|(_, _, s)| s.w).fold(0.0, f64::max);
        let w = c
            .min_width()
            .max(2.0 * PAD + cols as f64 * (cell_w + GAP) - GAP);
        c.shape(&ctx, Rect::new(5.0, 7.0, w, c.height(cols)), cols, cell_w)
    }

    #[test]
    fn a_public_subnet_holds_its_nat_gateway() {
        let cluster = cluster_with(|_| {});
        let shape = build(&cluster, 0, 1);
        assert_tree_invariants(&shape);
        assert_eq!(shape.state, State::Public);
        assert_eq!(shape.children.len(), 1);
        assert_eq!(shape.children[0].kind, Kind::NatGw);
        assert_eq!(shape.children[0].id, "natgw:us-east-1a");
        assert!(shape.texts.iter().any(|t| t.text == "10.0.0.0/24"));
        assert!(
            shape.texts.iter().any(|t| t.text == "1 used · 250 free"),
            "{:?}",
            shape.texts
        );
    }

    #[test]
    fn nodes_fill_a_grid_of_equal_cells() {
        let cluster = cluster_with(|s| s.managed_node_groups[0].desired_capacity = 13);
        // private-a holds nodes 1, 4, 7, 10, 13.
        for cols in 1..=5 {
            let shape = build(&cluster, 3, cols);
            assert_tree_invariants(&shape);
            let nodes: Vec<&Shape> = shape
                .children
                .iter()
                .filter(|c| c.kind == Kind::Node)
                .collect();
            assert_eq!(nodes.len(), 5);
            let rows: std::collections::BTreeSet<u64> =
                nodes.iter().map(|c| c.rect.y.to_bits()).collect();
            assert_eq!(rows.len(), 5usize.div_ceil(cols));
        }
    }

    #[test]
    fn the_header_reports_usage() {
        let cluster = cluster_with(|_| {});
        let shape = build(&cluster, 3, 1);
        let meter = shape.meter.as_ref().unwrap();
        assert_eq!(meter.total, 4091);
        // Everything the model counts, segment by segment.
        let subnet = &cluster.subnets[3];
        assert_eq!(meter.parts.iter().map(|p| p.1).sum::<u32>(), subnet.used());
        let usage = format!("{} used · {} free", subnet.used(), thousands(subnet.free()));
        assert!(
            shape.texts.iter().any(|t| t.text == usage),
            "{:?}",
            shape.texts
        );
        assert!(shape.texts.iter().any(|t| t.text == "PRIVATE"));
    }

    #[test]
    fn a_control_plane_subnet_holds_its_cross_account_eni() {
        let cluster = cluster_with(|_| {});
        let shape = build(&cluster, 3, 1);
        assert_tree_invariants(&shape);
        let eni = shape
            .children
            .iter()
            .find(|c| c.kind == Kind::EksEni)
            .unwrap();
        assert_eq!(eni.id, "eks-eni:us-east-1a");
        assert!(eni
            .texts
            .iter()
            .any(|t| t.text == cluster.control_plane.enis[0].ip.to_string()));
        // Room on its right for the line to the control plane.
        assert!(eni.rect.right() + EKS_LINE_ROOM <= shape.rect.right() - PAD + 1e-6);
    }
}
