//! Services → `services[]`: type, selector, ports (a named targetPort resolved through the
//! selected pods' port), traffic policies, and for type LoadBalancer the load balancer its
//! annotations ask for ([`super::load_balancer`]).

use serde_json::Value;

use super::super::{Draft, NoteKind};
use super::{load_balancer, pod_labels, selects, string_map, text, Object};
use crate::scenario::{Protocol, Service, ServicePort, ServiceType, TrafficPolicy};

/// The Services EKS makes itself, which the model adds on its own: (namespace, name).
const SYSTEM: [(&str, &str); 2] = [("default", "kubernetes"), ("kube-system", "kube-dns")];

pub(super) fn apply(obj: &Object, draft: &mut Draft) {
    if obj.name.is_empty() {
        return obj.ignore(draft, "no metadata.name");
    }
    if SYSTEM.contains(&(obj.namespace.as_str(), obj.name.as_str())) {
        return obj.ignore(draft, "made by EKS; eksplain adds it itself");
    }
    let spec = obj.spec();
    let mut service_type = match spec.get("type").and_then(Value::as_str) {
        None | Some("ClusterIP") => ServiceType::ClusterIP,
        Some("NodePort") => ServiceType::NodePort,
        Some("LoadBalancer") => ServiceType::LoadBalancer,
        Some("ExternalName") => return obj.ignore(
            draft,
            "an ExternalName Service is a DNS alias, with no address or endpoints in the network",
        ),
        Some(other) => {
            return obj.ignore(
                draft,
                &format!("type `{}` is not a Service type", other.escape_default()),
            )
        }
    };
    if let Some(j) = draft
        .scenario
        .services
        .iter()
        .position(|s| s.namespace == obj.namespace && s.name == obj.name)
    {
        return obj.conflict(draft, format!("services[{j}]"));
    }
    let i = draft.scenario.services.len();
    let path = format!("services[{i}]");
    obj.note_placeholders(&path, draft);
    if spec.get("clusterIP").and_then(Value::as_str) == Some("None") {
        draft.note(
            NoteKind::Ignored,
            path.clone(),
            "clusterIP: None (a headless Service) is not modelled; it gets a cluster IP",
        );
    }
    if let Some(class) = load_balancer::foreign_class(obj) {
        if service_type == ServiceType::LoadBalancer {
            service_type = ServiceType::NodePort;
            draft.note(
                NoteKind::Ignored,
                format!("{path}.type"),
                format!(
                    "loadBalancerClass `{}` is neither AWS controller's, so no AWS load balancer is made; drawn \
                     as a NodePort Service (a LoadBalancer Service without its load balancer)",
                    class.escape_default()
                ),
            );
        }
    }
    let mut selector = string_map(spec.get("selector"));
    for value in selector.values_mut() {
        *value = text::replace_placeholders(value, &format!("{path}.selector"), draft);
    }
    let mut ports = Vec::new();
    for (j, p) in spec
        .get("ports")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let at = format!("{path}.ports[{j}]");
        let Some(port) = p.get("port").and_then(text::port) else {
            draft.note(
                NoteKind::Ignored,
                at,
                "no port between 1 and 65535; left out",
            );
            continue;
        };
        let protocol = match p.get("protocol").and_then(Value::as_str) {
            None | Some("TCP") => Protocol::TCP,
            Some("UDP") => Protocol::UDP,
            Some(other) => {
                draft.note(
                    NoteKind::Ignored,
                    at,
                    format!(
                        "protocol {} is not modelled (TCP and UDP are); port left out",
                        other.escape_default()
                    ),
                );
                continue;
            }
        };
        let target_port = target_port(
            p.get("targetPort"),
            &obj.namespace,
            &selector,
            &format!("{at}.targetPort"),
            draft,
        );
        let node_port = if service_type == ServiceType::ClusterIP {
            None
        } else {
            p.get("nodePort").and_then(text::port)
        };
        ports.push(ServicePort {
            name: text::string(p.get("name")).filter(|n| !n.is_empty()),
            port,
            target_port,
            protocol,
            node_port,
        });
    }
    let policy = |field: &str| match spec.get(field).and_then(Value::as_str) {
        Some("Local") => TrafficPolicy::Local,
        _ => TrafficPolicy::Cluster,
    };
    // Kubernetes keeps externalTrafficPolicy only for NodePort and LoadBalancer Services.
    let external_traffic_policy = if service_type == ServiceType::ClusterIP {
        TrafficPolicy::Cluster
    } else {
        policy("externalTrafficPolicy")
    };
    let load_balancer = (service_type == ServiceType::LoadBalancer)
        .then(|| load_balancer::spec(obj, &format!("{path}.loadBalancer"), draft));
    draft.scenario.services.push(Service {
        name: obj.name.clone(),
        namespace: obj.namespace.clone(),
        selector,
        service_type,
        ports,
        external_traffic_policy,
        internal_traffic_policy: policy("internalTrafficPolicy"),
        load_balancer,
    });
}

/// A port's `targetPort`: a number as is; a name through the port of the pods the Service
/// selects (eksplain models one port per pod), else unresolved (the Service port is used).
fn target_port(
    value: Option<&Value>,
    namespace: &str,
    selector: &std::collections::BTreeMap<String, String>,
    path: &str,
    draft: &mut Draft,
) -> Option<u16> {
    let value = value.filter(|v| !v.is_null())?;
    if let Some(n) = text::port(value) {
        return Some(n);
    }
    let Some(name) = value.as_str() else {
        draft.note(
            NoteKind::Ignored,
            path,
            format!("{value} is not a port number or name; the Service port is used"),
        );
        return None;
    };
    let selected: Vec<(usize, u16)> = draft
        .scenario
        .workloads
        .iter()
        .enumerate()
        .filter(|(_, w)| w.namespace == namespace && selects(selector, &pod_labels(w)))
        .map(|(k, w)| (k, w.container_port))
        .collect();
    let mut distinct: Vec<u16> = selected.iter().map(|(_, p)| *p).collect();
    distinct.sort_unstable();
    distinct.dedup();
    match distinct.as_slice() {
        [port] => {
            let from: Vec<String> = selected
                .iter()
                .map(|(k, _)| format!("workloads[{k}]"))
                .collect();
            draft.note(
                NoteKind::Default,
                path,
                format!(
                    "`{}` → {port}, the port of the pods it selects ({})",
                    name.escape_default(),
                    from.join(", ")
                ),
            );
            Some(*port)
        }
        [] => {
            let wanted: Vec<String> = selector.iter().map(|(k, v)| format!("{k}={v}")).collect();
            draft.note(
                NoteKind::Unresolved,
                path,
                format!(
                    "`{}` {PENDING} but no imported workload in namespace {namespace} has \
                     pods labelled {}; add the manifest of the workload it selects (the Service port is used)",
                    name.escape_default(),
                    if wanted.is_empty() { "(no selector)".to_string() } else { wanted.join(", ") }
                ),
            );
            None
        }
        several => {
            let shown: Vec<String> = several.iter().map(u16::to_string).collect();
            draft.note(
                NoteKind::Unresolved,
                path,
                format!(
                    "`{}` is ambiguous: the pods this Service selects listen on {}; set targetPort to a number \
                     (the Service port is used)",
                    name.escape_default(),
                    shown.join(" and ")
                ),
            );
            None
        }
    }
}

/// What the note on a named targetPort no workload resolves yet says after the name; a
/// workload applied later finds it by this ([`resolve_pending`]).
const PENDING: &str = "names a container port,";

/// A workload just applied (`workloads[k]`, its container ports by name) resolves the named
/// targetPorts of the Services before it that select its pods: the note that they were
/// unresolved gives way to one saying how they are resolved, or says that these pods have no
/// port of that name (a later workload may still have one).
pub(super) fn resolve_pending(k: usize, named: &[(String, u16)], draft: &mut Draft) {
    let waiting = |n: &super::super::Note| {
        n.kind == NoteKind::Unresolved
            && n.path.starts_with("services[")
            && n.path.ends_with(".targetPort")
    };
    if !draft.notes.iter().any(waiting) {
        return;
    }
    let w = &draft.scenario.workloads[k];
    let labels = pod_labels(w);
    // (the note's index, the name, the port of that name if the pods have one)
    let mut found: Vec<(usize, String, Option<u16>)> = Vec::new();
    for (i, s) in draft.scenario.services.iter_mut().enumerate() {
        if s.namespace != w.namespace || !selects(&s.selector, &labels) {
            continue;
        }
        for (j, p) in s.ports.iter_mut().enumerate() {
            // Only a port without a number can be waiting for a name.
            if p.target_port.is_some() {
                continue;
            }
            let path = format!("services[{i}].ports[{j}].targetPort");
            let pending = draft.notes.iter().enumerate().find_map(|(at, n)| {
                if n.kind != NoteKind::Unresolved || n.path != path {
                    return None;
                }
                let (name, after) = n.message.strip_prefix('`')?.split_once('`')?;
                after
                    .trim_start()
                    .starts_with(PENDING)
                    .then_some((at, name))
            });
            let Some((at, name)) = pending else {
                continue;
            };
            let port = named.iter().find(|(n, _)| n == name).map(|(_, p)| *p);
            if port.is_some() {
                p.target_port = port;
            }
            found.push((at, name.to_string(), port));
        }
    }
    for (at, name, port) in found {
        let note = &mut draft.notes[at];
        match port {
            Some(port) => {
                note.kind = NoteKind::Default;
                note.message = format!(
                    "`{name}` → {port}, the port of that name of the pods it selects (workloads[{k}])"
                );
            }
            None => {
                note.message = format!(
                    "`{name}` {PENDING} but the pods it selects (workloads[{k}]) have no port of that \
                     name; the Service port is used"
                );
            }
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::testing::*;
    use super::*;

    const UI: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: ui, namespace: ui}
spec:
  template:
    metadata: {labels: {app.kubernetes.io/name: ui}}
    spec: {containers: [{name: ui, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: ui, namespace: ui, uid: abc}
spec:
  type: ClusterIP
  clusterIP: 172.20.4.4
  selector: {app.kubernetes.io/name: ui}
  ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
status: {loadBalancer: {}}
---
apiVersion: v1
kind: Service
metadata: {name: orphan, namespace: ui}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: gone}
  ports: [{port: 80, targetPort: web, nodePort: 30080}, {port: 9, protocol: SCTP}]
---
apiVersion: v1
kind: Service
metadata: {name: alias}
spec: {type: ExternalName, externalName: example.com}
---
apiVersion: v1
kind: Service
metadata: {name: kubernetes, namespace: default}
spec: {ports: [{port: 443}]}
";

    #[test]
    fn named_target_ports_resolve_through_the_selected_pods() {
        let mut d = draft();
        apply_yaml(&mut d, "ui.yaml", UI);
        let s = &d.scenario.services;
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].ports[0].target_port, Some(8080));
        assert_eq!(s[0].service_type, ServiceType::ClusterIP);
        assert_eq!(s[1].ports.len(), 1);
        assert_eq!(s[1].ports[0].target_port, None);
        assert_eq!(s[1].ports[0].node_port, Some(30080));
        assert_eq!(s[1].external_traffic_policy, TrafficPolicy::Local);
        assert_eq!(
            notes(&d, NoteKind::Default),
            ["services[0].ports[0].targetPort: `http` → 8080, the port of the pods it selects (workloads[0])"]
        );
        assert_eq!(
            notes(&d, NoteKind::Unresolved),
            ["services[1].ports[0].targetPort: `web` names a container port, but no imported workload in \
              namespace ui has pods labelled app=gone; add the manifest of the workload it selects (the \
              Service port is used)"]
        );
        assert_eq!(
            notes(&d, NoteKind::Ignored),
            [
                "services[1].ports[1]: protocol SCTP is not modelled (TCP and UDP are); port left out",
                "ui.yaml#4 Service alias: an ExternalName Service is a DNS alias, with no address or endpoints in the network",
                "ui.yaml#5 Service kubernetes: made by EKS; eksplain adds it itself",
            ]
        );
        crate::model::build(&d.scenario).expect("the imported scenario builds");
    }

    #[test]
    fn a_named_target_port_before_its_workload_is_resolved_when_the_workload_comes() {
        let mut d = draft();
        let (deployment, rest) = UI.split_once("---\n").unwrap();
        let (service, _) = rest.split_once("---\n").unwrap();
        apply_yaml(&mut d, "svc.yaml", service);
        assert_eq!(notes(&d, NoteKind::Unresolved).len(), 1);
        apply_yaml(&mut d, "deploy.yaml", deployment);
        assert_eq!(d.scenario.services[0].ports[0].target_port, Some(8080));
        assert!(notes(&d, NoteKind::Unresolved).is_empty());
        assert_eq!(
            notes(&d, NoteKind::Default),
            ["services[0].ports[0].targetPort: `http` → 8080, the port of that name of the pods it selects \
              (workloads[0])"]
        );
    }

    #[test]
    fn selected_pods_without_the_named_port_leave_it_unresolved() {
        let mut d = draft();
        let (_, rest) = UI.split_once("---\n").unwrap();
        let (service, _) = rest.split_once("---\n").unwrap();
        apply_yaml(&mut d, "svc.yaml", service);
        apply_yaml(
            &mut d,
            "deploy.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ui, namespace: ui}\nspec:\n  template:\n    \
             metadata: {labels: {app.kubernetes.io/name: ui}}\n    spec: {containers: [{name: ui, ports: [{name: web, \
             containerPort: 8080}]}]}\n",
        );
        assert_eq!(d.scenario.services[0].ports[0].target_port, None);
        assert_eq!(
            notes(&d, NoteKind::Unresolved),
            ["services[0].ports[0].targetPort: `http` names a container port, but the pods it selects \
              (workloads[0]) have no port of that name; the Service port is used"]
        );
    }

    #[test]
    fn applied_in_rank_order_named_ports_resolve_by_name() {
        let mut d = draft();
        let mut docs: Vec<serde_json::Value> = serde_saphyr::from_multiple(UI).unwrap();
        docs.sort_by_key(super::super::rank);
        for (n, doc) in docs.iter().enumerate() {
            super::super::apply(doc, &format!("ui.yaml#{n}"), &mut d);
        }
        assert_eq!(d.scenario.services[0].ports[0].target_port, Some(8080));
        assert_eq!(
            notes(&d, NoteKind::Default),
            ["services[0].ports[0].targetPort: `http` → 8080, the port of that name of the pods it selects \
              (workloads[0])"]
        );
    }

    #[test]
    fn two_services_with_one_name_are_a_problem() {
        let mut d = draft();
        let svc =
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n";
        apply_yaml(&mut d, "a.yaml", svc);
        apply_yaml(&mut d, "b.yaml", svc);
        assert_eq!(d.scenario.services.len(), 1);
        assert_eq!(d.problems.len(), 1);
        assert_eq!(d.problems[0].path.as_str(), "services[0].name");
        assert!(d.problems[0].message.contains("b.yaml#1"));
    }
}
