//! SecurityGroupPolicies (`vpcresources.k8s.aws/v1beta1`, security groups for pods) →
//! `workloads[].securityGroups` of the workloads in its namespace whose pods its
//! `podSelector` selects (every policy selecting a pod adds its groups).

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::{Draft, NoteKind};
use super::{pod_labels, string_map, text, Object};

pub(super) fn apply(obj: &Object, draft: &mut Draft) {
    let spec = obj.spec();
    for field in ["name", "namespace"] {
        let at = format!("{} metadata.{field}", obj.at());
        text::note_placeholders(super::raw_meta(obj.doc, field), &at, draft);
    }
    let mut groups: Vec<String> = Vec::new();
    let ids = spec
        .get("securityGroups")
        .and_then(|g| g.get("groupIds"))
        .and_then(Value::as_array);
    for id in ids.into_iter().flatten().filter_map(Value::as_str) {
        match text::placeholders(id).first() {
            Some(p) => {
                let stand_in = stand_in_id(p);
                draft.note(
                    NoteKind::Placeholder,
                    obj.at(),
                    format!(
                        "{p} (a security group id) is a placeholder; {stand_in} stands in for it"
                    ),
                );
                groups.push(stand_in);
            }
            None => groups.push(id.to_string()),
        }
    }
    if groups.is_empty() {
        return obj.ignore(
            draft,
            "no spec.securityGroups.groupIds, so no groups for pods",
        );
    }
    let Some(selector) = spec.get("podSelector") else {
        let why = if spec.get("serviceAccountSelector").is_some() {
            "selects pods by service account, which eksplain does not model (podSelector it does)"
        } else {
            "no podSelector"
        };
        return draft.note(NoteKind::Unresolved, obj.at(), format!("{why}; left out"));
    };
    let mut selected = Vec::new();
    for (i, w) in draft.scenario.workloads.iter_mut().enumerate() {
        if w.namespace != obj.namespace || !matches(selector, &pod_labels(w)) {
            continue;
        }
        for g in &groups {
            if !w.security_groups.contains(g) {
                w.security_groups.push(g.clone());
            }
        }
        selected.push(i);
    }
    if selected.is_empty() {
        return draft.note(
            NoteKind::Unresolved,
            obj.at(),
            format!(
                "selects no imported workload's pods in namespace {}; add the manifests of the workloads it \
                 selects",
                obj.namespace
            ),
        );
    }
    if !draft.scenario.cluster.vpc_cni.pod_eni {
        draft.note(
            NoteKind::Unresolved,
            format!("workloads[{}].securityGroups", selected[0]),
            format!(
                "{} gives pods security groups, but no input sets ENABLE_POD_ENI=true in the vpc-cni add-on, \
                 so those pods stay Pending; add the ClusterConfig that enables it",
                obj.title()
            ),
        );
    }
}

/// A valid security group id for a placeholder, the same wherever the placeholder appears:
/// `sg-0` and 16 hexadecimal digits of the placeholder's FNV-1a hash.
fn stand_in_id(placeholder: &str) -> String {
    let hash = placeholder.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("sg-0{hash:016x}")
}

/// A label selector (`matchLabels` and `matchExpressions`) against pod labels; `{}` selects
/// every pod.
fn matches(selector: &Value, labels: &BTreeMap<String, String>) -> bool {
    let wanted = string_map(selector.get("matchLabels"));
    if !wanted.iter().all(|(k, v)| labels.get(k) == Some(v)) {
        return false;
    }
    let expressions = selector.get("matchExpressions").and_then(Value::as_array);
    expressions.into_iter().flatten().all(|e| {
        let key = e.get("key").and_then(Value::as_str).unwrap_or("");
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .map(|v| v.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let value = labels.get(key).map(String::as_str);
        match e.get("operator").and_then(Value::as_str) {
            Some("In") => value.is_some_and(|v| values.contains(&v)),
            Some("NotIn") => !value.is_some_and(|v| values.contains(&v)),
            Some("Exists") => value.is_some(),
            Some("DoesNotExist") => value.is_none(),
            _ => false,
        }
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::testing::*;
    use super::*;

    const POLICY: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: catalog, namespace: catalog}
spec: {template: {metadata: {labels: {app.kubernetes.io/component: service, tier: db-client}}, spec: {containers: []}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: other, namespace: catalog}
spec: {template: {metadata: {labels: {app: other}}, spec: {containers: []}}}
---
apiVersion: vpcresources.k8s.aws/v1beta1
kind: SecurityGroupPolicy
metadata: {name: catalog-rds-access, namespace: catalog}
spec:
  podSelector:
    matchLabels: {app.kubernetes.io/component: service}
    matchExpressions: [{key: tier, operator: In, values: [db-client]}]
  securityGroups:
    groupIds: ['${CATALOG_SG_ID}', sg-0123456789abcdef0]
---
apiVersion: vpcresources.k8s.aws/v1beta1
kind: SecurityGroupPolicy
metadata: {name: by-account, namespace: catalog}
spec:
  serviceAccountSelector: {matchLabels: {role: db}}
  securityGroups: {groupIds: [sg-01234567]}
";

    #[test]
    fn policies_give_the_selected_workloads_their_groups() {
        let mut d = draft();
        d.scenario.cluster.vpc_cni.pod_eni = true;
        apply_yaml(&mut d, "sgp.yaml", POLICY);
        let w = &d.scenario.workloads;
        assert_eq!(
            w[0].security_groups,
            ["sg-07ee6684587969905", "sg-0123456789abcdef0"]
        );
        assert!(w[1].security_groups.is_empty());
        assert_eq!(
            notes(&d, NoteKind::Placeholder),
            ["sgp.yaml#3 SecurityGroupPolicy catalog/catalog-rds-access: ${CATALOG_SG_ID} (a security group \
              id) is a placeholder; sg-07ee6684587969905 stands in for it"]
        );
        assert_eq!(
            notes(&d, NoteKind::Unresolved),
            ["sgp.yaml#4 SecurityGroupPolicy catalog/by-account: selects pods by service account, which \
              eksplain does not model (podSelector it does); left out"]
        );
        crate::model::build(&d.scenario).expect("the imported scenario builds");
    }

    #[test]
    fn without_pod_eni_the_pending_pods_are_a_note() {
        let mut d = draft();
        apply_yaml(&mut d, "sgp.yaml", POLICY);
        assert!(notes(&d, NoteKind::Unresolved)[0].starts_with(
            "workloads[0].securityGroups: SecurityGroupPolicy catalog/catalog-rds-access gives pods security groups"
        ));
    }
}
