//! Testing: running a policy set's `test` blocks against its compiled table.
//!
//! Each test line becomes a request by qualified names, decided by the
//! same evaluator a runtime uses; the outcome records what was expected and
//! what the table decided.

pub mod coverage;
pub mod report;

use crate::check::model::{self as m, Model};
use crate::diag::Span;
use crate::eval::{self, Decision, Reason};
use crate::request::{Either, OwnedRequest};
use crate::syntax::ast::Effect;
use crate::table::Table;

/// The result of one test line.
#[derive(Clone, Debug)]
pub struct LineOutcome {
    pub test: String,
    pub span: Span,
    /// The line as a request, for reports: `subject action object`.
    pub request: String,
    pub expected: Effect,
    pub expected_reason: Option<Reason>,
    pub decision: Decision,
    pub passed: bool,
    /// The line's context (`context.KEY = value` entries as a map).
    pub context: Vec<(String, eval::Value)>,
    /// How long the decision took.
    pub time: std::time::Duration,
}

/// Builds a context map from `context.a.b = v` entries (nested keys make nested maps).
pub fn context_of(entries: &[(Vec<String>, m::Value)]) -> Vec<(String, eval::Value)> {
    fn insert(map: &mut Vec<(String, eval::Value)>, keys: &[String], value: eval::Value) {
        let Some((first, rest)) = keys.split_first() else {
            return;
        };
        if rest.is_empty() {
            map.retain(|(k, _)| k != first);
            map.push((first.clone(), value));
            return;
        }
        let at = match map
            .iter()
            .position(|(k, v)| k == first && matches!(v, eval::Value::Map(_)))
        {
            Some(i) => i,
            None => {
                map.retain(|(k, _)| k != first);
                map.push((first.clone(), eval::Value::Map(Vec::new())));
                map.len() - 1
            }
        };
        if let eval::Value::Map(inner) = &mut map[at].1 {
            insert(inner, rest, value);
        }
    }
    let mut out = Vec::new();
    for (keys, v) in entries {
        insert(&mut out, keys, v.clone());
    }
    out
}

/// A test line's decoder: the typed request it makes (names, action,
/// context), the one every door decides.
pub fn line_request(model: &Model, line: &m::TestLine) -> OwnedRequest {
    OwnedRequest {
        subject: Either::Name(model.entity_name(line.subject)),
        action: model.actions[line.action.index()].name.clone(),
        object: Either::Name(model.qualified_name(line.object)),
        context: context_of(&line.context),
        id: None,
    }
}

/// The explanation of a test line's decision.
pub fn explain_line(
    model: &Model,
    table: &Table<'_>,
    line: &m::TestLine,
) -> eval::explain::Explanation {
    line_request(model, line).with(|r| eval::explain::explain_declared(table, r))
}

/// Runs every test line of a model against a table compiled from it.
pub fn run_tests(model: &Model, table: &Table<'_>) -> Vec<LineOutcome> {
    run_selected(model, table, |_| true)
}

/// Runs the lines of the `test` blocks whose name `select` accepts.
pub fn run_selected(
    model: &Model,
    table: &Table<'_>,
    select: impl Fn(&str) -> bool,
) -> Vec<LineOutcome> {
    let mut out = Vec::new();
    for test in model.tests.iter().filter(|t| select(&t.name)) {
        for line in &test.lines {
            let r = line_request(model, line);
            let start = std::time::Instant::now();
            // A line names both parties (the checker declared them).
            let Some(decision) = r.decide_named(table) else {
                continue;
            };
            let time = start.elapsed();
            let effect_ok = decision.allow == (line.expect == Effect::Allow);
            let reason_ok = line.reason.is_none_or(|r| r == decision.reason);
            out.push(LineOutcome {
                test: test.name.clone(),
                span: line.span,
                request: r.words(),
                expected: line.expect,
                expected_reason: line.reason,
                decision,
                passed: effect_ok && reason_ok,
                context: r.context,
                time,
            });
        }
    }
    out
}
