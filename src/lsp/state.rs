//! LSP: the server's state; the workspace, open buffers, what was last published, and the notifications that change them.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, Message, Notification};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::{PublishDiagnosticsParams, TextDocumentPositionParams, Uri};

use super::position::{offset, Encoding};
use super::uri::{absolute, name_of, uri_of};
use super::{convert, LspError};
use crate::diag::FileId;
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
    /// A change was published for its own file only; the other files'
    /// lists wait for the whole analysis, run when the client goes quiet.
    pub whole_pending: bool,
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
            rule_docs: None,
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

    /// Publishes the diagnostics of one changed file at once, from its part
    /// of the set when that is enough (`Workspace::file_diagnostics`); the
    /// other files follow with the whole analysis, when the client is quiet.
    fn publish_file(&mut self, name: &str) -> Result<(), LspError> {
        let Some(id) = self.ws.file_id(name) else {
            return self.publish();
        };
        let diagnostics: Vec<lsp_types::Diagnostic> = self
            .ws
            .file_diagnostics(id)
            .iter()
            .map(|d| convert::diagnostic(&self.ws, d, self.encoding, self.rule_docs.as_ref()))
            .collect();
        if self.published.get(name) != Some(&diagnostics) {
            self.send_diagnostics(name, diagnostics.clone())?;
            self.published.insert(name.to_string(), diagnostics);
        }
        self.whole_pending = true;
        Ok(())
    }

    /// Publishes the diagnostics of every file whose list changed.
    pub fn publish(&mut self) -> Result<(), LspError> {
        self.whole_pending = false;
        let mut now: BTreeMap<String, Vec<lsp_types::Diagnostic>> = BTreeMap::new();
        for (_, file) in self.ws.sources().files() {
            now.insert(file.name.clone(), Vec::new());
        }
        for d in &self.ws.analysis().diagnostics {
            let name = self.ws.sources().name(d.primary.span.file).to_string();
            let lsp = convert::diagnostic(&self.ws, d, self.encoding, self.rule_docs.as_ref());
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
            if diagnostics.is_empty() && self.ws.file_id(&name).is_none() {
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

    /// Open, change and close; then diagnostics.
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
            }
            _ => return Ok(()),
        }
        self.publish()
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

    /// The workspace file of a document.
    pub fn file(&self, uri: &Uri) -> Option<FileId> {
        self.ws.file_id(&name_of(uri))
    }

    /// The file and byte offset of a position.
    pub fn at(&self, p: &TextDocumentPositionParams) -> Option<(FileId, usize)> {
        let file = self.file(&p.text_document.uri)?;
        let source = self.ws.sources().get(file)?;
        Some((file, offset(source, p.position, self.encoding)))
    }
}
