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
//! Pure: no DOM calls, so it renders natively too.

use yew::prelude::*;

use crate::layout::TracePath;
use crate::ui::svg::num;

/// The path, share bars and skipped-node marks of a placed trace
/// ([`crate::layout::trace_path`]); nothing for `None`.
pub fn traffic_overlay(path: Option<&TracePath>) -> Html {
    let Some(path) = path else {
        return Html::default();
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
    // The path and its stops are things the keyboard moves between (`roving.rs`): Enter on
    // the path goes to its stops, Enter on a stop opens the thing it is at. The line, the
    // moving dot and the bars are decoration (the flow panel lists the shares).
    html! {
        <g class={classes!("traffic-overlay", path.dropped.then_some("dropped"))}>
            <g class="flow-path" data-kind="flow-path" data-flow={path.flow.clone()} role="group"
                aria-roledescription="traced flow" tabindex="-1"
                aria-label={format!("{}: {n} {}{}", path.flow, if n == 1 { "hop" } else { "hops" }, if path.dropped { ", dropped" } else { "" })}>
                if points.len() > 1 {
                    <polyline class="flow-line" points={line} aria-hidden="true" />
                }
                { for points.iter().enumerate().map(|(i, s)| html! {
                    <g class="flow-stop" data-kind="flow-stop" data-at={s.at.to_string()} role="button"
                        aria-roledescription="hop" tabindex="-1" aria-label={format!("{} of {n}: at {}", i + 1, s.at)}>
                        <circle cx={num(s.center.x)} cy={num(s.center.y)} r="6.5" />
                        <text x={num(s.center.x)} y={num(s.center.y + 2.8)} text-anchor="middle">{ i + 1 }</text>
                    </g>
                }) }
                if points.len() > 1 {
                    <circle class="flow-dot" r="6" aria-hidden="true">
                        <animateMotion dur={format!("{secs}s")} repeatCount="indefinite" path={motion} />
                    </circle>
                }
            </g>
            { for path.shares.iter().map(|b| html! {
                <g class="share" data-kind="share" data-pod-id={b.pod_id.to_string()} data-share={b.share.clone()} aria-hidden="true">
                    <rect class="share-track" x={num(b.track.x)} y={num(b.track.y)} width={num(b.track.w)} height={num(b.track.h)} />
                    <rect class="share-fill" x={num(b.fill.x)} y={num(b.fill.y)} width={num(b.fill.w)} height={num(b.fill.h)} />
                    <title>{ b.title.clone() }</title>
                </g>
            }) }
            { for path.skipped.iter().map(|u| {
                let r = u.rect;
                html! {
                    <g class="no-share" data-kind="no-share" data-node={u.node.clone()} aria-hidden="true">
                        <rect x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="6" />
                        <text x={num(r.right() - 6.0)} y={num(r.bottom() - 6.0)} text-anchor="end">{ "no traffic" }</text>
                        <title>{ u.title.clone() }</title>
                    </g>
                }
            }) }
        </g>
    }
}

/// Natively only: Yew's server renderer is driven by `futures-executor` here.
#[cfg(all(test, not(target_arch = "wasm32")))]
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

        #[derive(PartialEq, Properties)]
        struct P {
            path: TracePath,
        }
        #[function_component(Overlay)]
        fn overlay(p: &P) -> Html {
            traffic_overlay(Some(&p.path))
        }
        let svg = futures_executor::block_on(
            yew::LocalServerRenderer::<Overlay>::with_props(P { path: path.clone() })
                .hydratable(false)
                .render(),
        );
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
