//! Syntax: limits against hostile input, and the pre-scan that enforces nesting.
//!
//! The parser is recursive descent, so deep nesting would cost stack; the
//! pre-scan rejects it before parsing with a clear error. It also finds the
//! delimiters left open at the end of a file, for "found end of file" errors.

/// The largest policy file accepted, in bytes: 64 MiB, about five times the
/// whole generated set at S = 100 (112,000 entities). Larger policy sets are
/// split across files (a source folder may hold any number of them). A file
/// is read with this bound, so a device or an endless file is never read
/// past it.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;

/// The deepest nesting of `{` and `[` accepted. Real policies need about 5
/// (tenant, block, list, map); deeper nesting is almost certainly hostile.
pub const MAX_NESTING: usize = 32;

/// The parser's call budget for one file. Real policies cost 4 to 5 calls
/// per byte (measured on `policies/`); a file of values nested to the limit
/// costs about 25. The budget, 16 calls per byte of the largest file, lets a
/// full-size policy parse and stops pathological backtracking long before it
/// could hang a CI job.
pub const CALL_LIMIT: usize = 16 * MAX_FILE_BYTES;

/// What the pre-scan found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Scan {
    /// The offset of the first `{` or `[` nested deeper than [`MAX_NESTING`].
    pub too_deep: Option<usize>,
    /// Offsets of the delimiters still open at the end of the text, outermost first.
    pub open: Vec<usize>,
}

/// Scans the text's delimiters, skipping comments and strings.
pub fn scan(text: &str) -> Scan {
    let bytes = text.as_bytes();
    let mut open = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = line_end(bytes, i);
                continue;
            }
            b'"' => {
                i = string_end(bytes, i).end;
                continue;
            }
            b'{' | b'[' => {
                open.push(i);
                if open.len() > MAX_NESTING {
                    return Scan {
                        too_deep: Some(i),
                        open: Vec::new(),
                    };
                }
            }
            b'}' | b']' => {
                open.pop();
            }
            _ => {}
        }
        i += 1;
    }
    Scan {
        too_deep: None,
        open,
    }
}

fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| from + p)
}

/// How a string literal starting at `from` (a `"`) ends.
#[derive(Debug, PartialEq, Eq)]
pub struct StringEnd {
    /// The offset just past the string (past the closing quote, or where it stopped).
    pub end: usize,
    /// Whether the closing quote was found.
    pub closed: bool,
    /// The first escape sequence that is not one of `\" \\ \n \t \u{...}`.
    pub bad_escape: Option<std::ops::Range<usize>>,
}

/// Finds where the string starting at `from` ends. Strings may not span lines.
pub fn string_end(bytes: &[u8], from: usize) -> StringEnd {
    let mut bad_escape = None;
    let mut i = from + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                return StringEnd {
                    end: i + 1,
                    closed: true,
                    bad_escape,
                }
            }
            b'\n' => break,
            b'\\' => {
                let len = escape_len(&bytes[i..]);
                if len.is_none() && bad_escape.is_none() {
                    let end = (i + 2).min(bytes.len());
                    bad_escape = Some(i..end);
                }
                i += len.unwrap_or(2);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    StringEnd {
        end: i.min(bytes.len()),
        closed: false,
        bad_escape,
    }
}

/// The length of a valid escape at the start of `bytes` (which starts with `\`).
fn escape_len(bytes: &[u8]) -> Option<usize> {
    match bytes.get(1)? {
        b'"' | b'\\' | b'n' | b't' => Some(2),
        b'u' => {
            if bytes.get(2) != Some(&b'{') {
                return None;
            }
            let digits = bytes[3..]
                .iter()
                .take_while(|b| b.is_ascii_hexdigit())
                .count();
            ((1..=6).contains(&digits) && bytes.get(3 + digits) == Some(&b'}'))
                .then_some(4 + digits)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_beyond_the_limit_is_found() {
        let deep = "[".repeat(MAX_NESTING + 1);
        assert_eq!(scan(&deep).too_deep, Some(MAX_NESTING));
        let ok = "[".repeat(MAX_NESTING);
        assert_eq!(scan(&ok).too_deep, None);
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let s = scan("a { \"{[\" // {{\n }");
        assert_eq!(s, Scan::default());
        assert_eq!(scan("tenant t { block b {").open, vec![9, 19]);
    }

    #[test]
    fn string_ends_and_escapes() {
        let b = br#""a\"b" x"#;
        assert_eq!(
            string_end(b, 0),
            StringEnd {
                end: 6,
                closed: true,
                bad_escape: None
            }
        );
        let b = b"\"abc\nx";
        assert!(!string_end(b, 0).closed);
        let b = br#""a\qb""#;
        assert_eq!(string_end(b, 0).bad_escape, Some(2..4));
        let b = br#""\u{1F600}""#;
        assert_eq!(string_end(b, 0).bad_escape, None);
    }
}
