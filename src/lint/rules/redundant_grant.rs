//! Lint `redundant-grant` (L006): access given twice.
//!
//! What it finds: a subject given the same block by two statements (or a
//! role that holds a block both directly and through an included role);
//! and an unconditional allow whose every action and object is already
//! allowed, without conditions, by another block that all the same subjects
//! receive.
//!
//! Why it is bad: removing one of the two paths changes nothing, which
//! makes reviews misleading: revoking access by deleting one grant leaves
//! it in place.
//!
//! Example:
//!
//! ```text
//! assign operator to meters       // operator holds read-channels
//! grant read-channels to meters   // again
//! ```
//!
//! Fix: keep one path.

use std::collections::HashMap;

use crate::check::model::{BlockId, Given, RoleItem, Subject};
use crate::lint::rules::scope_cover::covers;
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::Effect;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    given_twice(ctx, &mut out);
    held_twice(ctx, &mut out);
    covered(ctx, &mut out);
    out
}

/// The same block to the same subject through two statements.
fn given_twice(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let m = ctx.model;
    let mut first: HashMap<(Subject, BlockId), usize> = HashMap::new();
    for (gi, grant) in m.grants.iter().enumerate() {
        let blocks: &[BlockId] = match &grant.given {
            Given::Block(b) => std::slice::from_ref(b),
            Given::Role(r) => &ctx.role_blocks[r.index()],
        };
        for (subject, span) in &grant.subjects {
            let mut reported = false;
            for b in blocks {
                match first.get(&(*subject, *b)) {
                    Some(&earlier) if earlier != gi && !reported => {
                        reported = true;
                        out.push(
                            Finding::new(
                                *span,
                                format!("this gives block `{}` again", ctx.block_name(*b)),
                                "already given to this subject",
                            )
                            .secondary(m.grants[earlier].span, "first given here")
                            .help("keep one of the two statements"),
                        );
                    }
                    Some(_) => {}
                    None => {
                        first.insert((*subject, *b), gi);
                    }
                }
            }
        }
    }
}

/// A role holding a block directly and through an included role.
fn held_twice(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let m = ctx.model;
    for role in &m.roles {
        for (item, span) in &role.items {
            let RoleItem::Block(b) = item else { continue };
            let via = role.items.iter().find_map(|(other, _)| match other {
                RoleItem::Role(r) if ctx.role_blocks[r.index()].contains(b) => Some(*r),
                _ => None,
            });
            if let Some(r) = via {
                out.push(
                    Finding::new(
                        *span,
                        format!(
                            "block `{}` is already in role `{}`",
                            ctx.block_name(*b),
                            m.role_name(r)
                        ),
                        "held twice by this role",
                    )
                    .help(format!(
                        "remove it here; role `{}` brings it",
                        m.role_name(r)
                    )),
                );
            }
        }
    }
}

/// An unconditional allow covered by another that the same subjects hold.
fn covered(ctx: &Ctx<'_>, out: &mut Vec<Finding>) {
    let m = ctx.model;
    for (i, block) in m.blocks.iter().enumerate() {
        let b = BlockId(i as u32);
        let receivers = &ctx.receivers[i];
        if block.effect != Effect::Allow || !ctx.unconditional(b) || receivers.is_empty() {
            continue;
        }
        // A covering block reaches every receiver, so the first receiver's
        // grants hold all candidates: the search stays local to the subject.
        let candidates: Vec<BlockId> = ctx.entity_grants[receivers[0].index()]
            .iter()
            .map(|(x, _)| *x)
            .collect();
        let cover = candidates.into_iter().find(|a| {
            let other = m.block(*a);
            *a != b
                && other.effect == Effect::Allow
                && ctx.unconditional(*a)
                && block.actions.iter().all(|x| other.actions.contains(x))
                && covers(m, *a, b)
                && receivers.iter().all(|e| ctx.receivers[a.index()].binary_search(e).is_ok())
                // Two blocks that cover each other: report only the later one.
                && !(a.0 > b.0 && covers(m, b, *a) && other.actions.iter().all(|x| block.actions.contains(x)))
        });
        if let Some(a) = cover {
            out.push(
                Finding::new(
                    ctx.block_span(b),
                    format!(
                        "block `{}` allows nothing that block `{}` does not",
                        ctx.block_name(b),
                        ctx.block_name(a)
                    ),
                    "wholly covered by another allow",
                )
                .secondary(
                    ctx.block_span(a),
                    "this block already allows the same, and more or as much",
                )
                .help("remove one of them, or make their scopes distinct"),
            );
        }
    }
}
