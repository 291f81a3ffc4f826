//! Benchmarks of query plans (spec section 16): planning one (subject,
//! action) and writing its SQL, on generated policy sets at scale 1, 10 and
//! 100 (`atom gen`'s workload: about 1,110·S entities and 400·S blocks), for
//! declared devices and humans of the generated requests, with the context
//! the generated conditions read. Each iteration plans a batch of 64
//! (subject, action) pairs; criterion's per-element time is one plan. The
//! mean plan size (JSON bytes) is printed beside it.

use std::hint::black_box;

use atom::eval::plan::plan;
use atom::eval::{Subject, Value};
use atom::gen::{requests, Shape};
use atom::listing::mapping::Mapping;
use atom::listing::sql::render;
use atom::table::Table;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const BATCH: usize = 64;

const MAPPING: &str = "table = \"objects\"\nid = \"id\"\nkind = \"kind\"\ntype = \"type\"\ntenant = \"tenant\"\ngroup = \"grp\"\nancestors = \"ancestors\"\nattributes = \"attrs\"\n";

fn plans(c: &mut Criterion) {
    let context = vec![("protocol".to_string(), Value::Str("mqtt".into()))];
    let mapping = Mapping::parse(MAPPING).expect("a mapping");
    let mut group = c.benchmark_group("plan");
    group.sample_size(10);
    for scale in [1, 10, 100] {
        let shape = Shape::scale(scale);
        let bytes = atom::gen::compiled(11, &shape).expect("the generated set checks clean");
        let table = Table::from_bytes(&bytes).expect("loads");
        let pairs: Vec<(String, String)> = requests(5, &shape, BATCH)
            .into_iter()
            .map(|r| (r.subject, r.action))
            .collect();
        let sizes: Vec<usize> = pairs
            .iter()
            .map(|(s, a)| {
                let p = plan(&table, Subject::Named(s), a, &context).expect("plannable");
                atom::request::plan::plan_json(&p).to_string().len()
            })
            .collect();
        eprintln!(
            "plan/S{scale}: mean plan {} bytes of JSON, largest {}",
            sizes.iter().sum::<usize>() / sizes.len(),
            sizes.iter().max().unwrap_or(&0)
        );
        group.throughput(Throughput::Elements(BATCH as u64));
        group.bench_function(BenchmarkId::new("plan", format!("S{scale}")), |b| {
            b.iter(|| {
                for (s, a) in &pairs {
                    black_box(plan(&table, Subject::Named(s), a, &context).ok());
                }
            })
        });
        group.bench_function(BenchmarkId::new("plan+sql", format!("S{scale}")), |b| {
            b.iter(|| {
                for (s, a) in &pairs {
                    let p = plan(&table, Subject::Named(s), a, &context).ok();
                    black_box(p.map(|p| render(&p, &mapping).ok()));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, plans);
criterion_main!(benches);
