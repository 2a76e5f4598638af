//! The scene: what the view draws, as a tree of positioned shapes plus the lines between them.
//!
//! Every shape carries the stable id of the model object it draws (`node:ng-1-1`) and a
//! [`Kind`] whose name is the DOM contract (`data-kind="node"`). Coordinates are absolute
//! scene units; a parent's rectangle holds its children's, except shapes that sit on their
//! parent's border ([`Shape::on_border`], the internet gateway on the VPC's edge).

use super::geometry::{Point, Rect, Size};
use crate::model::{Id, Severity};

/// What a shape draws. [`Kind::as_str`] is the `data-kind` attribute of the DOM contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// The AWS Cloud frame.
    Cloud,
    /// An AWS Region frame.
    Region,
    /// The public internet, outside AWS.
    Internet,
    Vpc,
    /// An Availability Zone column.
    Az,
    Subnet,
    /// The internet gateway, on the VPC's border.
    Igw,
    NatGw,
    Node,
    Eni,
    /// A secondary address the CNI holds on an ENI (warm or given to a pod).
    Ip,
    /// A /28 prefix the CNI holds on an ENI (prefix delegation).
    Prefix,
    /// Room on an attached ENI for one more secondary address, not yet allocated.
    Slot,
    /// A pod with a VPC address (in a slot, a prefix or a branch ENI), one waiting for an
    /// address (ContainerCreating), or one the scheduler could not place (Pending).
    Pod,
    /// A branch ENI (security groups for pods), beside its node's trunk ENI.
    Branch,
    /// A node's hostNetwork pods, listed together: they use the node's own address.
    HostNetwork,
    /// A cross-account ENI of the EKS control plane, in a customer subnet.
    EksEni,
    /// The EKS control plane: an AWS-managed VPC beside the customer's.
    ControlPlane,
    /// One component of the control plane (kube-apiserver, etcd, …).
    CpComponent,
    /// The key of pod colours: every workload with its pods' phases.
    Workloads,
    /// One Deployment or DaemonSet.
    Workload,
    /// Pods the scheduler could not place, with its message.
    Pending,
    /// The zoomed-out stand-in for one node group's nodes in one subnet: their counts.
    Summary,
    /// The zoomed-out summary of a subnet: its addresses and the nodes in it.
    SubnetSummary,
    /// A load balancer: a group of its nodes, drawn without a box of its own (its nodes sit
    /// in subnets of different AZs).
    Lb,
    /// One node of a load balancer, in one subnet of one AZ.
    LbNode,
    /// "+N more" where a subnet holds more load balancer nodes than fit.
    LbMore,
    /// The service-CIDR band below the VPC: Services and Ingresses, one row each.
    ServiceBand,
    /// A Service's row in the band.
    Service,
    /// An Ingress's row in the band.
    Ingress,
    /// The veil and tag over a node the scenario failed, cordoned or drained.
    NodeState,
    /// A box of the architecture view: a component, an agent, a gateway on a path, or (in
    /// [`State::Frame`]) the control plane or a node holding them.
    ArchPart,
}

impl Kind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Cloud => "cloud",
            Kind::Region => "region",
            Kind::Internet => "internet",
            Kind::Vpc => "vpc",
            Kind::Az => "az",
            Kind::Subnet => "subnet",
            Kind::Igw => "igw",
            Kind::NatGw => "natgw",
            Kind::Node => "node",
            Kind::Eni => "eni",
            Kind::Ip => "ip",
            Kind::Prefix => "prefix",
            Kind::Slot => "slot",
            Kind::Pod => "pod",
            Kind::Branch => "branch",
            Kind::HostNetwork => "host-network",
            Kind::EksEni => "eks-eni",
            Kind::ControlPlane => "control-plane",
            Kind::CpComponent => "cp-component",
            Kind::Workloads => "workloads",
            Kind::Workload => "workload",
            Kind::Pending => "pending",
            Kind::Summary => "summary",
            Kind::SubnetSummary => "subnet-summary",
            Kind::Lb => "lb",
            Kind::LbNode => "lb-node",
            Kind::LbMore => "lb-more",
            Kind::ServiceBand => "service-band",
            Kind::Service => "service",
            Kind::Ingress => "ingress",
            Kind::NodeState => "node-state",
            Kind::ArchPart => "arch-part",
        }
    }

    /// Frames group other shapes (ARIA `group`); the rest are things to select (`button`).
    pub const fn is_frame(self) -> bool {
        matches!(
            self,
            Kind::Cloud | Kind::Region | Kind::Vpc | Kind::Az | Kind::Lb | Kind::ServiceBand
        )
    }

    /// Marks over other shapes that are not things of their own: hidden from screen readers
    /// and from the pointer (a click reaches the shape below).
    pub const fn is_mark(self) -> bool {
        matches!(self, Kind::NodeState | Kind::LbMore)
    }
}

/// A variation of a kind the view shows with its own style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    Normal,
    /// A subnet whose route table sends 0.0.0.0/0 to the internet gateway.
    Public,
    /// A subnet without a route to the internet gateway.
    Private,
    /// An address given to a pod.
    Used,
    /// An address the CNI holds for pods to come.
    Warm,
    /// Room for an address, not allocated from the subnet.
    Free,
    /// Something that could not be created or is exhausted (a full subnet).
    Alert,
    /// A pod bound to a node that the CNI could not give an address (ContainerCreating).
    Creating,
    /// A pod no node could take (Pending).
    Pending,
    /// A node the scenario failed: NotReady, its pods moved away.
    Failed,
    /// A node the scenario cordoned: no new pods.
    Cordoned,
    /// A node the scenario drained: cordoned and emptied.
    Drained,
    /// A box that holds others in the architecture view (the control plane, a node), drawn
    /// under the edges while the boxes it holds are drawn over them.
    Frame,
}

impl State {
    pub const fn as_str(self) -> &'static str {
        match self {
            State::Normal => "normal",
            State::Public => "public",
            State::Private => "private",
            State::Used => "used",
            State::Warm => "warm",
            State::Free => "free",
            State::Alert => "alert",
            State::Creating => "creating",
            State::Pending => "pending",
            State::Failed => "failed",
            State::Cordoned => "cordoned",
            State::Drained => "drained",
            State::Frame => "frame",
        }
    }
}

/// Typographic roles; the view maps each to a CSS class, the layout to a font size for
/// measuring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextStyle {
    /// Frame titles: AWS Cloud, Region, VPC.
    Title,
    /// Names of subnets, nodes and gateways.
    Heading,
    Body,
    /// Addresses and CIDRs.
    Mono,
    /// Secondary facts.
    Muted,
    /// Short upper-case tags (PUBLIC, PRIVATE).
    Tag,
    /// The tiny address label inside a pod's cell (`.17`).
    Cell,
    /// A warning line (pods without an address).
    Alert,
    /// The label of a load balancer node's chip.
    Chip,
    /// A Service's or Ingress's name in the service band.
    Row,
}

impl TextStyle {
    pub const fn as_str(self) -> &'static str {
        match self {
            TextStyle::Title => "title",
            TextStyle::Heading => "heading",
            TextStyle::Body => "body",
            TextStyle::Mono => "mono",
            TextStyle::Muted => "muted",
            TextStyle::Tag => "tag",
            TextStyle::Cell => "cell",
            TextStyle::Alert => "alert",
            TextStyle::Chip => "chip",
            TextStyle::Row => "row",
        }
    }
}

/// Horizontal alignment of a text run at its anchor point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    /// The SVG `text-anchor` value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// One line of text; `at` is the baseline point at the anchor.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    pub at: Point,
    pub text: String,
    pub style: TextStyle,
    pub anchor: Anchor,
    /// Times the style's size: 1 everywhere but on the summaries of a huge cluster, whose
    /// counts are drawn large enough to read when the whole cluster is in view.
    pub scale: f64,
}

/// What a segment of a [`Meter`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MeterPart {
    /// Primary addresses of node ENIs.
    Primary,
    /// Addresses given to pods.
    Used,
    /// Addresses held warm by the CNI.
    Warm,
    /// NAT gateway addresses.
    Nat,
    /// The EKS control plane's cross-account ENIs.
    Eks,
    /// Branch ENIs of pods with their own security groups.
    Branch,
    /// Addresses something else holds (a node group's gauge: the rest of its subnet).
    Other,
}

impl MeterPart {
    pub const fn as_str(self) -> &'static str {
        match self {
            MeterPart::Primary => "primary",
            MeterPart::Used => "used",
            MeterPart::Warm => "warm",
            MeterPart::Nat => "nat",
            MeterPart::Eks => "eks",
            MeterPart::Branch => "branch",
            MeterPart::Other => "other",
        }
    }
}

/// A horizontal bar showing how much of a whole is taken, segment by segment; what is left
/// of `total` is free.
#[derive(Debug, Clone, PartialEq)]
pub struct Meter {
    pub rect: Rect,
    pub parts: Vec<(MeterPart, u32)>,
    pub total: u32,
}

impl Meter {
    /// Each non-empty segment with its rectangle, left to right. A non-empty segment is
    /// at least one unit wide so a handful of addresses in a /16 stays visible.
    pub fn segments(&self) -> Vec<(MeterPart, Rect)> {
        let mut out = Vec::new();
        if self.total == 0 {
            return out;
        }
        let mut x = self.rect.x;
        for &(part, n) in &self.parts {
            if n == 0 {
                continue;
            }
            let w = (self.rect.w * f64::from(n) / f64::from(self.total))
                .max(1.0)
                .min(self.rect.right() - x);
            if w <= 0.0 {
                break;
            }
            out.push((part, Rect::new(x, self.rect.y, w, self.rect.h)));
            x += w;
        }
        out
    }
}

/// The colour family of a pod: its workload's place in a colour-blind-safe palette of
/// [`Tone::PALETTE`] hues (cycling), or the neutral tone of system pods (`kube-system`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tone {
    System,
    Workload(u8),
}

impl Tone {
    /// Hues in the palette; workload `k` (in order of first appearance) gets `k % PALETTE`.
    pub const PALETTE: u8 = 6;

    /// The class the view styles (`tone-sys`, `tone-0` … `tone-5`).
    pub fn class(self) -> String {
        match self {
            Tone::System => "tone-sys".to_string(),
            Tone::Workload(k) => format!("tone-{}", k % Tone::PALETTE),
        }
    }
}

/// A finding's mark on the shape it is about: its most severe finding, drawn as a small
/// badge centred on the shape's top-right corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Badge {
    pub severity: Severity,
    /// How many findings the shape has.
    pub count: u32,
    pub center: Point,
}

/// Radius of a finding badge.
pub const BADGE_RADIUS: f64 = 7.5;

/// One drawn thing.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The model's stable id (`subnet:private-a`), unique in the scene.
    pub id: Id,
    pub kind: Kind,
    pub state: State,
    pub rect: Rect,
    /// The accessible name: what a screen reader says (`aria-label`).
    pub name: String,
    pub texts: Vec<Text>,
    /// Where the view draws the kind's icon, if anywhere.
    pub icon: Option<Rect>,
    pub meter: Option<Meter>,
    /// Centred on its parent's left border instead of inside it.
    pub on_border: bool,
    /// Pod colour, for pods and the workloads that own them.
    pub tone: Option<Tone>,
    /// The mark of the findings about this shape.
    pub badge: Option<Badge>,
    /// Decorative address cells with no identity of their own (the unused addresses of a
    /// /28 prefix), drawn under the children.
    pub cells: Vec<Rect>,
    /// Facts the DOM carries beside the kind and id, as attribute name and value (a load
    /// balancer node's `data-az` and `data-ip`, a Service's `data-cluster-ip`): what tests and
    /// scripts read.
    pub attrs: Vec<(&'static str, String)>,
    pub children: Vec<Shape>,
}

impl Shape {
    pub fn new(id: Id, kind: Kind, rect: Rect) -> Shape {
        Shape {
            id,
            kind,
            state: State::Normal,
            rect,
            name: String::new(),
            texts: Vec::new(),
            icon: None,
            meter: None,
            on_border: false,
            tone: None,
            badge: None,
            cells: Vec::new(),
            attrs: Vec::new(),
            children: Vec::new(),
        }
    }

    /// The value of the fact `name` (`data-ip`), if the shape carries it.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Adds a line of text.
    pub fn text(
        &mut self,
        x: f64,
        y: f64,
        text: impl Into<String>,
        style: TextStyle,
        anchor: Anchor,
    ) {
        self.texts.push(Text {
            at: Point::new(x, y),
            text: text.into(),
            style,
            anchor,
            scale: 1.0,
        });
    }

    /// Moves the shape and everything in it.
    pub fn translate(&mut self, dx: f64, dy: f64) {
        if dx == 0.0 && dy == 0.0 {
            return;
        }
        self.rect = self.rect.translated(dx, dy);
        for t in &mut self.texts {
            t.at.x += dx;
            t.at.y += dy;
        }
        if let Some(icon) = &mut self.icon {
            *icon = icon.translated(dx, dy);
        }
        if let Some(meter) = &mut self.meter {
            meter.rect = meter.rect.translated(dx, dy);
        }
        if let Some(badge) = &mut self.badge {
            badge.center.x += dx;
            badge.center.y += dy;
        }
        for c in &mut self.cells {
            *c = c.translated(dx, dy);
        }
        for c in &mut self.children {
            c.translate(dx, dy);
        }
    }

    /// This shape and every shape below it, depth first, parents before children.
    pub fn walk(&self) -> Walk<'_> {
        Walk { stack: vec![self] }
    }

    /// Calls `f` on this shape and every shape below it, parents first.
    pub fn visit_mut(&mut self, f: &mut impl FnMut(&mut Shape)) {
        f(self);
        for c in &mut self.children {
            c.visit_mut(f);
        }
    }
}

/// Depth-first iterator over a shape tree.
pub struct Walk<'a> {
    stack: Vec<&'a Shape>,
}

impl<'a> Iterator for Walk<'a> {
    type Item = &'a Shape;

    fn next(&mut self) -> Option<&'a Shape> {
        let shape = self.stack.pop()?;
        self.stack.extend(shape.children.iter().rev());
        Some(shape)
    }
}

/// What an [`Edge`] connects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdgeKind {
    /// A network attachment: the internet to the internet gateway.
    Link,
    /// A cross-account ENI to the EKS control plane it belongs to.
    Eks,
    /// A call between components of the architecture view (kubelet → API server): an arrow,
    /// drawn under the boxes (a path through a gateway passes under it) and over the frames.
    Arch,
}

impl EdgeKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Link => "link",
            EdgeKind::Eks => "eks-link",
            EdgeKind::Arch => "arch-edge",
        }
    }

    /// An arrow between components, carrying its ends and route in the DOM and drawn under
    /// the boxes; the other kinds are plain lines drawn over the shapes.
    pub const fn is_call(self) -> bool {
        matches!(self, EdgeKind::Arch)
    }
}

/// How an edge's line is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stroke {
    Solid,
    /// A watch rather than a request.
    Dashed,
    /// A path that does not get through (dashed, in the alert colour).
    Blocked,
}

/// A line between shapes, drawn under them.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// `link:<from>-<to>`.
    pub id: Id,
    pub kind: EdgeKind,
    pub from: Id,
    pub to: Id,
    pub points: Vec<Point>,
    /// Shapes the line passes through on its way (a NAT gateway, a cross-account ENI).
    pub via: Vec<Id>,
    /// What the line carries, for a tooltip (`<title>`); `None` = decorative.
    pub label: Option<String>,
    pub stroke: Stroke,
}

/// How much the layout draws of each ENI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Detail {
    /// Every secondary address as a cell.
    Cells,
    /// Each ENI as one bar; for clusters too large to draw address by address.
    Bars,
}

/// The outline of a selected or highlighted shape: a little outside its box.
pub fn outline(rect: Rect) -> Rect {
    rect.inset(-3.0)
}

/// Everything the view draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Scene {
    pub size: Size,
    /// Top-level shapes, back to front.
    pub shapes: Vec<Shape>,
    pub edges: Vec<Edge>,
    /// Drawn over the shapes and edges, free of the tree's nesting: load balancers (whose
    /// nodes sit in several subnets), the service band, the marks on changed nodes.
    pub overlay: Vec<Shape>,
    pub detail: Detail,
}

impl Scene {
    /// Every shape, depth first, the overlay's last.
    pub fn walk(&self) -> impl Iterator<Item = &Shape> {
        self.shapes
            .iter()
            .chain(&self.overlay)
            .flat_map(Shape::walk)
    }

    /// The shape with this id (an [`Id`], or its text in tests).
    pub fn find<Q: ?Sized>(&self, id: &Q) -> Option<&Shape>
    where
        Id: PartialEq<Q>,
    {
        self.walk().find(|s| s.id == *id)
    }

    /// The outline drawn around each shape with one of these ids (a selection, the shapes a
    /// step of the node stepper names), in scene order.
    pub fn outlines(&self, ids: &[Id]) -> Vec<(Id, Rect)> {
        self.walk()
            .filter(|s| ids.contains(&s.id))
            .map(|s| (s.id.clone(), outline(s.rect)))
            .collect()
    }

    /// The whole scene as a rectangle.
    pub fn bounds(&self) -> Rect {
        Rect::at(Point::default(), self.size)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Shape {
        let mut root = Shape::new(Id::Vpc, Kind::Vpc, Rect::new(0.0, 0.0, 100.0, 100.0));
        let mut b = Shape::new(
            Id::Az("b".into()),
            Kind::Az,
            Rect::new(10.0, 10.0, 40.0, 80.0),
        );
        b.children.push(Shape::new(
            Id::Subnet("c".into()),
            Kind::Subnet,
            Rect::new(12.0, 12.0, 10.0, 10.0),
        ));
        root.children.push(b);
        root.children.push(Shape::new(
            Id::Az("d".into()),
            Kind::Az,
            Rect::new(50.0, 10.0, 40.0, 80.0),
        ));
        root
    }

    #[test]
    fn walk_visits_parents_before_children_in_order() {
        let root = tree();
        let ids: Vec<String> = root.walk().map(|s| s.id.to_string()).collect();
        assert_eq!(ids, ["vpc", "az:b", "subnet:c", "az:d"]);
    }

    #[test]
    fn translate_moves_everything() {
        let mut root = tree();
        root.text(5.0, 5.0, "x", TextStyle::Body, Anchor::Start);
        root.translate(3.0, 4.0);
        assert_eq!(root.rect, Rect::new(3.0, 4.0, 100.0, 100.0));
        assert_eq!(root.texts[0].at, Point::new(8.0, 9.0));
        assert_eq!(
            root.children[0].children[0].rect,
            Rect::new(15.0, 16.0, 10.0, 10.0)
        );
    }

    #[test]
    fn meter_segments_fill_left_to_right_and_stay_visible() {
        let meter = Meter {
            rect: Rect::new(0.0, 0.0, 100.0, 4.0),
            parts: vec![
                (MeterPart::Primary, 1),
                (MeterPart::Warm, 0),
                (MeterPart::Used, 50),
            ],
            total: 4091,
        };
        let segs = meter.segments();
        assert_eq!(segs.len(), 2);
        assert_eq!(segs[0].1.w, 1.0);
        assert_eq!(segs[1].1.x, 1.0);
        let full = Meter {
            rect: Rect::new(0.0, 0.0, 100.0, 4.0),
            parts: vec![(MeterPart::Used, 10)],
            total: 10,
        };
        assert_eq!(full.segments()[0].1.w, 100.0);
    }

    #[test]
    fn kinds_name_the_dom_contract() {
        assert_eq!(Kind::NatGw.as_str(), "natgw");
        assert!(Kind::Az.is_frame() && !Kind::Node.is_frame());
    }
}
