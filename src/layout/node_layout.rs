//! A worker node: its name, type and addresses, its hostNetwork pods, then each attached ENI
//! with what it holds — secondary addresses as cells (a pod's cell in its workload's colour
//! with the address's last octet, warm, or free), /28 prefixes as blocks of 16 cells, branch
//! ENIs beside the trunk ENI — then pods the CNI could not address, and the node's counts.
//! For huge clusters ([`Detail::Bars`]) each ENI is one bar.
//!
//! Measuring ([`node_size`]) and placing ([`node_shape`]) are separate so that a subnet can
//! size its grid before anything is built; both go through [`EniBody`] and the same constants.

use std::net::{IpAddr, Ipv4Addr};

use super::context::Context;
use super::geometry::{Rect, Size};
use super::scene::{Anchor, Detail, Kind, Meter, MeterPart, Shape, State, TextStyle};
use super::text::{ascent, ellipsize, line_height, plural, thousands, width};
use crate::model::aws::eni::{BranchEni, Eni, EniRole, PREFIX_SIZE};
use crate::model::aws::vpc_cni::IpamMode;
use crate::model::{Id, Node, Pod, SharedStr};

/// Inner padding of a node box.
const PAD: f64 = 8.0;
/// Icon and first line of a node.
const ICON: f64 = 18.0;
const ICON_GAP: f64 = 6.0;
/// Space between the node's rows (text, ENIs, pod rows).
const STACK_GAP: f64 = 6.0;
/// Inner padding of an ENI box.
const ENI_PAD: f64 = 6.0;
/// An address cell: wide enough for a pod's last octet (`.254`).
pub const CELL_W: f64 = 24.0;
pub const CELL_H: f64 = 14.0;
pub const CELL_GAP: f64 = 3.0;
pub const PITCH_X: f64 = CELL_W + CELL_GAP;
pub const PITCH_Y: f64 = CELL_H + CELL_GAP;
/// Cells per row at most; rows are then balanced (29 slots → 3 rows of 10, 10 and 9).
const MAX_COLS: u32 = 12;
/// A /28 prefix: 16 cells in 2 rows of 8 under its CIDR.
const PREFIX_COLS: u32 = 8;
const PREFIX_PAD: f64 = 4.0;
const PREFIX_W: f64 = 2.0 * PREFIX_PAD + PREFIX_COLS as f64 * PITCH_X - CELL_GAP;
const BLOCK_GAP: f64 = 4.0;
/// Pods without an address drawn on a node at most; the rest are counted.
const MAX_WAITING_CELLS: usize = 24;
/// The hostNetwork pill.
const PILL_H: f64 = 17.0;
const PILL_PAD: f64 = 7.0;
/// Height of an ENI's bar in [`Detail::Bars`].
const BAR: f64 = 8.0;
/// Narrowest node, so a grid of nodes reads as a grid.
const MIN_WIDTH: f64 = 180.0;

/// Rows and columns of cells for `n` cells.
pub fn grid(n: u32) -> (u32, u32) {
    if n == 0 {
        return (0, 0);
    }
    let rows = n.div_ceil(MAX_COLS);
    (rows, n.div_ceil(rows))
}

fn grid_size(n: u32) -> Size {
    let (rows, cols) = grid(n);
    Size::new(
        (f64::from(cols) * PITCH_X - CELL_GAP).max(0.0),
        (f64::from(rows) * PITCH_Y - CELL_GAP).max(0.0),
    )
}

/// The `k`-th cell of a grid of `cols` columns whose top-left cell is at (`x`, `y`).
fn cell_at(x: f64, y: f64, cols: u32, k: u32) -> Rect {
    let cols = cols.max(1);
    Rect::new(
        x + f64::from(k % cols) * PITCH_X,
        y + f64::from(k / cols) * PITCH_Y,
        CELL_W,
        CELL_H,
    )
}

/// The label inside a pod's cell: the last octet (`.17`) or the last IPv6 group (`:a3`).
pub fn cell_label(ip: IpAddr) -> String {
    let text = match ip {
        IpAddr::V4(v4) => format!(".{}", v4.octets()[3]),
        IpAddr::V6(v6) => format!(":{:x}", v6.segments()[7]),
    };
    if width(&text, TextStyle::Cell) <= CELL_W - 2.0 {
        text
    } else {
        text[1..].to_string()
    }
}

/// What an ENI shows below its header.
enum EniBody {
    /// Secondary addresses: `held` cells then `free` ones.
    Slots { held: u32, free: u32 },
    /// /28 prefixes as blocks, then room for `free` more as cells.
    Prefixes { blocks: u32, free: u32 },
    /// Branch ENIs of a trunk ENI.
    Branches(u32),
    /// Nothing to draw: a line saying why.
    Note(&'static str),
    /// [`Detail::Bars`].
    Bar,
}

impl EniBody {
    fn of(node: &Node, eni: &Eni, detail: Detail) -> EniBody {
        if detail == Detail::Bars {
            return EniBody::Bar;
        }
        if eni.role == EniRole::Trunk {
            return if node.branches.is_empty() {
                EniBody::Note("no branch ENIs yet")
            } else {
                EniBody::Branches(node.branches.len() as u32)
            };
        }
        let taken = (eni.slots.len() + eni.prefixes.len()) as u32;
        let free = eni.capacity.saturating_sub(taken);
        if node.ipam_mode == IpamMode::Prefix || !eni.prefixes.is_empty() {
            EniBody::Prefixes {
                blocks: eni.prefixes.len() as u32,
                free,
            }
        } else if eni.capacity == 0 && eni.slots.is_empty() {
            EniBody::Note(match node.ipam_mode {
                IpamMode::Ipv6 => "pods take IPv6 addresses of the node's /80",
                _ => "carries no pod addresses (custom networking)",
            })
        } else {
            EniBody::Slots {
                held: eni.slots.len() as u32,
                free,
            }
        }
    }

    fn size(&self) -> Size {
        match *self {
            EniBody::Slots { held, free } => grid_size(held + free),
            EniBody::Prefixes { blocks, free } => {
                let b = f64::from(blocks);
                let blocks_h = b * (prefix_height() + BLOCK_GAP);
                let cells = grid_size(free);
                let w = if blocks > 0 { PREFIX_W } else { 0.0 };
                Size::new(w.max(cells.w), (blocks_h + cells.h).max(0.0))
            }
            EniBody::Branches(n) => grid_size(n),
            EniBody::Note(text) => {
                Size::new(width(text, TextStyle::Muted), line_height(TextStyle::Muted))
            }
            EniBody::Bar => Size::new(0.0, BAR),
        }
    }
}

fn prefix_height() -> f64 {
    PREFIX_PAD + line_height(TextStyle::Mono) + 2.0 * PITCH_Y - CELL_GAP + PREFIX_PAD
}

fn eni_header(node: &Node, eni: &Eni, ctx: &Context) -> String {
    let mut header = format!("{} {}", eni.name(), eni.primary_ip);
    if eni.role == EniRole::Trunk {
        header.push_str(" · trunk");
    }
    if eni.subnet != node.subnet {
        if let Some(s) = ctx.cluster.subnets.get(eni.subnet) {
            header.push_str(" · ");
            header.push_str(&s.name);
        }
    }
    header
}

/// Slots taken (addresses, prefixes or branch ENIs) of the ENI's capacity; empty for an ENI
/// that carries no pod addresses.
fn eni_count(node: &Node, eni: &Eni) -> String {
    match eni.role {
        EniRole::Trunk => {
            let limit = node.instance_type.branch_enis.unwrap_or(0);
            format!("{}/{limit} branch", node.branches.len())
        }
        _ if eni.capacity == 0 && eni.slots.is_empty() && eni.prefixes.is_empty() => String::new(),
        _ if !eni.prefixes.is_empty() || node.ipam_mode == IpamMode::Prefix => {
            format!("{}/{} /28", eni.prefixes.len(), eni.capacity)
        }
        _ => format!("{}/{}", eni.slots.len(), eni.capacity),
    }
}

fn eni_size(node: &Node, eni: &Eni, ctx: &Context) -> Size {
    let body = EniBody::of(node, eni, ctx.detail).size();
    let header = width(&eni_header(node, eni, ctx), TextStyle::Mono)
        + 10.0
        + width(&eni_count(node, eni), TextStyle::Muted);
    Size::new(
        2.0 * ENI_PAD + body.w.max(header),
        2.0 * ENI_PAD + line_height(TextStyle::Mono) + 2.0 + body.h,
    )
}

fn type_label(node: &Node) -> &str {
    &node.instance_type.name
}

/// The node's addresses: private, then public if it has one.
fn addresses(node: &Node) -> String {
    match node.public_ip {
        Some(public) => format!("{} · {public}", node.primary_ip),
        None => node.primary_ip.to_string(),
    }
}

fn host_network_label(node: &Node, ctx: &Context, index: usize) -> Option<String> {
    if node.host_network_pods == 0 {
        return None;
    }
    let names = ctx
        .host_workloads
        .get(index)
        .map(|w| w.join(", "))
        .unwrap_or_default();
    Some(format!(
        "{}: {names}",
        plural(
            node.host_network_pods,
            "hostNetwork pod",
            "hostNetwork pods"
        )
    ))
}

/// Addresses given to pods, held warm, and room left, in the node's unit.
fn usage_line(node: &Node, ctx: &Context, index: usize) -> String {
    let used: u32 = node.enis.iter().map(Eni::used).sum::<u32>() + node.branches.len() as u32;
    let warm: u32 = node.enis.iter().map(Eni::warm).sum();
    let free: u32 = node.enis.iter().map(Eni::free).sum();
    match node.ipam_mode {
        IpamMode::Ipv6 => {
            let v6 = ctx.ipv6_pods.get(index).map_or(0, Vec::len) as u32;
            format!("{} with IPv6 addresses", plural(v6 + used, "pod", "pods"))
        }
        IpamMode::Prefix => format!(
            "{} used · {} warm · {} free /28",
            thousands(used),
            thousands(warm),
            thousands(free)
        ),
        IpamMode::SecondaryIp => format!(
            "{} used · {} warm · {} free",
            thousands(used),
            thousands(warm),
            thousands(free)
        ),
    }
}

fn pods_line(node: &Node, ctx: &Context, index: usize) -> String {
    let waiting = ctx.creating.get(index).map_or(0, Vec::len) as u32;
    let ipv6 = ctx.ipv6_pods.get(index).map_or(0, Vec::len) as u32;
    let pods = node.ip_pods() + node.host_network_pods + waiting + ipv6;
    format!(
        "{} of {} ENIs · max pods {} · {}",
        node.enis.len(),
        node.instance_type.max_enis,
        thousands(node.max_pods.value),
        plural(pods, "pod", "pods")
    )
}

fn waiting_label(n: usize) -> String {
    format!(
        "⚠ {} ContainerCreating: no address",
        plural(n as u32, "pod", "pods")
    )
}

fn ipv6_label(node: &Node) -> String {
    node.ipv6_prefix
        .map_or_else(|| "IPv6".to_string(), |p| format!("IPv6 {p}"))
}

/// Height of the text block above the pill and the ENIs.
fn head_height() -> f64 {
    ICON + 2.0 + line_height(TextStyle::Mono) + line_height(TextStyle::Muted)
}

/// A row of pod cells under a title line: its size.
fn pod_rows_size(title: &str, style: TextStyle, cells: usize, detail: Detail) -> Size {
    let title_w = width(title, style);
    if detail == Detail::Bars || cells == 0 {
        return Size::new(title_w, line_height(TextStyle::Muted));
    }
    let shown = cells.min(MAX_WAITING_CELLS) as u32;
    let g = grid_size(shown);
    let more = if cells > MAX_WAITING_CELLS {
        line_height(TextStyle::Muted)
    } else {
        0.0
    };
    Size::new(
        title_w.max(g.w),
        line_height(TextStyle::Muted) + 2.0 + g.h + more,
    )
}

/// The natural size of a node box.
pub fn node_size(node: &Node, index: usize, ctx: &Context) -> Size {
    let mut widths = vec![
        ICON + ICON_GAP
            + width(&node.name, TextStyle::Heading)
            + 12.0
            + width(type_label(node), TextStyle::Muted),
        width(&addresses(node), TextStyle::Mono),
        width(&node.hostname(), TextStyle::Muted),
        width(&usage_line(node, ctx, index), TextStyle::Muted),
        width(&pods_line(node, ctx, index), TextStyle::Muted),
    ];
    let mut h = PAD + head_height() + STACK_GAP;
    if let Some(label) = host_network_label(node, ctx, index) {
        widths.push(2.0 * PILL_PAD + width(&label, TextStyle::Muted));
        h += PILL_H + STACK_GAP;
    }
    for eni in &node.enis {
        let s = eni_size(node, eni, ctx);
        widths.push(s.w);
        h += s.h + STACK_GAP;
    }
    let ipv6 = ctx.ipv6_pods.get(index).map_or(0, Vec::len);
    if ipv6 > 0 {
        let s = pod_rows_size(&ipv6_label(node), TextStyle::Muted, ipv6, ctx.detail);
        widths.push(s.w);
        h += s.h + STACK_GAP;
    }
    let waiting = ctx.creating.get(index).map_or(0, Vec::len);
    if waiting > 0 {
        let s = pod_rows_size(
            &waiting_label(waiting),
            TextStyle::Alert,
            waiting,
            ctx.detail,
        );
        widths.push(s.w);
        h += s.h + STACK_GAP;
    }
    h += 2.0 * line_height(TextStyle::Muted) + PAD - 2.0;
    let inner = widths.into_iter().fold(0.0, f64::max);
    Size::new((inner + 2.0 * PAD).max(MIN_WIDTH).ceil(), h.ceil())
}

/// A pod's cell at `rect`, labelled with its address (`!` when it waits for one; none when
/// it is Pending).
pub fn pod_cell(pod: &Pod, ctx: &Context, rect: Rect, state: State, place: &str) -> Shape {
    let mut shape = Shape::new(pod.as_id(), Kind::Pod, rect);
    shape.state = state;
    shape.tone = Some(ctx.tone(pod));
    let address = pod
        .ip
        .map_or_else(|| "no address".to_string(), |ip| ip.to_string());
    shape.name = format!(
        "Pod {} ({}), {address}{place}, {}",
        pod.name,
        pod.namespace,
        pod.status.label()
    );
    if let Some(reason) = pod.reason.as_deref().filter(|_| state != State::Used) {
        shape.name.push_str(": ");
        shape.name.push_str(reason);
    }
    let label = match (state, pod.ip) {
        (State::Used, Some(ip)) => cell_label(ip),
        (State::Pending, _) => return shape,
        _ => "!".to_string(),
    };
    shape.text(
        rect.center().x,
        rect.y + (CELL_H + ascent(TextStyle::Cell)) / 2.0 - 1.0,
        label,
        TextStyle::Cell,
        Anchor::Middle,
    );
    shape
}

/// A pod named by an ENI slot or prefix; a placeholder shape if the model does not list it.
fn named_pod(name: &str, ip: Ipv4Addr, ctx: &Context, rect: Rect, place: &str) -> Shape {
    match ctx.pod(name) {
        Some(pod) => pod_cell(pod, ctx, rect, State::Used, place),
        None => {
            let mut shape = Shape::new(Id::pod("?", name), Kind::Pod, rect);
            shape.state = State::Used;
            shape.name = format!("Pod {name}, {ip}{place}");
            shape
        }
    }
}

/// Builds a node box at `rect` (its width at least [`node_size`]'s).
pub fn node_shape(node: &Node, index: usize, ctx: &Context, rect: Rect) -> Shape {
    let mut shape = Shape::new(node.id.clone(), Kind::Node, rect);
    shape.badge = ctx.badge(&node.id, rect);
    shape.name = format!(
        "Node {}, {}, primary IP {}, {}, max pods {}",
        node.name,
        type_label(node),
        node.primary_ip,
        plural(node.enis.len() as u32, "ENI", "ENIs"),
        node.max_pods.value
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
    if let Some(label) = host_network_label(node, ctx, index) {
        let w = (2.0 * PILL_PAD + width(&label, TextStyle::Muted)).min(right - x);
        let pill = Rect::new(x, y, w, PILL_H);
        let mut p = Shape::new(Id::HostNetwork(node.name.clone()), Kind::HostNetwork, pill);
        p.name = format!("{label}, on the node's own address {}", node.primary_ip);
        p.text(
            x + PILL_PAD,
            y + (PILL_H + ascent(TextStyle::Muted)) / 2.0 - 1.0,
            ellipsize_to(&label, w - 2.0 * PILL_PAD),
            TextStyle::Muted,
            Anchor::Start,
        );
        shape.children.push(p);
        y += PILL_H + STACK_GAP;
    }
    for eni in &node.enis {
        let h = eni_size(node, eni, ctx).h;
        shape
            .children
            .push(eni_shape(node, eni, ctx, Rect::new(x, y, right - x, h)));
        y += h + STACK_GAP;
    }
    let ipv6 = ctx.ipv6_pods.get(index).map(Vec::as_slice).unwrap_or(&[]);
    if !ipv6.is_empty() {
        y = pod_rows(
            &mut shape,
            &ipv6_label(node),
            ipv6,
            State::Used,
            ctx,
            x,
            y,
            &format!(" on {}'s /80", node.name),
        );
    }
    let waiting = ctx.creating.get(index).map(Vec::as_slice).unwrap_or(&[]);
    if !waiting.is_empty() {
        y = pod_rows(
            &mut shape,
            &waiting_label(waiting.len()),
            waiting,
            State::Creating,
            ctx,
            x,
            y,
            &format!(" on {}", node.name),
        );
    }
    let line = line_height(TextStyle::Muted);
    shape.text(
        x,
        y + ascent(TextStyle::Muted),
        usage_line(node, ctx, index),
        TextStyle::Muted,
        Anchor::Start,
    );
    shape.text(
        x,
        y + line + ascent(TextStyle::Muted),
        pods_line(node, ctx, index),
        TextStyle::Muted,
        Anchor::Start,
    );
    shape
}

fn ellipsize_to(text: &str, max: f64) -> String {
    if width(text, TextStyle::Muted) <= max {
        text.to_string()
    } else {
        ellipsize(text, TextStyle::Muted, max)
    }
}

/// A titled row of pod cells (IPv6 pods, pods waiting for an address); returns the y below.
#[allow(clippy::too_many_arguments)]
fn pod_rows(
    shape: &mut Shape,
    title: &str,
    pods: &[&Pod],
    state: State,
    ctx: &Context,
    x: f64,
    mut y: f64,
    place: &str,
) -> f64 {
    let style = if state == State::Creating {
        TextStyle::Alert
    } else {
        TextStyle::Muted
    };
    let size = pod_rows_size(title, style, pods.len(), ctx.detail);
    let bottom = y + size.h + STACK_GAP;
    shape.text(
        x,
        y + ascent(style),
        title.to_string(),
        style,
        Anchor::Start,
    );
    if ctx.detail == Detail::Bars {
        return bottom;
    }
    y += line_height(TextStyle::Muted) + 2.0;
    let shown = pods.len().min(MAX_WAITING_CELLS);
    let (rows, cols) = grid(shown as u32);
    for (k, pod) in pods.iter().take(shown).enumerate() {
        let rect = cell_at(x, y, cols, k as u32);
        shape.children.push(pod_cell(pod, ctx, rect, state, place));
    }
    if pods.len() > shown {
        let below = y + f64::from(rows) * PITCH_Y;
        shape.text(
            x,
            below + ascent(TextStyle::Muted),
            format!("+{} more", thousands((pods.len() - shown) as u32)),
            TextStyle::Muted,
            Anchor::Start,
        );
    }
    bottom
}

fn eni_shape(node: &Node, eni: &Eni, ctx: &Context, rect: Rect) -> Shape {
    let mut shape = Shape::new(eni.id.clone(), Kind::Eni, rect);
    shape.name = match eni.role {
        EniRole::Trunk => format!(
            "Trunk ENI {} of {}, primary IP {}, {}",
            eni.name(),
            node.name,
            eni.primary_ip,
            plural(node.branches.len() as u32, "branch ENI", "branch ENIs")
        ),
        _ if eni.prefixes.is_empty() => format!(
            "ENI {} of {}, primary IP {}, {} of {} secondary IPs held, {} used by pods",
            eni.name(),
            node.name,
            eni.primary_ip,
            eni.slots.len(),
            eni.capacity,
            eni.used()
        ),
        _ => format!(
            "ENI {} of {}, primary IP {}, {} of {} /28 prefixes held, {} addresses used by pods",
            eni.name(),
            node.name,
            eni.primary_ip,
            eni.prefixes.len(),
            eni.capacity,
            eni.used()
        ),
    };
    let x = rect.x + ENI_PAD;
    let right = rect.right() - ENI_PAD;
    let baseline = rect.y + ENI_PAD + ascent(TextStyle::Mono);
    shape.text(
        x,
        baseline,
        eni_header(node, eni, ctx),
        TextStyle::Mono,
        Anchor::Start,
    );
    let count = eni_count(node, eni);
    if !count.is_empty() {
        shape.text(right, baseline, count, TextStyle::Muted, Anchor::End);
    }
    let top = rect.y + ENI_PAD + line_height(TextStyle::Mono) + 2.0;
    match EniBody::of(node, eni, ctx.detail) {
        EniBody::Bar => {
            let (parts, total) = if eni.role == EniRole::Trunk {
                let n = node.branches.len() as u32;
                let limit = node.instance_type.branch_enis.unwrap_or(0);
                (vec![(MeterPart::Branch, n)], limit.max(n))
            } else {
                // In addresses: a prefix slot holds 16.
                let per_slot = if eni.prefixes.is_empty() && node.ipam_mode != IpamMode::Prefix {
                    1
                } else {
                    PREFIX_SIZE
                };
                (
                    vec![(MeterPart::Used, eni.used()), (MeterPart::Warm, eni.warm())],
                    eni.capacity.saturating_mul(per_slot).max(eni.held()),
                )
            };
            shape.meter = Some(Meter {
                rect: Rect::new(x, top, right - x, BAR),
                parts,
                total,
            });
        }
        EniBody::Note(text) => shape.text(
            x,
            top + ascent(TextStyle::Muted),
            text,
            TextStyle::Muted,
            Anchor::Start,
        ),
        EniBody::Slots { held, free } => {
            let (_, cols) = grid(held + free);
            shape.children.reserve((held + free) as usize);
            let place = format!(" on {} of {}", eni.name(), node.name);
            for (k, slot) in eni.slots.iter().enumerate() {
                let rect = cell_at(x, top, cols, k as u32);
                let mut c = Shape::new(slot.id.clone(), Kind::Ip, rect);
                match &slot.pod {
                    Some(pod) => {
                        c.state = State::Used;
                        c.name = format!("{}{place}, used by pod {pod}", slot.ip);
                        c.children.push(named_pod(pod, slot.ip, ctx, rect, &place));
                    }
                    None => {
                        c.state = State::Warm;
                        c.name = format!("{}{place}, warm (held for a pod)", slot.ip);
                    }
                }
                shape.children.push(c);
            }
            free_cells(&mut shape, node, eni, x, top, cols, held, free, "address");
        }
        EniBody::Prefixes { free, .. } => {
            let mut y = top;
            for prefix in &eni.prefixes {
                let block = Rect::new(x, y, PREFIX_W, prefix_height());
                shape
                    .children
                    .push(prefix_shape(node, eni, prefix, ctx, block));
                y += prefix_height() + BLOCK_GAP;
            }
            let (_, cols) = grid(free);
            free_cells(&mut shape, node, eni, x, y, cols, 0, free, "/28 prefix");
        }
        EniBody::Branches(n) => {
            let (_, cols) = grid(n);
            for (k, branch) in node.branches.iter().enumerate() {
                let rect = cell_at(x, top, cols, k as u32);
                shape.children.push(branch_shape(node, branch, ctx, rect));
            }
        }
    }
    shape
}

/// Dashed cells for the room left on an ENI, after `offset` cells.
#[allow(clippy::too_many_arguments)]
fn free_cells(
    shape: &mut Shape,
    node: &Node,
    eni: &Eni,
    x: f64,
    y: f64,
    cols: u32,
    offset: u32,
    free: u32,
    unit: &str,
) {
    let taken = (eni.slots.len() + eni.prefixes.len()) as u32;
    // The ENI's shared copy of the node's name, not one per slot.
    let node_name: SharedStr = match &eni.id {
        Id::Eni { node, .. } => node.clone(),
        _ => node.name.as_str().into(),
    };
    for j in 0..free {
        let k = taken + j;
        let id = Id::Slot {
            node: node_name.clone(),
            device: eni.device_index,
            slot: k,
        };
        let mut c = Shape::new(id, Kind::Slot, cell_at(x, y, cols, offset + j));
        c.state = State::Free;
        c.name = format!(
            "Free slot {k} on {} of {}: room for one more {unit}, not allocated",
            eni.name(),
            node.name
        );
        shape.children.push(c);
    }
}

fn prefix_shape(
    node: &Node,
    eni: &Eni,
    prefix: &crate::model::aws::eni::Prefix,
    ctx: &Context,
    rect: Rect,
) -> Shape {
    let mut shape = Shape::new(prefix.id.clone(), Kind::Prefix, rect);
    shape.state = if prefix.pods.is_empty() {
        State::Warm
    } else {
        State::Used
    };
    shape.name = format!(
        "Prefix {} on {} of {}, {} of {PREFIX_SIZE} addresses used by pods",
        prefix.cidr,
        eni.name(),
        node.name,
        prefix.pods.len()
    );
    let x = rect.x + PREFIX_PAD;
    let baseline = rect.y + PREFIX_PAD + ascent(TextStyle::Mono);
    shape.text(
        x,
        baseline,
        prefix.cidr.to_string(),
        TextStyle::Mono,
        Anchor::Start,
    );
    shape.text(
        rect.right() - PREFIX_PAD,
        baseline,
        format!("{}/{PREFIX_SIZE}", prefix.pods.len()),
        TextStyle::Muted,
        Anchor::End,
    );
    let top = rect.y + PREFIX_PAD + line_height(TextStyle::Mono);
    let base = u32::from(prefix.cidr.network());
    let mut used = [false; PREFIX_SIZE as usize];
    let place = format!(" in {} on {} of {}", prefix.cidr, eni.name(), node.name);
    for (ip, pod) in &prefix.pods {
        let k = u32::from(*ip).wrapping_sub(base);
        if k < PREFIX_SIZE && !used[k as usize] {
            used[k as usize] = true;
            let cell = cell_at(x, top, PREFIX_COLS, k);
            shape.children.push(named_pod(pod, *ip, ctx, cell, &place));
        }
    }
    for (k, taken) in used.iter().enumerate() {
        if !taken {
            shape.cells.push(cell_at(x, top, PREFIX_COLS, k as u32));
        }
    }
    shape
}

fn branch_shape(node: &Node, branch: &BranchEni, ctx: &Context, rect: Rect) -> Shape {
    let mut shape = Shape::new(branch.id.clone(), Kind::Branch, rect);
    shape.state = State::Used;
    shape.name = format!(
        "Branch ENI {} on {} for pod {}, security groups {}",
        branch.ip,
        node.name,
        branch.pod,
        branch.security_groups.join(", ")
    );
    let place = format!(" on its branch ENI on {}", node.name);
    shape
        .children
        .push(named_pod(&branch.pod, branch.ip, ctx, rect, &place));
    shape
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::tests_support::{assert_tree_invariants, cluster_with};
    use crate::model::Cluster;

    fn build(cluster: &Cluster, index: usize, detail: Detail) -> Shape {
        let ctx = Context::new(cluster, detail);
        let node = &cluster.nodes[index];
        let size = node_size(node, index, &ctx);
        let shape = node_shape(node, index, &ctx, Rect::at(Default::default(), size));
        assert_tree_invariants(&shape);
        shape
    }

    fn count(shape: &Shape, kind: Kind) -> usize {
        shape.walk().filter(|s| s.kind == kind).count()
    }

    #[test]
    fn grid_balances_rows() {
        assert_eq!(grid(0), (0, 0));
        assert_eq!(grid(9), (1, 9));
        assert_eq!(grid(12), (1, 12));
        assert_eq!(grid(29), (3, 10));
        assert_eq!(grid(49), (5, 10));
    }

    #[test]
    fn cell_labels_fit_their_cell() {
        assert_eq!(cell_label("10.0.16.254".parse().unwrap()), ".254");
        assert_eq!(cell_label("10.0.16.6".parse().unwrap()), ".6");
        assert_eq!(cell_label("2001:db8::1:a3".parse().unwrap()), ":a3");
        assert_eq!(cell_label("2001:db8::ffff".parse().unwrap()), "ffff");
        assert!(width(".254", TextStyle::Cell) <= CELL_W - 2.0);
    }

    #[test]
    fn a_default_node_draws_its_enis_its_coredns_pod_and_its_warm_cells() {
        let cluster = cluster_with(|_| {});
        let node = &cluster.nodes[0];
        let shape = build(&cluster, 0, Detail::Cells);
        assert_eq!(count(&shape, Kind::Eni), node.enis.len());
        let held: usize = node.enis.iter().map(|e| e.slots.len()).sum();
        assert_eq!(count(&shape, Kind::Ip), held);
        let used: u32 = node.enis.iter().map(Eni::used).sum();
        assert_eq!(count(&shape, Kind::Pod), used as usize);
        assert!(used >= 1, "CoreDNS runs on the first node");
        // The pod cell is the IP cell's only child, carries its last octet and the pod's id.
        let ip = shape
            .walk()
            .find(|s| s.kind == Kind::Ip && s.state == State::Used)
            .unwrap();
        let pod = &ip.children[0];
        assert_eq!(pod.rect, ip.rect);
        assert!(
            pod.id.to_string().starts_with("pod:kube-system/coredns-"),
            "{}",
            pod.id
        );
        assert!(pod.texts[0].text.starts_with('.'));
        assert_eq!(pod.tone, Some(crate::layout::Tone::System));
        let texts: Vec<&str> = shape.texts.iter().map(|t| t.text.as_str()).collect();
        assert!(texts.contains(&"m5.large"));
        assert!(texts.contains(&node.primary_ip.to_string().as_str()));
        assert!(
            texts
                .iter()
                .any(|t| t.starts_with(&format!("{} of 3 ENIs · max pods 29 · ", node.enis.len()))),
            "{texts:?}"
        );
        let pill = shape
            .children
            .iter()
            .find(|c| c.kind == Kind::HostNetwork)
            .unwrap();
        assert_eq!(
            pill.texts[0].text,
            "2 hostNetwork pods: aws-node, kube-proxy"
        );
    }

    #[test]
    fn prefixes_are_blocks_of_sixteen_cells() {
        let cluster = cluster_with(|s| s.cluster.vpc_cni.prefix_delegation = true);
        let node = &cluster.nodes[0];
        let shape = build(&cluster, 0, Detail::Cells);
        let prefixes: Vec<&Shape> = shape.walk().filter(|s| s.kind == Kind::Prefix).collect();
        let held: usize = node.enis.iter().map(|e| e.prefixes.len()).sum();
        assert!(held > 0);
        assert_eq!(prefixes.len(), held);
        for (p, model) in prefixes
            .iter()
            .zip(node.enis.iter().flat_map(|e| &e.prefixes))
        {
            assert_eq!(p.cells.len() + p.children.len(), 16);
            assert_eq!(p.children.len(), model.pods.len());
            assert!(p.children.iter().all(|c| c.kind == Kind::Pod));
            assert!(p.cells.iter().all(|c| p.rect.contains(c)));
        }
        let free: u32 = node.enis.iter().map(|e| e.free()).sum();
        assert_eq!(count(&shape, Kind::Slot), free as usize);
        assert!(shape.texts.iter().any(|t| t.text.contains("max pods 110")));
    }

    #[test]
    fn free_slots_fill_an_eni_up_to_its_capacity() {
        let cluster = cluster_with(|s| s.cluster.vpc_cni.warm_ip_target = Some(2));
        let shape = build(&cluster, 0, Detail::Cells);
        let eni = shape.children.iter().find(|c| c.kind == Kind::Eni).unwrap();
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
    fn branch_enis_sit_in_the_trunk_eni_with_their_pod() {
        let cluster = cluster_with(|s| {
            s.cluster.vpc_cni.pod_eni = true;
            s.workloads.push(crate::scenario::Workload {
                name: "web".into(),
                namespace: "default".into(),
                kind: Default::default(),
                replicas: 4,
                labels: Default::default(),
                requests: Default::default(),
                node_selector: Default::default(),
                tolerations: Vec::new(),
                topology_spread_constraints: Vec::new(),
                security_groups: vec!["sg-0123456789abcdef0".into()],
                host_network: false,
                container_port: 8080,
            });
        });
        let shape = build(&cluster, 0, Detail::Cells);
        let node = &cluster.nodes[0];
        assert!(!node.branches.is_empty());
        let trunk = shape
            .walk()
            .find(|s| s.kind == Kind::Eni && s.texts[0].text.contains("trunk"))
            .unwrap();
        let branches: Vec<&Shape> = trunk
            .children
            .iter()
            .filter(|c| c.kind == Kind::Branch)
            .collect();
        assert_eq!(branches.len(), node.branches.len());
        for (b, model) in branches.iter().zip(&node.branches) {
            assert_eq!(b.id, model.id);
            assert_eq!(b.children[0].kind, Kind::Pod);
            assert!(b.children[0].id.to_string().ends_with(model.pod.as_str()));
            assert_eq!(b.children[0].tone, Some(crate::layout::Tone::Workload(0)));
        }
    }

    #[test]
    fn pods_without_an_address_are_drawn_on_their_node() {
        // A /27 holds 27 usable addresses: the nodes and warm pools take them, pods wait.
        let cluster = cluster_with(|s| {
            s.vpc.subnets[3].cidr = "10.0.16.0/27".into();
            s.managed_node_groups[0].subnets = vec!["private-a".into()];
            s.managed_node_groups[0].desired_capacity = 2;
            s.workloads.push(crate::scenario::Workload {
                name: "web".into(),
                namespace: "default".into(),
                kind: Default::default(),
                replicas: 30,
                labels: Default::default(),
                requests: Default::default(),
                node_selector: Default::default(),
                tolerations: Vec::new(),
                topology_spread_constraints: Vec::new(),
                security_groups: Vec::new(),
                host_network: false,
                container_port: 8080,
            });
        });
        let waiting: usize = cluster
            .pods
            .iter()
            .filter(|p| p.status == crate::model::PodStatus::ContainerCreating)
            .count();
        assert!(waiting > 0, "the scenario leaves pods without an address");
        let mut drawn = 0;
        for i in 0..cluster.nodes.len() {
            let shape = build(&cluster, i, Detail::Cells);
            drawn += shape
                .walk()
                .filter(|s| s.kind == Kind::Pod && s.state == State::Creating)
                .count();
            assert!(shape
                .walk()
                .filter(|s| s.kind == Kind::Pod && s.state == State::Creating)
                .all(|s| s.texts[0].text == "!"));
        }
        assert_eq!(drawn, waiting.min(MAX_WAITING_CELLS * cluster.nodes.len()));
    }

    #[test]
    fn bars_draw_one_meter_per_eni() {
        let cluster =
            cluster_with(|s| s.managed_node_groups[0].instance_type = "m5.24xlarge".into());
        let ctx = Context::new(&cluster, Detail::Cells);
        let cells = node_size(&cluster.nodes[0], 0, &ctx);
        let shape = build(&cluster, 0, Detail::Bars);
        assert!(shape.rect.h < cells.h);
        assert!(shape
            .children
            .iter()
            .filter(|c| c.kind == Kind::Eni)
            .all(|e| e.children.is_empty() && e.meter.is_some()));
        assert_eq!(count(&shape, Kind::Pod), 0);
    }

    #[test]
    fn big_instances_grow_the_node() {
        let small = cluster_with(|_| {});
        let big = cluster_with(|s| s.managed_node_groups[0].instance_type = "m5.4xlarge".into());
        let a = node_size(&small.nodes[0], 0, &Context::new(&small, Detail::Cells));
        let b = node_size(&big.nodes[0], 0, &Context::new(&big, Detail::Cells));
        assert!(b.w > a.w, "{a:?} {b:?}");
    }
}
