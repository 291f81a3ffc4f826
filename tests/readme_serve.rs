//! The README's `atom serve` walkthrough, run for real: every `atom`
//! command of the block between `serve-example` markers, and every `curl`
//! against the output in the comment under it (the key id aside, as a new
//! key is made each run).
#![cfg(feature = "serve")]

mod support;

use support::cli::atom;
use support::server::Server;

fn block() -> Vec<String> {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- serve-example:start -->")
        .expect("the README has the serve example");
    let end = readme.find("<!-- serve-example:end -->").unwrap();
    readme[start..end]
        .lines()
        .filter(|l| l.starts_with("atom ") || l.starts_with("curl ") || l.starts_with("# "))
        .map(str::to_string)
        .collect()
}

/// `text` with every 16-hex-digit key id replaced by `KEY`.
fn mask_key(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) =
        rest.find(|c: char| c.is_ascii_hexdigit() && c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        let run: String = rest[at..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || ('A'..='F').contains(c))
            .collect();
        out.push_str(&rest[..at]);
        if run.len() == 16 {
            out.push_str("KEY");
        } else {
            out.push_str(&run);
        }
        rest = &rest[at + run.len().max(1)..];
    }
    out.push_str(rest);
    out
}

/// Splits a shell command line into words (single quotes only, as the README uses).
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut word, mut quoted, mut any) = (String::new(), false, false);
    for c in line.split(" #").next().unwrap().chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    out.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(word);
    }
    out
}

#[test]
fn the_readme_serve_walkthrough_runs_as_written() {
    let dir = support::server::example_project();
    let lines = block();
    assert!(
        lines.iter().filter(|l| l.starts_with("curl ")).count() >= 4,
        "{lines:?}"
    );
    let mut server: Option<Server> = None;
    let mut last_output = String::new();
    for line in &lines {
        if let Some(expected) = line.strip_prefix("# ") {
            assert_eq!(
                mask_key(last_output.trim()),
                mask_key(expected),
                "after {line}"
            );
        } else if line.starts_with("atom serve") {
            let args = words(line.trim_end_matches('&').trim());
            let args: Vec<&str> = args[2..].iter().map(String::as_str).collect();
            let s = Server::start(dir.path(), &args);
            s.wait_ready(None);
            server = Some(s);
        } else if let Some(command) = line.strip_prefix("atom ") {
            let args = words(command);
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let out = atom(dir.path(), &args);
            assert!(
                out.status.success(),
                "{line}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            last_output = String::from_utf8_lossy(&out.stdout).into_owned();
        } else {
            let s = server.as_ref().expect("the server is started before curl");
            let line = line.replace("localhost:8180", s.http.trim_start_matches("http://"));
            let args = words(&line);
            let out = std::process::Command::new(&args[0])
                .args(&args[1..])
                .output()
                .expect("curl runs");
            assert!(out.status.success(), "{line}");
            last_output = String::from_utf8_lossy(&out.stdout).into_owned();
        }
    }
}

#[test]
fn key_ids_are_masked_and_nothing_else() {
    assert_eq!(
        mask_key("key B0A8197704EC5474, revision `v1.4.0`, sequence 1"),
        "key KEY, revision `v1.4.0`, sequence 1"
    );
    assert_eq!(
        words("curl -s x -d '{\"a\": 1}'"),
        ["curl", "-s", "x", "-d", "{\"a\": 1}"]
    );
}
