//! Load balancers over the network map: one shape per load balancer (`lb:<name>`, a group with
//! no box of its own) holding one chip per node it has in a subnet (`lb:<name>/<az>`: an NLB,
//! CLB or ALB puts a node in each of its subnets, one per AZ), and a "+N more" chip
//! (`lb-more:<subnet>`) where a subnet holds more nodes than fit.
//!
//! Placement: in a subnet with a NAT gateway the chips stack to the right of it; elsewhere they
//! hang on the subnet's bottom border from its right end. Each chip carries its node's `az`,
//! `ip` and public address as DOM facts, which is how a traced path finds the node it passes
//! ([`super::trace_path`]).

use std::collections::HashMap;

use super::geometry::Rect;
use super::scene::{Anchor, Kind, Scene, Shape, TextStyle};
use super::text::thousands;
use crate::model::aws::load_balancer::LoadBalancer;
use crate::model::{Cluster, Id};

const CHIP_W: f64 = 84.0;
const CHIP_H: f64 = 16.0;

/// Every load balancer with the chips of its nodes that fit, then the "+N more" chips.
pub fn load_balancers(cluster: &Cluster, scene: &Scene) -> Vec<Shape> {
    let (chips, more) = chip_layout(cluster, scene);
    let mut by_lb: Vec<Vec<(usize, Rect)>> = vec![Vec::new(); cluster.load_balancers.len()];
    for &(li, ni, rect) in &chips {
        by_lb[li].push((ni, rect));
    }
    let mut out: Vec<Shape> = cluster
        .load_balancers
        .iter()
        .zip(by_lb)
        .enumerate()
        .filter(|(_, (_, drawn))| !drawn.is_empty())
        .map(|(i, (lb, drawn))| lb_shape(lb, &listeners(cluster, i), &drawn))
        .collect();
    out.extend(more.into_iter().map(|(subnet, rect, n)| {
        let mut chip = Shape::new(Id::LbMore(subnet.clone()), Kind::LbMore, rect);
        let text = format!("+{} more", thousands(n as u64));
        chip.name = format!("{text} load balancer nodes in {subnet}");
        chip.text(
            rect.x + 5.0,
            rect.bottom() - 4.5,
            text,
            TextStyle::Chip,
            Anchor::Start,
        );
        chip
    }));
    out
}

/// The listeners of load balancer `i`: a Service's ports (`TCP 80`), or HTTP 80 for an
/// Ingress's ALB, as the tracer enters them.
fn listeners(cluster: &Cluster, i: usize) -> Vec<String> {
    let mut out: Vec<String> = cluster
        .services
        .iter()
        .filter(|s| s.load_balancer_index == Some(i))
        .flat_map(|s| &s.ports)
        .map(|p| format!("{:?} {}", p.protocol, p.port).to_ascii_uppercase())
        .collect();
    if cluster.ingresses.iter().any(|g| g.load_balancer == Some(i)) {
        out.push("HTTP 80".into());
    }
    out.dedup();
    out
}

fn lb_shape(lb: &LoadBalancer, listeners: &[String], drawn: &[(usize, Rect)]) -> Shape {
    let rect = drawn
        .iter()
        .map(|d| d.1)
        .reduce(|a, b| a.union(&b))
        .unwrap_or_default();
    let mut shape = Shape::new(lb.id.clone(), Kind::Lb, rect);
    shape.name = format!(
        "{} {} ({}, target type {}), {}, listening on {}",
        lb.kind.label(),
        lb.name,
        format!("{:?}", lb.scheme).to_ascii_lowercase(),
        format!("{:?}", lb.target_type).to_ascii_lowercase(),
        lb.dns_name,
        if listeners.is_empty() {
            "nothing".to_string()
        } else {
            listeners.join(", ")
        }
    );
    shape
        .attrs
        .push(("data-lb-kind", abbr(lb).to_ascii_lowercase()));
    shape.attrs.push(("data-listeners", listeners.join(" ")));
    shape.children = drawn
        .iter()
        .map(|&(ni, rect)| {
            let n = &lb.nodes[ni];
            let mut chip = Shape::new(
                Id::LbNode {
                    lb: lb.name.clone(),
                    az: n.az.clone(),
                },
                Kind::LbNode,
                rect,
            );
            chip.name = format!(
                "{} {} node in {}: {}{}",
                lb.kind.label(),
                lb.name,
                n.az,
                n.private_ip,
                n.public_ip
                    .map(|p| format!(", public {p}"))
                    .unwrap_or_default()
            );
            chip.attrs.push(("data-az", n.az.clone()));
            if !listeners.is_empty() {
                chip.name
                    .push_str(&format!(", listening on {}", listeners.join(", ")));
            }
            chip.attrs.push(("data-ip", n.private_ip.to_string()));
            if let Some(p) = n.public_ip {
                chip.attrs.push(("data-public-ip", p.to_string()));
            }
            chip.text(
                rect.x + 5.0,
                rect.bottom() - 4.5,
                format!("{} {}", abbr(lb), short_name(&lb.name)),
                TextStyle::Chip,
                Anchor::Start,
            );
            chip
        })
        .collect();
    shape
}

/// The chips drawn, (load balancer, node, rect), and the "+N more" chips, (subnet, rect, N).
type ChipLayout = (Vec<(usize, usize, Rect)>, Vec<(String, Rect, usize)>);

/// The chips that fit, and for each subnet with more nodes than fit, where its "+N more"
/// chip goes and N: 10,000 ALBs are not 30,000 chips spilling over the diagram.
fn chip_layout(cluster: &Cluster, scene: &Scene) -> ChipLayout {
    let mut subnet_rects: HashMap<&Id, Rect> = HashMap::new();
    let mut nat_rects: HashMap<&Id, Rect> = HashMap::new();
    for s in subnets(&scene.shapes) {
        subnet_rects.insert(&s.id, s.rect);
        if let Some(nat) = s.children.iter().find(|c| c.kind == Kind::NatGw) {
            nat_rects.insert(&s.id, nat.rect);
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
        let subnet = &cluster.subnets[si];
        let Some(r) = subnet_rects.get(&subnet.id) else {
            continue;
        };
        let slot = Slots::new(*r, nat_rects.get(&subnet.id).copied());
        let room = (0..nodes.len())
            .take_while(|&k| slot.fits(k))
            .count()
            .max(1);
        let drawn = if nodes.len() <= room {
            nodes.len()
        } else {
            room - 1
        };
        for (k, &(li, ni)) in nodes.iter().take(drawn).enumerate() {
            out.push((li, ni, slot.at(k)));
        }
        if drawn < nodes.len() {
            more.push((subnet.name.clone(), slot.at(drawn), nodes.len() - drawn));
        }
    }
    (out, more)
}

/// The subnets among `shapes`, found through the frames that hold them (cloud, Region, VPC,
/// AZ) without walking into the nodes: at 5,000 nodes that is a few dozen shapes, not tens of
/// thousands, on every repaint that lays the overlay out again.
fn subnets(shapes: &[Shape]) -> Vec<&Shape> {
    let mut out = Vec::new();
    let mut stack: Vec<&Shape> = shapes.iter().rev().collect();
    while let Some(s) = stack.pop() {
        match s.kind {
            Kind::Subnet => out.push(s),
            k if k.is_frame() => stack.extend(s.children.iter().rev()),
            _ => {}
        }
    }
    out
}

/// Where the `k`-th chip of a subnet goes: stacked right of its NAT gateway, or along its
/// bottom border from the right.
struct Slots {
    subnet: Rect,
    beside_nat: Option<(f64, f64, f64)>,
}

impl Slots {
    fn new(subnet: Rect, nat: Option<Rect>) -> Slots {
        let beside_nat = nat
            .filter(|nat| nat.right() + 8.0 + CHIP_W <= subnet.right() - 4.0)
            .map(|nat| {
                let x = nat.right() + 8.0;
                (x, nat.y, (subnet.right() - 6.0 - x).min(120.0))
            });
        Slots { subnet, beside_nat }
    }

    fn at(&self, k: usize) -> Rect {
        match self.beside_nat {
            Some((x, y0, w)) => Rect::new(x, y0 + k as f64 * (CHIP_H + 3.0), w, CHIP_H),
            None => Rect::new(
                self.subnet.right() - 8.0 - CHIP_W - k as f64 * (CHIP_W + 4.0),
                self.subnet.bottom() - CHIP_H / 2.0,
                CHIP_W,
                CHIP_H,
            ),
        }
    }

    fn fits(&self, k: usize) -> bool {
        let r = self.at(k);
        r.x >= self.subnet.x + 4.0 && r.bottom() <= self.subnet.bottom() + CHIP_H / 2.0
    }
}

/// NLB, CLB or ALB.
fn abbr(lb: &LoadBalancer) -> String {
    format!("{:?}", lb.kind).to_ascii_uppercase()
}

/// A load balancer's name as a chip has room for: its last part, cut at ten characters.
fn short_name(name: &str) -> String {
    let n = name.rsplit('/').next().unwrap_or(name);
    if n.chars().count() > 10 {
        format!("{}…", n.chars().take(9).collect::<String>())
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::layout;

    fn gallery(name: &str) -> crate::scenario::Scenario {
        let text = std::fs::read_to_string(format!(
            "{}/static/scenarios/gallery/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        crate::scenario::from_json(&text).unwrap()
    }

    #[test]
    fn the_etp_gallery_has_two_nlbs_with_a_node_in_each_public_subnet() {
        let c = crate::model::build(&gallery("etp-cluster-vs-local")).unwrap();
        let scene = layout(&c);
        let chips: Vec<&Shape> = scene.walk().filter(|s| s.kind == Kind::LbNode).collect();
        assert_eq!(chips.len(), 6);
        let lbs: Vec<&Shape> = scene.walk().filter(|s| s.kind == Kind::Lb).collect();
        assert_eq!(lbs.len(), 2);
        // Each NLB listens on its Service's port.
        for lb in lbs {
            assert_eq!(lb.attr("data-listeners"), Some("TCP 80"), "{}", lb.id);
        }
        for chip in chips {
            let Id::LbNode { lb, az } = &chip.id else {
                panic!("{}", chip.id)
            };
            let lb = c.load_balancers.iter().find(|l| &l.name == lb).unwrap();
            let node = lb.nodes.iter().find(|n| &n.az == az).unwrap();
            assert_eq!(
                chip.attr("data-ip"),
                Some(node.private_ip.to_string().as_str())
            );
            let subnet = scene.find(&c.subnets[node.subnet].id).unwrap().rect;
            let r = chip.rect;
            assert!(
                r.x >= subnet.x && r.right() <= subnet.right() && r.y >= subnet.y,
                "{r:?} in {subnet:?}"
            );
        }
    }

    #[test]
    fn a_subnet_draws_the_chips_that_fit_and_counts_the_rest() {
        let mut s = gallery("ingress-groups");
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
        let scene = layout(&c);
        let (chips, more) = chip_layout(&c, &scene);
        let nodes: usize = c.load_balancers.iter().map(|l| l.nodes.len()).sum();
        assert!(nodes >= 500, "{nodes}");
        assert!(chips.len() < 100, "{} chips drawn", chips.len());
        assert_eq!(
            chips.len() + more.iter().map(|m| m.2).sum::<usize>(),
            nodes,
            "every node drawn or counted"
        );
        let shapes = load_balancers(&c, &scene);
        let drawn: usize = shapes.iter().map(|s| s.walk().count()).sum();
        assert!(drawn < 200, "{drawn} shapes");
        assert!(shapes
            .iter()
            .filter(|s| s.kind == Kind::LbMore)
            .all(|s| s.texts[0].text.starts_with('+') && s.texts[0].text.ends_with(" more")));
    }

    #[test]
    fn every_alb_node_of_the_ingress_gallery_is_drawn() {
        let c = crate::model::build(&gallery("ingress-groups")).unwrap();
        let scene = layout(&c);
        let nodes: usize = c.load_balancers.iter().map(|l| l.nodes.len()).sum();
        assert_eq!(
            scene.walk().filter(|s| s.kind == Kind::LbNode).count(),
            nodes
        );
        // An ALB of Ingresses listens on HTTP 80.
        assert!(scene
            .walk()
            .filter(|s| s.kind == Kind::Lb && s.attr("data-lb-kind") == Some("alb"))
            .all(|s| s.attr("data-listeners") == Some("HTTP 80")));
    }

    #[test]
    fn short_names_keep_the_last_part() {
        assert_eq!(short_name("default/web"), "web");
        assert_eq!(short_name("a-very-long-name"), "a-very-lo…");
    }
}
