//! Small pieces of the side panel's markup shared by its sections: a switch, a select, the
//! problems found at a path. Each control carries `data-field="<scenario path>"`, so tests
//! drive it and problems appear beside it.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::scenario::Problem;
use crate::ui::docs::{self, Doc};
use crate::ui::field::dom_id;

/// Messages of the problems at `path` — and, with `nested`, below it (`path[0]`, `path.x`).
pub fn problems_at(problems: &[Problem], path: &str, nested: bool) -> Vec<AttrValue> {
    problems
        .iter()
        .filter(|p| {
            let q = p.path.as_str();
            q == path
                || (nested
                    && q.len() > path.len()
                    && q.starts_with(path)
                    && matches!(q.as_bytes()[path.len()], b'[' | b'.'))
        })
        .map(|p| AttrValue::from(p.message.clone()))
        .collect()
}

/// The problems at `path`, shown beside its control.
pub fn inline_problems(path: &str, messages: &[AttrValue]) -> Html {
    if messages.is_empty() {
        return Html::default();
    }
    html! {
        <p class="field-problem" id={dom_id("problem", path)} data-problem={path.to_string()} data-where="inline" role="alert">
            { for messages.iter().map(|m| html! { <span>{ m.clone() }</span> }) }
        </p>
    }
}

/// A labelled on/off switch for a boolean setting.
#[derive(PartialEq, Properties)]
pub struct SwitchProps {
    pub path: AttrValue,
    pub label: AttrValue,
    /// The aws-node variable or API field it sets, shown in monospace.
    #[prop_or_default]
    pub env: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    pub checked: bool,
    #[prop_or_default]
    pub disabled: bool,
    pub on_change: Callback<bool>,
    #[prop_or_default]
    pub problems: Vec<AttrValue>,
    #[prop_or_default]
    pub doc: Option<Doc>,
    /// Shown under the switch (sub-settings).
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Switch)]
pub fn switch(props: &SwitchProps) -> Html {
    let id = dom_id("field", &props.path);
    let onchange = {
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().checked())
        })
    };
    let invalid = !props.problems.is_empty();
    html! {
        <div class={classes!("setting", invalid.then_some("invalid"), props.checked.then_some("on"))}>
            <div class="setting-row">
                <label class="switch" for={id.clone()}>
                    <input
                        type="checkbox"
                        role="switch"
                        id={id}
                        checked={props.checked}
                        disabled={props.disabled}
                        data-field={props.path.clone()}
                        aria-invalid={if invalid { "true" } else { "false" }}
                        {onchange}
                    />
                    <span class="switch-track" aria-hidden="true"><span class="switch-thumb"></span></span>
                    <span class="setting-label">{ props.label.clone() }</span>
                </label>
                if let Some(doc) = &props.doc {
                    { docs::help(doc) }
                }
            </div>
            if let Some(env) = &props.env {
                <code class="env">{ env.clone() }</code>
            }
            if let Some(hint) = &props.hint {
                <p class="setting-hint">{ hint.clone() }</p>
            }
            { inline_problems(&props.path, &props.problems) }
            { props.children.clone() }
        </div>
    }
}

/// A labelled `<select>` for a setting with a few values: (value, label) pairs.
#[derive(PartialEq, Properties)]
pub struct ChoiceProps {
    pub path: AttrValue,
    pub label: AttrValue,
    pub options: Vec<(AttrValue, AttrValue)>,
    pub value: AttrValue,
    #[prop_or_default]
    pub disabled: bool,
    pub on_change: Callback<String>,
    #[prop_or_default]
    pub problems: Vec<AttrValue>,
    #[prop_or_default]
    pub doc: Option<Doc>,
    #[prop_or_default]
    pub class: Classes,
}

#[function_component(Choice)]
pub fn choice(props: &ChoiceProps) -> Html {
    let id = dom_id("field", &props.path);
    let onchange = {
        let cb = props.on_change.clone();
        Callback::from(move |e: Event| {
            cb.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let invalid = !props.problems.is_empty();
    html! {
        <div class={classes!("field", invalid.then_some("invalid"), props.class.clone())}>
            <div class="label-row">
                <label for={id.clone()}>{ props.label.clone() }</label>
                if let Some(doc) = &props.doc {
                    { docs::help(doc) }
                }
            </div>
            <select id={id} data-field={props.path.clone()} disabled={props.disabled} {onchange}>
                { for props.options.iter().map(|(value, label)| html! {
                    <option value={value.clone()} selected={*value == props.value}>{ label.clone() }</option>
                }) }
            </select>
            { inline_problems(&props.path, &props.problems) }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Path;

    #[test]
    fn nested_problems_belong_to_their_parent_field() {
        let problems = vec![
            Problem::new(Path::from("cluster.publicAccessCIDRs[1]"), "bad"),
            Problem::new(Path::from("cluster.publicAccessCIDRsX"), "other"),
            Problem::new(Path::from("cluster.publicAccessCIDRs"), "empty"),
        ];
        assert_eq!(
            problems_at(&problems, "cluster.publicAccessCIDRs", true).len(),
            2
        );
        assert_eq!(
            problems_at(&problems, "cluster.publicAccessCIDRs", false).len(),
            1
        );
    }
}
