//! Syntax: parsing `.atom` text into the AST, with A0001 diagnostics.
//!
//! [`parse`] is the stage's one entry point: limits first (size, nesting),
//! then the pest grammar (`grammar/atom.pest`), then lowering into [`ast`].
//! Nothing outside this module sees pest types.

pub mod ast;
pub mod comments;
mod expected;
mod grammar;
pub mod keywords;
pub mod limits;
mod lower;
pub mod parallel;
mod recover;
mod text;
pub mod tokens;

use std::num::NonZeroUsize;
use std::sync::Once;

use pest::Parser;

use crate::diag::{codes, Diagnostic, FileId, Span};
use grammar::{AtomParser, Rule};
pub use recover::Broken;
pub use text::written as written_name;

/// The result of parsing one file: the tree of every declaration that
/// parsed, every diagnostic found, and the declarations that did not parse.
#[derive(Debug, Default)]
pub struct Parsed {
    pub file: ast::File,
    pub diagnostics: Vec<Diagnostic>,
    /// Declarations that did not parse, with the names they declare.
    pub broken: Vec<Broken>,
}

static CALL_LIMIT: Once = Once::new();

/// A0001 for each carriage return not followed by a line feed. Editors
/// break the line there and the grammar does not (a `//` comment runs on
/// past it), so such a file would read one way to its author and another
/// to the compiler: it is refused, with every lone CR pointed at.
pub fn lone_carriage_returns(file: FileId, text: &str) -> Vec<Diagnostic> {
    let bytes = text.as_bytes();
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .map(|i| {
            Diagnostic::error(
                codes::SYNTAX,
                "carriage return without a line feed",
                Span::new(file, i..i + 1),
            )
            .with_label("a lone `\\r`: editors start a new line here, the compiler would not")
            .with_help("end lines with `\\n` or `\\r\\n`; in a string, write `\\u{d}`")
        })
        .collect()
}

/// Parses the text of one file.
pub fn parse(file: FileId, text: &str) -> Parsed {
    let mut parsed = parse_text(file, text);
    let lone = lone_carriage_returns(file, text);
    if !lone.is_empty() {
        parsed.diagnostics.splice(0..0, lone);
    }
    parsed
}

fn parse_text(file: FileId, text: &str) -> Parsed {
    let fail = |d: Diagnostic| Parsed {
        diagnostics: vec![d],
        ..Parsed::default()
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
        // The fast path: the whole file parses at once.
        Ok(mut pairs) => {
            let mut diagnostics = Vec::new();
            let ast = pairs.next().map(|pair| {
                lower::Lowerer {
                    file,
                    diagnostics: &mut diagnostics,
                    offset: 0,
                    erase_spans: false,
                }
                .file(pair)
            });
            Parsed {
                file: ast.unwrap_or_default(),
                diagnostics,
                broken: Vec::new(),
            }
        }
        Err(_) => {
            let r = recover::parse_pieces(file, text);
            Parsed {
                file: ast::File { items: r.items },
                diagnostics: r.diagnostics,
                broken: r.broken,
            }
        }
    }
}

/// The tree of a file that parses without any error, with every span
/// empty: two texts with equal trees differ only in layout and comments.
/// `None` when the text has a syntax error.
pub fn layout_free_tree(text: &str) -> Option<ast::File> {
    if text.len() > limits::MAX_FILE_BYTES
        || limits::scan(text).too_deep.is_some()
        || !lone_carriage_returns(FileId(0), text).is_empty()
    {
        return None;
    }
    CALL_LIMIT.call_once(|| pest::set_call_limit(NonZeroUsize::new(limits::CALL_LIMIT)));
    let pair = AtomParser::parse(Rule::file, text).ok()?.next()?;
    let mut diagnostics = Vec::new();
    let file = lower::Lowerer {
        file: FileId(0),
        diagnostics: &mut diagnostics,
        offset: 0,
        erase_spans: true,
    }
    .file(pair);
    diagnostics.is_empty().then_some(file)
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
/// others hold; the results come back with their file ids, in file order.
/// Files are parsed on every core ([`parallel::map`]); the result is the
/// same as parsing them one after another.
pub fn parse_all(sources: &crate::diag::SourceMap) -> Vec<(FileId, Parsed)> {
    let files: Vec<(FileId, &str)> = sources
        .files()
        .map(|(id, source)| (id, source.text.as_str()))
        .collect();
    parallel::map(&files, |&(id, text)| (id, parse(id, text)))
}
