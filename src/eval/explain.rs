//! Eval: the trail behind a decision, for people (`atom query --explain`,
//! failing `atom test` lines). Unlike [`super::decide`] it allocates, and it
//! looks at every grant for the action instead of stopping at the first deny.

use super::facts::{Facts, ObjectFacts, SubjectFacts};
use super::{applicable, decide, scope_matches, Decision, Request};
use crate::table::format::{
    path, ENTITY_KIND_NAMES, ENTITY_STATUS_NAMES, KIND_NAMES, NONE, TENANT_STATUS_NAMES,
};
use crate::table::Table;

/// What happened to one grant of the subject for the action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Matched,
    OutsideTenant,
    ScopeMismatch,
    /// The text of the first condition that does not hold.
    ConditionFalse(String),
}

/// One grant considered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Considered {
    pub block: String,
    pub deny: bool,
    /// `assign ROLE to SUBJECT` or `grant BLOCK to SUBJECT`.
    pub via: String,
    pub outcome: Outcome,
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
    let mut out = String::from(
        ["entity", "object", "tenant", "context"]
            .get(usize::from(root))
            .copied()
            .unwrap_or("?"),
    );
    if field != path::NO_FIELD {
        out.push('.');
        out.push_str(
            [
                "id",
                "kind",
                "type",
                "tenant",
                "status",
                "group",
                "attributes",
            ]
            .get(usize::from(field))
            .copied()
            .unwrap_or("?"),
        );
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
    let ops = ["==", "!=", "<", "<=", ">", ">=", "in", "contains"];
    let right_text = if value {
        value_text(super::value::Val::stored(t, right))
    } else {
        path_text(t, right)
    };
    let left_value = facts.read(left).map_or("nothing".to_string(), value_text);
    format!(
        "{} {} {right_text} (the left side is {left_value})",
        path_text(t, left),
        ops.get(usize::from(op)).copied().unwrap_or("?")
    )
}

/// Explains a request's decision.
pub fn explain(table: &Table<'_>, request: &Request<'_>) -> Explanation {
    let decision = decide(table, request);
    let mut facts_lines = Vec::new();
    let mut considered = Vec::new();
    let subject = SubjectFacts::resolve(table, request.subject);
    match subject {
        None => facts_lines.push(
            "the subject is not declared, or its description names no entity kind".to_string(),
        ),
        Some(SubjectFacts::Declared(e)) => facts_lines.push(format!(
            "subject `{}`: {} {}",
            table.object_name(table.entity_object(e)),
            ENTITY_KIND_NAMES
                .get(usize::from(table.entity_kind(e)))
                .unwrap_or(&"?"),
            ENTITY_STATUS_NAMES
                .get(usize::from(table.entity_status(e)))
                .unwrap_or(&"?")
        )),
        Some(SubjectFacts::Described { desc, .. }) => facts_lines.push(format!(
            "subject `{}` (described): {} {}, in groups {:?}",
            desc.id, desc.kind, desc.status, desc.groups
        )),
    }
    let object = ObjectFacts::resolve(table, request.object);
    match &object {
        None => facts_lines.push(
            "the object is not declared, or its description names no kind or an unknown tenant"
                .to_string(),
        ),
        Some(o) => {
            let name = match (o.declared, o.desc) {
                (Some(id), _) => table.object_name(id).to_string(),
                (None, Some(d)) => format!("{} (described)", d.id),
                _ => "?".to_string(),
            };
            let ty = if o.ty == NONE {
                KIND_NAMES
                    .get(usize::from(o.kind))
                    .unwrap_or(&"?")
                    .to_string()
            } else {
                table.type_name(o.ty).to_string()
            };
            facts_lines.push(format!("object `{name}`: a `{ty}`"));
            if o.tenant == NONE {
                facts_lines.push("the object belongs to the platform".to_string());
            } else {
                facts_lines.push(format!(
                    "the object belongs to tenant `{}`, which is {}",
                    table.tenant_name(o.tenant),
                    TENANT_STATUS_NAMES
                        .get(usize::from(table.tenant_status(o.tenant)))
                        .unwrap_or(&"?")
                ));
            }
        }
    }
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
    if let (Some(subject), Some(object), Some(action)) = (subject, object, action) {
        let facts = Facts {
            table,
            subject,
            object,
            context: request.context,
        };
        let mut lists: Vec<(u32, u32)> = Vec::new();
        match subject {
            SubjectFacts::Declared(e) => lists.push(table.entity_grants(e)),
            SubjectFacts::Described { desc, .. } => {
                for name in &desc.groups {
                    let mut g = table.group_named(name).unwrap_or(NONE);
                    for _ in 0..table.pgroup_count() {
                        if g == NONE {
                            break;
                        }
                        lists.push(table.pgroup_grants(g));
                        g = table.pgroup_parent(g);
                    }
                }
            }
        }
        for (start, len) in lists {
            for i in start..start.saturating_add(len) {
                let (a, block, via) = table.grant(i);
                if a != action {
                    continue;
                }
                let boundary = table.block_tenant(block);
                let outcome = if boundary != NONE && boundary != object.tenant {
                    Outcome::OutsideTenant
                } else if !scope_matches(table, block, &object) {
                    Outcome::ScopeMismatch
                } else {
                    let (cs, cl) = table.block_conditions(block);
                    match (cs..cs.saturating_add(cl)).find(|c| !facts.conditions_hold_one(*c)) {
                        Some(c) => Outcome::ConditionFalse(condition_text(&facts, c)),
                        None => Outcome::Matched,
                    }
                };
                considered.push(Considered {
                    block: block_name(table, block).to_string(),
                    deny: table.block_deny(block),
                    via: via_text(table, via),
                    outcome,
                });
            }
        }
    }
    let conclusion = match (decision.block, decision.via) {
        (Some(b), Some(v)) => format!(
            "{}: block `{}`, from `{}`",
            decision.reason.name(),
            block_name(table, b),
            via_text(table, v)
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
