//! Lint `unused-role` (L002): a role nobody is assigned and no role includes.
//!
//! What it finds: a `role` named by no `assign ROLE to ...` and by no
//! other role's items.
//!
//! Why it is bad: its blocks reach no one through it; usually an `assign`
//! is missing, or the role is a leftover.
//!
//! Example:
//!
//! ```text
//! role auditor { read-logs }         // but no `assign auditor to ...`
//! ```
//!
//! Fix: assign it (`assign auditor to auditors`), include it in another role, or delete it.

use crate::check::model::{Given, RoleId, RoleItem};
use crate::lint::{Ctx, Finding};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let mut used = vec![false; m.roles.len()];
    for g in &m.grants {
        if let Given::Role(r) = g.given {
            used[r.index()] = true;
        }
    }
    for role in &m.roles {
        for (item, _) in &role.items {
            if let RoleItem::Role(r) = item {
                used[r.index()] = true;
            }
        }
    }
    (0..m.roles.len())
        .filter(|r| !used[*r])
        .map(|r| {
            let role = RoleId(r as u32);
            Finding::new(
                m.object(m.role(role).object).span,
                format!("role `{}` is never used", m.role_name(role)),
                "nobody is assigned it and no role includes it",
            )
            .help(
                "assign it with `assign ROLE to SUBJECT`, include it in another role, or delete it",
            )
        })
        .collect()
}
