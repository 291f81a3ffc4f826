//! `atom serve` over HTTP: AuthZEN 1.0 evaluation, evaluations, search and
//! metadata; `/v1/decide` against `atom query --requests`; operations
//! endpoints; limits for hostile clients. Servers run on loopback ports the
//! OS picks, on a copy of the repository's `policies/` (development mode).
#![cfg(feature = "serve")]

mod support;

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::server::Server;

fn policies() -> tempfile::TempDir {
    support::server::example_project()
}

fn serve() -> (tempfile::TempDir, Server) {
    let dir = policies();
    let server = Server::start(dir.path(), &["policies"]);
    server.wait_ready(None);
    (dir, server)
}

fn meter() -> Value {
    json!({ "type": "device", "id": "factory-a/meter-001" })
}

fn channel(id: &str) -> Value {
    json!({ "type": "channel", "id": id })
}

#[test]
fn an_evaluation_answers_the_decision_its_reason_and_the_revision() {
    let (_dir, s) = serve();
    let allow = s.post_with(
        "/access/v1/evaluation",
        &json!({ "subject": meter(), "action": { "name": "publish" }, "resource": channel("factory-a/telemetry"), "context": { "protocol": "mqtt" } }).to_string(),
        &[("x-request-id", "req-42")],
    );
    assert_eq!(allow.status, 200, "{}", allow.text);
    assert_eq!(allow.body["decision"], true);
    assert_eq!(allow.body["context"]["reason"], "allowed_by");
    assert_eq!(allow.body["context"]["block"], "factory-a/publish-plant-a");
    assert_eq!(allow.request_id.as_deref(), Some("req-42"));
    let revision = allow.revision.expect("every decision names its revision");
    assert!(revision.starts_with("sha256:"), "{revision}");

    let deny = s.post("/access/v1/evaluation", &json!({ "subject": meter(), "action": { "name": "publish" }, "resource": channel("factory-a/alerts"), "context": { "protocol": "mqtt" } }));
    assert_eq!(
        (
            deny.body["decision"].clone(),
            deny.body["context"]["reason"].clone()
        ),
        (json!(false), json!("denied_by"))
    );
    // A declared name with another type is not that object.
    let wrong_type = s.post("/access/v1/evaluation", &json!({ "subject": meter(), "action": { "name": "publish" }, "resource": { "type": "report", "id": "factory-a/telemetry" } }));
    assert_eq!(wrong_type.body["context"]["reason"], "object_not_found");
    let wrong_kind = s.post("/access/v1/evaluation", &json!({ "subject": { "type": "human", "id": "factory-a/meter-001" }, "action": { "name": "read" }, "resource": channel("factory-a/telemetry") }));
    assert_eq!(wrong_kind.body["context"]["reason"], "subject_not_found");
    // `subject.type` that is not an entity kind does not constrain.
    let user = s.post("/access/v1/evaluation", &json!({ "subject": { "type": "user", "id": "factory-a/alice" }, "action": { "name": "read" }, "resource": channel("factory-a/telemetry") }));
    assert_eq!(user.body["decision"], true, "{}", user.text);
}

#[test]
fn described_subjects_and_resources_obey_section_6_1() {
    let (_dir, s) = serve();
    let described = json!({
        "subject": { "type": "human", "id": "factory-a/nina", "properties": { "tenant": "factory-a", "status": "active", "groups": ["factory-a/night-shift"] } },
        "action": { "name": "read" },
        "resource": channel("factory-a/telemetry"),
    });
    let a = s.post("/access/v1/evaluation", &described);
    assert_eq!(a.body["decision"], true, "{}", a.text);
    // A misspelled key is an error that names it and the nearest key.
    let mut typo = described.clone();
    typo["subject"]["properties"]["grups"] = json!([]);
    let e = s.post("/access/v1/evaluation", &typo);
    assert_eq!(e.status, 400);
    assert!(
        e.body["error"]
            .as_str()
            .unwrap()
            .contains("`subject.properties.groups`"),
        "{}",
        e.text
    );
    // A described object: `tenant` and `group` are the section 6.1 keys.
    let object = json!({
        "subject": meter(), "action": { "name": "publish" }, "context": { "protocol": "mqtt" },
        "resource": { "type": "channel", "id": "factory-a/new-line", "properties": { "tenant": "factory-a", "group": "factory-a/line-1", "site": "plant-a" } },
    });
    assert_eq!(
        s.post("/access/v1/evaluation", &object).body["decision"],
        true
    );
    let mut other_site = object.clone();
    other_site["resource"]["properties"]["site"] = json!("plant-b");
    assert_eq!(
        s.post("/access/v1/evaluation", &other_site).body["context"]["reason"],
        "no_matching_allow"
    );
}

#[test]
fn evaluations_take_defaults_and_every_semantic() {
    let (_dir, s) = serve();
    let body = |semantic: Option<&str>| {
        let mut b = json!({
            "subject": meter(),
            "action": { "name": "publish" },
            "context": { "protocol": "mqtt" },
            "evaluations": [
                { "resource": channel("factory-a/telemetry") },
                { "resource": channel("factory-a/alerts") },
                { "action": { "name": "subscribe" }, "resource": channel("factory-a/telemetry") },
                { "resource": { "type": "channel" } },
            ],
        });
        if let Some(sem) = semantic {
            b["options"] = json!({ "evaluations_semantic": sem });
        }
        b
    };
    let decisions = |a: &support::server::Answer| -> Vec<Value> {
        a.body["evaluations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["decision"].clone())
            .collect()
    };
    let all = s.post("/access/v1/evaluations", &body(None));
    assert_eq!(
        decisions(&all),
        [json!(true), json!(false), json!(true), json!(false)],
        "{}",
        all.text
    );
    // The fourth lacks `resource.id`: an error for that item only.
    assert_eq!(
        all.body["evaluations"][3]["context"]["error"]["status"],
        400
    );
    assert_eq!(
        decisions(&s.post("/access/v1/evaluations", &body(Some("execute_all")))).len(),
        4
    );
    assert_eq!(
        decisions(&s.post("/access/v1/evaluations", &body(Some("deny_on_first_deny")))),
        [json!(true), json!(false)]
    );
    assert_eq!(
        decisions(&s.post(
            "/access/v1/evaluations",
            &body(Some("permit_on_first_permit"))
        )),
        [json!(true)]
    );
    assert_eq!(
        s.post("/access/v1/evaluations", &body(Some("first_wins")))
            .status,
        400
    );
    // Without `evaluations` it is a single evaluation.
    let single = s.post("/access/v1/evaluations", &json!({ "subject": meter(), "action": { "name": "publish" }, "resource": channel("factory-a/telemetry"), "context": { "protocol": "mqtt" } }));
    assert_eq!(single.body["decision"], true, "{}", single.text);
}

/// Every page of a search, followed to the end with `limit`.
fn all_pages(s: &Server, path: &str, mut body: Value, limit: u64) -> Vec<Value> {
    body["page"] = json!({ "limit": limit });
    let mut out = Vec::new();
    for _ in 0..10_000 {
        let a = s.post(path, &body);
        assert_eq!(a.status, 200, "{}", a.text);
        let results = a.body["results"].as_array().unwrap();
        assert!(results.len() as u64 <= limit);
        assert_eq!(a.body["page"]["count"], results.len());
        out.extend(results.iter().cloned());
        let next = a.body["page"]["next_token"].as_str().unwrap();
        if next.is_empty() {
            return out;
        }
        body["page"] = json!({ "limit": limit, "token": next });
    }
    panic!("the search never ended");
}

#[test]
fn searches_are_complete_and_paginated() {
    let (_dir, s) = serve();
    let ctx = json!({ "protocol": "mqtt" });
    // Resources: every channel the meter may publish to, page by page,
    // equals deciding every declared channel one by one.
    let found = all_pages(
        &s,
        "/access/v1/search/resource",
        json!({ "subject": meter(), "action": { "name": "publish" }, "resource": { "type": "channel" }, "context": ctx }),
        1,
    );
    let whole = all_pages(
        &s,
        "/access/v1/search/resource",
        json!({ "subject": meter(), "action": { "name": "subscribe" }, "resource": { "type": "channel" }, "context": ctx }),
        1000,
    );
    assert_eq!(
        found,
        vec![json!({ "type": "channel", "id": "factory-a/telemetry" })]
    );
    assert_eq!(whole.len(), 2, "{whole:?}");
    for channel_id in ["factory-a/telemetry", "factory-a/alerts"] {
        let one = s.post("/access/v1/evaluation", &json!({ "subject": meter(), "action": { "name": "publish" }, "resource": channel(channel_id), "context": ctx }));
        assert_eq!(
            one.body["decision"] == true,
            found.iter().any(|r| r["id"] == channel_id)
        );
    }
    // Subjects: `type` filters by kind when it is an entity kind.
    let readers = all_pages(
        &s,
        "/access/v1/search/subject",
        json!({ "subject": { "type": "human" }, "action": { "name": "read" }, "resource": channel("factory-a/telemetry") }),
        1,
    );
    assert!(
        readers.contains(&json!({ "type": "human", "id": "factory-a/alice" })),
        "{readers:?}"
    );
    assert!(readers.iter().all(|r| r["type"] == "human"));
    // Actions.
    let actions = all_pages(
        &s,
        "/access/v1/search/action",
        json!({ "subject": meter(), "resource": channel("factory-a/telemetry"), "context": ctx }),
        2,
    );
    assert_eq!(
        actions,
        [
            json!({ "name": "read" }),
            json!({ "name": "publish" }),
            json!({ "name": "subscribe" })
        ]
    );
    // A token from another search is refused.
    let first = s.post("/access/v1/search/action", &json!({ "subject": meter(), "resource": channel("factory-a/telemetry"), "context": ctx, "page": { "limit": 1 } }));
    let token = first.body["page"]["next_token"]
        .as_str()
        .unwrap()
        .to_string();
    let other = s.post("/access/v1/search/action", &json!({ "subject": meter(), "resource": channel("factory-a/alerts"), "context": ctx, "page": { "limit": 1, "token": token } }));
    assert_eq!(other.status, 400, "{}", other.text);
}

#[test]
fn the_metadata_document_names_every_endpoint() {
    let (_dir, s) = serve();
    let a = s.get("/.well-known/authzen-configuration");
    assert_eq!(a.status, 200);
    let base = a.body["policy_decision_point"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(base, s.http);
    for (key, path) in [
        ("access_evaluation_endpoint", "/access/v1/evaluation"),
        ("access_evaluations_endpoint", "/access/v1/evaluations"),
        ("search_subject_endpoint", "/access/v1/search/subject"),
        ("search_resource_endpoint", "/access/v1/search/resource"),
        ("search_action_endpoint", "/access/v1/search/action"),
    ] {
        assert_eq!(a.body[key], format!("{base}{path}"));
    }
}

/// The discovery document is built on the configured public URL, never on
/// the request's `Host` (a client could point others elsewhere); a URL
/// that is not http(s) with a host is refused at start.
#[test]
fn the_metadata_document_uses_the_public_url_not_the_host_header() {
    let (_dir, s) = serve();
    let spoofed = s.get_with(
        "/.well-known/authzen-configuration",
        &[("host", "evil.example")],
    );
    assert_eq!(spoofed.body["policy_decision_point"], s.http.as_str());
    let dir = policies();
    let proxied = Server::start(
        dir.path(),
        &["policies", "--public-url", "https://pdp.example.com/"],
    );
    proxied.wait_ready(None);
    let a = proxied.get_with(
        "/.well-known/authzen-configuration",
        &[("host", "evil.example")],
    );
    assert_eq!(a.body["policy_decision_point"], "https://pdp.example.com");
    assert_eq!(
        a.body["access_evaluation_endpoint"],
        "https://pdp.example.com/access/v1/evaluation"
    );
    for bad in [
        "ftp://pdp.example.com",
        "pdp.example.com",
        "https://pdp.example.com/?x=1",
    ] {
        let out = support::cli::atom(
            dir.path(),
            &[
                "serve",
                "policies",
                "--public-url",
                bad,
                "--http",
                "127.0.0.1:0",
                "--grpc",
                "127.0.0.1:0",
            ],
        );
        assert_eq!(support::cli::code(&out), 2, "{bad}");
    }
}

/// Without TLS or client authentication, the server listens on loopback
/// only, unless told the network is trusted.
#[test]
fn a_non_loopback_address_is_refused_without_insecure_listen() {
    let dir = policies();
    for (flag, addr) in [("--http", "0.0.0.0:0"), ("--grpc", "0.0.0.0:0")] {
        let other = if flag == "--http" { "--grpc" } else { "--http" };
        let out = support::cli::atom(
            dir.path(),
            &["serve", "policies", flag, addr, other, "127.0.0.1:0"],
        );
        assert_eq!(support::cli::code(&out), 2, "{flag}");
        let stderr = support::cli::text(&out.stderr);
        assert!(stderr.contains("is not a loopback address"), "{stderr}");
    }
}

/// SIGHUP reopens the decision log by name: after a rotation renamed the
/// file, the records go on in a new file at the configured path.
#[test]
fn sighup_reopens_the_decision_log() {
    let (dir, log, s) = logging_server();
    let body = json!({ "subject": meter(), "action": { "name": "publish" }, "resource": channel("factory-a/alerts") }).to_string();
    s.post_with(
        "/access/v1/evaluation",
        &body,
        &[("x-request-id", "before-rotation")],
    );
    let rotated = dir.path().join("decisions.jsonl.1");
    std::fs::rename(&log, &rotated).unwrap();
    let status = std::process::Command::new("kill")
        .args(["-HUP", &s.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    s.wait_log("decision_log_reopened");
    s.post_with(
        "/access/v1/evaluation",
        &body,
        &[("x-request-id", "after-rotation")],
    );
    let old = std::fs::read_to_string(&rotated).unwrap();
    let new = std::fs::read_to_string(&log).unwrap();
    assert!(
        old.contains("before-rotation") && !old.contains("after-rotation"),
        "{old}"
    );
    assert!(
        new.contains("after-rotation") && !new.contains("before-rotation"),
        "{new}"
    );
}

#[test]
fn decide_answers_as_atom_query_requests_does() {
    let (dir, s) = serve();
    let requests = [
        json!({ "subject": "factory-a/meter-001", "action": "publish", "object": "factory-a/telemetry", "context": { "protocol": "mqtt" }, "id": 1 }),
        json!({ "subject": "factory-a/meter-001", "action": "publish", "object": "factory-a/alerts", "id": "two" }),
        json!({ "subject": { "id": "nina", "kind": "human", "tenant": "factory-a", "status": "active", "groups": ["factory-a/night-shift"] }, "action": "read", "object": "factory-a/telemetry" }),
        json!({ "subject": { "id": "nina", "kind": "human", "stauts": "active" }, "action": "read", "object": "factory-a/telemetry" }),
        json!({ "subject": "factory-a/meter-002", "action": "publish", "object": "factory-a/telemetry" }),
    ];
    let lines: String = requests.iter().map(|r| format!("{r}\n")).collect();
    let out = support::cli::atom_with_stdin(
        dir.path(),
        &["query", "--sources", "policies", "--requests", "-"],
        &lines,
    );
    let mut expected: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    for e in &mut expected {
        e.as_object_mut().unwrap().remove("line");
    }
    assert_eq!(expected.len(), requests.len());
    let batch = s.post("/v1/decide", &Value::Array(requests.to_vec()));
    assert_eq!(batch.body, Value::Array(expected.clone()), "{}", batch.text);
    let one = s.post("/v1/decide", &requests[0]);
    assert_eq!(one.body, expected[0]);
}

/// A server on the example policies that logs its decisions to the
/// returned file.
fn logging_server() -> (tempfile::TempDir, std::path::PathBuf, Server) {
    let dir = policies();
    let log = dir.path().join("decisions.jsonl");
    let s = Server::start(
        dir.path(),
        &["policies", "--decision-log", log.to_str().unwrap()],
    );
    s.wait_ready(None);
    (dir, log, s)
}

#[test]
fn operations_endpoints_health_readiness_metrics_and_decision_logs() {
    let (_dir, log, s) = logging_server();
    assert_eq!(s.get("/healthz").status, 200);
    let a = s.post_with("/access/v1/evaluation", &json!({ "subject": meter(), "action": { "name": "publish" }, "resource": channel("factory-a/alerts") }).to_string(), &[("x-request-id", "log-me")]);
    assert_eq!(a.body["decision"], false);
    let metrics = s.get("/metrics").text;
    assert!(
        metrics.contains("# TYPE atom_authz_decision_duration_seconds histogram"),
        "{metrics}"
    );
    assert!(
        metrics.contains(
            "atom_authz_decision_duration_seconds_bucket{le=\"0.000001\",result=\"deny\"}"
        ),
        "{metrics}"
    );
    assert!(
        metrics.contains("atom_decisions_total{result=\"deny\",reason=\"denied_by\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains(&format!(
            "atom_table_info{{revision=\"{}\",key_id=\"\"}} 1",
            a.revision.unwrap()
        )),
        "{metrics}"
    );
    assert!(
        metrics.contains("atom_table_reload_total{result=\"ok\"} 1"),
        "{metrics}"
    );
    let line = std::fs::read_to_string(&log).unwrap();
    let record: Value = serde_json::from_str(line.lines().last().unwrap()).unwrap();
    assert_eq!(record["id"], "log-me");
    // The answer as atom's JSON gives it, with the deciding block and its
    // grant path.
    assert_eq!(record["decision"], "deny");
    assert_eq!(record["allow"], false);
    assert_eq!(record["reason"], "denied_by");
    assert_eq!(record["block"], "factory-a/no-alerts");
    assert_eq!(
        record["via"], "grant factory-a/no-alerts to factory-a/meter-001",
        "{record}"
    );
    assert_eq!(record["request"]["resource"]["id"], "factory-a/alerts");
    assert!(record["time"].as_str().unwrap().ends_with('Z'));
}

/// A batch logs each item as sent, and its defaults once (with the first
/// item), never copied into every record: a batch's log is never larger
/// than the batch.
#[test]
fn a_batch_logs_its_defaults_once() {
    let (_dir, log, s) = logging_server();
    let padding = "x".repeat(100_000);
    let items: Vec<Value> = (0..5)
        .map(|_| json!({ "resource": channel("factory-a/telemetry") }))
        .collect();
    let batch = json!({ "subject": meter(), "action": { "name": "publish" },
        "context": { "protocol": "mqtt", "padding": padding }, "evaluations": items });
    let a = s.post_with(
        "/access/v1/evaluations",
        &batch.to_string(),
        &[("x-request-id", "batch")],
    );
    assert_eq!(a.status, 200, "{}", a.text);
    let lines = std::fs::read_to_string(&log).unwrap();
    let records: Vec<Value> = lines
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["id"] == "batch")
        .collect();
    assert_eq!(records.len(), 5);
    assert_eq!(
        records[0]["request"]["defaults"]["context"]["padding"]
            .as_str()
            .map(str::len),
        Some(100_000)
    );
    assert!(records[1..]
        .iter()
        .all(|r| r["request"].get("defaults").is_none()));
    assert!(
        lines.len() < 150_000,
        "the defaults were copied: {} bytes",
        lines.len()
    );
}

/// Every answer echoes `X-Request-ID`, errors included, and a body sent
/// without `Content-Type: application/json` is a 400 (spec section 14).
#[test]
fn every_answer_echoes_the_request_id_and_json_needs_its_content_type() {
    let (_dir, s) = serve();
    let id = [("x-request-id", "echo-me")];
    let missing = s.post_with("/no/such/endpoint", "{}", &id);
    assert_eq!(
        (missing.status, missing.request_id.as_deref()),
        (404, Some("echo-me"))
    );
    let malformed = s.post_with("/access/v1/evaluation", "{", &id);
    assert_eq!(
        (malformed.status, malformed.request_id.as_deref()),
        (400, Some("echo-me"))
    );
    let addr = s.http.trim_start_matches("http://").to_string();
    let body = json!({ "subject": meter(), "action": { "name": "publish" }, "resource": channel("factory-a/telemetry") }).to_string();
    for content_type in [
        "",
        "Content-Type: text/plain\r\n",
        "Content-Type: application/x-www-form-urlencoded\r\n",
    ] {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        let request = format!(
            "POST /access/v1/evaluation HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Request-ID: typed\r\n{content_type}Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        assert!(
            answer.starts_with("HTTP/1.1 400"),
            "{content_type:?}: {answer}"
        );
        assert!(
            answer.to_lowercase().contains("x-request-id: typed"),
            "{answer}"
        );
        assert!(
            answer.contains("Content-Type: application/json"),
            "{answer}"
        );
    }
    let typed = s.post_with(
        "/access/v1/evaluation",
        &body,
        &[("content-type", "application/json; charset=utf-8")],
    );
    assert_eq!(typed.status, 200, "{}", typed.text);
}

#[test]
fn hostile_clients_get_errors_and_never_stall_the_others() {
    let dir = policies();
    let s = Server::start(dir.path(), &["policies", "--read-timeout", "500"]);
    s.wait_ready(None);
    let malformed = s.post_with("/access/v1/evaluation", "{\"subject\":", &[]);
    assert_eq!(malformed.status, 400);
    assert!(malformed.body["error"]
        .as_str()
        .unwrap()
        .contains("malformed JSON"));
    // A key given twice is refused, never read as its last value, on every
    // JSON door: AuthZEN and `/v1/decide`.
    for (path, body) in [
        (
            "/access/v1/evaluation",
            r#"{"subject":{"type":"device","id":"factory-a/meter-002","id":"factory-a/meter-001"},"action":{"name":"publish"},"resource":{"type":"channel","id":"factory-a/telemetry"},"context":{"protocol":"mqtt"}}"#,
        ),
        (
            "/v1/decide",
            r#"{"subject":"factory-a/meter-001","action":"publish","object":"factory-a/telemetry","context":{"protocol":"http","protocol":"mqtt"}}"#,
        ),
    ] {
        let twice = s.post_with(path, body, &[]);
        assert_eq!(twice.status, 400, "{path}: {:?}", twice.body);
        let error = twice.body["error"].as_str().unwrap_or_default().to_string();
        assert!(error.contains("is given twice"), "{path}: {error}");
    }
    let addr = s.http.trim_start_matches("http://").to_string();
    // A body over 1 MiB is refused from its declared length, unread...
    let mut big = std::net::TcpStream::connect(&addr).unwrap();
    big.write_all(
        b"POST /access/v1/evaluation HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n{",
    )
    .unwrap();
    let mut head = [0u8; 12];
    big.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 413");
    // ...and when it is sent without a length, once 1 MiB has arrived.
    let mut chunked = std::net::TcpStream::connect(&addr).unwrap();
    chunked
        .write_all(b"POST /v1/decide HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        .unwrap();
    let chunk = format!("{:x}\r\n{}\r\n", 1 << 16, "x".repeat(1 << 16));
    for _ in 0..17 {
        if chunked.write_all(chunk.as_bytes()).is_err() {
            break;
        }
    }
    let mut head = [0u8; 12];
    chunked.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 413");
    let batch = json!({ "subject": meter(), "action": { "name": "read" }, "evaluations": vec![json!({ "resource": channel("factory-a/telemetry") }); 1001] });
    assert_eq!(s.post("/access/v1/evaluations", &batch).status, 400);
    assert_eq!(
        s.post("/v1/decide", &Value::Array(vec![json!({}); 1001]))
            .status,
        400
    );
    assert_eq!(s.post("/access/v1/evaluation", &json!([1, 2])).status, 400);
    assert_eq!(s.get("/nowhere").status, 404);

    // A client that sends half its headers and stops holds only its own
    // connection: others are answered meanwhile, and it is cut off.
    let mut slow = std::net::TcpStream::connect(&addr).unwrap();
    slow.write_all(b"POST /access/v1/evaluation HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    let started = Instant::now();
    let ok = s.post("/access/v1/evaluation", &json!({ "subject": meter(), "action": { "name": "read" }, "resource": channel("factory-a/telemetry") }));
    assert_eq!(ok.status, 200);
    assert!(
        started.elapsed() < Duration::from_millis(400),
        "answered while a slow client waits"
    );
    slow.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut rest = Vec::new();
    let _ = slow.read_to_end(&mut rest);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "the slow connection is closed after the read timeout"
    );
    // An idle connection is closed too.
    let mut idle = std::net::TcpStream::connect(&addr).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let idle_start = Instant::now();
    let n = idle.read(&mut [0u8; 64]).unwrap_or(0);
    assert!(n == 0 || idle_start.elapsed() < Duration::from_secs(5));
    assert!(idle_start.elapsed() < Duration::from_secs(5));
}

#[test]
fn sigterm_lets_the_request_in_flight_finish_then_exits() {
    let dir = policies();
    let mut s = Server::start(dir.path(), &["policies"]);
    s.wait_ready(None);
    let addr = s.http.trim_start_matches("http://").to_string();
    let body = json!({ "subject": meter(), "action": { "name": "read" }, "resource": channel("factory-a/telemetry") }).to_string();
    let (head, tail) = body.split_at(body.len() / 2);
    let mut in_flight = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        in_flight,
        "POST /access/v1/evaluation HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{head}",
        body.len()
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(100));
    let pid = s.pid().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    std::thread::sleep(Duration::from_millis(200));
    in_flight.write_all(tail.as_bytes()).unwrap();
    in_flight
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut answer = String::new();
    let _ = in_flight.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"decision\":true"), "{answer}");
    let status = s
        .wait_exit(Duration::from_secs(15))
        .expect("the server exits after draining");
    assert!(status.success(), "{status:?}");
}
