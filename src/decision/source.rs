//! Decision: where a table comes from (a `.atomc` file, policy sources, a git revision), how it is trusted, and the active table it yields.

use std::path::{Path, PathBuf};

use crate::lint::LintConfig;
use crate::project::{select, Governing, ProjectError, Selection};
use crate::table::OwnedTable;
use crate::verify::sign::sha256_hex;
use crate::verify::{check_hash, read_small, signature_path, verify, Refusal, Signed, TrustedKey};
use crate::workspace::{Refused, Workspace};

/// Where a table comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableSource {
    /// A compiled table (`.atomc`), with its signature beside it.
    File(PathBuf),
    /// Policy files and folders compiled in memory (none: the manifest's
    /// sources), with the manifest given by `--config`, if any.
    Sources {
        paths: Vec<PathBuf>,
        config: Option<PathBuf>,
    },
    /// The sources of a git revision, exactly as a build of it reads them.
    Git {
        rev: String,
        config: Option<PathBuf>,
    },
}

/// How far a table file is trusted. Sources and git revisions are the
/// caller's own text, compiled here: they are never signed.
#[derive(Clone, Debug, Default)]
pub struct Trust {
    /// The keys a table must be signed by (any one of them).
    pub keys: Vec<TrustedKey>,
    /// Whether an unsigned table is accepted when no key is given.
    pub allow_unsigned: bool,
}

impl Trust {
    /// A table on the user's own machine: unsigned tables accepted.
    pub fn local() -> Trust {
        Trust {
            keys: Vec::new(),
            allow_unsigned: true,
        }
    }
}

/// A table ready to decide from, with what identifies it.
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

/// Why a source did not become an active table.
#[derive(Debug)]
pub enum LoadError {
    /// The paths, the manifest or a git revision could not be read.
    Project(ProjectError),
    /// A table file or its signature could not be read.
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    /// The policy set has errors.
    Refused(Refused),
    /// The bytes are not a usable table.
    Table { what: String, error: String },
    /// The signature was refused, or trust was not given.
    Untrusted(String),
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::Project(e) => write!(f, "{e}"),
            LoadError::Read { path, error } => {
                write!(f, "could not read `{}`: {error}", path.display())
            }
            LoadError::Refused(r) => write!(f, "{r}"),
            LoadError::Table { what, error } => {
                write!(f, "{what} is not a usable policy table: {error}")
            }
            LoadError::Untrusted(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<ProjectError> for LoadError {
    fn from(e: ProjectError) -> Self {
        LoadError::Project(e)
    }
}

impl TableSource {
    /// What a command-line input names: `git:REV`, a table file (`.atomc`,
    /// or any file that starts like a table), else policy sources.
    pub fn parse(input: &str, config: Option<PathBuf>) -> TableSource {
        if let Some(rev) = input.strip_prefix("git:") {
            return TableSource::Git {
                rev: rev.to_string(),
                config,
            };
        }
        if is_table(Path::new(input)) {
            return TableSource::File(PathBuf::from(input));
        }
        TableSource::Sources {
            paths: vec![PathBuf::from(input)],
            config,
        }
    }

    /// Reads, compiles, verifies (a table file, with `trust`) and validates
    /// the source whole. Nothing is half-loaded: every failure is an error.
    pub fn load(&self, trust: &Trust) -> Result<Active, LoadError> {
        let (bytes, signed) = match self {
            TableSource::File(path) => read_table(path, trust)?,
            TableSource::Sources { paths, config } => {
                (compile_sources(paths, config.as_deref())?, None)
            }
            TableSource::Git { rev, config } => (compile_git(rev, config.as_deref())?, None),
        };
        activate(bytes, signed, &self.describe())
    }

    /// How errors name the source.
    fn describe(&self) -> String {
        match self {
            TableSource::File(path) => format!("`{}`", path.display()),
            TableSource::Sources { .. } => "the compiled table".to_string(),
            TableSource::Git { rev, .. } => format!("the table of `git:{rev}`"),
        }
    }
}

/// A `.atomc` file, or any file that starts like a table.
fn is_table(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "atomc")
        || (path.is_file()
            && std::fs::File::open(path).is_ok_and(|mut f| {
                let mut head = [0u8; 4];
                std::io::Read::read_exact(&mut f, &mut head).is_ok()
                    && head == crate::table::format::MAGIC[..4]
            }))
}

/// A table file's bytes, and its signature when `trust` names keys.
fn read_table(path: &Path, trust: &Trust) -> Result<(Vec<u8>, Option<Signed>), LoadError> {
    let bytes = crate::table::read_file(path).map_err(|error| LoadError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    if trust.keys.is_empty() {
        if !trust.allow_unsigned {
            return Err(LoadError::Untrusted("no trusted key is given: pass `--trusted-key KEY.pub`, or `--insecure-allow-unsigned` to serve unsigned tables".to_string()));
        }
        return Ok((bytes, None));
    }
    let sig_path = signature_path(path);
    let sig = match read_small(&sig_path) {
        Ok(sig) => sig,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(LoadError::Untrusted(Refusal::Unsigned.to_string()))
        }
        Err(error) => {
            return Err(LoadError::Read {
                path: sig_path,
                error,
            })
        }
    };
    let untrusted = |r: Refusal| LoadError::Untrusted(r.to_string());
    let signed = verify(&bytes, &sig, &trust.keys).map_err(untrusted)?;
    check_hash(&signed, &sha256_hex(&bytes)).map_err(untrusted)?;
    Ok((bytes, Some(signed)))
}

/// Validates the bytes and names the table.
fn activate(bytes: Vec<u8>, signed: Option<Signed>, what: &str) -> Result<Active, LoadError> {
    let sha256 = sha256_hex(&bytes);
    let table = OwnedTable::from_bytes(bytes).map_err(|e| LoadError::Table {
        what: what.to_string(),
        error: e.to_string(),
    })?;
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

/// Checks and compiles policy sources with the lint levels of the
/// manifest that governs them (only `deny` lints run).
fn compile_sources(paths: &[PathBuf], config: Option<&Path>) -> Result<Vec<u8>, LoadError> {
    let selection = select(paths, config, Path::new("."))?;
    let loaded = crate::project::load_sources(&selection.inputs)?;
    let lint = selection.lint_config();
    let workspace = Workspace::from_loaded(loaded, LintConfig::default());
    Ok(workspace.compile(&lint).map_err(LoadError::Refused)?.bytes)
}

/// The sources at a git revision, as a build of it reads them (the
/// manifest at that revision, its sources, its lint levels); the work
/// tree is never touched.
fn compile_git(rev: &str, config: Option<&Path>) -> Result<Vec<u8>, LoadError> {
    let selection = select(&[], config, Path::new("."))?;
    let (dir, name) = manifest_at(&selection, rev)?;
    let at = crate::project::git::sources_at(rev, &dir, &name)?;
    let mut ws = Workspace::default();
    ws.set_files(at.files);
    Ok(ws
        .compile(&at.manifest.lint_config())
        .map_err(LoadError::Refused)?
        .bytes)
}

/// The folder and file name of the manifest that `git:REV` reads (the
/// governing one's, as it is at REV).
fn manifest_at(selection: &Selection, rev: &str) -> Result<(PathBuf, String), LoadError> {
    let Some(Governing { path, dir, .. }) = &selection.manifest else {
        return Err(ProjectError::Revision {
            rev: rev.to_string(),
            message: "it reads the sources named by `atom.toml`, and there is none".to_string(),
        }
        .into());
    };
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir.clone()
    };
    let name = path.file_name().map_or_else(
        || crate::project::MANIFEST_NAME.to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok((dir, name))
}
