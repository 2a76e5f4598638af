//! The panels beside the diagram: the inspector and the node actions under it, the
//! findings, the flow panel, the problem list, search and the documentation links.

pub(crate) mod change_note;
pub(crate) mod docs;
pub(crate) mod findings_panel;
pub(crate) mod flow_panel;
pub(crate) mod inspector;
pub(crate) mod node_actions;
pub(crate) mod problem_list;
pub(crate) mod search;
