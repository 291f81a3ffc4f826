//! Plans as SQL (spec section 16) against a real PostgreSQL started by the
//! test: for random policy sets, their declared objects and random
//! described ones loaded as rows (nested groups, every kind, attributes
//! with missing keys, nested maps, lists, decimals and timestamps), and
//! random subjects (declared and described), actions and contexts, the
//! `WHERE` returns exactly the rows whose decision allows; and no value
//! of a plan is ever in the SQL text. `ATOM_LISTING_CASES` sets the number
//! of policy sets (default 200).

mod support;

use std::collections::BTreeSet;

use atom::compile::{compile, source_hash};
use atom::eval::plan::{plan, Plan};
use atom::eval::{decide, Object, Request};
use atom::gen::SplitMix64;
use atom::listing::mapping::Mapping;
use atom::listing::sql::render;
use atom::request::report::map_json;
use atom::table::Table;
use support::plan_eval::{holds, Row};
use support::plan_rows::{declared_rows, described, question, sizes};
use support::policy_gen::{self, targets, without_breached_guardrails, What};
use support::postgres::Postgres;

const MAPPING: &str = r#"
table = "objects"
id = "id"
kind = "kind"
type = "type"
tenant = "tenant"
group = "grp"
ancestors = "ancestors"
status = "status"
attributes = "attrs"
"#;

fn cases() -> u64 {
    std::env::var("ATOM_LISTING_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200)
}

/// Replaces the table's rows: row `n` is `rows[n]`.
fn load(db: &mut postgres::Client, rows: &[&Row]) {
    let mut tx = db.transaction().unwrap();
    tx.batch_execute("TRUNCATE objects").unwrap();
    let insert = tx
        .prepare("INSERT INTO objects VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8)")
        .unwrap();
    for (n, r) in rows.iter().enumerate() {
        let attrs = map_json(&r.attributes);
        tx.execute(
            &insert,
            &[
                &(n as i32),
                &r.id,
                &r.kind,
                &r.ty,
                &r.tenant,
                &r.group,
                &r.ancestors,
                &attrs,
            ],
        )
        .unwrap();
    }
    tx.commit().unwrap();
}

/// The rows the plan's SQL selects.
fn selected(db: &mut postgres::Client, p: &Plan, mapping: &Mapping) -> Option<BTreeSet<i32>> {
    let sql = render(p, mapping).ok()?;
    assert_no_values(&sql.condition);
    let query = format!("SELECT n FROM {} WHERE {}", sql.table, sql.condition);
    let params: Vec<&(dyn postgres::types::ToSql + Sync)> = sql
        .params
        .iter()
        .map(|s| s as &(dyn postgres::types::ToSql + Sync))
        .collect();
    let rows = db
        .query(&query, &params)
        .unwrap_or_else(|e| panic!("{e}\n{query}\n{:?}", sql.params));
    Some(rows.iter().map(|r| r.get::<_, i32>(0)).collect())
}

/// What one run covered.
#[derive(Default, Debug)]
struct Seen {
    plans: usize,
    refused: usize,
    rows: usize,
    selected: usize,
}

fn check_set(db: &mut postgres::Client, mapping: &Mapping, seed: u64, seen: &mut Seen) {
    let mut rng = SplitMix64::new(seed ^ 0x5E1E);
    let generated = policy_gen::policy(seed, &sizes(&mut rng));
    let Some((_, sources, model)) = without_breached_guardrails(&generated.text) else {
        return;
    };
    let bytes = compile(&model, source_hash(&sources));
    let t = Table::from_bytes(&bytes).expect("a compiled table loads");
    let declared = declared_rows(&model);
    let made: Vec<_> = (0..60)
        .map(|n| described(&mut rng, &model, &generated, n))
        .collect();
    let rows: Vec<&Row> = declared
        .iter()
        .map(|(r, _)| r)
        .chain(made.iter().map(|(r, _)| r))
        .collect();
    load(db, &rows);
    seen.rows += rows.len();
    for _ in 0..12 {
        let (who, action, context) = question(&mut rng, &generated, &model);
        let nothing = What::Named(String::new());
        let (subject, _) = targets(&who, &nothing);
        let Ok(p) = plan(&t, subject, &action, &context) else {
            continue;
        };
        let Some(got) = selected(db, &p, mapping) else {
            seen.refused += 1;
            continue;
        };
        seen.plans += 1;
        let ask = |object: Object<'_>| {
            let r = Request {
                subject,
                action: &action,
                object,
                context: &context,
            };
            decide(&t, &r).map(|d| d.allow).unwrap_or(false)
        };
        let allowed = declared
            .iter()
            .map(|(_, name)| ask(Object::Named(name)))
            .chain(made.iter().map(|(_, d)| ask(Object::Described(d))));
        let expected: BTreeSet<i32> = allowed
            .enumerate()
            .filter(|(_, a)| *a)
            .map(|(n, _)| n as i32)
            .collect();
        seen.selected += got.len();
        assert_eq!(
            got, expected,
            "seed {seed}: {action} {context:?}\nplan: {p:?}\n{}",
            generated.text
        );
        for (n, row) in rows.iter().enumerate() {
            assert_eq!(
                holds(&p, row),
                expected.contains(&(n as i32)),
                "seed {seed}: {row:?}"
            );
        }
    }
}

fn database() -> (Postgres, postgres::Client) {
    let pg = Postgres::start();
    let mut db = pg.client();
    db.batch_execute(
        "CREATE TABLE objects (n int PRIMARY KEY, id text NOT NULL, kind text NOT NULL, type text, tenant text, grp text, ancestors text[] NOT NULL, status text, attrs jsonb)",
    )
    .unwrap();
    (pg, db)
}

#[test]
fn the_sql_selects_exactly_the_rows_decisions_allow() {
    let (_pg, mut db) = database();
    let mapping = Mapping::parse(MAPPING).unwrap();
    let mut seen = Seen::default();
    for seed in 0..cases() {
        check_set(&mut db, &mapping, seed, &mut seen);
    }
    eprintln!("{seen:?}");
    assert!(seen.plans > 1000 && seen.selected > 100, "{seen:?}");
    assert!(
        seen.refused * 50 < seen.plans,
        "refused too often: {seen:?}"
    );
}

/// SQL text never holds a value: once the fixed fragments (`'{}'`, the
/// jsonb type names) are taken out, no quote is left.
fn assert_no_values(condition: &str) {
    let mut rest = condition.to_string();
    let ours = ["'{}'", "'array'", "'string'", "'object'", "'number'"];
    for fixed in ours.iter().chain(&atom::listing::instant::FIXED_LITERALS) {
        rest = rest.replace(fixed, "");
    }
    assert!(
        !rest.contains('\''),
        "a quoted text in the SQL: {condition}"
    );
}

const HOSTILE: &str = r#"
action read on resource
type resource:doc
tenant t {
  resource doc a { "it's" = "'; DROP TABLE objects; --" }
  entity human h
  block b { allow read on resource when object.attributes."it's" == "'; DROP TABLE objects; --" }
  block c { allow read on resource when object.attributes."back\\slash"."ü \"q\"" contains context.s }
  grant b to h
  grant c to h
}
"#;

/// Described documents with hostile attribute keys and values, and their rows.
fn hostile_rows() -> Vec<(Row, atom::eval::DescribedObject)> {
    use atom::eval::{DescribedObject, Value};
    let nested = |inner: Value| Value::Map(vec![("ü \"q\"".into(), inner)]);
    let attributes: Vec<Vec<(String, Value)>> = vec![
        vec![(
            "it's".into(),
            Value::Str("'; DROP TABLE objects; --".into()),
        )],
        vec![("it's".into(), Value::Str("'; DROP TABLE objects; ".into()))],
        vec![("back\\slash".into(), nested(Value::Str("x'); --y".into())))],
        vec![(
            "back\\slash".into(),
            nested(Value::List(vec![Value::Str("'); --".into())])),
        )],
        vec![(
            "back\\slash".into(),
            nested(Value::Map(vec![("'); --".into(), Value::Int(1))])),
        )],
        vec![("back\\slash".into(), Value::Str("'); --".into()))],
    ];
    attributes
        .into_iter()
        .enumerate()
        .map(|(n, attributes)| {
            let d = DescribedObject {
                id: format!("row-{n}"),
                ty: "resource:doc".parse().unwrap(),
                tenant: Some("t".into()),
                group: None,
                attributes: attributes.clone(),
            };
            let row = Row {
                id: format!("t/row-{n}"),
                kind: "resource".into(),
                ty: Some("resource:doc".into()),
                tenant: Some("t".into()),
                group: None,
                ancestors: vec![],
                attributes,
            };
            (row, d)
        })
        .collect()
}

/// Hostile attribute names and values (quotes, a backslash, non-ASCII,
/// `'; DROP TABLE`) are parameters, never SQL text, and select exactly
/// the rows the decisions allow.
#[test]
fn hostile_names_and_values_stay_parameters() {
    use atom::eval::{Subject, Value};
    let (_pg, mut db) = database();
    let mapping = Mapping::parse(MAPPING).unwrap();
    let (_, sources, model) = without_breached_guardrails(HOSTILE).unwrap();
    let bytes = compile(&model, source_hash(&sources));
    let t = Table::from_bytes(&bytes).unwrap();
    let described = hostile_rows();
    let rows: Vec<&Row> = described.iter().map(|(r, _)| r).collect();
    load(&mut db, &rows);
    for s in ["'); --", "x'", "nothing"] {
        let context = vec![("s".to_string(), Value::Str(s.into()))];
        let p = plan(&t, Subject::Named("t/h"), "read", &context).unwrap();
        let sql = render(&p, &mapping).unwrap();
        assert_no_values(&sql.condition);
        for value in ["DROP", "it's", "slash", "ü"] {
            assert!(
                !sql.condition.contains(value),
                "{value} in {}",
                sql.condition
            );
        }
        let got = selected(&mut db, &p, &mapping).unwrap();
        let expected: BTreeSet<i32> = (described.iter().enumerate())
            .filter(|(_, (_, d))| {
                let r = Request {
                    subject: Subject::Named("t/h"),
                    action: "read",
                    object: Object::Described(d),
                    context: &context,
                };
                decide(&t, &r).unwrap().allow
            })
            .map(|(n, _)| n as i32)
            .collect();
        assert_eq!(got, expected, "{s}");
        assert!(!expected.is_empty(), "{s}: something is allowed");
    }
    // The table is still there.
    assert_eq!(
        db.query("SELECT count(*) FROM objects", &[]).unwrap().len(),
        1
    );
}

/// Every condition form of the planner (`FORMS`: `<` turned around,
/// `contains` with the request's string, list and map, `tenant.*` per
/// tenant, the member's read, a guardrail) selects in SQL exactly the rows
/// the decisions allow.
#[test]
fn each_condition_form_selects_exactly() {
    use support::plan_rows::{forms_contexts, forms_subjects, FORMS};
    let (_pg, mut db) = database();
    let mapping = Mapping::parse(MAPPING).unwrap();
    let (_, sources, model) = without_breached_guardrails(FORMS).unwrap();
    let bytes = compile(&model, source_hash(&sources));
    let t = Table::from_bytes(&bytes).unwrap();
    let declared = declared_rows(&model);
    let mut rng = SplitMix64::new(5);
    let g = support::policy_gen::Generated {
        text: String::new(),
        entities: vec![],
        objects: vec![],
        pgroups: vec![],
        groups: vec!["acme/docs".into(), "acme/archive".into()],
        tenants: vec!["acme".into(), "beta".into()],
    };
    let made: Vec<_> = (0..300)
        .map(|n| described(&mut rng, &model, &g, n))
        .collect();
    let rows: Vec<&Row> = declared
        .iter()
        .map(|(r, _)| r)
        .chain(made.iter().map(|(r, _)| r))
        .collect();
    load(&mut db, &rows);
    let nothing = What::Named(String::new());
    let mut selected_rows = 0;
    for who in &forms_subjects() {
        for action in ["read", "write"] {
            for context in &forms_contexts() {
                let (subject, _) = targets(who, &nothing);
                let p = plan(&t, subject, action, context).unwrap();
                let got = selected(&mut db, &p, &mapping).expect("written in SQL");
                let ask = |object: Object<'_>| {
                    let r = Request {
                        subject,
                        action,
                        object,
                        context,
                    };
                    decide(&t, &r).map(|d| d.allow).unwrap_or(false)
                };
                let allowed = (declared.iter().map(|(_, name)| ask(Object::Named(name))))
                    .chain(made.iter().map(|(_, d)| ask(Object::Described(d))));
                let expected: BTreeSet<i32> = allowed
                    .enumerate()
                    .filter(|(_, a)| *a)
                    .map(|(n, _)| n as i32)
                    .collect();
                selected_rows += got.len();
                assert_eq!(got, expected, "{action} {context:?}\n{p:?}");
            }
        }
    }
    assert!(selected_rows > 20, "{selected_rows}");
}

/// Texts that are timestamps and texts that nearly are: fixed edge cases,
/// then random dates, times, zones and fractions (some out of range).
fn timestamp_texts() -> Vec<String> {
    let mut texts: Vec<String> = [
        "2026-03-01T12:00:00Z",
        "2026-03-01t12:00:00z",
        "2026-03-01T12:00:00+01:00",
        "2026-03-01T12:00:00-23:59",
        "2026-03-01T12:00:00+24:00",
        "2026-03-01T12:00:00+01:60",
        "2024-02-29T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2000-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "0000-01-01T00:00:00Z",
        "0000-03-01T00:00:00Z",
        "9999-12-31T23:59:60Z",
        "1969-12-31T23:59:59.999999999Z",
        "1970-01-01T00:00:00.0000000015Z",
        "1970-01-01T00:00:00.5-00:30",
        "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-00-10T00:00:00Z",
        "2026-01-00T00:00:00Z",
        "2026-01-01T24:00:00Z",
        "2026-01-01T23:60:00Z",
        "2026-01-01T23:59:61Z",
        "2026-01-01T23:59:59.Z",
        "2026-01-01T23:59:59",
        "2026-01-01 23:59:59Z",
        "2026-01-01T23:59:59ZZ",
        "2026-01-01T23:59:59+0100",
        "soon",
        "",
        "2026-1-01T00:00:00Z",
        "２０２６-01-01T00:00:00Z",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut rng = SplitMix64::new(77);
    for _ in 0..300 {
        let y = rng.below(10_000);
        let (mo, d, h, mi, s) = (
            rng.below(14),
            rng.below(33),
            rng.below(25),
            rng.below(61),
            rng.below(62),
        );
        let zone = match rng.below(3) {
            0 => "Z".to_string(),
            1 => format!("+{:02}:{:02}", rng.below(25), rng.below(61)),
            _ => format!("-{:02}:{:02}", rng.below(25), rng.below(61)),
        };
        let frac = if rng.chance(50) {
            format!(".{}", rng.below(1_000_000_000_000))
        } else {
            String::new()
        };
        texts.push(format!(
            "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{zone}"
        ));
    }
    texts
}

/// A timestamp's instant in SQL is `parse_rfc3339`'s, exactly: the same
/// texts are timestamps (shapes, month lengths, leap years, year 0, hours,
/// the leap second, offsets, lowercase `t` and `z`), and the same instant,
/// to the nanosecond (digits past nine dropped), for each.
#[test]
fn timestamps_are_the_same_instants_in_sql() {
    let (_pg, mut db) = database();
    let texts = timestamp_texts();
    let query = format!(
        "SELECT ({})::text",
        atom::listing::instant::instant_of("($1::text)")
    );
    let mut timestamps = 0;
    for text in &texts {
        let got: Option<String> = db.query_one(&query, &[text]).unwrap().get(0);
        let expected = atom::time::parse_rfc3339(text).map(atom::listing::instant::seconds_text);
        let same = match (&got, &expected) {
            (Some(g), Some(e)) => g.parse::<f64>().is_ok() && normal(g) == normal(e),
            (None, None) => true,
            _ => false,
        };
        assert!(same, "{text}: SQL {got:?}, atom {expected:?}");
        timestamps += usize::from(expected.is_some());
    }
    assert!(
        timestamps > 50 && timestamps < texts.len() - 50,
        "{timestamps} of {}",
        texts.len()
    );
}

/// A decimal's text without trailing zeros of its fraction.
fn normal(n: &str) -> String {
    match n.split_once('.') {
        Some((i, f)) => {
            let f = f.trim_end_matches('0');
            if f.is_empty() {
                i.to_string()
            } else {
                format!("{i}.{f}")
            }
        }
        None => n.to_string(),
    }
}
