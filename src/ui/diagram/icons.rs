//! Small glyphs in the spirit of the AWS Architecture Icons, drawn in a 24×24 box and scaled
//! to the rectangle the layout reserves. Colours come from CSS classes (`icon-*`), never
//! from fills here, so the themes and the SVG export restyle them.

use crate::layout::{Kind, Rect, State, Tone};
use crate::ui::markup::{el, list, Element, Node};
use crate::ui::svg::num;

/// The icon for a shape of `kind` in `state`, fitted to `r`.
pub fn icon(kind: Kind, state: State, tone: Option<Tone>, r: Rect) -> Node {
    let boxed = |tag| {
        el(tag)
            .attr("x", num(r.x))
            .attr("y", num(r.y))
            .attr("width", num(r.w))
            .attr("height", num(r.h))
    };
    if kind == Kind::NodeState {
        // The tag on a changed node's top edge, under its word.
        return boxed("rect")
            .attr("rx", "9")
            .attr("aria-hidden", "true")
            .class(&["tag"])
            .into();
    }
    if kind == Kind::Workload {
        // The workload's colour swatch: the key of its pods' cells.
        let tone = tone.map(|t| t.class()).unwrap_or_default();
        return boxed("rect")
            .attr("rx", "2")
            .attr("aria-hidden", "true")
            .class(&["swatch-cell", &tone])
            .into();
    }
    let transform = format!(
        "translate({} {}) scale({})",
        num(r.x),
        num(r.y),
        num(r.w / 24.0)
    );
    let (class, body) = match (kind, state) {
        (Kind::Cloud, _) => ("icon-cloud", tile(cloud())),
        (Kind::Region, _) => ("icon-region", tile(flag())),
        (Kind::Vpc, _) => ("icon-vpc", tile(vpc())),
        (Kind::Subnet, State::Public) => ("icon-public", globe()),
        (Kind::Subnet, _) => ("icon-private", lock()),
        (Kind::Igw, _) => ("icon-igw", tile(gateway())),
        (Kind::NatGw, _) => ("icon-nat", tile(nat())),
        (Kind::Node | Kind::Summary, _) => ("icon-node", tile(chip())),
        (Kind::SubnetSummary, State::Public) => ("icon-public", globe()),
        (Kind::SubnetSummary, _) => ("icon-private", lock()),
        (Kind::Internet, _) => ("icon-internet", globe()),
        (Kind::ControlPlane, _) => ("icon-eks", tile(helm())),
        (Kind::EksEni, _) => ("icon-eks", tile(eni())),
        (Kind::CpComponent, _) => ("icon-component", tile(cog())),
        _ => return Node::default(),
    };
    el("g")
        .attr("transform", transform)
        .attr("aria-hidden", "true")
        .class(&["icon", class])
        .child(body)
        .into()
}

/// A rounded square in the icon's colour with a glyph on it.
fn tile(glyph: Node) -> Node {
    list([
        el("rect")
            .attr("width", "24")
            .attr("height", "24")
            .attr("rx", "4")
            .class(&["icon-bg"])
            .into(),
        el("g").class(&["icon-fg"]).child(glyph).into(),
    ])
}

/// A `<path>` of `d`.
fn path(d: &'static str) -> Element {
    el("path").attr("d", d)
}

/// A `<rect>` at `x`, `y` of `w` × `h`, corners `rx`.
fn rect(
    x: &'static str,
    y: &'static str,
    w: &'static str,
    h: &'static str,
    rx: &'static str,
) -> Node {
    el("rect")
        .attr("x", x)
        .attr("y", y)
        .attr("width", w)
        .attr("height", h)
        .attr("rx", rx)
        .into()
}

/// A `<circle>` at `cx`, `cy` of radius `r`.
fn circle(cx: &'static str, cy: &'static str, r: &'static str) -> Node {
    el("circle")
        .attr("cx", cx)
        .attr("cy", cy)
        .attr("r", r)
        .into()
}

fn cloud() -> Node {
    path("M7.5 17h9a3.5 3.5 0 0 0 .5-6.96A5 5 0 0 0 7.6 9.2 4 4 0 0 0 7.5 17z").into()
}

fn flag() -> Node {
    path("M7.5 19V5M7.5 5.5h9l-2 3 2 3h-9").into()
}

fn vpc() -> Node {
    list([
        path("M7 15h9.5a3 3 0 0 0 .4-5.97A4.4 4.4 0 0 0 8.6 8 3.5 3.5 0 0 0 7 15z").into(),
        rect("9.5", "13", "5", "5", "0.8"),
    ])
}

fn gateway() -> Node {
    path("M5.5 18.5V10L12 5.5 18.5 10v8.5M9.5 18.5v-5h5v5M4 18.5h16").into()
}

fn nat() -> Node {
    path("M5.5 9h11M13.5 6l3 3-3 3M18.5 15h-11M10.5 12l-3 3 3 3").into()
}

fn chip() -> Node {
    list([
        rect("7", "7", "10", "10", "1"),
        path("M10 4.5V7M14 4.5V7M10 17v2.5M14 17v2.5M4.5 10H7M4.5 14H7M17 10h2.5M17 14h2.5").into(),
    ])
}

/// A ship's wheel, after the Kubernetes logo.
fn helm() -> Node {
    list([
        circle("12", "12", "5.5"),
        circle("12", "12", "1.6"),
        path("M12 4v4.4M12 15.6V20M4.4 9.5l4.1 1.4M15.5 13.1l4.1 1.4M6.8 18.3l2.7-3.5M14.5 9.2l2.7-3.5M17.2 18.3l-2.7-3.5M9.5 9.2 6.8 5.7").into(),
    ])
}

/// A network card: a plug with pins.
fn eni() -> Node {
    list([
        rect("6", "8", "12", "8", "1"),
        path("M9 16v2.5M12 16v2.5M15 16v2.5M9 8V5.5h6V8").into(),
    ])
}

fn cog() -> Node {
    list([
        circle("12", "12", "3.2"),
        path("M12 4.5v3M12 16.5v3M4.5 12h3M16.5 12h3M6.7 6.7l2.1 2.1M15.2 15.2l2.1 2.1M6.7 17.3l2.1-2.1M15.2 8.8l2.1-2.1").into(),
    ])
}

fn globe() -> Node {
    el("g")
        .class(&["icon-line"])
        .child(circle("12", "12", "9"))
        .child(
            el("ellipse")
                .attr("cx", "12")
                .attr("cy", "12")
                .attr("rx", "4")
                .attr("ry", "9"),
        )
        .child(path("M3 12h18M4.5 7.5h15M4.5 16.5h15"))
        .into()
}

fn lock() -> Node {
    el("g")
        .class(&["icon-line"])
        .child(rect("5", "10.5", "14", "10", "2"))
        .child(path("M8 10.5V8a4 4 0 0 1 8 0v2.5M12 14.5v2.5"))
        .into()
}
