//! Syntax: the comments of a source text, found by a lexer that knows
//! where string literals are, so that `//` inside a string is never taken
//! for a comment (suppressions and docs read real comment tokens).
//!
//! The comments come from the token layer ([`super::tokens`]), which
//! accepts any text (an unterminated string ends at its line's end, as the
//! grammar says strings do).

use std::ops::Range;

use super::tokens::TokenKind;

/// A `//` comment: its byte range (from `//` to the end of the line, the
/// line break excluded) and whether it is a `///` doc comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub range: Range<usize>,
    pub doc: bool,
}

impl Comment {
    /// The comment's text, `//` included.
    pub fn text<'t>(&self, source: &'t str) -> &'t str {
        source.get(self.range.clone()).unwrap_or("")
    }
}

/// Every comment of `text`, in order.
pub fn comments(text: &str) -> Vec<Comment> {
    super::tokens::tokenize(text)
        .into_iter()
        .filter_map(|t| match t.kind {
            TokenKind::Comment | TokenKind::DocComment => Some(Comment {
                range: t.range(),
                doc: t.kind == TokenKind::DocComment,
            }),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_hide_slashes() {
        let text = "block b { allow read on \"a // b\" } // real\n/// doc\n//// not doc\n\"x\\\" // y\" // z";
        let found: Vec<&str> = comments(text).iter().map(|c| c.text(text)).collect();
        assert_eq!(found, ["// real", "/// doc", "//// not doc", "// z"]);
        let docs: Vec<bool> = comments(text).iter().map(|c| c.doc).collect();
        assert_eq!(docs, [false, true, false, false]);
        // An unterminated string ends at its line.
        assert_eq!(comments("\"open\n// after").len(), 1);
    }
}
