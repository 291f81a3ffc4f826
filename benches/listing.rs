//! Benchmark of listing with a plan's SQL (spec section 16) on a real
//! PostgreSQL: `ATOM_LISTING_ROWS` rows (default 1,000,000: every object of
//! the scale-100 generated set, then described copies of its resources and
//! entities, spread over the same tenants, groups and attributes), with the
//! indexes `docs/listing.md` recommends, and 40 (subject, action) plans of
//! the generated requests. For each, the first and the second 100-row
//! keyset page (`ORDER BY id`, `id > last`) are timed; the medians, p90 and
//! the slowest are printed, with `EXPLAIN (ANALYZE, BUFFERS)` of the
//! slowest page. Run: `cargo bench --bench listing` (a private server on
//! loopback, stopped at the end; about a minute to load).

#[allow(dead_code)]
#[path = "../tests/support/postgres.rs"]
mod pg_server;

use std::time::{Duration, Instant};

use atom::check::model::{Model, ObjectId};
use atom::eval::plan::plan;
use atom::eval::{Subject, Value};
use atom::gen::{requests, Shape};
use atom::listing::mapping::Mapping;
use atom::listing::sql::render;
use atom::request::report::map_json;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};

const MAPPING: &str = "table = \"objects\"\nid = \"id\"\nkind = \"kind\"\ntype = \"type\"\ntenant = \"tenant\"\ngroup = \"grp\"\nancestors = \"ancestors\"\nattributes = \"attrs\"\n";

const SCHEMA: &str = "CREATE TABLE objects (id text PRIMARY KEY, kind text NOT NULL, type text, tenant text, grp text, ancestors text[] NOT NULL DEFAULT '{}', status text, attrs jsonb NOT NULL DEFAULT '{}')";

/// The indexes of `docs/listing.md`.
const INDEXES: &str = "CREATE INDEX objects_tenant_type ON objects (tenant, type);
CREATE INDEX objects_ancestors ON objects USING gin (ancestors);
CREATE INDEX objects_attrs ON objects USING gin (attrs jsonb_path_ops);
ANALYZE objects;";

struct Row {
    id: String,
    kind: String,
    ty: Option<String>,
    tenant: Option<String>,
    group: Option<String>,
    ancestors: Vec<String>,
    attrs: serde_json::Value,
}

fn row(model: &Model, i: usize, id: String) -> Row {
    let o = model.object(ObjectId(i as u32));
    let mut ancestors = Vec::new();
    let mut at = o.parent;
    while let Some(g) = at.filter(|_| ancestors.len() <= model.groups.len()) {
        ancestors.push(model.qualified_name(model.groups[g.index()].object));
        at = model.groups[g.index()].parent;
    }
    Row {
        id,
        kind: o.kind.name().to_string(),
        ty: o.ty.map(|t| model.type_name(t)),
        tenant: o.tenant.map(|t| model.tenants[t.index()].name.clone()),
        group: ancestors.first().cloned(),
        ancestors,
        attrs: map_json(&o.attributes),
    }
}

fn load(db: &mut postgres::Client, model: &Model, total: usize) -> usize {
    db.batch_execute(SCHEMA).expect("the table");
    let sink = db
        .copy_in("COPY objects (id, kind, type, tenant, grp, ancestors, attrs) FROM STDIN BINARY")
        .expect("copy");
    let types = [
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT,
        Type::TEXT_ARRAY,
        Type::JSONB,
    ];
    let mut w = BinaryCopyInWriter::new(sink, &types);
    let n = model.objects.len();
    let copyable: Vec<usize> = (0..n)
        .filter(|&i| matches!(model.objects[i].kind.name(), "resource" | "entity"))
        .collect();
    let mut written = 0;
    for i in 0..total {
        let r = if i < n {
            row(model, i, model.qualified_name(ObjectId(i as u32)))
        } else {
            let from = copyable[i % copyable.len()];
            let mut r = row(model, from, String::new());
            r.id = match &r.tenant {
                Some(t) => format!("{t}/copy-{i}"),
                None => format!("copy-{i}"),
            };
            r
        };
        let values: [&(dyn ToSql + Sync); 7] = [
            &r.id,
            &r.kind,
            &r.ty,
            &r.tenant,
            &r.group,
            &r.ancestors,
            &r.attrs,
        ];
        w.write(&values).expect("a row");
        written += 1;
    }
    w.finish().expect("copy ends");
    db.batch_execute(INDEXES).expect("the indexes");
    written
}

fn percentile(sorted: &[Duration], p: usize) -> Duration {
    sorted[(sorted.len() * p / 100).min(sorted.len() - 1)]
}

/// One timed page: how long, its query, its parameters, its rows.
type Page = (Duration, String, Vec<String>, usize);

/// The first two 100-row pages of the plans of 40 generated requests.
fn pages(db: &mut postgres::Client, table: &atom::table::Table<'_>, shape: &Shape) -> Vec<Page> {
    let mapping = Mapping::parse(MAPPING).expect("mapping");
    let context = vec![("protocol".to_string(), Value::Str("mqtt".into()))];
    let mut pages: Vec<Page> = Vec::new();
    for r in requests(5, shape, 40) {
        let p = plan(table, Subject::Named(&r.subject), &r.action, &context).expect("plannable");
        let Ok(sql) = render(&p, &mapping) else {
            continue;
        };
        let mut last: Option<String> = None;
        for _page in 0..2 {
            let mut params: Vec<&(dyn ToSql + Sync)> = sql
                .params
                .iter()
                .map(|s| s as &(dyn ToSql + Sync))
                .collect();
            let after = last.clone().unwrap_or_default();
            params.push(&after);
            let n = params.len();
            let query = format!(
                "SELECT id FROM {} WHERE {} AND id > ${n}::text ORDER BY id LIMIT 100",
                sql.table, sql.condition
            );
            let start = Instant::now();
            let got = db.query(&query, &params).expect("the page");
            let took = start.elapsed();
            last = got.last().map(|row| row.get::<_, String>(0));
            pages.push((
                took,
                query,
                sql.params.iter().cloned().chain([after]).collect(),
                got.len(),
            ));
            if last.is_none() {
                break;
            }
        }
    }
    pages
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let total: usize = std::env::var("ATOM_LISTING_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let shape = Shape::scale(100);
    let mut sources = atom::diag::SourceMap::new();
    for f in atom::gen::generate(11, &shape) {
        sources.add(f.name, f.text);
    }
    let model = atom::check::check_sources(&sources)
        .into_complete_model()
        .expect("clean");
    let bytes = atom::compile::compile(&model, atom::compile::source_hash(&sources));
    let table = atom::table::Table::from_bytes(&bytes).expect("loads");
    let pg = pg_server::Postgres::start();
    let mut db = pg.client();
    let started = Instant::now();
    let rows = load(&mut db, &model, total);
    eprintln!(
        "listing: {rows} rows loaded and indexed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let pages = pages(&mut db, &table, &shape);
    let mut times: Vec<Duration> = pages.iter().map(|p| p.0).collect();
    times.sort();
    let full = pages.iter().filter(|p| p.3 == 100).count();
    eprintln!(
        "listing: {} pages ({} full), median {:.2} ms, p90 {:.2} ms, slowest {:.2} ms",
        times.len(),
        full,
        percentile(&times, 50).as_secs_f64() * 1e3,
        percentile(&times, 90).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |t| t.as_secs_f64() * 1e3)
    );
    if let Some((_, query, params, _)) = pages.iter().max_by_key(|p| p.0) {
        let values: Vec<&(dyn ToSql + Sync)> =
            params.iter().map(|s| s as &(dyn ToSql + Sync)).collect();
        let plan = db
            .query(&format!("EXPLAIN (ANALYZE, BUFFERS) {query}"), &values)
            .expect("explain");
        for line in plan {
            eprintln!("  {}", line.get::<_, String>(0));
        }
    }
}
