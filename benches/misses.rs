//! Decisions to count under a cache simulator: decides the generated
//! requests from a table file, by name or by handle, with nothing else in
//! the measured functions. Wall-clock times on a shared machine vary by a
//! third; instruction and simulated cache-miss counts do not. Run (see
//! `docs/performance.md`):
//!
//! ```sh
//! atom gen --scale 100 --out /tmp/gen100 && atom build /tmp/gen100 -o /tmp/gen100.atomc
//! cargo bench --bench misses --no-run
//! ATOM_TABLE=/tmp/gen100.atomc ATOM_SCALE=100 ATOM_BY=name \
//!   valgrind --tool=callgrind --cache-sim=yes --LL=8388608,16,64 \
//!   --toggle-collect='atom::eval::decide_declared' target/release/deps/misses-*
//! ```
//!
//! (`ATOM_BY=handle` and `--toggle-collect='atom::eval::decide_handles'`
//! for decisions by handle.) Without `ATOM_TABLE` it decides on a
//! generated S = 1 table, so that `cargo bench` runs it quickly.

use std::hint::black_box;

use atom::eval::{decide_declared, decide_handles, Value};
use atom::gen::{requests, Shape};
use atom::table::Table;

const REQUESTS: usize = 100_000;

fn main() {
    let scale: usize = std::env::var("ATOM_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let bytes = match std::env::var("ATOM_TABLE") {
        Ok(path) => std::fs::read(&path).expect("ATOM_TABLE names a readable table"),
        Err(_) => {
            atom::gen::compiled(11, &Shape::scale(scale)).expect("the generated set checks clean")
        }
    };
    let table = Table::from_bytes(&bytes).expect("a valid table");
    let by_handle = std::env::var("ATOM_BY").is_ok_and(|b| b == "handle");
    let requests = requests(5, &Shape::scale(scale), REQUESTS);
    let context = vec![("protocol".to_string(), Value::Str("mqtt".into()))];
    let mut allowed = 0usize;
    if by_handle {
        let handles: Vec<_> = requests
            .iter()
            .map(|r| {
                (
                    table.subject(&r.subject),
                    table.action(&r.action),
                    table.object(&r.object),
                )
            })
            .collect();
        for (s, a, o) in handles {
            if let (Some(s), Some(a), Some(o)) = (s, a, o) {
                allowed += usize::from(decide_handles(&table, s, a, o, &context).allow);
            }
        }
    } else {
        // Each request's names are copied into buffers that stay in the
        // cache first, outside the measured function: the simulator has no
        // prefetcher, so reading 100,000 requests' strings from the heap
        // would add their own misses (about 1.5 a decision) to the table's.
        let (mut subject, mut action, mut object) = (String::new(), String::new(), String::new());
        for r in &requests {
            for (to, from) in [
                (&mut subject, &r.subject),
                (&mut action, &r.action),
                (&mut object, &r.object),
            ] {
                to.clear();
                to.push_str(from);
            }
            let d = decide_declared(&table, &subject, &action, &object, &context);
            allowed += usize::from(d.allow);
        }
    }
    println!(
        "misses: {} requests {}, {allowed} allowed",
        REQUESTS,
        if by_handle { "by handle" } else { "by name" }
    );
    black_box(allowed);
}
