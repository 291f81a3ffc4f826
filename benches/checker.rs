//! Benchmarks of the checker at the scale of issue 3: 100,000 entities,
//! 10,000 blocks, 2,000 roles and 1,000 principal groups, and at half that,
//! so that growth with the number of grants can be read off.
//!
//! `cargo bench --bench checker` reports, per size: the medians of parsing
//! plus checking (`check_sources`, what `atom check` does) and of the
//! semantic checks alone (`check_files` on parsed files), and, printed
//! before them, the number of grants and the peak memory of one check;
//! and the median of the lints (`lint`) on the checked model.
//! Peak memory is the process's high-water mark (Linux `VmHWM`), reset just
//! before the measured run through `/proc/self/clear_refs`.

use atom::check::{check_files, check_sources};
use atom::diag::SourceMap;
use atom::gen::{generate, Shape};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn reset_peak() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn checker(c: &mut Criterion) {
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    for tenants in [10, 20] {
        let shape = Shape::large(tenants);
        let mut sources = SourceMap::new();
        for file in generate(3, &shape) {
            sources.add(file.name, file.text);
        }
        let label = format!("{}k-entities", shape.total_entities() / 1000);

        // One measured run for the counts and the peak memory.
        let reset = reset_peak();
        let checked = check_sources(&sources);
        let peak = peak_kib().filter(|_| reset);
        let model = checked
            .complete_model()
            .expect("the generated set checks clean");
        let grants: usize = model.entity_grants().iter().map(Vec::len).sum();
        eprintln!(
            "check/{label}: {} entities, {} blocks, {} roles, {} principal groups, {} statements, {} (entity, block) grants; peak memory {}",
            model.entities.len(),
            model.blocks.len(),
            model.roles.len(),
            model.principal_groups.len(),
            model.grants.len(),
            grants,
            peak.map_or("unknown".to_string(), |k| format!("{:.0} MiB", k as f64 / 1024.0)),
        );

        group.bench_with_input(BenchmarkId::new("parse+check", &label), &sources, |b, s| {
            b.iter(|| check_sources(s))
        });
        let lint_start = std::time::Instant::now();
        let findings = atom::lint::lint(model, &sources, &atom::lint::LintConfig::default());
        eprintln!(
            "lint/{label}: {} findings (one run: {:?})",
            findings.len(),
            lint_start.elapsed()
        );
        let files: Vec<&atom::syntax::ast::File> = checked.files.iter().map(|(_, f)| f).collect();
        group.bench_with_input(BenchmarkId::new("check-only", &label), &files, |b, f| {
            b.iter(|| check_files(f, &[]))
        });
        group.bench_with_input(BenchmarkId::new("lint", &label), &sources, |b, s| {
            b.iter(|| atom::lint::lint(model, s, &atom::lint::LintConfig::default()))
        });
    }
    group.finish();
}

criterion_group!(benches, checker);
criterion_main!(benches);
