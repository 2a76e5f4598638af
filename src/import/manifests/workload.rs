//! Deployments, StatefulSets, DaemonSets, ReplicaSets and bare Pods → `workloads[]`: replicas,
//! pod labels, summed requests, nodeSelector, tolerations, topology spread, hostNetwork and
//! the container port.

use serde_json::Value;

use super::super::{Draft, NoteKind};
use super::{string_map, text, Object};
use crate::model::k8s::quantity::{format_cpu, format_memory, parse_cpu, parse_memory};
use crate::scenario::{
    Requests, TaintEffect, Toleration, TolerationOperator, TopologySpreadConstraint,
    WhenUnsatisfiable, Workload, WorkloadKind,
};

/// The workloads EKS runs itself, which the model adds on its own: (namespace, kind, name).
const SYSTEM: [(&str, &str, &str); 3] = [
    ("kube-system", "DaemonSet", "aws-node"),
    ("kube-system", "DaemonSet", "kube-proxy"),
    ("kube-system", "Deployment", "coredns"),
];

pub(super) fn apply(obj: &Object, draft: &mut Draft) {
    if obj.name.is_empty() {
        return obj.ignore(draft, "no metadata.name");
    }
    if SYSTEM.contains(&(obj.namespace.as_str(), obj.kind, obj.name.as_str())) {
        return obj.ignore(draft, "an EKS add-on eksplain adds itself");
    }
    if let Some(owner) = owner(obj.doc) {
        if matches!(obj.kind, "Pod" | "ReplicaSet") {
            return obj.ignore(
                draft,
                &format!("owned by {owner}; its pods are imported from the owner's manifest"),
            );
        }
    }
    if let Some(j) = draft
        .scenario
        .workloads
        .iter()
        .position(|w| w.namespace == obj.namespace && w.name == obj.name)
    {
        return obj.conflict(draft, format!("workloads[{j}]"));
    }
    let i = draft.scenario.workloads.len();
    let path = format!("workloads[{i}]");
    obj.note_placeholders(&path, draft);
    let spec = obj.spec();
    let (pod_meta, pod_spec) = if obj.kind == "Pod" {
        (obj.doc.get("metadata"), spec)
    } else {
        let template = spec.get("template").unwrap_or(&Value::Null);
        (
            template.get("metadata"),
            template.get("spec").unwrap_or(&Value::Null),
        )
    };
    let kind = if obj.kind == "DaemonSet" {
        WorkloadKind::DaemonSet
    } else {
        WorkloadKind::Deployment
    };
    match obj.kind {
        "StatefulSet" => draft.note(
            NoteKind::Ignored,
            format!("{path}.kind"),
            format!(
                "{}: drawn as a Deployment; its stable pod names and volumes are not part of the network",
                obj.title()
            ),
        ),
        "ReplicaSet" => draft.note(
            NoteKind::Ignored,
            format!("{path}.kind"),
            format!("{}: a ReplicaSet of its own, drawn as a Deployment", obj.title()),
        ),
        "Pod" => draft.note(
            NoteKind::Ignored,
            format!("{path}.kind"),
            format!("{}: a bare Pod, drawn as a Deployment of one replica", obj.title()),
        ),
        _ => {}
    }
    let replicas = if obj.kind == "Pod" || kind == WorkloadKind::DaemonSet {
        1
    } else {
        replicas(spec.get("replicas"), &format!("{path}.replicas"), draft)
    };
    let mut labels = string_map(pod_meta.and_then(|m| m.get("labels")));
    for value in labels.values_mut() {
        *value = text::replace_placeholders(value, &format!("{path}.labels"), draft);
    }
    let containers: Vec<&Value> = pod_spec
        .get("containers")
        .and_then(Value::as_array)
        .map(|c| c.iter().collect())
        .unwrap_or_default();
    let requests = requests(&containers, &format!("{path}.requests"), draft);
    let container_port = container_port(&containers, &format!("{path}.containerPort"), draft);
    let named = named_ports(&containers);
    let tolerations = tolerations(pod_spec.get("tolerations"), &path, draft);
    let topology_spread_constraints =
        spread(pod_spec.get("topologySpreadConstraints"), &path, draft);
    if pod_spec.get("affinity").is_some_and(|a| !a.is_null()) {
        draft.note(
            NoteKind::Ignored,
            path.clone(),
            "affinity is not modelled; nodeSelector and topologySpreadConstraints are",
        );
    }
    let workload = Workload {
        name: obj.name.clone(),
        namespace: obj.namespace.clone(),
        kind,
        replicas,
        labels,
        requests,
        node_selector: string_map(pod_spec.get("nodeSelector")),
        tolerations,
        topology_spread_constraints,
        security_groups: Vec::new(),
        host_network: pod_spec.get("hostNetwork") == Some(&Value::Bool(true)),
        // The scenario's default when the pods declare no port (ports are informational).
        container_port: container_port.unwrap_or(8080),
    };
    draft.scenario.workloads.push(workload);
    super::service::resolve_pending(i, &named, draft);
}

/// The pod's container ports that have a name.
fn named_ports(containers: &[&Value]) -> Vec<(String, u16)> {
    containers
        .iter()
        .flat_map(|c| {
            c.get("ports")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter_map(|p| {
            Some((
                text::string(p.get("name"))?,
                p.get("containerPort").and_then(text::port)?,
            ))
        })
        .collect()
}

/// The controller owning this object (`ReplicaSet web-5d4f…`), from `ownerReferences`.
fn owner(doc: &Value) -> Option<String> {
    let first = doc
        .get("metadata")?
        .get("ownerReferences")?
        .as_array()?
        .first()?;
    let kind = first.get("kind").and_then(Value::as_str).unwrap_or("owner");
    let name = first.get("name").and_then(Value::as_str).unwrap_or("");
    Some(format!("{kind} {name}").trim_end().to_string())
}

/// `spec.replicas`: 1 when absent (the Kubernetes default), a placeholder's stand-in 1.
fn replicas(value: Option<&Value>, path: &str, draft: &mut Draft) -> u32 {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return 1;
    };
    if let Some(n) = text::number(value).and_then(|n| u32::try_from(n).ok()) {
        return n;
    }
    let shown = text::string(Some(value)).unwrap_or_else(|| value.to_string());
    let placeholders = text::placeholders(&shown);
    if let Some(p) = placeholders.first() {
        draft.note(
            NoteKind::Placeholder,
            path,
            format!("{p} is a placeholder; 1 replica stands in for it"),
        );
    } else {
        draft.note(
            NoteKind::Ignored,
            path,
            format!(
                "`{}` is not a number of replicas; 1 is used",
                shown.escape_default()
            ),
        );
    }
    1
}

/// The pod's requests: the sum over its containers (requests default to limits, as Kubernetes
/// defaults them).
fn requests(containers: &[&Value], path: &str, draft: &mut Draft) -> Requests {
    let mut cpu: Vec<String> = Vec::new();
    let mut memory: Vec<String> = Vec::new();
    for c in containers {
        let resources = c.get("resources");
        let pick = |what: &str| {
            let of = |section: &str| {
                text::string(
                    resources
                        .and_then(|r| r.get(section))
                        .and_then(|s| s.get(what)),
                )
            };
            of("requests").or_else(|| of("limits"))
        };
        cpu.extend(pick("cpu"));
        memory.extend(pick("memory"));
    }
    Requests {
        cpu: sum(&cpu, parse_cpu, format_cpu, &format!("{path}.cpu"), draft),
        memory: sum(
            &memory,
            parse_memory,
            format_memory,
            &format!("{path}.memory"),
            draft,
        ),
    }
}

/// One quantity as written, or the sum of several; an unreadable one among several is left
/// out with a note (alone, it is kept for the scenario's check to report at its path). A
/// placeholder is left out with a note.
fn sum<E>(
    quantities: &[String],
    parse: fn(&str) -> Result<u64, E>,
    format: fn(u64) -> String,
    path: &str,
    draft: &mut Draft,
) -> Option<String> {
    let mut written: Vec<String> = Vec::new();
    for q in quantities {
        match text::placeholders(q).first() {
            Some(p) => draft.note(
                NoteKind::Placeholder,
                path,
                format!("{p} is a placeholder; no request stands in for it"),
            ),
            None => written.push(q.clone()),
        }
    }
    match written.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        many => {
            let mut total: u64 = 0;
            for q in many {
                match parse(q) {
                    Ok(v) => total = total.saturating_add(v),
                    Err(_) => draft.note(
                        NoteKind::Ignored,
                        path,
                        format!(
                            "`{}` is not a quantity; left out of the pod's sum",
                            q.escape_default()
                        ),
                    ),
                }
            }
            Some(format(total))
        }
    }
}

/// The first container port; a note names the others, which eksplain does not model.
fn container_port(containers: &[&Value], path: &str, draft: &mut Draft) -> Option<u16> {
    let mut ports: Vec<(u16, Option<String>)> = Vec::new();
    for c in containers {
        for p in c
            .get("ports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(n) = p.get("containerPort").and_then(text::port) {
                ports.push((n, text::string(p.get("name"))));
            }
        }
    }
    let first = ports.first()?.0;
    let shown = |(n, name): &(u16, Option<String>)| match name {
        Some(name) => format!("{n} ({name})"),
        None => n.to_string(),
    };
    if ports.len() > 1 {
        let others: Vec<String> = ports[1..].iter().map(shown).collect();
        draft.note(
            NoteKind::Ignored,
            path,
            format!(
                "eksplain models one port per pod, {}; also declared: {}",
                shown(&ports[0]),
                others.join(", ")
            ),
        );
    }
    Some(first)
}

fn tolerations(value: Option<&Value>, path: &str, draft: &mut Draft) -> Vec<Toleration> {
    let mut out = Vec::new();
    for (j, t) in value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = format!("{path}.tolerations[{j}]");
        let operator = match t.get("operator").and_then(Value::as_str) {
            None | Some("Equal") => TolerationOperator::Equal,
            Some("Exists") => TolerationOperator::Exists,
            Some(other) => {
                draft.note(
                    NoteKind::Ignored,
                    at,
                    format!(
                        "operator `{}` is not Equal or Exists; toleration left out",
                        other.escape_default()
                    ),
                );
                continue;
            }
        };
        let effect = match t.get("effect").and_then(Value::as_str) {
            None | Some("") => None,
            Some("NoSchedule") => Some(TaintEffect::NoSchedule),
            Some("PreferNoSchedule") => Some(TaintEffect::PreferNoSchedule),
            Some("NoExecute") => Some(TaintEffect::NoExecute),
            Some(other) => {
                draft.note(
                    NoteKind::Ignored,
                    at,
                    format!(
                        "effect `{}` is not a taint effect; toleration left out",
                        other.escape_default()
                    ),
                );
                continue;
            }
        };
        out.push(Toleration {
            key: text::string(t.get("key")).filter(|k| !k.is_empty()),
            operator,
            value: text::string(t.get("value")).filter(|v| !v.is_empty()),
            effect,
        });
    }
    out
}

fn spread(value: Option<&Value>, path: &str, draft: &mut Draft) -> Vec<TopologySpreadConstraint> {
    let mut out = Vec::new();
    for (j, c) in value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = format!("{path}.topologySpreadConstraints[{j}]");
        let Some(topology_key) = text::string(c.get("topologyKey")) else {
            draft.note(NoteKind::Ignored, at, "no topologyKey; constraint left out");
            continue;
        };
        let when_unsatisfiable = match c.get("whenUnsatisfiable").and_then(Value::as_str) {
            Some("ScheduleAnyway") => WhenUnsatisfiable::ScheduleAnyway,
            _ => WhenUnsatisfiable::DoNotSchedule,
        };
        let max_skew = c
            .get("maxSkew")
            .and_then(text::number)
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(1);
        out.push(TopologySpreadConstraint {
            max_skew,
            topology_key,
            when_unsatisfiable,
        });
    }
    out
}

/// Labels of a workload, for tests.
#[cfg(all(test, not(target_arch = "wasm32")))]
fn labels(pairs: &[(&str, &str)]) -> std::collections::BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::testing::*;
    use super::*;

    const SHOP: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: cart, namespace: shop, uid: 1234, resourceVersion: '99', managedFields: []}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: cart, tier: backend}}
    spec:
      nodeSelector: {workshop-default: 'yes'}
      tolerations:
        - {key: dedicated, operator: Equal, value: shop, effect: NoSchedule}
        - {operator: Exists}
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: ScheduleAnyway,
           labelSelector: {matchLabels: {app: cart}}}
      containers:
        - name: app
          ports: [{name: http, containerPort: 8081}, {name: metrics, containerPort: 9090}]
          resources: {requests: {cpu: 250m, memory: 256Mi}}
        - name: proxy
          resources: {limits: {cpu: '1', memory: 1Gi}}
        - name: templated
          resources: {requests: {cpu: '${CPU}'}}
status: {replicas: 3, readyReplicas: 3}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: monitoring}
spec:
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      containers: [{name: agent, ports: [{containerPort: 9100}]}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  replicas: ${DB_REPLICAS}
  template:
    metadata: {labels: {app: db}}
    spec:
      affinity: {podAntiAffinity: {}}
      containers: [{name: db, ports: [{containerPort: 5432}]}]
";

    #[test]
    fn deployments_daemonsets_and_statefulsets_become_workloads() {
        let mut d = draft();
        apply_yaml(&mut d, "shop.yaml", SHOP);
        let w = &d.scenario.workloads;
        assert_eq!(w.len(), 3);
        assert_eq!((w[0].kind, w[0].replicas), (WorkloadKind::Deployment, 3));
        assert_eq!(w[0].labels, labels(&[("app", "cart"), ("tier", "backend")]));
        assert_eq!(w[0].requests.cpu.as_deref(), Some("1250m"));
        assert_eq!(w[0].requests.memory.as_deref(), Some("1280Mi"));
        assert_eq!(w[0].node_selector, labels(&[("workshop-default", "yes")]));
        assert_eq!(w[0].tolerations.len(), 2);
        assert_eq!(w[0].tolerations[1].operator, TolerationOperator::Exists);
        assert_eq!(
            w[0].topology_spread_constraints[0].when_unsatisfiable,
            WhenUnsatisfiable::ScheduleAnyway
        );
        assert_eq!(w[0].container_port, 8081);
        assert_eq!(
            (w[1].kind, w[1].host_network),
            (WorkloadKind::DaemonSet, true)
        );
        assert_eq!(w[1].container_port, 9100);
        assert_eq!((w[2].kind, w[2].replicas), (WorkloadKind::Deployment, 1));
        assert_eq!(
            notes(&d, NoteKind::Ignored),
            [
                "workloads[0].containerPort: eksplain models one port per pod, 8081 (http); also declared: 9090 (metrics)",
                "workloads[2].kind: StatefulSet shop/db: drawn as a Deployment; its stable pod names and volumes are not part of the network",
                "workloads[2]: affinity is not modelled; nodeSelector and topologySpreadConstraints are",
            ]
        );
        assert_eq!(
            notes(&d, NoteKind::Placeholder),
            [
                "workloads[0].requests.cpu: ${CPU} is a placeholder; no request stands in for it",
                "workloads[2].replicas: ${DB_REPLICAS} is a placeholder; 1 replica stands in for it",
            ]
        );
        crate::model::build(&d.scenario).expect("the imported scenario builds");
    }

    #[test]
    fn owned_pods_system_add_ons_and_duplicates_are_left_out() {
        let mut d = draft();
        apply_yaml(
            &mut d,
            "get.yaml",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: cart-5d4f-x2\n  namespace: shop\n  ownerReferences: [{kind: ReplicaSet, name: cart-5d4f}]\nspec: {containers: []}\n\
             ---\napiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: aws-node, namespace: kube-system}\nspec: {}\n\
             ---\napiVersion: v1\nkind: Pod\nmetadata: {name: debug}\nspec: {containers: [{name: c}]}\n\
             ---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: debug}\nspec: {}\n",
        );
        assert_eq!(d.scenario.workloads.len(), 1);
        assert_eq!(d.scenario.workloads[0].name, "debug");
        assert_eq!(d.scenario.workloads[0].replicas, 1);
        assert_eq!(
            notes(&d, NoteKind::Ignored),
            [
                "get.yaml#1 Pod shop/cart-5d4f-x2: owned by ReplicaSet cart-5d4f; its pods are imported from the owner's manifest",
                "get.yaml#2 DaemonSet kube-system/aws-node: an EKS add-on eksplain adds itself",
                "workloads[0].kind: Pod debug: a bare Pod, drawn as a Deployment of one replica",
            ]
        );
        assert_eq!(d.problems.len(), 1);
        assert_eq!(d.problems[0].path.as_str(), "workloads[0].name");
        assert_eq!(
            d.problems[0].message,
            "Deployment debug in get.yaml#4 has the namespace and name of workloads[0], from an earlier \
             document; the later one is left out"
        );
    }
}
