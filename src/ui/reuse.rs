//! When an edit may keep the last cluster's and scene's `Rc`: the rule that lets a toggle
//! repaint only what it changed.
//!
//! Components compare big props by identity ([`crate::ui::shared::Shared`]), so a kept `Rc` is a
//! component that neither renders nor diffs — above all [`crate::ui::scene_svg::SceneSvg`] with its
//! thousands of shapes. [`next_built`] keeps the last cluster when the new one is equal, and
//! the last scene when the new cluster lays out the same; it lays out only when something the
//! layout reads has changed.
//!
//! What the map reads is written down once, in [`same_layout_inputs`]: every field of
//! [`Cluster`] is either compared there or named as one only the scene's overlay
//! ([`layout::overlay`]: load balancers, the service band) and the traffic views read
//! (services, ingresses, load balancers, the service CIDR and CoreDNS's address). When only
//! those changed, the overlay alone is laid out again over the last map, and the scene kept if
//! it comes out equal (a toggle of externalTrafficPolicy). The destructuring lists every field,
//! so a new field of `Cluster` does not compile until it is classified, and
//! `traffic_fields_do_not_move_the_map` fails if the map starts reading one of the traffic
//! fields.
//!
//! Comparisons run cheapest first and stop at the first difference, so a toggle that changes
//! a service costs a comparison of the services, not of 150,000 pods.

use std::rc::Rc;

use crate::model::{Cluster, Groundwork};
use crate::pipeline;
use crate::scenario::Scenario;
use crate::ui::workspace::Built;

/// Whether the map of `a` and `b` (the scene but its overlay) is the same because every field
/// it reads is equal.
pub fn same_layout_inputs(a: &Cluster, b: &Cluster) -> bool {
    same_map_inputs(a, b, false)
}

/// [`same_layout_inputs`]; `same_pods`: the nodes and pods are known to be equal, and not
/// compared (3,000 pods at 100 nodes) — `b` was built on `a`'s groundwork, which takes them
/// from `a` (`model::build_after`).
fn same_map_inputs(a: &Cluster, b: &Cluster, same_pods: bool) -> bool {
    let Cluster {
        name,
        vpc,
        azs,
        subnets,
        internet_gateway,
        nat_gateways,
        control_plane,
        nodes,
        pods,
        cni,
        findings,
        // Read by the overlay and the traffic views only (`layout::overlay`, `flow_panel`).
        service_cidr: _,
        cluster_dns: _,
        services: _,
        ingresses: _,
        load_balancers: _,
    } = a;
    *internet_gateway == b.internet_gateway
        && *name == b.name
        && *vpc == b.vpc
        && *azs == b.azs
        && *cni == b.cni
        && *subnets == b.subnets
        && *nat_gateways == b.nat_gateways
        && *control_plane == b.control_plane
        && *findings == b.findings
        && (same_pods || (*nodes == b.nodes && *pods == b.pods))
}

/// `a == b`, comparing the small traffic fields before the layout's inputs (a toggle of a
/// service's setting differs there and stops early).
pub fn same_cluster(a: &Cluster, b: &Cluster) -> bool {
    a.service_cidr == b.service_cidr
        && a.cluster_dns == b.cluster_dns
        && a.load_balancers == b.load_balancers
        && a.ingresses == b.ingresses
        && a.services == b.services
        && same_layout_inputs(a, b)
}

/// What a build made (`pipeline::build_after`): the cluster, the scenario it is of and its
/// groundwork.
pub type Made = (Cluster, Rc<Scenario>, Rc<Groundwork>);

/// The cluster and scene to show for a freshly built cluster, reusing `last`'s `Rc`s where
/// the values are equal: the whole of `last` when the cluster is the same (its scenario and
/// groundwork with it, so the three stay of one build); its scene when the layout's inputs
/// are the same, or when laying out again gives the same scene.
pub fn next_built(last: Option<&Built>, (cluster, scenario, groundwork): Made) -> Built {
    let Some(last) = last else {
        let scene = Rc::new(pipeline::network_scene(&cluster));
        return Built {
            cluster: Rc::new(cluster),
            scene,
            scenario,
            groundwork,
        };
    };
    if same_cluster(&last.cluster, &cluster) {
        return last.clone();
    }
    // Built on `last`'s groundwork: its nodes and pods are `last`'s.
    let same_pods = Rc::ptr_eq(&groundwork, &last.groundwork);
    let same_map = same_map_inputs(&last.cluster, &cluster, same_pods);
    let scene = if same_map && crate::layout::overlay(&cluster, &last.scene) == last.scene.overlay {
        last.scene.clone()
    } else {
        let scene = pipeline::network_scene(&cluster);
        if scene == *last.scene {
            last.scene.clone()
        } else {
            Rc::new(scene)
        }
    };
    Built {
        cluster: Rc::new(cluster),
        scene,
        scenario,
        groundwork,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout;
    use crate::scenario::{scale_scenario, Scenario, TrafficPolicy};

    /// What a build of `s` from scratch makes.
    fn made(s: &Scenario) -> Made {
        let (cluster, groundwork) = crate::model::build_after(s, None).unwrap();
        (cluster, Rc::new(s.clone()), groundwork)
    }

    /// The default scenario, every gallery scenario and a generated one.
    fn scenarios() -> Vec<Scenario> {
        crate::scenario::shipped_scenarios()
    }

    #[test]
    fn traffic_fields_do_not_move_the_map() {
        // The fields `same_layout_inputs` skips must not change the map (the scene but its
        // overlay): if this fails, the map reads one of them and it belongs among the compared
        // fields.
        for s in scenarios() {
            let Ok(cluster) = crate::model::build(&s) else {
                continue;
            };
            let mut other = cluster.clone();
            other.services.clear();
            other.ingresses.clear();
            other.load_balancers.clear();
            other.service_cidr = "192.168.0.0/24".parse().unwrap();
            other.cluster_dns = "192.168.0.10".parse().unwrap();
            assert!(same_layout_inputs(&cluster, &other));
            let (mut a, mut b) = (layout::layout(&cluster), layout::layout(&other));
            for scene in [&mut a, &mut b] {
                scene.overlay.clear();
                scene.size = crate::layout::Size::default();
            }
            assert_eq!(a, b, "{}: the map read a traffic-only field", s.name);
        }
    }

    #[test]
    fn the_comparisons_agree_with_equality() {
        let s = scale_scenario(3);
        let a = crate::model::build(&s).unwrap();
        assert!(same_cluster(&a, &a.clone()));
        let mut b = a.clone();
        b.pods.pop();
        assert!(!same_cluster(&a, &b) && !same_layout_inputs(&a, &b));
        let mut c = a.clone();
        c.findings.clear();
        assert_eq!(same_layout_inputs(&a, &c), a.findings.is_empty());
        let mut d = a.clone();
        d.services.pop();
        assert!(!same_cluster(&a, &d) && same_layout_inputs(&a, &d));
    }

    #[test]
    fn a_traffic_toggle_keeps_the_scene_and_a_node_count_does_not() {
        let s = scale_scenario(3);
        let first = next_built(None, made(&s));
        // The same cluster again: everything kept.
        let same = next_built(Some(&first), made(&s));
        assert!(Rc::ptr_eq(&same.cluster, &first.cluster));
        assert!(Rc::ptr_eq(&same.scene, &first.scene));
        // externalTrafficPolicy: a new cluster, the same scene.
        let mut local = s.clone();
        local.services[0].external_traffic_policy = TrafficPolicy::Local;
        let toggled = next_built(Some(&first), made(&local));
        assert!(!Rc::ptr_eq(&toggled.cluster, &first.cluster));
        assert_ne!(toggled.cluster.services, first.cluster.services);
        assert!(Rc::ptr_eq(&toggled.scene, &first.scene));
        // The same, built on the first build's groundwork (the page's way).
        let (cluster, groundwork) = crate::model::build_after(&local, Some(first.last())).unwrap();
        assert!(Rc::ptr_eq(&groundwork, &first.groundwork));
        let after = next_built(Some(&first), (cluster, Rc::new(local.clone()), groundwork));
        assert_eq!(*after.cluster, *toggled.cluster);
        assert!(Rc::ptr_eq(&after.scene, &first.scene));
        // One node more: laid out again.
        let mut bigger = s.clone();
        bigger.managed_node_groups[0].desired_capacity += 1;
        let grown = next_built(Some(&toggled), made(&bigger));
        assert!(!Rc::ptr_eq(&grown.scene, &toggled.scene));
        assert_eq!(*grown.scene, layout::layout(&grown.cluster));
    }
}
