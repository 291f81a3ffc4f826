//! Lint: applying the safe fixes of lint findings to source text (`atom check --fix`).
//!
//! A lint's fix changes no decision (removing a suppression that suppresses
//! nothing; naming the one type a kind-wide scope reaches). Fixes are
//! applied in source order; one that overlaps an earlier one waits for the
//! next run. A file that was in the canonical layout before is printed in it
//! again after, through the formatter.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, FileId, Fix};

/// The fixes of the lint findings among `diagnostics`, by file, in source order.
pub fn lint_fixes(diagnostics: &[Diagnostic]) -> BTreeMap<FileId, Vec<&Fix>> {
    let mut by_file: BTreeMap<FileId, Vec<&Fix>> = BTreeMap::new();
    for d in diagnostics
        .iter()
        .filter(|d| super::rule_named(d.code.id).is_some())
    {
        for fix in &d.fixes {
            by_file.entry(fix.span.file).or_default().push(fix);
        }
    }
    for fixes in by_file.values_mut() {
        fixes.sort_by_key(|f| (f.span.start, f.span.end));
    }
    by_file
}

/// Applies `fixes` (sorted by start) to `text`, skipping each that overlaps
/// one already applied or falls outside the text; returns the new text and
/// how many were applied.
pub fn apply(text: &str, fixes: &[&Fix]) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut at = 0usize;
    let mut applied = 0;
    for fix in fixes {
        let range = fix.span.range();
        let fits = range.start >= at
            && range.end <= text.len()
            && text.is_char_boundary(range.start)
            && text.is_char_boundary(range.end);
        if !fits {
            continue;
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&fix.replacement);
        at = range.end;
        applied += 1;
    }
    out.push_str(&text[at..]);
    (out, applied)
}

/// The fixed text of a file: the fixes applied, then the canonical layout
/// restored if the file had it before (and the result still parses).
///
/// A fix that would break the file's syntax is a bug; the file is then left
/// as it is (no fix applied) rather than written broken.
pub fn fixed_text(file: FileId, text: &str, fixes: &[&Fix]) -> (String, usize) {
    let (fixed, applied) = apply(text, fixes);
    let errors = |t: &str| crate::syntax::parse(file, t).diagnostics.len();
    if errors(&fixed) > errors(text) {
        return (text.to_string(), 0);
    }
    let was_canonical = crate::format::format(file, text).is_ok_and(|f| f == text);
    if was_canonical {
        if let Ok(formatted) = crate::format::format(file, &fixed) {
            return (formatted, applied);
        }
    }
    (fixed, applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    fn fix(start: u32, end: u32, replacement: &str) -> Fix {
        Fix {
            title: String::new(),
            span: Span::new(FileId(0), start as usize..end as usize),
            replacement: replacement.to_string(),
        }
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_run() {
        let (a, b, c) = (fix(0, 3, "x"), fix(2, 5, "y"), fix(6, 7, ""));
        let (text, applied) = apply("abcdefgh", &[&a, &b, &c]);
        assert_eq!((text.as_str(), applied), ("xdefh", 2));
    }
}
