//! [`traffic_overlay`]: the traced flow drawn over the scene — a path through the centres of
//! the shapes its hops happen at, a dot moving along it (SVG `animateMotion`; hidden under
//! `prefers-reduced-motion`), a share bar on each pod that gets connections and a mark on each
//! node the load balancer skips.
//!
//! DOM contract: `data-kind="flow-path"` (`<g>` with `data-flow`; its `<polyline>` and
//! `data-kind="flow-stop"` circles with `data-at`), `data-kind="share"` (`data-pod-id`,
//! `data-share="1/4"`, bar width ∝ share, on the pod's shape), `data-kind="no-share"`
//! (`data-node`, `<title>` with the reason). Hops at things the scene does not draw (a load
//! balancer, a security group) are skipped by the line but listed in the hop table.
//!
//! Pure: no DOM calls, so it renders natively too.

use std::collections::HashMap;

use yew::prelude::*;

use super::flow_panel::Shown;
use super::lb_overlay::{lb_anchor, lb_chips};
use super::svg::num;
use crate::layout::{Rect, Scene};
use crate::model::Cluster;

/// The rects of the drawn shapes with these ids (one walk of the scene).
fn rects(scene: &Scene, ids: &[&str]) -> HashMap<String, Rect> {
    let mut out = HashMap::new();
    for s in scene.walk() {
        if ids.contains(&s.id.as_str()) {
            out.insert(s.id.clone(), s.rect);
        }
    }
    out
}

/// The points of the path: the centre of each drawn hop, repeated places merged. `extra`
/// holds hop positions drawn outside the scene (a load balancer node's chip).
pub fn path_points(
    scene: &Scene,
    hops: &[&str],
    extra: &HashMap<usize, Rect>,
) -> Vec<(String, f64, f64)> {
    let found = rects(scene, hops);
    let mut out: Vec<(String, f64, f64)> = Vec::new();
    for (i, at) in hops.iter().enumerate() {
        let Some(r) = found.get(*at).or_else(|| extra.get(&i)) else {
            continue;
        };
        let c = r.center();
        if out.last().is_some_and(|(id, _, _)| id == at) {
            continue;
        }
        out.push((at.to_string(), c.x, c.y));
    }
    out
}

/// The overlay for the flow shown ([`super::flow_panel::shown_flow`]); empty when there is
/// none or it could not be traced.
pub fn traffic_overlay(cluster: &Cluster, scene: &Scene, shown: Option<&Shown>) -> Html {
    let Some(Shown {
        flow,
        trace: Ok(trace),
    }) = shown
    else {
        return Html::default();
    };
    let hops: Vec<&str> = trace.hops.iter().map(|h| h.at.as_str()).collect();
    let chips = lb_chips(cluster, scene);
    let extra: HashMap<usize, Rect> = trace
        .hops
        .iter()
        .enumerate()
        .filter(|(_, h)| h.at.starts_with("lb:"))
        .filter_map(|(i, h)| {
            let prev = i.checked_sub(1).map(|p| trace.hops[p].dst.ip());
            Some((i, lb_anchor(cluster, &chips, &h.at, prev)?))
        })
        .collect();
    let points = path_points(scene, &hops, &extra);
    let line: String = points
        .iter()
        .map(|(_, x, y)| format!("{},{}", num(*x), num(*y)))
        .collect::<Vec<_>>()
        .join(" ");
    let motion: String = points
        .iter()
        .enumerate()
        .map(|(i, (_, x, y))| format!("{}{},{}", if i == 0 { "M" } else { "L" }, num(*x), num(*y)))
        .collect::<Vec<_>>()
        .join(" ");
    let secs = (points.len() as f64 * 0.6).max(2.0);
    let pod_ids: Vec<&str> = trace.shares.iter().map(|s| s.id.as_str()).collect();
    let pods = rects(scene, &pod_ids);
    let max = trace
        .shares
        .iter()
        .map(|s| s.share.to_f64())
        .fold(0.0_f64, f64::max);
    let node_ids: Vec<String> = trace
        .unhealthy_nodes
        .iter()
        .map(|u| format!("node:{}", u.node))
        .collect();
    let node_refs: Vec<&str> = node_ids.iter().map(String::as_str).collect();
    let nodes = rects(scene, &node_refs);
    let dropped = !trace.verdict.is_delivered();

    html! {
        <g class={classes!("traffic-overlay", dropped.then_some("dropped"))} aria-hidden="true">
            <g class="flow-path" data-kind="flow-path" data-flow={flow.clone()}>
                if points.len() > 1 {
                    <polyline class="flow-line" points={line} />
                }
                { for points.iter().enumerate().map(|(i, (at, x, y))| html! {
                    <g class="flow-stop" data-kind="flow-stop" data-at={at.clone()}>
                        <circle cx={num(*x)} cy={num(*y)} r="6.5" />
                        <text x={num(*x)} y={num(*y + 2.8)} text-anchor="middle">{ i + 1 }</text>
                    </g>
                }) }
                if points.len() > 1 {
                    <circle class="flow-dot" r="6">
                        <animateMotion dur={format!("{secs}s")} repeatCount="indefinite" path={motion} />
                    </circle>
                }
            </g>
            { for trace.shares.iter().filter_map(|s| {
                let r = pods.get(&s.id)?;
                let frac = if max > 0.0 { s.share.to_f64() / max } else { 0.0 };
                let h = (r.h * 0.3).clamp(3.0, 6.0);
                let y = r.y + r.h + 1.0;
                Some(html! {
                    <g class="share" data-kind="share" data-pod-id={s.id.clone()} data-share={s.share.to_string()}>
                        <rect class="share-track" x={num(r.x)} y={num(y)} width={num(r.w)} height={num(h)} />
                        <rect class="share-fill" x={num(r.x)} y={num(y)} width={num(r.w * frac)} height={num(h)} />
                        <title>{ format!("{}: {} of new connections", s.pod, s.share) }</title>
                    </g>
                })
            }) }
            { for trace.unhealthy_nodes.iter().filter_map(|u| {
                let r = nodes.get(&format!("node:{}", u.node))?;
                Some(html! {
                    <g class="no-share" data-kind="no-share" data-node={u.node.clone()}>
                        <rect x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="6" />
                        <text x={num(r.x + r.w - 6.0)} y={num(r.y + r.h - 6.0)} text-anchor="end">{ "no traffic" }</text>
                        <title>{ format!("{}: {}", u.node, u.reason) }</title>
                    </g>
                })
            }) }
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::flow_panel::trace_flow;

    #[test]
    fn the_path_goes_through_drawn_hops_only() {
        let s = crate::scenario::from_json(include_str!(
            "../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap();
        let c = crate::model::build(&s).unwrap();
        let scene = crate::layout::layout(&c);
        let t = trace_flow(&c, &s, "internet->service/web-local").unwrap();
        let hops: Vec<&str> = t.hops.iter().map(|h| h.at.as_str()).collect();
        let points = path_points(&scene, &hops, &HashMap::new());
        assert!(points.len() >= 2, "{hops:?}");
        assert!(points.iter().all(|(id, _, _)| scene.find(id).is_some()));
        assert!(points.last().unwrap().0.starts_with("pod:"), "{points:?}");
    }
}

#[cfg(test)]
mod timing {
    use super::*;

    #[test]
    #[ignore = "timing only: cargo test --release --lib overlay_at_scale -- --ignored --nocapture"]
    fn overlay_at_scale() {
        let mut s = crate::scenario::from_json(include_str!(
            "../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap();
        s.managed_node_groups[0].desired_capacity = 1000;
        for w in &mut s.workloads {
            w.node_selector.clear();
            w.replicas = 3000;
        }
        let c = crate::model::build(&s).unwrap();
        let scene = crate::layout::layout(&c);
        let t = std::time::Instant::now();
        let shown = super::super::flow_panel::shown_flow(&c, &s, None);
        let _ = traffic_overlay(&c, &scene, shown.as_ref());
        let _ = super::super::lb_overlay::services_view(&c, &scene);
        eprintln!("overlay at {} nodes: {:?}", c.nodes.len(), t.elapsed());
    }
}
