//! Find a node or pod by name and jump to it: the diagram selects it and brings it into view
//! (at 5,000 nodes and 150,000 pods, the only way to find one).

use std::borrow::Cow;
use std::rc::Rc;

use yew::prelude::*;

use crate::model::{Cluster, Id, Node, Pod};
use crate::ui::shared::{use_memo_same, Shared};

/// Names offered as suggestions while typing (all names are searched on Enter).
const SUGGESTIONS: usize = 400;

#[derive(Properties, PartialEq)]
pub struct SearchProps {
    pub cluster: Shared<Cluster>,
    pub on_select: Callback<Option<Id>>,
}

/// What a name names: a node or a pod (whose typed id is made only for the one found).
#[derive(Debug, Clone, Copy)]
pub enum Named<'a> {
    Node(&'a Node),
    Pod(&'a Pod),
}

impl Named<'_> {
    pub fn id(self) -> Id {
        match self {
            Named::Node(n) => n.id.clone(),
            Named::Pod(p) => p.as_id(),
        }
    }
}

/// Every searchable name with what it names: nodes (by name and hostname), then pods.
/// Lazy: a toggle does not copy 150,000 pod names; a search walks them once.
fn names(cluster: &Cluster) -> impl Iterator<Item = (Cow<'_, str>, Named<'_>)> + Clone {
    let nodes = cluster.nodes.iter().flat_map(|n| {
        [
            (Cow::Borrowed(n.name.as_str()), Named::Node(n)),
            (Cow::Owned(n.hostname()), Named::Node(n)),
        ]
    });
    let pods = cluster
        .pods
        .iter()
        .map(|p| (Cow::Borrowed(p.name.as_str()), Named::Pod(p)));
    nodes.chain(pods)
}

/// What a query finds: an exact name first, else the first name containing it (any case).
pub fn find<N, T>(names: impl Iterator<Item = (N, T)> + Clone, query: &str) -> Option<T>
where
    N: AsRef<str>,
{
    let q = query.trim();
    if q.is_empty() {
        return None;
    }
    if let Some((_, hit)) = names.clone().find(|(n, _)| n.as_ref() == q) {
        return Some(hit);
    }
    let lower = lowercase(q);
    names
        .into_iter()
        .find(|(n, _)| lowercase(n.as_ref()).contains(&lower))
        .map(|(_, hit)| hit)
}

/// `text` as `str::to_lowercase` gives it. ASCII (every pod name) is lowered in Rust; in the
/// browser other text goes to JavaScript's `toLowerCase`, the same Unicode mapping, which keeps
/// std's case tables (about 6 KB of the gzipped wasm) out of the editor's download.
fn lowercase(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    #[cfg(target_arch = "wasm32")]
    let lower = String::from(js_sys::JsString::from(text).to_lower_case());
    #[cfg(not(target_arch = "wasm32"))]
    let lower = text.to_lowercase();
    lower
}

#[derive(Properties, PartialEq)]
struct SuggestionsProps {
    names: Shared<Vec<String>>,
}

/// The `<datalist>` of the first names: its own component, so it renders again only when
/// those names change (not when a toggle changes a service).
#[function_component(Suggestions)]
fn suggestions(props: &SuggestionsProps) -> Html {
    html! {
        <datalist id="eksplain-search-names">
            { for props.names.iter().map(|n| html! { <option value={n.clone()} /> }) }
        </datalist>
    }
}

#[function_component(Search)]
pub fn search(props: &SearchProps) -> Html {
    let suggestions: Rc<Vec<String>> = use_memo_same(props.cluster.clone(), |c| {
        names(c)
            .take(SUGGESTIONS)
            .map(|(n, _)| n.into_owned())
            .collect()
    });
    let missing = use_state(|| false);
    let jump = {
        let (cluster, on_select, missing) = (
            props.cluster.clone(),
            props.on_select.clone(),
            missing.clone(),
        );
        move |query: String, exact_only: bool| {
            let hit = if exact_only {
                names(&cluster)
                    .find(|(n, _)| *n == query)
                    .map(|(_, hit)| hit.id())
            } else {
                find(names(&cluster), &query).map(Named::id)
            };
            match hit {
                Some(id) => {
                    missing.set(false);
                    on_select.emit(Some(id));
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
            <Suggestions names={Shared::new(suggestions)} />
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
        let names = [
            ("ng-1-1", "node:ng-1-1"),
            ("ng-1-10", "node:ng-1-10"),
            ("web-abc", "pod:default/web-abc"),
        ];
        let find = |q: &str| find(names.iter().copied(), q);
        assert_eq!(find("ng-1-1"), Some("node:ng-1-1"));
        assert_eq!(find("NG-1-10"), Some("node:ng-1-10"));
        assert_eq!(find("web"), Some("pod:default/web-abc"));
        assert_eq!(find("  "), None);
        assert_eq!(find("db"), None);
    }

    #[test]
    fn case_is_ignored_beyond_ascii_too() {
        let names = [("Knoten-Ärger", 1), ("ΣΟΦΊΑ", 2)];
        let find = |q: &str| find(names.iter().copied(), q);
        assert_eq!(find("knoten-ä"), Some(1));
        assert_eq!(find("σοφία"), Some(2));
        assert_eq!(lowercase("ÀB-c"), "àb-c");
    }

    #[test]
    fn a_cluster_is_searched_by_node_name_hostname_and_pod_name() {
        let c = crate::model::build(&crate::scenario::default_scenario()).unwrap();
        let node = &c.nodes[1];
        let found = |q: &str| find(names(&c), q).map(Named::id);
        assert_eq!(found(&node.name), Some(node.id.clone()));
        assert_eq!(found(&node.hostname()), Some(node.id.clone()));
        let pod = c.pods.last().unwrap();
        assert_eq!(found(&pod.name), Some(pod.as_id()));
        assert_eq!(pod.as_id().to_string(), pod.id.as_str());
    }
}
