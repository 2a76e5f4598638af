//! [`ProblemList`]: every problem of the draft in one place. A problem whose path is a field
//! of the editor links to it; the others (a node group's subnet list, a reference in a part
//! of the document the editor does not show) are listed all the same.

use yew::prelude::*;

use super::dom;
use super::shared::Shared;
use crate::layout::text::plural;
use crate::scenario::Problem;

#[derive(PartialEq, Properties)]
pub struct ProblemListProps {
    pub problems: Shared<Vec<Problem>>,
    /// Paths of the editor's fields.
    pub fields: Shared<Vec<String>>,
}

#[function_component(ProblemList)]
pub fn problem_list(props: &ProblemListProps) -> Html {
    if props.problems.is_empty() {
        return html! {
            <div class="problems ok" data-kind="problems" role="status">
                <span class="status-dot" aria-hidden="true"></span>{ "Valid scenario: the diagram is up to date." }
            </div>
        };
    }
    let item = |p: &Problem| {
        let path = p.path.as_str().to_string();
        let label = p.path.to_string();
        let has_field = props.fields.contains(&path);
        let target = path.clone();
        let onclick = Callback::from(move |_: MouseEvent| dom::focus_field(&target));
        html! {
            <li data-problem={path} data-where="list">
                if has_field {
                    <button type="button" class="problem-path" {onclick} title="Go to the field">{ label }</button>
                } else {
                    <code class="problem-path">{ label }</code>
                }
                <span class="problem-message">{ p.message.clone() }</span>
            </li>
        }
    };
    html! {
        <div class="problems" data-kind="problems" role="alert">
            <h2>{ plural(props.problems.len() as u32, "problem", "problems") }
                <span class="problems-note">{ " — the diagram shows the last valid scenario" }</span>
            </h2>
            <ul>{ for props.problems.iter().map(item) }</ul>
        </div>
    }
}
