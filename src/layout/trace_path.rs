//! A traced flow placed on a scene: a path through the centres of the shapes its hops happen
//! at, one numbered stop per place, a share bar under each pod that gets connections, and a
//! mark on each node the load balancer skips. A pure function of the scene and the trace, so
//! the page, `embed.html` and every export draw the same path.
//!
//! A hop at a load balancer (`lb:<name>`) stops at the chip of the node the previous hop sent
//! the packet to (its `ip` or `public-ip` fact). Hops at things the scene does not draw (a
//! security group) have no stop; the hop table lists them.

use std::collections::HashMap;
use std::net::IpAddr;

use super::geometry::{Point, Rect};
use super::scene::{Kind, Scene, Shape};
use crate::model::traffic::Trace;
use crate::model::Id;

/// One numbered stop of the path, at the centre of the shape `at`.
#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    pub at: Id,
    pub center: Point,
}

/// A pod's share of new connections, as a bar under its cell.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareBar {
    /// The pod's id.
    pub pod_id: Id,
    /// Its share as a fraction (`1/4`).
    pub share: String,
    /// `web-0: 1/4 of new connections`.
    pub title: String,
    pub track: Rect,
    /// The filled part: its width is the share over the largest share.
    pub fill: Rect,
}

/// A node that gets no connections, with the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// The node's name.
    pub node: String,
    pub title: String,
    pub rect: Rect,
}

/// A trace placed on a scene.
#[derive(Debug, Clone, PartialEq)]
pub struct TracePath {
    /// The flow's id (`internet->service/web`).
    pub flow: String,
    /// The packet was dropped: the path is drawn as stopping short.
    pub dropped: bool,
    /// Repeated places merged: a path of N places has N stops.
    pub stops: Vec<Stop>,
    pub shares: Vec<ShareBar>,
    pub skipped: Vec<Skipped>,
}

/// Places `trace` (of the flow `flow`) on `scene`.
pub fn trace_path(scene: &Scene, flow: &str, trace: &Trace) -> TracePath {
    // The shapes the trace names, found in one walk.
    let mut wanted: HashMap<&Id, Option<&Shape>> = HashMap::new();
    for h in &trace.hops {
        wanted.insert(&h.at, None);
    }
    for s in &trace.shares {
        wanted.insert(&s.id, None);
    }
    let node_ids: Vec<Id> = trace
        .unhealthy_nodes
        .iter()
        .map(|u| Id::node(&u.node))
        .collect();
    for id in &node_ids {
        wanted.insert(id, None);
    }
    for s in scene.walk() {
        if let Some(slot) = wanted.get_mut(&s.id) {
            slot.get_or_insert(s);
        }
    }
    let found = |id: &Id| wanted.get(id).copied().flatten();

    let mut stops: Vec<Stop> = Vec::new();
    for (i, hop) in trace.hops.iter().enumerate() {
        let Some(shape) = found(&hop.at) else {
            continue;
        };
        let rect = if shape.kind == Kind::Lb {
            let prev = i.checked_sub(1).map(|p| trace.hops[p].dst.ip());
            match lb_node(shape, prev) {
                Some(r) => r,
                None => continue,
            }
        } else {
            shape.rect
        };
        if stops.last().is_some_and(|s| s.at == hop.at) {
            continue;
        }
        stops.push(Stop {
            at: hop.at.clone(),
            center: rect.center(),
        });
    }

    let max = trace
        .shares
        .iter()
        .map(|s| s.share.to_f64())
        .fold(0.0_f64, f64::max);
    let shares = trace
        .shares
        .iter()
        .filter_map(|s| {
            let r = found(&s.id)?.rect;
            let frac = if max > 0.0 {
                s.share.to_f64() / max
            } else {
                0.0
            };
            let h = (r.h * 0.3).clamp(3.0, 6.0);
            let track = Rect::new(r.x, r.bottom() + 1.0, r.w, h);
            Some(ShareBar {
                pod_id: s.id.clone(),
                share: s.share.to_string(),
                title: format!("{}: {} of new connections", s.pod, s.share),
                track,
                fill: Rect::new(track.x, track.y, track.w * frac, h),
            })
        })
        .collect();
    let skipped = trace
        .unhealthy_nodes
        .iter()
        .zip(&node_ids)
        .filter_map(|(u, id)| {
            Some(Skipped {
                node: u.node.clone(),
                title: format!("{}: {}", u.node, u.reason),
                rect: found(id)?.rect,
            })
        })
        .collect();
    TracePath {
        flow: flow.to_string(),
        dropped: !trace.verdict.is_delivered(),
        stops,
        shares,
        skipped,
    }
}

/// The chip of the load balancer's node that `to` (the previous hop's destination) names,
/// else its first chip drawn.
fn lb_node(lb: &Shape, to: Option<IpAddr>) -> Option<Rect> {
    let to = to.map(|ip| ip.to_string());
    lb.children
        .iter()
        .find(|n| {
            to.as_deref().is_some_and(|ip| {
                n.attr("data-ip") == Some(ip) || n.attr("data-public-ip") == Some(ip)
            })
        })
        .or(lb.children.first())
        .map(|n| n.rect)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::traffic::{Flow, Tracer};

    fn traced(name: &str) -> (Scene, Trace, String) {
        let text = std::fs::read_to_string(format!(
            "{}/static/scenarios/gallery/{name}.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap();
        let s = crate::scenario::from_json(&text).unwrap();
        let c = crate::model::build(&s).unwrap();
        let scene = crate::layout::layout(&c);
        let id = format!("{}->{}", s.flows[0].from, s.flows[0].to);
        let flow: Flow = id.parse().unwrap();
        let trace = Tracer::new(&c, &s.security_groups).trace(&flow).unwrap();
        (scene, trace, id)
    }

    #[test]
    fn the_path_stops_at_drawn_places_and_at_the_nlb_node_the_client_reached() {
        let (scene, trace, flow) = traced("etp-cluster-vs-local");
        let path = trace_path(&scene, &flow, &trace);
        assert!(path.stops.len() >= 3, "{path:?}");
        for stop in &path.stops {
            assert!(scene.find(&stop.at).is_some(), "{}", stop.at);
        }
        let lb_hop = trace
            .hops
            .iter()
            .position(|h| matches!(h.at, Id::Lb(_)))
            .unwrap();
        let lb_stop = path
            .stops
            .iter()
            .find(|s| s.at == trace.hops[lb_hop].at)
            .unwrap();
        let reached = trace.hops[lb_hop - 1].dst.ip().to_string();
        let chip = scene
            .walk()
            .find(|s| {
                s.kind == Kind::LbNode
                    && (s.attr("data-ip") == Some(&reached)
                        || s.attr("data-public-ip") == Some(&reached))
            })
            .unwrap();
        assert_eq!(lb_stop.center, chip.rect.center());
        assert!(path.stops.last().unwrap().at.prefix() == "pod");
        assert!(!path.dropped);
    }

    #[test]
    fn share_bars_sit_under_their_pods_and_the_largest_is_full() {
        let (scene, trace, flow) = traced("etp-cluster-vs-local");
        let path = trace_path(&scene, &flow, &trace);
        assert!(!path.shares.is_empty());
        for bar in &path.shares {
            let pod = scene.find(&bar.pod_id).unwrap().rect;
            assert!(bar.track.y > pod.bottom() && bar.fill.w <= bar.track.w);
        }
        assert!(path.shares.iter().any(|b| b.fill.w == b.track.w));
    }
}
