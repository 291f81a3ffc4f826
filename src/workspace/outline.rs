//! Workspace: the outline of a file (tenants holding their declarations), for document symbols.

use super::Workspace;
use crate::diag::{FileId, Span};
use crate::syntax::ast::{Decl, Item};

/// One declaration in a file's outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outline {
    /// The declared name, or a short text for statements without one.
    pub name: String,
    /// The declaration's keyword (`entity`, `block`, `assign`...).
    pub keyword: &'static str,
    /// The whole declaration.
    pub span: Span,
    /// The name (or the keyword, for statements without one).
    pub name_span: Span,
    /// A tenant's declarations.
    pub children: Vec<Outline>,
}

impl Workspace {
    /// The outline of one file: every declaration that parsed, in order.
    pub fn outline(&self, file: FileId) -> Vec<Outline> {
        self.parsed(file)
            .map(|p| p.file.items.iter().map(outline).collect())
            .unwrap_or_default()
    }
}

fn outline(item: &Item) -> Outline {
    let named = |name: &crate::syntax::ast::Name| (name.text.clone(), name.span);
    let listed = |names: Vec<String>, span: Span| (names.join(", "), span);
    let (name, name_span) = match &item.decl {
        Decl::Tenant(t) => named(&t.name),
        Decl::Entity(d) => named(&d.name),
        Decl::Resource(d) => named(&d.name),
        Decl::Object(d) => named(&d.name),
        Decl::ObjectGroup(d) => named(&d.name),
        Decl::PrincipalGroup(d) => named(&d.name),
        Decl::Block(d) => named(&d.name),
        Decl::Role(d) => named(&d.name),
        Decl::Test(d) => named(&d.name),
        Decl::Action(a) => listed(
            a.actions.iter().map(|n| n.text.clone()).collect(),
            a.actions.first().map_or(item.span, |n| n.span),
        ),
        Decl::Type(t) => listed(t.types.iter().map(ToString::to_string).collect(), item.span),
        Decl::Assign(a) => (format!("{} to …", a.role), a.role.span),
        Decl::Grant(g) => (format!("{} to …", g.block), g.block.span),
        Decl::Member(m) => (m.entity.to_string(), m.entity.span),
        Decl::Guardrail(g) => (
            format!("{} {}", g.effect.value.as_str(), g.entity_kind.text),
            g.effect.span,
        ),
        Decl::TenantAttributes(_) => ("attributes".to_string(), item.span),
    };
    let children = match &item.decl {
        Decl::Tenant(t) => t.items.iter().map(outline).collect(),
        _ => Vec::new(),
    };
    Outline {
        name,
        keyword: item.decl.keyword(),
        span: item.span,
        name_span,
        children,
    }
}
