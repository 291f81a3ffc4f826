//! Diagnostics: the human format, rustc-style, rendered by codespan-reporting.

use codespan_reporting::diagnostic::{
    Diagnostic as CsDiagnostic, Label as CsLabel, Severity as CsSeverity,
};
use codespan_reporting::term::{self, Config, WriteStyle};

use super::window::View;
use crate::diag::visible::visible;
use crate::diag::{Diagnostic, Severity, SourceMap, Span};

/// A finding for codespan-reporting, with its spans as mapped into the view
/// it is rendered from (primary first, then the secondary labels).
fn to_codespan(d: &Diagnostic, spans: &[Span]) -> CsDiagnostic<crate::diag::FileId> {
    let severity = match d.severity {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
    };
    let span = |i: usize, fallback: Span| spans.get(i).copied().unwrap_or(fallback);
    let primary = span(0, d.primary.span);
    let mut labels = vec![
        CsLabel::primary(primary.file, primary.range()).with_message(d.primary.message.clone())
    ];
    labels.extend(d.secondary.iter().enumerate().map(|(i, l)| {
        let s = span(i + 1, l.span);
        CsLabel::secondary(s.file, s.range()).with_message(l.message.clone())
    }));
    let notes = d
        .help
        .iter()
        .map(|h| format!("help: {}", visible(h)))
        .chain(d.notes.iter().map(|n| format!("note: {}", visible(n))))
        .collect();
    CsDiagnostic::new(severity)
        .with_code(d.code.id)
        .with_message(visible(&d.message).into_owned())
        .with_labels(labels)
        .with_notes(notes)
}

/// Renders findings without colour, one report after another.
pub fn render_human(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let printable = sources.printable();
    let sources = printable.as_ref().unwrap_or(sources);
    let config = Config::default();
    let mut out = String::new();
    for d in diagnostics {
        // Spans come from the same run's files; a span past a file's end is
        // clamped by the source map, so rendering cannot fail on lookups.
        let (view, spans) = View::of(sources, d);
        if term::emit_to_string(&mut out, &config, &view, &to_codespan(d, &spans)).is_err() {
            out.push_str(&format!(
                "{}[{}]: {}\n",
                d.severity.as_str(),
                d.code.id,
                visible(&d.message)
            ));
        }
    }
    out
}

/// Writes findings to a styled writer (a terminal with colour).
pub fn write_human<W: WriteStyle + ?Sized>(
    writer: &mut W,
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
) -> std::io::Result<()> {
    let printable = sources.printable();
    let sources = printable.as_ref().unwrap_or(sources);
    let config = Config::default();
    for d in diagnostics {
        let (view, spans) = View::of(sources, d);
        term::emit_to_write_style(writer, &config, &view, &to_codespan(d, &spans))
            .map_err(std::io::Error::other)?;
    }
    Ok(())
}
