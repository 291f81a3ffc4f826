//! Lint `platform-wide-allow` (L007): an allow on `all` in a platform block.
//!
//! What it finds: a block declared at top level that allows actions `on all`.
//!
//! Why it is bad: it is the broadest grant there is: every object of every
//! tenant, now and in the future. Whoever holds it crosses every tenant
//! boundary.
//!
//! Example:
//!
//! ```text
//! block support-read { allow read on all }
//! ```
//!
//! Fix: narrow the scope (a kind or type), or declare the block inside the
//! tenants it should reach; if platform-wide access is intended, suppress
//! with a reason: `// atom: allow(platform-wide-allow) support reads everything`.

use crate::check::model::{BlockId, Scope};
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::Effect;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    m.blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| {
            b.effect == Effect::Allow
                && b.scope == Some(Scope::All)
                && m.object(b.object).tenant.is_none()
        })
        .map(|(i, b)| {
            Finding::new(
                b.scope_span,
                format!(
                    "block `{}` allows on every object of every tenant",
                    m.block_name(BlockId(i as u32))
                ),
                "`on all` in a platform block",
            )
            .secondary(ctx.block_span(BlockId(i as u32)), "declared at top level")
            .help("narrow it to a kind or type, or declare it inside the tenants it should reach")
        })
        .collect()
}
