//! atom against Cedar and Rego (regorus interpreter and RVM) on the same
//! generated workload and the same requests.
//!
//! `cargo bench` in `benches/peers` reports, per engine and scale, the
//! median time of a batch of requests (criterion's per-element time is one
//! decision). Requests are converted to each engine's form before timing;
//! the engines' answers are checked against atom's once before timing.

use std::hint::black_box;

use atom_peers::{atom_context, atom_decides, cedar::CedarPeer, rego, workload};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

const BATCH: usize = 256;

fn peers(c: &mut Criterion) {
    let mut group = c.benchmark_group("peers");
    group.sample_size(10);
    for scale in [1, 10] {
        let w = workload(scale, BATCH);
        let table = atom::table::Table::from_bytes(&w.table).unwrap();
        let contexts: Vec<_> = w.requests.iter().map(atom_context).collect();
        let cedar = CedarPeer::new(&w.model).unwrap();
        let authorizer = cedar_policy::Authorizer::new();
        let cedar_requests: Vec<_> = w.requests.iter().map(|r| cedar.request(r)).collect();
        let data = rego::data(&w.model).unwrap();
        let mut interp = rego::RegoInterpreter::new(&data).unwrap();
        let mut vm = rego::RegoVm::new(&data).unwrap();
        let inputs: Vec<_> = w.requests.iter().map(rego::input).collect();
        let mut allowed = 0;
        for ((r, ctx), (cr, input)) in w
            .requests
            .iter()
            .zip(&contexts)
            .zip(cedar_requests.iter().zip(&inputs))
        {
            let a = atom_decides(&table, r, ctx);
            allowed += usize::from(a);
            assert_eq!(cedar.decide(&authorizer, cr), a, "cedar disagrees on {r:?}");
            assert_eq!(interp.decide(input), a, "rego disagrees on {r:?}");
            assert_eq!(vm.decide(input), a, "rvm disagrees on {r:?}");
        }
        eprintln!(
            "peers/S{scale}: {} entities, {} blocks, {} cedar policies, {allowed} of {BATCH} requests allowed",
            w.model.entities.len(),
            w.model.blocks.len(),
            cedar.policy_count
        );
        group.throughput(Throughput::Elements(BATCH as u64));
        let label = format!("S{scale}");
        group.bench_function(BenchmarkId::new("atom", &label), |b| {
            b.iter(|| {
                for (r, ctx) in w.requests.iter().zip(&contexts) {
                    black_box(atom_decides(&table, r, ctx));
                }
            })
        });
        group.bench_function(BenchmarkId::new("cedar", &label), |b| {
            b.iter(|| {
                for cr in &cedar_requests {
                    black_box(cedar.decide(&authorizer, cr));
                }
            })
        });
        group.bench_function(BenchmarkId::new("rego-interpreter", &label), |b| {
            b.iter(|| {
                for input in &inputs {
                    black_box(interp.decide(input));
                }
            })
        });
        group.bench_function(BenchmarkId::new("rego-rvm", &label), |b| {
            b.iter(|| {
                for input in &inputs {
                    black_box(vm.decide(input));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, peers);
criterion_main!(benches);
