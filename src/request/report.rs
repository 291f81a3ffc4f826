//! Request: decisions and explanations as JSON and as text, for every front end that reports them.

use serde_json::{json, Value as Json};

use crate::decision::{encode, Answer};
use crate::eval::explain::{Explanation, Outcome};
use crate::eval::Decision;
use crate::table::Table;

/// A decision as JSON (atom's format), with its explanation when given.
pub fn decision_json(t: &Table<'_>, d: &Decision, explanation: Option<&Explanation>) -> Json {
    let mut out = encode::atom_json(t, &Answer::Decided(*d));
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

/// The answer to one request in the `atom query --requests` format:
/// decoded strictly into a typed request, decided, and encoded (with the
/// explanation when `explain`), or `{"error", "key"}` for a request that
/// is not valid. The caller's `id` is echoed. `atom query --requests` and
/// `POST /v1/decide` both answer with this; the typed answer is for their
/// exit codes, metrics and logs.
pub fn answer(t: &Table<'_>, request: &Json, explain: bool) -> (Json, Answer) {
    let typed = match crate::request::parse_request(request) {
        Ok(r) => r.with(|r| {
            let e = explain
                .then(|| crate::eval::explain::explain(t, r))
                .transpose();
            match (crate::eval::decide(t, r), e) {
                (Ok(d), Ok(e)) => (Answer::Decided(d), e),
                (Err(invalid), _) | (_, Err(invalid)) => (Answer::from(Err(invalid)), None),
            }
        }),
        Err(invalid) => (Answer::Invalid(invalid), None),
    };
    let (answer, explanation) = typed;
    let mut out = match &answer {
        Answer::Decided(d) => decision_json(t, d, explanation.as_ref()),
        invalid => encode::atom_json(t, invalid),
    };
    if let Some(id) = request.get("id").filter(|v| v.is_string() || v.is_number()) {
        out["id"] = id.clone();
    }
    (out, answer)
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
