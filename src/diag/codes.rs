//! Diagnostics: the stable error codes of the language contract (spec section 8).
//!
//! Codes are part of the contract: tests and CI scripts match on them, so a
//! code is never renumbered or reused.

/// A stable diagnostic code with its short title.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Code {
    /// The code as users see it, such as `A0001`.
    pub id: &'static str,
    /// A short title, used for SARIF rule descriptions and `--format short` legends.
    pub title: &'static str,
    /// The level the code has when nothing configures it, as SARIF words
    /// it (`error`, `warning`, `none`): an error code's is `error`; a
    /// lint's is its registry default, whatever a run set it to.
    pub default_level: &'static str,
}

macro_rules! codes {
    ($($name:ident = $id:literal, $title:literal;)*) => {
        $(
            #[doc = $title]
            pub const $name: Code = Code { id: $id, title: $title, default_level: "error" };
        )*
        /// Every error code, in order.
        pub const ALL: &[Code] = &[$($name),*];
    };
}

codes! {
    SYNTAX = "A0001", "syntax error";
    DUPLICATE = "A0002", "name declared twice";
    UNDECLARED = "A0003", "reference to an undeclared name";
    BAD_KIND = "A0004", "unknown kind or undeclared type";
    NOT_APPLICABLE = "A0005", "action not applicable to the scope";
    GUARDRAIL = "A0006", "guardrail violation";
    CYCLE = "A0007", "cycle in groups or roles";
    TENANT_BOUNDARY = "A0008", "reference crosses a tenant boundary";
    SCOPE_PLACEMENT = "A0009", "scope cannot stand here";
    CONDITION_TYPE = "A0010", "ill-typed condition";
    BAD_GUARDRAIL = "A0011", "ill-formed guardrail";
    BAD_TEST = "A0012", "ill-formed test line";
}

/// Looks up a code by its id.
pub fn by_id(id: &str) -> Option<Code> {
    ALL.iter().copied().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_ordered() {
        for pair in ALL.windows(2) {
            assert!(
                pair[0].id < pair[1].id,
                "{} before {}",
                pair[0].id,
                pair[1].id
            );
        }
        assert_eq!(by_id("A0006"), Some(GUARDRAIL));
        assert_eq!(by_id("A9999"), None);
    }
}
