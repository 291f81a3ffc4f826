//! Testing: a test run's report, rendered for people (failures with their
//! source), as one JSON document, or as JUnit XML.

use std::fmt::Write as _;

use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::term::{self, termcolor::WriteColor};
use serde_json::json;

use super::coverage::{percent, Coverage, Item};
use super::LineOutcome;
use crate::diag::render::{diagnostics_value, render_short};
use crate::diag::visible::visible;
use crate::diag::{Diagnostic, SourceMap};
use crate::eval::explain::Explanation;
use crate::request::report::{decision_json, explanation_lines, map_json};
use crate::table::Table;

/// The results of a test run, for one of the formats.
pub struct TestReport<'r> {
    pub table: &'r Table<'r>,
    pub sources: &'r SourceMap,
    pub outcomes: &'r [LineOutcome],
    /// For each outcome, its explanation when the line failed.
    pub explanations: &'r [Option<Explanation>],
    /// What the lines exercise, when asked for (`--coverage`).
    pub coverage: Option<&'r Coverage>,
}

fn expected_text(o: &LineOutcome) -> String {
    match o.expected_reason {
        Some(r) => format!("{} because {}", o.expected.as_str(), r.name()),
        None => o.expected.as_str().to_string(),
    }
}

fn actual_text(t: &Table<'_>, o: &LineOutcome) -> String {
    let d = &o.decision;
    let named = crate::decision::encode::Grant::of(t, d)
        .words()
        .map_or_else(String::new, |words| format!(", {words}"));
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

    /// One JSON document with every line, the counts, and the set's
    /// findings (none: a report exists only for a set that compiled).
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
                    "context": map_json(&o.context),
                    "expected": expected_text(o),
                    "passed": o.passed,
                    "actual": decision_json(self.table, &o.decision, e.as_ref()),
                })
            })
            .collect();
        let failed = self.failed();
        let passed = self.outcomes.len() - failed;
        let mut doc = json!({
            "tests": lines,
            "diagnostics": [],
            "summary": { "passed": passed, "failed": failed, "errors": 0 },
        });
        if let Some(c) = self.coverage {
            doc["coverage"] = coverage_json(self.sources, c);
        }
        pretty(&doc)
    }

    /// JUnit XML: one suite, one test case per line, with its file, line
    /// and decision time.
    pub fn junit(&self) -> String {
        let mut suite = TestSuite::new("atom");
        for (o, e) in self.outcomes.iter().zip(self.explanations) {
            let (start, _) = self.sources.span_lines(o.span);
            let status = match e {
                None => TestCaseStatus::success(),
                Some(e) => {
                    let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                    s.set_message(format!(
                        "expected {}, got {}",
                        visible(&expected_text(o)),
                        visible(&actual_text(self.table, o))
                    ));
                    s.set_description(visible(&explanation_lines(e, action_of(o)).join("\n")));
                    s
                }
            };
            let name = format!("{} (line {}): {}", o.test, start.line, o.request);
            let mut case = TestCase::new(visible(&name), status);
            let file = self.sources.name(o.span.file);
            case.set_classname(visible(file)).set_time(o.time);
            case.extra.insert("file".into(), visible(file).into());
            case.extra
                .insert("line".into(), start.line.to_string().into());
            suite.add_test_case(case);
        }
        junit_document(suite)
    }
}

/// The JSON test document of a set that did not compile: no test ran, and
/// its errors are in `diagnostics` (the objects of `atom check --format json`).
pub fn refused_json(sources: &SourceMap, errors: &[Diagnostic]) -> String {
    pretty(&json!({
        "tests": [],
        "diagnostics": diagnostics_value(sources, errors),
        "summary": { "passed": 0, "failed": 0, "errors": errors.len() },
    }))
}

/// The JUnit document of a set that did not compile: one errored test
/// case for each error, so that CI reporters show them.
pub fn refused_junit(sources: &SourceMap, errors: &[Diagnostic]) -> String {
    let mut suite = TestSuite::new("atom");
    for d in errors {
        let (start, _) = sources.span_lines(d.primary.span);
        let file = sources.name(d.primary.span.file);
        let mut status = TestCaseStatus::non_success(NonSuccessKind::Error);
        status
            .set_message(visible(&d.message))
            .set_type(d.code.id)
            .set_description(visible(&render_short(sources, std::slice::from_ref(d))));
        let name = format!("error[{}] {}:{}", d.code.id, file, start.line);
        let mut case = TestCase::new(visible(&name), status);
        case.set_classname(visible(file));
        case.extra.insert("file".into(), visible(file).into());
        case.extra
            .insert("line".into(), start.line.to_string().into());
        suite.add_test_case(case);
    }
    junit_document(suite)
}

fn junit_document(suite: TestSuite) -> String {
    let mut report = Report::new("atom");
    report.add_test_suite(suite);
    // INVARIANT: serializing into memory fails only on an I/O error, and a
    // `Vec` never reports one.
    report.to_string().unwrap_or_default() + "\n"
}

fn pretty(doc: &serde_json::Value) -> String {
    // INVARIANT: a `json!` value always serializes.
    serde_json::to_string_pretty(doc).unwrap_or_default() + "\n"
}

/// Coverage as JSON: by file, the items, the exercised count and percentage,
/// and the items no line exercises.
pub fn coverage_json(sources: &SourceMap, c: &Coverage) -> serde_json::Value {
    let files: Vec<_> = coverage_files(sources, c)
        .into_iter()
        .map(|(file, items)| {
            let exercised = items.iter().filter(|i| i.exercised).count();
            let missing: Vec<_> = items
                .iter()
                .filter(|i| !i.exercised)
                .map(|i| json!({"kind": i.kind.as_str(), "name": i.name, "line": sources.span_lines(i.span).0.line}))
                .collect();
            json!({
                "file": file,
                "items": items.len(),
                "exercised": exercised,
                "percent": round1(percent(exercised, items.len())),
                "not_exercised": missing,
            })
        })
        .collect();
    let (exercised, total) = c.counts(|_| true);
    json!({
        "files": files,
        "summary": { "items": total, "exercised": exercised, "percent": round1(percent(exercised, total)) },
    })
}

/// Coverage for people: a line per file with its percentage, then the
/// items no line exercises.
pub fn coverage_text(sources: &SourceMap, c: &Coverage) -> String {
    let mut out = String::new();
    let (exercised, total) = c.counts(|_| true);
    let _ = writeln!(
        out,
        "coverage: {exercised} of {total} blocks, roles, assignments and grants exercised ({:.1}%)",
        percent(exercised, total)
    );
    for (file, items) in coverage_files(sources, c) {
        let done = items.iter().filter(|i| i.exercised).count();
        let _ = writeln!(
            out,
            "  {}: {done}/{} ({:.1}%)",
            visible(file),
            items.len(),
            percent(done, items.len())
        );
        for i in items.iter().filter(|i| !i.exercised) {
            let line = sources.span_lines(i.span).0.line;
            let _ = writeln!(
                out,
                "    line {line}: {} `{}` is not exercised",
                i.kind.as_str(),
                visible(&i.name)
            );
        }
    }
    out
}

/// The items grouped by file, in file order.
fn coverage_files<'s, 'c>(
    sources: &'s SourceMap,
    c: &'c Coverage,
) -> Vec<(&'s str, Vec<&'c Item>)> {
    let mut files: Vec<(&str, Vec<&Item>)> = Vec::new();
    let mut ids: Vec<_> = c.items.iter().map(|i| i.span.file).collect();
    ids.sort();
    ids.dedup();
    for id in ids {
        let mut items: Vec<&Item> = c.items.iter().filter(|i| i.span.file == id).collect();
        items.sort_by_key(|i| i.span.start);
        files.push((sources.name(id), items));
    }
    files
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
