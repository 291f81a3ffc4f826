//! Serve: the accept loops, with per-connection timeouts so that a slow or idle client only ever holds its own connection.
//!
//! Both loops stop when `stop` turns true: they accept no more, let the
//! requests in flight finish (at most [`DRAIN`]), and return.

use std::time::Duration;

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tonic_health::pb::health_server::{Health, HealthServer};

use super::grpc::proto::authz_service_server::AuthzServiceServer;
use super::grpc::Authz;

/// The default of `--read-timeout`: how long a client may take to send a
/// request's headers (an idle keep-alive connection is closed after it
/// too) and, over gRPC, to be answered.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The most connections served at once; more wait in the kernel's queue.
pub const MAX_CONNECTIONS: usize = 4096;
/// How long a shutdown waits for requests in flight.
pub const DRAIN: Duration = Duration::from_secs(10);

/// Resolves once `stop` turns true (or its sender is gone).
async fn stopped(mut stop: watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Serves HTTP/1.1 on `listener`, one task per connection, until `stop`.
pub async fn serve_http(
    listener: TcpListener,
    router: Router,
    timeout: Duration,
    stop: watch::Receiver<bool>,
) {
    let permits = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let graceful = GracefulShutdown::new();
    let halt = stopped(stop);
    tokio::pin!(halt);
    loop {
        let permit = tokio::select! {
            p = permits.clone().acquire_owned() => match p { Ok(p) => p, Err(_) => break },
            () = &mut halt => break,
        };
        let accepted = tokio::select! {
            a = listener.accept() => a,
            () = &mut halt => break,
        };
        let Ok((stream, _)) = accepted else {
            // Out of descriptors and the like: wait a little, keep serving.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(timeout)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            let _ = connection.await;
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(DRAIN) => {}
    }
}

/// Serves gRPC (HTTP/2) on `listener`: the Check service and health.
pub async fn serve_grpc(
    listener: TcpListener,
    service: AuthzServiceServer<Authz>,
    health: HealthServer<impl Health>,
    timeout: Duration,
    stop: watch::Receiver<bool>,
) {
    let incoming = tonic::transport::server::TcpIncoming::from(listener).with_nodelay(Some(true));
    let _ = tonic::transport::Server::builder()
        .timeout(timeout)
        .http2_keepalive_interval(Some(Duration::from_secs(30)))
        .http2_keepalive_timeout(Some(timeout))
        .concurrency_limit_per_connection(256)
        .add_service(health)
        .add_service(service)
        .serve_with_incoming_shutdown(incoming, stopped(stop))
        .await;
}
