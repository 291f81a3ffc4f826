//! Check: the stage that turns source files into a checked policy set, or errors.
//!
//! [`check_sources`] is what `atom check` runs: every file is parsed (all
//! syntax errors of a run are reported, the parser recovers at declaration
//! boundaries), then the checks of spec section 8 run in passes on every
//! declaration that parsed: declarations
//! (A0002, A0004), references and tenant boundaries (A0003, A0008), scopes
//! and applicability (A0005, A0009), conditions (A0010), guardrail rules
//! (A0011), test lines (A0012), cycles (A0007), then guardrails (A0006).
//! The result always holds the analysed [`model::Model`]; it compiles
//! only when there is no error ([`Checked::complete_model`]).

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

use std::collections::BTreeSet;

use crate::diag::{self, Diagnostic, FileId, Severity, SourceMap};
use crate::syntax::{self, ast, Broken};

/// The outcome of checking a policy set.
#[derive(Debug)]
pub struct Checked {
    /// The parsed files, in file order: every declaration that parsed.
    pub files: Vec<(FileId, ast::File)>,
    /// The analysed model of everything that parsed. Where the set has
    /// errors, a part that did not resolve is an explicit missing value
    /// (see [`model::Block::scope`]); only a set without errors compiles.
    pub model: model::Model,
    /// Every finding, in report order (file, line, column, code).
    pub diagnostics: Vec<Diagnostic>,
    /// Declarations that did not parse.
    pub broken: Vec<Broken>,
}

impl Checked {
    /// Whether the set has no error.
    pub fn is_ok(&self) -> bool {
        !has_errors(&self.diagnostics)
    }

    /// The model, when the set has no error: the one that compiles.
    pub fn complete_model(&self) -> Option<&model::Model> {
        self.is_ok().then_some(&self.model)
    }

    /// The model, when the set has no error.
    pub fn into_complete_model(self) -> Option<model::Model> {
        self.is_ok().then_some(self.model)
    }

    /// The files that have an error.
    pub fn files_with_errors(&self) -> BTreeSet<FileId> {
        files_with_errors(&self.diagnostics)
    }
}

/// Whether any finding is an error.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(|d| d.severity == Severity::Error)
}

/// The files where some error stands.
pub fn files_with_errors(diagnostics: &[Diagnostic]) -> BTreeSet<FileId> {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.primary.span.file)
        .collect()
}

/// Parses and checks every file of a policy set: all syntax errors, then
/// the semantic checks on every declaration that parsed.
pub fn check_sources(sources: &SourceMap) -> Checked {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    let mut broken = Vec::new();
    for (id, parsed) in syntax::parse_all(sources) {
        diagnostics.extend(parsed.diagnostics);
        broken.extend(parsed.broken);
        files.push((id, parsed.file));
    }
    let asts: Vec<&ast::File> = files.iter().map(|(_, f)| f).collect();
    let (model, found) = check_files(&asts, &broken);
    diagnostics.extend(found);
    diag::sort(&mut diagnostics);
    Checked {
        files,
        model,
        diagnostics,
        broken,
    }
}

/// Runs the semantic checks over parsed files. `broken` are the
/// declarations that did not parse: uses of their names are not reported.
pub fn check_files(files: &[&ast::File], broken: &[Broken]) -> (model::Model, Vec<Diagnostic>) {
    let mut c = build::Checker::new();
    c.broken = broken
        .iter()
        .map(|b| (b.tenant.clone(), b.name.clone()))
        .collect();
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
    (c.model, c.diagnostics)
}
