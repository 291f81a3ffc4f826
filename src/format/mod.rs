//! Format: `atom fmt`'s engine; one canonical layout, sound by construction and by check.
//!
//! [`format`] reprints one file's tokens (see [`layout`] for the rules),
//! then checks its own work before anyone writes it: the new text must
//! parse to the same tree as the old one (spans aside) and keep every
//! comment, in order. [`same_table`] is the set-level check: old and new
//! versions of a set that compiles must compile to the same decision table
//! (the source hash aside). A file with a syntax error is not formatted.

mod layout;

use crate::check::check_sources;
use crate::compile::compile;
use crate::diag::{Diagnostic, FileId, SourceMap};
use crate::syntax::{self, comments::comments, tokens::tokenize};

/// Why a file was not formatted.
#[derive(Debug)]
pub enum FormatError {
    /// The file has syntax errors (A0001); it is left as it is.
    Syntax(Vec<Diagnostic>),
    /// The formatted text would not mean the same (a bug in the
    /// formatter, caught before anything is written).
    Unsound(&'static str),
}

/// Formats one file. `Ok` holds the canonical text (equal to `text` when
/// the file is already formatted).
pub fn format(file: FileId, text: &str) -> Result<String, FormatError> {
    let parsed = syntax::parse(file, text);
    if !parsed.diagnostics.is_empty() {
        return Err(FormatError::Syntax(parsed.diagnostics));
    }
    let tokens = tokenize(text);
    let formatted = layout::layout(text, &tokens, &parsed.file);
    verify(text, &formatted)?;
    Ok(formatted)
}

/// The soundness check of one file: same tree, same comments.
fn verify(old: &str, new: &str) -> Result<(), FormatError> {
    let (Some(before), Some(after)) =
        (syntax::layout_free_tree(old), syntax::layout_free_tree(new))
    else {
        return Err(FormatError::Unsound("the formatted text does not parse"));
    };
    if before != after {
        return Err(FormatError::Unsound(
            "the formatted text parses to a different tree",
        ));
    }
    let texts = |t: &str| -> Vec<String> {
        comments(t)
            .iter()
            .map(|c| c.text(t).trim_end().to_string())
            .collect()
    };
    if texts(old) != texts(new) {
        return Err(FormatError::Unsound("the formatted text lost a comment"));
    }
    Ok(())
}

/// Whether the old and new versions of a set compile to the same decision
/// table, source hash aside; `None` when the old version has errors (then
/// only the per-file checks apply).
pub fn same_table(old: &SourceMap, new: &SourceMap) -> Option<bool> {
    let old_model = check_sources(old).into_complete_model()?;
    let Some(new_model) = check_sources(new).into_complete_model() else {
        return Some(false);
    };
    // Both tables get the same hash, so only their decision content differs.
    Some(compile(&old_model, [0; 32]) == compile(&new_model, [0; 32]))
}
