//! [`CniSettings`]: every Amazon VPC CNI setting of the scenario — prefix delegation, custom
//! networking (with a one-click set-up of pod subnets and a subnet per AZ), security groups
//! for pods and their enforcing mode, external SNAT, the warm-pool targets, the CNI version
//! and the cluster's IP family — each bound to its scenario path.

use std::collections::BTreeMap;

use yew::prelude::*;

use crate::scenario::{EnforcingMode, IpFamily, Problem, Scenario};
use crate::ui::controls::{problems_at, Choice, Switch};
use crate::ui::docs;
use crate::ui::field::Field;
use crate::ui::shared::{Part, Shared};
use crate::ui::workspace::{CniFlag, Edit, RawInput, WarmField, POD_CIDR};

#[derive(PartialEq, Properties)]
pub struct CniSettingsProps {
    /// Compared by [`same_part`]: the cluster's settings and the VPC (its subnets are the
    /// ENIConfig choices).
    pub draft: Part<Scenario>,
    pub raw: Shared<BTreeMap<String, RawInput>>,
    pub problems: Shared<Vec<Problem>>,
    pub on_edit: Callback<Edit>,
}

/// Whether `a` and `b` agree on all this section reads: the cluster's settings and the VPC.
pub fn same_part(a: &Scenario, b: &Scenario) -> bool {
    a.cluster == b.cluster && a.vpc == b.vpc
}

/// The editor's field paths in this section (for the problem list's links).
pub fn field_paths(s: &Scenario) -> Vec<String> {
    let mut paths: Vec<String> = [
        CniFlag::PrefixDelegation.path(),
        "cluster.vpcCni.customNetworking",
        CniFlag::PodEni.path(),
        "cluster.vpcCni.podSecurityGroupEnforcingMode",
        CniFlag::ExternalSnat.path(),
        "cluster.vpcCni.version",
        "cluster.ipFamily",
    ]
    .iter()
    .map(|p| p.to_string())
    .chain(WarmField::ALL.iter().map(|w| w.path().to_string()))
    .collect();
    if !s.cluster.vpc_cni.custom_networking.is_empty() {
        paths.extend(azs(s).into_iter().map(|az| eniconfig_path(&az)));
    }
    paths
}

fn eniconfig_path(az: &str) -> String {
    format!("cluster.vpcCni.customNetworking.{az}")
}

/// Availability Zones in the order their first subnet appears.
fn azs(s: &Scenario) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for subnet in &s.vpc.subnets {
        if !out.contains(&subnet.az) {
            out.push(subnet.az.clone());
        }
    }
    out
}

fn warm_hint(field: WarmField) -> &'static str {
    match field {
        WarmField::WarmEni => "whole ENIs of free IPs to keep (default 1)",
        WarmField::WarmIp => "free IPs to keep; overrides the ENI target",
        WarmField::MinimumIp => "IPs to hold at least, from the start",
        WarmField::WarmPrefix => "free /28 prefixes to keep (prefix mode)",
    }
}

#[function_component(CniSettings)]
pub fn cni_settings(props: &CniSettingsProps) -> Html {
    let d = &props.draft;
    let cni = &d.cluster.vpc_cni;
    let problems = &props.problems;
    let at = |path: &str| problems_at(problems, path, false);
    let flag = |flag: CniFlag| {
        let on_edit = props.on_edit.clone();
        Callback::from(move |on: bool| on_edit.emit(Edit::CniFlag(flag, on)))
    };

    let custom_on = !cni.custom_networking.is_empty();
    let on_custom = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |on: bool| on_edit.emit(Edit::CustomNetworking(on)))
    };
    let has_pod_cidr =
        d.vpc.cidr == POD_CIDR || d.vpc.secondary_cidrs.iter().any(|c| c == POD_CIDR);
    let custom_hint = if custom_on {
        "Secondary ENIs go to each AZ's ENIConfig subnet and only their IPs go to pods; the primary ENI keeps the node's IP and carries no pods."
            .to_string()
    } else if has_pod_cidr {
        "Pods take addresses from an ENIConfig subnet per AZ instead of the nodes' subnets."
            .to_string()
    } else {
        format!("Pods take addresses from an ENIConfig subnet per AZ. Turning it on adds {POD_CIDR} to the VPC with one /19 pods subnet per AZ.")
    };
    let eniconfigs = azs(d).into_iter().map(|az| {
        let path = eniconfig_path(&az);
        let current = cni.custom_networking.get(&az).cloned().unwrap_or_default();
        let mut options: Vec<(AttrValue, AttrValue)> = vec![(AttrValue::from(""), AttrValue::from("— none —"))];
        options.extend(d.vpc.subnets.iter().filter(|s| s.az == az).map(|s| {
            (AttrValue::from(s.name.clone()), AttrValue::from(format!("{} ({})", s.name, s.cidr)))
        }));
        let on_edit = props.on_edit.clone();
        let zone = az.clone();
        let on_change = Callback::from(move |name: String| on_edit.emit(Edit::EniConfig(zone.clone(), name)));
        html! {
            <Choice key={az.clone()} path={path.clone()} label={format!("ENIConfig {az}")} options={options} value={current} on_change={on_change} problems={at(&path)} class="compact-choice" />
        }
    });

    let on_mode = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |v: String| {
            on_edit.emit(Edit::EnforcingMode(if v == "standard" {
                EnforcingMode::Standard
            } else {
                EnforcingMode::Strict
            }))
        })
    };
    let mode = match cni.pod_security_group_enforcing_mode {
        EnforcingMode::Strict => "strict",
        EnforcingMode::Standard => "standard",
    };

    let warm = WarmField::ALL.iter().map(|&field| {
        let path = field.path();
        let value = props
            .raw
            .get(path)
            .map_or_else(|| field.get(d).map(|n| n.to_string()).unwrap_or_default(), |r| r.text.clone());
        let on_edit = props.on_edit.clone();
        let oninput = Callback::from(move |text: String| on_edit.emit(Edit::Warm(field, text)));
        html! {
            <Field key={path} path={path} label={field.env()} value={value} problems={at(path)} {oninput} input_type="number" min="0" placeholder="unset" hint={warm_hint(field)} class="warm" />
        }
    });

    let on_version = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |text: String| on_edit.emit(Edit::CniVersion(text)))
    };
    let on_family = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |v: String| {
            on_edit.emit(Edit::IpFamily(if v == "IPv6" {
                IpFamily::IPv6
            } else {
                IpFamily::IPv4
            }))
        })
    };
    let family = match d.cluster.ip_family {
        IpFamily::IPv4 => "IPv4",
        IpFamily::IPv6 => "IPv6",
    };

    html! {
        <section class="editor-section" data-section="vpc-cni">
            <div class="section-head">
                <h2>{ "Amazon VPC CNI" }</h2>
                { docs::help(&docs::VPC_CNI) }
            </div>
            <Switch
                path={CniFlag::PrefixDelegation.path()}
                label="Prefix delegation"
                env="ENABLE_PREFIX_DELEGATION"
                hint="/28 prefixes (16 addresses each) instead of single IPs: far more pods per node on Nitro types, CNI ≥ 1.9."
                checked={cni.prefix_delegation}
                on_change={flag(CniFlag::PrefixDelegation)}
                problems={at(CniFlag::PrefixDelegation.path())}
                doc={docs::PREFIX_DELEGATION}
            />
            <Switch
                path="cluster.vpcCni.customNetworking"
                label="Custom networking"
                env="AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG"
                hint={custom_hint}
                checked={custom_on}
                on_change={on_custom}
                problems={problems_at(problems, "cluster.vpcCni.customNetworking", false)}
                doc={docs::CUSTOM_NETWORKING}
            >
                if custom_on {
                    <div class="sub-settings">{ for eniconfigs }</div>
                }
            </Switch>
            <Switch
                path={CniFlag::PodEni.path()}
                label="Security groups for pods"
                env="ENABLE_POD_ENI"
                hint="A trunk ENI per node; pods of workloads with securityGroups get their own branch ENI."
                checked={cni.pod_eni}
                on_change={flag(CniFlag::PodEni)}
                problems={at(CniFlag::PodEni.path())}
                doc={docs::SECURITY_GROUPS_FOR_PODS}
            >
                if cni.pod_eni {
                    <div class="sub-settings">
                        <Choice
                            path="cluster.vpcCni.podSecurityGroupEnforcingMode"
                            label="POD_SECURITY_GROUP_ENFORCING_MODE"
                            options={vec![
                                (AttrValue::from("strict"), AttrValue::from("strict: the pod's groups on all its traffic")),
                                (AttrValue::from("standard"), AttrValue::from("standard: eth0's groups for traffic leaving the VPC")),
                            ]}
                            value={mode}
                            on_change={on_mode}
                            problems={at("cluster.vpcCni.podSecurityGroupEnforcingMode")}
                            class="compact-choice"
                        />
                    </div>
                }
            </Switch>
            <Switch
                path={CniFlag::ExternalSnat.path()}
                label="External SNAT"
                env="AWS_VPC_K8S_CNI_EXTERNALSNAT"
                hint="Off: pods' traffic to outside the VPC leaves with the node's IP. On: with the pod's IP, for a NAT gateway to translate."
                checked={cni.external_snat}
                on_change={flag(CniFlag::ExternalSnat)}
                problems={at(CniFlag::ExternalSnat.path())}
                doc={docs::EXTERNAL_SNAT}
            />
            <div class="subhead">
                <h3>{ "Warm pool" }</h3>
                { docs::help(&docs::WARM_TARGETS) }
            </div>
            <div class="warm-grid">{ for warm }</div>
            <div class="two-col">
                <Field path="cluster.vpcCni.version" label="CNI version" value={cni.version.clone()} problems={at("cluster.vpcCni.version")} oninput={on_version} class="narrow-input" />
                <Choice
                    path="cluster.ipFamily"
                    label="IP family"
                    options={vec![(AttrValue::from("IPv4"), AttrValue::from("IPv4")), (AttrValue::from("IPv6"), AttrValue::from("IPv6 (prefix mode)"))]}
                    value={family}
                    on_change={on_family}
                    problems={at("cluster.ipFamily")}
                    doc={docs::IPV6}
                />
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::default_scenario;

    #[test]
    fn every_setting_has_a_path() {
        let mut s = default_scenario();
        let paths = field_paths(&s);
        assert!(paths.contains(&"cluster.vpcCni.prefixDelegation".to_string()));
        assert!(paths.contains(&"cluster.vpcCni.warmPrefixTarget".to_string()));
        s.cluster
            .vpc_cni
            .custom_networking
            .insert("us-east-1a".into(), "private-a".into());
        assert!(field_paths(&s).contains(&"cluster.vpcCni.customNetworking.us-east-1a".to_string()));
    }
}
