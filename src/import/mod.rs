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

/// Reads every input as a scenario (JSON, or YAML when it does not start with `{`): the first is
/// the scenario, each later one is noted as ignored; an input that is not a valid scenario is a
/// problem naming it.
///
/// Stand-in for the real driver (the lead's, in its own branch) so that the page's import
/// module can be built end to end, YAML parser included: it applies no default and resolves
/// nothing.
pub fn import(inputs: &[Input], _options: &Options) -> Result<Imported, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut first = None;
    let mut notes = Vec::new();
    for input in inputs {
        let parsed = if input.text.trim_start().starts_with('{') {
            crate::scenario::from_json(&input.text)
        } else {
            crate::scenario::from_yaml(&input.text)
        };
        match parsed {
            Ok(scenario) if first.is_none() => first = Some(scenario),
            Ok(scenario) => notes.push(Note {
                kind: NoteKind::Ignored,
                path: input.name.clone(),
                message: format!(
                    "scenario {:?}: one scenario is imported, the first input's",
                    scenario.name
                ),
            }),
            Err(found) => problems.extend(found.into_iter().map(|p| Problem {
                path: p.path,
                message: format!("{}: {}", input.name, p.message),
            })),
        }
    }
    match first {
        Some(scenario) if problems.is_empty() => Ok(Imported { scenario, notes }),
        _ if inputs.is_empty() => Err(vec![Problem::new(
            crate::scenario::Path::root(),
            "nothing to import: add a file or paste text",
        )]),
        _ => Err(problems),
    }
}
