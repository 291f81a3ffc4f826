//! The evaluator agrees with the reference interpreter of the spec on random
//! policy sets and requests: the same decision, reason, block and path.
//!
//! `ATOM_AGREEMENT_CASES` sets how many policy sets are generated (each
//! with 40 requests); CI runs the default, and the full run is
//! `ATOM_AGREEMENT_CASES=100000 cargo test --release --test agreement`.
//! Failures are kept in `tests/agreement.proptest-regressions`.

mod support;

use atom::check::check_sources;
use atom::check::model as m;
use atom::compile::{compile, source_hash};
use atom::diag::render::render_human;
use atom::diag::SourceMap;
use atom::eval::{decide, Object, Request, Subject};
use atom::gen::SplitMix64;
use atom::table::Table;
use proptest::prelude::*;
use support::policy_gen::{
    described_subject, policy, request, sizes, targets, without_breached_guardrails, Parts, Sizes,
    What, Who,
};
use support::reference;

const REQUESTS_PER_POLICY: usize = 40;

/// A request aimed at what its subject can reach: a declared entity, an
/// action one of its blocks grants, a context that satisfies most generated
/// conditions, and the first of a few random objects that the reference
/// interpreter allows (or the last tried). The oracle only steers
/// generation; the comparison below is the same for every request.
fn aimed(
    rng: &mut SplitMix64,
    model: &m::Model,
    grants: &[Vec<(m::BlockId, atom::check::closure::Via)>],
    g: &support::policy_gen::Generated,
) -> Option<Parts> {
    use atom::eval::Value;
    let active: Vec<usize> = (0..model.entities.len())
        .filter(|e| model.entities[*e].status == m::EntityStatus::Active)
        .collect();
    if active.is_empty() {
        return None;
    }
    let e = active[rng.below(active.len())];
    let list = &grants[e];
    if list.is_empty() {
        return None;
    }
    let (block, _) = &list[rng.below(list.len())];
    let actions = &model.block(*block).actions;
    let action = model.actions[actions[rng.below(actions.len())].index()]
        .name
        .clone();
    let subject = model.entity_name(m::EntityId(e as u32));
    let mut context = vec![
        ("protocol".to_string(), Value::Str("mqtt".into())),
        ("n".to_string(), Value::Int(1)),
        (
            "at".to_string(),
            Value::Str("2026-03-01T12:00:00+01:00".into()),
        ),
        (
            "nested".to_string(),
            Value::Map(vec![("level".to_string(), Value::Int(2))]),
        ),
        ("flag".to_string(), Value::Bool(false)),
        (
            "tags".to_string(),
            Value::List(vec![Value::Str("a".into()), Value::Str("b".into())]),
        ),
        ("s".to_string(), Value::Str("xaby".into())),
    ];
    if !g.groups.is_empty() {
        context.push((
            "group".to_string(),
            Value::Str(g.groups[rng.below(g.groups.len())].clone()),
        ));
    }
    let mut object = String::new();
    for _ in 0..40 {
        object = g.objects[rng.below(g.objects.len())].clone();
        let req = Request {
            subject: Subject::Named(&subject),
            action: &action,
            object: Object::Named(&object),
            context: &context,
        };
        let Ok(want) = reference::decide(model, &req) else {
            continue;
        };
        let hit = if model.block(*block).effect == atom::syntax::ast::Effect::Deny {
            want.reason == atom::kinds::Reason::DeniedBy
        } else {
            want.allow
        };
        if hit {
            break;
        }
    }
    // Sometimes describe the same subject and object instead of naming them.
    if rng.chance(30) {
        let (who, what) = described_twins(rng, model, e, &subject, object);
        return Some((who, action, what, context));
    }
    Some((Who::Named(subject), action, What::Named(object), context))
}

/// Descriptions with the same facts as a declared entity and object (the
/// object 70% of the time; otherwise it stays named).
fn described_twins(
    rng: &mut SplitMix64,
    model: &m::Model,
    e: usize,
    subject: &str,
    object: String,
) -> (Who, What) {
    let entity = &model.entities[e];
    let obj = model.object(entity.object);
    let groups = (0..model.principal_groups.len())
        .filter(|g| {
            model.principal_groups[*g]
                .members
                .contains(&m::EntityId(e as u32))
        })
        .map(|g| model.group_name(m::PrincipalGroupId(g as u32)))
        .collect();
    let who = Who::Described(atom::eval::DescribedSubject {
        id: format!("described-{subject}"),
        kind: entity.kind,
        tenant: obj.tenant.map(|t| model.tenants[t.index()].name.clone()),
        status: atom::kinds::EntityStatus::Active,
        groups,
        attributes: obj
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    });
    let what = match (0..model.objects.len())
        .find(|o| model.qualified_name(m::ObjectId(*o as u32)) == object)
    {
        Some(o) if rng.chance(70) => {
            let target = model.object(m::ObjectId(o as u32));
            What::Described(atom::eval::DescribedObject {
                id: format!("described-{object}"),
                ty: target
                    .ty
                    .map_or_else(|| target.kind.name().to_string(), |t| model.type_name(t))
                    .parse()
                    .expect("a kind of the vocabulary"),
                tenant: target.tenant.map(|t| model.tenants[t.index()].name.clone()),
                group: target
                    .parent
                    .map(|p| model.qualified_name(model.groups[p.index()].object)),
                attributes: target
                    .attributes
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            })
        }
        _ => What::Named(object),
    };
    (who, what)
}

fn cases() -> u32 {
    std::env::var("ATOM_AGREEMENT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn check_agreement(seed: u64, sizes: &Sizes) -> Result<(), TestCaseError> {
    let mut generated = policy(seed, sizes);
    let Some((text, sources, model)) = without_breached_guardrails(&generated.text) else {
        let mut sources = SourceMap::new();
        sources.add("generated.atom", generated.text.clone());
        let checked = check_sources(&sources);
        return Err(TestCaseError::fail(format!(
            "the generator wrote an invalid policy:\n{}\n{}",
            render_human(&sources, &checked.diagnostics),
            generated.text
        )));
    };
    generated.text = text;
    let bytes = compile(&model, source_hash(&sources));
    let table = Table::from_bytes(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut rng = SplitMix64::new(seed ^ 0x5EED);
    let grants = model.entity_grants();
    for i in 0..REQUESTS_PER_POLICY {
        let aimed_request = if i % 2 == 0 {
            aimed(&mut rng, &model, &grants, &generated)
        } else {
            None
        };
        let (who, action, what, context) =
            aimed_request.unwrap_or_else(|| request(&mut rng, &generated));
        let (subject, object) = targets(&who, &what);
        let req = Request {
            subject,
            action: &action,
            object,
            context: &context,
        };
        let got = decide(&table, &req).map(|got| {
            let named = got.block.zip(got.via).map(|(b, v)| {
                let (_, group, given, subject) = table.via(v);
                let s = if group {
                    m::Subject::Group(m::PrincipalGroupId(subject))
                } else {
                    m::Subject::Entity(m::EntityId(subject))
                };
                (b, given, s)
            });
            (got.allow, got.reason, named)
        });
        // By handles, a request by names decides the same.
        if let (Subject::Named(s), Object::Named(o)) = (req.subject, req.object) {
            if let (Some(sh), Some(ah), Some(oh)) =
                (table.subject(s), table.action(&action), table.object(o))
            {
                let by_handle = atom::eval::decide_handles(&table, sh, ah, oh, &context);
                prop_assert_eq!(Ok(by_handle), decide(&table, &req).map_err(|e| e.key));
            }
        }
        // An invalid description is refused by both, on the same key.
        let want = reference::decide(&model, &req).map(|w| (w.allow, w.reason, w.named));
        prop_assert_eq!(
            got.map_err(|e| e.key),
            want.map_err(|e| e.0),
            "request {:?} {} {:?} context {:?}\npolicy:\n{}",
            req.subject,
            action,
            req.object,
            context,
            generated.text
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn evaluator_agrees_with_the_reference_interpreter(seed in any::<u64>(), sizes in sizes()) {
        check_agreement(seed, &sizes)?;
    }
}

/// Language forms the generated policies must exercise: a reopened tenant,
/// and group scopes by kind and for everything.
const FORMS: [&str; 7] = [
    "object credential key in ",
    "on credential within ",
    "reopened tenant",
    "on all in ",
    "on all within ",
    "on entity beneath ",
    "on resource in ",
];

/// Counts the policies that use each of [`FORMS`].
fn count_forms(
    text: &str,
    tenants: usize,
    forms: &mut std::collections::HashMap<&'static str, usize>,
) {
    for form in FORMS {
        let used = if form == "reopened tenant" {
            (0..tenants).any(|t| text.matches(&format!("tenant t{t} ")).count() > 1)
        } else {
            text.contains(form)
        };
        *forms.entry(form).or_default() += usize::from(used);
    }
}

/// The generated cases are not trivially denials: over a fixed set of seeds
/// every reason occurs, allows are common, and described subjects and
/// objects are allowed too.
#[test]
fn generated_requests_reach_every_reason() {
    use std::collections::HashMap;
    let sizes = Sizes {
        tenants: 2,
        groups: 4,
        entities: 5,
        resources: 5,
        pgroups: 3,
        blocks: 7,
        roles: 3,
        statements: 7,
    };
    let mut reasons: HashMap<&'static str, usize> = HashMap::new();
    let (mut total, mut described_allows, mut invalid) = (0usize, 0usize, 0usize);
    let mut forms: HashMap<&'static str, usize> = HashMap::new();
    for seed in 0..200u64 {
        let generated = policy(seed, &sizes);
        count_forms(&generated.text, sizes.tenants, &mut forms);
        let (_, sources, model) = without_breached_guardrails(&generated.text).expect("valid");
        let bytes = compile(&model, source_hash(&sources));
        let table = Table::from_bytes(&bytes).unwrap();
        let mut rng = SplitMix64::new(seed);
        let grants = model.entity_grants();
        for i in 0..REQUESTS_PER_POLICY {
            let aimed_request = if i % 2 == 0 {
                aimed(&mut rng, &model, &grants, &generated)
            } else {
                None
            };
            let (who, action, what, context) =
                aimed_request.unwrap_or_else(|| request(&mut rng, &generated));
            let (subject, object) = targets(&who, &what);
            let Ok(d) = decide(
                &table,
                &Request {
                    subject,
                    action: &action,
                    object,
                    context: &context,
                },
            ) else {
                invalid += 1;
                continue;
            };
            *reasons.entry(d.reason.name()).or_default() += 1;
            total += 1;
            if d.allow && matches!(who, Who::Described(_)) && matches!(what, What::Described(_)) {
                described_allows += 1;
            }
        }
    }
    for r in atom::kinds::Reason::ALL {
        assert!(
            reasons.get(r.name()).copied().unwrap_or(0) > 0,
            "{} never occurs: {reasons:?}",
            r.name()
        );
    }
    let allows = reasons["allowed_by"];
    assert!(
        allows * 100 >= total * 12,
        "only {allows} allows in {total}: {reasons:?}"
    );
    assert!(
        reasons["denied_by"] * 50 >= total,
        "only {} denies by a block in {total}: {reasons:?}",
        reasons["denied_by"]
    );
    assert!(described_allows > 0, "{reasons:?}");
    for form in FORMS {
        assert!(
            forms.get(form).copied().unwrap_or(0) > 10,
            "{form:?} in {forms:?}"
        );
    }
    assert!(
        invalid > 0 && invalid * 4 < total,
        "{invalid} invalid descriptions in {total} requests"
    );
    eprintln!("{total} requests: {reasons:?}; {described_allows} allows for described subjects on described objects");
}

/// Spec 6.1, the security property: a described subject is never allowed
/// through a grant that section 9 forbids to its kind, whatever groups of
/// its tenant it claims. Random policies with guardrails, random described
/// subjects of every kind in random groups, every action on every object;
/// each allow is checked against the reference's own guardrail verdict for
/// the block, action, kind and tenant that allowed it.
#[test]
fn described_subjects_never_get_what_guardrails_forbid_their_kind() {
    let sizes = Sizes {
        tenants: 2,
        groups: 3,
        entities: 5,
        resources: 4,
        pgroups: 3,
        blocks: 8,
        roles: 3,
        statements: 8,
    };
    let actions = [
        "read",
        "write",
        "publish",
        "execute",
        "manage",
        "rotate",
        "subscribe",
    ];
    let context = vec![(
        "protocol".to_string(),
        atom::eval::Value::Str("mqtt".into()),
    )];
    let (mut allows, mut left_out, mut guarded_sets) = (0usize, 0usize, 0usize);
    for seed in 0..150u64 {
        let generated = policy(seed, &sizes);
        let (_, sources, model) = without_breached_guardrails(&generated.text).expect("valid");
        guarded_sets += usize::from(!model.guardrails.is_empty());
        let bytes = compile(&model, source_hash(&sources));
        let table = Table::from_bytes(&bytes).unwrap();
        let mut rng = SplitMix64::new(seed ^ 0xD15C);
        for _ in 0..6 {
            let who = described_in_own_groups(&mut rng, &model);
            let kind = who.kind;
            for action in actions {
                for object in &generated.objects {
                    let req = Request {
                        subject: Subject::Described(&who),
                        action,
                        object: Object::Named(object),
                        context: &context,
                    };
                    let e =
                        atom::eval::explain::explain(&table, &req).expect("a valid description");
                    left_out += e
                        .considered
                        .iter()
                        .filter(|c| matches!(c.outcome, atom::eval::explain::Outcome::Forbidden(_)))
                        .count();
                    if e.decision.allow {
                        allows += 1;
                        assert_not_forbidden(
                            &table,
                            &model,
                            kind,
                            &req,
                            e.decision,
                            &generated.text,
                        );
                    }
                }
            }
        }
    }
    eprintln!("{allows} allows checked; {left_out} grants left out by guardrails; {guarded_sets} of 150 sets have guardrails");
    assert!(allows > 100, "{allows} allows");
    assert!(
        left_out > 0,
        "no grant was ever left out: the property is not exercised"
    );
    assert!(guarded_sets > 50, "{guarded_sets}");
}

/// An active described subject of a random kind in a random tenant, in
/// some of that tenant's principal groups.
fn described_in_own_groups(rng: &mut SplitMix64, model: &m::Model) -> atom::eval::DescribedSubject {
    let t = rng.below(model.tenants.len());
    let own: Vec<String> = (0..model.principal_groups.len())
        .map(|g| m::PrincipalGroupId(g as u32))
        .filter(|g| model.principal_groups[g.index()].tenant == Some(m::TenantId(t as u32)))
        .map(|g| model.group_name(g))
        .collect();
    let groups = own.iter().filter(|_| rng.chance(60)).cloned().collect();
    let mut who = described_subject(rng, Some(model.tenants[t].name.clone()), groups);
    who.status = atom::kinds::EntityStatus::Active;
    who
}

/// The grant that allowed a described subject is one section 9 lets reach
/// a declared entity of its kind, by the reference's own verdict.
fn assert_not_forbidden(
    table: &Table<'_>,
    model: &m::Model,
    kind: m::EntityKind,
    req: &Request<'_>,
    d: atom::eval::Decision,
    text: &str,
) {
    let (Some(block), Some(via)) = (d.block, d.via) else {
        return;
    };
    let (_, _, given, group) = table.via(via);
    let grant_tenant = model.principal_groups[group as usize].tenant;
    let b = model.block(m::BlockId(block));
    let action = req.action;
    let a = m::ActionId(model.actions.iter().position(|x| x.name == action).unwrap() as u32);
    assert!(
        !b.scope.is_some_and(|s| reference::guardrail_forbids(model, kind, a, s, grant_tenant)),
        "a described {} got `{action}` on {:?} through block {} (given {given}) that a guardrail forbids it\n{text}",
        kind.name(),
        req.object,
        model.block_name(m::BlockId(block)),
    );
}
