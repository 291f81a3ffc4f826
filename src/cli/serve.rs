//! CLI: `atom serve`, the decision service (spec section 14); the work is in the library's `serve` module.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use miette::miette;

use crate::serve::{Config, Source, Trust};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// A compiled table (`.atomc`, production), or policy files and
    /// folders compiled in memory and rebuilt on change (development).
    #[arg(required = true)]
    pub source: Vec<PathBuf>,
    /// Where to serve HTTP: AuthZEN 1.0, `/v1/decide`, health and metrics.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8180")]
    pub http: SocketAddr,
    /// Where to serve gRPC: `atom.v1.AuthzService` and `grpc.health.v1`.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8181")]
    pub grpc: SocketAddr,
    /// A public key that may sign the table (repeat for several, as during
    /// a key rotation); tables not signed by one are refused.
    #[arg(long = "trusted-key", value_name = "KEY.pub")]
    pub trusted_keys: Vec<PathBuf>,
    /// Serve a table without a signature (when no `--trusted-key` is given).
    #[arg(long)]
    pub insecure_allow_unsigned: bool,
    /// Append a JSON line per decision to FILE.
    #[arg(long, value_name = "FILE")]
    pub decision_log: Option<PathBuf>,
    /// How often to look at the source's files for a change, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 500)]
    pub watch_interval: u64,
    /// How long a client may take to send a request's headers or body, in
    /// milliseconds; an idle connection is closed after it too.
    #[arg(long, value_name = "MS", default_value_t = 10_000)]
    pub read_timeout: u64,
    /// Listen on an address other than loopback without TLS or client
    /// authentication (which `atom serve` does not have yet): anyone who
    /// reaches the port can ask anything, the search endpoints included.
    #[arg(long)]
    pub insecure_listen: bool,
    /// The URL clients reach the HTTP server at (behind a proxy, say), for
    /// `/.well-known/authzen-configuration`; default: `http://` and the
    /// `--http` address.
    #[arg(long, value_name = "URL")]
    pub public_url: Option<String>,
}

pub fn run(args: ServeArgs) -> miette::Result<ExitCode> {
    let source = match args.source.as_slice() {
        [one] if one.is_file() && one.extension().is_none_or(|e| e != "atom") => {
            Source::Table(one.clone())
        }
        paths => Source::Sources(paths.to_vec()),
    };
    if matches!(source, Source::Sources(_)) && !args.trusted_keys.is_empty() {
        return Err(miette!(
            code = "atom::usage",
            help = "build and sign a table (`atom build --sign KEY`) and serve that",
            "`--trusted-key` checks signed tables; policy sources are compiled in memory, unsigned"
        ));
    }
    if matches!(source, Source::Table(_))
        && args.trusted_keys.is_empty()
        && !args.insecure_allow_unsigned
    {
        return Err(miette!(
            code = "atom::usage",
            help = "sign it with `atom sign TABLE --key KEY` and pass `--trusted-key KEY.pub`; or pass `--insecure-allow-unsigned` (for testing)",
            "a table is served only with a trusted key"
        ));
    }
    let open = [args.http, args.grpc]
        .into_iter()
        .find(|a| !a.ip().is_loopback());
    if let (Some(addr), false) = (open, args.insecure_listen) {
        return Err(miette!(
            code = "atom::usage",
            help = "listen on loopback behind a proxy that authenticates clients (and set `--public-url`), or pass `--insecure-listen` on a network you trust",
            "`{addr}` is not a loopback address, and the server has no TLS or client authentication"
        ));
    }
    if let Some(url) = &args.public_url {
        let parsed = url::Url::parse(url).ok().filter(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.host().is_some()
                && u.query().is_none()
                && u.fragment().is_none()
        });
        if parsed.is_none() {
            return Err(miette!(
                code = "atom::usage",
                "`--public-url` must be an http or https URL with a host, such as `https://pdp.example.com`"
            ));
        }
    }
    let trust = Trust {
        keys: super::sign::trusted_keys(&args.trusted_keys)?,
        allow_unsigned: args.insecure_allow_unsigned,
    };
    let config = Config {
        source,
        trust,
        http: args.http,
        grpc: Some(args.grpc),
        decision_log: args.decision_log,
        poll: Duration::from_millis(args.watch_interval.max(10)),
        read_timeout: Duration::from_millis(args.read_timeout.max(10)),
        public_url: args.public_url,
    };
    let runtime = tokio::runtime::Runtime::new()
        .map_err(|e| miette!(code = "atom::serve", "could not start the server: {e}"))?;
    runtime
        .block_on(crate::serve::run(config, |bound, _| {
            let line = serde_json::json!({
                "event": "listening",
                "http": bound.http.to_string(),
                "grpc": bound.grpc.map(|a| a.to_string()),
            });
            eprintln!("{line}");
        }))
        .map_err(|e| miette!(code = "atom::serve", "the server stopped: {e}"))?;
    Ok(ExitCode::SUCCESS)
}
