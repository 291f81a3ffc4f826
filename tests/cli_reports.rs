//! `atom test` and `atom query` as CI reads them: documents that stay valid
//! when the policies have errors, `--filter`, `--coverage`, the formats a
//! decision accepts, and what a mistyped name gets.

mod support;

use quick_junit::{NonSuccessKind, Report, TestCaseStatus};
use support::cli::{atom, code, text, write};

const BROKEN: &str =
    "action read on resource\ntype resource:doc\nresource doc d\nblock b { allow read on nope }\n";

/// Two tests; `publish` needs an MQTT context; `audit` is never exercised.
const SET: &str = r#"action read on resource
action publish on resource:channel
type resource:channel
type resource:report
tenant acme {
  entity device pump-01
  resource channel telemetry
  resource report monthly
  block publish-mqtt { allow publish on resource:channel when context.protocol == "mqtt" }
  block audit { allow read on resource:report }
  role pump { publish-mqtt }
  role auditor { audit }
  assign pump to pump-01
  test publishing {
    allow pump-01 publish telemetry with { context.protocol = "mqtt" }
    deny pump-01 publish telemetry
  }
  test reading {
    deny pump-01 read monthly
  }
}
"#;

fn set() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "policies/acme.atom", SET);
    write(dir.path(), "bad/b.atom", BROKEN);
    dir
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(bytes)))
}

#[test]
fn test_json_with_policy_errors_is_a_document_carrying_them() {
    let dir = set();
    let out = atom(dir.path(), &["test", "bad", "--format", "json"]);
    assert_eq!(code(&out), 1);
    let doc = json(&out.stdout);
    assert_eq!(doc["tests"], serde_json::json!([]));
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["diagnostics"][0]["code"], "A0003");
    assert_eq!(doc["diagnostics"][0]["file"], "bad/b.atom");
    assert_eq!(doc["diagnostics"][0]["line"], 4);
}

#[test]
fn test_junit_with_policy_errors_has_an_errored_case_per_error() {
    let dir = set();
    let out = atom(dir.path(), &["test", "bad", "--format", "junit"]);
    assert_eq!(code(&out), 1);
    let report = Report::deserialize_from_str(&text(&out.stdout)).expect("valid JUnit");
    assert_eq!(report.errors, 1);
    let case = &report.test_suites[0].test_cases[0];
    match &case.status {
        TestCaseStatus::NonSuccess { kind, ty, .. } => {
            assert_eq!(*kind, NonSuccessKind::Error);
            assert_eq!(ty.as_deref(), Some("A0003"));
        }
        other => panic!("expected an error case, got {other:?}"),
    }
    assert_eq!(case.extra.get("line").map(|l| l.as_str()), Some("4"));
}

#[test]
fn junit_cases_carry_file_line_and_time_and_json_records_carry_context() {
    let dir = set();
    let out = atom(dir.path(), &["test", "policies", "--format", "junit"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stdout));
    let report = Report::deserialize_from_str(&text(&out.stdout)).expect("valid JUnit");
    let cases = &report.test_suites[0].test_cases;
    assert_eq!(cases.len(), 3);
    for case in cases {
        assert_eq!(
            case.extra.get("file").map(|f| f.as_str()),
            Some("policies/acme.atom")
        );
        assert!(case.time.is_some(), "every case has a time");
    }
    assert_eq!(cases[0].extra.get("line").map(|l| l.as_str()), Some("15"));
    let doc = json(&atom(dir.path(), &["test", "policies", "--format", "json"]).stdout);
    assert_eq!(
        doc["tests"][0]["context"],
        serde_json::json!({"protocol": "mqtt"})
    );
    assert_eq!(doc["tests"][1]["context"], serde_json::json!({}));
}

#[test]
fn filter_runs_only_the_test_blocks_whose_name_contains_it() {
    let dir = set();
    let out = atom(dir.path(), &["test", "policies", "--filter", "publish"]);
    assert_eq!(code(&out), 0);
    assert_eq!(text(&out.stdout), "2 passed, 0 failed\n");
    let none = atom(
        dir.path(),
        &["test", "policies", "--filter", "nothing-matches"],
    );
    assert_eq!(code(&none), 0);
    assert_eq!(text(&none.stdout), "0 passed, 0 failed\n");
    assert!(text(&none.stderr).contains("no test block's name contains `nothing-matches`"));
}

#[test]
fn coverage_lists_what_no_test_line_exercises() {
    let dir = set();
    let out = atom(dir.path(), &["test", "policies", "--coverage"]);
    assert_eq!(code(&out), 0);
    let stdout = text(&out.stdout);
    // Items: 2 blocks, 2 roles, 1 assignment; `audit` and `auditor` unexercised.
    assert!(
        stdout.contains("coverage: 3 of 5 blocks, roles, assignments and grants exercised (60.0%)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 10: block `acme/audit` is not exercised"),
        "{stdout}"
    );
    assert!(
        stdout.contains("line 12: role `acme/auditor` is not exercised"),
        "{stdout}"
    );
    assert!(!stdout.contains("publish-mqtt` is not"), "{stdout}");
    // Only the `reading` test: it matches no grant, so nothing is exercised.
    let doc = json(
        &atom(
            dir.path(),
            &[
                "test",
                "policies",
                "--coverage",
                "--format",
                "json",
                "--filter",
                "reading",
            ],
        )
        .stdout,
    );
    let file = &doc["coverage"]["files"][0];
    assert_eq!(file["file"], "policies/acme.atom");
    assert_eq!(file["items"], 5);
    assert_eq!(file["exercised"], 0);
    assert_eq!(file["percent"], 0.0);
    assert_eq!(file["not_exercised"].as_array().map(Vec::len), Some(5));
    assert_eq!(
        file["not_exercised"][4],
        serde_json::json!({"kind": "assignment", "name": "assign acme/pump to acme/pump-01", "line": 13})
    );
}

#[test]
fn query_json_with_policy_errors_is_a_document_carrying_them() {
    let dir = set();
    let out = atom(
        dir.path(),
        &[
            "query",
            "--sources",
            "bad",
            "d",
            "read",
            "d",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 1);
    let doc = json(&out.stdout);
    assert_eq!(doc["error"], "the policy set has errors");
    assert_eq!(doc["diagnostics"][0]["code"], "A0003");
}

#[test]
fn query_accepts_only_formats_that_mean_something_for_a_decision() {
    let dir = set();
    for format in ["sarif", "github", "short"] {
        let out = atom(
            dir.path(),
            &[
                "query",
                "--sources",
                "policies",
                "acme/pump-01",
                "read",
                "acme/monthly",
                "--format",
                format,
            ],
        );
        assert_eq!(code(&out), 2, "{format}");
        assert!(text(&out.stderr).contains("atom::usage"), "{format}");
        assert!(text(&out.stderr).contains("[possible values: human, json]"));
    }
}

#[test]
fn query_repeats_an_unknown_name_and_suggests_the_nearest() {
    let dir = set();
    let out = atom(
        dir.path(),
        &[
            "query",
            "--sources",
            "policies",
            "acme/pump-1",
            "read",
            "acme/monthly",
        ],
    );
    assert_eq!(code(&out), 1);
    assert_eq!(
        text(&out.stdout),
        "deny: subject_not_found\n  no entity `acme/pump-1` is declared; did you mean `acme/pump-01`?\n"
    );
    let object = atom(
        dir.path(),
        &[
            "query",
            "--sources",
            "policies",
            "acme/pump-01",
            "read",
            "acme/montly",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        json(&object.stdout)["hint"],
        "no object `acme/montly` is declared; did you mean `acme/monthly`?"
    );
}

#[test]
fn query_without_a_manifest_explains_table_and_sources() {
    let dir = set();
    let out = atom(dir.path(), &["query", "a", "read", "b"]);
    assert_eq!(code(&out), 2);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("atom::no_inputs"), "{stderr}");
    assert!(stderr.contains("--table FILE"), "{stderr}");
    assert!(stderr.contains("--sources PATH"), "{stderr}");
    assert!(!stderr.contains("atom check"), "{stderr}");
}

const SITES: &str = r#"action read on resource
type resource:doc
tenant acme {
  entity human ann { site = "plant-b" }
  entity human bob
  resource doc manual { site = "plant-a" }
  block same-site { allow read on resource:doc when entity.attributes.site == object.attributes.site }
  block everyone { allow read on resource:doc }
  role reader { same-site }
  assign reader to ann, bob
  grant everyone to bob
}
"#;

#[test]
fn explain_names_the_deciding_rule_and_both_sides_of_a_failed_condition() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.atom", SITES);
    let ann = atom(
        dir.path(),
        &[
            "query",
            "--sources",
            "p.atom",
            "acme/ann",
            "read",
            "acme/manual",
            "--explain",
        ],
    );
    assert_eq!(code(&ann), 1);
    let stdout = text(&ann.stdout);
    assert!(
        stdout.contains(
            "skipped: `entity.attributes.site == object.attributes.site` does not hold: the left side is \"plant-b\", the right side is \"plant-a\""
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "so: rule 9 of the decision order (no allow matches) decides: no_matching_allow"
        ),
        "{stdout}"
    );
    let bob = atom(
        dir.path(),
        &[
            "query",
            "--sources",
            "p.atom",
            "acme/bob",
            "read",
            "acme/manual",
            "--explain",
        ],
    );
    let stdout = text(&bob.stdout);
    assert!(
        stdout.contains("the left side is missing, the right side is \"plant-a\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("from `grant acme/everyone to acme/bob`: matched (this decides)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("so: rule 8 of the decision order"),
        "{stdout}"
    );
}

/// A lint a run sets to `deny` is an error result in SARIF, while its rule
/// keeps its default level (`warning`); an error code's rule is `error`.
#[test]
fn sarif_rules_carry_their_default_level_not_the_runs() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "p.atom",
        "action read on resource\ntype resource:doc\nblock spare { allow read on resource:doc }\n",
    );
    write(
        dir.path(),
        "q.atom",
        "action read on resource\nblock broken { allow read on nothing }\n",
    );
    let out = atom(
        dir.path(),
        &[
            "check",
            "p.atom",
            "--format",
            "sarif",
            "--deny",
            "unused-block",
        ],
    );
    let log = json(&out.stdout);
    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let level_of = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["defaultConfiguration"]["level"].clone())
    };
    assert_eq!(
        level_of("L001"),
        Some(serde_json::json!("warning")),
        "{rules:?}"
    );
    let results = run["results"].as_array().unwrap();
    let lint = results.iter().find(|r| r["ruleId"] == "L001").unwrap();
    assert_eq!(lint["level"], "error", "the run set it to deny");
    let broken = atom(dir.path(), &["check", "q.atom", "--format", "sarif"]);
    let log = json(&broken.stdout);
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    assert_eq!(rules[0]["id"], "A0003");
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "error");
}
