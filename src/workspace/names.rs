//! Workspace: names; the declaration a name refers to, every use of a declaration, and docs.

use super::Workspace;
use crate::check::model::{Model, Symbol, TypeId};
use crate::diag::{FileId, Span};

impl Workspace {
    /// The symbol whose name is written at `offset` in `file`: a use of a
    /// name, or the name of a declaration.
    pub fn symbol_at(&self, file: FileId, offset: usize) -> Option<Symbol> {
        let m = self.model();
        let at = |s: &Span| s.file == file && (s.start as usize..=s.end as usize).contains(&offset);
        if let Some(u) = m.uses.iter().find(|u| at(&u.span)) {
            return Some(u.symbol);
        }
        declared_symbols(m)
            .find(|(_, span)| at(span))
            .map(|(s, _)| s)
    }

    /// Where the name at `offset` in `file` is declared (several places for
    /// an action named in several `action` statements).
    pub fn definition(&self, file: FileId, offset: usize) -> Vec<Span> {
        self.symbol_at(file, offset)
            .map(|s| self.model().declarations(s))
            .unwrap_or_default()
    }

    /// Every use of a symbol, in source order (declarations excluded).
    pub fn references(&self, symbol: Symbol) -> Vec<Span> {
        let mut spans: Vec<Span> = self
            .model()
            .uses
            .iter()
            .filter(|u| u.symbol == symbol)
            .map(|u| u.span)
            .collect();
        spans.sort_by_key(|s| (s.file, s.start));
        spans.dedup();
        spans
    }

    /// The `///` doc of the name at `offset` in `file`.
    pub fn doc(&self, file: FileId, offset: usize) -> Option<&str> {
        let symbol = self.symbol_at(file, offset)?;
        self.model().symbol_doc(symbol)
    }
}

/// Every declared symbol with the span of its name.
pub(super) fn declared_symbols(m: &Model) -> impl Iterator<Item = (Symbol, Span)> + '_ {
    use crate::check::model::{ActionId, ObjectId, ObjectRole, PrincipalGroupId};
    // A principal group is also an object; its name stands for the group.
    let objects = m
        .objects
        .iter()
        .enumerate()
        .filter(|(_, o)| !matches!(o.role, ObjectRole::PrincipalGroup(_)))
        .map(|(i, o)| (Symbol::Object(ObjectId(i as u32)), o.span));
    let groups = m
        .principal_groups
        .iter()
        .enumerate()
        .map(|(i, g)| (Symbol::PrincipalGroup(PrincipalGroupId(i as u32)), g.span));
    let actions = m.actions.iter().enumerate().flat_map(|(i, a)| {
        a.spans
            .iter()
            .map(move |&s| (Symbol::Action(ActionId(i as u32)), s))
    });
    let types = m
        .types
        .iter()
        .enumerate()
        .filter_map(|(i, t)| Some((Symbol::Type(TypeId(i as u32)), t.span?)));
    objects.chain(groups).chain(actions).chain(types)
}
