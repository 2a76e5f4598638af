//! `eksplain explain FILE ID [--json]`: the inspector's page for one id of the built cluster —
//! its facts with the formulas that produced them, the findings about it, the related ids and
//! the documentation — as text, or as JSON with `--json`.
//!
//! Exit status: 0 explained; 1 the scenario is invalid; 2 usage error or an id nothing in the
//! cluster has (the message names ids of the same kind that exist, or the kinds there are).

use std::process::ExitCode;

use clap::Args;
use eksplain::explain;

use crate::cli::read_and_build;

/// `explain FILE ID [--json]`.
#[derive(Debug, Clone, Default, Args)]
pub struct ExplainArgs {
    /// Scenario file (JSON or YAML); `-` reads standard input.
    pub file: String,
    /// What to explain, as the diagram's `data-id` names it: `node:ng-1-1`, `eni:ng-1-1/eth0`,
    /// `ip:ng-1-1/eth0/3`, `pod:default/web-1`, `subnet:private-a`, `lb:web`,
    /// `lb:web/us-east-1a`, `service:default/web`, `control-plane`, …
    pub id: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Runs the subcommand: standard output on success, else the exit status and a message.
pub fn run(args: &ExplainArgs) -> Result<String, (u8, String)> {
    let (_, cluster) = read_and_build(&args.file)?;
    let page = explain::explain_text(&cluster, &args.id).map_err(|e| (2, e.to_string()))?;
    if args.json {
        let text = serde_json::to_string_pretty(&page)
            .map_err(|e| (2, format!("cannot print JSON: {e}")))?;
        Ok(format!("{text}\n"))
    } else {
        Ok(page.to_text())
    }
}

pub fn main(args: &ExplainArgs) -> ExitCode {
    match run(args) {
        Ok(out) if args.json => {
            crate::out::json(&out);
            ExitCode::SUCCESS
        }
        Ok(out) => {
            crate::out::text(&out);
            ExitCode::SUCCESS
        }
        Err((code, message)) => {
            crate::out::error(&message);
            ExitCode::from(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(id: &str, json: bool) -> ExplainArgs {
        ExplainArgs {
            file: format!(
                "{}/static/scenarios/default.json",
                env!("CARGO_MANIFEST_DIR")
            ),
            id: id.into(),
            json,
        }
    }

    #[test]
    fn text_and_json_carry_the_same_page() {
        let text = run(&args("node:ng-1-1", false)).unwrap();
        assert!(text.starts_with("Node: ng-1-1\n"), "{text}");
        let json: serde_json::Value =
            serde_json::from_str(&run(&args("node:ng-1-1", true)).unwrap()).unwrap();
        assert_eq!(json["id"], "node:ng-1-1");
        assert_eq!(json["title"], "ng-1-1");
    }

    #[test]
    fn an_unknown_id_is_a_usage_error_naming_ids_that_exist() {
        let (code, message) = run(&args("node:nope", false)).unwrap_err();
        assert_eq!(code, 2);
        assert!(message.contains("node:nope"), "{message}");
        assert!(message.contains("node:ng-1-1"), "{message}");
    }
}
