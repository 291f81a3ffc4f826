//! CLI: `atom table info FILE`, what a compiled table holds, for operators.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::json;

use super::tool_error;
use crate::table::format::{section, HEADER_LEN, SECTION_COUNT, VERSION};
use crate::table::records::RECORD;
use crate::table::Table;

#[derive(Debug, clap::Subcommand)]
pub enum TableCommand {
    /// Format version, size, source hash, counts and section sizes of a table.
    Info {
        /// The table (`.atomc`).
        file: PathBuf,
        /// One JSON document instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: TableCommand) -> miette::Result<ExitCode> {
    let TableCommand::Info { file, json } = command;
    let bytes = crate::table::read_file(&file).map_err(|e| {
        miette::miette!(
            code = "atom::io",
            "could not read `{}`: {e}",
            file.display()
        )
    })?;
    let table = Table::from_bytes(&bytes).map_err(|e| {
        miette::miette!(code = "atom::table", "{e}")
            .wrap_err(format!("`{}` is not a usable policy table", file.display()))
    })?;
    let text = if json {
        info_json(&file, &table)
    } else {
        info_text(&file, &table)
    };
    std::io::stdout()
        .write_all(text.as_bytes())
        .map_err(tool_error::output)?;
    Ok(ExitCode::SUCCESS)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The counts an operator asks about first.
fn counts(t: &Table<'_>) -> [(&'static str, usize); 8] {
    [
        ("tenants", t.count(section::TENANTS)),
        ("entities", t.count(section::ENTITIES)),
        ("objects", t.count(section::OBJECTS)),
        ("object groups", t.count(section::GROUPS)),
        ("principal groups", t.count(section::PGROUPS)),
        ("blocks", t.count(section::BLOCKS)),
        ("actions", t.count(section::ACTIONS)),
        ("grant entries", t.count(section::GRANTS)),
    ]
}

fn info_text(file: &std::path::Path, t: &Table<'_>) -> String {
    let mut out = format!(
        "{}\nformat version {VERSION}, {} bytes (header {HEADER_LEN}), checksum valid\nsource hash {}\n",
        file.display(),
        t.len(),
        hex(t.source_hash())
    );
    for (name, n) in counts(t) {
        out.push_str(&format!("{n:>10} {name}\n"));
    }
    out.push_str("sections:\n");
    for (s, (size, name)) in RECORD.iter().zip(section::NAMES).enumerate() {
        out.push_str(&format!(
            "{:>10} bytes  {:>9} records of {size:>2}  {name}\n",
            t.section_len(s),
            t.count(s),
        ));
    }
    out
}

fn info_json(file: &std::path::Path, t: &Table<'_>) -> String {
    let counts: serde_json::Map<String, serde_json::Value> = counts(t)
        .into_iter()
        .map(|(k, v)| (k.replace(' ', "_"), json!(v)))
        .collect();
    let sections: Vec<_> = (0..SECTION_COUNT)
        .map(|s| json!({"name": section::NAMES[s], "bytes": t.section_len(s), "records": t.count(s), "record_size": RECORD[s]}))
        .collect();
    let doc = json!({
        "file": file.display().to_string(),
        "format_version": VERSION,
        "bytes": t.len(),
        "source_hash": hex(t.source_hash()),
        "counts": counts,
        "sections": sections,
    });
    // INVARIANT: a `json!` value always serializes.
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}
