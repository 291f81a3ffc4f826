//! Lint `dangerous-grant-to-machine` (L012): powerful actions given to
//! machines that no guardrail has ruled on.
//!
//! What it finds: an allow block that gives `manage`, `delete`,
//! `policy.manage`, `role.manage` or `rotate` to a device, workload or
//! application (directly or through groups and roles), where no guardrail,
//! allow or deny, covers that entity kind, action and object type.
//!
//! Why it is bad: machines are the subjects most often compromised and least
//! often reviewed. A guardrail records that someone decided this grant is
//! acceptable (`guardrail allow`) or forbidden (`guardrail deny`); without
//! one, it may be an accident.
//!
//! Example:
//!
//! ```text
//! block wipe { allow delete on resource:channel }
//! grant wipe to meter-001             // a device, no guardrail on delete
//! ```
//!
//! Fix: decide, and write the guardrail: `guardrail allow device delete on
//! resource:channel` if intended, or remove the grant.

use std::collections::BTreeMap;

use crate::check::model::{ActionId, BlockId, EntityKind};
use crate::check::scope::target_covers;
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::Effect;

const DANGEROUS: [&str; 5] = ["manage", "delete", "policy.manage", "role.manage", "rotate"];

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    // (block, kind, action) → entities receiving it.
    let mut found: BTreeMap<(BlockId, EntityKind, ActionId), Vec<String>> = BTreeMap::new();
    for (e, list) in ctx.entity_grants.iter().enumerate() {
        let entity = &m.entities[e];
        if !matches!(
            entity.kind,
            EntityKind::Device | EntityKind::Workload | EntityKind::Application
        ) {
            continue;
        }
        let tenant = m.object(entity.object).tenant;
        for (b, via) in list {
            let block = m.block(*b);
            let Some(scope) = block.scope.filter(|_| block.effect == Effect::Allow) else {
                continue;
            };
            let grant_tenant = m.grants[via.grant].tenant.or(tenant);
            for a in &block.actions {
                if !DANGEROUS.contains(&m.actions[a.index()].name.as_str()) {
                    continue;
                }
                let uncovered = m.applicable_reach(*a, scope).into_iter().any(|kt| {
                    !m.guardrails.iter().any(|g| {
                        g.entity_kind == entity.kind
                            && g.actions.contains(a)
                            && (g.tenant.is_none() || g.tenant == grant_tenant)
                            && target_covers(g.target, kt)
                    })
                });
                if uncovered {
                    found
                        .entry((*b, entity.kind, *a))
                        .or_default()
                        .push(m.entity_name(crate::check::model::EntityId(e as u32)));
                }
            }
        }
    }
    found
        .into_iter()
        .map(|((b, kind, a), who)| {
            let action = &m.actions[a.index()].name;
            let block = m.block(b);
            let span = block.actions.iter().position(|x| *x == a).map_or(ctx.block_span(b), |i| block.action_spans[i]);
            Finding::new(span, format!("block `{}` gives `{action}` to {}s, and no guardrail covers it", ctx.block_name(b), kind.name()), format!("`{action}` reaches {} {}{}", who.len(), kind.name(), if who.len() == 1 { "" } else { "s" }))
                .note(format!("for example `{}`", who[0]))
                .help(format!("write `guardrail allow {} {action} on ...` if this is intended, or stop granting it to {}s", kind.name(), kind.name()))
        })
        .collect()
}
