//! Fuzz: the AuthZEN 1.0 request decoder of `atom serve`, as a hostile
//! client reaches it: arbitrary bytes as JSON, mapped onto the example
//! policies' table as an evaluation, an evaluations batch and each search,
//! and as a `/v1/decide` request. Errors are answers; nothing may panic.
#![no_main]

use std::sync::OnceLock;

use atom::request::authzen::{evaluation, Semantic};
use atom::request::search::{search, Target};
use atom::table::OwnedTable;
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};

fn table() -> &'static OwnedTable {
    static TABLE: OnceLock<OwnedTable> = OnceLock::new();
    TABLE.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../policies");
        let loaded = atom::project::load_sources(&[dir.into()]).expect("the example policies load");
        let model = atom::check::check_sources(&loaded.sources).into_complete_model().expect("they check clean");
        let bytes = atom::compile::compile(&model, atom::compile::source_hash(&loaded.sources));
        OwnedTable::from_bytes(bytes).expect("the table loads")
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(json) = serde_json::from_slice::<Value>(data) else { return };
    let t = table().table();
    let _ = atom::request::report::answer(&t, &json, true);
    let Value::Object(body) = &json else { return };
    if let Ok(m) = evaluation(&t, body, &Map::new()) {
        let _ = m.decide(&t);
    }
    let _ = Semantic::of(body);
    if let Some(Value::Array(items)) = body.get("evaluations") {
        for item in items.iter().take(64) {
            if let Value::Object(item) = item {
                if let Ok(m) = evaluation(&t, item, body) {
                    let _ = m.decide(&t);
                }
            }
        }
    }
    for target in [Target::Subject, Target::Resource, Target::Action] {
        let _ = search(&t, "0", body, target);
    }
});
