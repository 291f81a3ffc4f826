//! Vocabulary: the language's fixed words, each defined once, shared by
//! every stage and the runtime.
//!
//! Each word list is one [`vocabulary!`] enum: its variants in table-code
//! order, each with the text policies and reports spell it with. The
//! parser, checker, compiler, table format, evaluator, linter and reports
//! all name these words through the enums, never as loose strings or
//! numbers.

/// Defines a vocabulary enum: variants with their texts, in code order,
/// with `ALL`, `name`, `from_name`, `code` and `from_code`.
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vm])* $variant),*
        }

        impl $name {
            /// Every word, in code order.
            pub const ALL: [$name; [$(stringify!($variant)),*].len()] = [$($name::$variant),*];

            /// Every word's text, in code order.
            pub const NAMES: [&'static str; [$(stringify!($variant)),*].len()] = [$($text),*];

            /// The word as policies and reports spell it.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),*
                }
            }

            pub fn from_name(text: &str) -> Option<$name> {
                $name::ALL.into_iter().find(|w| w.name() == text)
            }

            /// The word's code in compiled tables.
            pub const fn code(self) -> u8 {
                self as u8
            }

            pub fn from_code(code: u8) -> Option<$name> {
                $name::ALL.get(usize::from(code)).copied()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }
    };
}

vocabulary! {
    /// The kinds of protected object (spec section 1).
    ObjectKind {
        Entity = "entity",
        Resource = "resource",
        /// Object groups and principal groups.
        Group = "group",
        Tenant = "tenant",
        Role = "role",
        Policy = "policy",
        Credential = "credential",
        AuditLog = "audit_log",
        SigningKey = "signing_key",
    }
}

vocabulary! {
    /// The entity kinds, which are also the built-in sub-types of `entity`.
    EntityKind {
        Human = "human",
        Device = "device",
        Service = "service",
        Workload = "workload",
        Application = "application",
    }
}

vocabulary! {
    /// An entity's status; only `active` entities are allowed anything.
    EntityStatus {
        Active = "active",
        Inactive = "inactive",
        Suspended = "suspended",
    }
}

vocabulary! {
    /// A tenant's status; requests on objects of a tenant that is not
    /// `active` are denied `tenant_inactive`.
    TenantStatus {
        Active = "active",
        Inactive = "inactive",
        Frozen = "frozen",
        Deleted = "deleted",
    }
}

vocabulary! {
    /// A comparison operator (spec section 5).
    CmpOp {
        Eq = "==",
        Ne = "!=",
        Lt = "<",
        Le = "<=",
        Gt = ">",
        Ge = ">=",
        In = "in",
        Contains = "contains",
    }
}

vocabulary! {
    /// The root of a condition path (`resource` reads as `object`).
    PathRoot {
        Entity = "entity",
        Object = "object",
        Tenant = "tenant",
        Context = "context",
    }
}

vocabulary! {
    /// The fixed field a condition path reads after its root (`context`
    /// has none).
    Field {
        Id = "id",
        Kind = "kind",
        Type = "type",
        Tenant = "tenant",
        Status = "status",
        Group = "group",
        Attributes = "attributes",
    }
}

vocabulary! {
    /// A decision reason (spec section 6), in the order the rules are tried.
    Reason {
        SubjectNotFound = "subject_not_found",
        SubjectInactive = "subject_inactive",
        ObjectNotFound = "object_not_found",
        TenantInactive = "tenant_inactive",
        NotApplicable = "not_applicable",
        DeniedBy = "denied_by",
        AllowedBy = "allowed_by",
        NoMatchingAllow = "no_matching_allow",
    }
}

impl Reason {
    /// The rule of the decision order (specification section 6) that
    /// gives this reason: its number and what fired, in words.
    pub fn rule(self) -> (u8, &'static str) {
        match self {
            Reason::SubjectNotFound => (1, "the subject is unknown"),
            Reason::SubjectInactive => (2, "the subject is not active"),
            Reason::ObjectNotFound => (3, "the object is unknown"),
            Reason::TenantInactive => (4, "the object's tenant is not active"),
            Reason::NotApplicable => (5, "the action is unknown or does not apply to the object"),
            Reason::DeniedBy => (7, "a matching deny overrides every allow"),
            Reason::AllowedBy => (8, "a matching allow, and no matching deny"),
            Reason::NoMatchingAllow => (9, "no allow matches"),
        }
    }

    /// Whether a decision with this reason allows the request.
    pub fn allows(self) -> bool {
        self == Reason::AllowedBy
    }
}

impl ObjectKind {
    /// Whether objects of this kind may be placed in an object group
    /// (`in G`), and so be reached by `KIND in G` and `all in G`.
    pub fn sits_in_groups(self) -> bool {
        matches!(
            self,
            ObjectKind::Entity
                | ObjectKind::Resource
                | ObjectKind::Group
                | ObjectKind::Credential
                | ObjectKind::SigningKey
                | ObjectKind::AuditLog
        )
    }
}

impl PathRoot {
    /// The fields a path of this root may read (spec section 5).
    pub fn fields(self) -> &'static [Field] {
        use Field::*;
        match self {
            PathRoot::Entity => &[Id, Kind, Tenant, Status, Attributes],
            PathRoot::Object => &[Id, Kind, Type, Tenant, Group, Attributes],
            PathRoot::Tenant => &[Id, Status, Attributes],
            PathRoot::Context => &[],
        }
    }
}

impl CmpOp {
    /// The operator as written (`==`, `contains`).
    pub fn as_str(self) -> &'static str {
        self.name()
    }
}

/// The entity kinds' names, in code order.
pub const ENTITY_KINDS: [&str; 5] = EntityKind::NAMES;

/// A noun with its indefinite article: `a block`, `an entity`, and for a
/// name in backticks, by the name's first letter: "an `entity:human`".
pub fn an(noun: &str) -> String {
    if noun
        .trim_start_matches('`')
        .starts_with(['a', 'e', 'i', 'o', 'u'])
    {
        format!("an {noun}")
    } else {
        format!("a {noun}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn articles_follow_the_first_letter_of_a_quoted_name() {
        assert_eq!(super::an("`entity:human`"), "an `entity:human`");
        assert_eq!(super::an("`resource:doc`"), "a `resource:doc`");
        assert_eq!(super::an("object"), "an object");
    }

    use super::*;

    #[test]
    fn codes_and_names_round_trip() {
        for k in ObjectKind::ALL {
            assert_eq!(ObjectKind::from_code(k.code()), Some(k));
            assert_eq!(ObjectKind::from_name(k.name()), Some(k));
        }
        for k in EntityKind::ALL {
            assert_eq!(ENTITY_KINDS[usize::from(k.code())], k.name());
        }
        assert_eq!(CmpOp::from_code(7), Some(CmpOp::Contains));
        assert_eq!(Reason::from_name("denied_by"), Some(Reason::DeniedBy));
        assert_eq!(TenantStatus::from_code(4), None);
    }
}
