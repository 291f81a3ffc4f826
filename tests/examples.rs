//! The bundled examples: `policies/` checks clean, and the examples of the
//! language specification parse.

use std::path::{Path, PathBuf};

use atom::check::check_sources;
use atom::diag::render::render_human;
use atom::diag::FileId;
use atom::project::load_sources;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn bundled_policies_check_clean() {
    let loaded = load_sources(&[root().join("policies")]).unwrap();
    assert!(loaded.sources.files().count() >= 3);
    let checked = check_sources(&loaded.sources);
    assert!(
        checked.diagnostics.is_empty(),
        "{}",
        render_human(&loaded.sources, &checked.diagnostics)
    );
    // Each example carries tests for the evaluator to run.
    let tests = checked
        .files
        .iter()
        .flat_map(|(_, f)| f.items.iter())
        .flat_map(|i| match &i.decl {
            atom::syntax::ast::Decl::Test(t) => vec![t],
            atom::syntax::ast::Decl::Tenant(t) => t
                .items
                .iter()
                .filter_map(|i| match &i.decl {
                    atom::syntax::ast::Decl::Test(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => vec![],
        })
        .count();
    assert!(tests >= 8, "found {tests} test blocks");
}

fn spec_examples() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("tests/fixtures/spec"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

#[test]
fn spec_examples_parse() {
    let files = spec_examples();
    assert_eq!(files.len(), 2);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed = atom::syntax::parse(FileId(0), &text);
        assert!(
            parsed.diagnostics.is_empty(),
            "{}: {:?}",
            path.display(),
            parsed.diagnostics
        );
        assert!(!parsed.file.items.is_empty());
    }
}

/// The copies above are the spec's own examples: when the spec is beside the
/// repository (as in CI), they must match it, so they cannot drift.
#[test]
fn spec_examples_match_the_spec() {
    let spec = root().join("../shared/spec/atom-language.md");
    // Outside CI (a clone without `shared/` beside it) the comparison is
    // skipped and says so; in CI a missing spec is a failure.
    let text = match std::fs::read_to_string(&spec) {
        Ok(text) => text,
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!("{} is missing in CI: {e}", spec.display())
        }
        Err(_) => {
            eprintln!(
                "{} not found; comparison skipped outside CI",
                spec.display()
            );
            return;
        }
    };
    let blocks: Vec<&str> = text
        .split("```atom\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap_or(""))
        .collect();
    let copies: Vec<String> = spec_examples()
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    assert_eq!(
        blocks, copies,
        "tests/fixtures/spec is out of date with the spec"
    );
}
