//! Syntax: the comments of a source text, found by a lexer that knows
//! where string literals are, so that `//` inside a string is never taken
//! for a comment (suppressions and docs read real comment tokens).
//!
//! The lexer only tells strings, comments and everything else apart; it
//! accepts any text (an unterminated string ends at its line's end, as the
//! grammar says strings do) and runs in one pass.

use std::ops::Range;

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
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // A string: up to the closing quote or the end of the line.
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = text[i..].find('\n').map_or(text.len(), |n| i + n);
                let end = if text[..end].ends_with('\r') {
                    end - 1
                } else {
                    end
                };
                let doc = text[i..].starts_with("///") && !text[i..].starts_with("////");
                out.push(Comment { range: i..end, doc });
                i = end;
            }
            _ => i += 1,
        }
    }
    out
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
