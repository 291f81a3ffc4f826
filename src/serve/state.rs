//! Serve: the active table, swapped whole; a request keeps the table it started with.

use std::sync::{Arc, RwLock};

use super::log::DecisionLog;
use super::metrics::Metrics;
use super::source::{Active, Source, Trust};

/// What every request handler shares.
pub struct State {
    active: RwLock<Option<Arc<Active>>>,
    pub source: Source,
    pub trust: Trust,
    pub metrics: Metrics,
    pub log: Option<DecisionLog>,
    ids: std::sync::atomic::AtomicU64,
    /// How long a client may take to send a request.
    pub read_timeout: std::time::Duration,
    /// Searches running at once: one per two cores (at least one).
    pub searches: tokio::sync::Semaphore,
    /// Where clients reach the HTTP server (set once bound): the base of
    /// the discovery document's URLs, never a request's `Host` header.
    pub public_url: std::sync::OnceLock<String>,
}

impl State {
    /// A request id for a request that brought none.
    pub fn next_id(&self) -> String {
        let n = self.ids.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("atom-{n}")
    }

    pub fn new(
        source: Source,
        trust: Trust,
        log: Option<DecisionLog>,
        read_timeout: std::time::Duration,
    ) -> State {
        State {
            active: RwLock::new(None),
            source,
            trust,
            metrics: Metrics::new(),
            log,
            ids: std::sync::atomic::AtomicU64::new(1),
            read_timeout,
            searches: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(1, |n| (n.get() / 2).max(1)),
            ),
            public_url: std::sync::OnceLock::new(),
        }
    }

    /// The active table, if one is loaded. The `Arc` keeps it alive for
    /// the request even if a reload swaps another in meanwhile.
    pub fn current(&self) -> Option<Arc<Active>> {
        // A poisoned lock only means a writer panicked between two whole
        // values: the value inside is still a whole table or none.
        match self.active.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Loads the source whole and swaps it in, unless it fails a step or
    /// would roll the sequence number back; returns what happened, for the
    /// log. The active table stays on any failure.
    pub fn reload(&self) -> Reloaded {
        let before = self.current();
        let next = match self.source.load(&self.trust) {
            Ok(next) => next,
            Err(e) => {
                self.metrics.reloaded(false);
                return Reloaded::Refused(e);
            }
        };
        if let Some(active) = &before {
            if active.sha256 == next.sha256 && active.sequence == next.sequence {
                return Reloaded::Unchanged;
            }
            if let (Some(seq), Some(current)) = (next.sequence, active.sequence) {
                if let Err(r) = crate::verify::check_sequence(seq, Some(current)) {
                    self.metrics.reloaded(false);
                    return Reloaded::Refused(r.to_string());
                }
            }
        }
        let next = Arc::new(next);
        self.metrics.table(before.as_deref(), &next);
        self.metrics.reloaded(true);
        let mut guard = match self.active.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = Some(next.clone());
        Reloaded::Swapped(next)
    }
}

/// The outcome of a reload.
pub enum Reloaded {
    Swapped(Arc<Active>),
    Unchanged,
    Refused(String),
}
