//! Lint support: conditions that read an attribute some subject or object
//! in scope lacks. A missing side makes every comparison false, `!=`
//! included (spec section 5), so a deny does not apply for a reason its
//! author did not write. Used by `deny-condition-fails-open`.

use crate::check::model::{Attributes, BlockId, CondPath, ObjectId, Operand, PathRoot, Value};
use crate::check::suggest_list;
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::{CmpOp, Effect};

/// The attribute keys a path reads, for `entity.attributes.K...` and
/// `object.attributes.K...`.
fn attribute_keys(p: &CondPath) -> Option<(&PathRoot, &[String])> {
    (p.field == "attributes"
        && !p.keys.is_empty()
        && matches!(p.root, PathRoot::Entity | PathRoot::Object))
    .then_some((&p.root, p.keys.as_slice()))
}

/// Whether an attribute map holds a value at the nested keys.
fn has_path(attrs: &Attributes, keys: &[String]) -> bool {
    let mut map = attrs;
    for (i, key) in keys.iter().enumerate() {
        match map.iter().find(|(k, _)| k == key) {
            None => return false,
            Some((_, _)) if i + 1 == keys.len() => return true,
            Some((_, Value::Map(inner))) => map = inner,
            Some(_) => return false,
        }
    }
    false
}

/// What a finding says, for one lint.
pub struct Wording {
    /// The effect of the blocks looked at.
    pub effect: Effect,
    /// Which operators' sides are looked at.
    pub ops: fn(CmpOp) -> bool,
    /// The message, from the block name and the dotted key.
    pub message: fn(&str, &str) -> String,
    /// The help, from the dotted key.
    pub help: fn(&str) -> String,
}

/// Every condition side of the selected blocks that reads an attribute
/// missing from some subject receiving the block or object in its scope.
pub fn findings(ctx: &Ctx<'_>, w: &Wording) -> Vec<Finding> {
    let m = ctx.model;
    let mut out = Vec::new();
    for (i, block) in m.blocks.iter().enumerate() {
        let b = BlockId(i as u32);
        if block.effect != w.effect {
            continue;
        }
        let mut in_scope: Option<Vec<ObjectId>> = None;
        for c in block.checked_conditions().iter().filter(|c| (w.ops)(c.op)) {
            let right = match &c.right {
                Operand::Path(p) => Some(p),
                Operand::Value(_) => None,
            };
            for path in std::iter::once(&c.left).chain(right) {
                let Some((root, keys)) = attribute_keys(path) else {
                    continue;
                };
                let missing: Vec<String> = match root {
                    PathRoot::Entity => ctx.receivers[i]
                        .iter()
                        .filter(|e| !has_path(&m.object(m.entity(**e).object).attributes, keys))
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
                            .filter(|o| !has_path(&m.object(**o).attributes, keys))
                            .map(|o| m.qualified_name(*o))
                            .collect()
                    }
                };
                if missing.is_empty() {
                    continue;
                }
                let key = keys.join(".");
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
                        (w.message)(&ctx.block_name(b), &key),
                        format!("{} {whose} no `{key}`", missing.len()),
                    )
                    .secondary(
                        ctx.block_span(b),
                        if w.effect == Effect::Deny {
                            "this deny"
                        } else {
                            "this allow"
                        },
                    )
                    .note(format!("for example {}", suggest_list(&examples)))
                    .help((w.help)(&key)),
                );
            }
        }
    }
    out
}
