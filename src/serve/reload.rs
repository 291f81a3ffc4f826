//! Serve: reload without a gap, on a change of the source's files (polled) and on SIGHUP.

use std::sync::Arc;
use std::time::Duration;

use tonic_health::server::HealthReporter;
use tonic_health::ServingStatus;

use super::grpc::proto::authz_service_server::AuthzServiceServer;
use super::grpc::Authz;
use super::state::{Reloaded, State};

/// Loads the source now (off the async threads: compiling can take a
/// while), logs the outcome as a JSON line on stderr, and sets the gRPC
/// health status.
pub async fn reload_now(state: &Arc<State>, health: &HealthReporter, why: &str) -> bool {
    let s = state.clone();
    let outcome = tokio::task::spawn_blocking(move || s.reload()).await;
    let line = match &outcome {
        Ok(Reloaded::Swapped(a)) => serde_json::json!({
            "time": super::log::now(), "event": "table_loaded", "trigger": why,
            "revision": a.revision, "key_id": a.key_id, "sequence": a.sequence, "sha256": a.sha256,
        }),
        Ok(Reloaded::Unchanged) => return true,
        Ok(Reloaded::Refused(e)) => serde_json::json!({
            "time": super::log::now(), "event": "table_refused", "trigger": why, "error": e,
            "serving": state.current().map(|a| a.revision.clone()),
        }),
        Err(_) => {
            serde_json::json!({ "time": super::log::now(), "event": "table_refused", "trigger": why, "error": "the load failed" })
        }
    };
    eprintln!("{line}");
    let serving = state.current().is_some();
    let status = if serving {
        ServingStatus::Serving
    } else {
        ServingStatus::NotServing
    };
    health.set_service_status("", status).await;
    let name = <AuthzServiceServer<Authz> as tonic::server::NamedService>::NAME;
    health.set_service_status(name, status).await;
    matches!(outcome, Ok(Reloaded::Swapped(_)))
}

/// Watches the source: polls its files every `poll`, and reloads on a
/// change and on SIGHUP (which also reopens the decision log by name). A change is acted on once the files have stayed
/// the same for one more poll, so that a table and its signature written
/// one after the other are read as a pair. Runs until the process ends.
pub async fn watch(state: Arc<State>, health: HealthReporter, poll: Duration) {
    let mut seen = state.source.fingerprint();
    let mut settling = false;
    #[cfg(unix)]
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup()).ok();
    let mut tick = tokio::time::interval(poll);
    loop {
        #[cfg(unix)]
        let signal = async {
            match hup.as_mut() {
                Some(h) => h.recv().await,
                None => std::future::pending().await,
            }
        };
        #[cfg(not(unix))]
        let signal = std::future::pending::<Option<()>>();
        tokio::select! {
            _ = tick.tick() => {
                let now = state.source.fingerprint();
                if now != seen {
                    seen = now;
                    settling = true;
                } else if settling {
                    settling = false;
                    reload_now(&state, &health, "change").await;
                }
            }
            _ = signal => {
                if let Some(log) = &state.log {
                    let line = match log.reopen() {
                        Ok(()) => serde_json::json!({"time": super::log::now(), "event": "decision_log_reopened"}),
                        Err(e) => serde_json::json!({"time": super::log::now(), "event": "decision_log_kept", "error": e.to_string()}),
                    };
                    eprintln!("{line}");
                }
                seen = state.source.fingerprint();
                settling = false;
                reload_now(&state, &health, "sighup").await;
            }
        }
    }
}
