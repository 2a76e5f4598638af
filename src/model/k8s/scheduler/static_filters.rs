//! The filters that depend only on the node and the pod, not on what is bound: in the
//! default profile's order NodeUnschedulable, TaintToleration, NodeAffinity (the pod's
//! `nodeSelector`). Cached per distinct tolerations and nodeSelector by the engine.

use std::collections::BTreeMap;

use super::node::{Labels, SchedNode, TAINT_UNSCHEDULABLE};
use super::taint_toleration::{first_untolerated, tolerates};
use crate::model::k8s::pods::PodTemplate;
use crate::scenario::{Taint, TaintEffect};

/// The first static filter a node fails for a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum StaticStatus {
    Ok,
    Unschedulable,
    /// Index into the node's effective taints.
    Taint(usize),
    Affinity,
}

pub(super) fn static_status(
    template: &PodTemplate,
    node: &SchedNode,
    taints: &[Taint],
) -> StaticStatus {
    if node.unschedulable {
        // Made only for a cordoned node: this runs for every DaemonSet pod.
        let unschedulable_taint = Taint {
            key: TAINT_UNSCHEDULABLE.into(),
            value: String::new(),
            effect: TaintEffect::NoSchedule,
        };
        if !template
            .tolerations
            .iter()
            .any(|t| tolerates(t, &unschedulable_taint))
        {
            return StaticStatus::Unschedulable;
        }
    }
    if let Some(i) = first_untolerated(&template.tolerations, taints) {
        return StaticStatus::Taint(i);
    }
    if !node_selector_matches(&template.node_selector, &node.labels) {
        return StaticStatus::Affinity;
    }
    StaticStatus::Ok
}

/// Does a node with `labels` match `selector` (a pod's nodeSelector)?
pub(super) fn node_selector_matches(selector: &BTreeMap<String, String>, labels: &Labels) -> bool {
    selector
        .iter()
        .all(|(k, v)| labels.get(k.as_str()).is_some_and(|l| l == v))
}

/// Does a pod with `labels` match `selector` (a spread constraint's label selector)?
pub(super) fn selector_matches(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}
