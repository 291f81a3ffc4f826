//! CLI: `atom build`, which compiles a policy set into a table file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use miette::{IntoDiagnostic, WrapErr};

use super::compiled::compile_inputs;
use super::{tool_error, OutputArgs};
use crate::project::default_output;

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Files or folders to compile; without one, the `sources` of `atom.toml`.
    pub paths: Vec<PathBuf>,
    /// Where to write the table (default: `[build] output` of `atom.toml`,
    /// else `target/atom/policy.atomc`).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub report: OutputArgs,
}

pub fn run(args: BuildArgs) -> miette::Result<ExitCode> {
    let Some(compiled) = compile_inputs(&args.paths, &args.report)? else {
        return Ok(ExitCode::from(1));
    };
    let out = match args.output {
        Some(p) => p,
        None => default_output(Path::new(".")).map_err(tool_error::project)?,
    };
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .into_diagnostic()
            .wrap_err_with(|| format!("could not create `{}`", dir.display()))?;
    }
    std::fs::write(&out, &compiled.bytes)
        .into_diagnostic()
        .wrap_err_with(|| format!("could not write `{}`", out.display()))?;
    let m = &compiled.model;
    eprintln!(
        "built `{}`: {} bytes; {} entities, {} objects, {} blocks, {} roles, {} tests",
        out.display(),
        compiled.bytes.len(),
        m.entities.len(),
        m.objects.len(),
        m.blocks.len(),
        m.roles.len(),
        m.tests.iter().map(|t| t.lines.len()).sum::<usize>()
    );
    Ok(ExitCode::SUCCESS)
}
