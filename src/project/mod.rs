//! Project: finding a policy set (`atom.toml`, source folders) and loading its files.

pub mod error;
pub mod load;
pub mod manifest;

pub use error::ProjectError;
pub use load::{load_sources, Loaded};
pub use manifest::{find_manifest, Manifest, MANIFEST_NAME};

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
