//! [`traffic_overlay`]: the traced flow drawn over the scene, as placed by
//! [`crate::layout::trace_path`] — a path through the centres of the shapes its hops happen at, a dot moving along it (SVG `animateMotion`; hidden under
//! `prefers-reduced-motion`), a share bar on each pod that gets connections and a mark on each
//! node the load balancer skips.
//!
//! DOM contract: `data-kind="flow-path"` (`<g>` with `data-flow`; its `<polyline>` and
//! `data-kind="flow-stop"` circles with `data-at`), `data-kind="share"` (`data-pod-id`,
//! `data-share="1/4"`, bar width ∝ share, on the pod's shape), `data-kind="no-share"`
//! (`data-node`, `<title>` with the reason). Hops at things the scene does not draw (a
//! security group) are skipped by the line but listed in the hop table.
//!
//! The path (`role="group"`) and its stops (`role="button"`, named "2 of 6: at lb:web") are
//! focusable things of the diagram (`tabindex="-1"`, reached with the arrow keys); the rest is
//! decoration, hidden from screen readers.
//!
//! Pure: no DOM calls; [`overlay_markup`] is also what Export SVG and `eksplain render` write.

use yew::Html;

use crate::layout::TracePath;
use crate::ui::markup::{el, text, Node};
use crate::ui::svg::num;

/// The path, share bars and skipped-node marks of a placed trace
/// ([`crate::layout::trace_path`]) for the page; nothing for `None`.
pub fn traffic_overlay(path: Option<&TracePath>) -> Html {
    overlay_markup(path).into()
}

/// [`traffic_overlay`] as our element tree.
pub fn overlay_markup(path: Option<&TracePath>) -> Node {
    let Some(path) = path else {
        return Node::default();
    };
    let points = &path.stops;
    let line: String = points
        .iter()
        .map(|s| format!("{},{}", num(s.center.x), num(s.center.y)))
        .collect::<Vec<_>>()
        .join(" ");
    let motion: String = points
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let m = if i == 0 { "M" } else { "L" };
            format!("{m}{},{}", num(s.center.x), num(s.center.y))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let secs = (points.len() as f64 * 0.6).max(2.0);
    let n = points.len();
    let rect = |tag, r: crate::layout::Rect| {
        el(tag)
            .attr("x", num(r.x))
            .attr("y", num(r.y))
            .attr("width", num(r.w))
            .attr("height", num(r.h))
    };
    // The path and its stops are things the keyboard moves between (`roving.rs`): Enter on
    // the path goes to its stops, Enter on a stop opens the thing it is at. The line, the
    // moving dot and the bars are decoration (the flow panel lists the shares).
    let mut flow = el("g")
        .attr("data-kind", "flow-path")
        .attr("data-flow", path.flow.clone())
        .attr("role", "group")
        .attr("aria-roledescription", "traced flow")
        .attr("tabindex", "-1")
        .attr(
            "aria-label",
            format!(
                "{}: {n} {}{}",
                path.flow,
                if n == 1 { "hop" } else { "hops" },
                if path.dropped { ", dropped" } else { "" }
            ),
        )
        .class(&["flow-path"]);
    if points.len() > 1 {
        flow = flow.child(
            el("polyline")
                .attr("points", line)
                .attr("aria-hidden", "true")
                .class(&["flow-line"]),
        );
    }
    flow = flow.child(
        points
            .iter()
            .enumerate()
            .map(|(i, s)| {
                el("g")
                    .attr("data-kind", "flow-stop")
                    .attr("data-at", s.at.to_string())
                    .attr("role", "button")
                    .attr("aria-roledescription", "hop")
                    .attr("tabindex", "-1")
                    .attr("aria-label", format!("{} of {n}: at {}", i + 1, s.at))
                    .class(&["flow-stop"])
                    .child(
                        el("circle")
                            .attr("cx", num(s.center.x))
                            .attr("cy", num(s.center.y))
                            .attr("r", "6.5"),
                    )
                    .child(
                        el("text")
                            .attr("x", num(s.center.x))
                            .attr("y", num(s.center.y + 2.8))
                            .attr("text-anchor", "middle")
                            .child(text((i + 1).to_string())),
                    )
                    .into()
            })
            .collect::<Node>(),
    );
    if points.len() > 1 {
        flow = flow.child(
            el("circle")
                .attr("r", "6")
                .attr("aria-hidden", "true")
                .class(&["flow-dot"])
                .child(
                    el("animateMotion")
                        .attr("dur", format!("{secs}s"))
                        .attr("repeatCount", "indefinite")
                        .attr("path", motion),
                ),
        );
    }
    let shares: Node = path
        .shares
        .iter()
        .map(|b| {
            el("g")
                .attr("data-kind", "share")
                .attr("data-pod-id", b.pod_id.to_string())
                .attr("data-share", b.share.clone())
                .attr("aria-hidden", "true")
                .class(&["share"])
                .child(rect("rect", b.track).class(&["share-track"]))
                .child(rect("rect", b.fill).class(&["share-fill"]))
                .child(el("title").child(text(b.title.clone())))
                .into()
        })
        .collect();
    let skipped: Node = path
        .skipped
        .iter()
        .map(|u| {
            let r = u.rect;
            el("g")
                .attr("data-kind", "no-share")
                .attr("data-node", u.node.clone())
                .attr("aria-hidden", "true")
                .class(&["no-share"])
                .child(rect("rect", r).attr("rx", "6"))
                .child(
                    el("text")
                        .attr("x", num(r.right() - 6.0))
                        .attr("y", num(r.bottom() - 6.0))
                        .attr("text-anchor", "end")
                        .child(text("no traffic")),
                )
                .child(el("title").child(text(u.title.clone())))
                .into()
        })
        .collect();
    el("g")
        .class(&["traffic-overlay", if path.dropped { "dropped" } else { "" }])
        .child(flow)
        .child(shares)
        .child(skipped)
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_stop_drawn_per_placed_stop_and_one_bar_per_share() {
        let s = crate::scenario::from_json(include_str!(
            "../../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap();
        let c = crate::model::build(&s).unwrap();
        let scene = crate::layout::layout(&c);
        let flow = "internet->service/web-local";
        let t = crate::ui::flow_panel::trace_flow(&c, &s, flow).unwrap();
        let path = crate::layout::trace_path(&scene, flow, &t);
        let svg = overlay_markup(Some(&path)).to_text();
        assert_eq!(
            svg.matches("data-kind=\"flow-stop\"").count(),
            path.stops.len()
        );
        assert_eq!(
            svg.matches("data-kind=\"share\"").count(),
            path.shares.len()
        );
        assert!(path.stops.len() >= 3 && !path.shares.is_empty(), "{svg}");
    }
}
