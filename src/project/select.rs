//! Project: choosing a run's policy set and the manifest that governs it.
//!
//! The manifest of a run is, in order: the file given with `--config`; the
//! nearest `atom.toml` in the folder of the first path given, or a parent;
//! without paths, the nearest `atom.toml` in the current folder or a
//! parent. Its `[lint]` levels and `[build] output` apply to the run. The
//! sources are the paths given, else the manifest's `sources`.

use std::path::{Component, Path, PathBuf};

use super::manifest::{find_manifest, Manifest};
use super::ProjectError;

/// The manifest that governs a run, and where it is.
#[derive(Debug)]
pub struct Governing {
    /// The manifest file, as it should be shown (`atom.toml`, `../atom.toml`).
    pub path: PathBuf,
    /// The folder holding it: its relative paths start here.
    pub dir: PathBuf,
    pub manifest: Manifest,
}

/// A run's inputs: the paths to load and the governing manifest, if any.
#[derive(Debug)]
pub struct Selection {
    pub inputs: Vec<PathBuf>,
    pub manifest: Option<Governing>,
}

impl Selection {
    /// The lint levels of the governing manifest (defaults without one).
    pub fn lint_config(&self) -> crate::lint::LintConfig {
        self.manifest
            .as_ref()
            .map(|g| g.manifest.lint_config())
            .unwrap_or_default()
    }

    /// Where `atom build` writes when no `-o` is given: `[build] output` of
    /// the manifest, else `target/atom/policy.atomc` beside it (or in `cwd`).
    pub fn default_output(&self, cwd: &Path) -> PathBuf {
        let default = PathBuf::from("target/atom/policy.atomc");
        match &self.manifest {
            Some(g) => g
                .dir
                .join(g.manifest.build.output.clone().unwrap_or(default)),
            None => cwd.join(default),
        }
    }
}

/// Chooses the inputs and manifest for `paths` (as given on the command
/// line), an explicit `config` file, and the current folder `cwd`.
pub fn select(
    paths: &[PathBuf],
    config: Option<&Path>,
    cwd: &Path,
) -> Result<Selection, ProjectError> {
    let manifest = match config {
        Some(file) => Some(read_config(file)?),
        None => {
            let start = paths
                .first()
                .map_or(cwd.to_path_buf(), |p| folder_of(p, cwd));
            find_manifest(&start)?.map(|(dir, manifest)| {
                let dir = shown_dir(&dir);
                Governing {
                    path: dir.join(super::MANIFEST_NAME),
                    dir,
                    manifest,
                }
            })
        }
    };
    let inputs = if paths.is_empty() {
        match &manifest {
            Some(g) => g.manifest.sources.iter().map(|s| g.dir.join(s)).collect(),
            None => return Err(ProjectError::NoInputs),
        }
    } else {
        paths.to_vec()
    };
    Ok(Selection { inputs, manifest })
}

fn read_config(file: &Path) -> Result<Governing, ProjectError> {
    let text = std::fs::read_to_string(file).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => ProjectError::Missing {
            path: file.to_path_buf(),
        },
        _ => ProjectError::Io {
            path: file.to_path_buf(),
            error,
        },
    })?;
    let manifest = Manifest::parse(file, &text)?;
    let dir = tidy(file.parent().unwrap_or(Path::new("")));
    Ok(Governing {
        path: file.to_path_buf(),
        dir,
        manifest,
    })
}

/// The folder a path is in (itself for a folder); for a path that does not
/// exist, its nearest existing ancestor, so the missing path is reported by
/// the load rather than here.
fn folder_of(path: &Path, cwd: &Path) -> PathBuf {
    let mut at = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    while !at.as_os_str().is_empty() && !at.is_dir() {
        at = at.parent().map(Path::to_path_buf).unwrap_or_default();
    }
    if at.as_os_str().is_empty() {
        cwd.to_path_buf()
    } else {
        at
    }
}

/// The folder as it should be shown: folded when that names the same
/// folder (it does not when the walk went up from a link), else absolute.
fn shown_dir(dir: &Path) -> PathBuf {
    let tidied = tidy(dir);
    let same = |p: &Path| {
        std::fs::canonicalize(if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        })
        .ok()
    };
    match (same(&tidied), same(dir)) {
        (Some(a), Some(b)) if a == b => tidied,
        (_, Some(b)) => b,
        _ => dir.to_path_buf(),
    }
}

/// Removes `.` and folds `name/..` in a relative path, so that a manifest
/// found from `policies` shows as `atom.toml`, not `policies/../atom.toml`.
fn tidy(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_folds_names_and_parents() {
        assert_eq!(tidy(Path::new("policies/..")), PathBuf::new());
        assert_eq!(tidy(Path::new("./a/b/../..")), PathBuf::new());
        assert_eq!(tidy(Path::new("a/../../x")), PathBuf::from("../x"));
        assert_eq!(tidy(Path::new("/p/q/..")), PathBuf::from("/p"));
    }
}
