//! Diagnostics: text made safe to print on a terminal or in a CI log.
//!
//! Names can be quoted strings holding any character (`"\u{1b}[2J"`), and
//! source text can hold anything a file can. Printed raw, a control
//! character or an escape sequence would be interpreted by the terminal
//! (clear the screen, forge a line, rewrite the title), and a bidi control
//! would reorder what the reader sees. [`visible`] writes such characters
//! as escapes (`\u{1b}`); [`same_length`] replaces them in source text
//! with printable characters of the same UTF-8 length, so that the byte
//! offsets of spans stay valid.

use std::borrow::Cow;

/// Whether a character must not reach a terminal as it is: C0 controls
/// other than tab and line breaks, DEL, C1 controls, the bidi embedding,
/// override and isolate controls, and the two non-characters XML forbids.
pub fn is_unsafe(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{fffe}' | '\u{ffff}')
}

/// Text with every unsafe character written as `\u{XX}`.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Source text with every unsafe character replaced by a printable one of
/// the same UTF-8 length (`?`, `¿` or `�`), so spans still point at the
/// same bytes.
pub fn same_length(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match (is_unsafe(c), c.len_utf8()) {
                (false, _) => c,
                (true, 1) => '?',
                (true, 2) => '¿',
                (true, _) => '\u{fffd}',
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_lengths() {
        assert_eq!(visible("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(visible("tab\tok\n"), "tab\tok\n");
        assert_eq!(visible("x\u{202e}y"), "x\\u{202e}y");
        for s in ["\u{1b}]0;title\u{7}", "c1\u{9b}31m", "bidi\u{2067}"] {
            assert_eq!(same_length(s).len(), s.len());
            assert!(!same_length(s).chars().any(is_unsafe));
        }
    }
}
