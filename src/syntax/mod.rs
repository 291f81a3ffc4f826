//! Syntax: parsing `.atom` text into the AST, with A0001 diagnostics.
//!
//! [`parse`] is the stage's one entry point: limits first (size, nesting),
//! then the pest grammar (`grammar/atom.pest`), then lowering into [`ast`].
//! Nothing outside this module sees pest types.

pub mod ast;
pub mod comments;
mod expected;
mod grammar;
pub mod limits;
mod lower;
mod text;

use std::num::NonZeroUsize;
use std::sync::Once;

use pest::Parser;

use crate::diag::{codes, Diagnostic, FileId, Span};
use grammar::{AtomParser, Rule};

/// The result of parsing one file: its AST when the grammar accepted it,
/// and every diagnostic found (an AST may come with lowering errors).
#[derive(Debug)]
pub struct Parsed {
    pub file: Option<ast::File>,
    pub diagnostics: Vec<Diagnostic>,
}

static CALL_LIMIT: Once = Once::new();

/// Parses the text of one file.
pub fn parse(file: FileId, text: &str) -> Parsed {
    let fail = |d: Diagnostic| Parsed {
        file: None,
        diagnostics: vec![d],
    };
    if text.len() > limits::MAX_FILE_BYTES {
        return fail(too_large(file, text.len()));
    }
    if let Some(at) = limits::scan(text).too_deep {
        return fail(
            Diagnostic::error(
                codes::SYNTAX,
                "nesting is too deep",
                Span::new(file, at..at + 1),
            )
            .with_label(format!(
                "more than {} levels of `{{` and `[`",
                limits::MAX_NESTING
            ))
            .with_help("policies need only a few levels; flatten this value"),
        );
    }
    CALL_LIMIT.call_once(|| pest::set_call_limit(NonZeroUsize::new(limits::CALL_LIMIT)));
    match AtomParser::parse(Rule::file, text) {
        Err(error) => fail(expected::syntax_error(file, text, &error)),
        Ok(mut pairs) => {
            let mut diagnostics = Vec::new();
            let ast = pairs.next().map(|pair| {
                lower::Lowerer {
                    file,
                    diagnostics: &mut diagnostics,
                }
                .file(pair)
            });
            Parsed {
                file: ast,
                diagnostics,
            }
        }
    }
}

/// The A0001 error for a file over [`limits::MAX_FILE_BYTES`].
pub fn too_large(file: FileId, len: usize) -> Diagnostic {
    let mib = |n: usize| n as f64 / (1024.0 * 1024.0);
    Diagnostic::error(codes::SYNTAX, "file is too large", Span::new(file, 0..0))
        .with_label(format!(
            "{:.1} MiB; the limit is {:.0} MiB",
            mib(len),
            mib(limits::MAX_FILE_BYTES)
        ))
        .with_help("split the policy set into several files in the same folder")
}

/// Parses every file of a source map. Every file is parsed, whatever the
/// others hold; the ASTs come back with their file ids, in file order.
pub fn parse_all(sources: &crate::diag::SourceMap) -> (Vec<(FileId, ast::File)>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for (id, source) in sources.files() {
        let parsed = parse(id, &source.text);
        diagnostics.extend(parsed.diagnostics);
        if let Some(file) = parsed.file {
            files.push((id, file));
        }
    }
    (files, diagnostics)
}
