//! CLI: `atom rule`, which prints a lint's documentation or lists every lint.

use std::io::Write;
use std::process::ExitCode;

use miette::miette;

use super::tool_error;
use crate::lint::{documentation, rule_named, RULES};

#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// The lint to explain, such as `shadowed-allow`.
    #[arg(required_unless_present = "list")]
    pub name: Option<String>,
    /// List every lint with its code, category and default level.
    #[arg(long)]
    pub list: bool,
}

pub fn run(args: RuleArgs) -> miette::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    if args.list {
        for r in RULES {
            writeln!(
                out,
                "{}  {:<28} {:<12} {:<6} {}",
                r.code,
                r.name,
                r.category.name(),
                r.default.name(),
                r.summary
            )
            .map_err(tool_error::output)?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let name = args.name.unwrap_or_default();
    let Some(rule) = rule_named(&name) else {
        let hint = crate::check::suggest_closest(&name, RULES.iter().map(|r| r.name))
            .map_or("`atom rule --list` lists the lints".to_string(), |s| {
                format!("did you mean `{s}`?")
            });
        return Err(miette!(
            code = "atom::usage",
            help = hint,
            "there is no lint named `{name}`"
        ));
    };
    writeln!(
        out,
        "{} ({}, {}, {} by default)\n\n{}",
        rule.name,
        rule.code,
        rule.category.name(),
        rule.default.name(),
        documentation(rule)
    )
    .map_err(tool_error::output)?;
    Ok(ExitCode::SUCCESS)
}
