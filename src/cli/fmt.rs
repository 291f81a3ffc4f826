//! CLI: `atom fmt`, which rewrites policy files in the canonical layout (spec section 11).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{report, tool_error, OutputArgs};
use crate::diag::{Diagnostic, FileId, SourceMap};
use crate::format::{format, same_table, FormatError};
use crate::project::{load_sources, select};
use crate::syntax::limits::MAX_FILE_BYTES;

#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Files or folders to format (folders are searched for `*.atom`), or
    /// `-` to format standard input to standard output. Without one, the
    /// `sources` of the nearest `atom.toml`.
    pub paths: Vec<PathBuf>,
    /// Write nothing; list the files that would change, and exit 1 if any would.
    #[arg(long)]
    pub check: bool,
    /// Write nothing; print a unified diff of the changes, and exit 1 if any.
    #[arg(long)]
    pub diff: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// What formatting a set found.
struct Outcome {
    /// Files whose text changes: id and new text.
    changed: Vec<(FileId, String)>,
    /// Syntax errors of the files left as they are.
    errors: Vec<Diagnostic>,
}

pub fn run(args: FmtArgs) -> miette::Result<ExitCode> {
    if args.paths.len() == 1 && args.paths[0] == Path::new("-") {
        return run_stdin(&args);
    }
    let selection = select(&args.paths, None, Path::new(".")).map_err(tool_error::project)?;
    let loaded = load_sources(&selection.inputs).map_err(tool_error::project)?;
    let sources = loaded.sources;
    let mut outcome = format_all(&sources, &loaded.diagnostics)?;
    outcome.errors.extend(loaded.diagnostics);
    check_decisions(&sources, &outcome.changed)?;
    if !outcome.errors.is_empty() {
        crate::diag::sort(&mut outcome.errors);
        report::print(&args.output, &sources, &outcome.errors)?;
    }
    if args.check || args.diff {
        show(&args, &sources, &outcome.changed)?;
    } else {
        for (id, text) in &outcome.changed {
            let path = PathBuf::from(sources.name(*id));
            std::fs::write(&path, text).map_err(|e| write_failed(&path, &e))?;
        }
    }
    let would_change = (args.check || args.diff) && !outcome.changed.is_empty();
    Ok(if would_change || !outcome.errors.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Formats every file that could be read as text.
fn format_all(sources: &SourceMap, unreadable: &[Diagnostic]) -> miette::Result<Outcome> {
    let mut outcome = Outcome {
        changed: Vec::new(),
        errors: Vec::new(),
    };
    for (id, file) in sources.files() {
        if unreadable.iter().any(|d| d.primary.span.file == id) {
            continue;
        }
        match format(id, &file.text) {
            Ok(text) if text != file.text => outcome.changed.push((id, text)),
            Ok(_) => {}
            Err(FormatError::Syntax(d)) => outcome.errors.extend(d),
            Err(FormatError::Unsound(why)) => return Err(unsound(&file.name, why)),
        }
    }
    Ok(outcome)
}

/// The set-level check: when the set compiles, the formatted set must
/// compile to the same decisions.
fn check_decisions(sources: &SourceMap, changed: &[(FileId, String)]) -> miette::Result<()> {
    if changed.is_empty() {
        return Ok(());
    }
    let mut after = SourceMap::new();
    for (id, file) in sources.files() {
        let text = changed
            .iter()
            .find(|(c, _)| *c == id)
            .map_or(file.text.as_str(), |(_, t)| t.as_str());
        after.add(file.name.clone(), text);
    }
    match same_table(sources, &after) {
        Some(false) => Err(unsound(
            "the policy set",
            "the formatted set compiles to different decisions",
        )),
        _ => Ok(()),
    }
}

/// `--check` lists the files; `--diff` prints their diffs.
fn show(args: &FmtArgs, sources: &SourceMap, changed: &[(FileId, String)]) -> miette::Result<()> {
    let mut stdout = std::io::stdout().lock();
    for (id, text) in changed {
        let name = sources.name(*id);
        let out = if args.diff {
            unified_diff(name, sources.text(*id), text)
        } else {
            format!("{name}\n")
        };
        stdout
            .write_all(out.as_bytes())
            .map_err(tool_error::output)?;
    }
    Ok(())
}

/// A unified diff of one file (for `atom fmt --diff` and `atom check --fix --diff`).
pub(super) fn unified_diff(name: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .header(name, name)
        .to_string()
}

/// `atom fmt -`: standard input to standard output.
fn run_stdin(args: &FmtArgs) -> miette::Result<ExitCode> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| read_failed(&e))?;
    crate::project::load::strip_bom(&mut bytes);
    let mut sources = SourceMap::new();
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(_) => return Err(read_failed(&std::io::ErrorKind::InvalidData.into())),
    };
    let id = sources.add("<stdin>", text);
    match format(id, sources.text(id)) {
        Err(FormatError::Syntax(errors)) => {
            report::print(&args.output, &sources, &errors)?;
            Ok(ExitCode::from(1))
        }
        Err(FormatError::Unsound(why)) => Err(unsound("<stdin>", why)),
        Ok(text) => {
            let old = sources.text(id);
            let out = match (args.check, args.diff) {
                (_, true) if text != old => unified_diff("<stdin>", old, &text),
                (false, false) => text.clone(),
                _ => String::new(),
            };
            std::io::stdout()
                .write_all(out.as_bytes())
                .map_err(tool_error::output)?;
            let differs = (args.check || args.diff) && text != old;
            Ok(ExitCode::from(u8::from(differs)))
        }
    }
}

fn unsound(what: &str, why: &str) -> miette::Report {
    miette::miette!(
        code = "atom::fmt_unsound",
        help = "nothing was written; this is a bug in `atom fmt`, please report it with the file",
        "refusing to format `{what}`: {why}"
    )
}

fn write_failed(path: &Path, error: &std::io::Error) -> miette::Report {
    miette::miette!(
        code = "atom::io",
        "could not write `{}`: {error}",
        path.display()
    )
}

fn read_failed(error: &std::io::Error) -> miette::Report {
    miette::miette!(
        code = "atom::io",
        help = "`atom fmt -` reads UTF-8 policy text of at most 64 MiB",
        "could not read standard input: {error}"
    )
}
