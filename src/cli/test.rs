//! CLI: `atom test`, which runs every `test` block against the compiled table.

use std::io::Write;
use std::process::ExitCode;

use codespan_reporting::term::termcolor::BufferedStandardStream;

use super::compiled::{compile_set, Compiled};
use super::set::SetArgs;
use super::{report, tool_error};
use super::{ColorArg, FormatArg, OutputArgs};
use crate::eval::explain::Explanation;
use crate::table::Table;
use crate::testing::coverage::coverage;
use crate::testing::report::{coverage_text, refused_json, refused_junit, TestReport};
use crate::testing::{explain_line, run_selected};

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
    #[command(flatten)]
    pub set: SetArgs,
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
    /// Run only the `test` blocks whose name contains PATTERN.
    #[arg(long, value_name = "PATTERN")]
    pub filter: Option<String>,
    /// Also list the blocks, roles, assignments and grants that no test
    /// line exercises, per file with a percentage.
    #[arg(long)]
    pub coverage: bool,
}

pub fn run(args: TestArgs) -> miette::Result<ExitCode> {
    let compiled = match compile_set(&args.set)? {
        Ok(compiled) => compiled,
        Err(refused) => {
            let text = match args.format {
                TestFormat::Human => {
                    let output = OutputArgs {
                        format: FormatArg::Human,
                        color: args.color,
                    };
                    report::print(&output, &refused.sources, &refused.errors)?;
                    return Ok(ExitCode::from(1));
                }
                TestFormat::Json => refused_json(&refused.sources, &refused.errors),
                TestFormat::Junit => refused_junit(&refused.sources, &refused.errors),
            };
            write_stdout(&text)?;
            return Ok(ExitCode::from(1));
        }
    };
    let table = Table::from_bytes(&compiled.bytes).map_err(|e| {
        miette::miette!(code = "atom::table", "the compiled table did not load: {e}")
    })?;
    run_on(&args, &compiled, &table)
}

fn run_on(args: &TestArgs, compiled: &Compiled, table: &Table<'_>) -> miette::Result<ExitCode> {
    let model = &compiled.model;
    let selected = |name: &str| args.filter.as_deref().is_none_or(|p| name.contains(p));
    let outcomes = run_selected(model, table, selected);
    let lines: Vec<_> = model
        .tests
        .iter()
        .filter(|t| selected(&t.name))
        .flat_map(|t| &t.lines)
        .collect();
    let explanations: Vec<Option<Explanation>> = lines
        .iter()
        .zip(&outcomes)
        .map(|(line, outcome)| (!outcome.passed).then(|| explain_line(model, table, line)))
        .collect();
    let covered = args.coverage.then(|| coverage(model, table, &lines));
    if let (Some(pattern), true) = (&args.filter, outcomes.is_empty()) {
        eprintln!("no test block's name contains `{pattern}`");
    }
    let failed = outcomes.iter().filter(|o| !o.passed).count();
    let passed = outcomes.len() - failed;
    let test_report = TestReport {
        table,
        sources: &compiled.sources,
        outcomes: &outcomes,
        explanations: &explanations,
        coverage: covered.as_ref(),
    };
    let text = match args.format {
        TestFormat::Human => {
            let mut stderr = BufferedStandardStream::stderr(report::color_choice(args.color));
            test_report
                .write_failures(&mut stderr)
                .map_err(tool_error::output)?;
            std::io::Write::flush(&mut stderr).map_err(tool_error::output)?;
            let mut text = format!("{passed} passed, {failed} failed\n");
            if let Some(c) = &covered {
                text += &coverage_text(&compiled.sources, c);
            }
            text
        }
        TestFormat::Json => test_report.json(),
        TestFormat::Junit => test_report.junit(),
    };
    write_stdout(&text)?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn write_stdout(text: &str) -> miette::Result<()> {
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(tool_error::output)
}
