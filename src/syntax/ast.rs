//! Syntax: the abstract syntax tree of a policy file, with spans.
//!
//! This is what every later stage sees of the source: plain Rust values, no
//! parser types. Names keep their spans and whether they were quoted (a
//! quoted word is always a name, never a keyword or kind).

use crate::diag::Span;

/// A value with the span it was written at.
#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// A name as written: bare (`meter-001`) or quoted (`"any text"`), unescaped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Name {
    pub text: String,
    pub span: Span,
    pub quoted: bool,
}

/// A reference that may be qualified by a tenant: `T/name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QName {
    pub tenant: Option<Name>,
    pub name: Name,
    pub span: Span,
}

impl std::fmt::Display for QName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.tenant {
            Some(t) => write!(f, "{}/{}", t.text, self.name.text),
            None => f.write_str(&self.name.text),
        }
    }
}

/// A kind or a type as written: `resource`, `resource:channel`, `platform`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub kind: Name,
    pub sub: Option<Name>,
    pub span: Span,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.sub {
            Some(s) => write!(f, "{}:{}", self.kind.text, s.text),
            None => f.write_str(&self.kind.text),
        }
    }
}

/// A parsed policy file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    pub items: Vec<Item>,
}

/// A declaration with its doc comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// The `///` lines before the declaration, without the slashes, joined by newlines.
    pub doc: Option<Spanned<String>>,
    pub decl: Decl,
    /// The whole declaration, doc comment excluded.
    pub span: Span,
}

/// Every kind of declaration. Placement (top level or inside a tenant) has
/// been checked by lowering: a `Tenant` body never holds `Action`, `Type`
/// or `Tenant`, and the top level never holds `TenantAttributes` or `Member`.
#[derive(Clone, Debug, PartialEq)]
pub enum Decl {
    Action(ActionDecl),
    Type(TypeDecl),
    Guardrail(GuardrailDecl),
    Tenant(TenantDecl),
    TenantAttributes(MapLit),
    Entity(EntityDecl),
    Resource(ResourceDecl),
    Object(ObjectDecl),
    ObjectGroup(ObjectGroupDecl),
    PrincipalGroup(PrincipalGroupDecl),
    Block(BlockDecl),
    Role(RoleDecl),
    Assign(AssignDecl),
    Grant(GrantDecl),
    Member(MemberDecl),
    Test(TestDecl),
}

impl Decl {
    /// The keyword that starts the declaration, for messages.
    pub fn keyword(&self) -> &'static str {
        match self {
            Decl::Action(_) => "action",
            Decl::Type(_) => "type",
            Decl::Guardrail(_) => "guardrail",
            Decl::Tenant(_) => "tenant",
            Decl::TenantAttributes(_) => "attributes",
            Decl::Entity(_) => "entity",
            Decl::Resource(_) => "resource",
            Decl::Object(_) => "object",
            Decl::ObjectGroup(_) => "object-group",
            Decl::PrincipalGroup(_) => "principal-group",
            Decl::Block(_) => "block",
            Decl::Role(_) => "role",
            Decl::Assign(_) => "assign",
            Decl::Grant(_) => "grant",
            Decl::Member(_) => "member",
            Decl::Test(_) => "test",
        }
    }
}

/// `action A, B [on TARGET, ...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionDecl {
    pub actions: Vec<Name>,
    pub targets: Vec<Target>,
}

/// `type resource:sub, ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDecl {
    pub types: Vec<Target>,
}

/// `allow` or `deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    Allow,
    Deny,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Allow => "allow",
            Effect::Deny => "deny",
        }
    }
}

/// `guardrail (allow|deny) ENTITYKIND ACTIONS on TARGET [absolute]`.
#[derive(Clone, Debug, PartialEq)]
pub struct GuardrailDecl {
    pub effect: Spanned<Effect>,
    pub entity_kind: Name,
    pub actions: Vec<Name>,
    pub target: Target,
    /// The span of `absolute`, if present.
    pub absolute: Option<Span>,
}

pub use crate::kinds::{CmpOp, EntityStatus, TenantStatus};

/// `tenant NAME [STATUS] { ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct TenantDecl {
    pub name: Name,
    pub status: Option<Spanned<TenantStatus>>,
    pub items: Vec<Item>,
}

/// `entity KIND NAME [in GROUP] [STATUS] [{ attributes }]`.
#[derive(Clone, Debug, PartialEq)]
pub struct EntityDecl {
    pub kind: Name,
    pub name: Name,
    pub parent: Option<QName>,
    pub status: Option<Spanned<EntityStatus>>,
    pub attributes: Option<MapLit>,
}

/// `resource SUB NAME [in GROUP] [{ attributes }]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceDecl {
    pub sub: Name,
    pub name: Name,
    pub parent: Option<QName>,
    pub attributes: Option<MapLit>,
}

/// `object KIND NAME [in GROUP] [{ attributes }]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectDecl {
    pub kind: Name,
    pub name: Name,
    pub parent: Option<QName>,
    pub attributes: Option<MapLit>,
}

/// `object-group NAME [in GROUP] [{ attributes }]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ObjectGroupDecl {
    pub name: Name,
    pub parent: Option<QName>,
    pub attributes: Option<MapLit>,
}

/// `principal-group NAME [in GROUP] { MEMBER, ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct PrincipalGroupDecl {
    pub name: Name,
    pub parent: Option<QName>,
    pub members: Vec<QName>,
}

/// `block NAME { RULE }`.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockDecl {
    pub name: Name,
    pub rule: BlockRule,
}

/// `(allow|deny) ACTIONS on SCOPE [when C and ...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct BlockRule {
    pub effect: Spanned<Effect>,
    pub actions: Vec<Name>,
    pub scope: Scope,
    pub conditions: Vec<Comparison>,
}

/// What a scope names first.
#[derive(Clone, Debug, PartialEq)]
pub enum ScopeTarget {
    /// `all`
    All(Span),
    /// A bare kind word: `resource`, `group`, `credential`...
    Kind(Name),
    /// `kind:sub`
    Type(Target),
    /// Any other name, possibly qualified or quoted.
    Object(QName),
}

/// `in`, `within` or `beneath`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Relation {
    In,
    Within,
    Beneath,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::In => "in",
            Relation::Within => "within",
            Relation::Beneath => "beneath",
        }
    }
}

/// A block's scope: a target, optionally related to an object group.
#[derive(Clone, Debug, PartialEq)]
pub struct Scope {
    pub target: ScopeTarget,
    pub relation: Option<(Spanned<Relation>, QName)>,
    pub span: Span,
}

/// A dotted path: `entity.attributes.site`, `context."client id"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    pub segments: Vec<Spanned<String>>,
    pub span: Span,
}

impl std::fmt::Display for Path {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, s) in self.segments.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(&s.value)?;
        }
        Ok(())
    }
}

/// The right side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Literal(Literal),
    Path(Path),
}

/// `PATH OP OPERAND`.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub left: Path,
    pub op: Spanned<CmpOp>,
    pub right: Operand,
    pub span: Span,
}

/// A literal value.
#[derive(Clone, Debug, PartialEq)]
pub struct Literal {
    pub value: LitValue,
    pub span: Span,
}

/// The value of a literal.
#[derive(Clone, Debug, PartialEq)]
pub enum LitValue {
    Str(String),
    Int(i64),
    /// A decimal, kept as written so that tables are reproducible.
    Dec(String),
    Bool(bool),
    List(Vec<Literal>),
    Map(MapLit),
}

/// `{ k = v, ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct MapLit {
    pub entries: Vec<MapEntry>,
    pub span: Span,
}

/// `k = v`.
#[derive(Clone, Debug, PartialEq)]
pub struct MapEntry {
    pub key: Name,
    pub value: Literal,
}

/// `role NAME { ITEM, ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct RoleDecl {
    pub name: Name,
    pub items: Vec<QName>,
}

/// `assign ROLE to SUBJECT, ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct AssignDecl {
    pub role: QName,
    pub subjects: Vec<QName>,
}

/// `grant BLOCK to SUBJECT, ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct GrantDecl {
    pub block: QName,
    pub subjects: Vec<QName>,
}

/// `member ENTITY`.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberDecl {
    pub entity: QName,
}

/// `test NAME { LINE ... }`.
#[derive(Clone, Debug, PartialEq)]
pub struct TestDecl {
    pub name: Name,
    pub lines: Vec<TestLine>,
}

/// `(allow|deny) SUBJECT ACTION OBJECT [with { ... }] [because REASON]`.
#[derive(Clone, Debug, PartialEq)]
pub struct TestLine {
    pub expect: Spanned<Effect>,
    pub subject: QName,
    pub action: Name,
    pub object: QName,
    pub context: Vec<(Path, Literal)>,
    pub reason: Option<Name>,
    pub span: Span,
}
