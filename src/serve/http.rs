//! Serve: the HTTP front door (AuthZEN 1.0, `POST /v1/decide`, `POST /v1/plan`, health, readiness, metrics), with limits for hostile clients.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::State as With;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Map, Value as Json};

use super::decide::record;
use super::source::Active;
use super::state::State;
use crate::decision::{encode, Answer};
use crate::request::authzen::{self, Semantic, MAX_EVALUATIONS};
use crate::request::search::{search, Target};

/// The largest request body: 1 MiB (a larger one is answered 413).
pub const MAX_BODY: usize = 1 << 20;
/// The header that names the table revision that decided.
pub const REVISION_HEADER: &str = "atom-policy-revision";

type Shared = Arc<State>;

/// The HTTP routes.
pub fn router(state: Shared) -> Router {
    Router::new()
        .route("/access/v1/evaluation", post(evaluation))
        .route("/access/v1/evaluations", post(evaluations))
        .route(
            "/access/v1/search/subject",
            post(|s, h, b| searching(s, h, b, Target::Subject)),
        )
        .route(
            "/access/v1/search/resource",
            post(|s, h, b| searching(s, h, b, Target::Resource)),
        )
        .route(
            "/access/v1/search/action",
            post(|s, h, b| searching(s, h, b, Target::Action)),
        )
        .route("/.well-known/authzen-configuration", get(configuration))
        .route("/v1/decide", post(decide_batch))
        .route("/v1/plan", post(plan))
        .route(
            "/healthz",
            get(|| async { json_response(StatusCode::OK, &json!({ "status": "alive" })) }),
        )
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such endpoint") })
        .layer(axum::middleware::from_fn(echo_request_id))
        .with_state(state)
}

/// Every answer, errors included, carries the caller's `X-Request-ID`
/// (spec section 14); a decision answer already carries the id it was
/// logged under.
async fn echo_request_id(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let id = request
        .headers()
        .get("x-request-id")
        .filter(|v| v.len() <= 256)
        .cloned();
    let mut response = next.run(request).await;
    if let Some(id) = id {
        response.headers_mut().entry("x-request-id").or_insert(id);
    }
    response
}

fn json_response(status: StatusCode, body: &Json) -> Response {
    (
        status,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// An error answer: `{"error": MESSAGE}`.
pub fn error(status: StatusCode, message: &str) -> Response {
    json_response(status, &json!({ "error": message }))
}

/// A request under way: its body, the table it is decided on, its id.
type Started<B> = (B, Arc<Active>, String);

/// What every decision endpoint starts with: the body read within the
/// limits, the active table (or 503), and the request's id.
async fn begin(
    state: &State,
    headers: &HeaderMap,
    body: Body,
) -> Result<Started<Json>, Box<Response>> {
    let body = read_json(headers, body, state.read_timeout).await?;
    let active = active(state)?;
    Ok((body, active, request_id(state, headers)))
}

/// The body of an AuthZEN endpoint: a JSON object.
fn as_object(
    (body, active, id): Started<Json>,
) -> Result<Started<Map<String, Json>>, Box<Response>> {
    match body {
        Json::Object(m) => Ok((m, active, id)),
        _ => Err(boxed(
            StatusCode::BAD_REQUEST,
            "the request body must be a JSON object",
        )),
    }
}

async fn read_json(
    headers: &HeaderMap,
    body: Body,
    timeout: Duration,
) -> Result<Json, Box<Response>> {
    let too_large = || {
        boxed(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("the request body is larger than {MAX_BODY} bytes"),
        )
    };
    let declared = headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY as u64) {
        return Err(too_large());
    }
    let bytes = match tokio::time::timeout(timeout, axum::body::to_bytes(body, MAX_BODY)).await {
        Err(_) => {
            return Err(boxed(
                StatusCode::REQUEST_TIMEOUT,
                "the request body was not sent in time",
            ))
        }
        Ok(Err(e)) if is_length_limit(&e) => return Err(too_large()),
        Ok(Err(e)) => {
            return Err(boxed(
                StatusCode::BAD_REQUEST,
                &format!("could not read the request body: {e}"),
            ))
        }
        Ok(Ok(bytes)) => bytes,
    };
    let json = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .and_then(|t| t.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return Err(boxed(
            StatusCode::BAD_REQUEST,
            "the request body must be JSON, sent with `Content-Type: application/json`",
        ));
    }
    crate::request::strict::parse(&bytes)
        .map_err(|e| boxed(StatusCode::BAD_REQUEST, &format!("malformed JSON: {e}")))
}

fn is_length_limit(e: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if s.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = s.source();
    }
    false
}

/// The active table, or 503.
fn active(state: &State) -> Result<Arc<Active>, Box<Response>> {
    state.current().ok_or_else(|| {
        boxed(
            StatusCode::SERVICE_UNAVAILABLE,
            "no verified table is active yet",
        )
    })
}

/// An error answer, boxed for `Result`s (a response is large).
fn boxed(status: StatusCode, message: &str) -> Box<Response> {
    Box::new(error(status, message))
}

/// The caller's `X-Request-ID`, or a fresh one.
fn request_id(state: &State, headers: &HeaderMap) -> String {
    headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| v.len() <= 256)
        .map_or_else(|| state.next_id(), str::to_string)
}

/// Adds the revision and request id headers to a decision answer.
fn decided(active: &Active, id: &str, body: &Json) -> Response {
    let mut response = json_response(StatusCode::OK, body);
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&active.revision) {
        headers.insert(REVISION_HEADER, v);
    }
    if let Ok(v) = HeaderValue::from_str(id) {
        headers.insert("x-request-id", v);
    }
    response
}

async fn evaluation(With(state): With<Shared>, headers: HeaderMap, body: Body) -> Response {
    let (body, active, id) = match begin(&state, &headers, body).await.and_then(as_object) {
        Ok(started) => started,
        Err(r) => return *r,
    };
    let answer = evaluate_one(&state, &active, &id, &body, (&Map::new(), false));
    authzen_answer(&active, &id, &answer)
}

/// One AuthZEN evaluation's response: the decision, or a 400.
fn authzen_answer(active: &Active, id: &str, answer: &Answer) -> Response {
    match answer {
        Answer::Decided(d) => decided(active, id, &encode::authzen(&active.table.table(), d)),
        Answer::Invalid(i) => error(StatusCode::BAD_REQUEST, &i.message),
    }
}

/// Decides one AuthZEN evaluation (with defaults), recording it. The
/// decision log gets the item as sent; a batch's defaults are logged once,
/// under `defaults` in its first item's record (`log_defaults`), never
/// copied into every record.
fn evaluate_one(
    state: &State,
    active: &Active,
    id: &str,
    item: &Map<String, Json>,
    (defaults, log_defaults): (&Map<String, Json>, bool),
) -> Answer {
    let started = Instant::now();
    let t = active.table.table();
    let outcome = authzen::evaluation(&t, item, defaults).and_then(|m| m.decide(&t));
    let logged = || {
        let mut r = item.clone();
        if log_defaults {
            let mut d = defaults.clone();
            d.remove("evaluations");
            d.remove("options");
            r.insert("defaults".to_string(), Json::Object(d));
        }
        Json::Object(r)
    };
    let answer = match outcome {
        Ok(d) => Answer::Decided(d),
        Err(e) => Answer::invalid(e),
    };
    record(state, active, id, started, logged, &answer);
    answer
}

async fn evaluations(With(state): With<Shared>, headers: HeaderMap, body: Body) -> Response {
    let (body, active, id) = match begin(&state, &headers, body).await.and_then(as_object) {
        Ok(started) => started,
        Err(r) => return *r,
    };
    let items = match body.get("evaluations") {
        None => Vec::new(),
        Some(Json::Array(items)) if items.len() > MAX_EVALUATIONS => {
            return error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "`evaluations` holds {} items; at most {MAX_EVALUATIONS}",
                    items.len()
                ),
            )
        }
        Some(Json::Array(items)) => items.clone(),
        Some(_) => return error(StatusCode::BAD_REQUEST, "`evaluations` must be an array"),
    };
    if items.is_empty() {
        // No evaluations: the request is a single evaluation (AuthZEN 1.0).
        let answer = evaluate_one(&state, &active, &id, &body, (&Map::new(), false));
        return authzen_answer(&active, &id, &answer);
    }
    let semantic = match Semantic::of(&body) {
        Ok(s) => s,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let mut answers = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let answer = match item {
            Json::Object(item) => evaluate_one(&state, &active, &id, item, (&body, i == 0)),
            _ => Answer::invalid("each evaluation must be a JSON object"),
        };
        answers.push(match &answer {
            Answer::Decided(d) => encode::authzen(&active.table.table(), d),
            Answer::Invalid(i) => authzen::error_entry(&i.message),
        });
        if semantic.stops(answer.allowed()) {
            break;
        }
    }
    decided(&active, &id, &json!({ "evaluations": answers }))
}

async fn searching(
    With(state): With<Shared>,
    headers: HeaderMap,
    body: Body,
    target: Target,
) -> Response {
    let (body, active, id) = match begin(&state, &headers, body).await.and_then(as_object) {
        Ok(started) => started,
        Err(r) => return *r,
    };
    // A search decides up to every candidate: off the async threads, and
    // one at a time per two cores, so that searches never take every core
    // from single decisions.
    let Ok(_turn) = state.searches.acquire().await else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping");
    };
    let found = {
        let active = active.clone();
        tokio::task::spawn_blocking(move || {
            search(&active.table.table(), &active.sha256, &body, target)
        })
        .await
    };
    match found {
        Ok(Ok(answer)) => decided(&active, &id, &answer),
        Ok(Err(message)) => error(StatusCode::BAD_REQUEST, &message),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "the search failed"),
    }
}

/// The discovery document (AuthZEN 1.0): URLs on the configured public URL
/// (`--public-url`, else the bound address), never on the request's `Host`.
async fn configuration(With(state): With<Shared>) -> Response {
    let base = state.public_url.get().cloned().unwrap_or_default();
    json_response(
        StatusCode::OK,
        &json!({
            "policy_decision_point": base,
            "access_evaluation_endpoint": format!("{base}/access/v1/evaluation"),
            "access_evaluations_endpoint": format!("{base}/access/v1/evaluations"),
            "search_subject_endpoint": format!("{base}/access/v1/search/subject"),
            "search_resource_endpoint": format!("{base}/access/v1/search/resource"),
            "search_action_endpoint": format!("{base}/access/v1/search/action"),
        }),
    )
}

/// `POST /v1/decide`: one request, or an array of them, in the format of
/// `atom query --requests`, answered in the same format.
async fn decide_batch(With(state): With<Shared>, headers: HeaderMap, body: Body) -> Response {
    let (body, active, id) = match begin(&state, &headers, body).await {
        Ok(started) => started,
        Err(r) => return *r,
    };
    let answer = match &body {
        Json::Array(items) if items.len() > MAX_EVALUATIONS => {
            return error(
                StatusCode::BAD_REQUEST,
                &format!(
                    "the batch holds {} requests; at most {MAX_EVALUATIONS}",
                    items.len()
                ),
            )
        }
        Json::Array(items) => Json::Array(
            items
                .iter()
                .map(|r| decide_one(&state, &active, &id, r))
                .collect(),
        ),
        one => decide_one(&state, &active, &id, one),
    };
    decided(&active, &id, &answer)
}

fn decide_one(state: &State, active: &Active, id: &str, request: &Json) -> Json {
    let started = Instant::now();
    let (json, answer) = crate::request::report::answer(&active.table.table(), request, false);
    record(state, active, id, started, || request.clone(), &answer);
    json
}

/// `POST /v1/plan` (`super::plan`).
async fn plan(With(state): With<Shared>, headers: HeaderMap, body: Body) -> Response {
    let (body, active, id) = match begin(&state, &headers, body).await {
        Ok(started) => started,
        Err(r) => return *r,
    };
    match super::plan::answer(&active, &body) {
        Ok(answer) => decided(&active, &id, &answer),
        Err((status, message)) => error(status, &message),
    }
}

async fn ready(With(state): With<Shared>) -> Response {
    match state.current() {
        Some(a) => json_response(
            StatusCode::OK,
            &json!({ "status": "ready", "revision": a.revision, "key_id": a.key_id, "sequence": a.sequence }),
        ),
        None => error(
            StatusCode::SERVICE_UNAVAILABLE,
            "no verified table is active yet",
        ),
    }
}

async fn metrics(With(state): With<Shared>) -> Response {
    (
        StatusCode::OK,
        [(
            "content-type",
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}
