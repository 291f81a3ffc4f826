//! CLI: requests and decisions as JSON, for `atom query --requests` and `--format json`.
//!
//! A request is `{"subject": S, "action": "read", "object": O, "context": {...}}`
//! where S is a qualified name or `{"id", "kind", "tenant", "status",
//! "groups", "attributes"}`, and O a qualified name or `{"id", "type",
//! "tenant", "group", "attributes"}` (`type` is `resource:channel`, or a
//! kind without types such as `credential`).

use serde_json::{json, Map, Value as Json};

use crate::eval::explain::{block_name, via_text, Explanation, Outcome};
use crate::eval::{Decimal, Decision, DescribedObject, DescribedSubject, Value};
use crate::table::Table;

/// A request as parsed from JSON (owned; borrowed into an `eval::Request`).
pub struct OwnedRequest {
    pub subject: Either<String, DescribedSubject>,
    pub action: String,
    pub object: Either<String, DescribedObject>,
    pub context: Vec<(String, Value)>,
}

pub enum Either<A, B> {
    Name(A),
    Described(B),
}

fn value(j: &Json) -> Result<Value, String> {
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

fn map_entries(map: &Map<String, Json>) -> Result<Vec<(String, Value)>, String> {
    map.iter()
        .map(|(k, v)| Ok((k.clone(), value(v)?)))
        .collect()
}

fn string(obj: &Map<String, Json>, key: &str) -> Result<Option<String>, String> {
    match obj.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(format!("`{key}` must be a string")),
    }
}

fn required(obj: &Map<String, Json>, key: &str, what: &str) -> Result<String, String> {
    string(obj, key)?.ok_or_else(|| format!("a described {what} needs `{key}`"))
}

fn attributes(obj: &Map<String, Json>) -> Result<Vec<(String, Value)>, String> {
    match obj.get("attributes") {
        None | Some(Json::Null) => Ok(Vec::new()),
        Some(Json::Object(m)) => map_entries(m),
        Some(_) => Err("`attributes` must be an object".to_string()),
    }
}

/// Parses one request.
pub fn parse_request(j: &Json) -> Result<OwnedRequest, String> {
    let obj = j.as_object().ok_or("a request is a JSON object")?;
    for key in obj.keys() {
        if !["subject", "action", "object", "context"].contains(&key.as_str()) {
            return Err(format!("unknown request field `{key}`"));
        }
    }
    let subject = match obj.get("subject") {
        Some(Json::String(s)) => Either::Name(s.clone()),
        Some(Json::Object(d)) => Either::Described(DescribedSubject {
            id: required(d, "id", "subject")?,
            kind: required(d, "kind", "subject")?,
            tenant: string(d, "tenant")?,
            status: string(d, "status")?.unwrap_or_else(|| "active".to_string()),
            groups: match d.get("groups") {
                None | Some(Json::Null) => Vec::new(),
                Some(Json::Array(items)) => items
                    .iter()
                    .map(|g| {
                        g.as_str()
                            .map(str::to_string)
                            .ok_or("`groups` holds group names")
                    })
                    .collect::<Result<_, _>>()?,
                Some(_) => return Err("`groups` must be a list of names".to_string()),
            },
            attributes: attributes(d)?,
        }),
        _ => return Err("`subject` must be a name or an object".to_string()),
    };
    let object = match obj.get("object") {
        Some(Json::String(s)) => Either::Name(s.clone()),
        Some(Json::Object(d)) => Either::Described(DescribedObject {
            id: required(d, "id", "object")?,
            kind: required(d, "type", "object")?,
            tenant: string(d, "tenant")?,
            group: string(d, "group")?,
            attributes: attributes(d)?,
        }),
        _ => return Err("`object` must be a name or an object".to_string()),
    };
    let action = string(obj, "action")?.ok_or("a request needs `action`")?;
    let context = match obj.get("context") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Object(m)) => map_entries(m)?,
        Some(_) => return Err("`context` must be an object".to_string()),
    };
    Ok(OwnedRequest {
        subject,
        action,
        object,
        context,
    })
}

/// Parses a context given on the command line.
pub fn parse_context(text: &str) -> Result<Vec<(String, Value)>, String> {
    let j: Json = serde_json::from_str(text).map_err(|e| format!("--context is not JSON: {e}"))?;
    match &j {
        Json::Object(m) => map_entries(m),
        _ => Err("--context must be a JSON object".to_string()),
    }
}

/// A decision as JSON.
pub fn decision_json(t: &Table<'_>, d: &Decision, explanation: Option<&Explanation>) -> Json {
    let mut out = json!({
        "decision": if d.allow { "allow" } else { "deny" },
        "allow": d.allow,
        "reason": d.reason.name(),
    });
    if let (Some(b), Some(v)) = (d.block, d.via) {
        out["block"] = json!(block_name(t, b));
        out["via"] = json!(via_text(t, v));
    }
    if let Some(e) = explanation {
        out["explanation"] = json!({
            "facts": e.facts,
            "grants": e.considered.iter().map(|c| json!({
                "block": c.block,
                "effect": if c.deny { "deny" } else { "allow" },
                "via": c.via,
                "outcome": outcome_text(&c.outcome),
            })).collect::<Vec<_>>(),
            "conclusion": e.conclusion,
        });
    }
    out
}

/// An outcome in words.
pub fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Matched => "matched".to_string(),
        Outcome::OutsideTenant => "skipped: the object is outside the block's tenant".to_string(),
        Outcome::ScopeMismatch => {
            "skipped: the block's scope does not contain the object".to_string()
        }
        Outcome::ConditionFalse(c) => format!("skipped: the condition `{c}` does not hold"),
    }
}

/// An explanation as indented lines of text.
pub fn explanation_lines(e: &Explanation, action: &str) -> Vec<String> {
    let mut out: Vec<String> = e.facts.iter().map(|f| format!("  {f}")).collect();
    if e.considered.is_empty() {
        out.push(format!("  no grant of the subject gives `{action}`"));
    } else {
        out.push(format!("  grants of the subject that give `{action}`:"));
        for c in &e.considered {
            out.push(format!(
                "    {} block `{}` from `{}`: {}",
                if c.deny { "deny " } else { "allow" },
                c.block,
                c.via,
                outcome_text(&c.outcome)
            ));
        }
    }
    out.push(format!("  so: {}", e.conclusion));
    out
}
