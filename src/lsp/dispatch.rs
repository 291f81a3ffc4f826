//! LSP: request dispatch, one table from each method to the function that answers it.
//!
//! Every request is answered: a result, `MethodNotFound` for a method the
//! server does not offer, or `InvalidParams` with the reason for
//! parameters that do not parse or a request that cannot be answered
//! (a rename that would collide). Nothing a client sends ends the server.

use lsp_server::{ErrorCode, Request, Response};
use lsp_types::request::{
    CodeActionRequest, Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest,
    PrepareRenameRequest, References, Rename, Request as LspRequest, WorkspaceSymbolRequest,
};
use lsp_types::{DocumentSymbolResponse, PrepareRenameResponse};
use serde_json::Value as Json;

use super::convert::symbols;
use super::position::range;
use super::snapshot::Snapshot;
use super::{actions, handlers, LspError};

/// The response to a request. A request whose answer fails on a broken
/// invariant gets `InternalError`, and the worker goes on.
pub fn respond(server: &Snapshot, r: Request) -> Response {
    let id = r.id.clone();
    let method = r.method.clone();
    let answered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| answer(server, r)));
    let Ok(answered) = answered else {
        let message = format!("atom lsp: `{method}` failed; please report it");
        return Response::new_err(id, ErrorCode::InternalError as i32, message);
    };
    match answered {
        Ok(Some(value)) => Response::new_ok(id, value),
        Ok(None) => Response::new_err(
            id,
            ErrorCode::MethodNotFound as i32,
            "not supported".to_string(),
        ),
        Err(e) => Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string()),
    }
}

/// The document of a request that may be answered from the last finished
/// analysis when that document is unchanged since (hover: its answer is
/// then the same, and it does not wait for the set to be analysed again).
/// Completion reads the current text with the last analysis's names
/// ([`Snapshot::names`]); every other request reads the current set.
pub fn reads_last_analysis(r: &Request) -> Option<lsp_types::Uri> {
    if r.method != HoverRequest::METHOD {
        return None;
    }
    let p: lsp_types::HoverParams = serde_json::from_value(r.params.clone()).ok()?;
    Some(p.text_document_position_params.text_document.uri)
}

/// Parses a request's parameters.
fn params<P: serde::de::DeserializeOwned>(r: Request) -> Result<P, LspError> {
    Ok(serde_json::from_value(r.params)?)
}

/// The table: `Ok(None)` for a method the server does not offer.
fn answer(server: &Snapshot, r: Request) -> Result<Option<Json>, LspError> {
    let value = match r.method.as_str() {
        HoverRequest::METHOD => {
            let p: lsp_types::HoverParams = params(r)?;
            serde_json::to_value(handlers::hover(server, &p.text_document_position_params))?
        }
        GotoDefinition::METHOD => {
            let p: lsp_types::GotoDefinitionParams = params(r)?;
            serde_json::to_value(handlers::definition(
                server,
                &p.text_document_position_params,
            ))?
        }
        References::METHOD => {
            let p: lsp_types::ReferenceParams = params(r)?;
            let with_declaration = p.context.include_declaration;
            serde_json::to_value(handlers::references(
                server,
                &p.text_document_position,
                with_declaration,
            ))?
        }
        DocumentSymbolRequest::METHOD => {
            let p: lsp_types::DocumentSymbolParams = params(r)?;
            let outline = server
                .file(&p.text_document.uri)
                .map(|f| server.ws.outline(f))
                .unwrap_or_default();
            let found = symbols(&server.ws, &outline, server.encoding);
            serde_json::to_value(DocumentSymbolResponse::Nested(found))?
        }
        Formatting::METHOD => {
            let p: lsp_types::DocumentFormattingParams = params(r)?;
            serde_json::to_value(handlers::format(server, server.file(&p.text_document.uri)))?
        }
        PrepareRenameRequest::METHOD => {
            let p: lsp_types::TextDocumentPositionParams = params(r)?;
            let Some((file, offset)) = server.at(&p) else {
                return Ok(Some(Json::Null));
            };
            let (_, span) = server.ws.prepare_rename(file, offset)?;
            let source = server.ws.sources().get(file).ok_or("no such file")?;
            let range = range(source, span, server.encoding);
            serde_json::to_value(PrepareRenameResponse::Range(range))?
        }
        Rename::METHOD => {
            let p: lsp_types::RenameParams = params(r)?;
            let Some((file, offset)) = server.at(&p.text_document_position) else {
                return Ok(Some(Json::Null));
            };
            let edits = server.ws.rename(file, offset, &p.new_name)?;
            serde_json::to_value(actions::workspace_edit(server, edits))?
        }
        CodeActionRequest::METHOD => {
            let p: lsp_types::CodeActionParams = params(r)?;
            serde_json::to_value(actions::code_actions(server, &p))?
        }
        Completion::METHOD => {
            let p: lsp_types::CompletionParams = params(r)?;
            let items = server
                .at(&p.text_document_position)
                .map(|(file, offset)| actions::completions(server, file, offset))
                .unwrap_or_default();
            serde_json::to_value(lsp_types::CompletionResponse::Array(items))?
        }
        WorkspaceSymbolRequest::METHOD => {
            let p: lsp_types::WorkspaceSymbolParams = params(r)?;
            serde_json::to_value(actions::workspace_symbols(server, &p.query))?
        }
        _ => return Ok(None),
    };
    Ok(Some(value))
}
