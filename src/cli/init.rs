//! CLI: `atom init [DIR]`, which writes a starter project that passes `atom check` and `atom test`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The starter project: each file's path in the project, and its text.
const FILES: [(&str, &str); 3] = [
    ("atom.toml", include_str!("init/atom.toml")),
    ("policies/example.atom", include_str!("init/example.atom")),
    (
        ".github/workflows/atom.yml",
        include_str!("init/workflow.yml"),
    ),
];

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to create the project in (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

pub fn run(args: InitArgs) -> miette::Result<ExitCode> {
    let existing: Vec<String> = FILES
        .iter()
        .filter(|(path, _)| args.dir.join(path).exists())
        .map(|(path, _)| format!("`{}`", shown(&args.dir, path)))
        .collect();
    if !existing.is_empty() {
        return Err(miette::miette!(
            code = "atom::init",
            help = "run `atom init` in an empty folder, or name a new one: `atom init my-policies`",
            "refusing to overwrite {}",
            existing.join(", ")
        ));
    }
    for (path, text) in FILES {
        let target = args.dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| io(&target, &e))?;
        }
        std::fs::write(&target, text).map_err(|e| io(&target, &e))?;
        eprintln!("created `{}`", shown(&args.dir, path));
    }
    let cd = if args.dir == Path::new(".") {
        String::new()
    } else {
        format!("cd {} && ", args.dir.display())
    };
    ignore_target(&args.dir)?;
    eprintln!("next: {cd}atom check && atom test");
    Ok(ExitCode::SUCCESS)
}

/// What `.gitignore` needs: the built table (`target/`) is an artifact,
/// not a source.
const IGNORED: &str = "/target/";

/// Writes `.gitignore` with [`IGNORED`], or adds the line to an existing
/// one that lacks it (an existing repository keeps its own).
fn ignore_target(dir: &Path) -> miette::Result<()> {
    let path = dir.join(".gitignore");
    let existing = std::fs::read_to_string(&path).unwrap_or_default();
    if existing
        .lines()
        .any(|l| matches!(l.trim(), "/target/" | "target/" | "/target" | "target"))
    {
        return Ok(());
    }
    let verb = if existing.is_empty() {
        "created"
    } else {
        "updated"
    };
    let mut text = existing;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(IGNORED);
    text.push('\n');
    std::fs::write(&path, text).map_err(|e| io(&path, &e))?;
    eprintln!("{verb} `{}`", shown(dir, ".gitignore"));
    Ok(())
}

fn shown(dir: &Path, path: &str) -> String {
    if dir == Path::new(".") {
        path.to_string()
    } else {
        dir.join(path).display().to_string()
    }
}

fn io(path: &Path, error: &std::io::Error) -> miette::Report {
    miette::miette!(
        code = "atom::io",
        "could not write `{}`: {error}",
        path.display()
    )
}
