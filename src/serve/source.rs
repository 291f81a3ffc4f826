//! Serve: where the table comes from, a `.atomc` file (with its signature) or policy sources compiled in memory, and how to notice a change.

use std::path::PathBuf;
use std::time::SystemTime;

use crate::decision::TableSource;
pub use crate::decision::{Active, Trust};
use crate::verify::signature_path;

/// What `atom serve` serves.
#[derive(Clone, Debug)]
pub enum Source {
    /// A compiled table (production).
    Table(PathBuf),
    /// Policy files and folders, compiled in memory (development).
    Sources(Vec<PathBuf>),
}

impl Source {
    /// Reads, validates and (for a table with trusted keys) verifies the
    /// source whole, through the decision layer. Every failure is a
    /// message; nothing is swapped in.
    pub fn load(&self, trust: &Trust) -> Result<Active, String> {
        let source = match self {
            Source::Table(path) => TableSource::File(path.clone()),
            Source::Sources(paths) => TableSource::Sources {
                paths: paths.clone(),
                config: None,
            },
        };
        source.load(trust).map_err(|e| e.to_string())
    }

    /// A cheap fingerprint of the source's files (path, length, modified
    /// time): a change means "try to reload".
    pub fn fingerprint(&self) -> Vec<(PathBuf, u64, Option<SystemTime>)> {
        let files = match self {
            Source::Table(path) => vec![path.clone(), signature_path(path)],
            Source::Sources(paths) => crate::project::load::policy_files(paths).unwrap_or_default(),
        };
        files
            .into_iter()
            .map(|f| {
                let meta = std::fs::metadata(&f).ok();
                let len = meta.as_ref().map_or(0, std::fs::Metadata::len);
                let modified = meta.and_then(|m| m.modified().ok());
                (f, len, modified)
            })
            .collect()
    }
}
