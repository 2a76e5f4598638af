//! [`EndpointSettings`]: the Kubernetes API endpoint — public and private access, and the
//! CIDRs allowed to reach the public endpoint.

use yew::prelude::*;

use crate::scenario::{Problem, Scenario};
use crate::ui::controls::{inline_problems, problems_at, Switch};
use crate::ui::docs;
use crate::ui::field::Field;
use crate::ui::shared::{Part, Shared};
use crate::ui::workspace::Edit;

pub const PUBLIC: &str = "cluster.clusterEndpoints.publicAccess";
pub const PRIVATE: &str = "cluster.clusterEndpoints.privateAccess";
pub const ENDPOINTS: &str = "cluster.clusterEndpoints";
pub const CIDRS: &str = "cluster.publicAccessCIDRs";

#[derive(PartialEq, Properties)]
pub struct EndpointSettingsProps {
    /// Compared by [`same_part`]: the cluster's settings.
    pub draft: Part<Scenario>,
    pub problems: Shared<Vec<Problem>>,
    pub on_edit: Callback<Edit>,
}

/// Whether `a` and `b` agree on all this section reads: the cluster's settings.
pub fn same_part(a: &Scenario, b: &Scenario) -> bool {
    a.cluster == b.cluster
}

/// The editor's field paths in this section.
pub fn field_paths() -> Vec<String> {
    vec![PUBLIC.into(), PRIVATE.into(), CIDRS.into()]
}

#[function_component(EndpointSettings)]
pub fn endpoint_settings(props: &EndpointSettingsProps) -> Html {
    let e = props.draft.cluster.cluster_endpoints;
    let problems = &props.problems;
    let on_public = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |on: bool| on_edit.emit(Edit::EndpointPublic(on)))
    };
    let on_private = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |on: bool| on_edit.emit(Edit::EndpointPrivate(on)))
    };
    let on_cidrs = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |text: String| on_edit.emit(Edit::PublicAccessCidrs(text)))
    };
    let mode = match (e.public_access, e.private_access) {
        (true, false) => "Public: nodes and kubectl reach the API over the internet.",
        (true, true) => {
            "Public and private: inside the VPC the API resolves to the cross-account ENIs."
        }
        (false, true) => "Private: only the VPC and connected networks reach the API.",
        (false, false) => "No endpoint: the API cannot be reached.",
    };
    html! {
        <section class="editor-section" data-section="endpoint">
            <div class="section-head">
                <h2>{ "API server endpoint" }</h2>
                { docs::help(&docs::CLUSTER_ENDPOINT) }
            </div>
            <p class="section-note">{ mode }</p>
            <Switch path={PUBLIC} label="Public access" env="endpointPublicAccess" checked={e.public_access} on_change={on_public} problems={problems_at(problems, PUBLIC, false)} />
            <Switch path={PRIVATE} label="Private access" env="endpointPrivateAccess" checked={e.private_access} on_change={on_private} problems={problems_at(problems, PRIVATE, false)} />
            { inline_problems(ENDPOINTS, &problems_at(problems, ENDPOINTS, false)) }
            <Field
                path={CIDRS}
                label="publicAccessCIDRs"
                value={props.draft.cluster.public_access_cidrs.join(", ")}
                problems={problems_at(problems, CIDRS, true)}
                oninput={on_cidrs}
                hint={if e.public_access { "comma-separated; who may reach the public endpoint" } else { "used only with public access on" }}
                placeholder="0.0.0.0/0"
                disabled={!e.public_access}
            />
        </section>
    }
}
