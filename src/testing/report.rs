//! Testing: a test run's report, rendered for people (failures with their
//! source), as one JSON document, or as JUnit XML.

use std::fmt::Write as _;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde_json::json;

use super::LineOutcome;
use crate::diag::visible::visible;
use crate::diag::SourceMap;
use crate::eval::explain::{block_name, via_text, Explanation};
use crate::request::report::{decision_json, explanation_lines};
use crate::table::Table;

/// The results of a test run, for one of the formats.
pub struct TestReport<'r> {
    pub table: &'r Table<'r>,
    pub sources: &'r SourceMap,
    pub outcomes: &'r [LineOutcome],
    /// For each outcome, its explanation when the line failed.
    pub explanations: &'r [Option<Explanation>],
}

fn expected_text(o: &LineOutcome) -> String {
    match o.expected_reason {
        Some(r) => format!("{} because {}", o.expected.as_str(), r.name()),
        None => o.expected.as_str().to_string(),
    }
}

fn actual_text(t: &Table<'_>, o: &LineOutcome) -> String {
    let d = &o.decision;
    let named = match (d.block, d.via) {
        (Some(b), Some(v)) => format!(", block `{}` from `{}`", block_name(t, b), via_text(t, v)),
        _ => String::new(),
    };
    format!(
        "{} because {}{named}",
        if d.allow { "allow" } else { "deny" },
        d.reason.name()
    )
}

/// The action of a line's request (`subject action object`).
fn action_of(o: &LineOutcome) -> &str {
    o.request.split(' ').nth(1).unwrap_or("")
}

/// Text for XML 1.0: markup escaped, and characters XML cannot hold (most
/// controls) written as `\u{XX}`, so the document stays valid.
fn xml_escape(s: &str) -> String {
    visible(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

impl TestReport<'_> {
    fn failed(&self) -> usize {
        self.outcomes.iter().filter(|o| !o.passed).count()
    }

    /// The failed lines, each with its source and explanation.
    fn failures(&self) -> impl Iterator<Item = (&LineOutcome, &Explanation)> {
        self.outcomes
            .iter()
            .zip(self.explanations)
            .filter_map(|(o, e)| Some((o, e.as_ref()?)))
    }

    /// Writes every failure rustc-style (the counts are the caller's).
    pub fn write_failures(&self, out: &mut dyn WriteColor) -> std::io::Result<()> {
        let printable = self.sources.printable();
        let sources = printable.as_ref().unwrap_or(self.sources);
        for (o, e) in self.failures() {
            let message = format!("test `{}` failed: expected {}", o.test, expected_text(o));
            let label = format!("decided {}", actual_text(self.table, o));
            let d = CsDiagnostic::error()
                .with_message(visible(&message).into_owned())
                .with_labels(vec![Label::primary(o.span.file, o.span.range())
                    .with_message(visible(&label).into_owned())])
                .with_notes(vec![visible(
                    &explanation_lines(e, action_of(o)).join("\n"),
                )
                .into_owned()]);
            term::emit_to_write_style(out, &term::Config::default(), sources, &d)
                .map_err(std::io::Error::other)?;
        }
        Ok(())
    }

    /// One JSON document with every line and the counts.
    pub fn json(&self) -> String {
        let lines: Vec<_> = self
            .outcomes
            .iter()
            .zip(self.explanations)
            .map(|(o, e)| {
                let (start, _) = self.sources.span_lines(o.span);
                json!({
                    "test": o.test,
                    "file": self.sources.name(o.span.file),
                    "line": start.line,
                    "column": start.column,
                    "request": o.request,
                    "expected": expected_text(o),
                    "passed": o.passed,
                    "actual": decision_json(self.table, &o.decision, e.as_ref()),
                })
            })
            .collect();
        let failed = self.failed();
        let passed = self.outcomes.len() - failed;
        let doc = json!({ "tests": lines, "summary": { "passed": passed, "failed": failed } });
        // INVARIANT: a `json!` value always serializes.
        let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text + "\n"
    }

    /// JUnit XML, one test case per line.
    pub fn junit(&self) -> String {
        let (n, failed) = (self.outcomes.len(), self.failed());
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        // Writing to a `String` cannot fail.
        let _ = writeln!(out, "<testsuites tests=\"{n}\" failures=\"{failed}\">");
        let _ = writeln!(
            out,
            "  <testsuite name=\"atom\" tests=\"{n}\" failures=\"{failed}\">"
        );
        for (o, e) in self.outcomes.iter().zip(self.explanations) {
            let (start, _) = self.sources.span_lines(o.span);
            let name = format!("{} (line {}): {}", o.test, start.line, o.request);
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml_escape(self.sources.name(o.span.file)),
                xml_escape(&name)
            );
            match e {
                None => out.push_str("/>\n"),
                Some(e) => {
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"expected {}, got {}\">{}</failure>\n    </testcase>",
                        xml_escape(&expected_text(o)),
                        xml_escape(&actual_text(self.table, o)),
                        xml_escape(&explanation_lines(e, action_of(o)).join("\n"))
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }
}
