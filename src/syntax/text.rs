//! Syntax: the text of lexemes: unescaping strings, splitting qualified names and paths.
//!
//! These run on text the grammar has already accepted, so their only errors
//! are the ones the grammar cannot see (an escape naming no character).

use std::ops::Range;

use super::limits::string_end;

/// Unescapes the body of a string literal, quotes included in `raw`.
/// Returns the text, or the range (within `raw`) of an escape that names no
/// Unicode scalar value.
pub fn unescape(raw: &str) -> Result<String, Range<usize>> {
    let inner = raw
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(raw);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((_, 'u')) => {
                let rest = &inner[i + 2..];
                let close = rest.find('}').unwrap_or(rest.len());
                let hex = rest.get(1..close).unwrap_or("");
                let range = i + 1..i + 4 + close; // `\u{...}` within `raw`, past its quote
                match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => return Err(range),
                }
                // Skip `{`, the digits and `}`.
                for _ in 0..close + 1 {
                    chars.next();
                }
            }
            Some((_, other)) => out.push(other),
            None => {}
        }
    }
    Ok(out)
}

/// The end of one name (bare or quoted) starting at `from`.
/// A name as it must be written: bare when it is a bare name, else quoted
/// with `"` and `\` escaped and control characters as `\u{..}`.
pub fn written(name: &str) -> String {
    let mut chars = name.chars();
    let bare = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if bare {
        return name.to_string();
    }
    let mut out = String::from("\"");
    for c in name.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn name_end(text: &str, from: usize, stop: &[u8]) -> usize {
    let bytes = text.as_bytes();
    if bytes.get(from) == Some(&b'"') {
        return string_end(bytes, from).end;
    }
    bytes[from..]
        .iter()
        .position(|b| stop.contains(b))
        .map_or(text.len(), |p| from + p)
}

/// Splits `T/name` into its parts' ranges: (tenant, name).
pub fn split_qualified(text: &str) -> (Option<Range<usize>>, Range<usize>) {
    let first = name_end(text, 0, b"/");
    if text.as_bytes().get(first) == Some(&b'/') {
        (Some(0..first), first + 1..text.len())
    } else {
        (None, 0..text.len())
    }
}

/// Splits a path at its dots; quoted segments may contain dots.
pub fn split_path(text: &str) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let mut from = 0;
    loop {
        let end = name_end(text, from, b".");
        parts.push(from..end);
        if end >= text.len() {
            return parts;
        }
        from = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_unescape() {
        assert_eq!(unescape(r#""a\"b\\c\nd\te""#).unwrap(), "a\"b\\c\nd\te");
        assert_eq!(unescape(r#""\u{41}\u{1F600}""#).unwrap(), "A\u{1F600}");
        assert_eq!(unescape(r#""x\u{D800}""#), Err(2..10));
    }

    #[test]
    fn qualified_names_split_outside_quotes() {
        assert_eq!(split_qualified("factory-a/meter-001"), (Some(0..9), 10..19));
        assert_eq!(split_qualified("meter"), (None, 0..5));
        assert_eq!(split_qualified(r#""a/b"/c"#), (Some(0..5), 6..7));
        assert_eq!(split_qualified(r#""a/b""#), (None, 0..5));
    }

    #[test]
    fn paths_split_outside_quotes() {
        assert_eq!(
            split_path("entity.attributes.site"),
            vec![0..6, 7..17, 18..22]
        );
        assert_eq!(split_path(r#"context."a.b".c"#), vec![0..7, 8..13, 14..15]);
    }
}
