//! The architecture view as a [`Scene`]: the cluster as Kubernetes components rather than
//! addresses — the control plane's components with one line on each one's role, every node's
//! agents (kubelet, kube-proxy, containerd, aws-node), and the connections between them along
//! the paths the model computed: kubelet → API server by the node's `api_path` (private
//! endpoint via a cross-account ENI, or the public endpoint via a NAT gateway or the internet
//! gateway), API server → kubelet on 10250 through the cross-account ENIs, API server ↔ etcd
//! (only it), the scheduler and the controllers watching the API server.
//!
//! Three columns: the control plane (a frame holding its components), the paths into the VPC
//! (kubectl, the cross-account ENIs, NAT gateways, the internet gateway, the public endpoint,
//! the load balancer controller and ELB), and the nodes (a frame each, holding its agents). At
//! more than [`MAX_NODES_DRAWN`] nodes the rest are one "+N more" frame. Every box is a
//! [`Kind::ArchPart`] (frames in [`State::Frame`]), every arrow an [`EdgeKind::Arch`] edge
//! whose `via` names the boxes it passes through; the edges' lanes run in the gaps between the
//! columns.

use super::geometry::{Point, Rect, Size};
use super::scene::{Anchor, Detail, Edge, EdgeKind, Kind, Scene, Shape, State, Stroke, TextStyle};
use super::text::{width, wrap};
use crate::model::aws::api_access::ApiPath;
use crate::model::aws::eks_control_plane::COMPONENTS;
use crate::model::{Cluster, Id};

/// Nodes drawn one by one; the rest are summed up.
pub const MAX_NODES_DRAWN: usize = 5;
/// The agents on every node, with their role.
pub const AGENTS: [(&str, &str); 4] = [
    ("kubelet", "runs the node's pods"),
    ("kube-proxy", "programs Service rules"),
    ("containerd", "runs the containers"),
    ("aws-node", "VPC CNI: pod addresses"),
];

/// The control plane's frame (`arch:control-plane`).
pub const ARCH_CONTROL_PLANE_KEY: &str = "control-plane";
/// The frame standing for the nodes not drawn (`arch:more`).
pub const ARCH_MORE_KEY: &str = "more";

/// The box drawing a thing: a component (`arch:kube-apiserver`) or a model object, by its id
/// (`arch:node:ng-1-1`).
pub fn arch_id(key: impl std::fmt::Display) -> Id {
    Id::Arch(key.to_string())
}

/// One agent on a node (`arch:node:ng-1-1/kubelet`).
pub fn agent_id(node_id: &Id, agent: &str) -> Id {
    Id::Arch(format!("{node_id}/{agent}"))
}

/// An arrow (`arch-edge:kubectl-apiserver`).
fn edge_id(key: impl std::fmt::Display) -> Id {
    Id::ArchEdge(key.to_string())
}

const TOP: f64 = 40.0;
const LEFT: f64 = 20.0;
/// Text inset from a box's left edge, and the room kept on its right.
const INSET: f64 = 8.0;
const TITLE_BASELINE: f64 = 16.0;
const ROLE_BASELINE: f64 = 30.0;
const ROLE_LEADING: f64 = 13.0;

// Control plane column.
const CP_W: f64 = 380.0;
const COMP_INSET: f64 = 40.0;
const COMP_H: f64 = 62.0;
const COMP_GAP: f64 = 24.0;
// Middle column: at least this wide, wider for long titles up to MID_MAX_W.
const GAP: f64 = 70.0;
const MID_MIN_W: f64 = 190.0;
const MID_MAX_W: f64 = 320.0;
const MID_H: f64 = 44.0;
const MID_STEP: f64 = 56.0;
// Node column.
const NODE_GAP: f64 = 80.0;
const NODE_W: f64 = 360.0;
const NODE_H: f64 = 112.0;
const NODE_STEP: f64 = 126.0;
const AGENT_W: f64 = 164.0;
const AGENT_H: f64 = 34.0;
/// Edges of successive nodes run in lanes this far apart.
const LANE: f64 = 8.0;

fn left(r: Rect, dy: f64) -> Point {
    Point::new(r.x, r.y + dy)
}

fn right(r: Rect, dy: f64) -> Point {
    Point::new(r.right(), r.y + dy)
}

/// A box: its title on one line (cut with `…` if too long), its role on up to `role_lines`.
fn part(id: Id, rect: Rect, title: &str, role: &str, role_lines: usize) -> Shape {
    let mut s = Shape::new(id, Kind::ArchPart, rect);
    let room = rect.w - 2.0 * INSET;
    let x = rect.x + INSET;
    if let Some(line) = wrap(title, TextStyle::Heading, room, 1).pop() {
        s.text(
            x,
            rect.y + TITLE_BASELINE,
            line,
            TextStyle::Heading,
            Anchor::Start,
        );
    }
    if !role.is_empty() {
        for (i, line) in wrap(role, TextStyle::Muted, room, role_lines)
            .into_iter()
            .enumerate()
        {
            s.text(
                x,
                rect.y + ROLE_BASELINE + ROLE_LEADING * i as f64,
                line,
                TextStyle::Muted,
                Anchor::Start,
            );
        }
    }
    s.name = if role.is_empty() {
        title.to_string()
    } else {
        format!("{title}: {role}")
    };
    s
}

fn frame(id: Id, rect: Rect, title: &str, role: &str) -> Shape {
    let mut s = part(id, rect, title, role, 2);
    s.state = State::Frame;
    s
}

fn arrow(id: Id, from: Id, to: Id, points: Vec<Point>, label: &str) -> Edge {
    Edge {
        id,
        kind: EdgeKind::Arch,
        from,
        to,
        points,
        via: Vec::new(),
        label: Some(label.to_string()),
        stroke: Stroke::Solid,
    }
}

/// The middle column's boxes, top to bottom, before they are placed.
struct Middle {
    id: Id,
    title: String,
    role: String,
}

/// The architecture view of a cluster.
pub fn architecture_scene(c: &Cluster) -> Scene {
    let mut shapes = Vec::new();
    let mut edges = Vec::new();

    // Control plane, left: a frame holding its components.
    let comp_x = LEFT + COMP_INSET;
    let comp_w = CP_W - 2.0 * (COMP_INSET - LEFT);
    let mut y = TOP + COMP_INSET;
    let mut comps = Vec::new();
    for (name, role) in COMPONENTS {
        let r = Rect::new(comp_x, y, comp_w, COMP_H);
        comps.push(part(arch_id(name), r, name, role, 2));
        y += COMP_H + COMP_GAP;
    }
    let cp = Rect::new(LEFT, TOP, CP_W, y - TOP);
    let api = comps[0].rect;
    let etcd = comps[1].rect;
    edges.push(arrow(
        edge_id("apiserver-etcd"),
        arch_id(COMPONENTS[0].0),
        arch_id(COMPONENTS[1].0),
        vec![
            Point::new(api.x + 160.0, api.bottom()),
            Point::new(etcd.x + 160.0, etcd.y),
        ],
        "only the API server talks to etcd",
    ));
    for (i, s) in comps.iter().enumerate().skip(2) {
        let k = i as f64 - 2.0;
        let x = comp_x - 10.0 - LANE * k;
        let r = s.rect;
        let mut e = arrow(
            edge_id(format!("{}-watch", COMPONENTS[i].0)),
            s.id.clone(),
            arch_id(COMPONENTS[0].0),
            vec![
                left(r, 31.0),
                Point::new(x, r.y + 31.0),
                Point::new(x, api.y + 20.0 + 6.0 * k),
                left(api, 20.0 + 6.0 * k),
            ],
            "watch",
        );
        e.stroke = Stroke::Dashed;
        edges.push(e);
    }
    let mut control_plane = frame(
        arch_id(ARCH_CONTROL_PLANE_KEY),
        cp,
        "EKS control plane (AWS account)",
        "",
    );
    control_plane.children = comps;
    shapes.push(control_plane);
    let api_id = arch_id(COMPONENTS[0].0);

    // Middle: kubectl, the paths into the VPC, the load balancer controller.
    let uses = |f: fn(&ApiPath) -> bool| c.nodes.iter().any(|n| f(&n.api_path));
    let mut middle = vec![Middle {
        id: arch_id("kubectl"),
        title: "kubectl (you)".into(),
        role: String::new(),
    }];
    for e in &c.control_plane.enis {
        middle.push(Middle {
            id: arch_id(&e.id),
            title: format!("cross-account ENI {}", e.az),
            role: e.ip.to_string(),
        });
    }
    let via_nat = uses(|p| matches!(p, ApiPath::PublicViaNatGateway { .. }));
    if via_nat {
        for n in &c.nat_gateways {
            middle.push(Middle {
                id: arch_id(&n.id),
                title: format!("NAT gateway {}", n.az),
                role: format!("source {}", n.public_ip),
            });
        }
    }
    let via_igw = uses(|p| matches!(p, ApiPath::PublicViaInternetGateway { .. }));
    if via_igw {
        middle.push(Middle {
            id: arch_id("igw"),
            title: "Internet gateway".into(),
            role: String::new(),
        });
    }
    let public = via_igw || (via_nat && !c.nat_gateways.is_empty());
    if public {
        middle.push(Middle {
            id: arch_id("public-endpoint"),
            title: "Public API endpoint".into(),
            role: crate::model::traffic::PUBLIC_ENDPOINT.to_string(),
        });
    }
    const LBC_TITLE: &str = "aws-load-balancer-controller";
    const ELB_TITLE: &str = "Elastic Load Balancing";
    let mw = middle
        .iter()
        .map(|m| m.title.as_str())
        .chain([LBC_TITLE, ELB_TITLE])
        .map(|t| width(t, TextStyle::Heading) + 2.0 * INSET)
        .fold(MID_MIN_W, f64::max)
        .min(MID_MAX_W)
        .ceil();
    let mx = cp.right() + GAP;
    // Lanes in the gap between the control plane and the middle column.
    let gap1 = cp.right();
    let mut rects = std::collections::HashMap::new();
    let kubectl = Rect::new(mx, TOP, mw, MID_H);
    let mut my = 120.0;
    for (i, m) in middle.iter().enumerate() {
        let r = if i == 0 {
            kubectl
        } else {
            let r = Rect::new(mx, my, mw, MID_H);
            my += MID_STEP;
            r
        };
        rects.insert(m.id.clone(), r);
        shapes.push(part(m.id.clone(), r, &m.title, &m.role, 2));
    }
    edges.push(arrow(
        edge_id("kubectl-apiserver"),
        arch_id("kubectl"),
        api_id.clone(),
        vec![left(kubectl, 22.0), right(api, 12.0)],
        "HTTPS 443",
    ));
    my += 20.0;
    let lbc = Rect::new(mx, my, mw, 52.0);
    shapes.push(part(
        arch_id("lb-controller"),
        lbc,
        LBC_TITLE,
        "pods on your nodes; watches Services",
        2,
    ));
    let elb = Rect::new(mx, my + 72.0, mw, MID_H);
    shapes.push(part(
        arch_id("elb"),
        elb,
        ELB_TITLE,
        "NLB / ALB target groups",
        2,
    ));
    edges.push(arrow(
        edge_id("lb-controller-elb"),
        arch_id("lb-controller"),
        arch_id("elb"),
        vec![
            Point::new(lbc.x + 95.0, lbc.bottom()),
            Point::new(elb.x + 95.0, elb.y),
        ],
        "registers targets",
    ));
    let mut watch = arrow(
        edge_id("lb-controller-watch"),
        arch_id("lb-controller"),
        api_id.clone(),
        vec![
            left(lbc, 26.0),
            Point::new(gap1 + 30.0, lbc.y + 26.0),
            Point::new(gap1 + 30.0, api.y + 54.0),
            right(api, 54.0),
        ],
        "watch",
    );
    watch.stroke = Stroke::Dashed;
    edges.push(watch);
    let middle_bottom = elb.bottom();

    // Right: the nodes, a frame each holding its agents.
    let gap2 = mx + mw;
    let nx = gap2 + NODE_GAP;
    let mut ny = TOP;
    let eni_rects: Vec<(&str, Rect)> = c
        .control_plane
        .enis
        .iter()
        .map(|e| (e.az.as_str(), rects[&arch_id(&e.id)]))
        .collect();
    for (i, n) in c.nodes.iter().take(MAX_NODES_DRAWN).enumerate() {
        let state = n.state.map(|s| format!(" · {s:?}")).unwrap_or_default();
        let mut node = frame(
            arch_id(&n.id),
            Rect::new(nx, ny, NODE_W, NODE_H),
            &format!("{} ({}){state}", n.name, n.az),
            "",
        );
        for (k, (agent, role)) in AGENTS.iter().enumerate() {
            let r = Rect::new(
                nx + 12.0 + (k % 2) as f64 * (AGENT_W + 8.0),
                ny + 30.0 + (k / 2) as f64 * 40.0,
                AGENT_W,
                AGENT_H,
            );
            node.children
                .push(part(agent_id(&n.id, agent), r, agent, role, 1));
        }
        let kubelet = node.children[0].rect;
        shapes.push(node);
        let lane = LANE * i as f64;
        // kubelet → API server along the node's path: out to the gateway's right side,
        // through it, and on from its left side to the API server.
        let through = |r: Rect, dy: f64, x2: f64| {
            vec![
                left(kubelet, 12.0),
                Point::new(gap2 + 40.0 - lane, kubelet.y + 12.0),
                Point::new(gap2 + 40.0 - lane, r.y + dy),
                right(r, dy),
                left(r, dy),
                Point::new(x2 - lane, r.y + dy),
            ]
        };
        let (via, points, label, blocked) = match &n.api_path {
            ApiPath::PrivateEndpoint { eni } => {
                let id = arch_id(&c.control_plane.enis[*eni].id);
                let r = rects[&id];
                let mut points = through(r, 14.0, gap1 + 40.0);
                points.extend([
                    Point::new(gap1 + 40.0 - lane, api.y + 30.0),
                    right(api, 30.0),
                ]);
                (vec![id], points, "private endpoint".to_string(), false)
            }
            ApiPath::PublicViaNatGateway { nat, source } => {
                let id = arch_id(&c.nat_gateways[*nat].id);
                let r = rects.get(&id).copied().unwrap_or(kubectl);
                let p = rects
                    .get(&arch_id("public-endpoint"))
                    .copied()
                    .unwrap_or(kubectl);
                let mut points = through(r, 14.0, gap1 + 50.0);
                points.extend([
                    Point::new(gap1 + 50.0 - lane, p.y + 22.0),
                    left(p, 22.0),
                    left(p, 22.0),
                    Point::new(gap1 + 40.0 - lane, p.y + 22.0),
                    Point::new(gap1 + 40.0 - lane, api.y + 30.0),
                    right(api, 30.0),
                ]);
                (
                    vec![id, arch_id("public-endpoint")],
                    points,
                    format!("public endpoint from {source}"),
                    false,
                )
            }
            ApiPath::PublicViaInternetGateway { source } => {
                let r = rects.get(&arch_id("igw")).copied().unwrap_or(kubectl);
                let mut points = through(r, 14.0, gap1 + 40.0);
                points.extend([
                    Point::new(gap1 + 40.0 - lane, api.y + 30.0),
                    right(api, 30.0),
                ]);
                (
                    vec![arch_id("igw"), arch_id("public-endpoint")],
                    points,
                    format!("public endpoint from {source}"),
                    false,
                )
            }
            ApiPath::Blocked(why) => (
                Vec::new(),
                vec![left(kubelet, 12.0), right(api, 30.0)],
                why.clone(),
                true,
            ),
        };
        let mut up = arrow(
            edge_id(format!("kubelet-api:{}", n.name)),
            agent_id(&n.id, "kubelet"),
            api_id.clone(),
            points,
            &label,
        );
        up.via = via;
        if blocked {
            up.stroke = Stroke::Blocked;
        }
        edges.push(up);
        // API server → kubelet on 10250 through the ENI in the node's AZ (or the first).
        if let Some((az, r)) = eni_rects
            .iter()
            .find(|(az, _)| *az == n.az)
            .or(eni_rects.first())
        {
            let mut down = arrow(
                edge_id(format!("api-kubelet:{}", n.name)),
                api_id.clone(),
                agent_id(&n.id, "kubelet"),
                vec![
                    right(api, 46.0),
                    Point::new(gap1 + 55.0 + lane, api.y + 46.0),
                    Point::new(gap1 + 55.0 + lane, r.y + 30.0),
                    left(*r, 30.0),
                    right(*r, 30.0),
                    Point::new(gap2 + 55.0 + lane, r.y + 30.0),
                    Point::new(gap2 + 55.0 + lane, kubelet.y + 24.0),
                    left(kubelet, 24.0),
                ],
                "kubelet API, tcp/10250 (logs, exec)",
            );
            down.via = vec![arch_id(Id::EksEni(az.to_string()))];
            edges.push(down);
        }
        ny += NODE_STEP;
    }
    let more = c.nodes.len().saturating_sub(MAX_NODES_DRAWN);
    if more > 0 {
        shapes.push(frame(
            arch_id(ARCH_MORE_KEY),
            Rect::new(nx, ny, NODE_W, MID_H),
            &format!("+{more} more nodes"),
            "each with the same four agents and paths",
        ));
        ny += 58.0;
    }
    let size = Size::new(
        nx + NODE_W + 20.0,
        cp.bottom().max(middle_bottom).max(ny) + 20.0,
    );
    Scene {
        size,
        shapes,
        edges,
        overlay: Vec::new(),
        detail: Detail::Cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::tests_support::{assert_scene_invariants, cluster_with};
    use crate::scenario::default_scenario;

    fn edge<'a>(scene: &'a Scene, id: &Id) -> &'a Edge {
        scene.edges.iter().find(|e| e.id == *id).unwrap()
    }

    #[test]
    fn every_node_has_its_agents_and_paths() {
        let c = crate::model::build(&default_scenario()).unwrap();
        let a = architecture_scene(&c);
        for n in &c.nodes {
            let node = a.find(&arch_id(&n.id)).unwrap();
            assert_eq!(node.state, State::Frame);
            for (agent, _) in AGENTS {
                let id = agent_id(&n.id, agent);
                assert!(node.children.iter().any(|s| s.id == id), "{id}");
            }
            let e = edge(&a, &edge_id(format!("kubelet-api:{}", n.name)));
            assert_ne!(e.stroke, Stroke::Blocked);
            assert!(!e.via.is_empty());
        }
        // Only the API server talks to etcd.
        let etcd: Vec<&Edge> = a
            .edges
            .iter()
            .filter(|e| e.from == "arch:etcd" || e.to == "arch:etcd")
            .collect();
        assert_eq!(etcd.len(), 1);
        assert_eq!(etcd[0].from, "arch:kube-apiserver");
        // Every edge is an arrow with a label, through drawn boxes.
        for e in &a.edges {
            assert_eq!(e.kind, EdgeKind::Arch);
            assert!(
                e.label.as_deref().is_some_and(|l| !l.is_empty()),
                "{}",
                e.id
            );
            for v in &e.via {
                assert!(a.find(v).is_some(), "{} passes through {v}", e.id);
            }
        }
    }

    #[test]
    fn many_nodes_are_summed_up() {
        let c = cluster_with(|s| s.managed_node_groups[0].desired_capacity = 120);
        let a = architecture_scene(&c);
        let more = a.find(&arch_id(ARCH_MORE_KEY)).unwrap();
        assert_eq!(more.texts[0].text, "+115 more nodes");
        let nodes = a
            .walk()
            .filter(|p| p.state == State::Frame && p.id.to_string().starts_with("arch:node:"))
            .count();
        assert_eq!(nodes, MAX_NODES_DRAWN);
        assert_scene_invariants(&a);
    }

    #[test]
    fn a_blocked_path_is_drawn_straight_and_marked() {
        // The NAT gateways' addresses are not in the allow-list.
        let c = cluster_with(|s| {
            s.cluster.cluster_endpoints.public_access = true;
            s.cluster.cluster_endpoints.private_access = false;
            s.cluster.public_access_cidrs = vec!["203.0.113.0/24".into()];
        });
        let n = &c.nodes[0];
        assert!(
            matches!(n.api_path, ApiPath::Blocked(_)),
            "{:?}",
            n.api_path
        );
        let a = architecture_scene(&c);
        let e = edge(&a, &edge_id(format!("kubelet-api:{}", n.name)));
        assert_eq!(e.stroke, Stroke::Blocked);
        assert!(e.via.is_empty());
        assert_eq!(e.points.len(), 2);
        assert_scene_invariants(&a);
    }

    /// Children inside parents, siblings apart, labels fitting, every edge joining drawn
    /// boxes: for every gallery scenario and a 300-node cluster.
    #[test]
    fn every_gallery_scene_keeps_the_layout_invariants() {
        let mut scenarios: Vec<_> = crate::scenario::gallery_scenarios()
            .into_iter()
            .map(|(_, s)| s)
            .collect();
        scenarios.push(crate::scenario::scale_scenario(300));
        for s in &scenarios {
            let c = crate::model::build(s).unwrap();
            let a = architecture_scene(&c);
            assert_scene_invariants(&a);
            // Long titles widen the middle column rather than overflow it.
            assert!(
                a.find("arch:lb-controller").unwrap().texts[0].text
                    == "aws-load-balancer-controller"
            );
        }
    }

    #[test]
    fn long_names_are_cut_to_fit() {
        let c = cluster_with(|s| {
            s.managed_node_groups[0].name = "a-node-group-with-a-very-long-name-indeed-x".into();
        });
        let a = architecture_scene(&c);
        assert_scene_invariants(&a);
        let n = &c.nodes[0];
        let node = a.find(&arch_id(&n.id)).unwrap();
        assert!(node.name.contains(&n.name));
    }
}
