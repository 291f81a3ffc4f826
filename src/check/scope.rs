//! Check: block scopes (A0004, A0009) and action applicability (A0005).
//!
//! Also what a scope can reach, as (kind, type) pairs: the guardrail check
//! uses it to test a grant against every type it could ever touch.

use super::build::{Checker, Named};
use super::model::*;
use super::resolve::{Use, Want};
use super::suggest;
use crate::diag::{codes, Diagnostic, Span};
use crate::kinds::ObjectKind;
use crate::syntax::ast::{self, Relation};

/// An object kind with its type, where the kind has types.
pub type KindType = (ObjectKind, Option<TypeId>);

/// Whether a kind has sub-types (only `entity` and `resource` do).
pub fn has_types(kind: ObjectKind) -> bool {
    matches!(kind, ObjectKind::Entity | ObjectKind::Resource)
}

/// Whether one applicability row or guardrail target covers a (kind, type).
pub fn target_covers(target: Target, (kind, ty): KindType) -> bool {
    match target {
        Target::Kind(k) => k == kind,
        Target::Type(t) => ty == Some(t),
        Target::Platform => false,
    }
}

impl Model {
    /// Every (kind, type) a scope can reach, before applicability. A
    /// kind-wide scope (`on resource`, `on all`) reaches every declared type
    /// of the kind and the kind itself with no type (an object described
    /// at request time as a bare `resource`), spec section 9.
    pub fn scope_reach(&self, scope: Scope) -> Vec<KindType> {
        let of_kind = |kind: ObjectKind| -> Vec<KindType> {
            let typed = self.types_of(kind).map(move |t| (kind, Some(t)));
            std::iter::once((kind, None)).chain(typed).collect()
        };
        match scope {
            Scope::All => ObjectKind::ALL.into_iter().flat_map(of_kind).collect(),
            Scope::Kind(k) => of_kind(k),
            Scope::Type(t) | Scope::TypeInGroup(t, _, _) => {
                vec![(self.types[t.index()].kind, Some(t))]
            }
            Scope::Object(o) => vec![(self.object(o).kind, self.object(o).ty)],
            Scope::GroupInGroup(_, _) => vec![(ObjectKind::Group, None)],
            Scope::KindInGroup(k, _, _) => of_kind(k),
            Scope::AllInGroup(_, _) => grouped_kinds().flat_map(of_kind).collect(),
        }
    }

    /// The (kind, type) pairs a scope reaches that an action applies to.
    pub fn applicable_reach(&self, action: ActionId, scope: Scope) -> Vec<KindType> {
        let rows = &self.actions[action.index()].rows;
        self.scope_reach(scope)
            .into_iter()
            .filter(|kt| rows.iter().any(|r| target_covers(*r, *kt)))
            .collect()
    }

    /// Whether an action applies to a scope (spec section 8, A0005): for
    /// `all`, any row; for a kind, a row on the kind or one of its types;
    /// for a type, a row on it or its kind; for an object, a row on its kind
    /// or its type; for group scopes, the named type, or `group`.
    pub fn applies(&self, action: ActionId, scope: Scope) -> bool {
        let rows = &self.actions[action.index()].rows;
        let kind_of = |t: TypeId| self.types[t.index()].kind;
        let covers_type = |t: TypeId| {
            rows.iter()
                .any(|r| *r == Target::Type(t) || *r == Target::Kind(kind_of(t)))
        };
        match scope {
            Scope::All => !rows.is_empty(),
            Scope::Kind(k) => rows.iter().any(|r| match r {
                Target::Kind(rk) => *rk == k,
                Target::Type(t) => kind_of(*t) == k,
                Target::Platform => false,
            }),
            Scope::Type(t) | Scope::TypeInGroup(t, _, _) => covers_type(t),
            Scope::Object(o) => {
                let obj = self.object(o);
                rows.contains(&Target::Kind(obj.kind)) || obj.ty.is_some_and(covers_type)
            }
            Scope::GroupInGroup(_, _) => rows.contains(&Target::Kind(ObjectKind::Group)),
            Scope::KindInGroup(k, _, _) => self.applies(action, Scope::Kind(k)),
            Scope::AllInGroup(_, _) => {
                grouped_kinds().any(|k| self.applies(action, Scope::Kind(k)))
            }
        }
    }
}

impl Model {
    /// Whether group `x` is `g` or below it.
    pub fn group_at_or_below(&self, x: Option<GroupId>, g: GroupId) -> bool {
        let mut node = x;
        for _ in 0..=self.groups.len() {
            match node {
                Some(n) if n == g => return true,
                Some(n) => node = self.groups[n.index()].parent,
                None => return false,
            }
        }
        false
    }

    /// Whether a block's boundary and scope contain a declared object
    /// (conditions aside): what the block can ever reach.
    pub fn block_reaches(&self, block: BlockId, object: ObjectId) -> bool {
        let b = self.block(block);
        let o = self.object(object);
        let boundary = self.object(b.object).tenant;
        if boundary.is_some() && boundary != o.tenant {
            return false;
        }
        let below = |rel: Relation, g: GroupId| match rel {
            Relation::In => o.parent == Some(g),
            Relation::Within => self.group_at_or_below(o.parent, g),
            Relation::Beneath => o.parent != Some(g) && self.group_at_or_below(o.parent, g),
        };
        let Some(scope) = b.scope else {
            return false;
        };
        match scope {
            Scope::All => true,
            Scope::Kind(k) => o.kind == k,
            Scope::Type(t) => o.ty == Some(t),
            Scope::Object(x) => x == object,
            Scope::TypeInGroup(t, rel, g) => o.ty == Some(t) && below(rel, g),
            Scope::GroupInGroup(rel, g) => o.kind == ObjectKind::Group && below(rel, g),
            Scope::KindInGroup(k, rel, g) => o.kind == k && below(rel, g),
            Scope::AllInGroup(rel, g) => below(rel, g),
        }
    }
}

impl Checker<'_> {
    pub fn resolve_blocks(&mut self) {
        for p in std::mem::take(&mut self.pending_blocks) {
            let ast::Decl::Block(b) = &p.decl.decl else {
                continue;
            };
            let rule = &b.rule;
            let mut actions = Vec::new();
            let mut action_spans = Vec::new();
            for name in &rule.actions {
                if let Some(a) = self.action(name) {
                    actions.push(a);
                    action_spans.push(name.span);
                }
            }
            let scope = self.scope(&rule.scope, p.tenant);
            // Every condition is checked (all errors reported); one that
            // fails leaves the block's conditions missing as a whole.
            let checked: Vec<Option<Condition>> =
                rule.conditions.iter().map(|c| self.condition(c)).collect();
            let conditions = checked.into_iter().collect();
            if let Some(scope) = scope {
                for (a, span) in actions.iter().zip(&action_spans) {
                    self.applicability(*a, *span, scope, &rule.scope);
                }
            }
            let block = &mut self.model.blocks[p.id.index()];
            block.actions = actions;
            block.action_spans = action_spans;
            block.scope = scope;
            block.conditions = conditions;
        }
    }

    /// The target of a scope, before any `in`/`within`/`beneath`.
    fn scope_target(&mut self, scope: &ast::Scope, tenant: Option<TenantId>) -> Option<Scope> {
        Some(match &scope.target {
            ast::ScopeTarget::All(_) => Scope::All,
            ast::ScopeTarget::Kind(k) => Scope::Kind(ObjectKind::from_name(&k.text)?),
            ast::ScopeTarget::Type(t) => {
                let Some(kind) = ObjectKind::from_name(&t.kind.text) else {
                    let d = self.unknown_kind(&t.kind);
                    self.error(d);
                    return None;
                };
                let sub = t.sub.as_ref()?;
                Scope::Type(self.type_id(kind, sub, t.span)?)
            }
            ast::ScopeTarget::Object(q) => {
                if q.tenant.is_none() && !q.name.quoted && self.lookup_quiet(q, tenant).is_none() {
                    if let Some(kind) = self.bare_sub_type(&q.name.text) {
                        self.error(
                            Diagnostic::error(
                                codes::BAD_KIND,
                                format!("`{}` is a sub-type, not a scope", q.name.text),
                                q.span,
                            )
                            .with_label("a bare sub-type, where `kind:sub` is required")
                            .with_help(format!(
                                "write `{}:{}`",
                                kind.name(),
                                q.name.text
                            )),
                        );
                        return None;
                    }
                }
                let found = self.reference(q, tenant, Want::AnyObject, Use::Scope)?;
                match found.named {
                    Named::Object(o) => Scope::Object(o),
                    // A principal group is an object of kind `group` (spec section 4).
                    Named::PrincipalGroup(g) => {
                        Scope::Object(self.model.principal_groups[g.index()].object)
                    }
                }
            }
        })
    }

    /// Resolves a scope; reports A0003, A0004, A0008, A0009.
    fn scope(&mut self, scope: &ast::Scope, tenant: Option<TenantId>) -> Option<Scope> {
        let target = self.scope_target(scope, tenant);
        let Some((relation, group_ref)) = &scope.relation else {
            return target;
        };
        let Some(target) = target else {
            // The target did not resolve; the group is still looked up, so
            // that an error there is reported in the same run.
            if tenant.is_some() {
                self.reference(group_ref, tenant, Want::AnyObject, Use::Scope);
            }
            return None;
        };
        let rel = relation.value;
        let as_written = |s: &str| format!("`{s} {} {group_ref}`", rel.as_str());
        let placement = |message: String, help: String, span: Span| {
            Diagnostic::error(codes::SCOPE_PLACEMENT, message, span)
                .with_label("this scope cannot stand here")
                .with_help(help)
        };
        let make: fn(Relation, GroupId, Scope) -> Option<Scope> = |rel, g, target| match target {
            Scope::Type(t) => Some(Scope::TypeInGroup(t, rel, g)),
            Scope::Kind(ObjectKind::Group) => Some(Scope::GroupInGroup(rel, g)),
            Scope::Kind(k) => Some(Scope::KindInGroup(k, rel, g)),
            Scope::All => Some(Scope::AllInGroup(rel, g)),
            _ => None,
        };
        let grouped = ObjectKind::sits_in_groups;
        if !matches!(target, Scope::Type(_) | Scope::All)
            && !matches!(target, Scope::Kind(k) if grouped(k))
        {
            let written = match &scope.target {
                ast::ScopeTarget::All(_) => "all".to_string(),
                ast::ScopeTarget::Kind(k) => k.text.clone(),
                ast::ScopeTarget::Type(t) => t.to_string(),
                ast::ScopeTarget::Object(q) => q.to_string(),
            };
            self.error(placement(
                format!("{} is not a group scope", as_written(&written)),
                "`in`, `within` and `beneath` follow a type (`resource:channel in G`), a kind whose objects sit in object groups (`entity`, `resource`, `group`, `credential`, `signing_key`, `audit_log`), or `all`".to_string(),
                scope.span,
            ));
            return None;
        }
        let Some(t) = tenant else {
            self.error(placement(
                "a group scope needs a tenant boundary".to_string(),
                "object groups belong to tenants: declare this block inside the tenant that owns the group".to_string(),
                scope.span,
            ));
            return None;
        };
        let found = self.reference(group_ref, Some(t), Want::AnyObject, Use::Scope)?;
        let group = match found.named {
            Named::Object(o) => match self.model.object(o).role {
                ObjectRole::Group(g) => Some(g),
                _ => None,
            },
            Named::PrincipalGroup(_) => None,
        };
        let Some(g) = group else {
            let what = self.describe(found.named);
            self.error(
                Diagnostic::error(
                    codes::SCOPE_PLACEMENT,
                    format!(
                        "`{group_ref}` is {} {what}, not an object group",
                        if what.starts_with(['a', 'e', 'i', 'o', 'u']) {
                            "an"
                        } else {
                            "a"
                        }
                    ),
                    group_ref.span,
                )
                .with_label(format!("`{}` needs an object group", rel.as_str()))
                .with_help("`in`, `within` and `beneath` name an `object-group`"),
            );
            return None;
        };
        make(rel, g, target)
    }

    /// Looks a name up without reporting anything.
    fn lookup_quiet(&self, q: &ast::QName, from: Option<TenantId>) -> Option<Named> {
        from.and_then(|t| self.tenant_ns[t.index()].names.get(&q.name.text))
            .or_else(|| self.platform.names.get(&q.name.text))
            .map(|&(n, _)| n)
    }

    /// The kind whose sub-type `word` is, if it is one.
    fn bare_sub_type(&self, word: &str) -> Option<ObjectKind> {
        self.model
            .types
            .iter()
            .find(|t| t.sub == word)
            .map(|t| t.kind)
    }

    /// A0005 for an action with no applicability row for the scope's target.
    fn applicability(&mut self, action: ActionId, span: Span, scope: Scope, written: &ast::Scope) {
        if self.model.applies(action, scope) {
            return;
        }
        let model = &self.model;
        let a = &model.actions[action.index()];
        let target = match scope {
            Scope::All => "anything".to_string(),
            Scope::Kind(k) => format!("`{}`", k.name()),
            Scope::Type(t) | Scope::TypeInGroup(t, _, _) => format!("`{}`", model.type_name(t)),
            Scope::Object(o) => {
                let obj = model.object(o);
                let ty = obj
                    .ty
                    .map(|t| model.type_name(t))
                    .unwrap_or_else(|| obj.kind.name().to_string());
                format!(
                    "`{}` ({})",
                    written_target(written),
                    super::suggest::an(&format!("`{ty}`"))
                )
            }
            Scope::GroupInGroup(_, _) => "`group`".to_string(),
            Scope::KindInGroup(k, _, _) => format!("`{}`", k.name()),
            Scope::AllInGroup(_, _) => {
                "anything that sits in an object group (`entity`, `resource`, `group`)".to_string()
            }
        };
        let rows: Vec<String> = a.rows.iter().map(|r| model.target_name(*r)).collect();
        let valid_here: Vec<String> = model
            .actions
            .iter()
            .enumerate()
            .filter(|(i, _)| model.applies(ActionId(*i as u32), scope))
            .map(|(_, a)| a.name.clone())
            .collect();
        let applies_to = if rows.is_empty() {
            format!(
                "`{}` has no applicability rows: it applies to nothing",
                a.name
            )
        } else {
            format!("`{}` applies to {}", a.name, suggest::list(&rows))
        };
        let mut d = Diagnostic::error(
            codes::NOT_APPLICABLE,
            format!("action `{}` does not apply to {target}", a.name),
            span,
        )
        .with_label(format!("`{}` is not valid on {target}", a.name))
        .with_note(applies_to);
        for decl in a.spans.iter().take(2) {
            d = d.with_secondary(
                *decl,
                format!("the applicability rows of `{}` are declared here", a.name),
            );
        }
        let group_itself =
            matches!(scope, Scope::Object(o) if model.object(o).kind == ObjectKind::Group);
        d = if scope == Scope::All {
            d.with_help(format!(
                "say where `{}` applies: `action {} on KIND`",
                a.name, a.name
            ))
        } else if group_itself {
            let g = written_target(written);
            d.with_help(format!(
                "`on {g}` is the object group itself; for the objects in it, write `on all in {g}` (`on all within {g}` reaches its subgroups' objects too)"
            ))
        } else if valid_here.is_empty() {
            d.with_help(format!(
                "no declared action applies to {target}; add a row: `action {} on ...`",
                a.name
            ))
        } else {
            d.with_help(format!(
                "the actions valid on {target} are {}",
                suggest::list(&valid_here)
            ))
        };
        self.error(d);
    }
}

fn written_target(scope: &ast::Scope) -> String {
    match &scope.target {
        ast::ScopeTarget::Object(q) => q.to_string(),
        ast::ScopeTarget::All(_) => "all".to_string(),
        ast::ScopeTarget::Kind(k) => k.text.clone(),
        ast::ScopeTarget::Type(t) => t.to_string(),
    }
}
