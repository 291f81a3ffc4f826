//! The access of a triple (`atom::analysis::access`) agrees with the reference
//! interpreter of the spec on random policy sets: the context it gives for
//! an allow is allowed, the one for a deny is denied (so `conditional` is
//! proven by two contexts), and `allow` or `deny` is never contradicted by
//! any of the contexts the request generator draws. `who_can` and
//! `what_can` list exactly the triples whose access is not `deny`.
//!
//! `ATOM_ACCESS_CASES` sets how many policy sets are generated.

mod support;

use atom::analysis::access::{access, what_can, who_can, Access};
use atom::compile::{compile, source_hash};
use atom::eval::{Object, Request, Subject, Value};
use atom::gen::SplitMix64;
use atom::table::format::section;
use atom::table::Table;
use proptest::prelude::*;
use support::policy_gen::{policy, request, sizes, without_breached_guardrails, Sizes};
use support::reference;

const TRIPLES_PER_POLICY: usize = 60;
const CONTEXTS_PER_TRIPLE: usize = 12;

fn cases() -> u32 {
    std::env::var("ATOM_ACCESS_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120)
}

fn reference_allows(
    model: &atom::check::model::Model,
    subject: &str,
    action: &str,
    object: &str,
    context: &[(String, Value)],
) -> bool {
    let req = Request {
        subject: Subject::Named(subject),
        action,
        object: Object::Named(object),
        context,
    };
    reference::decide(model, &req).is_ok_and(|d| d.allow)
}

fn check_access(seed: u64, sizes: &Sizes) -> Result<(), TestCaseError> {
    let generated = policy(seed, sizes);
    let Some((_, sources, model)) = without_breached_guardrails(&generated.text) else {
        return Ok(());
    };
    let bytes = compile(&model, source_hash(&sources));
    let t = Table::from_bytes(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let (entities, actions, objects) = (
        t.count(section::ENTITIES) as u32,
        t.count(section::ACTIONS) as u32,
        t.count(section::OBJECTS) as u32,
    );
    if entities == 0 || actions == 0 || objects == 0 {
        return Ok(());
    }
    let mut rng = SplitMix64::new(seed ^ 0xACCE55);
    let mut contexts: Vec<Vec<(String, Value)>> = (0..CONTEXTS_PER_TRIPLE)
        .map(|_| request(&mut rng, &generated).3)
        .collect();
    contexts.push(Vec::new());
    for i in 0..TRIPLES_PER_POLICY {
        let e = rng.below(entities as usize) as u32;
        let held: Vec<u32> = t.entity_grants(e).map(|g| g.0).collect();
        // Half the triples are aimed at an action the entity holds a grant
        // for, and an object that grant's `what_can` answer lists.
        let aimed = (i % 2 == 0 && !held.is_empty()).then(|| {
            let a = held[rng.below(held.len())];
            let rows = what_can(&t, e, Some(a));
            let o = (!rows.is_empty()).then(|| rows[rng.below(rows.len())].object);
            (a, o)
        });
        let a = aimed.map_or_else(|| rng.below(actions as usize) as u32, |(a, _)| a);
        let o = aimed
            .and_then(|(_, o)| o)
            .unwrap_or_else(|| rng.below(objects as usize) as u32);
        let subject = t.object_name(t.entity_object(e));
        let (action, object) = (t.action_name(a), t.object_name(o));
        let verdict = access(&t, e, a, o).map_err(|u| TestCaseError::fail(u.to_string()))?;
        let label = format!("{subject} {action} {object}\npolicy:\n{}", generated.text);
        if let Some((context, _)) = &verdict.allowing {
            prop_assert!(
                reference_allows(&model, subject, action, object, context),
                "allowing context {:?} for {}",
                context,
                label
            );
        }
        if let Some((context, _)) = &verdict.denying {
            prop_assert!(
                !reference_allows(&model, subject, action, object, context),
                "denying context {:?} for {}",
                context,
                label
            );
        }
        for context in &contexts {
            let allowed = reference_allows(&model, subject, action, object, context);
            match verdict.access {
                Access::Allow => {
                    prop_assert!(allowed, "allow, but {:?} denies: {}", context, label)
                }
                Access::Deny => prop_assert!(!allowed, "deny, but {:?} allows: {}", context, label),
                Access::Conditional => {}
            }
        }
        if std::env::var_os("ATOM_ACCESS_STATS").is_some() {
            eprintln!("access {}", verdict.access.name());
        }
        let listed = who_can(&t, a, o).iter().any(|r| r.entity == e)
            && what_can(&t, e, Some(a)).iter().any(|r| r.object == o);
        prop_assert_eq!(
            listed,
            verdict.access != Access::Deny,
            "who-can/what-can for {}",
            label
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn access_agrees_with_the_reference(seed in any::<u64>(), sizes in sizes()) {
        check_access(seed, &sizes)?;
    }
}

/// (allow when, deny when, the access of `t/d read t/r`).
const EDGE_CASES: &[(&str, &str, Access)] = &[
    ("context.n >= 2.5", "context.n > 2.5", Access::Conditional),
    (
        "context.p in [\"a\", \"b\"]",
        "context.p != \"a\"",
        Access::Conditional,
    ),
    (
        "context.p in [\"a\", \"b\"]",
        "context.p in [\"a\", \"b\"]",
        Access::Deny,
    ),
    (
        "context.at >= \"2026-01-01T00:00:00Z\"",
        "context.at > \"2026-01-01T00:00:00Z\"",
        Access::Conditional,
    ),
    ("context.n > 1", "context.n > 0", Access::Deny),
    (
        "context.n > 1 and context.n < 2",
        "context.n >= 1.5",
        Access::Conditional,
    ),
    (
        "context.n > 1 and context.n < 2",
        "context.n > 1 and context.n < 2",
        Access::Deny,
    ),
    (
        "context.tags contains \"a\" and context.tags contains \"b\"",
        "context.tags contains \"c\"",
        Access::Conditional,
    ),
    ("context.n != 5", "context.n == 7", Access::Conditional),
    (
        "entity.kind == \"device\"",
        "context.n == 1",
        Access::Conditional,
    ),
    ("entity.kind == \"human\"", "context.n == 1", Access::Deny),
    (
        "object.type == \"resource:doc\"",
        "object.type == \"resource:other\"",
        Access::Allow,
    ),
    // `contains` is exact: a longer string, a list with one more
    // element, a map with one more key, and (the other direction) a
    // shorter string inside a known one.
    (
        "context.s contains \"ab\"",
        "context.s in [\"ab\", [\"ab\"], { ab = true }]",
        Access::Conditional,
    ),
    (
        "context.tags contains \"a\"",
        "context.tags in [\"a\", [\"a\"], { a = true }]",
        Access::Conditional,
    ),
    (
        "context.m contains \"a\"",
        "context.m in [\"a\", [\"a\"], { a = true }]",
        Access::Conditional,
    ),
    (
        "object.attributes.path contains context.p",
        "context.p == \"abc\"",
        Access::Conditional,
    ),
    (
        "object.attributes.path contains context.p and context.p != \"\"",
        "context.p in [\"abc\", \"a\", \"b\", \"c\"]",
        Access::Conditional,
    ),
    // Spec section 5: `object.group` of an object in no group is none,
    // so `!=` holds once the other side resolves; a missing attribute
    // makes `!=` false.
    (
        "object.group != context.g",
        "context.n == 1",
        Access::Conditional,
    ),
    (
        "tenant.attributes.tier != \"silver\"",
        "context.n == 1",
        Access::Deny,
    ),
    (
        "object.group != object.tenant",
        "object.group == object.type",
        Access::Allow,
    ),
];

/// Hand-made conditions at the edges of the value domain: the verdict, and
/// both witnesses checked by the evaluator itself.
#[test]
fn edge_conditions_get_the_exact_access() {
    for (allow_when, deny_when, want) in EDGE_CASES {
        let text = format!(
            "action read on resource\ntype resource:doc\ntenant t {{\n  entity device d\n  resource doc r {{ path = \"abc\" }}\n  block a {{ allow read on resource:doc when {allow_when} }}\n  block b {{ deny read on resource:doc when {deny_when} }}\n  role both {{ a, b }}\n  assign both to d\n}}\n"
        );
        let mut sources = atom::diag::SourceMap::new();
        sources.add("p.atom", text.clone());
        let model = atom::check::check_sources(&sources)
            .into_complete_model()
            .unwrap_or_else(|| panic!("checks: {text}"));
        let bytes = compile(&model, source_hash(&sources));
        let t = Table::from_bytes(&bytes).unwrap();
        let e = 0;
        let o = t.object_named("t/r").unwrap();
        let a = t.action_named("read").unwrap();
        let v = access(&t, e, a, o).unwrap();
        assert_eq!(
            v.access, *want,
            "allow when {allow_when}, deny when {deny_when}: {v:?}"
        );
        if let Some((context, _)) = &v.allowing {
            assert!(reference_allows(&model, "t/d", "read", "t/r", context));
        }
        if let Some((context, _)) = &v.denying {
            assert!(!reference_allows(&model, "t/d", "read", "t/r", context));
        }
    }
}
