//! Eval: the trail behind a decision, for people (`atom query --explain`,
//! failing `atom test` lines). Unlike [`super::decide`] it allocates, and it
//! looks at every grant for the action instead of stopping at the first deny.

use super::facts::{Checked, Facts, ObjectFacts, SubjectFacts};
use super::value::Read;
use super::{applicable, decide_checked, scope_matches, Decision, InvalidRequest, Request};
use crate::kinds::{CmpOp, EntityKind, EntityStatus, Field, ObjectKind, PathRoot, TenantStatus};
use crate::table::format::NONE;
use crate::table::Table;

/// What happened to one grant of the subject for the action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Matched,
    OutsideTenant,
    ScopeMismatch,
    /// The first condition that does not hold, and the values of its sides:
    /// `` `path == path` does not hold: the left side is "b", the right side is "a" ``.
    ConditionFalse(String),
    /// A described subject's kind may not receive this allow: the text of
    /// the guardrail that forbids it (spec section 6.1).
    Forbidden(String),
}

/// One grant considered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Considered {
    pub block: String,
    /// The block's index in the table (the checked model's `BlockId`).
    pub block_index: u32,
    /// The grant path's index in the table (`Table::via`).
    pub via_index: u32,
    pub deny: bool,
    /// `assign ROLE to SUBJECT` or `grant BLOCK to SUBJECT`.
    pub via: String,
    pub outcome: Outcome,
    /// The block's `///` description, if it has one.
    pub doc: Option<String>,
}

/// A decision with the facts and grants behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub decision: Decision,
    /// The facts, one line each: subject, object, tenant, applicability.
    pub facts: Vec<String>,
    pub considered: Vec<Considered>,
    /// The rule that gave the decision, in words.
    pub conclusion: String,
}

/// `assign ROLE to SUBJECT` or `grant BLOCK to SUBJECT`, for a via.
pub fn via_text(t: &Table<'_>, via: u32) -> String {
    let (grant, group, given, subject) = t.via(via);
    let who = if group {
        t.pgroup_name(subject).to_string()
    } else {
        t.object_name(t.entity_object(subject)).to_string()
    };
    format!(
        "{} {} to {who}",
        if grant { "grant" } else { "assign" },
        t.object_name(given)
    )
}

/// A block's name.
pub fn block_name<'a>(t: &Table<'a>, block: u32) -> &'a str {
    t.object_name(t.block_object(block))
}

fn path_text(t: &Table<'_>, p: u32) -> String {
    let (root, field, ks, kl) = t.path(p);
    let mut out = String::from(PathRoot::from_code(root).map_or("?", PathRoot::name));
    if let Some(f) = Field::from_code(field) {
        out.push('.');
        out.push_str(f.name());
    }
    for k in ks..ks.saturating_add(kl) {
        out.push('.');
        out.push_str(t.path_key(k));
    }
    out
}

fn value_text(v: super::value::Val<'_>) -> String {
    use super::value::Val;
    match v {
        Val::Str(s) => format!("{s:?}"),
        Val::Int(i) => i.to_string(),
        Val::Dec(d) => d.to_string(),
        Val::Bool(b) => b.to_string(),
        Val::List(l) => format!(
            "[{}]",
            (0..l.len())
                .filter_map(|i| l.get(i))
                .map(value_text)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Val::Map(m) => format!(
            "{{ {} }}",
            (0..m.len())
                .filter_map(|i| m.entry(i))
                .map(|(k, v)| format!("{k} = {}", value_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The text of a condition: `left op right`.
fn condition_text(facts: &Facts<'_>, c: u32) -> String {
    let t = facts.table;
    let (op, value, left, right) = t.condition(c);
    let right_text = if value {
        value_text(super::value::Val::stored(t, right))
    } else {
        path_text(t, right)
    };
    let side = |p: u32| match facts.read(p) {
        Read::Unresolved => "missing".to_string(),
        Read::None => "none".to_string(),
        Read::Value(v) => value_text(v),
    };
    let sides = if value {
        format!("the left side is {}", side(left))
    } else {
        format!(
            "the left side is {}, the right side is {}",
            side(left),
            side(right)
        )
    };
    format!(
        "`{} {} {right_text}` does not hold: {sides}",
        path_text(t, left),
        CmpOp::from_code(op).map_or("?", CmpOp::name)
    )
}

/// Explains a request's decision; an invalid description is an error, as
/// for [`decide`].
pub fn explain(table: &Table<'_>, request: &Request<'_>) -> Result<Explanation, InvalidRequest> {
    let checked = Checked::new(table, request)?;
    Ok(explain_checked(table, request, &checked))
}

/// Explains a request that names its subject and object (never invalid).
pub fn explain_declared(table: &Table<'_>, request: &Request<'_>) -> Explanation {
    explain_checked(table, request, &Checked::default())
}

fn explain_checked(table: &Table<'_>, request: &Request<'_>, checked: &Checked) -> Explanation {
    let decision = decide_checked(table, request, checked);
    let mut facts_lines = Vec::new();
    let subject = SubjectFacts::resolve(table, request.subject, checked);
    subject_facts(table, subject, &mut facts_lines);
    let object = ObjectFacts::resolve(table, request.object, checked);
    object_facts(table, object.as_ref(), &mut facts_lines);
    let action = table.action_named(request.action);
    if let (Some(a), Some(o)) = (action, &object) {
        facts_lines.push(format!(
            "`{}` {} to this object",
            request.action,
            if applicable(table, a, o) {
                "applies"
            } else {
                "does not apply"
            }
        ));
    } else if action.is_none() {
        facts_lines.push(format!("`{}` is not a declared action", request.action));
    }
    let considered = match (subject, object, action) {
        (Some(subject), Some(object), Some(action)) => {
            let facts = Facts {
                table,
                subject,
                object,
                context: request.context,
            };
            considered_grants(&facts, action)
        }
        _ => Vec::new(),
    };
    let (number, fired) = decision.reason.rule();
    let rule = format!("rule {number} of the decision order ({fired}) decides: ");
    let conclusion = rule
        + &match (decision.block, decision.via, decision.membership) {
            (Some(b), Some(v), _) => format!(
                "{}: block `{}`, from `{}`",
                decision.reason.name(),
                block_name(table, b),
                via_text(table, v)
            ),
            (_, _, Some(t)) => format!(
                "{}: tenant membership (a human `member` of `{}` may `read` it)",
                decision.reason.name(),
                table.tenant_name(t)
            ),
            _ => decision.reason.name().to_string(),
        };
    Explanation {
        decision,
        facts: facts_lines,
        considered,
        conclusion,
    }
}

/// The facts about the subject, one line each.
fn subject_facts(
    table: &Table<'_>,
    subject: Option<SubjectFacts<'_>>,
    facts_lines: &mut Vec<String>,
) {
    match subject {
        None => facts_lines.push(
            "the subject is not declared, or its description names an undeclared tenant"
                .to_string(),
        ),
        Some(SubjectFacts::Declared(e)) => {
            facts_lines.push(format!(
                "subject `{}`: {} {}",
                table.object_name(table.entity_object(e)),
                EntityKind::from_code(table.entity_kind(e)).map_or("?", EntityKind::name),
                EntityStatus::from_code(table.entity_status(e)).map_or("?", EntityStatus::name)
            ));
            if let Some(doc) = table.object_doc(table.entity_object(e)) {
                facts_lines.push(format!("  /// {doc}"));
            }
        }
        Some(SubjectFacts::Described { desc, parts }) => facts_lines.push(format!(
            "subject `{}` (described): {} {}, in groups {}",
            parts.id,
            desc.kind,
            desc.status,
            if parts.groups.is_empty() {
                "none".to_string()
            } else {
                parts
                    .groups
                    .iter()
                    .map(|g| format!("`{}`", table.pgroup_name(*g)))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        )),
    }
}

/// The facts about the object, one line each.
fn object_facts(
    table: &Table<'_>,
    object: Option<&ObjectFacts<'_>>,
    facts_lines: &mut Vec<String>,
) {
    match object {
        None => facts_lines.push(
            "the object is not declared, or its description names an undeclared tenant".to_string(),
        ),
        Some(o) => {
            let name = match (o.declared, o.desc) {
                (Some(id), _) => format!("`{}`", table.object_name(id)),
                (None, Some((_, id))) => format!("`{id}` (described)"),
                _ => "?".to_string(),
            };
            let ty = if o.ty == NONE {
                ObjectKind::from_code(o.kind)
                    .map_or("?", ObjectKind::name)
                    .to_string()
            } else {
                table.type_name(o.ty).to_string()
            };
            facts_lines.push(format!(
                "object {name}: {}",
                crate::kinds::an(&format!("`{ty}`"))
            ));
            if let Some(doc) = o.declared.and_then(|id| table.object_doc(id)) {
                facts_lines.push(format!("  /// {doc}"));
            }
            if o.tenant == NONE {
                facts_lines.push("the object belongs to the platform".to_string());
            } else {
                facts_lines.push(format!(
                    "the object belongs to tenant `{}`, which is {}",
                    table.tenant_name(o.tenant),
                    TenantStatus::from_code(table.tenant_status(o.tenant))
                        .map_or("?", TenantStatus::name)
                ));
            }
        }
    }
}

/// Every grant of the subject for the action, and what became of it.
fn considered_grants(facts: &Facts<'_>, action: u32) -> Vec<Considered> {
    let table = facts.table;
    let (subject, object) = (facts.subject, facts.object);
    let mut considered = Vec::new();
    let (grants, described_kind): (Vec<(u32, u32, u32)>, Option<u8>) = match subject {
        SubjectFacts::Declared(e) => (table.entity_grants(e).collect(), None),
        SubjectFacts::Described { parts, .. } => (
            parts
                .groups
                .iter()
                .flat_map(|g| table.grants_of(table.pgroup_sources(*g)))
                .collect(),
            Some(parts.kind),
        ),
    };
    for (a, block, via) in grants {
        if a != action {
            continue;
        }
        let deny = table.block_deny(block);
        let forbidden = described_kind
            .filter(|_| !deny)
            .and_then(|k| table.forbidden_by(block, action, k));
        let boundary = table.block_tenant(block);
        let outcome = if let Some(rule) = forbidden {
            Outcome::Forbidden(table.guardrail_text(rule).to_string())
        } else if boundary != NONE && boundary != object.tenant {
            Outcome::OutsideTenant
        } else if !scope_matches(table, block, &object) {
            Outcome::ScopeMismatch
        } else {
            let (cs, cl) = table.block_conditions(block);
            match (cs..cs.saturating_add(cl)).find(|c| !facts.conditions_hold_one(*c)) {
                Some(c) => Outcome::ConditionFalse(condition_text(facts, c)),
                None => Outcome::Matched,
            }
        };
        considered.push(Considered {
            block: block_name(table, block).to_string(),
            block_index: block,
            via_index: via,
            deny,
            via: via_text(table, via),
            outcome,
            doc: table
                .object_doc(table.block_object(block))
                .map(str::to_string),
        });
    }
    // In declaration order of the blocks, then of the statements, whatever
    // the order of the subject's sources.
    considered.sort_by_key(|c| (c.block_index, c.via_index));
    considered
}
