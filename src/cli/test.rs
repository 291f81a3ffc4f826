//! CLI: `atom test`, which runs every `test` block against the compiled table.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use codespan_reporting::term::termcolor::StandardStream;

use super::compiled::compile_inputs;
use super::tool_error;
use super::{ColorArg, OutputArgs};
use crate::eval::explain::Explanation;
use crate::table::Table;
use crate::testing::report::TestReport;
use crate::testing::{explain_line, run_tests};

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
    let report = TestReport {
        table: &table,
        sources: &compiled.sources,
        outcomes: &outcomes,
        explanations: &explanations,
    };
    let text = match args.format {
        TestFormat::Human => {
            let mut stderr = StandardStream::stderr(super::report::color_choice(args.color));
            report
                .write_failures(&mut stderr)
                .map_err(tool_error::output)?;
            format!("{passed} passed, {failed} failed\n")
        }
        TestFormat::Json => report.json(),
        TestFormat::Junit => report.junit(),
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(tool_error::output)?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
