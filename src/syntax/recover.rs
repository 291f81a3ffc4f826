//! Syntax: error recovery; a file that does not parse is cut at declaration
//! boundaries and each piece is parsed alone, so one error hides nothing else.
//!
//! The pest grammar stays the one description of the syntax: this module
//! only decides where pieces start, from the token layer, and parses each
//! with the grammar's `lone_item` (or `lone_tenant_head` for the opening of
//! a tenant, whose declarations are pieces of their own).
//!
//! A declaration boundary is a declaration keyword (`entity`, `block`, ...)
//! that starts a line, is not the continuation of the line before (which
//! does not end in `,`, `on`, `in`, `=`, an operator, ...), and is not
//! itself a name in a list or map (followed by `,`, `=`, `:`, `}`, ...).
//! A boundary closes whatever braces the broken declaration left open; a
//! `tenant` keyword also closes an unclosed tenant. The names that broken
//! declarations meant to declare are kept ([`Broken`]), so that the checker
//! does not call their uses undeclared.

use std::ops::Range;

use pest::Parser;

use super::ast::{Decl, Item};
use super::expected::syntax_error;
use super::grammar::{AtomParser, Rule};
use super::keywords::DECLARATIONS;
use super::lower::Lowerer;
use super::tokens::{tokenize, Token, TokenKind};
use crate::diag::{codes, Diagnostic, FileId, Span};

/// A declaration that did not parse, and the name it declares when one can
/// be read from its tokens.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Broken {
    /// The tenant it stands in, if any.
    pub tenant: Option<String>,
    /// The declared name, unquoted when it was quoted.
    pub name: String,
    pub span: Span,
}

/// Tokens after which a line continues the same declaration.
const CONTINUES: [&str; 20] = [
    ",", ":", "/", "=", "==", "!=", "<=", ">=", "<", ">", "on", "to", "in", "within", "beneath",
    "when", "and", "with", "because", "contains",
];

/// Tokens before which a keyword is a name, not a declaration.
const NAME_BEFORE: [&str; 6] = [",", "=", ":", "/", "}", "]"];

/// How many words of a broken declaration are read for the names it declares.
const MAX_BROKEN_WORDS: usize = 256;

/// A piece of a file to parse alone.
#[derive(Debug, PartialEq, Eq)]
enum Piece {
    Item(Range<usize>),
    Tenant {
        head: Range<usize>,
        body: Vec<Range<usize>>,
        /// The closing `}`, if the tenant has one.
        close: Option<Range<usize>>,
    },
}

/// A tenant being cut: its opening, then its declarations.
struct TenantCut {
    head_start: usize,
    /// Past the `{` that opens the body, once it is found.
    head_end: Option<usize>,
    body: Vec<Range<usize>>,
    item_start: Option<usize>,
}

impl TenantCut {
    fn end_item(&mut self, at: usize) {
        if let Some(start) = self.item_start.take() {
            self.body.push(start..at);
        }
    }
}

/// Cuts a file into pieces.
struct Cutter<'t> {
    text: &'t str,
    tokens: &'t [Token],
    pieces: Vec<Piece>,
    top_start: Option<usize>,
    tenant: Option<TenantCut>,
    /// Braces and brackets open in the current declaration.
    depth: usize,
    /// The indentation of the current declaration's first line.
    piece_indent: usize,
}

impl<'t> Cutter<'t> {
    /// The significant tokens' indices.
    fn significant(&self) -> Vec<usize> {
        (0..self.tokens.len())
            .filter(|&i| !self.tokens[i].kind.is_trivia())
            .collect()
    }

    fn text_of(&self, i: usize) -> &'t str {
        self.tokens[i].text(self.text)
    }

    /// Whether significant token `sig[k]` starts a declaration: a
    /// declaration keyword, or (a misspelt keyword) any other word at the
    /// indentation of the declaration in progress and outside its braces.
    fn is_boundary(&self, sig: &[usize], k: usize) -> bool {
        let i = sig[k];
        let word = self.text_of(i);
        if self.tokens[i].kind != TokenKind::Word {
            return false;
        }
        let line_start = k == 0
            || self.tokens[sig[k - 1]..i]
                .iter()
                .any(|t| t.kind == TokenKind::Newline);
        let continued = k > 0 && CONTINUES.contains(&self.text_of(sig[k - 1]));
        let a_name = sig
            .get(k + 1)
            .is_some_and(|&n| NAME_BEFORE.contains(&self.text_of(n)));
        if !line_start || continued || a_name {
            return false;
        }
        DECLARATIONS.contains(&word)
            || (self.depth == 0
                && self.indent(i) == self.piece_indent
                && !CONTINUES.contains(&word)
                && word != "absolute")
    }

    /// The indentation of token `i`, which starts a line.
    fn indent(&self, i: usize) -> usize {
        match i.checked_sub(1).map(|p| self.tokens[p]) {
            Some(t) if t.kind == TokenKind::Space => (t.end - t.start) as usize,
            _ => 0,
        }
    }

    /// Where the declaration whose first token is `i` starts: at its doc
    /// comment, if the trivia before it holds one.
    fn lead(&self, i: usize) -> usize {
        let mut start = self.tokens[i].start as usize;
        for t in self.tokens[..i].iter().rev() {
            match t.kind {
                TokenKind::DocComment => start = t.start as usize,
                k if k.is_trivia() => {}
                _ => break,
            }
        }
        start
    }

    /// Ends the top-level declaration (and tenant) in progress at `at`.
    fn end_top(&mut self, at: usize) {
        if let Some(mut t) = self.tenant.take() {
            match t.head_end {
                None => self.pieces.push(Piece::Item(t.head_start..at)),
                Some(head_end) => {
                    t.end_item(at);
                    self.pieces.push(Piece::Tenant {
                        head: t.head_start..head_end,
                        body: t.body,
                        close: None,
                    });
                }
            }
        }
        if let Some(start) = self.top_start.take() {
            self.pieces.push(Piece::Item(start..at));
        }
    }

    fn boundary(&mut self, i: usize) {
        let at = self.lead(i);
        let in_body = self.tenant.as_ref().is_some_and(|t| t.head_end.is_some());
        let keyword = self.text_of(i);
        match self.tenant.as_mut() {
            Some(t) if in_body && keyword != "tenant" => {
                t.end_item(at);
                t.item_start = Some(at);
            }
            _ => {
                self.end_top(at);
                if keyword == "tenant" {
                    self.tenant = Some(TenantCut {
                        head_start: at,
                        head_end: None,
                        body: Vec::new(),
                        item_start: None,
                    });
                } else {
                    self.top_start = Some(at);
                }
            }
        }
        self.depth = 0;
        self.piece_indent = self.indent(i);
    }

    /// Any other significant token.
    fn token(&mut self, i: usize) {
        let t = self.tokens[i];
        let lead = self.lead(i);
        let text = self.text_of(i);
        match (text, self.tenant.as_mut()) {
            ("{", Some(tenant)) if tenant.head_end.is_none() && self.depth == 0 => {
                tenant.head_end = Some(t.end as usize);
                return;
            }
            ("}", Some(tenant)) if tenant.head_end.is_some() && self.depth == 0 => {
                tenant.end_item(t.start as usize);
                let tenant = self.tenant.take();
                if let Some(TenantCut {
                    head_start,
                    head_end: Some(head_end),
                    body,
                    ..
                }) = tenant
                {
                    self.pieces.push(Piece::Tenant {
                        head: head_start..head_end,
                        body,
                        close: Some(t.range()),
                    });
                }
                return;
            }
            ("{" | "[", _) => self.depth += 1,
            ("}" | "]", _) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        match self.tenant.as_mut() {
            Some(tenant) if tenant.head_end.is_some() => {
                tenant.item_start.get_or_insert(lead);
            }
            Some(_) => {}
            None => {
                self.top_start.get_or_insert(lead);
            }
        }
    }
}

/// Cuts `text` into the pieces to parse alone.
fn cut(text: &str, tokens: &[Token]) -> Vec<Piece> {
    let mut c = Cutter {
        text,
        tokens,
        pieces: Vec::new(),
        top_start: None,
        tenant: None,
        depth: 0,
        piece_indent: 0,
    };
    let sig = c.significant();
    for k in 0..sig.len() {
        if c.is_boundary(&sig, k) {
            c.boundary(sig[k]);
        } else {
            c.token(sig[k]);
        }
    }
    // A doc comment after the last declaration documents nothing: a piece
    // of its own, so that the error says so.
    let last = sig.last().map_or(0, |&i| i + 1);
    let dangling = tokens[last..]
        .iter()
        .find(|t| t.kind == TokenKind::DocComment);
    match dangling {
        Some(doc) => {
            c.end_top(doc.start as usize);
            c.pieces.push(Piece::Item(doc.start as usize..text.len()));
        }
        None => c.end_top(text.len()),
    }
    c.pieces
}

/// What the recovering parser found in a file.
pub(crate) struct Recovered {
    pub items: Vec<Item>,
    pub diagnostics: Vec<Diagnostic>,
    pub broken: Vec<Broken>,
}

/// Parses a file that failed to parse whole, piece by piece.
pub(crate) fn parse_pieces(file: FileId, text: &str) -> Recovered {
    let tokens = tokenize(text);
    let mut p = PieceParser {
        file,
        text,
        tokens: &tokens,
        out: Recovered {
            items: Vec::new(),
            diagnostics: Vec::new(),
            broken: Vec::new(),
        },
    };
    for piece in cut(text, &tokens) {
        match piece {
            Piece::Item(range) => {
                if let Some(item) = p.item(range, None) {
                    p.out.items.push(item);
                }
            }
            Piece::Tenant { head, body, close } => p.tenant(head, body, close),
        }
    }
    p.out
}

struct PieceParser<'t> {
    file: FileId,
    text: &'t str,
    tokens: &'t [Token],
    out: Recovered,
}

impl PieceParser<'_> {
    fn lowerer(&mut self, offset: usize) -> Lowerer<'_> {
        Lowerer {
            file: self.file,
            diagnostics: &mut self.out.diagnostics,
            offset,
            erase_spans: false,
        }
    }

    /// Parses one declaration; on failure, reports it and keeps its name.
    fn item(&mut self, range: Range<usize>, tenant: Option<&str>) -> Option<Item> {
        let slice = &self.text[range.clone()];
        match AtomParser::parse(Rule::lone_item, slice) {
            Ok(mut pairs) => {
                let pair = pairs.next()?;
                self.lowerer(range.start).lone_item(pair, tenant)
            }
            Err(error) => {
                let d = syntax_error(self.file, self.text, range.clone(), &error);
                self.out.diagnostics.push(d);
                self.keep_name(range, tenant);
                None
            }
        }
    }

    fn tenant(&mut self, head: Range<usize>, body: Vec<Range<usize>>, close: Option<Range<usize>>) {
        let opened = match AtomParser::parse(Rule::lone_tenant_head, &self.text[head.clone()]) {
            Ok(mut pairs) => pairs
                .next()
                .map(|pair| self.lowerer(head.start).lone_tenant_head(pair)),
            Err(error) => {
                let d = syntax_error(self.file, self.text, head.clone(), &error);
                self.out.diagnostics.push(d);
                None
            }
        };
        let Some((doc, mut decl, keyword)) = opened else {
            // The tenant's name is unknown or broken: its declarations are
            // still read for syntax errors, and their names kept as broken.
            let name = self.declared_names(head.clone()).pop();
            self.keep_name(head, None);
            for range in body {
                let kept = self.item(range.clone(), name.as_deref());
                if kept.is_some() {
                    self.keep_name(range, name.as_deref());
                }
            }
            return;
        };
        let name = decl.name.text.clone();
        decl.items = body
            .into_iter()
            .filter_map(|range| self.item(range, Some(&name)))
            .collect();
        let end = match &close {
            Some(close) => close.end,
            None => {
                self.out
                    .diagnostics
                    .push(unclosed_tenant(self.file, &name, head.end - 1));
                decl.items.last().map_or(head.end, |i| i.span.end as usize)
            }
        };
        self.out.items.push(Item {
            doc,
            decl: Decl::Tenant(decl),
            span: Span::new(self.file, keyword.start as usize..end),
        });
    }

    /// Records the names a broken declaration in `range` declares.
    fn keep_name(&mut self, range: Range<usize>, tenant: Option<&str>) {
        for name in self.declared_names(range.clone()) {
            self.out.broken.push(Broken {
                tenant: tenant.map(str::to_string),
                name,
                span: Span::new(self.file, range.clone()),
            });
        }
    }

    /// The names a declaration in `range` declares, as far as its tokens
    /// tell: the word after the keyword (after the keyword and a kind for
    /// entities, resources and objects); the actions of an `action`
    /// statement; the sub-types of a `type` statement.
    fn declared_names(&self, range: Range<usize>) -> Vec<String> {
        // Tokens are sorted: find the piece's by binary search, and read at
        // most a few words of it (a name list is short; a hostile one is cut).
        let first = self
            .tokens
            .partition_point(|t| (t.start as usize) < range.start);
        let words: Vec<(TokenKind, &str)> = self.tokens[first..]
            .iter()
            .take_while(|t| t.end as usize <= range.end)
            .filter(|t| !t.kind.is_trivia())
            .take(MAX_BROKEN_WORDS)
            .map(|t| (t.kind, t.text(self.text)))
            .collect();
        let name = |(kind, text): (TokenKind, &str)| match kind {
            TokenKind::Word => Some(text.to_string()),
            TokenKind::String => {
                super::text::unescape(text.get(1..text.len().saturating_sub(1))?).ok()
            }
            _ => None,
        };
        let Some(&(_, keyword)) = words.first() else {
            return Vec::new();
        };
        let rest = words[1..].iter().copied();
        match keyword {
            "entity" | "resource" | "object" => {
                words.get(2).copied().and_then(name).into_iter().collect()
            }
            "tenant" | "object-group" | "principal-group" | "block" | "role" | "test" => {
                words.get(1).copied().and_then(name).into_iter().collect()
            }
            "action" => rest
                .take_while(|&(_, t)| t != "on")
                .filter(|&(_, t)| t != ",")
                .filter_map(name)
                .collect(),
            "type" => rest
                .skip_while(|&(_, t)| t != ":")
                .step_by(4)
                .skip(1)
                .filter_map(name)
                .collect(),
            "guardrail" | "attributes" | "member" | "assign" | "grant" => Vec::new(),
            // A misspelt keyword (`blok b { ... }`): the next word is the name.
            _ => words.get(1).copied().and_then(name).into_iter().collect(),
        }
    }
}

/// The A0001 error for a tenant whose `{` is never closed.
fn unclosed_tenant(file: FileId, name: &str, brace: usize) -> Diagnostic {
    Diagnostic::error(
        codes::SYNTAX,
        "unclosed tenant",
        Span::new(file, brace..brace + 1),
    )
    .with_label(format!("tenant `{name}` opens here and is never closed"))
    .with_help("close the tenant with `}` after its last declaration")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Vec<Piece> {
        cut(text, &tokenize(text))
    }

    #[test]
    fn boundaries_are_line_starting_keywords() {
        let text = "entity human a\nblock b { allow read on\n  resource\n}\nrole r {\n  test,\n}\n";
        assert_eq!(
            pieces(text),
            vec![
                Piece::Item(0..15),
                Piece::Item(15..52),
                Piece::Item(52..text.len())
            ]
        );
    }

    #[test]
    fn an_unclosed_brace_ends_at_the_next_declaration() {
        let text = "/// d\nblock b { allow read on x\n/// e\nrole r { b }\n";
        assert_eq!(
            pieces(text),
            vec![Piece::Item(0..32), Piece::Item(32..text.len())]
        );
    }

    #[test]
    fn tenants_are_cut_inside() {
        let text = "tenant t {\n  entity human a\n}\nentity human c\n";
        assert_eq!(
            pieces(text),
            vec![
                Piece::Tenant {
                    head: 0..10,
                    body: std::iter::once(13..28).collect(),
                    close: Some(28..29),
                },
                Piece::Item(30..text.len()),
            ]
        );
        // A new tenant closes one left open.
        let text = "tenant t {\n entity human a\ntenant u {\n}\n";
        assert_eq!(
            pieces(text),
            vec![
                Piece::Tenant {
                    head: 0..10,
                    body: std::iter::once(12..27).collect(),
                    close: None,
                },
                Piece::Tenant {
                    head: 27..37,
                    body: vec![],
                    close: Some(38..39),
                },
            ]
        );
    }
}
