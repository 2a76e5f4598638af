//! [`Legend`]: what the colours and cells of the diagram mean — address cells, pods and the
//! subnet usage gauge's segments. Workload colours have their own key in the diagram.

use yew::prelude::*;

use crate::layout::Detail;

#[derive(PartialEq, Properties)]
pub struct LegendProps {
    pub detail: Detail,
    /// A huge cluster is drawn as its summaries (zoomed out).
    #[prop_or_default]
    pub summary: bool,
}

#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    let swatch = |class: &'static str, label: &'static str| {
        html! {
            <li><span class={classes!("swatch", class)} aria-hidden="true"></span>{ label }</li>
        }
    };
    let bar = |class: &'static str, label: &'static str| {
        html! {
            <li><span class={classes!("bar", class)} aria-hidden="true"></span>{ label }</li>
        }
    };
    html! {
        <div class="legend" role="group" aria-label="Legend">
            <div class="legend-group">
                <span class="legend-title">{ "Addresses" }</span>
                <ul>
                    { swatch("sw-pod", "pod (colour = workload, .n = last octet)") }
                    { swatch("sw-warm", "warm") }
                    { swatch("sw-free", "free slot") }
                    { swatch("sw-waiting", "pod without an address") }
                </ul>
            </div>
            <div class="legend-group">
                <span class="legend-title">{ "Subnet usage" }</span>
                <ul>
                    { bar("m-primary", "ENI primary") }
                    { bar("m-used", "pods") }
                    { bar("m-warm", "warm") }
                    { bar("m-nat", "NAT") }
                    { bar("m-eks", "EKS ENI") }
                    { bar("m-branch", "branch ENI") }
                    if props.summary {
                        { bar("m-other", "other nodes") }
                    }
                    { bar("m-free", "free") }
                </ul>
            </div>
            if props.summary {
                <p class="legend-note">{ "Large cluster, zoomed out: one summary per subnet and node group. Zoom in, click a summary or find a node to see its nodes." }</p>
            } else if props.detail == Detail::Bars {
                <p class="legend-note">{ "Large cluster: each ENI is drawn as one bar." }</p>
            }
        </div>
    }
}
