//! Lint `shadowed-allow` (L005): an allow that can never allow anything.
//!
//! What it finds: an allow block such that every subject who receives it
//! also receives unconditional deny blocks covering all its actions on
//! everything its scope reaches.
//!
//! Why it is bad: deny overrides allow, so the allow never takes effect;
//! either the deny is too broad or the allow is dead.
//!
//! Example:
//!
//! ```text
//! block read-channels { allow read on resource:channel }
//! block lockdown { deny read on resource }
//! role operator { read-channels, lockdown }
//! ```
//!
//! Fix: narrow the deny (a condition, a narrower scope), or remove the allow.

use crate::check::model::{BlockId, EntityId};
use crate::lint::rules::scope_cover::covers;
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::Effect;

/// An unconditional deny that one entity holds and that covers `action` of `allow`.
fn covering_deny(
    ctx: &Ctx<'_>,
    e: EntityId,
    allow: BlockId,
    action: crate::check::model::ActionId,
) -> Option<BlockId> {
    let m = ctx.model;
    ctx.entity_grants[e.index()]
        .iter()
        .map(|(b, _)| *b)
        .find(|d| {
            let block = m.block(*d);
            block.effect == Effect::Deny
                && ctx.unconditional(*d)
                && block.actions.contains(&action)
                && covers(m, *d, allow)
        })
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let mut out = Vec::new();
    for (i, block) in m.blocks.iter().enumerate() {
        let b = BlockId(i as u32);
        let receivers = &ctx.receivers[i];
        if block.effect != Effect::Allow || receivers.is_empty() {
            continue;
        }
        let mut witness = None;
        let shadowed = receivers.iter().all(|e| {
            block
                .actions
                .iter()
                .all(|a| match covering_deny(ctx, *e, b, *a) {
                    Some(d) => {
                        witness.get_or_insert(d);
                        true
                    }
                    None => false,
                })
        });
        if let (true, Some(d)) = (shadowed, witness) {
            out.push(
                Finding::new(
                    ctx.block_span(b),
                    format!("block `{}` can never allow anything", ctx.block_name(b)),
                    "always overridden by a deny",
                )
                .secondary(
                    ctx.block_span(d),
                    format!(
                        "`{}` denies the same requests, without conditions",
                        ctx.block_name(d)
                    ),
                )
                .note(match receivers.len() {
                    1 => "the one subject that receives it also receives the covering deny"
                        .to_string(),
                    n => format!("all {n} subjects that receive it also receive covering denies"),
                })
                .help("narrow the deny (a condition or a narrower scope), or remove this allow"),
            );
        }
    }
    out
}
