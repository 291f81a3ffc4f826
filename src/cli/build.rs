//! CLI: `atom build`, which compiles a policy set into a table file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::compiled::compile_set;
use super::set::SetArgs;
use super::OutputArgs;
use super::{report, tool_error};

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub set: SetArgs,
    /// Where to write the table (default: `[build] output` of `atom.toml`,
    /// else `target/atom/policy.atomc`).
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Sign the table with this secret key: write `TABLE.minisig` too.
    #[arg(long, value_name = "KEY")]
    pub sign: Option<PathBuf>,
    #[command(flatten)]
    pub signing: super::sign::SignOptions,
    #[command(flatten)]
    pub report: OutputArgs,
}

pub fn run(args: BuildArgs) -> miette::Result<ExitCode> {
    let compiled = match compile_set(&args.set)? {
        Ok(compiled) => compiled,
        Err(refused) => {
            report::print(&args.report, &refused.sources, &refused.errors)?;
            return Ok(ExitCode::from(1));
        }
    };
    let out = args
        .output
        .unwrap_or_else(|| compiled.selection.default_output(Path::new(".")));
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| tool_error::io("create", dir, &e))?;
    }
    std::fs::write(&out, &compiled.bytes).map_err(|e| tool_error::io("write", &out, &e))?;
    if let Some(key) = &args.sign {
        super::sign::sign_bytes(&out, &compiled.bytes, key, &args.signing)?;
    }
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
