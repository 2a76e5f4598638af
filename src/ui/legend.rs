//! [`Legend`]: what the colours and cells of the diagram mean.

use yew::prelude::*;

use crate::layout::Detail;

#[derive(PartialEq, Properties)]
pub struct LegendProps {
    pub detail: Detail,
}

#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    let swatch = |class: &'static str, label: &'static str| {
        html! {
            <li><span class={classes!("swatch", class)} aria-hidden="true"></span>{ label }</li>
        }
    };
    html! {
        <div class="legend" aria-label="Legend">
            <ul>
                { swatch("sw-public", "Public subnet") }
                { swatch("sw-private", "Private subnet") }
                { swatch("sw-used", "IP used by a pod") }
                { swatch("sw-warm", "IP held warm") }
                { swatch("sw-free", "Free slot on the ENI") }
            </ul>
            if props.detail == Detail::Bars {
                <p class="legend-note">{ "Large cluster: each ENI is drawn as one bar." }</p>
            }
        </div>
    }
}
