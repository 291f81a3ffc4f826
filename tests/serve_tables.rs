//! `atom serve` with signed tables (spec section 15) and reload without a
//! gap (section 14): every refusal, key rotation, garbage over the served
//! table, reload under concurrent load, and Atom's gRPC API.
#![cfg(feature = "serve")]

mod support;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use support::cli::atom;
use support::server::Server;

/// A project with the repository's policies, and a second version of them
/// in which `meter-001` loses its deny on alerts.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        for v in ["v1", "v2"] {
            std::fs::create_dir(dir.path().join(v)).unwrap();
            for entry in
                std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/policies")).unwrap()
            {
                let path = entry.unwrap().path();
                let mut text = std::fs::read_to_string(&path).unwrap();
                if v == "v2" {
                    text = text.replace("  grant no-alerts to meter-001 // direct policy\n", "");
                    text = text.replace("  block no-alerts { deny publish on alerts }\n", "");
                    text = text.replace(
                        "  deny factory-a/meter-001 publish factory-a/alerts because denied_by\n",
                        "",
                    );
                }
                std::fs::write(dir.path().join(v).join(path.file_name().unwrap()), text).unwrap();
            }
        }
        let p = Project { dir };
        for key in ["k1", "k2"] {
            p.ok(&["keygen", "-o", key]);
        }
        p
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn ok(&self, args: &[&str]) {
        let out = atom(self.dir.path(), args);
        assert!(
            out.status.success(),
            "atom {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Builds version `v` into `out` signed by `key` with `seq`.
    fn build(&self, v: &str, out: &str, key: &str, seq: u64) {
        self.ok(&[
            "build",
            v,
            "-o",
            out,
            "--sign",
            key,
            "--seq",
            &seq.to_string(),
            "--revision",
            &format!("{v}-{seq}"),
        ]);
    }

    /// Puts `from` (and its signature) in place of `to`, signature first, each by rename.
    fn install(&self, from: &str, to: &str) {
        let sig = |p: &Path| PathBuf::from(format!("{}.minisig", p.display()));
        let (from, to) = (self.path(from), self.path(to));
        std::fs::copy(sig(&from), sig(&to).with_extension("tmp")).unwrap();
        std::fs::rename(sig(&to).with_extension("tmp"), sig(&to)).unwrap();
        std::fs::copy(&from, to.with_extension("tmp")).unwrap();
        std::fs::rename(to.with_extension("tmp"), &to).unwrap();
    }
}

fn alerts(s: &Server) -> support::server::Answer {
    s.post(
        "/access/v1/evaluation",
        &json!({
            "subject": { "type": "device", "id": "factory-a/meter-001" },
            "action": { "name": "publish" },
            "resource": { "type": "channel", "id": "factory-a/alerts" },
            "context": { "protocol": "mqtt" },
        }),
    )
}

#[test]
fn a_signed_table_is_served_and_each_bad_one_is_refused_by_name() {
    let p = Project::new();
    p.build("v1", "served.atomc", "k1", 10);
    let s = Server::start(
        p.dir.path(),
        &[
            "served.atomc",
            "--trusted-key",
            "k1.pub",
            "--trusted-key",
            "k2.pub",
        ],
    );
    s.wait_ready(Some("v1-10"));
    let ready = s.get("/readyz");
    assert_eq!(ready.body["sequence"], 10);
    assert_eq!(alerts(&s).body["decision"], false);

    // A rollback: a lower sequence number, even if well signed.
    p.build("v2", "old.atomc", "k1", 9);
    p.install("old.atomc", "served.atomc");
    s.wait_log("rollback: the table's sequence number 9 is lower than the active table's 10");
    // Signed by a key that is not trusted.
    p.ok(&["keygen", "-o", "k3"]);
    p.build("v2", "other.atomc", "k3", 11);
    p.install("other.atomc", "served.atomc");
    s.wait_log("which is not trusted");
    // Other bytes under a good signature.
    p.build("v2", "tampered.atomc", "k1", 12);
    let mut bytes = std::fs::read(p.path("tampered.atomc")).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(p.path("tampered.atomc"), bytes).unwrap();
    p.install("tampered.atomc", "served.atomc");
    s.wait_log("does not match the table's bytes");
    // Unsigned.
    std::fs::remove_file(p.path("served.atomc.minisig")).unwrap();
    s.ok_log_after_touch(&p.path("served.atomc"), "the table is not signed");
    // Through all of it the first table kept serving.
    assert_eq!(alerts(&s).revision.as_deref(), Some("v1-10"));
    assert_eq!(alerts(&s).body["decision"], false);
    // The second trusted key (a rotation) is accepted.
    p.build("v2", "rotated.atomc", "k2", 13);
    p.install("rotated.atomc", "served.atomc");
    s.wait_ready(Some("v2-13"));
    assert_eq!(alerts(&s).body["decision"], true);
    let metrics = s.get("/metrics").text;
    assert!(
        metrics.contains("atom_table_reload_total{result=\"refused\"}"),
        "{metrics}"
    );
}

trait TouchLog {
    fn ok_log_after_touch(&self, path: &Path, text: &str);
}

impl TouchLog for Server {
    /// Rewrites `path` unchanged (a change the watcher sees) until a log line with `text` appears.
    fn ok_log_after_touch(&self, path: &Path, text: &str) {
        let bytes = std::fs::read(path).unwrap();
        std::fs::write(path, &bytes).unwrap();
        std::thread::sleep(Duration::from_millis(20));
        std::fs::write(path, &bytes[..bytes.len() - 1]).unwrap();
        std::fs::write(path, &bytes).unwrap();
        self.wait_log(text);
    }
}

#[test]
fn a_table_is_served_only_with_a_key_or_insecure_allow_unsigned() {
    let p = Project::new();
    p.ok(&["build", "v1", "-o", "plain.atomc"]);
    let out = atom(
        p.dir.path(),
        &[
            "serve",
            "plain.atomc",
            "--http",
            "127.0.0.1:0",
            "--grpc",
            "127.0.0.1:0",
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--insecure-allow-unsigned"));
    // With a key, an unsigned table is refused and the server is not ready.
    let s = Server::start(p.dir.path(), &["plain.atomc", "--trusted-key", "k1.pub"]);
    s.wait_log("the table is not signed");
    assert_eq!(s.get("/readyz").status, 503);
    assert_eq!(alerts(&s).status, 503);
    drop(s);
    let s = Server::start(p.dir.path(), &["plain.atomc", "--insecure-allow-unsigned"]);
    s.wait_ready(None);
    assert!(alerts(&s).revision.unwrap().starts_with("sha256:"));
}

#[test]
fn garbage_over_the_served_table_keeps_the_last_good_one() {
    let p = Project::new();
    p.build("v1", "served.atomc", "k1", 1);
    let s = Server::start(p.dir.path(), &["served.atomc", "--trusted-key", "k1.pub"]);
    s.wait_ready(Some("v1-1"));
    std::fs::write(p.path("served.atomc"), b"ATOMTBL\0 this is not a table").unwrap();
    s.wait_log("table_refused");
    let a = alerts(&s);
    assert_eq!((a.status, a.revision.as_deref()), (200, Some("v1-1")));
    assert_eq!(s.get("/readyz").status, 200);
}

#[test]
fn reload_under_load_answers_every_request_from_the_revision_it_names() {
    let p = Project::new();
    p.build("v1", "served.atomc", "k1", 1);
    p.build("v2", "next.atomc", "k1", 2);
    p.build("v1", "again.atomc", "k1", 3);
    let s = Arc::new(Server::start(
        p.dir.path(),
        &["served.atomc", "--trusted-key", "k1.pub"],
    ));
    s.wait_ready(Some("v1-1"));
    let stop = Arc::new(AtomicBool::new(false));
    let (answered, wrong) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let (s, stop, answered, wrong) =
                (s.clone(), stop.clone(), answered.clone(), wrong.clone());
            std::thread::spawn(move || {
                let deadline = Instant::now() + Duration::from_secs(60);
                while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                    let a = alerts(&s);
                    // v1 denies (the direct deny), v2 allows.
                    let expected = match a.revision.as_deref() {
                        Some("v1-1" | "v1-3") => json!(false),
                        Some("v2-2") => json!(true),
                        _ => json!("unexpected"),
                    };
                    if a.status != 200 || a.body["decision"] != expected {
                        wrong.fetch_add(1, Ordering::Relaxed);
                    }
                    answered.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    p.install("next.atomc", "served.atomc");
    s.wait_ready(Some("v2-2"));
    std::thread::sleep(Duration::from_millis(200));
    p.install("again.atomc", "served.atomc");
    s.wait_ready(Some("v1-3"));
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    for w in workers {
        w.join().unwrap();
    }
    let n = answered.load(Ordering::Relaxed);
    assert!(n > 100, "only {n} requests were answered");
    assert_eq!(wrong.load(Ordering::Relaxed), 0, "of {n} answers");
}

#[test]
fn sighup_reloads_sources_in_development_mode() {
    let p = Project::new();
    std::fs::rename(p.path("v1"), p.path("live")).unwrap();
    let s = Server::start(p.dir.path(), &["live", "--watch-interval", "60000"]);
    s.wait_ready(None);
    let before = alerts(&s);
    assert_eq!(before.body["decision"], false);
    for entry in std::fs::read_dir(p.path("v2")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, p.path("live").join(path.file_name().unwrap())).unwrap();
    }
    let pid = s.pid().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-HUP", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(60);
    while alerts(&s).body["decision"] != true {
        assert!(Instant::now() < deadline, "SIGHUP did not reload");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_ne!(alerts(&s).revision, before.revision);
}

/// `Check` cases, one a line: subject, action, resource_id, object_kind,
/// object_id (`-` for empty), the `protocol` context (`-` for none), then
/// the answer: allowed, and Atom's reason.
const CHECKS: &str = "
factory-a/meter-001 publish factory-a/telemetry - - mqtt | true | allowed
factory-a/meter-001 publish factory-a/alerts - - mqtt | false | explicitly denied by direct policy
factory-a/meter-001 publish factory-a/telemetry - - - | false | no matching allow policy
factory-a/nobody read factory-a/telemetry - - - | false | subject not found
factory-a/meter-002 publish factory-a/telemetry - - - | false | subject is not active
factory-a/alice read factory-a/nothing - - - | false | resource not found
factory-a/meter-001 fly factory-a/telemetry - - - | false | unknown action 'fly'
atomist/ann read legacy/old-console - - - | false | tenant is frozen
factory-a/alice read factory-a/nothing resource factory-a/telemetry - | true | allowed
factory-a/alice read - credential factory-a/telemetry - | false | credential not found
";

/// A `Check` request from a line of [`CHECKS`].
fn check(fields: &str) -> atom::serve::grpc::proto::CheckRequest {
    let f: Vec<String> = fields
        .split(' ')
        .map(|w| {
            if w == "-" {
                String::new()
            } else {
                w.to_string()
            }
        })
        .collect();
    let context = if f[5].is_empty() {
        Default::default()
    } else {
        [("protocol".to_string(), f[5].clone())]
            .into_iter()
            .collect()
    };
    atom::serve::grpc::proto::CheckRequest {
        subject_id: f[0].clone(),
        action: f[1].clone(),
        resource_id: f[2].clone(),
        context,
        object_kind: f[3].clone(),
        object_id: f[4].clone(),
    }
}

#[test]
fn grpc_check_answers_atoms_reasons_and_health() {
    use atom::serve::grpc::proto::authz_service_client::AuthzServiceClient;
    use tonic_health::pb::health_client::HealthClient;
    use tonic_health::pb::HealthCheckRequest;

    let p = Project::new();
    let s = Server::start(p.dir.path(), &["v1"]);
    s.wait_ready(None);
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let mut client = AuthzServiceClient::connect(s.grpc.clone()).await.unwrap();
        for line in CHECKS.trim().lines() {
            let parts: Vec<&str> = line.split(" | ").collect();
            let a = client.check(check(parts[0])).await.unwrap();
            assert!(a.metadata().get("atom-policy-revision").is_some());
            let a = a.into_inner();
            assert_eq!(
                (a.allowed.to_string().as_str(), a.reason.as_str()),
                (parts[1], parts[2]),
                "{line}"
            );
        }
        let bad = client
            .check(check("- read factory-a/telemetry - - -"))
            .await
            .unwrap_err();
        assert_eq!(bad.code(), tonic::Code::InvalidArgument);
        // Atom's input checks, with its messages: a kind without an id (even
        // beside a resource_id), an id without a kind, an unknown kind.
        for (fields, message) in [
            (
                "factory-a/alice read factory-a/telemetry resource - -",
                "object_id is required when object_kind is provided".to_string(),
            ),
            (
                "factory-a/alice read factory-a/telemetry - factory-a/telemetry -",
                "object_kind is required when object_id is provided".to_string(),
            ),
            (
                "factory-a/alice read - - - -",
                "authz check requires either resource_id or (object_kind, object_id)".to_string(),
            ),
            (
                "factory-a/alice read - widget factory-a/telemetry -",
                format!(
                    "unsupported object_kind 'widget' (supported: {})",
                    atom::kinds::ObjectKind::ALL.map(|k| k.name()).join(", ")
                ),
            ),
        ] {
            let bad = client.check(check(fields)).await.unwrap_err();
            assert_eq!(
                (bad.code(), bad.message()),
                (tonic::Code::InvalidArgument, message.as_str()),
                "{fields}"
            );
        }
        let channel = tonic::transport::Channel::from_shared(s.grpc.clone())
            .unwrap()
            .connect()
            .await
            .unwrap();
        let mut health = HealthClient::new(channel);
        for service in ["", "atom.v1.AuthzService"] {
            let status = health
                .check(HealthCheckRequest {
                    service: service.to_string(),
                })
                .await
                .unwrap()
                .into_inner()
                .status;
            assert_eq!(status, 1, "SERVING for {service:?}");
        }
    });
}

/// Runs Debian's `minisign` (which `.ci/run` installs) in `dir`.
fn minisign(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("minisign")
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| {
            panic!("this test needs `minisign` on PATH (apt-get install minisign): {e}")
        });
    assert!(
        out.status.success(),
        "minisign {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Signatures made by minisign itself, with its own trusted comment (no
/// atom fields), in its default pre-hashed kind and its legacy kind: the
/// server verifies the bytes and serves them at sequence 0, so once a
/// table with a higher signed sequence is active, anti-rollback refuses
/// them.
#[test]
fn tables_signed_by_minisign_itself_are_served_at_sequence_0() {
    let p = Project::new();
    minisign(p.dir.path(), &["-G", "-W", "-p", "m.pub", "-s", "m.key"]);
    p.ok(&["build", "v1", "-o", "first.atomc"]);
    minisign(p.dir.path(), &["-S", "-s", "m.key", "-m", "first.atomc"]);
    p.install("first.atomc", "served.atomc");
    let s = Server::start(p.dir.path(), &["served.atomc", "--trusted-key", "m.pub"]);
    s.wait_ready(None);
    let ready = s.get("/readyz");
    assert_eq!(ready.body["sequence"], 0, "{:?}", ready.body);
    assert_eq!(alerts(&s).body["decision"], false);
    // The legacy kind (`-l`), also at sequence 0: not lower, so it is served.
    p.ok(&["build", "v2", "-o", "legacy.atomc"]);
    minisign(
        p.dir.path(),
        &["-S", "-l", "-s", "m.key", "-m", "legacy.atomc"],
    );
    p.install("legacy.atomc", "served.atomc");
    let deadline = Instant::now() + Duration::from_secs(10);
    while alerts(&s).body["decision"] != true {
        assert!(
            Instant::now() < deadline,
            "the legacy signature was not served"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // A table signed with atom's claims at sequence 5, then minisign's own
    // again: a rollback to 0.
    p.ok(&["build", "v1", "-o", "claimed.atomc"]);
    let sha = atom::verify::sign::sha256_hex(&std::fs::read(p.path("claimed.atomc")).unwrap());
    let comment = format!("sha256:{sha}\trevision:r5\tseq:5");
    minisign(
        p.dir.path(),
        &["-S", "-s", "m.key", "-m", "claimed.atomc", "-t", &comment],
    );
    p.install("claimed.atomc", "served.atomc");
    s.wait_ready(Some("r5"));
    minisign(p.dir.path(), &["-S", "-s", "m.key", "-m", "legacy.atomc"]);
    p.install("legacy.atomc", "served.atomc");
    s.wait_log("rollback: the table's sequence number 0 is lower than the active table's 5");
    assert_eq!(alerts(&s).revision.as_deref(), Some("r5"));
}
