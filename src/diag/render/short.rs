//! Diagnostics: the short format, one line a finding.

use std::fmt::Write;

use crate::diag::visible::visible;
use crate::diag::{Diagnostic, SourceMap};

/// `path:line:col: error[A0001]: message`, one line a finding.
pub fn render_short(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let (start, _) = sources.span_lines(d.primary.span);
        let _ = writeln!(
            out,
            "{}:{}:{}: {}[{}]: {}",
            visible(sources.name(d.primary.span.file)),
            start.line,
            start.column,
            d.severity.as_str(),
            d.code.id,
            visible(&d.message)
        );
    }
    out
}
