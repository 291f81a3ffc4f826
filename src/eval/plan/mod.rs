//! Plan: the objects a subject may act on, as a predicate over one object's facts (spec section 16).
//!
//! [`plan`] decides, for a subject, an action and a context, everything
//! that does not depend on the object (the subject's status, kind, tenant,
//! groups and attributes, the context, the action) and leaves a [`Plan`]
//! over the object's id, kind, type, tenant, group and the groups above it,
//! and attributes. For every object O, declared or described:
//! `plan(S, A, C)` holds on O's facts exactly when `decide(S, A, O, C)`
//! allows. Deny overrides allow inside the plan; applicability, tenant
//! boundaries, inactive tenants, the member's implicit read and the
//! guardrails of a described subject are part of it, and so are the checks
//! a described object must pass (a declared tenant, type and group).
//!
//! The parts: [`object`] (the rules about the object alone), [`scope`] (a
//! block's boundary and scope), [`residual`] (a block's conditions with
//! what the object does not decide filled in), [`simplify`] (the folding
//! constructors every part builds with).

mod object;
mod residual;
pub use residual::field_text;
mod scope;
pub mod simplify;

use super::facts::{Checked, SubjectFacts};
use super::request::{Object, Request, Subject};
use super::{first_of_action, InvalidRequest, Value};
use crate::kinds::CmpOp;
use crate::table::format::NONE;
use crate::table::Table;
use simplify::{all, any, not};

/// A fact of the object a plan reads.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The qualified name.
    Id,
    /// `entity`, `resource`, `group`, ...
    Kind,
    /// `resource:channel`, or none.
    Type,
    /// The tenant's name, or none for a platform object.
    Tenant,
    /// The object's own group (its qualified name), or none.
    Group,
    /// `attributes.K.K...` (no keys: the whole map).
    Attribute(Vec<String>),
}

/// The constant side of a comparison: a value, or none (a built-in field
/// of the subject or tenant without a value, section 5).
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Value(Value),
    None,
}

/// A predicate over one object's facts. Comparisons have section 5's
/// meaning: a field that does not resolve makes them false; none is
/// unequal to everything, itself included.
#[derive(Clone, Debug, PartialEq)]
pub enum Plan {
    Always,
    Never,
    And(Vec<Plan>),
    Or(Vec<Plan>),
    Not(Box<Plan>),
    /// `field op value`.
    Compare {
        field: Field,
        op: CmpOp,
        value: Operand,
    },
    /// `field op field2`.
    Fields {
        field: Field,
        op: CmpOp,
        field2: Field,
    },
    /// The object's group is this group (a qualified name) or beneath it.
    Under(String),
}

/// Why a plan cannot be made: a condition the plan forms cannot say
/// exactly (never dropped, never approximated).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unplannable {
    pub message: String,
}

impl std::fmt::Display for Unplannable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why [`plan`] gave no plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// The subject's description is not valid (section 6.1).
    Invalid(InvalidRequest),
    Unplannable(Unplannable),
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanError::Invalid(e) => write!(f, "{e}"),
            PlanError::Unplannable(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for PlanError {}

/// The plan of what `subject` may do `action` on, given `context`.
pub fn plan(
    t: &Table<'_>,
    subject: Subject<'_>,
    action: &str,
    context: &[(String, Value)],
) -> Result<Plan, PlanError> {
    let request = Request {
        subject,
        action,
        object: Object::Named(""),
        context,
    };
    let checked = Checked::new(t, &request).map_err(PlanError::Invalid)?;
    let Some(who) = SubjectFacts::resolve(t, subject, &checked) else {
        return Ok(Plan::Never);
    };
    let Some(action) = t.action_named(action).filter(|_| who.active(t)) else {
        return Ok(Plan::Never);
    };
    let reader = residual::Reader::new(t, who, context);
    let (denies, allows) = entries(t, &who, action);
    let block = |b: u32| -> Result<Plan, Unplannable> {
        Ok(all(vec![scope::of_block(t, b), reader.conditions(b)?]))
    };
    let mut reach = Reach::Tenants(Vec::new());
    let mut allowed = Vec::with_capacity(allows.len() + 1);
    for b in allows {
        let p = block(b)?;
        if p != Plan::Never {
            reach.add(t.block_tenant(b));
            allowed.push(p);
        }
    }
    let (membership, members) = object::membership_read(t, &who, action);
    members.into_iter().for_each(|m| reach.add(m));
    allowed.push(membership);
    let allowed = any(allowed);
    if allowed == Plan::Never {
        return Ok(Plan::Never);
    }
    let denied = any(denies.into_iter().map(block).collect::<Result<_, _>>()?);
    Ok(all(vec![
        object::found_and_valid(t, &reach),
        object::tenant_active(t, &reach),
        object::applicable(t, action),
        not(denied),
        allowed,
    ]))
}

impl From<Unplannable> for PlanError {
    fn from(e: Unplannable) -> PlanError {
        PlanError::Unplannable(e)
    }
}

/// The tenants whose objects an allow of the plan can reach: any (a
/// platform block), or these (the boundaries of tenant blocks, and the
/// tenants a member reads). The checks on the object's tenant and group
/// need only these tenants' names and groups, since every allowed object
/// is of one of them.
pub(crate) enum Reach {
    Any,
    Tenants(Vec<u32>),
}

impl Reach {
    fn add(&mut self, tenant: u32) {
        match self {
            Reach::Tenants(_) if tenant == NONE => *self = Reach::Any,
            Reach::Tenants(list) if !list.contains(&tenant) => list.push(tenant),
            _ => {}
        }
    }

    /// Whether objects of `tenant` (`NONE`: platform objects) can be reached.
    pub(crate) fn reaches(&self, tenant: u32) -> bool {
        match self {
            Reach::Any => true,
            Reach::Tenants(list) => list.contains(&tenant),
        }
    }
}

/// The distinct blocks of the subject's grants for the action: denies, and
/// allows (less those a guardrail forbids to a described subject's kind).
fn entries(t: &Table<'_>, who: &SubjectFacts<'_>, action: u32) -> (Vec<u32>, Vec<u32>) {
    let mut lists: Vec<((u32, u32), u32)> = Vec::new();
    let described_kind = match who {
        SubjectFacts::Declared(e) => {
            let r = t.entity_rec(*e);
            lists.push(((r.merged_start, r.merged_len), NONE));
            sources(t, (r.sources_start, r.sources_len), &mut lists);
            None
        }
        SubjectFacts::Described { parts, .. } => {
            for &g in &parts.groups {
                sources(t, t.pgroup_sources(g), &mut lists);
            }
            Some(parts.kind)
        }
    };
    let (mut denies, mut allows) = (Vec::new(), Vec::new());
    for ((start, len), _) in lists {
        for i in
            first_of_action(t, action, start, start.saturating_add(len))..start.saturating_add(len)
        {
            let (key, block, _) = t.grant_keyed(i);
            if key >> 1 != action {
                break;
            }
            let deny = key & 1 == 0;
            let forbidden =
                described_kind.is_some_and(|k| t.forbidden_by(block, action, k).is_some());
            match (deny, forbidden) {
                (true, _) => denies.push(block),
                (false, false) => allows.push(block),
                (false, true) => {}
            }
        }
    }
    for list in [&mut denies, &mut allows] {
        list.sort_unstable();
        list.dedup();
    }
    (denies, allows)
}

/// The grant lists of a range of sources.
fn sources(t: &Table<'_>, (start, len): (u32, u32), out: &mut Vec<((u32, u32), u32)>) {
    for s in start..start.saturating_add(len) {
        out.push(t.source(s));
    }
}

/// `field op value` for a string value.
pub(crate) fn is(field: Field, op: CmpOp, text: &str) -> Plan {
    Plan::Compare {
        field,
        op,
        value: Operand::Value(Value::Str(text.to_string())),
    }
}

/// `field in [texts]` (never when the list is empty; `==` for one).
pub(crate) fn one_of(field: Field, texts: Vec<String>) -> Plan {
    match texts.len() {
        0 => Plan::Never,
        1 => is(field, CmpOp::Eq, &texts[0]),
        _ => Plan::Compare {
            field,
            op: CmpOp::In,
            value: Operand::Value(Value::List(texts.into_iter().map(Value::Str).collect())),
        },
    }
}

/// Whether a built-in field has a value (it is never unresolved: only
/// none fails `F == F`).
pub(crate) fn has_value(field: Field) -> Plan {
    Plan::Fields {
        field: field.clone(),
        op: CmpOp::Eq,
        field2: field,
    }
}
