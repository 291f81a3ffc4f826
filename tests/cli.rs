//! The `atom` binary as CI runs it: exit codes, paths, `atom.toml`, formats,
//! and hostile input that must give an error, never a crash.

mod support;

use std::path::Path;

use support::cli::{atom, code, text, write};

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
    assert!(lines[2].starts_with("set/nested/c.atom:1:10: error[A0001]: unclosed tenant"));
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
    // The release, the commit built (a checkout has one), the table format.
    let printed = text(&version.stdout);
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .map(|o| text(&o.stdout).trim().to_string())
        .unwrap_or_default();
    let expected = format!(
        "atom {} (commit {commit}, table format {})\n",
        env!("CARGO_PKG_VERSION"),
        atom::table::format::VERSION
    );
    assert_eq!(printed, expected);
}

#[test]
fn a_file_over_the_size_limit_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    // 70 MB of valid declarations, over the 64 MiB limit.
    let line = "entity device d { site = \"plant-a\" }\n";
    let big = line.repeat(70_000_000 / line.len());
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

fn copy_examples(dir: &Path) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies");
    std::fs::create_dir_all(dir.join("policies")).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join("policies").join(path.file_name().unwrap())).unwrap();
    }
    write(
        dir,
        "atom.toml",
        "sources = [\"policies\"]\n[build]\noutput = \"out/policy.atomc\"\n",
    );
}

#[test]
fn build_writes_a_reproducible_table_where_the_manifest_says() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path());
    let out = atom(dir.path(), &["build"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let first = std::fs::read(dir.path().join("out/policy.atomc")).unwrap();
    assert!(first.starts_with(b"ATOMTBL\0"));
    let again = atom(dir.path(), &["build", "policies", "-o", "again.atomc"]);
    assert_eq!(code(&again), 0);
    assert_eq!(
        first,
        std::fs::read(dir.path().join("again.atomc")).unwrap()
    );
}

#[test]
fn build_refuses_a_policy_with_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "bad.atom",
        "block b { allow read on nowhere }\n",
    );
    let out = atom(dir.path(), &["build", "bad.atom", "-o", "t.atomc"]);
    assert_eq!(code(&out), 1);
    assert!(
        text(&out.stderr).contains("error[A0003]"),
        "{}",
        text(&out.stderr)
    );
    assert!(!dir.path().join("t.atomc").exists());
}

#[test]
fn query_decides_from_a_table_with_reasons_and_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path());
    assert_eq!(code(&atom(dir.path(), &["build", "-o", "p.atomc"])), 0);
    let allow = atom(
        dir.path(),
        &[
            "query",
            "--table",
            "p.atomc",
            "factory-a/meter-001",
            "publish",
            "factory-a/telemetry",
            "--context",
            r#"{"protocol":"mqtt"}"#,
        ],
    );
    assert_eq!(code(&allow), 0);
    assert_eq!(
        text(&allow.stdout),
        "allow: allowed_by block `factory-a/publish-plant-a`, from `assign factory-a/plant-a-publisher to factory-a/meters`\n"
    );
    let deny = atom(
        dir.path(),
        &[
            "query",
            "--table",
            "p.atomc",
            "factory-a/meter-001",
            "publish",
            "factory-a/alerts",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&deny), 1);
    let j: serde_json::Value = serde_json::from_slice(&deny.stdout).unwrap();
    assert_eq!(j["decision"], "deny");
    assert_eq!(j["reason"], "denied_by");
    assert_eq!(j["block"], "factory-a/no-alerts");
    assert_eq!(j["via"], "grant factory-a/no-alerts to factory-a/meter-001");

    let explained = atom(
        dir.path(),
        &[
            "query",
            "--table",
            "p.atomc",
            "factory-a/meter-002",
            "publish",
            "factory-a/telemetry",
            "--explain",
        ],
    );
    let stdout = text(&explained.stdout);
    assert!(stdout.starts_with("deny: subject_inactive\n"), "{stdout}");
    assert!(
        stdout.contains("subject `factory-a/meter-002`: device inactive"),
        "{stdout}"
    );

    // Sources stand in for a table.
    let from_sources = atom(
        dir.path(),
        &["query", "factory-a/alice", "read", "factory-a/telemetry"],
    );
    assert_eq!(code(&from_sources), 0, "{}", text(&from_sources.stderr));
}

#[test]
fn query_reads_json_lines_of_requests() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path());
    assert_eq!(code(&atom(dir.path(), &["build", "-o", "p.atomc"])), 0);
    let requests = [
        r#"{"subject":"factory-a/meter-001","action":"publish","object":"factory-a/telemetry","context":{"protocol":"coap"}}"#,
        r#"{"subject":{"id":"meter-9","kind":"device","status":"active","tenant":"factory-a","groups":["factory-a/meters"],"attributes":{"site":"plant-a"}},"action":"publish","object":{"id":"ch-9","type":"resource:channel","tenant":"factory-a","group":"factory-a/line-1","attributes":{"site":"plant-a"}},"context":{"protocol":"mqtt"}}"#,
        r#"{"subject":"nobody","action":"read","object":"factory-a/telemetry"}"#,
        r#"{"subject":"factory-a/alice","action":"read"}"#,
    ];
    write(dir.path(), "requests.jsonl", requests.join("\n"));
    let out = atom(
        dir.path(),
        &[
            "query",
            "--table",
            "p.atomc",
            "--requests",
            "requests.jsonl",
        ],
    );
    assert_eq!(code(&out), 2, "one line is malformed");
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0]["reason"], "allowed_by");
    assert_eq!(
        lines[1]["reason"], "allowed_by",
        "a described device in `meters` publishes to a described channel below plant-a"
    );
    assert_eq!(lines[1]["block"], "factory-a/publish-plant-a");
    assert_eq!(lines[2]["reason"], "subject_not_found");
    assert!(lines[3]["error"].as_str().unwrap().contains("object"));
}

#[test]
fn query_reports_a_corrupt_table_as_a_tool_error() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path());
    assert_eq!(code(&atom(dir.path(), &["build", "-o", "p.atomc"])), 0);
    let mut bytes = std::fs::read(dir.path().join("p.atomc")).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x40;
    write(dir.path(), "bad.atomc", &bytes);
    let out = atom(
        dir.path(),
        &[
            "query",
            "--table",
            "bad.atomc",
            "factory-a/alice",
            "read",
            "factory-a/telemetry",
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("checksum mismatch"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn test_runs_every_test_block_and_reports_failures() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path());
    let ok = atom(dir.path(), &["test"]);
    assert_eq!(code(&ok), 0, "{}", text(&ok.stderr));
    assert_eq!(text(&ok.stdout).lines().last(), Some("26 passed, 0 failed"));

    write(
        dir.path(),
        "policies/zz-wrong.atom",
        "test \"wrong\" {\n  allow factory-a/meter-001 publish factory-a/alerts with { context.protocol = \"mqtt\" }\n}\n",
    );
    let failing = atom(dir.path(), &["test"]);
    assert_eq!(code(&failing), 1);
    assert_eq!(
        text(&failing.stdout).lines().last(),
        Some("26 passed, 1 failed")
    );
    let stderr = text(&failing.stderr);
    assert!(
        stderr.contains("test `wrong` failed: expected allow"),
        "{stderr}"
    );
    assert!(stderr.contains("policies/zz-wrong.atom:2:3"), "{stderr}");
    assert!(
        stderr.contains("decided deny because denied_by, block `factory-a/no-alerts`"),
        "{stderr}"
    );
    assert!(stderr.contains("deny  block `factory-a/no-alerts` from `grant factory-a/no-alerts to factory-a/meter-001`: matched"), "{stderr}");

    let json = atom(dir.path(), &["test", "--format", "json"]);
    let j: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(j["summary"]["failed"], 1);
    assert_eq!(j["tests"].as_array().unwrap().len(), 27);
    let junit = text(&atom(dir.path(), &["test", "--format", "junit"]).stdout);
    assert_eq!(junit.matches("<testcase ").count(), 27);
    assert_eq!(junit.matches("<failure ").count(), 1);
}

const SHADOWED: &str = r#"action read on resource
type resource:channel
tenant t {
  entity device d
  resource channel c
  block read-channels { allow read on resource:channel }
  block lockdown { deny read on resource }
  role operator { read-channels, lockdown }
  assign operator to d
}
"#;

#[test]
fn lint_warnings_pass_unless_denied() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.atom", SHADOWED);
    let out = atom(dir.path(), &["check", "p.atom", "--format", "short"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        text(&out.stdout),
        "p.atom:6:9: warning[L005]: block `t/read-channels` can never allow anything\n"
    );
    let denied = atom(
        dir.path(),
        &["check", "p.atom", "--deny", "warnings", "--format", "short"],
    );
    assert_eq!(code(&denied), 1);
    assert!(text(&denied.stdout).contains("error[L005]"));
    let one = atom(dir.path(), &["check", "p.atom", "--deny", "shadowed-allow"]);
    assert_eq!(code(&one), 1);
    let bad = atom(dir.path(), &["check", "p.atom", "--deny", "shadowed-alow"]);
    assert_eq!(code(&bad), 2);
}

#[test]
fn the_manifest_sets_lint_levels_and_rejects_unknown_lints() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policies/p.atom", SHADOWED);
    write(
        dir.path(),
        "atom.toml",
        "[lint]\nshadowed-allow = \"allow\"\n",
    );
    let out = atom(
        dir.path(),
        &["check", "--format", "short", "--deny", "warnings"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "");
    write(dir.path(), "atom.toml", "[lint]\ncorrectness = \"deny\"\n");
    assert_eq!(code(&atom(dir.path(), &["check"])), 1);
    write(
        dir.path(),
        "atom.toml",
        "[lint]\nshadowed-alow = \"allow\"\n",
    );
    let typo = atom(dir.path(), &["check"]);
    assert_eq!(code(&typo), 2);
    let stderr = text(&typo.stderr);
    assert!(
        stderr.contains(
            "`shadowed-alow` is not a lint or a lint category; did you mean `shadowed-allow`?"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("shadowed-alow = \"allow\""),
        "the key is shown: {stderr}"
    );
}

#[test]
fn inline_suppressions_need_a_reason_and_a_finding() {
    let dir = tempfile::tempdir().unwrap();
    let suppressed = SHADOWED.replace(
        "  block read-channels",
        "  // atom: allow(shadowed-allow) the lockdown is temporary\n  block read-channels",
    );
    write(dir.path(), "ok.atom", &suppressed);
    let out = atom(
        dir.path(),
        &[
            "check", "ok.atom", "--deny", "warnings", "--format", "short",
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));

    let no_reason = SHADOWED.replace(
        "  block read-channels",
        "  // atom: allow(shadowed-allow)\n  block read-channels",
    );
    write(dir.path(), "bare.atom", &no_reason);
    let out = atom(dir.path(), &["check", "bare.atom", "--format", "short"]);
    assert_eq!(
        text(&out.stdout),
        "bare.atom:6:3: warning[L016]: this suppression gives no reason\n"
    );

    let stale = SHADOWED.replace(
        "  block lockdown",
        "  // atom: allow(unused-block) kept for later\n  block lockdown",
    );
    write(dir.path(), "stale.atom", &stale);
    let out = atom(dir.path(), &["check", "stale.atom", "--format", "short"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("stale.atom:7:3: warning[L017]: this suppression suppresses nothing"),
        "{stdout}"
    );
    assert!(stdout.contains("warning[L005]"), "{stdout}");
}

#[test]
fn rule_prints_documentation_and_lists_every_lint() {
    let dir = tempfile::tempdir().unwrap();
    let doc = atom(dir.path(), &["rule", "shadowed-allow"]);
    assert_eq!(code(&doc), 0);
    let stdout = text(&doc.stdout);
    assert!(
        stdout.starts_with("shadowed-allow (L005, correctness, warn by default)"),
        "{stdout}"
    );
    for part in ["What it finds", "Why it is bad", "Example", "Fix"] {
        assert!(stdout.contains(part), "{stdout}");
    }
    let list = atom(dir.path(), &["rule", "--list"]);
    assert_eq!(text(&list.stdout).lines().count(), atom::lint::RULES.len());
    let unknown = atom(dir.path(), &["rule", "shadowed-alow"]);
    assert_eq!(code(&unknown), 2);
    assert!(text(&unknown.stderr).contains("did you mean `shadowed-allow`?"));
}

#[test]
fn query_refuses_invalid_descriptions_with_the_key_and_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path());
    assert_eq!(code(&atom(dir.path(), &["build", "-o", "p.atomc"])), 0);
    let requests = [
        r#"{"subject":{"id":"m","kind":"device","status":"active","tenant":"factory-a","atributes":{"site":"x"}},"action":"read","object":"factory-a/telemetry"}"#,
        r#"{"subject":{"id":"m","kind":"device","tenant":"factory-a"},"action":"read","object":"factory-a/telemetry"}"#,
        r#"{"subject":{"id":"m","kind":"device","status":"active","tenant":"factory-a","groups":["atomist/engineers"]},"action":"read","object":"factory-a/telemetry"}"#,
        "",
        r#"{"subject":"factory-a/alice","action":"read","object":"factory-a/telemetry","id":"req-5"}"#,
    ];
    let long = format!("{{\"pad\":\"{}\"}}", "x".repeat(2 << 20));
    // After the long line: a line that is not UTF-8, a key given twice,
    // then a good request.
    let mut bytes = format!("{}\n{long}\n", requests.join("\n")).into_bytes();
    bytes.extend_from_slice(b"{\"subject\":\"\xff\"}\n");
    bytes.extend_from_slice(br#"{"subject":{"id":"m","kind":"device","status":"suspended","status":"active","tenant":"factory-a"},"action":"read","object":"factory-a/telemetry"}"#);
    bytes.push(b'\n');
    bytes.extend_from_slice(requests[4].as_bytes());
    bytes.push(b'\n');
    std::fs::write(dir.path().join("requests.jsonl"), bytes).unwrap();
    let out = atom(
        dir.path(),
        &[
            "query",
            "--table",
            "p.atomc",
            "--requests",
            "requests.jsonl",
        ],
    );
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    let lines: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 8, "{lines:?}");
    let error = |i: usize| lines[i]["error"].as_str().unwrap_or("").to_string();
    assert!(
        error(0).contains("did you mean `subject.attributes`"),
        "{}",
        error(0)
    );
    assert!(error(1).contains("`subject.status`"), "{}", error(1));
    assert_eq!(lines[2]["key"], "subject.groups", "{:?}", lines[2]);
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[3]["reason"], "allowed_by");
    assert_eq!(lines[3]["line"], 5, "every answer carries its line");
    assert_eq!(lines[3]["id"], "req-5", "a request's id is echoed");
    assert_eq!(lines[0]["id"], serde_json::Value::Null);
    assert!(error(4).contains("longer than"), "{}", error(4));
    assert_eq!(lines[4]["line"], 6, "blank lines keep their numbers");
    assert_eq!(error(5), "the request line is not UTF-8");
    assert_eq!(lines[5]["line"], 7);
    assert!(error(6).contains("`status` is given twice"), "{}", error(6));
    assert_eq!(lines[7]["reason"], "allowed_by", "the batch goes on");
    assert_eq!(lines[7]["line"], 9);
}

#[test]
fn a_leading_byte_order_mark_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.atom",
        "\u{feff}action read on resource\ntype resource:channel\n",
    );
    let out = atom(dir.path(), &["check", "p.atom"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
}

#[cfg(unix)]
#[test]
fn a_fifo_named_like_a_policy_does_not_hang_check() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.atom", "action read on resource\n");
    let fifo = dir.path().join("pipe.atom");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo is available");
    // In a folder: skipped, like any file that is not regular.
    let out = atom(dir.path(), &["check", "."]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    // Named directly: a tool error, not a read that never ends.
    let out = atom(dir.path(), &["check", "pipe.atom"]);
    assert_eq!(code(&out), 2);
    assert!(
        text(&out.stderr).contains("not a regular file"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_context_path_of_200000_segments_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let path = vec!["a"; 200_000].join(".");
    write(
        dir.path(),
        "p.atom",
        format!(
            "action read on entity\nentity human h\ntest \"deep\" {{ allow h read h with {{ context.{path} = 1 }} }}\n"
        ),
    );
    let out = atom(dir.path(), &["test", "p.atom"]);
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("A0012"), "{}", text(&out.stderr));
}

/// Escape sequences in names or in the source never reach a terminal or a
/// report raw, and JUnit output stays valid XML 1.0.
#[test]
fn control_characters_are_never_printed_raw() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.atom",
        "action read on entity\n// \u{1b}]0;owned\u{7} in a comment\nentity human h\n\
         block b { allow read on \"x\\u{1b}[2J\" }\n\
         test \"t\\u{1}\" { deny h read h because allowed_by }\n",
    );
    let raw = |bytes: &[u8]| bytes.iter().any(|b| *b == 0x1b || *b == 0x07 || *b == 0x01);
    for format in ["human", "short", "github"] {
        let out = atom(
            dir.path(),
            &["check", "p.atom", "--color", "never", "--format", format],
        );
        assert_eq!(code(&out), 1, "{format}: {}", text(&out.stderr));
        assert!(
            !raw(&out.stdout) && !raw(&out.stderr),
            "{format}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains("\\u{1b}") || text(&out.stdout).contains("\\u{1b}"),
            "{format}: the name is shown escaped"
        );
    }
    // A valid set whose test fails: human and JUnit reports.
    write(
        dir.path(),
        "p.atom",
        "action read on entity\nentity human h\ntest \"t\\u{1}\\u{1b}\" { allow h read h }\n",
    );
    let out = atom(dir.path(), &["test", "p.atom", "--color", "never"]);
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    assert!(
        !raw(&out.stdout) && !raw(&out.stderr),
        "{}",
        text(&out.stderr)
    );
    let out = atom(dir.path(), &["test", "p.atom", "--format", "junit"]);
    let xml = text(&out.stdout);
    assert!(
        xml.contains("<testcase") && xml.contains("t\\u{1}\\u{1b}"),
        "{xml}"
    );
    assert!(
        !xml.chars()
            .any(|c| (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')),
        "{xml}"
    );
}

#[cfg(unix)]
#[test]
fn a_table_that_is_not_a_regular_file_is_refused_not_read_forever() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("t.atomc");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()));
    for table in ["t.atomc", "/dev/zero"] {
        let out = atom(dir.path(), &["query", "--table", table, "a", "read", "b"]);
        assert_eq!(code(&out), 2, "{table}");
        assert!(
            text(&out.stderr).contains("not a regular file"),
            "{}",
            text(&out.stderr)
        );
    }
}

#[test]
fn explanations_show_the_descriptions_of_blocks_and_objects() {
    let dir = tempfile::tempdir().unwrap();
    copy_examples(dir.path());
    let out = atom(
        dir.path(),
        &[
            "query",
            "atomist/sdm-dan",
            "use",
            "atomist/dan-github",
            "--explain",
        ],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("/// An SDM acts as the person who runs it."),
        "{}",
        text(&out.stdout)
    );
    let out = atom(
        dir.path(),
        &[
            "query",
            "atomist/sdm-dan",
            "use",
            "atomist/dan-github",
            "--explain",
            "--format",
            "json",
        ],
    );
    let j: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(
        j["explanation"]["grants"][0]["doc"],
        "An SDM acts as the person who runs it."
    );
}

#[test]
fn lint_codes_work_wherever_lint_names_do() {
    let dir = tempfile::tempdir().unwrap();
    let wide = "action read on resource\nentity human root\nblock everything { allow read on all }\ngrant everything to root\n";
    write(dir.path(), "p/a.atom", wide);
    // --deny by code makes the lint an error.
    let out = atom(
        dir.path(),
        &["check", "p", "--deny", "L007", "--format", "short"],
    );
    assert_eq!(code(&out), 1, "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("error[L007]"));
    // So does a code in atom.toml, and --allow by code turns it off.
    write(
        dir.path(),
        "atom.toml",
        "sources = [\"p\"]\n[lint]\nL007 = \"deny\"\n",
    );
    assert_eq!(code(&atom(dir.path(), &["check", "--format", "short"])), 1);
    let allowed = atom(
        dir.path(),
        &["check", "--allow", "l007", "--format", "short"],
    );
    assert_eq!(code(&allowed), 0);
    assert!(!text(&allowed.stdout).contains("L007"));
    // A suppression by code suppresses (and is not reported unused).
    let suppressed = wide.replace(
        "block everything",
        "// atom: allow(L007) the root account\nblock everything",
    );
    write(dir.path(), "p/a.atom", suppressed);
    let out = atom(dir.path(), &["check", "--format", "short"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
    assert!(!text(&out.stdout).contains("L007") && !text(&out.stdout).contains("L017"));
    // atom rule takes a code.
    let rule = atom(dir.path(), &["rule", "L007"]);
    assert_eq!(code(&rule), 0);
    assert!(text(&rule.stdout).starts_with("platform-wide-allow (L007"));
}

#[test]
fn completions_for_each_shell() {
    let dir = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = atom(dir.path(), &["completions", shell]);
        assert_eq!(code(&out), 0, "{shell}");
        let script = text(&out.stdout);
        assert!(
            script.contains("fmt") && script.contains("lsp"),
            "{shell}: {script}"
        );
    }
    assert_eq!(code(&atom(dir.path(), &["completions", "cmd"])), 2);
}

#[test]
fn table_info_describes_a_table_for_operators() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let table = dir.path().join("p.atomc");
    let policies = root.join("policies");
    let built = atom(
        dir.path(),
        &[
            "build",
            policies.to_str().unwrap(),
            "-o",
            table.to_str().unwrap(),
        ],
    );
    assert_eq!(code(&built), 0, "{}", text(&built.stderr));
    let out = atom(dir.path(), &["table", "info", "p.atomc", "--json"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let loaded = atom::project::load_sources(&[policies]).unwrap();
    let model = atom::check::check_sources(&loaded.sources)
        .into_complete_model()
        .unwrap();
    assert_eq!(doc["format_version"], atom::table::format::VERSION);
    assert_eq!(doc["counts"]["blocks"], model.blocks.len());
    assert_eq!(doc["counts"]["entities"], model.entities.len());
    let size = std::fs::metadata(&table).unwrap().len();
    assert_eq!(doc["bytes"], size);
    let sections: u64 = doc["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["bytes"].as_u64().unwrap())
        .sum();
    assert_eq!(
        64 + atom::table::format::SECTION_COUNT as u64 * 8 + sections,
        size,
        "header, directory and sections make the file"
    );
    let human = atom(dir.path(), &["table", "info", "p.atomc"]);
    assert!(
        text(&human.stdout).contains(&format!("format version {}", atom::table::format::VERSION))
    );
    std::fs::write(dir.path().join("bad.atomc"), b"not a table").unwrap();
    let bad = atom(dir.path(), &["table", "info", "bad.atomc"]);
    assert_eq!(code(&bad), 2);
    assert!(
        text(&bad.stderr).contains("atom::table"),
        "{}",
        text(&bad.stderr)
    );
}
