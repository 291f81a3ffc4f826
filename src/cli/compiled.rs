//! CLI: checking and compiling a policy set in memory, shared by `build`, `query` and `test`.

use super::set::SetArgs;
use crate::check::model::Model;
use crate::compile::{compile, source_hash};
use crate::diag::{Diagnostic, Severity, SourceMap};
use crate::project::Selection;

/// A policy set that checked clean, with its table.
pub struct Compiled {
    pub sources: SourceMap,
    pub model: Model,
    pub bytes: Vec<u8>,
    pub selection: Selection,
}

/// A policy set that does not compile, and why.
pub struct Refused {
    pub sources: SourceMap,
    /// Its errors (lints set to `deny` included), in report order.
    pub errors: Vec<Diagnostic>,
}

/// Loads, checks and compiles the set. It is refused exactly when `atom
/// check` with the same manifest and flags reports an error: lints at
/// `deny` are errors here too.
pub fn compile_set(set: &SetArgs) -> miette::Result<Result<Compiled, Refused>> {
    let progress = super::progress::Progress::start("loading the policy set");
    let (selection, workspace) = set.workspace()?;
    let config = set.lint_config(&selection)?;
    Ok(
        compile_workspace(workspace, &config, &progress).map(|(sources, model, bytes)| Compiled {
            sources,
            model,
            bytes,
            selection,
        }),
    )
}

/// Checks and compiles a workspace with these lint levels (only the lints
/// at `deny` run: they are errors).
pub fn compile_workspace(
    mut workspace: crate::workspace::Workspace,
    config: &crate::lint::LintConfig,
    progress: &super::progress::Progress,
) -> Result<(SourceMap, Model, Vec<u8>), Refused> {
    progress.stage(&format!(
        "checking {} files",
        workspace.sources().files().count()
    ));
    workspace.set_lint_config(config.errors_only());
    let (sources, analysis) = workspace.into_parts();
    let errors: Vec<Diagnostic> = analysis
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() || !analysis.files_with_errors.is_empty() {
        return Err(Refused { sources, errors });
    }
    progress.stage("compiling");
    let bytes = compile(&analysis.model, source_hash(&sources));
    Ok((sources, analysis.model, bytes))
}
