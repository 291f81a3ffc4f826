//! Lint: `// atom: allow(rule-name, ...) reason` comments, which suppress
//! findings on the line just below them.

use crate::diag::{FileId, SourceMap, Span};
use crate::syntax::comments::comments;

/// One suppression comment.
#[derive(Debug)]
pub struct Suppression {
    pub file: FileId,
    /// The 1-based line of the comment.
    pub line: usize,
    pub span: Span,
    pub rules: Vec<String>,
    pub reason: Option<String>,
    pub used: bool,
}

const MARKER: &str = "// atom: allow(";

/// Every suppression comment of every file: real comments only (from the
/// comment lexer), never text inside a string literal.
pub fn collect(sources: &SourceMap) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (file, source) in sources.files() {
        let text = source.text.as_str();
        // Comments come in order: count line breaks once across the file.
        let (mut line, mut counted) = (1usize, 0usize);
        for comment in comments(text) {
            let body = comment.text(text);
            let Some(rest) = body.strip_prefix(MARKER) else {
                continue;
            };
            let Some(close) = rest.find(')') else {
                continue;
            };
            let at = comment.range.start;
            line += text[counted..at].matches('\n').count();
            counted = at;
            let rules = rest[..close]
                .split(',')
                .map(|r| r.trim().to_string())
                .filter(|r| !r.is_empty())
                .collect();
            // The reason ends at a further `//` (a comment about the comment).
            let reason = rest[close + 1..].split("//").next().unwrap_or("").trim();
            let end = at + MARKER.len() + close + 1;
            out.push(Suppression {
                file,
                line,
                span: Span::new(file, at..end),
                rules,
                reason: (!reason.is_empty()).then(|| reason.to_string()),
                used: false,
            });
        }
    }
    out
}
