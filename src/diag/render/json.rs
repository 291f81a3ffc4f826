//! Diagnostics: the JSON report, `{"diagnostics":[...],"summary":{...}}`.

use serde::Serialize;

use crate::diag::{Diagnostic, SourceMap, Span, Summary};

#[derive(Serialize)]
struct Report<'a> {
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonSummary {
    errors: usize,
    warnings: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(flatten)]
    location: Location<'a>,
    /// The primary label's message.
    label: &'a str,
    labels: Vec<JsonLabel<'a>>,
    help: Option<&'a str>,
    notes: &'a [String],
}

#[derive(Serialize)]
struct Location<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
}

#[derive(Serialize)]
struct JsonLabel<'a> {
    #[serde(flatten)]
    location: Location<'a>,
    message: &'a str,
}

fn location<'a>(sources: &'a SourceMap, span: Span) -> Location<'a> {
    let (start, end) = sources.span_lines(span);
    Location {
        file: sources.name(span.file),
        line: start.line,
        column: start.column,
        end_line: end.line,
        end_column: end.column,
    }
}

/// The findings as a JSON array, in the objects of [`render_json`]: for
/// documents of other commands that carry the policy set's errors.
pub fn diagnostics_value(sources: &SourceMap, diagnostics: &[Diagnostic]) -> serde_json::Value {
    serde_json::to_value(json_diagnostics(sources, diagnostics)).unwrap_or_default()
}

fn json_diagnostics<'a>(
    sources: &'a SourceMap,
    diagnostics: &'a [Diagnostic],
) -> Vec<JsonDiagnostic<'a>> {
    diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            code: d.code.id,
            severity: d.severity.as_str(),
            message: &d.message,
            location: location(sources, d.primary.span),
            label: &d.primary.message,
            labels: d
                .secondary
                .iter()
                .map(|l| JsonLabel {
                    location: location(sources, l.span),
                    message: &l.message,
                })
                .collect(),
            help: d.help.as_deref(),
            notes: &d.notes,
        })
        .collect()
}

/// The JSON report: every finding with 1-based lines and columns, and counts.
pub fn render_json(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let summary = Summary::of(diagnostics);
    let report = Report {
        diagnostics: json_diagnostics(sources, diagnostics),
        summary: JsonSummary {
            errors: summary.errors,
            warnings: summary.warnings,
        },
    };
    // Serializing plain structs of strings and integers cannot fail.
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}
