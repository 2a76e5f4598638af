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
//! Pure: no DOM calls.

use std::collections::HashMap;
use std::net::IpAddr;

use yew::prelude::*;

use super::svg::num;
use crate::layout::{Rect, Scene, WORKLOADS_ID};
use crate::model::Cluster;

const CHIP_W: f64 = 84.0;
const CHIP_H: f64 = 16.0;
/// Rows the service band draws at most (Services, then Ingresses): thousands of Services stay
/// a few hundred SVG elements; the band's title counts the rest.
const MAX_ROWS: usize = 40;

/// Every load balancer node's chip: (load balancer index, node index, rect).
pub fn lb_chips(cluster: &Cluster, scene: &Scene) -> Vec<(usize, usize, Rect)> {
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
    let mut per_subnet: HashMap<usize, usize> = HashMap::new();
    let mut out = Vec::new();
    for (li, lb) in cluster.load_balancers.iter().enumerate() {
        for (ni, node) in lb.nodes.iter().enumerate() {
            let Some(subnet) = cluster.subnets.get(node.subnet) else {
                continue;
            };
            let Some(r) = subnet_rects.get(subnet.name.as_str()) else {
                continue;
            };
            let k = per_subnet.entry(node.subnet).or_default();
            let rect = match nat_rects.get(subnet.name.as_str()) {
                Some(nat) if nat.right() + 8.0 + CHIP_W <= r.right() - 4.0 => {
                    let w = (r.right() - 6.0 - (nat.right() + 8.0)).min(120.0);
                    Rect::new(
                        nat.right() + 8.0,
                        nat.y + *k as f64 * (CHIP_H + 3.0),
                        w,
                        CHIP_H,
                    )
                }
                _ => Rect::new(
                    r.right() - 8.0 - CHIP_W - *k as f64 * (CHIP_W + 4.0),
                    r.y + r.h - CHIP_H / 2.0,
                    CHIP_W,
                    CHIP_H,
                ),
            };
            *k += 1;
            out.push((li, ni, rect));
        }
    }
    out
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

/// The load balancer chips and the service band.
pub fn services_layer(cluster: &Cluster, scene: &Scene) -> Html {
    let chips = lb_chips(cluster, scene);
    let lbs = cluster.load_balancers.iter().enumerate().map(|(li, lb)| {
        let mine: Vec<&(usize, usize, Rect)> = chips.iter().filter(|c| c.0 == li).collect();
        html! {
            <g class={classes!("lb", format!("lb-{}", abbr(lb).to_lowercase()))} data-kind="lb" data-id={lb.id.clone()} aria-hidden="true">
                <title>{ format!("{} {} ({}, {}), {}", lb.kind.label(), lb.name, scheme(lb), target(lb), lb.dns_name) }</title>
                { for mine.iter().map(|(_, ni, r)| {
                    let n = &lb.nodes[*ni];
                    let label = format!("{} {}", abbr(lb), short_name(&lb.name));
                    html! {
                        <g class="lb-node" data-kind="lb-node" data-id={format!("{}/{}", lb.id, n.az)}
                            data-az={n.az.clone()} data-ip={n.private_ip.to_string()} aria-hidden="true">
                            <rect x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="4" />
                            <text x={num(r.x + 5.0)} y={num(r.y + r.h - 4.5)}>{ label }</text>
                            <title>{ format!("{} node in {}: {}{}", lb.kind.label(), n.az, n.private_ip,
                                n.public_ip.map(|p| format!(", public {p}")).unwrap_or_default()) }</title>
                        </g>
                    }
                }) }
            </g>
        }
    });
    let band = service_rows(cluster, scene).map(|(band, rows)| {
        let all = cluster.services.iter().filter(|s| !s.system).count() + cluster.ingresses.len();
        let more = if rows.len() < all {
            format!(" · {} of {all} shown", rows.len())
        } else {
            String::new()
        };
        let found: HashMap<String, Rect> = rows.into_iter().collect();
        let svc_rows = cluster.services.iter().filter(|s| !s.system).filter_map(|s| {
            let r = found.get(&s.id)?;
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
            Some(html! {
                <g class="service" data-kind="service" data-id={s.id.clone()} data-type={ty.clone()}
                    data-cluster-ip={s.cluster_ip.to_string()} aria-hidden="true">
                    <rect x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="3" />
                    <text x={num(r.x + 6.0)} y={num(r.y + 13.5)}>
                        <tspan class="svc-name">{ format!("{}/{}", s.namespace, s.name) }</tspan>
                        <tspan class="svc-meta">{ format!("  {ty} · {} · {ports} · {} endpoints", s.cluster_ip, s.endpoints.len()) }</tspan>
                    </text>
                </g>
            })
        });
        let ing_rows = cluster.ingresses.iter().filter_map(|i| {
            let r = found.get(&i.id)?;
            let lb = i
                .load_balancer
                .and_then(|k| cluster.load_balancers.get(k));
            Some(html! {
                <g class="service ingress" data-kind="ingress" data-id={i.id.clone()}
                    data-lb={lb.map(|l| l.id.clone())} aria-hidden="true">
                    <rect x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="3" />
                    <text x={num(r.x + 6.0)} y={num(r.y + 13.5)}>
                        <tspan class="svc-name">{ format!("Ingress {}/{}", i.namespace, i.name) }</tspan>
                        <tspan class="svc-meta">{ format!("  → {}", lb.map_or("no ALB".to_string(), |l| format!("ALB {}", l.name))) }</tspan>
                    </text>
                </g>
            })
        });
        html! {
            <g class="service-band" data-kind="service-band" data-cidr={cluster.service_cidr.to_string()}>
                <rect x={num(band.x)} y={num(band.y)} width={num(band.w)} height={num(band.h)} rx="6" />
                <text class="band-title" x={num(band.x + 8.0)} y={num(band.y + 18.0)}>
                    { format!("Service CIDR {} · ClusterIPs are virtual: kube-proxy's rules on every node{more}", cluster.service_cidr) }
                </text>
                { for svc_rows }
                { for ing_rows }
            </g>
        }
    });
    html! {
        <g class="services-layer">
            { for lbs }
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
        let _ = services_layer(&c, &scene);
    }
}
