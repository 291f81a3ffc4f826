//! Lint `untested-allow` (L015): an allow block that no test exercises (off by default).
//!
//! What it finds: an allow block that does not match any `test` line's
//! request (its boundary, scope and conditions all hold for the request of
//! some test line whose subject receives it).
//!
//! Why it is bad: an untested grant can be widened or broken by a later
//! change with nothing noticing. Teams that want every grant pinned by a
//! test turn this on: `[lint] untested-allow = "warn"`.
//!
//! Example:
//!
//! ```text
//! block read-reports { allow read on resource:report }   // no test reads a report
//! ```
//!
//! Fix: add a test line the block decides, such as
//! `allow factory-a/alice read factory-a/monthly`.

use crate::check::model::BlockId;
use crate::compile::compile;
use crate::eval::explain::Outcome;
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::Effect;
use crate::table::Table;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let bytes = compile(m, [0; 32]);
    let Ok(table) = Table::from_bytes(&bytes) else {
        return Vec::new();
    };
    let mut exercised = vec![false; m.blocks.len()];
    for test in &m.tests {
        for line in &test.lines {
            let e = crate::testing::explain_line(m, &table, line);
            for c in e
                .considered
                .iter()
                .filter(|c| c.outcome == Outcome::Matched && !c.deny)
            {
                // The table's block index is the model's `BlockId`.
                if let Some(seen) = exercised.get_mut(c.block_index as usize) {
                    *seen = true;
                }
            }
        }
    }
    m.blocks
        .iter()
        .enumerate()
        .filter(|(i, b)| b.effect == Effect::Allow && !exercised[*i])
        .map(|(i, _)| {
            let b = BlockId(i as u32);
            Finding::new(
                ctx.block_span(b),
                format!("no test exercises block `{}`", ctx.block_name(b)),
                "no test line's request matches it",
            )
            .help("add a test line whose request this block allows")
        })
        .collect()
}
