//! The load balancer a `type: LoadBalancer` Service's class and annotations ask for.
//!
//! - The AWS Load Balancer Controller's NLB: `spec.loadBalancerClass: service.k8s.aws/nlb`,
//!   or `service.beta.kubernetes.io/aws-load-balancer-type: external` (`nlb-ip`, its legacy
//!   value, means IP targets). Target type from `aws-load-balancer-nlb-target-type` (instance
//!   by default), scheme from `aws-load-balancer-scheme` (internal by default).
//! - The legacy in-tree provider: `aws-load-balancer-type: nlb` makes an NLB with instance
//!   targets, no annotation a Classic Load Balancer; internet-facing unless
//!   `aws-load-balancer-internal` says otherwise.
//! - The scenario's `controller` names which of the two makes it; `scheme` is set only when
//!   an annotation decides it, so the scenario shows the controller's default as a default.
//! - Cross-zone: `aws-load-balancer-cross-zone-load-balancing-enabled`, or the controller's
//!   `aws-load-balancer-attributes: load_balancing.cross_zone.enabled=…`.
//! - Client IP preservation: `aws-load-balancer-target-group-attributes:
//!   preserve_client_ip.enabled=…`.

use super::super::{Draft, NoteKind};
use super::Object;
use crate::scenario::{
    LoadBalancerController, LoadBalancerKind, LoadBalancerSpec, Scheme, TargetType,
};

const PREFIX: &str = "service.beta.kubernetes.io/";
const LBC_CLASS: &str = "service.k8s.aws/nlb";

/// Which controller makes the load balancer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Maker {
    Controller,
    InTreeNlb,
    InTreeClb,
}

/// A `loadBalancerClass` that neither AWS controller serves: no AWS load balancer is made.
pub(super) fn foreign_class<'a>(obj: &Object<'a>) -> Option<&'a str> {
    obj.spec()
        .get("loadBalancerClass")
        .and_then(serde_json::Value::as_str)
        .filter(|c| *c != LBC_CLASS)
}

/// The Service's load balancer; notes for what the scenario cannot say. `path` is
/// `services[i].loadBalancer`.
pub(super) fn spec(obj: &Object, path: &str, draft: &mut Draft) -> LoadBalancerSpec {
    let ann = |key: &str| obj.annotation(&format!("{PREFIX}{key}")).map(str::trim);
    let class = obj
        .spec()
        .get("loadBalancerClass")
        .and_then(serde_json::Value::as_str);
    let lb_type = ann("aws-load-balancer-type");
    let maker = match (class, lb_type) {
        // The controller's class (a Service of another class gets no load balancer: see
        // `foreign_class`).
        (Some(_), _) | (_, Some("external" | "nlb-ip")) => Maker::Controller,
        (None, Some("nlb")) => Maker::InTreeNlb,
        (None, None | Some("")) => Maker::InTreeClb,
        (None, Some(other)) => {
            draft.note(
                NoteKind::Ignored,
                format!("{path}.kind"),
                format!(
                    "aws-load-balancer-type `{}` is not external, nlb-ip or nlb; drawn as the in-tree \
                     provider's Classic Load Balancer",
                    other.escape_default()
                ),
            );
            Maker::InTreeClb
        }
    };
    let mut lb = LoadBalancerSpec {
        kind: if maker == Maker::InTreeClb {
            LoadBalancerKind::Clb
        } else {
            LoadBalancerKind::Nlb
        },
        controller: Some(if maker == Maker::Controller {
            LoadBalancerController::AwsLoadBalancerController
        } else {
            LoadBalancerController::InTree
        }),
        ..LoadBalancerSpec::default()
    };
    // Left unset when no annotation decides it: the scenario then shows the controller's
    // default (internal for the controller, internet-facing for the in-tree provider) as such.
    let internal = ann("aws-load-balancer-internal");
    lb.scheme = match (maker, ann("aws-load-balancer-scheme"), internal) {
        (Maker::Controller, Some(value), _) => Some(controller_scheme(value, path, draft)),
        // The controller still reads the deprecated annotation when no scheme is given.
        (Maker::Controller, None, Some("false")) => Some(Scheme::InternetFacing),
        (Maker::Controller, None, Some(_)) => Some(Scheme::Internal),
        // The in-tree provider: any value but "false" makes it internal.
        (Maker::InTreeNlb | Maker::InTreeClb, _, Some(v)) if v != "false" => Some(Scheme::Internal),
        _ => None,
    };
    lb.target_type = match (maker, ann("aws-load-balancer-nlb-target-type"), lb_type) {
        (Maker::Controller, _, Some("nlb-ip")) => TargetType::Ip,
        (Maker::Controller, Some("ip"), _) => TargetType::Ip,
        (Maker::Controller, Some("instance") | None, _) => TargetType::Instance,
        (Maker::Controller, Some(other), _) => {
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
        // The in-tree provider registers instances only.
        _ => TargetType::Instance,
    };
    let attributes = ann("aws-load-balancer-attributes").unwrap_or("");
    if let Some(v) = ann("aws-load-balancer-cross-zone-load-balancing-enabled")
        .or_else(|| attribute(attributes, "load_balancing.cross_zone.enabled"))
    {
        lb.cross_zone = boolean(v, &format!("{path}.crossZone"), draft).unwrap_or(false);
    }
    let tg_attributes = ann("aws-load-balancer-target-group-attributes").unwrap_or("");
    if let Some(v) = attribute(tg_attributes, "preserve_client_ip.enabled") {
        if maker == Maker::InTreeClb {
            draft.note(
                NoteKind::Ignored,
                format!("{path}.preserveClientIp"),
                "preserve_client_ip is an NLB target group attribute; a Classic Load Balancer has none",
            );
        } else {
            lb.preserve_client_ip = boolean(v, &format!("{path}.preserveClientIp"), draft);
        }
    }
    note_unmodelled(obj, path, draft);
    lb
}

/// The annotations read above; other `service.beta.kubernetes.io/` ones get a note.
const READ: [&str; 8] = [
    "aws-load-balancer-type",
    "aws-load-balancer-scheme",
    "aws-load-balancer-internal",
    "aws-load-balancer-nlb-target-type",
    "aws-load-balancer-attributes",
    "aws-load-balancer-cross-zone-load-balancing-enabled",
    "aws-load-balancer-target-group-attributes",
    // Names and tags change nothing in the network.
    "aws-load-balancer-name",
];

fn note_unmodelled(obj: &Object, path: &str, draft: &mut Draft) {
    for (key, value) in obj.annotations() {
        let Some(short) = key.strip_prefix(PREFIX) else {
            continue;
        };
        if READ.contains(&short) || short == "aws-load-balancer-additional-resource-tags" {
            continue;
        }
        draft.note(
            NoteKind::Ignored,
            path,
            format!("annotation {key} ({value}) is not modelled"),
        );
    }
}

/// `key=value` from a comma-separated attribute list.
fn attribute<'a>(list: &'a str, key: &str) -> Option<&'a str> {
    list.split(',').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k.trim() == key).then(|| v.trim())
    })
}

fn boolean(value: &str, path: &str, draft: &mut Draft) -> Option<bool> {
    match value {
        "true" => Some(true),
        "false" => Some(false),
        other => {
            draft.note(
                NoteKind::Ignored,
                path,
                format!(
                    "`{}` is not true or false; the default is used",
                    other.escape_default()
                ),
            );
            None
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::super::testing::*;
    use super::*;

    /// The load balancer of a LoadBalancer Service with these annotation lines and spec lines.
    fn lb(annotations: &str, spec: &str) -> (LoadBalancerSpec, Vec<String>) {
        let yaml = format!(
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations: {{{annotations}}}\n\
             spec:\n  type: LoadBalancer\n  ports: [{{port: 80}}]\n{spec}"
        );
        let mut d = draft();
        apply_yaml(&mut d, "svc.yaml", &yaml);
        let spec = d.scenario.services[0]
            .load_balancer
            .clone()
            .expect("a load balancer");
        let all: Vec<String> = d
            .notes
            .iter()
            .map(|n| format!("{}: {}", n.path, n.message))
            .collect();
        (spec, all)
    }

    fn ann(key: &str, value: &str) -> String {
        format!("{PREFIX}{key}: '{value}'")
    }

    #[test]
    fn no_annotation_is_the_in_tree_internet_facing_classic_load_balancer() {
        let (spec, notes) = lb("", "");
        assert_eq!(spec.kind, LoadBalancerKind::Clb);
        assert_eq!(spec.controller, Some(LoadBalancerController::InTree));
        // Unset: the in-tree provider's own default, internet-facing.
        assert_eq!(spec.scheme, None);
        assert_eq!(spec.scheme().0, Scheme::InternetFacing);
        assert_eq!(spec.target_type, TargetType::Instance);
        assert!(notes.is_empty());
        let (spec, _) = lb(&ann("aws-load-balancer-internal", "true"), "");
        assert_eq!(
            (spec.kind, spec.scheme),
            (LoadBalancerKind::Clb, Some(Scheme::Internal))
        );
    }

    #[test]
    fn the_in_tree_nlb_is_an_instance_target_nlb_made_by_the_in_tree_provider() {
        let a = [
            ann("aws-load-balancer-type", "nlb"),
            ann(
                "aws-load-balancer-cross-zone-load-balancing-enabled",
                "true",
            ),
        ]
        .join(", ");
        let (spec, notes) = lb(&a, "");
        assert_eq!(spec.kind, LoadBalancerKind::Nlb);
        assert_eq!(spec.controller, Some(LoadBalancerController::InTree));
        assert_eq!(spec.scheme().0, Scheme::InternetFacing);
        assert!(spec.cross_zone);
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn the_controller_is_internal_by_default_and_reads_its_attributes() {
        let (spec, notes) = lb("", "  loadBalancerClass: service.k8s.aws/nlb\n");
        assert_eq!(
            spec,
            LoadBalancerSpec {
                controller: Some(LoadBalancerController::AwsLoadBalancerController),
                ..LoadBalancerSpec::default()
            }
        );
        assert_eq!(spec.scheme().0, Scheme::Internal);
        assert!(notes.is_empty());
        let a = [
            ann("aws-load-balancer-type", "external"),
            ann("aws-load-balancer-nlb-target-type", "ip"),
            ann(
                "aws-load-balancer-attributes",
                "deletion_protection.enabled=true,load_balancing.cross_zone.enabled=true",
            ),
            ann(
                "aws-load-balancer-target-group-attributes",
                "preserve_client_ip.enabled=false",
            ),
        ]
        .join(", ");
        let (spec, notes) = lb(&a, "");
        assert_eq!(spec.kind, LoadBalancerKind::Nlb);
        assert_eq!(spec.scheme().0, Scheme::Internal);
        assert_eq!(spec.target_type, TargetType::Ip);
        assert!(spec.cross_zone);
        assert_eq!(spec.preserve_client_ip, Some(false));
        assert!(notes.is_empty(), "{notes:?}");
        let (spec, _) = lb(&ann("aws-load-balancer-type", "nlb-ip"), "");
        assert_eq!(spec.target_type, TargetType::Ip);
    }

    #[test]
    fn another_load_balancer_class_makes_no_aws_load_balancer() {
        let mut d = draft();
        apply_yaml(
            &mut d,
            "svc.yaml",
            "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n\
             spec: {type: LoadBalancer, loadBalancerClass: tailscale, ports: [{port: 80}]}\n",
        );
        let svc = &d.scenario.services[0];
        assert_eq!(svc.service_type, crate::scenario::ServiceType::NodePort);
        assert_eq!(svc.load_balancer, None);
        assert_eq!(
            notes(&d, NoteKind::Ignored),
            ["services[0].type: loadBalancerClass `tailscale` is neither AWS controller's, so no AWS load \
              balancer is made; drawn as a NodePort Service (a LoadBalancer Service without its load balancer)"]
        );
    }

    #[test]
    fn unknown_values_are_notes_with_the_default_used() {
        let a = [
            ann("aws-load-balancer-type", "external"),
            ann("aws-load-balancer-scheme", "public"),
            ann(
                "aws-load-balancer-target-group-attributes",
                "preserve_client_ip.enabled=yes",
            ),
        ]
        .join(", ");
        let (spec, notes) = lb(&a, "");
        assert_eq!(spec.scheme, Some(Scheme::Internal));
        assert_eq!(spec.preserve_client_ip, None);
        assert_eq!(
            notes,
            [
                "services[0].loadBalancer.scheme: scheme `public` is not internal or internet-facing; the \
                 controller's default, internal, is used",
                "services[0].loadBalancer.preserveClientIp: `yes` is not true or false; the default is used",
            ]
        );
    }
}

/// The AWS Load Balancer Controller's `scheme` annotation (a Service's or an Ingress's):
/// anything but internal or internet-facing is noted, and the controller's default, internal,
/// used.
pub(super) fn controller_scheme(value: &str, path: &str, draft: &mut Draft) -> Scheme {
    match value {
        "internet-facing" => Scheme::InternetFacing,
        "internal" => Scheme::Internal,
        other => {
            draft.note(
                NoteKind::Ignored,
                format!("{path}.scheme"),
                format!(
                    "scheme `{}` is not internal or internet-facing; the controller's default, internal, is used",
                    other.escape_default()
                ),
            );
            Scheme::Internal
        }
    }
}
