//! CLI: `atom check`, which parses and checks a policy set and reports every finding.

use std::process::ExitCode;

use super::set::SetArgs;
use super::{report, OutputArgs};
use crate::diag::Summary;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub set: SetArgs,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: CheckArgs) -> miette::Result<ExitCode> {
    let (_, workspace) = args.set.workspace()?;
    let diagnostics = &workspace.analysis().diagnostics;
    report::print(&args.output, workspace.sources(), diagnostics)?;
    Ok(if Summary::of(diagnostics).errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
