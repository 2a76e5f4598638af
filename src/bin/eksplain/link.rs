//! `eksplain link`: a scenario file to a share link's fragment, and `--decode` back.
//!
//! Exit status: 0 success; 1 the scenario is invalid or the link is damaged, too large or
//! invalid; 2 usage or input error (unreadable file).

use std::io::Read;
use std::process::ExitCode;

use clap::Args;
use eksplain::scenario;

use crate::cli::{read_scenario, Failure};

/// `link FILE` or `link --decode LINK`.
#[derive(Debug, Clone, Default, Args)]
#[command(override_usage = "eksplain link <FILE>\n       eksplain link --decode <LINK>")]
pub struct LinkArgs {
    /// Scenario file (JSON) to turn into a link; `-` reads standard input. The scenario must
    /// parse; a scenario the model finds problems in still gets a link (`check` lists them).
    #[arg(required_unless_present = "decode", conflicts_with = "decode")]
    pub file: Option<String>,
    /// Decode a link instead: a whole URL or its fragment (`#s=1.…`); `-` reads standard
    /// input. Prints the scenario as JSON.
    #[arg(long, value_name = "LINK")]
    pub decode: Option<String>,
}

/// Runs the subcommand: standard output on success, else the exit status and a message.
pub fn run(args: &LinkArgs) -> Result<String, (u8, String)> {
    if let Some(link) = &args.decode {
        let text = if link == "-" {
            read_stdin_link()?
        } else {
            link.clone()
        };
        let scenario = scenario::decode_link(&text).map_err(|e| (1, e.to_string()))?;
        return Ok(format!("{}\n", scenario::to_json(&scenario)));
    }
    let file = args.file.as_deref().unwrap_or("-");
    let scenario = read_scenario(file).map_err(|failure| match failure {
        Failure::Usage(message) => (2, message),
        Failure::Invalid(problems) => (
            1,
            format!(
                "{file} is not a valid scenario:\n{}",
                crate::out::problems(&problems)
            ),
        ),
    })?;
    Ok(format!("{}\n", scenario::encode_link(&scenario)))
}

/// A link from standard input, read up to a little more than the longest one decoded.
fn read_stdin_link() -> Result<String, (u8, String)> {
    let limit = scenario::MAX_LINK_PAYLOAD_CHARS as u64 * 2 + 64 * 1024;
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|e| (2, format!("cannot read standard input: {e}")))?;
    // A link is ASCII; anything else is the link's problem, reported by the decoder.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

pub fn main(args: &LinkArgs) -> ExitCode {
    match run(args) {
        // `--decode` prints the scenario's JSON; a link is ASCII either way.
        Ok(out) => {
            crate::out::json(&out);
            ExitCode::SUCCESS
        }
        Err((code, message)) => {
            crate::out::error(&message);
            ExitCode::from(code)
        }
    }
}
