//! [`WorkloadEditor`]: the scenario's workloads — each one's replicas, and a form to add a
//! Deployment — so a user sees pods fill the nodes, the warm pool shrink and, past max pods,
//! pods wait.

use std::collections::BTreeMap;

use yew::prelude::*;

use crate::scenario::{Problem, Scenario, Workload, WorkloadKind};
use crate::ui::docs;
use crate::ui::field::Field;
use crate::ui::long_list::{MoreRows, ProblemIndex};
use crate::ui::shared::Shared;
use crate::ui::workspace::{workload_from, Edit, NewWorkload, RawInput, MAX_REPLICAS};

#[derive(PartialEq, Properties)]
pub struct WorkloadEditorProps {
    /// The draft's workloads, in an `Rc` that changes only when they do.
    pub workloads: Shared<Vec<Workload>>,
    /// How many of them have a row (`long_list`), and the button that shows more.
    pub shown: usize,
    pub on_more: Callback<MouseEvent>,
    pub raw: Shared<BTreeMap<String, RawInput>>,
    pub problems: Shared<Vec<Problem>>,
    pub on_edit: Callback<Edit>,
}

/// The editor's field paths in this section, for the first `shown` workloads.
pub fn field_paths(s: &Scenario, shown: usize) -> Vec<String> {
    (0..s.workloads.len().min(shown))
        .map(|i| format!("workloads[{i}].replicas"))
        .collect()
}

#[derive(PartialEq, Properties)]
struct WorkloadItemProps {
    index: usize,
    workload: Workload,
    /// The replicas field's text (the raw text while it is not a number).
    value: AttrValue,
    /// Problems at the replicas field, and at the rest of the workload.
    problems: Vec<AttrValue>,
    other: Vec<AttrValue>,
    on_edit: Callback<Edit>,
}

/// One workload of the list: a component of its own, so an edit elsewhere in the scenario
/// (a toggle of a service) does not render a hundred workloads again.
#[function_component(WorkloadItem)]
fn workload_item(props: &WorkloadItemProps) -> Html {
    let (i, w) = (props.index, &props.workload);
    let path = format!("workloads[{i}].replicas");
    let on_edit = props.on_edit.clone();
    let oninput = Callback::from(move |text: String| on_edit.emit(Edit::Replicas(i, text)));
    let on_edit = props.on_edit.clone();
    let remove = Callback::from(move |_: MouseEvent| on_edit.emit(Edit::RemoveWorkload(i)));
    let kind = match w.kind {
        WorkloadKind::Deployment => "Deployment",
        WorkloadKind::DaemonSet => "DaemonSet",
    };
    let mut requests = Vec::new();
    if let Some(c) = &w.requests.cpu {
        requests.push(format!("cpu {c}"));
    }
    if let Some(m) = &w.requests.memory {
        requests.push(format!("memory {m}"));
    }
    if !w.security_groups.is_empty() {
        requests.push(w.security_groups.join(", "));
    }
    let requests = if requests.is_empty() {
        "no requests".to_string()
    } else {
        requests.join(" · ")
    };
    let base = format!("workloads[{i}]");
    html! {
        <li class="workload-item">
            <div class="workload-head">
                <span class="badge badge-k8s">{ kind }</span>
                <span class="workload-name">{ format!("{}/{}", w.namespace, w.name) }</span>
                <button type="button" class="icon-button" onclick={remove} aria-label={format!("Remove {}", w.name)} title="Remove">{ "×" }</button>
            </div>
            <div class="workload-body">
                <Field path={path} label="Replicas" value={props.value.clone()} problems={props.problems.clone()} {oninput} input_type="number" min="0" max={MAX_REPLICAS.to_string()} class="narrow" />
                <span class="workload-requests">{ requests }</span>
            </div>
            if !props.other.is_empty() {
                <p class="field-problem" data-problem={base} data-where="inline">{ for props.other.iter().map(|m| html! { <span>{ m.clone() }</span> }) }</p>
            }
        </li>
    }
}

#[function_component(WorkloadEditor)]
pub fn workload_editor(props: &WorkloadEditorProps) -> Html {
    let form = use_state(NewWorkload::default);
    let tried = use_state(|| false);
    let workloads = &props.workloads;
    let problems = &props.problems;

    let index = ProblemIndex::new(problems);
    let items = workloads.iter().take(props.shown).enumerate().map(|(i, w)| {
        let path = format!("workloads[{i}].replicas");
        let value = props
            .raw
            .get(&path)
            .map_or_else(|| w.replicas.to_string(), |r| r.text.clone());
        // Problems about the workload other than its replicas (name, requests, …).
        let other = index.below(&format!("workloads[{i}]"), &path);
        html! {
            <WorkloadItem key={format!("{}/{}", w.namespace, w.name)} index={i} workload={w.clone()}
                value={AttrValue::from(value)} problems={index.messages(&path)} {other}
                on_edit={props.on_edit.clone()} />
        }
    });

    let set = |apply: fn(&mut NewWorkload, String)| {
        let form = form.clone();
        Callback::from(move |text: String| {
            let mut next = (*form).clone();
            apply(&mut next, text);
            form.set(next);
        })
    };
    let check = workload_from(&form, workloads);
    let onsubmit = {
        let form = form.clone();
        let tried = tried.clone();
        let on_edit = props.on_edit.clone();
        let ok = check.is_ok();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if ok {
                on_edit.emit(Edit::AddWorkload((*form).clone()));
                form.set(NewWorkload::default());
                tried.set(false);
            } else {
                tried.set(true);
            }
        })
    };
    let message = match (&check, *tried) {
        (Err(m), true) => Some(m.clone()),
        _ => None,
    };

    html! {
        <section class="editor-section" data-section="workloads">
            <div class="section-head">
                <h2>{ "Workloads" }</h2>
                { docs::help(&docs::SCHEDULER) }
            </div>
            if workloads.is_empty() {
                <p class="section-note">{ "Only the EKS add-ons run: aws-node and kube-proxy on every node, two CoreDNS pods. Add a Deployment to see pods fill the nodes." }</p>
            } else {
                <ul class="workload-list">{ for items }</ul>
                <MoreRows shown={props.shown} total={workloads.len()} what="workloads" on_more={props.on_more.clone()} />
            }
            <form class="add-workload" onsubmit={onsubmit} aria-label="Add a Deployment">
                <h3>{ "Add a Deployment" }</h3>
                <div class="add-grid">
                    <Field path="new-workload.name" label="Name" value={form.name.clone()} oninput={set(|f, t| f.name = t)} placeholder="web" />
                    <Field path="new-workload.replicas" label="Replicas" value={form.replicas.clone()} oninput={set(|f, t| f.replicas = t)} input_type="number" min="0" placeholder="1" />
                    <Field path="new-workload.cpu" label="CPU request" value={form.cpu.clone()} oninput={set(|f, t| f.cpu = t)} placeholder="250m" />
                    <Field path="new-workload.memory" label="Memory request" value={form.memory.clone()} oninput={set(|f, t| f.memory = t)} placeholder="256Mi" />
                </div>
                <Field path="new-workload.securityGroups" label="Security groups (optional)" value={form.security_groups.clone()} oninput={set(|f, t| f.security_groups = t)} placeholder="sg-0123456789abcdef0" hint="with security groups for pods on, each pod gets its own branch ENI" />
                if let Some(m) = message {
                    <p class="field-problem" data-problem="new-workload" data-where="inline" role="alert"><span>{ m }</span></p>
                }
                <button type="submit" class="primary" data-action="add-workload">{ "Add Deployment" }</button>
            </form>
        </section>
    }
}
