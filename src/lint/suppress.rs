//! Lint: `// atom: allow(rule-name, ...) reason` comments, which suppress
//! findings on the line just below them.

use crate::diag::{FileId, SourceMap, Span};

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

/// Every suppression comment of every file.
pub fn collect(sources: &SourceMap) -> Vec<Suppression> {
    let mut out = Vec::new();
    for (file, source) in sources.files() {
        let mut offset = 0;
        for (index, line) in source.text.split_inclusive('\n').enumerate() {
            if let Some(at) = line.find(MARKER) {
                let rest = &line[at + MARKER.len()..];
                if let Some(close) = rest.find(')') {
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
                        line: index + 1,
                        span: Span::new(file, offset + at..offset + end),
                        rules,
                        reason: (!reason.is_empty()).then(|| reason.to_string()),
                        used: false,
                    });
                }
            }
            offset += line.len();
        }
    }
    out
}
