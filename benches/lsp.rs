//! The language server's latency: from a `didChange` of one file of the
//! S = 100 generated set (201 files, 14 MB) to that file's published
//! diagnostics, through the protocol on an in-memory connection.
//!
//! `cargo bench --bench lsp`. Each iteration alternates the file between
//! its own text and the text with one undeclared name inside its tenant, so
//! that every change publishes new diagnostics for it. The changed file's
//! list comes from its part of the set (the vocabulary and its tenant); the
//! whole set's follows once the client is quiet for 100 ms, which criterion's
//! back-to-back iterations rarely are.

use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

fn send(conn: &Connection, method: &str, params: Value) {
    let n = Notification::new(method.to_string(), params);
    conn.sender.send(Message::Notification(n)).unwrap();
}

/// Waits for the diagnostics of `uri`; returns how many there are.
fn published(conn: &Connection, uri: &str) -> usize {
    loop {
        let m = conn
            .receiver
            .recv_timeout(Duration::from_secs(120))
            .unwrap();
        if let Message::Notification(n) = m {
            if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri {
                return n.params["diagnostics"].as_array().map_or(0, Vec::len);
            }
        }
    }
}

fn did_change(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let shape = atom::gen::Shape::scale(100);
    for f in atom::gen::generate(1, &shape) {
        std::fs::write(root.join(&f.name), f.text).unwrap();
    }
    let path = root.join("tenant-7.atom");
    let text = std::fs::read_to_string(&path).unwrap();
    // An undeclared name inside the file's tenant (before its closing brace).
    let end = text.rfind('}').expect("a tenant file ends with its `}`");
    let broken = format!(
        "{}  grant nothing-here to nobody-here\n{}",
        &text[..end],
        &text[end..]
    );
    let uri = url::Url::from_file_path(&path).unwrap().to_string();

    let (server, conn) = Connection::memory();
    let thread = std::thread::spawn(move || atom::lsp::serve(&server).map_err(|e| e.to_string()));
    let root_uri = url::Url::from_file_path(&root).unwrap().to_string();
    let init = Request::new(
        RequestId::from(1),
        "initialize".into(),
        json!({"processId": null, "rootUri": root_uri, "capabilities": {}}),
    );
    conn.sender.send(Message::Request(init)).unwrap();
    let start = Instant::now();
    send(&conn, "initialized", json!({}));
    send(
        &conn,
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "atom", "version": 0, "text": text}}),
    );
    published(&conn, &uri);
    eprintln!(
        "lsp/S100: initialized and first diagnostics in {:?}",
        start.elapsed()
    );

    let mut version = 0;
    let mut group = c.benchmark_group("lsp");
    group.sample_size(10);
    group.bench_function("didChange-to-diagnostics/S100", |b| {
        b.iter(|| {
            version += 1;
            let body = if version % 2 == 1 { &broken } else { &text };
            send(&conn, "textDocument/didChange", json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": body}]}));
            published(&conn, &uri)
        })
    });
    // A change to the platform's vocabulary reaches every tenant: the whole
    // set is analysed before its diagnostics are published.
    let vocabulary_path = root.join("vocabulary.atom");
    let vocabulary = std::fs::read_to_string(&vocabulary_path).unwrap();
    let unused = format!("{vocabulary}action never-used on resource\n");
    let vocabulary_uri = url::Url::from_file_path(&vocabulary_path)
        .unwrap()
        .to_string();
    send(
        &conn,
        "textDocument/didOpen",
        json!({"textDocument": {"uri": vocabulary_uri, "languageId": "atom", "version": 0, "text": vocabulary}}),
    );
    let mut version = 0;
    group.bench_function("platform-didChange-to-diagnostics/S100", |b| {
        b.iter(|| {
            version += 1;
            let body = if version % 2 == 1 { &unused } else { &vocabulary };
            send(&conn, "textDocument/didChange", json!({"textDocument": {"uri": vocabulary_uri, "version": version}, "contentChanges": [{"text": body}]}));
            published(&conn, &vocabulary_uri)
        })
    });
    group.finish();
    conn.sender
        .send(Message::Request(Request::new(
            RequestId::from(2),
            "shutdown".into(),
            Value::Null,
        )))
        .unwrap();
    send(&conn, "exit", Value::Null);
    drop(conn);
    let _ = thread.join();
}

criterion_group!(benches, did_change);
criterion_main!(benches);
