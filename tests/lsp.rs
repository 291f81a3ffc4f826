//! `atom lsp` driven through the protocol (an in-memory connection): a
//! multi-file, multi-tenant workspace with a file that has a syntax error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};

struct Client {
    conn: Connection,
    server: Option<std::thread::JoinHandle<Result<(), String>>>,
    next: i32,
    /// The last diagnostics published for each URI.
    diagnostics: HashMap<String, Vec<Value>>,
}

fn uri(path: &Path) -> String {
    url::Url::from_file_path(path).unwrap().to_string()
}

impl Client {
    fn start(root: &Path) -> Client {
        Client::start_with(root, Value::Null)
    }

    /// Starts the server with these `initializationOptions`.
    fn start_with(root: &Path, options: Value) -> Client {
        let (server, conn) = Connection::memory();
        let handle =
            std::thread::spawn(move || atom::lsp::serve(&server).map_err(|e| e.to_string()));
        let mut c = Client {
            conn,
            server: Some(handle),
            next: 0,
            diagnostics: HashMap::new(),
        };
        let init = c.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": uri(root),
                "capabilities": {},
                "workspaceFolders": [{"uri": uri(root), "name": "w"}],
                "initializationOptions": options,
            }),
        );
        assert_eq!(init["serverInfo"]["name"], "atom");
        assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
        c.notify("initialized", json!({}));
        c
    }

    fn notify(&self, method: &str, params: Value) {
        let n = Notification::new(method.to_string(), params);
        self.conn.sender.send(Message::Notification(n)).unwrap();
    }

    fn receive(&mut self) -> Message {
        let m = self
            .conn
            .receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers");
        if let Message::Notification(n) = &m {
            if n.method == "textDocument/publishDiagnostics" {
                let uri = n.params["uri"].as_str().unwrap().to_string();
                let list = n.params["diagnostics"].as_array().unwrap().clone();
                self.diagnostics.insert(uri, list);
            }
        }
        m
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.try_request(method, params)
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// A request that may be refused: the error's message.
    fn try_request(&mut self, method: &str, params: Value) -> Result<Value, String> {
        self.next += 1;
        let id = RequestId::from(self.next);
        let r = Request::new(id.clone(), method.to_string(), params);
        self.conn.sender.send(Message::Request(r)).unwrap();
        loop {
            if let Message::Response(r) = self.receive() {
                assert_eq!(r.id, id);
                return r.response_result.map_err(|e| e.message);
            }
        }
    }

    /// Reads notifications until the diagnostics of `uri` satisfy `done`.
    fn wait_diagnostics(&mut self, uri: &str, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        loop {
            if let Some(d) = self.diagnostics.get(uri) {
                if done(d) {
                    return d.clone();
                }
            }
            self.receive();
        }
    }

    fn shutdown(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let server = self.server.take().unwrap();
        assert_eq!(server.join().unwrap(), Ok(()));
    }
}

fn codes(list: &[Value]) -> Vec<String> {
    list.iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

const VOCABULARY: &str = "action read, write on resource\ntype resource:doc\n";
const ACME: &str = "tenant acme {\n  /// The plant manual.\n  resource doc manual\n  block readers { allow read on manual }\n  entity human ann\n  grant readers to ann\n}\n";
const BETA: &str = "tenant beta {\n  resource doc sheet\n  block writers { allow write on sheet }\n  entity human bob\n  grant writers to bob\n}\n";
const BROKEN: &str = "tenant gamma {\n  resource doc memo\n  blok b {\n  block memo-readers { allow read on memo }\n  entity human cy\n  grant memo-readers to cy\n}\n";

fn workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("atom.toml"), "sources = [\"policies\"]\n").unwrap();
    std::fs::create_dir(root.join("policies")).unwrap();
    for (name, text) in [
        ("vocabulary", VOCABULARY),
        ("acme", ACME),
        ("beta", BETA),
        ("broken", BROKEN),
    ] {
        std::fs::write(root.join(format!("policies/{name}.atom")), text).unwrap();
    }
    (dir, root)
}

/// The position of the `nth` occurrence of `needle` in `text` (plus `shift` characters).
fn pos(text: &str, needle: &str, nth: usize, shift: u32) -> Value {
    let at = text.match_indices(needle).nth(nth).unwrap().0;
    let line = text[..at].matches('\n').count();
    let col = at - text[..at].rfind('\n').map_or(0, |i| i + 1);
    json!({"line": line, "character": col as u32 + shift})
}

#[test]
fn diagnostics_follow_the_buffers_and_clear_when_fixed() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let broken = uri(&root.join("policies/broken.atom"));
    let acme = uri(&root.join("policies/acme.atom"));
    // The set's diagnostics arrive at start: the syntax error, and nothing
    // is reported undeclared in gamma.
    let found = c.wait_diagnostics(&broken, |d| !d.is_empty());
    assert_eq!(codes(&found), ["A0001"]);
    assert_eq!(
        found[0]["range"]["start"],
        json!({"line": 2, "character": 2})
    );
    assert!(found[0]["message"].as_str().unwrap().contains("help:"));

    // Typing an undeclared name into an open buffer reports it...
    let typo = ACME.replace("grant readers to ann", "grant raeders to ann");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": acme, "languageId": "atom", "version": 1, "text": typo}}),
    );
    let found = c.wait_diagnostics(&acme, |d| !d.is_empty());
    assert_eq!(codes(&found), ["A0003"]);
    assert!(found[0]["message"]
        .as_str()
        .unwrap()
        .contains("did you mean `readers`"));
    // ...and fixing it clears it.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": acme, "version": 2}, "contentChanges": [{"text": ACME}]}),
    );
    let found = c.wait_diagnostics(&acme, <[Value]>::is_empty);
    assert!(found.is_empty());
    // A guardrail elsewhere: related information points at the rule.
    let vocabulary = uri(&root.join("policies/vocabulary.atom"));
    let guarded = format!("{VOCABULARY}guardrail deny human write on resource\n");
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": vocabulary, "languageId": "atom", "version": 1, "text": guarded}}));
    let beta = uri(&root.join("policies/beta.atom"));
    let found = c.wait_diagnostics(&beta, |d| !d.is_empty());
    assert_eq!(codes(&found), ["A0006"]);
    let related = found[0]["relatedInformation"].as_array().unwrap();
    assert!(related
        .iter()
        .any(|r| r["location"]["uri"] == vocabulary.as_str()));
    c.shutdown();
}

#[test]
fn diagnostics_link_to_their_rule_documentation_when_configured() {
    let (_dir, root) = workspace();
    let docs = "https://docs.example/atom/reference.md";
    let mut c = Client::start_with(&root, json!({ "ruleDocs": docs }));
    let broken = uri(&root.join("policies/broken.atom"));
    let found = c.wait_diagnostics(&broken, |d| !d.is_empty());
    assert_eq!(found[0]["codeDescription"]["href"], format!("{docs}#a0001"));
    c.shutdown();
    // Without the option there is no link.
    let mut plain = Client::start(&root);
    let found = plain.wait_diagnostics(&broken, |d| !d.is_empty());
    assert!(found[0].get("codeDescription").is_none(), "{:?}", found[0]);
    plain.shutdown();
}

#[test]
fn hover_definition_references_symbols_and_formatting() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let acme = uri(&root.join("policies/acme.atom"));
    let doc = |p: Value| json!({"textDocument": {"uri": acme}, "position": p});

    let hover = c.request("textDocument/hover", doc(pos(ACME, "manual", 2, 1)));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("**resource:doc** `acme/manual`"), "{text}");
    assert!(text.contains("The plant manual."), "{text}");
    let hover = c.request("textDocument/hover", doc(pos(ACME, "readers", 1, 0)));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("**block** `acme/readers`"), "{text}");
    assert!(text.contains("allow `read` on `acme/manual`"), "{text}");
    let hover = c.request("textDocument/hover", doc(pos(ACME, "read ", 0, 0)));
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("applies to `resource`"));

    // `read` is declared in another file.
    let def = c.request("textDocument/definition", doc(pos(ACME, "read ", 0, 1)));
    assert_eq!(def[0]["uri"], uri(&root.join("policies/vocabulary.atom")));
    assert_eq!(def[0]["range"]["start"], json!({"line": 0, "character": 7}));

    let refs = c.request(
        "textDocument/references",
        json!({"textDocument": {"uri": acme}, "position": pos(ACME, "readers", 0, 0), "context": {"includeDeclaration": true}}),
    );
    assert_eq!(refs.as_array().unwrap().len(), 2, "{refs}");

    let symbols = c.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": acme}}),
    );
    assert_eq!(symbols[0]["name"], "acme");
    let children: Vec<&str> = symbols[0]["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(children, ["manual", "readers", "ann", "readers to …"]);

    let messy = uri(&root.join("messy.atom"));
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": messy, "languageId": "atom", "version": 1, "text": "entity   human zed\n\n\n"}}));
    let edits = c.request(
        "textDocument/formatting",
        json!({"textDocument": {"uri": messy}, "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert_eq!(edits[0]["newText"], "entity human zed\n");
    c.shutdown();
}

#[test]
fn a_syntax_error_does_not_stop_hover_or_definition_in_its_file() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let broken = uri(&root.join("policies/broken.atom"));
    let at = |p: Value| json!({"textDocument": {"uri": broken}, "position": p});
    let hover = c.request("textDocument/hover", at(pos(BROKEN, "memo-readers", 1, 2)));
    assert!(hover["contents"]["value"]
        .as_str()
        .unwrap()
        .contains("**block** `gamma/memo-readers`"));
    let def = c.request("textDocument/definition", at(pos(BROKEN, "memo }", 0, 1)));
    assert_eq!(
        def[0]["range"]["start"],
        json!({"line": 1, "character": 15})
    );
    c.shutdown();
}

#[test]
fn rename_code_actions_and_workspace_symbols() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let acme = uri(&root.join("policies/acme.atom"));
    let at = |p: Value| json!({"textDocument": {"uri": acme}, "position": p});

    // Rename a block from a use: the declaration and the use change.
    let range = c.request("textDocument/prepareRename", at(pos(ACME, "readers", 1, 2)));
    assert_eq!(range["start"], json!({"line": 5, "character": 8}));
    let mut params = at(pos(ACME, "readers", 1, 2));
    params["newName"] = json!("plant readers");
    let edit = c.request("textDocument/rename", params.clone());
    let edits = edit["changes"][acme.as_str()].as_array().unwrap();
    assert_eq!(edits.len(), 2);
    assert!(edits.iter().all(|e| e["newText"] == "\"plant readers\""));
    // A collision in the same tenant and a keyword are refused.
    params["newName"] = json!("manual");
    let refused = c
        .try_request("textDocument/rename", params.clone())
        .unwrap_err();
    assert!(
        refused.contains("already declared as `acme/manual`"),
        "{refused}"
    );
    params["newName"] = json!("entity");
    assert!(c
        .try_request("textDocument/rename", params.clone())
        .is_err());
    // The same name in another tenant is no collision.
    params["newName"] = json!("writers");
    assert!(c.try_request("textDocument/rename", params).is_ok());
    // Nothing to rename on a keyword.
    assert!(c
        .try_request("textDocument/prepareRename", at(pos(ACME, "tenant", 0, 1)))
        .is_err());

    // The did-you-mean of an undeclared name is a quick fix.
    let typo = ACME.replace("grant readers to ann", "grant raeders to ann");
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": acme, "languageId": "atom", "version": 1, "text": typo}}),
    );
    c.wait_diagnostics(&acme, |d| !d.is_empty());
    let line = json!({"start": {"line": 5, "character": 0}, "end": {"line": 5, "character": 30}});
    let actions = c.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": acme}, "range": line, "context": {"diagnostics": []}}),
    );
    assert_eq!(actions[0]["title"], "replace with `readers`");
    let fix = &actions[0]["edit"]["changes"][acme.as_str()][0];
    assert_eq!(fix["newText"], "readers");
    assert_eq!(fix["range"]["start"], json!({"line": 5, "character": 8}));

    // Workspace symbols across files and tenants.
    let symbols = c.request("workspace/symbol", json!({"query": "READERS"}));
    let mut names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["acme/readers", "gamma/memo-readers"]);
    c.shutdown();
}

#[test]
fn lints_offer_a_suppression_and_their_safe_fix() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    // A lint offers a suppression with a reason, above its line.
    let wide = format!("{VOCABULARY}entity human root\nblock everything {{ allow read on all }}\ngrant everything to root\n");
    let vocabulary = uri(&root.join("policies/vocabulary.atom"));
    c.notify("textDocument/didOpen", json!({"textDocument": {"uri": vocabulary, "languageId": "atom", "version": 1, "text": wide}}));
    let found = c.wait_diagnostics(&vocabulary, |d| codes(d).contains(&"L007".to_string()));
    let lint = found.iter().find(|d| d["code"] == "L007").unwrap();
    let actions = c.request("textDocument/codeAction", json!({"textDocument": {"uri": vocabulary}, "range": lint["range"], "context": {"diagnostics": []}}));
    let suppress = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("suppress"))
        .unwrap();
    let edit = &suppress["edit"]["changes"][vocabulary.as_str()][0];
    assert_eq!(
        edit["newText"],
        "// atom: allow(platform-wide-allow) explain why this is acceptable\n"
    );
    assert_eq!(edit["range"]["start"], json!({"line": 3, "character": 0}));

    // A lint with a safe fix offers it (the one `atom check --fix` applies).
    let kind_wide = format!("{VOCABULARY}action view on resource:doc\nblock docs {{ allow view on resource }}\nentity human root\ngrant docs to root\n");
    c.notify("textDocument/didChange", json!({"textDocument": {"uri": vocabulary, "version": 2}, "contentChanges": [{"text": kind_wide}]}));
    let found = c.wait_diagnostics(&vocabulary, |d| codes(d).contains(&"L008".to_string()));
    let lint = found.iter().find(|d| d["code"] == "L008").unwrap();
    let actions = c.request("textDocument/codeAction", json!({"textDocument": {"uri": vocabulary}, "range": lint["range"], "context": {"diagnostics": []}}));
    let fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == "scope the block to `resource:doc`")
        .unwrap();
    let edit = &fix["edit"]["changes"][vocabulary.as_str()][0];
    assert_eq!(edit["newText"], "resource:doc");
    assert_eq!(
        edit["range"],
        json!({"start": {"line": 3, "character": 27}, "end": {"line": 3, "character": 35}})
    );

    c.shutdown();
}

#[test]
fn completion_knows_the_grammar_position_and_the_tenant() {
    let (_dir, root) = workspace();
    let mut c = Client::start(&root);
    let acme = uri(&root.join("policies/acme.atom"));
    let text = "tenant acme {\n  resource doc manual\n  block readers { allow read, write on manual }\n  entity human ann { team = \"a\" }\n  role r { readers }\n  grant readers to ann\n  block b2 { allow  on manual when entity.attributes.team == \"a\" }\n  \n  test \"t\" {\n    allow ann read manual\n    \n  }\n}\n";
    // A platform block, which a tenant's role may not hold.
    let extra = uri(&root.join("policies/extra.atom"));
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": extra, "languageId": "atom", "version": 1, "text": "block everywhere { allow read on resource }\n"}}),
    );
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": acme, "languageId": "atom", "version": 1, "text": text}}),
    );
    let mut complete = |needle: &str, nth: usize| -> Vec<String> {
        complete_at(&mut c, &acme, pos(text, needle, nth, needle.len() as u32))
    };
    let has = |list: &[String], word: &str| list.iter().any(|l| l == word);
    assert_eq!(complete("allow ", 1), ["read", "write"]);
    assert_eq!(complete("allow read, ", 0), ["read", "write"]);
    let scope = complete("write on ", 0);
    for expected in ["all", "resource", "resource:doc", "manual"] {
        assert!(has(&scope, expected), "{expected} in {scope:?}");
    }
    assert!(!has(&scope, "sheet"), "beta's names stay out: {scope:?}");
    let to = complete("readers to ", 0);
    assert!(has(&to, "ann") && !has(&to, "bob"), "{to:?}");
    let role = complete("role r { ", 0);
    assert!(
        has(&role, "readers") && has(&role, "r") && !has(&role, "ann") && !has(&role, "everywhere"),
        "{role:?}"
    );
    // An entity has no type or group.
    assert_eq!(
        complete("when entity.", 0),
        ["id", "kind", "tenant", "status", "attributes"]
    );
    assert_eq!(complete("entity.attributes.", 0), ["team"]);
    let line = complete("\n  \n", 0);
    assert!(
        has(&line, "member") && has(&line, "block") && !has(&line, "action"),
        "{line:?}"
    );

    // Inside a test block, a line starts a test line.
    // (the blank line's end: its four spaces, before `  }`)
    assert_eq!(
        complete_at(&mut c, &acme, pos(text, "    \n  }", 0, 4)),
        ["allow", "deny"]
    );
    // In the file with a syntax error, names still come from its tenant.
    let broken = uri(&root.join("policies/broken.atom"));
    let p = pos(BROKEN, "memo-readers to ", 0, 16);
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": broken}, "position": p}),
    );
    let labels: Vec<&str> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["cy"]);
    c.shutdown();
}

/// Requests do not wait for the whole set's analysis. After a change to
/// the platform's file, which only the whole analysis checks (its new
/// error is published when that ends, about a second in a debug build of
/// this set), hover in an unchanged file is answered from the last
/// analysis and completion from the tenant's part of the set, both before
/// that error is published; completion already offers the action the change
/// declared.
#[test]
fn hover_and_completion_answer_while_the_set_is_analysed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::create_dir(root.join("policies")).unwrap();
    for f in atom::gen::generate(3, &atom::gen::Shape::scale(10)) {
        std::fs::write(root.join("policies").join(&f.name), f.text).unwrap();
    }
    let read = |name: &str| std::fs::read_to_string(root.join("policies").join(name)).unwrap();
    let (vocabulary, tenant) = (read("vocabulary.atom"), read("tenant-1.atom"));
    let mut c = Client::start(&root);
    // The first analysis has published: the server has a finished model.
    while c.diagnostics.is_empty() {
        c.receive();
    }
    let vocab_uri = uri(&root.join("policies/vocabulary.atom"));
    let tenant_uri = uri(&root.join("policies/tenant-1.atom"));
    let changed = vocabulary + "action zap on resource\nguardrail allow device zop on resource\n";
    c.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": vocab_uri, "languageId": "atom", "version": 2, "text": changed}}),
    );
    let send = |id: i32, method: &str, needle: &str, shift: u32| {
        let position = pos(&tenant, needle, 0, shift);
        let params = json!({"textDocument": {"uri": tenant_uri}, "position": position});
        let r = Request::new(RequestId::from(id), method.to_string(), params);
        c.conn.sender.send(Message::Request(r)).unwrap();
    };
    send(101, "textDocument/hover", "block b-0 ", 7);
    send(102, "textDocument/completion", "block b-1 { allow ", 18);
    let has_error = |c: &Client| {
        c.diagnostics
            .get(&vocab_uri)
            .is_some_and(|d| codes(d).contains(&"A0003".to_string()))
    };
    let mut answers: HashMap<i32, Value> = HashMap::new();
    while answers.len() < 2 {
        if let Message::Response(r) = c.receive() {
            assert!(!has_error(&c), "answered only after the analysis");
            let id = r.id.to_string().parse().unwrap();
            answers.insert(id, r.response_result.unwrap());
        }
    }
    let hover = answers[&101]["contents"]["value"].as_str().unwrap();
    assert!(hover.contains("b-0"), "{hover}");
    let labels: Vec<&str> = answers[&102]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap())
        .collect();
    assert!(
        labels.contains(&"zap") && labels.contains(&"read"),
        "{labels:?}"
    );
    // The analysis still ends, and publishes the change's error.
    c.wait_diagnostics(&vocab_uri, |d| codes(d).contains(&"A0003".to_string()));
    c.shutdown();
}

/// The labels completion offers at a position of a document.
fn complete_at(c: &mut Client, uri: &str, position: Value) -> Vec<String> {
    let items = c.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": position}),
    );
    items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_string())
        .collect()
}

/// `atom lsp` as editors run it, on stdin and stdout: a body that is not
/// JSON, a message with an id that is not a request, a header without a
/// length, and a notification with malformed parameters are each answered
/// or skipped, and the server goes on to answer `shutdown` and end on
/// `exit`.
#[test]
fn the_stdio_server_survives_malformed_messages() {
    use std::io::{BufRead, BufReader, Read, Write};
    let (dir, _) = workspace();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_atom"))
        .arg("lsp")
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"processId": null, "rootUri": uri(dir.path()), "capabilities": {}}});
    let input = [
        frame(&init.to_string()),
        frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#),
        frame("this is not JSON"),
        frame(r#"{"jsonrpc":"2.0","id":9,"params":1}"#),
        "X-Nothing: here\r\n\r\n".to_string(),
        frame(r#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":5}"#),
        frame(r#"{"jsonrpc":"2.0","id":10,"method":"shutdown"}"#),
        frame(r#"{"jsonrpc":"2.0","method":"exit"}"#),
    ]
    .concat();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut answers: HashMap<i64, Value> = HashMap::new();
    while answers.len() < 3 {
        let mut length = 0;
        loop {
            let mut line = String::new();
            assert!(
                out.read_line(&mut line).unwrap() > 0,
                "the server ended early: {answers:?}"
            );
            match line.trim_end().strip_prefix("Content-Length: ") {
                Some(n) => length = n.parse().unwrap(),
                None if line.trim_end().is_empty() => break,
                None => {}
            }
        }
        let mut body = vec![0; length];
        out.read_exact(&mut body).unwrap();
        let message: Value = serde_json::from_slice(&body).unwrap();
        if let Some(id) = message["id"].as_i64() {
            answers.insert(id, message);
        }
    }
    assert!(answers[&9]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("not a JSON-RPC message"));
    assert_eq!(answers[&10]["result"], Value::Null, "{:?}", answers[&10]);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        stderr.contains("skipped the notification `textDocument/didChange`"),
        "{stderr}"
    );
    assert!(stderr.contains("not JSON-RPC"), "{stderr}");
    assert!(stderr.contains("without `Content-Length`"), "{stderr}");
}
