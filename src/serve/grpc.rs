//! Serve: Atom's gRPC API (`atom.v1.AuthzService/Check`) and `grpc.health.v1.Health`, wire-compatible with Atom.

use std::sync::Arc;
use std::time::Instant;

use serde_json::json;
use tonic::{Request, Response, Status};

use super::decide::record;
use super::state::State;
use crate::decision::{encode, Answer};
use crate::eval::{Decision, Reason, Value};
use crate::kinds::ObjectKind;
use crate::request::authzen::type_agrees;
use crate::request::{Either, OwnedRequest};

/// The code generated from `proto/atom/v1/authz.proto`.
pub mod proto {
    tonic::include_proto!("atom.v1");
}

use proto::authz_service_server::AuthzService;
use proto::{CheckRequest, CheckResponse};

/// The most context entries a `Check` may carry.
pub const MAX_CONTEXT: usize = 1024;

/// The gRPC service.
pub struct Authz {
    pub state: Arc<State>,
}

#[tonic::async_trait]
impl AuthzService for Authz {
    async fn check(
        &self,
        request: Request<CheckRequest>,
    ) -> Result<Response<CheckResponse>, Status> {
        let id = request
            .metadata()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map_or_else(|| self.state.next_id(), str::to_string);
        let r = request.into_inner();
        let active = self
            .state
            .current()
            .ok_or_else(|| Status::unavailable("no verified table is active yet"))?;
        let started = Instant::now();
        let t = active.table.table();
        let (owned, kind) = decode(&r)?;
        let object = target(&r)?.0;
        let decision = match (kind, t.object_named(object)) {
            (Some(k), Some(o)) if !type_agrees(&t, o, k) => Decision::deny(Reason::ObjectNotFound),
            // `decode` names both parties.
            _ => owned
                .decide_named(&t)
                .ok_or_else(|| Status::internal("a gRPC request names both parties"))?,
        };
        let logged = || json!({ "subject": r.subject_id, "action": r.action, "object": object, "object_kind": kind, "context": r.context });
        record(
            &self.state,
            &active,
            &id,
            started,
            logged,
            &Answer::Decided(decision),
        );
        let mut response = Response::new(CheckResponse {
            allowed: decision.allow,
            reason: encode::atom_reason(
                &t,
                &decision,
                kind.unwrap_or("resource"),
                &r.action,
                object,
            ),
        });
        if let Ok(v) = active.revision.parse() {
            response
                .metadata_mut()
                .insert(super::http::REVISION_HEADER, v);
        }
        Ok(response)
    }
}

/// The decoder: a `CheckRequest` as the typed request (both parties by
/// name, the context's values strings), and the object kind asked for;
/// Atom's checks and messages for what is missing or too large.
fn decode(r: &CheckRequest) -> Result<(OwnedRequest, Option<&str>), Status> {
    let (object, kind) = target(r)?;
    if r.subject_id.is_empty() || r.action.is_empty() {
        return Err(Status::invalid_argument(
            "subject_id and action are required",
        ));
    }
    if r.context.len() > MAX_CONTEXT {
        return Err(Status::invalid_argument(format!(
            "context holds {} entries; at most {MAX_CONTEXT}",
            r.context.len()
        )));
    }
    let mut context: Vec<(String, Value)> = r
        .context
        .iter()
        .map(|(k, v)| (k.clone(), Value::Str(v.clone())))
        .collect();
    context.sort_by(|a, b| a.0.cmp(&b.0));
    let owned = OwnedRequest {
        subject: Either::Name(r.subject_id.clone()),
        action: r.action.clone(),
        object: Either::Name(object.to_string()),
        context,
        id: None,
    };
    Ok((owned, kind))
}

/// The object's name and the kind asked for, checked as Atom checks them
/// (its messages, `INVALID_ARGUMENT`): `object_kind` and `object_id` go
/// together and win over `resource_id`; the kind must be an object kind.
fn target(r: &CheckRequest) -> Result<(&str, Option<&str>), Status> {
    let (kind, id) = (r.object_kind.as_str(), r.object_id.as_str());
    if kind.is_empty() && id.is_empty() {
        return match r.resource_id.as_str() {
            "" => Err(Status::invalid_argument(
                "authz check requires either resource_id or (object_kind, object_id)",
            )),
            id => Ok((id, None)),
        };
    }
    if kind.is_empty() {
        return Err(Status::invalid_argument(
            "object_kind is required when object_id is provided",
        ));
    }
    if id.is_empty() {
        return Err(Status::invalid_argument(
            "object_id is required when object_kind is provided",
        ));
    }
    if ObjectKind::from_name(kind).is_none() {
        let supported: Vec<&str> = ObjectKind::ALL.iter().map(|k| k.name()).collect();
        return Err(Status::invalid_argument(format!(
            "unsupported object_kind '{kind}' (supported: {})",
            supported.join(", ")
        )));
    }
    Ok((id, Some(kind)))
}
