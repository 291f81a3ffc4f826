//! Project: finding a policy set (`atom.toml`, source folders) and loading its files.

pub mod error;
pub mod load;
pub mod manifest;
pub mod select;

pub use error::ProjectError;
pub use load::{load_sources, Loaded};
pub use manifest::{find_manifest, BuildConfig, Manifest, MANIFEST_NAME};
pub use select::{select, Governing, Selection};

use std::path::{Path, PathBuf};

/// Where a run's sources come from: paths given on the command line, or
/// else the `sources` of the nearest `atom.toml`.
pub fn resolve_inputs(paths: &[PathBuf], cwd: &Path) -> Result<Vec<PathBuf>, ProjectError> {
    if !paths.is_empty() {
        return Ok(paths.to_vec());
    }
    match find_manifest(cwd)? {
        Some((dir, manifest)) => Ok(manifest.sources.iter().map(|s| dir.join(s)).collect()),
        None => Err(ProjectError::NoInputs),
    }
}

/// Where `atom build` writes when no `-o` is given: `[build] output` of the
/// nearest `atom.toml`, else `target/atom/policy.atomc` beside it (or in the
/// current folder when there is no manifest).
pub fn default_output(cwd: &Path) -> Result<PathBuf, ProjectError> {
    Ok(match find_manifest(cwd)? {
        Some((dir, m)) => dir.join(
            m.build
                .output
                .unwrap_or_else(|| PathBuf::from("target/atom/policy.atomc")),
        ),
        None => cwd.join("target/atom/policy.atomc"),
    })
}
