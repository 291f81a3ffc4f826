//! CLI: choosing and loading a run's policy set (paths, `--config`, lint levels), shared by every command that reads one.

use std::path::{Path, PathBuf};

use super::tool_error;
use crate::lint::{Level, LintConfig};
use crate::project::{load_sources, select, Selection};
use crate::workspace::Workspace;

/// The policy set of a run and the manifest that configures it.
#[derive(Debug, Default, clap::Args)]
pub struct SetArgs {
    /// Files or folders of the policy set (folders are searched for
    /// `*.atom`). Without one, the `sources` of the nearest `atom.toml`.
    pub paths: Vec<PathBuf>,
    /// The manifest to use, instead of the nearest `atom.toml` above the
    /// first path (or above the current folder).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Make a lint or category an error; `--deny warnings` makes every warning one.
    #[arg(long, value_name = "LINT")]
    pub deny: Vec<String>,
    /// Turn a lint or category off.
    #[arg(long, value_name = "LINT")]
    pub allow: Vec<String>,
    /// Say which manifest and files the run uses (on stderr).
    #[arg(short, long)]
    pub verbose: bool,
}

impl SetArgs {
    /// The set's paths and the manifest that governs them.
    pub fn select(&self) -> miette::Result<Selection> {
        let selection = select(&self.paths, self.config.as_deref(), Path::new("."))
            .map_err(tool_error::project)?;
        if self.verbose {
            match &selection.manifest {
                Some(g) => eprintln!("using manifest `{}`", g.path.display()),
                None => eprintln!("no `atom.toml` governs these paths: default lint levels"),
            }
        }
        Ok(selection)
    }

    /// Lint levels: the manifest's `[lint]`, then `--allow` and `--deny`.
    pub fn lint_config(&self, selection: &Selection) -> miette::Result<LintConfig> {
        let mut config = selection.lint_config();
        for (names, level) in [(&self.allow, Level::Allow), (&self.deny, Level::Deny)] {
            for name in names {
                if name == "warnings" && level == Level::Deny {
                    config.deny_warnings = true;
                } else if LintConfig::known_key(name) {
                    config.set(name, level);
                } else {
                    return Err(unknown_lint(name));
                }
            }
        }
        Ok(config)
    }

    /// Selects, loads and configures the set: a workspace ready to analyse.
    pub fn workspace(&self) -> miette::Result<(Selection, Workspace)> {
        let selection = self.select()?;
        let config = self.lint_config(&selection)?;
        let loaded = load_sources(&selection.inputs).map_err(tool_error::project)?;
        if self.verbose {
            eprintln!("policy files: {}", loaded.sources.files().count());
        }
        Ok((selection, Workspace::from_loaded(loaded, config)))
    }
}

fn unknown_lint(name: &str) -> miette::Report {
    let names = crate::lint::RULES
        .iter()
        .map(|r| r.name)
        .chain(crate::lint::Category::ALL.iter().map(|c| c.name()));
    let hint = crate::check::suggest_closest(name, names)
        .map_or(String::new(), |s| format!("did you mean `{s}`? "));
    let help = format!("{hint}`atom rule --list` lists the lints; the categories are correctness, security, suspicious and style");
    miette::miette!(
        code = "atom::usage",
        help = help,
        "`{name}` is not a lint or a lint category"
    )
}
