//! Workspace: renaming a declaration everywhere it is named, and finding declarations by name.

use super::names::declared_symbols;
use super::Workspace;
use crate::check::model::{Model, ObjectRole, Symbol};
use crate::diag::{FileId, Span};
use crate::syntax::written_name;

/// Whether a bare word reads as a keyword, kind, status or literal where
/// names stand: a rename to one is refused.
fn reserved(word: &str) -> bool {
    use crate::kinds::{EntityKind, EntityStatus, ObjectKind, TenantStatus};
    crate::syntax::keywords::is_keyword(word)
        || ObjectKind::from_name(word).is_some()
        || EntityKind::from_name(word).is_some()
        || EntityStatus::from_name(word).is_some()
        || TenantStatus::from_name(word).is_some()
        || matches!(word, "all" | "platform" | "true" | "false")
}

/// Why a rename is refused.
#[derive(Debug, PartialEq, Eq)]
pub enum RenameError {
    /// Nothing renamable at that position (a keyword, a built-in type...).
    NotAName,
    /// The new name is empty or a keyword.
    Invalid(String),
    /// Something of that name is already declared where the symbol lives.
    Collision(String),
}

impl std::fmt::Display for RenameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenameError::NotAName => f.write_str("there is no declared name here to rename"),
            RenameError::Invalid(why) | RenameError::Collision(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for RenameError {}

impl Workspace {
    /// The name at `offset` that a rename would change, and its span there.
    pub fn prepare_rename(
        &self,
        file: FileId,
        offset: usize,
    ) -> Result<(Symbol, Span), RenameError> {
        let m = self.model();
        let symbol = self.symbol_at(file, offset).ok_or(RenameError::NotAName)?;
        if matches!(symbol, Symbol::Type(_)) {
            return Err(RenameError::NotAName);
        }
        let at = |s: &Span| s.file == file && (s.start as usize..=s.end as usize).contains(&offset);
        let span = m
            .uses
            .iter()
            .filter(|u| u.symbol == symbol)
            .map(|u| u.span)
            .chain(m.declarations(symbol))
            .find(at)
            .ok_or(RenameError::NotAName)?;
        Ok((symbol, span))
    }

    /// The edits that rename the symbol at `offset` to `new_name`: its
    /// declarations and every use (the tenant qualifier of `T/name` kept).
    pub fn rename(
        &self,
        file: FileId,
        offset: usize,
        new_name: &str,
    ) -> Result<Vec<(Span, String)>, RenameError> {
        let (symbol, _) = self.prepare_rename(file, offset)?;
        if new_name.is_empty() || reserved(new_name) {
            return Err(RenameError::Invalid(format!(
                "`{new_name}` cannot be a name here"
            )));
        }
        let m = self.model();
        if let Some(other) = collision(m, symbol, new_name) {
            return Err(RenameError::Collision(format!(
                "`{new_name}` is already declared as `{other}`"
            )));
        }
        if let Some(why) = shadowing(m, symbol, new_name) {
            return Err(RenameError::Collision(why));
        }
        let text = written_name(new_name);
        let mut spans = m.declarations(symbol);
        spans.extend(self.references(symbol));
        spans.sort_by_key(|s| (s.file, s.start));
        spans.dedup();
        Ok(spans.into_iter().map(|s| (s, text.clone())).collect())
    }

    /// Declarations whose name contains `query` (any case), for workspace symbols.
    pub fn find_declarations(&self, query: &str) -> Vec<(Symbol, Span)> {
        let q = query.to_lowercase();
        declared_symbols(self.model())
            .filter(|(s, _)| self.model().symbol_name(*s).to_lowercase().contains(&q))
            .collect()
    }
}

/// Where the symbol's home is: its tenant, or the platform (`None`; a
/// tenant itself is a platform name). Actions and types have none.
fn home(m: &Model, symbol: Symbol) -> Option<Option<crate::check::model::TenantId>> {
    match symbol {
        Symbol::Object(o) if matches!(m.object(o).role, ObjectRole::Tenant(_)) => Some(None),
        Symbol::Object(o) => Some(m.object(o).tenant),
        Symbol::PrincipalGroup(g) => Some(m.principal_groups[g.index()].tenant),
        Symbol::Action(_) | Symbol::Type(_) => None,
    }
}

/// Why renaming the symbol to `name` would change what another name
/// means: inside tenant T a name is looked up in T first, then in the
/// platform. A tenant's declaration named like a platform one hides it in
/// T ("would shadow"); a platform declaration named like one of a tenant's
/// is hidden there ("would be shadowed").
fn shadowing(m: &Model, symbol: Symbol, name: &str) -> Option<String> {
    let home = home(m, symbol)?;
    let same_name = |o: &&crate::check::model::Object| {
        o.name == name && !matches!(o.role, ObjectRole::Tenant(_))
    };
    match home {
        Some(t) => {
            let platform = m.objects.iter().filter(same_name).any(|o| o.tenant.is_none())
                || m.objects.iter().any(|o| o.name == name && matches!(o.role, ObjectRole::Tenant(_)));
            platform.then(|| {
                format!(
                    "`{name}` would shadow the platform's `{name}` inside tenant `{}`",
                    m.tenants[t.index()].name
                )
            })
        }
        None => m
            .objects
            .iter()
            .filter(same_name)
            .find_map(|o| o.tenant)
            .map(|t| {
                let t = &m.tenants[t.index()].name;
                format!("inside tenant `{t}`, `{name}` names `{t}/{name}`: the renamed declaration would be shadowed there")
            }),
    }
}

/// The qualified name of a declaration that already has `name` in the
/// symbol's namespace (its tenant or the platform; actions are global).
fn collision(m: &Model, symbol: Symbol, name: &str) -> Option<String> {
    let tenant = match symbol {
        Symbol::Action(_) => {
            return m
                .actions
                .iter()
                .any(|a| a.name == name)
                .then(|| name.to_string());
        }
        Symbol::Object(o) => m.object(o).tenant,
        Symbol::PrincipalGroup(g) => m.principal_groups[g.index()].tenant,
        Symbol::Type(_) => return None,
    };
    // A tenant is a platform name, though it belongs to itself.
    let tenant = match symbol {
        Symbol::Object(o) if matches!(m.object(o).role, ObjectRole::Tenant(_)) => None,
        _ => tenant,
    };
    let object = m.objects.iter().enumerate().find(|(_, o)| {
        let home = if matches!(o.role, ObjectRole::Tenant(_)) {
            None
        } else {
            o.tenant
        };
        o.name == name && home == tenant
    });
    object.map(|(i, _)| m.qualified_name(crate::check::model::ObjectId(i as u32)))
}
