//! [`Inspector`]: draws the page `explain` computes for the selected id — every number with
//! the arithmetic that produced it, the findings about it, links to the things it relates to
//! and to the documentation. What the page says is decided in `crate::explain`, not here.
//! Focus goes to its heading when it opens and back where it came from when it closes.

use yew::prelude::*;

use crate::explain::{explain, Fact, Related, Style};
use crate::model::{Cluster, Id};
use crate::ui::docs;
use crate::ui::dom;
use crate::ui::shared::Shared;
use crate::ui::svg::severity_name;

#[derive(PartialEq, Properties)]
pub struct InspectorProps {
    pub cluster: Shared<Cluster>,
    pub selected: Id,
    pub on_select: Callback<Option<Id>>,
    /// Drawn under the summary: what the user can do to the selection (node_actions.rs).
    #[prop_or_default]
    pub actions: Html,
}

/// A fact's value, drawn as its style says.
fn value(f: &Fact) -> Html {
    match f.style {
        Style::Text => html! { { f.value.clone() } },
        Style::Code => html! { <code>{ f.value.clone() }</code> },
        Style::List => html! { <code class="ip-list">{ f.value.clone() }</code> },
    }
}

/// Focus follows the inspector: each thing it opens on takes focus to its heading (so a
/// keyboard or screen reader user lands on what opened), and closing it gives focus back to
/// what had it before (the diagram's thing, a finding, the search box), or, when that was
/// redrawn meanwhile, to the drawn thing of the last selection.
#[hook]
fn use_focus_return(selected: &Id, root: NodeRef, heading: NodeRef) {
    let came_from = use_mut_ref(|| None::<web_sys::Element>);
    let last = use_mut_ref(|| None::<Id>);
    {
        let came_from = came_from.clone();
        let last = last.clone();
        use_effect_with(selected.clone(), move |id| {
            *last.borrow_mut() = Some(id.clone());
            let inside = |e: &web_sys::Element| {
                root.cast::<web_sys::Element>()
                    .is_some_and(|r| r.contains(Some(e)))
            };
            if let Some(active) = dom::active_element().filter(|a| !inside(a)) {
                *came_from.borrow_mut() = Some(active);
            }
            if let Some(h) = heading.cast::<web_sys::Element>() {
                dom::focus_element(&h);
            }
        });
    }
    use_effect_with((), move |_| {
        move || {
            let back = came_from.borrow_mut().take().filter(|e| e.is_connected());
            let back = back.or_else(|| {
                let id = last.borrow().as_ref()?.to_string();
                let selector = format!("#diagram [data-id=\"{}\"]", id.replace('"', "\\\""));
                gloo_utils::document().query_selector(&selector).ok()?
            });
            if let Some(e) = back {
                dom::focus_element(&e);
            }
        }
    });
}

#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let close = {
        let on_select = props.on_select.clone();
        Callback::from(move |_: MouseEvent| on_select.emit(None))
    };
    let root = use_node_ref();
    let heading = use_node_ref();
    use_focus_return(&props.selected, root.clone(), heading.clone());
    let cluster = &props.cluster;
    let id = &props.selected;
    let Ok(d) = explain(cluster, id) else {
        return html! {
            <aside ref={root} class="inspector" data-kind="inspector" aria-label="Inspector">
                <header class="inspector-head">
                    <h2 ref={heading} tabindex="-1">{ "Not in the cluster" }</h2>
                    <button type="button" class="close" onclick={close} aria-label="Close inspector">{ "×" }</button>
                </header>
                <p class="summary">{ format!("{id} is not part of the current cluster.") }</p>
            </aside>
        };
    };
    let link = |r: &Related| {
        let on_select = props.on_select.clone();
        let target_id = r.id.clone();
        let onclick = Callback::from(move |_: MouseEvent| on_select.emit(Some(target_id.clone())));
        html! {
            <li key={r.id.to_string()}>
                <span class="link-label">{ r.label }</span>
                <button type="button" class="link" data-target={r.id.to_string()} {onclick}>{ r.text.clone() }</button>
            </li>
        }
    };
    html! {
        <aside ref={root} class="inspector" data-kind="inspector" data-selected={id.to_string()} aria-label="Inspector">
            <header class="inspector-head">
                <div>
                    <p class="eyebrow">{ d.noun }</p>
                    <h2 ref={heading} tabindex="-1">{ d.title.clone() }</h2>
                </div>
                <button type="button" class="close" onclick={close} aria-label="Close inspector" title="Close (Esc)">{ "×" }</button>
            </header>
            if let Some(summary) = &d.summary {
                <p class="summary">{ summary.clone() }</p>
            }
            if !d.findings.is_empty() {
                <ul class="findings">
                    { for d.findings.iter().map(|f| html! {
                        <li class={classes!("finding", format!("sev-{}", severity_name(f.severity)))} data-severity={severity_name(f.severity)}>{ f.message.clone() }</li>
                    }) }
                </ul>
            }
            { props.actions.clone() }
            if !d.facts.is_empty() {
                <dl class="facts">
                    { for d.facts.iter().map(|f| html! {
                        <div class="fact">
                            <dt>{ f.label }</dt>
                            <dd>
                                <span class="value">{ value(f) }</span>
                                if let Some(formula) = &f.formula {
                                    <span class="formula">{ formula.clone() }</span>
                                }
                            </dd>
                        </div>
                    }) }
                </dl>
            }
            if !d.related.is_empty() {
                <ul class="links">{ for d.related.iter().map(link) }</ul>
            }
            if !d.docs.is_empty() {
                <div class="docs">
                    <h3>{ "How AWS documents it" }</h3>
                    <ul>{ for d.docs.iter().map(|doc| html! { <li>{ docs::link(doc) }</li> }) }</ul>
                </div>
            }
        </aside>
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    /// The inspector drawn natively (Yew SSR) for `id`.
    fn drawn(id: &'static str) -> String {
        let mut scenario = default_scenario();
        scenario.cluster.vpc_cni.warm_ip_target = Some(2);
        let cluster = crate::model::build(&scenario).unwrap();
        let props = InspectorProps {
            cluster: Shared::from(std::rc::Rc::new(cluster)),
            selected: id.parse().unwrap(),
            on_select: Callback::noop(),
            actions: Html::default(),
        };
        futures_executor::block_on(
            yew::LocalServerRenderer::<Inspector>::with_props(props)
                .hydratable(false)
                .render(),
        )
    }

    #[test]
    fn a_page_keeps_the_dom_the_tests_and_styles_select() {
        let html = drawn("node:ng-1-1");
        for part in [
            r#"data-kind="inspector""#,
            r#"data-selected="node:ng-1-1""#,
            r#"<p class="eyebrow">Node</p>"#,
            r#"<dl class="facts">"#,
            "<dt>Max pods</dt>",
            r#"<span class="formula">"#,
            "<code>m5.large</code>",
            r#"data-target="subnet:private-a""#,
            r#"<span class="link-label">ENI</span>"#,
            r#"class="doc-link""#,
            "choosing-instance-type.html",
        ] {
            assert!(html.contains(part), "no {part} in {html}");
        }
        assert!(drawn("eni:ng-1-1/eth0").contains(r#"<code class="ip-list">"#));
    }

    #[test]
    fn an_id_not_in_the_cluster_says_so() {
        let html = drawn("node:ng-9-9");
        assert!(html.contains("Not in the cluster"), "{html}");
        assert!(html.contains("node:ng-9-9 is not part of the current cluster."));
    }
}
