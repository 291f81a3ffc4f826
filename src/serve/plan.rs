//! Serve: `POST /v1/plan`, the query plan of section 16 for `{"subject", "action", "context"}`, through the same table and decoders as every door.

use axum::http::StatusCode;
use serde_json::Value as Json;

use super::source::Active;
use crate::eval::plan::{plan, PlanError};
use crate::request::plan::{answer_json, parse_plan_request};

/// `{"plan": P, "revision": R}` for a request body; else the status and
/// the message: 400 for a request that cannot be read or a subject
/// description that is not valid, 422 for a plan that cannot be made
/// exactly (never a partial plan).
pub fn answer(active: &Active, body: &Json) -> Result<Json, (StatusCode, String)> {
    let bad = |e: String| (StatusCode::BAD_REQUEST, e);
    let request = parse_plan_request(body).map_err(|e| bad(e.to_string()))?;
    let t = active.table.table();
    match plan(&t, request.subject(), &request.action, &request.context) {
        Ok(p) => Ok(answer_json(&p, &active.revision)),
        Err(PlanError::Invalid(e)) => Err(bad(e.to_string())),
        Err(PlanError::Unplannable(e)) => Err((StatusCode::UNPROCESSABLE_ENTITY, e.to_string())),
    }
}
