//! Check: the checked model, the intermediate representation every later
//! stage consumes (linter, compiler, reference interpreter).
//!
//! Every name is resolved to an index into one of the tables below; every
//! span points back at the source; indices are always in range. A set with
//! errors still has a model (for lints, the language server and queries):
//! what did not resolve is left out or an explicit missing value (a block's
//! `scope: None`), never a placeholder. For a set with no errors the
//! language's invariants also hold: object groups, principal groups and
//! roles form forests and DAGs (no cycles), every block action applies to
//! its scope, and no grant breaks a guardrail.

use crate::diag::Span;
use crate::kinds::ObjectKind;
use crate::syntax::ast::{CmpOp, Effect, Relation};

macro_rules! ids {
    ($($(#[$m:meta])* $name:ident;)*) => {$(
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize { self.0 as usize }
        }
    )*};
}

ids! {
    /// A tenant.
    TenantId;
    /// An action.
    ActionId;
    /// A type (`entity:device`, `resource:channel`).
    TypeId;
    /// A protected object of any kind.
    ObjectId;
    /// An entity (also an object).
    EntityId;
    /// An object group (also an object).
    GroupId;
    /// A principal group.
    PrincipalGroupId;
    /// A permission block (also an object, of kind `policy`).
    BlockId;
    /// A role (also an object).
    RoleId;
    /// A guardrail rule.
    GuardrailId;
}

pub use crate::kinds::EntityKind;

impl EntityKind {
    /// The type `entity:KIND`; entity types come first in [`Model::types`].
    pub fn type_id(self) -> TypeId {
        TypeId(self as u32)
    }

    /// This kind as a bit, for sets of kinds.
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

pub use crate::syntax::ast::{EntityStatus, TenantStatus};
pub use crate::value::Value;

/// An attribute map.
pub type Attributes = Vec<(String, Value)>;

/// A type: a kind and one of its sub-types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeDef {
    pub kind: ObjectKind,
    pub sub: String,
    /// Where a resource type is declared; `None` for built-in entity types.
    pub span: Option<Span>,
}

/// What an applicability row or guardrail names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// Every object of a kind, whatever its type.
    Kind(ObjectKind),
    /// Objects of one type.
    Type(TypeId),
    /// The platform itself (no declared object has this kind).
    Platform,
}

/// An action and its applicability rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub name: String,
    /// Rows in first-declared order, without duplicates.
    pub rows: Vec<Target>,
    /// Its name in every `action` statement that declares it.
    pub spans: Vec<Span>,
}

/// A tenant.
#[derive(Clone, Debug, PartialEq)]
pub struct Tenant {
    pub name: String,
    pub status: TenantStatus,
    pub attributes: Attributes,
    /// The tenant as an object (kind `tenant`; it belongs to itself).
    pub object: ObjectId,
    /// Platform entities that joined with `member`.
    pub members: Vec<EntityId>,
    pub span: Span,
}

/// What an object is, besides its kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ObjectRole {
    Entity(EntityId),
    Group(GroupId),
    Tenant(TenantId),
    Block(BlockId),
    Role(RoleId),
    /// A principal group: an object of kind `group` with no parent object group.
    PrincipalGroup(PrincipalGroupId),
    /// A resource, credential, signing key or audit log.
    Plain,
}

/// A protected object: an entity, resource, object group, tenant, role,
/// block, credential, signing key or audit log.
#[derive(Clone, Debug, PartialEq)]
pub struct Object {
    /// The declared name, unqualified.
    pub name: String,
    /// The owning tenant; `None` for platform objects. A tenant owns itself.
    pub tenant: Option<TenantId>,
    pub kind: ObjectKind,
    /// The type, for entities and resources.
    pub ty: Option<TypeId>,
    /// The parent object group, for entities, resources and object groups.
    pub parent: Option<GroupId>,
    pub attributes: Attributes,
    pub role: ObjectRole,
    /// The declaration's name.
    pub span: Span,
    pub doc: Option<String>,
}

/// An entity: a subject (it is an object too).
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    pub object: ObjectId,
    pub kind: EntityKind,
    pub status: EntityStatus,
}

/// An object group.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectGroup {
    pub object: ObjectId,
    pub parent: Option<GroupId>,
    /// The parent's name in `object-group NAME in PARENT`.
    pub parent_span: Option<Span>,
}

/// A principal group.
#[derive(Clone, Debug, PartialEq)]
pub struct PrincipalGroup {
    /// The group as an object (kind `group`).
    pub object: ObjectId,
    pub name: String,
    pub tenant: Option<TenantId>,
    pub parent: Option<PrincipalGroupId>,
    /// The parent's name in `principal-group NAME in PARENT`.
    pub parent_span: Option<Span>,
    /// Direct members.
    pub members: Vec<EntityId>,
    pub span: Span,
    pub doc: Option<String>,
}

/// A resolved scope (spec section 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scope {
    All,
    Kind(ObjectKind),
    Type(TypeId),
    Object(ObjectId),
    /// `KIND:SUB in|within|beneath G`
    TypeInGroup(TypeId, Relation, GroupId),
    /// `group in|within|beneath G`
    GroupInGroup(Relation, GroupId),
    /// `KIND in|within|beneath G` for `entity` or `resource`: every type of
    /// the kind (and the kind untyped) placed so in G.
    KindInGroup(ObjectKind, Relation, GroupId),
    /// `all in|within|beneath G`: every object placed so in G, whatever its
    /// kind (entities, resources, object groups).
    AllInGroup(Relation, GroupId),
}

/// The kinds of object that sit in object groups (`in G`): what
/// `KIND in G` and `all in G` can reach ([`ObjectKind::sits_in_groups`]).
pub fn grouped_kinds() -> impl Iterator<Item = ObjectKind> {
    ObjectKind::ALL.into_iter().filter(|k| k.sits_in_groups())
}

/// The root of a condition path.
pub use crate::kinds::PathRoot;

/// A checked path: its root, the field, and the keys after `attributes`
/// (or after `context`).
#[derive(Clone, Debug, PartialEq)]
pub struct CondPath {
    pub root: PathRoot,
    /// `id`, `kind`, `type`, `tenant`, `status`, `group` or `attributes`;
    /// empty for `context`.
    pub field: String,
    pub keys: Vec<String>,
    pub span: Span,
}

/// The right side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Value(Value),
    Path(CondPath),
}

/// A checked comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    pub left: CondPath,
    pub op: CmpOp,
    pub right: Operand,
    pub span: Span,
}

/// A permission block.
#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub object: ObjectId,
    pub effect: Effect,
    pub actions: Vec<ActionId>,
    pub action_spans: Vec<Span>,
    /// The resolved scope; `None` when it did not resolve (an error was
    /// reported): the block then reaches nothing, and later stages skip it.
    pub scope: Option<Scope>,
    pub scope_span: Span,
    /// The checked conditions; `None` when one of them did not check (an
    /// error was reported), never a shorter list that would widen the block.
    pub conditions: Option<Vec<Condition>>,
}

impl Block {
    /// The block's scope and conditions, when both resolved: what every
    /// later stage reads (in a set without errors, always `Some`).
    pub fn rule(&self) -> Option<(Scope, &[Condition])> {
        Some((self.scope?, self.conditions.as_deref()?))
    }

    /// The conditions that checked (none when they did not).
    pub fn checked_conditions(&self) -> &[Condition] {
        self.conditions.as_deref().unwrap_or(&[])
    }
}

/// One item of a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RoleItem {
    Block(BlockId),
    Role(RoleId),
}

/// A role.
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub object: ObjectId,
    pub items: Vec<(RoleItem, Span)>,
}

/// Who receives an assignment or a grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Entity(EntityId),
    Group(PrincipalGroupId),
}

/// What an assignment or grant gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Given {
    /// `assign ROLE to ...`
    Role(RoleId),
    /// `grant BLOCK to ...` (a direct policy)
    Block(BlockId),
}

/// An `assign` or `grant` statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Grant {
    pub given: Given,
    /// Each subject with the span of its name in the statement.
    pub subjects: Vec<(Subject, Span)>,
    /// The tenant the statement is declared in.
    pub tenant: Option<TenantId>,
    /// The whole statement.
    pub span: Span,
}

/// A guardrail rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Guardrail {
    pub effect: Effect,
    pub entity_kind: EntityKind,
    pub actions: Vec<ActionId>,
    pub target: Target,
    pub absolute: bool,
    /// `None` for a global rule.
    pub tenant: Option<TenantId>,
    pub span: Span,
    /// Its `///` comment: why the rule exists, quoted when it fires.
    pub doc: Option<String>,
}

impl Guardrail {
    /// Precedence, 1 highest: absolute deny, tenant deny, global deny, global allow.
    pub fn precedence(&self) -> u8 {
        match (self.effect, self.absolute, self.tenant.is_some()) {
            (Effect::Deny, true, _) => 1,
            (Effect::Deny, false, true) => 2,
            (Effect::Deny, false, false) => 3,
            (Effect::Allow, _, _) => 4,
        }
    }
}

pub use crate::kinds::Reason;

/// One line of a test block.
#[derive(Clone, Debug, PartialEq)]
pub struct TestLine {
    pub expect: Effect,
    pub subject: EntityId,
    pub action: ActionId,
    pub object: ObjectId,
    /// `context.KEY = value` entries: the keys after `context`, and the value.
    pub context: Vec<(Vec<String>, Value)>,
    pub reason: Option<Reason>,
    pub span: Span,
}

/// A test block.
#[derive(Clone, Debug, PartialEq)]
pub struct Test {
    pub name: String,
    pub tenant: Option<TenantId>,
    pub lines: Vec<TestLine>,
    pub span: Span,
}

/// Anything a name can stand for: what go-to-definition and find-references work on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Symbol {
    Object(ObjectId),
    PrincipalGroup(PrincipalGroupId),
    Action(ActionId),
    Type(TypeId),
}

/// One use of a name: where it is written and what it resolved to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Use {
    pub span: Span,
    pub symbol: Symbol,
}

/// A checked policy set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Model {
    pub tenants: Vec<Tenant>,
    /// Entity types first (in [`EntityKind`] order), then resource types.
    pub types: Vec<TypeDef>,
    pub actions: Vec<Action>,
    pub objects: Vec<Object>,
    pub entities: Vec<Entity>,
    pub groups: Vec<ObjectGroup>,
    pub principal_groups: Vec<PrincipalGroup>,
    pub blocks: Vec<Block>,
    pub roles: Vec<Role>,
    pub grants: Vec<Grant>,
    pub guardrails: Vec<Guardrail>,
    pub tests: Vec<Test>,
    /// Every resolved use of a name, in resolution order.
    pub uses: Vec<Use>,
}

impl Model {
    pub fn object(&self, id: ObjectId) -> &Object {
        &self.objects[id.index()]
    }

    pub fn entity(&self, id: EntityId) -> &Entity {
        &self.entities[id.index()]
    }

    pub fn block(&self, id: BlockId) -> &Block {
        &self.blocks[id.index()]
    }

    pub fn role(&self, id: RoleId) -> &Role {
        &self.roles[id.index()]
    }

    /// An object's name as users write it outside its tenant: `T/name`.
    pub fn qualified_name(&self, id: ObjectId) -> String {
        let o = self.object(id);
        match (o.tenant, o.role) {
            (_, ObjectRole::Tenant(_)) | (None, _) => o.name.clone(),
            (Some(t), _) => format!("{}/{}", self.tenants[t.index()].name, o.name),
        }
    }

    /// A note quoting an object's `///` description, for diagnostics that
    /// name the declaration (spec section 2).
    pub fn doc_note(&self, id: ObjectId) -> Option<String> {
        let doc = self.object(id).doc.as_ref()?;
        Some(format!("`{}`: /// {doc}", self.qualified_name(id)))
    }

    pub fn entity_name(&self, id: EntityId) -> String {
        self.qualified_name(self.entity(id).object)
    }

    pub fn block_name(&self, id: BlockId) -> String {
        self.qualified_name(self.block(id).object)
    }

    pub fn role_name(&self, id: RoleId) -> String {
        self.qualified_name(self.role(id).object)
    }

    pub fn group_name(&self, id: PrincipalGroupId) -> String {
        let g = &self.principal_groups[id.index()];
        match g.tenant {
            Some(t) => format!("{}/{}", self.tenants[t.index()].name, g.name),
            None => g.name.clone(),
        }
    }

    /// Where a symbol is declared: each `action` statement naming an
    /// action; none for a built-in entity type.
    pub fn declarations(&self, symbol: Symbol) -> Vec<Span> {
        match symbol {
            Symbol::Object(o) => vec![self.object(o).span],
            Symbol::PrincipalGroup(g) => vec![self.principal_groups[g.index()].span],
            Symbol::Action(a) => self.actions[a.index()].spans.clone(),
            Symbol::Type(t) => self.types[t.index()].span.into_iter().collect(),
        }
    }

    /// A symbol's name as users write it outside its tenant.
    pub fn symbol_name(&self, symbol: Symbol) -> String {
        match symbol {
            Symbol::Object(o) => self.qualified_name(o),
            Symbol::PrincipalGroup(g) => self.group_name(g),
            Symbol::Action(a) => self.actions[a.index()].name.clone(),
            Symbol::Type(t) => self.type_name(t),
        }
    }

    /// A symbol's `///` description, if it has one.
    pub fn symbol_doc(&self, symbol: Symbol) -> Option<&str> {
        match symbol {
            Symbol::Object(o) => self.object(o).doc.as_deref(),
            Symbol::PrincipalGroup(g) => self.principal_groups[g.index()].doc.as_deref(),
            Symbol::Action(_) | Symbol::Type(_) => None,
        }
    }

    /// A type as written: `resource:channel`.
    pub fn type_name(&self, id: TypeId) -> String {
        let t = &self.types[id.index()];
        format!("{}:{}", t.kind.name(), t.sub)
    }

    /// A target as written: `resource`, `resource:channel`, `platform`.
    pub fn target_name(&self, target: Target) -> String {
        match target {
            Target::Kind(k) => k.name().to_string(),
            Target::Type(t) => self.type_name(t),
            Target::Platform => "platform".to_string(),
        }
    }

    /// The types of a kind (empty for kinds without sub-types).
    pub fn types_of(&self, kind: ObjectKind) -> impl Iterator<Item = TypeId> + '_ {
        self.types
            .iter()
            .enumerate()
            .filter(move |(_, t)| t.kind == kind)
            .map(|(i, _)| TypeId(i as u32))
    }
}
