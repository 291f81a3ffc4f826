//! Lint `empty-group` (L004): a group with nothing in it.
//!
//! What it finds: a `principal-group` with no members and no child groups,
//! or an `object-group` that no entity, resource or object group sits in.
//!
//! Why it is bad: roles assigned to an empty principal group reach no one,
//! and scopes on an empty object group match nothing; the group was
//! probably meant to be filled (a misspelt `in`, a member list forgotten).
//!
//! Example:
//!
//! ```text
//! principal-group night-shift { }
//! assign operator to night-shift        // reaches nobody
//! ```
//!
//! Fix: add members (or child groups, or objects `in` the group), or delete it.

use crate::check::model::ObjectRole;
use crate::lint::{Ctx, Finding};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let mut out = Vec::new();
    for (i, g) in m.principal_groups.iter().enumerate() {
        if g.members.is_empty() && ctx.group_children[i].is_empty() {
            out.push(
                Finding::new(g.span, format!("principal group `{}` is empty", m.group_name(crate::check::model::PrincipalGroupId(i as u32))), "no members and no child groups")
                    .help("list its members in `{ ... }`, or declare child groups with `principal-group CHILD in THIS`"),
            );
        }
    }
    let mut filled = vec![false; m.groups.len()];
    for o in &m.objects {
        if let Some(p) = o.parent {
            filled[p.index()] = true;
        }
    }
    for (i, g) in m.groups.iter().enumerate() {
        if !filled[i] {
            let o = m.object(g.object);
            debug_assert!(matches!(o.role, ObjectRole::Group(_)));
            out.push(
                Finding::new(
                    o.span,
                    format!("object group `{}` is empty", m.qualified_name(g.object)),
                    "nothing is declared `in` it",
                )
                .help("declare entities, resources or groups `in` it, or delete it"),
            );
        }
    }
    out
}
