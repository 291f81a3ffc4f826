//! Check: derived structure of the checked model: role closures, principal
//! group trees, and who receives what.
//!
//! These rely on the model's invariant that roles form a DAG and both kinds
//! of group form forests (A0007 removes any cycle before they run).

use super::model::*;

/// How a block reaches a subject.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Via {
    /// The `assign` or `grant` statement.
    pub grant: usize,
    /// The subject of that statement that reaches the entity: itself, or a
    /// principal group containing it (directly or through child groups).
    pub subject: Subject,
}

impl Model {
    /// For each role, the blocks it holds, directly or through included
    /// roles, each once, in first-reached order.
    pub fn role_blocks(&self) -> Vec<Vec<BlockId>> {
        let mut memo: Vec<Option<Vec<BlockId>>> = vec![None; self.roles.len()];
        for root in 0..self.roles.len() {
            // Post-order over included roles with an explicit stack.
            let mut stack = vec![(root, false)];
            while let Some((r, expanded)) = stack.pop() {
                if memo[r].is_some() {
                    continue;
                }
                if !expanded {
                    stack.push((r, true));
                    for (item, _) in &self.roles[r].items {
                        if let RoleItem::Role(child) = item {
                            if memo[child.index()].is_none() {
                                stack.push((child.index(), false));
                            }
                        }
                    }
                    continue;
                }
                let mut blocks: Vec<BlockId> = Vec::new();
                let mut seen = std::collections::HashSet::new();
                for (item, _) in &self.roles[r].items {
                    let add: &[BlockId] = match item {
                        RoleItem::Block(b) => std::slice::from_ref(b),
                        // Children were finished first (the roles form a DAG).
                        RoleItem::Role(child) => memo[child.index()].as_deref().unwrap_or(&[]),
                    };
                    for b in add {
                        if seen.insert(*b) {
                            blocks.push(*b);
                        }
                    }
                }
                memo[r] = Some(blocks);
            }
        }
        memo.into_iter().map(Option::unwrap_or_default).collect()
    }

    /// The chain of roles from `role` to one that holds `block` directly
    /// (`role` first), if `block` is in the role's closure.
    pub fn role_path(&self, role: RoleId, block: BlockId) -> Option<Vec<RoleId>> {
        let mut stack = vec![vec![role]];
        let mut seen = std::collections::HashSet::new();
        while let Some(path) = stack.pop() {
            let r = *path.last()?;
            if !seen.insert(r) {
                continue;
            }
            for (item, _) in self.role(r).items.iter().rev() {
                match item {
                    RoleItem::Block(b) if *b == block => return Some(path),
                    RoleItem::Role(child) => {
                        let mut next = path.clone();
                        next.push(*child);
                        stack.push(next);
                    }
                    RoleItem::Block(_) => {}
                }
            }
        }
        None
    }

    /// Child groups of each principal group.
    pub fn principal_group_children(&self) -> Vec<Vec<PrincipalGroupId>> {
        let mut children = vec![Vec::new(); self.principal_groups.len()];
        for (i, g) in self.principal_groups.iter().enumerate() {
            if let Some(p) = g.parent {
                children[p.index()].push(PrincipalGroupId(i as u32));
            }
        }
        children
    }

    /// Every entity a grant to `group` reaches: its members and the members
    /// of its child groups at any depth, each once.
    pub fn group_reach(
        &self,
        group: PrincipalGroupId,
        children: &[Vec<PrincipalGroupId>],
    ) -> Vec<EntityId> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![group];
        while let Some(g) = stack.pop() {
            for e in &self.principal_groups[g.index()].members {
                if seen.insert(*e) {
                    out.push(*e);
                }
            }
            stack.extend(children[g.index()].iter().rev());
        }
        out
    }

    /// For each entity, the principal groups whose grants reach it: the
    /// groups it is a member of, and all their ancestors.
    pub fn groups_of_entities(&self) -> Vec<Vec<PrincipalGroupId>> {
        let mut out = vec![Vec::new(); self.entities.len()];
        for (i, g) in self.principal_groups.iter().enumerate() {
            for e in &g.members {
                let mut node = Some(PrincipalGroupId(i as u32));
                while let Some(n) = node {
                    let list = &mut out[e.index()];
                    if list.contains(&n) {
                        break;
                    }
                    list.push(n);
                    node = self.principal_groups[n.index()].parent;
                }
            }
        }
        for list in &mut out {
            list.sort();
        }
        out
    }

    /// Every block that reaches each entity, with how it gets there; deny
    /// and allow alike, conditions not evaluated. Sorted and without
    /// duplicates, so the result is deterministic.
    pub fn entity_grants(&self) -> Vec<Vec<(BlockId, Via)>> {
        let role_blocks = self.role_blocks();
        let children = self.principal_group_children();
        let mut out = vec![Vec::new(); self.entities.len()];
        for (gi, grant) in self.grants.iter().enumerate() {
            let blocks: &[BlockId] = match &grant.given {
                Given::Block(b) => std::slice::from_ref(b),
                Given::Role(r) => &role_blocks[r.index()],
            };
            for (subject, _) in &grant.subjects {
                let reached = match subject {
                    Subject::Entity(e) => vec![*e],
                    Subject::Group(g) => self.group_reach(*g, &children),
                };
                for e in reached {
                    for b in blocks {
                        out[e.index()].push((
                            *b,
                            Via {
                                grant: gi,
                                subject: *subject,
                            },
                        ));
                    }
                }
            }
        }
        for list in &mut out {
            list.sort();
            list.dedup();
        }
        out
    }
}
