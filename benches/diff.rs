//! `atom diff` on the generated sets: S = 10 against S = 10 with one role
//! change (a new block in `role-0` of `t0`, assigned to 6 groups), from the
//! two tables; and, for comparison, the brute force that decides the access
//! of every (subject, action, object) triple, timed on a sample of triples
//! and scaled to all of them.
//!
//! `cargo bench --bench diff`. S = 100 is measured with the CLI (see
//! `docs/performance.md`): building its tables takes longer than a
//! benchmark should.

use std::time::Instant;

use atom::analysis::access::access;
use atom::analysis::diff::diff;
use atom::table::format::section;
use atom::table::Table;
use criterion::{criterion_group, criterion_main, Criterion};

fn tables(scale: usize) -> (Vec<u8>, Vec<u8>) {
    let files = atom::gen::generate(1, &atom::gen::Shape::scale(scale));
    let build = |changed: bool| {
        let mut sources = atom::diag::SourceMap::new();
        for f in &files {
            let mut text = f.text.clone();
            if changed && f.name == "tenant-0.atom" {
                text = text.replacen(
                    "  role role-0 { ",
                    "  block extra-manage { allow delete on resource:report }\n  role role-0 { extra-manage, ",
                    1,
                );
            }
            sources.add(f.name.clone(), text);
        }
        let model = atom::check::check_sources(&sources)
            .into_complete_model()
            .expect("the generated set checks clean");
        atom::compile::compile(&model, atom::compile::source_hash(&sources))
    };
    (build(false), build(true))
}

fn bench(c: &mut Criterion) {
    let (old, new) = tables(10);
    let (old, new) = (
        Table::from_bytes(&old).unwrap(),
        Table::from_bytes(&new).unwrap(),
    );
    let (changes, _) = diff(&old, &new);
    eprintln!("diff/S10: {} changed triples", changes.len());
    let mut group = c.benchmark_group("diff");
    group.sample_size(10);
    group.bench_function("one-role-change/S10", |b| b.iter(|| diff(&old, &new)));
    group.finish();

    // Brute force: the access of a sample of triples, on both sides.
    let (e, a, o) = (
        old.count(section::ENTITIES) as u64,
        old.count(section::ACTIONS) as u64,
        old.count(section::OBJECTS) as u64,
    );
    let sample = 200_000u64;
    let start = Instant::now();
    for i in 0..sample {
        let (s, act, obj) = ((i * 7919) % e, i % a, (i * 104_729) % o);
        for t in [&old, &new] {
            let _ = access(t, s as u32, act as u32, obj as u32);
        }
    }
    let per = start.elapsed().as_secs_f64() / sample as f64;
    let all = e * a * o;
    eprintln!(
        "brute force/S10: {:.2} µs a triple (both sides); {all} triples: about {:.0} s",
        per * 1e6,
        per * all as f64
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
