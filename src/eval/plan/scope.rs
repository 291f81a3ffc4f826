//! Plan: a block's tenant boundary and scope as a predicate over the object (the table's scope forms, as `eval::scope_matches` reads them).

use super::simplify::{all, not};
use super::{is, Field, Plan};
use crate::kinds::{CmpOp, ObjectKind};
use crate::table::format::{scope, NONE};
use crate::table::Table;

/// The block's boundary (a tenant block reaches its tenant's objects
/// only) and its scope.
pub fn of_block(t: &Table<'_>, block: u32) -> Plan {
    let boundary = t.block_tenant(block);
    let inside = if boundary == NONE {
        Plan::Always
    } else {
        is(Field::Tenant, CmpOp::Eq, t.tenant_name(boundary))
    };
    all(vec![inside, of_scope(t, block)])
}

fn of_scope(t: &Table<'_>, block: u32) -> Plan {
    let (form, a, g) = t.block_scope(block);
    let kind = || {
        u8::try_from(a)
            .ok()
            .and_then(ObjectKind::from_code)
            .map_or(Plan::Never, |k| is(Field::Kind, CmpOp::Eq, k.name()))
    };
    let group_kind = || is(Field::Kind, CmpOp::Eq, ObjectKind::Group.name());
    let ty = || is(Field::Type, CmpOp::Eq, t.type_name(a));
    let group = || t.object_name(t.group_object(g)).to_string();
    let in_g = || is(Field::Group, CmpOp::Eq, &group());
    let within = || Plan::Under(group());
    let beneath = || all(vec![not(in_g()), within()]);
    match form {
        scope::ALL => Plan::Always,
        scope::KIND => kind(),
        scope::TYPE => ty(),
        scope::OBJECT => is(Field::Id, CmpOp::Eq, t.object_name(a)),
        scope::TYPE_IN => all(vec![ty(), in_g()]),
        scope::TYPE_WITHIN => all(vec![ty(), within()]),
        scope::TYPE_BENEATH => all(vec![ty(), beneath()]),
        scope::GROUP_IN => all(vec![group_kind(), in_g()]),
        scope::GROUP_WITHIN => all(vec![group_kind(), within()]),
        scope::GROUP_BENEATH => all(vec![group_kind(), beneath()]),
        scope::KIND_IN => all(vec![kind(), in_g()]),
        scope::KIND_WITHIN => all(vec![kind(), within()]),
        scope::KIND_BENEATH => all(vec![kind(), beneath()]),
        scope::ALL_IN => in_g(),
        scope::ALL_WITHIN => within(),
        scope::ALL_BENEATH => beneath(),
        _ => Plan::Never,
    }
}
