//! Serve: decision logs, one JSON line per decision (time, id, revision, request, and the answer: decision, reason, block, via).

use std::io::{LineWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde_json::Value as Json;

use crate::decision::{encode, Answer};
use crate::table::Table;

/// A decision log file, appended to; reopened by name on SIGHUP, so that
/// a log rotated by renaming goes on in a new file.
pub struct DecisionLog {
    path: PathBuf,
    out: Mutex<LineWriter<std::fs::File>>,
}

fn append(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
}

impl DecisionLog {
    pub fn open(path: &Path) -> std::io::Result<DecisionLog> {
        Ok(DecisionLog {
            path: path.to_path_buf(),
            out: Mutex::new(LineWriter::new(append(path)?)),
        })
    }

    /// Opens the log's path again (after a rotation renamed the file) and
    /// writes there from now on; the records before stay in the old file.
    /// If the path cannot be opened, the old file is kept.
    pub fn reopen(&self) -> std::io::Result<()> {
        let file = append(&self.path)?;
        let mut out = match self.out.lock() {
            Ok(out) => out,
            Err(poisoned) => poisoned.into_inner(),
        };
        out.flush()?;
        *out = LineWriter::new(file);
        Ok(())
    }

    /// Writes one record ([`encode::log_record`]: the answer as atom's
    /// JSON gives it, with the deciding block and its grant path); a failed
    /// write is dropped (a full disk must not stop decisions), and reported
    /// by `false`.
    pub fn write(
        &self,
        t: &Table<'_>,
        id: &str,
        revision: &str,
        request: Json,
        answer: &Answer,
    ) -> bool {
        let line = encode::log_record(t, &now(), id, revision, request, answer);
        let mut out = match self.out.lock() {
            Ok(out) => out,
            Err(poisoned) => poisoned.into_inner(),
        };
        writeln!(out, "{line}").is_ok()
    }
}

/// The current time in RFC 3339.
pub fn now() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let at = crate::time::Instant {
        seconds: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
        nanos: d.subsec_nanos(),
    };
    crate::time::format_rfc3339(at).unwrap_or_default()
}
