//! LSP: requests; hover, definition, references, document symbols and formatting.

use lsp_server::Request;
use lsp_types::request::{
    DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, References,
    Request as LspRequest,
};
use lsp_types::{
    DocumentSymbolResponse, GotoDefinitionResponse, Hover, HoverContents, MarkupContent,
    MarkupKind, Position, TextDocumentPositionParams, TextEdit,
};
use serde_json::Value as Json;

use super::actions;
use super::convert::{location, symbols};
use super::position::{offset, range};
use super::state::Server;
use super::LspError;
use crate::diag::FileId;

/// Answers a request; `Ok(None)` for a method the server does not know.
pub fn handle(server: &mut Server<'_>, r: Request) -> Result<Option<Json>, LspError> {
    let value = match r.method.as_str() {
        HoverRequest::METHOD => {
            let p: lsp_types::HoverParams = serde_json::from_value(r.params)?;
            serde_json::to_value(hover(server, &p.text_document_position_params))?
        }
        GotoDefinition::METHOD => {
            let p: lsp_types::GotoDefinitionParams = serde_json::from_value(r.params)?;
            serde_json::to_value(definition(server, &p.text_document_position_params))?
        }
        References::METHOD => {
            let p: lsp_types::ReferenceParams = serde_json::from_value(r.params)?;
            let with_declaration = p.context.include_declaration;
            serde_json::to_value(references(
                server,
                &p.text_document_position,
                with_declaration,
            ))?
        }
        DocumentSymbolRequest::METHOD => {
            let p: lsp_types::DocumentSymbolParams = serde_json::from_value(r.params)?;
            let outline = server
                .file(&p.text_document.uri)
                .map(|f| server.ws.outline(f))
                .unwrap_or_default();
            let found = symbols(&server.ws, &outline, server.encoding);
            serde_json::to_value(DocumentSymbolResponse::Nested(found))?
        }
        Formatting::METHOD => {
            let p: lsp_types::DocumentFormattingParams = serde_json::from_value(r.params)?;
            serde_json::to_value(format(server, server.file(&p.text_document.uri)))?
        }
        _ => return actions::handle(server, r),
    };
    Ok(Some(value))
}

/// The file and byte offset of a position.
pub fn at(server: &Server<'_>, p: &TextDocumentPositionParams) -> Option<(FileId, usize)> {
    let file = server.file(&p.text_document.uri)?;
    let source = server.ws.sources().get(file)?;
    Some((file, offset(source, p.position, server.encoding)))
}

fn hover(server: &Server<'_>, p: &TextDocumentPositionParams) -> Option<Hover> {
    let (file, offset) = at(server, p)?;
    let (span, text) = server.ws.hover(file, offset)?;
    let source = server.ws.sources().get(file)?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(range(source, span, server.encoding)),
    })
}

fn definition(
    server: &Server<'_>,
    p: &TextDocumentPositionParams,
) -> Option<GotoDefinitionResponse> {
    let (file, offset) = at(server, p)?;
    let found: Vec<_> = server
        .ws
        .definition(file, offset)
        .into_iter()
        .filter_map(|s| location(&server.ws, s, server.encoding))
        .collect();
    (!found.is_empty()).then_some(GotoDefinitionResponse::Array(found))
}

fn references(
    server: &Server<'_>,
    p: &TextDocumentPositionParams,
    with_declaration: bool,
) -> Option<Vec<lsp_types::Location>> {
    let (file, offset) = at(server, p)?;
    let symbol = server.ws.symbol_at(file, offset)?;
    let mut spans = Vec::new();
    if with_declaration {
        spans.extend(server.ws.model().declarations(symbol));
    }
    spans.extend(server.ws.references(symbol));
    Some(
        spans
            .into_iter()
            .filter_map(|s| location(&server.ws, s, server.encoding))
            .collect(),
    )
}

/// The whole document replaced by its formatted text; nothing when it is
/// already formatted or has a syntax error.
fn format(server: &Server<'_>, file: Option<FileId>) -> Option<Vec<TextEdit>> {
    let source = server.ws.sources().get(file?)?;
    let formatted = crate::format::format(file?, &source.text).ok()?;
    if formatted == source.text {
        return Some(Vec::new());
    }
    let end = super::position::position(source, source.text.len(), server.encoding);
    Some(vec![TextEdit::new(
        lsp_types::Range::new(Position::new(0, 0), end),
        formatted,
    )])
}
