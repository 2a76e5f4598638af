//! [`FindingsPanel`]: what the model found about a valid scenario — exhausted subnets, pods
//! without an address or a node, what the endpoint setting means — most severe first. Each
//! item names the drawn thing it is about; clicking it selects that thing.

use yew::prelude::*;

use crate::model::{Cluster, Finding, Id, Severity};
use crate::ui::shared::Shared;
use crate::ui::svg::severity_name;

#[derive(PartialEq, Properties)]
pub struct FindingsPanelProps {
    pub cluster: Shared<Cluster>,
    pub selected: Option<Id>,
    pub on_select: Callback<Option<Id>>,
    /// The draft has problems: these findings are the last valid scenario's.
    #[prop_or_default]
    pub stale: bool,
}

/// A subject id in words: `subnet:private-a` → `Subnet private-a`.
pub fn subject_label(subject: &Id) -> String {
    let key = subject.key();
    if key.is_empty() {
        subject.kind_label().to_string()
    } else {
        format!("{} {key}", subject.kind_label())
    }
}

fn glyph(s: Severity) -> &'static str {
    match s {
        Severity::Info => "i",
        _ => "!",
    }
}

#[function_component(FindingsPanel)]
pub fn findings_panel(props: &FindingsPanelProps) -> Html {
    // Most severe first; the model's order within a severity (three passes, no sort: one
    // fewer sort instantiation in the wasm).
    let all = &props.cluster.findings;
    let findings: Vec<&Finding> = [Severity::Error, Severity::Warning, Severity::Info]
        .into_iter()
        .flat_map(|s| all.iter().filter(move |f| f.severity == s))
        .collect();
    let worst = findings.first().map(|f| f.severity);
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let summary = [
        (Severity::Error, "error", "errors"),
        (Severity::Warning, "warning", "warnings"),
        (Severity::Info, "note", "notes"),
    ]
    .iter()
    .filter_map(|&(s, one, many)| match count(s) {
        0 => None,
        1 => Some(format!("1 {one}")),
        n => Some(format!("{n} {many}")),
    })
    .collect::<Vec<_>>()
    .join(" · ");
    let item = |f: &&Finding| {
        let sev = severity_name(f.severity);
        let subject = f.subject.clone();
        let selected = props.selected.as_ref() == Some(&subject);
        let onclick = {
            let on_select = props.on_select.clone();
            let subject = subject.clone();
            Callback::from(move |_: MouseEvent| on_select.emit(Some(subject.clone())))
        };
        html! {
            <li class={classes!("finding-item", format!("sev-{sev}"), selected.then_some("selected"))} data-finding-subject={subject.to_string()} data-severity={sev}>
                <button type="button" class="finding-button" {onclick} title={format!("Show {} on the diagram", subject_label(&f.subject))}>
                    <span class="sev-icon" aria-label={sev}>{ glyph(f.severity) }</span>
                    <span class="finding-text">
                        <span class="finding-subject">{ subject_label(&f.subject) }</span>
                        <span class="finding-message">{ f.message.clone() }</span>
                    </span>
                </button>
            </li>
        }
    };
    html! {
        <section class={classes!("findings-panel", worst.map(|s| format!("worst-{}", severity_name(s))))} data-kind="findings" aria-label="Findings">
            <div class="section-head">
                <h2>{ "Findings" }</h2>
                <span class="findings-summary">{ if summary.is_empty() { "none".to_string() } else { summary } }</span>
            </div>
            if props.stale {
                <p class="section-note">{ "For the last valid scenario, until the problems above are fixed." }</p>
            }
            if findings.is_empty() {
                <p class="section-note">{ "Nothing to report: every subnet holds max pods and every pod has an address." }</p>
            } else {
                <ul class="findings-list">{ for findings.iter().map(item) }</ul>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_read_as_words() {
        let label = |text: &str| subject_label(&text.parse().unwrap());
        assert_eq!(label("subnet:private-a"), "Subnet private-a");
        assert_eq!(label("control-plane"), "EKS control plane");
        assert_eq!(label("workload:default/web"), "Workload default/web");
        assert_eq!(label("natgw:us-east-1a"), "NAT gateway us-east-1a");
    }
}
