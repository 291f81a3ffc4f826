//! Check: cycles in object groups, principal groups and roles (A0007).
//!
//! Each cycle is reported once, naming every member, at the reference that
//! closes it; that reference is then dropped, so that every later pass
//! walks forests and DAGs.

use super::build::Checker;
use super::model::*;
use crate::diag::{codes, Diagnostic, Span};

/// Finds the cycles of a graph where each node has at most one parent.
/// Returns each cycle as its nodes in parent order, starting at the node
/// whose parent link closes it: the one declared last (the largest index),
/// as a role cycle closes at the item written last.
fn parent_cycles(parents: &[Option<usize>]) -> Vec<Vec<usize>> {
    // 0 = unvisited, 1 = on the current walk, 2 = done.
    let mut state = vec![0u8; parents.len()];
    let mut cycles = Vec::new();
    for start in 0..parents.len() {
        let mut walk = Vec::new();
        let mut node = Some(start);
        while let Some(n) = node {
            match state[n] {
                2 => break,
                1 => {
                    let from = walk.iter().position(|&w| w == n).unwrap_or(0);
                    let mut cycle: Vec<usize> = walk[from..].to_vec();
                    let min = cycle
                        .iter()
                        .enumerate()
                        .max_by_key(|(_, &v)| v)
                        .map_or(0, |(i, _)| i);
                    cycle.rotate_left(min);
                    cycles.push(cycle);
                    break;
                }
                _ => {
                    state[n] = 1;
                    walk.push(n);
                    node = parents[n];
                }
            }
        }
        for w in walk {
            state[w] = 2;
        }
    }
    cycles
}

impl Checker<'_> {
    fn cycle_error(
        &mut self,
        what: &str,
        names: &[String],
        closing: Span,
        others: Vec<Span>,
        help: &str,
    ) {
        let mut path: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        path.push(format!("`{}`", names[0]));
        let mut d = Diagnostic::error(
            codes::CYCLE,
            format!("{what} form a cycle: {}", path.join(" → ")),
            closing,
        )
        .with_label("this closes the cycle")
        .with_help(help);
        for span in others {
            d = d.with_secondary(span, "part of the cycle");
        }
        self.error(d);
    }

    pub fn check_cycles(&mut self) {
        self.object_group_cycles();
        self.principal_group_cycles();
        self.role_cycles();
    }

    fn object_group_cycles(&mut self) {
        let parents: Vec<Option<usize>> = self
            .model
            .groups
            .iter()
            .map(|g| g.parent.map(GroupId::index))
            .collect();
        for cycle in parent_cycles(&parents) {
            let names: Vec<String> = cycle
                .iter()
                .map(|&g| self.model.object(self.model.groups[g].object).name.clone())
                .collect();
            let spans: Vec<Span> = cycle
                .iter()
                .map(|&g| {
                    let group = &self.model.groups[g];
                    group
                        .parent_span
                        .unwrap_or(self.model.object(group.object).span)
                })
                .collect();
            self.cycle_error(
                "object groups",
                &names,
                spans[0],
                spans[1..].to_vec(),
                "an object group sits in at most one parent, and groups nest as a tree: remove one `in`",
            );
            let first = GroupId(cycle[0] as u32);
            self.model.groups[first.index()].parent = None;
            let object = self.model.groups[first.index()].object;
            self.model.objects[object.index()].parent = None;
        }
    }

    fn principal_group_cycles(&mut self) {
        let parents: Vec<Option<usize>> = self
            .model
            .principal_groups
            .iter()
            .map(|g| g.parent.map(PrincipalGroupId::index))
            .collect();
        for cycle in parent_cycles(&parents) {
            let names: Vec<String> = cycle
                .iter()
                .map(|&g| self.model.principal_groups[g].name.clone())
                .collect();
            let spans: Vec<Span> = cycle
                .iter()
                .map(|&g| {
                    let group = &self.model.principal_groups[g];
                    group.parent_span.unwrap_or(group.span)
                })
                .collect();
            self.cycle_error(
                "principal groups",
                &names,
                spans[0],
                spans[1..].to_vec(),
                "a principal group's parent must not be one of its own child groups: remove one `in`",
            );
            self.model.principal_groups[cycle[0]].parent = None;
        }
    }

    /// Roles including roles: a depth-first search; a back edge closes a cycle.
    fn role_cycles(&mut self) {
        let n = self.model.roles.len();
        let mut state = vec![0u8; n];
        for root in 0..n {
            if state[root] != 0 {
                continue;
            }
            // Stack of (role, next item index); `path` mirrors the roles on it.
            let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
            state[root] = 1;
            while let Some(&mut (role, ref mut next)) = stack.last_mut() {
                let items = &self.model.roles[role].items;
                let Some(&(item, span)) = items.get(*next) else {
                    state[role] = 2;
                    stack.pop();
                    continue;
                };
                *next += 1;
                let RoleItem::Role(child) = item else {
                    continue;
                };
                match state[child.index()] {
                    0 => {
                        state[child.index()] = 1;
                        stack.push((child.index(), 0));
                    }
                    1 => {
                        let from = stack
                            .iter()
                            .position(|&(r, _)| r == child.index())
                            .unwrap_or(0);
                        let members: Vec<usize> = stack[from..].iter().map(|&(r, _)| r).collect();
                        let names: Vec<String> = members
                            .iter()
                            .map(|&r| self.model.object(self.model.roles[r].object).name.clone())
                            .collect();
                        let others: Vec<Span> = members
                            .iter()
                            .filter(|&&r| r != role)
                            .map(|&r| self.model.object(self.model.roles[r].object).span)
                            .collect();
                        self.cycle_error(
                            "roles",
                            &names,
                            span,
                            others,
                            "a role may include other roles, but never itself, directly or through others: remove this item",
                        );
                        // Drop the closing item so later passes see a DAG.
                        let items = &mut self.model.roles[role].items;
                        if let Some(i) = items.iter().position(|&(it, s)| it == item && s == span) {
                            items.remove(i);
                            if let Some(top) = stack.last_mut() {
                                top.1 -= 1;
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parent_cycles;

    #[test]
    fn parent_cycles_are_found_once() {
        // 0 → 1 → 2 → 0, 3 → 0 (leads into the cycle), 4 → 4.
        let parents = [Some(1), Some(2), Some(0), Some(0), Some(4), None];
        assert_eq!(parent_cycles(&parents), vec![vec![2, 0, 1], vec![4]]);
    }
}
