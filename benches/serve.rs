//! Load benchmark of `atom serve` on loopback: throughput and p50/p99
//! latency of single AuthZEN evaluations over HTTP (at a fixed 5,000
//! requests/s and flat out), of gRPC `Check`, and of 100-item
//! `evaluations` batches, on a generated scale-10 table (11,100 entities,
//! 4,000 blocks). The server runs in this process on its own tokio
//! runtime; the clients are threads (HTTP, `ureq` with keep-alive) or
//! tasks (gRPC, `tonic`). Every phase is bounded in time and stops by
//! itself. Run: `cargo bench --bench serve` (`ATOM_LOAD_SECONDS=N`, 5 by
//! default, sets each phase's length).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use atom::gen::{requests, Shape};
use atom::kinds::ObjectKind;
use atom::serve::grpc::proto::authz_service_client::AuthzServiceClient;
use atom::serve::grpc::proto::CheckRequest;
use atom::serve::{Bound, Config, Source, Trust};
use atom::table::format::NONE;
use atom::table::Table;
use serde_json::{json, Value};

fn table_file(dir: &std::path::Path) -> (std::path::PathBuf, Vec<Value>) {
    let shape = Shape::scale(10);
    let bytes = atom::gen::compiled(11, &shape).expect("the generated set checks clean");
    let path = dir.join("policy.atomc");
    std::fs::write(&path, &bytes).unwrap();
    let t = Table::from_bytes(&bytes).unwrap();
    let bodies = requests(5, &shape, 1024)
        .into_iter()
        .map(|r| {
            let o = t.object_named(&r.object).expect("generated objects exist");
            let ty = if t.object_type(o) == NONE {
                ObjectKind::from_code(t.object_kind(o))
                    .map_or("resource", ObjectKind::name)
                    .to_string()
            } else {
                t.type_name(t.object_type(o)).to_string()
            };
            json!({
                "subject": { "type": "user", "id": r.subject },
                "action": { "name": r.action },
                "resource": { "type": ty, "id": r.object },
                "context": { "protocol": "mqtt" },
            })
        })
        .collect();
    (path, bodies)
}

fn start(path: std::path::PathBuf) -> Bound {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let workers = std::env::var("ATOM_SERVE_WORKERS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(2);
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .enable_all()
            .build()
            .unwrap();
        let config = Config {
            source: Source::Table(path),
            trust: Trust {
                keys: Vec::new(),
                allow_unsigned: true,
            },
            http: "127.0.0.1:0".parse().unwrap(),
            grpc: Some("127.0.0.1:0".parse().unwrap()),
            decision_log: None,
            poll: Duration::from_secs(3600),
            read_timeout: Duration::from_secs(10),
            public_url: None,
        };
        let _ = rt.block_on(atom::serve::run(config, move |bound, _| {
            let _ = tx.send(bound);
        }));
    });
    rx.recv_timeout(Duration::from_secs(60))
        .expect("the server starts")
}

/// Latencies, sorted; with the phase's length.
struct Run {
    latencies: Vec<Duration>,
    seconds: f64,
    errors: usize,
}

impl Run {
    fn report(&mut self, name: &str, items_per_request: usize) {
        self.latencies.sort();
        let n = self.latencies.len();
        let at = |q: f64| {
            self.latencies
                .get(((n as f64 * q) as usize).min(n.saturating_sub(1)))
                .copied()
                .unwrap_or_default()
        };
        println!(
            "{name:<44} {:>9.0} req/s {:>10.0} decisions/s  p50 {:>8.1} µs  p99 {:>8.1} µs  errors {}",
            n as f64 / self.seconds,
            (n * items_per_request) as f64 / self.seconds,
            at(0.50).as_secs_f64() * 1e6,
            at(0.99).as_secs_f64() * 1e6,
            self.errors
        );
    }
}

/// `threads` clients POST bodies for `seconds`; with `rate`, the clients
/// together send that many requests a second (each on its own schedule).
fn http_load(url: &str, bodies: &[String], threads: usize, seconds: u64, rate: Option<f64>) -> Run {
    let stop_at = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let (url, bodies) = (url.to_string(), bodies.to_vec());
            std::thread::spawn(move || {
                let agent = ureq::Agent::new_with_config(
                    ureq::config::Config::builder()
                        .http_status_as_error(false)
                        .build(),
                );
                let (mut lat, mut errors) = (Vec::new(), 0);
                let interval = rate.map(|r| Duration::from_secs_f64(threads as f64 / r));
                let mut next = Instant::now();
                let mut k = i;
                while Instant::now() < stop_at {
                    if let Some(iv) = interval {
                        let now = Instant::now();
                        if next > now {
                            std::thread::sleep(next - now);
                        }
                        next += iv;
                    }
                    let t0 = Instant::now();
                    let ok = agent
                        .post(&url)
                        .header("content-type", "application/json")
                        .send(&bodies[k % bodies.len()])
                        .map(|mut r| r.status() == 200 && r.body_mut().read_to_string().is_ok())
                        .unwrap_or(false);
                    lat.push(t0.elapsed());
                    errors += usize::from(!ok);
                    k += threads;
                }
                (lat, errors)
            })
        })
        .collect();
    let mut run = Run {
        latencies: Vec::new(),
        seconds: 0.0,
        errors: 0,
    };
    for h in handles {
        let (lat, errors) = h.join().unwrap();
        run.latencies.extend(lat);
        run.errors += errors;
    }
    run.seconds = started.elapsed().as_secs_f64();
    run
}

fn grpc_load(addr: String, bodies: &[Value], tasks: usize, seconds: u64) -> Run {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let requests: Vec<CheckRequest> = bodies
        .iter()
        .map(|b| CheckRequest {
            subject_id: b["subject"]["id"].as_str().unwrap().to_string(),
            action: b["action"]["name"].as_str().unwrap().to_string(),
            resource_id: b["resource"]["id"].as_str().unwrap().to_string(),
            context: [("protocol".to_string(), "mqtt".to_string())]
                .into_iter()
                .collect(),
            object_kind: String::new(),
            object_id: String::new(),
        })
        .collect();
    rt.block_on(async move {
        let client = AuthzServiceClient::connect(addr)
            .await
            .expect("gRPC connects");
        let stop = Arc::new(AtomicBool::new(false));
        let started = Instant::now();
        let mut handles = Vec::new();
        for i in 0..tasks {
            let (mut client, requests, stop) = (client.clone(), requests.clone(), stop.clone());
            handles.push(tokio::spawn(async move {
                let (mut lat, mut errors, mut k) = (Vec::new(), 0, i);
                while !stop.load(Ordering::Relaxed) {
                    let t0 = Instant::now();
                    errors += usize::from(
                        client
                            .check(requests[k % requests.len()].clone())
                            .await
                            .is_err(),
                    );
                    lat.push(t0.elapsed());
                    k += tasks;
                }
                (lat, errors)
            }));
        }
        tokio::time::sleep(Duration::from_secs(seconds)).await;
        stop.store(true, Ordering::Relaxed);
        let mut run = Run {
            latencies: Vec::new(),
            seconds: 0.0,
            errors: 0,
        };
        for h in handles {
            let (lat, errors) = h.await.unwrap();
            run.latencies.extend(lat);
            run.errors += errors;
        }
        run.seconds = started.elapsed().as_secs_f64();
        run
    })
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument selects nothing here.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let seconds: u64 = std::env::var("ATOM_LOAD_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir().unwrap();
    let (path, bodies) = table_file(dir.path());
    let bound = start(path);
    let http = format!("http://{}", bound.http);
    let singles: Vec<String> = bodies.iter().map(Value::to_string).collect();
    let batches: Vec<String> = bodies
        .chunks(100)
        .map(|c| json!({ "evaluations": c }).to_string())
        .collect();
    println!(
        "atom serve, scale 10, {seconds} s a phase, on {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    // Warm up connections and caches.
    let _ = http_load(
        &format!("{http}/access/v1/evaluation"),
        &singles,
        4,
        1,
        None,
    );
    let paced: usize = std::env::var("ATOM_PACED_CLIENTS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    http_load(
        &format!("{http}/access/v1/evaluation"),
        &singles,
        paced,
        seconds,
        Some(5000.0),
    )
    .report(
        &format!("HTTP evaluation, paced at 5,000/s, {paced} clients"),
        1,
    );
    http_load(
        &format!("{http}/access/v1/evaluation"),
        &singles,
        8,
        seconds,
        None,
    )
    .report("HTTP evaluation, flat out, 8 clients", 1);
    http_load(
        &format!("{http}/access/v1/evaluations"),
        &batches,
        4,
        seconds,
        None,
    )
    .report("HTTP evaluations of 100, flat out, 4 clients", 100);
    grpc_load(
        format!("http://{}", bound.grpc.unwrap()),
        &bodies,
        16,
        seconds,
    )
    .report("gRPC Check, flat out, 16 streams", 1);
    server_side(&http);
}

/// The server's own view: how many decisions took at most 25 µs and
/// 100 µs inside the server (its histogram), against all of them.
fn server_side(http: &str) {
    let text = ureq::get(format!("{http}/metrics"))
        .call()
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let bucket = |le: &str| -> f64 {
        text.lines()
            .filter(|l| {
                l.starts_with("atom_authz_decision_duration_seconds_bucket")
                    && l.contains(&format!("le=\"{le}\""))
            })
            .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
            .sum()
    };
    let all = bucket("+Inf");
    println!(
        "inside the server: {:.2}% of {all} decisions within 25 µs, {:.3}% within 100 µs",
        100.0 * bucket("0.000025") / all,
        100.0 * bucket("0.0001") / all
    );
}
