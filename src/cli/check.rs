//! CLI: `atom check`, which parses and checks a policy set and reports every finding.

use std::io::Write;
use std::process::ExitCode;

use super::set::SetArgs;
use super::{report, tool_error, OutputArgs};
use crate::diag::{FileId, Summary};
use crate::lint::fix::{fixed_text, lint_fixes};
use crate::workspace::Workspace;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub set: SetArgs,
    /// Apply the safe fixes of lint findings (they change no decision),
    /// then report what remains.
    #[arg(long)]
    pub fix: bool,
    /// With `--fix`: print the changes as a unified diff and write nothing.
    #[arg(long, requires = "fix")]
    pub diff: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

pub fn run(args: CheckArgs) -> miette::Result<ExitCode> {
    let progress = super::progress::Progress::start("loading the policy set");
    let (_, mut workspace) = args.set.workspace()?;
    progress.stage(&format!(
        "checking {} files",
        workspace.sources().files().count()
    ));
    workspace.analysis();
    drop(progress);
    if args.fix {
        let changed = fixes(&workspace);
        if args.diff {
            return show_diff(&workspace, &changed);
        }
        write_fixes(&mut workspace, changed)?;
    }
    let diagnostics = &workspace.analysis().diagnostics;
    report::print(&args.output, workspace.sources(), diagnostics)?;
    Ok(if Summary::of(diagnostics).errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The files the lint fixes change: id, new text, fixes applied.
fn fixes(workspace: &Workspace) -> Vec<(FileId, String, usize)> {
    let diagnostics = &workspace.analysis().diagnostics;
    lint_fixes(diagnostics)
        .into_iter()
        .filter_map(|(file, fixes)| {
            let text = workspace.sources().text(file);
            let (fixed, applied) = fixed_text(file, text, &fixes);
            (fixed != text).then_some((file, fixed, applied))
        })
        .collect()
}

/// Writes the fixed files, says how many fixes went where, and reloads them.
fn write_fixes(
    workspace: &mut Workspace,
    changed: Vec<(FileId, String, usize)>,
) -> miette::Result<()> {
    for (file, text, applied) in changed {
        let name = workspace.sources().name(file).to_string();
        std::fs::write(&name, &text)
            .map_err(|e| miette::miette!(code = "atom::io", "could not write `{name}`: {e}"))?;
        eprintln!(
            "fixed {applied} finding{} in `{name}`",
            if applied == 1 { "" } else { "s" }
        );
        workspace.set_file(&name, text);
    }
    Ok(())
}

/// `--fix --diff`: the changes as a unified diff; exit 1 when there are some.
fn show_diff(
    workspace: &Workspace,
    changed: &[(FileId, String, usize)],
) -> miette::Result<ExitCode> {
    let mut stdout = std::io::stdout().lock();
    for (file, text, _) in changed {
        let name = workspace.sources().name(*file);
        let diff = super::fmt::unified_diff(name, workspace.sources().text(*file), text);
        stdout
            .write_all(diff.as_bytes())
            .map_err(tool_error::output)?;
    }
    Ok(ExitCode::from(u8::from(!changed.is_empty())))
}
