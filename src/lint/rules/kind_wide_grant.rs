//! Lint `kind-wide-grant` (L008): `on KIND` where the actions fit one type only.
//!
//! What it finds: a block scoped to a whole kind (`on resource`, `on
//! entity`) whose actions apply to a single type of that kind.
//!
//! Why it is bad: the block says more than it means. Today it reaches only
//! that type, but as soon as the action is made applicable to another type,
//! the grant silently widens to it.
//!
//! Example:
//!
//! ```text
//! action publish on resource:channel
//! block pub { allow publish on resource }      // means resource:channel
//! ```
//!
//! Fix: name the type: `allow publish on resource:channel`. `atom check
//! --fix` does it: the block reaches the same objects, so no decision changes.

use std::collections::BTreeSet;

use crate::check::model::{BlockId, Scope, Target};
use crate::check::scope::has_types;
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::Effect;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let mut out = Vec::new();
    for (i, b) in m.blocks.iter().enumerate() {
        let Some(Scope::Kind(kind)) = b.scope else {
            continue;
        };
        if b.effect != Effect::Allow || !has_types(kind) || b.actions.is_empty() {
            continue;
        }
        let mut types = BTreeSet::new();
        let mut whole_kind = false;
        for a in &b.actions {
            for row in &m.actions[a.index()].rows {
                match row {
                    Target::Kind(k) if *k == kind => whole_kind = true,
                    Target::Type(t) if m.types[t.index()].kind == kind => {
                        types.insert(*t);
                    }
                    _ => {}
                }
            }
        }
        if whole_kind || types.len() != 1 {
            continue;
        }
        let Some(t) = types.first() else { continue };
        let ty = m.type_name(*t);
        out.push(
            Finding::new(b.scope_span, format!("block `{}` is scoped to all of `{}` but its actions only apply to `{ty}`", m.block_name(BlockId(i as u32)), kind.name()), "a kind-wide scope")
                .help(format!("write `on {ty}`, so that the grant cannot widen when the actions' applicability does"))
                .fix(format!("scope the block to `{ty}`"), b.scope_span, ty.clone()),
        );
    }
    out
}
