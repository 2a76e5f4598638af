//! Argument parsing and the subcommands.

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use eksplain::model;
use eksplain::scenario::{self, Problem, Scenario};

/// Explains an Amazon EKS cluster's network: subnets, ENIs, pod addresses, traffic.
#[derive(Parser)]
#[command(name = "eksplain", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a scenario; print every problem with the path to its field.
    Check {
        /// Scenario file (JSON); `-` reads standard input.
        file: String,
    },
    /// Print the default scenario as JSON, a starting point for your own.
    Example {
        /// Instead, a benchmark cluster of this many nodes (1 to 5,000; 30 pods a node, prefix
        /// delegation and custom networking), as `cargo xtask bench` uses.
        #[arg(long)]
        nodes: Option<u32>,
    },
    /// Print the cluster a scenario builds: nodes, ENIs, addresses, subnet usage.
    Describe {
        /// Scenario file (JSON); `-` reads standard input.
        file: String,
        /// Print JSON (the default and, for now, the only format).
        #[arg(long)]
        json: bool,
    },
    /// Compute the kubelet's max pods as the EKS AMI's max-pods-calculator.sh does.
    MaxPods(crate::max_pods::MaxPodsArgs),
    /// Print a scenario's share link (the `#s=1.…` fragment), or decode one with `--decode`.
    Link(crate::link::LinkArgs),
    /// Trace a flow hop by hop: address rewrites, security groups, the verdict, load shares.
    Trace(crate::trace::TraceArgs),
    /// Draw a scenario's diagram as a standalone SVG (styles and the scenario inside) or PNG,
    /// with embed.html's options: the view, a flow traced over it, the theme.
    Render(crate::render::RenderArgs),
    /// Explain one thing of the cluster by its id, as the inspector does: facts and formulas.
    Explain(crate::explain::ExplainArgs),
    /// Merge an eksctl ClusterConfig, Kubernetes manifests and AWS CLI JSON into one scenario,
    /// printing every default applied, field ignored, id unresolved and placeholder replaced.
    Import(crate::import::ImportArgs),
}

/// Outcome of a subcommand, mapped to the exit status.
pub(crate) enum Failure {
    /// The scenario has problems (exit 1).
    Invalid(Vec<Problem>),
    /// The command could not run: unreadable input and the like (exit 2).
    Usage(String),
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_failure(e),
    };
    let result = match cli.command {
        Command::Check { file } => check(&file),
        Command::Describe { file, json: _ } => describe(&file),
        Command::Example { nodes } => {
            let s = match nodes {
                Some(n) => scenario::scale_scenario(n),
                None => scenario::default_scenario(),
            };
            crate::out::json(&format!("{}\n", scenario::to_json(&s)));
            Ok(())
        }
        Command::MaxPods(args) => return crate::max_pods::main(&args),
        Command::Link(args) => return crate::link::main(&args),
        Command::Trace(args) => return crate::trace::main(&args),
        Command::Render(args) => return crate::render::main(&args),
        Command::Explain(args) => return crate::explain::main(&args),
        Command::Import(args) => return crate::import::main(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Invalid(problems)) => {
            crate::out::error_lines(&format!("{}\n", crate::out::problems(&problems)));
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            crate::out::error(&message);
            ExitCode::from(2)
        }
    }
}

/// Clap's usage errors, `--help` and `--version`. Clap echoes the arguments it did not
/// understand; when one holds a character a terminal would act on, the message is printed
/// through the output boundary (without colour) instead of by clap.
fn clap_failure(e: clap::Error) -> ExitCode {
    let plain = e.render().to_string();
    if plain
        .chars()
        .all(|c| !scenario::safe_text::is_unsafe(c) || c == '\n' || c == '\t')
    {
        e.exit()
    }
    if e.use_stderr() {
        crate::out::error_lines(&plain);
    } else {
        crate::out::text(&plain);
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

/// A subcommand's failure for a scenario with these problems: exit 1 and the problems.
pub(crate) fn invalid_scenario(file: &str, problems: &[Problem]) -> (u8, String) {
    (
        1,
        format!(
            "{file} is not a valid scenario:\n{}",
            crate::out::problems(problems)
        ),
    )
}

/// The scenario in `file` and the cluster it builds, or the exit status and message of a
/// subcommand that needs both (`trace`, `explain`).
pub(crate) fn read_and_build(file: &str) -> Result<(Scenario, model::Cluster), (u8, String)> {
    let scenario = read_scenario(file).map_err(|f| match f {
        Failure::Usage(m) => (2, m),
        Failure::Invalid(p) => invalid_scenario(file, &p),
    })?;
    let cluster = model::build(&scenario).map_err(|p| invalid_scenario(file, &p))?;
    Ok((scenario, cluster))
}

pub(crate) fn read_scenario(file: &str) -> Result<Scenario, Failure> {
    let text = if file == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(
            &mut std::io::Read::take(std::io::stdin(), scenario::MAX_DOCUMENT_BYTES as u64 + 1),
            &mut s,
        )
        .map_err(|e| Failure::Usage(format!("cannot read standard input: {e}")))?;
        s
    } else {
        let meta = std::fs::metadata(file)
            .map_err(|e| Failure::Usage(format!("cannot read {file}: {e}")))?;
        if meta.len() > scenario::MAX_DOCUMENT_BYTES as u64 {
            return Err(Failure::Invalid(vec![Problem::new(
                scenario::Path::root(),
                format!(
                    "{file} is {} bytes; eksplain reads at most {} bytes",
                    meta.len(),
                    scenario::MAX_DOCUMENT_BYTES
                ),
            )]));
        }
        let bytes =
            std::fs::read(file).map_err(|e| Failure::Usage(format!("cannot read {file}: {e}")))?;
        String::from_utf8(bytes).map_err(|_| Failure::Usage(format!("{file} is not UTF-8 text")))?
    };
    if file.ends_with(".yaml") || file.ends_with(".yml") {
        return scenario::from_yaml(&text).map_err(Failure::Invalid);
    }
    scenario::from_json(&text).map_err(Failure::Invalid)
}

fn build(file: &str) -> Result<model::Cluster, Failure> {
    let scenario = read_scenario(file)?;
    model::build(&scenario).map_err(Failure::Invalid)
}

fn check(file: &str) -> Result<(), Failure> {
    let cluster = build(file)?;
    let mut out = format!(
        "{file}: valid — {} subnets, {} nodes, {} findings\n",
        cluster.subnets.len(),
        cluster.nodes.len(),
        cluster.findings.len()
    );
    for f in &cluster.findings {
        out.push_str(&format!("{:?}: {}: {}\n", f.severity, f.subject, f.message));
    }
    crate::out::text(&out);
    Ok(())
}

fn describe(file: &str) -> Result<(), Failure> {
    let cluster = build(file)?;
    let json = serde_json::to_string_pretty(&model::describe::describe(&cluster))
        .map_err(|e| Failure::Usage(format!("cannot print JSON: {e}")))?;
    crate::out::json(&format!("{json}\n"));
    Ok(())
}
