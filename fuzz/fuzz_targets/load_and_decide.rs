//! Fuzz: load arbitrary bytes as a table and, when they load, decide
//! requests about the names the table holds and about described things.
//!
//! A random file almost never has a valid checksum, so when the first byte
//! is odd the rest is resealed (its checksum recomputed) before loading:
//! that lets the fuzzer reach the structural checks and the evaluator.
#![no_main]

use atom::eval::{decide, explain::explain, DescribedObject, DescribedSubject, Object, Request, Subject, Value};
use atom::table::{crc32c, format, Table};
use libfuzzer_sys::fuzz_target;

fn reseal(bytes: &mut [u8]) {
    if bytes.len() >= format::HEADER_LEN {
        let crc = crc32c::update(crc32c::crc32c(&bytes[..format::CHECKSUM_AT]), &bytes[format::CHECKSUM_AT + 4..]);
        bytes[format::CHECKSUM_AT..format::CHECKSUM_AT + 4].copy_from_slice(&crc.to_le_bytes());
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let mut bytes = rest.to_vec();
    if mode & 1 == 1 {
        reseal(&mut bytes);
    }
    let Ok(table) = Table::from_bytes(&bytes) else { return };
    let context = vec![
        ("protocol".to_string(), Value::Str("mqtt".into())),
        ("n".to_string(), Value::Int(3)),
        ("at".to_string(), Value::Str("2026-01-01T00:00:00Z".into())),
    ];
    let names: Vec<&str> = (0..table.object_count().min(16) as u32).map(|o| table.object_name(o)).collect();
    let subject = DescribedSubject {
        id: "fuzz".into(),
        kind: atom::kinds::EntityKind::Device,
        tenant: None,
        status: atom::kinds::EntityStatus::Active,
        groups: (0..table.pgroup_count().min(4) as u32).map(|g| table.pgroup_name(g).to_string()).collect(),
        attributes: vec![("site".into(), Value::Str("a".into()))],
    };
    let object = DescribedObject { id: "thing".into(), ty: "resource:channel".parse().expect("a kind"), tenant: None, group: None, attributes: vec![] };
    for action in ["read", "publish", "manage"] {
        for s in &names {
            for o in &names {
                let r = Request { subject: Subject::Named(s), action, object: Object::Named(o), context: &context };
                let _ = decide(&table, &r);
            }
            let r = Request { subject: Subject::Named(s), action, object: Object::Described(&object), context: &context };
            let _ = explain(&table, &r);
        }
        let r = Request { subject: Subject::Described(&subject), action, object: Object::Described(&object), context: &context };
        let _ = decide(&table, &r);
    }
});
