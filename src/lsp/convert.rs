//! LSP: the workspace's answers in protocol types; diagnostics, locations, symbols.

use lsp_types::{
    DiagnosticRelatedInformation, DiagnosticSeverity, DocumentSymbol, Location, NumberOrString,
    SymbolKind,
};

use super::position::{range, Encoding};
use super::uri::uri_of;
use crate::diag::{Diagnostic, Severity, Span};
use crate::workspace::outline::Outline;
use crate::workspace::Workspace;

/// The location of a span, if its file has a URI.
pub fn location(ws: &Workspace, span: Span, encoding: Encoding) -> Option<Location> {
    let file = ws.sources().get(span.file)?;
    Some(Location::new(
        uri_of(&file.name)?,
        range(file, span, encoding),
    ))
}

/// A diagnostic: the code, the message with its label, help and notes,
/// and the secondary labels as related information.
pub fn diagnostic(
    ws: &Workspace,
    d: &Diagnostic,
    encoding: Encoding,
    rule_docs: Option<&url::Url>,
) -> lsp_types::Diagnostic {
    let range = ws
        .sources()
        .get(d.primary.span.file)
        .map(|f| range(f, d.primary.span, encoding))
        .unwrap_or_default();
    let mut message = d.message.clone();
    if !d.primary.message.is_empty() {
        message.push_str(&format!(" ({})", d.primary.message));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    for note in &d.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation {
                location: location(ws, l.span, encoding)?,
                message: l.message.clone(),
            })
        })
        .collect();
    lsp_types::Diagnostic {
        range,
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.id.to_string())),
        code_description: rule_docs.and_then(|base| code_link(base, d.code.id)),
        source: Some("atom".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..lsp_types::Diagnostic::default()
    }
}

/// The section of a code (`A0003`, `L009`) in the rule documentation:
/// `BASE#a0003`, the anchor of its heading in `docs/reference.md`.
fn code_link(base: &url::Url, code: &str) -> Option<lsp_types::CodeDescription> {
    let mut url = base.clone();
    url.set_fragment(Some(&code.to_ascii_lowercase()));
    let href = url.as_str().parse().ok()?;
    Some(lsp_types::CodeDescription { href })
}

/// A file's outline as nested document symbols.
pub fn symbols(ws: &Workspace, outline: &[Outline], encoding: Encoding) -> Vec<DocumentSymbol> {
    let Some(file) = outline.first().and_then(|o| ws.sources().get(o.span.file)) else {
        return Vec::new();
    };
    outline.iter().map(|o| symbol(file, o, encoding)).collect()
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written
fn symbol(file: &crate::diag::SourceFile, o: &Outline, encoding: Encoding) -> DocumentSymbol {
    let children: Vec<DocumentSymbol> = o
        .children
        .iter()
        .map(|c| symbol(file, c, encoding))
        .collect();
    DocumentSymbol {
        name: o.name.clone(),
        detail: Some(o.keyword.to_string()),
        kind: symbol_kind(o.keyword),
        tags: None,
        deprecated: None,
        range: range(file, o.span, encoding),
        selection_range: range(file, o.name_span, encoding),
        children: (!children.is_empty()).then_some(children),
    }
}

/// The editor's icon for a declaration.
fn symbol_kind(keyword: &str) -> SymbolKind {
    match keyword {
        "tenant" => SymbolKind::NAMESPACE,
        "entity" => SymbolKind::OBJECT,
        "resource" | "object" => SymbolKind::FILE,
        "object-group" | "principal-group" => SymbolKind::PACKAGE,
        "block" => SymbolKind::STRUCT,
        "role" => SymbolKind::CLASS,
        "action" => SymbolKind::FUNCTION,
        "type" => SymbolKind::TYPE_PARAMETER,
        "test" => SymbolKind::METHOD,
        "guardrail" => SymbolKind::INTERFACE,
        _ => SymbolKind::PROPERTY,
    }
}
