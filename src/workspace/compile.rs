//! Workspace: check-then-compile, the one way a policy set in memory becomes a table.

use super::Workspace;
use crate::check::model::Model;
use crate::compile::{compile, source_hash};
use crate::diag::{Diagnostic, Severity, SourceMap};
use crate::lint::LintConfig;

/// A policy set that checked clean, and its table's bytes.
pub struct Compiled {
    pub sources: SourceMap,
    pub model: Model,
    pub bytes: Vec<u8>,
}

/// A policy set that does not compile, and why.
#[derive(Debug)]
pub struct Refused {
    pub sources: SourceMap,
    /// Its errors (lints set to `deny` included), in report order.
    pub errors: Vec<Diagnostic>,
}

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.errors.first() {
            Some(first) => {
                let text =
                    crate::diag::render::render_short(&self.sources, std::slice::from_ref(first));
                write!(
                    f,
                    "the policy set has {} error(s); the first: {}",
                    self.errors.len(),
                    text.trim_end()
                )
            }
            None => write!(f, "the policy set has syntax errors"),
        }
    }
}

impl Workspace {
    /// Checks the set with `lint`'s levels (only lints at `deny` run: they
    /// are errors) and compiles it. It is refused exactly when `atom check`
    /// with the same levels reports an error.
    pub fn compile(mut self, lint: &LintConfig) -> Result<Compiled, Refused> {
        self.set_lint_config(lint.errors_only());
        let (sources, analysis) = self.into_parts();
        let errors: Vec<Diagnostic> = analysis
            .diagnostics
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        if !errors.is_empty() || !analysis.files_with_errors.is_empty() {
            return Err(Refused { sources, errors });
        }
        let bytes = compile(&analysis.model, source_hash(&sources));
        Ok(Compiled {
            sources,
            model: analysis.model,
            bytes,
        })
    }
}
