//! Scene pieces as SVG: one `<g>` per shape carrying the DOM contract (`data-kind`,
//! `data-id`, a role, an accessible name, `tabindex`), address cells as single `<rect>`s.
//!
//! Pure functions of the scene to our element tree ([`Node`], `markup.rs`): no callbacks, no
//! `web_sys`. Clicks and keys are handled once, on the `<svg>` (see `canvas.rs`), by finding
//! the closest `[data-id]`; so the same tree is the page's DOM and the text of Export SVG and
//! `eksplain render`.

use crate::layout::{Badge, Edge, Kind, Meter, Rect, Shape, State, Stroke, Text, BADGE_RADIUS};
use crate::model::{Id, Severity};
use crate::ui::icons::icon;
use crate::ui::markup::{el, list, text as txt, Element, Node};

/// Which picture of a scene to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lod {
    /// The scene itself, every shape it holds (within the window, if any).
    #[default]
    Full,
    /// A huge cluster zoomed out: its summary scene (`layout::summary_scene`), one summary
    /// per node group and subnet in place of the nodes, made for the zoom level `n`:
    /// 2^(n/2) CSS pixels per scene unit (see `viewport::summary_level`).
    Summary(i8),
}

/// What to draw of a scene: the level of detail and, for huge scenes, the part in view.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Draw {
    pub lod: Lod,
    /// Nodes outside this rectangle are left out; `None` = draw them all.
    pub window: Option<Rect>,
}

/// A coordinate as an attribute: whole numbers without decimals, others with two.
pub fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// How a screen reader announces a kind (`aria-roledescription`).
fn role_description(kind: Kind) -> &'static str {
    match kind {
        Kind::Cloud => "AWS Cloud",
        Kind::Region => "Region",
        Kind::Internet => "internet",
        Kind::Vpc => "VPC",
        Kind::Az => "Availability Zone",
        Kind::Subnet => "subnet",
        Kind::Igw => "internet gateway",
        Kind::NatGw => "NAT gateway",
        Kind::Node => "node",
        Kind::Eni => "network interface",
        Kind::Ip => "IP address",
        Kind::Prefix => "prefix",
        Kind::Slot => "free slot",
        Kind::Pod => "pod",
        Kind::Branch => "branch ENI",
        Kind::HostNetwork => "hostNetwork pods",
        Kind::EksEni => "EKS cross-account ENI",
        Kind::ControlPlane => "EKS control plane",
        Kind::CpComponent => "control plane component",
        Kind::Workloads => "workloads",
        Kind::Workload => "workload",
        Kind::Pending => "pending pods",
        Kind::Summary => "node group summary",
        Kind::SubnetSummary => "subnet summary",
        Kind::Lb => "load balancer",
        Kind::LbNode => "load balancer node",
        Kind::LbMore => "more load balancer nodes",
        Kind::ServiceBand => "Services",
        Kind::Service => "Service",
        Kind::Ingress => "Ingress",
        Kind::NodeState => "node state",
        Kind::ArchPart => "cluster component",
    }
}

/// Corner radius of a kind's box.
fn radius(kind: Kind) -> &'static str {
    match kind {
        Kind::Cloud
        | Kind::Region
        | Kind::Vpc
        | Kind::Az
        | Kind::ControlPlane
        | Kind::ServiceBand
        | Kind::NodeState
        | Kind::Lb => "6",
        Kind::LbNode | Kind::LbMore => "4",
        Kind::Subnet
        | Kind::Node
        | Kind::NatGw
        | Kind::Internet
        | Kind::Igw
        | Kind::EksEni
        | Kind::Workloads
        | Kind::Pending
        | Kind::Summary
        | Kind::SubnetSummary => "5",
        Kind::Eni
        | Kind::Prefix
        | Kind::CpComponent
        | Kind::Workload
        | Kind::Service
        | Kind::Ingress => "3",
        Kind::HostNetwork => "8.5",
        Kind::Ip | Kind::Slot | Kind::Pod | Kind::Branch => "2",
        Kind::ArchPart => "6",
    }
}

/// The `data-finding` attribute: the severity of a shape's worst finding.
pub fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "warning",
        Severity::Error => "error",
    }
}

/// A finding's badge: a disc with `!` (or `i` for information).
fn badge(b: &Badge) -> Node {
    let sev = severity_name(b.severity);
    let glyph = if b.severity == Severity::Info {
        "i"
    } else {
        "!"
    };
    el("g")
        .attr("data-severity", sev)
        .attr("aria-hidden", "true")
        .class(&["badge", &format!("sev-{sev}")])
        .child(
            el("circle")
                .attr("cx", num(b.center.x))
                .attr("cy", num(b.center.y))
                .attr("r", num(BADGE_RADIUS)),
        )
        .child(
            el("text")
                .attr("x", num(b.center.x))
                .attr("y", num(b.center.y + 3.5))
                .attr("text-anchor", "middle")
                .child(txt(glyph)),
        )
        .into()
}

/// Ids the view lights (the architecture walk-through's current step): UI state, passed to
/// the renderer beside the scene, never part of it.
pub type Lit<'a> = &'a [Id];

fn is_lit(lit: Lit, id: &Id) -> bool {
    lit.iter().any(|x| x == id)
}

/// Whether the keyboard stops on a kind: the diagram's things open the inspector; the
/// architecture view's boxes have nothing to open, and Tab goes on to its walk-through.
/// The diagram is one Tab stop: its things carry `tabindex="-1"` and the view gives `0` to
/// the one the arrow keys are on (`roving.rs`).
fn tab_stop(kind: Kind) -> bool {
    kind != Kind::ArchPart
}

/// A shape's accessible name: the layout's description, after what the shape shows when the
/// description does not start with it (WCAG 2.5.3: a speech user says what they see). A
/// button's name starts with all its lines; a group's (whose things have names of their
/// own) holds its title.
fn accessible_name(s: &Shape, button: bool) -> String {
    let mut shown = s
        .texts
        .iter()
        .map(|t| t.text.trim())
        .filter(|t| !t.is_empty());
    let visible = if button {
        shown.collect::<Vec<_>>().join(" ")
    } else {
        shown.next().unwrap_or_default().to_string()
    };
    // A group's title may sit inside its description ("Node ng-1-1, …"): the name holds it.
    if visible.is_empty() || s.name.starts_with(&visible) || (!button && s.name.contains(&visible))
    {
        s.name.clone()
    } else {
        format!("{visible}: {}", s.name)
    }
}

/// A `<g>` carrying a shape's contract (classes, `data-*`, role, accessible name; `lit` and
/// `data-highlight` when `lit` names it) around `children`, then the shape's facts
/// (`data-ip`…).
fn group(s: &Shape, class: &'static str, role: &'static str, lit: Lit, children: Node) -> Node {
    let kind = s.kind.as_str();
    let state = s.state.as_str();
    let lit = is_lit(lit, &s.id);
    let g = el("g")
        .key(s.id.to_string())
        .attr("data-kind", kind)
        .attr("data-id", s.id.to_string())
        .attr("data-state", state);
    let g = if s.kind.is_mark() {
        // A mark over another shape: neither focusable nor announced.
        g.attr("aria-hidden", "true")
            .class(&[class, &format!("k-{kind}"), &format!("s-{state}")])
    } else {
        let tone = s.tone.map(|t| t.class()).unwrap_or_default();
        g.attr_opt("data-highlight", lit.then_some("true"))
            .attr_opt("data-finding", s.badge.map(|b| severity_name(b.severity)))
            .attr("role", role)
            .attr("aria-roledescription", role_description(s.kind))
            .attr("aria-label", accessible_name(s, role == "button"))
            .attr_opt("tabindex", tab_stop(s.kind).then_some("-1"))
            .class(&[
                class,
                &format!("k-{kind}"),
                &format!("s-{state}"),
                &tone,
                if lit { "lit" } else { "" },
            ])
    };
    with_attrs(g.child(children), &s.attrs).into()
}

/// The shape's facts (`data-ip`…) added to its element.
fn with_attrs(mut e: Element, attrs: &[(&'static str, String)]) -> Element {
    e.attrs.extend(
        attrs
            .iter()
            .map(|(name, value)| (*name, value.clone().into())),
    );
    e
}

/// A box's `x`, `y`, `width`, `height`.
fn at(e: Element, r: Rect) -> Element {
    e.attr("x", num(r.x))
        .attr("y", num(r.y))
        .attr("width", num(r.w))
        .attr("height", num(r.h))
}

/// A cell's rectangle carrying the shape's contract (one element).
fn cell_rect(s: &Shape) -> Node {
    let kind = s.kind.as_str();
    let state = s.state.as_str();
    let tone = s.tone.map(|t| t.class()).unwrap_or_default();
    at(el("rect").key(s.id.to_string()), s.rect)
        .attr("rx", radius(s.kind))
        .attr("data-kind", kind)
        .attr("data-id", s.id.to_string())
        .attr("data-state", state)
        .attr("role", "button")
        .attr("aria-roledescription", role_description(s.kind))
        .attr("aria-label", s.name.clone())
        .attr("tabindex", "-1")
        .class(&["cell", &format!("k-{kind}"), &format!("s-{state}"), &tone])
        .into()
}

/// A pod's cell: its rectangle, then its label over it (pointer events pass through).
fn pod(s: &Shape) -> Node {
    let tone = s.tone.map(|t| t.class()).unwrap_or_default();
    list([
        cell_rect(s),
        s.texts.iter().map(|t| cell_text(t, &tone)).collect(),
    ])
}

fn cell_text(t: &Text, tone: &str) -> Node {
    el("text")
        .attr("x", num(t.at.x))
        .attr("y", num(t.at.y))
        .attr("text-anchor", "middle")
        .class(&["t", "t-cell", tone])
        .child(txt(t.text.clone()))
        .into()
}

/// Decorative cells (a prefix's unused addresses) as one path.
fn cells_path(cells: &[Rect]) -> Node {
    if cells.is_empty() {
        return Node::default();
    }
    let mut d = String::with_capacity(cells.len() * 28);
    for c in cells {
        d.push_str(&format!(
            "M{} {}h{}v{}h-{}z",
            num(c.x),
            num(c.y),
            num(c.w),
            num(c.h),
            num(c.w)
        ));
    }
    el("path")
        .attr("d", d)
        .attr("aria-hidden", "true")
        .class(&["cells"])
        .into()
}

/// How many elements [`shape`] draws for `s`, counted without drawing it (its icon aside):
/// what the viewport weighs against its element budget.
pub fn element_count(s: &Shape, draw: Draw) -> u32 {
    if s.kind == Kind::Node && draw.window.is_some_and(|w| !w.overlaps(&s.rect)) {
        return 0;
    }
    let children = || {
        s.children
            .iter()
            .map(|c| element_count(c, draw))
            .sum::<u32>()
    };
    if s.state == State::Frame {
        // Its own box is drawn by `frame`, under the edges.
        return children();
    }
    match s.kind {
        Kind::Ip | Kind::Slot if s.children.is_empty() => return 1,
        Kind::Pod => return 1 + s.texts.len() as u32,
        Kind::Ip | Kind::Branch | Kind::Lb => return 1 + children(),
        _ => {}
    }
    // The group and its box, then what `shape` adds in order.
    2 + s
        .icon
        .map_or(0, |i| icon(s.kind, s.state, s.tone, i).elements())
        + s.meter
            .as_ref()
            .map_or(0, |m| 2 + m.segments().len() as u32)
        + s.texts.len() as u32
        + u32::from(!s.cells.is_empty())
        + children()
        + if s.badge.is_some() { 3 } else { 0 }
}

/// A shape's box.
fn box_rect(s: &Shape) -> Node {
    at(el("rect"), s.rect)
        .attr("rx", radius(s.kind))
        .class(&["box"])
        .into()
}

/// The shapes of `shapes`, side by side.
fn shapes(shapes: &[Shape], draw: Draw, lit: Lit) -> Node {
    shapes.iter().map(|c| shape(c, draw, lit)).collect()
}

/// One shape and everything in it; a frame ([`State::Frame`]) only the shapes it holds, its
/// own box being drawn by [`frame`] under the edges.
pub fn shape(s: &Shape, draw: Draw, lit: Lit) -> Node {
    if s.kind == Kind::Node && draw.window.is_some_and(|w| !w.overlaps(&s.rect)) {
        return Node::default();
    }
    if s.state == State::Frame {
        return shapes(&s.children, draw, lit);
    }
    match s.kind {
        // Leaves drawn by the thousand: one element each.
        Kind::Ip | Kind::Slot if s.children.is_empty() => return cell_rect(s),
        Kind::Pod => return pod(s),
        // An address (or branch ENI) given to a pod: a group around the pod's cell.
        Kind::Ip | Kind::Branch => {
            return group(
                s,
                "cell-group",
                "group",
                lit,
                shapes(&s.children, draw, lit),
            );
        }
        _ => {}
    }
    let role = if !s.children.is_empty() {
        "group"
    } else if tab_stop(s.kind) {
        "button"
    } else {
        // Named, but with nothing to press.
        "img"
    };
    if s.kind == Kind::Lb {
        // Its nodes sit in several subnets: a group of their chips, with no box around them.
        return group(s, "shape", role, lit, shapes(&s.children, draw, lit));
    }
    let body = list([
        box_rect(s),
        s.icon
            .map(|i| icon(s.kind, s.state, s.tone, i))
            .into_iter()
            .collect(),
        s.meter.as_ref().map(meter).into_iter().collect(),
        lines(&s.texts),
        cells_path(&s.cells),
        shapes(&s.children, draw, lit),
        s.badge.as_ref().map(badge).into_iter().collect(),
    ]);
    group(s, "shape", role, lit, body)
}

/// The boxes of the frames ([`State::Frame`]) in `s`, without what they hold: the layer under
/// the edges. Only frames are descended into, so a scene without frames costs nothing here.
pub fn frame(s: &Shape, lit: Lit) -> Node {
    if s.state != State::Frame {
        return Node::default();
    }
    let body = list([box_rect(s), lines(&s.texts)]);
    list([
        group(s, "shape", "group", lit, body),
        s.children.iter().map(|c| frame(c, lit)).collect(),
    ])
}

/// A shape's lines with a space between them, so that what its group reads as (its text
/// content: a screen reader's, an accessibility checker's visible label) has its words apart,
/// as on screen ("NAT gateway 10.0.0.4", not "NAT gateway10.0.0.4"). A space between SVG
/// elements draws nothing.
fn lines(texts: &[Text]) -> Node {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == 0 {
                text(t)
            } else {
                list([txt(" "), text(t)])
            }
        })
        .collect()
}

fn text(t: &Text) -> Node {
    let anchor = match t.anchor {
        crate::layout::Anchor::Start => None,
        a => Some(a.as_str()),
    };
    let style = format!("t-{}", t.style.as_str());
    let e = if t.scale != 1.0 {
        // Larger than its style (a summary's counts): scaled about its anchor point.
        let transform = format!(
            "translate({} {}) scale({})",
            num(t.at.x),
            num(t.at.y),
            // Rounded down, so it never outgrows the room the layout measured.
            (t.scale * 1e4).floor() / 1e4
        );
        el("text").attr("transform", transform)
    } else {
        el("text").attr("x", num(t.at.x)).attr("y", num(t.at.y))
    };
    e.attr_opt("text-anchor", anchor)
        .class(&["t", &style])
        .child(txt(t.text.clone()))
        .into()
}

fn meter(m: &Meter) -> Node {
    let parts: Node = m
        .segments()
        .into_iter()
        .map(|(part, s)| {
            at(el("rect"), s)
                .class(&["meter-part", &format!("m-{}", part.as_str())])
                .into()
        })
        .collect();
    el("g")
        .attr("aria-hidden", "true")
        .class(&["meter"])
        .child(
            at(el("rect"), m.rect)
                .attr("rx", "2")
                .class(&["meter-track"]),
        )
        .child(parts)
        .into()
}

/// Id of the arrowhead marker that calls ([`crate::layout::EdgeKind::is_call`]) end with.
pub const ARROW_ID: &str = "arch-arrow";

/// The arrowhead of calls, for a scene's `<defs>`.
pub fn arrow_marker() -> Node {
    el("marker")
        .attr("id", ARROW_ID)
        .attr("viewBox", "0 0 10 10")
        .attr("refX", "9")
        .attr("refY", "5")
        .attr("markerWidth", "9")
        .attr("markerHeight", "9")
        .attr("markerUnits", "userSpaceOnUse")
        .attr("orient", "auto-start-reverse")
        .child(el("path").attr("d", "M0,0 L10,5 L0,10 z"))
        .into()
}

/// A line between shapes. A call ([`crate::layout::EdgeKind::is_call`]) is an arrow with its
/// ends (`data-from`, `data-to`, `data-via`) and its label as a tooltip, lit when `lit` names
/// its start and its end or a shape on its way.
pub fn edge(e: &Edge, lit: Lit) -> Node {
    let mut d = String::new();
    for (i, p) in e.points.iter().enumerate() {
        d.push_str(if i == 0 { "M" } else { " L" });
        d.push_str(&format!("{} {}", num(p.x), num(p.y)));
    }
    let kind = e.kind.as_str();
    let path = el("path")
        .key(e.id.to_string())
        .attr("d", d)
        .attr("data-kind", kind)
        .attr("data-id", e.id.to_string());
    if !e.kind.is_call() {
        return path
            .attr("aria-hidden", "true")
            .class(&["edge", &format!("e-{kind}")])
            .into();
    }
    let on = is_lit(lit, &e.from) && (is_lit(lit, &e.to) || e.via.iter().any(|v| is_lit(lit, v)));
    let dashed = matches!(e.stroke, Stroke::Dashed | Stroke::Blocked);
    let blocked = e.stroke == Stroke::Blocked;
    path.attr("data-from", e.from.to_string())
        .attr("data-to", e.to.to_string())
        .attr(
            "data-via",
            e.via
                .iter()
                .map(Id::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        )
        .attr("marker-end", format!("url(#{ARROW_ID})"))
        .class(&[
            "edge",
            &format!("e-{kind}"),
            if dashed { "dashed" } else { "" },
            if blocked { "blocked" } else { "" },
            if on { "lit" } else { "" },
        ])
        .child(
            e.label
                .clone()
                .map(|l| Node::from(el("title").child(txt(l))))
                .into_iter()
                .collect::<Node>(),
        )
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shape of a few scenes (small and huge, detailed and summarised, whole and
    /// windowed) draws as many elements as [`element_count`] says.
    #[test]
    fn element_counts_match_what_is_drawn() {
        use crate::layout::{layout, summary_scene, Point};
        use crate::scenario::{default_scenario, scale_scenario};
        let mut pd = default_scenario();
        pd.cluster.vpc_cni.prefix_delegation = true;
        pd.workloads.push(crate::scenario::Workload {
            name: "web".into(),
            namespace: "default".into(),
            kind: Default::default(),
            replicas: 40,
            labels: Default::default(),
            requests: Default::default(),
            node_selector: Default::default(),
            tolerations: Vec::new(),
            topology_spread_constraints: Vec::new(),
            security_groups: Vec::new(),
            host_network: false,
            container_port: 8080,
        });
        for scenario in [default_scenario(), pd, scale_scenario(300)] {
            let cluster = crate::model::build(&scenario).unwrap();
            let scene = layout(&cluster);
            let summary = summary_scene(
                &cluster,
                &crate::layout::aggregate::Aggregates::new(&cluster),
                &scene,
                crate::layout::reference_scale(scene.size),
            );
            let window = Draw {
                lod: Lod::Full,
                window: Some(Rect::at(
                    Point::new(0.0, 0.0),
                    crate::layout::Size::new(900.0, 700.0),
                )),
            };
            for draw in [Draw::default(), window] {
                for s in scene.walk().chain(summary.walk()) {
                    assert_eq!(
                        element_count(s, draw),
                        shape(s, draw, &[]).elements(),
                        "{}",
                        s.id
                    );
                }
            }
        }
    }

    /// The architecture view's scene too: a frame draws only what it holds (its own box is
    /// [`frame`]'s), lit or not.
    #[test]
    fn architecture_element_counts_match_what_is_drawn() {
        use crate::layout::architecture_scene;
        use crate::scenario::{default_scenario, scale_scenario};
        for scenario in [default_scenario(), scale_scenario(300)] {
            let scene = architecture_scene(&crate::model::build(&scenario).unwrap());
            let lit: Vec<Id> = scene.walk().map(|s| s.id.clone()).collect();
            for s in scene.walk() {
                for l in [&[][..], &lit[..]] {
                    assert_eq!(
                        element_count(s, Draw::default()),
                        shape(s, Draw::default(), l).elements(),
                        "{}",
                        s.id
                    );
                }
                let framed = if s.state == State::Frame {
                    2 + s.texts.len() as u32
                        + s.children
                            .iter()
                            .map(|c| frame(c, &[]).elements())
                            .sum::<u32>()
                } else {
                    0
                };
                assert_eq!(frame(s, &[]).elements(), framed, "{}", s.id);
            }
        }
    }

    /// Names start with what a button shows, and hold what a group shows (WCAG 2.5.3).
    #[test]
    fn accessible_names_start_with_the_visible_text() {
        use crate::layout::layout;
        use crate::scenario::default_scenario;
        let scene = layout(&crate::model::build(&default_scenario()).unwrap());
        let mut checked = 0;
        // Cells (addresses, pods) are one `<rect>` each, with no text inside to match.
        let cell = |k: Kind| matches!(k, Kind::Ip | Kind::Slot | Kind::Pod | Kind::Branch);
        for s in scene.walk().filter(|s| !s.kind.is_mark() && !cell(s.kind)) {
            let shown: Vec<&str> = s.texts.iter().map(|t| t.text.trim()).collect();
            let button = s.children.is_empty();
            let name = accessible_name(s, button);
            if button && !shown.is_empty() {
                assert!(name.starts_with(&shown.join(" ")), "{}: {name}", s.id);
                checked += 1;
            } else if let Some(first) = shown.first() {
                assert!(name.contains(first), "{}: {name}", s.id);
            }
        }
        assert!(checked >= 3, "{checked} buttons with text");
        // A description that already starts with the text is kept as it is.
        let mut s = Shape::new(Id::Vpc, Kind::NatGw, Rect::new(0.0, 0.0, 10.0, 10.0));
        s.name = "natgw-a, 10.0.0.4".into();
        s.text(
            0.0,
            0.0,
            "natgw-a",
            crate::layout::TextStyle::Heading,
            crate::layout::Anchor::Start,
        );
        assert_eq!(accessible_name(&s, true), "natgw-a, 10.0.0.4");
        s.text(
            0.0,
            0.0,
            "10.0.0.4",
            crate::layout::TextStyle::Mono,
            crate::layout::Anchor::Start,
        );
        assert_eq!(
            accessible_name(&s, true),
            "natgw-a 10.0.0.4: natgw-a, 10.0.0.4"
        );
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(-3.0), "-3");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(1.0 / 3.0), "0.33");
        assert_eq!(num(2.999), "3");
    }
}
