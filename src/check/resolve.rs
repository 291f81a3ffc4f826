//! Check: resolving references (A0003) and enforcing tenant boundaries (A0008).
//!
//! Lookup inside tenant T tries T's names, then the platform's; `T/name`
//! looks in T only. Whether the name found may be used where it stands is
//! the separate boundary check. An undeclared name is reported once, at its
//! first use, with its other uses as secondary labels.

use super::build::{Checker, Named};
use super::model::*;
use super::suggest::{self, an};
use crate::diag::{codes, Diagnostic, Span};
use crate::syntax::ast;

/// What a reference must name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Want {
    Entity,
    Subject,
    PrincipalGroup,
    ObjectGroup,
    Role,
    Block,
    RoleItem,
    /// Anything, to be judged by the caller; named "object" in messages.
    AnyObject,
    /// Anything, to be judged by the caller; named "entity" in messages.
    AnyEntity,
}

impl Want {
    pub fn noun(self) -> &'static str {
        match self {
            Want::Entity => "entity",
            Want::Subject => "entity or principal group",
            Want::PrincipalGroup => "principal group",
            Want::ObjectGroup => "object group",
            Want::Role => "role",
            Want::Block => "block",
            Want::RoleItem => "block or role",
            Want::AnyObject => "object",
            Want::AnyEntity => "entity",
        }
    }

    fn accepts(self, model: &Model, named: Named) -> bool {
        let role = match named {
            Named::PrincipalGroup(_) => {
                return matches!(
                    self,
                    Want::Subject | Want::PrincipalGroup | Want::AnyObject | Want::AnyEntity
                );
            }
            Named::Object(o) => model.object(o).role,
        };
        match self {
            Want::Entity | Want::Subject => matches!(role, ObjectRole::Entity(_)),
            Want::PrincipalGroup => false,
            Want::ObjectGroup => matches!(role, ObjectRole::Group(_)),
            Want::Role => matches!(role, ObjectRole::Role(_)),
            Want::Block => matches!(role, ObjectRole::Block(_)),
            Want::RoleItem => matches!(role, ObjectRole::Block(_) | ObjectRole::Role(_)),
            Want::AnyObject | Want::AnyEntity => true,
        }
    }

    /// Whether a did-you-mean may offer this name: only what would resolve
    /// here without a new error (a test line's subject must be an entity).
    fn suggests(self, model: &Model, named: Named) -> bool {
        match (self, named) {
            (Want::AnyEntity, Named::Object(o)) => {
                matches!(model.object(o).role, ObjectRole::Entity(_))
            }
            (Want::AnyEntity, Named::PrincipalGroup(_)) => false,
            _ => self.accepts(model, named),
        }
    }
}

/// A resolved reference: what it names and the namespace it was found in.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Found {
    pub named: Named,
    pub namespace: Option<TenantId>,
}

/// Why a reference is being resolved, for A0008 help.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Use {
    Parent,
    GroupMember,
    RoleItem,
    Assigned,
    Granted,
    Subject,
    Scope,
}

impl Checker<'_> {
    /// Finds the tenant named `name`, if any.
    pub fn tenant_named(&self, name: &str) -> Option<TenantId> {
        match self.platform.names.get(name) {
            Some(&(Named::Object(o), _)) => match self.model.object(o).role {
                ObjectRole::Tenant(t) => Some(t),
                _ => None,
            },
            _ => None,
        }
    }

    /// Looks a reference up from inside `from`; reports A0003.
    pub fn lookup(&mut self, q: &ast::QName, from: Option<TenantId>, want: Want) -> Option<Found> {
        self.lookup_for(q, from, want, None)
    }

    /// [`Checker::lookup`] for a use that must stay within `from`'s
    /// boundary: a did-you-mean then offers only names that may be used there.
    fn lookup_for(
        &mut self,
        q: &ast::QName,
        from: Option<TenantId>,
        want: Want,
        usage: Option<Use>,
    ) -> Option<Found> {
        let found = match &q.tenant {
            Some(tn) => {
                let Some(t) = self.tenant_named(&tn.text) else {
                    self.undeclared(&tn.text, tn.span, None, "tenant", |_| Vec::new());
                    return None;
                };
                let tenant_object = self.model.tenants[t.index()].object;
                self.record_use(tn.span, Symbol::Object(tenant_object));
                self.tenant_ns[t.index()]
                    .names
                    .get(&q.name.text)
                    .map(|&(named, _)| Found {
                        named,
                        namespace: Some(t),
                    })
            }
            None => {
                let local = from.and_then(|t| {
                    self.tenant_ns[t.index()]
                        .names
                        .get(&q.name.text)
                        .map(|&(named, _)| Found {
                            named,
                            namespace: Some(t),
                        })
                });
                local.or_else(|| {
                    self.platform
                        .names
                        .get(&q.name.text)
                        .map(|&(named, _)| Found {
                            named,
                            namespace: None,
                        })
                })
            }
        };
        let Some(found) = found else {
            let looked = match &q.tenant {
                Some(tn) => self.tenant_named(&tn.text),
                None => from,
            };
            let qualified = q.tenant.is_some();
            let candidates = |c: &Checker<'_>| -> Vec<String> {
                let mut out = Vec::new();
                let spaces: Vec<(Option<TenantId>, &super::build::Namespace)> =
                    match (looked, qualified) {
                        (Some(t), true) => vec![(Some(t), &c.tenant_ns[t.index()])],
                        (Some(t), false) => {
                            vec![(Some(t), &c.tenant_ns[t.index()]), (None, &c.platform)]
                        }
                        (None, _) => vec![(None, &c.platform)],
                    };
                for (namespace, ns) in spaces {
                    for (name, &(named, _)) in &ns.names {
                        let found = Found { named, namespace };
                        let usable = usage.is_none_or(|u| c.may_name(found, from, u));
                        if want.suggests(&c.model, named) && usable {
                            out.push(name.clone());
                        }
                    }
                }
                out.sort();
                out
            };
            let display = q.to_string();
            self.undeclared(&display, q.span, looked, want.noun(), candidates);
            return None;
        };
        if !want.accepts(&self.model, found.named) {
            let d = self.wrong_kind(q, found, want);
            self.error(d);
            return None;
        }
        let symbol = match found.named {
            Named::Object(o) => Symbol::Object(o),
            Named::PrincipalGroup(g) => Symbol::PrincipalGroup(g),
        };
        self.record_use(q.name.span, symbol);
        Some(found)
    }

    /// Records a resolved use of a name, for definitions and references.
    pub fn record_use(&mut self, span: Span, symbol: Symbol) {
        self.model.uses.push(super::model::Use { span, symbol });
    }

    /// A0003 for a name that is declared, but as something else.
    fn wrong_kind(&self, q: &ast::QName, found: Found, want: Want) -> Diagnostic {
        let what = self.describe(found.named);
        let decl_span = self.decl_span(found);
        let mut d = Diagnostic::error(
            codes::UNDECLARED,
            format!("`{q}` is {}, not {}", an(what), an(want.noun())),
            q.span,
        )
        .with_label(format!("expected {}", an(want.noun())))
        .with_secondary(decl_span, format!("`{q}` is declared here as {}", an(what)));
        let object = match found.named {
            Named::Object(o) => o,
            Named::PrincipalGroup(g) => self.model.principal_groups[g.index()].object,
        };
        if let Some(note) = self.model.doc_note(object) {
            d = d.with_note(note);
        }
        d = if want == Want::Entity && matches!(found.named, Named::PrincipalGroup(_)) {
            d.with_help("a principal group's members are entities; to nest groups, declare the child with `principal-group CHILD in PARENT { ... }`")
        } else if want == Want::Role && what == "block" {
            d.with_help(format!(
                "a role holds blocks; to give block `{q}` by itself, write `grant {q} to ...`"
            ))
        } else if want == Want::Block && what == "role" {
            d.with_help(format!("to give role `{q}`, write `assign {q} to ...`"))
        } else {
            d.with_help(format!("name {} here", an(want.noun())))
        };
        d
    }

    fn decl_span(&self, found: Found) -> Span {
        match found.named {
            Named::Object(o) => self.model.object(o).span,
            Named::PrincipalGroup(g) => self.model.principal_groups[g.index()].span,
        }
    }

    /// Reports an undeclared name once; later uses become secondary labels.
    fn undeclared(
        &mut self,
        name: &str,
        span: Span,
        looked: Option<TenantId>,
        noun: &'static str,
        candidates: impl FnOnce(&Self) -> Vec<String>,
    ) {
        let bare = name.rsplit('/').next().unwrap_or(name);
        let qualifier = name.rsplit_once('/').map(|(t, _)| t);
        if self.is_broken(looked, bare) || qualifier.is_some_and(|t| self.is_broken(None, t)) {
            return;
        }
        let key = (looked, name.to_string(), noun);
        if let Some(&index) = self.reported_undeclared.get(&key) {
            let d = &mut self.diagnostics[index];
            const SHOWN: usize = 3;
            if d.secondary.len() < SHOWN {
                d.secondary
                    .push(crate::diag::Label::new(span, "also used here"));
            } else {
                let more = d.notes.pop().and_then(|n| {
                    n.strip_prefix("and ")
                        .and_then(|r| r.split(' ').next()?.parse::<usize>().ok())
                });
                d.notes
                    .push(format!("and {} more uses", more.unwrap_or(0) + 1));
            }
            return;
        }
        let candidates = if noun == "tenant" {
            self.model.tenants.iter().map(|t| t.name.clone()).collect()
        } else {
            candidates(self)
        };
        let place = self.place(looked);
        let mut d = Diagnostic::error(
            codes::UNDECLARED,
            format!("undeclared {noun} `{name}`"),
            span,
        )
        .with_label(format!("no {noun} of this name in {place}"));
        d = match suggest::closest(bare, candidates.iter().map(String::as_str)) {
            Some(s) => {
                let written = crate::syntax::written_name(s);
                let replacement = match name.rsplit_once('/') {
                    Some((tenant, _)) => {
                        format!("{}/{written}", crate::syntax::written_name(tenant))
                    }
                    None => written,
                };
                d.with_help(format!("did you mean `{s}`?"))
                    .with_fix(span, replacement)
            }
            None => d.with_help(declare_help(noun, bare, &place)),
        };
        self.reported_undeclared.insert(key, self.diagnostics.len());
        self.error(d);
    }

    /// Whether a resolved name may be used from `from` (A0008). A platform
    /// entity that joined `from` with `member` may be a group member or a
    /// subject; a tenant's own tenant object is its own.
    pub fn within_boundary(
        &mut self,
        q: &ast::QName,
        found: Found,
        from: Option<TenantId>,
        usage: Use,
    ) -> bool {
        if self.may_name(found, from, usage) {
            return true;
        }
        let what = self.describe(found.named);
        let (message, help) = match (from, found.namespace) {
            (Some(t), None) => {
                let tn = &self.model.tenants[t.index()].name;
                let help = match usage {
                    Use::GroupMember | Use::Subject if what == "entity" => format!(
                        "a platform entity takes part in a tenant once it joins: write `member {}` in tenant `{tn}`",
                        q.name.text
                    ),
                    Use::Assigned => format!("a tenant assigns only its own roles: declare the role in tenant `{tn}`"),
                    Use::Granted => format!("a tenant grants only its own blocks: declare the block in tenant `{tn}`"),
                    Use::RoleItem => format!("a role of tenant `{tn}` holds only blocks and roles of `{tn}`"),
                    _ => format!("inside tenant `{tn}`, declarations name only `{tn}`'s things"),
                };
                (
                    format!("platform {what} `{q}` cannot be used inside tenant `{tn}`"),
                    help,
                )
            }
            (Some(t), Some(u)) => {
                let tn = &self.model.tenants[t.index()].name;
                let un = &self.model.tenants[u.index()].name;
                (
                    format!(
                        "`{un}/{}` belongs to tenant `{un}`, not to tenant `{tn}`",
                        q.name.text
                    ),
                    format!("inside tenant `{tn}`, declarations name only `{tn}`'s things"),
                )
            }
            (None, Some(u)) => {
                let un = &self.model.tenants[u.index()].name;
                (
                    format!("`{un}/{}` belongs to tenant `{un}`", q.name.text),
                    "a top-level declaration names only platform things; move this into the tenant"
                        .to_string(),
                )
            }
            (None, None) => return true,
        };
        let decl = self.decl_span(found);
        self.error(
            Diagnostic::error(codes::TENANT_BOUNDARY, message, q.span)
                .with_label("crosses a tenant boundary")
                .with_secondary(decl, format!("`{q}` is declared here"))
                .with_help(help),
        );
        false
    }

    /// Whether a declaration inside `from` may name `found` for `usage`
    /// (A0008 otherwise): its own tenant's things and the tenant itself,
    /// and a platform entity that joined with `member` as a group member or
    /// a subject.
    fn may_name(&self, found: Found, from: Option<TenantId>, usage: Use) -> bool {
        let own_tenant_object = matches!(found.named, Named::Object(o)
            if from.is_some() && self.model.object(o).role == ObjectRole::Tenant(from.unwrap_or(TenantId(u32::MAX))));
        if found.namespace == from || own_tenant_object {
            return true;
        }
        let joined = match (found.named, from) {
            (Named::Object(o), Some(t)) => match self.model.object(o).role {
                ObjectRole::Entity(e) => {
                    found.namespace.is_none() && self.model.tenants[t.index()].members.contains(&e)
                }
                _ => false,
            },
            _ => false,
        };
        joined && matches!(usage, Use::GroupMember | Use::Subject)
    }

    /// Looks up and checks the boundary in one step.
    pub fn reference(
        &mut self,
        q: &ast::QName,
        from: Option<TenantId>,
        want: Want,
        usage: Use,
    ) -> Option<Found> {
        let found = self.lookup_for(q, from, want, Some(usage))?;
        self.within_boundary(q, found, from, usage).then_some(found)
    }

    /// Resolves an action name; reports A0003.
    pub fn action(&mut self, name: &ast::Name) -> Option<ActionId> {
        if let Some(&id) = self.action_ids.get(&name.text) {
            self.record_use(name.span, Symbol::Action(id));
            return Some(id);
        }
        let names: Vec<String> = self.model.actions.iter().map(|a| a.name.clone()).collect();
        self.undeclared(&name.text, name.span, None, "action", |_| names);
        None
    }

    // ------------------------------------------------------------ pass 2

    /// `member` statements first: the boundary exception depends on them.
    pub fn resolve_members(&mut self) {
        let pending = std::mem::take(&mut self.pending_statements);
        for p in &pending {
            let (ast::Decl::Member(m), Some(t)) = (&p.decl.decl, p.tenant) else {
                continue;
            };
            let Some(found) = self.lookup(&m.entity, Some(t), Want::Entity) else {
                continue;
            };
            let Named::Object(o) = found.named else {
                continue;
            };
            let ObjectRole::Entity(e) = self.model.object(o).role else {
                continue;
            };
            let tn = self.model.tenants[t.index()].name.clone();
            if found.namespace.is_some() {
                self.error(
                    Diagnostic::error(
                        codes::TENANT_BOUNDARY,
                        format!("`member` names a platform entity; `{}` belongs to {}", m.entity, self.place(found.namespace)),
                        m.entity.span,
                    )
                    .with_label("not a platform entity")
                    .with_help(format!("only entities declared at top level join a tenant; `{}` needs no `member` in tenant `{tn}`", m.entity.name.text)),
                );
                continue;
            }
            if self.model.tenants[t.index()].members.contains(&e) {
                self.error(
                    Diagnostic::error(
                        codes::DUPLICATE,
                        format!("`{}` joins tenant `{tn}` twice", m.entity),
                        p.decl.span,
                    )
                    .with_label("a second `member` for the same entity")
                    .with_help("one `member` line is enough: remove this one"),
                );
                continue;
            }
            self.model.tenants[t.index()].members.push(e);
        }
        self.pending_statements = pending;
    }

    fn parent_group(
        &mut self,
        parent: &Option<ast::QName>,
        tenant: Option<TenantId>,
    ) -> Option<GroupId> {
        let q = parent.as_ref()?;
        let found = self.reference(q, tenant, Want::ObjectGroup, Use::Parent)?;
        match found.named {
            Named::Object(o) => match self.model.object(o).role {
                ObjectRole::Group(g) => Some(g),
                _ => None,
            },
            Named::PrincipalGroup(_) => None,
        }
    }

    /// Parents of entities, resources and object groups.
    pub fn resolve_parents(&mut self) {
        for p in std::mem::take(&mut self.pending_entities) {
            if let ast::Decl::Entity(e) = &p.decl.decl {
                let parent = self.parent_group(&e.parent, p.tenant);
                let object = self.model.entity(p.id).object;
                self.model.objects[object.index()].parent = parent;
            }
        }
        for p in std::mem::take(&mut self.pending_objects) {
            let parent = match &p.decl.decl {
                ast::Decl::Resource(r) => self.parent_group(&r.parent, p.tenant),
                ast::Decl::Object(o) => self.parent_group(&o.parent, p.tenant),
                ast::Decl::ObjectGroup(g) => {
                    let parent = self.parent_group(&g.parent, p.tenant);
                    if let ObjectRole::Group(gid) = self.model.object(p.id).role {
                        self.model.groups[gid.index()].parent = parent;
                    }
                    parent
                }
                _ => None,
            };
            self.model.objects[p.id.index()].parent = parent;
        }
    }

    pub fn resolve_principal_groups(&mut self) {
        for p in std::mem::take(&mut self.pending_principal_groups) {
            let ast::Decl::PrincipalGroup(g) = &p.decl.decl else {
                continue;
            };
            let parent = g.parent.as_ref().and_then(|q| {
                match self
                    .reference(q, p.tenant, Want::PrincipalGroup, Use::Parent)?
                    .named
                {
                    Named::PrincipalGroup(pg) => Some(pg),
                    Named::Object(_) => None,
                }
            });
            let mut members = Vec::new();
            for q in &g.members {
                let Some(found) = self.reference(q, p.tenant, Want::Entity, Use::GroupMember)
                else {
                    continue;
                };
                if let Named::Object(o) = found.named {
                    if let ObjectRole::Entity(e) = self.model.object(o).role {
                        if !members.contains(&e) {
                            members.push(e);
                        }
                    }
                }
            }
            let group = &mut self.model.principal_groups[p.id.index()];
            group.parent = parent;
            group.members = members;
        }
    }

    pub fn resolve_roles(&mut self) {
        for p in std::mem::take(&mut self.pending_roles) {
            let ast::Decl::Role(r) = &p.decl.decl else {
                continue;
            };
            let mut items = Vec::new();
            for q in &r.items {
                let Some(found) = self.reference(q, p.tenant, Want::RoleItem, Use::RoleItem) else {
                    continue;
                };
                let Named::Object(o) = found.named else {
                    continue;
                };
                let item = match self.model.object(o).role {
                    ObjectRole::Block(b) => RoleItem::Block(b),
                    ObjectRole::Role(r) => RoleItem::Role(r),
                    _ => continue,
                };
                items.push((item, q.span));
            }
            self.model.roles[p.id.index()].items = items;
        }
    }

    fn subjects(&mut self, list: &[ast::QName], tenant: Option<TenantId>) -> Vec<(Subject, Span)> {
        let mut out = Vec::new();
        for q in list {
            let Some(found) = self.reference(q, tenant, Want::Subject, Use::Subject) else {
                continue;
            };
            let subject = match found.named {
                Named::PrincipalGroup(g) => Subject::Group(g),
                Named::Object(o) => match self.model.object(o).role {
                    ObjectRole::Entity(e) => Subject::Entity(e),
                    _ => continue,
                },
            };
            out.push((subject, q.span));
        }
        out
    }

    /// One `assign ROLE to ...` or `grant BLOCK to ...`.
    fn statement(
        &mut self,
        given: &ast::QName,
        subjects: &[ast::QName],
        tenant: Option<TenantId>,
        span: Span,
        want: Want,
        usage: Use,
    ) {
        let found = self.reference(given, tenant, want, usage);
        let subjects = self.subjects(subjects, tenant);
        let Some(Found {
            named: Named::Object(o),
            ..
        }) = found
        else {
            return;
        };
        let given = match self.model.object(o).role {
            ObjectRole::Role(r) => Given::Role(r),
            ObjectRole::Block(b) => Given::Block(b),
            _ => return,
        };
        self.model.grants.push(Grant {
            given,
            subjects,
            tenant,
            span,
        });
    }

    /// `assign` and `grant` statements (and guardrails, see `guardrails`).
    pub fn resolve_statements(&mut self) {
        for p in std::mem::take(&mut self.pending_statements) {
            match &p.decl.decl {
                ast::Decl::Assign(a) => self.statement(
                    &a.role,
                    &a.subjects,
                    p.tenant,
                    p.decl.span,
                    Want::Role,
                    Use::Assigned,
                ),
                ast::Decl::Grant(g) => self.statement(
                    &g.block,
                    &g.subjects,
                    p.tenant,
                    p.decl.span,
                    Want::Block,
                    Use::Granted,
                ),
                ast::Decl::Guardrail(g) => {
                    let doc = p.decl.doc.as_ref().map(|d| d.value.clone());
                    self.guardrail_rule(g, p.tenant, p.decl.span, doc);
                }
                _ => {}
            }
        }
    }
}

/// How to declare a missing name, for A0003 help when nothing is close.
fn declare_help(noun: &str, name: &str, place: &str) -> String {
    let form = match noun {
        "action" => format!("`action {name} on KIND`"),
        "role" => format!("`role {name} {{ BLOCK, ... }}`"),
        "block" => format!("`block {name} {{ allow ACTIONS on SCOPE }}`"),
        "entity" => format!("`entity KIND {name}`"),
        "principal group" => format!("`principal-group {name} {{ MEMBER, ... }}`"),
        "object group" => format!("`object-group {name}`"),
        "tenant" => format!("`tenant {name} {{ ... }}`"),
        "block or role" => format!("`block {name} {{ ... }}` or `role {name} {{ ... }}`"),
        "entity or principal group" => {
            format!("`entity KIND {name}` or `principal-group {name} {{ ... }}`")
        }
        _ => return format!("declare `{name}` in {place}, or name something declared there"),
    };
    format!("declare it in {place} with {form}, or name one that is declared")
}
