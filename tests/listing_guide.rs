//! `docs/listing.md` runs as written: its shell blocks, in order, in a copy
//! of the repository's policy set, against a private PostgreSQL (with
//! `atom` for `cargo run --quiet --`), print the pages the guide says.

mod support;

use std::path::Path;
use std::process::Command;

use support::postgres::Postgres;

/// The guide's `sh` blocks, joined into one script.
fn script() -> String {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/listing.md"))
            .unwrap();
    let mut out = String::from("set -euo pipefail\n");
    let mut rest = guide.as_str();
    while let Some(start) = rest.find("```sh\n") {
        let body = &rest[start + 6..];
        let end = body.find("```").expect("a closed block");
        out.push_str(&body[..end]);
        rest = &body[end + 3..];
    }
    out.replace("cargo run --quiet --", env!("CARGO_BIN_EXE_atom"))
}

#[test]
fn the_listing_guide_runs_as_written() {
    let pg = Postgres::start();
    let dir = support::server::example_project();
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("atom.toml"),
        dir.path().join("atom.toml"),
    )
    .unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(script())
        .current_dir(dir.path())
        .env("PGHOST", "127.0.0.1")
        .env("PGPORT", pg.port.to_string())
        .env("PGUSER", "atom")
        .env("PGDATABASE", "postgres")
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pages: Vec<&str> = stdout
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("factory-a/"))
        .collect();
    assert_eq!(
        pages,
        [
            "factory-a/alerts",
            "factory-a/telemetry",
            "factory-a/vibration"
        ],
        "{stdout}"
    );
}
