//! The README's lint table is generated from the registry: this test fails
//! when the two disagree, and prints the table to paste.

#[test]
fn readme_lint_table_is_current() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme
        .find("<!-- lints:start -->\n")
        .expect("README has the lint table markers")
        + "<!-- lints:start -->\n".len();
    let end = readme
        .find("<!-- lints:end -->")
        .expect("README has the lint table end marker");
    let table = atom::lint::markdown_table();
    assert_eq!(
        &readme[start..end],
        table,
        "the README's lint table is stale; replace it with:\n{table}"
    );
}

#[test]
fn every_rule_is_documented_with_the_four_parts() {
    for rule in atom::lint::RULES {
        let doc = atom::lint::documentation(rule);
        assert!(
            doc.starts_with(&format!("Lint `{}` ({})", rule.name, rule.code)),
            "{}: {doc}",
            rule.name
        );
        let parts = if rule.retired {
            ["What it found", "Why it is retired", "Example", "Fix"]
        } else {
            ["What it finds", "Why it is bad", "Example", "Fix"]
        };
        for part in parts {
            assert!(doc.contains(part), "{} lacks \"{part}\"", rule.name);
        }
    }
}

#[test]
fn codes_and_names_are_unique_and_in_order() {
    let rules = atom::lint::RULES;
    for (i, r) in rules.iter().enumerate() {
        assert_eq!(r.code, format!("L{:03}", i + 1));
        assert!(
            rules.iter().filter(|o| o.name == r.name).count() == 1,
            "{}",
            r.name
        );
    }
}
