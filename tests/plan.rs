//! Query plans (spec section 16) agree with decisions: for random policy
//! sets, subjects (declared and described), actions and contexts, the plan
//! holds on an object's facts exactly when deciding about that object
//! allows; every declared object and random described ones (valid and
//! not: undeclared types and tenants, groups of another tenant, attributes
//! with missing keys, nested maps, lists, decimals and timestamps).
//! `ATOM_PLAN_CASES` sets the number of policy sets (default 200).

mod support;

use atom::check::model::{self as m, Model};
use atom::compile::{compile, source_hash};
use atom::eval::plan::{plan, PlanError};
use atom::eval::{decide, DescribedObject, Object, Request, Value};
use atom::gen::SplitMix64;
use atom::kinds::EntityKind;
use atom::table::Table;
use support::plan_eval::{holds, Row};
use support::policy_gen::{
    self, dec, targets, without_breached_guardrails, Generated, Sizes, What, Who,
};
use support::reference::attrs;

fn cases() -> u64 {
    std::env::var("ATOM_PLAN_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

fn sizes(rng: &mut SplitMix64) -> Sizes {
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
fn ancestors(model: &Model, g: Option<m::GroupId>) -> Vec<String> {
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
fn declared_rows(model: &Model) -> Vec<(Row, String)> {
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
fn described(
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

/// The counts of one run, to show what it covered.
#[derive(Default, Debug)]
struct Seen {
    plans: usize,
    refused: usize,
    allowed: usize,
    denied: usize,
    always: usize,
    never: usize,
}

fn check_set(seed: u64, seen: &mut Seen) {
    let mut rng = SplitMix64::new(seed ^ 0x91A4);
    let generated = policy_gen::policy(seed, &sizes(&mut rng));
    let Some((_, sources, model)) = without_breached_guardrails(&generated.text) else {
        return;
    };
    let bytes = compile(&model, source_hash(&sources));
    let t = Table::from_bytes(&bytes).expect("a compiled table loads");
    let rows = declared_rows(&model);
    let rows_described: Vec<(Row, DescribedObject)> = (0..60)
        .map(|n| described(&mut rng, &model, &generated, n))
        .collect();
    for _ in 0..12 {
        let (mut who, mut action, _, context) = policy_gen::request(&mut rng, &generated);
        // Mostly a declared entity and a declared action, so that plans
        // allow something; the generator's own mix (described subjects,
        // unknown names) for the rest.
        if rng.chance(70) {
            who = Who::Named(generated.entities[rng.below(generated.entities.len())].clone());
        }
        if rng.chance(80) && !model.actions.is_empty() {
            action = model.actions[rng.below(model.actions.len())].name.clone();
        }
        let nothing = What::Named(String::new());
        let (subject, _) = targets(&who, &nothing);
        let p = match plan(&t, subject, &action, &context) {
            Ok(p) => p,
            Err(PlanError::Invalid(_)) => continue,
            Err(PlanError::Unplannable(_)) => {
                seen.refused += 1;
                continue;
            }
        };
        seen.plans += 1;
        seen.always += usize::from(p == atom::eval::plan::Plan::Always);
        seen.never += usize::from(p == atom::eval::plan::Plan::Never);
        let ask = |object: Object<'_>| {
            let r = Request {
                subject,
                action: &action,
                object,
                context: &context,
            };
            decide(&t, &r).map(|d| d.allow).unwrap_or(false)
        };
        let named = rows
            .iter()
            .map(|(row, name)| (row, ask(Object::Named(name))));
        let described = rows_described
            .iter()
            .map(|(row, d)| (row, ask(Object::Described(d))));
        for (row, allowed) in named.chain(described) {
            if allowed {
                seen.allowed += 1;
            } else {
                seen.denied += 1;
            }
            assert_eq!(
                holds(&p, row),
                allowed,
                "seed {seed}: {action} on {row:?}\nplan: {p:?}\npolicy:\n{}",
                generated.text
            );
        }
    }
}

#[test]
fn plans_hold_exactly_on_the_objects_decisions_allow() {
    let mut seen = Seen::default();
    for seed in 0..cases() {
        check_set(seed, &mut seen);
    }
    eprintln!("{seen:?}");
    assert!(
        seen.plans > 100 && seen.allowed > 100 && seen.denied > 100,
        "{seen:?}"
    );
}

/// A table from one policy text.
fn table_of(text: &str) -> (Model, Vec<u8>) {
    let (_, sources, model) = without_breached_guardrails(text).expect("a valid policy");
    let bytes = compile(&model, source_hash(&sources));
    (model, bytes)
}

const FORMS: &str = r#"
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
  resource doc old in archive { fw = 1.5, owner = "ann" }
  principal-group staff {}
  entity human ann
  block by-tier { allow read on resource within docs when tenant.attributes.tier == "gold" and context.s contains object.attributes.owner }
  block listed { allow read on resource when context.tags contains object.id }
  block keyed { deny read on resource beneath docs when object.attributes.level != entity.attributes.level }
  block by-map { allow write on resource when context.m contains object.attributes.owner }
  grant by-tier to ann
  grant keyed to ann
  grant listed to staff
  grant by-map to staff
}
tenant beta {
  attributes { tier = "silver" }
  resource doc sheet { owner = "b" }
  principal-group crew {}
  block by-tier { allow read on resource when tenant.attributes.tier == "silver" }
  grant by-tier to crew
}
"#;

/// Every condition form the planner turns around or fills in, against
/// hand-made rows: `<` with the object on the right, `contains` with a
/// string, a list and a map of the request's, `tenant.*` per tenant, a
/// deny `!=` with a subject side that does not resolve, the member's
/// implicit read, a described subject's guardrail.
#[test]
fn each_condition_form_plans_exactly() {
    let (model, bytes) = table_of(FORMS);
    let t = Table::from_bytes(&bytes).unwrap();
    let mut rows = declared_rows(&model);
    let mut rng = SplitMix64::new(5);
    let g = Generated {
        text: String::new(),
        entities: vec![],
        objects: vec![],
        pgroups: vec![],
        groups: vec!["acme/docs".into(), "acme/archive".into()],
        tenants: vec!["acme".into(), "beta".into()],
    };
    let described: Vec<(Row, DescribedObject)> = (0..200)
        .map(|n| described(&mut rng, &model, &g, n))
        .collect();
    let (whos, contexts) = (forms_subjects(), forms_contexts());
    let nothing = What::Named(String::new());
    let mut allowed = 0;
    for who in &whos {
        for action in ["read", "write"] {
            for context in &contexts {
                let (subject, _) = targets(who, &nothing);
                let p = plan(&t, subject, action, context).expect("plannable");
                let ask = |object: Object<'_>| {
                    let r = Request {
                        subject,
                        action,
                        object,
                        context,
                    };
                    decide(&t, &r).map(|d| d.allow).unwrap_or(false)
                };
                let named = rows
                    .iter()
                    .map(|(row, name)| (row, ask(Object::Named(name))));
                let other = described
                    .iter()
                    .map(|(row, d)| (row, ask(Object::Described(d))));
                for (row, allow) in named.chain(other) {
                    allowed += usize::from(allow);
                    assert_eq!(
                        holds(&p, row),
                        allow,
                        "{action} {context:?} on {row:?}\n{p:?}"
                    );
                }
            }
        }
    }
    assert!(allowed > 20, "{allowed}");
    // The member's implicit read of its tenant is in the plan.
    rows.retain(|(r, _)| r.kind == "tenant");
    let p = plan(&t, atom::eval::Subject::Named("ops"), "read", &[]).unwrap();
    let readable: Vec<&str> = rows
        .iter()
        .filter(|(r, _)| holds(&p, r))
        .map(|(r, _)| r.id.as_str())
        .collect();
    assert_eq!(readable, ["acme"]);
}

/// The subjects of `FORMS`'s test: declared, and described into groups.
fn forms_subjects() -> Vec<Who> {
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
fn forms_contexts() -> Vec<Vec<(String, Value)>> {
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
    ]
}

/// `context.s in object.attributes.tags` with a string `s` has no exact
/// plan (`contains` would also hold for a string or a map holding it):
/// refused, naming it; with a number it is `contains`, exactly.
#[test]
fn a_condition_without_an_exact_plan_is_refused() {
    let (_, bytes) = table_of(
        "action read on resource\ntenant a {\n  resource doc d\n  entity human h\n  block b { allow read on resource when context.s in object.attributes.tags }\n  grant b to h\n}\ntype resource:doc\n",
    );
    let t = Table::from_bytes(&bytes).unwrap();
    let a_number = [("s".to_string(), Value::Int(3))];
    assert!(plan(&t, atom::eval::Subject::Named("a/h"), "read", &a_number).is_ok());
    let a_string = [("s".to_string(), Value::Str("x".into()))];
    let err = plan(&t, atom::eval::Subject::Named("a/h"), "read", &a_string).unwrap_err();
    let PlanError::Unplannable(e) = err else {
        panic!("{err:?}");
    };
    assert!(
        e.message.contains("`\"x\" in object.attributes.tags`"),
        "{}",
        e.message
    );
}

/// `atom plan` and `POST /v1/plan` give the library's plan, in the JSON
/// form of section 16; a plan that cannot be made is exit 2 and HTTP 422.
#[test]
fn the_command_and_the_server_give_the_librarys_plan() {
    use support::cli::{atom, code, text, write};
    let dir = support::server::example_project();
    let loaded = atom::project::load_sources(&[dir.path().join("policies")]).unwrap();
    let model = atom::check::check_sources(&loaded.sources)
        .into_complete_model()
        .unwrap();
    let bytes = compile(&model, source_hash(&loaded.sources));
    let t = Table::from_bytes(&bytes).unwrap();
    let context = serde_json::json!({"protocol": "mqtt"});
    let ctx = vec![("protocol".to_string(), Value::Str("mqtt".into()))];
    let s = support::server::Server::start(dir.path(), &["policies"]);
    s.wait_ready(None);
    for (subject, action) in [
        ("factory-a/meter-001", "publish"),
        ("factory-a/alice", "read"),
        ("atomist/root", "manage"),
    ] {
        let p = plan(&t, atom::eval::Subject::Named(subject), action, &ctx).unwrap();
        let expected = atom::request::plan::plan_json(&p);
        let out = atom(
            dir.path(),
            &[
                "plan",
                subject,
                action,
                "--context",
                &context.to_string(),
                "--sources",
                "policies",
            ],
        );
        assert_eq!(code(&out), 0, "{}", text(&out.stderr));
        let printed: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
        assert_eq!(printed["plan"], expected, "{subject} {action}");
        let answer = s.post(
            "/v1/plan",
            &serde_json::json!({"subject": subject, "action": action, "context": context}),
        );
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_eq!(answer.body["plan"], expected);
        assert_eq!(answer.body["revision"], printed["revision"]);
    }
    write(
        dir.path(),
        "policies/odd.atom",
        "tenant odd {\n  entity human h\n  block b { allow read on resource when context.s in object.attributes.tags }\n  grant b to h\n}\n",
    );
    let s_is_x = r#"{"s": "x"}"#;
    let out = atom(
        dir.path(),
        &[
            "plan",
            "odd/h",
            "read",
            "--context",
            s_is_x,
            "--sources",
            "policies",
        ],
    );
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    let bad = s.post("/v1/plan", &serde_json::json!({"subject": {"id": "x", "kind": "robot", "status": "active"}, "action": "read"}));
    assert_eq!(bad.status, 400, "{}", bad.text);
}
