//! The whole picture, after the AWS Architecture Icons' group conventions: the internet on
//! the left, then the AWS Cloud frame holding the Region, the VPC with its internet gateway on
//! its left border, and one dashed column per Availability Zone with public subnets above
//! private ones. Rows of subnets line up across the columns and every column has one width,
//! so the same kind of subnet sits at the same height in every AZ. The EKS control plane sits
//! in the Region right of the VPC; a line runs from each cross-account ENI through the gap
//! right of its AZ column up to a lane under the VPC's title, then out to the control plane.
//! Below the Cloud frame: the workloads (the key of pod colours) and the Pending pods.

use super::context::Context;
use super::control_plane_layout;
use super::geometry::{Point, Rect, Size};
use super::k8s_layout;
use super::node_layout::node_size;
use super::scene::{Anchor, Detail, Edge, EdgeKind, Kind, Scene, Shape, Stroke, TextStyle};
use super::subnet_layout::{self, SubnetContent};
use super::text::{ascent, line_height, plural, thousands, width};
use crate::model::aws::subnet::size as cidr_size;
use crate::model::aws::vpc::region_of;
use crate::model::{Cluster, Id};

/// Space around the whole picture.
const MARGIN: f64 = 16.0;
/// The internet: a globe over its label.
const INTERNET: Size = Size::new(80.0, 76.0);
const INTERNET_ICON: f64 = 40.0;
/// Between the internet and the AWS Cloud frame; the link runs there.
const LINK_GAP: f64 = 64.0;
/// Padding of the Cloud, Region and VPC frames, and the height of their title line.
const FRAME_PAD: f64 = 14.0;
const FRAME_HEAD: f64 = 36.0;
const FRAME_ICON: f64 = 22.0;
/// The internet gateway: an icon over a two-line label, centred on the VPC's left border.
const IGW: Size = Size::new(60.0, 72.0);
const IGW_ICON: f64 = 34.0;
/// Left padding of the Region and of the VPC: room for half of the internet gateway.
const BORDER_ROOM: f64 = IGW.w / 2.0 + 14.0;
/// The VPC's title: CIDRs, then a summary line.
const VPC_HEAD: f64 = 56.0;
/// Below the title, the lane of the lines to the control plane.
const LANE: f64 = 18.0;
/// Between the VPC and the control plane.
const CP_GAP: f64 = 40.0;
/// Between the Cloud frame and the Kubernetes boxes below it, and between those boxes.
const STRIP_GAP: f64 = 20.0;
/// Availability Zone columns.
const AZ_HEAD: f64 = 32.0;
const AZ_PAD: f64 = 10.0;
const COL_GAP: f64 = 18.0;
const ROW_GAP: f64 = 12.0;
/// Target width : height of the node grids, for a picture that suits a landscape screen.
const ASPECT: f64 = 1.6;

/// Subnets of the cluster by AZ column and row: public rows first, then private rows.
struct Grid {
    /// `cells[az][row]` = index into `Cluster::subnets`.
    cells: Vec<Vec<Option<usize>>>,
    rows: usize,
}

impl Grid {
    fn new(cluster: &Cluster) -> Grid {
        let split = |az: &str, public: bool| -> Vec<usize> {
            cluster
                .subnets_in(az)
                .filter(|(_, s)| s.public == public)
                .map(|(i, _)| i)
                .collect()
        };
        let columns: Vec<(Vec<usize>, Vec<usize>)> = cluster
            .azs
            .iter()
            .map(|az| (split(az, true), split(az, false)))
            .collect();
        let publics = columns.iter().map(|c| c.0.len()).max().unwrap_or(0);
        let privates = columns.iter().map(|c| c.1.len()).max().unwrap_or(0);
        let cells = columns
            .into_iter()
            .map(|(public, private)| {
                let mut col: Vec<Option<usize>> = public.into_iter().map(Some).collect();
                col.resize(publics, None);
                col.extend(private.into_iter().map(Some));
                col.resize(publics + privates, None);
                col
            })
            .collect();
        Grid {
            cells,
            rows: publics + privates,
        }
    }
}

fn frame_title(shape: &mut Shape, title: &str) {
    let r = shape.rect;
    shape.icon = Some(Rect::new(r.x + 10.0, r.y + 8.0, FRAME_ICON, FRAME_ICON));
    let baseline = r.y + 8.0 + FRAME_ICON / 2.0 + ascent(TextStyle::Title) / 2.0 - 1.0;
    shape.text(
        r.x + 10.0 + FRAME_ICON + 8.0,
        baseline,
        title.to_string(),
        TextStyle::Title,
        Anchor::Start,
    );
}

fn frame_title_width(title: &str) -> f64 {
    10.0 + FRAME_ICON + 8.0 + width(title, TextStyle::Title) + FRAME_PAD
}

fn vpc_summary(cluster: &Cluster) -> String {
    let addresses: u64 = cluster
        .vpc
        .cidrs
        .iter()
        .map(|c| u64::from(cidr_size(*c)))
        .sum();
    format!(
        "cluster {} · {} · {} · {} · {} addresses",
        cluster.name,
        plural(
            cluster.azs.len() as u32,
            "Availability Zone",
            "Availability Zones"
        ),
        plural(cluster.subnets.len() as u32, "subnet", "subnets"),
        plural(cluster.nodes.len() as u32, "node", "nodes"),
        thousands(addresses)
    )
}

/// Lays the cluster out with the given detail.
pub fn scene(cluster: &Cluster, detail: Detail) -> Scene {
    let ctx = Context::new(cluster, detail);
    // Measure: nodes, then subnets, then the grid of AZ columns and subnet rows.
    let mut by_subnet: Vec<SubnetContent> = cluster
        .subnets
        .iter()
        .enumerate()
        .map(|(i, subnet)| SubnetContent {
            subnet,
            nat: cluster.nat_gateways.iter().find(|n| n.subnet == i),
            eks_eni: cluster.control_plane.enis.iter().find(|e| e.subnet == i),
            nodes: Vec::new(),
        })
        .collect();
    let mut cell = Size::default();
    for (i, node) in cluster.nodes.iter().enumerate() {
        let size = node_size(node, i, &ctx);
        cell = Size::new(cell.w.max(size.w), cell.h.max(size.h));
        if let Some(content) = by_subnet.get_mut(node.subnet) {
            content.nodes.push((node, i, size));
        }
    }
    let most = by_subnet
        .iter()
        .map(|c| c.nodes.len())
        .max()
        .unwrap_or(0)
        .max(1);
    let azs = cluster.azs.len().max(1) as f64;
    let ideal = (ASPECT * most as f64 * (cell.h + subnet_layout::GAP)
        / (azs * (cell.w + subnet_layout::GAP)))
        .sqrt();
    let cols = (ideal.round() as usize).clamp(1, most);

    let az_title = |az: &str| format!("Availability Zone {az}");
    let col_w = by_subnet
        .iter()
        .map(SubnetContent::min_width)
        .chain(
            cluster
                .azs
                .iter()
                .map(|az| width(&az_title(az), TextStyle::Heading) + 12.0 - 2.0 * AZ_PAD),
        )
        .fold(
            2.0 * subnet_layout::PAD + cols as f64 * (cell.w + subnet_layout::GAP)
                - subnet_layout::GAP,
            f64::max,
        )
        .ceil();
    // Widen the node cells to fill the column.
    let cell_w =
        (col_w - 2.0 * subnet_layout::PAD - (cols as f64 - 1.0) * subnet_layout::GAP) / cols as f64;

    let grid = Grid::new(cluster);
    let row_h: Vec<f64> = (0..grid.rows)
        .map(|r| {
            grid.cells
                .iter()
                .filter_map(|col| col[r])
                .map(|i| by_subnet[i].height(cols))
                .fold(0.0, f64::max)
        })
        .collect();
    let mut row_y = Vec::with_capacity(grid.rows);
    let mut y = AZ_HEAD;
    for h in &row_h {
        row_y.push(y);
        y += h + ROW_GAP;
    }
    let az_size = Size::new(col_w + 2.0 * AZ_PAD, y - ROW_GAP + AZ_PAD);
    let azs_w = cluster.azs.len() as f64 * (az_size.w + COL_GAP) - COL_GAP;

    let region = cluster.azs.first().and_then(|az| region_of(az));
    let region_title = region.map_or_else(|| "Region".to_string(), |r| format!("Region {r}"));
    let cidrs = cluster.vpc.cidr_list();
    let summary = vpc_summary(cluster);
    let vpc_inner_w = azs_w
        .max(frame_title_width("VPC") + 8.0 + width(&cidrs, TextStyle::Mono) - BORDER_ROOM)
        .max(10.0 + width(&summary, TextStyle::Muted) - BORDER_ROOM);
    let lane = if cluster.control_plane.enis.is_empty() {
        0.0
    } else {
        LANE
    };
    let vpc_head = VPC_HEAD + lane;
    let vpc_size = Size::new(
        (BORDER_ROOM + vpc_inner_w + FRAME_PAD).ceil(),
        vpc_head + az_size.h + FRAME_PAD,
    );
    let cp_size = control_plane_layout::size(&ctx);
    let region_size = Size::new(
        (BORDER_ROOM + vpc_size.w + CP_GAP + cp_size.w + FRAME_PAD)
            .max(frame_title_width(&region_title)),
        FRAME_HEAD + vpc_size.h.max(cp_size.h) + FRAME_PAD,
    );
    let cloud_size = Size::new(
        (2.0 * FRAME_PAD + region_size.w).max(frame_title_width("AWS Cloud")),
        FRAME_HEAD + region_size.h + FRAME_PAD,
    );

    // Place: outside in.
    let cloud_rect = Rect::at(
        Point::new(MARGIN + INTERNET.w + LINK_GAP, MARGIN),
        cloud_size,
    );
    let region_rect = Rect::at(
        Point::new(cloud_rect.x + FRAME_PAD, cloud_rect.y + FRAME_HEAD),
        region_size,
    );
    let vpc_rect = Rect::at(
        Point::new(region_rect.x + BORDER_ROOM, region_rect.y + FRAME_HEAD),
        vpc_size,
    );
    let az_origin = Point::new(vpc_rect.x + BORDER_ROOM, vpc_rect.y + vpc_head);
    let cp_rect = Rect::at(Point::new(vpc_rect.right() + CP_GAP, vpc_rect.y), cp_size);
    let lane_y = vpc_rect.y + VPC_HEAD + 4.0;

    let mut vpc = Shape::new(Id::Vpc, Kind::Vpc, vpc_rect);
    vpc.badge = ctx.badge(&Id::Vpc, vpc_rect);
    vpc.name = format!("VPC {cidrs}, {summary}");
    frame_title(&mut vpc, "VPC");
    let title_end = vpc_rect.x + frame_title_width("VPC") - FRAME_PAD + 8.0;
    let baseline = vpc.texts[0].at.y;
    vpc.text(
        title_end,
        baseline,
        cidrs.clone(),
        TextStyle::Mono,
        Anchor::Start,
    );
    let baseline = vpc_rect.y + FRAME_HEAD + ascent(TextStyle::Muted) - 4.0;
    vpc.text(
        vpc_rect.x + 10.0,
        baseline,
        summary,
        TextStyle::Muted,
        Anchor::Start,
    );

    // The gateway and the internet sit level with the first row of subnets (the public ones).
    let gateway_y = az_origin.y
        + row_y.first().copied().unwrap_or(AZ_HEAD)
        + row_h.first().copied().unwrap_or(0.0) / 2.0;
    let igw_rect = Rect::new(
        vpc_rect.x - IGW.w / 2.0,
        gateway_y - IGW.h / 2.0,
        IGW.w,
        IGW.h,
    );
    let icon_y = igw_rect.y + 2.0;
    let link_y = icon_y + IGW_ICON / 2.0;
    if cluster.internet_gateway {
        let mut igw = Shape::new(Id::Igw, Kind::Igw, igw_rect);
        igw.on_border = true;
        igw.badge = ctx.badge(&Id::Igw, igw_rect);
        igw.name =
            "Internet gateway, attached to the VPC: the route of public subnets to the internet"
                .into();
        igw.icon = Some(Rect::new(
            vpc_rect.x - IGW_ICON / 2.0,
            icon_y,
            IGW_ICON,
            IGW_ICON,
        ));
        let line = line_height(TextStyle::Muted);
        let first = icon_y + IGW_ICON + 2.0 + ascent(TextStyle::Muted);
        igw.text(
            vpc_rect.x,
            first,
            "Internet",
            TextStyle::Muted,
            Anchor::Middle,
        );
        igw.text(
            vpc_rect.x,
            first + line,
            "gateway",
            TextStyle::Muted,
            Anchor::Middle,
        );
        vpc.children.push(igw);
    }

    let mut eks_edges = Vec::new();
    for (a, az) in cluster.azs.iter().enumerate() {
        let az_rect = Rect::at(
            Point::new(az_origin.x + a as f64 * (az_size.w + COL_GAP), az_origin.y),
            az_size,
        );
        // The gap right of this column: between columns, or inside the VPC's right padding.
        let gap_x = if a + 1 < cluster.azs.len() {
            az_rect.right() + COL_GAP / 2.0
        } else {
            az_rect.right() + (vpc_rect.right() - az_rect.right()).min(FRAME_PAD) / 2.0
        };
        let mut column = Shape::new(Id::Az(az.clone()), Kind::Az, az_rect);
        let subnets = grid.cells[a].iter().flatten().count();
        let nodes = cluster.nodes.iter().filter(|n| &n.az == az).count();
        column.name = format!(
            "Availability Zone {az}, {}, {}",
            plural(subnets as u32, "subnet", "subnets"),
            plural(nodes as u32, "node", "nodes")
        );
        let baseline = az_rect.y + AZ_HEAD / 2.0 + ascent(TextStyle::Heading) / 2.0 - 1.0;
        column.text(
            az_rect.x + AZ_PAD,
            baseline,
            az_title(az),
            TextStyle::Heading,
            Anchor::Start,
        );
        for (r, cell) in grid.cells[a].iter().enumerate() {
            let Some(i) = *cell else { continue };
            let rect = Rect::new(az_rect.x + AZ_PAD, az_rect.y + row_y[r], col_w, row_h[r]);
            let subnet = by_subnet[i].shape(&ctx, rect, cols, cell_w);
            if let Some(eni) = subnet.children.iter().find(|c| c.kind == Kind::EksEni) {
                let y = eni.rect.center().y;
                eks_edges.push(Edge {
                    id: Id::Link(format!("{}-control-plane", eni.id)),
                    kind: EdgeKind::Eks,
                    from: eni.id.clone(),
                    to: control_plane_layout::CONTROL_PLANE_ID,
                    points: vec![
                        Point::new(eni.rect.right(), y),
                        Point::new(gap_x, y),
                        Point::new(gap_x, lane_y),
                        Point::new(cp_rect.x, lane_y),
                    ],
                    via: Vec::new(),
                    label: None,
                    stroke: Stroke::Solid,
                });
            }
            column.children.push(subnet);
        }
        vpc.children.push(column);
    }

    let mut region_shape = Shape::new(
        Id::Region(region.map(str::to_string)),
        Kind::Region,
        region_rect,
    );
    region_shape.name = region_title.clone();
    frame_title(&mut region_shape, &region_title);
    region_shape.children.push(vpc);
    region_shape
        .children
        .push(control_plane_layout::shape(&ctx, cp_rect));

    let mut cloud = Shape::new(Id::Cloud, Kind::Cloud, cloud_rect);
    cloud.name = "AWS Cloud".into();
    frame_title(&mut cloud, "AWS Cloud");
    cloud.children.push(region_shape);

    let internet_rect = Rect::new(
        MARGIN,
        (link_y - INTERNET_ICON / 2.0 - 6.0).max(MARGIN),
        INTERNET.w,
        INTERNET.h,
    );
    let mut internet = Shape::new(Id::Internet, Kind::Internet, internet_rect);
    internet.name = if cluster.internet_gateway {
        "The internet, reached through the internet gateway".into()
    } else {
        "The internet: not reachable, the VPC has no internet gateway".into()
    };
    let icon = Rect::new(
        internet_rect.center().x - INTERNET_ICON / 2.0,
        internet_rect.y + 6.0,
        INTERNET_ICON,
        INTERNET_ICON,
    );
    internet.icon = Some(icon);
    internet.text(
        internet_rect.center().x,
        icon.bottom() + 4.0 + ascent(TextStyle::Heading),
        "Internet",
        TextStyle::Heading,
        Anchor::Middle,
    );

    // Below the Cloud: the workloads, then the Pending pods.
    let strip_y = cloud_rect.bottom() + STRIP_GAP;
    let workloads_rect = Rect::at(
        Point::new(cloud_rect.x, strip_y),
        k8s_layout::workloads_size(&ctx),
    );
    let mut shapes = vec![internet, cloud];
    let mut right = cloud_rect.right();
    let mut bottom = cloud_rect.bottom().max(internet_rect.bottom());
    if !ctx.workloads.is_empty() {
        shapes.push(k8s_layout::workloads_shape(&ctx, workloads_rect));
        right = right.max(workloads_rect.right());
        bottom = bottom.max(workloads_rect.bottom());
    }
    if let Some(size) = k8s_layout::pending_size(&ctx) {
        let x = if ctx.workloads.is_empty() {
            cloud_rect.x
        } else {
            workloads_rect.right() + STRIP_GAP
        };
        let rect = Rect::at(Point::new(x, strip_y), size);
        shapes.push(k8s_layout::pending_shape(&ctx, rect));
        right = right.max(rect.right());
        bottom = bottom.max(rect.bottom());
    }

    let mut edges = Vec::new();
    if cluster.internet_gateway {
        let y = icon.center().y;
        edges.push(Edge {
            id: Id::Link("internet-igw".into()),
            kind: EdgeKind::Link,
            from: Id::Internet,
            to: Id::Igw,
            points: vec![
                Point::new(icon.right() + 4.0, y),
                Point::new(vpc_rect.x - IGW_ICON / 2.0, y),
            ],
            via: Vec::new(),
            label: None,
            stroke: Stroke::Solid,
        });
    }

    edges.extend(eks_edges);

    let size = Size::new((right + MARGIN).ceil(), (bottom + MARGIN).ceil());
    Scene {
        size,
        shapes,
        edges,
        overlay: Vec::new(),
        detail,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::layout::scene::State;
    use crate::layout::tests_support::{assert_scene_invariants, cluster_with};

    fn kinds(scene: &Scene) -> HashMap<Kind, usize> {
        let mut counts = HashMap::new();
        for s in scene.walk() {
            *counts.entry(s.kind).or_insert(0) += 1;
        }
        counts
    }

    #[test]
    fn the_default_scenario_draws_what_the_model_holds() {
        let cluster = cluster_with(|_| {});
        let scene = scene(&cluster, Detail::Cells);
        assert_scene_invariants(&scene);
        let k = kinds(&scene);
        assert_eq!(k[&Kind::Cloud], 1);
        assert_eq!(k[&Kind::Region], 1);
        assert_eq!(k[&Kind::Vpc], 1);
        assert_eq!(k[&Kind::Az], 3);
        assert_eq!(k[&Kind::Subnet], 6);
        assert_eq!(k[&Kind::Igw], 1);
        assert_eq!(k[&Kind::NatGw], 3);
        assert_eq!(k[&Kind::Node], 3);
        assert_eq!(k[&Kind::Eni], cluster.enis().count());
        let held: usize = cluster.enis().map(|(_, e)| e.slots.len()).sum();
        assert_eq!(k[&Kind::Ip], held);
        assert_eq!(k.get(&Kind::Slot), None);
        // CoreDNS: two pods with VPC addresses; aws-node and kube-proxy are hostNetwork, listed
        // on each node's pill rather than drawn one by one.
        assert_eq!(k[&Kind::Pod], 2);
        assert_eq!(k[&Kind::HostNetwork], 3);
        assert_eq!(k[&Kind::ControlPlane], 1);
        assert_eq!(k[&Kind::CpComponent], 5);
        assert_eq!(k[&Kind::EksEni], 3);
        assert_eq!(k.get(&Kind::Pending), None);
        assert_eq!(k[&Kind::Workload], 3);
        // The internet's link, and one line per cross-account ENI.
        assert_eq!(scene.edges.len(), 1 + 3);
        assert!(scene.find("region:us-east-1").is_some());
        // The control plane sits in the Region, outside the VPC.
        let region = scene.find("region:us-east-1").unwrap();
        let cp = scene.find("control-plane").unwrap();
        let vpc = scene.find("vpc").unwrap();
        assert!(region.rect.contains(&cp.rect) && !cp.rect.overlaps(&vpc.rect));
        assert!(cp.badge.is_some());
    }

    /// Every pod bound to a node with a VPC address or waiting for one, every branch ENI,
    /// prefix and cross-account ENI has exactly one shape with the model's id.
    fn assert_one_shape_per_model_object(cluster: &Cluster, scene: &Scene) {
        let mut ids: HashMap<&Id, usize> = HashMap::new();
        for s in scene.walk() {
            *ids.entry(&s.id).or_default() += 1;
        }
        let pending = cluster
            .pods
            .iter()
            .filter(|p| p.status == crate::model::PodStatus::Pending)
            .count();
        for pod in cluster.pods.iter().filter(|p| !p.host_network) {
            if pod.status == crate::model::PodStatus::Pending && pending > 48 {
                continue; // the tray draws the first 48 of a group
            }
            assert_eq!(ids.get(&pod.as_id()), Some(&1), "{}", pod.id);
        }
        for node in &cluster.nodes {
            for b in &node.branches {
                assert_eq!(ids.get(&b.id), Some(&1), "{}", b.id);
            }
            for e in &node.enis {
                for p in &e.prefixes {
                    assert_eq!(ids.get(&p.id), Some(&1), "{}", p.id);
                }
            }
        }
        for e in &cluster.control_plane.enis {
            assert_eq!(ids.get(&e.id), Some(&1), "{}", e.id);
        }
    }

    #[test]
    fn pods_prefixes_and_branch_enis_have_one_shape_each() {
        use crate::layout::tests_support::deployment;
        let mut sg = deployment("api", 5);
        sg.security_groups = vec!["sg-0123456789abcdef0".into()];
        let scenarios: Vec<Cluster> = vec![
            cluster_with(|s| s.workloads.push(deployment("web", 40))),
            cluster_with(|s| {
                s.cluster.vpc_cni.prefix_delegation = true;
                s.workloads.push(deployment("web", 60));
            }),
            cluster_with(|s| {
                s.cluster.vpc_cni.pod_eni = true;
                s.workloads.push(sg.clone());
                s.workloads.push(deployment("web", 10));
            }),
            cluster_with(|s| s.workloads.push(deployment("web", 100))),
            cluster_with(|s| {
                s.cluster.ip_family = crate::scenario::IpFamily::IPv6;
                s.cluster.vpc_cni.prefix_delegation = true;
                s.workloads.push(deployment("web", 10));
            }),
            // Security-group pods in an IPv6 cluster: IPv6 addresses on their branch ENIs.
            cluster_with(|s| {
                s.cluster.ip_family = crate::scenario::IpFamily::IPv6;
                s.cluster.vpc_cni.prefix_delegation = true;
                s.cluster.vpc_cni.pod_eni = true;
                s.workloads.push(sg.clone());
                s.workloads.push(deployment("web", 10));
            }),
        ];
        for cluster in &scenarios {
            let scene = scene(cluster, Detail::Cells);
            assert_scene_invariants(&scene);
            assert_one_shape_per_model_object(cluster, &scene);
        }
        // Beyond the nodes' max pods, the rest wait in the tray.
        let crowded = scene(&scenarios[3], Detail::Cells);
        let tray = crowded.find("pending").unwrap();
        assert!(tray.name.contains("Too many pods"), "{}", tray.name);
    }

    #[test]
    fn public_subnets_sit_above_private_ones_and_rows_align() {
        let cluster = cluster_with(|s| {
            // Document order mixes them; the picture does not.
            s.vpc.subnets.swap(0, 4);
            s.managed_node_groups[0].desired_capacity = 7;
        });
        let scene = scene(&cluster, Detail::Cells);
        assert_scene_invariants(&scene);
        let azs: Vec<&Shape> = scene.walk().filter(|s| s.kind == Kind::Az).collect();
        assert!(azs
            .windows(2)
            .all(|w| w[0].rect.y == w[1].rect.y && w[0].rect.size() == w[1].rect.size()));
        let subnets: Vec<&Shape> = scene.walk().filter(|s| s.kind == Kind::Subnet).collect();
        let lowest_public = subnets
            .iter()
            .filter(|s| s.state == State::Public)
            .map(|s| s.rect.bottom())
            .fold(0.0, f64::max);
        let highest_private = subnets
            .iter()
            .filter(|s| s.state == State::Private)
            .map(|s| s.rect.y)
            .fold(f64::MAX, f64::min);
        assert!(lowest_public < highest_private);
        let private_tops: Vec<f64> = subnets
            .iter()
            .filter(|s| s.state == State::Private)
            .map(|s| s.rect.y)
            .collect();
        assert!(
            private_tops.windows(2).all(|w| w[0] == w[1]),
            "{private_tops:?}"
        );
    }

    #[test]
    fn every_node_eni_and_slot_has_exactly_one_shape() {
        let cluster = cluster_with(|s| {
            s.managed_node_groups[0].desired_capacity = 8;
            s.cluster.vpc_cni.warm_ip_target = Some(12);
        });
        let scene = scene(&cluster, Detail::Cells);
        assert_scene_invariants(&scene);
        let mut ids: HashMap<&Id, usize> = HashMap::new();
        for s in scene.walk() {
            *ids.entry(&s.id).or_default() += 1;
        }
        for node in &cluster.nodes {
            assert_eq!(ids.get(&node.id), Some(&1));
            for eni in &node.enis {
                assert_eq!(ids.get(&eni.id), Some(&1), "{}", eni.id);
                for slot in &eni.slots {
                    assert_eq!(ids.get(&slot.id), Some(&1), "{}", slot.id);
                }
                for k in eni.slots.len() as u32..eni.capacity {
                    let id = Id::Slot {
                        node: node.name.as_str().into(),
                        device: eni.device_index,
                        slot: k,
                    };
                    assert_eq!(ids.get(&id), Some(&1), "{id}");
                }
            }
        }
        for subnet in &cluster.subnets {
            assert_eq!(ids.get(&subnet.id), Some(&1));
        }
        for nat in &cluster.nat_gateways {
            assert_eq!(ids.get(&nat.id), Some(&1));
        }
    }

    #[test]
    fn layout_is_deterministic() {
        let a = scene(
            &cluster_with(|s| s.managed_node_groups[0].desired_capacity = 5),
            Detail::Cells,
        );
        let b = scene(
            &cluster_with(|s| s.managed_node_groups[0].desired_capacity = 5),
            Detail::Cells,
        );
        assert_eq!(a, b);
    }

    #[test]
    fn ids_stay_put_when_the_cluster_grows() {
        let small = scene(&cluster_with(|_| {}), Detail::Cells);
        let big = scene(
            &cluster_with(|s| s.managed_node_groups[0].desired_capacity = 6),
            Detail::Cells,
        );
        let ids = |s: &Scene| {
            s.walk()
                .map(|x| x.id.clone())
                .collect::<std::collections::HashSet<_>>()
        };
        assert!(ids(&small).is_subset(&ids(&big)));
    }

    #[test]
    fn a_subnet_with_many_nodes_grows_and_the_others_follow() {
        let one = scene(&cluster_with(|_| {}), Detail::Cells);
        let many = scene(
            &cluster_with(|s| s.managed_node_groups[0].desired_capacity = 30),
            Detail::Cells,
        );
        assert_scene_invariants(&many);
        let h = |s: &Scene, id: &str| s.find(id).unwrap().rect.h;
        assert!(h(&many, "subnet:private-a") > 2.0 * h(&one, "subnet:private-a"));
        assert_eq!(h(&many, "subnet:private-a"), h(&many, "subnet:private-c"));
        // A grid, not a tower: the picture stays roughly landscape.
        assert!(many.size.w > many.size.h * 0.8, "{:?}", many.size);
    }

    #[test]
    fn without_public_subnets_there_is_no_internet_gateway() {
        let cluster = cluster_with(|s| {
            for subnet in &mut s.vpc.subnets {
                subnet.public = false;
            }
            s.vpc.nat_gateways = crate::scenario::NatGatewayMode::Disable;
        });
        let scene = scene(&cluster, Detail::Cells);
        assert_scene_invariants(&scene);
        assert!(scene.find("igw").is_none());
        assert!(scene.edges.iter().all(|e| e.kind == EdgeKind::Eks));
        assert!(scene.find("internet").is_some());
    }

    #[test]
    fn custom_subnet_layouts_keep_the_invariants() {
        let cluster = cluster_with(|s| {
            s.vpc.secondary_cidrs = vec!["100.64.0.0/16".into()];
            s.vpc.subnets.push(crate::scenario::Subnet {
                tags: Default::default(),
                name: "pods-a-with-a-rather-long-name-for-a-subnet".into(),
                az: "us-east-1a".into(),
                cidr: "100.64.0.0/28".into(),
                public: false,
            });
            s.managed_node_groups[0].subnets = vec![
                "pods-a-with-a-rather-long-name-for-a-subnet".into(),
                "public-b".into(),
            ];
            s.managed_node_groups[0].desired_capacity = 3;
            s.managed_node_groups[0].instance_type = "c5.18xlarge".into();
        });
        let scene = scene(&cluster, Detail::Cells);
        assert_scene_invariants(&scene);
    }

    #[test]
    fn five_thousand_nodes_lay_out_as_bars() {
        let cluster = cluster_with(|s| s.managed_node_groups[0].desired_capacity = 5000);
        let scene = scene(&cluster, Detail::Bars);
        assert_eq!(kinds(&scene)[&Kind::Node], 5000);
        assert_eq!(kinds(&scene).get(&Kind::Ip), None);
        assert_scene_invariants(&scene);
    }
}
