//! CLI: `atom diff OLD NEW`, who gains or loses what between two policies (spec section 13).

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use super::{report, tool_error, ColorArg, FormatArg, OutputArgs};
use crate::analysis::diff::diff;
use crate::decision::{LoadError, TableSource, Trust};
use crate::request::diff::{human, json, markdown};
use crate::table::OwnedTable;

/// How to print a diff.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Groups of changes with counts and examples.
    Human,
    /// A summary table and collapsible details, for a pull-request comment.
    Markdown,
    /// `{"changes":[{"subject","action","object","old","new"}],"summary":{"gained","lost"}}`.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The policy before: a file, a folder, a `.atomc` table, or `git:REV`
    /// (the manifest's sources at git revision REV).
    pub old: String,
    /// The policy after, in the same forms.
    pub new: String,
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Exit 1 when any access grows (deny to conditional or allow,
    /// conditional to allow): the CI gate for pull requests.
    #[arg(long)]
    pub deny_new_access: bool,
    /// The manifest for folders and `git:REV` (default: the nearest `atom.toml`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub fn run(args: DiffArgs) -> miette::Result<ExitCode> {
    let (Some(old), Some(new)) = (load(&args, &args.old)?, load(&args, &args.new)?) else {
        return Ok(ExitCode::from(2));
    };
    let (changes, unsettled) = diff(&old.table(), &new.table());
    let text = match args.format {
        DiffFormat::Human => human(&changes),
        DiffFormat::Markdown => markdown(&changes),
        DiffFormat::Json => json(&changes),
    };
    std::io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(tool_error::output)?;
    for u in &unsettled {
        eprintln!(
            "undecided: {} {} {}: {}",
            u.subject, u.action, u.object, u.why
        );
    }
    let grew = changes.iter().any(|c| c.gained());
    Ok(ExitCode::from(if !unsettled.is_empty() {
        2
    } else if args.deny_new_access && grew {
        1
    } else {
        0
    }))
}

/// One side's table: read, compiled from files, or compiled from a git
/// revision (the decision layer's table source). `None` when the sources
/// have errors (reported on stderr).
fn load(args: &DiffArgs, input: &str) -> miette::Result<Option<OwnedTable>> {
    let _progress = super::progress::Progress::start(&format!("loading {input}"));
    match TableSource::parse(input, args.config.clone()).load(&Trust::local()) {
        Ok(active) => Ok(Some(active.table)),
        Err(LoadError::Refused(refused)) => {
            let output = OutputArgs {
                format: FormatArg::Human,
                color: ColorArg::Auto,
            };
            report::print(&output, &refused.sources, &refused.errors)?;
            Ok(None)
        }
        Err(e) => Err(tool_error::load(e)),
    }
}
