//! Request: AuthZEN 1.0 search (subjects, resources, actions), complete and paginated (spec section 14).
//!
//! A search decides every candidate with the request's other parts and
//! context, and lists those allowed, in table order: entities (filtered
//! by kind when `subject.type` is an entity kind), objects whose type
//! agrees with `resource.type`, or actions. Pages hold `page.limit`
//! results (default and most [`MAX_PAGE`]); `page.next_token` is opaque:
//! where the next page starts, bound to the request and the table's
//! SHA-256, so a token used with another request or after a reload is
//! refused rather than answered wrongly.

use serde_json::{json, Map, Value as Json};
use sha2::{Digest, Sha256};

use super::authzen::{action, context, resource, subject, type_agrees};
use super::{Either, OwnedRequest};
use crate::eval::decide;
use crate::kinds::EntityKind;
use crate::table::Table;

/// The most results a page holds (and the default page size).
pub const MAX_PAGE: usize = 1000;

/// What a search looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Subject,
    Resource,
    Action,
}

/// A search that cannot be answered: its message (an HTTP 400).
pub type SearchError = String;

/// Answers a search request for a table whose SHA-256 is `table_sha`.
pub fn search(
    t: &Table<'_>,
    table_sha: &str,
    body: &Map<String, Json>,
    target: Target,
) -> Result<Json, SearchError> {
    let (limit, token) = page(body)?;
    let binding = binding(body, limit, table_sha);
    let start = match token {
        None => 0,
        Some(token) => resume(token, &binding)?,
    };
    let probe = Probe::new(t, body, target)?;
    let total = probe.candidates(t);
    let mut results = Vec::new();
    let mut at = start;
    while at < total && results.len() < limit {
        if let Some(found) = probe.try_one(t, at)? {
            results.push(found);
        }
        at += 1;
    }
    let next = if at < total {
        format!("{at}.{binding}")
    } else {
        String::new()
    };
    Ok(json!({
        "page": { "next_token": next, "count": results.len() },
        "results": results,
    }))
}

fn page(body: &Map<String, Json>) -> Result<(usize, Option<&str>), SearchError> {
    let Some(page) = body.get("page") else {
        return Ok((MAX_PAGE, None));
    };
    let Json::Object(page) = page else {
        return Err("`page` must be an object".to_string());
    };
    let limit = match page.get("limit") {
        None => MAX_PAGE,
        Some(l) => match l.as_u64() {
            Some(0) | None => return Err("`page.limit` must be a whole number from 1".to_string()),
            Some(n) => usize::try_from(n).unwrap_or(MAX_PAGE).min(MAX_PAGE),
        },
    };
    let token = match page.get("token") {
        None => None,
        Some(Json::String(t)) if t.is_empty() => None,
        Some(Json::String(t)) => Some(t.as_str()),
        Some(_) => return Err("`page.token` must be a string".to_string()),
    };
    Ok((limit, token))
}

/// What a token is bound to: the request's parts, the page size and the
/// table (16 hex digits of a SHA-256).
fn binding(body: &Map<String, Json>, limit: usize, table_sha: &str) -> String {
    let mut h = Sha256::new();
    for key in ["subject", "action", "resource", "context"] {
        h.update(body.get(key).map_or(String::new(), Json::to_string));
        h.update([0]);
    }
    h.update(limit.to_le_bytes());
    h.update(table_sha);
    h.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn resume(token: &str, binding: &str) -> Result<usize, SearchError> {
    let (at, bound) = token
        .split_once('.')
        .ok_or("`page.token` is not a token this server gave")?;
    if bound != binding {
        return Err("`page.token` belongs to another search, or the policy table changed since the first page: start the search again without a token".to_string());
    }
    at.parse()
        .map_err(|_| "`page.token` is not a token this server gave".to_string())
}

/// The fixed parts of a search, and how to try one candidate.
struct Probe {
    target: Target,
    request: Option<OwnedRequest>,
    /// A subject search's kind filter.
    kind: Option<u8>,
    /// A resource search's type.
    resource_type: String,
}

impl Probe {
    fn new(t: &Table<'_>, body: &Map<String, Json>, target: Target) -> Result<Probe, SearchError> {
        let ctx = context(body.get("context"))?;
        let mut probe = Probe {
            target,
            request: None,
            kind: None,
            resource_type: String::new(),
        };
        let subject_part = |body: &Map<String, Json>| subject(t, body.get("subject"));
        let resource_part = |body: &Map<String, Json>| resource(t, body.get("resource"));
        // A part the mapping already decides (a declared name of another
        // type) leaves nothing to find.
        let (subject, action, object) = match target {
            Target::Subject => {
                let ty = type_of(body, "subject")?;
                probe.kind = EntityKind::from_name(ty).map(EntityKind::code);
                (
                    Either::Name(String::new()),
                    action(body.get("action"))?,
                    resource_part(body)?,
                )
            }
            Target::Resource => {
                probe.resource_type = type_of(body, "resource")?.to_string();
                match subject_part(body)? {
                    Ok(s) => (
                        s,
                        action(body.get("action"))?,
                        Ok(Either::Name(String::new())),
                    ),
                    Err(_) => return Ok(probe),
                }
            }
            Target::Action => match subject_part(body)? {
                Ok(s) => (s, String::new(), resource_part(body)?),
                Err(_) => return Ok(probe),
            },
        };
        let Ok(object) = object else { return Ok(probe) };
        probe.request = Some(OwnedRequest {
            subject,
            action,
            object,
            context: ctx,
            id: None,
        });
        Ok(probe)
    }

    fn candidates(&self, t: &Table<'_>) -> usize {
        if self.request.is_none() {
            return 0;
        }
        match self.target {
            Target::Subject => t.entity_count(),
            Target::Resource => t.object_count(),
            Target::Action => t.action_count(),
        }
    }

    /// The candidate at `i`, as a result, if it is allowed.
    fn try_one(&self, t: &Table<'_>, i: usize) -> Result<Option<Json>, SearchError> {
        let Some(base) = &self.request else {
            return Ok(None);
        };
        let i = u32::try_from(i).map_err(|_| "too many candidates".to_string())?;
        let (name, result) = match self.target {
            Target::Subject => {
                if self.kind.is_some_and(|k| k != t.entity_kind(i)) {
                    return Ok(None);
                }
                let name = t.object_name(t.entity_object(i));
                let kind = EntityKind::from_code(t.entity_kind(i)).map_or("", EntityKind::name);
                (name, json!({ "type": kind, "id": name }))
            }
            Target::Resource => {
                if !type_agrees(t, i, &self.resource_type) {
                    return Ok(None);
                }
                let name = t.object_name(i);
                (name, json!({ "type": self.resource_type, "id": name }))
            }
            Target::Action => {
                let name = t.action_name(i);
                (name, json!({ "name": name }))
            }
        };
        let allowed = with_candidate(base, self.target, name, |r| decide(t, r))
            .map_err(|e| e.message)?
            .allow;
        Ok(allowed.then_some(result))
    }
}

fn type_of<'a>(body: &'a Map<String, Json>, key: &str) -> Result<&'a str, SearchError> {
    body.get(key)
        .and_then(|p| p.get("type"))
        .and_then(Json::as_str)
        .ok_or_else(|| format!("a {key} search needs `{key}.type`"))
}

/// Runs `f` on the base request with the candidate in the searched place.
fn with_candidate<T>(
    base: &OwnedRequest,
    target: Target,
    name: &str,
    f: impl FnOnce(&crate::eval::Request<'_>) -> T,
) -> T {
    base.with(|r| {
        let mut r = *r;
        match target {
            Target::Subject => r.subject = crate::eval::Subject::Named(name),
            Target::Resource => r.object = crate::eval::Object::Named(name),
            Target::Action => r.action = name,
        }
        f(&r)
    })
}
