//! Ingresses of class `alb` (`spec.ingressClassName` or the legacy `kubernetes.io/ingress.class`
//! annotation) → `ingresses[]`, with the AWS Load Balancer Controller's `group.name`, `scheme`
//! (internal by default) and `target-type` (instance by default). Other classes are notes.

use serde_json::Value;

use super::super::{Draft, NoteKind};
use super::{text, Object};
use crate::scenario::{Ingress, IngressRule, Scheme, TargetType};

const ALB: &str = "alb.ingress.kubernetes.io/";

/// The controller's annotations read here (names and tags change nothing in the network);
/// others get a note. `actions.*` and `conditions.*` are noted where a rule uses them.
const READ: [&str; 6] = [
    "group.name",
    "scheme",
    "target-type",
    "group.order",
    "load-balancer-name",
    "tags",
];

pub(super) fn apply(obj: &Object, draft: &mut Draft) {
    if obj.name.is_empty() {
        return obj.ignore(draft, "no metadata.name");
    }
    let spec = obj.spec();
    let class = spec
        .get("ingressClassName")
        .and_then(Value::as_str)
        .or_else(|| obj.annotation("kubernetes.io/ingress.class"));
    match class {
        Some("alb") => {}
        Some(other) => {
            return obj.ignore(
                draft,
                &format!(
                    "class `{}` is not alb; eksplain draws the ALBs of Ingresses of class alb only",
                    other.escape_default()
                ),
            )
        }
        None => {
            return obj.ignore(
                draft,
                "no ingress class; eksplain draws Ingresses of class alb (ingressClassName: alb)",
            )
        }
    }
    if let Some(j) = draft
        .scenario
        .ingresses
        .iter()
        .position(|g| g.namespace == obj.namespace && g.name == obj.name)
    {
        return obj.conflict(draft, format!("ingresses[{j}]"));
    }
    let path = format!("ingresses[{}]", draft.scenario.ingresses.len());
    obj.note_placeholders(&path, draft);
    let group_name = obj
        .annotation(&format!("{ALB}group.name"))
        .map(|g| text::replace_placeholders(g, &format!("{path}.groupName"), draft));
    let scheme = match obj.annotation(&format!("{ALB}scheme")) {
        None => Scheme::Internal,
        Some(value) => super::load_balancer::controller_scheme(value, &path, draft),
    };
    let target_type = match obj.annotation(&format!("{ALB}target-type")) {
        None | Some("instance") => TargetType::Instance,
        Some("ip") => TargetType::Ip,
        Some(other) => {
            draft.note(
                NoteKind::Ignored,
                format!("{path}.targetType"),
                format!(
                    "target type `{}` is not instance or ip; instance is used",
                    other.escape_default()
                ),
            );
            TargetType::Instance
        }
    };
    let mut rules = Vec::new();
    for (r, rule) in spec
        .get("rules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let host = text::string(rule.get("host")).filter(|h| !h.is_empty());
        let paths = rule
            .get("http")
            .and_then(|h| h.get("paths"))
            .and_then(Value::as_array);
        for (p, http_path) in paths.into_iter().flatten().enumerate() {
            let at = format!("{} spec.rules[{r}].http.paths[{p}]", obj.at());
            let backend = http_path.get("backend").unwrap_or(&Value::Null);
            let path_text = text::string(http_path.get("path")).unwrap_or_else(|| "/".into());
            let index = path.clone() + &format!(".rules[{}]", rules.len());
            if let Some(rule) =
                backend_rule(obj, backend, host.clone(), path_text, &at, &index, draft)
            {
                rules.push(rule);
            }
        }
    }
    if let Some(backend) = spec.get("defaultBackend").or_else(|| spec.get("backend")) {
        let at = format!("{} spec.defaultBackend", obj.at());
        let index = path.clone() + &format!(".rules[{}]", rules.len());
        if let Some(rule) = backend_rule(obj, backend, None, "/".into(), &at, &index, draft) {
            rules.push(rule);
        }
    }
    for (key, value) in obj.annotations() {
        let Some(short) = key.strip_prefix(ALB) else {
            continue;
        };
        let quiet = short.starts_with("actions.") || short.starts_with("conditions.");
        if !quiet && !READ.contains(&short) {
            draft.note(
                NoteKind::Ignored,
                path.clone(),
                format!("annotation {key} ({value}) is not modelled"),
            );
        }
    }
    draft.scenario.ingresses.push(Ingress {
        subnets: Vec::new(),
        name: obj.name.clone(),
        namespace: obj.namespace.clone(),
        group_name,
        scheme,
        target_type,
        rules,
    });
}

/// One path's backend as a rule: a Service and its port (a port name resolved through the
/// Service's ports). `at` names the input's field, `index` the rule it would be.
fn backend_rule(
    obj: &Object,
    backend: &Value,
    host: Option<String>,
    path: String,
    at: &str,
    index: &str,
    draft: &mut Draft,
) -> Option<IngressRule> {
    // networking.k8s.io/v1 `service: {name, port: {number|name}}`; v1beta1 `serviceName`,
    // `servicePort`.
    let (service, port) = match backend.get("service") {
        Some(s) => (
            text::string(s.get("name")),
            s.get("port")
                .and_then(|p| p.get("number").or_else(|| p.get("name"))),
        ),
        None => (
            text::string(backend.get("serviceName")),
            backend.get("servicePort"),
        ),
    };
    let Some(service) = service else {
        draft.note(
            NoteKind::Ignored,
            at,
            "the backend is not a Service (a resource backend); left out",
        );
        return None;
    };
    let port_value = port.unwrap_or(&Value::Null);
    let number = match text::port(port_value) {
        Some(n) => Some(n),
        None => {
            let name = text::string(Some(port_value));
            if name.as_deref() == Some("use-annotation") {
                draft.note(
                    NoteKind::Ignored,
                    at,
                    format!("the {ALB}actions.{service} action is not modelled; left out"),
                );
                return None;
            }
            name.and_then(|name| {
                draft
                    .scenario
                    .services
                    .iter()
                    .find(|s| s.namespace == obj.namespace && s.name == service)
                    .and_then(|s| s.ports.iter().find(|p| p.name.as_deref() == Some(&name)))
                    .map(|p| p.port)
            })
        }
    };
    let Some(port) = number else {
        draft.note(
            NoteKind::Unresolved,
            format!("{index}.port"),
            format!(
                "port {} of service {service} is not a number or a named port of an imported Service in {}; \
                 add the Service's manifest; the rule is left out",
                port_value,
                obj.namespace
            ),
        );
        return None;
    };
    Some(IngressRule {
        host,
        path,
        service,
        port,
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::testing::*;
    use super::*;

    const INGRESSES: &str = "\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {type: NodePort, selector: {app: web}, ports: [{name: http, port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: shop
  annotations:
    kubernetes.io/ingress.class: alb
    alb.ingress.kubernetes.io/group.name: shared
    alb.ingress.kubernetes.io/listen-ports: '[{\"HTTPS\": 443}]'
spec:
  rules:
    - host: shop.example.com
      http:
        paths:
          - {path: /cart, pathType: Prefix, backend: {service: {name: web, port: {name: http}}}}
          - {path: /gone, pathType: Prefix, backend: {service: {name: web, port: {name: admin}}}}
  defaultBackend: {service: {name: web, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: public, namespace: shop}
spec:
  ingressClassName: nginx
  rules: [{http: {paths: [{path: /, backend: {service: {name: web, port: {number: 80}}}}]}}]
";

    #[test]
    fn alb_ingresses_with_the_legacy_class_group_and_named_ports() {
        let mut d = draft();
        apply_yaml(&mut d, "ing.yaml", INGRESSES);
        let ing = &d.scenario.ingresses;
        assert_eq!(ing.len(), 1);
        assert_eq!(ing[0].group_name.as_deref(), Some("shared"));
        assert_eq!(
            (ing[0].scheme, ing[0].target_type),
            (Scheme::Internal, TargetType::Instance)
        );
        assert_eq!(ing[0].rules.len(), 2);
        assert_eq!(ing[0].rules[0].host.as_deref(), Some("shop.example.com"));
        assert_eq!(
            (ing[0].rules[0].path.as_str(), ing[0].rules[0].port),
            ("/cart", 80)
        );
        assert_eq!(
            (
                ing[0].rules[1].host.as_deref(),
                ing[0].rules[1].path.as_str()
            ),
            (None, "/")
        );
        assert_eq!(
            notes(&d, NoteKind::Unresolved),
            ["ingresses[0].rules[1].port: port \"admin\" of service web is not a number or a named port of an \
              imported Service in shop; add the Service's manifest; the rule is left out"]
        );
        assert_eq!(
            notes(&d, NoteKind::Ignored),
            [
                "ingresses[0]: annotation alb.ingress.kubernetes.io/listen-ports ([{\"HTTPS\": 443}]) is not modelled",
                "ing.yaml#3 Ingress shop/public: class `nginx` is not alb; eksplain draws the ALBs of Ingresses \
                 of class alb only",
            ]
        );
    }
}
