//! CLI: checking and compiling sources in memory, shared by `build`, `query` and `test`.

use std::path::{Path, PathBuf};

use super::{report, tool_error, OutputArgs};
use crate::check::check_sources;
use crate::check::model::Model;
use crate::compile::{compile, source_hash};
use crate::diag::{self, SourceMap, Summary};
use crate::project::{load_sources, resolve_inputs};

/// A policy set that checked clean, with its table.
pub struct Compiled {
    pub sources: SourceMap,
    pub model: Model,
    pub bytes: Vec<u8>,
}

/// Loads, checks and compiles. When the policies have errors, prints them
/// (in `output`'s format) and returns `None`.
pub fn compile_inputs(paths: &[PathBuf], output: &OutputArgs) -> miette::Result<Option<Compiled>> {
    let inputs = resolve_inputs(paths, Path::new(".")).map_err(tool_error::project)?;
    let loaded = load_sources(&inputs).map_err(tool_error::project)?;
    let mut diagnostics = loaded.diagnostics;
    let checked = check_sources(&loaded.sources);
    diagnostics.extend(checked.diagnostics.iter().cloned());
    diag::sort(&mut diagnostics);
    let model = match checked.into_complete_model() {
        Some(model) if Summary::of(&diagnostics).errors == 0 => model,
        _ => {
            report::print(output, &loaded.sources, &diagnostics)?;
            return Ok(None);
        }
    };
    let bytes = compile(&model, source_hash(&loaded.sources));
    Ok(Some(Compiled {
        sources: loaded.sources,
        model,
        bytes,
    }))
}
