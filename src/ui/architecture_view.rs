//! [`ArchitectureView`]: the cluster as Kubernetes components rather than addresses — the
//! control plane's components with one line on each one's role, every node's agents (kubelet,
//! kube-proxy, containerd, aws-node), and the connections between them along the paths the
//! model computed: kubelet → API server by the node's `api_path` (private endpoint via a
//! cross-account ENI, or the public endpoint via a NAT gateway or the internet gateway), API
//! server → kubelet on 10250 through the cross-account ENIs, API server ↔ etcd (only it), the
//! scheduler and the controllers watching the API server. Beside it, [`Walkthrough`] steps
//! through `kubectl apply` of a Deployment, highlighting the parts each step involves.
//!
//! [`architecture`] is the pure geometry (boxes and edges), tested natively; the component
//! draws it without DOM calls. At more than [`MAX_NODES_DRAWN`] nodes the rest are one
//! "+N more" box.
//!
//! DOM contract: `data-kind="architecture"` (the `<svg>`), boxes `data-kind="arch-part"` with
//! `data-id` (`arch:kube-apiserver`, `arch:etcd`, `arch:node:<name>`,
//! `arch:node:<name>/kubelet`, `arch:eks-eni:<az>`, `arch:natgw:<az>`, `arch:igw`,
//! `arch:public-endpoint`, `arch:kubectl`, `arch:lb-controller`, `arch:elb`, `arch:more`) and
//! `data-highlight="true"` when the current step involves them; edges `data-kind="arch-edge"`
//! with `data-id`, `data-from`, `data-to`, `data-via` (space-separated ids); the walk-through
//! `data-kind="walkthrough"` with `data-step` (1-based), buttons `data-action="back|next"`.

use yew::prelude::*;

use super::shared::Shared;
use super::svg::num;
use crate::layout::text::wrap;
use crate::layout::{Rect, TextStyle};
use crate::model::aws::api_access::ApiPath;
use crate::model::aws::eks_control_plane::COMPONENTS;
use crate::model::Cluster;

/// Nodes drawn one by one; the rest are summed up.
pub const MAX_NODES_DRAWN: usize = 5;
/// The agents on every node, with their role.
pub const AGENTS: [(&str, &str); 4] = [
    ("kubelet", "runs the node's pods"),
    ("kube-proxy", "programs Service rules"),
    ("containerd", "runs the containers"),
    ("aws-node", "VPC CNI: pod addresses"),
];

/// One box of the architecture view.
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub id: String,
    pub rect: Rect,
    pub title: String,
    pub lines: Vec<String>,
    /// A frame (control plane, node) rather than a component.
    pub frame: bool,
}

/// One arrow.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub id: String,
    pub from: String,
    pub to: String,
    pub via: Vec<String>,
    pub points: Vec<(f64, f64)>,
    pub label: String,
    /// Drawn dashed: a watch, or a blocked path.
    pub dashed: bool,
    pub blocked: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Architecture {
    pub width: f64,
    pub height: f64,
    pub parts: Vec<Part>,
    pub edges: Vec<Edge>,
    /// Nodes not drawn.
    pub more: usize,
}

impl Architecture {
    /// The box with this id.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn part(&self, id: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.id == id)
    }
}

fn part(id: impl Into<String>, rect: Rect, title: &str, role: &str, frame: bool) -> Part {
    Part {
        id: id.into(),
        rect,
        title: title.to_string(),
        lines: if role.is_empty() {
            Vec::new()
        } else {
            wrap(role, TextStyle::Muted, rect.w - 16.0, 2)
        },
        frame,
    }
}

fn left(r: Rect, dy: f64) -> (f64, f64) {
    (r.x, r.y + dy)
}

fn right(r: Rect, dy: f64) -> (f64, f64) {
    (r.x + r.w, r.y + dy)
}

/// The boxes and arrows for a cluster.
pub fn architecture(c: &Cluster) -> Architecture {
    let mut a = Architecture::default();
    // Control plane, left.
    let cp = Rect::new(20.0, 40.0, 380.0, 20.0);
    let comp_x = 60.0;
    let comp_w = 320.0;
    let comp_h = 62.0;
    let mut y = cp.y + 40.0;
    let mut comp_rects = Vec::new();
    for (name, role) in COMPONENTS {
        let r = Rect::new(comp_x, y, comp_w, comp_h);
        a.parts
            .push(part(format!("arch:{name}"), r, name, role, false));
        comp_rects.push((name, r));
        y += comp_h + 24.0;
    }
    let cp = Rect::new(cp.x, cp.y, cp.w, y - cp.y);
    a.parts.insert(
        0,
        part(
            "arch:control-plane",
            cp,
            "EKS control plane (AWS account)",
            "",
            true,
        ),
    );
    let api = comp_rects[0].1;
    let etcd = comp_rects[1].1;
    a.edges.push(Edge {
        id: "arch-edge:apiserver-etcd".into(),
        from: "arch:kube-apiserver".into(),
        to: "arch:etcd".into(),
        via: Vec::new(),
        points: vec![(api.x + 160.0, api.y + api.h), (etcd.x + 160.0, etcd.y)],
        label: "only the API server talks to etcd".into(),
        dashed: false,
        blocked: false,
    });
    for (i, (name, r)) in comp_rects.iter().enumerate().skip(2) {
        let x = comp_x - 10.0 - 8.0 * (i as f64 - 2.0);
        a.edges.push(Edge {
            id: format!("arch-edge:{name}-watch"),
            from: format!("arch:{name}"),
            to: "arch:kube-apiserver".into(),
            via: Vec::new(),
            points: vec![
                left(*r, 31.0),
                (x, r.y + 31.0),
                (x, api.y + 20.0 + 6.0 * (i as f64 - 2.0)),
                left(api, 20.0 + 6.0 * (i as f64 - 2.0)),
            ],
            label: "watch".into(),
            dashed: true,
            blocked: false,
        });
    }

    // Middle: kubectl, the paths into the VPC, the load balancer controller.
    let mx = 470.0;
    let mw = 190.0;
    let kubectl = Rect::new(mx, 40.0, mw, 44.0);
    a.parts
        .push(part("arch:kubectl", kubectl, "kubectl (you)", "", false));
    a.edges.push(Edge {
        id: "arch-edge:kubectl-apiserver".into(),
        from: "arch:kubectl".into(),
        to: "arch:kube-apiserver".into(),
        via: Vec::new(),
        points: vec![left(kubectl, 22.0), right(api, 12.0)],
        label: "HTTPS 443".into(),
        dashed: false,
        blocked: false,
    });
    let mut my = 120.0;
    let mut eni_rects = Vec::new();
    for e in &c.control_plane.enis {
        let r = Rect::new(mx, my, mw, 44.0);
        a.parts.push(part(
            format!("arch:{}", e.id),
            r,
            &format!("cross-account ENI {}", e.az),
            &e.ip.to_string(),
            false,
        ));
        eni_rects.push((e.az.clone(), r));
        my += 56.0;
    }
    let uses = |f: fn(&ApiPath) -> bool| c.nodes.iter().any(|n| f(&n.api_path));
    let mut nat_rects = Vec::new();
    if uses(|p| matches!(p, ApiPath::PublicViaNatGateway { .. })) {
        for n in &c.nat_gateways {
            let r = Rect::new(mx, my, mw, 44.0);
            a.parts.push(part(
                format!("arch:{}", n.id),
                r,
                &format!("NAT gateway {}", n.az),
                &format!("source {}", n.public_ip),
                false,
            ));
            nat_rects.push(r);
            my += 56.0;
        }
    }
    let igw = uses(|p| matches!(p, ApiPath::PublicViaInternetGateway { .. })).then(|| {
        let r = Rect::new(mx, my, mw, 44.0);
        a.parts
            .push(part("arch:igw", r, "Internet gateway", "", false));
        my += 56.0;
        r
    });
    let public = (!nat_rects.is_empty() || igw.is_some()).then(|| {
        let r = Rect::new(mx, my, mw, 44.0);
        a.parts.push(part(
            "arch:public-endpoint",
            r,
            "Public API endpoint",
            &crate::model::traffic::PUBLIC_ENDPOINT.to_string(),
            false,
        ));
        my += 56.0;
        r
    });
    my += 20.0;
    let lbc = Rect::new(mx, my, mw, 52.0);
    a.parts.push(part(
        "arch:lb-controller",
        lbc,
        "aws-load-balancer-controller",
        "pods on your nodes; watches Services",
        false,
    ));
    let elb = Rect::new(mx, my + 72.0, mw, 44.0);
    a.parts.push(part(
        "arch:elb",
        elb,
        "Elastic Load Balancing",
        "NLB / ALB target groups",
        false,
    ));
    a.edges.push(Edge {
        id: "arch-edge:lb-controller-elb".into(),
        from: "arch:lb-controller".into(),
        to: "arch:elb".into(),
        via: Vec::new(),
        points: vec![(lbc.x + 95.0, lbc.y + lbc.h), (elb.x + 95.0, elb.y)],
        label: "registers targets".into(),
        dashed: false,
        blocked: false,
    });
    a.edges.push(Edge {
        id: "arch-edge:lb-controller-watch".into(),
        from: "arch:lb-controller".into(),
        to: "arch:kube-apiserver".into(),
        via: Vec::new(),
        points: vec![
            left(lbc, 26.0),
            (430.0, lbc.y + 26.0),
            (430.0, api.y + 54.0),
            right(api, 54.0),
        ],
        label: "watch".into(),
        dashed: true,
        blocked: false,
    });
    let middle_bottom = elb.y + elb.h;

    // Right: the nodes.
    let nx = 740.0;
    let nw = 360.0;
    let nh = 112.0;
    let mut ny = 40.0;
    for (i, n) in c.nodes.iter().take(MAX_NODES_DRAWN).enumerate() {
        let frame = Rect::new(nx, ny, nw, nh);
        let state = n.state.map(|s| format!(" · {s:?}")).unwrap_or_default();
        a.parts.push(part(
            format!("arch:{}", n.id),
            frame,
            &format!("{} ({}){state}", n.name, n.az),
            "",
            true,
        ));
        for (k, (agent, role)) in AGENTS.iter().enumerate() {
            let r = Rect::new(
                nx + 12.0 + (k % 2) as f64 * 172.0,
                ny + 30.0 + (k / 2) as f64 * 40.0,
                164.0,
                34.0,
            );
            let mut p = part(format!("arch:{}/{agent}", n.id), r, agent, role, false);
            p.lines.truncate(1);
            a.parts.push(p);
        }
        let kubelet = Rect::new(nx + 12.0, ny + 30.0, 164.0, 34.0);
        let lane = 8.0 * i as f64;
        // kubelet → API server along the node's path.
        let (via, points, label, blocked) = match &n.api_path {
            ApiPath::PrivateEndpoint { eni } => {
                let e = &c.control_plane.enis[*eni];
                let r = eni_rects[*eni].1;
                (
                    vec![format!("arch:{}", e.id)],
                    vec![
                        left(kubelet, 12.0),
                        (700.0 - lane, kubelet.y + 12.0),
                        (700.0 - lane, r.y + 14.0),
                        right(r, 14.0),
                        left(r, 14.0),
                        (440.0 - lane, r.y + 14.0),
                        (440.0 - lane, api.y + 30.0),
                        right(api, 30.0),
                    ],
                    "private endpoint".to_string(),
                    false,
                )
            }
            ApiPath::PublicViaNatGateway { nat, source } => {
                let r = nat_rects.get(*nat).copied().unwrap_or(kubectl);
                let p = public.unwrap_or(kubectl);
                (
                    vec![
                        format!("arch:{}", c.nat_gateways[*nat].id),
                        "arch:public-endpoint".into(),
                    ],
                    vec![
                        left(kubelet, 12.0),
                        (700.0 - lane, kubelet.y + 12.0),
                        (700.0 - lane, r.y + 14.0),
                        right(r, 14.0),
                        left(r, 14.0),
                        (450.0 - lane, r.y + 14.0),
                        (450.0 - lane, p.y + 22.0),
                        left(p, 22.0),
                        left(p, 22.0),
                        (440.0 - lane, p.y + 22.0),
                        (440.0 - lane, api.y + 30.0),
                        right(api, 30.0),
                    ],
                    format!("public endpoint from {source}"),
                    false,
                )
            }
            ApiPath::PublicViaInternetGateway { source } => {
                let r = igw.unwrap_or(kubectl);
                (
                    vec!["arch:igw".into(), "arch:public-endpoint".into()],
                    vec![
                        left(kubelet, 12.0),
                        (700.0 - lane, kubelet.y + 12.0),
                        (700.0 - lane, r.y + 14.0),
                        right(r, 14.0),
                        left(r, 14.0),
                        (440.0 - lane, r.y + 14.0),
                        (440.0 - lane, api.y + 30.0),
                        right(api, 30.0),
                    ],
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
        a.edges.push(Edge {
            id: format!("arch-edge:kubelet-api:{}", n.name),
            from: format!("arch:{}/kubelet", n.id),
            to: "arch:kube-apiserver".into(),
            via,
            points,
            label,
            dashed: blocked,
            blocked,
        });
        // API server → kubelet on 10250 through the ENI in the node's AZ (or the first).
        if let Some((az, r)) = eni_rects
            .iter()
            .find(|(az, _)| *az == n.az)
            .or(eni_rects.first())
        {
            a.edges.push(Edge {
                id: format!("arch-edge:api-kubelet:{}", n.name),
                from: "arch:kube-apiserver".into(),
                to: format!("arch:{}/kubelet", n.id),
                via: vec![format!("arch:eks-eni:{az}")],
                points: vec![
                    right(api, 46.0),
                    (455.0 + lane, api.y + 46.0),
                    (455.0 + lane, r.y + 30.0),
                    left(*r, 30.0),
                    right(*r, 30.0),
                    (715.0 + lane, r.y + 30.0),
                    (715.0 + lane, kubelet.y + 24.0),
                    left(kubelet, 24.0),
                ],
                label: "kubelet API, tcp/10250 (logs, exec)".into(),
                dashed: false,
                blocked: false,
            });
        }
        ny += nh + 14.0;
    }
    a.more = c.nodes.len().saturating_sub(MAX_NODES_DRAWN);
    if a.more > 0 {
        let r = Rect::new(nx, ny, nw, 44.0);
        a.parts.push(part(
            "arch:more",
            r,
            &format!("+{} more nodes", a.more),
            "each with the same four agents and paths",
            true,
        ));
        ny += 58.0;
    }
    a.width = nx + nw + 20.0;
    a.height = (cp.y + cp.h).max(middle_bottom).max(ny) + 20.0;
    a
}

/// One step of `kubectl apply -f deployment.yaml`.
pub struct WalkStep {
    pub title: &'static str,
    pub text: String,
    pub ids: Vec<String>,
}

/// The steps, naming the first drawn node where one node stands for all.
pub fn walkthrough(c: &Cluster) -> Vec<WalkStep> {
    let node = c
        .nodes
        .iter()
        .find(|n| n.state.is_none())
        .or(c.nodes.first());
    let on = |agent: &str| {
        node.map(|n| format!("arch:{}/{agent}", n.id))
            .into_iter()
            .collect::<Vec<_>>()
    };
    let name = node.map_or("a node".to_string(), |n| n.name.clone());
    let all_proxies: Vec<String> = c
        .nodes
        .iter()
        .take(MAX_NODES_DRAWN)
        .map(|n| format!("arch:{}/kube-proxy", n.id))
        .collect();
    let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        WalkStep {
            title: "API server stores it",
            text: "kubectl sends the Deployment to the API server, which authenticates, validates and admits it, then writes it to etcd — the only component that talks to etcd.".into(),
            ids: ids(&["arch:kubectl", "arch:kube-apiserver", "arch:etcd"]),
        },
        WalkStep {
            title: "Controllers create pods",
            text: "The Deployment controller (in kube-controller-manager) sees the new Deployment and creates a ReplicaSet; the ReplicaSet controller creates the pods, unscheduled.".into(),
            ids: ids(&["arch:kube-controller-manager", "arch:kube-apiserver", "arch:etcd"]),
        },
        WalkStep {
            title: "Scheduler binds",
            text: format!("kube-scheduler filters the nodes that fit (resources, selectors, taints, max pods), scores the rest, and binds each pod — here to {name}."),
            ids: {
                let mut v = ids(&["arch:kube-scheduler", "arch:kube-apiserver"]);
                v.extend(node.map(|n| format!("arch:{}", n.id)));
                v
            },
        },
        WalkStep {
            title: "kubelet starts containers",
            text: format!("The kubelet on {name}, watching the API server over its endpoint path, sees the bound pod and asks containerd to pull the image and start the containers."),
            ids: [on("kubelet"), on("containerd")].concat(),
        },
        WalkStep {
            title: "CNI gives an address",
            text: "The VPC CNI (aws-node's ipamd) hands the pod a secondary IP from one of the node's ENIs — a real VPC address — and wires its veth.".into(),
            ids: on("aws-node"),
        },
        WalkStep {
            title: "EndpointSlice updated",
            text: "Once the pod is Ready, the EndpointSlice controller adds its address to the slices of every Service whose selector matches it.".into(),
            ids: ids(&["arch:kube-controller-manager", "arch:kube-apiserver"]),
        },
        WalkStep {
            title: "kube-proxy programs rules",
            text: "kube-proxy on every node watches EndpointSlices and rewrites its iptables rules, so the Service's ClusterIP and NodePort now reach the new pod.".into(),
            ids: all_proxies,
        },
        WalkStep {
            title: "LB controller registers targets",
            text: "The AWS Load Balancer Controller watches the same Service and registers the pod (target type ip) or its node (instance) in the load balancer's target group.".into(),
            ids: ids(&["arch:lb-controller", "arch:elb"]),
        },
    ]
}

#[derive(PartialEq, Properties)]
pub struct ArchitectureViewProps {
    pub cluster: Shared<Cluster>,
}

fn draw_part(p: &Part, lit: bool) -> Html {
    let r = p.rect;
    html! {
        <g class={classes!("arch-part", p.frame.then_some("frame"), lit.then_some("lit"))}
            data-kind="arch-part" data-id={p.id.clone()} data-highlight={lit.then_some("true")}>
            <rect x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="6" />
            <text class="arch-title" x={num(r.x + 8.0)} y={num(r.y + 16.0)}>{ p.title.clone() }</text>
            { for p.lines.iter().enumerate().map(|(i, l)| html! {
                <text class="arch-role" x={num(r.x + 8.0)} y={num(r.y + 30.0 + 13.0 * i as f64)}>{ l.clone() }</text>
            }) }
        </g>
    }
}

fn draw_edge(e: &Edge, lit: bool) -> Html {
    let pts: String = e
        .points
        .iter()
        .map(|(x, y)| format!("{},{}", num(*x), num(*y)))
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        <polyline class={classes!("arch-edge", e.dashed.then_some("dashed"), e.blocked.then_some("blocked"), lit.then_some("lit"))}
            data-kind="arch-edge" data-id={e.id.clone()} data-from={e.from.clone()} data-to={e.to.clone()}
            data-via={e.via.join(" ")} points={pts} marker-end="url(#arch-arrow)">
            <title>{ e.label.clone() }</title>
        </polyline>
    }
}

#[function_component(ArchitectureView)]
pub fn architecture_view(props: &ArchitectureViewProps) -> Html {
    let step = use_state(|| 1_usize);
    let a = architecture(&props.cluster);
    let steps = walkthrough(&props.cluster);
    let n = steps.len();
    let current = &steps[(*step).clamp(1, n) - 1];
    let lit = |id: &str| current.ids.iter().any(|x| x == id);
    let back = {
        let step = step.clone();
        Callback::from(move |_: MouseEvent| step.set((*step).saturating_sub(1).max(1)))
    };
    let next = {
        let step = step.clone();
        Callback::from(move |_: MouseEvent| step.set((*step + 1).min(n)))
    };
    html! {
        <div class="architecture-wrap">
            <svg class="architecture" data-kind="architecture" viewBox={format!("0 0 {} {}", num(a.width), num(a.height))}
                preserveAspectRatio="xMidYMin meet" role="img" aria-label="Cluster architecture: control plane components and node agents">
                <defs>
                    <marker id="arch-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" />
                    </marker>
                </defs>
                { for a.parts.iter().filter(|p| p.frame).map(|p| draw_part(p, lit(&p.id))) }
                <g class="arch-edges">
                    { for a.edges.iter().map(|e| draw_edge(e, lit(&e.from) && (lit(&e.to) || e.via.iter().any(|v| lit(v))))) }
                </g>
                { for a.parts.iter().filter(|p| !p.frame).map(|p| draw_part(p, lit(&p.id))) }
            </svg>
            <section class="walkthrough" data-kind="walkthrough" data-step={step.to_string()} aria-live="polite">
                <p class="eyebrow">{ format!("kubectl apply a Deployment · step {} of {n}", *step) }</p>
                <h3>{ current.title }</h3>
                <p>{ current.text.clone() }</p>
                <div class="walk-buttons">
                    <button type="button" class="action" data-action="back" onclick={back} disabled={*step <= 1}>{ "Back" }</button>
                    <button type="button" class="action primary-action" data-action="next" onclick={next} disabled={*step >= n}>{ "Next" }</button>
                </div>
            </section>
        </div>
    }
}

/// The "Network | Architecture" switch (`data-kind="view-toggle"`, buttons `data-view`).
pub fn view_toggle(architecture: UseStateHandle<bool>) -> Html {
    let on = *architecture;
    let set = |v: bool| {
        let architecture = architecture.clone();
        Callback::from(move |_: MouseEvent| architecture.set(v))
    };
    html! {
        <div class="view-toggle segmented" data-kind="view-toggle" role="group" aria-label="View">
            <button type="button" class={classes!("seg", (!on).then_some("active"))} data-view="network"
                aria-pressed={(!on).to_string()} onclick={set(false)}>{ "Network" }</button>
            <button type="button" class={classes!("seg", on.then_some("active"))} data-view="architecture"
                aria-pressed={on.to_string()} onclick={set(true)}>{ "Architecture" }</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    #[test]
    fn every_node_has_its_agents_and_paths() {
        let c = crate::model::build(&default_scenario()).unwrap();
        let a = architecture(&c);
        for n in &c.nodes {
            for (agent, _) in AGENTS {
                assert!(a.part(&format!("arch:{}/{agent}", n.id)).is_some());
            }
            let e = a
                .edges
                .iter()
                .find(|e| e.id == format!("arch-edge:kubelet-api:{}", n.name))
                .unwrap();
            assert!(!e.blocked);
        }
        // Only the API server talks to etcd.
        let etcd: Vec<&Edge> = a
            .edges
            .iter()
            .filter(|e| e.from == "arch:etcd" || e.to == "arch:etcd")
            .collect();
        assert_eq!(etcd.len(), 1);
        assert_eq!(etcd[0].from, "arch:kube-apiserver");
        // Every step highlights parts that are drawn.
        for s in walkthrough(&c) {
            for id in &s.ids {
                assert!(a.part(id).is_some(), "{id}");
            }
        }
    }

    #[test]
    fn many_nodes_are_summed_up() {
        let mut s = default_scenario();
        s.managed_node_groups[0].desired_capacity = 120;
        let c = crate::model::build(&s).unwrap();
        let a = architecture(&c);
        assert_eq!(a.more, 115);
        assert!(a.part("arch:more").is_some());
        let nodes = a
            .parts
            .iter()
            .filter(|p| p.frame && p.id.starts_with("arch:node:"))
            .count();
        assert_eq!(nodes, MAX_NODES_DRAWN);
    }

    /// The DOM contract of a tag: `data-kind data-id`, and for edges `data-from data-to
    /// data-via`, and `lit` when `data-highlight="true"`; one line per drawn thing.
    #[cfg(not(target_arch = "wasm32"))]
    fn contract(html: &str) -> Vec<String> {
        let attr = |tag: &str, name: &str| {
            let key = format!(" {name}=\"");
            tag.find(&key).map(|i| {
                let rest = &tag[i + key.len()..];
                rest[..rest.find('"').unwrap_or(rest.len())].to_string()
            })
        };
        let mut out: Vec<String> = html
            .split('<')
            .filter_map(|tag| {
                let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
                let kind = attr(tag, "data-kind")?;
                let mut line = format!("{kind} {}", attr(tag, "data-id").unwrap_or_default());
                if kind == "arch-edge" {
                    for a in ["data-from", "data-to", "data-via"] {
                        line.push_str(&format!(" {a}={}", attr(tag, a).unwrap_or_default()));
                    }
                }
                if attr(tag, "data-highlight").as_deref() == Some("true") {
                    line.push_str(" lit");
                }
                Some(line)
            })
            .collect();
        out.sort();
        out
    }

    /// The view rendered natively draws, for every gallery scenario, the same things (kinds,
    /// ids, edge ends, the first step's highlights) as the contract kept in
    /// `tests/fixtures/architecture/` (written from the view before its geometry moved to
    /// `layout`; `UPDATE_ARCH_FIXTURES=1` rewrites it after a deliberate change).
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn native_render_keeps_the_dom_contract() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/static/scenarios/gallery");
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/architecture");
        let mut names: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        names.sort();
        assert!(names.len() >= 8);
        for path in names {
            let s = crate::scenario::from_json(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let cluster = crate::model::build(&s).unwrap();
            let props = ArchitectureViewProps {
                cluster: Shared::new(std::rc::Rc::new(cluster)),
            };
            let html = futures_executor::block_on(
                yew::LocalServerRenderer::<ArchitectureView>::with_props(props)
                    .hydratable(false)
                    .render(),
            );
            let got = contract(&html).join("\n") + "\n";
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let fixture = format!("{fixtures}/{stem}.txt");
            if std::env::var_os("UPDATE_ARCH_FIXTURES").is_some() {
                std::fs::create_dir_all(fixtures).unwrap();
                std::fs::write(&fixture, &got).unwrap();
            }
            let want = std::fs::read_to_string(&fixture).unwrap_or_default();
            assert_eq!(
                got, want,
                "{stem}: the architecture view's DOM contract changed"
            );
        }
    }
}
