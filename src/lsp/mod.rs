//! LSP: `atom lsp`, the language server (LSP 3.17 on stdin/stdout through `lsp-server` and `lsp-types`), a shell over the workspace.
//!
//! The server holds one [`Workspace`](crate::workspace::Workspace): the
//! manifest's source set under the client's root (or, with no manifest,
//! every `.atom` file under it), with open buffers replacing their files.
//! A change re-parses only the changed file; diagnostics of every file are
//! republished after each change (and cleared when fixed). Requests:
//! hover, completion, definition, references, document and workspace symbols,
//! rename (with `prepareRename`), code actions (the did-you-mean of an
//! undeclared name; a suppression comment for a lint) and formatting.

mod actions;
mod convert;
mod dispatch;
mod handlers;
pub mod position;
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
    server.publish()?;
    loop {
        // After a change, the whole set's diagnostics wait until the client
        // has been quiet for `QUIET` (typing publishes the changed file only).
        let message = if server.whole_pending {
            match connection.receiver.recv_timeout(QUIET) {
                Ok(message) => message,
                Err(e) if e.is_timeout() => {
                    server.publish()?;
                    continue;
                }
                Err(_) => return Ok(()),
            }
        } else {
            match connection.receiver.recv() {
                Ok(message) => message,
                Err(_) => return Ok(()),
            }
        };
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let response = dispatch::respond(&mut server, request);
                connection.sender.send(Message::Response(response))?;
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
    }
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
