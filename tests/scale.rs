//! Scale: generated policy sets of benchmark size check clean (how long they
//! take is measured by `cargo bench`, never here).

use atom::check::check_sources;
use atom::diag::render::render_human;
use atom::diag::SourceMap;
use atom::gen::{generate, Shape};

#[test]
fn ten_thousand_generated_blocks_parse_clean() {
    let shape = Shape::scale(25);
    assert_eq!(shape.total_blocks(), 10_000);
    let mut sources = SourceMap::new();
    for file in generate(1, &shape) {
        sources.add(file.name, file.text);
    }
    let checked = check_sources(&sources);
    assert!(
        checked.diagnostics.is_empty(),
        "{}",
        render_human(&sources, &checked.diagnostics)
    );
    let blocks: usize = checked
        .files
        .iter()
        .flat_map(|(_, f)| &f.items)
        .map(|i| match &i.decl {
            atom::syntax::ast::Decl::Tenant(t) => t
                .items
                .iter()
                .filter(|i| matches!(i.decl, atom::syntax::ast::Decl::Block(_)))
                .count(),
            _ => 0,
        })
        .sum();
    assert_eq!(blocks, 10_000);
}
