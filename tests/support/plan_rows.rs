//! Objects as rows for the plan and listing tests: every declared object
//! of a model, and random described ones (valid and not), each with the
//! row a listing's table would hold for it.

use atom::check::model::{self as m, Model};
use atom::eval::{DescribedObject, Value};
use atom::gen::SplitMix64;

use super::plan_eval::Row;
use super::policy_gen::{dec, Generated, Sizes, Who};
use super::reference::attrs;
use atom::kinds::EntityKind;

/// Random sizes for a policy set.
pub fn sizes(rng: &mut SplitMix64) -> Sizes {
    let mut between = |lo: usize, hi: usize| lo + rng.below(hi - lo + 1);
    Sizes {
        tenants: between(1, 2),
        groups: between(0, 4),
        entities: between(1, 5),
        resources: between(0, 5),
        pgroups: between(0, 4),
        blocks: between(1, 7),
        roles: between(0, 4),
        statements: between(1, 7),
    }
}

/// The group `g` and every group above it, by qualified name.
pub fn ancestors(model: &Model, g: Option<m::GroupId>) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = g;
    while let Some(x) = at {
        if out.len() > model.groups.len() {
            break;
        }
        out.push(model.qualified_name(model.groups[x.index()].object));
        at = model.groups[x.index()].parent;
    }
    out
}

/// Every declared object as its row, with its name.
pub fn declared_rows(model: &Model) -> Vec<(Row, String)> {
    (0..model.objects.len())
        .map(|i| {
            let id = m::ObjectId(i as u32);
            let o = model.object(id);
            let row = Row {
                id: model.qualified_name(id),
                kind: o.kind.name().to_string(),
                ty: o.ty.map(|t| model.type_name(t)),
                tenant: o.tenant.map(|t| model.tenants[t.index()].name.clone()),
                group: o
                    .parent
                    .map(|p| model.qualified_name(model.groups[p.index()].object)),
                ancestors: ancestors(model, o.parent),
                attributes: match attrs(&o.attributes) {
                    Value::Map(entries) => entries,
                    _ => Vec::new(),
                },
            };
            (row, model.qualified_name(id))
        })
        .collect()
}

/// A described object and its row: the kind and type of a declared object
/// (or an undeclared type), a tenant (declared, none, or unknown), a group
/// (none, any declared one, or an unknown one), and a declared object's
/// attributes changed (a key dropped, a nested map, a list, a decimal, a
/// timestamp).
pub fn described(
    rng: &mut SplitMix64,
    model: &Model,
    g: &Generated,
    n: usize,
) -> (Row, DescribedObject) {
    let pick = |rng: &mut SplitMix64, items: &[String]| items[rng.below(items.len())].clone();
    let like = model.object(m::ObjectId(rng.below(model.objects.len()) as u32));
    let ty = if rng.chance(10) {
        "resource:unknown".to_string()
    } else {
        like.ty
            .map_or_else(|| like.kind.name().to_string(), |t| model.type_name(t))
    };
    let tenant = match rng.below(10) {
        0..=6 if !g.tenants.is_empty() => Some(pick(rng, &g.tenants)),
        7 => Some("nowhere".to_string()),
        _ => None,
    };
    let group = match rng.below(10) {
        0..=5 if !g.groups.is_empty() => Some(pick(rng, &g.groups)),
        6 => Some("t0/no-such-group".to_string()),
        _ => None,
    };
    let mut attributes = match attrs(&like.attributes) {
        Value::Map(entries) => entries,
        _ => Vec::new(),
    };
    if !attributes.is_empty() && rng.chance(30) {
        attributes.remove(rng.below(attributes.len()));
    }
    let extra: [(&str, Value); 5] = [
        (
            "level",
            Value::Map(vec![("n".into(), Value::Int(rng.below(3) as i64))]),
        ),
        ("tags", Value::List(vec![Value::Str("a".into())])),
        ("n", dec("4.50")),
        ("at", Value::Str("2026-03-01T11:00:00Z".into())),
        ("fw", Value::Int(rng.below(4) as i64)),
    ];
    for (k, v) in extra {
        if rng.chance(25) {
            attributes.retain(|(key, _)| key != k);
            attributes.push((k.to_string(), v));
        }
    }
    let object = DescribedObject {
        id: format!("row-{n}"),
        ty: ty.parse().expect("a kind of the vocabulary"),
        tenant: tenant.clone(),
        group: group.clone(),
        attributes: attributes.clone(),
    };
    let declared_group = (0..model.groups.len())
        .map(|x| m::GroupId(x as u32))
        .find(|x| {
            group.as_deref()
                == Some(
                    model
                        .qualified_name(model.groups[x.index()].object)
                        .as_str(),
                )
        });
    let row = Row {
        id: tenant
            .as_ref()
            .map_or(object.id.clone(), |t| format!("{t}/{}", object.id)),
        kind: object.ty.kind.name().to_string(),
        ty: object.ty.name.as_ref().map(|_| object.ty.to_string()),
        tenant,
        ancestors: match declared_group {
            Some(x) => ancestors(model, Some(x)),
            None => group.iter().cloned().collect(),
        },
        group,
        attributes,
    };
    (row, object)
}

/// A policy with every condition form the planner turns around or fills in.
pub const FORMS: &str = r#"
action read, write on resource, tenant
type resource:doc
guardrail deny device write on resource:doc
entity human ops
entity device probe { fw = 2 }
principal-group probes {}
block platform-read { allow write on resource:doc when context.n < object.attributes.fw }
grant platform-read to probes
tenant acme {
  attributes { tier = "gold" }
  member ops
  object-group docs
  object-group archive in docs
  resource doc manual in docs { fw = 3, tags = ["a", "b"], level = { n = 1 } }
  resource doc old in archive { fw = 1.5, owner = "ann", at = "2026-03-01T12:00:00+01:00" }
  resource doc recent in docs { at = "2026-03-02T00:00:00.5Z" }
  principal-group staff {}
  entity human ann
  block by-tier { allow read on resource within docs when tenant.attributes.tier == "gold" and context.s contains object.attributes.owner }
  block listed { allow read on resource when context.tags contains object.id }
  block keyed { deny read on resource beneath docs when object.attributes.level != entity.attributes.level }
  block by-map { allow write on resource when context.m contains object.attributes.owner }
  block fresh { allow read on resource when context.at < object.attributes.at }
  block stale { deny write on resource when object.attributes.at <= context.at }
  grant by-tier to ann
  grant keyed to ann
  grant listed to staff
  grant by-map to staff
  grant fresh to staff
  grant stale to staff
}
tenant beta {
  attributes { tier = "silver" }
  resource doc sheet { owner = "b" }
  principal-group crew {}
  block by-tier { allow read on resource when tenant.attributes.tier == "silver" }
  grant by-tier to crew
}
"#;

/// The subjects of `FORMS`'s test: declared, and described into groups.
pub fn forms_subjects() -> Vec<Who> {
    let device = |kind: EntityKind, groups: &[&str], tenant: Option<&str>| {
        Who::Described(atom::eval::DescribedSubject {
            id: "new".into(),
            kind,
            tenant: tenant.map(str::to_string),
            status: atom::kinds::EntityStatus::Active,
            groups: groups.iter().map(|g| g.to_string()).collect(),
            attributes: vec![],
        })
    };
    vec![
        Who::Named("ops".into()),
        Who::Named("acme/ann".into()),
        device(EntityKind::Device, &["probes"], None),
        device(EntityKind::Human, &["probes"], None),
        device(EntityKind::Human, &["acme/staff"], Some("acme")),
        device(EntityKind::Service, &["beta/crew"], Some("beta")),
    ]
}

/// The contexts of `FORMS`'s test.
pub fn forms_contexts() -> Vec<Vec<(String, Value)>> {
    vec![
        vec![],
        vec![("n".into(), Value::Int(2))],
        vec![("n".into(), dec("1.25"))],
        vec![(
            "m".into(),
            Value::Map(vec![("ann".into(), Value::Bool(true))]),
        )],
        vec![
            ("s".into(), Value::Str("xannb".into())),
            (
                "tags".into(),
                Value::List(vec![Value::Str("acme/manual".into()), Value::Int(3)]),
            ),
        ],
        vec![
            ("s".into(), Value::Str("b".into())),
            ("tags".into(), Value::Str("acme/old".into())),
        ],
        vec![("at".into(), Value::Str("2026-03-01T11:00:00Z".into()))],
        vec![
            (
                "at".into(),
                Value::Str("2026-03-01T10:59:59.999999999Z".into()),
            ),
            (
                "m".into(),
                Value::Map(vec![("ann".into(), Value::Bool(true))]),
            ),
        ],
        vec![("at".into(), Value::Str("not a time".into()))],
    ]
}

/// A subject, an action and a context to plan for: mostly a declared
/// entity and a declared action (so that plans allow something), else the
/// generator's own mix (described subjects, unknown names).
pub fn question(
    rng: &mut SplitMix64,
    generated: &Generated,
    model: &Model,
) -> (Who, String, Vec<(String, Value)>) {
    let (mut who, mut action, _, context) = super::policy_gen::request(rng, generated);
    if rng.chance(70) {
        who = Who::Named(generated.entities[rng.below(generated.entities.len())].clone());
    }
    if rng.chance(80) && !model.actions.is_empty() {
        action = model.actions[rng.below(model.actions.len())].name.clone();
    }
    (who, action, context)
}
