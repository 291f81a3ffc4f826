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

#[test]
fn a_guardrail_breach_by_ten_thousand_devices_is_one_short_error() {
    let mut text = String::from(
        "action delete on resource\ntype resource:channel\n\
         guardrail deny device delete on resource:channel absolute\n\
         tenant plant {\n",
    );
    let mut members = Vec::new();
    for i in 0..10_000 {
        text.push_str(&format!("  entity device d{i}\n"));
        members.push(format!("d{i}"));
    }
    text.push_str(&format!(
        "  principal-group floor {{ {} }}\n",
        members.join(", ")
    ));
    text.push_str(
        "  block wipe { allow delete on resource:channel }\n  role cleaner { wipe }\n  assign cleaner to floor\n}\n",
    );
    let mut sources = SourceMap::new();
    sources.add("plant.atom", text);
    let checked = check_sources(&sources);
    assert_eq!(checked.diagnostics.len(), 1, "{:#?}", checked.diagnostics);
    assert_eq!(checked.diagnostics[0].code.id, "A0006");
    let rendered = render_human(&sources, &checked.diagnostics);
    assert!(
        rendered.lines().count() <= 25,
        "not one screen:\n{rendered}"
    );
    assert!(
        rendered
            .contains("received by 10000 devices, such as `plant/d0`, `plant/d1` and `plant/d2`"),
        "{rendered}"
    );
    assert!(
        rendered
            .contains("→ role `plant/cleaner` → block `plant/wipe` → `delete on resource:channel`"),
        "{rendered}"
    );
}
