//! Eval: deciding requests from a compiled table alone (spec section 6).
//!
//! [`decide`] tries the rules in order: subject known and active, object
//! known, its tenant active, the action applicable, then the subject's
//! grants for that action: any matching deny denies, else any matching
//! allow allows. The cost depends on the subject's own grants for the
//! action, never on the size of the policy, and deciding about declared
//! things allocates nothing. When several blocks match, the one named is
//! the first in declaration order (and, for one block reached several
//! ways, the first statement that gives it).

pub mod decimal;
pub mod explain;
mod facts;
pub mod request;
pub mod value;

pub use crate::kinds::Reason;
pub use decimal::Decimal;
pub use request::{DescribedObject, DescribedSubject, Object, Request, Subject};
pub use value::Value;

use crate::table::format::{scope, KIND_GROUP, NONE};
use crate::table::Table;
use facts::{Facts, ObjectFacts, SubjectFacts};

/// A decision and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    pub allow: bool,
    pub reason: Reason,
    /// For `denied_by` and `allowed_by`: the block (a table block index).
    pub block: Option<u32>,
    /// For `denied_by` and `allowed_by`: how the block reached the subject
    /// (a table via index: the assignment or direct policy, and the entity
    /// or group it was given to).
    pub via: Option<u32>,
}

impl Decision {
    fn deny(reason: Reason) -> Decision {
        Decision {
            allow: false,
            reason,
            block: None,
            via: None,
        }
    }
}

/// Decides a request.
pub fn decide(table: &Table<'_>, request: &Request<'_>) -> Decision {
    let Some(subject) = SubjectFacts::resolve(table, request.subject) else {
        return Decision::deny(Reason::SubjectNotFound);
    };
    if !subject.active(table) {
        return Decision::deny(Reason::SubjectInactive);
    }
    let Some(object) = ObjectFacts::resolve(table, request.object) else {
        return Decision::deny(Reason::ObjectNotFound);
    };
    if object.tenant != NONE && table.tenant_status(object.tenant) != 0 {
        return Decision::deny(Reason::TenantInactive);
    }
    let Some(action) = table.action_named(request.action) else {
        return Decision::deny(Reason::NotApplicable);
    };
    if !applicable(table, action, &object) {
        return Decision::deny(Reason::NotApplicable);
    }
    let facts = Facts {
        table,
        subject,
        object,
        context: request.context,
    };
    let mut best = Best::default();
    match subject {
        SubjectFacts::Declared(e) => {
            if scan(&facts, action, table.entity_grants(e), true, &mut best) {
                return best.decision();
            }
        }
        SubjectFacts::Described { desc, .. } => {
            for name in &desc.groups {
                let mut group = table.group_named(name).unwrap_or(NONE);
                // Ancestors, at most as many as there are groups (a corrupt
                // table cannot make this loop endless).
                for _ in 0..table.pgroup_count() {
                    if group == NONE {
                        break;
                    }
                    scan(&facts, action, table.pgroup_grants(group), false, &mut best);
                    group = table.pgroup_parent(group);
                }
            }
        }
    }
    best.decision()
}

/// The first matching deny and allow, by (block, via).
#[derive(Default)]
struct Best {
    deny: Option<(u32, u32)>,
    allow: Option<(u32, u32)>,
}

impl Best {
    fn decision(&self) -> Decision {
        match (self.deny, self.allow) {
            (Some((b, v)), _) => Decision {
                allow: false,
                reason: Reason::DeniedBy,
                block: Some(b),
                via: Some(v),
            },
            (None, Some((b, v))) => Decision {
                allow: true,
                reason: Reason::AllowedBy,
                block: Some(b),
                via: Some(v),
            },
            (None, None) => Decision::deny(Reason::NoMatchingAllow),
        }
    }
}

/// Scans a grant list for the action. Returns true when the decision is
/// final (a sorted list reached its first, hence smallest, matching deny).
fn scan(
    facts: &Facts<'_>,
    action: u32,
    (start, len): (u32, u32),
    sorted: bool,
    best: &mut Best,
) -> bool {
    let t = facts.table;
    let end = start.saturating_add(len);
    let mut i = if sorted {
        // Lower bound of the action in a list sorted by (action, block, via).
        let (mut lo, mut hi) = (start, end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if t.grant(mid).0 < action {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        lo
    } else {
        start
    };
    while i < end {
        let (a, block, via) = t.grant(i);
        i += 1;
        if a != action {
            if sorted {
                break;
            }
            continue;
        }
        let deny = t.block_deny(block);
        let slot = if deny {
            &mut best.deny
        } else {
            &mut best.allow
        };
        if slot.is_some_and(|b| b <= (block, via)) {
            continue;
        }
        if matches(facts, block) {
            *slot = Some((block, via));
            if deny && sorted {
                return true;
            }
        }
    }
    false
}

/// Whether an action has an applicability row for the object.
pub(crate) fn applicable(t: &Table<'_>, action: u32, o: &ObjectFacts<'_>) -> bool {
    let (start, len) = t.action_rows(action);
    (start..start.saturating_add(len)).any(|r| match t.row(r) {
        (0, kind) => kind == u32::from(o.kind),
        (1, ty) => ty == o.ty,
        _ => false,
    })
}

/// Whether group `x` is `g` or below it.
fn in_subtree(t: &Table<'_>, x: u32, g: u32) -> bool {
    if x == NONE {
        return false;
    }
    let (pre, post) = t.group_interval(g);
    let (xp, _) = t.group_interval(x);
    pre <= xp && xp < post
}

/// Whether a block's boundary, scope and conditions hold for the request.
pub(crate) fn matches(facts: &Facts<'_>, block: u32) -> bool {
    scope_matches(facts.table, block, &facts.object) && facts.conditions_hold(block)
}

pub(crate) fn scope_matches(t: &Table<'_>, block: u32, o: &ObjectFacts<'_>) -> bool {
    let boundary = t.block_tenant(block);
    if boundary != NONE && boundary != o.tenant {
        return false;
    }
    let (kind, a, g) = t.block_scope(block);
    match kind {
        scope::ALL => true,
        scope::KIND => u32::from(o.kind) == a,
        scope::TYPE => o.ty == a,
        scope::OBJECT => o.declared == Some(a),
        scope::TYPE_IN => o.ty == a && o.parent == g,
        scope::TYPE_WITHIN => o.ty == a && in_subtree(t, o.parent, g),
        scope::TYPE_BENEATH => o.ty == a && o.parent != g && in_subtree(t, o.parent, g),
        scope::GROUP_IN => o.kind == KIND_GROUP && o.parent == g,
        scope::GROUP_WITHIN => o.kind == KIND_GROUP && in_subtree(t, o.parent, g),
        scope::GROUP_BENEATH => o.kind == KIND_GROUP && o.parent != g && in_subtree(t, o.parent, g),
        _ => false,
    }
}
