//! Lint `unprotected-object` (L011): a protected object nothing can reach.
//!
//! What it finds: a declared resource, credential, signing key or audit log
//! that no allow block's boundary and scope contain.
//!
//! Why it is bad: nobody can ever be allowed anything on it, which is
//! rarely why it was declared: a scope probably misses it (a wrong `in`, a
//! type not covered).
//!
//! Example:
//!
//! ```text
//! resource report monthly          // only channels are granted
//! block read-channels { allow read on resource:channel }
//! ```
//!
//! Fix: extend a block's scope to it, or remove the declaration.

use crate::check::model::{BlockId, ObjectId};
use crate::kinds::ObjectKind;
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::Effect;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    // Allow blocks by boundary: a tenant's own, and the platform's.
    let mut by_tenant: Vec<Vec<BlockId>> = vec![Vec::new(); m.tenants.len() + 1];
    for (i, b) in m.blocks.iter().enumerate() {
        if b.effect == Effect::Allow {
            let slot = m
                .object(b.object)
                .tenant
                .map_or(m.tenants.len(), |t| t.index());
            by_tenant[slot].push(BlockId(i as u32));
        }
    }
    let mut out = Vec::new();
    for (i, o) in m.objects.iter().enumerate() {
        if !matches!(
            o.kind,
            ObjectKind::Resource
                | ObjectKind::Credential
                | ObjectKind::SigningKey
                | ObjectKind::AuditLog
        ) {
            continue;
        }
        let id = ObjectId(i as u32);
        let own = o.tenant.map_or(&[][..], |t| &by_tenant[t.index()][..]);
        let reached = own
            .iter()
            .chain(&by_tenant[m.tenants.len()])
            .any(|b| m.block_reaches(*b, id));
        if !reached {
            out.push(
                Finding::new(
                    o.span,
                    format!("no allow block can reach `{}`", m.qualified_name(id)),
                    "nothing can ever be allowed on this",
                )
                .help("extend a block's scope to it (its kind, type or group), or remove it"),
            );
        }
    }
    out
}
