//! Lint `unused-block` (L001): a block that no role includes and no grant gives.
//!
//! What it finds: a `block` that appears in no `role { ... }` and in no
//! `grant BLOCK to ...`, so that no subject can ever receive it.
//!
//! Why it is bad: the block looks like part of the policy but decides
//! nothing; often a role or grant was forgotten, or the block was replaced
//! and left behind.
//!
//! Example:
//!
//! ```text
//! block read-reports { allow read on resource:report }
//! role reader { read-channels }      // read-reports was meant to be here
//! ```
//!
//! Fix: add the block to a role or grant it, or delete it.

use crate::lint::{Ctx, Finding};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let used = ctx.given_blocks();
    (0..ctx.model.blocks.len())
        .filter(|b| !used[*b])
        .map(|b| {
            let b = crate::check::model::BlockId(b as u32);
            Finding::new(
                ctx.block_span(b),
                format!("block `{}` is never used", ctx.block_name(b)),
                "no role includes it and no grant gives it",
            )
            .help("add it to a role or `grant` it to a subject, or delete it")
        })
        .collect()
}
