//! LSP: `atom lsp`, the language server (LSP 3.17 on stdin/stdout through `lsp-server` and `lsp-types`), a shell over the workspace.
//!
//! The server holds one [`Workspace`](crate::workspace::Workspace): the
//! manifest's source set under the client's root (or, with no manifest,
//! every `.atom` file under it), with open buffers replacing their files.
//! A change re-parses only the changed file; diagnostics of every file are
//! republished after each change (and cleared when fixed).
//!
//! Threads: the main loop owns the workspace and only reads messages and
//! changes files; the whole-set analysis runs on a thread of its own on a
//! snapshot, and requests are answered by a pool of workers, each from a
//! snapshot ([`snapshot`]), so hover and completion answer while the set
//! is being analysed. Requests:
//! hover, completion, definition, references, document and workspace symbols,
//! rename (with `prepareRename`), code actions (the did-you-mean of an
//! undeclared name; a suppression comment for a lint) and formatting.

mod actions;
mod convert;
mod dispatch;
mod handlers;
mod pool;
pub mod position;
mod snapshot;
mod state;
mod transport;
mod uri;

use std::error::Error;

use lsp_server::{Connection, Message};
use lsp_types::{
    HoverProviderCapability, InitializeParams, OneOf, PositionEncodingKind, ServerCapabilities,
    ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind,
};

use position::Encoding;
use state::Server;

/// Any failure of the protocol or the connection.
pub type LspError = Box<dyn Error + Send + Sync>;

/// Serves on stdin/stdout until the client says `exit` (or its input
/// ends); no malformed message ends it ([`transport`]).
pub fn run_stdio() -> Result<(), LspError> {
    let (connection, io_threads) = transport::stdio();
    serve(&connection)?;
    drop(connection);
    io_threads.join()?;
    Ok(())
}

/// Serves one client on a connection: initialization, then every message
/// until `shutdown` and `exit`.
pub fn serve(connection: &Connection) -> Result<(), LspError> {
    let (id, params) = connection.initialize_start()?;
    let init: InitializeParams = serde_json::from_value(params)?;
    let encoding = negotiate(&init);
    let result = lsp_types::InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "atom".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let mut server = Server::new(connection, uri::root(&init), encoding);
    server.rule_docs = init
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("ruleDocs")?.as_str())
        .and_then(|u| url::Url::parse(u).ok());
    server.load_source_set();
    let pool = pool::Pool::new(WORKERS);
    let (analysed, done) = crossbeam_channel::unbounded();
    server.start_analysis(&analysed);
    loop {
        // After a change, the whole set is analysed again once the client
        // has been quiet for `QUIET` (typing publishes the changed file only).
        let quiet = if server.whole_pending && !server.analysing {
            crossbeam_channel::after(QUIET)
        } else {
            crossbeam_channel::never()
        };
        crossbeam_channel::select! {
            recv(connection.receiver) -> message => {
                let Ok(message) = message else { return Ok(()) };
                if handle(connection, &mut server, &pool, message)? {
                    return Ok(());
                }
            }
            recv(done) -> snapshot => {
                if let Ok(snapshot) = snapshot {
                    server.analysis_done(snapshot)?;
                }
            }
            recv(quiet) -> _ => server.start_analysis(&analysed),
        }
    }
}

/// Threads answering requests: two, so that one slow request (the first
/// after a change waits for the model) leaves one for the next.
const WORKERS: usize = 2;

/// One message from the client; `true` once it has said `shutdown`.
fn handle(
    connection: &Connection,
    server: &mut Server<'_>,
    pool: &pool::Pool,
    message: Message,
) -> Result<bool, LspError> {
    match message {
        Message::Request(request) => {
            if connection.handle_shutdown(&request)? {
                return Ok(true);
            }
            let snapshot = server.snapshot(&request);
            let sender = connection.sender.clone();
            pool.run(move || {
                let response = dispatch::respond(&snapshot, request);
                // The connection is closing when nobody receives.
                let _ = sender.send(Message::Response(response));
            });
        }
        Message::Notification(notification) => {
            // A notification has no answer: one that cannot be read
            // (malformed parameters) is reported on stderr and skipped.
            let method = notification.method.clone();
            if let Err(e) = server.notification(notification) {
                eprintln!("atom lsp: skipped the notification `{method}`: {e}");
            }
        }
        Message::Response(_) => {}
    }
    Ok(false)
}

/// How long the client must be quiet before the whole set is re-analysed
/// after a change.
const QUIET: std::time::Duration = std::time::Duration::from_millis(100);

/// UTF-8 positions when the client offers them (no conversion), else UTF-16.
fn negotiate(init: &InitializeParams) -> Encoding {
    let offered = init
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        completion_provider: Some(lsp_types::CompletionOptions {
            trigger_characters: Some(vec![".".to_string(), " ".to_string()]),
            ..lsp_types::CompletionOptions::default()
        }),
        rename_provider: Some(OneOf::Right(lsp_types::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: lsp_types::WorkDoneProgressOptions::default(),
        })),
        code_action_provider: Some(lsp_types::CodeActionProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    }
}
