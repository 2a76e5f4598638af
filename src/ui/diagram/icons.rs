//! Small glyphs in the spirit of the AWS Architecture Icons, drawn in a 24×24 box and scaled
//! to the rectangle the layout reserves. Colours come from CSS classes (`icon-*`), never
//! from fills here, so the themes and the SVG export restyle them.

use yew::prelude::*;

use crate::layout::{Kind, Rect, State, Tone};
use crate::ui::svg::num;

/// The icon for a shape of `kind` in `state`, fitted to `r`.
pub fn icon(kind: Kind, state: State, tone: Option<Tone>, r: Rect) -> Html {
    if kind == Kind::NodeState {
        // The tag on a changed node's top edge, under its word.
        return html! {
            <rect class="tag" x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="9" aria-hidden="true" />
        };
    }
    if kind == Kind::Workload {
        // The workload's colour swatch: the key of its pods' cells.
        return html! {
            <rect class={classes!("swatch-cell", tone.map(|t| t.class()))} x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="2" aria-hidden="true" />
        };
    }
    let transform = format!(
        "translate({} {}) scale({})",
        num(r.x),
        num(r.y),
        num(r.w / 24.0)
    );
    let (class, body) = match (kind, state) {
        (Kind::Cloud, _) => ("icon-cloud", tile(cloud())),
        (Kind::Region, _) => ("icon-region", tile(flag())),
        (Kind::Vpc, _) => ("icon-vpc", tile(vpc())),
        (Kind::Subnet, State::Public) => ("icon-public", globe()),
        (Kind::Subnet, _) => ("icon-private", lock()),
        (Kind::Igw, _) => ("icon-igw", tile(gateway())),
        (Kind::NatGw, _) => ("icon-nat", tile(nat())),
        (Kind::Node | Kind::Summary, _) => ("icon-node", tile(chip())),
        (Kind::SubnetSummary, State::Public) => ("icon-public", globe()),
        (Kind::SubnetSummary, _) => ("icon-private", lock()),
        (Kind::Internet, _) => ("icon-internet", globe()),
        (Kind::ControlPlane, _) => ("icon-eks", tile(helm())),
        (Kind::EksEni, _) => ("icon-eks", tile(eni())),
        (Kind::CpComponent, _) => ("icon-component", tile(cog())),
        _ => return Html::default(),
    };
    html! {
        <g class={classes!("icon", class)} transform={transform} aria-hidden="true">{ body }</g>
    }
}

/// A rounded square in the icon's colour with a glyph on it.
fn tile(glyph: Html) -> Html {
    html! {
        <>
            <rect class="icon-bg" width="24" height="24" rx="4" />
            <g class="icon-fg">{ glyph }</g>
        </>
    }
}

fn cloud() -> Html {
    html! { <path d="M7.5 17h9a3.5 3.5 0 0 0 .5-6.96A5 5 0 0 0 7.6 9.2 4 4 0 0 0 7.5 17z" /> }
}

fn flag() -> Html {
    html! { <path d="M7.5 19V5M7.5 5.5h9l-2 3 2 3h-9" /> }
}

fn vpc() -> Html {
    html! {
        <>
            <path d="M7 15h9.5a3 3 0 0 0 .4-5.97A4.4 4.4 0 0 0 8.6 8 3.5 3.5 0 0 0 7 15z" />
            <rect x="9.5" y="13" width="5" height="5" rx="0.8" />
        </>
    }
}

fn gateway() -> Html {
    html! { <path d="M5.5 18.5V10L12 5.5 18.5 10v8.5M9.5 18.5v-5h5v5M4 18.5h16" /> }
}

fn nat() -> Html {
    html! { <path d="M5.5 9h11M13.5 6l3 3-3 3M18.5 15h-11M10.5 12l-3 3 3 3" /> }
}

fn chip() -> Html {
    html! {
        <>
            <rect x="7" y="7" width="10" height="10" rx="1" />
            <path d="M10 4.5V7M14 4.5V7M10 17v2.5M14 17v2.5M4.5 10H7M4.5 14H7M17 10h2.5M17 14h2.5" />
        </>
    }
}

/// A ship's wheel, after the Kubernetes logo.
fn helm() -> Html {
    html! {
        <>
            <circle cx="12" cy="12" r="5.5" />
            <circle cx="12" cy="12" r="1.6" />
            <path d="M12 4v4.4M12 15.6V20M4.4 9.5l4.1 1.4M15.5 13.1l4.1 1.4M6.8 18.3l2.7-3.5M14.5 9.2l2.7-3.5M17.2 18.3l-2.7-3.5M9.5 9.2 6.8 5.7" />
        </>
    }
}

/// A network card: a plug with pins.
fn eni() -> Html {
    html! {
        <>
            <rect x="6" y="8" width="12" height="8" rx="1" />
            <path d="M9 16v2.5M12 16v2.5M15 16v2.5M9 8V5.5h6V8" />
        </>
    }
}

fn cog() -> Html {
    html! {
        <>
            <circle cx="12" cy="12" r="3.2" />
            <path d="M12 4.5v3M12 16.5v3M4.5 12h3M16.5 12h3M6.7 6.7l2.1 2.1M15.2 15.2l2.1 2.1M6.7 17.3l2.1-2.1M15.2 8.8l2.1-2.1" />
        </>
    }
}

fn globe() -> Html {
    html! {
        <g class="icon-line">
            <circle cx="12" cy="12" r="9" />
            <ellipse cx="12" cy="12" rx="4" ry="9" />
            <path d="M3 12h18M4.5 7.5h15M4.5 16.5h15" />
        </g>
    }
}

fn lock() -> Html {
    html! {
        <g class="icon-line">
            <rect x="5" y="10.5" width="14" height="10" rx="2" />
            <path d="M8 10.5V8a4 4 0 0 1 8 0v2.5M12 14.5v2.5" />
        </g>
    }
}
