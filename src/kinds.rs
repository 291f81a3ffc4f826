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
