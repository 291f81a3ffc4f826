//! Deciding about declared subjects and objects allocates nothing (spec
//! section 10). This file holds one test, because the counting allocator
//! sees every thread of its test binary.

use std::alloc::System;

use atom::check::check_sources;
use atom::compile::{compile, source_hash};
use atom::eval::{decide, Object, Request, Subject, Value};
use atom::project::load_sources;
use atom::table::Table;
use stats_alloc::{Region, StatsAlloc, INSTRUMENTED_SYSTEM};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

#[test]
fn deciding_about_declared_things_does_not_allocate() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded = load_sources(&[root.join("policies")]).unwrap();
    let model = check_sources(&loaded.sources)
        .into_complete_model()
        .unwrap();
    let bytes = compile(&model, source_hash(&loaded.sources));
    let table = Table::from_bytes(&bytes).unwrap();
    let context = vec![
        ("protocol".to_string(), Value::Str("mqtt".into())),
        ("invoked_by".to_string(), Value::Str("ann".into())),
    ];
    // Every reason and condition path of the examples, by name.
    let requests = [
        ("factory-a/meter-001", "publish", "factory-a/telemetry"),
        ("factory-a/meter-001", "publish", "factory-a/alerts"),
        ("factory-a/meter-002", "publish", "factory-a/telemetry"),
        ("factory-a/alice", "read", "factory-a/telemetry"),
        ("factory-a/alice", "execute", "factory-a/telemetry"),
        ("nobody", "read", "factory-a/telemetry"),
        ("factory-a/alice", "read", "nothing"),
        ("atomist/ann", "read", "legacy/old-console"),
        ("atomist/sdm-dan", "use", "atomist/dan-github"),
        ("atomist/chat-automations", "use", "atomist/ann-github"),
        ("atomist/dan", "read", "atomist/dan-github"),
        ("atomist/ann", "manage", "atomist"),
    ];
    // The same requests by handle, resolved before counting.
    let handles: Vec<_> = requests
        .iter()
        .filter_map(|&(s, a, o)| Some((table.subject(s)?, table.action(a)?, table.object(o)?)))
        .collect();
    assert!(handles.len() >= 9, "most requests name declared things");
    let mut allowed = 0;
    let region = Region::new(GLOBAL);
    for _ in 0..100 {
        for (s, a, o) in requests {
            let d = decide(
                &table,
                &Request {
                    subject: Subject::Named(s),
                    action: a,
                    object: Object::Named(o),
                    context: &context,
                },
            );
            allowed += usize::from(d.is_ok_and(|d| d.allow));
        }
        for &(s, a, o) in &handles {
            allowed += usize::from(atom::eval::decide_handles(&table, s, a, o, &context).allow);
        }
    }
    let change = region.change();
    assert_eq!(change.allocations, 0, "{change:?}");
    assert_eq!(change.reallocations, 0, "{change:?}");
    assert!(
        allowed >= 1000,
        "the requests exercise allows too ({allowed})"
    );
}
