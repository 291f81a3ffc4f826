//! Decision latency by name and by handle at S = 1, 10 and 100: the mean
//! (a whole pass over the requests, timed; the median of 5 passes) and the
//! p50 and p99 of single decisions (each timed alone, less the cost of
//! reading the clock), with the table's size and load time. Run:
//! `cargo bench --bench latency` (`ATOM_SCALES=1,10` to choose scales).
//!
//! The requests are the generator's (`atom::gen::requests`): devices,
//! humans and services of every tenant on channels, reports, credentials
//! and sites, 100,000 a scale, with the context the conditions read.

use std::hint::black_box;
use std::time::{Duration, Instant};

use atom::eval::{decide_declared, decide_handles, Value};
use atom::gen::{requests, Shape};
use atom::table::Table;

const REQUESTS: usize = 100_000;

fn build(shape: &Shape) -> Vec<u8> {
    atom::gen::compiled(11, shape).expect("the generated set checks clean")
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Mean ns per decision: the median over 5 timed passes.
fn mean_ns(n: usize, mut pass: impl FnMut()) -> f64 {
    pass();
    median(
        (0..5)
            .map(|_| {
                let t0 = Instant::now();
                pass();
                t0.elapsed().as_nanos() as f64 / n as f64
            })
            .collect(),
    )
}

/// p50 and p99 in ns of `one(i)` for each request, each timed alone,
/// less the median cost of two clock reads.
fn quantiles_ns(n: usize, mut one: impl FnMut(usize)) -> (f64, f64) {
    let clock = median(
        (0..10_000)
            .map(|_| {
                let t0 = Instant::now();
                black_box(());
                t0.elapsed().as_nanos() as f64
            })
            .collect(),
    );
    let mut times: Vec<f64> = (0..n)
        .map(|i| {
            let t0 = Instant::now();
            one(i);
            (t0.elapsed().as_nanos() as f64 - clock).max(0.0)
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[n / 2], times[n * 99 / 100])
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let scales: Vec<usize> = std::env::var("ATOM_SCALES")
        .unwrap_or_else(|_| "1,10,100".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let context = vec![("protocol".to_string(), Value::Str("mqtt".into()))];
    println!(
        "{:<6} {:>10} {:>10} | {:>9} {:>9} {:>9} | {:>9} {:>9} {:>9} | allowed",
        "scale", "table", "load", "name mean", "p50", "p99", "hdl mean", "p50", "p99"
    );
    for scale in scales {
        let shape = Shape::scale(scale);
        let bytes = build(&shape);
        let load = median(
            (0..5)
                .map(|_| {
                    let t0 = Instant::now();
                    black_box(Table::from_bytes(black_box(&bytes)).map(|t| t.len()).ok());
                    t0.elapsed().as_secs_f64()
                })
                .collect(),
        );
        let table = Table::from_bytes(&bytes).expect("loads");
        let reqs = requests(5, &shape, REQUESTS);
        let handles: Vec<_> = reqs
            .iter()
            .map(|r| {
                (
                    table.subject(&r.subject).unwrap(),
                    table.action(&r.action).unwrap(),
                    table.object(&r.object).unwrap(),
                )
            })
            .collect();
        let allowed = reqs
            .iter()
            .filter(|r| decide_declared(&table, &r.subject, &r.action, &r.object, &context).allow)
            .count();
        let by_name = mean_ns(REQUESTS, || {
            for r in &reqs {
                black_box(decide_declared(
                    &table, &r.subject, &r.action, &r.object, &context,
                ));
            }
        });
        let by_handle = mean_ns(REQUESTS, || {
            for &(s, a, o) in &handles {
                black_box(decide_handles(&table, s, a, o, &context));
            }
        });
        let (n50, n99) = quantiles_ns(REQUESTS, |i| {
            let r = &reqs[i];
            black_box(decide_declared(
                &table, &r.subject, &r.action, &r.object, &context,
            ));
        });
        let (h50, h99) = quantiles_ns(REQUESTS, |i| {
            let (s, a, o) = handles[i];
            black_box(decide_handles(&table, s, a, o, &context));
        });
        println!(
            "S={scale:<4} {:>8.1}MB {:>8.2}ms | {by_name:>9.0} {n50:>9.0} {n99:>9.0} | {by_handle:>9.0} {h50:>9.0} {h99:>9.0} | {:.1}%",
            bytes.len() as f64 / 1e6,
            Duration::from_secs_f64(load).as_secs_f64() * 1e3,
            100.0 * allowed as f64 / REQUESTS as f64
        );
    }
}
