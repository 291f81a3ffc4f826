//! `atom fmt` as users and CI run it (spec section 11): in place,
//! `--check`, `--diff`, `-`, the manifest's sources, and files with syntax
//! errors left untouched.

mod support;

use support::cli::{atom, atom_with_stdin, code, text, write};

const MESSY: &str = "action read on resource\ntype resource:doc\nresource doc r1   // the first\nblock b {allow read on resource:doc}\n";
const CANONICAL: &str = "action read on resource\ntype resource:doc\nresource doc r1 // the first\nblock b { allow read on resource:doc }\n";

#[test]
fn fmt_rewrites_in_place_and_then_has_nothing_to_do() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "p/a.atom", MESSY);
    write(
        dir.path(),
        "p/b.atom",
        CANONICAL.replace("r1", "r2").replace("block b", "block c"),
    );
    let out = atom(dir.path(), &["fmt", "p"]);
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let a = std::fs::read_to_string(dir.path().join("p/a.atom")).unwrap();
    assert_eq!(a, CANONICAL);
    let check = atom(dir.path(), &["fmt", "--check", "p"]);
    assert_eq!(code(&check), 0);
    assert_eq!(text(&check.stdout), "");
}

#[test]
fn check_lists_files_and_diff_shows_changes_without_writing() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "atom.toml", "sources = [\"p\"]\n");
    write(dir.path(), "p/a.atom", MESSY);
    let check = atom(dir.path(), &["fmt", "--check"]);
    assert_eq!(code(&check), 1);
    assert_eq!(text(&check.stdout), "p/a.atom\n");
    let diff = atom(dir.path(), &["fmt", "--diff"]);
    assert_eq!(code(&diff), 1);
    let shown = text(&diff.stdout);
    assert!(shown.starts_with("--- p/a.atom\n+++ p/a.atom\n"), "{shown}");
    assert!(
        shown.contains("-resource doc r1   // the first\n"),
        "{shown}"
    );
    assert!(shown.contains("+resource doc r1 // the first\n"), "{shown}");
    let unchanged = std::fs::read_to_string(dir.path().join("p/a.atom")).unwrap();
    assert_eq!(unchanged, MESSY);
}

#[test]
fn stdin_to_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out = atom_with_stdin(dir.path(), &["fmt", "-"], MESSY);
    assert_eq!(code(&out), 0);
    assert_eq!(text(&out.stdout), CANONICAL);
    let checked = atom_with_stdin(dir.path(), &["fmt", "-", "--check"], MESSY);
    assert_eq!(code(&checked), 1);
    assert_eq!(text(&checked.stdout), "");
    let clean = atom_with_stdin(dir.path(), &["fmt", "-", "--check"], CANONICAL);
    assert_eq!(code(&clean), 0);
    let broken = atom_with_stdin(
        dir.path(),
        &["fmt", "-", "--format", "short"],
        "blok b {}\n",
    );
    assert_eq!(code(&broken), 1);
    assert_eq!(
        text(&broken.stdout),
        "<stdin>:1:1: error[A0001]: expected a declaration, found `blok`\n"
    );
}

#[test]
fn a_file_with_a_syntax_error_is_reported_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let broken = "entity human   ann\nblok b {}\n";
    write(dir.path(), "p/a.atom", MESSY);
    write(dir.path(), "p/broken.atom", broken);
    let out = atom(dir.path(), &["fmt", "p", "--format", "short"]);
    assert_eq!(code(&out), 1);
    assert_eq!(
        text(&out.stdout),
        "p/broken.atom:2:1: error[A0001]: expected a declaration, found `blok`\n"
    );
    let left = std::fs::read_to_string(dir.path().join("p/broken.atom")).unwrap();
    assert_eq!(left, broken);
    // The other file is formatted even though the set has an error.
    let a = std::fs::read_to_string(dir.path().join("p/a.atom")).unwrap();
    assert_eq!(a, CANONICAL);
}

#[test]
fn the_repository_policies_are_formatted() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = atom(root, &["fmt", "--check", "policies"]);
    assert_eq!(
        code(&out),
        0,
        "run `atom fmt policies`:\n{}",
        text(&out.stdout)
    );
}

/// A byte-order mark on standard input is dropped, as in a file.
#[test]
fn a_byte_order_mark_on_stdin_is_read_as_in_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = atom_with_stdin(dir.path(), &["fmt", "-"], &format!("\u{feff}{MESSY}"));
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), CANONICAL);
    write(dir.path(), "p/a.atom", format!("\u{feff}{CANONICAL}"));
    let file = atom(dir.path(), &["check", "p"]);
    assert_eq!(code(&file), 0, "{}", text(&file.stdout));
}

/// A lone carriage return inside a `//` comment would hide the rest of the
/// line from the compiler while every editor shows it as code: it is an
/// A0001 error at the CR, on the line editors show, for `check` and `fmt`
/// alike, and the file is left untouched.
#[test]
fn a_lone_carriage_return_is_an_error_where_editors_see_it() {
    let dir = tempfile::tempdir().unwrap();
    let hidden = "action read on resource\ntype resource:doc\nentity human ann\n// a note\rgrant b to ann\nblock b { allow read on resource:doc }\n";
    write(dir.path(), "p/a.atom", hidden);
    let check = atom(dir.path(), &["check", "p", "--format", "short"]);
    assert_eq!(code(&check), 1);
    let shown = text(&check.stdout);
    assert!(
        shown.contains("p/a.atom:4:10: error[A0001]: carriage return without a line feed"),
        "{shown}"
    );
    let fmt = atom(dir.path(), &["fmt", "--check", "p", "--format", "short"]);
    assert_eq!(code(&fmt), 1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("p/a.atom")).unwrap(),
        hidden
    );
    let stdin = atom_with_stdin(dir.path(), &["fmt", "-", "--format", "short"], hidden);
    assert_eq!(code(&stdin), 1);
    assert!(
        text(&stdin.stdout).contains("<stdin>:4:10: error[A0001]"),
        "{}",
        text(&stdin.stdout)
    );
    // `\r\n` line ends are fine, and a diagnostic after a lone CR is on the
    // line an editor shows: `blok` is on line 2.
    write(dir.path(), "p/a.atom", CANONICAL.replace('\n', "\r\n"));
    assert_eq!(code(&atom(dir.path(), &["check", "p"])), 0);
    write(
        dir.path(),
        "p/a.atom",
        "action read on resource\rblok b {}\n",
    );
    let after = text(&atom(dir.path(), &["check", "p", "--format", "short"]).stdout);
    assert!(after.contains("p/a.atom:2:1: error[A0001]"), "{after}");
}
