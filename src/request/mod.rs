//! Request: the JSON request format (`atom query --requests`, `POST /v1/decide`), parsed strictly.
//!
//! A request is `{"subject": S, "action": "read", "object": O, "context": {...}}`
//! where S is a qualified name or `{"id", "kind", "tenant", "status",
//! "groups", "attributes"}`, and O a qualified name or `{"id", "type",
//! "tenant", "group", "attributes"}` (`type` is `resource:channel`, or a
//! kind without types such as `credential`).

use serde_json::{Map, Value as Json};

pub mod authzen;
pub mod diff;
pub mod hint;
pub mod plan;
pub mod report;
pub mod search;
pub mod strict;

use crate::decision::Invalid;
use crate::eval::describe::MAX_GROUPS;
use crate::eval::request::ObjectType;
use crate::eval::{Decimal, DescribedObject, DescribedSubject, Object, Request, Subject, Value};
use crate::kinds::{EntityKind, EntityStatus};

/// A request as parsed from JSON (owned; borrowed into an `eval::Request`).
pub struct OwnedRequest {
    pub subject: Either<String, DescribedSubject>,
    pub action: String,
    pub object: Either<String, DescribedObject>,
    pub context: Vec<(String, Value)>,
    /// The caller's id for the request (a string or a number), echoed in
    /// its answer so that answers can be matched to requests.
    pub id: Option<Json>,
}

/// A subject or object: by name, or described (spec section 6.1).
pub enum Either<A, B> {
    Name(A),
    Described(B),
}

impl OwnedRequest {
    /// The decision when both parties are named (such a request is never
    /// invalid, and is decided without allocating); `None` when one is
    /// described.
    pub fn decide_named(&self, t: &crate::table::Table<'_>) -> Option<crate::eval::Decision> {
        match (&self.subject, &self.object) {
            (Either::Name(s), Either::Name(o)) => Some(crate::eval::decide_declared(
                t,
                s,
                &self.action,
                o,
                &self.context,
            )),
            _ => None,
        }
    }

    /// `subject action object` (a described party by its id).
    pub fn words(&self) -> String {
        let subject = match &self.subject {
            Either::Name(n) => n,
            Either::Described(d) => &d.id,
        };
        let object = match &self.object {
            Either::Name(n) => n,
            Either::Described(d) => &d.id,
        };
        format!("{subject} {} {object}", self.action)
    }

    /// Calls `f` with the request borrowed as the evaluator takes it.
    pub fn with<T>(&self, f: impl FnOnce(&Request<'_>) -> T) -> T {
        let subject = match &self.subject {
            Either::Name(n) => Subject::Named(n),
            Either::Described(d) => Subject::Described(d),
        };
        let object = match &self.object {
            Either::Name(n) => Object::Named(n),
            Either::Described(d) => Object::Described(d),
        };
        f(&Request {
            subject,
            action: &self.action,
            object,
            context: &self.context,
        })
    }
}

pub(crate) fn value(j: &Json) -> Result<Value, String> {
    Ok(match j {
        Json::String(s) => Value::Str(s.clone()),
        Json::Bool(b) => Value::Bool(*b),
        // Exact: `arbitrary_precision` keeps the number's text, so a
        // fraction is never rounded through a binary float.
        Json::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Dec(Decimal::parse(&n.to_string()).map_err(|e| format!("{e}: {n}"))?),
        },
        Json::Array(items) => Value::List(items.iter().map(value).collect::<Result<_, _>>()?),
        Json::Object(map) => Value::Map(map_entries(map)?),
        Json::Null => return Err("`null` is not a value".to_string()),
    })
}

pub(crate) fn map_entries(map: &Map<String, Json>) -> Result<Vec<(String, Value)>, String> {
    map.iter()
        .map(|(k, v)| Ok((k.clone(), value(v)?)))
        .collect()
}

pub(crate) fn string(
    obj: &Map<String, Json>,
    key: &str,
    at: &str,
) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{at}.{key}` must be a string")),
    }
}

fn required(obj: &Map<String, Json>, key: &str, at: &str) -> Result<String, String> {
    string(obj, key, at)?.ok_or_else(|| format!("a described {at} needs `{at}.{key}`"))
}

fn attributes(obj: &Map<String, Json>, at: &str) -> Result<Vec<(String, Value)>, String> {
    match obj.get("attributes") {
        None => Ok(Vec::new()),
        Some(Json::Object(m)) => map_entries(m),
        Some(_) => Err(format!("`{at}.attributes` must be an object")),
    }
}

/// Every key of an object must be one of `valid`: an unknown or misspelled
/// key is an error that names it and the nearest valid key (spec section 6.1).
pub(crate) fn known_keys(obj: &Map<String, Json>, valid: &[&str], at: &str) -> Result<(), String> {
    for key in obj.keys() {
        if !valid.contains(&key.as_str()) {
            let place = if at.is_empty() {
                String::new()
            } else {
                format!("{at}.")
            };
            return Err(
                match crate::check::suggest::closest(key, valid.iter().copied()) {
                    Some(near) => {
                        format!("unknown key `{place}{key}`; did you mean `{place}{near}`?")
                    }
                    None => format!(
                        "unknown key `{place}{key}`; the keys are {}",
                        crate::check::suggest::list(valid)
                    ),
                },
            );
        }
    }
    Ok(())
}

const SUBJECT_KEYS: [&str; 6] = ["id", "kind", "status", "tenant", "groups", "attributes"];
const OBJECT_KEYS: [&str; 5] = ["id", "type", "tenant", "group", "attributes"];

/// A described subject (spec section 6.1); `at` is where it sits in the
/// request (`subject`, or `subject.properties` in AuthZEN), for messages.
pub(crate) fn described_subject(
    d: &Map<String, Json>,
    at: &str,
) -> Result<DescribedSubject, Invalid> {
    known_keys(d, &SUBJECT_KEYS, at)?;
    let groups = match d.get("groups") {
        None => Vec::new(),
        Some(Json::Array(items)) if items.len() > MAX_GROUPS => {
            return Err(format!(
                "`{at}.groups` names {} groups; a description names at most {MAX_GROUPS}",
                items.len()
            )
            .into())
        }
        Some(Json::Array(items)) => items
            .iter()
            .map(|g| g.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| format!("`{at}.groups` holds group names (strings)"))?,
        Some(_) => return Err(format!("`{at}.groups` must be a list of names").into()),
    };
    let kind = required(d, "kind", at)?;
    let status = required(d, "status", at)?;
    Ok(DescribedSubject {
        id: required(d, "id", at)?,
        kind: EntityKind::from_name(&kind).ok_or_else(|| {
            let kinds = EntityKind::NAMES.join(", ");
            Invalid::at(
                "subject.kind",
                format!("`{kind}` is not an entity kind ({kinds})"),
            )
        })?,
        tenant: string(d, "tenant", at)?,
        status: EntityStatus::from_name(&status).ok_or_else(|| {
            let statuses = EntityStatus::NAMES.join(", ");
            Invalid::at(
                "subject.status",
                format!("`{status}` is not a status ({statuses})"),
            )
        })?,
        groups,
        attributes: attributes(d, at)?,
    })
}

/// An object's type (`resource:channel`, `credential`): its kind must be
/// one of the vocabulary's.
pub(crate) fn object_type(text: &str) -> Result<ObjectType, Invalid> {
    text.parse().map_err(|e| Invalid::at("object.type", e))
}

fn described_object(d: &Map<String, Json>) -> Result<DescribedObject, Invalid> {
    known_keys(d, &OBJECT_KEYS, "object")?;
    Ok(DescribedObject {
        id: required(d, "id", "object")?,
        ty: object_type(&required(d, "type", "object")?)?,
        tenant: string(d, "tenant", "object")?,
        group: string(d, "group", "object")?,
        attributes: attributes(d, "object")?,
    })
}

/// Parses one request; the error names the key at fault where the
/// vocabulary refused a word (`subject.kind`, `subject.status`,
/// `object.type`).
pub fn parse_request(j: &Json) -> Result<OwnedRequest, Invalid> {
    let obj = j
        .as_object()
        .ok_or(Invalid::from("a request is a JSON object"))?;
    known_keys(obj, &["subject", "action", "object", "context", "id"], "")?;
    let id = match obj.get("id") {
        None => None,
        Some(id @ (Json::String(_) | Json::Number(_))) => Some(id.clone()),
        Some(_) => return Err("`id` must be a string or a number".into()),
    };
    let subject = plan::subject(obj.get("subject"))?;
    let object = match obj.get("object") {
        Some(Json::String(s)) => Either::Name(s.clone()),
        Some(Json::Object(d)) => Either::Described(described_object(d)?),
        _ => return Err("`object` must be a name or an object".into()),
    };
    let (action, context) = action_and_context(obj)?;
    Ok(OwnedRequest {
        subject,
        action,
        object,
        context,
        id,
    })
}

/// A request's `action` (required, a string) and `context` (an object;
/// absent or null is empty).
pub(crate) fn action_and_context(
    obj: &Map<String, Json>,
) -> Result<(String, Vec<(String, Value)>), Invalid> {
    let action = match obj.get("action") {
        Some(Json::String(s)) => s.clone(),
        Some(_) => return Err("`action` must be a string".into()),
        None => return Err("a request needs `action`".into()),
    };
    let context = match obj.get("context") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Object(m)) => map_entries(m)?,
        Some(_) => return Err("`context` must be an object".into()),
    };
    Ok((action, context))
}

/// Parses a context given on the command line.
pub fn parse_context(text: &str) -> Result<Vec<(String, Value)>, String> {
    let j: Json =
        strict::parse(text.as_bytes()).map_err(|e| format!("--context is not JSON: {e}"))?;
    match &j {
        Json::Object(m) => map_entries(m),
        _ => Err("--context must be a JSON object".to_string()),
    }
}

/// The longest request line `--requests` reads (1 MiB); a longer one is
/// answered with an error and skipped, never read whole.
pub const MAX_REQUEST_LINE: usize = 1 << 20;

/// One line of input.
pub enum Line {
    Text(String),
    /// Longer than the limit: its bytes were skipped.
    TooLong,
    /// Not UTF-8: answered with an error, and the next lines are read.
    NotUtf8,
}

/// Reads one `\n`-terminated line of at most `max` bytes; `None` at the end
/// of input. A longer line is consumed without being kept.
pub fn read_line(input: &mut dyn std::io::BufRead, max: usize) -> std::io::Result<Option<Line>> {
    let mut kept: Vec<u8> = Vec::new();
    let (mut any, mut too_long) = (false, false);
    loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        any = true;
        let (chunk, done) = match buf.iter().position(|b| *b == b'\n') {
            Some(i) => (&buf[..i], Some(i + 1)),
            None => (buf, None),
        };
        if !too_long && kept.len() + chunk.len() <= max {
            kept.extend_from_slice(chunk);
        } else {
            too_long = true;
            kept = Vec::new();
        }
        let used = done.unwrap_or(buf.len());
        input.consume(used);
        if done.is_some() {
            break;
        }
    }
    if !any {
        return Ok(None);
    }
    if too_long {
        return Ok(Some(Line::TooLong));
    }
    Ok(Some(match String::from_utf8(kept) {
        Ok(text) => Line::Text(text.trim_end_matches('\r').to_string()),
        Err(_) => Line::NotUtf8,
    }))
}
