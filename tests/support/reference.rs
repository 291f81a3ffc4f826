//! A reference interpreter of spec section 6, written plainly over the
//! checked model, for tests only. It shares no code with the table or the
//! evaluator (other than the RFC 3339 parser), so agreement between the
//! two is evidence that both follow the spec.

use atom::check::model::{self as m, Model};
use atom::eval::{DescribedObject, DescribedSubject, Object, Reason, Request, Subject, Value};
use atom::kinds::ObjectKind;
use atom::syntax::ast::{CmpOp, Effect, Relation};
use atom::time::parse_rfc3339;

/// A decision, naming the block and how it reached the subject: the block,
/// the object the statement gave (role or block), and the statement's subject.
#[derive(Clone, Debug, PartialEq)]
pub struct RefDecision {
    pub allow: bool,
    pub reason: Reason,
    pub named: Option<(u32, u32, m::Subject)>,
}

fn deny(reason: Reason) -> RefDecision {
    RefDecision {
        allow: false,
        reason,
        named: None,
    }
}

enum Subj<'a> {
    Declared(m::EntityId),
    /// The description, its kind, qualified id, tenant, and groups with ancestors.
    Described(
        &'a DescribedSubject,
        m::EntityKind,
        String,
        Option<m::TenantId>,
        Vec<m::PrincipalGroupId>,
    ),
}

struct Obj<'a> {
    declared: Option<m::ObjectId>,
    /// The description and its qualified id.
    desc: Option<(&'a DescribedObject, String)>,
    kind: ObjectKind,
    ty: Option<m::TypeId>,
    tenant: Option<m::TenantId>,
    parent: Option<m::GroupId>,
}

/// A request the reference refuses to decide: a description breaks spec section 6.1.
#[derive(Clone, Debug, PartialEq)]
pub struct Invalid(pub &'static str);

fn tenant_named(model: &Model, name: &Option<String>) -> Option<Option<m::TenantId>> {
    match name {
        None => Some(None),
        Some(tn) => model
            .tenants
            .iter()
            .position(|t| t.name == *tn)
            .map(|t| Some(m::TenantId(t as u32))),
    }
}

fn qualified(model: &Model, tenant: Option<m::TenantId>, id: &str) -> String {
    match tenant {
        Some(t) => format!("{}/{id}", model.tenants[t.index()].name),
        None => id.to_string(),
    }
}

/// Whether a qualified name is declared: an object (principal groups included).
fn declared(model: &Model, name: &str) -> bool {
    (0..model.objects.len()).any(|o| model.qualified_name(m::ObjectId(o as u32)) == name)
}

fn ancestors(model: &Model, g: m::PrincipalGroupId, out: &mut Vec<m::PrincipalGroupId>) {
    let mut node = Some(g);
    while let Some(n) = node {
        if out.contains(&n) {
            break;
        }
        out.push(n);
        node = model.principal_groups[n.index()].parent;
    }
}

pub fn decide(model: &Model, req: &Request<'_>) -> Result<RefDecision, Invalid> {
    // Spec 6.1 first: an invalid description gets no decision at all.
    let described_subject = match req.subject {
        Subject::Described(d) => Some(check_subject(model, d)?),
        Subject::Named(_) => None,
    };
    let described_object = match req.object {
        Object::Described(d) => Some(check_object(model, d)?),
        Object::Named(_) => None,
    };
    Ok(decide_valid(
        model,
        req,
        described_subject,
        described_object,
    ))
}

/// A described subject: `None` when its tenant is undeclared; else its
/// qualified id, kind, tenant and groups (with ancestors).
type SubjectCheck = Option<(
    String,
    m::EntityKind,
    Option<m::TenantId>,
    Vec<m::PrincipalGroupId>,
)>;

fn check_subject(model: &Model, d: &DescribedSubject) -> Result<SubjectCheck, Invalid> {
    let kind = m::EntityKind::from_name(d.kind.name()).ok_or(Invalid("subject.kind"))?;
    if !["active", "inactive", "suspended"].contains(&d.status.name()) {
        return Err(Invalid("subject.status"));
    }
    if d.groups.len() > 1024 {
        return Err(Invalid("subject.groups"));
    }
    let Some(tenant) = tenant_named(model, &d.tenant) else {
        return Ok(None);
    };
    let id = qualified(model, tenant, &d.id);
    if d.id.is_empty() || declared(model, &id) {
        return Err(Invalid("subject.id"));
    }
    let mut groups = Vec::new();
    for name in &d.groups {
        let g = (0..model.principal_groups.len())
            .map(|g| m::PrincipalGroupId(g as u32))
            .find(|g| model.group_name(*g) == *name)
            .ok_or(Invalid("subject.groups"))?;
        if model.principal_groups[g.index()].tenant != tenant {
            return Err(Invalid("subject.groups"));
        }
        ancestors(model, g, &mut groups);
    }
    Ok(Some((id, kind, tenant, groups)))
}

/// A described object: `None` when its tenant is undeclared.
type ObjectCheck = Option<(
    String,
    ObjectKind,
    Option<m::TypeId>,
    Option<m::TenantId>,
    Option<m::GroupId>,
)>;

fn check_object(model: &Model, d: &DescribedObject) -> Result<ObjectCheck, Invalid> {
    let text = d.ty.to_string();
    let (kind_name, sub) = match text.split_once(':') {
        Some((k, s)) => (k, Some(s)),
        None => (text.as_str(), None),
    };
    let kind = ObjectKind::from_name(kind_name).ok_or(Invalid("object.type"))?;
    let ty = match sub {
        None => None,
        Some(_) => Some(
            (0..model.types.len())
                .map(|t| m::TypeId(t as u32))
                .find(|t| model.type_name(*t) == text)
                .ok_or(Invalid("object.type"))?,
        ),
    };
    let Some(tenant) = tenant_named(model, &d.tenant) else {
        return Ok(None);
    };
    let id = qualified(model, tenant, &d.id);
    if d.id.is_empty() || declared(model, &id) {
        return Err(Invalid("object.id"));
    }
    let parent = match &d.group {
        None => None,
        // Only entities, resources, object groups, credentials, signing
        // keys and audit logs are placed in object groups.
        Some(_)
            if !matches!(
                kind,
                ObjectKind::Entity
                    | ObjectKind::Resource
                    | ObjectKind::Group
                    | ObjectKind::Credential
                    | ObjectKind::SigningKey
                    | ObjectKind::AuditLog
            ) =>
        {
            return Err(Invalid("object.group"));
        }
        Some(g) => {
            let gid = (0..model.groups.len())
                .map(|i| m::GroupId(i as u32))
                .find(|gid| model.qualified_name(model.groups[gid.index()].object) == *g)
                .ok_or(Invalid("object.group"))?;
            if model.object(model.groups[gid.index()].object).tenant != tenant {
                return Err(Invalid("object.group"));
            }
            Some(gid)
        }
    };
    Ok(Some((id, kind, ty, tenant, parent)))
}

fn decide_valid(
    model: &Model,
    req: &Request<'_>,
    described_subject: Option<SubjectCheck>,
    described_object: Option<ObjectCheck>,
) -> RefDecision {
    let subject = match subject_of(model, req, described_subject) {
        Ok(s) => s,
        Err(reason) => return deny(reason),
    };
    let object = match object_of(model, req, described_object) {
        Ok(o) => o,
        Err(reason) => return deny(reason),
    };
    // 4: the object's tenant.
    if let Some(t) = object.tenant {
        if model.tenants[t.index()].status != m::TenantStatus::Active {
            return deny(Reason::TenantInactive);
        }
    }
    // 5: the action and its applicability.
    let Some(action) = model.actions.iter().position(|a| a.name == req.action) else {
        return deny(Reason::NotApplicable);
    };
    let applicable = model.actions[action].rows.iter().any(|row| match row {
        m::Target::Kind(k) => *k == object.kind,
        m::Target::Type(t) => Some(*t) == object.ty,
        m::Target::Platform => false,
    });
    if !applicable {
        return deny(Reason::NotApplicable);
    }
    let candidates = candidates(model, &subject);
    // 7, 8, 9: deny over allow; the first block in declaration order is named.
    let mut best_deny: Option<(u32, usize, m::Subject)> = None;
    let mut best_allow: Option<(u32, usize, m::Subject)> = None;
    for (b, gi, s) in candidates {
        let block = model.block(b);
        if !block.actions.iter().any(|a| a.index() == action) {
            continue;
        }
        if forbidden_to_described(model, &subject, gi, block, action) {
            continue;
        }
        if !block_matches(model, block, &object)
            || !block
                .checked_conditions()
                .iter()
                .all(|c| holds(model, c, &subject, &object, req.context))
        {
            continue;
        }
        let key = (b.0, gi, s);
        let slot = if block.effect == Effect::Deny {
            &mut best_deny
        } else {
            &mut best_allow
        };
        if slot.is_none_or(|k| key < k) {
            *slot = Some(key);
        }
    }
    let named = |(b, gi, s): (u32, usize, m::Subject)| {
        let given = match model.grants[gi].given {
            m::Given::Role(r) => model.role(r).object.0,
            m::Given::Block(x) => model.block(x).object.0,
        };
        Some((b, given, s))
    };
    match (best_deny, best_allow) {
        (Some(k), _) => RefDecision {
            allow: false,
            reason: Reason::DeniedBy,
            named: named(k),
        },
        (None, Some(k)) => RefDecision {
            allow: true,
            reason: Reason::AllowedBy,
            named: named(k),
        },
        (None, None) if member_reads_tenant(model, &subject, action, &object) => RefDecision {
            allow: true,
            reason: Reason::AllowedBy,
            named: None,
        },
        (None, None) => deny(Reason::NoMatchingAllow),
    }
}

/// Rules 1 and 2: the subject, known and active.
fn subject_of<'a>(
    model: &Model,
    req: &Request<'a>,
    described_subject: Option<SubjectCheck>,
) -> Result<Subj<'a>, Reason> {
    let subject = match (req.subject, described_subject) {
        (Subject::Named(name), _) => {
            match (0..model.entities.len())
                .find(|e| model.entity_name(m::EntityId(*e as u32)) == name)
            {
                Some(e) => Subj::Declared(m::EntityId(e as u32)),
                None => return Err(Reason::SubjectNotFound),
            }
        }
        (Subject::Described(d), Some(Some((id, kind, tenant, groups)))) => {
            Subj::Described(d, kind, id, tenant, groups)
        }
        (Subject::Described(_), _) => return Err(Reason::SubjectNotFound),
    };
    let active = match &subject {
        Subj::Declared(e) => model.entity(*e).status == m::EntityStatus::Active,
        Subj::Described(d, ..) => d.status.name() == "active",
    };
    if !active {
        return Err(Reason::SubjectInactive);
    }
    Ok(subject)
}

/// Rule 3: the object, known.
fn object_of<'a>(
    model: &Model,
    req: &Request<'a>,
    described_object: Option<ObjectCheck>,
) -> Result<Obj<'a>, Reason> {
    let object = match (req.object, described_object) {
        (Object::Named(name), _) => {
            let Some(o) = (0..model.objects.len())
                .find(|o| model.qualified_name(m::ObjectId(*o as u32)) == name)
            else {
                return Err(Reason::ObjectNotFound);
            };
            let obj = &model.objects[o];
            Obj {
                declared: Some(m::ObjectId(o as u32)),
                desc: None,
                kind: obj.kind,
                ty: obj.ty,
                tenant: obj.tenant,
                parent: obj.parent,
            }
        }
        (Object::Described(d), Some(Some((id, kind, ty, tenant, parent)))) => Obj {
            declared: None,
            desc: Some((d, id)),
            kind,
            ty,
            tenant,
            parent,
        },
        (Object::Described(_), _) => return Err(Reason::ObjectNotFound),
    };
    Ok(object)
}

/// Rule 6: every (block, statement, subject) that reaches the subject.
fn candidates(model: &Model, subject: &Subj<'_>) -> Vec<(m::BlockId, usize, m::Subject)> {
    let mut groups: Vec<m::PrincipalGroupId> = Vec::new();
    match subject {
        Subj::Declared(e) => {
            for (i, g) in model.principal_groups.iter().enumerate() {
                if g.members.contains(e) {
                    ancestors(model, m::PrincipalGroupId(i as u32), &mut groups);
                }
            }
        }
        Subj::Described(_, _, _, _, named) => groups.extend(named.iter().copied()),
    }
    let receives = |s: &m::Subject| match (s, subject) {
        (m::Subject::Entity(e), Subj::Declared(me)) => e == me,
        (m::Subject::Group(g), _) => groups.contains(g),
        _ => false,
    };
    let mut candidates: Vec<(m::BlockId, usize, m::Subject)> = Vec::new();
    for (gi, grant) in model.grants.iter().enumerate() {
        for (s, _) in &grant.subjects {
            if !receives(s) {
                continue;
            }
            let mut blocks = Vec::new();
            match grant.given {
                m::Given::Block(b) => blocks.push(b),
                m::Given::Role(r) => role_blocks(model, r, &mut blocks, 0),
            }
            for b in blocks {
                candidates.push((b, gi, *s));
            }
        }
    }
    candidates
}

/// Spec 6.1: an allow reaches a described subject only where section 9
/// would let it reach a declared entity of its kind.
fn forbidden_to_described(
    model: &Model,
    subject: &Subj<'_>,
    grant: usize,
    block: &m::Block,
    action: usize,
) -> bool {
    let Subj::Described(_, kind, ..) = subject else {
        return false;
    };
    // The reference interpreter only runs on sets without errors, where
    // every scope resolved.
    block.effect == Effect::Allow
        && block.scope.is_some_and(|scope| {
            guardrail_forbids(
                model,
                *kind,
                m::ActionId(action as u32),
                scope,
                model.grants[grant].tenant,
            )
        })
}

/// Spec section 6, rule 6: an active human platform entity that is a
/// `member` of T may `read` T itself.
fn member_reads_tenant(model: &Model, s: &Subj<'_>, action: usize, o: &Obj<'_>) -> bool {
    let Subj::Declared(e) = s else { return false };
    let entity = model.entity(*e);
    let Some(t) = o.tenant else { return false };
    o.declared == Some(model.tenants[t.index()].object)
        && entity.kind == m::EntityKind::Human
        && model.object(entity.object).tenant.is_none()
        && model.actions[action].name == "read"
        && model.tenants[t.index()].members.contains(e)
}

/// Section 9 for one (kind, action, scope, tenant): every (kind, type) the
/// scope reaches that the action applies to, checked against the rules;
/// true when the deciding rule of any of them denies.
pub fn guardrail_forbids(
    model: &Model,
    kind: m::EntityKind,
    action: m::ActionId,
    scope: m::Scope,
    tenant: Option<m::TenantId>,
) -> bool {
    let typed = |k: ObjectKind| -> Vec<(ObjectKind, Option<m::TypeId>)> {
        let mut v = vec![(k, None)];
        for (i, t) in model.types.iter().enumerate() {
            if t.kind == k {
                v.push((k, Some(m::TypeId(i as u32))));
            }
        }
        v
    };
    let reach: Vec<(ObjectKind, Option<m::TypeId>)> = match scope {
        m::Scope::All => ObjectKind::ALL.into_iter().flat_map(typed).collect(),
        m::Scope::Kind(k) => typed(k),
        m::Scope::Type(t) | m::Scope::TypeInGroup(t, _, _) => {
            vec![(model.types[t.index()].kind, Some(t))]
        }
        m::Scope::Object(o) => vec![(model.object(o).kind, model.object(o).ty)],
        m::Scope::GroupInGroup(_, _) => vec![(ObjectKind::Group, None)],
        m::Scope::KindInGroup(k, _, _) => typed(k),
        m::Scope::AllInGroup(_, _) => [ObjectKind::Entity, ObjectKind::Resource, ObjectKind::Group]
            .into_iter()
            .flat_map(typed)
            .collect(),
    };
    let covers = |target: m::Target, (k, ty): (ObjectKind, Option<m::TypeId>)| match target {
        m::Target::Kind(x) => x == k,
        m::Target::Type(t) => ty == Some(t),
        m::Target::Platform => false,
    };
    let rows = &model.actions[action.index()].rows;
    reach
        .into_iter()
        .filter(|kt| rows.iter().any(|r| covers(*r, *kt)))
        .any(|kt| {
            let mut best: Option<(u8, usize)> = None;
            for (i, g) in model.guardrails.iter().enumerate() {
                let applies = g.entity_kind == kind
                    && g.actions.contains(&action)
                    && covers(g.target, kt)
                    && (g.tenant.is_none() || g.tenant == tenant);
                if applies && best.is_none_or(|b| (g.precedence(), i) < b) {
                    best = Some((g.precedence(), i));
                }
            }
            best.is_some_and(|(_, i)| model.guardrails[i].effect == Effect::Deny)
        })
}

fn role_blocks(model: &Model, r: m::RoleId, out: &mut Vec<m::BlockId>, depth: usize) {
    if depth > 64 {
        return;
    }
    for (item, _) in &model.role(r).items {
        match item {
            m::RoleItem::Block(b) => out.push(*b),
            m::RoleItem::Role(inner) => role_blocks(model, *inner, out, depth + 1),
        }
    }
}

/// Whether group `x` is `g` or one of its descendants.
fn at_or_below(model: &Model, x: Option<m::GroupId>, g: m::GroupId) -> bool {
    let mut node = x;
    while let Some(n) = node {
        if n == g {
            return true;
        }
        node = model.groups[n.index()].parent;
    }
    false
}

fn block_matches(model: &Model, block: &m::Block, o: &Obj<'_>) -> bool {
    let boundary = model.object(block.object).tenant;
    if boundary.is_some() && boundary != o.tenant {
        return false;
    }
    let Some(scope) = block.scope else {
        return false;
    };
    match scope {
        m::Scope::All => true,
        m::Scope::Kind(k) => o.kind == k,
        m::Scope::Type(t) => o.ty == Some(t),
        m::Scope::Object(x) => o.declared == Some(x),
        m::Scope::TypeInGroup(t, rel, g) => {
            o.ty == Some(t)
                && match rel {
                    Relation::In => o.parent == Some(g),
                    Relation::Within => at_or_below(model, o.parent, g),
                    Relation::Beneath => o.parent != Some(g) && at_or_below(model, o.parent, g),
                }
        }
        m::Scope::GroupInGroup(rel, g) => o.kind == ObjectKind::Group && placed(model, o, rel, g),
        m::Scope::KindInGroup(k, rel, g) => o.kind == k && placed(model, o, rel, g),
        m::Scope::AllInGroup(rel, g) => placed(model, o, rel, g),
    }
}

/// Whether the object's parent group is G (`in`), below it (`beneath`) or either (`within`).
fn placed(model: &Model, o: &Obj<'_>, rel: Relation, g: m::GroupId) -> bool {
    match rel {
        Relation::In => o.parent == Some(g),
        Relation::Within => at_or_below(model, o.parent, g),
        Relation::Beneath => o.parent != Some(g) && at_or_below(model, o.parent, g),
    }
}

fn to_value(v: &m::Value) -> Value {
    v.clone()
}

pub fn attrs(a: &m::Attributes) -> Value {
    Value::Map(a.iter().map(|(k, v)| (k.clone(), to_value(v))).collect())
}

/// What a path reads (spec section 5).
pub enum Side {
    /// The path does not resolve.
    Missing,
    /// A built-in field with no value.
    Nothing,
    Is(Value),
}

fn read(
    model: &Model,
    p: &m::CondPath,
    s: &Subj<'_>,
    o: &Obj<'_>,
    context: &[(String, Value)],
) -> Side {
    let s_str = |x: &str| Side::Is(Value::Str(x.to_string()));
    let opt = |v: Option<String>| v.map_or(Side::Nothing, |x| Side::Is(Value::Str(x)));
    let tenant_name =
        |t: Option<m::TenantId>| opt(t.map(|t| model.tenants[t.index()].name.clone()));
    let base = match p.root {
        m::PathRoot::Entity => match (s, p.field.as_str()) {
            (Subj::Declared(e), "id") => s_str(&model.entity_name(*e)),
            (Subj::Declared(e), "kind") => s_str(model.entity(*e).kind.name()),
            (Subj::Declared(e), "tenant") => {
                tenant_name(model.object(model.entity(*e).object).tenant)
            }
            (Subj::Declared(e), "status") => s_str(match model.entity(*e).status {
                m::EntityStatus::Active => "active",
                m::EntityStatus::Inactive => "inactive",
                m::EntityStatus::Suspended => "suspended",
            }),
            (Subj::Declared(e), "attributes") => {
                Side::Is(attrs(&model.object(model.entity(*e).object).attributes))
            }
            (Subj::Described(_, _, id, _, _), "id") => s_str(id),
            (Subj::Described(_, k, ..), "kind") => s_str(k.name()),
            (Subj::Described(_, _, _, t, _), "tenant") => tenant_name(*t),
            (Subj::Described(d, ..), "status") => s_str(d.status.name()),
            (Subj::Described(d, ..), "attributes") => Side::Is(Value::Map(d.attributes.clone())),
            _ => Side::Missing,
        },
        m::PathRoot::Object => match p.field.as_str() {
            "id" => match (o.declared, &o.desc) {
                (Some(x), _) => s_str(&model.qualified_name(x)),
                (None, Some((_, id))) => s_str(id),
                _ => Side::Missing,
            },
            "kind" => s_str(o.kind.name()),
            "type" => opt(o.ty.map(|t| model.type_name(t))),
            "tenant" => tenant_name(o.tenant),
            "group" => opt(o
                .parent
                .map(|g| model.qualified_name(model.groups[g.index()].object))),
            "attributes" => match (o.declared, &o.desc) {
                (Some(x), _) => Side::Is(attrs(&model.object(x).attributes)),
                (None, Some((d, _))) => Side::Is(Value::Map(d.attributes.clone())),
                _ => Side::Missing,
            },
            _ => Side::Missing,
        },
        m::PathRoot::Tenant => {
            let Some(t) = o.tenant else {
                return Side::Missing;
            };
            let t = &model.tenants[t.index()];
            match p.field.as_str() {
                "id" => s_str(&t.name),
                "status" => s_str(match t.status {
                    m::TenantStatus::Active => "active",
                    m::TenantStatus::Inactive => "inactive",
                    m::TenantStatus::Frozen => "frozen",
                    m::TenantStatus::Deleted => "deleted",
                }),
                "attributes" => Side::Is(attrs(&t.attributes)),
                _ => Side::Missing,
            }
        }
        m::PathRoot::Context => Side::Is(Value::Map(context.to_vec())),
    };
    let mut v = base;
    for k in &p.keys {
        let Side::Is(Value::Map(entries)) = v else {
            return Side::Missing;
        };
        v = match entries.into_iter().find(|(key, _)| key == k) {
            Some((_, x)) => Side::Is(x),
            None => Side::Missing,
        };
    }
    v
}

/// A number's text: an integer's digits, or a decimal's canonical text.
fn num(v: &Value) -> Option<String> {
    match v {
        Value::Int(i) => Some(i.to_string()),
        Value::Dec(d) => Some(d.as_str().to_string()),
        _ => None,
    }
}

/// Compares two numbers written in decimal, exactly: both are padded to
/// the same number of integer and fraction digits and compared as digit
/// strings (a different method from the evaluator's).
fn num_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let split = |s: &str| {
        let (neg, body) = s.strip_prefix('-').map_or((false, s), |r| (true, r));
        let (int, frac) = body.split_once('.').unwrap_or((body, ""));
        (
            neg,
            int.trim_start_matches('0').to_string(),
            frac.trim_end_matches('0').to_string(),
        )
    };
    let ((na, ia, fa), (nb, ib, fb)) = (split(a), split(b));
    let (wi, wf) = (ia.len().max(ib.len()), fa.len().max(fb.len()));
    let digits = |i: &str, f: &str| format!("{i:0>wi$}{f:0<wf$}");
    let (da, db) = (digits(&ia, &fa), digits(&ib, &fb));
    let zero = |d: &str| d.bytes().all(|c| c == b'0');
    let sign = |neg: bool, d: &str| {
        if zero(d) {
            0
        } else if neg {
            -1
        } else {
            1
        }
    };
    let (sa, sb) = (sign(na, &da), sign(nb, &db));
    if sa != sb {
        return sa.cmp(&sb);
    }
    if sa < 0 {
        db.cmp(&da)
    } else {
        da.cmp(&db)
    }
}

/// `Some(equal)` for values of one type, `None` when they cannot be compared.
fn eq(a: &Value, b: &Value) -> Option<bool> {
    Some(match (a, b) {
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Int(x), Value::Int(y)) => x == y,
        (Value::Int(_) | Value::Dec(_), Value::Int(_) | Value::Dec(_)) => {
            num_cmp(&num(a)?, &num(b)?) == std::cmp::Ordering::Equal
        }
        (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| eq(p, q) == Some(true))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.iter().any(|(k2, v2)| k == k2 && eq(v, v2) == Some(true)))
        }
        _ => return None,
    })
}

fn ord(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Str(x), Value::Str(y)) => Some(parse_rfc3339(x)?.cmp(&parse_rfc3339(y)?)),
        _ => Some(num_cmp(&num(a)?, &num(b)?)),
    }
}

fn holds(
    model: &Model,
    c: &m::Condition,
    s: &Subj<'_>,
    o: &Obj<'_>,
    context: &[(String, Value)],
) -> bool {
    let a = read(model, &c.left, s, o, context);
    let b = match &c.right {
        m::Operand::Value(v) => Side::Is(to_value(v)),
        m::Operand::Path(p) => read(model, p, s, o, context),
    };
    compare(c.op, a, b)
}

/// `a op b` with section 5's meaning.
pub fn compare(op: CmpOp, a: Side, b: Side) -> bool {
    // Spec section 5: a side that does not resolve makes every comparison
    // false; none equals nothing, so only `!=` holds with it.
    let (a, b) = match (a, b) {
        (Side::Missing, _) | (_, Side::Missing) => return false,
        (Side::Nothing, _) | (_, Side::Nothing) => return op == CmpOp::Ne,
        (Side::Is(a), Side::Is(b)) => (a, b),
    };
    use std::cmp::Ordering::*;
    match op {
        CmpOp::Eq => eq(&a, &b) == Some(true),
        CmpOp::Ne => eq(&a, &b) != Some(true),
        CmpOp::Lt => ord(&a, &b) == Some(Less),
        CmpOp::Le => matches!(ord(&a, &b), Some(Less | Equal)),
        CmpOp::Gt => ord(&a, &b) == Some(Greater),
        CmpOp::Ge => matches!(ord(&a, &b), Some(Greater | Equal)),
        CmpOp::In => {
            matches!(&b, Value::List(items) if items.iter().any(|x| eq(&a, x) == Some(true)))
        }
        CmpOp::Contains => match (&a, &b) {
            (Value::Str(x), Value::Str(y)) => x.contains(y.as_str()),
            (Value::List(items), _) => items.iter().any(|x| eq(x, &b) == Some(true)),
            (Value::Map(entries), Value::Str(k)) => entries.iter().any(|(key, _)| key == k),
            _ => false,
        },
    }
}
