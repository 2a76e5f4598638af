//! [`WorkloadEditor`]: the scenario's workloads — each one's replicas in its row, its whole
//! form (requests, labels, node selector, tolerations, topology spread, security groups) when
//! opened, and a form to add a Deployment or DaemonSet with real requests — so a user sees
//! pods fill the nodes, the warm pool shrink and, past max pods, pods wait.

use std::collections::BTreeMap;

use yew::prelude::*;

use crate::scenario::{Problem, Scenario, WorkloadKind};
use crate::ui::controls::Choice;
use crate::ui::docs;
use crate::ui::field::Field;
use crate::ui::item_list::ItemList;
use crate::ui::list_edit::List;
use crate::ui::shared::{Part, Shared};
use crate::ui::workspace::{workload_from, Edit, NewWorkload, RawInput};

#[derive(PartialEq, Properties)]
pub struct WorkloadEditorProps {
    /// Compared by the workloads ([`List::same_items`]), all it reads.
    pub draft: Part<Scenario>,
    /// How many of them have a row (`long_list`), and the button that shows more.
    pub shown: usize,
    pub on_more: Callback<MouseEvent>,
    /// The workload whose whole form is open.
    pub open: Option<usize>,
    pub on_open: Callback<(List, Option<usize>)>,
    pub raw: Shared<BTreeMap<String, RawInput>>,
    pub problems: Shared<Vec<Problem>>,
    pub on_edit: Callback<Edit>,
}

#[function_component(WorkloadEditor)]
pub fn workload_editor(props: &WorkloadEditorProps) -> Html {
    let form = use_state(NewWorkload::default);
    let tried = use_state(|| false);
    let workloads = &props.draft.workloads;
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
    let kind = match form.kind {
        WorkloadKind::Deployment => "Deployment",
        WorkloadKind::DaemonSet => "DaemonSet",
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
            <ItemList list={List::Workloads} draft={Part::new(props.draft.rc(), List::Workloads.same_items())} raw={props.raw.clone()} problems={props.problems.clone()}
                on_edit={props.on_edit.clone()} shown={props.shown} on_more={props.on_more.clone()} open={props.open} on_open={props.on_open.clone()}
                empty={AttrValue::Static("Only the EKS add-ons run: aws-node and kube-proxy on every node, two CoreDNS pods. Add a Deployment to see pods fill the nodes.")}
                add_button={false}>
            <form class="add-workload" onsubmit={onsubmit} aria-labelledby="add-workload-title">
                <h3 id="add-workload-title">{ format!("Add a {kind}") }</h3>
                <div class="add-grid">
                    <Field path="new-workload.name" label="Name" value={form.name.clone()} oninput={set(|f, t| f.name = t)} placeholder="web" />
                    <Choice path="new-workload.kind" label="Kind" options={vec![(AttrValue::Static("Deployment"), AttrValue::Static("Deployment")), (AttrValue::Static("DaemonSet"), AttrValue::Static("DaemonSet"))]}
                        value={kind} on_change={set(|f, t| f.kind = if t == "DaemonSet" { WorkloadKind::DaemonSet } else { WorkloadKind::Deployment })} />
                    <Field path="new-workload.replicas" label="Replicas" value={form.replicas.clone()} oninput={set(|f, t| f.replicas = t)} input_type="number" min="0" disabled={form.kind == WorkloadKind::DaemonSet} />
                    <Field path="new-workload.cpu" label="CPU request" value={form.cpu.clone()} oninput={set(|f, t| f.cpu = t)} hint="empty: none" />
                    <Field path="new-workload.memory" label="Memory request" value={form.memory.clone()} oninput={set(|f, t| f.memory = t)} hint="empty: none" />
                </div>
                <Field path="new-workload.securityGroups" label="Security groups (optional)" value={form.security_groups.clone()} oninput={set(|f, t| f.security_groups = t)} placeholder="sg-0123456789abcdef0" hint="with security groups for pods on, each pod gets its own branch ENI" />
                if let Some(m) = message {
                    <p class="field-problem" data-problem="new-workload" data-where="inline" role="alert"><span>{ m }</span></p>
                }
                <button type="submit" class="primary" data-action="add-workload">{ format!("Add {kind}") }</button>
            </form>
            </ItemList>
        </section>
    }
}
