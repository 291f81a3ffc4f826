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

pub mod describe;
pub mod explain;
pub(crate) mod facts;
pub mod plan;
pub mod request;
pub mod value;

pub use crate::kinds::Reason;
pub use crate::value::decimal;
pub use crate::value::Decimal;
pub use describe::InvalidRequest;
pub use request::{DescribedObject, DescribedSubject, Object, Request, Subject};
pub use value::Value;

use crate::kinds::ObjectKind;
use crate::table::format::{scope, NONE};

const KIND_GROUP: u8 = ObjectKind::Group.code();
const KIND_TENANT: u8 = ObjectKind::Tenant.code();
use crate::table::handle::{ActionId, ObjectId, SubjectId};
use crate::table::records::EntityRec;
use crate::table::Table;
use facts::{Checked, Facts, ObjectFacts, SubjectFacts};

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
    /// For `allowed_by` with no block: the tenant (a table tenant index)
    /// whose active human `member` the subject is, which lets it `read` the
    /// tenant itself (spec section 6, rule 6).
    pub membership: Option<u32>,
}

impl Decision {
    /// A denial for a reason that names no block (rules 1 to 5 and 9).
    pub fn deny(reason: Reason) -> Decision {
        Decision {
            allow: false,
            reason,
            block: None,
            via: None,
            membership: None,
        }
    }
}

/// Decides a request. A request that describes a subject or object is
/// checked first (spec section 6.1); an invalid description is an error,
/// never a decision. A request that only names things cannot fail.
pub fn decide(table: &Table<'_>, request: &Request<'_>) -> Result<Decision, InvalidRequest> {
    let checked = Checked::new(table, request)?;
    Ok(decide_checked(table, request, &checked))
}

/// Decides a request that names its subject and object: such a request is
/// never invalid, so this is infallible (and allocates nothing).
pub fn decide_declared(
    table: &Table<'_>,
    subject: &str,
    action: &str,
    object: &str,
    context: &[(String, Value)],
) -> Decision {
    let request = Request {
        subject: Subject::Named(subject),
        action,
        object: Object::Named(object),
        context,
    };
    decide_checked(table, &request, &Checked::default())
}

pub(crate) fn decide_checked(
    table: &Table<'_>,
    request: &Request<'_>,
    checked: &Checked,
) -> Decision {
    // A named object's lookup begins before the subject's, and each begins
    // by reading its slot, its name's first byte and its record, so that
    // on a large table (where each read misses the cache) the misses of the
    // two overlap; the object's finishes only if the rules before it pass.
    let object = match request.object {
        Object::Named(name) => Ok((table.begin_object(name), name)),
        described => Err(described),
    };
    let subject = match request.subject {
        Subject::Named(name) => {
            let probe = table.begin_subject(name);
            table
                .finish_subject(probe, name)
                .map(|(e, rec)| (SubjectFacts::Declared(e), rec))
        }
        described => {
            SubjectFacts::resolve(table, described, checked).map(|s| (s, EntityRec::default()))
        }
    };
    decide_facts(
        table,
        subject,
        || match object {
            Ok((probe, name)) => table
                .finish_object(probe, name)
                .map(|(o, rec)| ObjectFacts::from_record(o, rec)),
            Err(described) => ObjectFacts::resolve(table, described, checked),
        },
        || table.action_named(request.action),
        request.context,
    )
}

/// Decides by handles (see [`crate::table::handle`]): no name is looked
/// up, nothing is allocated. A handle from another table decides as if
/// its thing were not declared.
pub fn decide_handles(
    table: &Table<'_>,
    subject: SubjectId,
    action: ActionId,
    object: ObjectId,
    context: &[(String, Value)],
) -> Decision {
    decide_facts(
        table,
        table
            .subject_index(subject)
            .map(|e| (SubjectFacts::Declared(e), table.entity_rec(e))),
        || {
            table
                .object_index(object)
                .map(|o| ObjectFacts::declared(table, o))
        },
        || table.action_index(action),
        context,
    )
}

/// The decision rules of spec section 6, in order, on resolved facts (the
/// object and the action are resolved only if the earlier rules pass).
///
/// A declared subject comes with its entity record (`EntityRec::default()`
/// beside a described one), read once.
fn decide_facts<'a>(
    table: &Table<'_>,
    subject: Option<(SubjectFacts<'a>, EntityRec)>,
    object: impl FnOnce() -> Option<ObjectFacts<'a>>,
    action: impl FnOnce() -> Option<u32>,
    context: &[(String, Value)],
) -> Decision {
    let Some((subject, entity)) = subject else {
        return Decision::deny(Reason::SubjectNotFound);
    };
    let active = match subject {
        SubjectFacts::Declared(_) => entity.status == 0,
        described => described.active(table),
    };
    if !active {
        return Decision::deny(Reason::SubjectInactive);
    }
    let Some(object) = object() else {
        return Decision::deny(Reason::ObjectNotFound);
    };
    if object.tenant != NONE && table.tenant_status(object.tenant) != 0 {
        return Decision::deny(Reason::TenantInactive);
    }
    let Some(action) = action() else {
        return Decision::deny(Reason::NotApplicable);
    };
    if !applicable(table, action, &object) {
        return Decision::deny(Reason::NotApplicable);
    }
    let facts = Facts {
        table,
        subject,
        object,
        context,
    };
    let mut best = Best::default();
    match subject {
        SubjectFacts::Declared(_) => {
            let merged = (entity.merged_start, entity.merged_len);
            scan_list(&facts, action, merged, NONE, None, &mut best);
            let sources = (entity.sources_start, entity.sources_len);
            scan(&facts, action, sources, None, &mut best);
        }
        SubjectFacts::Described { parts, .. } => {
            for &group in &parts.groups {
                let sources = table.pgroup_sources(group);
                scan(&facts, action, sources, Some(parts.kind), &mut best);
            }
        }
    }
    if best.deny.is_none() && best.allow.is_none() {
        if let Some(tenant) = membership_read(table, &subject, action, &object) {
            return Decision {
                allow: true,
                reason: Reason::AllowedBy,
                block: None,
                via: None,
                membership: Some(tenant),
            };
        }
    }
    best.decision()
}

/// The implicit grant of spec section 6, rule 6: an active human platform
/// entity that is a `member` of tenant T may `read` T itself.
fn membership_read(
    t: &Table<'_>,
    s: &SubjectFacts<'_>,
    action: u32,
    o: &ObjectFacts<'_>,
) -> Option<u32> {
    let SubjectFacts::Declared(e) = *s else {
        return None;
    };
    let tenant_object = o.kind == KIND_TENANT && o.declared.is_some();
    let human = t.entity_kind(e) == 0 && t.object_tenant(t.entity_object(e)) == NONE;
    (tenant_object && human && t.action_name(action) == "read" && t.is_member(e, o.tenant))
        .then_some(o.tenant)
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
                membership: None,
            },
            (None, Some((b, v))) => Decision {
                allow: true,
                reason: Reason::AllowedBy,
                block: Some(b),
                via: Some(v),
                membership: None,
            },
            (None, None) => Decision::deny(Reason::NoMatchingAllow),
        }
    }
}

/// Scans a subject's sources for the action: in each source's grant list
/// (sorted by action, then block), only the entries of the action. For a
/// described subject (`described_kind`), an allow that a guardrail forbids
/// to its kind is left out (spec section 6.1).
fn scan(
    facts: &Facts<'_>,
    action: u32,
    (start, len): (u32, u32),
    described_kind: Option<u8>,
    best: &mut Best,
) {
    for s in start..start.saturating_add(len) {
        let (list, via) = facts.table.source(s);
        scan_list(facts, action, list, via, described_kind, best);
    }
}

/// One source's grant list: from the first entry of the action (a binary
/// search on the entries' keys) while entries are of the action. An
/// action's denies come first, then its allows, each in increasing
/// (block, via) order; so the list is done at its first matching deny (or
/// at a deny no earlier than one already found), and at its first
/// matching allow; and once any deny matched, allows no longer matter.
/// `via` is the source's, or `NONE` when each entry carries its own.
fn scan_list(
    facts: &Facts<'_>,
    action: u32,
    (start, len): (u32, u32),
    via: u32,
    described_kind: Option<u8>,
    best: &mut Best,
) {
    let t = facts.table;
    let end = start.saturating_add(len);
    for i in first_of_action(t, action, start, end)..end {
        let (key, block, own) = t.grant_keyed(i);
        if key >> 1 != action {
            return;
        }
        let via = if via == NONE { own } else { via };
        let deny = key & 1 == 0;
        if !deny && best.deny.is_some() {
            return;
        }
        let slot = if deny {
            &mut best.deny
        } else {
            &mut best.allow
        };
        if slot.is_some_and(|b| b <= (block, via)) {
            // Every later entry of this effect has a larger (block, via),
            // and after a deny, allows no longer matter.
            return;
        }
        if let (false, Some(kind)) = (deny, described_kind) {
            if t.forbidden_by(block, action, kind).is_some() {
                continue;
            }
        }
        if matches(facts, block) {
            *slot = Some((block, via));
            return;
        }
    }
}

/// The first entry of a grant list (sorted by key: the action doubled,
/// plus one for an allow) at or after the action's: a binary search.
pub(crate) fn first_of_action(t: &Table<'_>, action: u32, start: u32, end: u32) -> u32 {
    // INVARIANT: actions number fewer than 2^28 (see `table::format`).
    let key = action * 2;
    let (mut lo, mut hi) = (start, end);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if t.grant_keyed(mid).0 < key {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
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
        scope::KIND_IN => u32::from(o.kind) == a && o.parent == g,
        scope::KIND_WITHIN => u32::from(o.kind) == a && in_subtree(t, o.parent, g),
        scope::KIND_BENEATH => {
            u32::from(o.kind) == a && o.parent != g && in_subtree(t, o.parent, g)
        }
        scope::ALL_IN => o.parent == g,
        scope::ALL_WITHIN => in_subtree(t, o.parent, g),
        scope::ALL_BENEATH => o.parent != g && in_subtree(t, o.parent, g),
        _ => false,
    }
}

#[cfg(all(test, feature = "compiler"))]
mod handle_tests {
    //! Handles are stamped with their table (`table/handle.rs`).
    use super::{decide_handles, Reason};
    use crate::table::Table;

    #[test]
    fn a_handle_from_another_table_is_not_found_there() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/policies");
        let loaded = crate::project::load_sources(&[dir.into()]).unwrap();
        let model = crate::check::check_sources(&loaded.sources)
            .into_complete_model()
            .unwrap();
        let bytes = crate::compile::compile(&model, crate::compile::source_hash(&loaded.sources));
        let t = Table::from_bytes(&bytes).unwrap();
        let (s, a, o) = (
            t.subject("factory-a/meter-001").unwrap(),
            t.action("publish").unwrap(),
            t.object("factory-a/telemetry").unwrap(),
        );
        let ctx = [(
            "protocol".to_string(),
            crate::value::Value::Str("mqtt".into()),
        )];
        assert!(decide_handles(&t, s, a, o, &ctx).allow);
        // The same policy under another source hash: another table, with
        // another stamp, whose indices happen to be the same.
        let other = crate::compile::compile(&model, [7; 32]);
        let view = Table::from_bytes(&other).unwrap();
        assert_ne!(view.stamp(), t.stamp());
        assert_eq!(
            decide_handles(&view, s, a, o, &ctx).reason,
            Reason::SubjectNotFound
        );
        assert_eq!(
            t.subject("factory-a/telemetry"),
            None,
            "a resource is not a subject"
        );
        assert_eq!(t.action("fly"), None);
    }
}
