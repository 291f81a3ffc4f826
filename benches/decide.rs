//! Benchmarks of the runtime: one decision, and loading a table.
//!
//! `cargo bench --bench decide` builds generated policy sets of 10,000
//! devices, 1,000 humans, 4,000 blocks and 400 roles (scale 10) and ten
//! times that (scale 100), without conditions and with a condition on every
//! block, and reports the median time of a batch of 1,024 declared-subject
//! decisions (criterion's per-element time is the time of one decision),
//! of described-subject decisions, and of `Table::from_bytes`.

use atom::eval::{decide, DescribedSubject, Object, Request, Subject, Value};
use atom::gen::{described_device, requests, GeneratedRequest, Shape};
use atom::table::Table;
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const BATCH: usize = 1024;

/// A generated request by names, borrowed.
fn named<'a>(r: &'a GeneratedRequest, context: &'a [(String, Value)]) -> Request<'a> {
    Request {
        subject: Subject::Named(&r.subject),
        action: &r.action,
        object: Object::Named(&r.object),
        context,
    }
}

fn build(shape: &Shape) -> Vec<u8> {
    atom::gen::compiled(11, shape).expect("the generated set checks clean")
}

fn runtime(c: &mut Criterion) {
    let context = vec![("protocol".to_string(), Value::Str("mqtt".into()))];
    let mut decide_group = c.benchmark_group("decide");
    decide_group.sample_size(20);
    let mut tables = Vec::new();
    for scale in [10, 100] {
        for conditional in [0, 100] {
            let shape = Shape {
                conditional_percent: conditional,
                ..Shape::scale(scale)
            };
            let bytes = build(&shape);
            let reqs = requests(5, &shape, BATCH);
            let table = Table::from_bytes(&bytes).expect("loads");
            let allowed = reqs
                .iter()
                .filter(|r| decide(&table, &named(r, &context)).is_ok_and(|d| d.allow))
                .count();
            let label = format!(
                "S{scale}/{}",
                if conditional == 0 {
                    "no-conditions"
                } else {
                    "conditions"
                }
            );
            eprintln!(
                "decide/{label}: {} blocks, {} entities, table {} bytes, {allowed} of {BATCH} requests allowed",
                table.block_count(),
                table.entity_count(),
                bytes.len()
            );
            decide_group.throughput(Throughput::Elements(BATCH as u64));
            decide_group.bench_function(BenchmarkId::new("declared", &label), |b| {
                b.iter(|| {
                    for r in &reqs {
                        let _ = black_box(decide(&table, &named(r, &context)));
                    }
                })
            });
            if conditional == 0 {
                // The same requests by an undeclared device described as a member of its tenant's groups.
                let described: Vec<DescribedSubject> = reqs.iter().map(described_device).collect();
                decide_group.bench_function(BenchmarkId::new("described", &label), |b| {
                    b.iter(|| {
                        for (r, d) in reqs.iter().zip(&described) {
                            let _ = black_box(decide(
                                &table,
                                &Request {
                                    subject: Subject::Described(d),
                                    action: &r.action,
                                    object: Object::Named(&r.object),
                                    context: &context,
                                },
                            ));
                        }
                    })
                });
                tables.push((scale, bytes));
            }
        }
    }
    decide_group.finish();

    let mut load = c.benchmark_group("load");
    load.sample_size(20);
    for (scale, bytes) in &tables {
        load.throughput(Throughput::Bytes(bytes.len() as u64));
        load.bench_with_input(
            BenchmarkId::new("from_bytes", format!("S{scale}")),
            bytes,
            |b, bytes| b.iter(|| Table::from_bytes(black_box(bytes)).map(|t| t.len())),
        );
    }
    load.finish();
}

criterion_group!(benches, runtime);
criterion_main!(benches);
