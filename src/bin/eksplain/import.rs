//! `eksplain import FILE… [-o scenario.json] [--region R]`: eksctl ClusterConfigs, Kubernetes
//! manifests and AWS CLI JSON merged into one scenario (`eksplain::import`).
//!
//! The notes — defaults applied, what was left out, what could not be resolved, placeholders
//! replaced — are printed grouped by kind, each with its field's path: to standard error when
//! the scenario goes to standard output, to standard output when it goes to `-o`.
//!
//! Exit status: 0 a valid scenario; 1 an input that cannot be read as YAML or JSON, or a merged
//! scenario that is invalid (its problems with paths); 2 usage errors (no such file, `-` twice).

use std::process::ExitCode;

use clap::Args;
use eksplain::import::{self, Input, Note, NoteKind, Options, MAX_INPUT_BYTES};
use eksplain::scenario::{self, Problem};

/// `import FILE… [-o OUT] [--region R]`.
#[derive(Debug, Clone, Default, Args)]
pub struct ImportArgs {
    /// eksctl ClusterConfig, Kubernetes manifests (YAML or JSON, `kubectl get -o yaml|json`),
    /// AWS CLI JSON (`aws ec2 describe-vpcs|subnets|route-tables|nat-gateways`, `aws eks
    /// describe-cluster|describe-nodegroup`); `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
    /// Write the scenario here instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<String>,
    /// The Region when no input names one, and what `${AWS_REGION}` stands for (default
    /// us-east-1 for the placeholder, eksctl's us-west-2 for a missing `metadata.region`).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
}

/// An input refused before the import reads it.
fn refused(problem: Problem) -> Failure {
    Failure::Invalid(vec![problem].into())
}

/// What went wrong, by exit status.
enum Failure {
    Invalid(import::Refused),
    Usage(String),
}

/// Reads one file (or standard input) as an import input; a file past the limit is refused
/// before it is read.
fn read_input(file: &str) -> Result<Input, Failure> {
    let limit = MAX_INPUT_BYTES as u64;
    let bytes = if file == "-" {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(std::io::stdin(), limit + 1),
            &mut bytes,
        )
        .map_err(|e| Failure::Usage(format!("cannot read standard input: {e}")))?;
        bytes
    } else {
        let meta = std::fs::metadata(file)
            .map_err(|e| Failure::Usage(format!("cannot read {file}: {e}")))?;
        if meta.len() > limit {
            return Err(refused(Problem::new(
                file,
                format!(
                    "{} bytes; eksplain imports at most {MAX_INPUT_BYTES} bytes (10 MiB) an input",
                    meta.len()
                ),
            )));
        }
        std::fs::read(file).map_err(|e| Failure::Usage(format!("cannot read {file}: {e}")))?
    };
    if bytes.len() as u64 > limit {
        return Err(refused(Problem::new(
            file,
            format!("more than {MAX_INPUT_BYTES} bytes; eksplain imports at most 10 MiB an input"),
        )));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        refused(Problem::new(
            file,
            "not UTF-8 text, so neither YAML nor JSON",
        ))
    })?;
    Ok(Input {
        name: file.to_string(),
        text,
    })
}

/// The notes grouped by kind, one `path: message` a line.
pub fn format_notes(notes: &[Note]) -> String {
    let mut out = String::new();
    for (kind, title) in [
        (NoteKind::Default, "Defaults applied"),
        (NoteKind::Ignored, "Ignored"),
        (NoteKind::Unresolved, "Unresolved"),
        (NoteKind::Placeholder, "Placeholders"),
    ] {
        let of_kind: Vec<&Note> = notes.iter().filter(|n| n.kind == kind).collect();
        if of_kind.is_empty() {
            continue;
        }
        out.push_str(&format!("{title} ({}):\n", of_kind.len()));
        for n in of_kind {
            out.push_str(&format!("  {}: {}\n", n.path, n.message));
        }
    }
    out
}

fn run(args: &ImportArgs) -> Result<(String, Vec<Note>), Failure> {
    if args.files.iter().filter(|f| *f == "-").count() > 1 {
        return Err(Failure::Usage(
            "`-` (standard input) may be given once".into(),
        ));
    }
    let inputs = args
        .files
        .iter()
        .map(|f| read_input(f))
        .collect::<Result<Vec<_>, _>>()?;
    let options = Options {
        region: args.region.clone(),
    };
    let imported = import::import(&inputs, &options).map_err(Failure::Invalid)?;
    Ok((
        format!("{}\n", scenario::to_json(&imported.scenario)),
        imported.notes,
    ))
}

pub fn main(args: &ImportArgs) -> ExitCode {
    match run(args) {
        Ok((json, notes)) => match &args.output {
            Some(path) => {
                if let Err(e) = std::fs::write(path, &json) {
                    crate::out::error(&format!("cannot write {path}: {e}"));
                    return ExitCode::from(2);
                }
                crate::out::text(&format_notes(&notes));
                crate::out::text(&format!("wrote {path}\n"));
                ExitCode::SUCCESS
            }
            None => {
                crate::out::error_lines(&format_notes(&notes));
                crate::out::json(&json);
                ExitCode::SUCCESS
            }
        },
        Err(Failure::Invalid(refused)) => {
            // The notes first: a default or an unresolved id often explains a problem.
            crate::out::error_lines(&format!(
                "{}the imported scenario is not valid:\n{}\n",
                format_notes(&refused.notes),
                crate::out::problems(&refused.problems)
            ));
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            crate::out::error(&message);
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_are_grouped_by_kind_in_a_fixed_order() {
        let note = |kind, path: &str| Note {
            kind,
            path: path.into(),
            message: "m".into(),
        };
        let text = format_notes(&[
            note(NoteKind::Placeholder, "metadata.name"),
            note(NoteKind::Default, "vpc.cidr"),
            note(NoteKind::Default, "vpc.nat.gateway"),
        ]);
        assert_eq!(
            text,
            "Defaults applied (2):\n  vpc.cidr: m\n  vpc.nat.gateway: m\nPlaceholders (1):\n  metadata.name: m\n"
        );
    }
}
