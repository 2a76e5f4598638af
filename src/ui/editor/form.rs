//! [`Editor`]: the side panel that edits the scenario — the VPC CIDR and NAT gateways, each
//! subnet's CIDR and type, each node group's instance type and node count, the workloads,
//! every VPC CNI setting and the API endpoint — with every problem next to its field and all
//! of them in one list. Its children (the findings) sit under the problems.

use std::collections::BTreeMap;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::model::aws::instance_types::InstanceTypes;
use crate::scenario::{NatGatewayMode, Problem, Scenario};
use crate::ui::cni_settings::{self, CniSettings};
use crate::ui::endpoint_settings::{self, EndpointSettings};
use crate::ui::field::{dom_id, Field};
use crate::ui::instance_type_list::{describe, InstanceTypeList, INSTANCE_TYPES_LIST};
use crate::ui::long_list::{use_rows_shown, MoreRows, ProblemIndex};
use crate::ui::problem_list::ProblemList;
use crate::ui::shared::{use_memo_same, use_same, Shared};
use crate::ui::workload_editor::{self, WorkloadEditor};
use crate::ui::workspace::{Edit, RawInput, MAX_NODES};

#[derive(PartialEq, Properties)]
pub struct EditorProps {
    pub draft: Shared<Scenario>,
    pub raw: Shared<BTreeMap<String, RawInput>>,
    pub problems: Shared<Vec<Problem>>,
    pub on_edit: Callback<Edit>,
    /// Shown under the problem list (the findings panel).
    #[prop_or_default]
    pub children: Html,
}

/// Every field path the editor shows, so the problem list knows which problems it can point
/// to: of the long lists, only the rows shown ([`Shown`]).
pub fn field_paths(scenario: &Scenario, shown: Shown) -> Vec<String> {
    let mut paths = vec!["vpc.cidr".to_string(), "vpc.natGateways".to_string()];
    for i in 0..scenario.vpc.subnets.len().min(shown.subnets) {
        paths.push(format!("vpc.subnets[{i}].cidr"));
        paths.push(format!("vpc.subnets[{i}].public"));
    }
    for g in 0..scenario.managed_node_groups.len().min(shown.groups) {
        paths.push(format!("managedNodeGroups[{g}].instanceType"));
        paths.push(format!("managedNodeGroups[{g}].desiredCapacity"));
    }
    paths.extend(workload_editor::field_paths(scenario, shown.workloads));
    paths.extend(cni_settings::field_paths(scenario));
    paths.extend(endpoint_settings::field_paths());
    paths
}

/// How many rows of each long list the editor shows (`long_list`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shown {
    pub subnets: usize,
    pub groups: usize,
    pub workloads: usize,
}

fn nat_mode_value(mode: NatGatewayMode) -> &'static str {
    match mode {
        NatGatewayMode::HighlyAvailable => "HighlyAvailable",
        NatGatewayMode::Single => "Single",
        NatGatewayMode::Disable => "Disable",
    }
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let draft = &props.draft;
    let index = ProblemIndex::new(&props.problems);
    let problems_at = |path: &str| index.messages(path);
    let (shown_subnets, more_subnets) = use_rows_shown();
    let (shown_groups, more_groups) = use_rows_shown();
    let (shown_workloads, more_workloads) = use_rows_shown();
    let shown = Shown {
        subnets: shown_subnets,
        groups: shown_groups,
        workloads: shown_workloads,
    };
    let edit = |make: fn(String) -> Edit| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |text: String| on_edit.emit(make(text)))
    };
    // Kept while equal, so the problem list and the workloads do not render again after an
    // edit that changes neither (a toggle of a service).
    let fields = use_memo_same((draft.clone(), shown), |(d, shown)| field_paths(d, *shown));
    let workloads = use_same(&draft.workloads);

    let nat_path = "vpc.natGateways";
    let on_nat = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: Event| {
            let mode = match e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .as_str()
            {
                "HighlyAvailable" => NatGatewayMode::HighlyAvailable,
                "Single" => NatGatewayMode::Single,
                _ => NatGatewayMode::Disable,
            };
            on_edit.emit(Edit::NatGateways(mode));
        })
    };
    let nat_problems = problems_at(nat_path);
    let current_nat = nat_mode_value(draft.vpc.nat_gateways);
    let nat_option = |value: &'static str, label: &'static str| {
        html! { <option value={value} selected={current_nat == value}>{ label }</option> }
    };

    let subnets = draft.vpc.subnets.iter().take(shown.subnets).enumerate().map(|(i, s)| {
        let path = format!("vpc.subnets[{i}].cidr");
        let public_path = format!("vpc.subnets[{i}].public");
        let on_edit = props.on_edit.clone();
        let oninput = Callback::from(move |text: String| on_edit.emit(Edit::SubnetCidr(i, text)));
        let on_edit = props.on_edit.clone();
        let on_public = Callback::from(move |e: Event| {
            on_edit.emit(Edit::SubnetPublic(i, e.target_unchecked_into::<HtmlInputElement>().checked()))
        });
        let public_id = dom_id("field", &public_path);
        let public_problems = problems_at(&public_path);
        html! {
            <li class={classes!("subnet-item", if s.public { "public" } else { "private" })} key={i}>
                <div class="subnet-meta">
                    <span class="subnet-name">{ s.name.clone() }</span>
                    <span class="subnet-az">{ s.az.clone() }</span>
                    <label class="toggle" for={public_id.clone()}>
                        <input type="checkbox" id={public_id} checked={s.public} data-field={public_path.clone()} onchange={on_public} />
                        { "public" }
                    </label>
                </div>
                <Field path={path.clone()} label={format!("CIDR of {}", s.name)} value={s.cidr.clone()} problems={problems_at(&path)} {oninput} class="compact" />
                if !public_problems.is_empty() {
                    <p class="field-problem" data-problem={public_path} data-where="inline">{ for public_problems.iter().map(|m| html! { <span>{ m.clone() }</span> }) }</p>
                }
            </li>
        }
    });

    let groups = draft.managed_node_groups.iter().take(shown.groups).enumerate().map(|(g, group)| {
        let type_path = format!("managedNodeGroups[{g}].instanceType");
        let count_path = format!("managedNodeGroups[{g}].desiredCapacity");
        let on_edit = props.on_edit.clone();
        let on_type = Callback::from(move |text: String| on_edit.emit(Edit::InstanceType(g, text)));
        let on_edit = props.on_edit.clone();
        let on_count = Callback::from(move |text: String| on_edit.emit(Edit::DesiredCapacity(g, text)));
        let count = props.raw.get(&count_path).map_or_else(|| group.desired_capacity.to_string(), |r| r.text.clone());
        let hint = InstanceTypes::get().lookup(&group.instance_type).map(|t| AttrValue::from(describe(t)));
        html! {
            <li class="group-item" key={g}>
                <div class="group-name">
                    <span class="badge">{ "managed node group" }</span>
                    <span>{ group.name.clone() }</span>
                    <span class="group-subnets">{ format!("in {}", group.subnets.join(", ")) }</span>
                </div>
                <Field path={type_path.clone()} label="Instance type" value={group.instance_type.clone()} problems={problems_at(&type_path)} oninput={on_type} list={AttrValue::Static(INSTANCE_TYPES_LIST)} placeholder="search 1,391 types, e.g. m5.large" {hint} />
                <Field path={count_path.clone()} label="Nodes" value={count} problems={problems_at(&count_path)} oninput={on_count} input_type="number" min="0" max={MAX_NODES.to_string()} class="narrow" />
            </li>
        }
    });

    html! {
        <aside class="editor" data-kind="editor" aria-label="Scenario editor">
            <ProblemList problems={props.problems.clone()} fields={Shared::new(fields)} />
            { props.children.clone() }
            <section class="editor-section">
                <h2>{ "VPC" }</h2>
                <Field path="vpc.cidr" label="IPv4 CIDR" value={draft.vpc.cidr.clone()} problems={problems_at("vpc.cidr")} oninput={edit(Edit::VpcCidr)} hint="/16 to /28" />
                <div class={classes!("field", (!nat_problems.is_empty()).then_some("invalid"))}>
                    <label for="field-vpc-natGateways">{ "NAT gateways" }</label>
                    <select id="field-vpc-natGateways" data-field={nat_path} onchange={on_nat}>
                        { nat_option("HighlyAvailable", "One per AZ (HighlyAvailable)") }
                        { nat_option("Single", "Single") }
                        { nat_option("Disable", "None (Disable)") }
                    </select>
                    if !nat_problems.is_empty() {
                        <p class="field-problem" data-problem={nat_path} data-where="inline" role="alert">{ for nat_problems.iter().map(|m| html! { <span>{ m.clone() }</span> }) }</p>
                    }
                </div>
            </section>
            <section class="editor-section">
                <h2>{ "Subnets" }</h2>
                <ul class="subnet-list">{ for subnets }</ul>
                <MoreRows shown={shown.subnets} total={draft.vpc.subnets.len()} what="subnets" on_more={more_subnets} />
            </section>
            <section class="editor-section">
                <h2>{ "Node groups" }</h2>
                <ul class="group-list">{ for groups }</ul>
                <MoreRows shown={shown.groups} total={draft.managed_node_groups.len()} what="node groups" on_more={more_groups} />
            </section>
            <WorkloadEditor workloads={Shared::new(workloads)} shown={shown.workloads} on_more={more_workloads} raw={props.raw.clone()} problems={props.problems.clone()} on_edit={props.on_edit.clone()} />
            <CniSettings draft={props.draft.clone()} raw={props.raw.clone()} problems={props.problems.clone()} on_edit={props.on_edit.clone()} />
            <EndpointSettings draft={props.draft.clone()} problems={props.problems.clone()} on_edit={props.on_edit.clone()} />
            <InstanceTypeList />
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    const ALL: Shown = Shown {
        subnets: usize::MAX,
        groups: usize::MAX,
        workloads: usize::MAX,
    };

    #[test]
    fn only_the_rows_shown_are_fields() {
        let mut s = default_scenario();
        s.vpc.subnets = (0..2_000).map(|_| s.vpc.subnets[0].clone()).collect();
        let shown = Shown { subnets: 50, ..ALL };
        let paths = field_paths(&s, shown);
        assert!(paths.contains(&"vpc.subnets[49].cidr".to_string()));
        assert!(!paths.contains(&"vpc.subnets[50].cidr".to_string()));
        assert_eq!(
            paths.len(),
            field_paths(&default_scenario(), ALL).len() - 12 + 100
        );
    }

    #[test]
    fn every_editable_path_is_listed() {
        let paths = field_paths(&default_scenario(), ALL);
        assert!(paths.contains(&"vpc.cidr".to_string()));
        assert!(paths.contains(&"vpc.subnets[5].cidr".to_string()));
        assert!(paths.contains(&"managedNodeGroups[0].desiredCapacity".to_string()));
        assert!(paths.contains(&"managedNodeGroups[0].instanceType".to_string()));
        assert!(paths.contains(&"cluster.vpcCni.prefixDelegation".to_string()));
        assert!(paths.contains(&"cluster.clusterEndpoints.privateAccess".to_string()));
        assert!(paths.contains(&"cluster.publicAccessCIDRs".to_string()));
    }
}
