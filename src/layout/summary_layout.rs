//! The zoomed-out picture of a large cluster: the detailed scene's map (the Cloud, Region and
//! VPC frames, AZ columns, subnets with their headers, NAT gateways, the control plane and its
//! cross-account ENIs, the lines between them, the workloads key) with each subnet's grid of
//! nodes replaced by a few summaries: one for the subnet (its addresses, used and free), then
//! one per node group in it (nodes Ready / NotReady / cordoned, pods Running /
//! ContainerCreating, ENIs, prefixes or secondary IPs, the group's share of its subnet's
//! addresses, findings).
//!
//! Every summary covers the part of the grid its nodes fill: the subnet's summary takes a
//! strip at the top and the groups share the rest in proportion to their nodes, in the grid's
//! order. So the summaries sit where their nodes are drawn, and the view can swap one scene
//! for the other as it zooms without anything moving. Their text is scaled to fill them
//! ([`Card`]), so it reads when the whole cluster is in view.
//!
//! Linear in the cluster: one pass to count ([`Aggregates`]), one over the detailed scene's
//! shapes down to the nodes (nodes' contents are not visited).

use super::aggregate::{subnet_summary_id, Aggregates, GroupCounts};
use super::card::Card;
use super::geometry::{Point, Rect, Size};
use super::scene::{Badge, Kind, MeterPart, Scene, Shape, State, TextStyle};
use super::subnet_layout::{tag, usage_parts};
use super::text::{font_size, plural, thousands};
use crate::model::aws::subnet::Subnet;
use crate::model::{Cluster, Severity};

/// The stage a fitted scene is assumed to fill when no scale is known, in CSS pixels (a
/// laptop's, beside the side panels).
const REFERENCE: Size = Size::new(1000.0, 700.0);
/// Largest text, in multiples of the styles' sizes on screen at the scale a summary scene is
/// made for.
const MAX_TEXT: f64 = 1.5;
/// Smallest text that reads, in CSS pixels at that scale: a summary drops its secondary
/// lines rather than go below it.
const LEGIBLE_PX: f64 = 9.0;
/// Gap between summaries, in CSS pixels at that scale.
const GAP_PX: f64 = 6.0;
/// The subnet's own summary takes this share of the grid (but at least a group's).
const SUBNET_SHARE: f64 = 0.2;

/// CSS pixels per scene unit when a scene of `size` is fitted to a typical stage (1,000 ×
/// 700 pixels): the scale to make summaries for when the view's is not known.
pub fn reference_scale(size: Size) -> f64 {
    if size.w <= 0.0 || size.h <= 0.0 {
        return 1.0;
    }
    (REFERENCE.w / size.w).min(REFERENCE.h / size.h)
}

/// What placing the summaries needs.
struct Summaries<'a> {
    cluster: &'a Cluster,
    aggregates: &'a Aggregates,
    /// Largest text scale.
    max_scale: f64,
    /// Smallest text scale that reads.
    legible: f64,
    /// Between summaries, in scene units.
    gap: f64,
}

/// The summary scene of `cluster` (counted in `aggregates`), over the map of its detailed
/// scene, with text sized to read at `scale` CSS pixels per scene unit: seen from closer,
/// the summaries have smaller text and more lines. A `scale` that is not a positive number
/// is taken as [`reference_scale`].
pub fn summary_scene(
    cluster: &Cluster,
    aggregates: &Aggregates,
    detailed: &Scene,
    scale: f64,
) -> Scene {
    let k = if scale.is_finite() && scale > 0.0 {
        scale
    } else {
        reference_scale(detailed.size)
    };
    let ctx = Summaries {
        cluster,
        aggregates,
        max_scale: (MAX_TEXT / k).max(1.0),
        legible: LEGIBLE_PX / (font_size(TextStyle::Body) * k),
        gap: GAP_PX / k,
    };
    Scene {
        size: detailed.size,
        shapes: detailed.shapes.iter().map(|s| ctx.rebuild(s)).collect(),
        edges: detailed.edges.clone(),
        // Load balancers and the band sit where they do in the detailed scene; a node's mark
        // goes with the node, which a summary stands in for.
        overlay: detailed
            .overlay
            .iter()
            .filter(|s| s.kind != Kind::NodeState)
            .cloned()
            .collect(),
        detail: detailed.detail,
    }
}

/// A copy of `s` without its children.
fn bare(s: &Shape) -> Shape {
    Shape {
        id: s.id.clone(),
        kind: s.kind,
        state: s.state,
        rect: s.rect,
        name: s.name.clone(),
        texts: s.texts.clone(),
        icon: s.icon,
        meter: s.meter.clone(),
        on_border: s.on_border,
        tone: s.tone,
        badge: s.badge,
        cells: s.cells.clone(),
        attrs: s.attrs.clone(),
        children: Vec::new(),
    }
}

fn badge(worst: Option<Severity>, count: u32, rect: Rect) -> Option<Badge> {
    worst.map(|severity| Badge {
        severity,
        count,
        center: Point::new(rect.right() - 1.0, rect.y + 1.0),
    })
}

impl Summaries<'_> {
    /// `s` with every subnet's nodes replaced by summaries.
    fn rebuild(&self, s: &Shape) -> Shape {
        let mut out = bare(s);
        if s.kind != Kind::Subnet {
            out.children = s.children.iter().map(|c| self.rebuild(c)).collect();
            return out;
        }
        let mut grid: Option<Rect> = None;
        for c in &s.children {
            if c.kind == Kind::Node {
                grid = Some(grid.map_or(c.rect, |g| g.union(&c.rect)));
            } else {
                out.children.push(self.rebuild(c));
            }
        }
        let subnet = self.cluster.subnets.iter().position(|x| x.id == s.id);
        if let (Some(grid), Some(subnet)) = (grid, subnet) {
            self.summaries(&mut out, subnet, grid);
        }
        out
    }

    /// The subnet's summary and its groups', stacked in `grid`.
    fn summaries(&self, shape: &mut Shape, subnet: usize, grid: Rect) {
        let Some(s) = self.cluster.subnets.get(subnet) else {
            return;
        };
        let groups: Vec<&GroupCounts> = self.aggregates.in_subnet(subnet).collect();
        let nodes: u32 = groups.iter().map(|g| g.nodes).sum();
        if groups.is_empty() || nodes == 0 {
            return;
        }
        let largest = groups.iter().map(|g| g.nodes).max().unwrap_or(1);
        let own = (f64::from(nodes) * SUBNET_SHARE).max(f64::from(largest).min(f64::from(nodes)));
        let weights: Vec<f64> = std::iter::once(own)
            .chain(groups.iter().map(|g| f64::from(g.nodes)))
            .collect();
        let total: f64 = weights.iter().sum();
        let gap = self.gap.min(grid.h / (4.0 * weights.len() as f64));
        let room = grid.h - gap * (weights.len() - 1) as f64;
        let mut y = grid.y;
        let mut bands = weights.iter().map(|w| {
            let h = room * w / total;
            let band = Rect::new(grid.x, y, grid.w, h);
            y += h + gap;
            band
        });
        if let Some(band) = bands.next() {
            shape.children.push(self.subnet_summary(s, &groups, band));
        }
        for (g, band) in groups.iter().zip(bands) {
            shape.children.push(self.group_summary(s, g, band));
        }
    }

    fn subnet_summary(&self, s: &Subnet, groups: &[&GroupCounts], rect: Rect) -> Shape {
        let mut shape = Shape::new(subnet_summary_id(&s.name), Kind::SubnetSummary, rect);
        shape.state = if s.public {
            State::Public
        } else {
            State::Private
        };
        let nodes: u32 = groups.iter().map(|g| g.nodes).sum();
        let pods: u32 = groups.iter().map(|g| g.pods()).sum();
        let full = if s.free() == 0 { " · full" } else { "" };
        let usage = format!(
            "{} used · {} free of {} addresses{full}",
            thousands(s.used()),
            thousands(s.free()),
            thousands(s.usable())
        );
        let node_line = format!(
            "{} in {} · {}",
            plural(nodes, "node", "nodes"),
            plural(groups.len() as u32, "node group", "node groups"),
            plural(pods, "pod", "pods")
        );
        let mut lines = vec![
            (format!("{} · {}", s.cidr, s.az), TextStyle::Mono),
            (node_line.clone(), TextStyle::Body),
            (usage.clone(), TextStyle::Body),
        ];
        // Under custom networking, the pods' addresses come from other subnets.
        let mut elsewhere: Vec<&str> = Vec::new();
        for g in groups {
            if let Some(a) = g.main_addresses().filter(|a| a.subnet != g.subnet) {
                let name = self
                    .cluster
                    .subnets
                    .get(a.subnet)
                    .map_or("?", |x| x.name.as_str());
                if !elsewhere.contains(&name) {
                    elsewhere.push(name);
                }
            }
        }
        if !elsewhere.is_empty() {
            lines.push((
                format!("pod addresses from {}", elsewhere.join(", ")),
                TextStyle::Muted,
            ));
        }
        let findings = self.cluster.findings.iter().filter(|f| f.subject == s.id);
        let (count, worst) =
            findings.fold((0u32, None), |(n, w), f| (n + 1, w.max(Some(f.severity))));
        let mut lean = vec![
            (node_line.clone(), TextStyle::Body),
            (usage.clone(), TextStyle::Body),
        ];
        if count > 0 {
            let line = (plural(count, "finding", "findings"), TextStyle::Alert);
            lines.push(line.clone());
            lean.push(line);
        }
        shape.badge = badge(worst, count, rect);
        shape.name = format!(
            "Summary of {} subnet {}, {} in {}: {node_line}; {usage}",
            if s.public { "public" } else { "private" },
            s.name,
            s.cidr,
            s.az
        );
        let title = format!("{} · {}", s.name, tag(s));
        let meter = Some((usage_parts(s), s.usable()));
        let least = vec![(usage, TextStyle::Body)];
        self.place(&mut shape, title, [lines, lean, least], meter);
        shape
    }

    /// Places the richest of `variants` (lines of a card under `title`) that reads.
    fn place<const N: usize>(
        &self,
        shape: &mut Shape,
        title: String,
        variants: [Vec<(String, TextStyle)>; N],
        meter: Option<(Vec<(MeterPart, u32)>, u32)>,
    ) {
        let cards: Vec<Card> = variants
            .into_iter()
            .map(|lines| Card {
                title: title.clone(),
                lines,
                meter: meter.clone(),
                icon: true,
            })
            .collect();
        if let Some(card) = Card::pick(&cards, shape.rect.size(), self.max_scale, self.legible) {
            card.place(shape, self.max_scale);
        }
    }

    fn group_summary(&self, s: &Subnet, g: &GroupCounts, rect: Rect) -> Shape {
        let mut shape = Shape::new(g.id.clone(), Kind::Summary, rect);
        if g.not_ready > 0 || g.creating > 0 {
            shape.state = State::Alert;
        }
        let types = match g.instance_types.as_slice() {
            [] => String::new(),
            [one] => format!(" · {one}"),
            [one, rest @ ..] => format!(" · {one} +{}", rest.len()),
        };
        let mut states = vec![format!("{} Ready", thousands(g.ready))];
        if g.not_ready > 0 {
            states.push(format!("{} NotReady", thousands(g.not_ready)));
        }
        if g.cordoned > 0 {
            states.push(format!("{} cordoned", thousands(g.cordoned)));
        }
        let node_line = format!(
            "{}: {}",
            plural(g.nodes, "node", "nodes"),
            states.join(" · ")
        );
        let mut pod_states = vec![format!("{} Running", thousands(g.running))];
        if g.creating > 0 {
            pod_states.push(format!("{} ContainerCreating", thousands(g.creating)));
        }
        let pod_line = format!(
            "{}: {}",
            plural(g.pods(), "pod", "pods"),
            pod_states.join(" · ")
        );
        let mut held = vec![plural(g.enis, "ENI", "ENIs")];
        if g.prefixes > 0 {
            held.push(plural(g.prefixes, "/28 prefix", "/28 prefixes"));
        }
        if g.secondary_ips > 0 || g.prefixes == 0 {
            held.push(plural(g.secondary_ips, "secondary IP", "secondary IPs"));
        }
        if g.branch_enis > 0 {
            held.push(plural(g.branch_enis, "branch ENI", "branch ENIs"));
        }
        let eni_line = held.join(" · ");
        let alert = |bad: bool| {
            if bad {
                TextStyle::Alert
            } else {
                TextStyle::Body
            }
        };
        let mut lines = vec![
            (node_line.clone(), alert(g.not_ready > 0)),
            (pod_line.clone(), alert(g.creating > 0)),
            (eni_line.clone(), TextStyle::Body),
        ];
        let mut lean = lines.clone();
        lines.push((
            format!("room for {} (max pods)", plural(g.max_pods, "pod", "pods")),
            TextStyle::Muted,
        ));
        let main = g.main_addresses().copied();
        let gauge = main.and_then(|a| {
            let subnet = self.cluster.subnets.get(a.subnet)?;
            lines.push((
                format!(
                    "{}: {} of {} addresses · {} free",
                    subnet.name,
                    thousands(a.total()),
                    thousands(subnet.usable()),
                    thousands(subnet.free())
                ),
                TextStyle::Muted,
            ));
            Some((
                vec![
                    (MeterPart::Primary, a.primaries),
                    (MeterPart::Branch, a.branches),
                    (MeterPart::Used, a.pods),
                    (MeterPart::Warm, a.warm),
                    (MeterPart::Other, subnet.used().saturating_sub(a.total())),
                ],
                subnet.usable(),
            ))
        });
        // One line: the counts, and what is wrong.
        let mut least = vec![
            plural(g.nodes, "node", "nodes"),
            plural(g.pods(), "pod", "pods"),
        ];
        if g.not_ready > 0 {
            least.push(format!("{} NotReady", thousands(g.not_ready)));
        }
        if g.creating > 0 {
            least.push(format!("{} ContainerCreating", thousands(g.creating)));
        }
        if g.findings > 0 {
            let line = plural(g.findings, "finding", "findings");
            least.push(line.clone());
            lines.push((line.clone(), TextStyle::Alert));
            lean.push((line, TextStyle::Alert));
        }
        let least = vec![(least.join(" · "), alert(g.not_ready > 0 || g.creating > 0))];
        shape.badge = badge(g.worst, g.findings, rect);
        shape.name = format!(
            "Node group {} in {}: {node_line}; {pod_line}; {eni_line}{}",
            g.group,
            s.name,
            if g.findings > 0 {
                format!("; {}", plural(g.findings, "finding", "findings"))
            } else {
                String::new()
            }
        );
        self.place(
            &mut shape,
            format!("{}{types}", g.group),
            [lines, lean, least],
            gauge,
        );
        shape
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::layout::tests_support::{assert_scene_invariants, cluster_with, deployment};
    use crate::layout::{layout_with, Detail, Options};
    use crate::model::PodStatus;

    fn both(cluster: &Cluster) -> (Scene, Scene) {
        let detailed = layout_with(
            cluster,
            Options {
                detail: Some(Detail::Bars),
            },
        );
        let k = reference_scale(detailed.size);
        let summary = summary_scene(cluster, &Aggregates::new(cluster), &detailed, k);
        (detailed, summary)
    }

    fn two_groups() -> Cluster {
        cluster_with(|s| {
            s.managed_node_groups[0].desired_capacity = 9;
            let mut second = s.managed_node_groups[0].clone();
            second.name = "ng-2".into();
            second.instance_type = "c5.large".into();
            second.desired_capacity = 5;
            s.managed_node_groups.push(second);
            s.workloads.push(deployment("web", 120));
            s.node_states
                .insert("ng-1-4".into(), crate::scenario::NodeState::Cordoned);
        })
    }

    #[test]
    fn summaries_replace_the_nodes_and_keep_the_map() {
        let cluster = two_groups();
        let (detailed, summary) = both(&cluster);
        assert_scene_invariants(&summary);
        assert_eq!(summary.size, detailed.size);
        assert_eq!(summary.edges, detailed.edges);
        assert!(summary.walk().all(|s| s.kind != Kind::Node));
        // Everything but the nodes is where it was, with the same id.
        for s in detailed.walk().filter(|s| {
            !matches!(
                s.kind,
                Kind::Node
                    | Kind::Eni
                    | Kind::HostNetwork
                    | Kind::Ip
                    | Kind::Prefix
                    | Kind::Slot
                    | Kind::Pod
                    | Kind::Branch
                    | Kind::NodeState
            )
        }) {
            let there = summary.find(&s.id).unwrap_or_else(|| panic!("{}", s.id));
            assert_eq!(there.rect, s.rect, "{}", s.id);
        }
        // One subnet summary per subnet with nodes, one summary per group in it.
        let kinds = |k: Kind| summary.walk().filter(|s| s.kind == k).count();
        assert_eq!(kinds(Kind::SubnetSummary), 3);
        assert_eq!(kinds(Kind::Summary), 6);
        let sub = summary.find("summary:private-a").unwrap();
        assert_eq!(sub.state, State::Private);
        let subnet = summary.find("subnet:private-a").unwrap();
        assert!(subnet
            .children
            .iter()
            .any(|c| c.id == "summary:private-a/ng-2"));
    }

    #[test]
    fn summaries_sit_over_their_nodes() {
        let cluster = two_groups();
        let (detailed, summary) = both(&cluster);
        let subnet = detailed.find("subnet:private-a").unwrap();
        let grid = subnet
            .children
            .iter()
            .filter(|c| c.kind == Kind::Node)
            .map(|c| c.rect)
            .reduce(|a, b| a.union(&b))
            .unwrap();
        let cards: Vec<&Shape> = summary
            .find("subnet:private-a")
            .unwrap()
            .children
            .iter()
            .filter(|c| matches!(c.kind, Kind::Summary | Kind::SubnetSummary))
            .collect();
        assert_eq!(cards[0].kind, Kind::SubnetSummary);
        assert!(cards.iter().all(|c| grid.contains(&c.rect)));
        assert!(cards.windows(2).all(|w| w[0].rect.bottom() <= w[1].rect.y));
        // The groups share the grid in proportion to their nodes (3 of ng-1, 2 of ng-2 here).
        let h = |id: &str| summary.find(id).unwrap().rect.h;
        let ratio = h("summary:private-a/ng-1") / h("summary:private-a/ng-2");
        assert!((ratio - 1.5).abs() < 1e-6, "{ratio}");
    }

    #[test]
    fn counts_add_up_to_the_cluster() {
        let cluster = two_groups();
        let (_, summary) = both(&cluster);
        // The number before `what` in a summary's accessible name (0 when absent).
        let number = |name: &str, what: &str| -> u32 {
            let Some(at) = name.find(&format!(" {what}")) else {
                return 0;
            };
            let digits: String = name[..at]
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_digit() || *c == ',')
                .filter(char::is_ascii_digit)
                .collect();
            digits.chars().rev().collect::<String>().parse().unwrap()
        };
        let groups: Vec<&Shape> = summary.walk().filter(|s| s.kind == Kind::Summary).collect();
        let sum = |what: &str| groups.iter().map(|g| number(&g.name, what)).sum::<u32>();
        let status = |st: PodStatus| cluster.pods.iter().filter(|p| p.status == st).count() as u32;
        assert_eq!(sum("Running"), status(PodStatus::Running));
        assert_eq!(
            sum("ContainerCreating"),
            status(PodStatus::ContainerCreating)
        );
        assert_eq!(sum("Ready") + sum("cordoned"), cluster.nodes.len() as u32);
        assert_eq!(sum("cordoned"), 1);
    }

    #[test]
    fn ids_are_stable_and_unique() {
        let (_, a) = both(&two_groups());
        let (_, b) = both(&cluster_with(|s| {
            s.managed_node_groups[0].desired_capacity = 30;
            let mut second = s.managed_node_groups[0].clone();
            second.name = "ng-2".into();
            second.desired_capacity = 3;
            s.managed_node_groups.push(second);
        }));
        let ids = |s: &Scene| -> HashSet<String> {
            s.walk()
                .filter(|x| matches!(x.kind, Kind::Summary | Kind::SubnetSummary))
                .map(|x| x.id.to_string())
                .collect()
        };
        assert_eq!(ids(&a), ids(&b));
        assert!(ids(&a).contains("summary:private-c/ng-2"));
    }

    #[test]
    fn text_grows_with_the_cluster() {
        let small = cluster_with(|_| {});
        let big = cluster_with(|s| {
            s.managed_node_groups[0].desired_capacity = 600;
            s.workloads.push(deployment("web", 3000));
        });
        let scale = |c: &Cluster| {
            let (_, summary) = both(c);
            assert_scene_invariants(&summary);
            summary.find("summary:private-a/ng-1").unwrap().texts[0].scale
        };
        let (a, b) = (scale(&small), scale(&big));
        assert!(b > 4.0 * a, "{a} {b}");
    }

    #[test]
    fn closer_views_get_smaller_text_and_more_lines() {
        // Ten groups in every subnet: thin bands, as at 5,000 nodes.
        let cluster = cluster_with(|s| {
            s.managed_node_groups[0].desired_capacity = 150;
            for k in 2..=10 {
                let mut more = s.managed_node_groups[0].clone();
                more.name = format!("ng-{k}");
                s.managed_node_groups.push(more);
            }
        });
        let detailed = layout_with(
            &cluster,
            Options {
                detail: Some(Detail::Bars),
            },
        );
        let aggregates = Aggregates::new(&cluster);
        let fitted = reference_scale(detailed.size);
        let card = |scale: f64| {
            let scene = summary_scene(&cluster, &aggregates, &detailed, scale);
            assert_scene_invariants(&scene);
            let s = scene.find("summary:private-a/ng-2").unwrap().clone();
            (s.texts.len(), s.texts[0].scale)
        };
        let (far_lines, far_scale) = card(fitted);
        let (near_lines, near_scale) = card(fitted * 8.0);
        assert!(near_scale < far_scale, "{near_scale} {far_scale}");
        assert!(near_lines > far_lines, "{near_lines} {far_lines}");
        // Text never shrinks below the styles' own sizes, and a bad scale is the reference.
        assert!(card(100.0).1 >= 1.0);
        assert_eq!(card(f64::NAN), card(fitted));
    }

    #[test]
    fn a_cluster_without_nodes_has_no_summaries() {
        let cluster = cluster_with(|s| s.managed_node_groups.clear());
        let (_, summary) = both(&cluster);
        assert_scene_invariants(&summary);
        assert!(summary
            .walk()
            .all(|s| !matches!(s.kind, Kind::Summary | Kind::SubnetSummary)));
    }
}
