//! ENIConfigs (`crd.k8s.amazonaws.com/v1alpha1`) → `cluster.vpcCni.customNetworking`, AZ →
//! the subnet pods there take addresses from.
//!
//! eksplain keys ENIConfigs by AZ (the `topology.kubernetes.io/zone` label definition). The
//! AZ is the named subnet's, else the ENIConfig's name. A subnet no input describes (an id, or
//! a `${PLACEHOLDER}` as in the EKS Workshop's files) gets a stand-in: a /19 in 100.64.0.0/16,
//! the secondary CIDR AWS's custom networking guide uses, added to the VPC when missing.

use ipnet::Ipv4Net;
use serde_json::Value;

use super::super::{Draft, NoteKind};
use super::{text, Object};
use crate::scenario::{Problem, Subnet};

/// The secondary CIDR stand-in subnets are carved from.
const STAND_IN_CIDR: &str = "100.64.0.0/16";
const STAND_IN_PREFIX: u8 = 19;

pub(super) fn apply(obj: &Object, draft: &mut Draft) {
    let name = obj
        .doc
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let spec = obj.spec();
    let Some(subnet) = spec.get("subnet").and_then(Value::as_str) else {
        return obj.ignore(draft, "no spec.subnet, so no subnet for pods");
    };
    let base = "cluster.vpcCni.customNetworking";
    let subnets = &draft.scenario.vpc.subnets;
    let known = subnets.iter().find(|s| s.name == subnet).cloned();
    let name_is_az = subnets.iter().any(|s| s.az == name);
    let name_placeholder = text::placeholders(name).first().map(|p| p.to_string());
    let az = match (&known, name_is_az, &name_placeholder) {
        // Named after its AZ: that AZ (the scenario's check reports a subnet in another one).
        (_, true, _) => name.to_string(),
        (Some(s), false, _) => {
            if name_placeholder.is_none() {
                draft.note(
                    NoteKind::Default,
                    format!("{base}.{}", s.az),
                    format!(
                        "ENIConfig `{}` is not named after an AZ; eksplain applies it to the AZ of its subnet {}, {}",
                        name.escape_default(),
                        s.name,
                        s.az
                    ),
                );
            }
            s.az.clone()
        }
        (None, false, Some(p)) => match free_az(draft) {
            Some(az) => {
                draft.note(
                    NoteKind::Placeholder,
                    format!("{base}.{az}"),
                    format!("{p} (the ENIConfig's name) is a placeholder; the AZ {az} stands in for it"),
                );
                az
            }
            None => {
                return draft.note(
                    NoteKind::Unresolved,
                    obj.at(),
                    format!(
                        "{p} names the ENIConfig's AZ, and every AZ of the VPC already has an ENIConfig (or it \
                         has none); add the cluster's ClusterConfig or describe-subnets output; left out"
                    ),
                )
            }
        },
        (None, false, None) => {
            return draft.note(
                NoteKind::Unresolved,
                obj.at(),
                format!(
                    "`{}` is not an AZ of the VPC and its subnet {} is not a known subnet; add describe-subnets \
                     output for the subnet; left out",
                    name.escape_default(),
                    subnet.escape_default()
                ),
            )
        }
    };
    let path = format!("{base}.{az}");
    let cni = &draft.scenario.cluster.vpc_cni.custom_networking;
    if let Some(other) = cni.get(&az) {
        let message = format!(
            "{} in {} is a second ENIConfig for {az}, which already uses subnet {other}; the later one is left out",
            obj.title(),
            obj.source
        );
        draft.problems.push(Problem::new(path.as_str(), message));
        return;
    }
    let subnet_name = match known {
        Some(s) => s.name,
        None => match stand_in_subnet(subnet, &az, &path, draft) {
            Some(name) => name,
            None => return,
        },
    };
    if draft.scenario.cluster.vpc_cni.custom_networking.is_empty() {
        draft.note(
            NoteKind::Default,
            base,
            "ENIConfigs are given, so custom networking is on (AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG=true)",
        );
    }
    let groups = spec
        .get("securityGroups")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    if groups > 0 {
        draft.note(
            NoteKind::Ignored,
            path.clone(),
            format!(
                "spec.securityGroups ({groups}) of {} is not modelled: pods' ENIs are drawn without groups",
                obj.title()
            ),
        );
    }
    draft
        .scenario
        .cluster
        .vpc_cni
        .custom_networking
        .insert(az, subnet_name);
}

/// The first AZ of the VPC (in subnet order) without an ENIConfig.
fn free_az(draft: &Draft) -> Option<String> {
    let taken = &draft.scenario.cluster.vpc_cni.custom_networking;
    draft
        .scenario
        .vpc
        .subnets
        .iter()
        .map(|s| &s.az)
        .find(|az| !taken.contains_key(*az))
        .cloned()
}

/// A stand-in for a subnet no input describes: the next free /19 of 100.64.0.0/16 in `az`,
/// named after the placeholder or the id. `None`, with a note, when the block is full.
fn stand_in_subnet(subnet: &str, az: &str, path: &str, draft: &mut Draft) -> Option<String> {
    let block: Ipv4Net = STAND_IN_CIDR.parse().expect("a valid CIDR");
    let taken: Vec<Ipv4Net> = draft
        .scenario
        .vpc
        .subnets
        .iter()
        .filter_map(|s| s.cidr.parse().ok())
        .collect();
    let placeholder = text::placeholders(subnet).first().map(|p| p.to_string());
    let name = match &placeholder {
        Some(p) => text::stand_in(p),
        None => subnet.to_string(),
    };
    let free = block
        .subnets(STAND_IN_PREFIX)
        .ok()?
        .find(|c| !taken.iter().any(|t| t.contains(c) || c.contains(t)));
    let Some(cidr) = free else {
        draft.note(
            NoteKind::Unresolved,
            path,
            format!("subnet {subnet}: no input describes it and {STAND_IN_CIDR} has no free /{STAND_IN_PREFIX} left for a stand-in; add describe-subnets output; left out"),
        );
        return None;
    };
    let vpc = &mut draft.scenario.vpc;
    let covered = std::iter::once(&vpc.cidr)
        .chain(&vpc.secondary_cidrs)
        .filter_map(|c| c.parse::<Ipv4Net>().ok())
        .any(|c| c.contains(&block));
    let added = if covered {
        String::new()
    } else {
        vpc.secondary_cidrs.push(STAND_IN_CIDR.into());
        format!(", in the VPC's secondary CIDR {STAND_IN_CIDR} (added)")
    };
    vpc.subnets.push(Subnet {
        tags: Default::default(),
        name: name.clone(),
        az: az.to_string(),
        cidr: cidr.to_string(),
        public: false,
    });
    let stand_in = format!("a private subnet {name}, {cidr} in {az}{added}");
    match placeholder {
        Some(p) => draft.note(
            NoteKind::Placeholder,
            path,
            format!("{p} (the ENIConfig's subnet) is a placeholder; {stand_in} stands in for it"),
        ),
        None => draft.note(
            NoteKind::Unresolved,
            path,
            format!(
                "subnet {} is an id no input describes; {stand_in} stands in for it; add describe-subnets output \
                 for its CIDR and AZ",
                subnet.escape_default()
            ),
        ),
    }
    Some(name)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::testing::*;
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn the_workshop_eniconfigs_give_each_az_a_stand_in_secondary_subnet() {
        let mut d = draft();
        let yaml = fixture("eks-workshop-eniconfigs.yaml");
        apply_yaml(&mut d, "eks-workshop-eniconfigs.yaml", &yaml);
        let cni = &d.scenario.cluster.vpc_cni;
        let expected: BTreeMap<String, String> = [
            ("us-west-2a", "secondary-subnet-1"),
            ("us-west-2b", "secondary-subnet-2"),
            ("us-west-2c", "secondary-subnet-3"),
        ]
        .iter()
        .map(|(a, s)| (a.to_string(), s.to_string()))
        .collect();
        assert_eq!(cni.custom_networking, expected);
        assert_eq!(d.scenario.vpc.secondary_cidrs, ["100.64.0.0/16"]);
        let stand_ins: Vec<(&str, &str, &str)> = d.scenario.vpc.subnets[6..]
            .iter()
            .map(|s| (s.name.as_str(), s.az.as_str(), s.cidr.as_str()))
            .collect();
        assert_eq!(
            stand_ins,
            [
                ("secondary-subnet-1", "us-west-2a", "100.64.0.0/19"),
                ("secondary-subnet-2", "us-west-2b", "100.64.32.0/19"),
                ("secondary-subnet-3", "us-west-2c", "100.64.64.0/19"),
            ]
        );
        let placeholders = notes(&d, NoteKind::Placeholder);
        assert_eq!(placeholders.len(), 6);
        assert_eq!(
            placeholders[0],
            "cluster.vpcCni.customNetworking.us-west-2a: ${SUBNET_AZ_1} (the ENIConfig's name) is a placeholder; \
             the AZ us-west-2a stands in for it"
        );
        assert_eq!(
            placeholders[1],
            "cluster.vpcCni.customNetworking.us-west-2a: ${SECONDARY_SUBNET_1} (the ENIConfig's subnet) is a \
             placeholder; a private subnet secondary-subnet-1, 100.64.0.0/19 in us-west-2a, in the VPC's \
             secondary CIDR 100.64.0.0/16 (added) stands in for it"
        );
        assert_eq!(notes(&d, NoteKind::Ignored).len(), 3);
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        crate::model::build(&d.scenario).expect("the imported scenario builds");
    }

    #[test]
    fn stand_ins_fit_a_192_168_vpc_and_reuse_a_secondary_cidr_already_there() {
        let mut d = draft();
        d.scenario.vpc.cidr = "192.168.0.0/16".into();
        for (i, s) in d.scenario.vpc.subnets.iter_mut().enumerate() {
            s.cidr = format!("192.168.{}.0/19", i * 32);
        }
        d.scenario.vpc.secondary_cidrs = vec!["100.64.0.0/16".into()];
        let yaml = fixture("eks-workshop-eniconfigs.yaml");
        apply_yaml(&mut d, "eks-workshop-eniconfigs.yaml", &yaml);
        assert_eq!(d.scenario.vpc.secondary_cidrs, ["100.64.0.0/16"]);
        assert!(notes(&d, NoteKind::Placeholder)[1]
            .ends_with("100.64.0.0/19 in us-west-2a stands in for it"));
        crate::model::build(&d.scenario).expect("the imported scenario builds");
    }

    #[test]
    fn known_subnets_and_az_names_resolve_and_a_second_config_per_az_is_a_problem() {
        let mut d = draft();
        apply_yaml(
            &mut d,
            "eni.yaml",
            "apiVersion: crd.k8s.amazonaws.com/v1alpha1\nkind: ENIConfig\nmetadata: {name: group1}\nspec: {subnet: private-b}\n\
             ---\napiVersion: crd.k8s.amazonaws.com/v1alpha1\nkind: ENIConfig\nmetadata: {name: us-west-2a}\nspec: {subnet: subnet-0f39aa}\n\
             ---\napiVersion: crd.k8s.amazonaws.com/v1alpha1\nkind: ENIConfig\nmetadata: {name: us-west-2a}\nspec: {subnet: private-a}\n",
        );
        let cni = &d.scenario.cluster.vpc_cni.custom_networking;
        assert_eq!(cni["us-west-2b"], "private-b");
        assert_eq!(cni["us-west-2a"], "subnet-0f39aa");
        assert_eq!(
            notes(&d, NoteKind::Default)[0],
            "cluster.vpcCni.customNetworking.us-west-2b: ENIConfig `group1` is not named after an AZ; eksplain \
             applies it to the AZ of its subnet private-b, us-west-2b"
        );
        assert_eq!(
            notes(&d, NoteKind::Unresolved),
            ["cluster.vpcCni.customNetworking.us-west-2a: subnet subnet-0f39aa is an id no input describes; a \
              private subnet subnet-0f39aa, 100.64.0.0/19 in us-west-2a, in the VPC's secondary CIDR 100.64.0.0/16 \
              (added) stands in for it; add describe-subnets output for its CIDR and AZ"]
        );
        assert_eq!(d.problems.len(), 1);
        assert_eq!(
            d.problems[0].message,
            "ENIConfig us-west-2a in eni.yaml#3 is a second ENIConfig for us-west-2a, which already uses subnet \
             subnet-0f39aa; the later one is left out"
        );
    }
}
