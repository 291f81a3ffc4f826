//! CLI: checking and compiling a policy set in memory, shared by `build`, `query` and `test`.

use super::set::SetArgs;
use crate::check::model::Model;
use crate::diag::SourceMap;
use crate::project::Selection;
pub use crate::workspace::Refused;

/// A policy set that checked clean, with its table.
pub struct Compiled {
    pub sources: SourceMap,
    pub model: Model,
    pub bytes: Vec<u8>,
    pub selection: Selection,
}

/// Loads, checks and compiles the set. It is refused exactly when `atom
/// check` with the same manifest and flags reports an error: lints at
/// `deny` are errors here too.
pub fn compile_set(set: &SetArgs) -> miette::Result<Result<Compiled, Refused>> {
    let progress = super::progress::Progress::start("loading the policy set");
    let (selection, workspace) = set.workspace()?;
    let config = set.lint_config(&selection)?;
    progress.stage(&format!(
        "checking and compiling {} files",
        workspace.sources().files().count()
    ));
    Ok(workspace.compile(&config).map(|c| Compiled {
        sources: c.sources,
        model: c.model,
        bytes: c.bytes,
        selection,
    }))
}
