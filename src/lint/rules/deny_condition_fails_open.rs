//! Lint `deny-condition-fails-open` (L009): a deny that silently stops applying.
//!
//! What it finds: a deny block whose `==`, `in`, `contains` or ordering
//! reads an attribute (`entity.attributes.K`, `object.attributes.K.J`...)
//! that some subject receiving the block, or some declared object in its
//! scope, does not have. (`!=` holds when a side is missing, so it does not
//! fail open in a deny.)
//!
//! Why it is bad: such a comparison with a missing attribute is false, so
//! for those subjects and objects the deny does not apply: the policy fails
//! open, exactly where a missing attribute suggests something unusual.
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
use crate::syntax::ast::{CmpOp, Effect};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    findings(
        ctx,
        &Wording {
            effect: Effect::Deny,
            ops: |op| op != CmpOp::Ne,
            message: |block, key| {
                format!("deny block `{block}` does not apply where `{key}` is missing")
            },
            help: |key| {
                format!("give them `{key}`, or express the rule as an allow that requires `{key}`")
            },
        },
    )
}
