//! Testing: which blocks, roles, assignments and direct grants the test lines exercise.
//!
//! A test line exercises every grant that *matched* its request (the
//! block's scope contains the object and its conditions hold, for a
//! subject that receives it), whether or not that grant decided: the
//! block, the `assign`/`grant` statement that gave it to the subject, and
//! each role on the way from the assigned role down to the block. An item
//! that no line exercises is one a change could break with every test
//! still passing.

use std::collections::HashSet;

use crate::check::model::{self as m, BlockId, Model, RoleId, RoleItem};
use crate::diag::Span;
use crate::eval::explain::Outcome;
use crate::table::Table;

/// The kind of a covered item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    Block,
    Role,
    /// `assign ROLE to ...`
    Assignment,
    /// `grant BLOCK to ...` (a direct policy)
    Grant,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Block => "block",
            ItemKind::Role => "role",
            ItemKind::Assignment => "assignment",
            ItemKind::Grant => "grant",
        }
    }
}

/// One block, role or statement, and whether a test line exercises it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    /// The qualified name of a block or role; the statement's text
    /// (`assign ROLE to SUBJECT, ...`) for an assignment or grant.
    pub name: String,
    pub span: Span,
    pub exercised: bool,
}

/// What the test lines exercise: every item of the set, in model order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    pub items: Vec<Item>,
}

impl Coverage {
    /// (exercised, total) over the items `keep` selects.
    pub fn counts(&self, keep: impl Fn(&Item) -> bool) -> (usize, usize) {
        let kept = self.items.iter().filter(|i| keep(i));
        kept.fold((0, 0), |(e, n), i| (e + usize::from(i.exercised), n + 1))
    }
}

/// The percentage `exercised / total` (100 for an empty set).
pub fn percent(exercised: usize, total: usize) -> f64 {
    if total == 0 {
        100.0
    } else {
        exercised as f64 * 100.0 / total as f64
    }
}

/// Computes what `lines` exercise in `model`, decided by `table` (compiled from it).
pub fn coverage(model: &Model, table: &Table<'_>, lines: &[&m::TestLine]) -> Coverage {
    let mut blocks = vec![false; model.blocks.len()];
    let mut roles = vec![false; model.roles.len()];
    let mut grants = vec![false; model.grants.len()];
    let paths = RolePaths::new(model);
    for line in lines {
        let e = super::explain_line(model, table, line);
        for c in e
            .considered
            .iter()
            .filter(|c| c.outcome == Outcome::Matched)
        {
            let block = BlockId(c.block_index);
            if let Some(seen) = blocks.get_mut(block.index()) {
                *seen = true;
            }
            let (direct, group, given, subject) = table.via(c.via_index);
            let subject = if group {
                m::Subject::Group(m::PrincipalGroupId(subject))
            } else {
                m::Subject::Entity(m::EntityId(subject))
            };
            for (gi, g) in model.grants.iter().enumerate() {
                let gives = match g.given {
                    m::Given::Role(r) => !direct && model.role(r).object.0 == given,
                    m::Given::Block(b) => direct && model.block(b).object.0 == given,
                };
                if gives && g.subjects.iter().any(|(s, _)| *s == subject) {
                    grants[gi] = true;
                    if let m::Given::Role(r) = g.given {
                        paths.mark(r, block, &mut roles);
                    }
                }
            }
        }
    }
    Coverage {
        items: items(model, &blocks, &roles, &grants),
    }
}

fn items(model: &Model, blocks: &[bool], roles: &[bool], grants: &[bool]) -> Vec<Item> {
    let mut items = Vec::new();
    for (i, b) in model.blocks.iter().enumerate() {
        items.push(Item {
            kind: ItemKind::Block,
            name: model.block_name(BlockId(i as u32)),
            span: model.object(b.object).span,
            exercised: blocks[i],
        });
    }
    for (i, r) in model.roles.iter().enumerate() {
        items.push(Item {
            kind: ItemKind::Role,
            name: model.role_name(RoleId(i as u32)),
            span: model.object(r.object).span,
            exercised: roles[i],
        });
    }
    for (i, g) in model.grants.iter().enumerate() {
        let (kind, verb, given) = match g.given {
            m::Given::Role(r) => (ItemKind::Assignment, "assign", model.role_name(r)),
            m::Given::Block(b) => (ItemKind::Grant, "grant", model.block_name(b)),
        };
        let to: Vec<String> = g
            .subjects
            .iter()
            .map(|(s, _)| match s {
                m::Subject::Entity(e) => model.entity_name(*e),
                m::Subject::Group(p) => model.group_name(*p),
            })
            .collect();
        items.push(Item {
            kind,
            name: format!("{verb} {given} to {}", to.join(", ")),
            span: g.span,
            exercised: grants[i],
        });
    }
    items
}

/// Which roles lead to which blocks, for marking the roles on a path.
struct RolePaths<'m> {
    model: &'m Model,
}

impl RolePaths<'_> {
    fn new(model: &Model) -> RolePaths<'_> {
        RolePaths { model }
    }

    /// Marks every role on a path from `from` down to `block`. Roles may not
    /// form cycles in a checked set; `seen` bounds the walk regardless.
    fn mark(&self, from: RoleId, block: BlockId, marked: &mut [bool]) {
        let mut seen = HashSet::new();
        self.reaches(from, block, marked, &mut seen);
    }

    fn reaches(
        &self,
        role: RoleId,
        block: BlockId,
        marked: &mut [bool],
        seen: &mut HashSet<RoleId>,
    ) -> bool {
        if !seen.insert(role) {
            return marked[role.index()];
        }
        let mut found = false;
        for (item, _) in &self.model.role(role).items {
            found |= match *item {
                RoleItem::Block(b) => b == block,
                RoleItem::Role(inner) => self.reaches(inner, block, marked, seen),
            };
        }
        if found {
            marked[role.index()] = true;
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_of_nothing_is_complete() {
        assert!((percent(0, 0) - 100.0).abs() < f64::EPSILON);
        assert!((percent(1, 4) - 25.0).abs() < f64::EPSILON);
    }
}
