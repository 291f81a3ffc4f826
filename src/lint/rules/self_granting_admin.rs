//! Lint `self-granting-admin` (L013): a right to change the rules that grant it.
//!
//! What it finds: a subject receiving a block that allows `policy.manage` or
//! `role.manage` on that very block, or on a role through which the block
//! reaches the subject; or that allows changing (`write`, `manage`,
//! `group.manage`) the principal group through which the block reaches
//! the subject (principal groups are objects of kind `group`).
//!
//! Why it is bad: the holder can widen their own access (edit the block's
//! scope, add blocks to their role, add members to their group) without
//! anyone else's approval: a privilege escalation, the case Kubernetes
//! guards against with its `escalate` and `bind` verbs.
//!
//! Example:
//!
//! ```text
//! block admin { allow policy.manage, role.manage on all }
//! role platform-admin { admin }
//! assign platform-admin to ops        // ops can rewrite `admin` itself
//! ```
//!
//! Fix: scope administrative blocks so that they exclude the blocks and
//! roles that grant them (a separate object group, or a narrower kind), and
//! have another subject manage those.

use crate::check::model::{BlockId, Given, RoleId, Subject};
use crate::lint::{Ctx, Finding};
use crate::syntax::ast::Effect;

const ADMIN: [&str; 2] = ["policy.manage", "role.manage"];
/// Actions that change a principal group's membership.
const MEMBERSHIP: [&str; 3] = ["write", "manage", "group.manage"];

pub fn check(ctx: &Ctx<'_>) -> Vec<Finding> {
    let m = ctx.model;
    let mut reported = vec![false; m.blocks.len()];
    let mut out = Vec::new();
    for list in &ctx.entity_grants {
        for (b, via) in list {
            let block = m.block(*b);
            if block.effect != Effect::Allow || reported[b.index()] {
                continue;
            }
            let grants = |names: &[&str], o| {
                block.actions.iter().any(|a| {
                    names.contains(&m.actions[a.index()].name.as_str())
                        && m.applies(*a, crate::check::model::Scope::Object(o))
                })
            };
            // The group the block came through, when its holders may change it.
            if let Subject::Group(g) = via.subject {
                let group = m.principal_groups[g.index()].object;
                if m.block_reaches(*b, group) && grants(&MEMBERSHIP, group) {
                    reported[b.index()] = true;
                    out.push(
                        Finding::new(
                            ctx.block_span(*b),
                            format!(
                                "block `{}` lets its holders change principal group `{}`, through which they receive it",
                                ctx.block_name(*b),
                                m.group_name(g)
                            ),
                            "can add members to its own grant",
                        )
                        .secondary(m.grants[via.grant].span, "given here")
                        .help("scope the block so that it excludes the principal groups that receive it"),
                    );
                    continue;
                }
            }
            let admin = block
                .actions
                .iter()
                .any(|a| ADMIN.contains(&m.actions[a.index()].name.as_str()));
            if !admin {
                continue;
            }
            let roles: Vec<RoleId> = match m.grants[via.grant].given {
                Given::Role(r) => m.role_path(r, *b).unwrap_or_else(|| vec![r]),
                Given::Block(_) => Vec::new(),
            };
            let applies = |o| {
                block.actions.iter().any(|a| {
                    ADMIN.contains(&m.actions[a.index()].name.as_str())
                        && m.applies(*a, crate::check::model::Scope::Object(o))
                })
            };
            let own = block.object;
            let target = if m.block_reaches(*b, own) && applies(own) {
                Some(format!("block `{}` itself", ctx.block_name(*b)))
            } else {
                roles
                    .iter()
                    .find(|r| {
                        m.block_reaches(*b, m.role(**r).object) && applies(m.role(**r).object)
                    })
                    .map(|r| format!("role `{}`, which grants it", m.role_name(*r)))
            };
            if let Some(target) = target {
                reported[b.index()] = true;
                out.push(
                    Finding::new(ctx.block_span(*b), format!("block `{}` lets its holders manage {target}", ctx.block_name(BlockId(b.0))), "can rewrite its own grant")
                        .secondary(m.grants[via.grant].span, "given here")
                        .help("scope the administrative block so that it excludes the blocks and roles that grant it"),
                );
            }
        }
    }
    out
}
