//! Serve: where the table comes from, a `.atomc` file (with its signature) or policy sources compiled in memory, and how to notice a change.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::table::OwnedTable;
use crate::verify::sign::sha256_hex;
use crate::verify::{check_hash, read_small, signature_path, verify, Refusal, Signed, TrustedKey};

/// What `atom serve` serves.
#[derive(Clone, Debug)]
pub enum Source {
    /// A compiled table (production).
    Table(PathBuf),
    /// Policy files and folders, compiled in memory (development).
    Sources(Vec<PathBuf>),
}

/// A table ready to serve, with what identifies it.
#[derive(Debug)]
pub struct Active {
    pub table: OwnedTable,
    /// The source revision (from the signature), else `sha256:` and the
    /// first 12 hex digits of the table's SHA-256.
    pub revision: String,
    /// The key that signed it, if signed.
    pub key_id: Option<String>,
    /// The signature's sequence number, if signed.
    pub sequence: Option<u64>,
    pub sha256: String,
}

/// How tables are trusted.
#[derive(Clone, Debug, Default)]
pub struct Trust {
    pub keys: Vec<TrustedKey>,
    /// Serve an unsigned table when no key is given (`--insecure-allow-unsigned`).
    pub allow_unsigned: bool,
}

impl Source {
    /// Reads, validates and (for a table with trusted keys) verifies the
    /// source whole. Every failure is a message; nothing is swapped in.
    pub fn load(&self, trust: &Trust) -> Result<Active, String> {
        match self {
            Source::Table(path) => load_table(path, trust),
            Source::Sources(paths) => compile_sources(paths),
        }
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

fn load_table(path: &Path, trust: &Trust) -> Result<Active, String> {
    let bytes = crate::table::read_file(path)
        .map_err(|e| format!("could not read `{}`: {e}", path.display()))?;
    let sha256 = sha256_hex(&bytes);
    let signed = if trust.keys.is_empty() {
        None
    } else {
        let sig_path = signature_path(path);
        let sig = match read_small(&sig_path) {
            Ok(sig) => sig,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(Refusal::Unsigned.to_string())
            }
            Err(e) => return Err(format!("could not read `{}`: {e}", sig_path.display())),
        };
        let signed = verify(&bytes, &sig, &trust.keys).map_err(|r| r.to_string())?;
        check_hash(&signed, &sha256).map_err(|r| r.to_string())?;
        Some(signed)
    };
    if signed.is_none() && !trust.allow_unsigned {
        return Err("no trusted key is given: pass `--trusted-key KEY.pub`, or `--insecure-allow-unsigned` to serve unsigned tables".to_string());
    }
    let table = OwnedTable::from_bytes(bytes)
        .map_err(|e| format!("`{}` is not a usable policy table: {e}", path.display()))?;
    Ok(Active {
        table,
        revision: signed
            .as_ref()
            .and_then(Signed::revision)
            .map_or_else(|| format!("sha256:{}", &sha256[..12]), str::to_string),
        key_id: signed.as_ref().map(|s| s.key_id.to_string()),
        sequence: signed.as_ref().map(Signed::sequence),
        sha256,
    })
}

/// Checks and compiles policy sources in memory, with the lint levels of
/// the `atom.toml` that governs them (only `deny` lints run).
fn compile_sources(paths: &[PathBuf]) -> Result<Active, String> {
    let selection =
        crate::project::select(paths, None, Path::new(".")).map_err(|e| e.to_string())?;
    let loaded = crate::project::load_sources(&selection.inputs).map_err(|e| e.to_string())?;
    let config = selection.lint_config().errors_only();
    let workspace = crate::workspace::Workspace::from_loaded(loaded, config);
    let (sources, analysis) = workspace.into_parts();
    let errors: Vec<_> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .collect();
    if let Some(first) = errors.first() {
        let text = crate::diag::render::render_short(&sources, std::slice::from_ref(*first));
        return Err(format!(
            "the policy set has {} error(s); the first: {}",
            errors.len(),
            text.trim_end()
        ));
    }
    if !analysis.files_with_errors.is_empty() {
        return Err("the policy set has syntax errors".to_string());
    }
    let bytes = crate::compile::compile(&analysis.model, crate::compile::source_hash(&sources));
    let sha256 = sha256_hex(&bytes);
    let table = OwnedTable::from_bytes(bytes)
        .map_err(|e| format!("the compiled table did not load: {e}"))?;
    Ok(Active {
        table,
        revision: format!("sha256:{}", &sha256[..12]),
        key_id: None,
        sequence: None,
        sha256,
    })
}
