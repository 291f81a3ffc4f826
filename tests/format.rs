//! `atom fmt`'s engine: on random policies with a comment between every
//! pair of tokens (wherever the grammar allows white space), the output
//! keeps every comment in order, is idempotent, and compiles to the same
//! decisions; and the canonical layout on a hand-written example.

mod support;

use atom::diag::{FileId, SourceMap};
use atom::format::{format, same_table, FormatError};
use atom::gen::SplitMix64;
use atom::syntax::comments::comments;
use atom::syntax::tokens::{tokenize, Token, TokenKind};
use proptest::prelude::*;
use support::policy_gen::{policy, sizes, without_breached_guardrails};

/// Whether white space (and so a comment) may stand between two tokens
/// the generator wrote touching: not inside `T/name`, `kind:sub` or a path.
fn may_separate(text: &str, a: Token, b: Token) -> bool {
    let word = |t: Token| matches!(t.kind, TokenKind::Word | TokenKind::String);
    let glue = |t: Token| matches!(t.text(text), "/" | ":");
    !(glue(a) || glue(b) || (word(a) && word(b)))
}

/// The text with a numbered comment in every gap between two tokens, and
/// random white space around each; returns it and the number of comments.
fn with_comments(text: &str, rng: &mut SplitMix64) -> (String, usize) {
    let tokens: Vec<Token> = tokenize(text)
        .into_iter()
        .filter(|t| !t.kind.is_trivia())
        .collect();
    let mut out = String::new();
    let mut n = 0;
    for (i, &t) in tokens.iter().enumerate() {
        if i > 0 {
            let prev = tokens[i - 1];
            let touching = prev.end == t.start;
            if !touching || may_separate(text, prev, t) {
                const BEFORE: [&str; 4] = [" ", "", "\n\n\n", "\t "];
                const AFTER: [&str; 4] = ["\n", "\n\n", "\n   ", "\n\t"];
                out.push_str(BEFORE[rng.below(4)]);
                out.push_str(&format!("// c{n}"));
                out.push_str(AFTER[rng.below(4)]);
                n += 1;
            }
        }
        out.push_str(t.text(text));
    }
    (out, n)
}

fn one_file(text: &str) -> SourceMap {
    let mut s = SourceMap::new();
    s.add("policy.atom", text.to_string());
    s
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn formatting_keeps_comments_is_idempotent_and_keeps_decisions(
        seed in any::<u64>(),
        sizes in sizes(),
    ) {
        let generated = policy(seed, &sizes);
        let Some((text, _, _)) = without_breached_guardrails(&generated.text) else {
            return Ok(());
        };
        let mut rng = SplitMix64::new(seed);
        let (commented, n) = with_comments(&text, &mut rng);
        prop_assert!(n > 20, "comments were inserted");

        let formatted = match format(FileId(0), &commented) {
            Ok(f) => f,
            Err(FormatError::Syntax(d)) => panic!("the commented text parses: {d:?}\n{commented}"),
            Err(FormatError::Unsound(why)) => panic!("{why}\n{commented}"),
        };
        let kept: Vec<&str> = comments(&formatted).iter().map(|c| c.text(&formatted)).collect();
        let expected: Vec<String> = (0..n).map(|i| format!("// c{i}")).collect();
        prop_assert_eq!(kept, expected);

        let again = format(FileId(0), &formatted).map_err(|e| format!("{e:?}"));
        prop_assert_eq!(again.as_deref(), Ok(formatted.as_str()), "idempotent");

        prop_assert_eq!(same_table(&one_file(&text), &one_file(&formatted)), Some(true));
        prop_assert_eq!(same_table(&one_file(&commented), &one_file(&formatted)), Some(true));
    }
}

/// The canonical layout, as `docs/language.md` shows it.
const MESSY: &str = "\n\n// Actions.\naction read,write   on resource:doc , entity\n\n\n\ntype resource:doc\ntenant acme active { attributes {plan=\"team\"}\n  /// The manual.\n        resource doc manual  { tags = [ \"a\" ,\"b\" ] }   // trailing\n  entity human ann {  }\nblock b {\nallow read\non resource:doc\nwhen entity.attributes.\"team name\"==\"x\"\n\n}\n  role r { b , }\n assign acme/r to ann  }\ntest \"t\" {\n    allow acme/ann read acme/manual   because allowed_by\n}\n\n\n";

#[test]
fn the_canonical_layout() {
    let formatted = format(FileId(0), MESSY).unwrap();
    assert_eq!(
        formatted,
        "// Actions.
action read, write on resource:doc, entity

type resource:doc
tenant acme active {
  attributes { plan = \"team\" }
  /// The manual.
  resource doc manual { tags = [\"a\", \"b\"] } // trailing
  entity human ann {}
  block b {
    allow read
      on resource:doc
      when entity.attributes.\"team name\" == \"x\"
  }
  role r { b, }
  assign acme/r to ann
}
test \"t\" {
  allow acme/ann read acme/manual because allowed_by
}
"
    );
    assert_eq!(format(FileId(0), &formatted).unwrap(), formatted);
}

#[test]
fn a_file_with_a_syntax_error_is_not_formatted() {
    let Err(FormatError::Syntax(errors)) = format(FileId(0), "entity human {\n") else {
        panic!("a syntax error is reported");
    };
    assert_eq!(errors[0].code.id, "A0001");
}

#[test]
fn an_empty_or_blank_file_formats_to_nothing() {
    assert_eq!(format(FileId(0), "").unwrap(), "");
    assert_eq!(format(FileId(0), "\n\n  \n").unwrap(), "");
    assert_eq!(format(FileId(0), "// only\r\n").unwrap(), "// only\n");
}
