//! Lint `deny-condition-fails-open` (L009): a deny that silently stops applying.
//!
//! What it finds: a deny block whose condition reads an attribute
//! (`entity.attributes.K` or `object.attributes.K`) that some subject
//! receiving the block, or some declared object in its scope, does not have.
//!
//! Why it is bad: a comparison with a missing attribute is false, so for
//! those subjects and objects the deny does not apply: the policy fails
//! open, exactly where a missing attribute suggests something unusual.
//!
//! Example:
//!
//! ```text
//! entity device meter-3                       // no `site` attribute
//! block off-site { deny publish on resource:channel
//!                  when entity.attributes.site != object.attributes.site }
//! ```
//!
//! Fix: give every subject and object in scope the attribute, or write the
//! deny so that a missing attribute denies (for example, an allow that
//! requires the attribute instead of a deny that forbids its absence).

use crate::check::model::{BlockId, CondPath, ObjectId, Operand, PathRoot};
use crate::check::suggest_list;
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::Effect;

fn attribute_key(p: &CondPath) -> Option<(&PathRoot, &str)> {
    (p.field == "attributes"
        && !p.keys.is_empty()
        && matches!(p.root, PathRoot::Entity | PathRoot::Object))
    .then(|| (&p.root, p.keys[0].as_str()))
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let mut out = Vec::new();
    for (i, block) in m.blocks.iter().enumerate() {
        let b = BlockId(i as u32);
        if block.effect != Effect::Deny || block.conditions.is_empty() {
            continue;
        }
        let mut in_scope: Option<Vec<ObjectId>> = None;
        for c in &block.conditions {
            let right = match &c.right {
                Operand::Path(p) => Some(p),
                Operand::Value(_) => None,
            };
            for path in std::iter::once(&c.left).chain(right) {
                let Some((root, key)) = attribute_key(path) else {
                    continue;
                };
                let missing: Vec<String> = match root {
                    PathRoot::Entity => ctx.receivers[i]
                        .iter()
                        .filter(|e| {
                            !m.object(m.entity(**e).object)
                                .attributes
                                .iter()
                                .any(|(k, _)| k == key)
                        })
                        .map(|e| m.entity_name(*e))
                        .collect(),
                    _ => {
                        let objects = in_scope.get_or_insert_with(|| {
                            ctx.objects_in_boundary(b)
                                .filter(|o| m.block_reaches(b, *o))
                                .collect()
                        });
                        objects
                            .iter()
                            .filter(|o| !m.object(**o).attributes.iter().any(|(k, _)| k == key))
                            .map(|o| m.qualified_name(*o))
                            .collect()
                    }
                };
                if missing.is_empty() {
                    continue;
                }
                let whose = match (matches!(root, PathRoot::Entity), missing.len()) {
                    (true, 1) => "subject receiving it has",
                    (true, _) => "subjects receiving it have",
                    (false, 1) => "object in its scope has",
                    (false, _) => "objects in its scope have",
                };
                let examples: Vec<String> = missing.iter().take(3).cloned().collect();
                out.push(
                    Finding::new(
                        path.span,
                        format!(
                            "deny block `{}` does not apply where `{key}` is missing",
                            ctx.block_name(b)
                        ),
                        format!("{} {whose} no `{key}`", missing.len()),
                    )
                    .secondary(ctx.block_span(b), "this deny")
                    .note(format!("for example {}", suggest_list(&examples)))
                    .help(format!(
                        "give them `{key}`, or express the rule as an allow that requires `{key}`"
                    )),
                );
            }
        }
    }
    out
}
