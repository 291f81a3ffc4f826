//! Project: collecting `.atom` files from paths and reading them into a source map.

use std::path::{Path, PathBuf};

use super::ProjectError;
use crate::diag::{codes, Diagnostic, SourceMap, Span};
use crate::syntax::{limits, too_large};

/// A loaded policy set: its files, and the findings about files that could
/// be read but not used as text (too large, not UTF-8).
#[derive(Debug)]
pub struct Loaded {
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
}

/// Whether a file found in a folder is a policy file: its name ends in
/// `.atom` after a non-empty stem (`a.atom`, `.hidden.atom`). A file named
/// exactly `.atom` is not one, for every command (`check`, `build`,
/// `diff` with `git:REV`, the language server). A file named on the
/// command line or in `sources` is read whatever its name.
pub fn is_policy_file(name: &str) -> bool {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.len() > ".atom".len() && base.ends_with(".atom")
}

/// Drops a leading UTF-8 byte-order mark: policy text is read the same
/// from a file, a git revision or standard input.
pub fn strip_bom(bytes: &mut Vec<u8>) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
}

/// Reads every policy file under `paths` (files as given; folders searched
/// recursively for `*.atom`, in sorted order, without following links to
/// folders). Each file is read once even if named twice.
pub fn load_sources(paths: &[PathBuf]) -> Result<Loaded, ProjectError> {
    let files = policy_files(paths)?;
    let mut loaded = Loaded {
        sources: SourceMap::new(),
        diagnostics: Vec::new(),
    };
    for path in files {
        read_one(&path, &mut loaded)?;
    }
    Ok(loaded)
}

/// The policy files that `paths` name: files as given, folders searched
/// for `.atom` files; each file once.
pub fn policy_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, ProjectError> {
    let mut files = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|error| match error.kind() {
            std::io::ErrorKind::NotFound => ProjectError::Missing { path: path.clone() },
            _ => ProjectError::Io {
                path: path.clone(),
                error,
            },
        })?;
        if meta.is_dir() {
            let before = files.len();
            collect_dir(path, &mut files)?;
            if files.len() == before {
                return Err(ProjectError::NoPolicies { path: path.clone() });
            }
        } else if meta.is_file() {
            files.push(path.clone());
        } else {
            return Err(ProjectError::NotAFile { path: path.clone() });
        }
    }
    let mut seen = std::collections::HashSet::new();
    files.retain(|f| seen.insert(std::fs::canonicalize(f).unwrap_or_else(|_| f.clone())));
    Ok(files)
}

fn collect_dir(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ProjectError> {
    let io = |error| ProjectError::Io {
        path: dir.to_path_buf(),
        error,
    };
    let mut entries = std::fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let kind = entry.file_type().map_err(io)?;
        if kind.is_dir() {
            collect_dir(&path, out)?;
        } else if is_policy_file(&entry.file_name().to_string_lossy()) {
            // Only regular files (or links to them): a FIFO or device named
            // `*.atom` would block the read or never end.
            if kind.is_file() || std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
                out.push(path);
            }
        }
    }
    Ok(())
}

/// Display names use `/` on every platform, so reports are the same everywhere.
fn display_name(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn read_one(path: &Path, loaded: &mut Loaded) -> Result<(), ProjectError> {
    use std::io::Read;
    let name = display_name(path);
    let io = |error| ProjectError::Io {
        path: path.to_path_buf(),
        error,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    // Read at most one byte past the limit: enough to know it is too large.
    let mut bytes = Vec::new();
    file.take(limits::MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > limits::MAX_FILE_BYTES {
        let len = std::fs::metadata(path).map_or(bytes.len(), |m| m.len() as usize);
        let id = loaded.sources.add(name, String::new());
        loaded.diagnostics.push(too_large(id, len));
        return Ok(());
    }
    strip_bom(&mut bytes);
    match String::from_utf8(bytes) {
        Ok(text) => {
            loaded.sources.add(name, text);
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            // The lossy text is identical up to the first invalid byte, so
            // the span below points at exactly that byte.
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let id = loaded.sources.add(name, text);
            loaded.diagnostics.push(
                Diagnostic::error(
                    codes::SYNTAX,
                    "file is not valid UTF-8",
                    Span::new(id, at..at + 1),
                )
                .with_label(format!("invalid byte at offset {at}"))
                .with_help("policy files are UTF-8 text"),
            );
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_policy_file;

    #[test]
    fn a_policy_file_has_a_stem_before_dot_atom() {
        for yes in [
            "a.atom",
            "p/a.atom",
            ".hidden.atom",
            "sécurité.atom",
            "x\\y.atom",
            "..atom",
        ] {
            assert!(is_policy_file(yes), "{yes}");
        }
        for no in [".atom", "p/.atom", "a.atomc", "a.ATOM", "atom", "a.atom/"] {
            assert!(!is_policy_file(no), "{no}");
        }
    }
}
