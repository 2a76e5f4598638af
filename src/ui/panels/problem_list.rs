//! [`ProblemList`]: the draft's problems in one place — the first hundred, then a count of the
//! rest by kind (`scenario::summarize`, shared with the CLI). A problem whose path is a field
//! of the editor links to it; the others (a node group's subnet list, a reference in a part
//! of the document the editor does not show) are listed all the same.

use yew::prelude::*;

use crate::layout::text::plural;
use crate::scenario::{summarize, Problem};
use crate::ui::dom;
use crate::ui::shared::Shared;

#[derive(PartialEq, Properties)]
pub struct ProblemListProps {
    pub problems: Shared<Vec<Problem>>,
    /// Paths of the editor's fields.
    pub fields: Shared<Vec<String>>,
}

/// The editor field a problem at `path` belongs to: the field itself, the field holding it
/// (`cluster.publicAccessCIDRs` for `cluster.publicAccessCIDRs[1]`), or the first field inside
/// it (`cluster.clusterEndpoints.publicAccess` for `cluster.clusterEndpoints`).
pub fn field_for(fields: &[String], path: &str) -> Option<String> {
    let below = |outer: &str, inner: &str| {
        inner.len() > outer.len()
            && inner.starts_with(outer)
            && matches!(inner.as_bytes()[outer.len()], b'[' | b'.')
    };
    fields
        .iter()
        .find(|f| f.as_str() == path)
        .or_else(|| {
            fields
                .iter()
                .filter(|f| below(f, path))
                .max_by_key(|f| f.len())
        })
        .or_else(|| fields.iter().find(|f| below(path, f)))
        .cloned()
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
        let field = field_for(&props.fields, &path);
        let has_field = field.is_some();
        let target = field.unwrap_or_default();
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
    // At most a hundred rows, then a count of the rest by kind (as the CLI prints them).
    let summary = summarize(&props.problems);
    html! {
        <div class="problems" data-kind="problems" role="alert">
            <h2>{ plural(props.problems.len() as u32, "problem", "problems") }
                <span class="problems-note">{ " — the diagram shows the last valid scenario" }</span>
            </h2>
            <ul>
                { for summary.listed.iter().map(item) }
                { for summary.more_lines().into_iter().map(|line| html! {
                    <li class="problems-more" data-where="more">{ line }</li>
                }) }
            </ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Thousands of problems render a hundred rows and a count, whatever their number.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn thousands_of_problems_render_a_hundred_rows() {
        let problems: Vec<Problem> = (0..2_000)
            .map(|i| {
                Problem::new(
                    format!("vpc.subnets[{i}].cidr").as_str(),
                    "is outside the VPC's CIDRs",
                )
            })
            .collect();
        let props = ProblemListProps {
            problems: Shared::new(std::rc::Rc::new(problems)),
            fields: Shared::new(std::rc::Rc::new(Vec::new())),
        };
        let html = futures_executor::block_on(
            yew::LocalServerRenderer::<ProblemList>::with_props(props)
                .hydratable(false)
                .render(),
        );
        assert_eq!(html.matches("data-where=\"list\"").count(), 100);
        assert_eq!(html.matches("data-where=\"more\"").count(), 1);
        assert!(html.contains("2,000 problems"), "{html}");
        assert!(html.contains("and 1,900 more problems of the same kind at vpc.subnets[*].cidr"));
    }

    #[test]
    fn problems_link_to_the_nearest_field() {
        let fields: Vec<String> = [
            "cluster.publicAccessCIDRs",
            "cluster.clusterEndpoints.publicAccess",
            "vpc.subnets[2].cidr",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            field_for(&fields, "cluster.publicAccessCIDRs[1]").as_deref(),
            Some("cluster.publicAccessCIDRs")
        );
        assert_eq!(
            field_for(&fields, "cluster.clusterEndpoints").as_deref(),
            Some("cluster.clusterEndpoints.publicAccess")
        );
        assert_eq!(
            field_for(&fields, "vpc.subnets[2].cidr").as_deref(),
            Some("vpc.subnets[2].cidr")
        );
        assert_eq!(field_for(&fields, "managedNodeGroups[0].subnets[0]"), None);
        assert_eq!(
            field_for(&fields, "vpc.subnets[2]"),
            Some("vpc.subnets[2].cidr".into())
        );
    }
}
