//! The page's document state: the scenario being edited, its problems, and the last valid
//! cluster with its scene (what the diagram shows while the draft is invalid).
//!
//! A [`Reducible`] so every edit goes through one place: apply, build, lay out only when the
//! cluster changed. Pure: tested natively.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::Reducible;

use crate::layout::{self, Scene};
use crate::model::{self, Cluster};
use crate::scenario::{NatGatewayMode, Path, Problem, Scenario};

/// The largest node count the editor offers (the model's limit too).
pub const MAX_NODES: u32 = 5_000;

/// One change the user makes in the editor.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    VpcCidr(String),
    NatGateways(NatGatewayMode),
    /// Subnet index, CIDR text.
    SubnetCidr(usize, String),
    SubnetPublic(usize, bool),
    /// Node group index, type name.
    InstanceType(usize, String),
    /// Node group index, the text of the number field.
    DesiredCapacity(usize, String),
    /// A whole new document (a preset, a link).
    Replace(Box<Scenario>),
}

/// The text of a field the document cannot hold (a node count of `abc`), with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawInput {
    pub text: String,
    pub message: String,
}

/// A cluster built from a valid scenario, and its picture.
#[derive(Debug, Clone, PartialEq)]
pub struct Built {
    pub cluster: Rc<Cluster>,
    pub scene: Rc<Scene>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Workspace {
    /// The scenario as edited, valid or not.
    pub draft: Rc<Scenario>,
    /// Field path → text not (yet) in the draft.
    pub raw: Rc<BTreeMap<String, RawInput>>,
    /// Everything wrong with the draft: field texts first, then the model's findings.
    pub problems: Rc<Vec<Problem>>,
    /// The last valid cluster; `None` only if no scenario so far was valid.
    pub built: Option<Built>,
}

impl Workspace {
    pub fn new(scenario: Scenario) -> Workspace {
        let mut ws = Workspace {
            draft: Rc::new(scenario),
            raw: Rc::default(),
            problems: Rc::default(),
            built: None,
        };
        ws.rebuild();
        ws
    }

    /// The diagram shows the draft (no problems).
    pub fn is_current(&self) -> bool {
        self.problems.is_empty()
    }

    /// The problems at exactly this field path.
    pub fn problems_at<'a>(&'a self, path: &'a str) -> impl Iterator<Item = &'a Problem> + 'a {
        self.problems
            .iter()
            .filter(move |p| p.path.as_str() == path)
    }

    fn rebuild(&mut self) {
        let mut problems: Vec<Problem> = self
            .raw
            .iter()
            .map(|(path, raw)| Problem::new(Path::from(path.as_str()), raw.message.clone()))
            .collect();
        match model::build(&self.draft) {
            Ok(cluster) => {
                let unchanged = self.built.as_ref().is_some_and(|b| *b.cluster == cluster);
                if !unchanged {
                    let scene = layout::layout(&cluster);
                    self.built = Some(Built {
                        cluster: Rc::new(cluster),
                        scene: Rc::new(scene),
                    });
                }
            }
            Err(found) => problems.extend(found),
        }
        self.problems = Rc::new(problems);
    }

    fn set_raw(&mut self, path: String, raw: Option<RawInput>) {
        let current = self.raw.get(&path);
        if current == raw.as_ref() {
            return;
        }
        let map = Rc::make_mut(&mut self.raw);
        match raw {
            Some(r) => map.insert(path, r),
            None => map.remove(&path),
        };
    }

    /// Applies an edit to the draft. Returns whether anything changed.
    fn apply(&mut self, edit: Edit) -> bool {
        let before = (self.draft.clone(), self.raw.clone());
        let draft = Rc::make_mut(&mut self.draft);
        match edit {
            Edit::VpcCidr(text) => draft.vpc.cidr = text,
            Edit::NatGateways(mode) => draft.vpc.nat_gateways = mode,
            Edit::SubnetCidr(i, text) => {
                if let Some(s) = draft.vpc.subnets.get_mut(i) {
                    s.cidr = text;
                }
            }
            Edit::SubnetPublic(i, public) => {
                if let Some(s) = draft.vpc.subnets.get_mut(i) {
                    s.public = public;
                }
            }
            Edit::InstanceType(g, text) => {
                if let Some(group) = draft.managed_node_groups.get_mut(g) {
                    group.instance_type = text.trim().to_string();
                }
            }
            Edit::DesiredCapacity(g, text) => {
                let path = format!("managedNodeGroups[{g}].desiredCapacity");
                match parse_count(&text) {
                    Ok(n) => {
                        if let Some(group) = draft.managed_node_groups.get_mut(g) {
                            group.desired_capacity = n;
                        }
                        self.set_raw(path, None);
                    }
                    Err(message) => self.set_raw(path, Some(RawInput { text, message })),
                }
            }
            Edit::Replace(scenario) => {
                *draft = *scenario;
                self.raw = Rc::default();
            }
        }
        *self.draft != *before.0 || self.raw != before.1
    }
}

/// A node count as typed: a whole number from 0 to [`MAX_NODES`].
pub fn parse_count(text: &str) -> Result<u32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(format!(
            "enter a number of nodes, 0 to {}",
            crate::layout::text::thousands(MAX_NODES)
        ));
    }
    match t.parse::<u64>() {
        Ok(n) if n <= u64::from(MAX_NODES) => Ok(n as u32),
        Ok(n) => Err(format!(
            "{} nodes is more than eksplain models: at most {} nodes",
            crate::layout::text::thousands(n),
            crate::layout::text::thousands(MAX_NODES)
        )),
        Err(_) => Err(format!(
            "`{}` is not a whole number of nodes",
            t.escape_default()
        )),
    }
}

impl Reducible for Workspace {
    type Action = Edit;

    fn reduce(self: Rc<Self>, edit: Edit) -> Rc<Self> {
        let mut next = (*self).clone();
        if !next.apply(edit) {
            return self;
        }
        next.rebuild();
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Kind;
    use crate::scenario::default_scenario;

    fn count(ws: &Workspace, kind: Kind) -> usize {
        ws.built
            .as_ref()
            .unwrap()
            .scene
            .walk()
            .filter(|s| s.kind == kind)
            .count()
    }

    fn edit(ws: Rc<Workspace>, e: Edit) -> Rc<Workspace> {
        ws.reduce(e)
    }

    #[test]
    fn the_default_scenario_is_built_and_drawn() {
        let ws = Workspace::new(default_scenario());
        assert!(ws.is_current());
        assert_eq!(count(&ws, Kind::Node), 3);
        assert_eq!(count(&ws, Kind::Subnet), 6);
    }

    #[test]
    fn a_new_node_count_redraws_the_nodes() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let ws = edit(ws, Edit::DesiredCapacity(0, "5".into()));
        assert!(ws.is_current());
        assert_eq!(count(&ws, Kind::Node), 5);
    }

    #[test]
    fn an_invalid_cidr_keeps_the_last_cluster_and_names_the_field() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let before = ws.built.clone();
        let ws = edit(ws, Edit::SubnetCidr(2, "10.1.0.0/24".into()));
        assert!(!ws.is_current());
        assert_eq!(ws.built, before);
        let at: Vec<&Problem> = ws.problems_at("vpc.subnets[2].cidr").collect();
        assert_eq!(at.len(), 1);
        assert!(
            at[0].message.contains("is outside the VPC's CIDRs"),
            "{}",
            at[0].message
        );
        // Fixing it brings the diagram back in step.
        let ws = edit(ws, Edit::SubnetCidr(2, "10.0.2.0/24".into()));
        assert!(ws.is_current());
    }

    #[test]
    fn text_that_is_not_a_count_is_a_problem_at_its_field() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let ws = edit(ws, Edit::DesiredCapacity(0, "lots".into()));
        assert_eq!(ws.draft.managed_node_groups[0].desired_capacity, 3);
        assert_eq!(ws.raw["managedNodeGroups[0].desiredCapacity"].text, "lots");
        assert_eq!(
            ws.problems_at("managedNodeGroups[0].desiredCapacity")
                .count(),
            1
        );
        let ws = edit(ws, Edit::DesiredCapacity(0, "".into()));
        assert!(ws.problems[0].message.starts_with("enter a number"));
        let ws = edit(ws, Edit::DesiredCapacity(0, "99999".into()));
        assert!(ws.problems[0].message.contains("at most 5,000"));
        let ws = edit(ws, Edit::DesiredCapacity(0, "4".into()));
        assert!(ws.is_current() && ws.raw.is_empty());
        assert_eq!(count(&ws, Kind::Node), 4);
    }

    #[test]
    fn an_unchanged_cluster_keeps_its_scene() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let scene = ws.built.as_ref().unwrap().scene.clone();
        let same = edit(ws.clone(), Edit::DesiredCapacity(0, "3".into()));
        assert!(Rc::ptr_eq(&ws, &same));
        // An edit that changes the document but not the cluster keeps the scene's Rc.
        let renamed = edit(ws, Edit::InstanceType(0, " m5.large ".into()));
        assert!(Rc::ptr_eq(&renamed.built.as_ref().unwrap().scene, &scene));
    }

    #[test]
    fn unknown_instance_types_are_reported_with_suggestions() {
        let ws = Rc::new(Workspace::new(default_scenario()));
        let ws = edit(ws, Edit::InstanceType(0, "m5.huge".into()));
        let p: Vec<&Problem> = ws
            .problems_at("managedNodeGroups[0].instanceType")
            .collect();
        assert!(p[0].message.contains("did you mean"), "{}", p[0].message);
        let ws = edit(ws, Edit::InstanceType(0, "m5.4xlarge".into()));
        assert!(ws.is_current());
    }
}
