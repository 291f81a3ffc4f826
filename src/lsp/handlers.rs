//! LSP: requests that read the set; hover, definition, references, formatting.

use lsp_types::{
    GotoDefinitionResponse, Hover, HoverContents, MarkupContent, MarkupKind, Position,
    TextDocumentPositionParams, TextEdit,
};

use super::convert::location;
use super::position::range;
use super::snapshot::Snapshot;
use crate::diag::FileId;

pub(super) fn hover(server: &Snapshot, p: &TextDocumentPositionParams) -> Option<Hover> {
    let (file, offset) = server.at(p)?;
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

pub(super) fn definition(
    server: &Snapshot,
    p: &TextDocumentPositionParams,
) -> Option<GotoDefinitionResponse> {
    let (file, offset) = server.at(p)?;
    let found: Vec<_> = server
        .ws
        .definition(file, offset)
        .into_iter()
        .filter_map(|s| location(&server.ws, s, server.encoding))
        .collect();
    (!found.is_empty()).then_some(GotoDefinitionResponse::Array(found))
}

pub(super) fn references(
    server: &Snapshot,
    p: &TextDocumentPositionParams,
    with_declaration: bool,
) -> Option<Vec<lsp_types::Location>> {
    let (file, offset) = server.at(p)?;
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
pub(super) fn format(server: &Snapshot, file: Option<FileId>) -> Option<Vec<TextEdit>> {
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
