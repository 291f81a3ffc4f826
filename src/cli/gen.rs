//! CLI: `atom gen` (hidden), which writes a generated policy set to a folder.

use std::path::PathBuf;
use std::process::ExitCode;

use miette::miette;

use crate::gen::{generate, Shape};

#[derive(Debug, clap::Args)]
pub struct GenArgs {
    /// The folder to write `vocabulary.atom` and `tenant-N.atom` into.
    #[arg(long)]
    pub out: PathBuf,
    /// Scale: about 1,000 devices and 400 blocks per unit.
    #[arg(long, default_value_t = 1)]
    pub scale: usize,
    /// `standard` (by --scale), or `large`: 5,000 entities and 500 blocks
    /// per tenant, with --scale tenants (20 gives the checker's target).
    #[arg(long, default_value = "standard")]
    pub shape: String,
    /// The seed; the same seed and shape always give the same files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

pub fn run(args: GenArgs) -> miette::Result<ExitCode> {
    let shape = match args.shape.as_str() {
        "standard" => Shape::scale(args.scale),
        "large" => Shape::large(args.scale),
        other => {
            return Err(miette!(
                code = "atom::usage",
                "unknown shape `{other}`; use `standard` or `large`"
            ))
        }
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|e| super::tool_error::io("create", &args.out, &e))?;
    for file in generate(args.seed, &shape) {
        let path = args.out.join(&file.name);
        std::fs::write(&path, file.text).map_err(|e| super::tool_error::io("write", &path, &e))?;
    }
    eprintln!(
        "wrote {} tenants, {} entities, {} blocks to `{}`",
        shape.tenants,
        shape.total_entities(),
        shape.total_blocks(),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
