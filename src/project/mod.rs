//! Project: finding a policy set (`atom.toml`, source folders) and loading its files.

pub mod error;
pub mod git;
pub mod load;
pub mod manifest;
pub mod select;

pub use error::ProjectError;
pub use load::{is_policy_file, load_sources, Loaded};
pub use manifest::{find_manifest, BuildConfig, Manifest, MANIFEST_NAME};
pub use select::{select, Governing, Selection};
