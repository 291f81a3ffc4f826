//! Project: the errors that stop a run before any policy is read (exit code 2).

use std::ops::Range;
use std::path::PathBuf;

/// Why a policy set could not be loaded. These are the tool's own failures,
/// not findings about policies.
#[derive(Debug)]
pub enum ProjectError {
    /// A path given or configured does not exist.
    Missing { path: PathBuf },
    /// A file or folder could not be read.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A folder holds no `.atom` file.
    NoPolicies { path: PathBuf },
    /// A path names something other than a regular file or a folder (a
    /// FIFO or a device, which could block or never end).
    NotAFile { path: PathBuf },
    /// No path was given and no `atom.toml` was found.
    NoInputs,
    /// A `git:REV` input could not be read (git failed, or the revision
    /// has no manifest or no policy files where its manifest says).
    Revision { rev: String, message: String },
    /// `atom.toml` is not valid.
    Manifest {
        path: PathBuf,
        text: String,
        message: String,
        span: Option<Range<usize>>,
        /// What the key that failed accepts.
        help: &'static str,
    },
}

impl std::fmt::Display for ProjectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProjectError::Missing { path } => write!(f, "`{}` does not exist", path.display()),
            ProjectError::Io { path, error } => {
                write!(f, "could not read `{}`: {error}", path.display())
            }
            ProjectError::NoPolicies { path } => {
                write!(f, "no `.atom` files under `{}`", path.display())
            }
            ProjectError::NotAFile { path } => {
                write!(f, "`{}` is not a regular file", path.display())
            }
            ProjectError::NoInputs => {
                write!(f, "no policy path given and no `atom.toml` found")
            }
            ProjectError::Manifest { path, message, .. } => {
                write!(f, "invalid `{}`: {message}", path.display())
            }
            ProjectError::Revision { rev, message } => write!(f, "`git:{rev}`: {message}"),
        }
    }
}

impl std::error::Error for ProjectError {}

impl ProjectError {
    /// A hint for fixing the error, where there is one.
    pub fn help(&self) -> Option<&'static str> {
        match self {
            ProjectError::NoInputs => Some(
                "pass a file or folder (`atom check policies`), or create `atom.toml` with `sources = [\"policies\"]`",
            ),
            ProjectError::NoPolicies { .. } => {
                Some("policy files end in `.atom`; check the path or the `sources` of `atom.toml`")
            }
            ProjectError::NotAFile { .. } => {
                Some("policy files are regular files; a FIFO, socket or device is not read")
            }
            ProjectError::Manifest { help, .. } => Some(help),
            ProjectError::Revision { .. } => Some(
                "`git:REV` reads the files a build of REV would: the sources of `atom.toml` as it is at REV, with `git` on PATH",
            ),
            _ => None,
        }
    }
}
