//! Serve: `atom serve`, the decision service (spec section 14): AuthZEN 1.0 and `/v1/decide` over HTTP, Atom's gRPC API, reload without a gap.
//!
//! One process serves one table. [`state::State`] holds it behind an
//! `Arc` that a reload replaces whole: a request takes the `Arc` when it
//! starts and finishes on that table. [`reload`] watches the source (and
//! SIGHUP) and swaps in a new table only once it is read, validated and
//! verified; anything else is refused, logged and counted, and the last
//! good table keeps serving. Limits for hostile clients are in [`http`]
//! and [`listen`].

pub mod decide;
pub mod grpc;
pub mod http;
pub mod listen;
pub mod log;
pub mod metrics;
pub mod plan;
pub mod reload;
pub mod source;
pub mod state;

use std::net::SocketAddr;
use std::sync::Arc;

pub use source::{Source, Trust};
pub use state::State;

/// What to serve, and where.
pub struct Config {
    pub source: Source,
    pub trust: Trust,
    pub http: SocketAddr,
    pub grpc: Option<SocketAddr>,
    pub decision_log: Option<std::path::PathBuf>,
    /// How often the source's files are looked at for a change.
    pub poll: std::time::Duration,
    /// How long a client may take to send a request (`--read-timeout`).
    pub read_timeout: std::time::Duration,
    /// The URL clients reach the HTTP server at (`--public-url`), for the
    /// discovery document; without it, `http://` and the bound address.
    pub public_url: Option<String>,
}

/// Where the server listens, once bound (ports chosen by the OS are known).
#[derive(Clone, Copy, Debug)]
pub struct Bound {
    pub http: SocketAddr,
    pub grpc: Option<SocketAddr>,
}

/// Binds, loads the first table and serves until Ctrl-C or SIGTERM, then
/// stops accepting and lets the requests in flight finish.
/// `on_bound` is told the addresses once the sockets are open. A bad or
/// missing first table does not stop the server: it answers 503 and
/// `/readyz` says not ready until a good one arrives.
pub async fn run(config: Config, on_bound: impl FnOnce(Bound, &State)) -> std::io::Result<()> {
    let log = match &config.decision_log {
        Some(path) => Some(log::DecisionLog::open(path)?),
        None => None,
    };
    let state = Arc::new(State::new(
        config.source.clone(),
        config.trust.clone(),
        log,
        config.read_timeout,
    ));
    let http = tokio::net::TcpListener::bind(config.http).await?;
    let grpc = match config.grpc {
        Some(addr) => Some(tokio::net::TcpListener::bind(addr).await?),
        None => None,
    };
    let bound = Bound {
        http: http.local_addr()?,
        grpc: grpc
            .as_ref()
            .map(tokio::net::TcpListener::local_addr)
            .transpose()?,
    };
    let (health, health_service) = tonic_health::server::health_reporter();
    let public = match &config.public_url {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => format!("http://{}", bound.http),
    };
    let _ = state.public_url.set(public);
    reload::reload_now(&state, &health, "start").await;
    on_bound(bound, &state);
    let shutdown = shutdown_signal();
    let (stop, stopping) = tokio::sync::watch::channel(false);
    tokio::spawn(reload::watch(state.clone(), health.clone(), config.poll));
    let router = http::router(state.clone());
    let mut tasks = vec![tokio::spawn(listen::serve_http(
        http,
        router,
        config.read_timeout,
        stopping.clone(),
    ))];
    if let Some(grpc) = grpc {
        let service = grpc::proto::authz_service_server::AuthzServiceServer::new(grpc::Authz {
            state: state.clone(),
        })
        .max_decoding_message_size(http::MAX_BODY);
        tasks.push(tokio::spawn(listen::serve_grpc(
            grpc,
            service,
            health_service,
            config.read_timeout,
            stopping,
        )));
    }
    shutdown.await;
    // Accept no more; requests in flight finish (each loop waits at most
    // `listen::DRAIN` for them).
    let _ = stop.send(true);
    for task in tasks {
        let _ = task.await;
    }
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(s) => s,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}
