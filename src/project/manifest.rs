//! Project: the manifest `atom.toml`, read with serde and toml.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::lint::{Level, LintConfig};

use super::ProjectError;

/// The manifest's file name.
pub const MANIFEST_NAME: &str = "atom.toml";

/// The contents of `atom.toml`. Unknown keys are errors, so that a typo
/// never silently changes what CI checks.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Folders (or files) holding the policy set, relative to `atom.toml`.
    #[serde(default = "default_sources")]
    pub sources: Vec<PathBuf>,
    /// `[build]`: where `atom build` writes the table.
    #[serde(default)]
    pub build: BuildConfig,
    /// `[lint]`: levels by rule or category name.
    #[serde(default)]
    pub lint: BTreeMap<toml::Spanned<String>, Level>,
}

/// The `[build]` table of `atom.toml`.
#[derive(Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BuildConfig {
    /// The table file, relative to `atom.toml` (default `target/atom/policy.atomc`).
    pub output: Option<PathBuf>,
}

fn default_sources() -> Vec<PathBuf> {
    vec![PathBuf::from("policies")]
}

impl Manifest {
    /// Parses the text of a manifest; `path` is used in errors.
    pub fn parse(path: &Path, text: &str) -> Result<Manifest, ProjectError> {
        let manifest: Manifest = toml::from_str(text).map_err(|e| ProjectError::Manifest {
            path: path.to_path_buf(),
            text: text.to_string(),
            message: e.message().trim_end_matches('\n').to_string(),
            span: e.span(),
        })?;
        if let Some(key) = manifest
            .lint
            .keys()
            .find(|k| !LintConfig::known_key(k.get_ref()))
        {
            let name = key.get_ref();
            let hint = crate::check::suggest_closest(
                name,
                crate::lint::RULES
                    .iter()
                    .map(|r| r.name)
                    .chain(crate::lint::Category::ALL.iter().map(|c| c.name())),
            )
            .map_or(String::new(), |s| format!("; did you mean `{s}`?"));
            return Err(ProjectError::Manifest {
                path: path.to_path_buf(),
                text: text.to_string(),
                message: format!("`{name}` is not a lint or a lint category{hint}"),
                span: Some(key.span()),
            });
        }
        Ok(manifest)
    }

    /// The lint levels this manifest sets.
    pub fn lint_config(&self) -> LintConfig {
        let mut config = LintConfig::default();
        for (key, level) in &self.lint {
            config.set(key.get_ref(), *level);
        }
        config
    }
}

/// Looks for `atom.toml` in `start` and its parents. Returns the folder it is
/// in (relative to `start` when `start` is relative, so that file names in
/// reports stay short) and the parsed manifest.
pub fn find_manifest(start: &Path) -> Result<Option<(PathBuf, Manifest)>, ProjectError> {
    let absolute = std::fs::canonicalize(start).map_err(|error| ProjectError::Io {
        path: start.to_path_buf(),
        error,
    })?;
    let mut relative = PathBuf::new();
    for dir in absolute.ancestors() {
        let candidate = dir.join(MANIFEST_NAME);
        if candidate.is_file() {
            let shown = relative.join(MANIFEST_NAME);
            let text = std::fs::read_to_string(&candidate).map_err(|error| ProjectError::Io {
                path: shown.clone(),
                error,
            })?;
            let manifest = Manifest::parse(&shown, &text)?;
            let base = if relative.as_os_str().is_empty() {
                PathBuf::new()
            } else {
                relative
            };
            return Ok(Some((start.join(base), manifest)));
        }
        relative.push("..");
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_sources_are_policies() {
        let m = Manifest::parse(Path::new("atom.toml"), "").unwrap();
        assert_eq!(m.sources, vec![PathBuf::from("policies")]);
    }

    #[test]
    fn unknown_keys_are_errors_with_a_span() {
        let text = "sources = [\"p\"]\nsourcse = []\n";
        match Manifest::parse(Path::new("atom.toml"), text) {
            Err(ProjectError::Manifest { span, message, .. }) => {
                let span = span.expect("toml reports where the key is");
                assert_eq!(&text[span], "sourcse");
                assert!(message.contains("unknown field"), "{message}");
            }
            other => panic!("expected a manifest error, got {other:?}"),
        }
    }
}
