//! The findings the stages collect, with a way to say something once per key.

use crate::model::finding::Finding;

/// Findings, with a way to say something once per key (per node group, per AZ) rather than
/// once per node.
#[derive(Debug, Clone, Default)]
pub(super) struct Findings {
    list: Vec<Finding>,
    said: std::collections::HashSet<String>,
}

impl Findings {
    pub(super) fn push(&mut self, f: Finding) {
        self.list.push(f);
    }

    pub(super) fn once(&mut self, key: &str, f: Finding) {
        if self.said.insert(key.to_string()) {
            self.list.push(f);
        }
    }

    pub(super) fn into_vec(self) -> Vec<Finding> {
        self.list
    }
}
