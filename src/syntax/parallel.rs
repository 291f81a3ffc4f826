//! Syntax: an ordered parallel map, for parsing many files on every core.
//!
//! Parses are independent, so a policy set's files are parsed on as many
//! threads as the machine has cores (at most one per item), each taking
//! the next item from a shared cursor so that one large file does not
//! leave the others idle. The results come back in item order: the same
//! as mapping one after another.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` applied to every item, on all cores; results in item order.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else {
                            return out;
                        };
                        out.push((i, f(item)));
                    }
                })
            })
            .collect();
        // A worker that panicked lost its results; those items are mapped
        // again below, so every item has its result.
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap_or_default())
            .collect()
    });
    done.sort_unstable_by_key(|(i, _)| *i);
    let mut done = done.into_iter().peekable();
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match done.next_if(|(j, _)| *j == i) {
            Some((_, r)) => out.push(r),
            None => out.push(f(item)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_item_order() {
        let items: Vec<u64> = (0..1_000).collect();
        let squares = super::map(&items, |x| x * x);
        assert_eq!(squares, items.iter().map(|x| x * x).collect::<Vec<_>>());
        assert!(super::map(&[] as &[u8], |x| *x).is_empty());
    }
}
