//! A tenant opened in several declarations, across files: one tenant, its
//! declarations from every file in one namespace, one status and one
//! `attributes` in total; the headers are uses of the tenant, so that
//! definitions, references and renames reach all of them.

use atom::eval::{decide_declared, Reason};
use atom::table::Table;
use atom::workspace::Workspace;

const VOCABULARY: &str = "action read on resource\ntype resource:doc\n";
const DEVICES: &str = "tenant acme {\n  entity human ann\n  resource doc manual\n}\n";

fn workspace(second: &str) -> Workspace {
    let mut ws = Workspace::default();
    ws.set_file("vocabulary.atom", VOCABULARY);
    ws.set_file("acme-things.atom", DEVICES);
    ws.set_file("acme-policy.atom", second);
    ws
}

fn errors(ws: &Workspace) -> Vec<String> {
    ws.analysis()
        .diagnostics
        .iter()
        .filter(|d| d.severity == atom::diag::Severity::Error)
        .map(|d| format!("{}: {}", d.code.id, d.message))
        .collect()
}

#[test]
fn a_tenant_spans_files_as_one_namespace() {
    let second = "tenant acme frozen {\n  attributes { tier = \"gold\" }\n  block b { allow read on manual }\n  grant b to ann\n}\n";
    let ws = workspace(second);
    assert_eq!(errors(&ws), Vec::<String>::new());
    let model = ws
        .analysis()
        .complete_model()
        .expect("the set checks clean");
    assert_eq!(model.tenants.len(), 1);
    assert_eq!(
        model.tenants[0].status.name(),
        "frozen",
        "the status given in the second file"
    );
    let bytes = atom::compile::compile(model, [0; 32]);
    let t = Table::from_bytes(&bytes).unwrap();
    // Frozen: the grant across files resolved, but the tenant denies.
    let d = decide_declared(&t, "acme/ann", "read", "acme/manual", &[]);
    assert_eq!(d.reason, Reason::TenantInactive);

    let active =
        workspace("tenant acme {\n  block b { allow read on manual }\n  grant b to ann\n}\n");
    let bytes = atom::compile::compile(active.analysis().complete_model().unwrap(), [0; 32]);
    let t = Table::from_bytes(&bytes).unwrap();
    assert!(decide_declared(&t, "acme/ann", "read", "acme/manual", &[]).allow);
}

#[test]
fn names_are_still_declared_once_across_the_openings() {
    let ws = workspace("tenant acme {\n  entity human ann\n}\n");
    let errs = errors(&ws);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("A0002") && errs[0].contains("`ann`"),
        "{errs:?}"
    );
}

#[test]
fn every_header_is_reached_by_definition_references_and_rename() {
    let second = "tenant acme {\n  block b { allow read on manual }\n  grant b to ann\n}\n";
    let ws = workspace(second);
    let file = ws.file_id("acme-policy.atom").unwrap();
    let header = second.find("acme").unwrap() + 1;
    let first = ws.definition(file, header);
    assert_eq!(first.len(), 1);
    assert_eq!(ws.sources().name(first[0].file), "acme-things.atom");
    let symbol = ws
        .symbol_at(file, header)
        .expect("the reopening header names the tenant");
    assert_eq!(ws.references(symbol).len(), 1);
    let edits = ws.rename(file, header, "omega").unwrap();
    let files: Vec<&str> = edits
        .iter()
        .map(|(s, _)| ws.sources().name(s.file))
        .collect();
    assert_eq!(files, ["acme-things.atom", "acme-policy.atom"]);
}
