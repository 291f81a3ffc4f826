//! Check: the stage that turns source files into a checked policy set, or errors.
//!
//! [`check_sources`] is what `atom check` runs: every file is parsed (all
//! syntax errors of a run are reported), and the semantic checks of spec
//! section 8 run only on a set that parsed cleanly, so that a syntax error
//! never cascades into follow-up errors.

use crate::diag::{self, Diagnostic, FileId, SourceMap};
use crate::syntax::{self, ast};

/// The outcome of checking a policy set.
#[derive(Debug)]
pub struct Checked {
    /// The parsed files, in file order.
    pub files: Vec<(FileId, ast::File)>,
    /// Every finding, in report order (file, line, column, code).
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and checks every file of a policy set.
pub fn check_sources(sources: &SourceMap) -> Checked {
    let (files, mut diagnostics) = syntax::parse_all(sources);
    diag::sort(&mut diagnostics);
    Checked { files, diagnostics }
}
