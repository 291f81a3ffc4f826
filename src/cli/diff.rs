//! CLI: `atom diff OLD NEW`, who gains or loses what between two policies (spec section 13).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use miette::miette;

use super::compiled::{compile_set, compile_workspace};
use super::set::SetArgs;
use super::{report, tool_error, ColorArg, FormatArg, OutputArgs};
use crate::eval::diff::diff;
use crate::project::select;
use crate::request::diff::{human, json, markdown};
use crate::table::OwnedTable;
use crate::workspace::Workspace;

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
/// revision. `None` when the sources have errors (reported on stderr).
fn load(args: &DiffArgs, input: &str) -> miette::Result<Option<OwnedTable>> {
    let progress = super::progress::Progress::start(&format!("loading {input}"));
    let compiled = if let Some(rev) = input.strip_prefix("git:") {
        let (workspace, config) = git_workspace(rev, args.config.as_deref())?;
        compile_workspace(workspace, &config, &progress).map(|(_, _, bytes)| bytes)
    } else if is_table(Path::new(input)) {
        let bytes = crate::table::read_file(Path::new(input))
            .map_err(|e| miette!(code = "atom::io", "could not read `{input}`: {e}"))?;
        Ok(bytes)
    } else {
        let set = SetArgs {
            paths: vec![PathBuf::from(input)],
            config: args.config.clone(),
            ..SetArgs::default()
        };
        compile_set(&set)?.map(|c| c.bytes)
    };
    let bytes = match compiled {
        Ok(bytes) => bytes,
        Err(refused) => {
            let output = OutputArgs {
                format: FormatArg::Human,
                color: ColorArg::Auto,
            };
            report::print(&output, &refused.sources, &refused.errors)?;
            return Ok(None);
        }
    };
    OwnedTable::from_bytes(bytes).map(Some).map_err(|e| {
        miette!(
            code = "atom::table",
            "`{input}` is not a usable policy table: {e}"
        )
    })
}

/// A `.atomc` file, or any file that starts like a table.
fn is_table(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "atomc")
        || (path.is_file()
            && std::fs::File::open(path).is_ok_and(|mut f| {
                let mut head = [0u8; 4];
                std::io::Read::read_exact(&mut f, &mut head).is_ok()
                    && head == crate::table::format::MAGIC[..4]
            }))
}

/// The sources at a git revision as a build of it would read them (the
/// manifest at that revision, its sources, its lint levels); the work tree
/// is never touched.
fn git_workspace(
    rev: &str,
    config: Option<&Path>,
) -> miette::Result<(Workspace, crate::lint::LintConfig)> {
    let selection = select(&[], config, Path::new(".")).map_err(tool_error::project)?;
    let Some(governing) = &selection.manifest else {
        return Err(miette!(
            code = "atom::no_inputs",
            "`git:{rev}` reads the sources named by `atom.toml`, and there is none"
        ));
    };
    let dir = if governing.dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        governing.dir.clone()
    };
    let name = governing.path.file_name().map_or_else(
        || crate::project::MANIFEST_NAME.into(),
        |n| n.to_string_lossy(),
    );
    let at = crate::project::git::sources_at(rev, &dir, &name).map_err(tool_error::project)?;
    let mut ws = Workspace::default();
    ws.set_files(at.files);
    Ok((ws, at.manifest.lint_config()))
}
