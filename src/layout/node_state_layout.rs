//! Marks over the nodes a scenario changed: a veil over the node and a tag on its top edge
//! saying FAILED, CORDONED or DRAINED (`node-state:<node>`, with the node's name and state as
//! DOM facts). Marks, not things: the pointer and screen readers reach the node below.

use super::geometry::Rect;
use super::scene::{Anchor, Kind, Scene, Shape, State, TextStyle};
use crate::model::{Cluster, Id};
use crate::scenario::NodeState;

const TAG_W: f64 = 78.0;
const TAG_H: f64 = 18.0;

/// One mark per drawn node whose scenario state is set, in the cluster's order.
pub fn node_states(cluster: &Cluster, scene: &Scene) -> Vec<Shape> {
    let changed: Vec<_> = cluster
        .nodes
        .iter()
        .filter_map(|n| Some((n, n.state?)))
        .collect();
    if changed.is_empty() {
        return Vec::new();
    }
    let rects: std::collections::HashMap<&Id, Rect> = scene
        .shapes
        .iter()
        .flat_map(Shape::walk)
        .filter(|s| s.kind == Kind::Node)
        .map(|s| (&s.id, s.rect))
        .collect();
    changed
        .into_iter()
        .filter_map(|(node, state)| {
            let r = *rects.get(&node.id)?;
            let (state, word) = match state {
                NodeState::Failed => (State::Failed, "FAILED"),
                NodeState::Cordoned => (State::Cordoned, "CORDONED"),
                NodeState::Drained => (State::Drained, "DRAINED"),
            };
            let mut mark = Shape::new(Id::NodeState(node.name.clone()), Kind::NodeState, r);
            mark.state = state;
            mark.name = format!("{} is {}", node.name, state.as_str());
            mark.attrs.push(("data-node", node.name.clone()));
            mark.icon = Some(Rect::new(
                r.right() - TAG_W - 6.0,
                r.y - TAG_H / 2.0,
                TAG_W,
                TAG_H,
            ));
            mark.text(
                r.right() - 6.0 - TAG_W / 2.0,
                r.y + 4.0,
                word,
                TextStyle::Tag,
                Anchor::Middle,
            );
            Some(mark)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::tests_support::cluster_with;

    #[test]
    fn a_failed_and_a_cordoned_node_are_marked_on_their_rectangles() {
        let c = cluster_with(|s| {
            s.managed_node_groups[0].desired_capacity = 3;
            s.node_states.insert("ng-1-1".into(), NodeState::Failed);
            s.node_states.insert("ng-1-2".into(), NodeState::Cordoned);
        });
        let scene = crate::layout::layout(&c);
        let marks: Vec<&Shape> = scene
            .overlay
            .iter()
            .filter(|s| s.kind == Kind::NodeState)
            .collect();
        assert_eq!(marks.len(), 2);
        let failed = scene.find("node-state:ng-1-1").unwrap();
        assert_eq!(failed.state, State::Failed);
        assert_eq!(failed.attr("data-node"), Some("ng-1-1"));
        assert_eq!(failed.rect, scene.find("node:ng-1-1").unwrap().rect);
        assert_eq!(failed.texts[0].text, "FAILED");
        assert!(Kind::NodeState.is_mark());
    }

    #[test]
    fn an_unchanged_cluster_has_no_marks() {
        let c = cluster_with(|_| {});
        assert!(node_states(&c, &crate::layout::layout(&c)).is_empty());
    }
}
