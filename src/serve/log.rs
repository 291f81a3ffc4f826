//! Serve: decision logs, one JSON line per decision (time, id, revision, request, and the answer: decision, reason, block, via).

use std::io::{LineWriter, Write};
use std::path::Path;
use std::sync::Mutex;

use serde_json::Value as Json;

use crate::decision::{encode, Answer};
use crate::table::Table;

/// A decision log file, appended to.
pub struct DecisionLog {
    out: Mutex<LineWriter<std::fs::File>>,
}

impl DecisionLog {
    pub fn open(path: &Path) -> std::io::Result<DecisionLog> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(DecisionLog {
            out: Mutex::new(LineWriter::new(file)),
        })
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
