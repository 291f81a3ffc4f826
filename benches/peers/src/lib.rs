//! Peers: the same generated workload as Cedar policies and entities, and as
//! a Rego policy with its data, so that atom can be compared with the
//! engines its users would otherwise pick, on the same requests.
//!
//! The translation covers what `atom::gen` generates (every scope form,
//! deny blocks, the two generated conditions, roles including roles, nested
//! principal and object groups, statuses and tenants) and refuses anything
//! else rather than guess. Only allow/deny is compared: the peers have no
//! notion of atom's reasons.

use std::collections::BTreeMap;

use atom::check::model::{self as m, Model, Operand, PathRoot, Value};
use atom::kinds::ObjectKind;
use atom::syntax::ast::{CmpOp, Effect, Relation};
use serde_json::{json, Map, Value as Json};

pub mod cedar;
pub mod rego;

/// A request by names, with the one context entry the generated conditions read.
#[derive(Clone, Debug)]
pub struct Req {
    pub subject: String,
    pub action: String,
    pub object: String,
    pub protocol: String,
}

/// A generated condition the peers understand.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    /// `entity.attributes.K == object.attributes.K`
    AttrEq(String),
    /// `context.K in [v, ...]`
    CtxIn(String, Vec<String>),
}

/// A block's scope. INVARIANT: peers translate only sets that check clean
/// (`into_complete_model`), where every scope resolved.
pub fn scope_of(block: &m::Block) -> m::Scope {
    block
        .scope
        .expect("a set that checks clean has every scope")
}

pub fn conditions(block: &m::Block) -> Result<Vec<Cond>, String> {
    block
        .checked_conditions()
        .iter()
        .map(|c| match (&c.left, c.op, &c.right) {
            (l, CmpOp::Eq, Operand::Path(r))
                if l.root == PathRoot::Entity
                    && r.root == PathRoot::Object
                    && l.field == "attributes"
                    && r.field == "attributes"
                    && l.keys.len() == 1
                    && l.keys == r.keys =>
            {
                Ok(Cond::AttrEq(l.keys[0].clone()))
            }
            (l, CmpOp::In, Operand::Value(Value::List(items)))
                if l.root == PathRoot::Context && l.keys.len() == 1 =>
            {
                let values = items
                    .iter()
                    .map(|v| match v {
                        Value::Str(s) => Ok(s.clone()),
                        _ => Err("only string lists".to_string()),
                    })
                    .collect::<Result<_, _>>()?;
                Ok(Cond::CtxIn(l.keys[0].clone(), values))
            }
            _ => Err("a condition the peer translation does not cover".to_string()),
        })
        .collect()
}

/// An object's fixed facts, as both peers store them.
pub struct ObjFacts {
    pub kind: &'static str,
    pub ty: String,
    pub tenant: String,
    pub tenant_status: &'static str,
    pub group: String,
    /// The parent group and its ancestors.
    pub ancestors: Vec<String>,
}

pub fn object_facts(model: &Model, o: m::ObjectId) -> ObjFacts {
    let obj = model.object(o);
    let tenant = obj
        .tenant
        .map(|t| model.tenants[t.index()].name.clone())
        .unwrap_or_default();
    let tenant_status = match obj.tenant.map(|t| model.tenants[t.index()].status) {
        None | Some(m::TenantStatus::Active) => "active",
        Some(_) => "inactive",
    };
    let mut ancestors = Vec::new();
    let mut node = obj.parent;
    while let Some(g) = node {
        ancestors.push(model.qualified_name(model.groups[g.index()].object));
        node = model.groups[g.index()].parent;
    }
    ObjFacts {
        kind: obj.kind.name(),
        ty: obj.ty.map(|t| model.type_name(t)).unwrap_or_default(),
        tenant,
        tenant_status,
        group: ancestors.first().cloned().unwrap_or_default(),
        ancestors,
    }
}

/// A value as JSON (the generated attributes are strings and integers).
pub fn value_json(v: &Value) -> Json {
    match v {
        Value::Str(s) => json!(s),
        Value::Int(i) => json!(i),
        Value::Dec(d) => json!(d.as_str().parse::<f64>().unwrap_or(0.0)),
        Value::Bool(b) => json!(b),
        Value::List(items) => Json::Array(items.iter().map(value_json).collect()),
        Value::Map(entries) => Json::Object(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), value_json(v)))
                .collect::<Map<_, _>>(),
        ),
    }
}

pub fn attributes_json(a: &m::Attributes) -> Json {
    Json::Object(a.iter().map(|(k, v)| (k.clone(), value_json(v))).collect())
}

/// A scope in words both translations switch on.
pub fn scope_kind(model: &Model, scope: m::Scope) -> (&'static str, String, String) {
    let ty = |t: m::TypeId| model.type_name(t);
    let group = |g: m::GroupId| model.qualified_name(model.groups[g.index()].object);
    match scope {
        m::Scope::All => ("all", String::new(), String::new()),
        m::Scope::Kind(k) => ("kind", k.name().to_string(), String::new()),
        m::Scope::Type(t) => ("type", ty(t), String::new()),
        m::Scope::Object(o) => ("object", model.qualified_name(o), String::new()),
        m::Scope::TypeInGroup(t, r, g) => (
            match r {
                Relation::In => "type_in",
                Relation::Within => "type_within",
                Relation::Beneath => "type_beneath",
            },
            ty(t),
            group(g),
        ),
        m::Scope::GroupInGroup(r, g) => (
            match r {
                Relation::In => "group_in",
                Relation::Within => "group_within",
                Relation::Beneath => "group_beneath",
            },
            ObjectKind::Group.name().to_string(),
            group(g),
        ),
        m::Scope::KindInGroup(k, r, g) => (
            match r {
                Relation::In => "kind_in",
                Relation::Within => "kind_within",
                Relation::Beneath => "kind_beneath",
            },
            k.name().to_string(),
            group(g),
        ),
        m::Scope::AllInGroup(r, g) => (
            match r {
                Relation::In => "all_in",
                Relation::Within => "all_within",
                Relation::Beneath => "all_beneath",
            },
            String::new(),
            group(g),
        ),
    }
}

/// Applicability rows by action: (kinds, types).
pub fn applicability(model: &Model) -> BTreeMap<String, (Vec<String>, Vec<String>)> {
    model
        .actions
        .iter()
        .map(|a| {
            let mut kinds = Vec::new();
            let mut types = Vec::new();
            for row in &a.rows {
                match row {
                    m::Target::Kind(k) => kinds.push(k.name().to_string()),
                    m::Target::Type(t) => types.push(model.type_name(*t)),
                    m::Target::Platform => {}
                }
            }
            (a.name.clone(), (kinds, types))
        })
        .collect()
}

pub fn is_deny(b: &m::Block) -> bool {
    b.effect == Effect::Deny
}

/// A generated policy set, checked and compiled, with its request stream.
pub struct Workload {
    pub model: Model,
    pub table: Vec<u8>,
    pub requests: Vec<Req>,
    pub source_bytes: usize,
}

/// The workload at scale `s`: `atom::gen` sources, and `n` requests, half of
/// them from `atom::gen::requests` and half aimed at what the subject can
/// reach (a block it receives, one of its actions, and an object the block's
/// scope contains).
pub fn workload(s: usize, n: usize) -> Workload {
    use atom::gen::{generate, requests, Shape, SplitMix64};
    let shape = Shape::scale(s);
    let mut sources = atom::diag::SourceMap::new();
    let mut source_bytes = 0;
    for f in generate(21, &shape) {
        source_bytes += f.text.len();
        sources.add(f.name, f.text);
    }
    let model = atom::check::check_sources(&sources)
        .into_complete_model()
        .expect("the generated set checks clean");
    let table = atom::compile::compile(&model, atom::compile::source_hash(&sources));
    let grants = model.entity_grants();
    let mut objects_by_tenant: BTreeMap<Option<m::TenantId>, Vec<m::ObjectId>> = BTreeMap::new();
    for (i, o) in model.objects.iter().enumerate() {
        objects_by_tenant
            .entry(o.tenant)
            .or_default()
            .push(m::ObjectId(i as u32));
    }
    let mut rng = SplitMix64::new(77);
    let random = requests(78, &shape, n);
    let mut out = Vec::with_capacity(n);
    for (i, r) in random.into_iter().enumerate() {
        let aimed = (i % 2 == 0).then(|| {
            let e = rng.below(model.entities.len());
            let list = &grants[e];
            if list.is_empty() {
                return None;
            }
            let (b, _) = list[rng.below(list.len())];
            let block = model.block(b);
            let action = &model.actions[block.actions[rng.below(block.actions.len())].index()].name;
            let tenant = model.object(block.object).tenant.or(model
                .object(model.entity(m::EntityId(e as u32)).object)
                .tenant);
            let candidates = objects_by_tenant.get(&tenant)?;
            let start = rng.below(candidates.len());
            let object = (0..candidates.len())
                .map(|k| candidates[(start + k) % candidates.len()])
                .find(|o| model.block_reaches(b, *o))?;
            Some(Req {
                subject: model.entity_name(m::EntityId(e as u32)),
                action: action.clone(),
                object: model.qualified_name(object),
                protocol: "mqtt".to_string(),
            })
        });
        out.push(aimed.flatten().unwrap_or(Req {
            subject: r.subject,
            action: r.action,
            object: r.object,
            protocol: if i % 3 == 0 { "http" } else { "mqtt" }.to_string(),
        }));
    }
    Workload {
        model,
        table,
        requests: out,
        source_bytes,
    }
}

/// atom's decision for a request.
pub fn atom_decides(
    table: &atom::table::Table<'_>,
    r: &Req,
    context: &[(String, atom::eval::Value)],
) -> bool {
    atom::eval::decide_declared(table, &r.subject, &r.action, &r.object, context).allow
}

/// The context of a request, for atom.
pub fn atom_context(r: &Req) -> Vec<(String, atom::eval::Value)> {
    vec![(
        "protocol".to_string(),
        atom::eval::Value::Str(r.protocol.clone()),
    )]
}
