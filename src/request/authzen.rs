//! Request: the OpenID AuthZEN 1.0 formats (evaluation, evaluations, search), mapped onto atom's requests (spec section 14).
//!
//! - `subject.id` that names a declared entity is that entity (its
//!   `properties` are ignored); `subject.type` constrains the kind only
//!   when it is an entity kind (a declared entity of another kind is
//!   `subject_not_found`). Any other `subject.id` with `properties` is a
//!   described subject (section 6.1 keys; `id` defaults to `subject.id`,
//!   `kind` to an entity-kind `subject.type`); without `properties` it is
//!   unknown.
//! - `resource.id` that names a declared object is that object, if
//!   `resource.type` agrees (a kind, `kind:sub`, or a bare resource
//!   sub-type), else `object_not_found`. Any other resource is described:
//!   type `resource.type` (a bare name that is not a kind means
//!   `resource:NAME`), `properties.tenant` and `properties.group` as the
//!   section 6.1 keys, the other properties as attributes.
//! - `action.name` is the action, `context` the context.
//!
//! As AuthZEN requires, unknown top-level keys are ignored; a description
//! is checked as strictly as section 6.1 says.

use serde_json::{json, Map, Value as Json};

use super::{described_subject, map_entries, string, Either, OwnedRequest};
use crate::eval::{decide, Decision, DescribedObject, Reason, Value};
use crate::kinds::{EntityKind, ObjectKind};
use crate::table::format::NONE;
use crate::table::Table;

/// The most evaluations one `evaluations` request may carry (spec section 14).
pub const MAX_EVALUATIONS: usize = 1000;

/// An AuthZEN request mapped onto atom: a request to decide, or a decision
/// the mapping already gives (a declared name of the wrong type).
pub enum Mapped {
    Request(Box<OwnedRequest>),
    Decided(Decision),
}

impl Mapped {
    /// Decides it; an invalid description is an error message.
    pub fn decide(&self, t: &Table<'_>) -> Result<Decision, String> {
        match self {
            Mapped::Decided(d) => Ok(*d),
            Mapped::Request(r) => r.with(|r| decide(t, r)).map_err(|e| e.message),
        }
    }
}

fn object<'a>(j: Option<&'a Json>, key: &str) -> Result<&'a Map<String, Json>, String> {
    match j {
        Some(Json::Object(m)) => Ok(m),
        Some(_) => Err(format!("`{key}` must be an object")),
        None => Err(format!("the request needs `{key}`")),
    }
}

fn text<'a>(m: &'a Map<String, Json>, key: &str, at: &str) -> Result<&'a str, String> {
    match m.get(key) {
        Some(Json::String(s)) => Ok(s),
        Some(_) => Err(format!("`{at}.{key}` must be a string")),
        None => Err(format!("`{at}` needs `{at}.{key}`")),
    }
}

/// The subject: a declared entity, a description, or unknown.
pub fn subject(
    t: &Table<'_>,
    j: Option<&Json>,
) -> Result<Result<Either<String, crate::eval::DescribedSubject>, Decision>, String> {
    let m = object(j, "subject")?;
    let ty = text(m, "type", "subject")?;
    let id = text(m, "id", "subject")?;
    let kind = EntityKind::from_name(ty);
    if let Some(o) = t.object_named(id).filter(|o| t.object_entity(*o) != NONE) {
        let e = t.object_entity(o);
        if kind.is_some_and(|k| k.code() != t.entity_kind(e)) {
            return Ok(Err(Decision::deny(Reason::SubjectNotFound)));
        }
        return Ok(Ok(Either::Name(id.to_string())));
    }
    let Some(props) = m.get("properties") else {
        return Ok(Ok(Either::Name(id.to_string())));
    };
    let Json::Object(props) = props else {
        return Err("`subject.properties` must be an object".to_string());
    };
    let mut props = props.clone();
    let tenant = string(&props, "tenant", "subject.properties")?;
    if !props.contains_key("id") {
        props.insert("id".to_string(), json!(unqualified(id, tenant.as_deref())));
    }
    match (kind, props.get("kind")) {
        (Some(k), None) => {
            props.insert("kind".to_string(), json!(k.name()));
        }
        (Some(k), Some(given)) if given.as_str() != Some(k.name()) => {
            return Err(format!(
                "`subject.type` is `{k}` but `subject.properties.kind` is {given}"
            ))
        }
        _ => {}
    }
    // An AuthZEN error is a message (spec section 14): the key is in it.
    let described = described_subject(&props, "subject.properties").map_err(|e| e.message)?;
    Ok(Ok(Either::Described(described)))
}

/// `T/name` in tenant `T` is `name`; a description's id is unqualified.
fn unqualified<'a>(id: &'a str, tenant: Option<&str>) -> &'a str {
    tenant
        .and_then(|t| id.strip_prefix(t)?.strip_prefix('/'))
        .unwrap_or(id)
}

/// The type a resource type names: `resource:NAME` for a bare name that
/// is not a kind.
pub fn resource_type(ty: &str) -> String {
    if ty.contains(':') || ObjectKind::from_name(ty).is_some() {
        ty.to_string()
    } else {
        format!("resource:{ty}")
    }
}

/// Whether a declared object's type agrees with `ty`.
pub fn type_agrees(t: &Table<'_>, o: u32, ty: &str) -> bool {
    let kind = ObjectKind::from_code(t.object_kind(o)).map_or("", ObjectKind::name);
    let declared = t.object_type(o);
    ty == kind || (declared != NONE && t.type_name(declared) == resource_type(ty))
}

/// The resource: a declared object, or a description.
pub fn resource(
    t: &Table<'_>,
    j: Option<&Json>,
) -> Result<Result<Either<String, DescribedObject>, Decision>, String> {
    let m = object(j, "resource")?;
    let ty = text(m, "type", "resource")?;
    let id = text(m, "id", "resource")?;
    if let Some(o) = t.object_named(id) {
        if !type_agrees(t, o, ty) {
            return Ok(Err(Decision::deny(Reason::ObjectNotFound)));
        }
        return Ok(Ok(Either::Name(id.to_string())));
    }
    let props = match m.get("properties") {
        None => Map::new(),
        Some(Json::Object(p)) => p.clone(),
        Some(_) => return Err("`resource.properties` must be an object".to_string()),
    };
    let tenant = string(&props, "tenant", "resource.properties")?;
    let group = string(&props, "group", "resource.properties")?;
    let rest: Map<String, Json> = props
        .into_iter()
        .filter(|(k, _)| k != "tenant" && k != "group")
        .collect();
    Ok(Ok(Either::Described(DescribedObject {
        id: unqualified(id, tenant.as_deref()).to_string(),
        ty: super::object_type(&resource_type(ty)).map_err(|e| e.message)?,
        tenant,
        group,
        attributes: map_entries(&rest)?,
    })))
}

/// `action.name`.
pub fn action(j: Option<&Json>) -> Result<String, String> {
    Ok(text(object(j, "action")?, "name", "action")?.to_string())
}

/// The context (absent means empty).
pub fn context(j: Option<&Json>) -> Result<Vec<(String, Value)>, String> {
    match j {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Object(m)) => map_entries(m),
        Some(_) => Err("`context` must be an object".to_string()),
    }
}

/// One evaluation: `subject`, `action`, `resource`, `context`, each taken
/// from `item` or else from `defaults`.
pub fn evaluation(
    t: &Table<'_>,
    item: &Map<String, Json>,
    defaults: &Map<String, Json>,
) -> Result<Mapped, String> {
    let get = |k: &str| item.get(k).or_else(|| defaults.get(k));
    let subject = match subject(t, get("subject"))? {
        Ok(s) => s,
        Err(d) => return Ok(Mapped::Decided(d)),
    };
    let action = action(get("action"))?;
    let object = match resource(t, get("resource"))? {
        Ok(o) => o,
        Err(d) => return Ok(Mapped::Decided(d)),
    };
    let context = context(get("context"))?;
    Ok(Mapped::Request(Box::new(OwnedRequest {
        subject,
        action,
        object,
        context,
        id: None,
    })))
}

/// An evaluation that could not be decided, inside an `evaluations` answer.
pub fn error_entry(message: &str) -> Json {
    json!({ "decision": false, "context": { "error": { "status": 400, "message": message } } })
}

/// How an `evaluations` request stops (AuthZEN `options.evaluations_semantic`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Semantic {
    ExecuteAll,
    DenyOnFirstDeny,
    PermitOnFirstPermit,
}

impl Semantic {
    pub fn of(body: &Map<String, Json>) -> Result<Semantic, String> {
        let value = body
            .get("options")
            .and_then(|o| o.get("evaluations_semantic"));
        match value.map(|v| v.as_str()) {
            None | Some(Some("execute_all")) => Ok(Semantic::ExecuteAll),
            Some(Some("deny_on_first_deny")) => Ok(Semantic::DenyOnFirstDeny),
            Some(Some("permit_on_first_permit")) => Ok(Semantic::PermitOnFirstPermit),
            _ => Err(format!(
                "`options.evaluations_semantic` is {}; it is one of `execute_all`, `deny_on_first_deny`, `permit_on_first_permit`",
                value.map_or(String::new(), Json::to_string)
            )),
        }
    }

    /// Whether the evaluations stop after this one (an error is a deny).
    pub fn stops(self, allowed: bool) -> bool {
        match self {
            Semantic::ExecuteAll => false,
            Semantic::DenyOnFirstDeny => !allowed,
            Semantic::PermitOnFirstPermit => allowed,
        }
    }
}
