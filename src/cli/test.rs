//! CLI: `atom test`, which runs every `test` block against the compiled table.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::term::{self, termcolor::StandardStream};

use crate::diag::visible::visible;
use crate::diag::SourceMap;
use miette::IntoDiagnostic;
use serde_json::json;

use super::compiled::compile_inputs;
use super::requests::{decision_json, explanation_lines};
use super::tool_error;
use super::{ColorArg, OutputArgs};
use crate::eval::explain::{block_name, via_text, Explanation};
use crate::table::Table;
use crate::testing::{explain_line, run_tests, LineOutcome};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TestFormat {
    /// Failing lines with their source, then `N passed, N failed`.
    Human,
    /// One JSON document with every line's outcome.
    Json,
    /// JUnit XML, one test case per line.
    Junit,
}

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Files or folders holding the policy set and its tests; without one,
    /// the `sources` of `atom.toml`.
    pub paths: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
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

/// Text for XML 1.0: markup escaped, and characters XML cannot hold (most
/// controls) written as `\u{XX}`, so the document stays valid.
fn xml_escape(s: &str) -> String {
    crate::diag::visible::visible(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

pub fn run(args: TestArgs) -> miette::Result<ExitCode> {
    let report = OutputArgs {
        format: super::FormatArg::Human,
        color: args.color,
    };
    let Some(compiled) = compile_inputs(&args.paths, &report)? else {
        return Ok(ExitCode::from(1));
    };
    let table = Table::from_bytes(&compiled.bytes)
        .map_err(|e| miette::miette!("the compiled table did not load: {e}"))?;
    let outcomes = run_tests(&compiled.model, &table);
    let explanations: Vec<Option<Explanation>> = compiled
        .model
        .tests
        .iter()
        .flat_map(|t| &t.lines)
        .zip(&outcomes)
        .map(|(line, outcome)| {
            (!outcome.passed).then(|| explain_line(&compiled.model, &table, line))
        })
        .collect();
    let failed = outcomes.iter().filter(|o| !o.passed).count();
    let passed = outcomes.len() - failed;
    let report = Report {
        table: &table,
        sources: &compiled.sources,
        outcomes: &outcomes,
        explanations: &explanations,
        passed,
        failed,
    };
    let mut out = std::io::stdout().lock();
    match args.format {
        TestFormat::Human => report.human(&mut out, args.color)?,
        TestFormat::Json => report.json(&mut out)?,
        TestFormat::Junit => report.junit(&mut out)?,
    }
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The results of a test run, for one of the formats.
struct Report<'r> {
    table: &'r Table<'r>,
    sources: &'r SourceMap,
    outcomes: &'r [LineOutcome],
    explanations: &'r [Option<Explanation>],
    passed: usize,
    failed: usize,
}

impl Report<'_> {
    /// Failures rendered rustc-style on stderr, then the counts on `out`.
    fn human(&self, out: &mut impl Write, color: ColorArg) -> miette::Result<()> {
        let Report {
            table,
            sources,
            outcomes,
            explanations,
            passed,
            failed,
        } = self;
        let choice = super::report::color_choice(color);
        let mut stderr = StandardStream::stderr(choice);
        let printable = sources.printable();
        let sources = printable.as_ref().unwrap_or(sources);
        for (o, e) in outcomes.iter().zip(explanations.iter()) {
            let Some(e) = e else { continue };
            let action = o.request.split(' ').nth(1).unwrap_or("");
            let d = CsDiagnostic::error()
                .with_message(
                    visible(&format!(
                        "test `{}` failed: expected {}",
                        o.test,
                        expected_text(o)
                    ))
                    .into_owned(),
                )
                .with_labels(vec![Label::primary(o.span.file, o.span.range())
                    .with_message(
                        visible(&format!("decided {}", actual_text(table, o))).into_owned(),
                    )])
                .with_notes(vec![
                    visible(&explanation_lines(e, action).join("\n")).into_owned()
                ]);
            term::emit_to_write_style(&mut stderr, &term::Config::default(), sources, &d)
                .map_err(|e| miette::miette!("could not print a failure: {e}"))?;
        }
        writeln!(out, "{passed} passed, {failed} failed").map_err(tool_error::output)?;
        Ok(())
    }

    /// One JSON document with every line and the counts.
    fn json(&self, out: &mut impl Write) -> miette::Result<()> {
        let Report {
            table,
            sources,
            outcomes,
            explanations,
            passed,
            failed,
        } = self;
        let lines: Vec<_> = outcomes
            .iter()
            .zip(explanations.iter())
            .map(|(o, e)| {
                let (start, _) = sources.span_lines(o.span);
                json!({
                    "test": o.test,
                    "file": sources.name(o.span.file),
                    "line": start.line,
                    "column": start.column,
                    "request": o.request,
                    "expected": expected_text(o),
                    "passed": o.passed,
                    "actual": decision_json(table, &o.decision, e.as_ref()),
                })
            })
            .collect();
        let doc = json!({ "tests": lines, "summary": { "passed": passed, "failed": failed } });
        let text = serde_json::to_string_pretty(&doc).into_diagnostic()?;
        writeln!(out, "{text}").map_err(tool_error::output)?;
        Ok(())
    }

    /// JUnit XML, one test case per line.
    fn junit(&self, out: &mut impl Write) -> miette::Result<()> {
        let Report {
            table,
            sources,
            outcomes,
            explanations,
            failed,
            ..
        } = self;
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>").map_err(tool_error::output)?;
        writeln!(
            out,
            "<testsuites tests=\"{}\" failures=\"{failed}\">",
            outcomes.len()
        )
        .map_err(tool_error::output)?;
        writeln!(
            out,
            "  <testsuite name=\"atom\" tests=\"{}\" failures=\"{failed}\">",
            outcomes.len()
        )
        .map_err(tool_error::output)?;
        for (o, e) in outcomes.iter().zip(explanations.iter()) {
            let (start, _) = sources.span_lines(o.span);
            let name = format!("{} (line {}): {}", o.test, start.line, o.request);
            write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\"",
                xml_escape(sources.name(o.span.file)),
                xml_escape(&name)
            )
            .map_err(tool_error::output)?;
            match e {
                None => writeln!(out, "/>").map_err(tool_error::output)?,
                Some(e) => {
                    let action = o.request.split(' ').nth(1).unwrap_or("");
                    writeln!(out, ">").map_err(tool_error::output)?;
                    writeln!(
                        out,
                        "      <failure message=\"expected {}, got {}\">{}</failure>",
                        xml_escape(&expected_text(o)),
                        xml_escape(&actual_text(table, o)),
                        xml_escape(&explanation_lines(e, action).join("\n"))
                    )
                    .into_diagnostic()?;
                    writeln!(out, "    </testcase>").map_err(tool_error::output)?;
                }
            }
        }
        writeln!(out, "  </testsuite>\n</testsuites>").map_err(tool_error::output)?;
        Ok(())
    }
}
