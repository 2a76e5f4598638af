//! [`NodeActions`]: what an operator (or the world) does to a node — Fail, Cordon, Drain,
//! Restore — and to a Deployment — scale ± — shown in the inspector, each followed by a short
//! stepper of what Kubernetes and the VPC CNI did, derived by diffing the cluster before the
//! action with the cluster after it ([`steps`]): the node's new condition, the pods evicted,
//! recreated and placed, the addresses freed and taken, the Service endpoints updated.
//! Clicking a step highlights the shapes it involves on the diagram ([`highlights`]).
//!
//! Actions are edits of the draft scenario (`nodeStates`, `workloads[].replicas`), sent as
//! [`Edit::Replace`] / [`Edit::Replicas`] through the App's one reducer.
//!
//! DOM contract: `data-kind="node-actions"` (`data-node` or `data-workload`), buttons
//! `data-action="fail|cordon|drain|restore|scale-up|scale-down"`, `data-kind="stepper"` with
//! items `data-kind="step"` (`data-step="1"`…, `data-ids` space-separated, `aria-current` on the
//! highlighted one); on the diagram `data-kind="node-state"` (`data-node`, `data-state`) and
//! `data-kind="highlight"` (`data-ref`, the highlighted shape's id).

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use crate::layout::Scene;
use crate::model::{Cluster, Id, PodStatus};
use crate::scenario::{NodeState, Scenario};
use crate::ui::shared::Shared;
use crate::ui::svg::num;
use crate::ui::workspace::Edit;

/// One step of what happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub title: String,
    pub text: String,
    /// Drawn ids the step involves.
    pub ids: Vec<Id>,
}

/// A pod's node name, address and node id.
type Placed = (String, Option<String>, Id);

/// Where each pod is (Running pods only).
/// Inserted one by one: collecting a map sorts first, one more sort instantiation in the wasm.
fn placement(c: &Cluster) -> BTreeMap<Id, Placed> {
    let mut placed = BTreeMap::new();
    for p in &c.pods {
        if p.status != PodStatus::Running || p.host_network {
            continue;
        }
        let Some(node) = p.node.and_then(|n| c.nodes.get(n)) else {
            continue;
        };
        let at = (
            node.name.clone(),
            p.ip.map(|ip| ip.to_string()),
            node.id.clone(),
        );
        placed.insert(p.as_id(), at);
    }
    placed
}

/// The pod holding `ip`: what the diagram highlights for an address taken.
fn ip_id(c: &Cluster, ip: &str) -> Option<Id> {
    c.pods
        .iter()
        .find(|p| p.ip.is_some_and(|a| a.to_string() == ip))
        .map(|p| p.as_id())
}

/// The steps from `before` to `after`, for an action on `node` (None: a scale).
pub fn steps(before: &Cluster, after: &Cluster, node: Option<&str>, action: &str) -> Vec<Step> {
    let b = placement(before);
    let a = placement(after);
    let mut out = Vec::new();
    if let Some(node) = node {
        let node_id = Id::node(node);
        let state = after
            .node_by_name(node)
            .and_then(|n| n.state)
            .map(|s| format!("{s:?}"))
            .unwrap_or_else(|| "Ready".into());
        let what = match action {
            "fail" => format!("{node} stops answering: NotReady; the node lifecycle controller taints it and, after the eviction timeout, evicts its pods"),
            "cordon" => format!("kubectl cordon {node}: unschedulable; running pods stay where they are"),
            "drain" => format!("kubectl drain {node}: cordoned, then its pods evicted (DaemonSet pods stay)"),
            _ => format!("{node} is schedulable again (state {state})"),
        };
        out.push(Step {
            title: if action == "restore" {
                "Ready".into()
            } else {
                state.clone()
            },
            text: what,
            ids: vec![node_id],
        });
    }
    let evicted: Vec<&Id> = b
        .iter()
        .filter(|(id, (n, ..))| {
            node.is_some_and(|x| x == n) && a.get(*id).is_none_or(|(m, ..)| m != n)
        })
        .map(|(id, _)| id)
        .collect();
    let gone: Vec<&Id> = b.keys().filter(|id| !a.contains_key(*id)).collect();
    if node.is_some() {
        out.push(Step {
            title: "pods evicted".into(),
            text: if evicted.is_empty() {
                "No pod leaves the node.".into()
            } else {
                format!(
                    "{} pod{} evicted from the node: {}",
                    evicted.len(),
                    if evicted.len() == 1 { "" } else { "s" },
                    short_list(evicted.iter().map(|id| id.key()))
                )
            },
            ids: evicted.iter().map(|&id| id.clone()).collect(),
        });
    } else if !gone.is_empty() {
        out.push(Step {
            title: "pods deleted".into(),
            text: format!(
                "The ReplicaSet deletes {}: {}",
                gone.len(),
                short_list(gone.iter().map(|id| id.key()))
            ),
            ids: Vec::new(),
        });
    }
    let moved: Vec<(&Id, &Placed, &Placed)> = a
        .iter()
        .filter_map(|(id, now)| {
            let was = b.get(id)?;
            // After a node action only its own pods count as recreated: the model places every
            // pod afresh, so others may shift too (listed apart, in `shuffled`).
            let mine = node.is_none() || evicted.contains(&id);
            (mine && (was.0 != now.0 || was.1 != now.1)).then_some((id, was, now))
        })
        .collect();
    let new: Vec<&Id> = a.keys().filter(|id| !b.contains_key(*id)).collect();
    let recreated: Vec<Id> = moved
        .iter()
        .map(|&(id, ..)| id.clone())
        .chain(new.iter().map(|&id| id.clone()))
        .collect();
    out.push(Step {
        title: "ReplicaSet recreates".into(),
        text: if recreated.is_empty() {
            "No pod needs replacing.".into()
        } else {
            format!(
                "The ReplicaSet controller creates {} pod{} to get back to the desired count.",
                recreated.len(),
                if recreated.len() == 1 { "" } else { "s" }
            )
        },
        ids: recreated.clone(),
    });
    let mut per_node: BTreeMap<&str, u32> = BTreeMap::new();
    for (_, _, now) in &moved {
        *per_node.entry(now.0.as_str()).or_default() += 1;
    }
    for id in &new {
        *per_node.entry(a[*id].0.as_str()).or_default() += 1;
    }
    let pending = after
        .pods
        .iter()
        .filter(|p| p.status == PodStatus::Pending)
        .count();
    out.push(Step {
        title: "scheduler places".into(),
        text: if per_node.is_empty() {
            "Nothing to place.".into()
        } else {
            let mut t = format!(
                "The scheduler binds them: {}",
                per_node
                    .iter()
                    .map(|(n, k)| format!("{k} on {n}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            if pending > 0 {
                t.push_str(&format!("; {pending} stay Pending"));
            }
            let shuffled = a
                .iter()
                .filter(|(id, now)| !evicted.contains(id) && b.get(*id).is_some_and(|was| was != *now))
                .count();
            if node.is_some() && shuffled > 0 {
                t.push_str(&format!(
                    ". (eksplain places every pod afresh, so {shuffled} other pod{} moved too; a real cluster leaves them where they are)",
                    if shuffled == 1 { "" } else { "s" }
                ));
            }
            t.push('.');
            t
        },
        ids: per_node.keys().map(|n| Id::node(n)).collect(),
    });
    let freed: Vec<String> = moved
        .iter()
        .filter_map(|(_, was, _)| was.1.clone())
        .chain(gone.iter().filter_map(|id| b[*id].1.clone()))
        .collect();
    let taken: Vec<String> = moved
        .iter()
        .filter_map(|(_, _, now)| now.1.clone())
        .chain(new.iter().filter_map(|id| a[*id].1.clone()))
        .collect();
    out.push(Step {
        title: "addresses freed and reassigned".into(),
        text: format!(
            "{} address{} freed ({}); {} taken from the new nodes' ENIs ({}).",
            freed.len(),
            if freed.len() == 1 { "" } else { "es" },
            short_list(freed.iter().cloned()),
            taken.len(),
            short_list(taken.iter().cloned()),
        ),
        ids: taken.iter().filter_map(|ip| ip_id(after, ip)).collect(),
    });
    let changed: Vec<String> = after
        .services
        .iter()
        .filter(|s| !s.system)
        .filter(|s| {
            let old = before.services.iter().find(|o| o.id == s.id);
            let ips = |e: &[crate::model::k8s::services::Endpoint]| {
                let mut v: Vec<String> = e.iter().map(|x| x.ip.to_string()).collect();
                v.sort();
                v
            };
            old.is_none_or(|o| ips(&o.endpoints) != ips(&s.endpoints))
        })
        .map(|s| format!("{}/{}", s.namespace, s.name))
        .collect();
    out.push(Step {
        title: "endpoints updated".into(),
        text: if changed.is_empty() {
            "No Service's endpoints change.".into()
        } else {
            format!(
                "The EndpointSlice controller rewrites the endpoints of {}; kube-proxy and the load balancer controller follow.",
                changed.join(", ")
            )
        },
        ids: recreated,
    });
    out
}

fn short_list(items: impl Iterator<Item = String>) -> String {
    let all: Vec<String> = items.collect();
    if all.is_empty() {
        return "none".into();
    }
    let mut s = all.iter().take(4).cloned().collect::<Vec<_>>().join(", ");
    if all.len() > 4 {
        s.push_str(&format!(" and {} more", all.len() - 4));
    }
    s
}

/// A copy of the draft with node `name` in `state` (None: back to normal).
pub fn with_node_state(draft: &Scenario, name: &str, state: Option<NodeState>) -> Edit {
    let mut next = draft.clone();
    match state {
        Some(s) => {
            next.node_states.insert(name.to_string(), s);
        }
        None => {
            next.node_states.remove(name);
        }
    }
    Edit::Replace(Box::new(next))
}

#[derive(PartialEq, Properties)]
pub struct NodeActionsProps {
    pub cluster: Shared<Cluster>,
    pub draft: Shared<Scenario>,
    /// The inspected id: a node or a workload.
    pub selected: Id,
    pub on_edit: Callback<Edit>,
    pub on_highlight: Callback<Vec<Id>>,
}

struct Last {
    action: &'static str,
    subject: Id,
    before: Rc<Cluster>,
}

#[function_component(NodeActions)]
pub fn node_actions(props: &NodeActionsProps) -> Html {
    let last = use_mut_ref(|| None::<Last>);
    let current = use_state(|| 0_usize);
    let id = &props.selected;
    let node = match id {
        Id::Node(name) => Some(name.clone()),
        _ => None,
    };
    let workload = match id {
        Id::Workload { namespace, name } => Some((namespace.clone(), name.clone())),
        _ => None,
    };
    let act = |action: &'static str, edit: Edit| {
        let last = last.clone();
        let before = props.cluster.0.clone();
        let on_edit = props.on_edit.clone();
        let on_highlight = props.on_highlight.clone();
        let subject = id.clone();
        let current = current.clone();
        Callback::from(move |_: MouseEvent| {
            *last.borrow_mut() = Some(Last {
                action,
                subject: subject.clone(),
                before: before.clone(),
            });
            current.set(1);
            on_highlight.emit(vec![subject.clone()]);
            on_edit.emit(edit.clone());
        })
    };
    let buttons = if let Some(name) = &node {
        let state = props.draft.node_states.get(name).copied();
        let d = &props.draft;
        html! {
            <div class="action-row">
                <button type="button" class="action danger" data-action="fail" disabled={state == Some(NodeState::Failed)}
                    onclick={act("fail", with_node_state(d, name, Some(NodeState::Failed)))}>{ "Fail" }</button>
                <button type="button" class="action" data-action="cordon" disabled={state.is_some()}
                    onclick={act("cordon", with_node_state(d, name, Some(NodeState::Cordoned)))}>{ "Cordon" }</button>
                <button type="button" class="action" data-action="drain" disabled={matches!(state, Some(NodeState::Drained | NodeState::Failed))}
                    onclick={act("drain", with_node_state(d, name, Some(NodeState::Drained)))}>{ "Drain" }</button>
                <button type="button" class="action" data-action="restore" disabled={state.is_none()}
                    onclick={act("restore", with_node_state(d, name, None))}>
                    { if state == Some(NodeState::Cordoned) { "Uncordon" } else { "Restore" } }
                </button>
            </div>
        }
    } else if let Some((ns, name)) = &workload {
        let Some(i) = props
            .draft
            .workloads
            .iter()
            .position(|x| &x.name == name && &x.namespace == ns)
        else {
            return Html::default();
        };
        let r = props.draft.workloads[i].replicas;
        html! {
            <div class="action-row">
                <span class="replicas">{ format!("replicas {r}") }</span>
                <button type="button" class="action" data-action="scale-down" disabled={r == 0}
                    onclick={act("scale", Edit::Replicas(i, r.saturating_sub(1).to_string()))}>{ "Scale −1" }</button>
                <button type="button" class="action" data-action="scale-up"
                    onclick={act("scale", Edit::Replicas(i, (r + 1).to_string()))}>{ "Scale +1" }</button>
            </div>
        }
    } else {
        return Html::default();
    };
    let stepper = last.borrow().as_ref().filter(|l| l.subject == *id).map(|l| {
        let list = steps(&l.before, &props.cluster, node.as_deref(), l.action);
        html! {
            <ol class="stepper" data-kind="stepper" aria-label="What happened">
                { for list.into_iter().enumerate().map(|(i, s)| {
                    let n = i + 1;
                    let on_highlight = props.on_highlight.clone();
                    let on = *current == n;
                    let set = current.clone();
                    let ids = s.ids.clone();
                    let onclick = Callback::from(move |_: MouseEvent| {
                        set.set(n);
                        on_highlight.emit(ids.clone());
                    });
                    html! {
                        <li data-kind="step" data-step={n.to_string()} data-ids={s.ids.iter().map(Id::to_string).collect::<Vec<_>>().join(" ")}
                            class={classes!(on.then_some("current"))} aria-current={on.then_some("step")}>
                            <button type="button" {onclick}>
                                <span class="step-n">{ n }</span>
                                <span class="step-title">{ s.title.clone() }</span>
                            </button>
                            <p>{ s.text.clone() }</p>
                        </li>
                    }
                }) }
            </ol>
        }
    });
    html! {
        <section class="node-actions" data-kind="node-actions"
            data-node={node.clone()} data-workload={workload.as_ref().map(|(ns, n)| format!("{ns}/{n}"))}>
            <h3>{ if node.is_some() { "Actions" } else { "Scale" } }</h3>
            { buttons }
            { for stepper }
        </section>
    }
}

/// Outlines around the shapes with these ids.
pub fn highlights(scene: &Scene, ids: &[Id]) -> Html {
    if ids.is_empty() {
        return Html::default();
    }
    html! {
        <g class="highlights" aria-hidden="true">
            { for scene.outlines(ids).into_iter().map(|(id, r)| {
                html! {
                    <rect class="highlight" data-kind="highlight" data-ref={id.to_string()} x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="5" />
                }
            }) }
        </g>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{default_scenario, Requests, Workload};

    fn with_web() -> Scenario {
        let mut s = default_scenario();
        s.workloads.push(Workload {
            name: "web".into(),
            namespace: "default".into(),
            kind: Default::default(),
            replicas: 6,
            labels: Default::default(),
            requests: Requests {
                cpu: Some("250m".into()),
                memory: Some("256Mi".into()),
            },
            node_selector: Default::default(),
            tolerations: Vec::new(),
            topology_spread_constraints: Vec::new(),
            security_groups: Vec::new(),
            host_network: false,
            container_port: 8080,
        });
        s
    }

    #[test]
    fn failing_a_node_moves_its_pods_and_frees_addresses() {
        let s = with_web();
        let before = crate::model::build(&s).unwrap();
        let Edit::Replace(next) = with_node_state(&s, "ng-1-1", Some(NodeState::Failed)) else {
            panic!()
        };
        let after = crate::model::build(&next).unwrap();
        let st = steps(&before, &after, Some("ng-1-1"), "fail");
        assert_eq!(st.len(), 6);
        assert_eq!(st[0].title, "Failed");
        assert!(!st[1].ids.is_empty(), "{st:?}");
        assert!(st[1]
            .ids
            .iter()
            .all(|id| placement(&before)[id].0 == "ng-1-1"));
        assert!(st[2]
            .ids
            .iter()
            .all(|id| placement(&after)[id].0 != "ng-1-1"));
        assert!(st[4].text.contains("freed"), "{}", st[4].text);
        assert!(!st[3].ids.contains(&Id::node("ng-1-1")));
    }

    #[test]
    fn scaling_up_places_one_pod() {
        let s = with_web();
        let before = crate::model::build(&s).unwrap();
        let mut next = s.clone();
        next.workloads[0].replicas = 7;
        let after = crate::model::build(&next).unwrap();
        let st = steps(&before, &after, None, "scale");
        assert_eq!(st[0].title, "ReplicaSet recreates");
        assert_eq!(st[0].ids.len(), 1, "{st:?}");
    }
}
