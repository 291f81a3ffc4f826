//! Benchmarks of the front end: parsing generated policy sets at growing scale.
//!
//! `cargo bench --bench front_end` reports the median time to parse a whole
//! policy set at scale S (S = 1 is about 1,000 devices and 400 blocks;
//! S = 25 is 10,000 blocks), with throughput in bytes, so that growth from
//! one scale to the next can be read off directly.

use atom::diag::SourceMap;
use atom::gen::{generate, Shape};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

fn parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.sample_size(10);
    for scale in [1, 5, 25] {
        let mut sources = SourceMap::new();
        let mut bytes = 0;
        for file in generate(1, &Shape::scale(scale)) {
            bytes += file.text.len();
            sources.add(file.name, file.text);
        }
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_with_input(
            BenchmarkId::new("blocks", Shape::scale(scale).total_blocks()),
            &sources,
            |b, s| b.iter(|| atom::syntax::parse_all(s)),
        );
    }
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
