//! Lint: the rule registry. Names and codes are stable; a code is never reused.

use super::{Ctx, Finding, Level};

mod condition_always_false;
mod dangerous_grant_to_machine;
mod deny_condition_fails_open;
mod empty_group;
mod kind_wide_grant;
mod missing_attribute;
mod platform_wide_allow;
mod redundant_grant;
mod scope_cover;
mod self_granting_admin;
mod shadowed_allow;
mod unknown_attribute;
mod unprotected_object;
mod untested_allow;
mod unused_action;
mod unused_block;
mod unused_role;

/// What kind of problem a lint finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Correctness,
    Security,
    Suspicious,
    Style,
}

impl Category {
    pub const ALL: [Category; 4] = [
        Category::Correctness,
        Category::Security,
        Category::Suspicious,
        Category::Style,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Category::Correctness => "correctness",
            Category::Security => "security",
            Category::Suspicious => "suspicious",
            Category::Style => "style",
        }
    }
}

/// A lint rule.
pub struct Rule {
    /// Stable kebab-case name, used in `atom.toml` and suppressions.
    pub name: &'static str,
    /// Stable code, `L001`...
    pub code: &'static str,
    pub category: Category,
    pub default: Level,
    /// One line for the README table and `atom rule --list`.
    pub summary: &'static str,
    /// The rule's source file; its leading `//!` comment is its documentation.
    pub source: &'static str,
    pub check: fn(&Ctx<'_>) -> Vec<Finding>,
    /// Rules about suppression comments, run by the runner itself.
    pub meta: bool,
    /// A rule that no longer reports: its name and code stay known (levels
    /// and suppressions that name it are not errors) and are never reused.
    pub retired: bool,
}

/// Rules whose findings say that something is absent from the whole set
/// (unused, empty, untested, unreachable, not covered, overridden for
/// everyone): while the set has errors, the missing part may be a
/// declaration that did not parse or resolve, so these wait until the
/// errors are fixed.
const WHOLE_SET: [&str; 10] = [
    "unused-block",
    "unused-role",
    "unused-action",
    "empty-group",
    "shadowed-allow",
    "unknown-attribute",
    "unprotected-object",
    "dangerous-grant-to-machine",
    "untested-allow",
    "unused-suppression",
];

impl Rule {
    /// Whether the rule's findings are only sound on a set without errors.
    pub fn needs_whole_set(&self) -> bool {
        WHOLE_SET.contains(&self.name)
    }
}

fn none(_: &Ctx<'_>) -> Vec<Finding> {
    Vec::new()
}

macro_rules! rule {
    ($name:literal, $code:literal, $cat:ident, $level:ident, $module:ident, $summary:literal) => {
        Rule {
            name: $name,
            code: $code,
            category: Category::$cat,
            default: Level::$level,
            summary: $summary,
            source: include_str!(concat!(stringify!($module), ".rs")),
            check: $module::check,
            meta: false,
            retired: false,
        }
    };
}

/// Every rule, in code order.
pub static RULES: &[Rule] = &[
    rule!("unused-block", "L001", Correctness, Warn, unused_block, "a block that no role includes and no grant gives"),
    rule!("unused-role", "L002", Correctness, Warn, unused_role, "a role nobody is assigned and no role includes"),
    rule!("unused-action", "L003", Correctness, Warn, unused_action, "an action that no block uses"),
    rule!("empty-group", "L004", Suspicious, Warn, empty_group, "a principal group with no members or child groups; an object group with nothing in it"),
    rule!("shadowed-allow", "L005", Correctness, Warn, shadowed_allow, "an allow that unconditional denies always override for everyone who holds it"),
    rule!("redundant-grant", "L006", Suspicious, Warn, redundant_grant, "a block given twice to one subject, or an allow wholly covered by another"),
    rule!("platform-wide-allow", "L007", Security, Warn, platform_wide_allow, "an allow on `all` in a platform block"),
    rule!("kind-wide-grant", "L008", Security, Warn, kind_wide_grant, "`on KIND` where the actions only apply to one of its types"),
    rule!("deny-condition-fails-open", "L009", Security, Warn, deny_condition_fails_open, "a deny whose condition (`!=` included) reads an attribute some subject or object lacks"),
    rule!("unknown-attribute", "L010", Suspicious, Warn, unknown_attribute, "a condition reads an attribute that nothing declares"),
    rule!("unprotected-object", "L011", Suspicious, Warn, unprotected_object, "a resource, credential, key or log that no allow block can reach"),
    rule!("dangerous-grant-to-machine", "L012", Security, Warn, dangerous_grant_to_machine, "`manage`, `delete`, `rotate` or admin actions given to machines with no guardrail covering them"),
    rule!("self-granting-admin", "L013", Security, Warn, self_granting_admin, "a block that lets its holders manage the very block or role that grants it"),
    rule!("condition-always-false", "L014", Correctness, Warn, condition_always_false, "a condition that can never hold"),
    rule!("untested-allow", "L015", Style, Allow, untested_allow, "an allow block that no test line exercises"),
    Rule {
        name: "suppression-without-reason",
        code: "L016",
        category: Category::Style,
        default: Level::Warn,
        summary: "an `atom: allow(...)` comment that gives no reason",
        source: include_str!("meta.rs"),
        check: none,
        meta: true,
        retired: false,
    },
    Rule {
        name: "unused-suppression",
        code: "L017",
        category: Category::Style,
        default: Level::Warn,
        summary: "an `atom: allow(...)` comment that suppresses nothing",
        source: include_str!("meta_unused.rs"),
        check: none,
        meta: true,
        retired: false,
    },
    Rule {
        name: "allow-not-equal-missing",
        code: "L018",
        category: Category::Security,
        default: Level::Allow,
        summary: "retired: `!=` on a missing attribute no longer holds (spec section 5), so it never reports",
        source: include_str!("allow_not_equal_missing.rs"),
        check: none,
        meta: false,
        retired: true,
    },
];
