//! One file's diagnostics after a change to it alone, from its part of the
//! set (`Workspace::file_diagnostics`), are exactly the whole analysis's:
//! random edits of generated tenant files and of the examples, compared;
//! and completion from the part's model offers what the whole model offers.

use atom::diag::render::render_json;
use atom::diag::Diagnostic;
use atom::workspace::Workspace;
use proptest::prelude::*;

/// The generated set at scale 1, and the repository's examples beside it
/// (their `factory-a.atom` has top-level tests naming its tenant).
fn files() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = atom::gen::generate(7, &atom::gen::Shape::scale(1))
        .into_iter()
        .map(|f| (format!("gen/{}", f.name), f.text))
        .collect();
    for name in ["platform.atom", "factory-a.atom", "atomist.atom"] {
        let path = format!("{}/policies/{name}", env!("CARGO_MANIFEST_DIR"));
        out.push((
            format!("policies/{name}"),
            std::fs::read_to_string(path).unwrap(),
        ));
    }
    out
}

/// Edits that reach every kind of finding: a line removed or doubled (A0002,
/// A0003, unused and empty lints), a name or key misspelt (A0003, L010), a
/// reference into another tenant (A0008), a syntax error (A0001, lints held
/// back), an attribute only another file declares (L010 across files).
fn edit(text: &str, kind: u8, at: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let i = at % lines.len().max(1);
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    match kind % 7 {
        0 => {
            out.remove(i);
        }
        1 => out.insert(i, lines[i].to_string()),
        2 => out[i] = lines[i].replacen('e', "ee", 1),
        3 => out[i] = format!("{} blok", lines[i]),
        4 => out.insert(i.max(1), "  block cross { allow read on factory-a/telemetry }".into()),
        5 => out.insert(
            i.max(1),
            "  block keyed { allow read on all when entity.attributes.team == \"ops\" and object.attributes.stie == \"x\" }".into(),
        ),
        _ => out[i] = lines[i].replace("site", "region"),
    }
    out.join("\n") + "\n"
}

/// The set with `name` changed, analysed whole, and that file's diagnostics.
fn whole_analysis(
    files: &[(String, String)],
    name: &str,
    changed: &str,
    id: atom::diag::FileId,
) -> (Workspace, Vec<Diagnostic>) {
    let mut whole = Workspace::default();
    for (n, t) in files {
        whole.set_file(
            n,
            if n == name {
                changed.to_string()
            } else {
                t.clone()
            },
        );
    }
    let expected = whole
        .analysis()
        .diagnostics
        .iter()
        .filter(|d| d.primary.span.file == id)
        .cloned()
        .collect();
    (whole, expected)
}

fn json(ws: &Workspace, diagnostics: &[Diagnostic]) -> String {
    render_json(ws.sources(), diagnostics)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn one_files_diagnostics_match_the_whole_analysis(which in 0usize..64, kind in 0u8..7, at in 0usize..400) {
        let files = files();
        let mut ws = Workspace::default();
        for (name, text) in &files {
            ws.set_file(name, text.clone());
        }
        ws.analysis();
        let (name, text) = &files[which % files.len()];
        let changed = edit(text, kind, at);
        let id = ws.set_file(name, changed.clone());
        let fast = ws.file_diagnostics(id);
        let partial = !ws.has_analysis();
        let quick = ws.quick_model(id).map(|m| m.into_owned());
        let (whole, expected) = whole_analysis(&files, name, &changed, id);
        prop_assert_eq!(json(&ws, &fast), json(&whole, &expected), "{} (partial: {})", name, partial);
        // Completion from the part's model offers what the whole offers.
        if let Some(m) = quick {
            let spread = (1..=16).map(|k| changed.len() * k / 17);
            for offset in spread.filter(|&o| changed.is_char_boundary(o)) {
                prop_assert_eq!(
                    labels(ws.completions_with(&m, id, offset)),
                    labels(whole.completions(id, offset)),
                    "{} at {}", name, offset
                );
            }
        }
    }
}

fn labels(items: Vec<atom::workspace::Completion>) -> Vec<String> {
    let mut out: Vec<String> = items.into_iter().map(|c| c.label).collect();
    out.sort();
    out
}

/// A clone analysed on another thread (the language server's snapshot)
/// gives its analysis to the workspace it was cloned from while neither
/// changed, and a later change to one tenant file still takes the partial
/// path, with the answer of the whole analysis.
#[test]
fn a_snapshot_analysed_elsewhere_serves_the_workspace_it_came_from() {
    let files = files();
    let mut ws = Workspace::default();
    for (name, text) in &files {
        ws.set_file(name, text.clone());
    }
    let snapshot = ws.clone();
    let analysed = std::thread::spawn(move || {
        snapshot.analysis();
        snapshot
    })
    .join()
    .unwrap();
    assert!(ws.has_analysis(), "the analysis is shared");
    assert_eq!(analysed.generation(), ws.generation());
    let (name, text) = files
        .iter()
        .find(|(n, _)| n.ends_with("tenant-0.atom"))
        .unwrap();
    let changed = edit(text, 3, 5);
    let id = ws.set_file(name, changed.clone());
    assert!(!ws.has_analysis() && analysed.has_analysis());
    assert!(analysed.file_generation(id) < ws.file_generation(id));
    let fast = ws
        .quick_file_diagnostics(id)
        .expect("the partial path applies");
    let (whole, expected) = whole_analysis(&files, name, &changed, id);
    assert_eq!(json(&ws, &fast), json(&whole, &expected));
    assert!(!fast.is_empty());
}

#[test]
fn a_tenant_file_change_takes_the_partial_path_and_a_platform_change_does_not() {
    let files = files();
    let mut ws = Workspace::default();
    for (name, text) in &files {
        ws.set_file(name, text.clone());
    }
    ws.analysis();
    let (name, text) = files
        .iter()
        .find(|(n, _)| n.ends_with("tenant-0.atom"))
        .unwrap();
    let id = ws.set_file(name, edit(text, 3, 5));
    assert!(!ws.file_diagnostics(id).is_empty());
    assert!(
        !ws.has_analysis(),
        "the tenant file was checked with its part"
    );
    // A second file changed before a whole analysis: the whole set.
    let (other, text) = files
        .iter()
        .find(|(n, _)| n.ends_with("tenant-1.atom"))
        .unwrap();
    let other = ws.set_file(other, text.clone() + "\n");
    ws.file_diagnostics(other);
    assert!(ws.has_analysis());
    // The platform's vocabulary is read by every tenant: the whole set.
    let (vocabulary, text) = files
        .iter()
        .find(|(n, _)| n.ends_with("vocabulary.atom"))
        .unwrap();
    let id = ws.set_file(vocabulary, text.clone() + "\n");
    ws.file_diagnostics(id);
    assert!(ws.has_analysis());
}

#[test]
fn edits_inside_a_tenant_take_the_partial_path_and_match() {
    let files = files();
    let (name, text) = files
        .iter()
        .find(|(n, _)| n.ends_with("tenant-0.atom"))
        .unwrap();
    let mut partial = 0;
    for kind in [2, 4, 5, 6] {
        for at in [3, 10, 40, 100] {
            let mut ws = Workspace::default();
            for (n, t) in &files {
                ws.set_file(n, t.clone());
            }
            ws.analysis();
            let changed = edit(text, kind, at);
            let id = ws.set_file(name, changed.clone());
            let fast = ws.file_diagnostics(id);
            partial += usize::from(!ws.has_analysis());
            let (whole, expected) = whole_analysis(&files, name, &changed, id);
            assert_eq!(
                json(&ws, &fast),
                json(&whole, &expected),
                "kind {kind} at {at}"
            );
        }
    }
    assert_eq!(
        partial, 16,
        "every edit inside the tenant took the partial path"
    );
}
