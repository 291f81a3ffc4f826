//! Serve: `POST /v1/plan`, the query plan of section 16 for `{"subject", "action", "context"}`, through the same table and decoders as every door.

use axum::body::Body;
use axum::extract::State as With;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::http::{begin, decided, error, Shared};
use crate::eval::plan::{plan as make_plan, PlanError};
use crate::request::plan::{answer_json, parse_plan_request};

/// `{"plan": P, "revision": R}`; 400 for a request that cannot be read or
/// a subject description that is not valid, 422 for a plan that cannot be
/// made exactly (never a partial plan).
pub async fn plan(With(state): With<Shared>, headers: HeaderMap, body: Body) -> Response {
    let (body, active, id) = match begin(&state, &headers, body).await {
        Ok(started) => started,
        Err(r) => return *r,
    };
    let request = match parse_plan_request(&body) {
        Ok(r) => r,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e.to_string()),
    };
    let t = active.table.table();
    match make_plan(&t, request.subject(), &request.action, &request.context) {
        Ok(p) => decided(&active, &id, &answer_json(&p, &active.revision)),
        Err(PlanError::Invalid(e)) => error(StatusCode::BAD_REQUEST, &e.to_string()),
        Err(PlanError::Unplannable(e)) => error(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string()),
    }
}
