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
            help: key_help(text, e.span().map_or(0, |s| s.start)),
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
                help: LINT_HELP,
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

const LINT_HELP: &str = "`[lint]` sets a lint (by name or code) or a category to \"allow\", \"warn\" or \"deny\": `shadowed-allow = \"deny\"`; `atom rule --list` lists them";

/// Help for the key at `at` in a manifest's text: what its table accepts.
fn key_help(text: &str, at: usize) -> &'static str {
    let before = text.get(..at).unwrap_or(text);
    let table = before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_matches(|c| c == '[' || c == ']').trim());
    let line = text[before.rfind('\n').map_or(0, |i| i + 1)..].trim_start();
    match table {
        Some("build") => "`[build]` accepts `output = \"PATH\"`: where `atom build` writes the table, relative to `atom.toml`",
        Some("lint") => LINT_HELP,
        _ if line.starts_with("sources") => "`sources` lists the policy folders or files, relative to `atom.toml`: `sources = [\"policies\"]`",
        _ => "`atom.toml` accepts `sources = [\"FOLDER\", ...]`, a `[build]` table with `output`, and a `[lint]` table of levels",
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
    fn help_names_what_the_failing_key_accepts() {
        let parse = |text: &str| match Manifest::parse(Path::new("atom.toml"), text) {
            Err(ProjectError::Manifest { help, .. }) => help,
            other => panic!("expected a manifest error, got {other:?}"),
        };
        assert!(parse("sources = \"policies\"\n").starts_with("`sources` lists"));
        assert!(parse("[build]\nouput = \"x\"\n").starts_with("`[build]` accepts `output"));
        assert!(parse("[lint]\nshadowed-allow = \"deny!\"\n").starts_with("`[lint]` sets"));
        assert!(parse("[lint]\nshadowed-alow = \"deny\"\n").starts_with("`[lint]` sets"));
    }

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
                assert_eq!(&text[span.clone()], "sourcse");
                assert!(message.contains("unknown field"), "{message}");
                let help = ProjectError::Manifest {
                    path: PathBuf::new(),
                    text: String::new(),
                    message,
                    span: None,
                    help: key_help(text, span.start),
                };
                assert!(help
                    .help()
                    .is_some_and(|h| h.starts_with("`atom.toml` accepts")));
            }
            other => panic!("expected a manifest error, got {other:?}"),
        }
    }
}
