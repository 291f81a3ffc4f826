//! Check: collecting declarations into namespaces and model tables (A0002, A0004).
//!
//! The checker runs in passes over the parsed files: this one declares
//! every name (so that order never matters), `resolve` and the modules
//! after it fill in references and run the checks that need them.

use std::collections::{HashMap, HashSet};

use super::model::*;
use crate::diag::{codes, Diagnostic, Span};
use crate::kinds::ObjectKind;
use crate::syntax::ast;

/// What a name in a namespace stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Named {
    Object(ObjectId),
    PrincipalGroup(PrincipalGroupId),
}

/// One namespace: the platform's or a tenant's.
#[derive(Default)]
pub(crate) struct Namespace {
    pub names: HashMap<String, (Named, Span)>,
}

/// Items whose references are resolved after every name is declared.
pub(crate) struct Pending<'a, T> {
    pub tenant: Option<TenantId>,
    pub id: T,
    pub decl: &'a ast::Item,
}

/// The checker's state across passes.
pub(crate) struct Checker<'a> {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
    pub platform: Namespace,
    pub tenant_ns: Vec<Namespace>,
    pub type_ids: HashMap<(ObjectKind, String), TypeId>,
    pub action_ids: HashMap<String, ActionId>,
    /// Entities whose kind is unknown (A0004): left out of guardrail analysis.
    pub bad_entities: Vec<bool>,
    /// Undeclared names already reported: (where looked, name, wanted) → diagnostic.
    pub reported_undeclared: HashMap<(Option<TenantId>, String, &'static str), usize>,
    pub pending_entities: Vec<Pending<'a, EntityId>>,
    pub pending_objects: Vec<Pending<'a, ObjectId>>,
    pub pending_principal_groups: Vec<Pending<'a, PrincipalGroupId>>,
    pub pending_blocks: Vec<Pending<'a, BlockId>>,
    pub pending_roles: Vec<Pending<'a, RoleId>>,
    pub pending_statements: Vec<Pending<'a, ()>>,
    pub pending_tests: Vec<Pending<'a, ()>>,
    /// Names that declarations which did not parse meant to declare, by
    /// tenant name: a use of one is not reported as undeclared.
    pub broken: HashSet<(Option<String>, String)>,
    test_names: HashMap<(Option<TenantId>, String), Span>,
    /// Where each tenant's status was given, if it was: a tenant may be
    /// opened in several declarations, with one status in total.
    tenant_status_at: HashMap<TenantId, Span>,
}

impl<'a> Checker<'a> {
    pub fn new() -> Self {
        let mut model = Model::default();
        for kind in EntityKind::ALL {
            model.types.push(TypeDef {
                kind: ObjectKind::Entity,
                sub: kind.name().to_string(),
                span: None,
            });
        }
        let type_ids = EntityKind::ALL
            .iter()
            .map(|k| ((ObjectKind::Entity, k.name().to_string()), k.type_id()))
            .collect();
        Checker {
            model,
            diagnostics: Vec::new(),
            platform: Namespace::default(),
            tenant_ns: Vec::new(),
            type_ids,
            action_ids: HashMap::new(),
            bad_entities: Vec::new(),
            tenant_status_at: HashMap::new(),
            reported_undeclared: HashMap::new(),
            pending_entities: Vec::new(),
            pending_objects: Vec::new(),
            pending_principal_groups: Vec::new(),
            pending_blocks: Vec::new(),
            pending_roles: Vec::new(),
            pending_statements: Vec::new(),
            pending_tests: Vec::new(),
            broken: HashSet::new(),
            test_names: HashMap::new(),
        }
    }

    /// Whether `name`, looked up from `tenant`, is what a declaration that
    /// did not parse meant to declare (its syntax error stands for it).
    pub fn is_broken(&self, tenant: Option<TenantId>, name: &str) -> bool {
        if self.broken.is_empty() {
            return false;
        }
        let tenant = tenant.map(|t| self.model.tenants[t.index()].name.clone());
        [tenant, None]
            .into_iter()
            .any(|t| self.broken.contains(&(t, name.to_string())))
    }

    pub fn error(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    /// Where a name lives, for messages: `tenant `T`` or `the platform`.
    pub fn place(&self, tenant: Option<TenantId>) -> String {
        match tenant {
            Some(t) => format!("tenant `{}`", self.model.tenants[t.index()].name),
            None => "the platform".to_string(),
        }
    }

    /// What kind of declaration a name is, for messages.
    pub fn describe(&self, named: Named) -> &'static str {
        match named {
            Named::PrincipalGroup(_) => "principal group",
            Named::Object(o) => match self.model.object(o).role {
                ObjectRole::PrincipalGroup(_) => "principal group",
                ObjectRole::Entity(_) => "entity",
                ObjectRole::Group(_) => "object group",
                ObjectRole::Tenant(_) => "tenant",
                ObjectRole::Block(_) => "block",
                ObjectRole::Role(_) => "role",
                ObjectRole::Plain => match self.model.object(o).kind {
                    ObjectKind::Resource => "resource",
                    ObjectKind::Credential => "credential",
                    ObjectKind::SigningKey => "signing key",
                    _ => "audit log",
                },
            },
        }
    }

    /// Declares a name, or reports A0002 if the namespace already has it.
    fn declare(&mut self, tenant: Option<TenantId>, name: &ast::Name, named: Named) -> bool {
        let ns = match tenant {
            Some(t) => &mut self.tenant_ns[t.index()],
            None => &mut self.platform,
        };
        if let Some(&(first, first_span)) = ns.names.get(&name.text) {
            let what = self.describe(first);
            let place = self.place(tenant);
            self.error(
                Diagnostic::error(
                    codes::DUPLICATE,
                    format!("the name `{}` is declared twice in {place}", name.text),
                    name.span,
                )
                .with_label("declared again here")
                .with_secondary(first_span, format!("first declared here, as {}", super::suggest::an(what)))
                .with_help("names are unique across every kind of declaration in a tenant or the platform: rename one"),
            );
            return false;
        }
        ns.names.insert(name.text.clone(), (named, name.span));
        true
    }

    fn push_object(&mut self, object: Object) -> ObjectId {
        let id = ObjectId(self.model.objects.len() as u32);
        self.model.objects.push(object);
        id
    }

    fn new_object(
        &self,
        name: &ast::Name,
        tenant: Option<TenantId>,
        kind: ObjectKind,
        role: ObjectRole,
        doc: Option<&ast::Spanned<String>>,
    ) -> Object {
        Object {
            name: name.text.clone(),
            tenant,
            kind,
            ty: None,
            parent: None,
            attributes: Vec::new(),
            role,
            span: name.span,
            doc: doc.map(|d| d.value.clone()),
        }
    }

    // ------------------------------------------------------------ pass 1a

    /// Types, actions and tenants: the names everything else depends on.
    pub fn collect_vocabulary(&mut self, files: &[&'a ast::File]) {
        for file in files {
            for item in &file.items {
                if let ast::Decl::Type(t) = &item.decl {
                    for target in &t.types {
                        self.declare_type(target);
                    }
                }
            }
        }
        for file in files {
            for item in &file.items {
                match &item.decl {
                    ast::Decl::Tenant(t) => self.declare_tenant(t),
                    ast::Decl::Action(a) => {
                        for name in &a.actions {
                            let next = ActionId(self.model.actions.len() as u32);
                            let id = *self.action_ids.entry(name.text.clone()).or_insert(next);
                            if id == next {
                                self.model.actions.push(Action {
                                    name: name.text.clone(),
                                    rows: Vec::new(),
                                    spans: Vec::new(),
                                });
                            }
                            self.model.actions[id.index()].spans.push(name.span);
                        }
                    }
                    _ => {}
                }
            }
        }
        // Rows need every type declared first.
        for file in files {
            for item in &file.items {
                if let ast::Decl::Action(a) = &item.decl {
                    let rows: Vec<Target> =
                        a.targets.iter().filter_map(|t| self.target(t)).collect();
                    for name in &a.actions {
                        let action = &mut self.model.actions[self.action_ids[&name.text].index()];
                        for row in &rows {
                            if !action.rows.contains(row) {
                                action.rows.push(*row);
                            }
                        }
                    }
                }
            }
        }
    }

    fn declare_type(&mut self, target: &ast::Target) {
        let Some(sub) = &target.sub else {
            let hint = if ObjectKind::from_name(&target.kind.text).is_some() {
                "a type names a kind and a sub-type: `resource:SUB`".to_string()
            } else {
                format!("write `resource:{}`", target.kind.text)
            };
            self.error(
                Diagnostic::error(
                    codes::BAD_KIND,
                    format!("`{}` is not a type", target.kind.text),
                    target.span,
                )
                .with_label("a bare sub-type, where `kind:sub` is required")
                .with_help(hint),
            );
            return;
        };
        match ObjectKind::from_name(&target.kind.text) {
            Some(ObjectKind::Resource) => {}
            Some(ObjectKind::Entity) => {
                self.error(
                    Diagnostic::error(codes::BAD_KIND, "entity sub-types are built in", target.span)
                        .with_label("cannot be declared")
                        .with_help("the entity types are `entity:human`, `entity:device`, `entity:service`, `entity:workload` and `entity:application`"),
                );
                return;
            }
            Some(kind) => {
                self.error(
                    Diagnostic::error(
                        codes::BAD_KIND,
                        format!("`{}` has no sub-types", kind.name()),
                        target.span,
                    )
                    .with_label("only `resource` sub-types can be declared")
                    .with_help(format!(
                        "declare a resource type instead (`type resource:{}`), or tell {} objects apart by their attributes",
                        sub.text,
                        kind.name()
                    )),
                );
                return;
            }
            None => {
                self.error(self.unknown_kind(&target.kind));
                return;
            }
        }
        let key = (ObjectKind::Resource, sub.text.clone());
        if let Some(&first) = self.type_ids.get(&key) {
            let first_span = self.model.types[first.index()].span.unwrap_or(target.span);
            self.error(
                Diagnostic::error(
                    codes::DUPLICATE,
                    format!("the type `resource:{}` is declared twice", sub.text),
                    target.span,
                )
                .with_label("declared again here")
                .with_secondary(first_span, "first declared here")
                .with_help("a type is declared once; remove this one"),
            );
            return;
        }
        let id = TypeId(self.model.types.len() as u32);
        self.model.types.push(TypeDef {
            kind: ObjectKind::Resource,
            sub: sub.text.clone(),
            span: Some(target.span),
        });
        self.type_ids.insert(key, id);
    }

    /// A0004 for a word that is not one of the nine kinds.
    pub fn unknown_kind(&self, word: &ast::Name) -> Diagnostic {
        let kinds: Vec<&str> = ObjectKind::ALL.iter().map(|k| k.name()).collect();
        let mut d = Diagnostic::error(
            codes::BAD_KIND,
            format!("unknown kind `{}`", word.text),
            word.span,
        )
        .with_label("not a kind");
        d = match super::suggest::closest(&word.text, kinds.iter().copied().chain(["platform"])) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help(format!("the kinds are {}", super::suggest::list(&kinds))),
        };
        d
    }

    /// Resolves an action or guardrail target; reports A0004.
    pub fn target(&mut self, t: &ast::Target) -> Option<Target> {
        if t.sub.is_none() && t.kind.text == "platform" {
            return Some(Target::Platform);
        }
        let Some(kind) = ObjectKind::from_name(&t.kind.text) else {
            let d = self.unknown_kind(&t.kind);
            self.error(d);
            return None;
        };
        match &t.sub {
            None => Some(Target::Kind(kind)),
            Some(sub) => self.type_id(kind, sub, t.span).map(Target::Type),
        }
    }

    /// Resolves `kind:sub` to a type; reports A0004.
    pub fn type_id(&mut self, kind: ObjectKind, sub: &ast::Name, span: Span) -> Option<TypeId> {
        if let Some(&id) = self.type_ids.get(&(kind, sub.text.clone())) {
            self.record_use(sub.span, Symbol::Type(id));
            return Some(id);
        }
        if self.is_broken(None, &sub.text) {
            return None;
        }
        let d = match kind {
            ObjectKind::Entity | ObjectKind::Resource => {
                let known: Vec<String> = self
                    .model
                    .types
                    .iter()
                    .filter(|t| t.kind == kind)
                    .map(|t| t.sub.clone())
                    .collect();
                let mut d = Diagnostic::error(
                    codes::BAD_KIND,
                    format!("undeclared type `{}:{}`", kind.name(), sub.text),
                    span,
                )
                .with_label("no such type");
                if let Some(s) =
                    super::suggest::closest(&sub.text, known.iter().map(String::as_str))
                {
                    d = d.with_help(format!("did you mean `{}:{s}`?", kind.name()));
                } else if kind == ObjectKind::Resource {
                    d = d.with_help(format!("declare it: `type resource:{}`", sub.text));
                } else {
                    d = d.with_help(format!(
                        "the entity types are {}",
                        super::suggest::list(
                            &crate::kinds::ENTITY_KINDS.map(|k| format!("entity:{k}"))
                        )
                    ));
                }
                d
            }
            _ => Diagnostic::error(
                codes::BAD_KIND,
                format!("`{}` has no sub-types", kind.name()),
                span,
            )
            .with_label(format!("write `{}` alone", kind.name()))
            .with_help(format!(
                "only `entity` and `resource` have sub-types; write `{}`",
                kind.name()
            )),
        };
        self.error(d);
        None
    }

    fn declare_tenant(&mut self, t: &ast::TenantDecl) {
        if let Some(tid) = self.tenant_named(&t.name.text) {
            self.reopen_tenant(tid, t);
            return;
        }
        let id = TenantId(self.model.tenants.len() as u32);
        let object = ObjectId(self.model.objects.len() as u32);
        let mut obj = self.new_object(
            &t.name,
            Some(id),
            ObjectKind::Tenant,
            ObjectRole::Tenant(id),
            None,
        );
        obj.span = t.name.span;
        if !self.declare(None, &t.name, Named::Object(object)) {
            return;
        }
        self.push_object(obj);
        self.tenant_ns.push(Namespace::default());
        if let Some(status) = &t.status {
            self.tenant_status_at.insert(id, status.span);
        }
        self.model.tenants.push(Tenant {
            name: t.name.text.clone(),
            status: t.status.as_ref().map_or(TenantStatus::Active, |s| s.value),
            attributes: Vec::new(),
            object,
            members: Vec::new(),
            span: t.name.span,
        });
    }

    /// `tenant T { ... }` again, in this file or another: the same tenant,
    /// its declarations added to it. The header is a use of the tenant (so
    /// that definitions, references and renames reach it); the status may
    /// be given once in total (A0002 for a second).
    fn reopen_tenant(&mut self, tid: TenantId, t: &ast::TenantDecl) {
        let object = self.model.tenants[tid.index()].object;
        self.model.uses.push(super::model::Use {
            span: t.name.span,
            symbol: super::model::Symbol::Object(object),
        });
        let Some(status) = &t.status else { return };
        match self.tenant_status_at.get(&tid) {
            Some(&first) => self.error(
                Diagnostic::error(
                    codes::DUPLICATE,
                    format!("tenant `{}` has its status given twice", t.name.text),
                    status.span,
                )
                .with_label("given again here")
                .with_secondary(first, "first given here")
                .with_help("a tenant may be opened in several declarations; give its status in one of them"),
            ),
            None => {
                self.tenant_status_at.insert(tid, status.span);
                self.model.tenants[tid.index()].status = status.value;
            }
        }
    }

    /// A0002 for two declarations with the same qualified name: a quoted
    /// platform name containing `/` (`"a/b"`) against `b` of tenant `a`.
    /// Requests, tests and the compiled table name things by qualified name,
    /// so such a pair would be ambiguous.
    pub fn check_qualified_names(&mut self) {
        let mut seen: HashMap<String, Span> = HashMap::new();
        let mut clashes = Vec::new();
        let names = (0..self.model.objects.len()).map(|o| {
            (
                self.model.qualified_name(ObjectId(o as u32)),
                self.model.objects[o].span,
            )
        });
        // Principal groups are objects too, so they are among the names above.
        for (name, span) in names {
            match seen.get(&name) {
                Some(first) => clashes.push((name, span, *first)),
                None => {
                    seen.insert(name, span);
                }
            }
        }
        for (name, span, first) in clashes {
            let (a, b) = if span < first {
                (span, first)
            } else {
                (first, span)
            };
            self.error(
                Diagnostic::error(codes::DUPLICATE, format!("two declarations are both named `{name}`"), b)
                    .with_label("its qualified name is taken")
                    .with_secondary(a, "this one has the same qualified name")
                    .with_help("requests and tests name things by qualified name (`tenant/name`); rename the quoted name that contains `/`"),
            );
        }
    }

    // ------------------------------------------------------------ pass 1b

    /// Declares every named thing of every file. A tenant opened in several
    /// declarations collects the items of all of them; its `attributes`
    /// may be given once in total.
    pub fn collect_declarations(&mut self, files: &[&'a ast::File]) {
        let mut attributes_seen: HashMap<TenantId, Span> = HashMap::new();
        for file in files {
            for item in &file.items {
                let ast::Decl::Tenant(t) = &item.decl else {
                    self.collect_item(item, None);
                    continue;
                };
                // A name taken by something else was reported (A0002).
                let Some(tid) = self.tenant_named(&t.name.text) else {
                    continue;
                };
                for inner in &t.items {
                    let ast::Decl::TenantAttributes(map) = &inner.decl else {
                        self.collect_item(inner, Some(tid));
                        continue;
                    };
                    if let Some(&first) = attributes_seen.get(&tid) {
                        self.error(
                            Diagnostic::error(
                                codes::DUPLICATE,
                                format!(
                                    "tenant `{}` has two `attributes` declarations",
                                    t.name.text
                                ),
                                inner.span,
                            )
                            .with_label("declared again here")
                            .with_secondary(first, "first declared here")
                            .with_help("merge them into one `attributes { ... }`"),
                        );
                        continue;
                    }
                    attributes_seen.insert(tid, inner.span);
                    let attrs = self.attributes(map);
                    self.model.tenants[tid.index()].attributes = attrs;
                }
            }
        }
    }

    fn collect_item(&mut self, item: &'a ast::Item, tenant: Option<TenantId>) {
        match &item.decl {
            ast::Decl::Entity(e) => self.collect_entity(e, item, tenant),
            ast::Decl::Resource(r) => self.collect_resource(r, item, tenant),
            ast::Decl::Object(o) => self.collect_object(o, item, tenant),
            ast::Decl::ObjectGroup(g) => self.collect_object_group(g, item, tenant),
            ast::Decl::PrincipalGroup(g) => self.collect_principal_group(g, item, tenant),
            ast::Decl::Block(b) => self.collect_block(b, item, tenant),
            ast::Decl::Role(r) => self.collect_role(r, item, tenant),
            ast::Decl::Test(t) => self.collect_test(t, item, tenant),
            ast::Decl::Assign(_)
            | ast::Decl::Grant(_)
            | ast::Decl::Member(_)
            | ast::Decl::Guardrail(_) => {
                self.pending_statements.push(Pending {
                    tenant,
                    id: (),
                    decl: item,
                });
            }
            // Handled in pass 1a, or by the enclosing tenant.
            ast::Decl::Action(_)
            | ast::Decl::Type(_)
            | ast::Decl::Tenant(_)
            | ast::Decl::TenantAttributes(_) => {}
        }
    }

    /// Pass 1b for one `entity` declaration.
    fn collect_entity(
        &mut self,
        e: &'a ast::EntityDecl,
        item: &'a ast::Item,
        tenant: Option<TenantId>,
    ) {
        let doc = item.doc.as_ref();
        let kind = EntityKind::from_name(&e.kind.text);
        if kind.is_none() {
            let mut d = Diagnostic::error(
                codes::BAD_KIND,
                format!("unknown entity kind `{}`", e.kind.text),
                e.kind.span,
            )
            .with_label("not an entity kind");
            d = match super::suggest::closest(&e.kind.text, crate::kinds::ENTITY_KINDS) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!(
                    "the entity kinds are {}",
                    super::suggest::list(&crate::kinds::ENTITY_KINDS)
                )),
            };
            self.error(d);
        }
        let id = EntityId(self.model.entities.len() as u32);
        let object = ObjectId(self.model.objects.len() as u32);
        if !self.declare(tenant, &e.name, Named::Object(object)) {
            return;
        }
        let mut obj = self.new_object(
            &e.name,
            tenant,
            ObjectKind::Entity,
            ObjectRole::Entity(id),
            doc,
        );
        let kind_or_default = kind.unwrap_or(EntityKind::Human);
        obj.ty = Some(kind_or_default.type_id());
        obj.attributes = e
            .attributes
            .as_ref()
            .map(|m| self.attributes(m))
            .unwrap_or_default();
        self.push_object(obj);
        self.model.entities.push(Entity {
            object,
            kind: kind_or_default,
            status: e.status.as_ref().map_or(EntityStatus::Active, |s| s.value),
        });
        self.bad_entities.push(kind.is_none());
        self.pending_entities.push(Pending {
            tenant,
            id,
            decl: item,
        });
    }

    /// Pass 1b for one `resource` declaration.
    fn collect_resource(
        &mut self,
        r: &'a ast::ResourceDecl,
        item: &'a ast::Item,
        tenant: Option<TenantId>,
    ) {
        let doc = item.doc.as_ref();
        let ty = self.type_id(ObjectKind::Resource, &r.sub, r.sub.span);
        let object = ObjectId(self.model.objects.len() as u32);
        if !self.declare(tenant, &r.name, Named::Object(object)) {
            return;
        }
        let mut obj = self.new_object(
            &r.name,
            tenant,
            ObjectKind::Resource,
            ObjectRole::Plain,
            doc,
        );
        obj.ty = ty;
        obj.attributes = r
            .attributes
            .as_ref()
            .map(|m| self.attributes(m))
            .unwrap_or_default();
        self.push_object(obj);
        self.pending_objects.push(Pending {
            tenant,
            id: object,
            decl: item,
        });
    }

    /// Pass 1b for one `object` declaration.
    fn collect_object(
        &mut self,
        o: &'a ast::ObjectDecl,
        item: &'a ast::Item,
        tenant: Option<TenantId>,
    ) {
        let doc = item.doc.as_ref();
        let kind = match ObjectKind::from_name(&o.kind.text) {
            Some(k @ (ObjectKind::Credential | ObjectKind::SigningKey | ObjectKind::AuditLog)) => {
                Some(k)
            }
            Some(other) => {
                let how = match other {
                    ObjectKind::Entity => "declare entities with `entity KIND NAME`",
                    ObjectKind::Resource => "declare resources with `resource SUB NAME`",
                    ObjectKind::Group => "declare object groups with `object-group NAME`",
                    ObjectKind::Tenant => "declare tenants with `tenant NAME { ... }`",
                    ObjectKind::Role => "declare roles with `role NAME { ... }`",
                    _ => "declare blocks with `block NAME { ... }`",
                };
                self.error(
                    Diagnostic::error(
                        codes::BAD_KIND,
                        format!(
                            "`object` cannot declare {}",
                            super::suggest::an(&format!("`{}`", other.name()))
                        ),
                        o.kind.span,
                    )
                    .with_label("`object` declares a `credential`, `signing_key` or `audit_log`")
                    .with_help(how),
                );
                None
            }
            None => {
                let d = self.unknown_kind(&o.kind);
                self.error(d);
                None
            }
        };
        let object = ObjectId(self.model.objects.len() as u32);
        if !self.declare(tenant, &o.name, Named::Object(object)) {
            return;
        }
        let mut obj = self.new_object(
            &o.name,
            tenant,
            kind.unwrap_or(ObjectKind::Credential),
            ObjectRole::Plain,
            doc,
        );
        obj.attributes = o
            .attributes
            .as_ref()
            .map(|m| self.attributes(m))
            .unwrap_or_default();
        self.push_object(obj);
        self.pending_objects.push(Pending {
            tenant,
            id: object,
            decl: item,
        });
    }

    /// Pass 1b for one `object-group` declaration.
    fn collect_object_group(
        &mut self,
        g: &'a ast::ObjectGroupDecl,
        item: &'a ast::Item,
        tenant: Option<TenantId>,
    ) {
        let doc = item.doc.as_ref();
        let id = GroupId(self.model.groups.len() as u32);
        let object = ObjectId(self.model.objects.len() as u32);
        if !self.declare(tenant, &g.name, Named::Object(object)) {
            return;
        }
        let mut obj = self.new_object(
            &g.name,
            tenant,
            ObjectKind::Group,
            ObjectRole::Group(id),
            doc,
        );
        obj.attributes = g
            .attributes
            .as_ref()
            .map(|m| self.attributes(m))
            .unwrap_or_default();
        self.push_object(obj);
        self.model.groups.push(ObjectGroup {
            object,
            parent: None,
            parent_span: g.parent.as_ref().map(|q| q.span),
        });
        self.pending_objects.push(Pending {
            tenant,
            id: object,
            decl: item,
        });
    }

    /// Pass 1b for one `principal-group` declaration.
    fn collect_principal_group(
        &mut self,
        g: &'a ast::PrincipalGroupDecl,
        item: &'a ast::Item,
        tenant: Option<TenantId>,
    ) {
        let doc = item.doc.as_ref();
        let id = PrincipalGroupId(self.model.principal_groups.len() as u32);
        if !self.declare(tenant, &g.name, Named::PrincipalGroup(id)) {
            return;
        }
        // A principal group is also an object of kind `group` (spec
        // section 4): scopes and requests may name it.
        let obj = self.new_object(
            &g.name,
            tenant,
            ObjectKind::Group,
            ObjectRole::PrincipalGroup(id),
            doc,
        );
        let object = self.push_object(obj);
        self.model.principal_groups.push(PrincipalGroup {
            object,
            name: g.name.text.clone(),
            tenant,
            parent: None,
            parent_span: g.parent.as_ref().map(|q| q.span),
            members: Vec::new(),
            span: g.name.span,
            doc: doc.map(|d| d.value.clone()),
        });
        self.pending_principal_groups.push(Pending {
            tenant,
            id,
            decl: item,
        });
    }

    /// Pass 1b for one `block` declaration.
    fn collect_block(
        &mut self,
        b: &'a ast::BlockDecl,
        item: &'a ast::Item,
        tenant: Option<TenantId>,
    ) {
        let doc = item.doc.as_ref();
        let id = BlockId(self.model.blocks.len() as u32);
        let object = ObjectId(self.model.objects.len() as u32);
        if !self.declare(tenant, &b.name, Named::Object(object)) {
            return;
        }
        let obj = self.new_object(
            &b.name,
            tenant,
            ObjectKind::Policy,
            ObjectRole::Block(id),
            doc,
        );
        self.push_object(obj);
        self.model.blocks.push(Block {
            object,
            effect: b.rule.effect.value,
            actions: Vec::new(),
            action_spans: Vec::new(),
            scope: None,
            scope_span: b.rule.scope.span,
            conditions: None,
        });
        self.pending_blocks.push(Pending {
            tenant,
            id,
            decl: item,
        });
    }

    /// Pass 1b for one `role` declaration.
    fn collect_role(
        &mut self,
        r: &'a ast::RoleDecl,
        item: &'a ast::Item,
        tenant: Option<TenantId>,
    ) {
        let doc = item.doc.as_ref();
        let id = RoleId(self.model.roles.len() as u32);
        let object = ObjectId(self.model.objects.len() as u32);
        if !self.declare(tenant, &r.name, Named::Object(object)) {
            return;
        }
        let obj = self.new_object(&r.name, tenant, ObjectKind::Role, ObjectRole::Role(id), doc);
        self.push_object(obj);
        self.model.roles.push(Role {
            object,
            items: Vec::new(),
        });
        self.pending_roles.push(Pending {
            tenant,
            id,
            decl: item,
        });
    }

    /// Pass 1b for one `test` declaration.
    fn collect_test(
        &mut self,
        t: &'a ast::TestDecl,
        item: &'a ast::Item,
        tenant: Option<TenantId>,
    ) {
        let key = (tenant, t.name.text.clone());
        if let Some(&first) = self.test_names.get(&key) {
            self.error(
                Diagnostic::error(
                    codes::DUPLICATE,
                    format!(
                        "two tests are named `{}` in {}",
                        t.name.text,
                        self.place(tenant)
                    ),
                    t.name.span,
                )
                .with_label("declared again here")
                .with_secondary(first, "first declared here")
                .with_help("give each test its own name, so that failures can be told apart"),
            );
        } else {
            self.test_names.insert(key, t.name.span);
        }
        self.pending_tests.push(Pending {
            tenant,
            id: (),
            decl: item,
        });
    }
}
