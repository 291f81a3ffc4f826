//! Serve: what every decision does besides deciding: time it, count it, log it, from the typed answer.

use std::time::Instant;

use serde_json::Value as Json;

use super::source::Active;
use super::state::State;
use crate::decision::Answer;

/// Records one answer: the latency histogram, the counters, and the
/// decision log (`request` builds the logged request only when logging).
pub fn record(
    state: &State,
    active: &Active,
    id: &str,
    started: Instant,
    request: impl FnOnce() -> Json,
    answer: &Answer,
) {
    let seconds = started.elapsed().as_secs_f64();
    state
        .metrics
        .decided(answer.result(), answer.reason(), seconds);
    if let Some(log) = &state.log {
        log.write(
            &active.table.table(),
            id,
            &active.revision,
            request(),
            answer,
        );
    }
}
