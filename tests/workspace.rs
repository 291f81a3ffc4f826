//! The library workspace: files added, replaced and removed; one parse per
//! changed file; definitions, references and docs of names.

use atom::check::model::Symbol;
use atom::workspace::Workspace;

/// A set of `n` files: a vocabulary file, then one tenant per file.
fn many_files(ws: &mut Workspace, n: usize) {
    ws.set_file(
        "vocabulary.atom",
        "action read on resource\ntype resource:doc\n",
    );
    for i in 0..n {
        ws.set_file(
            &format!("t{i}.atom"),
            format!(
                "tenant t{i} {{\n  resource doc d\n  entity human u\n  block b {{ allow read on d }}\n  grant b to u\n}}\n"
            ),
        );
    }
}

fn codes(ws: &Workspace) -> Vec<(String, &'static str)> {
    ws.analysis()
        .diagnostics
        .iter()
        .filter(|d| d.severity == atom::diag::Severity::Error)
        .map(|d| {
            (
                ws.sources().name(d.primary.span.file).to_string(),
                d.code.id,
            )
        })
        .collect()
}

#[test]
fn changing_one_file_of_many_reparses_only_that_file() {
    let mut ws = Workspace::default();
    many_files(&mut ws, 50);
    assert_eq!(ws.parse_count(), 51);
    assert!(codes(&ws).is_empty(), "{:?}", codes(&ws));

    ws.set_file(
        "t7.atom",
        "tenant t7 {\n  resource doc d\n  block b { allow write on d }\n}\n",
    );
    assert_eq!(
        ws.parse_count(),
        52,
        "only the changed file is parsed again"
    );
    assert_eq!(codes(&ws), [("t7.atom".to_string(), "A0003")]);
    // Asking again computes nothing new.
    assert_eq!(ws.parse_count(), 52);

    assert!(ws.remove_file("t7.atom"));
    assert!(!ws.remove_file("t7.atom"));
    assert_eq!(ws.parse_count(), 52);
    assert!(codes(&ws).is_empty());
    assert!(ws.analysis().complete_model().is_some());
    assert_eq!(ws.sources().files().count(), 50);
}

#[test]
fn an_error_in_one_file_does_not_hide_another() {
    let mut ws = Workspace::default();
    many_files(&mut ws, 3);
    ws.set_file("t0.atom", "tenant t0 {\n  resource doc d\n  blok\n}\n");
    ws.set_file("t1.atom", "tenant t1 {\n  grant nothing to nobody\n}\n");
    let found = codes(&ws);
    assert_eq!(
        found,
        [
            ("t0.atom".to_string(), "A0001"),
            ("t1.atom".to_string(), "A0003"),
            ("t1.atom".to_string(), "A0003"),
        ]
    );
}

#[test]
fn names_resolve_to_their_declarations_and_back() {
    let mut ws = Workspace::default();
    let vocab = ws.set_file(
        "vocabulary.atom",
        "action read on resource\ntype resource:doc\n",
    );
    let text = "tenant acme {\n  /// The plant's manual.\n  resource doc manual\n  block b { allow read on manual }\n  role r { b }\n  entity human ann\n  assign r to ann\n}\ntest \"t\" { allow acme/ann read acme/manual }\n";
    let file = ws.set_file("acme.atom", text);
    let at = |needle: &str, nth: usize| {
        text.match_indices(needle)
            .nth(nth)
            .map(|(i, _)| i + 1)
            .unwrap()
    };
    // `manual` in the block's scope goes to its declaration.
    let decl = ws.definition(file, at("manual", 2));
    assert_eq!(decl.len(), 1);
    assert_eq!(&text[decl[0].range()], "manual");
    assert_eq!(decl[0].start as usize, at("manual", 1) - 1);
    // Its doc, from the use and from the declaration.
    assert_eq!(ws.doc(file, at("manual", 2)), Some("The plant's manual."));
    assert_eq!(ws.doc(file, at("manual", 1)), Some("The plant's manual."));
    // Every use: the scope and the qualified name in the test.
    let symbol = ws.symbol_at(file, at("manual", 1)).unwrap();
    let uses = ws.references(symbol);
    let texts: Vec<&str> = uses.iter().map(|s| &text[s.range()]).collect();
    assert_eq!(texts, ["manual", "manual"]);
    assert_eq!(uses[1].start as usize, at("manual", 3) - 1);
    // An action use goes to the `action` statement in another file.
    let read = ws.symbol_at(file, at("read", 0)).unwrap();
    assert!(matches!(read, Symbol::Action(_)));
    let decl = ws.definition(file, at("read", 0));
    assert_eq!(decl.len(), 1);
    assert_eq!(decl[0].file, vocab);
    assert_eq!(ws.references(read).len(), 2);
    // A role and a block, through `assign` and `role { }`.
    let role = ws.symbol_at(file, at("r to", 0)).unwrap();
    assert_eq!(ws.references(role).len(), 1);
    assert_eq!(ws.model().symbol_name(role), "acme/r");
    let block = ws.symbol_at(file, at("b }", 0)).unwrap();
    assert_eq!(ws.model().symbol_name(block), "acme/b");
    // Nothing at a keyword.
    assert_eq!(ws.symbol_at(file, at("tenant", 0)), None);
}

#[test]
fn names_still_resolve_in_a_file_with_a_syntax_error() {
    let mut ws = Workspace::default();
    ws.set_file("v.atom", "action read on resource\ntype resource:doc\n");
    let text = "resource doc manual\nblock b { allow read on manual }\nblok broken {\nentity human ann\ngrant b to ann\n";
    let file = ws.set_file("a.atom", text);
    let use_at = text.find("b to").unwrap();
    let decl = ws.definition(file, use_at);
    assert_eq!(decl.len(), 1);
    assert_eq!(&text[decl[0].range()], "b");
    let errors = codes(&ws);
    assert_eq!(errors, [("a.atom".to_string(), "A0001")]);
}

/// A rename that would change what another name means is refused: inside
/// a tenant a name is looked up there first, then in the platform.
#[test]
fn rename_refuses_a_name_that_would_shadow_or_be_shadowed() {
    let mut ws = Workspace::default();
    let text = "action read on resource\ntype resource:doc\nentity human manual\ntenant t {\n  member manual\n  resource doc local\n  entity human u\n  principal-group crew { manual, u }\n  block mine { allow read on local }\n  grant mine to crew\n}\n";
    ws.set_file("p.atom", text);
    assert!(ws.analysis().complete_model().is_some());
    let file = ws.file_id("p.atom").unwrap();
    let at = |needle: &str| text.find(needle).unwrap() + 1;
    // A tenant's `local` renamed `manual` would hide the platform's `manual`
    // (a member of `t`, in `crew`) inside `t`.
    let e = ws.rename(file, at("local\n"), "manual").unwrap_err();
    assert!(
        e.to_string()
            .contains("would shadow the platform's `manual` inside tenant `t`"),
        "{e}"
    );
    // The platform's `manual` renamed `local` would be hidden in `t` by `t/local`.
    let e = ws.rename(file, at("manual\ntenant"), "local").unwrap_err();
    assert!(
        e.to_string()
            .contains("inside tenant `t`, `local` names `t/local`"),
        "{e}"
    );
    // A fresh name is fine, and the renamed set still checks clean.
    let edits = ws.rename(file, at("local\n"), "handbook").unwrap();
    let mut renamed = text.to_string();
    let mut edits = edits;
    edits.sort_by_key(|(s, _)| std::cmp::Reverse(s.start));
    for (span, new) in edits {
        renamed.replace_range(span.start as usize..span.end as usize, &new);
    }
    ws.set_file("p.atom", renamed);
    assert!(ws.analysis().complete_model().is_some());
}
