//! Workspace: one file's diagnostics after a change to it alone, from the part of the set it depends on.
//!
//! A file that declares only inside tenants (no top-level declaration) can
//! be checked with a part of the set, because the language keeps tenants
//! apart: a declaration in tenant T names only T's things and the
//! platform's (A0008), and only test lines may name another tenant. The
//! part is the file, every file with top-level declarations (the platform),
//! and, until nothing changes, every file that declares a tenant already in
//! the part or that a test line in the part names, and every file whose
//! test lines name one of those tenants. Checking that part gives the file
//! the same errors and lints as checking the whole set, given two facts
//! about the rest, both known from the last whole analysis: whether a file
//! outside has an error (which holds back the lints that need the whole
//! set), and the attribute keys it declares (`unknown-attribute`).
//!
//! The fast path applies only when the file is the one file changed since
//! the last whole analysis, and `untested-allow` is off (tests anywhere may
//! exercise a block). Otherwise the whole set is analysed. `tests/
//! workspace.rs` compares both answers on random edits.

use std::collections::{BTreeSet, HashSet};

use super::Workspace;
use crate::check::{self, model::Model};
use crate::diag::{self, Diagnostic, FileId};
use crate::lint::{self, Level, Outside};
use crate::syntax::ast::{self, Decl, Item, MapLit};
use crate::syntax::tokens::TokenKind;

/// What one file's syntax says about its place in the set, computed once
/// per parse.
#[derive(Debug, Default)]
pub(super) struct FileFacts {
    /// It declares something at top level (or a broken declaration there),
    /// or names a tenant in a way this module does not read.
    top_level: bool,
    /// Tenants it declares (opens with `tenant T { ... }`).
    tenants: BTreeSet<String>,
    /// Tenants it names in a qualified name (`T/name`), anywhere.
    named: BTreeSet<String>,
    /// The attribute keys it declares.
    keys: Outside,
}

/// The facts of one parsed file.
pub(super) fn facts(parsed: &crate::syntax::Parsed, text: &str) -> FileFacts {
    let mut f = FileFacts {
        top_level: parsed.broken.iter().any(|b| b.tenant.is_none()),
        ..FileFacts::default()
    };
    for item in &parsed.file.items {
        match &item.decl {
            Decl::Tenant(t) => {
                f.tenants.insert(t.name.text.clone());
            }
            _ => f.top_level = true,
        }
        declared_keys(item, &mut f.keys);
    }
    // A qualified name is a name, `/`, a name: the tenant is the token
    // before the `/` (a quoted one with an escape is not read here).
    let tokens = crate::syntax::tokens::tokenize(text);
    let mut previous: Option<crate::syntax::tokens::Token> = None;
    for token in tokens.into_iter().filter(|t| !t.kind.is_trivia()) {
        if token.text(text) == "/" {
            match previous.map(|p| (p.kind, p.text(text))) {
                Some((TokenKind::Word, word)) => {
                    f.named.insert(word.to_string());
                }
                Some((TokenKind::String, quoted)) if !quoted.contains('\\') => {
                    f.named.insert(quoted.trim_matches('"').to_string());
                }
                _ => f.top_level = true,
            }
        }
        previous = Some(token);
    }
    f
}

/// The files `file`'s diagnostics depend on (section above), or `None`
/// when that is not a part of the set (the file declares at top level, or
/// names a tenant that no file declares).
fn part(ws: &Workspace, file: FileId) -> Option<BTreeSet<FileId>> {
    let reaches: Vec<(FileId, &FileFacts)> = ws
        .facts
        .iter()
        .enumerate()
        .filter_map(|(i, f)| Some((FileId(i as u32), f.as_deref()?)))
        .collect();
    let own = reaches.iter().find(|(id, _)| *id == file)?.1;
    let declared = |t: &String| reaches.iter().any(|(_, r)| r.tenants.contains(t));
    if own.top_level || !own.named.iter().all(declared) {
        return None;
    }
    let mut part: BTreeSet<FileId> = reaches
        .iter()
        .filter(|(id, r)| *id == file || r.top_level)
        .map(|(id, _)| *id)
        .collect();
    loop {
        let mut tenants: HashSet<&str> = HashSet::new();
        for (_, r) in reaches.iter().filter(|(id, _)| part.contains(id)) {
            tenants.extend(r.tenants.iter().chain(&r.named).map(String::as_str));
        }
        let before = part.len();
        for (id, r) in &reaches {
            let touches = r
                .tenants
                .iter()
                .chain(&r.named)
                .any(|t| tenants.contains(t.as_str()));
            if touches {
                part.insert(*id);
            }
        }
        if part.len() == before {
            return Some(part);
        }
    }
}

/// The attribute keys the files outside `part` declare, from their syntax.
fn outside_keys(ws: &Workspace, part: &BTreeSet<FileId>) -> Outside {
    let mut out = Outside::default();
    for (i, f) in ws.facts.iter().enumerate() {
        let Some(f) = f.as_ref().filter(|_| !part.contains(&FileId(i as u32))) else {
            continue;
        };
        out.entity_keys.extend(f.keys.entity_keys.iter().cloned());
        out.object_keys.extend(f.keys.object_keys.iter().cloned());
        out.tenant_keys.extend(f.keys.tenant_keys.iter().cloned());
    }
    out
}

fn declared_keys(item: &Item, out: &mut Outside) {
    let keys = |m: &Option<MapLit>| -> Vec<String> {
        m.iter()
            .flat_map(|m| m.entries.iter().map(|e| e.key.text.clone()))
            .collect()
    };
    match &item.decl {
        Decl::Tenant(t) => t.items.iter().for_each(|i| declared_keys(i, out)),
        Decl::TenantAttributes(m) => out
            .tenant_keys
            .extend(m.entries.iter().map(|e| e.key.text.clone())),
        Decl::Entity(e) => {
            let k = keys(&e.attributes);
            out.entity_keys.extend(k.iter().cloned());
            out.object_keys.extend(k);
        }
        Decl::Resource(ast::ResourceDecl { attributes, .. })
        | Decl::Object(ast::ObjectDecl { attributes, .. })
        | Decl::ObjectGroup(ast::ObjectGroupDecl { attributes, .. }) => {
            out.object_keys.extend(keys(attributes));
        }
        _ => {}
    }
}

impl Workspace {
    /// The diagnostics of one file, exactly as in [`Workspace::analysis`],
    /// computed from the file's part of the set when only this file
    /// changed since the last whole analysis (module docs), else from the
    /// whole set.
    pub fn file_diagnostics(&self, file: FileId) -> Vec<Diagnostic> {
        self.quick_file_diagnostics(file)
            .unwrap_or_else(|| of_file(&self.analysis().diagnostics, file))
    }

    /// [`Workspace::file_diagnostics`] when they come without the whole
    /// analysis: it is done, or the fast path applies; `None` otherwise.
    pub fn quick_file_diagnostics(&self, file: FileId) -> Option<Vec<Diagnostic>> {
        if let Some(done) = self.analysis.get() {
            return Some(of_file(&done.diagnostics, file));
        }
        Some(of_file(&self.part_diagnostics(file)?, file))
    }

    /// The model of the names `file` can see, without the whole analysis:
    /// the whole model when it is done, else its part's when the file is a
    /// part of the set (module docs); `None` when neither comes quickly.
    /// The language server completes from it.
    pub fn quick_model(&self, file: FileId) -> Option<std::borrow::Cow<'_, Model>> {
        if let Some(done) = self.analysis.get() {
            return Some(std::borrow::Cow::Borrowed(&done.model));
        }
        let part = part(self, file)?;
        Some(std::borrow::Cow::Owned(self.check_part(&part).0))
    }

    /// The checks of the files of a part.
    fn check_part(&self, part: &BTreeSet<FileId>) -> (Model, Vec<Diagnostic>) {
        let parsed: Vec<&crate::syntax::Parsed> =
            part.iter().filter_map(|id| self.parsed(*id)).collect();
        let files: Vec<&ast::File> = parsed.iter().map(|p| &p.file).collect();
        let broken: Vec<_> = parsed
            .iter()
            .flat_map(|p| p.broken.iter().cloned())
            .collect();
        check::check_files(&files, &broken)
    }

    /// The diagnostics of `file`'s part, when the fast path applies.
    fn part_diagnostics(&self, file: FileId) -> Option<Vec<Diagnostic>> {
        let (changed, last_errors) = self.since_last_whole()?;
        let only_this = changed.iter().all(|&c| c == file);
        let untested = lint::rule_named("untested-allow").map(|r| self.lint.level(r));
        if !only_this || untested != Some(Level::Allow) {
            return None;
        }
        let part = part(self, file)?;
        let (model, found) = self.check_part(&part);
        let parsed: Vec<&crate::syntax::Parsed> =
            part.iter().filter_map(|id| self.parsed(*id)).collect();
        let mut diagnostics: Vec<Diagnostic> = part
            .iter()
            .flat_map(|id| self.outside.get(id).into_iter().flatten().cloned())
            .collect();
        diagnostics.extend(parsed.iter().flat_map(|p| p.diagnostics.iter().cloned()));
        diagnostics.extend(found);
        let mut with_errors = check::files_with_errors(&diagnostics);
        with_errors.extend(last_errors.into_iter().filter(|id| !part.contains(id)));
        let sources = self.sources.subset(|id| part.contains(&id));
        let outside = outside_keys(self, &part);
        diagnostics.extend(lint::lint_with(
            &model,
            &sources,
            &self.lint,
            &with_errors,
            outside,
        ));
        diag::sort(&mut diagnostics);
        Some(diagnostics)
    }
}

/// The diagnostics whose primary span is in `file`.
fn of_file(ds: &[Diagnostic], file: FileId) -> Vec<Diagnostic> {
    ds.iter()
        .filter(|d| d.primary.span.file == file)
        .cloned()
        .collect()
}
