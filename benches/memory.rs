//! The machine's cost of one random read that depends on the one before,
//! in buffers the sizes of the generated tables (S = 1, 10, 100): the floor
//! under any decision that must follow a chain of such reads. Run:
//! `cargo bench --bench memory` (`ATOM_SIZES_MB=3.45,34.6` to choose).
//!
//! The buffer is a single random cycle through all its 64-byte lines
//! (each line holds the index of the next), so each read's address comes
//! from the read before and neither the prefetcher nor out-of-order
//! execution can start it early.

use std::hint::black_box;
use std::time::Instant;

const LINE: usize = 16; // u32s a 64-byte line
const STEPS: usize = 4_000_000;

/// A random cyclic order of `n` lines (Sattolo's algorithm, xorshift).
fn cycle(n: usize) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    for i in (1..n).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let j = (x % i as u64) as usize;
        order.swap(i, j);
    }
    let mut next = vec![0u32; n * LINE];
    for w in 0..n {
        let (from, to) = (order[w] as usize, order[(w + 1) % n]);
        next[from * LINE] = to;
    }
    next
}

/// Nanoseconds a dependent read: the median of 5 chases of `STEPS` reads.
fn chase_ns(next: &[u32]) -> f64 {
    let mut at = 0usize;
    for _ in 0..STEPS {
        at = next[at * LINE] as usize;
    }
    let mut runs: Vec<f64> = (0..5)
        .map(|_| {
            let t0 = Instant::now();
            for _ in 0..STEPS {
                at = next[at * LINE] as usize;
            }
            black_box(at);
            t0.elapsed().as_nanos() as f64 / STEPS as f64
        })
        .collect();
    runs.sort_by(f64::total_cmp);
    runs[2]
}

fn main() {
    let sizes: Vec<f64> = std::env::var("ATOM_SIZES_MB")
        .unwrap_or_else(|_| "0.034,0.337,3.45,34.6".to_string())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    println!("{:>10} | ns a dependent random read", "buffer");
    for mb in sizes {
        let lines = ((mb * 1e6) as usize / 64).max(2);
        let next = cycle(lines);
        println!("{:>8.3}MB | {:>6.1}", mb, chase_ns(&next));
    }
}
