//! The `FailedScheduling` message: each filter's reason text, counted over the nodes that
//! failed it, then the DefaultPreemption post-filter's verdict (the format is in the
//! [module documentation](super)).

use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;

use crate::model::k8s::pods::POD_ENI_RESOURCE;
use crate::scenario::Taint;

pub const REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";
pub const REASON_NODE_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";
pub const REASON_TOO_MANY_PODS: &str = "Too many pods";
pub const REASON_INSUFFICIENT_CPU: &str = "Insufficient cpu";
pub const REASON_INSUFFICIENT_MEMORY: &str = "Insufficient memory";
pub const REASON_SPREAD: &str = "node(s) didn't match pod topology spread constraints";
pub const REASON_SPREAD_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";
pub const REASON_PINNED_ELSEWHERE: &str = "node(s) didn't satisfy plugin(s) [NodeAffinity]";
pub const REASON_NO_VICTIMS: &str = "No preemption victims found for incoming pod";
pub const REASON_PREEMPTION_NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
pub const NO_NODES_MESSAGE: &str = "no nodes available to schedule pods";

/// `Insufficient vpc.amazonaws.com/pod-eni`.
pub fn reason_insufficient_pod_eni() -> String {
    format!("Insufficient {POD_ENI_RESOURCE}")
}

/// `node(s) had untolerated taint {key: value}`.
pub fn reason_taint(taint: &Taint) -> String {
    format!(
        "node(s) had untolerated taint {{{}: {}}}",
        taint.key, taint.value
    )
}

/// Per-node failure statuses → the `FailedScheduling` message.
#[derive(Default)]
pub(super) struct Diagnosis {
    pub(super) reasons: HashMap<Cow<'static, str>, usize>,
    pub(super) resolvable: usize,
    pub(super) unresolvable: usize,
}

impl Diagnosis {
    pub(super) fn node(
        &mut self,
        reasons: impl IntoIterator<Item = Cow<'static, str>>,
        unresolvable: bool,
    ) {
        for reason in reasons {
            *self.reasons.entry(reason).or_default() += 1;
        }
        if unresolvable {
            self.unresolvable += 1;
        } else {
            self.resolvable += 1;
        }
    }

    pub(super) fn nodes(&mut self, count: usize, reason: &'static str) {
        if count > 0 {
            *self.reasons.entry(Cow::Borrowed(reason)).or_default() += count;
            self.unresolvable += count;
        }
    }

    pub(super) fn message(self, node_count: usize) -> Rc<str> {
        if node_count == 0 {
            return Rc::from(NO_NODES_MESSAGE);
        }
        let histogram = |entries: Vec<(usize, &str)>| {
            // Sorted as strings, each put in its place (a handful: no sort instantiation).
            let mut parts: Vec<String> = Vec::with_capacity(entries.len());
            for (count, reason) in entries {
                if count > 0 {
                    let part = format!("{count} {reason}");
                    let at = parts.partition_point(|p| *p <= part);
                    parts.insert(at, part);
                }
            }
            parts.join(", ")
        };
        let filter = histogram(self.reasons.iter().map(|(r, c)| (*c, r.as_ref())).collect());
        let preemption = histogram(vec![
            (self.resolvable, REASON_NO_VICTIMS),
            (self.unresolvable, REASON_PREEMPTION_NOT_HELPFUL),
        ]);
        Rc::from(format!(
            "0/{node_count} nodes are available: {filter}. preemption: 0/{node_count} nodes are available: {preemption}."
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::TaintEffect;

    #[test]
    fn message_format_sorts_count_prefixed_reasons_as_strings() {
        let mut d = Diagnosis::default();
        for _ in 0..10 {
            d.node([Cow::Borrowed(REASON_TOO_MANY_PODS)], false);
        }
        for _ in 0..2 {
            d.node([Cow::Borrowed(REASON_INSUFFICIENT_CPU)], false);
        }
        d.node(
            [Cow::Owned(reason_taint(&Taint {
                key: "dedicated".into(),
                value: "gpu".into(),
                effect: TaintEffect::NoSchedule,
            }))],
            true,
        );
        assert_eq!(
            &*d.message(13),
            "0/13 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 10 Too many pods, \
             2 Insufficient cpu. preemption: 0/13 nodes are available: 1 Preemption is not helpful for scheduling, \
             12 No preemption victims found for incoming pod."
        );
        assert_eq!(&*Diagnosis::default().message(0), NO_NODES_MESSAGE);
    }
}
