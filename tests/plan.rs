//! Query plans (spec section 16) agree with decisions: for random policy
//! sets, subjects (declared and described), actions and contexts, the plan
//! holds on an object's facts exactly when deciding about that object
//! allows; every declared object and random described ones (valid and
//! not: undeclared types and tenants, groups of another tenant, attributes
//! with missing keys, nested maps, lists, decimals and timestamps).
//! `ATOM_PLAN_CASES` sets the number of policy sets (default 200).

mod support;

use atom::check::model::Model;
use atom::compile::{compile, source_hash};
use atom::eval::plan::{plan, PlanError};
use atom::eval::{decide, DescribedObject, Object, Request, Value};
use atom::gen::SplitMix64;
use atom::table::Table;
use support::plan_eval::{holds, Row};
use support::plan_rows::{
    declared_rows, described, forms_contexts, forms_subjects, question, sizes, FORMS,
};
use support::policy_gen::{self, targets, without_breached_guardrails, Generated, What};

fn cases() -> u64 {
    std::env::var("ATOM_PLAN_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

/// The counts of one run, to show what it covered.
#[derive(Default, Debug)]
struct Seen {
    plans: usize,
    refused: usize,
    allowed: usize,
    denied: usize,
    always: usize,
    never: usize,
}

fn check_set(seed: u64, seen: &mut Seen) {
    let mut rng = SplitMix64::new(seed ^ 0x91A4);
    let generated = policy_gen::policy(seed, &sizes(&mut rng));
    let Some((_, sources, model)) = without_breached_guardrails(&generated.text) else {
        return;
    };
    let bytes = compile(&model, source_hash(&sources));
    let t = Table::from_bytes(&bytes).expect("a compiled table loads");
    let rows = declared_rows(&model);
    let rows_described: Vec<(Row, DescribedObject)> = (0..60)
        .map(|n| described(&mut rng, &model, &generated, n))
        .collect();
    for _ in 0..12 {
        let (who, action, context) = question(&mut rng, &generated, &model);
        let nothing = What::Named(String::new());
        let (subject, _) = targets(&who, &nothing);
        let p = match plan(&t, subject, &action, &context) {
            Ok(p) => p,
            Err(PlanError::Invalid(_)) => continue,
            Err(PlanError::Unplannable(_)) => {
                seen.refused += 1;
                continue;
            }
        };
        seen.plans += 1;
        seen.always += usize::from(p == atom::eval::plan::Plan::Always);
        seen.never += usize::from(p == atom::eval::plan::Plan::Never);
        let ask = |object: Object<'_>| {
            let r = Request {
                subject,
                action: &action,
                object,
                context: &context,
            };
            decide(&t, &r).map(|d| d.allow).unwrap_or(false)
        };
        let named = rows
            .iter()
            .map(|(row, name)| (row, ask(Object::Named(name))));
        let described = rows_described
            .iter()
            .map(|(row, d)| (row, ask(Object::Described(d))));
        for (row, allowed) in named.chain(described) {
            if allowed {
                seen.allowed += 1;
            } else {
                seen.denied += 1;
            }
            assert_eq!(
                holds(&p, row),
                allowed,
                "seed {seed}: {action} on {row:?}\nplan: {p:?}\npolicy:\n{}",
                generated.text
            );
        }
    }
}

#[test]
fn plans_hold_exactly_on_the_objects_decisions_allow() {
    let mut seen = Seen::default();
    for seed in 0..cases() {
        check_set(seed, &mut seen);
    }
    eprintln!("{seen:?}");
    assert!(
        seen.plans > 100 && seen.allowed > 100 && seen.denied > 100,
        "{seen:?}"
    );
}

/// A table from one policy text.
fn table_of(text: &str) -> (Model, Vec<u8>) {
    let (_, sources, model) = without_breached_guardrails(text).expect("a valid policy");
    let bytes = compile(&model, source_hash(&sources));
    (model, bytes)
}

/// Every condition form the planner turns around or fills in, against
/// hand-made rows: `<` with the object on the right, `contains` with a
/// string, a list and a map of the request's, `tenant.*` per tenant, a
/// deny `!=` with a subject side that does not resolve, the member's
/// implicit read, a described subject's guardrail.
#[test]
fn each_condition_form_plans_exactly() {
    let (model, bytes) = table_of(FORMS);
    let t = Table::from_bytes(&bytes).unwrap();
    let mut rows = declared_rows(&model);
    let mut rng = SplitMix64::new(5);
    let g = Generated {
        text: String::new(),
        entities: vec![],
        objects: vec![],
        pgroups: vec![],
        groups: vec!["acme/docs".into(), "acme/archive".into()],
        tenants: vec!["acme".into(), "beta".into()],
    };
    let described: Vec<(Row, DescribedObject)> = (0..200)
        .map(|n| described(&mut rng, &model, &g, n))
        .collect();
    let (whos, contexts) = (forms_subjects(), forms_contexts());
    let nothing = What::Named(String::new());
    let mut allowed = 0;
    for who in &whos {
        for action in ["read", "write"] {
            for context in &contexts {
                let (subject, _) = targets(who, &nothing);
                let p = plan(&t, subject, action, context).expect("plannable");
                let ask = |object: Object<'_>| {
                    let r = Request {
                        subject,
                        action,
                        object,
                        context,
                    };
                    decide(&t, &r).map(|d| d.allow).unwrap_or(false)
                };
                let named = rows
                    .iter()
                    .map(|(row, name)| (row, ask(Object::Named(name))));
                let other = described
                    .iter()
                    .map(|(row, d)| (row, ask(Object::Described(d))));
                for (row, allow) in named.chain(other) {
                    allowed += usize::from(allow);
                    assert_eq!(
                        holds(&p, row),
                        allow,
                        "{action} {context:?} on {row:?}\n{p:?}"
                    );
                }
            }
        }
    }
    assert!(allowed > 20, "{allowed}");
    // The member's implicit read of its tenant is in the plan.
    rows.retain(|(r, _)| r.kind == "tenant");
    let p = plan(&t, atom::eval::Subject::Named("ops"), "read", &[]).unwrap();
    let readable: Vec<&str> = rows
        .iter()
        .filter(|(r, _)| holds(&p, r))
        .map(|(r, _)| r.id.as_str())
        .collect();
    assert_eq!(readable, ["acme"]);
}

/// `context.s in object.attributes.tags` with a string `s` has no exact
/// plan (`contains` would also hold for a string or a map holding it):
/// refused, naming it; with a number it is `contains`, exactly.
#[test]
fn a_condition_without_an_exact_plan_is_refused() {
    let (_, bytes) = table_of(
        "action read on resource\ntenant a {\n  resource doc d\n  entity human h\n  block b { allow read on resource when context.s in object.attributes.tags }\n  grant b to h\n}\ntype resource:doc\n",
    );
    let t = Table::from_bytes(&bytes).unwrap();
    let a_number = [("s".to_string(), Value::Int(3))];
    assert!(plan(&t, atom::eval::Subject::Named("a/h"), "read", &a_number).is_ok());
    let a_string = [("s".to_string(), Value::Str("x".into()))];
    let err = plan(&t, atom::eval::Subject::Named("a/h"), "read", &a_string).unwrap_err();
    let PlanError::Unplannable(e) = err else {
        panic!("{err:?}");
    };
    assert!(
        e.message.contains("`\"x\" in object.attributes.tags`"),
        "{}",
        e.message
    );
}

/// The example project (with `odd.atom`, whose condition has no exact
/// plan for a string `context.s`) and its table.
fn example() -> (tempfile::TempDir, Vec<u8>) {
    let dir = support::server::example_project();
    support::cli::write(
        dir.path(),
        "policies/odd.atom",
        "tenant odd {\n  entity human h\n  block b { allow read on resource when context.s in object.attributes.tags }\n  grant b to h\n}\n",
    );
    let loaded = atom::project::load_sources(&[dir.path().join("policies")]).unwrap();
    let model = atom::check::check_sources(&loaded.sources)
        .into_complete_model()
        .unwrap();
    let bytes = compile(&model, source_hash(&loaded.sources));
    (dir, bytes)
}

fn mqtt() -> Vec<(String, Value)> {
    vec![("protocol".to_string(), Value::Str("mqtt".into()))]
}

/// `atom plan` and `POST /v1/plan` give the library's plan, in the JSON
/// form of section 16; a plan that cannot be made is exit 2 and HTTP 422,
/// an invalid description 400.
#[test]
fn the_command_and_the_server_give_the_librarys_plan() {
    use support::cli::{atom, code, text};
    let (dir, bytes) = example();
    let t = Table::from_bytes(&bytes).unwrap();
    let context = serde_json::json!({"protocol": "mqtt"});
    let s = support::server::Server::start(dir.path(), &["policies"]);
    s.wait_ready(None);
    for (subject, action) in [
        ("factory-a/meter-001", "publish"),
        ("factory-a/alice", "read"),
        ("atomist/root", "manage"),
    ] {
        let p = plan(&t, atom::eval::Subject::Named(subject), action, &mqtt()).unwrap();
        let expected = atom::request::plan::plan_json(&p);
        let context_arg = context.to_string();
        let args = [
            "plan",
            subject,
            action,
            "--context",
            &context_arg,
            "--sources",
            "policies",
        ];
        let out = atom(dir.path(), &args);
        assert_eq!(code(&out), 0, "{}", text(&out.stderr));
        let printed: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
        assert_eq!(printed["plan"], expected, "{subject} {action}");
        let body = serde_json::json!({"subject": subject, "action": action, "context": context});
        let answer = s.post("/v1/plan", &body);
        assert_eq!(answer.status, 200, "{}", answer.text);
        assert_eq!(answer.body["plan"], expected);
        assert_eq!(answer.body["revision"], printed["revision"]);
    }
    let s_is_x = r#"{"s": "x"}"#;
    let out = atom(
        dir.path(),
        &[
            "plan",
            "odd/h",
            "read",
            "--context",
            s_is_x,
            "--sources",
            "policies",
        ],
    );
    assert_eq!(code(&out), 2, "{}", text(&out.stderr));
    let odd = s.post(
        "/v1/plan",
        &serde_json::json!({"subject": "odd/h", "action": "read", "context": {"s": "x"}}),
    );
    assert_eq!(odd.status, 422, "{}", odd.text);
    let robot = serde_json::json!({"id": "x", "kind": "robot", "status": "active"});
    let bad = s.post(
        "/v1/plan",
        &serde_json::json!({"subject": robot, "action": "read"}),
    );
    assert_eq!(bad.status, 400, "{}", bad.text);
}

/// `atom plan --format sql --mapping FILE` prints the library's SQL for the
/// mapping; without a mapping, or with one that lacks a column the plan
/// reads, it is exit 2 naming what is missing.
#[test]
fn the_command_writes_the_sql_form_for_a_mapping() {
    use support::cli::{atom, code, text, write};
    let (dir, bytes) = example();
    let t = Table::from_bytes(&bytes).unwrap();
    let mapping = "table = \"objects\"\nid = \"id\"\nkind = \"kind\"\ntype = \"type\"\ntenant = \"tenant\"\ngroup = \"grp\"\nancestors = \"ancestors\"\nattributes = \"attrs\"\n";
    write(dir.path(), "m.toml", mapping);
    let mapping = atom::listing::mapping::Mapping::parse(mapping).unwrap();
    let p = plan(
        &t,
        atom::eval::Subject::Named("factory-a/alice"),
        "read",
        &mqtt(),
    )
    .unwrap();
    let sql = atom::listing::sql::render(&p, &mapping).unwrap();
    let context = r#"{"protocol": "mqtt"}"#;
    let args = [
        "plan",
        "factory-a/alice",
        "read",
        "--context",
        context,
        "--sources",
        "policies",
        "--format",
        "sql",
    ];
    let out = atom(dir.path(), &[&args[..], &["--mapping", "m.toml"]].concat());
    assert_eq!(code(&out), 0, "{}", text(&out.stderr));
    let printed: serde_json::Value = serde_json::from_str(&text(&out.stdout)).unwrap();
    assert_eq!(printed["where"], sql.condition.as_str());
    assert_eq!(printed["params"], serde_json::json!(sql.params));
    assert_eq!(code(&atom(dir.path(), &args)), 2, "sql needs a mapping");
    write(
        dir.path(),
        "thin.toml",
        "table = \"objects\"\nid = \"id\"\n",
    );
    let out = atom(
        dir.path(),
        &[&args[..], &["--mapping", "thin.toml"]].concat(),
    );
    assert_eq!(code(&out), 2);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("the mapping has no `tenant`"), "{stderr}");
}

/// Every plan answer matches `docs/schema/plan.schema.json` (section 16's
/// JSON form, documented), and the schema refuses what the form is not.
#[test]
fn plans_match_their_json_schema() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema/plan.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("a valid schema");
    let mut checked = 0;
    for seed in 0..60 {
        let mut rng = SplitMix64::new(seed ^ 0x5C4E);
        let generated = policy_gen::policy(seed, &sizes(&mut rng));
        let Some((_, sources, model)) = without_breached_guardrails(&generated.text) else {
            continue;
        };
        let bytes = compile(&model, source_hash(&sources));
        let t = Table::from_bytes(&bytes).unwrap();
        for _ in 0..10 {
            let (who, action, _, context) = policy_gen::request(&mut rng, &generated);
            let nothing = What::Named(String::new());
            let (subject, _) = targets(&who, &nothing);
            let Ok(p) = plan(&t, subject, &action, &context) else {
                continue;
            };
            let answer = atom::request::plan::answer_json(&p, "sha256:0123456789ab");
            let errors: Vec<String> = validator
                .iter_errors(&answer)
                .map(|e| e.to_string())
                .collect();
            assert!(errors.is_empty(), "{answer}: {errors:?}");
            checked += 1;
        }
    }
    assert!(checked > 300, "{checked}");
    for wrong in [
        serde_json::json!({"plan": {"always": true}}),
        serde_json::json!({"plan": {"field": "colour", "op": "==", "value": 1}, "revision": "r"}),
        serde_json::json!({"plan": {"field": "id", "op": "~", "value": 1}, "revision": "r"}),
        serde_json::json!({"plan": {"and": [{"never": true}]}, "revision": "r"}),
    ] {
        assert!(!validator.is_valid(&wrong), "{wrong}");
    }
}
