//! Request: decisions and explanations as JSON and as text, for every front end that reports them.

use serde_json::{json, Value as Json};

use crate::eval::explain::{block_name, via_text, Explanation, Outcome};
use crate::eval::Decision;
use crate::table::Table;

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
    if let Some(tenant) = d.membership {
        out["via"] = json!(format!("tenant membership of {}", t.tenant_name(tenant)));
    }
    if let Some(e) = explanation {
        out["explanation"] = json!({
            "facts": e.facts,
            "grants": e.considered.iter().map(|c| json!({
                "block": c.block,
                "effect": if c.deny { "deny" } else { "allow" },
                "via": c.via,
                "outcome": outcome_text(&c.outcome),
                "doc": c.doc,
            })).collect::<Vec<_>>(),
            "conclusion": e.conclusion,
        });
    }
    out
}

/// The answer to one request in the `atom query --requests` format: the
/// decision (with its explanation when `explain`), or `{"error", "key"}`
/// for a request that is not valid; `false` with the latter. The
/// caller's `id` is echoed. `atom query --requests` and `POST /v1/decide`
/// both answer with this.
pub fn answer(t: &Table<'_>, request: &Json, explain: bool) -> (Json, bool) {
    let (mut answer, valid) = match crate::request::parse_request(request) {
        Ok(r) => r.with(|r| {
            let e = explain
                .then(|| crate::eval::explain::explain(t, r))
                .transpose();
            match (crate::eval::decide(t, r), e) {
                (Ok(d), Ok(e)) => (decision_json(t, &d, e.as_ref()), true),
                (Err(invalid), _) | (_, Err(invalid)) => (
                    json!({ "error": invalid.message, "key": invalid.key }),
                    false,
                ),
            }
        }),
        Err(message) => (json!({ "error": message }), false),
    };
    if let Some(id) = request.get("id").filter(|v| v.is_string() || v.is_number()) {
        answer["id"] = id.clone();
    }
    (answer, valid)
}

/// A request value as JSON (decimals keep their exact text).
pub fn value_json(v: &crate::eval::Value) -> Json {
    use crate::eval::Value;
    match v {
        Value::Str(s) => json!(s),
        Value::Int(i) => json!(i),
        // `arbitrary_precision` keeps the digits as written.
        Value::Dec(d) => {
            serde_json::from_str(&d.to_string()).unwrap_or_else(|_| json!(d.to_string()))
        }
        Value::Bool(b) => json!(b),
        Value::List(items) => Json::Array(items.iter().map(value_json).collect()),
        Value::Map(entries) => map_json(entries),
    }
}

/// Map entries (a context, attributes) as a JSON object.
pub fn map_json(entries: &[(String, crate::eval::Value)]) -> Json {
    Json::Object(
        entries
            .iter()
            .map(|(k, v)| (k.clone(), value_json(v)))
            .collect(),
    )
}

/// An outcome in words.
pub fn outcome_text(o: &Outcome) -> String {
    match o {
        Outcome::Matched => "matched".to_string(),
        Outcome::OutsideTenant => "skipped: the object is outside the block's tenant".to_string(),
        Outcome::ScopeMismatch => {
            "skipped: the block's scope does not contain the object".to_string()
        }
        Outcome::ConditionFalse(c) => format!("skipped: {c}"),
        Outcome::Forbidden(rule) => {
            format!("skipped: `{rule}` forbids it to a subject of this kind")
        }
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
            let decides =
                e.decision.block == Some(c.block_index) && e.decision.via == Some(c.via_index);
            out.push(format!(
                "    {} block `{}` from `{}`: {}{}",
                if c.deny { "deny " } else { "allow" },
                c.block,
                c.via,
                outcome_text(&c.outcome),
                if decides { " (this decides)" } else { "" }
            ));
            if let Some(doc) = &c.doc {
                out.push(format!("      /// {doc}"));
            }
        }
    }
    out.push(format!("  so: {}", e.conclusion));
    out
}
