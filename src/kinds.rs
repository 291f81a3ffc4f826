//! Vocabulary: the language's fixed kinds, shared by every stage and the runtime.

/// The kinds of protected object (spec section 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ObjectKind {
    Entity,
    Resource,
    Group,
    Tenant,
    Role,
    Policy,
    Credential,
    AuditLog,
    SigningKey,
}

impl ObjectKind {
    /// Every kind, in table order.
    pub const ALL: [ObjectKind; 9] = [
        ObjectKind::Entity,
        ObjectKind::Resource,
        ObjectKind::Group,
        ObjectKind::Tenant,
        ObjectKind::Role,
        ObjectKind::Policy,
        ObjectKind::Credential,
        ObjectKind::AuditLog,
        ObjectKind::SigningKey,
    ];

    /// The kind as written in policies.
    pub fn name(self) -> &'static str {
        match self {
            ObjectKind::Entity => "entity",
            ObjectKind::Resource => "resource",
            ObjectKind::Group => "group",
            ObjectKind::Tenant => "tenant",
            ObjectKind::Role => "role",
            ObjectKind::Policy => "policy",
            ObjectKind::Credential => "credential",
            ObjectKind::AuditLog => "audit_log",
            ObjectKind::SigningKey => "signing_key",
        }
    }

    pub fn from_name(name: &str) -> Option<ObjectKind> {
        ObjectKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The built-in entity kinds, which are also the sub-types of `entity`.
pub const ENTITY_KINDS: [&str; 5] = ["human", "device", "service", "workload", "application"];

/// A decision reason (spec section 6), in the order the rules are tried.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    SubjectNotFound,
    SubjectInactive,
    ObjectNotFound,
    TenantInactive,
    NotApplicable,
    DeniedBy,
    AllowedBy,
    NoMatchingAllow,
}

impl Reason {
    pub const ALL: [Reason; 8] = [
        Reason::SubjectNotFound,
        Reason::SubjectInactive,
        Reason::ObjectNotFound,
        Reason::TenantInactive,
        Reason::NotApplicable,
        Reason::DeniedBy,
        Reason::AllowedBy,
        Reason::NoMatchingAllow,
    ];

    /// The reason as users and scripts see it.
    pub fn name(self) -> &'static str {
        match self {
            Reason::SubjectNotFound => "subject_not_found",
            Reason::SubjectInactive => "subject_inactive",
            Reason::ObjectNotFound => "object_not_found",
            Reason::TenantInactive => "tenant_inactive",
            Reason::NotApplicable => "not_applicable",
            Reason::DeniedBy => "denied_by",
            Reason::AllowedBy => "allowed_by",
            Reason::NoMatchingAllow => "no_matching_allow",
        }
    }

    pub fn from_name(name: &str) -> Option<Reason> {
        Reason::ALL.into_iter().find(|r| r.name() == name)
    }

    /// Whether a decision with this reason allows the request.
    pub fn allows(self) -> bool {
        self == Reason::AllowedBy
    }
}
