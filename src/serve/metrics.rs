//! Serve: Prometheus metrics (decision latency histogram, decision and reload counters, table info).

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use super::source::Active;

/// The histogram's bucket bounds, in seconds: 1 µs to 100 ms.
pub const BUCKETS: [f64; 16] = [
    1e-6, 2.5e-6, 5e-6, 1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2,
    5e-2, 1e-1,
];

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabel {
    result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DecisionLabels {
    result: String,
    reason: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TableLabels {
    revision: String,
    key_id: String,
}

/// The server's metrics.
pub struct Metrics {
    registry: Registry,
    duration: Family<ResultLabel, Histogram>,
    decisions: Family<DecisionLabels, Counter>,
    table: Family<TableLabels, Gauge>,
    reloads: Family<ResultLabel, Counter>,
}

fn histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let duration =
            Family::<ResultLabel, Histogram>::new_with_constructor(histogram as fn() -> Histogram);
        let decisions = Family::<DecisionLabels, Counter>::default();
        let table = Family::<TableLabels, Gauge>::default();
        let reloads = Family::<ResultLabel, Counter>::default();
        registry.register(
            "atom_authz_decision_duration_seconds",
            "Time to decide one request (result: allow, deny or error)",
            duration.clone(),
        );
        registry.register(
            "atom_decisions",
            "Decisions by result and reason",
            decisions.clone(),
        );
        registry.register(
            "atom_table_info",
            "The active table: 1 for its revision and key id",
            table.clone(),
        );
        registry.register(
            "atom_table_reload",
            "Table loads by result (ok or refused)",
            reloads.clone(),
        );
        Metrics {
            registry,
            duration,
            decisions,
            table,
            reloads,
        }
    }

    /// Counts one decision (`reason` is `error` for an invalid request).
    pub fn decided(&self, result: &str, reason: &str, seconds: f64) {
        let label = ResultLabel {
            result: result.to_string(),
        };
        self.duration.get_or_create(&label).observe(seconds);
        self.decisions
            .get_or_create(&DecisionLabels {
                result: result.to_string(),
                reason: reason.to_string(),
            })
            .inc();
    }

    pub fn reloaded(&self, ok: bool) {
        let result = if ok { "ok" } else { "refused" };
        self.reloads
            .get_or_create(&ResultLabel {
                result: result.to_string(),
            })
            .inc();
    }

    /// Marks `next` as the active table (and `before` as no longer).
    pub fn table(&self, before: Option<&Active>, next: &Active) {
        let labels = |a: &Active| TableLabels {
            revision: a.revision.clone(),
            key_id: a.key_id.clone().unwrap_or_default(),
        };
        if let Some(b) = before {
            self.table.remove(&labels(b));
        }
        self.table.get_or_create(&labels(next)).set(1);
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
