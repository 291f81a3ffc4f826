//! CLI: `atom check`, which parses and checks a policy set and reports every finding.

use std::path::Path;
use std::process::ExitCode;

use super::{report, tool_error, CheckArgs};
use crate::diag::Summary;
use crate::lint::{Level, LintConfig};
use crate::project::find_manifest;
use crate::project::{load_sources, resolve_inputs};
use crate::workspace::Workspace;

pub fn run(args: CheckArgs) -> miette::Result<ExitCode> {
    let inputs = resolve_inputs(&args.paths, Path::new(".")).map_err(tool_error::project)?;
    let loaded = load_sources(&inputs).map_err(tool_error::project)?;
    let workspace = Workspace::from_loaded(loaded, lint_config(&args)?);
    let diagnostics = &workspace.analysis().diagnostics;
    report::print(&args.output, workspace.sources(), diagnostics)?;
    Ok(if Summary::of(diagnostics).errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Lint levels: the nearest `atom.toml`'s `[lint]`, then `--allow` and `--deny`.
fn lint_config(args: &CheckArgs) -> miette::Result<LintConfig> {
    let mut config = match find_manifest(Path::new(".")).map_err(tool_error::project)? {
        Some((_, manifest)) => manifest.lint_config(),
        None => LintConfig::default(),
    };
    for (names, level) in [(&args.allow, Level::Allow), (&args.deny, Level::Deny)] {
        for name in names {
            if name == "warnings" && level == Level::Deny {
                config.deny_warnings = true;
            } else if LintConfig::known_key(name) {
                config.set(name, level);
            } else {
                return Err(miette::miette!(
                    code = "atom::usage",
                    help = "`atom rule --list` lists the lints; the categories are correctness, security, suspicious and style",
                    "`{name}` is not a lint or a lint category"
                ));
            }
        }
    }
    Ok(config)
}
