//! Spec section 5, case by case: what resolves, none, and missing paths,
//! for every operator, in allow blocks and in deny blocks, decided by the
//! evaluator and by the reference interpreter (the two must also agree).
//!
//! Each case is a condition, a subject, an object, a context and whether
//! the condition holds. As an allow (`allow read on all when C`) the
//! request is allowed exactly when C holds; as a deny beside an
//! unconditional allow (`deny read on all when C`) it is allowed exactly
//! when C does not hold.

mod support;

use atom::check::check_sources;
use atom::compile::{compile, source_hash};
use atom::diag::render::render_human;
use atom::diag::SourceMap;
use atom::eval::{decide, Object, Request, Subject, Value};
use atom::table::Table;

const MODEL: &str = r#"
action read on entity, resource, group, tenant, credential
type resource:doc
entity human p { site = "a" }
object credential pkey
PLATFORM
tenant t {
  attributes { region = "eu" }
  object-group g
  entity human e { site = "a", net = "x" }
  resource doc d in g { env = "prod", tags = ["a", "b"], path = "abc" }
  resource doc loose
  principal-group crew { e }
  member p
  TENANT
}
"#;

/// One case: the condition, subject, object, a context entry, and whether
/// the condition holds.
struct Case {
    when: &'static str,
    subject: &'static str,
    object: &'static str,
    context: &'static [(&'static str, &'static str)],
    holds: bool,
}

const fn case(
    when: &'static str,
    subject: &'static str,
    object: &'static str,
    holds: bool,
) -> Case {
    Case {
        when,
        subject,
        object,
        context: &[],
        holds,
    }
}

const CASES: &[Case] = &[
    // Built-in fields that resolve to none.
    case("entity.tenant != \"t\"", "p", "t/d", true),
    case("entity.tenant == \"t\"", "p", "t/d", false),
    case("entity.tenant in [\"t\"]", "p", "t/d", false),
    case("entity.tenant != \"t\"", "t/e", "t/d", false),
    case("entity.tenant == \"t\"", "t/e", "t/d", true),
    case("object.tenant != \"t\"", "p", "pkey", true),
    case("object.tenant == \"t\"", "p", "pkey", false),
    case("object.type != \"resource:doc\"", "t/e", "t/g", true),
    case("object.type == \"resource:doc\"", "t/e", "t/g", false),
    case("object.type contains \"doc\"", "t/e", "t/g", false),
    case("object.type != \"resource:doc\"", "t/e", "t/d", false),
    case("object.group != \"t/g\"", "t/e", "t/loose", true),
    case("object.group in [\"t/g\"]", "t/e", "t/loose", false),
    case("object.group == \"t/g\"", "t/e", "t/d", true),
    case("object.group != \"t/g\"", "t/e", "t/d", false),
    // Two sides that are both none are not equal (spec section 6.2).
    case("object.group != object.type", "p", "pkey", true),
    case("object.group == object.type", "p", "pkey", false),
    case("object.tenant != entity.tenant", "p", "pkey", true),
    case("object.tenant == entity.tenant", "p", "pkey", false),
    // A missing attribute: every operator is false, `!=` included.
    case("entity.attributes.missing != 1", "t/e", "t/d", false),
    case("entity.attributes.missing == 1", "t/e", "t/d", false),
    case("entity.attributes.missing in [1]", "t/e", "t/d", false),
    case(
        "entity.attributes.missing contains \"a\"",
        "t/e",
        "t/d",
        false,
    ),
    case("entity.attributes.missing < 1", "t/e", "t/d", false),
    case("entity.attributes.missing >= 1", "t/e", "t/d", false),
    case("object.attributes.env != \"test\"", "t/e", "t/loose", false),
    case("object.attributes.env != \"test\"", "t/e", "t/d", true),
    case(
        "object.attributes.env != entity.attributes.net",
        "t/e",
        "t/d",
        true,
    ),
    case(
        "object.attributes.env != entity.attributes.net",
        "p",
        "t/d",
        false,
    ),
    // A key below a value that is not a map.
    case("entity.attributes.site.x != \"a\"", "t/e", "t/d", false),
    case("object.attributes.tags.a != 1", "t/e", "t/d", false),
    // `tenant.*` of an object with no tenant, and a tenant without the key.
    case("tenant.id != \"t\"", "p", "pkey", false),
    case("tenant.status != \"frozen\"", "p", "pkey", false),
    case("tenant.attributes.region != \"us\"", "p", "pkey", false),
    case("tenant.attributes.tier != \"silver\"", "t/e", "t/d", false),
    // The issue's exact inputs: on the tenant itself (no `tier`), and an
    // entity without `enabled`.
    case("tenant.attributes.tier != \"silver\"", "t/e", "t", false),
    case("entity.attributes.enabled != true", "t/e", "t/d", false),
    case("tenant.attributes.region != \"us\"", "t/e", "t/d", true),
    // Values of different types are unequal once both resolve.
    case("object.attributes.env != 3", "t/e", "t/d", true),
    case("object.attributes.tags contains \"b\"", "t/e", "t/d", true),
    case("object.attributes.path contains \"bc\"", "t/e", "t/d", true),
    // The context: a key the request does not carry does not resolve.
    case("context.k != \"a\"", "t/e", "t/d", false),
    case("context.k == \"a\"", "t/e", "t/d", false),
    Case {
        when: "context.k != \"a\"",
        subject: "t/e",
        object: "t/d",
        context: &[("k", "b")],
        holds: true,
    },
    Case {
        when: "context.k != \"a\"",
        subject: "t/e",
        object: "t/d",
        context: &[("k", "a")],
        holds: false,
    },
    Case {
        when: "context.k.deeper != \"a\"",
        subject: "t/e",
        object: "t/d",
        context: &[("k", "b")],
        holds: false,
    },
    Case {
        when: "object.group != context.k",
        subject: "t/e",
        object: "t/loose",
        context: &[("k", "t/g")],
        holds: true,
    },
    case("object.group != context.k", "t/e", "t/loose", false),
];

/// The model with the same blocks in the platform (given to `p`) and in
/// tenant `t` (given to `e` and to `p`, a member).
fn model_of(blocks: &str) -> (atom::check::model::Model, Vec<u8>) {
    let text = MODEL
        .replace("PLATFORM", &blocks.replace("SUBJECTS", "p"))
        .replace("TENANT", &blocks.replace("SUBJECTS", "e, p"));
    let mut sources = SourceMap::new();
    sources.add("policy.atom", text);
    let checked = check_sources(&sources);
    let Some(model) = checked.complete_model() else {
        panic!("{}", render_human(&sources, &checked.diagnostics));
    };
    let bytes = compile(model, source_hash(&sources));
    let model = checked.into_complete_model().expect("checked above");
    (model, bytes)
}

/// The decision of the evaluator and of the reference interpreter, which
/// must agree.
fn allowed(model: &atom::check::model::Model, bytes: &[u8], c: &Case) -> bool {
    let table = Table::from_bytes(bytes).expect("a table compiled just now loads");
    let context: Vec<(String, Value)> = c
        .context
        .iter()
        .map(|(k, v)| (k.to_string(), Value::Str(v.to_string())))
        .collect();
    let request = Request {
        subject: Subject::Named(c.subject),
        action: "read",
        object: Object::Named(c.object),
        context: &context,
    };
    let got = decide(&table, &request).expect("named requests are valid");
    let want = support::reference::decide(model, &request).expect("named requests are valid");
    assert_eq!(
        (got.allow, got.reason),
        (want.allow, want.reason),
        "evaluator and reference disagree on `{}`",
        c.when
    );
    got.allow
}

#[test]
fn conditions_hold_as_section_5_says_in_allow_blocks() {
    for c in CASES {
        let (model, bytes) = model_of(&format!(
            "block b {{ allow read on all when {} }}\ngrant b to SUBJECTS\n",
            c.when
        ));
        assert_eq!(
            allowed(&model, &bytes, c),
            c.holds,
            "allow when `{}`: {} read {} with {:?}",
            c.when,
            c.subject,
            c.object,
            c.context
        );
    }
}

#[test]
fn conditions_hold_as_section_5_says_in_deny_blocks() {
    for c in CASES {
        let (model, bytes) = model_of(&format!(
            "block everything {{ allow read on all }}\nblock b {{ deny read on all when {} }}\ngrant everything to SUBJECTS\ngrant b to SUBJECTS\n",
            c.when
        ));
        assert_eq!(
            allowed(&model, &bytes, c),
            !c.holds,
            "deny when `{}`: {} read {} with {:?}",
            c.when,
            c.subject,
            c.object,
            c.context
        );
    }
}
