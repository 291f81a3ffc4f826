//! LSP: a snapshot, what a request is answered from on a worker thread.
//!
//! A snapshot is a clone of the server's workspace (a pointer a file), so
//! a request never waits for the main loop, and the main loop never waits
//! for a request. Which workspace a request reads is chosen when it
//! arrives ([`super::state::Server::snapshot`]).

use std::borrow::Cow;

use lsp_types::{TextDocumentPositionParams, Uri};

use super::position::{offset, Encoding};
use super::uri::name_of;
use crate::check::model::Model;
use crate::diag::FileId;
use crate::workspace::Workspace;

/// What one request reads.
pub struct Snapshot {
    /// The files as the request sees them (the model is computed on the
    /// worker if it is not yet).
    pub ws: Workspace,
    /// The last workspace whose analysis is done, if any: its names serve
    /// completion in a file with top-level declarations while the current
    /// set is analysed.
    pub analysed: Option<Workspace>,
    pub encoding: Encoding,
}

impl Snapshot {
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

    /// The names to complete `file` with, without waiting for the whole
    /// analysis when it can be helped: the current model when done, else
    /// the file's part of the set (a file that declares only inside
    /// tenants, [`Workspace::quick_model`]), else the last finished
    /// analysis, else the current model (computed here).
    pub fn names(&self, file: FileId) -> Cow<'_, Model> {
        if let Some(quick) = self.ws.quick_model(file) {
            return quick;
        }
        match &self.analysed {
            Some(done) => Cow::Borrowed(done.model()),
            None => Cow::Borrowed(self.ws.model()),
        }
    }
}
