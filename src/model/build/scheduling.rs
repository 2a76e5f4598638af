//! Stage 5, workloads scheduled: the pods expanded and scheduled onto the nodes that joined
//! the cluster and still answer, undisturbed pods kept where they ran before a failure or a
//! drain.

use std::collections::BTreeMap;

use super::nodes::NodeDraft;
use super::State;
use crate::model::aws::subnet::Subnet;
use crate::model::fast_hash::FastMap;
use crate::model::k8s::pods::{coredns, expand, PodSet, PodTemplate};
use crate::model::k8s::scheduler::{schedule, SchedNode, Schedule};
use crate::model::k8s::NodeAllocatable;
use crate::scenario::{NodeState, Problem, Scenario};

/// The scheduler's answer, with each node's pods at hand.
pub(super) struct Scheduled {
    pub(super) pod_set: PodSet,
    pub(super) schedule: Schedule,
    /// The drafts (by index) that joined: the scheduler's node `k` is draft `joined[k]`.
    pub(super) joined: Vec<usize>,
    /// Pods bound to each draft, in binding order (the pod order): draft `n`'s are
    /// `bound_pods[bound_at[n]..bound_at[n + 1]]`.
    pub(super) bound_at: Vec<usize>,
    pub(super) bound_pods: Vec<usize>,
}

impl State<'_> {
    /// The workloads' pods (and CoreDNS's) expanded for the nodes that joined, and scheduled.
    pub(super) fn workloads_scheduled(
        &self,
        drafts: &[NodeDraft],
        templates: Vec<PodTemplate>,
    ) -> Result<Scheduled, Vec<Problem>> {
        let (scenario, subnets) = (self.scenario, &self.subnets[..]);
        let joined: Vec<usize> = (0..drafts.len())
            .filter(|&i| {
                drafts[i].api_path.reaches()
                    && drafts[i].cni_ready
                    && drafts[i].state != Some(NodeState::Failed)
            })
            .collect();
        let sched_nodes: Vec<SchedNode> = joined
            .iter()
            .map(|&i| sched_node(&drafts[i], subnets, scenario, true))
            .collect();
        let mut templates = templates;
        templates.push(coredns());
        let mut pod_set = expand(templates, &sched_nodes)?;
        keep_undisturbed_pods(&mut pod_set, drafts, &joined, subnets, scenario)?;
        let schedule = schedule(&sched_nodes, &pod_set);
        let mut bound_at = vec![0usize; drafts.len() + 1];
        for placement in &schedule.placements {
            if let Some(k) = placement.node() {
                bound_at[joined[k] + 1] += 1;
            }
        }
        for n in 0..drafts.len() {
            bound_at[n + 1] += bound_at[n];
        }
        let mut bound_pods = vec![0usize; bound_at[drafts.len()]];
        let mut next = bound_at.clone();
        for (p, placement) in schedule.placements.iter().enumerate() {
            if let Some(k) = placement.node() {
                bound_pods[next[joined[k]]] = p;
                next[joined[k]] += 1;
            }
        }
        Ok(Scheduled {
            pod_set,
            schedule,
            joined,
            bound_at,
            bound_pods,
        })
    }
}

/// The node as the scheduler sees it: allocatable from the EKS AMI's reservation (computed for
/// the AMI's default max pods, as bootstrap does), the kubelet's max pods, the group's labels
/// and taints, and the pod-eni extended resource when security groups for pods are on.
fn sched_node(
    draft: &NodeDraft,
    subnets: &[Subnet],
    scenario: &Scenario,
    with_state: bool,
) -> SchedNode {
    let t = &draft.placement.instance_type;
    let ami_default = t.max_enis * t.ipv4_per_eni.saturating_sub(1) + 2;
    let allocatable = NodeAllocatable::for_instance(t, ami_default);
    let group = scenario
        .managed_node_groups
        .iter()
        .find(|g| g.name == draft.placement.group);
    // Borrowed: SchedNode::new copies the labels it keeps.
    static NO_LABELS: BTreeMap<String, String> = BTreeMap::new();
    let labels = group.map_or(&NO_LABELS, |g| &g.labels);
    let mut node = SchedNode::new(
        &draft.placement.name,
        &subnets[draft.placement.subnet].az,
        &t.name,
        &draft.placement.group,
        labels,
        &allocatable,
        draft.max_pods.value,
    );
    node.taints = group.map(|g| g.taints.clone()).unwrap_or_default();
    node.pod_eni_capacity = draft.trunk_branches.unwrap_or(0);
    // Drained: cordoned and emptied, so its pods land elsewhere (DaemonSet pods stay). A cordon
    // alone leaves running pods where they are, so the model schedules as before it.
    node.unschedulable = with_state && draft.state == Some(NodeState::Drained);
    node
}

/// A failure or a drain evicts only the pods of the nodes it hits: every other pod stays
/// bound where it ran before, as on a real cluster. The model finds "before" by scheduling the
/// same pods on the same nodes with every node Ready, pins the undisturbed pods to their
/// nodes, and lets the scheduler place only the evicted ones (after the pinned, so an evicted
/// pod never takes a place a running pod holds).
fn keep_undisturbed_pods(
    pod_set: &mut PodSet,
    drafts: &[NodeDraft],
    joined: &[usize],
    subnets: &[Subnet],
    scenario: &Scenario,
) -> Result<(), Vec<Problem>> {
    let disrupted = |d: usize| {
        matches!(
            drafts[d].state,
            Some(NodeState::Failed | NodeState::Drained)
        )
    };
    if !(0..drafts.len()).any(disrupted) {
        return Ok(());
    }
    let before_joined: Vec<usize> = (0..drafts.len())
        .filter(|&i| drafts[i].api_path.reaches() && drafts[i].cni_ready)
        .collect();
    let before_nodes: Vec<SchedNode> = before_joined
        .iter()
        .map(|&i| sched_node(&drafts[i], subnets, scenario, false))
        .collect();
    // The templates are copied only here, when some node is disrupted.
    let before_set = expand(pod_set.templates.clone(), &before_nodes)?;
    let before = schedule(&before_nodes, &before_set);
    let was: FastMap<&str, usize> = before
        .placements
        .iter()
        .enumerate()
        .filter_map(|(p, placement)| Some((before_set.name(p), before_joined[placement.node()?])))
        .collect();
    // Draft → its index among the joined nodes: a Vec by draft index, not one more map type.
    let mut now_index: Vec<Option<usize>> = vec![None; drafts.len()];
    for (k, &d) in joined.iter().enumerate() {
        now_index[d] = Some(k);
    }
    let ids = &pod_set.ids;
    for pod in pod_set.pods.iter_mut().filter(|p| p.node.is_none()) {
        if let Some(&d) = was.get(pod.name_in(ids)) {
            if !disrupted(d) {
                pod.node = now_index[d];
            }
        }
    }
    // Pinned pods first (DaemonSet pods already are), then the evicted ones; a stable
    // partition (no sort instantiation), so each template's unpinned pods stay together in
    // their order.
    let (mut pinned, evicted): (Vec<_>, Vec<_>) =
        pod_set.pods.drain(..).partition(|p| p.node.is_some());
    pinned.extend(evicted);
    pod_set.pods = pinned;
    Ok(())
}
