//! Request: query plans in JSON (spec section 16); the `/v1/plan` and `atom plan` request decoded into the typed subject, and a plan encoded as its JSON form.

use serde_json::{json, Map, Value as Json};

use super::report::value_json;
use super::{described_subject, Either};
use crate::decision::Invalid;
use crate::eval::plan::{Field, Operand, Plan};
use crate::eval::{DescribedSubject, Subject, Value};

/// A plan request: the subject (named or described), the action and the
/// context.
pub struct PlanRequest {
    pub subject: Either<String, DescribedSubject>,
    pub action: String,
    pub context: Vec<(String, Value)>,
}

impl PlanRequest {
    /// The subject as the planner takes it.
    pub fn subject(&self) -> Subject<'_> {
        match &self.subject {
            Either::Name(n) => Subject::Named(n),
            Either::Described(d) => Subject::Described(d),
        }
    }
}

/// `{"subject", "action", "context"}`: the subject a name or a section 6.1
/// description; unknown keys are refused.
pub fn parse_plan_request(j: &Json) -> Result<PlanRequest, Invalid> {
    let obj = j
        .as_object()
        .ok_or(Invalid::from("a plan request is a JSON object"))?;
    super::known_keys(obj, &["subject", "action", "context"], "")?;
    let subject = subject(obj.get("subject"))?;
    let (action, context) = super::action_and_context(obj)?;
    Ok(PlanRequest {
        subject,
        action,
        context,
    })
}

/// A subject: a qualified name, or a description.
pub fn subject(j: Option<&Json>) -> Result<Either<String, DescribedSubject>, Invalid> {
    match j {
        Some(Json::String(s)) => Ok(Either::Name(s.clone())),
        Some(Json::Object(d)) => Ok(Either::Described(described_subject(d, "subject")?)),
        _ => Err("`subject` must be a name or an object".into()),
    }
}

/// The JSON form of a plan (section 16).
pub fn plan_json(p: &Plan) -> Json {
    match p {
        Plan::Always => json!({ "always": true }),
        Plan::Never => json!({ "never": true }),
        Plan::And(parts) => json!({ "and": parts.iter().map(plan_json).collect::<Vec<_>>() }),
        Plan::Or(parts) => json!({ "or": parts.iter().map(plan_json).collect::<Vec<_>>() }),
        Plan::Not(inner) => json!({ "not": plan_json(inner) }),
        Plan::Compare { field, op, value } => {
            let value = match value {
                Operand::Value(v) => value_json(v),
                Operand::None => Json::Null,
            };
            json!({ "field": field_name(field), "op": op.as_str(), "value": value })
        }
        Plan::Fields { field, op, field2 } => {
            json!({ "field": field_name(field), "op": op.as_str(), "field2": field_name(field2) })
        }
        Plan::Under(g) => json!({ "under": g }),
    }
}

/// A field's name in the JSON form: `id`, `kind`, `type`, `tenant`,
/// `group`, `attributes.K.K`.
pub fn field_name(f: &Field) -> String {
    crate::eval::plan::field_text(f)
}

/// `{"plan": P, "revision": R}`.
pub fn answer_json(p: &Plan, revision: &str) -> Json {
    let mut out = Map::new();
    out.insert("plan".into(), plan_json(p));
    out.insert("revision".into(), json!(revision));
    Json::Object(out)
}
