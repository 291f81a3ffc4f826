//! LSP: the server's state; the workspace, open buffers, what was last published, and the notifications that change them.
//!
//! The main loop owns the workspace and changes it; nothing slow runs on
//! it. The whole set's analysis runs on a thread of its own on a snapshot
//! ([`Server::start_analysis`]); its diagnostics are published when it
//! ends if no change came meanwhile (else it runs again once the client is
//! quiet). Requests run on the worker pool, each on a snapshot
//! ([`Server::snapshot`]).

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crossbeam_channel::Sender;
use lsp_server::{Connection, Message, Notification, Request};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::PublishDiagnosticsParams;

use super::position::Encoding;
use super::snapshot::Snapshot;
use super::uri::{absolute, name_of, uri_of};
use super::{convert, dispatch, LspError};
use crate::project::{find_manifest, load_sources};
use crate::workspace::Workspace;

/// The language server.
pub struct Server<'c> {
    pub ws: Workspace,
    pub encoding: Encoding,
    connection: &'c Connection,
    root: Option<PathBuf>,
    /// Names (paths) of the files the client has open.
    open: HashSet<String>,
    /// What was last published, by URI, so that only changes are sent.
    published: BTreeMap<String, Vec<lsp_types::Diagnostic>>,
    /// Where the rule documentation is (the client's `initializationOptions`
    /// `{"ruleDocs": URL}`, such as the hosted `docs/reference.md`): each
    /// diagnostic's `codeDescription` links to its code's section there.
    pub rule_docs: Option<url::Url>,
    /// A change was published for its own file only (or not at all); the
    /// other files' lists wait for the whole analysis, run when the client
    /// goes quiet.
    pub whole_pending: bool,
    /// A whole analysis is running on its thread.
    pub analysing: bool,
    /// The newest snapshot whose whole analysis is done.
    analysed: Option<Workspace>,
}

impl<'c> Server<'c> {
    pub fn new(connection: &'c Connection, root: Option<PathBuf>, encoding: Encoding) -> Self {
        Server {
            ws: Workspace::default(),
            encoding,
            connection,
            root,
            open: HashSet::new(),
            published: BTreeMap::new(),
            whole_pending: false,
            analysing: false,
            analysed: None,
            rule_docs: None,
        }
    }

    /// Analyses a snapshot of the set on a thread of its own; `done` gets
    /// the snapshot, analysis computed (shared with the workspace itself
    /// while no change comes).
    pub fn start_analysis(&mut self, done: &Sender<Workspace>) {
        let snapshot = self.ws.clone();
        let done = done.clone();
        let started = std::thread::Builder::new()
            .name("atom-lsp-analysis".to_string())
            .spawn(move || {
                snapshot.analysis();
                // The loop has ended when nobody receives: nothing to do.
                let _ = done.send(snapshot);
            });
        match started {
            Ok(_) => {
                self.analysing = true;
                self.whole_pending = false;
            }
            // No thread: analyse here, as a server without threads would.
            Err(_) => {
                self.ws.analysis();
                self.whole_pending = true;
            }
        }
    }

    /// A whole analysis ended: it serves requests from now on, and its
    /// diagnostics are published if the set is still the one analysed.
    pub fn analysis_done(&mut self, snapshot: Workspace) -> Result<(), LspError> {
        self.analysing = false;
        let newer = self
            .analysed
            .as_ref()
            .is_none_or(|a| a.generation() <= snapshot.generation());
        if snapshot.generation() == self.ws.generation() {
            self.publish(&snapshot)?;
        } else {
            self.whole_pending = true;
        }
        if newer {
            self.analysed = Some(snapshot);
        }
        Ok(())
    }

    /// What `r` is answered from: the current workspace, or for a request
    /// the dispatch table marks (hover), the last analysed one when the
    /// request's document is the same there, so that it need not wait for
    /// the set to be analysed again.
    pub fn snapshot(&self, r: &Request) -> Snapshot {
        let unchanged = |done: &&Workspace| {
            let name = dispatch::reads_last_analysis(r).map(|uri| name_of(&uri));
            let (Some(now), Some(then)) = (
                name.as_deref().and_then(|n| self.ws.file_id(n)),
                name.as_deref().and_then(|n| done.file_id(n)),
            ) else {
                return false;
            };
            now == then && self.ws.file_generation(now) == done.file_generation(then)
        };
        let ws = self.analysed.as_ref().filter(unchanged).unwrap_or(&self.ws);
        Snapshot {
            ws: ws.clone(),
            analysed: self.analysed.clone(),
            encoding: self.encoding,
        }
    }

    /// Loads the manifest's sources under the root, or every `.atom` file
    /// under it. A set that cannot be read starts empty: the files the
    /// client opens still get full service.
    pub fn load_source_set(&mut self) {
        let Some(root) = self.root.clone() else {
            return;
        };
        let (paths, config) = match find_manifest(&root) {
            Ok(Some((dir, manifest))) => (
                manifest.sources.iter().map(|s| dir.join(s)).collect(),
                manifest.lint_config(),
            ),
            _ => (vec![root], crate::lint::LintConfig::default()),
        };
        self.ws.set_lint_config(config);
        if let Ok(loaded) = load_sources(&paths) {
            for (_, file) in loaded.sources.files() {
                let name = absolute(&file.name);
                self.ws.set_file(&name, file.text.clone());
            }
        }
    }

    /// Publishes the diagnostics of one changed file at once when its part
    /// of the set is enough (`Workspace::quick_file_diagnostics`); the other
    /// files, and this one otherwise, follow with the whole analysis, when
    /// the client is quiet.
    fn publish_file(&mut self, name: &str) -> Result<(), LspError> {
        self.whole_pending = true;
        let Some(id) = self.ws.file_id(name) else {
            return Ok(());
        };
        let Some(found) = self.ws.quick_file_diagnostics(id) else {
            return Ok(());
        };
        let diagnostics: Vec<lsp_types::Diagnostic> = found
            .iter()
            .map(|d| convert::diagnostic(&self.ws, d, self.encoding, self.rule_docs.as_ref()))
            .collect();
        if self.published.get(name) != Some(&diagnostics) {
            self.send_diagnostics(name, diagnostics.clone())?;
            self.published.insert(name.to_string(), diagnostics);
        }
        Ok(())
    }

    /// Publishes the diagnostics of every file whose list changed, from a
    /// snapshot of the current set whose analysis is done.
    fn publish(&mut self, ws: &Workspace) -> Result<(), LspError> {
        let mut now: BTreeMap<String, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        for (_, file) in ws.sources().files() {
            now.insert(file.name.clone(), Vec::new());
        }
        for d in &ws.analysis().diagnostics {
            let name = ws.sources().name(d.primary.span.file).to_string();
            let lsp = convert::diagnostic(ws, d, self.encoding, self.rule_docs.as_ref());
            now.entry(name).or_default().push(lsp);
        }
        for name in self.published.keys() {
            now.entry(name.clone()).or_default();
        }
        for (name, diagnostics) in now {
            if self.published.get(&name) == Some(&diagnostics) {
                continue;
            }
            self.send_diagnostics(&name, diagnostics.clone())?;
            if diagnostics.is_empty() && ws.file_id(&name).is_none() {
                self.published.remove(&name);
            } else {
                self.published.insert(name, diagnostics);
            }
        }
        Ok(())
    }

    fn send_diagnostics(
        &self,
        name: &str,
        diagnostics: Vec<lsp_types::Diagnostic>,
    ) -> Result<(), LspError> {
        let Some(uri) = uri_of(name) else {
            return Ok(());
        };
        let params = PublishDiagnosticsParams::new(uri, diagnostics, None);
        let n = Notification::new(PublishDiagnostics::METHOD.to_string(), params);
        self.connection.sender.send(Message::Notification(n))?;
        Ok(())
    }

    /// Open, change and close; then diagnostics (now for a changed file
    /// when they come quickly, the whole set's after the analysis).
    pub fn notification(&mut self, n: Notification) -> Result<(), LspError> {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let p: lsp_types::DidOpenTextDocumentParams = serde_json::from_value(n.params)?;
                let name = name_of(&p.text_document.uri);
                self.ws.set_file(&name, p.text_document.text);
                self.open.insert(name.clone());
                return self.publish_file(&name);
            }
            DidChangeTextDocument::METHOD => {
                let p: lsp_types::DidChangeTextDocumentParams = serde_json::from_value(n.params)?;
                let name = name_of(&p.text_document.uri);
                // Full synchronization: the last change holds the whole text.
                if let Some(change) = p.content_changes.into_iter().last() {
                    self.ws.set_file(&name, change.text);
                }
                return self.publish_file(&name);
            }
            DidCloseTextDocument::METHOD => {
                let p: lsp_types::DidCloseTextDocumentParams = serde_json::from_value(n.params)?;
                self.close(&name_of(&p.text_document.uri));
                self.whole_pending = true;
            }
            _ => {}
        }
        Ok(())
    }

    /// A closed buffer goes back to the file on disk if it is part of the
    /// set, and out of the workspace otherwise.
    fn close(&mut self, name: &str) {
        self.open.remove(name);
        let on_disk = self
            .in_source_set(name)
            .then(|| std::fs::read_to_string(name).ok());
        match on_disk.flatten() {
            Some(text) => {
                self.ws.set_file(name, text);
            }
            None => {
                self.ws.remove_file(name);
            }
        }
    }

    fn in_source_set(&self, name: &str) -> bool {
        let Some(root) = &self.root else {
            return false;
        };
        Path::new(name).starts_with(root) && crate::project::is_policy_file(name)
    }
}
