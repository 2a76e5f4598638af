//! Shared checks for the layout's unit tests: the geometric invariants every scene keeps.

use std::collections::HashSet;

use super::geometry::Rect;
use super::scene::{Anchor, Scene, Shape};
use super::text::{ascent, width};
use crate::model::{self, Cluster, Id};
use crate::scenario::{default_scenario, Scenario};

/// A Deployment of `replicas` pods with no requests, in `default`.
pub fn deployment(name: &str, replicas: u32) -> crate::scenario::Workload {
    crate::scenario::Workload {
        name: name.into(),
        namespace: "default".into(),
        kind: Default::default(),
        replicas,
        labels: Default::default(),
        requests: Default::default(),
        node_selector: Default::default(),
        tolerations: Vec::new(),
        topology_spread_constraints: Vec::new(),
        security_groups: Vec::new(),
        host_network: false,
        container_port: 8080,
    }
}

/// The default scenario's cluster after `edit`.
pub fn cluster_with(edit: impl FnOnce(&mut Scenario)) -> Cluster {
    let mut scenario = default_scenario();
    edit(&mut scenario);
    model::build(&scenario).expect("a valid scenario")
}

/// The horizontal span a text run covers, from its anchor and estimated width.
fn text_rect(shape: &Shape, i: usize) -> Rect {
    let t = &shape.texts[i];
    let w = width(&t.text, t.style) * t.scale;
    let x = match t.anchor {
        Anchor::Start => t.at.x,
        Anchor::Middle => t.at.x - w / 2.0,
        Anchor::End => t.at.x - w,
    };
    let a = ascent(t.style) * t.scale;
    Rect::new(x, t.at.y - a, w, a)
}

/// Children inside parents (or centred on the parent's left border), siblings apart, texts
/// inside their shape and apart from each other, ids unique.
pub fn assert_tree_invariants(root: &Shape) {
    let mut ids = HashSet::new();
    check(root, None, &mut ids);
}

/// [`assert_tree_invariants`] for a whole scene, plus every shape inside the scene's size.
pub fn assert_scene_invariants(scene: &Scene) {
    let mut ids = HashSet::new();
    for s in &scene.shapes {
        assert!(
            scene.bounds().contains(&s.rect),
            "{} {:?} is outside the scene {:?}",
            s.id,
            s.rect,
            scene.size
        );
        check(s, None, &mut ids);
    }
    assert_siblings_apart(&scene.shapes);
    for e in &scene.edges {
        assert!(
            ids.contains(&e.from) && ids.contains(&e.to),
            "edge {} joins unknown shapes",
            e.id
        );
        assert!(!ids.contains(&e.id), "edge id {} is also a shape id", e.id);
    }
}

fn check<'a>(shape: &'a Shape, parent: Option<&Shape>, ids: &mut HashSet<&'a Id>) {
    assert!(ids.insert(&shape.id), "duplicate id {}", shape.id);
    assert!(!shape.name.is_empty(), "{:?} has no name", shape.kind);
    assert!(
        shape.rect.w > 0.0 && shape.rect.h > 0.0,
        "{} is empty",
        shape.id
    );
    if let Some(p) = parent {
        if shape.on_border {
            let c = shape.rect.center();
            assert!(
                (c.x - p.rect.x).abs() < 1e-6,
                "{} is not centred on {}'s border",
                shape.id,
                p.id
            );
            assert!(
                p.rect.y <= shape.rect.y && shape.rect.bottom() <= p.rect.bottom(),
                "{} overflows {}",
                shape.id,
                p.id
            );
        } else {
            assert!(
                p.rect.contains(&shape.rect),
                "{} {:?} is outside {} {:?}",
                shape.id,
                shape.rect,
                p.id,
                p.rect
            );
        }
    }
    let rects: Vec<Rect> = (0..shape.texts.len())
        .map(|i| text_rect(shape, i))
        .collect();
    for (t, r) in shape.texts.iter().zip(&rects) {
        assert!(
            shape.rect.contains(r),
            "text {:?} {r:?} of {} overflows {:?}",
            t.text,
            shape.id,
            shape.rect
        );
    }
    // Sorted by top, texts and children are checked near-linearly (a tray of thousands of
    // Pending pods has thousands of each).
    let mut order: Vec<usize> = (0..rects.len()).collect();
    order.sort_by(|&a, &b| rects[a].y.total_cmp(&rects[b].y));
    for (k, &i) in order.iter().enumerate() {
        for &j in &order[k + 1..] {
            if rects[j].y >= rects[i].bottom() {
                break;
            }
            assert!(
                !rects[i].overlaps(&rects[j]),
                "texts {:?} and {:?} of {} collide",
                shape.texts[i].text,
                shape.texts[j].text,
                shape.id
            );
        }
    }
    let mut children: Vec<&Shape> = shape.children.iter().collect();
    children.sort_by(|a, b| a.rect.y.total_cmp(&b.rect.y));
    let tallest = children.iter().map(|c| c.rect.h).fold(0.0, f64::max);
    for (t, r) in shape.texts.iter().zip(&rects) {
        // A child that overlaps r starts above r's bottom and below r's top less its height.
        let first = children.partition_point(|c| c.rect.y < r.y - tallest);
        for c in children[first..]
            .iter()
            .take_while(|c| c.rect.y < r.bottom())
        {
            assert!(
                !r.overlaps(&c.rect),
                "text {:?} of {} runs into {}",
                t.text,
                shape.id,
                c.id
            );
        }
    }
    if let Some(icon) = shape.icon {
        assert!(shape.rect.contains(&icon), "icon of {} overflows", shape.id);
    }
    if let Some(m) = &shape.meter {
        assert!(
            shape.rect.contains(&m.rect),
            "meter of {} overflows",
            shape.id
        );
    }
    assert_siblings_apart(&shape.children);
    for c in &shape.children {
        check(c, Some(shape), ids);
    }
}

fn assert_siblings_apart(shapes: &[Shape]) {
    // Siblings are laid out in rows and columns; sorting by x keeps this check near-linear.
    let mut order: Vec<&Shape> = shapes.iter().collect();
    order.sort_by(|a, b| a.rect.x.total_cmp(&b.rect.x));
    for (i, a) in order.iter().enumerate() {
        for b in &order[i + 1..] {
            if b.rect.x >= a.rect.right() {
                break;
            }
            assert!(
                !a.rect.overlaps(&b.rect),
                "{} {:?} overlaps {} {:?}",
                a.id,
                a.rect,
                b.id,
                b.rect
            );
        }
    }
}
