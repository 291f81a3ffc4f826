//! Fixture runner: each `.atom` file under `tests/fixtures/<stage>/` is checked
//! as a policy set of its own. The findings must be exactly those written in
//! the file, on the line each applies to:
//!
//! ```text
//! block b { allow read resource:channel } // error[A0001]: expected `on`
//! ```
//!
//! `// error[CODE]` or `// warning[CODE]`, optionally followed by `:` and a
//! part of the message. A file with no such comment must produce nothing.
//! A fixture may also be a folder: its `.atom` files form one set. The
//! human rendering of every fixture is also snapshotted.

use std::path::{Path, PathBuf};

use atom::check::check_sources;
use atom::diag::render::render_human;
use atom::diag::SourceMap;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    line: usize,
    severity: String,
    code: String,
}

struct Expectation {
    finding: Finding,
    message_part: Option<String>,
}

fn expectations(text: &str) -> Vec<Expectation> {
    let mut out = Vec::new();
    for (index, line) in text.lines().enumerate() {
        for severity in ["error", "warning"] {
            let marker = format!("// {severity}[");
            let mut rest = line;
            while let Some(at) = rest.find(&marker) {
                let after = &rest[at + marker.len()..];
                let Some(close) = after.find(']') else { break };
                let code = after[..close].to_string();
                let tail = &after[close + 1..];
                let message_part = tail
                    .strip_prefix(':')
                    .map(|m| m.split(" // ").next().unwrap_or(m).trim().to_string());
                out.push(Expectation {
                    finding: Finding {
                        line: index + 1,
                        severity: severity.to_string(),
                        code,
                    },
                    message_part,
                });
                rest = tail;
            }
        }
    }
    out
}

fn fixtures(stage: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(stage);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "atom"))
        .collect();
    files.sort();
    files
}

/// The files of one fixture: a `.atom` file, or every `.atom` file of a
/// folder (a multi-file set), named `STAGE/STEM[/FILE].atom`.
fn fixture_files(stage: &str, path: &Path) -> (String, SourceMap) {
    let stem = path.file_stem().unwrap().to_string_lossy().to_string();
    let mut sources = SourceMap::new();
    if path.is_dir() {
        for file in fixtures(&format!("{stage}/{stem}")) {
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            let text = std::fs::read_to_string(&file).unwrap();
            sources.add(format!("{stage}/{stem}/{name}"), text);
        }
        assert!(
            sources.files().count() >= 2,
            "{stem}: a folder fixture has several files"
        );
    } else {
        let text = std::fs::read_to_string(path).unwrap();
        sources.add(format!("{stage}/{stem}.atom"), text);
    }
    (stem, sources)
}

/// How a stage's fixtures are run.
#[derive(Clone, Copy, PartialEq)]
enum Run {
    /// Parse and check (`check_sources`).
    Check,
    /// Through a workspace: errors and the default lints, as `atom check` runs.
    Workspace,
}

fn findings_of(sources: &SourceMap, run: Run) -> Vec<atom::diag::Diagnostic> {
    match run {
        Run::Check => check_sources(sources).diagnostics,
        Run::Workspace => {
            let mut ws = atom::workspace::Workspace::default();
            for (_, f) in sources.files() {
                ws.set_file(&f.name, f.text.clone());
            }
            ws.analysis().diagnostics.clone()
        }
    }
}

/// Whether the findings are exactly the expectations written in the files;
/// what differs, if not.
fn compare(stem: &str, sources: &SourceMap, diagnostics: &[atom::diag::Diagnostic]) -> Vec<String> {
    let mut failures = Vec::new();
    let mut actual: Vec<(String, Finding)> = diagnostics
        .iter()
        .map(|d| {
            let (start, _) = sources.span_lines(d.primary.span);
            let finding = Finding {
                line: start.line,
                severity: d.severity.as_str().to_string(),
                code: d.code.id.to_string(),
            };
            (sources.name(d.primary.span.file).to_string(), finding)
        })
        .collect();
    actual.sort();
    let mut expected = Vec::new();
    for (id, file) in sources.files() {
        for e in expectations(&file.text) {
            if let Some(part) = &e.message_part {
                let found = diagnostics.iter().any(|d| {
                    d.primary.span.file == id
                        && sources.span_lines(d.primary.span).0.line == e.finding.line
                        && d.code.id == e.finding.code
                        && d.message.contains(part.as_str())
                });
                if !found {
                    failures.push(format!(
                        "{stem}:{}: no {} message contains {part:?}",
                        e.finding.line, e.finding.code
                    ));
                }
            }
            expected.push((file.name.clone(), e.finding));
        }
    }
    expected.sort();
    if actual != expected {
        failures.insert(
            0,
            format!("{stem}: expected {expected:?}\n  got {actual:?}"),
        );
    }
    failures
}

/// Checks every fixture of a stage; returns how many there were.
fn run_stage(stage: &str, run: Run) -> usize {
    let files = fixtures(stage);
    let mut failures = Vec::new();
    let mut rendered = Vec::new();
    for path in &files {
        let (stem, sources) = fixture_files(stage, path);
        let diagnostics = findings_of(&sources, run);
        let found = compare(&stem, &sources, &diagnostics);
        if !found.is_empty() {
            failures.push(format!(
                "{}\n{}",
                found.join("\n"),
                render_human(&sources, &diagnostics)
            ));
            continue;
        }
        rendered.push((stem, render_human(&sources, &diagnostics)));
    }
    assert!(
        failures.is_empty(),
        "{} fixture(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Snapshots come after every expectation holds, so that one run shows
    // every mismatched expectation before any snapshot review.
    for (stem, text) in rendered {
        insta::with_settings!({
            snapshot_path => "snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("{stage}__{stem}"), or_clean(text));
        });
    }
    files.len()
}

#[test]
fn syntax_fixtures() {
    let n = run_stage("syntax", Run::Check);
    assert!(n >= 20, "expected the syntax fixtures, found {n}");
}

#[test]
fn check_fixtures() {
    let n = run_stage("check", Run::Check);
    assert!(n >= 40, "expected the check fixtures, found {n}");
}

/// Broken sets, one folder or file each: every independent error of a
/// run is reported at once (several syntax errors in one file, syntax and
/// semantic errors in different files, no undeclared-name error for a
/// declaration that did not parse), and lints still run on the files
/// without errors.
#[test]
fn recovery_fixtures() {
    let n = run_stage("recovery", Run::Workspace);
    assert!(n >= 5, "expected the recovery fixtures, found {n}");
}

#[test]
fn expectation_comments_are_read() {
    let e =
        expectations("a // error[A0001]: expected `on`\nb\nc // warning[L001] // error[A0003]\n");
    let got: Vec<(usize, &str, &str, Option<&str>)> = e
        .iter()
        .map(|e| {
            (
                e.finding.line,
                e.finding.severity.as_str(),
                e.finding.code.as_str(),
                e.message_part.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (1, "error", "A0001", Some("expected `on`")),
            (3, "error", "A0003", None),
            (3, "warning", "L001", None),
        ]
    );
}

/// Every error code is exercised by at least three fixtures, and every
/// check code has a valid neighbour (`aNNNN_ok.atom`) that must stay clean.
#[test]
fn every_code_has_fixtures_and_a_valid_neighbour() {
    let mut texts = Vec::new();
    for stage in ["syntax", "check"] {
        for path in fixtures(stage) {
            let name = path.file_stem().unwrap().to_string_lossy().to_string();
            texts.push((name, std::fs::read_to_string(path).unwrap()));
        }
    }
    for code in atom::diag::codes::ALL {
        let marker = format!("error[{}]", code.id);
        let n = texts.iter().filter(|(_, t)| t.contains(&marker)).count();
        assert!(
            n >= 3,
            "{} is produced by {n} fixtures; at least 3 are expected",
            code.id
        );
        if code.id != "A0001" {
            let ok = format!("{}_ok", code.id.to_lowercase());
            assert!(
                texts.iter().any(|(name, _)| *name == ok),
                "{} has no valid neighbour {ok}.atom",
                code.id
            );
        }
    }
}

/// Lint fixtures: `tests/fixtures/lint/RULE/{fail_1,fail_2,pass}.atom`.
/// Each is linted with RULE switched on (at `warn`) and the other lints at
/// their defaults; only RULE's findings are compared with the expectations
/// and snapshotted, so one rule's fixtures never depend on another's.
#[test]
fn lint_fixtures() {
    use atom::lint::RULES;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lint");
    let mut failures = Vec::new();
    let mut rendered = Vec::new();
    for rule in RULES {
        let dir = root.join(rule.name);
        for stem in lint_stems(&dir, rule.retired) {
            let path = dir.join(format!("{stem}.atom"));
            let Ok(text) = std::fs::read_to_string(&path) else {
                failures.push(format!("{}: missing {stem}.atom", rule.name));
                continue;
            };
            match lint_fixture(rule, &stem, &text) {
                Ok(text) => rendered.push((format!("lint__{}__{stem}", rule.name), text)),
                Err(mut found) => failures.append(&mut found),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} lint fixture(s) failed:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
    for (name, text) in rendered {
        insta::with_settings!({ snapshot_path => "snapshots", prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!(name, or_clean(text));
        });
    }
}

/// A lint's fixtures: at least two failing ones and a passing one; more may
/// follow. A retired rule has a passing one only (what it once reported).
fn lint_stems(dir: &Path, retired: bool) -> Vec<String> {
    let required: &[&str] = if retired {
        &["pass"]
    } else {
        &["fail_1", "fail_2", "pass"]
    };
    let mut stems: Vec<String> = required.iter().map(|s| s.to_string()).collect();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if let Some(stem) = name.strip_suffix(".atom") {
            if !stems.iter().any(|s| s == stem) {
                stems.push(stem.to_string());
            }
        }
    }
    stems.sort();
    stems
}

/// Lints one fixture with its rule switched on and compares the findings
/// with the expectations written in it: the rendering to snapshot, or what
/// failed.
fn lint_fixture(rule: &atom::lint::Rule, stem: &str, text: &str) -> Result<String, Vec<String>> {
    use atom::lint::{lint, Level, LintConfig};
    let mut failures = Vec::new();
    let mut sources = SourceMap::new();
    sources.add(format!("lint/{}/{stem}.atom", rule.name), text.to_string());
    let checked = check_sources(&sources);
    let Some(model) = checked.complete_model() else {
        return Err(vec![format!(
            "{}/{stem}: does not check clean\n{}",
            rule.name,
            render_human(&sources, &checked.diagnostics)
        )]);
    };
    let mut config = LintConfig::default();
    config.levels.insert(rule.name.to_string(), Level::Warn);
    let mut found: Vec<_> = lint(model, &sources, &config)
        .into_iter()
        .filter(|d| d.code.id == rule.code)
        .collect();
    atom::diag::sort(&mut found);
    let mut actual: Vec<Finding> = found
        .iter()
        .map(|d| Finding {
            line: sources.span_lines(d.primary.span).0.line,
            severity: d.severity.as_str().to_string(),
            code: d.code.id.to_string(),
        })
        .collect();
    actual.sort();
    let expected_all = expectations(text);
    let mut expected: Vec<Finding> = expected_all.iter().map(|e| e.finding.clone()).collect();
    expected.sort();
    if stem == "pass" && !expected.is_empty() || stem != "pass" && expected.is_empty() {
        failures.push(format!(
            "{}/{stem}: a fail fixture must expect findings, a pass fixture none",
            rule.name
        ));
    }
    if actual != expected {
        failures.push(format!(
            "{}/{stem}: expected {expected:?}\n  got {actual:?}\n{}",
            rule.name,
            render_human(&sources, &found)
        ));
        return Err(failures);
    }
    for e in &expected_all {
        if let Some(part) = &e.message_part {
            let ok = found.iter().any(|d| {
                sources.span_lines(d.primary.span).0.line == e.finding.line
                    && d.message.contains(part.as_str())
            });
            if !ok {
                failures.push(format!(
                    "{}/{stem}:{}: no message contains {part:?}\n{}",
                    rule.name,
                    e.finding.line,
                    render_human(&sources, &found)
                ));
            }
        }
    }
    if failures.is_empty() {
        Ok(render_human(&sources, &found))
    } else {
        Err(failures)
    }
}

/// A rendering to snapshot: a clean fixture says so, so that no snapshot is
/// empty and a fixture that starts to report something shows as a change.
fn or_clean(text: String) -> String {
    if text.trim().is_empty() {
        "(no findings)\n".to_string()
    } else {
        text
    }
}

/// Every error of every fixture says what to do (spec section 8: each
/// error has help text).
#[test]
fn every_error_has_help() {
    let mut missing = Vec::new();
    for stage in ["syntax", "check"] {
        for path in fixtures(stage) {
            let text = std::fs::read_to_string(&path).unwrap();
            let mut sources = SourceMap::new();
            sources.add(path.display().to_string(), text);
            for d in check_sources(&sources).diagnostics {
                if d.help.is_none() {
                    missing.push(format!(
                        "{}: {}[{}]: {}",
                        path.file_name().unwrap().to_string_lossy(),
                        d.severity.as_str(),
                        d.code.id,
                        d.message
                    ));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} errors without help:\n{}",
        missing.len(),
        missing.join("\n")
    );
}
