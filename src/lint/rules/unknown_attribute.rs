//! Lint `unknown-attribute` (L010): a condition reads an attribute that nothing declares.
//!
//! What it finds: `entity.attributes.K`, `object.attributes.K` (or
//! `resource.`) or `tenant.attributes.K` where no declared entity, object
//! or tenant has an attribute K.
//!
//! Why it is bad: most likely a typo; the comparison is then always false
//! for declared things, and the block never (allow) or always-not (deny)
//! applies. Runtimes may describe undeclared things with more attributes,
//! so this is a warning, not an error.
//!
//! Example:
//!
//! ```text
//! entity device meter { site = "plant-a" }
//! block b { allow read on all when entity.attributes.stie == "plant-a" }
//! ```
//!
//! Fix: correct the key (the message suggests the nearest declared one), or
//! declare the attribute where it belongs.

use std::collections::BTreeSet;

use crate::check::model::{CondPath, Operand, PathRoot};
use crate::check::suggest_closest;
use crate::lint::{Ctx, Finding};

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let entity_keys: BTreeSet<&str> = m
        .entities
        .iter()
        .flat_map(|e| {
            m.object(e.object)
                .attributes
                .iter()
                .map(|(k, _)| k.as_str())
        })
        .chain(ctx.outside.entity_keys.iter().map(String::as_str))
        .collect();
    let object_keys: BTreeSet<&str> = m
        .objects
        .iter()
        .flat_map(|o| o.attributes.iter().map(|(k, _)| k.as_str()))
        .chain(ctx.outside.object_keys.iter().map(String::as_str))
        .collect();
    let tenant_keys: BTreeSet<&str> = m
        .tenants
        .iter()
        .flat_map(|t| t.attributes.iter().map(|(k, _)| k.as_str()))
        .chain(ctx.outside.tenant_keys.iter().map(String::as_str))
        .collect();
    let mut out = Vec::new();
    let mut check_path = |p: &CondPath| {
        if p.field != "attributes" || p.keys.is_empty() {
            return;
        }
        let (keys, what, whats) = match p.root {
            PathRoot::Entity => (&entity_keys, "entity", "entities"),
            PathRoot::Object => (&object_keys, "object", "objects"),
            PathRoot::Tenant => (&tenant_keys, "tenant", "tenants"),
            PathRoot::Context => return,
        };
        let key = p.keys[0].as_str();
        if keys.contains(key) {
            return;
        }
        let mut f = Finding::new(
            p.span,
            format!("no declared {what} has the attribute `{key}`"),
            "never set on anything declared",
        );
        f = match suggest_closest(key, keys.iter().copied()) {
            Some(s) => f.help(format!("did you mean `{s}`?")),
            None => f.help(format!(
                "declare `{key}` on the {whats} this condition is about"
            )),
        };
        out.push(f);
    };
    for block in &m.blocks {
        for c in block.checked_conditions() {
            check_path(&c.left);
            if let Operand::Path(p) = &c.right {
                check_path(p);
            }
        }
    }
    out
}
