//! Project: a policy set as it is at a git revision (`git:REV`), read exactly as a build of REV would.
//!
//! The manifest is the one at REV (the governing manifest's file, read
//! from the revision, not from the work tree), and the files are those its
//! `sources` name at REV: paths git lists with `-z` (never quoted, whatever
//! their characters), literal pathspecs, blobs only, and in folders only
//! policy files ([`super::is_policy_file`]). The work tree is never read
//! or touched.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::{is_policy_file, Manifest, ProjectError};
use crate::syntax::limits::MAX_FILE_BYTES;

/// The policy set at a revision.
#[derive(Debug)]
pub struct AtRevision {
    /// The manifest as it is at the revision.
    pub manifest: Manifest,
    /// Each file's name (`REV:path`) and text, in git's order.
    pub files: Vec<(String, String)>,
}

/// Reads the manifest `manifest_name` in folder `dir` and the sources it
/// names, at revision `rev`.
pub fn sources_at(rev: &str, dir: &Path, manifest_name: &str) -> Result<AtRevision, ProjectError> {
    let fail = |message: String| ProjectError::Revision {
        rev: rev.to_string(),
        message,
    };
    let manifest_text = text(
        git(dir, &["show", &format!("{rev}:./{manifest_name}")], &[])
            .map_err(|e| fail(format!("`{manifest_name}` is not there ({e})")))?,
    )
    .map_err(|_| fail(format!("`{manifest_name}` is not UTF-8")))?;
    let manifest = Manifest::parse(Path::new(&format!("{rev}:{manifest_name}")), &manifest_text)?;
    let mut files = Vec::new();
    for source in &manifest.sources {
        let listing =
            git(dir, &["ls-tree", "-r", "-l", "-z", rev, "--"], &[source]).map_err(fail)?;
        let before = files.len();
        for entry in entries(&listing) {
            let named = Path::new(entry.path) == source.as_path();
            if entry.kind != "blob" || !(named || is_policy_file(entry.path)) {
                continue;
            }
            if entry.size > MAX_FILE_BYTES {
                return Err(fail(format!("`{}` is larger than 64 MiB", entry.path)));
            }
            let bytes =
                git(dir, &["show", &format!("{rev}:./{}", entry.path)], &[]).map_err(fail)?;
            let body = bytes
                .strip_prefix(b"\xEF\xBB\xBF")
                .unwrap_or(&bytes)
                .to_vec();
            let body = text(body).map_err(|_| fail(format!("`{}` is not UTF-8", entry.path)))?;
            files.push((format!("{rev}:{}", entry.path), body));
        }
        if files.len() == before {
            return Err(fail(format!(
                "no `.atom` files under `{}` (a source of `{manifest_name}` at this revision)",
                source.display()
            )));
        }
    }
    Ok(AtRevision { manifest, files })
}

/// One record of `git ls-tree -r -l -z`: `MODE TYPE HASH SIZE\tPATH\0`.
struct Entry<'a> {
    kind: &'a str,
    size: usize,
    path: &'a str,
}

/// The records of a listing whose paths are UTF-8 (others cannot be
/// policy files: file names in a set are text).
fn entries(listing: &[u8]) -> impl Iterator<Item = Entry<'_>> {
    listing.split(|b| *b == 0).filter_map(|record| {
        let record = std::str::from_utf8(record).ok()?;
        let (meta, path) = record.split_once('\t')?;
        let mut fields = meta.split_ascii_whitespace();
        let kind = fields.nth(1)?;
        let size = fields.nth(1)?.parse().unwrap_or(0);
        Some(Entry { kind, size, path })
    })
}

fn text(bytes: Vec<u8>) -> Result<String, std::string::FromUtf8Error> {
    String::from_utf8(bytes)
}

/// Runs git in `dir` with literal pathspecs; its output, or why it failed.
fn git(dir: &Path, args: &[&str], paths: &[&PathBuf]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("--literal-pathspecs")
        .arg("-C")
        .arg(dir)
        .args(args)
        .args(paths)
        .output()
        .map_err(|e| format!("could not run git: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}
