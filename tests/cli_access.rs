//! `atom who-can` and `atom what-can` through the binary: access with the
//! grant that gives it, conditional access with its two contexts, JSON,
//! and the exit codes of section 13.

mod support;

use support::cli::{atom, code, text, write};

const SET: &str = r#"action read, publish on resource
type resource:channel
tenant acme {
  entity device pump
  entity human ann
  entity human bob
  resource channel telemetry
  principal-group staff { ann, bob }
  block read-all { allow read on resource:channel }
  block publish-mqtt { allow publish on resource:channel when context.protocol == "mqtt" }
  block no-bob { deny read on resource:channel when entity.id == "acme/bob" }
  role reader { read-all, no-bob }
  assign reader to staff
  grant publish-mqtt to pump
}
"#;

#[test]
fn who_can_lists_allowed_and_conditional_subjects_with_their_grant() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.atom", SET);
    let read = atom(
        dir.path(),
        &["who-can", "read", "acme/telemetry", "--sources", "p.atom"],
    );
    assert_eq!(code(&read), 0, "{}", text(&read.stderr));
    assert_eq!(
        text(&read.stdout),
        "allow        acme/ann read acme/telemetry: block `acme/read-all`, from `assign acme/reader to acme/staff`\n",
        "bob is denied by a condition on his own id"
    );
    let publish = atom(
        dir.path(),
        &[
            "who-can",
            "publish",
            "acme/telemetry",
            "--sources",
            "p.atom",
            "--format",
            "json",
        ],
    );
    let doc: serde_json::Value = serde_json::from_slice(&publish.stdout).unwrap();
    let result = &doc["results"][0];
    assert_eq!(result["subject"], "acme/pump");
    assert_eq!(result["access"], "conditional");
    assert_eq!(result["block"], "acme/publish-mqtt");
    assert_eq!(result["via"], "grant acme/publish-mqtt to acme/pump");
    assert_eq!(
        result["allowing_context"],
        serde_json::json!({"protocol": "mqtt"})
    );
    assert_eq!(doc["results"].as_array().map(Vec::len), Some(1));
}

#[test]
fn what_can_lists_every_action_and_object_of_a_subject() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.atom", SET);
    let out = atom(
        dir.path(),
        &["what-can", "acme/pump", "--sources", "p.atom"],
    );
    assert_eq!(code(&out), 0);
    let stdout = text(&out.stdout);
    assert!(
        stdout.starts_with("conditional  acme/pump publish acme/telemetry"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let bob = atom(
        dir.path(),
        &[
            "what-can",
            "acme/bob",
            "--sources",
            "p.atom",
            "--action",
            "read",
        ],
    );
    assert_eq!(text(&bob.stdout), "", "bob can read nothing");
}

#[test]
fn unknown_names_and_sets_with_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.atom", SET);
    let unknown = atom(
        dir.path(),
        &["who-can", "raed", "acme/telemetry", "--sources", "p.atom"],
    );
    assert_eq!(code(&unknown), 2);
    assert!(text(&unknown.stderr).contains("no action `raed` is declared"));
    write(
        dir.path(),
        "bad.atom",
        "block b { allow read on nothing }\n",
    );
    let bad = atom(
        dir.path(),
        &[
            "what-can",
            "acme/ann",
            "--sources",
            "bad.atom",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&bad), 2);
    let doc: serde_json::Value = serde_json::from_slice(&bad.stdout).unwrap();
    assert_eq!(doc["error"], "the policy set has errors");
}

/// A tenant's thing named without its tenant gets the qualified name as a
/// hint, in `query`, `who-can` and `what-can` alike.
#[test]
fn unqualified_names_get_the_qualified_one_as_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.atom", SET);
    let hint = |args: &[&str]| {
        let out = atom(dir.path(), args);
        format!("{}{}", text(&out.stdout), text(&out.stderr)).replace("\n  │ ", " ")
    };
    let query = hint(&[
        "query",
        "--sources",
        "p.atom",
        "ann",
        "read",
        "acme/telemetry",
    ]);
    assert!(
        query.contains("no entity `ann` is declared; did you mean `acme/ann`?"),
        "{query}"
    );
    let who = hint(&["who-can", "read", "telemetry", "--sources", "p.atom"]);
    assert!(
        who.contains("no object `telemetry` is declared; did you mean `acme/telemetry`?"),
        "{who}"
    );
    let what = hint(&["what-can", "pump", "--sources", "p.atom"]);
    assert!(
        what.contains("no entity `pump` is declared; did you mean `acme/pump`?"),
        "{what}"
    );
}
