//! Lint `deny-condition-fails-open` (L009): a deny that silently stops applying.
//!
//! What it finds: a deny block whose comparison (any operator, `!=`
//! included) reads an attribute (`entity.attributes.K`,
//! `object.attributes.K.J`...) that some subject receiving the block, or
//! some declared object in its scope, does not have.
//!
//! Why it is bad: a comparison with a side that does not resolve is false,
//! whatever the operator (spec section 5, as in Atom: "missing fields fail
//! closed"), so for those subjects and objects the deny does not apply: the
//! policy fails open, exactly where a missing attribute suggests something
//! unusual. `when entity.attributes.enabled != true` does not deny an
//! entity that has no `enabled` at all.
//!
//! Example:
//!
//! ```text
//! resource channel c2                        // no `env` attribute
//! block no-test { deny publish on resource:channel
//!                 when object.attributes.env == "test" }
//! ```
//!
//! Fix: give every subject and object in scope the attribute, or write the
//! deny so that a missing attribute denies (for example, an allow that
//! requires the attribute instead of a deny that forbids its absence).

use super::missing_attribute::{findings, Wording};
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::Effect;

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    findings(
        ctx,
        &Wording {
            effect: Effect::Deny,
            ops: |_| true,
            message: |block, key| {
                format!("deny block `{block}` does not apply where `{key}` is missing")
            },
            help: |key| {
                format!("give them `{key}`, or express the rule as an allow that requires `{key}`")
            },
        },
    )
}
