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
    let (selection, mut workspace) = set.workspace()?;
    progress.stage(&format!(
        "checking {} files",
        workspace.sources().files().count()
    ));
    let config = set.lint_config(&selection)?.errors_only();
    workspace.set_lint_config(config);
    let (sources, analysis) = workspace.into_parts();
    let errors: Vec<Diagnostic> = analysis
        .diagnostics
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() || !analysis.files_with_errors.is_empty() {
        return Ok(Err(Refused { sources, errors }));
    }
    progress.stage("compiling");
    let bytes = compile(&analysis.model, source_hash(&sources));
    Ok(Ok(Compiled {
        sources,
        model: analysis.model,
        bytes,
        selection,
    }))
}
