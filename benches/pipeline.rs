//! Benchmarks of every stage at scale S = 1, 10 and 100 (S = 1 is about
//! 1,000 devices and 400 blocks): parse, check, lint, compile, table load,
//! and one decision (declared and described subjects, without and with
//! conditions). `cargo bench --bench pipeline` prints the sizes first, then
//! criterion's medians; the growth from one S to the next is the ratio of
//! medians.

use std::hint::black_box;

use atom::check::{check_files, check_sources};
use atom::compile::{compile, source_hash};
use atom::diag::SourceMap;
use atom::eval::{decide, DescribedSubject, Object, Request, Subject, Value};
use atom::gen::{described_device, generate, requests, Shape};
use atom::lint::{lint, LintConfig};
use atom::syntax::parse_all;
use atom::table::Table;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const BATCH: usize = 1024;

fn sources(shape: &Shape) -> SourceMap {
    let mut s = SourceMap::new();
    for f in generate(31, shape) {
        s.add(f.name, f.text);
    }
    s
}

type Group<'c> = criterion::BenchmarkGroup<'c, criterion::measurement::WallTime>;

fn stages(c: &mut Criterion) {
    let mut g = c.benchmark_group("stage");
    g.sample_size(10);
    for scale in [1usize, 10, 100] {
        let label = format!("S{scale}");
        let shape = Shape::scale(scale);
        let table_bytes = front_end_and_compile(&mut g, &label, &shape);
        let reqs = requests(5, &shape, BATCH);
        decisions(&mut g, &label, "decide", &table_bytes, &reqs, true);
        // Every block conditional.
        let cshape = Shape {
            conditional_percent: 100,
            ..Shape::scale(scale)
        };
        let csrc = sources(&cshape);
        let cmodel = check_sources(&csrc)
            .into_complete_model()
            .expect("checks clean");
        let ctable_bytes = compile(&cmodel, [0; 32]);
        decisions(
            &mut g,
            &label,
            "decide-conditions",
            &ctable_bytes,
            &reqs,
            false,
        );
    }
    g.finish();
}

/// Parse, check, lint, compile and load at one scale; returns the table.
fn front_end_and_compile(g: &mut Group<'_>, label: &str, shape: &Shape) -> Vec<u8> {
    let src = sources(shape);
    let bytes: usize = src.files().map(|(_, f)| f.text.len()).sum();
    let checked = check_sources(&src);
    let model = checked.complete_model().expect("checks clean");
    let table_bytes = compile(model, source_hash(&src));
    let grants: usize = model.entity_grants().iter().map(Vec::len).sum();
    eprintln!(
        "stage/{label}: {} bytes of source, {} entities, {} blocks, {} roles, {grants} entity-block grants; table {} bytes ({:.1} per grant, {:.1} per entity)",
        bytes,
        model.entities.len(),
        model.blocks.len(),
        model.roles.len(),
        table_bytes.len(),
        table_bytes.len() as f64 / grants.max(1) as f64,
        table_bytes.len() as f64 / model.entities.len() as f64
    );
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_with_input(BenchmarkId::new("parse", label), &src, |b, s| {
        b.iter(|| parse_all(s))
    });
    g.throughput(Throughput::Elements(model.entities.len() as u64));
    let asts: Vec<&atom::syntax::ast::File> = checked.files.iter().map(|(_, f)| f).collect();
    g.bench_with_input(BenchmarkId::new("check", label), &asts, |b, f| {
        b.iter(|| check_files(f, &[]))
    });
    g.bench_with_input(BenchmarkId::new("lint", label), &src, |b, s| {
        b.iter(|| lint(model, s, &LintConfig::default()))
    });
    g.bench_with_input(BenchmarkId::new("compile", label), model, |b, m| {
        b.iter(|| compile(m, [0; 32]))
    });
    g.throughput(Throughput::Bytes(table_bytes.len() as u64));
    g.bench_with_input(BenchmarkId::new("load", label), &table_bytes, |b, t| {
        b.iter(|| Table::from_bytes(black_box(t)).map(|t| t.len()))
    });
    table_bytes
}

/// Decisions by name (`NAME-declared`, or `NAME` alone), and with described
/// subjects (`NAME-described`) when `described` is set.
fn decisions(
    g: &mut Group<'_>,
    label: &str,
    name: &str,
    table_bytes: &[u8],
    reqs: &[atom::gen::GeneratedRequest],
    described: bool,
) {
    let table = Table::from_bytes(table_bytes).expect("loads");
    let context = vec![("protocol".to_string(), Value::Str("mqtt".into()))];
    g.throughput(Throughput::Elements(BATCH as u64));
    let declared_name = if described {
        format!("{name}-declared")
    } else {
        name.to_string()
    };
    g.bench_function(BenchmarkId::new(declared_name, label), |b| {
        b.iter(|| {
            for r in reqs {
                let _ = black_box(decide(
                    &table,
                    &Request {
                        subject: Subject::Named(&r.subject),
                        action: &r.action,
                        object: Object::Named(&r.object),
                        context: &context,
                    },
                ));
            }
        })
    });
    if !described {
        return;
    }
    let subjects: Vec<DescribedSubject> = reqs.iter().map(described_device).collect();
    g.bench_function(BenchmarkId::new(format!("{name}-described"), label), |b| {
        b.iter(|| {
            for (r, d) in reqs.iter().zip(&subjects) {
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
}

criterion_group!(benches, stages);
criterion_main!(benches);
