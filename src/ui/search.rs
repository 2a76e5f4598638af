//! Find a node or pod by name and jump to it: the diagram selects it and brings it into view
//! (at 5,000 nodes and 150,000 pods, the only way to find one).

use std::rc::Rc;

use yew::prelude::*;

use super::shared::Shared;
use crate::model::Cluster;

/// Names offered as suggestions while typing (all names are searched on Enter).
const SUGGESTIONS: usize = 400;

#[derive(Properties, PartialEq)]
pub struct SearchProps {
    pub cluster: Shared<Cluster>,
    pub on_select: Callback<Option<AttrValue>>,
}

/// Every searchable name with the id it selects: nodes (by name and hostname), then pods.
fn names(cluster: &Cluster) -> Vec<(String, String)> {
    let nodes = cluster
        .nodes
        .iter()
        .flat_map(|n| [(n.name.clone(), n.id.clone()), (n.hostname(), n.id.clone())]);
    let pods = cluster
        .pods
        .iter()
        .map(|p| (p.name.to_string(), p.id.to_string()));
    nodes.chain(pods).collect()
}

/// The id for a query: an exact name first, else the first name containing it (any case).
pub fn find(names: &[(String, String)], query: &str) -> Option<String> {
    let q = query.trim();
    if q.is_empty() {
        return None;
    }
    if let Some((_, id)) = names.iter().find(|(n, _)| n == q) {
        return Some(id.clone());
    }
    let lower = q.to_lowercase();
    names
        .iter()
        .find(|(n, _)| n.to_lowercase().contains(&lower))
        .map(|(_, id)| id.clone())
}

#[function_component(Search)]
pub fn search(props: &SearchProps) -> Html {
    let names: Rc<Vec<(String, String)>> = use_memo(props.cluster.clone(), |c| names(c));
    let missing = use_state(|| false);
    let jump = {
        let (names, on_select, missing) = (names.clone(), props.on_select.clone(), missing.clone());
        move |query: String, exact_only: bool| {
            let hit = if exact_only {
                names
                    .iter()
                    .find(|(n, _)| *n == query)
                    .map(|(_, id)| id.clone())
            } else {
                find(&names, &query)
            };
            match hit {
                Some(id) => {
                    missing.set(false);
                    on_select.emit(Some(id.into()));
                }
                None => missing.set(!exact_only && !query.trim().is_empty()),
            }
        }
    };
    // Picking a suggestion jumps at once; Enter jumps to the best match.
    let on_input = {
        let jump = jump.clone();
        Callback::from(move |e: InputEvent| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            jump(input.value(), true);
        })
    };
    let on_key = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            jump(input.value(), false);
        }
    });
    html! {
        <div class="search" data-kind="search">
            <input type="search" list="eksplain-search-names" placeholder="Find node or pod" title="Find a node or pod by name (Enter jumps to the best match)"
                aria-label="Find a node or pod by name" aria-invalid={(*missing).then_some("true")}
                oninput={on_input} onkeydown={on_key} />
            <datalist id="eksplain-search-names">
                { for names.iter().take(SUGGESTIONS).map(|(n, _)| html! { <option value={n.clone()} /> }) }
            </datalist>
            if *missing {
                <span class="search-miss" role="status">{ "No node or pod by that name" }</span>
            }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_names_win_then_substrings() {
        let names = vec![
            ("ng-1-1".to_string(), "node:ng-1-1".to_string()),
            ("ng-1-10".to_string(), "node:ng-1-10".to_string()),
            ("web-abc".to_string(), "pod:default/web-abc".to_string()),
        ];
        assert_eq!(find(&names, "ng-1-1").as_deref(), Some("node:ng-1-1"));
        assert_eq!(find(&names, "NG-1-10").as_deref(), Some("node:ng-1-10"));
        assert_eq!(find(&names, "web").as_deref(), Some("pod:default/web-abc"));
        assert_eq!(find(&names, "  "), None);
        assert_eq!(find(&names, "db"), None);
    }
}
