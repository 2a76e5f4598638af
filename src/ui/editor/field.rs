//! [`Field`]: a labelled input bound to one path of the scenario, with the problems found at
//! that path right under it.

use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(PartialEq, Properties)]
pub struct FieldProps {
    /// The scenario path it edits (`vpc.subnets[2].cidr`): its `data-field`.
    pub path: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub oninput: Callback<String>,
    /// Messages of the problems at `path`.
    #[prop_or_default]
    pub problems: Vec<AttrValue>,
    #[prop_or(AttrValue::Static("text"))]
    pub input_type: AttrValue,
    /// Id of a `<datalist>` of suggestions.
    #[prop_or_default]
    pub list: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub min: Option<AttrValue>,
    #[prop_or_default]
    pub max: Option<AttrValue>,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    /// Extra class for the wrapper (layout variants).
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub disabled: bool,
}

/// An element id made from a scenario path.
pub fn dom_id(prefix: &str, path: &str) -> String {
    let slug: String = path
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    format!("{prefix}-{slug}")
}

#[function_component(Field)]
pub fn field(props: &FieldProps) -> Html {
    let id = dom_id("field", &props.path);
    let error_id = dom_id("problem", &props.path);
    let hint_id = dom_id("hint", &props.path);
    let oninput = {
        let cb = props.oninput.clone();
        Callback::from(move |e: InputEvent| {
            cb.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let invalid = !props.problems.is_empty();
    let described = match (invalid, props.hint.is_some()) {
        (true, true) => Some(format!("{error_id} {hint_id}")),
        (true, false) => Some(error_id.clone()),
        (false, true) => Some(hint_id.clone()),
        (false, false) => None,
    };
    html! {
        <div class={classes!("field", invalid.then_some("invalid"), props.class.clone())}>
            <label for={id.clone()}>{ props.label.clone() }</label>
            <input
                id={id}
                type={props.input_type.clone()}
                value={props.value.clone()}
                list={props.list.clone()}
                min={props.min.clone()}
                max={props.max.clone()}
                placeholder={props.placeholder.clone()}
                disabled={props.disabled}
                data-field={props.path.clone()}
                aria-invalid={if invalid { "true" } else { "false" }}
                aria-describedby={described}
                autocomplete="off"
                spellcheck="false"
                {oninput}
            />
            if invalid {
                <p class="field-problem" id={error_id} data-problem={props.path.clone()} data-where="inline" role="alert">
                    { for props.problems.iter().map(|m| html! { <span>{ m.clone() }</span> }) }
                </p>
            }
            if let Some(hint) = &props.hint {
                <p class="field-hint" id={hint_id}>{ hint.clone() }</p>
            }
        </div>
    }
}
