//! CLI: the table a decision command reads: `--table FILE`, or `--sources PATH...` compiled in memory.

use std::io::Write;
use std::path::PathBuf;

use miette::miette;

use super::{report, tool_error, ColorArg, FormatArg, OutputArgs};
use crate::decision::{Active, LoadError, TableSource, Trust};
use crate::diag::render::diagnostics_value;
use crate::project::ProjectError;
use crate::table::OwnedTable;
use crate::workspace::Refused;

/// Where the table comes from.
#[derive(Debug, clap::Args)]
pub struct TableArgs {
    /// The compiled table to decide from.
    #[arg(long, conflicts_with = "sources")]
    pub table: Option<PathBuf>,
    /// Policy files or folders to compile in memory instead of a table
    /// (default: the `sources` of `atom.toml`).
    #[arg(long)]
    pub sources: Vec<PathBuf>,
    /// The manifest to use for `--sources` (default: the nearest `atom.toml`).
    #[arg(long, value_name = "FILE", conflicts_with = "table")]
    pub config: Option<PathBuf>,
}

impl TableArgs {
    /// The table, or `None` when the sources have errors (reported: as one
    /// JSON document on stdout when `json`, else for people on stderr).
    pub fn load(&self, json: bool) -> miette::Result<Option<OwnedTable>> {
        Ok(self.load_active(json)?.map(|active| active.table))
    }

    /// [`TableArgs::load`], with what identifies the table (its revision).
    pub fn load_active(&self, json: bool) -> miette::Result<Option<Active>> {
        let source = match &self.table {
            Some(path) => TableSource::File(path.clone()),
            None => TableSource::Sources {
                paths: self.sources.clone(),
                config: self.config.clone(),
            },
        };
        let _progress = (self.table.is_none())
            .then(|| super::progress::Progress::start("loading the policy set"));
        match source.load(&Trust::local()) {
            Ok(active) => Ok(Some(active)),
            Err(LoadError::Refused(refused)) => {
                report_refused(&refused, json)?;
                Ok(None)
            }
            Err(LoadError::Project(ProjectError::NoInputs)) => Err(miette!(
                code = "atom::no_inputs",
                help = "name a table with `--table FILE` (written by `atom build`), or policy files with `--sources PATH`; or run where an `atom.toml` names them",
                "no table or policy sources to decide from"
            )),
            Err(e) => Err(tool_error::load(e)),
        }
    }
}

/// A policy set with errors: one JSON document on stdout when `json`,
/// else the diagnostics for people on stderr.
fn report_refused(refused: &Refused, json: bool) -> miette::Result<()> {
    if json {
        let doc = serde_json::json!({
            "error": "the policy set has errors",
            "diagnostics": diagnostics_value(&refused.sources, &refused.errors),
        });
        writeln!(std::io::stdout(), "{doc}").map_err(tool_error::output)?;
        return Ok(());
    }
    let output = OutputArgs {
        format: FormatArg::Human,
        color: ColorArg::Auto,
    };
    report::print(&output, &refused.sources, &refused.errors)
}
