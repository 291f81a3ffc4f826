//! Lint `condition-always-false` (L014): a condition that can never hold.
//!
//! What it finds, in one block's `when`: a path compared `==` to two
//! different values; a fixed field compared with a value it never takes
//! (`entity.status == "enabled"`, `entity.kind == "robot"`, an undeclared
//! `object.type`); or an attribute compared `==` with a value that no
//! declared entity or object has for it (when some do have it).
//!
//! Why it is bad: an allow that never applies grants nothing; a deny that
//! never applies protects nothing. Both usually hide a typo.
//!
//! Example:
//!
//! ```text
//! block b { allow read on all when entity.status == "enabled" }
//! ```
//!
//! Fix: use a value the field takes (`"active"`), or remove the contradiction.

use std::collections::BTreeSet;

use crate::check::model::{BlockId, Condition, Model, Operand, PathRoot, Value};
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::CmpOp;

/// Values a fixed field can take, if it is one.
fn fixed_values(m: &Model, c: &Condition) -> Option<Vec<String>> {
    let words = |w: &[&str]| Some(w.iter().map(|s| s.to_string()).collect());
    match (&c.left.root, c.left.field.as_str()) {
        (PathRoot::Entity, "status") => words(&crate::kinds::EntityStatus::NAMES),
        (PathRoot::Entity, "kind") => words(&crate::kinds::ENTITY_KINDS),
        (PathRoot::Tenant, "status") => words(&crate::kinds::TenantStatus::NAMES),
        (PathRoot::Object, "kind") => Some(
            crate::kinds::ObjectKind::ALL
                .iter()
                .map(|k| k.name().to_string())
                .collect(),
        ),
        (PathRoot::Object, "type") => Some(
            (0..m.types.len())
                .map(|t| m.type_name(crate::check::model::TypeId(t as u32)))
                .collect(),
        ),
        _ => None,
    }
}

/// The declared values of a top-level attribute, when some entity (or object) has it.
fn declared_values(m: &Model, c: &Condition) -> Option<Vec<Value>> {
    if c.left.field != "attributes" || c.left.keys.len() != 1 {
        return None;
    }
    let key = &c.left.keys[0];
    let values: Vec<Value> = match c.left.root {
        PathRoot::Entity => m
            .entities
            .iter()
            .flat_map(|e| m.object(e.object).attributes.iter())
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect(),
        PathRoot::Object => m
            .objects
            .iter()
            .flat_map(|o| o.attributes.iter())
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .collect(),
        _ => return None,
    };
    (!values.is_empty()).then_some(values)
}

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let mut out = Vec::new();
    for (i, block) in m.blocks.iter().enumerate() {
        let name = ctx.block_name(BlockId(i as u32));
        let mut seen: Vec<(&Condition, &Value)> = Vec::new();
        for c in block.checked_conditions() {
            let (CmpOp::Eq, Operand::Value(v)) = (c.op, &c.right) else {
                continue;
            };
            if let Some((first, _)) = seen.iter().find(|(other, w)| {
                other.left.root == c.left.root
                    && other.left.field == c.left.field
                    && other.left.keys == c.left.keys
                    && *w != v
            }) {
                out.push(
                    Finding::new(
                        c.span,
                        format!(
                            "block `{name}` requires `{}` to equal two different values",
                            path_text(c)
                        ),
                        "contradicts an earlier comparison",
                    )
                    .secondary(first.span, "the other value")
                    .help("keep one comparison, or use `in [...]` for a choice of values"),
                );
                continue;
            }
            seen.push((c, v));
            if let (Some(allowed), Value::Str(s)) = (fixed_values(m, c), v) {
                if !allowed.contains(s) {
                    out.push(
                        Finding::new(
                            c.span,
                            format!("`{}` is never {s:?}", path_text(c)),
                            "this comparison is always false",
                        )
                        .help(format!(
                            "`{}` takes {}",
                            path_text(c),
                            crate::check::suggest_list(&allowed)
                        )),
                    );
                }
                continue;
            }
            if let Some(values) = declared_values(m, c) {
                let scalar = matches!(
                    v,
                    Value::Str(_) | Value::Int(_) | Value::Dec(_) | Value::Bool(_)
                );
                if scalar && !values.contains(v) {
                    let distinct: BTreeSet<String> = values.iter().take(20).map(show).collect();
                    out.push(
                        Finding::new(
                            c.span,
                            format!("no declared value of `{}` equals {}", path_text(c), show(v)),
                            "never true for anything declared",
                        )
                        .note(format!(
                            "declared values include {}",
                            distinct.into_iter().take(5).collect::<Vec<_>>().join(", ")
                        ))
                        .help("check the value for a typo"),
                    );
                }
            }
        }
    }
    out
}

fn show(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("{s:?}"),
        Value::Int(i) => i.to_string(),
        Value::Dec(d) => d.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => "a compound value".to_string(),
    }
}

fn path_text(c: &Condition) -> String {
    let root = match c.left.root {
        PathRoot::Entity => "entity",
        PathRoot::Object => "object",
        PathRoot::Tenant => "tenant",
        PathRoot::Context => "context",
    };
    let mut parts = vec![root.to_string()];
    if !c.left.field.is_empty() {
        parts.push(c.left.field.clone());
    }
    parts.extend(c.left.keys.iter().cloned());
    parts.join(".")
}
