//! Kubernetes manifests into the scenario: workloads (Deployment, StatefulSet, DaemonSet,
//! ReplicaSet, bare Pod), Services and the load balancer their annotations ask for, ALB
//! Ingresses, ENIConfigs (custom networking) and SecurityGroupPolicies (security groups for
//! pods). Every other kind is a note, never an error.
//!
//! [`apply`] takes one object at a time, in the order the driver gives; [`rank`] is the order
//! in which every reference resolves exactly. A Service's named targetPort is resolved by the
//! workloads applied after it (they bring their ports' names), or failing that through the
//! port of the workloads before it; SecurityGroupPolicies see the workloads before them;
//! Ingresses the Services before them.

// Until the import driver (merged from its own branch) calls `apply` and `rank`.

mod eni_config;
mod ingress;
mod load_balancer;
mod security_group_policy;
mod service;
mod text;
mod workload;

use serde_json::Value;

use super::{Draft, NoteKind};
use crate::scenario::Problem;

/// Applies one Kubernetes object (a document with `apiVersion` and `kind`) to the draft.
/// `source` names the input and document (`lbc-2048_full.yaml#2`) for notes and problems.
pub(crate) fn apply(doc: &Value, source: &str, draft: &mut Draft) {
    let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
    if kind == "List" || kind.ends_with("List") && doc.get("items").is_some() {
        let items = doc.get("items").and_then(Value::as_array);
        for (i, item) in items.into_iter().flatten().enumerate() {
            apply(item, &format!("{source} items[{i}]"), draft);
        }
        return;
    }
    let obj = Object::new(doc, source);
    let group = api_group(doc);
    if let Some(expected) = expected_group(kind).filter(|g| !g.contains(&group)) {
        let why = format!(
            "apiVersion group `{}` is not {}, so this is not the {kind} eksplain reads",
            group.escape_default(),
            expected
                .iter()
                .map(|g| if g.is_empty() {
                    "core (v1)".to_string()
                } else {
                    format!("`{g}`")
                })
                .collect::<Vec<_>>()
                .join(" or ")
        );
        return obj.ignore(draft, &why);
    }
    match kind {
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Pod" => {
            workload::apply(&obj, draft)
        }
        "Service" => service::apply(&obj, draft),
        "Ingress" => ingress::apply(&obj, draft),
        "ENIConfig" => eni_config::apply(&obj, draft),
        "SecurityGroupPolicy" => security_group_policy::apply(&obj, draft),
        // The scenario's objects carry their namespace; a Namespace adds nothing to draw.
        "Namespace" => {}
        "" => obj.ignore(
            draft,
            "a document without a kind is not a Kubernetes object",
        ),
        _ => obj.ignore(draft, why_not_modelled(kind)),
    }
}

/// The API group of `apiVersion` (`apps` of `apps/v1`; "" for the core group's `v1`).
fn api_group(doc: &Value) -> &str {
    let version = doc.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    version.rsplit_once('/').map_or("", |(group, _)| group)
}

/// The API groups a modelled kind comes from (old ones included); `None` for other kinds.
fn expected_group(kind: &str) -> Option<&'static [&'static str]> {
    Some(match kind {
        "Pod" | "Service" | "Namespace" => &[""],
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => &["apps", "extensions"],
        "Ingress" => &["networking.k8s.io", "extensions"],
        "ENIConfig" => &["crd.k8s.amazonaws.com"],
        "SecurityGroupPolicy" => &["vpcresources.k8s.aws"],
        _ => return None,
    })
}

/// The order to apply manifests in, lowest first (a stable sort keeps file order within a
/// rank): Services, then the workloads (which resolve the Services' named targetPorts by
/// name), then the SecurityGroupPolicies that select their pods, then the rest (Ingresses
/// route to the Services before them).
pub(crate) fn rank(doc: &Value) -> u8 {
    match doc.get("kind").and_then(Value::as_str).unwrap_or("") {
        "Service" => 0,
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" | "Pod" => 1,
        "SecurityGroupPolicy" | "ENIConfig" => 2,
        _ => 3,
    }
}

/// Why a kind is left out, for its note.
fn why_not_modelled(kind: &str) -> &'static str {
    match kind {
        "ClusterRole" | "ClusterRoleBinding" | "Role" | "RoleBinding" | "ServiceAccount" => {
            "not part of the network"
        }
        "ConfigMap" | "Secret" => "configuration, not part of the network",
        "Job" | "CronJob" => "run-to-completion pods are not modelled",
        "HorizontalPodAutoscaler" | "PodDisruptionBudget" => {
            "not modelled; the workload's replicas are"
        }
        "NetworkPolicy" => "not modelled; security groups are",
        "IngressClass" | "IngressClassParams" | "TargetGroupBinding" => {
            "not modelled; an Ingress's class and annotations are"
        }
        "PersistentVolumeClaim" | "PersistentVolume" | "StorageClass" => {
            "storage, not part of the network"
        }
        "CustomResourceDefinition"
        | "MutatingWebhookConfiguration"
        | "ValidatingWebhookConfiguration"
        | "APIService" => "API machinery, not part of the network",
        "Endpoints" | "EndpointSlice" => "eksplain computes a Service's endpoints itself",
        "Node" => "nodes come from the node groups",
        _ => "not modelled",
    }
}

/// One Kubernetes object being applied: its kind, name and namespace (placeholders replaced),
/// the document and where it came from.
pub(crate) struct Object<'a> {
    pub doc: &'a Value,
    pub source: &'a str,
    pub kind: &'a str,
    pub name: String,
    pub namespace: String,
}

impl<'a> Object<'a> {
    /// The object, its name and namespace with stand-ins for placeholders (an ENIConfig's
    /// name is an AZ: `eni_config` stands in for a placeholder there).
    fn new(doc: &'a Value, source: &'a str) -> Object<'a> {
        let kind = doc.get("kind").and_then(Value::as_str).unwrap_or("");
        let raw = |field: &str| raw_meta(doc, field);
        let name = if kind == "ENIConfig" {
            raw("name").to_string()
        } else {
            text::with_stand_ins(raw("name"))
        };
        let namespace = match raw("namespace") {
            "" => "default".to_string(),
            n => text::with_stand_ins(n),
        };
        Object {
            doc,
            source,
            kind,
            name,
            namespace,
        }
    }

    /// Notes for the placeholders in the name and namespace, at `{path}.name` and
    /// `{path}.namespace` of the scenario object the document became.
    pub fn note_placeholders(&self, path: &str, draft: &mut Draft) {
        for field in ["name", "namespace"] {
            let raw = raw_meta(self.doc, field);
            text::note_placeholders(raw, &format!("{path}.{field}"), draft);
        }
    }

    /// `Deployment game-2048/deployment-2048`, as notes name an object.
    pub fn title(&self) -> String {
        if self.namespace == "default" || self.kind == "ENIConfig" {
            format!("{} {}", self.kind, self.name)
        } else {
            format!("{} {}/{}", self.kind, self.namespace, self.name)
        }
    }

    /// Where a note about the whole document points: the input and the object.
    pub fn at(&self) -> String {
        format!("{} {}", self.source, self.title())
    }

    /// `spec` (or the null value).
    pub fn spec(&self) -> &'a Value {
        self.doc.get("spec").unwrap_or(&Value::Null)
    }

    /// The object's annotations with string values.
    pub fn annotations(&self) -> Vec<(&'a str, &'a str)> {
        self.doc
            .get("metadata")
            .and_then(|m| m.get("annotations"))
            .and_then(Value::as_object)
            .map(|a| {
                a.iter()
                    .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn annotation(&self, key: &str) -> Option<&'a str> {
        self.doc
            .get("metadata")?
            .get("annotations")?
            .get(key)?
            .as_str()
    }

    /// The whole document is left out, with why.
    pub fn ignore(&self, draft: &mut Draft, why: &str) {
        let at = if self.kind.is_empty() {
            self.source.to_string()
        } else {
            self.at()
        };
        draft.note(NoteKind::Ignored, at, why.to_string());
    }

    /// Another object of this kind already took the name: the first stays, a problem names
    /// both (`earlier` is the first's scenario path).
    pub fn conflict(&self, draft: &mut Draft, earlier: String) {
        draft.problems.push(Problem::new(
            format!("{earlier}.name").as_str(),
            format!(
                "{} in {} has the namespace and name of {earlier}, from an earlier document; \
                 the later one is left out",
                self.title(),
                self.source
            ),
        ));
    }
}

/// `metadata.<field>` as written, or "".
fn raw_meta<'a>(doc: &'a Value, field: &str) -> &'a str {
    doc.get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
        .unwrap_or("")
}

/// A string-to-string map (labels, a selector, a nodeSelector); other values are left out.
fn string_map(value: Option<&Value>) -> std::collections::BTreeMap<String, String> {
    value
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => s.clone(),
                        Value::Bool(b) => b.to_string(),
                        Value::Number(n) => n.to_string(),
                        _ => return None,
                    };
                    Some((k.clone(), v))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Whether every label of `selector` is among `labels` (an empty selector selects nothing,
/// as a Service's does).
fn selects(
    selector: &std::collections::BTreeMap<String, String>,
    labels: &std::collections::BTreeMap<String, String>,
) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// A workload's pod labels as the model gives them: `app: <name>` when it has none.
fn pod_labels(w: &crate::scenario::Workload) -> std::collections::BTreeMap<String, String> {
    if w.labels.is_empty() {
        std::collections::BTreeMap::from([("app".to_string(), w.name.clone())])
    } else {
        w.labels.clone()
    }
}

/// Test support: a draft over a small VPC, and YAML documents applied to it.
#[cfg(all(test, not(target_arch = "wasm32")))]
pub(crate) mod testing {
    use super::*;

    /// A VPC with a public and a private subnet in each of three AZs and one node group,
    /// as the EKS Workshop's cluster has.
    pub fn draft() -> Draft {
        let scenario = crate::scenario::from_json(
            r#"{"version":1,"vpc":{"cidr":"10.42.0.0/16","subnets":[
              {"name":"public-a","az":"us-west-2a","cidr":"10.42.0.0/19","public":true},
              {"name":"public-b","az":"us-west-2b","cidr":"10.42.32.0/19","public":true},
              {"name":"public-c","az":"us-west-2c","cidr":"10.42.64.0/19","public":true},
              {"name":"private-a","az":"us-west-2a","cidr":"10.42.96.0/19"},
              {"name":"private-b","az":"us-west-2b","cidr":"10.42.128.0/19"},
              {"name":"private-c","az":"us-west-2c","cidr":"10.42.160.0/19"}]},
             "managedNodeGroups":[{"name":"default","instanceType":"m5.large","desiredCapacity":3,
              "subnets":["private-a","private-b","private-c"]}]}"#,
        )
        .expect("the test scenario is valid");
        Draft {
            scenario,
            notes: Vec::new(),
            problems: Vec::new(),
            subnet_ids: Default::default(),
        }
    }

    /// Applies every document of `yaml` (a `---`-separated stream), as `name#n`.
    pub fn apply_yaml(draft: &mut Draft, name: &str, yaml: &str) {
        let docs: Vec<Value> = serde_saphyr::from_multiple(yaml).expect("test YAML parses");
        for (i, doc) in docs.iter().enumerate() {
            if !doc.is_null() {
                apply(doc, &format!("{name}#{}", i + 1), draft);
            }
        }
    }

    /// A real input from tests/fixtures/import.
    pub fn fixture(name: &str) -> String {
        let path = format!(
            "{}/tests/fixtures/import/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// The notes of one kind, as `path: message` lines.
    pub fn notes(draft: &Draft, kind: NoteKind) -> Vec<String> {
        draft
            .notes
            .iter()
            .filter(|n| n.kind == kind)
            .map(|n| format!("{}: {}", n.path, n.message))
            .collect()
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::testing::*;
    use super::*;
    use crate::scenario::{LoadBalancerKind, Scheme, ServiceType, TargetType};

    #[test]
    fn the_2048_example_gives_a_deployment_a_node_port_service_and_an_alb_ingress() {
        let mut d = draft();
        apply_yaml(&mut d, "lbc-2048_full.yaml", &fixture("lbc-2048_full.yaml"));
        let s = &d.scenario;
        assert_eq!(s.workloads.len(), 1);
        let w = &s.workloads[0];
        assert_eq!(
            (w.name.as_str(), w.namespace.as_str()),
            ("deployment-2048", "game-2048")
        );
        assert_eq!((w.replicas, w.container_port), (5, 80));
        assert_eq!(w.labels["app.kubernetes.io/name"], "app-2048");
        assert_eq!(s.services.len(), 1);
        let svc = &s.services[0];
        assert_eq!(svc.service_type, ServiceType::NodePort);
        assert_eq!(svc.selector["app.kubernetes.io/name"], "app-2048");
        assert_eq!(svc.ports[0].port, 80);
        assert_eq!(svc.ports[0].target_port, Some(80));
        assert_eq!(svc.load_balancer, None);
        assert_eq!(s.ingresses.len(), 1);
        let ing = &s.ingresses[0];
        assert_eq!(ing.scheme, Scheme::InternetFacing);
        assert_eq!(ing.target_type, TargetType::Ip);
        assert_eq!(ing.group_name, None);
        assert_eq!(
            (ing.rules[0].service.as_str(), ing.rules[0].port),
            ("service-2048", 80)
        );
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert!(d.notes.is_empty(), "{:?}", d.notes);
        crate::model::build(s).expect("the imported scenario builds");
    }

    #[test]
    fn the_workshop_nlb_service_is_the_controllers_internet_facing_nlb_with_instance_targets() {
        let mut d = draft();
        let yaml = fixture("eks-workshop-nlb-service.yaml");
        apply_yaml(&mut d, "eks-workshop-nlb-service.yaml", &yaml);
        let svc = &d.scenario.services[0];
        assert_eq!(
            (svc.name.as_str(), svc.namespace.as_str()),
            ("ui-nlb", "ui")
        );
        assert_eq!(svc.service_type, ServiceType::LoadBalancer);
        let lb = svc.load_balancer.as_ref().expect("a load balancer");
        assert_eq!(lb.kind, LoadBalancerKind::Nlb);
        assert_eq!(lb.scheme, Some(Scheme::InternetFacing));
        assert_eq!(lb.target_type, TargetType::Instance);
        assert_eq!(svc.ports[0].name.as_deref(), Some("http"));
        assert_eq!(
            (svc.ports[0].port, svc.ports[0].target_port),
            (80, Some(8080))
        );
        assert_eq!(svc.selector.len(), 3);
        assert_eq!(
            notes(&d, NoteKind::Ignored),
            ["services[0].loadBalancer: annotation service.beta.kubernetes.io/load-balancer-source-ranges \
              ($INBOUND_CIDRS) is not modelled"]
        );
        crate::model::build(&d.scenario).expect("the imported scenario builds");
    }

    #[test]
    fn the_workshop_eniconfigs_and_nlb_service_together_draw_custom_networking_and_a_public_nlb() {
        let mut d = draft();
        for name in [
            "eks-workshop-eniconfigs.yaml",
            "eks-workshop-nlb-service.yaml",
        ] {
            apply_yaml(&mut d, name, &fixture(name));
        }
        assert!(d.problems.is_empty(), "{:?}", d.problems);
        assert_eq!(d.scenario.cluster.vpc_cni.custom_networking.len(), 3);
        let cluster = crate::model::build(&d.scenario).expect("the imported scenario builds");
        let lb = &cluster.load_balancers[0];
        assert_eq!(lb.name, "ui/ui-nlb");
        assert_eq!(
            (lb.scheme, lb.target_type),
            (Scheme::InternetFacing, TargetType::Instance)
        );
        // Internet-facing: one node per AZ, in the public subnets, with a public address.
        assert_eq!(lb.nodes.len(), 3);
        assert!(lb.nodes.iter().all(|n| n.public_ip.is_some()));
        // Pods take their addresses from the stand-in secondary subnets.
        let pod_subnets: Vec<&str> = cluster
            .pods
            .iter()
            .filter(|p| !p.host_network)
            .filter_map(|p| match p.ip {
                Some(std::net::IpAddr::V4(ip)) => Some(ip),
                _ => None,
            })
            .map(|ip| {
                let s = cluster
                    .subnets
                    .iter()
                    .find(|s| s.cidr.contains(&ip))
                    .expect("a pod address is in a subnet");
                s.name.as_str()
            })
            .collect();
        assert!(!pod_subnets.is_empty());
        assert!(pod_subnets
            .iter()
            .all(|s| s.starts_with("secondary-subnet-")));
    }

    #[test]
    fn kinds_not_modelled_are_notes_naming_kind_and_name() {
        let mut d = draft();
        apply_yaml(
            &mut d,
            "rbac.yaml",
            "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: ingress-nginx\n\
             ---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\n\
             ---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n",
        );
        assert_eq!(
            notes(&d, NoteKind::Ignored),
            [
                "rbac.yaml#1 ClusterRole ingress-nginx: not part of the network",
                "rbac.yaml#2 ConfigMap shop/settings: configuration, not part of the network",
            ]
        );
    }

    #[test]
    fn a_list_is_expanded_and_ranks_put_services_first() {
        let mut d = draft();
        let list: Value = serde_json::json!({
        "apiVersion": "v1", "kind": "List", "items": [
            {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
             "spec": {"template": {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}}}},
            {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
             "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]}}
        ]});
        apply(&list, "get.json#1", &mut d);
        assert_eq!(d.scenario.workloads[0].name, "web");
        assert_eq!(d.scenario.services[0].name, "web");
        let items = list["items"].as_array().unwrap();
        assert!(rank(&items[1]) < rank(&items[0]));
    }

    #[test]
    fn placeholders_in_names_are_noted_at_the_scenario_field() {
        let mut d = draft();
        apply_yaml(
            &mut d,
            "app.yaml",
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: '${APP_NAME}', namespace: '${NS}'}\nspec: {}\n",
        );
        let w = &d.scenario.workloads[0];
        assert_eq!((w.name.as_str(), w.namespace.as_str()), ("app-name", "ns"));
        assert_eq!(
            notes(&d, NoteKind::Placeholder),
            [
                "workloads[0].name: ${APP_NAME} is a placeholder; `app-name` stands in for it",
                "workloads[0].namespace: ${NS} is a placeholder; `ns` stands in for it",
            ]
        );
    }

    #[test]
    fn a_kind_of_another_api_group_is_a_note() {
        let mut d = draft();
        apply_yaml(
            &mut d,
            "knative.yaml",
            "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: hello}\nspec: {}\n",
        );
        assert!(d.scenario.services.is_empty());
        assert_eq!(
            notes(&d, NoteKind::Ignored),
            ["knative.yaml#1 Service hello: apiVersion group `serving.knative.dev` is not core (v1), so this \
              is not the Service eksplain reads"]
        );
    }

    #[test]
    fn a_document_without_kind_is_a_note() {
        let mut d = draft();
        apply(&serde_json::json!({"apiVersion": "v1"}), "x.yaml#1", &mut d);
        assert_eq!(
            notes(&d, NoteKind::Ignored),
            ["x.yaml#1: a document without a kind is not a Kubernetes object"]
        );
    }

    /// Any JSON shaped like a Kubernetes object, of any kind this module reads, is applied
    /// without a panic.
    mod never_panics {
        use super::*;
        use proptest::prelude::*;

        fn value() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::Bool),
                any::<i64>().prop_map(Value::from),
                "[a-z$/{}_.:=,-]{0,12}".prop_map(Value::from),
                Just(Value::from("${X_1}")),
                Just(Value::from("http")),
            ];
            leaf.prop_recursive(4, 48, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                    prop::collection::btree_map(
                        prop_oneof![
                            Just("spec".to_string()),
                            Just("metadata".to_string()),
                            Just("name".to_string()),
                            Just("ports".to_string()),
                            Just("selector".to_string()),
                            Just("template".to_string()),
                            Just("containers".to_string()),
                            Just("subnet".to_string()),
                            Just("rules".to_string()),
                            Just("annotations".to_string()),
                            "[a-zA-Z]{1,8}",
                        ],
                        inner,
                        0..5
                    )
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]
            #[test]
            fn apply_never_panics(
                kind in prop_oneof![
                    Just("Deployment"), Just("Pod"), Just("DaemonSet"), Just("Service"),
                    Just("Ingress"), Just("ENIConfig"), Just("SecurityGroupPolicy"), Just("List"),
                    Just("ConfigMap"),
                ],
                body in value(),
                spec in value(),
            ) {
                let api_version = match expected_group(kind).and_then(|g| g.first()) {
                    Some(g) if !g.is_empty() => format!("{g}/v1"),
                    _ => "v1".to_string(),
                };
                let mut doc =
                    serde_json::json!({"apiVersion": api_version, "kind": kind, "spec": spec});
                if let (Value::Object(m), Value::Object(b)) = (&mut doc, body) {
                    for (k, v) in b {
                        if k != "kind" {
                            m.insert(k, v);
                        }
                    }
                }
                let mut d = draft();
                apply(&doc, "fuzz.yaml#1", &mut d);
                apply(&doc, "fuzz.yaml#2", &mut d);
            }
        }
    }
}
