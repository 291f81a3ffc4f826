//! `atom check --fix`: the safe fixes of lint findings, shown with `--diff`
//! or written, never a change of decision or a broken file.

mod support;

use support::cli::{atom, code, text, write};

/// Canonical layout; an unused suppression (L017) and a kind-wide scope (L008).
const FIXABLE: &str = r#"action publish on resource:channel
type resource:channel

tenant t {
  entity device d

  resource channel c

  // atom: allow(empty-group) nothing is empty here
  block pub { allow publish on resource } // atom: allow(unused-role) nor unused

  role r { pub }

  assign r to d

  test t {
    allow d publish c
  }
}
"#;

#[test]
fn fix_diff_shows_the_changes_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.atom", FIXABLE);
    let out = atom(dir.path(), &["check", "p.atom", "--fix", "--diff"]);
    assert_eq!(code(&out), 1, "there are changes");
    let diff = text(&out.stdout);
    assert!(
        diff.contains("-  // atom: allow(empty-group) nothing is empty here\n"),
        "{diff}"
    );
    assert!(
        diff.contains("-  block pub { allow publish on resource } // atom: allow(unused-role) nor unused\n+  block pub { allow publish on resource:channel }\n"),
        "{diff}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p.atom")).unwrap(),
        FIXABLE
    );
}

#[test]
fn fix_writes_the_fixes_keeps_the_layout_and_every_decision() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.atom", FIXABLE);
    let before = atom(dir.path(), &["test", "p.atom", "--format", "json"]);
    let out = atom(
        dir.path(),
        &["check", "p.atom", "--fix", "--format", "short"],
    );
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "", "nothing left to report");
    assert!(text(&out.stderr).contains("fixed 3 findings in `p.atom`"));
    let fixed = std::fs::read_to_string(dir.path().join("p.atom")).unwrap();
    assert!(!fixed.contains("atom: allow"), "{fixed}");
    assert!(
        fixed.contains("  block pub { allow publish on resource:channel }\n"),
        "{fixed}"
    );
    assert_eq!(
        code(&atom(dir.path(), &["fmt", "--check", "p.atom"])),
        0,
        "still canonical"
    );
    let after = atom(dir.path(), &["test", "p.atom", "--format", "json"]);
    let outcome = |o: &std::process::Output| {
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        doc["tests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["actual"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(outcome(&before), outcome(&after), "the same decisions");
    // Nothing left to fix: a second run changes nothing.
    let again = atom(dir.path(), &["check", "p.atom", "--fix", "--diff"]);
    assert_eq!(code(&again), 0);
    assert_eq!(text(&again.stdout), "");
}

#[test]
fn diff_without_fix_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p.atom", FIXABLE);
    let out = atom(dir.path(), &["check", "p.atom", "--diff"]);
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("atom::usage"));
}
