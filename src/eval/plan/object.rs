//! Plan: the rules about the object alone; found and valid, its tenant active, the action applicable to it, the member's implicit read.

use super::simplify::{all, any, not};
use super::{has_value, is, one_of, Field, Plan, Reach};
use crate::eval::facts::SubjectFacts;
use crate::kinds::{CmpOp, ObjectKind};
use crate::table::format::{section, NONE};
use crate::table::Table;

/// An object the decision finds, and whose description is valid (section
/// 6.1): its tenant declared or none, its type declared or none, and its
/// group, if any, a declared object group of its own tenant, for a kind
/// that sits in groups. (A declared object passes all of these.) Only the
/// tenants the plan can reach are named.
pub fn found_and_valid(t: &Table<'_>, reach: &Reach) -> Plan {
    let tenants = (0..t.count(section::TENANTS) as u32).filter(|&n| reach.reaches(n));
    let platform = if reach.reaches(NONE) {
        not(has_value(Field::Tenant))
    } else {
        Plan::Never
    };
    let names = tenants.map(|n| t.tenant_name(n).to_string()).collect();
    let tenant = any(vec![one_of(Field::Tenant, names), platform]);
    let types = (0..t.count(section::TYPES) as u32).map(|n| t.type_name(n).to_string());
    let ty = any(vec![
        one_of(Field::Type, types.collect()),
        not(has_value(Field::Type)),
    ]);
    all(vec![tenant, ty, group_valid(t, reach)])
}

/// No group, or a group of the object's own tenant for a kind that sits
/// in groups.
fn group_valid(t: &Table<'_>, reach: &Reach) -> Plan {
    let mut by_tenant: Vec<(u32, Vec<String>)> = Vec::new();
    for g in 0..t.group_count() as u32 {
        let o = t.group_object(g);
        let owner = t.object_tenant(o);
        if !reach.reaches(owner) {
            continue;
        }
        let name = t.object_name(o).to_string();
        match by_tenant.iter_mut().find(|(x, _)| *x == owner) {
            Some((_, names)) => names.push(name),
            None => by_tenant.push((owner, vec![name])),
        }
    }
    let placed = by_tenant.into_iter().map(|(owner, names)| {
        let tenant = if owner == NONE {
            not(has_value(Field::Tenant))
        } else {
            is(Field::Tenant, CmpOp::Eq, t.tenant_name(owner))
        };
        all(vec![tenant, one_of(Field::Group, names)])
    });
    let kinds = ObjectKind::ALL.into_iter().filter(|k| k.sits_in_groups());
    any(vec![
        not(has_value(Field::Group)),
        all(vec![
            one_of(Field::Kind, kinds.map(|k| k.name().to_string()).collect()),
            any(placed.collect()),
        ]),
    ])
}

/// The object's tenant, if any, is active (section 6, rule 3); only the
/// tenants the plan can reach are named.
pub fn tenant_active(t: &Table<'_>, reach: &Reach) -> Plan {
    let inactive = (0..t.count(section::TENANTS) as u32)
        .filter(|&n| t.tenant_status(n) != 0 && reach.reaches(n))
        .map(|n| t.tenant_name(n).to_string())
        .collect();
    not(one_of(Field::Tenant, inactive))
}

/// The action applies to the object's kind or type (rule 5).
pub fn applicable(t: &Table<'_>, action: u32) -> Plan {
    let (start, len) = t.action_rows(action);
    let (mut kinds, mut types) = (Vec::new(), Vec::new());
    for r in start..start.saturating_add(len) {
        match t.row(r) {
            (0, kind) => kinds.extend(
                u8::try_from(kind)
                    .ok()
                    .and_then(ObjectKind::from_code)
                    .map(|k| k.name().to_string()),
            ),
            (1, ty) => types.push(t.type_name(ty).to_string()),
            _ => {}
        }
    }
    any(vec![one_of(Field::Kind, kinds), one_of(Field::Type, types)])
}

/// The implicit read of rule 6: an active human platform entity that is
/// a `member` of tenant T may `read` T's own (declared) object; with the
/// tenants it reads.
pub fn membership_read(t: &Table<'_>, who: &SubjectFacts<'_>, action: u32) -> (Plan, Vec<u32>) {
    let SubjectFacts::Declared(e) = *who else {
        return (Plan::Never, Vec::new());
    };
    let human = t.entity_kind(e) == 0 && t.object_tenant(t.entity_object(e)) == NONE;
    if !human || t.action_name(action) != "read" {
        return (Plan::Never, Vec::new());
    }
    let (mut tenants, mut names) = (Vec::new(), Vec::new());
    for n in (0..t.count(section::TENANTS) as u32).filter(|&n| t.is_member(e, n)) {
        let object = t.object_named(t.tenant_name(n));
        if let Some(o) = object.filter(|&o| t.object_kind(o) == ObjectKind::Tenant.code()) {
            tenants.push(t.object_tenant(o));
            names.push(t.object_name(o).to_string());
        }
    }
    let read = all(vec![
        is(Field::Kind, CmpOp::Eq, ObjectKind::Tenant.name()),
        one_of(Field::Id, names),
    ]);
    (read, tenants)
}
