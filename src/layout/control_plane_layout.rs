//! The EKS control plane: an AWS-managed VPC box beside the customer's VPC, listing its
//! components, the API endpoint's access mode and who may reach the public endpoint. Its
//! cross-account ENIs are drawn in their subnets (see `subnet_layout`), joined to this box by
//! lines (see `vpc_layout`).

use super::context::Context;
use super::geometry::{Rect, Size};
use super::scene::{Anchor, Kind, Shape, TextStyle};
use super::text::{ascent, line_height, plural, width, wrap};
use crate::model::aws::eks_control_plane::COMPONENTS;
use crate::model::Id;

/// The box's id and the subject of the endpoint findings.
pub const CONTROL_PLANE_ID: Id = Id::ControlPlane;

const PAD: f64 = 12.0;
const ICON: f64 = 22.0;
const ROW_H: f64 = 24.0;
const ROW_GAP: f64 = 4.0;
const ROW_ICON: f64 = 14.0;
const MIN_WIDTH: f64 = 236.0;
const MAX_CIDR_LINES: usize = 3;

const TITLE: &str = "EKS control plane";
const SUBTITLE: &str = "AWS-managed VPC";

/// `cp-component:<name>`.
pub fn component_id(name: &str) -> Id {
    Id::CpComponent(name.into())
}

fn endpoint_line(ctx: &Context) -> String {
    format!(
        "API endpoint: {}",
        ctx.cluster.control_plane.endpoint.label()
    )
}

const CIDR_LABEL: &str = "publicAccessCIDRs";

fn cidr_text(ctx: &Context) -> String {
    let e = &ctx.cluster.control_plane.endpoint;
    if !e.public {
        "— (no public endpoint)".to_string()
    } else if e.public_access_cidrs.is_empty() {
        "none".to_string()
    } else {
        e.cidr_list()
    }
}

fn enis_line(ctx: &Context) -> String {
    plural(
        ctx.cluster.control_plane.enis.len() as u32,
        "cross-account ENI in the VPC",
        "cross-account ENIs in the VPC",
    )
}

fn inner_width(ctx: &Context) -> f64 {
    let title = ICON + 8.0 + width(TITLE, TextStyle::Title);
    let rows = COMPONENTS
        .iter()
        .map(|(name, _)| 8.0 + ROW_ICON + 8.0 + width(name, TextStyle::Body) + 8.0)
        .fold(0.0, f64::max);
    title
        .max(rows)
        .max(width(&endpoint_line(ctx), TextStyle::Body))
        .max(width(&enis_line(ctx), TextStyle::Muted))
        .max(MIN_WIDTH - 2.0 * PAD)
}

fn cidr_lines(ctx: &Context, inner: f64) -> Vec<String> {
    wrap(&cidr_text(ctx), TextStyle::Mono, inner, MAX_CIDR_LINES)
}

/// The box's size.
pub fn size(ctx: &Context) -> Size {
    let inner = inner_width(ctx);
    let n = COMPONENTS.len() as f64;
    let h = PAD
        + ICON
        + 2.0
        + line_height(TextStyle::Muted)
        + 8.0
        + n * (ROW_H + ROW_GAP)
        + 6.0
        + line_height(TextStyle::Body)
        + line_height(TextStyle::Muted)
        + cidr_lines(ctx, inner).len() as f64 * line_height(TextStyle::Mono)
        + line_height(TextStyle::Muted)
        + PAD;
    Size::new((inner + 2.0 * PAD).ceil(), h.ceil())
}

/// Builds the box at `rect` (at least [`size`]).
pub fn shape(ctx: &Context, rect: Rect) -> Shape {
    let mut shape = Shape::new(CONTROL_PLANE_ID, Kind::ControlPlane, rect);
    shape.badge = ctx.badge(&CONTROL_PLANE_ID, rect);
    shape.name = format!(
        "EKS control plane in an AWS-managed VPC, {}, {}",
        endpoint_line(ctx),
        enis_line(ctx)
    );
    let x = rect.x + PAD;
    let right = rect.right() - PAD;
    let mut y = rect.y + PAD;
    shape.icon = Some(Rect::new(x, y, ICON, ICON));
    shape.text(
        x + ICON + 8.0,
        y + ICON / 2.0 + ascent(TextStyle::Title) / 2.0 - 1.0,
        TITLE,
        TextStyle::Title,
        Anchor::Start,
    );
    y += ICON + 2.0;
    shape.text(
        x,
        y + ascent(TextStyle::Muted),
        SUBTITLE,
        TextStyle::Muted,
        Anchor::Start,
    );
    y += line_height(TextStyle::Muted) + 8.0;
    for (name, role) in COMPONENTS {
        let row = Rect::new(x, y, right - x, ROW_H);
        let mut c = Shape::new(component_id(name), Kind::CpComponent, row);
        c.name = format!("{name}: {role}");
        c.icon = Some(Rect::new(
            row.x + 8.0,
            row.y + (ROW_H - ROW_ICON) / 2.0,
            ROW_ICON,
            ROW_ICON,
        ));
        c.text(
            row.x + 8.0 + ROW_ICON + 8.0,
            row.y + ROW_H / 2.0 + ascent(TextStyle::Body) / 2.0 - 1.0,
            name.to_string(),
            TextStyle::Body,
            Anchor::Start,
        );
        shape.children.push(c);
        y += ROW_H + ROW_GAP;
    }
    y += 6.0;
    shape.text(
        x,
        y + ascent(TextStyle::Body),
        endpoint_line(ctx),
        TextStyle::Body,
        Anchor::Start,
    );
    y += line_height(TextStyle::Body);
    shape.text(
        x,
        y + ascent(TextStyle::Muted),
        CIDR_LABEL,
        TextStyle::Muted,
        Anchor::Start,
    );
    y += line_height(TextStyle::Muted);
    for line in cidr_lines(ctx, right - x) {
        shape.text(
            x,
            y + ascent(TextStyle::Mono),
            line,
            TextStyle::Mono,
            Anchor::Start,
        );
        y += line_height(TextStyle::Mono);
    }
    shape.text(
        x,
        y + ascent(TextStyle::Muted),
        enis_line(ctx),
        TextStyle::Muted,
        Anchor::Start,
    );
    shape
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::scene::Detail;
    use crate::layout::tests_support::{assert_tree_invariants, cluster_with};

    #[test]
    fn the_box_lists_the_components_and_the_endpoint() {
        let cluster = cluster_with(|s| {
            s.cluster.cluster_endpoints.private_access = true;
            s.cluster.public_access_cidrs =
                (0..12).map(|i| format!("203.0.113.{}/32", i * 8)).collect();
        });
        let ctx = Context::new(&cluster, Detail::Cells);
        let s = shape(&ctx, Rect::at(Default::default(), size(&ctx)));
        assert_tree_invariants(&s);
        let ids: Vec<String> = s.children.iter().map(|c| c.id.to_string()).collect();
        assert_eq!(
            ids,
            [
                "cp-component:kube-apiserver",
                "cp-component:etcd",
                "cp-component:kube-scheduler",
                "cp-component:kube-controller-manager",
                "cp-component:cloud-controller-manager"
            ]
        );
        let texts: Vec<&str> = s.texts.iter().map(|t| t.text.as_str()).collect();
        assert!(
            texts.contains(&"API endpoint: public and private"),
            "{texts:?}"
        );
        assert!(texts.contains(&"publicAccessCIDRs"));
        assert!(texts
            .iter()
            .any(|t| t.starts_with("203.0.113.0/32, 203.0.113.8/32")));
        assert!(
            texts.iter().any(|t| t.ends_with('…')),
            "long lists are cut: {texts:?}"
        );
        assert!(texts.contains(&"3 cross-account ENIs in the VPC"));
        assert!(s.badge.is_some(), "the endpoint finding marks the box");
    }
}
