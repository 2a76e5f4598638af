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

mod aws_cli;
mod classify;
mod eksctl;
pub mod manifests;
mod placeholder;
pub mod read;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::scenario::{Path, Problem, Scenario};

pub use classify::{classify, Class};
pub use placeholder::DEFAULT_REGION;
pub use read::MAX_INPUT_BYTES;

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

/// The scenario the inputs make, and the notes on how (serialisable, for the page's import
/// module to post to the page).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imported {
    pub scenario: Scenario,
    pub notes: Vec<Note>,
}

/// Why an import gave no scenario: the problems, and the notes gathered before they stopped it
/// (a default or an unresolved id often explains a problem).
#[derive(Debug, Clone, PartialEq)]
pub struct Refused {
    pub problems: Vec<Problem>,
    pub notes: Vec<Note>,
}

impl From<Vec<Problem>> for Refused {
    fn from(problems: Vec<Problem>) -> Refused {
        Refused {
            problems,
            notes: Vec::new(),
        }
    }
}

/// The scenario as the documents applied so far make it.
#[derive(Debug, Clone)]
pub struct Draft {
    pub scenario: Scenario,
    pub notes: Vec<Note>,
    /// Conflicts between inputs (two CIDRs for one subnet), each naming both paths.
    pub problems: Vec<Problem>,
    /// Subnet id (`subnet-0f39…`) → the scenario's name for that subnet, for every subnet the
    /// AWS CLI output or the ClusterConfig gave with its id: ENIConfigs and node groups name
    /// subnets by id.
    pub subnet_ids: BTreeMap<String, String>,
}

impl Draft {
    /// A draft of `scenario`, without notes or problems yet.
    pub fn new(scenario: Scenario) -> Draft {
        Draft {
            scenario,
            notes: Vec::new(),
            problems: Vec::new(),
            subnet_ids: BTreeMap::new(),
        }
    }

    /// Adds a note.
    pub fn note(&mut self, kind: NoteKind, path: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Note {
            kind,
            path: path.into(),
            message: message.into(),
        });
    }
}

/// What an import starts from: version 1, no VPC CIDR yet, nothing in the cluster.
pub fn empty_scenario() -> Scenario {
    Scenario {
        version: crate::scenario::CURRENT_VERSION,
        name: String::new(),
        description: String::new(),
        vpc: crate::scenario::Vpc {
            cidr: String::new(),
            secondary_cidrs: Vec::new(),
            subnets: Vec::new(),
            nat_gateways: Default::default(),
        },
        cluster: Default::default(),
        managed_node_groups: Vec::new(),
        workloads: Vec::new(),
        services: Vec::new(),
        ingresses: Vec::new(),
        flows: Vec::new(),
        security_groups: Vec::new(),
        node_states: Default::default(),
    }
}

/// Imports `inputs` into one scenario.
///
/// `Err` holds the problems: an input that cannot be read (not YAML or JSON, over the budget,
/// past [`MAX_INPUT_BYTES`]), inputs that contradict each other, or a merged scenario the model
/// refuses (each problem at the scenario field's path); and the notes made until then.
pub fn import(inputs: &[Input], options: &Options) -> Result<Imported, Refused> {
    let mut problems = Vec::new();
    let mut documents = Vec::new();
    for input in inputs {
        match read::documents(input) {
            Ok(docs) => documents.extend(docs),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(problems.into());
    }
    if documents.is_empty() {
        return Err(vec![Problem::new(
            Path::root(),
            "nothing to import: give an eksctl ClusterConfig, Kubernetes manifests or AWS CLI JSON",
        )]
        .into());
    }
    let classified: Vec<(Class, &read::Document)> =
        documents.iter().map(|d| (classify(&d.value), d)).collect();
    let of = |class: Class| {
        classified
            .iter()
            .filter(move |(c, _)| *c == class)
            .map(|(_, d)| *d)
    };
    let mut draft = Draft::new(empty_scenario());

    // AWS CLI output first: it resolves the ids the others name.
    let mut index = aws_cli::Index::default();
    for doc in of(Class::AwsCli) {
        index.read(&doc.value, &doc.source, &mut draft);
    }
    aws_cli::apply(&index, &mut draft);

    let configs: Vec<&read::Document> = of(Class::Eksctl).collect();
    if configs.len() > 1 {
        let sources: Vec<&str> = configs.iter().map(|d| d.source.as_str()).collect();
        draft.problems.push(Problem::new(
            Path::root(),
            format!(
                "{} eksctl ClusterConfigs ({}); import one cluster at a time",
                configs.len(),
                sources.join(", ")
            ),
        ));
    }
    match configs.first() {
        Some(doc) => eksctl::apply(&doc.value, &doc.source, &index, options, &mut draft),
        // Nothing describes the cluster: what `eksctl create cluster` makes with no flags.
        None if index.is_empty() => eksctl::apply_bare(options, &mut draft),
        None => {}
    }

    // Services before the workloads they select, then what refers to workloads
    // (SecurityGroupPolicies, ENIConfigs), then Ingresses: whatever the order of the files. The
    // sort is stable, so objects of one rank keep their file order.
    let mut objects: Vec<&read::Document> = of(Class::Kubernetes).collect();
    objects.sort_by_key(|d| manifests::rank(&d.value));
    for doc in objects {
        manifests::apply(&doc.value, &doc.source, &mut draft);
    }
    let known = classified.iter().any(|(c, _)| *c != Class::Unknown);
    if !known {
        return Err(vec![Problem::new(
            Path::root(),
            "no document is an eksctl ClusterConfig, a Kubernetes object (apiVersion and kind) \
             or AWS CLI output (Vpcs, Subnets, RouteTables, NatGateways, cluster, nodegroup)",
        )]
        .into());
    }
    for doc in of(Class::Unknown) {
        draft.note(
            NoteKind::Ignored,
            doc.source.clone(),
            "not an eksctl ClusterConfig, a Kubernetes object or AWS CLI output eksplain reads",
        );
    }
    let region = index
        .region()
        .or_else(|| options.region.clone())
        .unwrap_or_else(|| DEFAULT_REGION.to_string());
    finish(&mut draft, &region);
    // Conflicts between inputs first. Then what the import writes, any reader must read back:
    // the scenario reader's own limits (text lengths, counts), then the model.
    let problems = if draft.problems.is_empty() {
        crate::scenario::from_json(&crate::scenario::to_json(&draft.scenario))
            .err()
            .or_else(|| crate::model::build(&draft.scenario).err())
            .unwrap_or_default()
    } else {
        std::mem::take(&mut draft.problems)
    };
    if !problems.is_empty() {
        return Err(Refused {
            problems,
            notes: draft.notes,
        });
    }
    Ok(Imported {
        scenario: draft.scenario,
        notes: draft.notes,
    })
}

/// Fills what no input gave and the scenario needs.
fn finish(draft: &mut Draft, region: &str) {
    if draft.scenario.vpc.cidr.is_empty() {
        draft.scenario.vpc.cidr = eksctl::DEFAULT_CIDR.into();
        draft.note(
            NoteKind::Default,
            "vpc.cidr",
            format!(
                "no input gives the VPC's CIDR → eksctl's default {} stands in",
                eksctl::DEFAULT_CIDR
            ),
        );
    }
    if draft.scenario.vpc.subnets.is_empty() {
        eksctl::stand_in_subnets(region, draft);
    }
    let vpc = &mut draft.scenario.vpc;
    if vpc.nat_gateways != crate::scenario::NatGatewayMode::Disable
        && !vpc.subnets.iter().any(|s| s.public)
    {
        vpc.nat_gateways = crate::scenario::NatGatewayMode::Disable;
        draft.note(
            NoteKind::Default,
            "vpc.natGateways",
            "no subnet is public, so no NAT gateway (a NAT gateway sits in a public subnet)",
        );
    }
    if draft.scenario.name.is_empty() {
        draft.scenario.name = format!("Imported: {}", draft.scenario.cluster.name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, text: &str) -> Input {
        Input {
            name: name.into(),
            text: text.into(),
        }
    }

    const CONFIG: &str = "apiVersion: eksctl.io/v1alpha5\nkind: ClusterConfig\n\
        metadata: {name: c, region: eu-west-1}\n\
        vpc: {id: vpc-1, subnets: {private: {eu-west-1a: {id: subnet-a}, eu-west-1b: {id: subnet-b}}}}\n\
        managedNodeGroups: [{name: ng, privateNetworking: true}]\n";

    const AWS: &str = r#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.1.0.0/16"}],
        "Subnets": [
          {"SubnetId": "subnet-a", "VpcId": "vpc-1", "AvailabilityZone": "eu-west-1a", "CidrBlock": "10.1.0.0/20"},
          {"SubnetId": "subnet-b", "VpcId": "vpc-1", "AvailabilityZone": "eu-west-1b", "CidrBlock": "10.1.16.0/20"}]}"#;

    #[test]
    fn aws_output_resolves_the_config_whatever_the_order_of_the_files() {
        let a = import(
            &[input("c.yaml", CONFIG), input("aws.json", AWS)],
            &Options::default(),
        )
        .unwrap();
        let b = import(
            &[input("aws.json", AWS), input("c.yaml", CONFIG)],
            &Options::default(),
        )
        .unwrap();
        assert_eq!(a.scenario, b.scenario);
        assert_eq!(a.scenario.vpc.cidr, "10.1.0.0/16");
        assert_eq!(
            a.scenario.managed_node_groups[0].subnets,
            vec!["subnet-a".to_string(), "subnet-b".to_string()]
        );
        assert_eq!(a.scenario.name, "Imported: c");
        // No public subnet: no NAT gateway, and a note says why.
        assert_eq!(
            a.scenario.vpc.nat_gateways,
            crate::scenario::NatGatewayMode::Disable
        );
        assert!(a.notes.iter().any(|n| n.path == "vpc.natGateways"));
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["notes"][0]["kind"], serde_json::json!(a.notes[0].kind));
    }

    #[test]
    fn two_cluster_configs_are_a_problem() {
        let problems = import(
            &[input("a.yaml", CONFIG), input("b.yaml", CONFIG)],
            &Options::default(),
        )
        .unwrap_err()
        .problems;
        assert!(
            problems[0].message.contains("a.yaml#1, b.yaml#1"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_document_eksplain_does_not_read_is_a_note_beside_one_it_does() {
        let imported = import(
            &[
                input("x.yaml", "hello: world\n---\n"),
                input("c.yaml", CONFIG),
                input("aws.json", AWS),
            ],
            &Options::default(),
        )
        .unwrap();
        assert!(imported
            .notes
            .iter()
            .any(|n| n.kind == NoteKind::Ignored && n.path == "x.yaml#1"));
        let problems = import(&[input("x.yaml", "hello: world\n")], &Options::default())
            .unwrap_err()
            .problems;
        assert!(
            problems[0].message.starts_with("no document is"),
            "{problems:?}"
        );
    }
}
