//! `eksplain trace FILE --flow FROM->TO [--json]`: the path a flow's first packet takes, hop by
//! hop, whether it arrives, and how a load-balanced flow's connections split over pods.
//!
//! Without `--flow`, every flow in the scenario's `flows` is traced. With `--json`, one flow
//! prints one object, several print an array.
//!
//! Exit status: 0 traced (delivered or dropped: both are answers); 1 the scenario is invalid
//! (including its `securityGroups` or `flows`); 2 usage error or an unknown flow.

use std::process::ExitCode;

use clap::Args;
use eksplain::model::traffic;

use crate::cli::{invalid_scenario, read_and_build};

/// `trace FILE [--flow FROM->TO] [--json]`.
#[derive(Debug, Clone, Default, Args)]
pub struct TraceArgs {
    /// Scenario file (JSON); `-` reads standard input.
    pub file: String,
    /// The flow, e.g. `internet->service/web`, `pod/web->internet`, `node/ng-1-1->apiserver`,
    /// `kubectl->apiserver`, `pod/web->pod/db`. Default: every flow in the scenario.
    #[arg(long, value_name = "FROM->TO")]
    pub flow: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Runs the subcommand: standard output on success, else the exit status and a message.
pub fn run(args: &TraceArgs) -> Result<String, (u8, String)> {
    let (scenario, cluster) = read_and_build(&args.file)?;
    let problems = traffic::check(&cluster, &scenario);
    if !problems.is_empty() {
        return Err(invalid_scenario(&args.file, &problems));
    }
    let tracer = traffic::Tracer::new(&cluster, &scenario.security_groups);
    let flows: Vec<traffic::Flow> = match &args.flow {
        Some(text) => vec![text
            .parse()
            .map_err(|e: traffic::FlowError| (2, e.message))?],
        None => {
            if scenario.flows.is_empty() {
                return Err((
                    2,
                    format!(
                        "{} has no flows; pass --flow FROM->TO (e.g. internet->service/web)",
                        args.file
                    ),
                ));
            }
            scenario
                .flows
                .iter()
                .map(traffic::Flow::from_document)
                .collect::<Result<_, _>>()
                .map_err(|e| (2, e.message))?
        }
    };
    let traces = flows
        .iter()
        .map(|f| tracer.trace(f))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| (2, e.message))?;
    if args.json {
        let value = if args.flow.is_some() && traces.len() == 1 {
            traces[0].to_json()
        } else {
            serde_json::Value::Array(traces.iter().map(|t| t.to_json()).collect())
        };
        let text = serde_json::to_string_pretty(&value)
            .map_err(|e| (2, format!("cannot print JSON: {e}")))?;
        Ok(format!("{text}\n"))
    } else {
        Ok(traces
            .iter()
            .map(|t| t.to_text())
            .collect::<Vec<_>>()
            .join("\n"))
    }
}

pub fn main(args: &TraceArgs) -> ExitCode {
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
