//! Lint `allow-not-equal-missing` (L018): an allow that `!=` opens to
//! subjects or objects without the attribute.
//!
//! What it finds: an allow block whose `!=` reads an attribute
//! (`entity.attributes.K`, `object.attributes.K.J`...) that some subject
//! receiving the block, or some declared object in its scope, does not
//! have.
//!
//! Why it is bad: `!=` is the exact negation of `==`, so it holds when a
//! side is missing. The allow then applies to exactly the subjects and
//! objects that lack the attribute, which is rarely what "differs from"
//! was meant to say.
//!
//! Example:
//!
//! ```text
//! entity device m2                           // no `fw` attribute
//! block non-legacy { allow publish on resource:channel
//!                    when entity.attributes.fw != "1" }
//! ```
//!
//! Fix: give every subject and object in scope the attribute, or require
//! it explicitly: compare with `in [...]` over the values that allow, or
//! add a condition that holds only when the attribute is there.

use super::missing_attribute::{findings, Wording};
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::{CmpOp, Effect};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    findings(
        ctx,
        &Wording {
            effect: Effect::Allow,
            ops: |op| op == CmpOp::Ne,
            message: |block, key| format!("allow block `{block}` applies where `{key}` is missing"),
            help: |key| {
                format!("give them `{key}`, or list the allowed values with `in [...]` so that a missing `{key}` does not allow")
            },
        },
    )
}
