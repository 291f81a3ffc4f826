//! CLI: the table a decision command reads: `--table FILE`, or `--sources PATH...` compiled in memory.

use std::io::Write;
use std::path::PathBuf;

use miette::miette;

use super::compiled::compile_set;
use super::set::SetArgs;
use super::{report, tool_error, ColorArg, FormatArg, OutputArgs};
use crate::diag::render::diagnostics_value;
use crate::table::OwnedTable;

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
        let bytes = match &self.table {
            Some(path) => crate::table::read_file(path).map_err(|e| {
                miette!(
                    code = "atom::io",
                    "could not read `{}`: {e}",
                    path.display()
                )
            })?,
            None => match self.compile(json)? {
                Some(bytes) => bytes,
                None => return Ok(None),
            },
        };
        let table = OwnedTable::from_bytes(bytes).map_err(|e| {
            miette!(code = "atom::table", "{}", e).wrap_err(match &self.table {
                Some(p) => format!("`{}` is not a usable policy table", p.display()),
                None => "the compiled table did not load".to_string(),
            })
        })?;
        Ok(Some(table))
    }

    fn compile(&self, json: bool) -> miette::Result<Option<Vec<u8>>> {
        let set = SetArgs {
            paths: self.sources.clone(),
            config: self.config.clone(),
            ..SetArgs::default()
        };
        let compiled = compile_set(&set).map_err(|e| match e.code().map(|c| c.to_string()) {
            Some(code) if code == "atom::no_inputs" => miette!(
                code = "atom::no_inputs",
                help = "name a table with `--table FILE` (written by `atom build`), or policy files with `--sources PATH`; or run where an `atom.toml` names them",
                "no table or policy sources to decide from"
            ),
            _ => e,
        })?;
        match compiled {
            Ok(c) => Ok(Some(c.bytes)),
            Err(refused) if json => {
                let doc = serde_json::json!({
                    "error": "the policy set has errors",
                    "diagnostics": diagnostics_value(&refused.sources, &refused.errors),
                });
                writeln!(std::io::stdout(), "{doc}").map_err(tool_error::output)?;
                Ok(None)
            }
            Err(refused) => {
                let output = OutputArgs {
                    format: FormatArg::Human,
                    color: ColorArg::Auto,
                };
                report::print(&output, &refused.sources, &refused.errors)?;
                Ok(None)
            }
        }
    }
}
