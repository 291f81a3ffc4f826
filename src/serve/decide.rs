//! Serve: what every decision does besides deciding: time it, count it, log it.

use std::time::Instant;

use serde_json::Value as Json;

use super::source::Active;
use super::state::State;
use crate::eval::Decision;

/// How a request ended.
pub enum Outcome<'a> {
    Decided(&'a Decision),
    /// Decided, as `allow` and the reason's name.
    Answered(bool, &'a str),
    /// Not valid: the message.
    Invalid(&'a str),
}

/// Records one decision: the latency histogram, the counters, and the
/// decision log (`request` builds the logged request only when logging).
pub fn record(
    state: &State,
    active: &Active,
    id: &str,
    started: Instant,
    request: impl FnOnce() -> Json,
    outcome: Outcome<'_>,
) {
    let seconds = started.elapsed().as_secs_f64();
    let (result, reason) = match outcome {
        Outcome::Decided(d) => (if d.allow { "allow" } else { "deny" }, d.reason.name()),
        Outcome::Answered(allow, reason) => (if allow { "allow" } else { "deny" }, reason),
        Outcome::Invalid(_) => ("error", "invalid_request"),
    };
    state.metrics.decided(result, reason, seconds);
    if let Some(log) = &state.log {
        log.write(id, &active.revision, request(), result == "allow", reason);
    }
}
