//! Running `atom serve` from tests: on loopback, on ports the OS picks, killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running server.
pub struct Server {
    child: Child,
    pub http: String,
    pub grpc: String,
    /// Every line the server wrote to stderr so far.
    pub log: Arc<Mutex<Vec<String>>>,
    agent: ureq::Agent,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer: status, headers we look at, and the body as JSON (or
/// `null` if it is not JSON).
pub struct Answer {
    pub status: u16,
    pub revision: Option<String>,
    pub request_id: Option<String>,
    pub body: serde_json::Value,
    pub text: String,
}

impl Server {
    /// Starts `atom serve ARGS --http 127.0.0.1:0 --grpc 127.0.0.1:0` in
    /// `dir` and waits until it listens.
    pub fn start(dir: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_atom"))
            .arg("serve")
            .args(args)
            .args(["--http", "127.0.0.1:0", "--grpc", "127.0.0.1:0"])
            .args(if args.contains(&"--watch-interval") {
                &[][..]
            } else {
                &["--watch-interval", "50"][..]
            })
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("atom serve starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if line.contains("\"event\":\"listening\"") {
                    let _ = tx.send(line.clone());
                }
                lines.lock().unwrap().push(line);
            }
        });
        let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) else {
            std::thread::sleep(Duration::from_millis(100));
            panic!(
                "the server did not say where it listens: {:?}",
                log.lock().unwrap()
            );
        };
        let j: serde_json::Value = serde_json::from_str(&line).unwrap();
        let agent = ureq::Agent::new_with_config(
            ureq::config::Config::builder()
                .http_status_as_error(false)
                .timeout_global(Some(Duration::from_secs(30)))
                .build(),
        );
        Server {
            child,
            http: format!("http://{}", j["http"].as_str().unwrap()),
            grpc: format!("http://{}", j["grpc"].as_str().unwrap()),
            log,
            agent,
        }
    }

    /// Waits up to `limit` for the process to exit.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// POSTs `body` (text) to `path`, with headers.
    pub fn post_with(&self, path: &str, body: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self
            .agent
            .post(format!("{}{path}", self.http))
            .header("content-type", "application/json");
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        answer(request.send(body).expect("the server answers"))
    }

    pub fn post(&self, path: &str, body: &serde_json::Value) -> Answer {
        self.post_with(path, &body.to_string(), &[])
    }

    pub fn get(&self, path: &str) -> Answer {
        self.get_with(path, &[])
    }

    /// A GET with these headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = self.agent.get(format!("{}{path}", self.http));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        answer(request.call().expect("the server answers"))
    }

    /// Waits until `/readyz` answers 200 with `revision` (any, if `None`).
    pub fn wait_ready(&self, revision: Option<&str>) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            let a = self.get("/readyz");
            if a.status == 200 && revision.is_none_or(|r| a.body["revision"] == r) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "the server did not become ready with revision {revision:?}; log: {:?}",
            self.log.lock().unwrap()
        );
    }

    /// Waits until a stderr line contains `text`.
    pub fn wait_log(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(line) = self.log.lock().unwrap().iter().find(|l| l.contains(text)) {
                return line.clone();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "no log line with {text:?}; log: {:?}",
            self.log.lock().unwrap()
        );
    }
}

fn answer(mut r: ureq::http::Response<ureq::Body>) -> Answer {
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (revision, request_id) = (header("atom-policy-revision"), header("x-request-id"));
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap_or_default();
    Answer {
        status,
        revision,
        request_id,
        body: serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        text,
    }
}

/// A temporary folder with a copy of the repository's `policies/` in it.
pub fn example_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("policies")).unwrap();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/policies")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            dir.path().join("policies").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    dir
}
