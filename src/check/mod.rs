//! Check: the stage that turns source files into a checked policy set, or errors.
//!
//! [`check_sources`] is what `atom check` runs: every file is parsed (all
//! syntax errors of a run are reported), then, on a set that parsed
//! cleanly, the checks of spec section 8 run in passes: declarations
//! (A0002, A0004), references and tenant boundaries (A0003, A0008), scopes
//! and applicability (A0005, A0009), conditions (A0010), guardrail rules
//! (A0011), test lines (A0012), cycles (A0007), then guardrails (A0006).
//! The result is a [`model::Model`] when there is no error.

mod build;
pub mod closure;
mod condition;
mod cycles;
pub mod guardrails;
pub mod model;
mod resolve;
pub mod scope;
pub mod suggest;

pub use suggest::{closest as suggest_closest, list as suggest_list};
mod test_lines;
mod values;

use crate::diag::{self, Diagnostic, FileId, Severity, SourceMap};
use crate::syntax::{self, ast};

/// The outcome of checking a policy set.
#[derive(Debug)]
pub struct Checked {
    /// The parsed files, in file order.
    pub files: Vec<(FileId, ast::File)>,
    /// The checked model, when there is no error.
    pub model: Option<model::Model>,
    /// Every finding, in report order (file, line, column, code).
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks every file of a policy set.
pub fn check_sources(sources: &SourceMap) -> Checked {
    let (files, mut diagnostics) = syntax::parse_all(sources);
    let model = if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        None
    } else {
        let (model, found) = check_files(&files);
        diagnostics.extend(found);
        model
    };
    diag::sort(&mut diagnostics);
    Checked {
        files,
        model,
        diagnostics,
    }
}

/// Runs the semantic checks over parsed files.
pub fn check_files(files: &[(FileId, ast::File)]) -> (Option<model::Model>, Vec<Diagnostic>) {
    let mut c = build::Checker::new();
    c.collect_vocabulary(files);
    c.collect_declarations(files);
    c.check_qualified_names();
    c.resolve_members();
    c.resolve_parents();
    c.resolve_principal_groups();
    c.resolve_roles();
    c.resolve_blocks();
    c.resolve_statements();
    c.resolve_tests();
    c.check_cycles();
    c.check_guardrails();
    let ok = c.diagnostics.iter().all(|d| d.severity != Severity::Error);
    (ok.then_some(c.model), c.diagnostics)
}
