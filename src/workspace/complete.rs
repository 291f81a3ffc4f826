//! Workspace: completion; what may be written at a position, from the tokens before it and the model.

use super::Workspace;
use crate::check::model::{Model, ObjectRole, TenantId};
use crate::diag::FileId;
use crate::kinds::ObjectKind;
use crate::syntax::ast::Decl;
use crate::syntax::keywords::{DECLARATIONS, TENANT_ONLY, TOP_LEVEL_ONLY};
use crate::syntax::tokens::{tokenize, Token, TokenKind};

/// What a completion is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Action,
    Kind,
    Type,
    Object,
    Entity,
    Group,
    ObjectGroup,
    Block,
    Role,
    Field,
}

/// One thing that may be written at a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
}

/// Where the cursor stands, grammatically.
enum Place {
    LineStart,
    AfterEffect,
    AfterOn,
    AfterRelation,
    AfterTo,
    InRole,
    Path(String),
    Nothing,
}

impl Workspace {
    /// What may be written at `offset` in `file`, names from the right tenant.
    pub fn completions(&self, file: FileId, offset: usize) -> Vec<Completion> {
        self.completions_with(self.model(), file, offset)
    }

    /// Completions from this workspace's text at `offset` and the names of
    /// model `m`, which may be an earlier analysis of the set (the language
    /// server completes while the set is analysed again).
    pub fn completions_with(&self, m: &Model, file: FileId, offset: usize) -> Vec<Completion> {
        let text = self.sources().text(file);
        let offset = offset.min(text.len());
        let tenant = self.tenant_at(m, file, offset);
        let tokens: Vec<Token> = tokenize(&text[..offset])
            .into_iter()
            .filter(|t| {
                !matches!(
                    t.kind,
                    TokenKind::Space | TokenKind::Comment | TokenKind::DocComment
                )
            })
            .collect();
        match place(&text[..offset], &tokens) {
            Place::LineStart if in_block_of(&text[..offset], &tokens, "test") => labels(
                ["allow", "deny"].into_iter().map(str::to_string),
                CompletionKind::Keyword,
            ),
            Place::LineStart => {
                let misplaced: &[&str] = if tenant.is_some() {
                    &TOP_LEVEL_ONLY
                } else {
                    &TENANT_ONLY
                };
                let words = DECLARATIONS.iter().filter(|w| !misplaced.contains(w));
                labels(words.map(|w| w.to_string()), CompletionKind::Keyword)
            }
            Place::AfterEffect => labels(
                m.actions.iter().map(|a| a.name.clone()),
                CompletionKind::Action,
            ),
            Place::AfterOn => scope_starts(m, tenant),
            Place::AfterRelation => objects(
                m,
                tenant,
                |r| matches!(r, ObjectRole::Group(_)),
                CompletionKind::ObjectGroup,
            ),
            Place::AfterTo => {
                let mut out = objects(
                    m,
                    tenant,
                    |r| matches!(r, ObjectRole::Entity(_)),
                    CompletionKind::Entity,
                );
                out.extend(objects(
                    m,
                    tenant,
                    |r| matches!(r, ObjectRole::PrincipalGroup(_)),
                    CompletionKind::Group,
                ));
                out
            }
            // A role holds its own tenant's blocks and roles (the
            // platform's, at top level), never another's.
            Place::InRole => {
                let own = |o: &crate::check::model::Object| o.tenant == tenant;
                let mut out = names_where(
                    m,
                    |o| own(o) && matches!(o.role, ObjectRole::Block(_)),
                    CompletionKind::Block,
                );
                out.extend(names_where(
                    m,
                    |o| own(o) && matches!(o.role, ObjectRole::Role(_)),
                    CompletionKind::Role,
                ));
                out
            }
            Place::Path(prefix) => path_completions(m, &prefix),
            Place::Nothing => Vec::new(),
        }
    }

    /// The tenant whose body holds `offset`, if any.
    fn tenant_at(&self, m: &Model, file: FileId, offset: usize) -> Option<TenantId> {
        let parsed = self.parsed(file)?;
        let name = parsed.file.items.iter().find_map(|item| match &item.decl {
            Decl::Tenant(t)
                if (item.span.start as usize..=item.span.end as usize).contains(&offset) =>
            {
                Some(t.name.text.clone())
            }
            _ => None,
        })?;
        let index = m.tenants.iter().position(|t| t.name == name)?;
        Some(TenantId(index as u32))
    }
}

fn labels(words: impl Iterator<Item = String>, kind: CompletionKind) -> Vec<Completion> {
    words.map(|label| Completion { label, kind }).collect()
}

/// The grammatical place of the end of `before`, from its last tokens (a
/// word being typed is left out).
fn place(before: &str, tokens: &[Token]) -> Place {
    let typing = tokens
        .last()
        .filter(|t| t.end as usize == before.len() && t.kind == TokenKind::Word);
    if let Some(t) = typing {
        let word = t.text(before);
        if word.starts_with("entity.") || word.starts_with("object.") {
            return Place::Path(word.to_string());
        }
    }
    let rest = &tokens[..tokens.len() - usize::from(typing.is_some())];
    let Some(prev) = rest.last() else {
        return Place::LineStart;
    };
    match prev.text(before) {
        "\n" | "}" => Place::LineStart,
        "allow" | "deny" => Place::AfterEffect,
        "on" => Place::AfterOn,
        "in" | "within" | "beneath" => Place::AfterRelation,
        "to" => Place::AfterTo,
        "{" | "," if in_role(before, rest) => Place::InRole,
        "," if in_action_list(before, rest) => Place::AfterEffect,
        "," if statement_has(before, rest, "to") => Place::AfterTo,
        _ => Place::Nothing,
    }
}

/// Whether the innermost open `{` belongs to a `role` declaration.
fn in_role(before: &str, tokens: &[Token]) -> bool {
    in_block_of(before, tokens, "role")
}

/// Whether the innermost open `{` belongs to a declaration that starts
/// with `keyword` and one more token (`role NAME {`, `test "NAME" {`).
fn in_block_of(before: &str, tokens: &[Token], keyword: &str) -> bool {
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate().rev() {
        match t.text(before) {
            "}" => depth += 1,
            "{" if depth == 0 => {
                let words: Vec<&str> = tokens[..i]
                    .iter()
                    .rev()
                    .take(2)
                    .map(|t| t.text(before))
                    .collect();
                return words.get(1) == Some(&keyword);
            }
            "{" => depth -= 1,
            _ => {}
        }
    }
    false
}

/// Whether the cursor continues the action list of a rule: `allow` or
/// `deny` earlier on the line, and no `on` after it yet.
fn in_action_list(before: &str, tokens: &[Token]) -> bool {
    for t in tokens
        .iter()
        .rev()
        .take_while(|t| t.kind != TokenKind::Newline)
    {
        match t.text(before) {
            "allow" | "deny" => return true,
            "on" | "{" | "}" => return false,
            _ => {}
        }
    }
    false
}

/// Whether `word` stands in the current statement (back to its line start).
fn statement_has(before: &str, tokens: &[Token], word: &str) -> bool {
    tokens
        .iter()
        .rev()
        .take_while(|t| t.kind != TokenKind::Newline)
        .any(|t| t.text(before) == word)
}

/// After `on`: `all`, the kinds, the types, and the objects of the tenant.
fn scope_starts(m: &Model, tenant: Option<TenantId>) -> Vec<Completion> {
    let mut out = labels(std::iter::once("all".to_string()), CompletionKind::Keyword);
    out.extend(labels(
        ObjectKind::ALL.iter().map(|k| k.name().to_string()),
        CompletionKind::Kind,
    ));
    out.extend(labels(
        (0..m.types.len()).map(|t| m.type_name(crate::check::model::TypeId(t as u32))),
        CompletionKind::Type,
    ));
    out.extend(objects(m, tenant, |_| true, CompletionKind::Object));
    out
}

/// The names of the objects `keep` accepts, sorted, each once.
fn names_where(
    m: &Model,
    keep: impl Fn(&crate::check::model::Object) -> bool,
    kind: CompletionKind,
) -> Vec<Completion> {
    let mut out: Vec<Completion> = (m.objects.iter().filter(|o| keep(o)))
        .map(|o| Completion {
            label: crate::syntax::written_name(&o.name),
            kind,
        })
        .collect();
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out.dedup();
    out
}

/// The names visible from `tenant` (its own, then the platform's) of the
/// objects whose role passes `keep`.
fn objects(
    m: &Model,
    tenant: Option<TenantId>,
    keep: impl Fn(ObjectRole) -> bool,
    kind: CompletionKind,
) -> Vec<Completion> {
    names_where(
        m,
        |o| keep(o.role) && (o.tenant == tenant || o.tenant.is_none()),
        kind,
    )
}

/// After `entity.` or `object.`: the fields; after `...attributes.`, the
/// attribute keys that declared entities or objects have.
fn path_completions(m: &Model, prefix: &str) -> Vec<Completion> {
    let segments: Vec<&str> = prefix.split('.').collect();
    match segments.as_slice() {
        // The fields the root has (an entity has no type or group).
        [root, _] => {
            let fields = crate::kinds::PathRoot::from_name(root).map_or(&[][..], |r| r.fields());
            labels(
                fields.iter().map(|f| f.name().to_string()),
                CompletionKind::Field,
            )
        }
        [root, "attributes", _] => {
            let entity = *root == "entity";
            let mut keys: Vec<String> = m
                .objects
                .iter()
                .filter(|o| !entity || matches!(o.role, ObjectRole::Entity(_)))
                .flat_map(|o| {
                    o.attributes
                        .iter()
                        .map(|(k, _)| crate::syntax::written_name(k))
                })
                .collect();
            keys.sort();
            keys.dedup();
            labels(keys.into_iter(), CompletionKind::Field)
        }
        _ => Vec::new(),
    }
}
