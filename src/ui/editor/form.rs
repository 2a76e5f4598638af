//! [`Editor`]: the side panel that edits the scenario — the VPC CIDR (with an offer to
//! renumber the subnets into a new one) and NAT gateways; subnets, node groups, workloads,
//! Services, Ingresses, flows and security groups, each added, duplicated, removed and edited
//! field by field (`item_list`); every VPC CNI setting and the API endpoint — with every
//! problem next to its field and all of them in one list. Its children (the findings) sit
//! under the problems.

use std::collections::BTreeMap;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::layout::text::plural;
use crate::model::aws::cidr_plan::renumber_subnets;
use crate::model::aws::vpc::{parse_cidr, MAX_PREFIX, MIN_PREFIX};
use crate::scenario::{NatGatewayMode, Problem, Scenario};
use crate::ui::cni_settings::{self, CniSettings};
use crate::ui::endpoint_settings::{self, EndpointSettings};
use crate::ui::field::Field;
use crate::ui::instance_type_list::InstanceTypeList;
use crate::ui::item_list::{self, ItemList};
use crate::ui::list_edit::List;
use crate::ui::long_list::{use_rows_shown, ProblemIndex};
use crate::ui::problem_list::ProblemList;
use crate::ui::shared::{use_memo_same, Part, Shared};
use crate::ui::subnet_form::{self, AddSubnet};
use crate::ui::workload_editor::WorkloadEditor;
use crate::ui::workspace::{Edit, RawInput};

#[derive(PartialEq, Properties)]
pub struct EditorProps {
    pub draft: Shared<Scenario>,
    pub raw: Shared<BTreeMap<String, RawInput>>,
    pub problems: Shared<Vec<Problem>>,
    pub on_edit: Callback<Edit>,
    /// The VPC CIDR of the last cluster that built: where the subnets are renumbered from.
    #[prop_or_default]
    pub built_cidr: Option<AttrValue>,
    /// Shown under the problem list (the findings panel).
    #[prop_or_default]
    pub children: Html,
}

/// Every field path the editor shows, so the problem list knows which problems it can point
/// to: of the long lists, only the rows shown and the open item ([`Shown`]).
pub fn field_paths(scenario: &Scenario, shown: Shown) -> Vec<String> {
    let mut paths = vec!["vpc.cidr".to_string(), "vpc.natGateways".to_string()];
    for (n, list) in List::ALL.into_iter().enumerate() {
        let open = shown.open.filter(|(l, _)| *l == list).map(|(_, i)| i);
        paths.extend(item_list::field_paths(scenario, list, shown.rows[n], open));
    }
    paths.extend(cni_settings::field_paths(scenario));
    paths.extend(endpoint_settings::field_paths());
    paths
}

/// How many rows of each long list the editor shows (`long_list`), in the order of
/// [`List::ALL`], and the item whose whole form is open.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shown {
    pub rows: [usize; 7],
    pub open: Option<(List, usize)>,
}

/// The offer under the VPC CIDR once it moved: the subnets renumbered into it, or why they
/// do not fit. `built` is the VPC CIDR of the last cluster that built.
fn renumber_offer(draft: &Scenario, built: Option<&str>, on_edit: &Callback<Edit>) -> Html {
    let (Some(old), Ok(new)) = (
        built.and_then(|b| parse_cidr(b).ok()),
        parse_cidr(&draft.vpc.cidr),
    ) else {
        return Html::default();
    };
    if old == new || !(MIN_PREFIX..=MAX_PREFIX).contains(&new.prefix_len()) {
        return Html::default();
    }
    let cidrs: Vec<String> = draft.vpc.subnets.iter().map(|x| x.cidr.clone()).collect();
    let inside = cidrs
        .iter()
        .filter(|c| parse_cidr(c).is_ok_and(|n| old.contains(&n) && !new.contains(&n)))
        .count();
    if inside == 0 {
        return Html::default();
    }
    match renumber_subnets(&cidrs, old, new) {
        Ok(moved) => {
            let onclick = {
                let on_edit = on_edit.clone();
                let (old, new) = (old.to_string(), new.to_string());
                Callback::from(move |_: MouseEvent| {
                    on_edit.emit(Edit::RenumberSubnets(old.clone(), new.clone()))
                })
            };
            let preview = draft
                .vpc
                .subnets
                .iter()
                .zip(&moved)
                .filter(|(x, m)| x.cidr != **m)
                .take(3)
                .map(|(x, m)| format!("{} → {m}", x.name))
                .collect::<Vec<_>>()
                .join(", ");
            html! {
                <div class="renumber-offer" data-kind="renumber-offer" role="status">
                    <p>{ format!("{} of {old} are outside {new}. Renumbered, each keeps its size and order: {preview}{}.",
                        plural(inside as u32, "subnet", "subnets"), if inside > 3 { ", …" } else { "" }) }</p>
                    <button type="button" class="primary" data-action="renumber-subnets" {onclick}>{ format!("Renumber subnets into {new}") }</button>
                </div>
            }
        }
        Err(why) => html! {
            <div class="renumber-offer" data-kind="renumber-offer" role="status">
                <p>{ format!("Cannot renumber: {why}.") }</p>
            </div>
        },
    }
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
    // One hook per list, in `List::ALL` order.
    let pages = [
        use_rows_shown(),
        use_rows_shown(),
        use_rows_shown(),
        use_rows_shown(),
        use_rows_shown(),
        use_rows_shown(),
        use_rows_shown(),
    ];
    let open = use_state(|| None::<(List, usize)>);
    let shown = Shown {
        rows: pages.each_ref().map(|(n, _)| *n),
        open: *open,
    };
    let edit = |make: fn(String) -> Edit| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |text: String| on_edit.emit(make(text)))
    };
    // Kept while equal, so the problem list does not render again after an edit that changes
    // no field (a toggle of a service).
    let fields = use_memo_same((draft.clone(), shown), |(d, shown)| field_paths(d, *shown));

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

    // The props of one list's `ItemList`.
    let on_open = use_callback(open.setter(), |(list, i): (List, Option<usize>), set| {
        set.set(i.map(|i| (list, i)))
    });
    let list_props = |list: List| {
        let n = List::ALL.iter().position(|l| *l == list).unwrap_or(0);
        (
            pages[n].0,
            pages[n].1.clone(),
            (*open).filter(|(l, _)| *l == list).map(|(_, i)| i),
            on_open.clone(),
        )
    };
    let section = |list: List, title: &'static str, note: &'static str| {
        let (shown, on_more, open, on_open) = list_props(list);
        html! {
            <section class="editor-section" data-section={list.path()}>
                <h2>{ title }</h2>
                <ItemList {list} draft={Part::new(&props.draft.0, list.same_items())} raw={props.raw.clone()} problems={props.problems.clone()}
                    on_edit={props.on_edit.clone()} {shown} {on_more} {open} {on_open} empty={AttrValue::Static(note)} />
            </section>
        }
    };
    let (subnet_rows, more_subnets, open_subnet, on_open_subnet) = list_props(List::Subnets);
    let (workload_rows, more_workloads, open_workload, on_open_workload) =
        list_props(List::Workloads);

    html! {
        <aside class="editor" data-kind="editor" aria-label="Scenario editor">
            <ProblemList problems={props.problems.clone()} fields={Shared::new(fields)} />
            { props.children.clone() }
            <section class="editor-section">
                <h2>{ "VPC" }</h2>
                <Field path="vpc.cidr" label="IPv4 CIDR" value={draft.vpc.cidr.clone()} problems={problems_at("vpc.cidr")} oninput={edit(Edit::VpcCidr)} hint="/16 to /28" />
                { renumber_offer(draft, props.built_cidr.as_deref(), &props.on_edit) }
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
            <section class="editor-section" data-section="vpc.subnets">
                <h2>{ "Subnets" }</h2>
                <ItemList list={List::Subnets} draft={Part::new(&props.draft.0, List::Subnets.same_items())} raw={props.raw.clone()} problems={props.problems.clone()}
                    on_edit={props.on_edit.clone()} shown={subnet_rows} on_more={more_subnets} open={open_subnet} on_open={on_open_subnet} add_button={false}>
                    <AddSubnet draft={Part::new(&props.draft.0, subnet_form::same_part)} on_edit={props.on_edit.clone()} />
                </ItemList>
            </section>
            { section(List::NodeGroups, "Node groups", "No node group: nothing runs pods.") }
            <WorkloadEditor draft={Part::new(&props.draft.0, List::Workloads.same_items())} shown={workload_rows} on_more={more_workloads} open={open_workload} on_open={on_open_workload}
                raw={props.raw.clone()} problems={props.problems.clone()} on_edit={props.on_edit.clone()} />
            { section(List::Services, "Services", "No Service: add one to give pods a ClusterIP, a NodePort or a load balancer.") }
            { section(List::Ingresses, "Ingresses", "No Ingress: add one for an Application Load Balancer in front of Services.") }
            { section(List::Flows, "Flows", "No flow: add one to trace a packet, e.g. internet → service/web.") }
            { section(List::SecurityGroups, "Security groups", "No security group rules: pods use the cluster security group.") }
            <CniSettings draft={Part::new(&props.draft.0, cni_settings::same_part)} raw={props.raw.clone()} problems={props.problems.clone()} on_edit={props.on_edit.clone()} />
            <EndpointSettings draft={Part::new(&props.draft.0, endpoint_settings::same_part)} problems={props.problems.clone()} on_edit={props.on_edit.clone()} />
            <InstanceTypeList />
        </aside>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    const ALL: Shown = Shown {
        rows: [usize::MAX; 7],
        open: None,
    };

    #[test]
    fn only_the_rows_shown_are_fields() {
        let mut s = default_scenario();
        s.vpc.subnets = (0..2_000).map(|_| s.vpc.subnets[0].clone()).collect();
        let mut shown = ALL;
        shown.rows[0] = 50;
        let paths = field_paths(&s, shown);
        assert!(paths.contains(&"vpc.subnets[49].cidr".to_string()));
        assert!(!paths.contains(&"vpc.subnets[50].cidr".to_string()));
        assert_eq!(
            paths.len(),
            field_paths(&default_scenario(), ALL).len() - 12 + 100
        );
        // The open item's whole form, even past the rows shown.
        shown.open = Some((List::Subnets, 1_500));
        let paths = field_paths(&s, shown);
        assert!(paths.contains(&"vpc.subnets[1500].name".to_string()));
        assert!(paths.contains(&"vpc.subnets[1500].cidr".to_string()));
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
        let open = Shown {
            open: Some((List::NodeGroups, 0)),
            ..ALL
        };
        assert!(field_paths(&default_scenario(), open)
            .contains(&"managedNodeGroups[0].taints".to_string()));
    }
}
