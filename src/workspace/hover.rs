//! Workspace: what a name is, in words: kind, qualified name, doc, and what it grants (for hovers).

use super::Workspace;
use crate::check::model::{Model, ObjectRole, RoleItem, Scope, Symbol, Target};
use crate::diag::{FileId, Span};

impl Workspace {
    /// The name at `offset` in `file`: its span and a Markdown description.
    pub fn hover(&self, file: FileId, offset: usize) -> Option<(Span, String)> {
        let m = self.model();
        let at = |s: &Span| s.file == file && (s.start as usize..=s.end as usize).contains(&offset);
        let span = m
            .uses
            .iter()
            .map(|u| u.span)
            .chain(m.objects.iter().map(|o| o.span))
            .chain(m.actions.iter().flat_map(|a| a.spans.iter().copied()))
            .find(at)?;
        let symbol = self.symbol_at(file, offset)?;
        Some((span, describe(m, symbol)))
    }
}

/// A symbol in Markdown: a heading line, what it grants or holds, its doc.
pub fn describe(m: &Model, symbol: Symbol) -> String {
    let name = m.symbol_name(symbol);
    let mut out = match symbol {
        Symbol::Object(o) => object_text(m, o.index(), &name),
        Symbol::PrincipalGroup(g) => {
            let g = &m.principal_groups[g.index()];
            let mut t = format!(
                "**principal-group** `{name}`\n\n{} direct member",
                g.members.len()
            );
            if g.members.len() != 1 {
                t.push('s');
            }
            if let Some(p) = g.parent {
                t.push_str(&format!(", in `{}`", m.group_name(p)));
            }
            t
        }
        Symbol::Action(a) => {
            let rows: Vec<String> = m.actions[a.index()]
                .rows
                .iter()
                .map(|r| format!("`{}`", m.target_name(*r)))
                .collect();
            format!("**action** `{name}`\n\napplies to {}", rows.join(", "))
        }
        Symbol::Type(_) => format!("**type** `{name}`"),
    };
    if let Some(doc) = m.symbol_doc(symbol) {
        out.push_str("\n\n---\n\n");
        out.push_str(doc);
    }
    out
}

fn object_text(m: &Model, index: usize, name: &str) -> String {
    let o = &m.objects[index];
    match o.role {
        ObjectRole::Entity(e) => {
            let e = m.entity(e);
            format!(
                "**entity** `{name}`\n\n{}, {}",
                e.kind.name(),
                e.status.name()
            )
        }
        ObjectRole::Block(b) => block_text(m, b, name),
        ObjectRole::Role(r) => {
            let items: Vec<String> = m
                .role(r)
                .items
                .iter()
                .map(|(item, _)| match item {
                    RoleItem::Block(b) => format!("block `{}`", m.block_name(*b)),
                    RoleItem::Role(r) => format!("role `{}`", m.role_name(*r)),
                })
                .collect();
            format!("**role** `{name}`\n\ngives {}", list_or_nothing(&items))
        }
        ObjectRole::Tenant(t) => format!(
            "**tenant** `{name}`\n\n{}",
            m.tenants[t.index()].status.name()
        ),
        ObjectRole::Group(_) => match o.parent {
            Some(p) => format!(
                "**object-group** `{name}`\n\nin `{}`",
                m.qualified_name(m.groups[p.index()].object)
            ),
            None => format!("**object-group** `{name}`"),
        },
        ObjectRole::PrincipalGroup(_) => format!("**principal-group** `{name}`"),
        ObjectRole::Plain => match o.ty {
            Some(t) => format!("**{}** `{name}`", m.type_name(t)),
            None => format!("**{}** `{name}`", o.kind.name()),
        },
    }
}

fn block_text(m: &Model, b: crate::check::model::BlockId, name: &str) -> String {
    let block = m.block(b);
    let actions: Vec<String> = block
        .actions
        .iter()
        .map(|a| format!("`{}`", m.actions[a.index()].name))
        .collect();
    let scope = block.scope.map_or("(unresolved)".to_string(), |s| {
        format!("`{}`", scope_text(m, s))
    });
    let mut t = format!(
        "**block** `{name}`\n\n{} {} on {scope}",
        block.effect.as_str(),
        list_or_nothing(&actions)
    );
    let n = block.checked_conditions().len();
    if n > 0 {
        t.push_str(&format!(
            " when {n} condition{}",
            if n == 1 { "" } else { "s" }
        ));
    }
    t
}

fn list_or_nothing(items: &[String]) -> String {
    if items.is_empty() {
        "nothing".to_string()
    } else {
        items.join(", ")
    }
}

/// A scope as it would be written.
pub fn scope_text(m: &Model, scope: Scope) -> String {
    let group = |g: crate::check::model::GroupId| m.qualified_name(m.groups[g.index()].object);
    match scope {
        Scope::All => "all".to_string(),
        Scope::Kind(k) => m.target_name(Target::Kind(k)),
        Scope::Type(t) => m.type_name(t),
        Scope::Object(o) => m.qualified_name(o),
        Scope::TypeInGroup(t, rel, g) => {
            format!("{} {} {}", m.type_name(t), rel.as_str(), group(g))
        }
        Scope::GroupInGroup(rel, g) => format!("group {} {}", rel.as_str(), group(g)),
        Scope::KindInGroup(k, rel, g) => format!("{} {} {}", k.name(), rel.as_str(), group(g)),
        Scope::AllInGroup(rel, g) => format!("all {} {}", rel.as_str(), group(g)),
    }
}
