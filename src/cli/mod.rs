//! CLI: the `atom` command (clap derive); each subcommand has its own module.
//!
//! Exit codes: 0 when there is no error, 1 when the policies have an error,
//! 2 when the tool itself could not run (bad flag, unreadable path, invalid
//! `atom.toml`). The tool's own failures are reported through miette.

mod access;
mod build;
mod check;
mod compiled;
mod diff;
mod fmt;
mod gen;
mod init;
mod input;
mod plan;
mod progress;
mod query;
mod report;
mod rule;
#[cfg(feature = "serve")]
mod serve;
mod set;
mod sign;
mod table_info;
mod test;
mod tool_error;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diag::render::Format;

/// The exit codes, as `atom --help` ends (the README's table says the same;
/// a test compares them).
pub const EXIT_CODES: &str = "Exit codes:
  0  success: no error, every test passed, the query was allowed, every request line was answered
  1  the policies have an error (a lint set to `deny` included), a test failed, the query was denied, `fmt --check` or `check --fix --diff` found a change to make, `diff --deny-new-access` found new access, or `verify` refused a signature
  2  the tool could not run: a usage error, a missing or unreadable path, an invalid `atom.toml`, a corrupt table, a request line that could not be decided, or for `diff`, `who-can` and `what-can` a set that does not compile or an access not decided exactly, or for `plan` a condition without an exact plan";

/// `atom --version`: the release, the commit it was built from, and the
/// table format it writes and reads.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("ATOM_COMMIT"),
    ", table format ",
    env!("ATOM_TABLE_FORMAT"),
    ")"
);

/// Policy-as-code for the Atom access model.
#[derive(Debug, Parser)]
#[command(name = "atom", version = VERSION, about, propagate_version = true, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a starter project: manifest, example policy with tests, CI workflow.
    Init(init::InitArgs),
    /// Parse and check a policy set; report every error.
    Check(check::CheckArgs),
    /// Compile a policy set into a binary decision table.
    Build(build::BuildArgs),
    /// Rewrite policy files in the canonical layout.
    Fmt(fmt::FmtArgs),
    /// Decide requests from a table (or from sources compiled in memory).
    Query(query::QueryArgs),
    /// Run the `test` blocks of a policy set.
    Test(test::TestArgs),
    /// Show who gains or loses what between two policies.
    Diff(diff::DiffArgs),
    /// List who may perform an action on an object: allow or conditional, with the grant.
    WhoCan(access::WhoCanArgs),
    /// List what a subject may do: every action and object it is allowed or conditionally allowed.
    WhatCan(access::WhatCanArgs),
    /// Plan a listing: the predicate over an object that holds exactly for the objects SUBJECT may ACTION.
    Plan(plan::PlanArgs),
    /// Serve decisions over HTTP (AuthZEN 1.0) and gRPC, from a table or from sources.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// Make a key pair for signing tables (minisign's format).
    Keygen(sign::KeygenArgs),
    /// Sign a table: write `TABLE.minisig`.
    Sign(sign::SignArgs),
    /// Check a table's signature against trusted public keys.
    Verify(sign::VerifyArgs),
    /// Inspect a compiled table.
    Table {
        #[command(subcommand)]
        command: table_info::TableCommand,
    },
    /// Run the language server (LSP on stdin/stdout) for editors.
    Lsp,
    /// Print shell completions for `atom` (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell to complete for.
        shell: clap_complete::Shell,
    },
    /// Explain a lint rule, or list them all.
    Rule(rule::RuleArgs),
    /// Write a generated policy set (for benchmarks and scale tests).
    #[command(hide = true)]
    Gen(gen::GenArgs),
}

/// Options shared by commands that report diagnostics.
#[derive(Debug, clap::Args)]
pub struct OutputArgs {
    /// How to print findings.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto)]
    pub color: ColorArg,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// rustc-style reports with source snippets (on stderr).
    Human,
    /// One line a finding: `path:line:col: error[CODE]: message`.
    Short,
    /// One JSON document with every finding and a summary.
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Human => Format::Human,
            FormatArg::Short => Format::Short,
            FormatArg::Json => Format::Json,
            FormatArg::Sarif => Format::Sarif,
            FormatArg::Github => Format::Github,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Runs the tool on the process's arguments and returns its exit code.
///
/// `main` returns an `ExitCode` rather than `miette::Result` because the
/// contract needs three codes: a `miette::Result` error would exit with 1,
/// which means "the policies have errors", not "the tool failed".
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version: print them and succeed.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{:?}", tool_error::usage(&e));
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(code) => code,
        // The reader of our output went away (`atom ... | head`): stop quietly.
        Err(report) if broken_pipe(&report) => ExitCode::SUCCESS,
        Err(report) => {
            eprintln!("{report:?}");
            ExitCode::from(2)
        }
    }
}

fn broken_pipe(report: &miette::Report) -> bool {
    report.downcast_ref::<tool_error::OutputClosed>().is_some()
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> miette::Result<ExitCode> {
    match cli.command {
        Command::Init(args) => init::run(args),
        Command::Check(args) => check::run(args),
        Command::Build(args) => build::run(args),
        Command::Fmt(args) => fmt::run(args),
        Command::Query(args) => query::run(args),
        Command::Test(args) => test::run(args),
        Command::Diff(args) => diff::run(args),
        Command::WhoCan(args) => access::who(args),
        Command::Plan(args) => plan::run(&args),
        Command::WhatCan(args) => access::what(args),
        Command::Rule(args) => rule::run(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(args),
        Command::Keygen(args) => sign::keygen_run(args),
        Command::Sign(args) => sign::sign_run(args),
        Command::Verify(args) => sign::verify_run(args),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                shell,
                &mut <Cli as clap::CommandFactory>::command(),
                "atom",
                &mut out,
            );
            std::io::Write::write_all(&mut std::io::stdout(), &out).map_err(tool_error::output)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Table { command } => table_info::run(command),
        Command::Lsp => crate::lsp::run_stdio()
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| miette::miette!(code = "atom::lsp", "the language server stopped: {e}")),
        Command::Gen(args) => gen::run(args),
    }
}
