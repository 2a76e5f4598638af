//! Links to the AWS and Kubernetes pages the model follows (`explain::docs`), from the
//! inspector and the editor (opened in a new tab: `target="_blank" rel="noopener"`).

use yew::prelude::*;

pub use crate::explain::docs::*;

/// A link to a page, opened in a new tab.
pub fn link(doc: &Doc) -> Html {
    html! {
        <a class="doc-link" href={doc.url} target="_blank" rel="noopener">{ doc.title }</a>
    }
}

/// A small "?" link beside a setting.
pub fn help(doc: &Doc) -> Html {
    html! {
        <a class="help" href={doc.url} target="_blank" rel="noopener" title={doc.title} aria-label={format!("Documentation: {}", doc.title)}>{ "?" }</a>
    }
}
