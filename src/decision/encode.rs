//! Decision: one encoder per format for a typed answer: atom's JSON, AuthZEN, Atom's gRPC reason, human text, and the decision-log record.

use serde_json::{json, Value as Json};

use super::Answer;
use crate::eval::explain::{block_name, via_text};
use crate::eval::{Decision, Reason};
use crate::kinds::TenantStatus;
use crate::table::Table;

/// The grant that decided: a block and the path that gave it, a tenant's
/// membership, or none (for reasons that name no grant).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grant<'t> {
    Block { block: &'t str, via: String },
    Membership { tenant: &'t str },
    None,
}

impl<'t> Grant<'t> {
    /// The grant of a decision.
    pub fn of(t: &Table<'t>, d: &Decision) -> Grant<'t> {
        if let Some(tenant) = d.membership {
            return Grant::Membership {
                tenant: t.tenant_name(tenant),
            };
        }
        match (d.block, d.via) {
            (Some(b), Some(v)) => Grant::Block {
                block: block_name(t, b),
                via: via_text(t, v),
            },
            _ => Grant::None,
        }
    }

    /// The JSON fields `block` and `via` (a membership is a `via` alone:
    /// `tenant membership of T`).
    pub fn fields(&self) -> (Option<String>, Option<String>) {
        match self {
            Grant::Block { block, via } => (Some(block.to_string()), Some(via.clone())),
            Grant::Membership { tenant } => (None, Some(format!("tenant membership of {tenant}"))),
            Grant::None => (None, None),
        }
    }

    /// The grant in a sentence: ``block `b`, from `path` `` or
    /// ``tenant membership of `T` ``.
    pub fn words(&self) -> Option<String> {
        match self {
            Grant::Block { block, via } => Some(format!("block `{block}`, from `{via}`")),
            Grant::Membership { tenant } => Some(format!("tenant membership of `{tenant}`")),
            Grant::None => None,
        }
    }
}

fn grant(t: &Table<'_>, d: &Decision) -> (Option<String>, Option<String>) {
    Grant::of(t, d).fields()
}

/// Human text, one line: ``allow: allowed_by block `b`, from `path` ``,
/// `deny: no_matching_allow`, or `error: MESSAGE`.
pub fn human(t: &Table<'_>, answer: &Answer) -> String {
    match answer {
        Answer::Decided(d) => {
            let effect = if d.allow { "allow" } else { "deny" };
            match Grant::of(t, d).words() {
                Some(words) => format!("{effect}: {} {words}", d.reason.name()),
                None => format!("{effect}: {}", d.reason.name()),
            }
        }
        Answer::Invalid(i) => format!("error: {i}"),
    }
}

/// Atom's JSON (`atom query`, `/v1/decide`): `{"decision": "allow"|"deny",
/// "allow", "reason", "block", "via"}`, or `{"error", "key"}` (`key` when
/// one is at fault).
pub fn atom_json(t: &Table<'_>, answer: &Answer) -> Json {
    match answer {
        Answer::Decided(d) => {
            let mut out = json!({
                "decision": if d.allow { "allow" } else { "deny" },
                "allow": d.allow,
                "reason": d.reason.name(),
            });
            let (block, via) = grant(t, d);
            if let Some(b) = block {
                out["block"] = json!(b);
            }
            if let Some(v) = via {
                out["via"] = json!(v);
            }
            out
        }
        Answer::Invalid(i) => match &i.key {
            Some(key) => json!({ "error": i.message, "key": key }),
            None => json!({ "error": i.message }),
        },
    }
}

/// AuthZEN 1.0: `{"decision": bool, "context": {"reason", "block", "via"}}`
/// (block and via for `allowed_by` and `denied_by`).
pub fn authzen(t: &Table<'_>, d: &Decision) -> Json {
    let mut context = json!({ "reason": d.reason.name() });
    let (block, via) = grant(t, d);
    if let (Some(b), Some(v)) = (block, via) {
        context["block"] = json!(b);
        context["via"] = json!(v);
    }
    json!({ "decision": d.allow, "context": context })
}

/// Atom's gRPC reason string for a decision (spec section 14); `kind` is
/// the object kind asked for (`resource` for `resource_id`).
pub fn atom_reason(t: &Table<'_>, d: &Decision, kind: &str, action: &str, object: &str) -> String {
    match d.reason {
        Reason::SubjectNotFound => "subject not found".to_string(),
        Reason::SubjectInactive => "subject is not active".to_string(),
        Reason::ObjectNotFound => format!("{kind} not found"),
        Reason::TenantInactive => {
            let status = t
                .object_named(object)
                .map(|o| t.tenant_status(t.object_tenant(o)))
                .and_then(TenantStatus::from_code)
                .map_or("inactive", TenantStatus::name);
            format!("tenant is {status}")
        }
        Reason::NotApplicable => format!("unknown action '{action}'"),
        Reason::DeniedBy => match d.via.map(|v| t.via(v)) {
            Some((false, _, role, _)) => {
                format!("explicitly denied by role '{}' block", t.object_name(role))
            }
            _ => "explicitly denied by direct policy".to_string(),
        },
        Reason::AllowedBy => "allowed".to_string(),
        Reason::NoMatchingAllow => "no matching allow policy".to_string(),
    }
}

/// One decision-log record: when, which request id, which revision, the
/// request as received, and the answer as atom's JSON gives it (the
/// decision as `"allow"`/`"deny"`, `allow`, the reason, and the deciding
/// block with its grant path; or the error).
pub fn log_record(
    t: &Table<'_>,
    time: &str,
    id: &str,
    revision: &str,
    request: Json,
    answer: &Answer,
) -> Json {
    let mut record = json!({ "time": time, "id": id, "revision": revision, "request": request });
    if let (Json::Object(out), Json::Object(a)) = (&mut record, atom_json(t, answer)) {
        out.extend(a);
    }
    if let Answer::Invalid(_) = answer {
        record["decision"] = json!("error");
        record["allow"] = json!(false);
        record["reason"] = json!(answer.reason());
    }
    record
}
