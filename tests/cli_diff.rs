//! `atom diff OLD NEW` through the binary: folders, tables and `git:REV`
//! inputs; the human, Markdown and JSON reports; the `--deny-new-access` gate.

mod support;

use std::process::Command;

use support::cli::{atom, code, text, write};

const OLD: &str = r#"action read, write on resource
type resource:doc
tenant acme {
  entity human ann
  entity human bob
  entity device pump
  resource doc manual
  resource doc plan
  principal-group staff { ann, bob }
  block read-docs { allow read on resource:doc }
  block write-plan { allow write on plan when context.shift == "day" }
  role reader { read-docs }
  assign reader to staff
  grant write-plan to pump
}
"#;

/// The role now also writes every document; the pump loses its grant.
fn new_text() -> String {
    OLD.replace("  block read-docs { allow read on resource:doc }\n", "  block read-docs { allow read on resource:doc }\n  block write-docs { allow write on resource:doc }\n")
        .replace("role reader { read-docs }", "role reader { read-docs, write-docs }")
        .replace("  grant write-plan to pump\n", "  grant write-plan to ann\n")
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", text(bytes)))
}

#[test]
fn json_lists_every_changed_triple_and_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old/p.atom", OLD);
    write(dir.path(), "new/p.atom", new_text());
    let out = atom(dir.path(), &["diff", "old", "new", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let doc = json(&out.stdout);
    let entries = doc["changes"].as_array().unwrap();
    let changes: Vec<(String, String, String, String, String)> = entries
        .iter()
        .filter(|c| c.get("subject").is_some())
        .map(|c| {
            let f = |k: &str| c[k].as_str().unwrap().to_string();
            (f("subject"), f("action"), f("object"), f("old"), f("new"))
        })
        .collect();
    let row = |s: &str, a: &str, o: &str, old: &str, new: &str| {
        (
            s.to_string(),
            a.to_string(),
            o.to_string(),
            old.to_string(),
            new.to_string(),
        )
    };
    assert_eq!(
        changes,
        vec![
            row("acme/ann", "write", "acme/manual", "deny", "allow"),
            row("acme/ann", "write", "acme/plan", "deny", "allow"),
            row("acme/bob", "write", "acme/manual", "deny", "allow"),
            row("acme/bob", "write", "acme/plan", "deny", "allow"),
            row("acme/pump", "write", "acme/plan", "conditional", "deny"),
        ]
    );
    assert_eq!(doc["summary"], serde_json::json!({"gained": 4, "lost": 1}));
    // What a subject described into `staff` (and nothing else) gains: the
    // new block, for every entity kind (no guardrail stands in the way).
    let groups: Vec<&serde_json::Value> = entries
        .iter()
        .filter(|c| c.get("group").is_some())
        .collect();
    // One entry an object, not one a kind: every kind has the change, so
    // the entries carry no `kinds`.
    assert_eq!(groups.len(), 2, "{groups:?}");
    assert!(groups.iter().all(|c| c["group"] == "acme/staff"
        && c["action"] == "write"
        && c["old"] == "deny"
        && c["new"] == "allow"
        && c.get("kinds").is_none()));
}

/// When a guardrail keeps a kind out, the group entry names the kinds that
/// do change, once: one JSON entry with `kinds`, one Markdown row.
#[test]
fn group_entries_name_their_kinds_once() {
    let dir = tempfile::tempdir().unwrap();
    let guarded = |text: &str| {
        text.replace(
            "type resource:doc\n",
            "type resource:doc\nguardrail deny service write on resource\n",
        )
    };
    write(dir.path(), "old/p.atom", guarded(OLD));
    write(dir.path(), "new/p.atom", guarded(&new_text()));
    let out = atom(dir.path(), &["diff", "old", "new", "--format", "json"]);
    let doc = json(&out.stdout);
    let groups: Vec<&serde_json::Value> = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c.get("group").is_some())
        .collect();
    assert_eq!(groups.len(), 2, "{groups:?}");
    assert!(groups
        .iter()
        .all(|c| c["kinds"] == serde_json::json!(["application", "device", "human", "workload"])));
    let markdown = text(&atom(dir.path(), &["diff", "old", "new", "--format", "markdown"]).stdout);
    let rows: Vec<&str> = markdown
        .lines()
        .filter(|l| l.starts_with("| `acme/staff`"))
        .collect();
    assert_eq!(
        rows,
        [
            "| `acme/staff` | application, device, human, workload | `acme/manual` | deny | allow |",
            "| `acme/staff` | application, device, human, workload | `acme/plan` | deny | allow |",
        ],
        "{markdown}"
    );
}

#[test]
fn human_and_markdown_group_changes_and_the_gate_fails_on_new_access() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old/p.atom", OLD);
    write(dir.path(), "new/p.atom", new_text());
    let human = atom(dir.path(), &["diff", "old", "new"]);
    let report = text(&human.stdout);
    assert!(
        report.contains("+ 2 subjects gain `write` on 2 objects (deny → allow), through block `acme/write-docs`"),
        "{report}"
    );
    assert!(
        report.contains("- 1 subject loses `write` on 1 object (conditional → deny)"),
        "{report}"
    );
    assert!(report.ends_with("access: 4 gained, 1 lost\n"), "{report}");
    let md = text(&atom(dir.path(), &["diff", "old", "new", "--format", "markdown"]).stdout);
    assert!(
        md.starts_with("### Access changes: 4 gained, 1 lost\n"),
        "{md}"
    );
    assert!(md.contains("| `write` | 4 | 1 |"), "{md}");
    assert!(
        md.contains("<details><summary>2 subjects gain `write`"),
        "{md}"
    );
    assert!(
        md.contains("| `acme/bob` | `acme/plan` | deny | allow |"),
        "{md}"
    );
    // The gate: new access fails it; losing access alone does not.
    assert_eq!(
        code(&atom(
            dir.path(),
            &["diff", "old", "new", "--deny-new-access"]
        )),
        1
    );
    write(
        dir.path(),
        "lost/p.atom",
        OLD.replace("  grant write-plan to pump\n", ""),
    );
    assert_eq!(
        code(&atom(
            dir.path(),
            &["diff", "old", "lost", "--deny-new-access"]
        )),
        0
    );
    assert_eq!(
        code(&atom(
            dir.path(),
            &["diff", "new", "old", "--deny-new-access"]
        )),
        1,
        "the pump's access comes back"
    );
    assert_eq!(
        code(&atom(
            dir.path(),
            &["diff", "old", "old", "--deny-new-access"]
        )),
        0
    );
}

#[test]
fn tables_and_git_revisions_are_inputs_too() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "atom.toml", "sources = [\"policies\"]\n");
    write(dir.path(), "policies/p.atom", OLD);
    let git = repo(dir.path());
    commit(&git, "old");
    assert_eq!(code(&atom(dir.path(), &["build", "-o", "old.atomc"])), 0);
    write(dir.path(), "policies/p.atom", new_text());
    let from_git = atom(
        dir.path(),
        &["diff", "git:HEAD", "policies", "--format", "json"],
    );
    assert_eq!(code(&from_git), 0, "{}", text(&from_git.stderr));
    assert_eq!(
        json(&from_git.stdout)["summary"],
        serde_json::json!({"gained": 4, "lost": 1})
    );
    let from_table = atom(
        dir.path(),
        &["diff", "old.atomc", "policies", "--format", "json"],
    );
    assert_eq!(json(&from_table.stdout), json(&from_git.stdout));
    // The work tree is untouched by `git:HEAD`.
    assert_eq!(
        std::fs::read_to_string(dir.path().join("policies/p.atom")).unwrap(),
        new_text()
    );
}

#[test]
fn a_side_that_does_not_compile_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "old/p.atom", OLD);
    write(
        dir.path(),
        "new/p.atom",
        OLD.replace("role reader { read-docs }", "role reader { read-dcs }"),
    );
    let out = atom(dir.path(), &["diff", "old", "new"]);
    assert_eq!(code(&out), 2);
    assert!(text(&out.stderr).contains("A0003"), "{}", text(&out.stderr));
}

/// The pull-request gate between the last two revisions, as JSON.
const GATE: &[&str] = &[
    "diff",
    "git:HEAD~1",
    "git:HEAD",
    "--format",
    "json",
    "--deny-new-access",
];

/// A fresh repository in `dir`, and a way to run git in it.
fn repo(dir: &std::path::Path) -> impl Fn(&[&str]) + '_ {
    let git = move |args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
            .args(args)
            .current_dir(dir)
            .output()
            .expect("git runs");
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    };
    git(&["init", "-q"]);
    git(&["config", "core.quotepath", "true"]);
    git
}

fn commit(git: &impl Fn(&[&str]), message: &str) {
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", message]);
}

/// `git:REV` reads every policy file a build of REV reads, whatever its
/// name: names git quotes (non-ASCII, spaces, quotes, a tab, a newline) and
/// names with pathspec characters. Each file added in the second revision
/// grants new access, and the gate must see it exactly as a diff of the two
/// folders does.
#[test]
fn git_revisions_read_files_whose_names_git_quotes() {
    let names = [
        "sécurité.atom",
        "a b.atom",
        "quo\"te.atom",
        "tab\there.atom",
        "new\nline.atom",
        "*.atom",
        "-dash.atom",
        "日本.atom",
    ];
    for name in names {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "atom.toml", "sources = [\"policies\"]\n");
        write(dir.path(), "policies/p.atom", OLD);
        let git = repo(dir.path());
        commit(&git, "old");
        write(dir.path(), "old/p.atom", OLD);
        let extra = "tenant acme {\n  block write-any { allow write on resource:doc }\n  grant write-any to bob\n}\n";
        write(dir.path(), &format!("policies/{name}"), extra);
        commit(&git, "new");
        let from_git = atom(dir.path(), GATE);
        assert_eq!(code(&from_git), 1, "{name:?}: {}", text(&from_git.stderr));
        let from_folders = atom(dir.path(), &["diff", "old", "policies", "--format", "json"]);
        assert_eq!(
            json(&from_git.stdout),
            json(&from_folders.stdout),
            "{name:?}"
        );
        assert_eq!(
            json(&from_git.stdout)["summary"],
            serde_json::json!({"gained": 2, "lost": 0}),
            "{name:?}"
        );
    }
}

/// A file named exactly `.atom` is not a policy file for any command: a
/// deny in it cannot hide, from the gate, access that the build grants.
#[test]
fn a_file_named_dot_atom_is_read_by_no_command() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "atom.toml", "sources = [\"policies\"]\n");
    write(dir.path(), "policies/p.atom", OLD);
    let git = repo(dir.path());
    commit(&git, "old");
    write(dir.path(), "policies/p.atom", new_text());
    // Would cancel every write in the diff's view, were it read.
    let cancel = "tenant acme {\n  block no-write { deny write on all }\n  role reader2 { no-write }\n  assign reader2 to staff, pump\n}\n";
    write(dir.path(), "policies/.atom", cancel);
    commit(&git, "new");
    let gate = atom(
        dir.path(),
        &["diff", "git:HEAD~1", "git:HEAD", "--deny-new-access"],
    );
    assert_eq!(code(&gate), 1, "{}", text(&gate.stdout));
    let worktree = atom(
        dir.path(),
        &["diff", "git:HEAD~1", "policies", "--deny-new-access"],
    );
    assert_eq!(code(&worktree), 1, "{}", text(&worktree.stdout));
    // `atom check` does not read it either: the set has no `no-write`.
    let check = atom(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code(&check), 0);
    assert!(!text(&check.stdout).contains("no-write"));
}

/// `git:REV` takes the sources from `atom.toml` as it is at REV, not from
/// the work tree's.
#[test]
fn git_revisions_read_the_manifest_of_the_revision() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "atom.toml", "sources = [\"a\"]\n");
    write(dir.path(), "a/p.atom", OLD);
    let git = repo(dir.path());
    commit(&git, "old");
    write(dir.path(), "atom.toml", "sources = [\"b\"]\n");
    write(dir.path(), "b/p.atom", new_text());
    commit(&git, "new: the sources move to b, with more access");
    // The work tree's manifest points back at `a` (uncommitted).
    write(dir.path(), "atom.toml", "sources = [\"a\"]\n");
    let out = atom(dir.path(), GATE);
    assert_eq!(code(&out), 1, "{}", text(&out.stderr));
    assert_eq!(
        json(&out.stdout)["summary"],
        serde_json::json!({"gained": 4, "lost": 1})
    );
    // A revision without the manifest is an error, not an empty set.
    write(dir.path(), "c.txt", "");
    let before = atom(dir.path(), &["diff", "git:HEAD~5", "git:HEAD"]);
    assert_eq!(code(&before), 2);
}
