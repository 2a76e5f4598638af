//! The steps of `kubectl apply -f deployment.yaml` through the architecture view: for each
//! step, what happens and which boxes of [`super::architecture_scene`] take part. Pure data;
//! which step is shown is the view's state, and it passes the step's ids to the renderer to
//! light them.

use super::architecture_layout::{agent_id, arch_id, MAX_NODES_DRAWN};
use crate::model::{Cluster, Id};

/// One step of `kubectl apply -f deployment.yaml`.
#[derive(Debug, Clone, PartialEq)]
pub struct WalkStep {
    pub title: &'static str,
    pub text: String,
    /// The boxes the step involves (`arch:kube-apiserver`, `arch:node:ng-1-1/kubelet`).
    pub ids: Vec<Id>,
}

/// The steps, naming the first drawn node that is not failed, cordoned or draining where one
/// node stands for all.
pub fn walkthrough(c: &Cluster) -> Vec<WalkStep> {
    let node = c
        .nodes
        .iter()
        .find(|n| n.state.is_none())
        .or(c.nodes.first());
    let on = |agent: &str| {
        node.map(|n| agent_id(&n.id, agent))
            .into_iter()
            .collect::<Vec<_>>()
    };
    let name = node.map_or("a node".to_string(), |n| n.name.clone());
    let all_proxies: Vec<Id> = c
        .nodes
        .iter()
        .take(MAX_NODES_DRAWN)
        .map(|n| agent_id(&n.id, "kube-proxy"))
        .collect();
    // Components of the view, by their key (`kube-apiserver` is `arch:kube-apiserver`).
    let ids = |v: &[&str]| v.iter().map(arch_id).collect::<Vec<_>>();
    vec![
        WalkStep {
            title: "API server stores it",
            text: "kubectl sends the Deployment to the API server, which authenticates, validates and admits it, then writes it to etcd — the only component that talks to etcd.".into(),
            ids: ids(&["kubectl", "kube-apiserver", "etcd"]),
        },
        WalkStep {
            title: "Controllers create pods",
            text: "The Deployment controller (in kube-controller-manager) sees the new Deployment and creates a ReplicaSet; the ReplicaSet controller creates the pods, unscheduled.".into(),
            ids: ids(&["kube-controller-manager", "kube-apiserver", "etcd"]),
        },
        WalkStep {
            title: "Scheduler binds",
            text: format!("kube-scheduler filters the nodes that fit (resources, selectors, taints, max pods), scores the rest, and binds each pod — here to {name}."),
            ids: {
                let mut v = ids(&["kube-scheduler", "kube-apiserver"]);
                v.extend(node.map(|n| arch_id(&n.id)));
                v
            },
        },
        WalkStep {
            title: "kubelet starts containers",
            text: format!("The kubelet on {name}, watching the API server over its endpoint path, sees the bound pod and asks containerd to pull the image and start the containers."),
            ids: [on("kubelet"), on("containerd")].concat(),
        },
        WalkStep {
            title: "CNI gives an address",
            text: "The VPC CNI (aws-node's ipamd) hands the pod a secondary IP from one of the node's ENIs — a real VPC address — and wires its veth.".into(),
            ids: on("aws-node"),
        },
        WalkStep {
            title: "EndpointSlice updated",
            text: "Once the pod is Ready, the EndpointSlice controller adds its address to the slices of every Service whose selector matches it.".into(),
            ids: ids(&["kube-controller-manager", "kube-apiserver"]),
        },
        WalkStep {
            title: "kube-proxy programs rules",
            text: "kube-proxy on every node watches EndpointSlices and rewrites its iptables rules, so the Service's ClusterIP and NodePort now reach the new pod.".into(),
            ids: all_proxies,
        },
        WalkStep {
            title: "LB controller registers targets",
            text: "The AWS Load Balancer Controller watches the same Service and registers the pod (target type ip) or its node (instance) in the load balancer's target group.".into(),
            ids: ids(&["lb-controller", "elb"]),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::architecture_scene;
    use crate::layout::tests_support::cluster_with;

    #[test]
    fn every_step_lights_drawn_boxes() {
        for c in [
            cluster_with(|_| {}),
            cluster_with(|s| s.managed_node_groups[0].desired_capacity = 120),
        ] {
            let a = architecture_scene(&c);
            let steps = walkthrough(&c);
            assert_eq!(steps.len(), 8);
            for s in &steps {
                assert!(!s.ids.is_empty(), "{}", s.title);
                for id in &s.ids {
                    assert!(a.find(id).is_some(), "{}: {id}", s.title);
                }
            }
            // kube-proxy runs on every node drawn.
            assert_eq!(steps[6].ids.len(), c.nodes.len().min(MAX_NODES_DRAWN));
        }
    }

    #[test]
    fn the_named_node_is_one_that_runs_pods() {
        let c = cluster_with(|_| {});
        let steps = walkthrough(&c);
        assert!(steps[2].text.contains(&c.nodes[0].name));
        assert_eq!(steps[4].ids, [agent_id(&c.nodes[0].id, "aws-node")]);
    }
}
