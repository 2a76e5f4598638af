//! Load balancers and Services over the network diagram: one chip per load balancer node in
//! its subnet (an NLB, CLB or ALB puts a node in each of its subnets, one per AZ), and a
//! service-CIDR band below the VPC with each Service's ClusterIP, ports, NodePorts and type,
//! and each Ingress with the ALB serving it.
//!
//! Placement, decided here rather than in the layout so the layout's shared code stays as it
//! is (see the report; a `lb_layout` in `src/layout` is the next step): in a subnet with a NAT
//! gateway the chips stack to the right of it; elsewhere they hang on the subnet's bottom
//! border at its right end. The band sits to the right of the workloads key, below the VPC.
//!
//! DOM contract: `data-kind="lb"` groups with `data-id="lb:<name>"` (the model's id, what hops
//! name), holding one `data-kind="lb-node"` per AZ with `data-id="lb:<name>/<az>"`,
//! `data-az`, `data-ip`; `data-kind="service-band"` with `data-cidr`; `data-kind="service"`
//! with `data-id="service:<ns>/<name>"`, `data-type`, `data-cluster-ip`; `data-kind="ingress"`
//! with `data-id="ingress:<ns>/<name>"` and `data-lb`.
//!
//! Pure: no DOM calls. What is drawn is computed as plain values first ([`services_view`]), so
//! the layer renders again only when they change.

use std::collections::HashMap;
use std::net::IpAddr;

use yew::prelude::*;

use super::svg::num;
use crate::layout::text::thousands;
use crate::layout::{Rect, Scene, WORKLOADS_ID};
use crate::model::Cluster;

const CHIP_W: f64 = 84.0;
const CHIP_H: f64 = 16.0;
/// Rows the service band draws at most (Services, then Ingresses): thousands of Services stay
/// a few hundred SVG elements; the band's title counts the rest.
const MAX_ROWS: usize = 40;

/// Every load balancer node's chip that fits its subnet: (load balancer index, node index,
/// rect).
pub fn lb_chips(cluster: &Cluster, scene: &Scene) -> Vec<(usize, usize, Rect)> {
    chip_layout(cluster, scene).0
}

/// The chips drawn, (load balancer, node, rect), and the "+N more" chips, (rect, N).
type ChipLayout = (Vec<(usize, usize, Rect)>, Vec<(Rect, usize)>);

/// The chips that fit, and for each subnet with more nodes than fit, where its "+N more"
/// chip goes and N: 10,000 ALBs are not 30,000 chips spilling over the diagram.
fn chip_layout(cluster: &Cluster, scene: &Scene) -> ChipLayout {
    let mut subnet_rects: HashMap<&str, Rect> = HashMap::new();
    let mut nat_rects: HashMap<&str, Rect> = HashMap::new();
    for s in scene.walk() {
        if let Some(name) = s.id.strip_prefix("subnet:") {
            subnet_rects.insert(name, s.rect);
            for c in &s.children {
                if c.id.starts_with("natgw:") {
                    nat_rects.insert(name, c.rect);
                }
            }
        }
    }
    // Each subnet's load balancer nodes, in the cluster's order.
    let mut per_subnet: Vec<Vec<(usize, usize)>> = vec![Vec::new(); cluster.subnets.len()];
    for (li, lb) in cluster.load_balancers.iter().enumerate() {
        for (ni, node) in lb.nodes.iter().enumerate() {
            if let Some(list) = per_subnet.get_mut(node.subnet) {
                list.push((li, ni));
            }
        }
    }
    let mut out = Vec::new();
    let mut more = Vec::new();
    for (si, nodes) in per_subnet.iter().enumerate() {
        if nodes.is_empty() {
            continue;
        }
        let name = cluster.subnets[si].name.as_str();
        let Some(r) = subnet_rects.get(name) else {
            continue;
        };
        // Stacked right of the NAT gateway, or along the bottom border from the right.
        let slot: Box<dyn Fn(usize) -> Rect> = match nat_rects.get(name) {
            Some(nat) if nat.right() + 8.0 + CHIP_W <= r.right() - 4.0 => {
                let (x, y0) = (nat.right() + 8.0, nat.y);
                let w = (r.right() - 6.0 - x).min(120.0);
                Box::new(move |k| Rect::new(x, y0 + k as f64 * (CHIP_H + 3.0), w, CHIP_H))
            }
            _ => {
                let (right, y) = (r.right() - 8.0 - CHIP_W, r.y + r.h - CHIP_H / 2.0);
                Box::new(move |k| Rect::new(right - k as f64 * (CHIP_W + 4.0), y, CHIP_W, CHIP_H))
            }
        };
        let fits = |rect: &Rect| rect.x >= r.x + 4.0 && rect.y + rect.h <= r.y + r.h + CHIP_H / 2.0;
        let room = (0..nodes.len())
            .take_while(|&k| fits(&slot(k)))
            .count()
            .max(1);
        let drawn = if nodes.len() <= room {
            nodes.len()
        } else {
            room - 1
        };
        for (k, &(li, ni)) in nodes.iter().take(drawn).enumerate() {
            out.push((li, ni, slot(k)));
        }
        if drawn < nodes.len() {
            more.push((slot(drawn), nodes.len() - drawn));
        }
    }
    (out, more)
}

/// The chip a hop at `lb:<name>` passes: the node whose address the previous hop sent to.
pub fn lb_anchor(
    cluster: &Cluster,
    chips: &[(usize, usize, Rect)],
    id: &str,
    prev_dst: Option<IpAddr>,
) -> Option<Rect> {
    let li = cluster.load_balancers.iter().position(|l| l.id == id)?;
    let lb = &cluster.load_balancers[li];
    let ni = prev_dst
        .and_then(|ip| {
            lb.nodes.iter().position(|n| {
                IpAddr::V4(n.private_ip) == ip || n.public_ip.map(IpAddr::V4) == Some(ip)
            })
        })
        .unwrap_or(0);
    chips
        .iter()
        .find(|(l, n, _)| *l == li && *n == ni)
        .map(|c| c.2)
}

/// The service band and each drawn Service's / Ingress's row: (id, rect).
pub fn service_rows(cluster: &Cluster, scene: &Scene) -> Option<(Rect, Vec<(String, Rect)>)> {
    let services: Vec<&crate::model::k8s::services::Service> = cluster
        .services
        .iter()
        .filter(|s| !s.system)
        .take(MAX_ROWS)
        .collect();
    let ingresses = &cluster.ingresses[..cluster.ingresses.len().min(MAX_ROWS - services.len())];
    if services.is_empty() && cluster.ingresses.is_empty() {
        return None;
    }
    let vpc = scene.find("vpc").map(|s| s.rect)?;
    let below = scene
        .find(WORKLOADS_ID)
        .map(|s| s.rect)
        .unwrap_or(Rect::new(vpc.x, vpc.y + vpc.h + 16.0, 0.0, 0.0));
    let x = if below.w > 0.0 {
        below.right() + 16.0
    } else {
        vpc.x
    };
    let w = (vpc.right() - x).clamp(320.0, 640.0);
    let rows = services.len() + ingresses.len();
    let band = Rect::new(x, below.y, w, 30.0 + rows as f64 * 22.0);
    let mut out = Vec::new();
    let mut y = band.y + 28.0;
    for s in services {
        out.push((s.id.clone(), Rect::new(x + 8.0, y, w - 16.0, 19.0)));
        y += 22.0;
    }
    for i in ingresses {
        out.push((i.id.clone(), Rect::new(x + 8.0, y, w - 16.0, 19.0)));
        y += 22.0;
    }
    Some((band, out))
}

/// What the load balancer chips and the service band draw, as plain values: computed on
/// every change of the cluster, compared, and drawn ([`ServicesLayer`]) only when it differs —
/// a toggle of externalTrafficPolicy changes none of it, and at 5,000 nodes the band has
/// 5,000 rows.
#[derive(Debug, Clone, PartialEq)]
pub struct ServicesView {
    lbs: Vec<LbView>,
    /// "+N more" chips where a subnet holds more load balancer nodes than fit.
    more: Vec<(Rect, String)>,
    band: Option<BandView>,
}

impl ServicesView {
    /// How many SVG elements [`ServicesLayer`] draws for this view: the diagram weighs them
    /// against its element budget (it cannot count inside a component it is handed).
    pub fn elements(&self) -> u32 {
        let lbs: usize = self.lbs.iter().map(|lb| 2 + 4 * lb.nodes.len()).sum();
        let band = self.band.as_ref().map_or(0, |b| 3 + 5 * b.rows.len());
        (1 + lbs + 3 * self.more.len() + band) as u32
    }
}

#[derive(Debug, Clone, PartialEq)]
struct LbView {
    class: String,
    id: String,
    title: String,
    nodes: Vec<LbNodeView>,
}

#[derive(Debug, Clone, PartialEq)]
struct LbNodeView {
    id: String,
    az: String,
    ip: String,
    rect: Rect,
    label: String,
    title: String,
}

#[derive(Debug, Clone, PartialEq)]
struct BandView {
    cidr: String,
    /// ` · 40 of 5,000 shown` when the band holds only the first [`MAX_ROWS`].
    more: String,
    rect: Rect,
    rows: Vec<RowView>,
}

/// A Service's or an Ingress's row in the band.
#[derive(Debug, Clone, PartialEq)]
struct RowView {
    id: String,
    /// `service` or `ingress`.
    kind: &'static str,
    /// A Service's type and ClusterIP.
    service: Option<(String, String)>,
    /// An Ingress's load balancer.
    lb: Option<String>,
    rect: Rect,
    name: String,
    meta: String,
}

/// The load balancer chips and the service band of `cluster` over `scene`.
pub fn services_view(cluster: &Cluster, scene: &Scene) -> ServicesView {
    let (chips, more) = chip_layout(cluster, scene);
    // Each load balancer's drawn chips, grouped in one pass.
    let mut by_lb: Vec<Vec<(usize, Rect)>> = vec![Vec::new(); cluster.load_balancers.len()];
    for &(li, ni, rect) in &chips {
        by_lb[li].push((ni, rect));
    }
    let lbs = cluster
        .load_balancers
        .iter()
        .zip(by_lb)
        .filter(|(_, drawn)| !drawn.is_empty())
        .map(|(lb, drawn)| LbView {
            class: format!("lb-{}", abbr(lb).to_lowercase()),
            id: lb.id.clone(),
            title: format!(
                "{} {} ({}, {}), {}",
                lb.kind.label(),
                lb.name,
                scheme(lb),
                target(lb),
                lb.dns_name
            ),
            nodes: drawn
                .into_iter()
                .map(|(ni, rect)| {
                    let n = &lb.nodes[ni];
                    LbNodeView {
                        id: format!("{}/{}", lb.id, n.az),
                        az: n.az.clone(),
                        ip: n.private_ip.to_string(),
                        rect,
                        label: format!("{} {}", abbr(lb), short_name(&lb.name)),
                        title: format!(
                            "{} node in {}: {}{}",
                            lb.kind.label(),
                            n.az,
                            n.private_ip,
                            n.public_ip
                                .map(|p| format!(", public {p}"))
                                .unwrap_or_default()
                        ),
                    }
                })
                .collect(),
        })
        .collect();
    let band = service_rows(cluster, scene).map(|(band, rows)| {
        let all = cluster.services.iter().filter(|s| !s.system).count() + cluster.ingresses.len();
        let more = if rows.len() < all {
            format!(" · {} of {all} shown", rows.len())
        } else {
            String::new()
        };
        let found: HashMap<String, Rect> = rows.into_iter().collect();
        let services = cluster
            .services
            .iter()
            .filter(|s| !s.system)
            .filter_map(|s| {
                let rect = *found.get(&s.id)?;
                let ports = s
                    .ports
                    .iter()
                    .map(|p| match p.node_port {
                        Some(np) => format!("{}→{} (NodePort {np})", p.port, p.target_port),
                        None => format!("{}→{}", p.port, p.target_port),
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                let ty = format!("{:?}", s.service_type);
                Some(RowView {
                    id: s.id.clone(),
                    kind: "service",
                    meta: format!(
                        "  {ty} · {} · {ports} · {} endpoints",
                        s.cluster_ip,
                        s.endpoints.len()
                    ),
                    service: Some((ty, s.cluster_ip.to_string())),
                    lb: None,
                    rect,
                    name: format!("{}/{}", s.namespace, s.name),
                })
            });
        let ingresses = cluster.ingresses.iter().filter_map(|i| {
            let rect = *found.get(&i.id)?;
            let lb = i.load_balancer.and_then(|k| cluster.load_balancers.get(k));
            Some(RowView {
                id: i.id.clone(),
                kind: "ingress",
                service: None,
                lb: lb.map(|l| l.id.clone()),
                rect,
                name: format!("Ingress {}/{}", i.namespace, i.name),
                meta: format!(
                    "  → {}",
                    lb.map_or("no ALB".to_string(), |l| format!("ALB {}", l.name))
                ),
            })
        });
        BandView {
            cidr: cluster.service_cidr.to_string(),
            more,
            rect: band,
            rows: services.chain(ingresses).collect(),
        }
    });
    let more = more
        .into_iter()
        .map(|(rect, n)| (rect, format!("+{} more", thousands(n as u64))))
        .collect();
    ServicesView { lbs, more, band }
}

#[derive(PartialEq, Properties)]
pub struct ServicesLayerProps {
    /// `None`: nothing to draw (no valid cluster yet).
    pub view: super::shared::Shared<Option<ServicesView>>,
}

/// The load balancer chips and the service band ([`services_view`]).
#[function_component(ServicesLayer)]
pub fn services_layer(props: &ServicesLayerProps) -> Html {
    let Some(view) = props.view.as_ref() else {
        return Html::default();
    };
    let lbs = view.lbs.iter().map(|lb| {
        html! {
            <g class={classes!("lb", lb.class.clone())} data-kind="lb" data-id={lb.id.clone()} aria-hidden="true">
                <title>{ lb.title.clone() }</title>
                { for lb.nodes.iter().map(|n| {
                    let r = n.rect;
                    html! {
                        <g class="lb-node" data-kind="lb-node" data-id={n.id.clone()}
                            data-az={n.az.clone()} data-ip={n.ip.clone()} aria-hidden="true">
                            <rect x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="4" />
                            <text x={num(r.x + 5.0)} y={num(r.y + r.h - 4.5)}>{ n.label.clone() }</text>
                            <title>{ n.title.clone() }</title>
                        </g>
                    }
                }) }
            </g>
        }
    });
    let more = view.more.iter().map(|(r, text)| {
        html! {
            <g class="lb-more" data-kind="lb-more" aria-hidden="true">
                <rect x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="4" />
                <text x={num(r.x + 5.0)} y={num(r.y + r.h - 4.5)}>{ text.clone() }</text>
            </g>
        }
    });
    let band = view.band.as_ref().map(|band| {
        let rows = band.rows.iter().map(|row| {
            let r = row.rect;
            let (ty, cluster_ip) = row.service.clone().unzip();
            html! {
                <g class={classes!("service", (row.kind == "ingress").then_some("ingress"))} data-kind={row.kind}
                    data-id={row.id.clone()} data-type={ty} data-cluster-ip={cluster_ip} data-lb={row.lb.clone()}
                    aria-hidden="true">
                    <rect x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="3" />
                    <text x={num(r.x + 6.0)} y={num(r.y + 13.5)}>
                        <tspan class="svc-name">{ row.name.clone() }</tspan>
                        <tspan class="svc-meta">{ row.meta.clone() }</tspan>
                    </text>
                </g>
            }
        });
        let b = band.rect;
        html! {
            <g class="service-band" data-kind="service-band" data-cidr={band.cidr.clone()}>
                <rect x={num(b.x)} y={num(b.y)} width={num(b.w)} height={num(b.h)} rx="6" />
                <text class="band-title" x={num(b.x + 8.0)} y={num(b.y + 18.0)}>
                    { format!("Service CIDR {} · ClusterIPs are virtual: kube-proxy's rules on every node{}", band.cidr, band.more) }
                </text>
                { for rows }
            </g>
        }
    });
    html! {
        <g class="services-layer">
            { for lbs }
            { for more }
            { for band }
        </g>
    }
}

/// NLB, CLB or ALB.
fn abbr(lb: &crate::model::aws::load_balancer::LoadBalancer) -> String {
    format!("{:?}", lb.kind).to_uppercase()
}

fn short_name(name: &str) -> String {
    let n = name.rsplit('/').next().unwrap_or(name);
    if n.chars().count() > 10 {
        format!("{}…", n.chars().take(9).collect::<String>())
    } else {
        n.to_string()
    }
}

fn scheme(lb: &crate::model::aws::load_balancer::LoadBalancer) -> String {
    format!("{:?}", lb.scheme).to_lowercase()
}

fn target(lb: &crate::model::aws::load_balancer::LoadBalancer) -> String {
    format!("target type {:?}", lb.target_type).to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Natively only: Yew's server renderer is driven by `futures-executor` here.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_element_count_is_what_the_layer_draws() {
        for text in [
            include_str!("../../static/scenarios/gallery/ingress-groups.json"),
            include_str!("../../static/scenarios/gallery/etp-cluster-vs-local.json"),
        ] {
            let c = crate::model::build(&crate::scenario::from_json(text).unwrap()).unwrap();
            let scene = crate::layout::layout(&c);
            let view = services_view(&c, &scene);
            let expected = view.elements();
            let props = ServicesLayerProps {
                view: super::super::shared::Shared::new(std::rc::Rc::new(Some(view))),
            };
            let svg = futures_executor::block_on(
                yew::LocalServerRenderer::<ServicesLayer>::with_props(props)
                    .hydratable(false)
                    .render(),
            );
            let opening = svg.matches('<').count() - svg.matches("</").count();
            assert_eq!(opening as u32, expected, "{svg}");
        }
    }

    #[test]
    fn the_etp_gallery_has_two_nlbs_in_three_public_subnets() {
        let s = crate::scenario::from_json(include_str!(
            "../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap();
        let c = crate::model::build(&s).unwrap();
        let scene = crate::layout::layout(&c);
        let chips = lb_chips(&c, &scene);
        assert_eq!(chips.len(), 6);
        // Each chip lies inside its subnet.
        for (li, ni, r) in &chips {
            let subnet = &c.subnets[c.load_balancers[*li].nodes[*ni].subnet];
            let sr = scene.find(&format!("subnet:{}", subnet.name)).unwrap().rect;
            assert!(
                r.x >= sr.x && r.right() <= sr.right() && r.y >= sr.y && r.y + r.h <= sr.y + sr.h,
                "{r:?} in {sr:?}"
            );
        }
        let (_, rows) = service_rows(&c, &scene).unwrap();
        assert_eq!(rows.len(), 2);
    }

    #[test]
    fn a_subnet_draws_the_chips_that_fit_and_counts_the_rest() {
        let mut s = crate::scenario::from_json(include_str!(
            "../../static/scenarios/gallery/ingress-groups.json"
        ))
        .unwrap();
        let template = s.ingresses[0].clone();
        s.ingresses = (0..2_000)
            .map(|i| crate::scenario::Ingress {
                name: format!("ing-{i}"),
                group_name: None,
                ..template.clone()
            })
            .collect();
        s.flows.clear();
        let c = crate::model::build(&s).unwrap();
        let scene = crate::layout::layout(&c);
        let (chips, more) = chip_layout(&c, &scene);
        let nodes: usize = c.load_balancers.iter().map(|l| l.nodes.len()).sum();
        assert!(nodes >= 500, "{nodes}");
        assert!(chips.len() < 100, "{} chips drawn", chips.len());
        assert_eq!(
            chips.len() + more.iter().map(|m| m.1).sum::<usize>(),
            nodes,
            "every node drawn or counted"
        );
        for (li, ni, r) in &chips {
            let subnet = &c.subnets[c.load_balancers[*li].nodes[*ni].subnet];
            let sr = scene.find(&format!("subnet:{}", subnet.name)).unwrap().rect;
            assert!(r.x >= sr.x && r.right() <= sr.right(), "{r:?} in {sr:?}");
        }
        let view = services_view(&c, &scene);
        assert!(view.elements() < 1_000, "{}", view.elements());
        assert!(view
            .more
            .iter()
            .all(|(_, t)| t.starts_with('+') && t.ends_with(" more")));
    }

    #[test]
    fn ingresses_point_at_their_alb_and_every_alb_node_is_drawn() {
        let s = crate::scenario::from_json(include_str!(
            "../../static/scenarios/gallery/ingress-groups.json"
        ))
        .unwrap();
        let c = crate::model::build(&s).unwrap();
        let scene = crate::layout::layout(&c);
        let chips = lb_chips(&c, &scene);
        let nodes: usize = c.load_balancers.iter().map(|l| l.nodes.len()).sum();
        assert_eq!(chips.len(), nodes);
        let (_, rows) = service_rows(&c, &scene).unwrap();
        for i in &c.ingresses {
            assert!(rows.iter().any(|(id, _)| *id == i.id), "{}", i.id);
        }
        let view = services_view(&c, &scene);
        let drawn = view.band.as_ref().unwrap().rows.len();
        assert_eq!(drawn, rows.len());
        assert!(view
            .band
            .unwrap()
            .rows
            .iter()
            .filter(|r| r.kind == "ingress")
            .all(|r| r.lb.is_some()));
    }
}
