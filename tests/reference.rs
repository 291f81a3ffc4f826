//! `docs/reference.md` is kept in step with the implementation: every
//! ` ```atom ` example checks clean and is in `atom fmt`'s layout, every error code has its section, and
//! the lint table is the registry's.

use atom::diag::Severity;
use atom::workspace::Workspace;

fn reference() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reference.md"))
        .expect("the reference exists")
}

/// The ` ```atom ` blocks, with the line each starts on.
fn atom_examples(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        match (&mut current, line.trim_end()) {
            (None, "```atom") => current = Some((i + 1, String::new())),
            (Some(_), "```") => out.extend(current.take()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, _) => {}
        }
    }
    out
}

#[test]
fn every_atom_example_checks_without_errors() {
    let examples = atom_examples(&reference());
    assert!(examples.len() >= 6, "found {} examples", examples.len());
    for (line, body) in examples {
        let mut ws = Workspace::default();
        ws.set_file("example.atom", body);
        let errors: Vec<String> = ws
            .analysis()
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {}", d.code.id, d.message))
            .collect();
        assert!(errors.is_empty(), "the example at line {line}: {errors:?}");
    }
}

/// The examples teach the layout too: each is what `atom fmt` writes.
#[test]
fn every_atom_example_is_in_the_canonical_layout() {
    for (line, body) in atom_examples(&reference()) {
        let formatted = atom::format::format(atom::diag::FileId(0), &body)
            .unwrap_or_else(|e| panic!("the example at line {line} does not format: {e:?}"));
        assert_eq!(
            formatted, body,
            "the example at line {line} is not formatted"
        );
    }
}

#[test]
fn every_error_code_has_a_section() {
    let text = reference();
    for code in atom::diag::codes::ALL {
        assert!(
            text.contains(&format!("\n### {}\n", code.id)),
            "no section for {}",
            code.id
        );
    }
}

#[test]
fn the_lint_table_is_the_registry() {
    let text = reference();
    let start =
        text.find("<!-- lints:start -->\n").expect("marker") + "<!-- lints:start -->\n".len();
    let end = text.find("<!-- lints:end -->").expect("end marker");
    assert_eq!(&text[start..end], atom::lint::markdown_table());
}

#[test]
fn every_lint_has_its_documentation_section() {
    let text = reference();
    let start = text.find("<!-- lint-docs:start -->\n").expect("marker")
        + "<!-- lint-docs:start -->\n".len();
    let end = text.find("<!-- lint-docs:end -->").expect("end marker");
    let docs = atom::lint::reference_markdown();
    assert_eq!(
        &text[start..end],
        docs,
        "the lint sections are stale; replace them with:\n{docs}"
    );
}
