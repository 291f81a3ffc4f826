//! Format: the printer; reprints a file's tokens in the canonical layout.
//!
//! The printer works on the lossless token layer, so it can only change
//! white space: every token, comment and doc comment is written back in
//! order. The tree says where declarations start. The rules, which
//! `docs/language.md` shows with examples:
//!
//! - every declaration (top level or in a tenant) starts a line; a tenant's
//!   closing `}` stands on its own line;
//! - other line breaks are the author's; runs of blank lines become one,
//!   and none stays at the start or end of the file, after an opening
//!   brace or before a closing one;
//! - each line is indented two spaces per open `{` or `[`, and two more
//!   when it continues the statement of the line before;
//! - on a line: one space between tokens; none before `,`, inside `[ ]`,
//!   or in `{}`; one inside `{ }`; tokens the author wrote touching that
//!   must touch (`T/name`, `resource:channel`, a path and its quoted key)
//!   stay touching; one space before a trailing comment;
//! - trailing white space goes; the file ends with one line break.

use std::collections::HashSet;

use crate::syntax::ast::{Decl, File, Item};
use crate::syntax::tokens::{Token, TokenKind};

/// Where the tree says lines must break.
struct Breaks {
    /// Offsets where a declaration starts (its keyword; docs come before).
    statements: HashSet<usize>,
    /// Offsets of tenant closing braces.
    tenant_closes: HashSet<usize>,
}

impl Breaks {
    fn of(file: &File) -> Breaks {
        let mut b = Breaks {
            statements: HashSet::new(),
            tenant_closes: HashSet::new(),
        };
        b.add(&file.items);
        b
    }

    fn add(&mut self, items: &[Item]) {
        for item in items {
            self.statements.insert(item.span.start as usize);
            if let Decl::Tenant(t) = &item.decl {
                self.add(&t.items);
                if !t.items.is_empty() {
                    self.tenant_closes
                        .insert((item.span.end as usize).saturating_sub(1));
                }
            }
        }
    }
}

/// The printer's state.
struct Printer<'t> {
    text: &'t str,
    tokens: &'t [Token],
    breaks: Breaks,
    out: String,
    /// Open `{` and `[`.
    depth: usize,
    /// The depth at which the current statement started.
    statement_depth: usize,
    /// Line breaks in the source since the last token written.
    newlines: usize,
    /// The last token written, if any.
    prev: Option<Token>,
    /// Whether the source had white space since the last token written.
    spaced: bool,
}

/// Reprints `text` (which parsed into `file`) in the canonical layout.
pub fn layout(text: &str, tokens: &[Token], file: &File) -> String {
    let mut p = Printer {
        text,
        tokens,
        breaks: Breaks::of(file),
        out: String::with_capacity(text.len() + text.len() / 8),
        depth: 0,
        statement_depth: 0,
        newlines: 0,
        prev: None,
        spaced: false,
    };
    for (i, &t) in tokens.iter().enumerate() {
        match t.kind {
            TokenKind::Space => p.spaced = true,
            TokenKind::Newline => {
                p.newlines += 1;
                p.spaced = true;
            }
            _ => p.token(i, t),
        }
    }
    if p.prev.is_some() {
        p.out.push('\n');
    }
    p.out
}

impl<'t> Printer<'t> {
    fn text_of(&self, t: Token) -> &'t str {
        t.text(self.text)
    }

    fn is_opener(&self, t: Token) -> bool {
        t.kind == TokenKind::Punct && matches!(self.text_of(t), "{" | "[")
    }

    fn is_closer(&self, t: Token) -> bool {
        t.kind == TokenKind::Punct && matches!(self.text_of(t), "}" | "]")
    }

    /// Whether `t` starts a statement: a declaration, a block's rule or a
    /// test line (`allow`/`deny` first on its line).
    fn starts_statement(&self, t: Token, line_start: bool) -> bool {
        self.breaks.statements.contains(&(t.start as usize))
            || (line_start && matches!(self.text_of(t), "allow" | "deny"))
    }

    /// The next significant token from index `i` on.
    fn next_significant(&self, i: usize) -> Option<Token> {
        self.tokens[i..]
            .iter()
            .copied()
            .find(|t| !t.kind.is_trivia())
    }

    fn token(&mut self, i: usize, t: Token) {
        let comment = matches!(t.kind, TokenKind::Comment | TokenKind::DocComment);
        let forced = !comment
            && (self.breaks.statements.contains(&(t.start as usize))
                || self.breaks.tenant_closes.contains(&(t.start as usize)));
        let after_comment = self
            .prev
            .is_some_and(|p| matches!(p.kind, TokenKind::Comment | TokenKind::DocComment));
        let new_line = self.prev.is_none() || self.newlines > 0 || after_comment || forced;
        if new_line {
            self.start_line(i, t);
        } else {
            let sep = self.separator(t);
            self.out.push_str(sep);
        }
        self.out.push_str(self.text_of(t).trim_end());
        if !comment {
            if self.starts_statement(t, new_line) {
                self.statement_depth = self.depth;
            }
            if self.is_opener(t) {
                self.depth += 1;
            } else if self.is_closer(t) {
                self.depth = self.depth.saturating_sub(1);
            }
        }
        self.prev = Some(t);
        self.newlines = 0;
        self.spaced = false;
    }

    /// Ends the current line (keeping one blank line where the source had
    /// some) and indents the new one for token `t` (index `i`).
    fn start_line(&mut self, i: usize, t: Token) {
        // A comment is indented like the code that follows it.
        let lead = match t.kind {
            TokenKind::Comment | TokenKind::DocComment => self.next_significant(i),
            _ => Some(t),
        };
        let closer = lead.is_some_and(|l| self.is_closer(l) && l.start == t.start);
        if let Some(prev) = self.prev {
            self.out.push('\n');
            let blank = self.newlines >= 2
                && !self.is_opener(prev)
                && !lead.is_some_and(|l| self.is_closer(l))
                && lead.is_some();
            if blank {
                self.out.push('\n');
            }
        }
        let depth = if closer {
            self.depth.saturating_sub(1)
        } else {
            self.depth
        };
        let continues = lead.is_some_and(|l| {
            !self.is_closer(l) && !self.starts_statement(l, true) && self.prev.is_some()
        }) && depth == self.statement_depth
            && t.kind != TokenKind::DocComment;
        let indent = 2 * depth + if continues { 2 } else { 0 };
        self.out.extend(std::iter::repeat_n(' ', indent));
    }

    /// The white space between the last token and `t` on one line.
    fn separator(&self, t: Token) -> &'static str {
        let Some(prev) = self.prev else { return "" };
        let (p, c) = (self.text_of(prev), self.text_of(t));
        let word = |k: TokenKind| matches!(k, TokenKind::Word | TokenKind::String);
        let touching = !self.spaced
            && (matches!(p, "/" | ":")
                || matches!(c, "/" | ":")
                || (word(prev.kind) && word(t.kind)));
        match t.kind {
            TokenKind::Comment | TokenKind::DocComment => " ",
            _ if touching => "",
            _ if c == "," || p == "[" || c == "]" || (p == "{" && c == "}") => "",
            _ => " ",
        }
    }
}
