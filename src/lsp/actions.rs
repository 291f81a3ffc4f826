//! LSP: requests that change text or search the set; rename, code actions, workspace symbols.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, SymbolInformation, TextEdit, Uri,
    WorkspaceEdit,
};

use super::convert::location;
use super::position::offset;
use super::snapshot::Snapshot;
use crate::diag::{Diagnostic, FileId, Span};

/// Edits by document.
#[expect(
    clippy::mutable_key_type,
    reason = "lsp-types keys a WorkspaceEdit by Uri, whose lazily parsed parts never change its hash"
)]
pub(super) fn workspace_edit(server: &Snapshot, edits: Vec<(Span, String)>) -> WorkspaceEdit {
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (span, text) in edits {
        if let Some(l) = location(&server.ws, span, server.encoding) {
            changes
                .entry(l.uri)
                .or_default()
                .push(TextEdit::new(l.range, text));
        }
    }
    WorkspaceEdit::new(changes)
}

/// Quick fixes for the findings that touch the requested range: each
/// finding's own fixes, and for a lint a suppression comment above its line.
pub(super) fn code_actions(
    server: &Snapshot,
    p: &lsp_types::CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    let Some(file) = server.file(&p.text_document.uri) else {
        return Vec::new();
    };
    let Some(source) = server.ws.sources().get(file) else {
        return Vec::new();
    };
    let (from, to) = (
        offset(source, p.range.start, server.encoding),
        offset(source, p.range.end, server.encoding),
    );
    let touching = |d: &&Diagnostic| {
        d.primary.span.file == file
            && (d.primary.span.start as usize) <= to
            && from <= d.primary.span.end as usize
    };
    let mut out = Vec::new();
    for d in server.ws.analysis().diagnostics.iter().filter(touching) {
        for fix in &d.fixes {
            out.push(action(
                server,
                &fix.title,
                vec![(fix.span, fix.replacement.clone())],
            ));
        }
        if d.code.id.starts_with('L') {
            out.push(suppression(server, file, d));
        }
    }
    out
}

fn action(server: &Snapshot, title: &str, edits: Vec<(Span, String)>) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.to_string(),
        kind: Some(CodeActionKind::QUICKFIX),
        edit: Some(workspace_edit(server, edits)),
        ..CodeAction::default()
    })
}

/// `// atom: allow(NAME) REASON` on the line above the finding, indented like it.
fn suppression(server: &Snapshot, file: FileId, d: &Diagnostic) -> CodeActionOrCommand {
    let source = server.ws.sources().get(file);
    let line = source.map_or(1, |s| s.line_col(d.primary.span.start as usize).line);
    let start = source.map_or(0, |s| s.line_start(line));
    let indent: String = source
        .map(|s| s.line_text(line))
        .unwrap_or("")
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect();
    let name = d.code.title;
    let comment = format!("{indent}// atom: allow({name}) explain why this is acceptable\n");
    let span = Span::new(file, start..start);
    action(
        server,
        &format!("suppress `{name}` here, with a reason"),
        vec![(span, comment)],
    )
}

/// The workspace's completions as protocol items.
pub(super) fn completions(
    server: &Snapshot,
    file: FileId,
    offset: usize,
) -> Vec<lsp_types::CompletionItem> {
    use crate::workspace::CompletionKind as K;
    use lsp_types::CompletionItemKind as L;
    server
        .ws
        .completions_with(&server.names(file), file, offset)
        .into_iter()
        .map(|c| lsp_types::CompletionItem {
            kind: Some(match c.kind {
                K::Keyword => L::KEYWORD,
                K::Action => L::FUNCTION,
                K::Kind | K::Type => L::TYPE_PARAMETER,
                K::Object | K::Entity => L::VARIABLE,
                K::Group | K::ObjectGroup => L::MODULE,
                K::Block => L::STRUCT,
                K::Role => L::CLASS,
                K::Field => L::FIELD,
            }),
            label: c.label,
            ..lsp_types::CompletionItem::default()
        })
        .collect()
}

#[allow(deprecated)] // `SymbolInformation::deprecated` must still be written
pub(super) fn workspace_symbols(server: &Snapshot, query: &str) -> Vec<SymbolInformation> {
    server
        .ws
        .find_declarations(query)
        .into_iter()
        .filter_map(|(symbol, span)| {
            Some(SymbolInformation {
                name: server.ws.model().symbol_name(symbol),
                kind: lsp_types::SymbolKind::OBJECT,
                tags: None,
                deprecated: None,
                location: location(&server.ws, span, server.encoding)?,
                container_name: Some(server.ws.sources().name(span.file).to_string()),
            })
        })
        .collect()
}
