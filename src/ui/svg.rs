//! Scene pieces as SVG: one `<g>` per shape carrying the DOM contract (`data-kind`,
//! `data-id`, a role, an accessible name, `tabindex`), address cells as single `<rect>`s.
//!
//! Pure functions of the scene: no callbacks, no `web_sys`. Clicks and keys are handled once,
//! on the `<svg>` (see `diagram.rs`), by finding the closest `[data-id]`; so the same output
//! can be rendered natively (Yew SSR) for `eksplain render`.

use yew::prelude::*;

use super::icons::icon;
use crate::layout::{Edge, Kind, Meter, Rect, Shape, Text};

/// How much of each node to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lod {
    /// Everything the scene holds.
    #[default]
    Full,
    /// Nodes as bare boxes (still named and focusable): for a zoomed-out view of a huge
    /// cluster, where their text would be a few pixels high anyway.
    Outline,
}

/// What to draw of a scene: the level of detail and, for huge scenes, the part in view.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Draw {
    pub lod: Lod,
    /// Nodes outside this rectangle are left out; `None` = draw them all.
    pub window: Option<Rect>,
}

/// A coordinate as an attribute: whole numbers without decimals, others with two.
pub fn num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// How a screen reader announces a kind (`aria-roledescription`).
fn role_description(kind: Kind) -> &'static str {
    match kind {
        Kind::Cloud => "AWS Cloud",
        Kind::Region => "Region",
        Kind::Internet => "internet",
        Kind::Vpc => "VPC",
        Kind::Az => "Availability Zone",
        Kind::Subnet => "subnet",
        Kind::Igw => "internet gateway",
        Kind::NatGw => "NAT gateway",
        Kind::Node => "node",
        Kind::Eni => "network interface",
        Kind::Ip => "IP address",
        Kind::Prefix => "prefix",
        Kind::Slot => "free slot",
    }
}

/// Corner radius of a kind's box.
fn radius(kind: Kind) -> &'static str {
    match kind {
        Kind::Cloud | Kind::Region | Kind::Vpc | Kind::Az => "6",
        Kind::Subnet | Kind::Node | Kind::NatGw | Kind::Internet | Kind::Igw => "5",
        Kind::Eni => "3",
        Kind::Ip | Kind::Prefix | Kind::Slot => "2",
    }
}

/// One shape and everything in it.
pub fn shape(s: &Shape, draw: Draw) -> Html {
    if s.kind == Kind::Node && draw.window.is_some_and(|w| !w.overlaps(&s.rect)) {
        return Html::default();
    }
    let kind = s.kind.as_str();
    let state = s.state.as_str();
    let r = s.rect;
    if matches!(s.kind, Kind::Ip | Kind::Prefix | Kind::Slot) {
        // Leaves drawn by the thousand: one element each.
        return html! {
            <rect
                key={s.id.clone()}
                class={classes!("cell", format!("k-{kind}"), format!("s-{state}"))}
                x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx={radius(s.kind)}
                data-kind={kind} data-id={s.id.clone()} data-state={state}
                role="button" aria-roledescription={role_description(s.kind)}
                aria-label={s.name.clone()} tabindex="0"
            />
        };
    }
    let role = if s.children.is_empty() {
        "button"
    } else {
        "group"
    };
    let outline = s.kind == Kind::Node && draw.lod == Lod::Outline;
    html! {
        <g
            key={s.id.clone()}
            class={classes!("shape", format!("k-{kind}"), format!("s-{state}"))}
            data-kind={kind} data-id={s.id.clone()} data-state={state}
            role={role} aria-roledescription={role_description(s.kind)}
            aria-label={s.name.clone()} tabindex="0"
        >
            <rect class="box" x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx={radius(s.kind)} />
            if !outline {
                { for s.icon.map(|i| icon(s.kind, s.state, i)) }
                { for s.meter.as_ref().map(meter) }
                { for s.texts.iter().map(text) }
                { for s.children.iter().map(|c| shape(c, draw)) }
            }
        </g>
    }
}

fn text(t: &Text) -> Html {
    let anchor = match t.anchor {
        crate::layout::Anchor::Start => None,
        a => Some(a.as_str()),
    };
    html! {
        <text class={classes!("t", format!("t-{}", t.style.as_str()))} x={num(t.at.x)} y={num(t.at.y)} text-anchor={anchor}>
            { t.text.clone() }
        </text>
    }
}

fn meter(m: &Meter) -> Html {
    let r = m.rect;
    html! {
        <g class="meter" aria-hidden="true">
            <rect class="meter-track" x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="2" />
            { for m.segments().into_iter().map(|(part, s)| html! {
                <rect class={classes!("meter-part", format!("m-{}", part.as_str()))} x={num(s.x)} y={num(s.y)} width={num(s.w)} height={num(s.h)} />
            }) }
        </g>
    }
}

/// A line between shapes.
pub fn edge(e: &Edge) -> Html {
    let mut d = String::new();
    for (i, p) in e.points.iter().enumerate() {
        d.push_str(if i == 0 { "M" } else { " L" });
        d.push_str(&format!("{} {}", num(p.x), num(p.y)));
    }
    html! {
        <path key={e.id.clone()} class={classes!("edge", format!("e-{}", e.kind.as_str()))} d={d} data-kind={e.kind.as_str()} data-id={e.id.clone()} aria-hidden="true" />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(-3.0), "-3");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(1.0 / 3.0), "0.33");
        assert_eq!(num(2.999), "3");
    }
}
