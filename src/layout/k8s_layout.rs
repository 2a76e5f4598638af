//! What Kubernetes holds that is on no node: the key of pod colours (every workload with its
//! pods' phases) and the tray of Pending pods, grouped by workload and the scheduler's
//! message. Both sit below the AWS Cloud frame.

use std::collections::HashMap;

use super::context::{Context, WorkloadSummary, SYSTEM_NAMESPACE};
use super::geometry::{Point, Rect, Size};
use super::node_layout::{pod_cell, CELL_H, CELL_W, PITCH_X, PITCH_Y};
use super::scene::{Anchor, Kind, Shape, State, TextStyle};
use super::text::{ascent, ellipsize, line_height, plural, thousands, width, wrap};
use crate::model::{Id, Pod, PodStatus};

/// Ids of the two boxes.
pub const WORKLOADS_ID: Id = Id::Workloads;
pub const PENDING_ID: Id = Id::Pending;

const PAD: f64 = 12.0;
const ROW_H: f64 = 22.0;
const ROW_GAP: f64 = 3.0;
const SWATCH: f64 = 12.0;
/// Room at the right end of a workload row for its finding badge.
const BADGE_ROOM: f64 = 20.0;
const TITLE_W: &str = "Kubernetes workloads";
const SUBTITLE_W: &str = "pod colours by workload; system pods in grey";
/// Pending pods drawn per group at most; the rest are counted.
const MAX_PENDING_CELLS: usize = 48;
const MAX_MESSAGE_LINES: usize = 4;
/// Groups of Pending pods the tray draws at most; the rest are counted in one line, so
/// thousands of workloads that wait do not draw thousands of groups.
const MAX_PENDING_GROUPS: usize = 12;
const GROUP_GAP: f64 = 10.0;
/// Width of the tray's content.
const TRAY_INNER: f64 = 480.0;

/// Workload rows drawn at most; the rest are counted in one line, so the key stays small at
/// thousands of workloads.
const MAX_ROWS: usize = 16;

/// The rows the key draws: workloads that need attention (a finding, pods not running) and
/// system workloads first, then the others, in cluster order; and how many are left out.
fn shown<'c, 'a>(ctx: &'c Context<'a>) -> (Vec<&'c WorkloadSummary<'a>>, usize) {
    let mut rows: Vec<&WorkloadSummary> = ctx.workloads.iter().collect();
    if rows.len() > MAX_ROWS {
        // Four ranks, each in cluster order: a stable partition, with no sort (one fewer sort
        // instantiation in the wasm).
        let rank = |w: &WorkloadSummary| {
            let attention = w.pending > 0 || w.creating > 0 || ctx.findings.contains_key(&w.id);
            2 * usize::from(!attention) + usize::from(w.namespace != SYSTEM_NAMESPACE)
        };
        let mut by_rank: [Vec<&WorkloadSummary>; 4] = Default::default();
        for w in rows {
            by_rank[rank(w)].push(w);
        }
        rows = by_rank.into_iter().flatten().collect();
    }
    let hidden = rows.len().saturating_sub(MAX_ROWS);
    rows.truncate(MAX_ROWS);
    (rows, hidden)
}

fn workload_name(w: &WorkloadSummary) -> String {
    format!("{}/{}", w.namespace, w.name)
}

fn workload_counts(w: &WorkloadSummary) -> String {
    let mut parts = vec![format!("{} running", thousands(w.running))];
    if w.creating > 0 {
        parts.push(format!("{} ContainerCreating", thousands(w.creating)));
    }
    if w.pending > 0 {
        parts.push(format!("{} Pending", thousands(w.pending)));
    }
    let mut text = parts.join(" · ");
    if w.host_network {
        text.push_str(" · hostNetwork");
    }
    text
}

fn row_width(w: &WorkloadSummary) -> f64 {
    8.0 + SWATCH
        + 8.0
        + width(&workload_name(w), TextStyle::Body)
        + 14.0
        + width(&workload_counts(w), TextStyle::Muted)
        + BADGE_ROOM
}

fn head_height() -> f64 {
    line_height(TextStyle::Heading) + line_height(TextStyle::Muted) + 6.0
}

/// The workloads box's size.
pub fn workloads_size(ctx: &Context) -> Size {
    let (shown, hidden) = shown(ctx);
    let inner = shown
        .iter()
        .map(|w| row_width(w))
        .fold(width(TITLE_W, TextStyle::Heading), f64::max)
        .max(width(SUBTITLE_W, TextStyle::Muted));
    let rows = (shown.len() + usize::from(hidden > 0)) as f64;
    Size::new(
        (inner + 2.0 * PAD).ceil(),
        (2.0 * PAD + head_height() + rows * (ROW_H + ROW_GAP)).ceil(),
    )
}

fn title(shape: &mut Shape, title: &str, subtitle: &str) -> f64 {
    let r = shape.rect;
    let (x, mut y) = (r.x + PAD, r.y + PAD);
    shape.text(
        x,
        y + ascent(TextStyle::Heading),
        title.to_string(),
        TextStyle::Heading,
        Anchor::Start,
    );
    y += line_height(TextStyle::Heading);
    shape.text(
        x,
        y + ascent(TextStyle::Muted),
        subtitle.to_string(),
        TextStyle::Muted,
        Anchor::Start,
    );
    r.y + PAD + head_height()
}

/// The workloads box at `rect`.
pub fn workloads_shape(ctx: &Context, rect: Rect) -> Shape {
    let mut shape = Shape::new(WORKLOADS_ID, Kind::Workloads, rect);
    shape.name = format!(
        "Kubernetes workloads: {}",
        plural(ctx.workloads.len() as u32, "workload", "workloads")
    );
    let mut y = title(&mut shape, TITLE_W, SUBTITLE_W);
    let (x, right) = (rect.x + PAD, rect.right() - PAD);
    let (shown, hidden) = shown(ctx);
    for w in shown {
        let row = Rect::new(x, y, right - x, ROW_H);
        let mut s = Shape::new(w.id.clone(), Kind::Workload, row);
        s.tone = Some(w.tone);
        s.state = if w.pending > 0 {
            State::Pending
        } else if w.creating > 0 {
            State::Creating
        } else {
            State::Normal
        };
        s.name = format!(
            "Workload {}{}: {}",
            workload_name(w),
            if w.namespace == SYSTEM_NAMESPACE {
                " (system)"
            } else {
                ""
            },
            workload_counts(w)
        );
        s.icon = Some(Rect::new(
            row.x + 8.0,
            row.y + (ROW_H - SWATCH) / 2.0,
            SWATCH,
            SWATCH,
        ));
        let baseline = row.y + ROW_H / 2.0 + ascent(TextStyle::Body) / 2.0 - 1.0;
        s.text(
            row.x + 8.0 + SWATCH + 8.0,
            baseline,
            workload_name(w),
            TextStyle::Body,
            Anchor::Start,
        );
        s.text(
            row.right() - BADGE_ROOM,
            baseline,
            workload_counts(w),
            TextStyle::Muted,
            Anchor::End,
        );
        s.badge = ctx.badge(&w.id, row).map(|mut b| {
            b.center = Point::new(row.right() - BADGE_ROOM / 2.0, row.center().y);
            b
        });
        shape.children.push(s);
        y += ROW_H + ROW_GAP;
    }
    if hidden > 0 {
        shape.text(
            x,
            y + ROW_H / 2.0 + ascent(TextStyle::Muted) / 2.0,
            format!(
                "… and {} more",
                plural(hidden as u32, "workload", "workloads")
            ),
            TextStyle::Muted,
            Anchor::Start,
        );
    }
    shape
}

/// Pending pods grouped by workload and the scheduler's message, in order of first appearance.
struct Group<'a> {
    workload: &'a str,
    message: &'a str,
    pods: Vec<&'a Pod>,
}

fn groups<'a>(ctx: &Context<'a>) -> Vec<Group<'a>> {
    let mut out: Vec<Group<'a>> = Vec::new();
    let mut index: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for pod in ctx
        .cluster
        .pods
        .iter()
        .filter(|p| p.status == PodStatus::Pending)
    {
        let message = pod.reason.as_deref().unwrap_or("no node fits");
        let key = (pod.namespace.as_str(), pod.workload.as_str(), message);
        let i = *index.entry(key).or_insert_with(|| {
            out.push(Group {
                workload: &pod.workload,
                message,
                pods: Vec::new(),
            });
            out.len() - 1
        });
        out[i].pods.push(pod);
    }
    out
}

/// `text`, cut with `…` when wider than the tray: a 63-character workload name does not fit
/// (found by fuzzing).
fn fit(text: String, style: TextStyle) -> String {
    if width(&text, style) <= TRAY_INNER {
        text
    } else {
        ellipsize(&text, style, TRAY_INNER)
    }
}

fn group_title(g: &Group) -> String {
    format!(
        "{} · {} Pending",
        g.workload,
        plural(g.pods.len() as u32, "pod", "pods")
    )
}

const COLS: u32 = ((TRAY_INNER + PITCH_X - CELL_W) / PITCH_X) as u32;

fn group_height(g: &Group) -> f64 {
    let lines = wrap(g.message, TextStyle::Body, TRAY_INNER, MAX_MESSAGE_LINES).len() as f64;
    let shown = g.pods.len().min(MAX_PENDING_CELLS) as u32;
    let rows = f64::from(shown.div_ceil(COLS));
    let more = if g.pods.len() > MAX_PENDING_CELLS {
        line_height(TextStyle::Muted)
    } else {
        0.0
    };
    line_height(TextStyle::Heading)
        + lines * line_height(TextStyle::Body)
        + 4.0
        + rows * PITCH_Y
        + more
}

fn tray_title(n: usize) -> String {
    format!("Pending pods · {}", thousands(n as u32))
}

const TRAY_SUBTITLE: &str = "bound to no node: the scheduler's message for each";

/// The tray's size, or `None` when no pod is Pending.
pub fn pending_size(ctx: &Context) -> Option<Size> {
    let groups = groups(ctx);
    if groups.is_empty() {
        return None;
    }
    let mut body: f64 = groups
        .iter()
        .take(MAX_PENDING_GROUPS)
        .map(|g| group_height(g) + GROUP_GAP)
        .sum();
    if groups.len() > MAX_PENDING_GROUPS {
        body += line_height(TextStyle::Muted) + GROUP_GAP;
    }
    Some(Size::new(
        (TRAY_INNER + 2.0 * PAD).ceil(),
        (2.0 * PAD + head_height() + body - GROUP_GAP).ceil(),
    ))
}

/// The tray at `rect` (its size from [`pending_size`]).
pub fn pending_shape(ctx: &Context, rect: Rect) -> Shape {
    let groups = groups(ctx);
    let total: usize = groups.iter().map(|g| g.pods.len()).sum();
    let mut shape = Shape::new(PENDING_ID, Kind::Pending, rect);
    shape.state = State::Pending;
    let drawn = &groups[..groups.len().min(MAX_PENDING_GROUPS)];
    let rest = &groups[drawn.len()..];
    let rest_pods: usize = rest.iter().map(|g| g.pods.len()).sum();
    let rest_line = (!rest.is_empty()).then(|| {
        format!(
            "and {} more {} with {} Pending",
            thousands(rest.len() as u32),
            if rest.len() == 1 {
                "workload"
            } else {
                "workloads"
            },
            plural(rest_pods as u32, "pod", "pods")
        )
    });
    shape.name = format!(
        "{}: {}{}",
        plural(total as u32, "pod is Pending", "pods are Pending"),
        drawn
            .iter()
            .map(|g| format!("{} ({})", g.workload, g.message))
            .collect::<Vec<_>>()
            .join("; "),
        rest_line
            .as_ref()
            .map_or(String::new(), |l| format!("; {l}"))
    );
    let mut y = title(&mut shape, &tray_title(total), TRAY_SUBTITLE);
    let x = rect.x + PAD;
    for g in drawn {
        shape.text(
            x,
            y + ascent(TextStyle::Heading),
            fit(group_title(g), TextStyle::Heading),
            TextStyle::Heading,
            Anchor::Start,
        );
        y += line_height(TextStyle::Heading);
        for line in wrap(g.message, TextStyle::Body, TRAY_INNER, MAX_MESSAGE_LINES) {
            shape.text(
                x,
                y + ascent(TextStyle::Body),
                line,
                TextStyle::Body,
                Anchor::Start,
            );
            y += line_height(TextStyle::Body);
        }
        y += 4.0;
        let shown = g.pods.len().min(MAX_PENDING_CELLS);
        for (k, pod) in g.pods.iter().take(shown).enumerate() {
            let k = k as u32;
            let cell = Rect::new(
                x + f64::from(k % COLS) * PITCH_X,
                y + f64::from(k / COLS) * PITCH_Y,
                CELL_W,
                CELL_H,
            );
            shape
                .children
                .push(pod_cell(pod, ctx, cell, State::Pending, ", not scheduled"));
        }
        y += f64::from((shown as u32).div_ceil(COLS)) * PITCH_Y;
        if g.pods.len() > shown {
            shape.text(
                x,
                y + ascent(TextStyle::Muted),
                format!("+{} more", thousands((g.pods.len() - shown) as u32)),
                TextStyle::Muted,
                Anchor::Start,
            );
            y += line_height(TextStyle::Muted);
        }
        y += GROUP_GAP;
    }
    if let Some(line) = rest_line {
        shape.text(
            x,
            y + ascent(TextStyle::Muted),
            line,
            TextStyle::Muted,
            Anchor::Start,
        );
    }
    shape
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::scene::Detail;
    use crate::layout::tests_support::{assert_tree_invariants, cluster_with, deployment};

    #[test]
    fn the_workloads_box_lists_every_workload() {
        let cluster = cluster_with(|s| s.workloads.push(deployment("web", 4)));
        let ctx = Context::new(&cluster, Detail::Cells);
        let s = workloads_shape(&ctx, Rect::at(Default::default(), workloads_size(&ctx)));
        assert_tree_invariants(&s);
        let ids: Vec<String> = s.children.iter().map(|c| c.id.to_string()).collect();
        assert!(ids.iter().any(|i| i == "workload:default/web"));
        assert!(ids.iter().any(|i| i == "workload:kube-system/coredns"));
        assert!(pending_size(&ctx).is_none());
    }

    #[test]
    fn a_pending_workload_with_a_63_character_name_fits_the_tray() {
        let name = format!("app-4{}", "x".repeat(58));
        let cluster = cluster_with(|s| s.workloads.push(deployment(&name, 200)));
        let ctx = Context::new(&cluster, Detail::Cells);
        let s = pending_shape(
            &ctx,
            Rect::at(Default::default(), pending_size(&ctx).unwrap()),
        );
        assert_tree_invariants(&s);
        assert!(s.texts.iter().any(|t| t.text.ends_with('…')));
    }

    #[test]
    fn pending_pods_wait_in_a_tray_with_the_schedulers_message() {
        let cluster = cluster_with(|s| s.workloads.push(deployment("web", 200)));
        let pending = cluster
            .pods
            .iter()
            .filter(|p| p.status == PodStatus::Pending)
            .count();
        assert!(pending > MAX_PENDING_CELLS);
        let ctx = Context::new(&cluster, Detail::Cells);
        let s = pending_shape(
            &ctx,
            Rect::at(Default::default(), pending_size(&ctx).unwrap()),
        );
        assert_tree_invariants(&s);
        assert_eq!(s.children.len(), MAX_PENDING_CELLS);
        assert!(s
            .children
            .iter()
            .all(|c| c.kind == Kind::Pod && c.state == State::Pending));
        let text: String = s
            .texts
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            text.contains("0/3 nodes are available: 3 Too many pods."),
            "{text}"
        );
        assert!(text.contains(&format!("+{} more", pending - MAX_PENDING_CELLS)));
    }

    #[test]
    fn thousands_of_waiting_workloads_draw_a_dozen_groups_and_a_count() {
        let cluster = cluster_with(|s| {
            s.workloads = (0..2_000)
                .map(|i| deployment(&format!("w-{i}"), 1))
                .collect();
        });
        let pending = cluster
            .pods
            .iter()
            .filter(|p| p.status == PodStatus::Pending)
            .count();
        let ctx = Context::new(&cluster, Detail::Cells);
        let all = groups(&ctx);
        assert!(all.len() > MAX_PENDING_GROUPS, "{} groups", all.len());
        let s = pending_shape(
            &ctx,
            Rect::at(Default::default(), pending_size(&ctx).unwrap()),
        );
        assert_tree_invariants(&s);
        assert_eq!(
            s.children.len(),
            MAX_PENDING_GROUPS,
            "one pod a group drawn"
        );
        let shown: usize = all
            .iter()
            .take(MAX_PENDING_GROUPS)
            .map(|g| g.pods.len())
            .sum();
        let last = s.texts.last().unwrap().text.as_str();
        assert_eq!(
            last,
            format!(
                "and {} more workloads with {} Pending",
                thousands((all.len() - MAX_PENDING_GROUPS) as u32),
                plural((pending - shown) as u32, "pod", "pods")
            )
        );
        assert!(s.name.len() < 2_000, "the name does not list every group");
        assert!(s.rect.h < 2_000.0, "the tray stays small: {}", s.rect.h);
    }
}
