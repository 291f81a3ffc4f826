//! The `atom` binary as CI runs it: exit codes, paths, `atom.toml`, formats,
//! and hostile input that must give an error, never a crash.

use std::path::Path;
use std::process::{Command, Output};

fn atom(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_atom"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the atom binary runs")
}

fn code(out: &Output) -> i32 {
    out.status
        .code()
        .expect("atom exits with a code, not a signal")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(dir: &Path, name: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, contents).unwrap();
}

#[test]
fn missing_on_is_an_error_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "broken.atom",
        "block broken { allow read resource:channel }\n",
    );
    let out = atom(dir.path(), &["check", "broken.atom", "--format", "short"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        text(&out.stdout),
        "broken.atom:1:27: error[A0001]: expected `on` after the actions, found `resource`\n"
    );
    let human = atom(dir.path(), &["check", "broken.atom"]);
    let stderr = text(&human.stderr);
    assert!(
        stderr.contains("error[A0001]: expected `on` after the actions"),
        "{stderr}"
    );
    assert!(stderr.contains("broken.atom:1:27"), "{stderr}");
    assert!(
        stderr.contains("checked 1 file: 1 error, 0 warnings"),
        "{stderr}"
    );
}

#[test]
fn every_file_of_a_folder_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "set/a.atom", "action read on\n");
    write(dir.path(), "set/b.atom", "entity device x { a = \"abc }\n");
    write(
        dir.path(),
        "set/nested/c.atom",
        "tenant t {\n  block b { allow read on all }\n",
    );
    write(dir.path(), "set/ignored.txt", "not a policy {");
    let out = atom(dir.path(), &["check", "set", "--format", "short"]);
    assert_eq!(code(&out), 1);
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{stdout}");
    assert!(lines[0].starts_with("set/a.atom:1:15: error[A0001]"));
    assert!(lines[1].starts_with("set/b.atom:1:23: error[A0001]: unterminated string"));
    assert!(lines[2].starts_with("set/nested/c.atom:2:32: error[A0001]"));
}

#[test]
fn a_clean_set_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "ok.atom",
        "action read on resource\nblock b { allow read on resource }\n",
    );
    let out = atom(dir.path(), &["check", "ok.atom", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 0);
}

#[test]
fn without_paths_the_manifest_names_the_sources() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "atom.toml", "sources = [\"rules\"]\n");
    write(dir.path(), "rules/x.atom", "block b { allow read }\n");
    write(dir.path(), "sub/deeper/.keep", "");
    // From a sub-folder: the manifest is found in a parent.
    let out = atom(
        &dir.path().join("sub/deeper"),
        &["check", "--format", "short"],
    );
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).starts_with("../../rules/x.atom:1:22: error[A0001]"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn the_default_source_folder_is_policies() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "atom.toml", "# defaults\n");
    write(dir.path(), "policies/x.atom", "action read on resource\n");
    let out = atom(dir.path(), &["check"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
}

#[test]
fn an_unknown_manifest_key_is_a_tool_error_pointing_at_it() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "atom.toml",
        "sources = [\"policies\"]\nsourcse = [\"typo\"]\n",
    );
    let out = atom(dir.path(), &["check"]);
    assert_eq!(code(&out), 2);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("atom::manifest"), "{stderr}");
    assert!(stderr.contains("unknown field `sourcse`"), "{stderr}");
    assert!(
        stderr.contains("sourcse = [\"typo\"]"),
        "the source line is shown: {stderr}"
    );
}

#[test]
fn tool_failures_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    let missing = atom(dir.path(), &["check", "nowhere"]);
    assert_eq!(code(&missing), 2);
    assert!(text(&missing.stderr).contains("`nowhere` does not exist"));

    let no_inputs = atom(dir.path(), &["check"]);
    assert_eq!(code(&no_inputs), 2);
    assert!(text(&no_inputs.stderr).contains("no `atom.toml` found"));

    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let empty = atom(dir.path(), &["check", "empty"]);
    assert_eq!(code(&empty), 2);
    assert!(text(&empty.stderr).contains("no `.atom` files"));

    let bad_flag = atom(dir.path(), &["check", "--bogus"]);
    assert_eq!(code(&bad_flag), 2);
    assert!(text(&bad_flag.stderr).contains("--bogus"));

    let bad_format = atom(dir.path(), &["check", "--format", "xml", "x"]);
    assert_eq!(code(&bad_format), 2);
}

#[test]
fn help_and_version_succeed() {
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(code(&atom(dir.path(), &["--help"])), 0);
    let version = atom(dir.path(), &["--version"]);
    assert_eq!(code(&version), 0);
    assert!(text(&version.stdout).starts_with("atom "));
}

#[test]
fn a_file_over_the_size_limit_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    // 50 MB of valid declarations.
    let line = "entity device d { site = \"plant-a\" }\n";
    let big = line.repeat(50_000_000 / line.len());
    write(dir.path(), "big.atom", big);
    let out = atom(dir.path(), &["check", "big.atom", "--format", "short"]);
    assert_eq!(code(&out), 1);
    assert!(
        text(&out.stdout).contains("big.atom:1:1: error[A0001]: file is too large"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let deep = format!(
        "entity device d {{ v = {}{} }}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    write(dir.path(), "deep.atom", &deep);
    let unclosed = format!("tenant t {}", "{ ".repeat(100_000));
    write(dir.path(), "unclosed.atom", &unclosed);
    let out = atom(
        dir.path(),
        &["check", "deep.atom", "unclosed.atom", "--format", "short"],
    );
    assert_eq!(code(&out), 1);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("deep.atom:1:54: error[A0001]: nesting is too deep"),
        "{stdout}"
    );
    assert!(
        stdout.contains("unclosed.atom:1:74: error[A0001]: nesting is too deep"),
        "{stdout}"
    );
}

#[test]
fn random_bytes_are_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    // A fixed pseudo-random stream (xorshift), so the test is repeatable.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let bytes: Vec<u8> = (0..1_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect();
    write(dir.path(), "noise.atom", &bytes);
    let out = atom(dir.path(), &["check", "noise.atom", "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["diagnostics"][0]["code"], "A0001");
    // The same bytes made valid UTF-8 still fail cleanly in the parser.
    write(
        dir.path(),
        "noise2.atom",
        String::from_utf8_lossy(&bytes).as_bytes(),
    );
    let out = atom(dir.path(), &["check", "noise2.atom", "--format", "short"]);
    assert_eq!(code(&out), 1);
}
