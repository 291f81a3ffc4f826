//! Fuzz: arbitrary text through the whole pipeline, check → lint → build →
//! load → decide, with declared and described requests (every entity kind
//! described into every principal group, spec section 6.1). Nothing may
//! panic, hang or overflow; a table the compiler wrote must load.
#![no_main]

use atom::check::check_sources;
use atom::compile::{compile, source_hash};
use atom::diag::SourceMap;
use atom::eval::{decide, explain::explain, DescribedObject, DescribedSubject, Object, Request, Subject, Value};
use atom::kinds::{EntityKind, EntityStatus, ObjectKind};
use atom::eval::request::ObjectType;
use atom::lint::{lint, LintConfig};
use atom::table::Table;
use libfuzzer_sys::fuzz_target;

const KINDS: [EntityKind; 5] = EntityKind::ALL;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut sources = SourceMap::new();
    sources.add("fuzz.atom", text);
    let checked = check_sources(&sources);
    let Some(model) = checked.into_complete_model() else { return };
    let _ = lint(&model, &sources, &LintConfig::default());
    let bytes = compile(&model, source_hash(&sources));
    let table = Table::from_bytes(&bytes).expect("a table the compiler wrote loads");
    let context = vec![
        ("protocol".to_string(), Value::Str("mqtt".into())),
        ("n".to_string(), Value::Int(3)),
    ];
    let names: Vec<&str> = (0..table.object_count().min(12) as u32).map(|o| table.object_name(o)).collect();
    let actions: Vec<&str> = model.actions.iter().take(4).map(|a| a.name.as_str()).collect();
    let tenants: Vec<Option<String>> = std::iter::once(None)
        .chain(model.tenants.iter().take(2).map(|t| Some(t.name.clone())))
        .collect();
    for action in &actions {
        for s in &names {
            for o in &names {
                let r = Request { subject: Subject::Named(s), action, object: Object::Named(o), context: &context };
                let _ = decide(&table, &r);
            }
        }
        for tenant in &tenants {
            let object = DescribedObject {
                id: "thing".into(),
                ty: ObjectType { kind: ObjectKind::Resource, name: None },
                tenant: tenant.clone(),
                group: None,
                attributes: vec![],
            };
            for g in 0..table.pgroup_count().min(6) as u32 {
                for kind in KINDS {
                    let subject = DescribedSubject {
                        id: "fuzz".into(),
                        kind,
                        tenant: tenant.clone(),
                        status: EntityStatus::Active,
                        groups: vec![table.pgroup_name(g).to_string()],
                        attributes: vec![("site".into(), Value::Str("a".into()))],
                    };
                    for o in names.iter().take(4) {
                        let r = Request { subject: Subject::Described(&subject), action, object: Object::Named(o), context: &context };
                        let _ = explain(&table, &r);
                    }
                    let r = Request { subject: Subject::Described(&subject), action, object: Object::Described(&object), context: &context };
                    let _ = decide(&table, &r);
                }
            }
        }
    }
});
