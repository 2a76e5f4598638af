//! `eksplain max-pods`: the EKS AMI's `max-pods-calculator.sh`, offline.
//!
//! Same flags as the script (`--instance-type`, `--cni-version`, `--cni-custom-networking-enabled`,
//! `--cni-prefix-delegation-enabled`, `--cni-max-eni`, `--show-max-allowed`), the same output (the
//! number alone), plus `--all` for every known type. As in the script, `--cni-version` is
//! required: it decides whether prefix delegation applies (1.9 or newer).
//!
//! Exit status: 0 success; 1 unknown instance type, or no answer for it (vCPUs unknown);
//! 2 usage or input error.

use std::process::ExitCode;

use clap::{ArgGroup, Args};
use eksplain::model::aws::instance_types::InstanceTypes;
use eksplain::model::aws::max_pods::{max_pods, CniVersion, MaxPodsError, MaxPodsInput};

/// The calculator's flags.
#[derive(Debug, Clone, Default, Args)]
#[command(group(ArgGroup::new("types").required(true).args(["instance_type", "all"])))]
pub struct MaxPodsArgs {
    /// The EC2 instance type, e.g. m5.large.
    #[arg(long, value_name = "TYPE")]
    pub instance_type: Option<String>,
    /// The VPC CNI version, e.g. 1.18.0 or v1.18.3-eksbuild.1 (required, as in the script;
    /// prefix delegation needs 1.9 or newer).
    #[arg(long, value_name = "VERSION")]
    pub cni_version: String,
    /// CNI custom networking is on: the primary ENI carries no pods.
    #[arg(long)]
    pub cni_custom_networking_enabled: bool,
    /// CNI prefix delegation is on (used only on Nitro types with CNI 1.9 or newer).
    #[arg(long)]
    pub cni_prefix_delegation_enabled: bool,
    /// Use at most N ENIs for pods (default: all of the type's ENIs).
    #[arg(long, value_name = "N")]
    pub cni_max_eni: Option<u32>,
    /// Print the most pods the addresses allow, without the 110/250 ceiling.
    #[arg(long)]
    pub show_max_allowed: bool,
    /// Print `type<TAB>max pods` for every known type, sorted by name (types whose answer
    /// needs an unknown vCPU count are left out).
    #[arg(long)]
    pub all: bool,
}

/// Runs the subcommand: standard output on success, else the exit status and a message.
pub fn run(args: &MaxPodsArgs) -> Result<String, (u8, String)> {
    let usage = |message: String| (2u8, message);
    let cni_version = CniVersion::parse(&args.cni_version).map_err(|e| usage(e.to_string()))?;
    let input = MaxPodsInput {
        cni_version,
        custom_networking: args.cni_custom_networking_enabled,
        prefix_delegation: args.cni_prefix_delegation_enabled,
        max_eni: args.cni_max_eni,
        show_max_allowed: args.show_max_allowed,
    };
    let table = InstanceTypes::get();
    match (&args.instance_type, args.all) {
        (Some(_), true) => Err(usage(
            "pass either --instance-type TYPE or --all, not both".into(),
        )),
        (None, false) => Err(usage("pass --instance-type TYPE or --all".into())),
        (None, true) => {
            let mut out = String::new();
            for t in table.all() {
                match max_pods(t, &input) {
                    Ok(m) => out.push_str(&format!("{}\t{}\n", t.name, m.value)),
                    Err(MaxPodsError::UnknownVcpus { .. }) => {}
                    Err(e) => return Err(usage(e.to_string())),
                }
            }
            Ok(out)
        }
        (Some(name), false) => {
            let Some(t) = table.lookup(name.trim()) else {
                let suggestions = table.suggestions(name.trim(), 5);
                let mut message = format!("unknown instance type `{name}`");
                if !suggestions.is_empty() {
                    message.push_str(&format!("; did you mean {}?", suggestions.join(", ")));
                }
                return Err((1, message));
            };
            match max_pods(t, &input) {
                Ok(m) => Ok(format!("{}\n", m.value)),
                Err(e @ MaxPodsError::UnknownVcpus { .. }) => Err((1, e.to_string())),
                Err(e) => Err(usage(e.to_string())),
            }
        }
    }
}

/// Runs the subcommand and prints its output or error.
pub fn main(args: &MaxPodsArgs) -> ExitCode {
    match run(args) {
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
