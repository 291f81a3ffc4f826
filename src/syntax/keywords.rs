//! Syntax: the language's keywords, each listed once (recovery, completion and rename read them).
//!
//! Keywords are contextual (spec section 2): a quoted word is always a
//! name. These lists say which bare words start declarations and which
//! join their parts.

/// The words that start a declaration.
pub const DECLARATIONS: [&str; 16] = [
    "action",
    "type",
    "guardrail",
    "tenant",
    "attributes",
    "entity",
    "resource",
    "object",
    "object-group",
    "principal-group",
    "block",
    "role",
    "assign",
    "grant",
    "member",
    "test",
];

/// Declarations that stand only at top level.
pub const TOP_LEVEL_ONLY: [&str; 3] = ["action", "type", "tenant"];

/// Declarations that stand only inside a tenant.
pub const TENANT_ONLY: [&str; 2] = ["attributes", "member"];

/// The words that join a declaration's parts, and the effects.
pub const CLAUSES: [&str; 13] = [
    "on", "to", "in", "within", "beneath", "when", "and", "with", "because", "absolute", "allow",
    "deny", "contains",
];

/// Whether a bare word is a keyword anywhere.
pub fn is_keyword(word: &str) -> bool {
    DECLARATIONS.contains(&word) || CLAUSES.contains(&word)
}
