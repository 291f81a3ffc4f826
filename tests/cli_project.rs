//! The `atom` binary and its configuration: which manifest governs a run,
//! `--config`, and `build`/`test`/`query` refusing exactly what `check` refuses.

mod support;

use support::cli::{atom, code, text, write};

/// Legal, but every `read-channels` allow is shadowed by `lockdown` (L005).
const SHADOWED: &str = r#"action read on resource
type resource:channel
tenant t {
  entity device d
  resource channel c
  block read-channels { allow read on resource:channel }
  block lockdown { deny read on resource }
  role operator { read-channels, lockdown }
  assign operator to d
  test lock {
    deny d read c
  }
}
"#;

#[test]
fn build_refuses_a_set_that_check_refuses_because_a_lint_is_denied() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policies/p.atom", SHADOWED);
    write(
        dir.path(),
        "atom.toml",
        "[lint]\nshadowed-allow = \"deny\"\n",
    );
    let check = atom(dir.path(), &["check"]);
    assert_eq!(code(&check), 1, "{}", text(&check.stderr));
    let build = atom(dir.path(), &["build", "--format", "short"]);
    assert_eq!(code(&build), 1, "{}", text(&build.stderr));
    assert!(
        text(&build.stdout).contains("error[L005]"),
        "{}",
        text(&build.stdout)
    );
    assert!(!dir.path().join("target/atom/policy.atomc").exists());
    // The same through `--deny` on the command line, and for `test` too.
    write(dir.path(), "atom.toml", "");
    assert_eq!(code(&atom(dir.path(), &["build"])), 0);
    assert_eq!(code(&atom(dir.path(), &["build", "--deny", "L005"])), 1);
    assert_eq!(
        code(&atom(dir.path(), &["test", "--deny", "correctness"])),
        1
    );
    assert_eq!(code(&atom(dir.path(), &["test"])), 0);
}

#[test]
fn the_manifest_above_the_checked_paths_governs_not_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "project/policies/p.atom", SHADOWED);
    write(
        dir.path(),
        "project/atom.toml",
        "[lint]\nshadowed-allow = \"deny\"\n",
    );
    // The current folder has its own manifest, which must not apply.
    write(
        dir.path(),
        "atom.toml",
        "[lint]\nshadowed-allow = \"allow\"\n",
    );
    let out = atom(dir.path(), &["check", "project/policies", "-v"]);
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("using manifest `project/atom.toml`"),
        "{stderr}"
    );
    // A file path works too: its folder is where the search starts.
    let file = atom(dir.path(), &["check", "project/policies/p.atom"]);
    assert_eq!(code(&file), 1);
    // `--config` overrides the search.
    let config = atom(
        dir.path(),
        &["check", "project/policies", "--config", "atom.toml", "-v"],
    );
    assert_eq!(code(&config), 0, "{}", text(&config.stderr));
    assert!(text(&config.stderr).contains("using manifest `atom.toml`"));
    // Without paths, the current folder's manifest and its sources.
    write(
        dir.path(),
        "atom.toml",
        "sources = [\"project/policies\"]\n",
    );
    let own = atom(dir.path(), &["check", "-v"]);
    assert_eq!(code(&own), 0, "{}", text(&own.stderr));
    assert!(text(&own.stderr).contains("policy files: 1"));
}

#[test]
fn a_missing_config_file_is_a_tool_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.atom", SHADOWED);
    let out = atom(dir.path(), &["check", "p.atom", "--config", "nope.toml"]);
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("`nope.toml` does not exist"));
}

#[test]
fn build_writes_where_the_governing_manifest_says() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "project/policies/p.atom", SHADOWED);
    write(
        dir.path(),
        "project/atom.toml",
        "[build]\noutput = \"out/table.atomc\"\n",
    );
    let out = atom(dir.path(), &["build", "project/policies"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert!(dir.path().join("project/out/table.atomc").is_file());
}

#[test]
fn init_creates_a_project_that_checks_tests_formats_and_builds_clean() {
    let dir = tempfile::tempdir().unwrap();
    let out = atom(dir.path(), &["init", "starter"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let project = dir.path().join("starter");
    for file in [
        "atom.toml",
        "policies/example.atom",
        ".github/workflows/atom.yml",
    ] {
        assert!(project.join(file).is_file(), "{file}");
    }
    let check = atom(&project, &["check", "--format", "short"]);
    assert_eq!(code(&check), 0, "{}", text(&check.stderr));
    assert_eq!(text(&check.stdout), "", "no error and no warning");
    let test = atom(&project, &["test", "--coverage"]);
    assert_eq!(code(&test), 0, "{}", text(&test.stderr));
    let report = text(&test.stdout);
    assert!(report.starts_with("7 passed, 0 failed\n"), "{report}");
    assert!(
        report.contains("(100.0%)"),
        "every grant is tested: {report}"
    );
    assert_eq!(code(&atom(&project, &["fmt", "--check"])), 0);
    assert_eq!(code(&atom(&project, &["build"])), 0);
    assert!(project.join("target/atom/policy.atomc").is_file());
    // The built table is not a source: `.gitignore` says so.
    let ignore = std::fs::read_to_string(project.join(".gitignore")).unwrap();
    assert_eq!(ignore, "/target/\n");
    // The workflow runs the same gate.
    let workflow = std::fs::read_to_string(project.join(".github/workflows/atom.yml")).unwrap();
    for step in [
        "atom fmt --check",
        "atom check --format github",
        "atom test --format junit",
        "atom build",
    ] {
        assert!(workflow.contains(step), "{step}");
    }
    // A second run refuses to overwrite anything.
    let again = atom(dir.path(), &["init", "starter"]);
    assert_eq!(code(&again), 2);
    assert!(text(&again.stderr).contains("atom::init"));
    assert!(text(&again.stderr).contains("refusing to overwrite"));
    // In a repository with its own `.gitignore`, the line is added once.
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    std::fs::write(repo.join(".gitignore"), "*.log").unwrap();
    assert_eq!(code(&atom(&repo, &["init"])), 0);
    assert_eq!(
        std::fs::read_to_string(repo.join(".gitignore")).unwrap(),
        "*.log\n/target/\n"
    );
}
