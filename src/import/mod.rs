//! Import: the documents a platform team already has — an eksctl `ClusterConfig`, Kubernetes
//! manifests (`kubectl get … -o yaml|json` output included), `aws ec2 describe-*` and `aws eks
//! describe-*` JSON — turned into one [`Scenario`], with a [`Note`] for every default applied,
//! every document or field left out, every reference left unresolved and every `${PLACEHOLDER}`
//! replaced, each at the path of the field it concerns.
//!
//! A layer beside `src/scenario` (documents in, a `Scenario` out; no web crate), used by
//! `eksplain import` natively and, in the browser, by the import module the page loads only
//! when its Import dialog opens.
//!
//! How the inputs combine: every input is read (JSON or YAML, several documents per file, a
//! `kind: List`), each document is classified (`classify`), and documents are applied to one
//! [`Draft`] in a fixed order whatever the order of the files — AWS CLI output first (it
//! resolves the ids the others name), then the eksctl ClusterConfig, then the manifests.

mod manifests;

use serde::Serialize;

use crate::scenario::{Problem, Scenario};

/// One input: a file (or a paste) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// The file's name, or `-` / `paste` for text without one: notes name it.
    pub name: String,
    pub text: String,
}

/// What kind of thing a note says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NoteKind {
    /// A value the input left out, filled in as the tool that made it would (eksctl's).
    Default,
    /// A document or field eksplain does not model, left out.
    Ignored,
    /// A reference (a subnet id, a named port) no input resolves, and what would.
    Unresolved,
    /// A `${PLACEHOLDER}` met, and the stand-in used for it.
    Placeholder,
}

/// One thing the import did that the user should know, at the scenario field it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub kind: NoteKind,
    /// The scenario field (`vpc.cidr`, `managedNodeGroups[0].subnets[1]`), or the input and
    /// document it is about (`lbc-2048_full.yaml#3 ClusterRole ingress-nginx`).
    pub path: String,
    pub message: String,
}

/// Options of an import.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Options {
    /// The Region when no input names one (`--region`).
    pub region: Option<String>,
}

/// The scenario the inputs make, and the notes on how.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub scenario: Scenario,
    pub notes: Vec<Note>,
}

/// The scenario as the documents applied so far make it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub scenario: Scenario,
    pub notes: Vec<Note>,
    /// Conflicts between inputs (two CIDRs for one subnet), each naming both paths.
    pub problems: Vec<Problem>,
}
