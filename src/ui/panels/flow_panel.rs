//! [`FlowPanel`]: trace one flow beside the diagram — a picker (the scenario's flows, or any
//! pair of places), the verdict, the hop table (the way AWS Reachability Analyzer lists a
//! path), the address the destination sees, each pod's share of the connections, and toggles
//! for the settings that change the path (externalTrafficPolicy, target type, cross-zone,
//! EXTERNALSNAT, endpoint access). Every toggle is an [`Edit`] of the draft scenario, so the
//! diagram, the side panel and this panel update at once.
//!
//! DOM contract: `data-kind="flow-panel"` (with `data-flow`), `flow-picker` (a `<select>`),
//! `flow-from` / `flow-to` (`<select>`s), `verdict` (`data-verdict="delivered|dropped"`),
//! `hop-table` with rows `hop` (`data-at`, `data-hop-kind`, `data-cross-az`),
//! `client-ip-badge` (`data-preserved="yes|no"`, `data-ip`), `share-row` (`data-pod-id`,
//! `data-share`), `unhealthy-node` (`data-node`), `explanation`; toggles are buttons with
//! `data-toggle="etp|target-type|cross-zone|external-snat|endpoint-public|endpoint-private"`
//! and `data-value`, `aria-pressed` on the active one.
//!
//! Pure helpers ([`trace_flow`], [`shown_flow`], [`service_index`], [`with_service`]) are
//! tested natively. The trace is made once per change, by the App ([`shown_flow`]), for this
//! panel and the diagram's overlay.

use yew::prelude::*;

use crate::model::traffic::{Flow, Place, Trace, Tracer, Verdict};
use crate::model::{Cluster, Id};
use crate::pipeline;
use crate::scenario::{
    LoadBalancerSpec, Scenario, Service, ServiceType, TargetType, TrafficPolicy,
};
use crate::ui::shared::{use_memo_same, Part, Shared};
use crate::ui::workspace::{CniFlag, Edit};

/// The flows offered first: the scenario's own, as `from->to` ([`pipeline::flow_ids`]).
pub fn scenario_flows(draft: &Scenario) -> Vec<String> {
    pipeline::flow_ids(draft)
}

/// The flow shown when none is picked: the scenario's first, else nothing.
pub fn default_flow(draft: &Scenario) -> Option<String> {
    scenario_flows(draft).into_iter().next()
}

/// Traces `flow` (`from->to`) over the cluster ([`pipeline::trace`]); the error is the
/// model's message. (The panel and the overlay use [`shown_flow`]; tests trace with this.)
#[cfg_attr(not(test), allow(dead_code))]
pub fn trace_flow(cluster: &Cluster, draft: &Scenario, flow: &str) -> Result<Trace, String> {
    pipeline::trace(cluster, draft, flow)
        .trace
        .map_err(|e| e.reason)
}

/// The flow shown beside and on the diagram, with its trace (the pipeline's).
pub use crate::pipeline::Shown;

/// The flow shown: `picked`, else the scenario's first; traced once for the panel and the
/// overlay together ([`pipeline::trace`]). `None` when there is none or its destination is
/// not chosen yet.
pub fn shown_flow(cluster: &Cluster, draft: &Scenario, picked: Option<&str>) -> Option<Shown> {
    let flow = picked.map(str::to_string).or_else(|| default_flow(draft))?;
    let to = flow.split_once("->").map_or("", |(_, to)| to);
    if to.is_empty() {
        return None;
    }
    Some(pipeline::trace(cluster, draft, &flow))
}

/// The index in `draft.services` of the service a flow goes to (`service/<name>` or
/// `service/<namespace>/<name>`).
pub fn service_index(draft: &Scenario, flow: &str) -> Option<usize> {
    let parsed: Flow = flow.parse().ok()?;
    let Place::Service(name) = parsed.to else {
        return None;
    };
    let (ns, name) = match name.split_once('/') {
        Some((ns, n)) => (Some(ns.to_string()), n.to_string()),
        None => (None, name),
    };
    draft
        .services
        .iter()
        .position(|s| s.name == name && ns.as_deref().is_none_or(|n| s.namespace == n))
}

/// A copy of the draft with service `i` changed by `change`: the edit the toggles send.
pub fn with_service(draft: &Scenario, i: usize, change: impl FnOnce(&mut Service)) -> Edit {
    let mut next = draft.clone();
    if let Some(s) = next.services.get_mut(i) {
        change(s);
    }
    Edit::Replace(Box::new(next))
}

fn lb_spec(s: &mut Service) -> &mut LoadBalancerSpec {
    s.load_balancer.get_or_insert_with(Default::default)
}

#[derive(PartialEq, Properties)]
pub struct FlowPanelProps {
    pub cluster: Shared<Cluster>,
    pub draft: Shared<Scenario>,
    /// The flow picked (`from->to`); `None` = the scenario's first.
    pub flow: Option<AttrValue>,
    /// The flow shown and its trace ([`shown_flow`] of the same cluster, draft and flow).
    pub shown: Shared<Option<Shown>>,
    pub on_flow: Callback<Option<AttrValue>>,
    pub on_edit: Callback<Edit>,
    pub on_select: Callback<Option<Id>>,
    /// Open: the panel shows the trace and the diagram draws its path. Closed: neither.
    pub open: bool,
    pub on_open: Callback<bool>,
}

/// One segmented toggle: a label and buttons, the active one pressed.
fn segmented(
    label: &str,
    toggle: &'static str,
    options: &[(&'static str, &'static str, bool)],
    on: Callback<&'static str>,
) -> Html {
    html! {
        <div class="flow-toggle" role="group" aria-label={label.to_string()}>
            <span class="flow-toggle-label">{ label.to_string() }</span>
            <span class="segmented">
                { for options.iter().map(|&(value, text, active)| {
                    let on = on.clone();
                    html! {
                        <button type="button" data-toggle={toggle} data-value={value}
                            class={classes!("seg", active.then_some("active"))}
                            aria-pressed={active.to_string()}
                            onclick={Callback::from(move |_: MouseEvent| on.emit(value))}>
                            { text }
                        </button>
                    }
                }) }
            </span>
        </div>
    }
}

#[derive(PartialEq, Properties)]
struct PlaceSelectProps {
    places: Shared<Vec<String>>,
    /// The place picked; empty = none yet.
    current: AttrValue,
    /// `flow-from` or `flow-to`.
    kind: &'static str,
    label: &'static str,
    on_pick: Callback<String>,
}

/// One end of a flow: a `<select>` of every place (hundreds at 100 nodes), a component of its
/// own so that it renders only when the places or the pick change.
#[function_component(PlaceSelect)]
fn place_select(props: &PlaceSelectProps) -> Html {
    let onchange = {
        let on_pick = props.on_pick.clone();
        Callback::from(move |e: Event| {
            on_pick.emit(
                e.target_unchecked_into::<web_sys::HtmlSelectElement>()
                    .value(),
            )
        })
    };
    let current = props.current.as_str();
    html! {
        <label class="flow-end">
            <span>{ props.label }</span>
            <select data-kind={props.kind} {onchange}>
                if current.is_empty() { <option value="" selected=true>{ "choose…" }</option> }
                { for props.places.iter().map(|p| html! {
                    <option value={p.clone()} selected={p == current}>{ p.clone() }</option>
                }) }
            </select>
        </label>
    }
}

#[derive(PartialEq, Properties)]
struct FlowPickerProps {
    flows: Shared<Vec<String>>,
    /// The flow shown (`from->to`); one not in `flows` is a custom pair.
    current: Option<AttrValue>,
    on_pick: Callback<Event>,
}

/// The scenario's flows in a `<select>` (a hundred at 100 nodes), a component of its own so
/// that it renders only when the flows or the pick change.
#[function_component(FlowPicker)]
fn flow_picker(props: &FlowPickerProps) -> Html {
    let flow = props.current.as_deref();
    html! {
        <label class="flow-end wide">
            <span>{ "Scenario flow" }</span>
            <select data-kind="flow-picker" onchange={props.on_pick.clone()}>
                if !flow.is_some_and(|f| props.flows.iter().any(|x| x == f)) {
                    <option value="" selected=true>{ "custom pair" }</option>
                }
                { for props.flows.iter().map(|f| html! {
                    <option value={f.clone()} selected={flow == Some(f.as_str())}>{ f.clone() }</option>
                }) }
            </select>
        </label>
    }
}

#[function_component(FlowPanel)]
pub fn flow_panel(props: &FlowPanelProps) -> Html {
    let draft = &props.draft;
    let open = props.open;
    let cluster = &props.cluster;
    // The places are names only: a toggle keeps them, and the selects skip their render.
    let places = use_memo_same(cluster.clone(), |c| {
        Tracer::new(c, &draft.security_groups).places()
    });
    // Made again only when the flows change (`scenario_flows` reads nothing else).
    let flows = use_memo_same(Part::new(&draft.0, |a, b| a.flows == b.flows), |d| {
        scenario_flows(d)
    });
    let flow: Option<String> = props
        .flow
        .as_ref()
        .map(|f| f.to_string())
        .or_else(|| flows.first().cloned());
    let (from, to) = flow
        .as_deref()
        .and_then(|f| f.split_once("->"))
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .unwrap_or_else(|| ("internet".into(), String::new()));

    let pick = use_callback(props.on_flow.clone(), |e: Event, on_flow| {
        let v = e
            .target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value();
        on_flow.emit((!v.is_empty()).then(|| AttrValue::from(v)));
    });
    let pick_from = use_callback(
        (props.on_flow.clone(), to.clone()),
        |v: String, (on_flow, to)| on_flow.emit(Some(AttrValue::from(format!("{v}->{to}")))),
    );
    let pick_to = use_callback(
        (props.on_flow.clone(), from.clone()),
        |v: String, (on_flow, from)| on_flow.emit(Some(AttrValue::from(format!("{from}->{v}")))),
    );
    let toggle_open = {
        let on_open = props.on_open.clone();
        Callback::from(move |_: MouseEvent| on_open.emit(!open))
    };

    let head = html! {
        <div class="flow-head">
            <h2>{ "Traffic" }</h2>
            <button type="button" class="tool" onclick={toggle_open} aria-expanded={open.to_string()}
                data-action={if open { "hide-trace" } else { "show-trace" }}
                title={if open { "Hide the trace" } else { "Show the trace" }}>
                { if open { "−" } else { "+" } }
            </button>
        </div>
    };
    if !open {
        return html! {
            <section class="flow-panel closed" data-kind="flow-panel" aria-label="Traffic">{ head }</section>
        };
    }

    let select_places = |current: &str, on_pick: Callback<String>, kind, label| {
        html! {
            <PlaceSelect places={Shared::new(places.clone())} current={AttrValue::from(current.to_string())}
                {kind} {label} {on_pick} />
        }
    };
    let picker = html! {
        <div class="flow-picker">
            if !flows.is_empty() {
                <FlowPicker flows={Shared::new(flows.clone())} current={flow.clone().map(AttrValue::from)} on_pick={pick} />
            }
            { select_places(&from, pick_from, "flow-from", "From") }
            { select_places(&to, pick_to, "flow-to", "To") }
        </div>
    };

    let Some(flow) = flow.filter(|_| !to.is_empty()) else {
        return html! {
            <section class="flow-panel" data-kind="flow-panel" aria-label="Traffic">
                { head }{ picker }
                <p class="flow-note">{ "Pick where a packet starts and where it goes." }</p>
            </section>
        };
    };
    let toggles = toggles(props, &flow);
    let body = match props.shown.as_ref().as_ref().map(|s| &s.trace) {
        Some(Err(unknown)) => {
            html! { <p class="flow-error" role="alert">{ unknown.reason.clone() }</p> }
        }
        Some(Ok(t)) => trace_view(cluster, t, &props.on_select),
        None => Html::default(),
    };
    html! {
        <section class="flow-panel" data-kind="flow-panel" data-flow={flow.clone()} aria-label="Traffic">
            { head }
            { picker }
            { toggles }
            { body }
        </section>
    }
}

fn toggles(props: &FlowPanelProps, flow: &str) -> Html {
    let draft = &props.draft;
    let service = service_index(draft, flow);
    let svc_toggles = service.and_then(|i| {
        let s = draft.services.get(i)?;
        if s.service_type == ServiceType::ClusterIP {
            return None;
        }
        let edit = |f: fn(&mut Service, &'static str)| {
            let on_edit = props.on_edit.clone();
            let draft = draft.clone();
            Callback::from(move |v: &'static str| on_edit.emit(with_service(&draft, i, |s| f(s, v))))
        };
        let etp = s.external_traffic_policy;
        let lb = s.load_balancer.clone().unwrap_or_default();
        let is_lb = s.service_type == ServiceType::LoadBalancer;
        // Which Service the toggle edits, and its policy now: the toggle changes the draft.
        let etp_label = format!(
            "externalTrafficPolicy of {}/{}: {}",
            s.namespace,
            s.name,
            match etp {
                TrafficPolicy::Cluster => "Cluster",
                TrafficPolicy::Local => "Local",
            }
        );
        Some(html! {
            <>
                { segmented(&etp_label, "etp", &[
                    ("Cluster", "Cluster", etp == TrafficPolicy::Cluster),
                    ("Local", "Local", etp == TrafficPolicy::Local),
                ], edit(|s, v| s.external_traffic_policy = if v == "Local" { TrafficPolicy::Local } else { TrafficPolicy::Cluster })) }
                if is_lb {
                    { segmented("Target type", "target-type", &[
                        ("instance", "instance", lb.target_type == TargetType::Instance),
                        ("ip", "ip", lb.target_type == TargetType::Ip),
                    ], edit(|s, v| lb_spec(s).target_type = if v == "ip" { TargetType::Ip } else { TargetType::Instance })) }
                    { segmented("Cross-zone", "cross-zone", &[
                        ("off", "off", !lb.cross_zone),
                        ("on", "on", lb.cross_zone),
                    ], edit(|s, v| lb_spec(s).cross_zone = v == "on")) }
                }
            </>
        })
    });
    let snat = draft.cluster.vpc_cni.external_snat;
    let ep = draft.cluster.cluster_endpoints;
    let on_snat = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |v: &'static str| {
            on_edit.emit(Edit::CniFlag(CniFlag::ExternalSnat, v == "on"))
        })
    };
    let on_public = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |v: &'static str| on_edit.emit(Edit::EndpointPublic(v == "on")))
    };
    let on_private = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |v: &'static str| on_edit.emit(Edit::EndpointPrivate(v == "on")))
    };
    html! {
        <div class="flow-toggles">
            { for svc_toggles }
            { segmented("EXTERNALSNAT", "external-snat", &[("off", "off", !snat), ("on", "on", snat)], on_snat) }
            { segmented("Public endpoint", "endpoint-public", &[("off", "off", !ep.public_access), ("on", "on", ep.public_access)], on_public) }
            { segmented("Private endpoint", "endpoint-private", &[("off", "off", !ep.private_access), ("on", "on", ep.private_access)], on_private) }
        </div>
    }
}

/// The share as a percentage of the largest, for the bar's width.
/// The share bar's filled width out of 100 (the bar's SVG viewBox width). SVG geometry, not a
/// `style` attribute: the page's Content-Security-Policy refuses inline styles.
fn bar_width(share: f64, max: f64) -> String {
    let pct = if max > 0.0 { share / max * 100.0 } else { 0.0 };
    format!("{pct:.1}")
}

fn trace_view(cluster: &Cluster, t: &Trace, on_select: &Callback<Option<Id>>) -> Html {
    let (verdict, reason) = match &t.verdict {
        Verdict::Delivered => ("delivered", None),
        Verdict::Dropped { at, reason } => ("dropped", Some(format!("at {at}: {reason}"))),
    };
    let select = |id: Id| {
        let on_select = on_select.clone();
        Callback::from(move |_: MouseEvent| on_select.emit(Some(id.clone())))
    };
    let seen = t
        .client_ip_seen
        .map(|ip| ip.to_string())
        .unwrap_or_else(|| "—".into());
    let preserved = if t.client_ip_preserved { "yes" } else { "no" };
    let max = t
        .shares
        .iter()
        .map(|s| s.share.to_f64())
        .fold(0.0_f64, f64::max);
    html! {
        <>
            <div class={classes!("verdict", verdict)} data-kind="verdict" data-verdict={verdict} role="status">
                <strong>{ if verdict == "delivered" { "Delivered" } else { "Dropped" } }</strong>
                if let Some(r) = reason { <span>{ format!(" — {r}") }</span> }
            </div>
            <p class="explanation" data-kind="explanation">{ t.explanation.clone() }</p>
            if t.client_ip_seen.is_some() || !t.client_ip_preserved {
                <div class={classes!("client-ip-badge", t.client_ip_preserved.then_some("preserved"))}
                    data-kind="client-ip-badge" data-preserved={preserved} data-ip={seen.clone()}>
                    <span class="badge-label">{ "Source IP seen by the destination" }</span>
                    <code class="badge-ip">{ seen.clone() }</code>
                    <span class="badge-preserved">{ format!("client IP preserved: {preserved}") }</span>
                    if let Some(xff) = t.forwarded_for {
                        <span class="badge-xff">{ format!("X-Forwarded-For: {xff}") }</span>
                    }
                </div>
            }
            <table class="hop-table" data-kind="hop-table">
                <thead><tr><th>{ "#" }</th><th>{ "At" }</th><th>{ "Source → destination" }</th><th>{ "What happens" }</th></tr></thead>
                <tbody>
                    { for t.hops.iter().enumerate().map(|(i, h)| html! {
                        <tr data-kind="hop" data-at={h.at.to_string()} data-hop-kind={h.kind.as_str()}
                            data-cross-az={h.cross_az.to_string()}
                            class={classes!(h.cross_az.then_some("cross-az"))}>
                            <td class="hop-n">{ i + 1 }</td>
                            <td class="hop-at">
                                if crate::explain::resolve(cluster, &h.at).is_ok() {
                                    <button type="button" class="link" onclick={select(h.at.clone())}>{ h.at.to_string() }</button>
                                } else {
                                    <code class="hop-id">{ h.at.to_string() }</code>
                                }
                                <span class="hop-kind">{ h.kind.as_str() }</span>
                            </td>
                            <td class="hop-addr"><code>{ h.src.to_string() }</code>{ " → " }<code>{ h.dst.to_string() }</code></td>
                            <td class="hop-action">
                                { h.action.clone() }
                                if h.cross_az { <span class="cross-az-tag">{ "cross-AZ" }</span> }
                            </td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if !t.shares.is_empty() {
                <h3>{ "Share of new connections" }</h3>
                <ul class="share-list">
                    { for t.shares.iter().map(|s| html! {
                        <li data-kind="share-row" data-pod-id={s.id.to_string()} data-share={s.share.to_string()}>
                            <span class="share-pod">{ s.pod.clone() }</span>
                            <svg class="share-bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true"><rect class="share-fill" width={bar_width(s.share.to_f64(), max)} height="1" /></svg>
                            <span class="share-frac">{ s.share.to_string() }</span>
                            <span class="share-node">{ format!("{} · {}", s.node, s.az) }</span>
                        </li>
                    }) }
                </ul>
            }
            if let Some(x) = t.cross_az_share {
                <p class="flow-note">{ format!("Connections crossing an AZ: {x}") }</p>
            }
            if !t.unhealthy_nodes.is_empty() {
                <h3>{ "Nodes that get nothing" }</h3>
                <ul class="unhealthy-list">
                    { for t.unhealthy_nodes.iter().map(|u| html! {
                        <li data-kind="unhealthy-node" data-node={u.node.clone()}>
                            <strong>{ u.node.clone() }</strong>{ format!(" — {}", u.reason) }
                        </li>
                    }) }
                </ul>
            }
            { for t.notes.iter().map(|n| html! { <p class="flow-note">{ n.clone() }</p> }) }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn etp() -> Scenario {
        crate::scenario::from_json(include_str!(
            "../../../static/scenarios/gallery/etp-cluster-vs-local.json"
        ))
        .unwrap()
    }

    #[test]
    fn the_etp_gallery_traces_both_services() {
        let s = etp();
        let c = crate::model::build(&s).unwrap();
        let flows = scenario_flows(&s);
        assert_eq!(
            flows,
            [
                "internet->service/web-cluster",
                "internet->service/web-local"
            ]
        );
        let cluster = trace_flow(&c, &s, &flows[0]).unwrap();
        assert!(cluster.shares.iter().all(|x| x.share.to_string() == "1/3"));
        assert!(!cluster.client_ip_preserved);
        let local = trace_flow(&c, &s, &flows[1]).unwrap();
        assert!(local.client_ip_preserved);
        assert_eq!(local.client_ip_seen.unwrap().to_string(), "203.0.113.50");
    }

    #[test]
    fn the_shown_flow_is_the_picked_one_else_the_first() {
        let s = etp();
        let c = crate::model::build(&s).unwrap();
        let first = shown_flow(&c, &s, None).unwrap();
        assert_eq!(first.flow, "internet->service/web-cluster");
        assert!(!first.trace.unwrap().client_ip_preserved);
        let picked = shown_flow(&c, &s, Some("internet->service/web-local")).unwrap();
        assert!(picked.trace.unwrap().client_ip_preserved);
        assert!(shown_flow(&c, &s, Some("internet->")).is_none());
        assert!(shown_flow(&c, &s, Some("internet->pod/nothing"))
            .unwrap()
            .trace
            .is_err());
    }

    #[test]
    fn toggling_etp_on_the_cluster_service_gives_the_local_shares() {
        let s = etp();
        let i = service_index(&s, "internet->service/web-cluster").unwrap();
        assert_eq!(s.services[i].name, "web-cluster");
        let Edit::Replace(next) =
            with_service(&s, i, |x| x.external_traffic_policy = TrafficPolicy::Local)
        else {
            panic!("not a replace")
        };
        let c = crate::model::build(&next).unwrap();
        let t = trace_flow(&c, &next, "internet->service/web-cluster").unwrap();
        let mut shares: Vec<String> = t.shares.iter().map(|x| x.share.to_string()).collect();
        shares.sort();
        assert_eq!(shares, ["1/2", "1/4", "1/4"]);
        assert!(service_index(&s, "internet->pod/web").is_none());
    }
}
