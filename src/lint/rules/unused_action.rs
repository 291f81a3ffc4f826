//! Lint `unused-action` (L003): an action that no block uses.
//!
//! What it finds: an action declared with `action ...` that appears in the
//! actions of no block.
//!
//! Why it is bad: nobody can ever be allowed (or denied) it, so requests
//! for it are always `no_matching_allow`; often a misspelt action in a
//! block was declared twice under two names.
//!
//! Example:
//!
//! ```text
//! action publish, pubish on resource:channel   // `pubish` is a typo
//! ```
//!
//! Fix: use it in a block, or remove it from the `action` statement.

use crate::lint::{Ctx, Finding};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let mut used = vec![false; m.actions.len()];
    for b in &m.blocks {
        for a in &b.actions {
            used[a.index()] = true;
        }
    }
    m.actions
        .iter()
        .enumerate()
        .filter(|(i, _)| !used[*i])
        .map(|(_, a)| {
            let span = a.spans.first().copied().unwrap_or_else(|| {
                m.tenants
                    .first()
                    .map_or(crate::diag::Span::new(crate::diag::FileId(0), 0..0), |t| {
                        t.span
                    })
            });
            Finding::new(
                span,
                format!("action `{}` is used by no block", a.name),
                "declared here",
            )
            .help("use it in a block, or remove it from the `action` statement")
        })
        .collect()
}
