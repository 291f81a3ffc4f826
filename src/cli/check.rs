//! CLI: `atom check`, which parses and checks a policy set and reports every finding.

use std::path::Path;
use std::process::ExitCode;

use super::{report, tool_error, CheckArgs};
use crate::check::check_sources;
use crate::diag::{self, Summary};
use crate::project::{load_sources, resolve_inputs};

pub fn run(args: CheckArgs) -> miette::Result<ExitCode> {
    let inputs = resolve_inputs(&args.paths, Path::new(".")).map_err(tool_error::project)?;
    let loaded = load_sources(&inputs).map_err(tool_error::project)?;
    let mut diagnostics = loaded.diagnostics;
    diagnostics.extend(check_sources(&loaded.sources).diagnostics);
    diag::sort(&mut diagnostics);
    report::print(&args.output, &loaded.sources, &diagnostics)?;
    Ok(if Summary::of(&diagnostics).errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
