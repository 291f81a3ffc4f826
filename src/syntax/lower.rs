//! Syntax: lowering pest pairs into the AST; the only code that walks pest types.
//!
//! The grammar guarantees each rule's structure, so a required part that is
//! missing is a bug in this file, not in the input: [`Parts::must`] states
//! that invariant once. Lowering reports what the grammar accepts but the
//! language does not: misplaced declarations, escapes naming no character,
//! integers out of range.

use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::grammar::Rule;
use super::text::{split_path, split_qualified, unescape};
use crate::diag::{codes, Diagnostic, FileId, Span};
use crate::kinds::ObjectKind;

/// Rules that only exist so that errors can name them; lowering skips them.
fn is_token(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_action
            | Rule::kw_type
            | Rule::kw_guardrail
            | Rule::kw_tenant
            | Rule::kw_attributes
            | Rule::kw_entity
            | Rule::kw_resource
            | Rule::kw_object
            | Rule::kw_object_group
            | Rule::kw_principal_group
            | Rule::kw_block
            | Rule::kw_role
            | Rule::kw_assign
            | Rule::kw_grant
            | Rule::kw_member
            | Rule::kw_test
            | Rule::kw_on
            | Rule::kw_to
            | Rule::kw_in
            | Rule::kw_when
            | Rule::kw_and
            | Rule::kw_with
            | Rule::kw_because
            | Rule::kw_absolute
            | Rule::open_brace
            | Rule::close_brace
            | Rule::open_bracket
            | Rule::close_bracket
            | Rule::comma
            | Rule::equals
            | Rule::EOI
    )
}

/// The meaningful children of a pair, in order (token rules skipped).
struct Parts<'i> {
    rule: Rule,
    inner: std::iter::Peekable<Pairs<'i, Rule>>,
}

impl<'i> Parts<'i> {
    fn of(pair: Pair<'i, Rule>) -> Self {
        Parts {
            rule: pair.as_rule(),
            inner: pair.into_inner().peekable(),
        }
    }

    fn skip_tokens(&mut self) {
        while self.inner.peek().is_some_and(|p| is_token(p.as_rule())) {
            self.inner.next();
        }
    }

    /// The next child if it is a `rule`.
    fn take(&mut self, rule: Rule) -> Option<Pair<'i, Rule>> {
        self.skip_tokens();
        if self.inner.peek().map(|p| p.as_rule()) == Some(rule) {
            self.inner.next()
        } else {
            None
        }
    }

    /// Every consecutive child that is a `rule`.
    fn all(&mut self, rule: Rule) -> Vec<Pair<'i, Rule>> {
        std::iter::from_fn(|| self.take(rule)).collect()
    }

    /// A child the grammar requires here.
    fn must(&mut self, rule: Rule) -> Pair<'i, Rule> {
        let parent = self.rule;
        self.take(rule).unwrap_or_else(|| {
            // Invariant: `grammar/atom.pest` makes `rule` a required child
            // of `parent` at this point, so a successful parse always has it.
            panic!("grammar invariant: `{parent:?}` always has `{rule:?}` here")
        })
    }

    /// The next child, whatever it is (for alternatives).
    fn next(&mut self) -> Option<Pair<'i, Rule>> {
        self.skip_tokens();
        self.inner.next()
    }
}

/// Lowers one parsed file, collecting the diagnostics lowering finds.
pub(crate) struct Lowerer<'d> {
    pub file: FileId,
    pub diagnostics: &'d mut Vec<Diagnostic>,
    /// Where the parsed text starts in the file: the recovering parser
    /// parses one declaration at a time, and spans point into the file.
    pub offset: usize,
    /// Every span is empty at offset 0: for comparing trees whatever
    /// their layout (the formatter's soundness check).
    pub erase_spans: bool,
}

impl Lowerer<'_> {
    /// The span of a pair, from its first to the end of its last token.
    /// (Pest extends a rule that ends in an optional or repeated part over
    /// the white space and comments after it; the last token does not.)
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let start = pair.as_span().start();
        let mut last = pair.clone();
        while let Some(child) = last.clone().into_inner().last() {
            last = child;
        }
        let end = last.as_span().end().max(start);
        if self.erase_spans {
            return Span::new(self.file, 0..0);
        }
        Span::new(self.file, self.offset + start..self.offset + end)
    }

    fn sub_span(&self, base: Span, range: std::ops::Range<usize>) -> Span {
        if self.erase_spans {
            return base;
        }
        let start = base.start as usize;
        Span::new(self.file, start + range.start..start + range.end)
    }

    pub fn file(&mut self, pair: Pair<'_, Rule>) -> File {
        let mut parts = Parts::of(pair);
        let items = parts
            .all(Rule::item)
            .into_iter()
            .filter_map(|p| self.item(p, None))
            .collect();
        File { items }
    }

    /// Lowers an item; `tenant` is the enclosing tenant's name, if any.
    fn item(&mut self, pair: Pair<'_, Rule>, tenant: Option<&str>) -> Option<Item> {
        let mut parts = Parts::of(pair);
        let doc = parts.take(Rule::doc).map(|d| self.doc(d));
        let decl_pair = parts.next()?;
        let span = self.span(&decl_pair);
        let keyword_span = decl_pair
            .clone()
            .into_inner()
            .next()
            .map_or(span, |k| self.span(&k));
        let decl = self.decl(decl_pair)?;
        let misplaced = match (&decl, tenant) {
            (Decl::Action(_), Some(t)) => Some((
                "actions are declared at top level, not inside a tenant".to_string(),
                format!(
                    "actions and their applicability are global: move this out of tenant `{t}`"
                ),
            )),
            (Decl::Type(_), Some(t)) => Some((
                "types are declared at top level, not inside a tenant".to_string(),
                format!("types are global: move this out of tenant `{t}`"),
            )),
            (Decl::Tenant(inner), Some(t)) => Some((
                "tenants do not nest".to_string(),
                format!(
                    "declare tenant `{}` at top level, outside tenant `{t}`",
                    inner.name.text
                ),
            )),
            (Decl::TenantAttributes(_), None) => Some((
                "`attributes` belongs inside a tenant".to_string(),
                "a tenant's attributes are written inside it: `tenant T { attributes { ... } }`"
                    .to_string(),
            )),
            (Decl::Member(_), None) => Some((
                "`member` belongs inside a tenant".to_string(),
                "write `member ENTITY` inside the tenant that the platform entity joins"
                    .to_string(),
            )),
            _ => None,
        };
        if let Some((message, help)) = misplaced {
            self.diagnostics.push(
                Diagnostic::error(codes::SYNTAX, message, keyword_span)
                    .with_label(format!("`{}` not allowed here", decl.keyword()))
                    .with_help(help),
            );
            return None;
        }
        Some(Item { doc, decl, span })
    }

    fn doc(&mut self, pair: Pair<'_, Rule>) -> Spanned<String> {
        let span = self.span(&pair);
        let lines: Vec<&str> = pair
            .into_inner()
            .map(|line| {
                let text = line.as_str().trim_start_matches('/');
                text.strip_prefix(' ').unwrap_or(text).trim_end()
            })
            .collect();
        Spanned {
            value: lines.join("\n"),
            span,
        }
    }

    fn decl(&mut self, pair: Pair<'_, Rule>) -> Option<Decl> {
        let rule = pair.as_rule();
        let mut p = Parts::of(pair);
        Some(match rule {
            Rule::action_decl => Decl::Action(ActionDecl {
                actions: self.action_list(p.must(Rule::action_list)),
                targets: p
                    .take(Rule::target_list)
                    .map_or_else(Vec::new, |t| self.target_list(t)),
            }),
            Rule::type_decl => Decl::Type(TypeDecl {
                types: self.target_list(p.must(Rule::target_list)),
            }),
            Rule::guardrail_decl => Decl::Guardrail(GuardrailDecl {
                effect: self.effect(p.must(Rule::effect)),
                entity_kind: self.name(p.must(Rule::kind_word)),
                actions: self.action_list(p.must(Rule::action_list)),
                target: self.target(p.must(Rule::target)),
                absolute: p.take(Rule::absolute).map(|a| self.span(&a)),
            }),
            Rule::tenant_decl => self.tenant_decl(&mut p),
            Rule::tenant_attributes => Decl::TenantAttributes(self.map(p.must(Rule::map))),
            Rule::entity_decl => self.entity_decl(&mut p),
            Rule::resource_decl => Decl::Resource(ResourceDecl {
                sub: self.name(p.must(Rule::kind_word)),
                name: self.name(p.must(Rule::name)),
                parent: p.take(Rule::parent_group).map(|g| self.parent(g)),
                attributes: p.take(Rule::map).map(|m| self.map(m)),
            }),
            Rule::object_decl => Decl::Object(ObjectDecl {
                kind: self.name(p.must(Rule::kind_word)),
                name: self.name(p.must(Rule::name)),
                parent: p.take(Rule::parent_group).map(|g| self.parent(g)),
                attributes: p.take(Rule::map).map(|m| self.map(m)),
            }),
            Rule::object_group_decl => Decl::ObjectGroup(ObjectGroupDecl {
                name: self.name(p.must(Rule::name)),
                parent: p.take(Rule::parent_group).map(|g| self.parent(g)),
                attributes: p.take(Rule::map).map(|m| self.map(m)),
            }),
            Rule::principal_group_decl => Decl::PrincipalGroup(PrincipalGroupDecl {
                name: self.name(p.must(Rule::name)),
                parent: p.take(Rule::parent_group).map(|g| self.parent(g)),
                members: p
                    .take(Rule::name_list)
                    .map_or_else(Vec::new, |l| self.qname_list(l)),
            }),
            Rule::block_decl => Decl::Block(BlockDecl {
                name: self.name(p.must(Rule::name)),
                rule: self.rule(p.must(Rule::block_rule)),
            }),
            Rule::role_decl => Decl::Role(RoleDecl {
                name: self.name(p.must(Rule::name)),
                items: p
                    .take(Rule::name_list)
                    .map_or_else(Vec::new, |l| self.qname_list(l)),
            }),
            Rule::assign_decl => Decl::Assign(AssignDecl {
                role: self.qname(p.must(Rule::qname)),
                subjects: self.qname_list(p.must(Rule::subject_list)),
            }),
            Rule::grant_decl => Decl::Grant(GrantDecl {
                block: self.qname(p.must(Rule::qname)),
                subjects: self.qname_list(p.must(Rule::subject_list)),
            }),
            Rule::member_decl => Decl::Member(MemberDecl {
                entity: self.qname(p.must(Rule::qname)),
            }),
            Rule::test_decl => Decl::Test(TestDecl {
                name: self.name(p.must(Rule::name)),
                lines: p
                    .all(Rule::test_line)
                    .into_iter()
                    .map(|l| self.test_line(l))
                    .collect(),
            }),
            _ => return None,
        })
    }

    /// `tenant NAME [STATUS] { ... }`.
    fn tenant_decl(&mut self, p: &mut Parts<'_>) -> Decl {
        let (name, status) = self.tenant_opening(p);
        let tenant = name.text.clone();
        let items = p
            .all(Rule::item)
            .into_iter()
            .filter_map(|i| self.item(i, Some(&tenant)))
            .collect();
        Decl::Tenant(TenantDecl {
            name,
            status,
            items,
        })
    }

    /// The name and status of `tenant NAME [STATUS] {`.
    fn tenant_opening(&mut self, p: &mut Parts<'_>) -> (Name, Option<Spanned<TenantStatus>>) {
        let name = self.name(p.must(Rule::name));
        let status = p.take(Rule::tenant_status).map(|s| Spanned {
            span: self.span(&s),
            // INVARIANT: the grammar admits only the status words.
            value: TenantStatus::from_name(s.as_str()).unwrap_or(TenantStatus::Active),
        });
        (name, status)
    }

    /// A `lone_tenant_head`, for the recovering parser: an empty tenant
    /// declaration (its items are parsed apart) and where `tenant` stands.
    pub fn lone_tenant_head(
        &mut self,
        pair: Pair<'_, Rule>,
    ) -> (Option<Spanned<String>>, TenantDecl, Span) {
        let mut p = Parts::of(pair);
        let doc = p.take(Rule::doc).map(|d| self.doc(d));
        // The grammar puts `tenant` right after the doc comment.
        let keyword = p.inner.peek().map(|k| self.span(k));
        let (name, status) = self.tenant_opening(&mut p);
        let keyword = keyword.unwrap_or(name.span);
        let decl = TenantDecl {
            name,
            status,
            items: Vec::new(),
        };
        (doc, decl, keyword)
    }

    /// A `lone_item`, for the recovering parser; `tenant` as for [`Self::item`].
    pub fn lone_item(&mut self, pair: Pair<'_, Rule>, tenant: Option<&str>) -> Option<Item> {
        let item = Parts::of(pair).take(Rule::item)?;
        self.item(item, tenant)
    }

    /// `entity KIND NAME [in GROUP] [STATUS] [{ attributes }]`.
    fn entity_decl(&mut self, p: &mut Parts<'_>) -> Decl {
        Decl::Entity(EntityDecl {
            kind: self.name(p.must(Rule::kind_word)),
            name: self.name(p.must(Rule::name)),
            parent: p.take(Rule::parent_group).map(|g| self.parent(g)),
            status: p.take(Rule::entity_status).map(|s| Spanned {
                span: self.span(&s),
                // The grammar admits only the status words.
                value: EntityStatus::from_name(s.as_str()).unwrap_or(EntityStatus::Active),
            }),
            attributes: p.take(Rule::map).map(|m| self.map(m)),
        })
    }

    /// A bare or quoted name (rules `name`, `action_name`, `kind_word`, ...).
    fn name(&mut self, pair: Pair<'_, Rule>) -> Name {
        let span = self.span(&pair);
        self.name_text(pair.as_str(), span)
    }

    fn name_text(&mut self, raw: &str, span: Span) -> Name {
        if raw.starts_with('"') {
            Name {
                text: self.unescape(raw, span),
                span,
                quoted: true,
            }
        } else {
            Name {
                text: raw.to_string(),
                span,
                quoted: false,
            }
        }
    }

    fn unescape(&mut self, raw: &str, span: Span) -> String {
        match unescape(raw) {
            Ok(text) => text,
            Err(range) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::SYNTAX,
                        "this escape names no character",
                        self.sub_span(span, range),
                    )
                    .with_label("not a Unicode scalar value")
                    .with_help("`\\u{...}` takes a code point up to 10FFFF, outside D800-DFFF"),
                );
                String::new()
            }
        }
    }

    fn qname(&mut self, pair: Pair<'_, Rule>) -> QName {
        let span = self.span(&pair);
        let raw = pair.as_str();
        let (tenant, name) = split_qualified(raw);
        QName {
            tenant: tenant.map(|r| {
                let s = self.sub_span(span, r.clone());
                self.name_text(&raw[r], s)
            }),
            name: {
                let s = self.sub_span(span, name.clone());
                self.name_text(&raw[name], s)
            },
            span,
        }
    }

    fn qname_list(&mut self, pair: Pair<'_, Rule>) -> Vec<QName> {
        Parts::of(pair)
            .all(Rule::qname)
            .into_iter()
            .map(|q| self.qname(q))
            .collect()
    }

    fn parent(&mut self, pair: Pair<'_, Rule>) -> QName {
        let q = Parts::of(pair).must(Rule::qname);
        self.qname(q)
    }

    fn action_list(&mut self, pair: Pair<'_, Rule>) -> Vec<Name> {
        Parts::of(pair)
            .all(Rule::action_name)
            .into_iter()
            .map(|a| self.name(a))
            .collect()
    }

    fn target_list(&mut self, pair: Pair<'_, Rule>) -> Vec<Target> {
        Parts::of(pair)
            .all(Rule::target)
            .into_iter()
            .map(|t| self.target(t))
            .collect()
    }

    /// A `target` or `type_ref`: `kind` or `kind:sub`.
    fn target(&mut self, pair: Pair<'_, Rule>) -> Target {
        let span = self.span(&pair);
        let mut p = Parts::of(pair);
        Target {
            kind: self.name(p.must(Rule::target_kind)),
            sub: p.take(Rule::target_sub).map(|s| self.name(s)),
            span,
        }
    }

    fn effect(&mut self, pair: Pair<'_, Rule>) -> Spanned<Effect> {
        Spanned {
            span: self.span(&pair),
            value: if pair.as_str() == "deny" {
                Effect::Deny
            } else {
                Effect::Allow
            },
        }
    }

    fn rule(&mut self, pair: Pair<'_, Rule>) -> BlockRule {
        let mut p = Parts::of(pair);
        let effect = self.effect(p.must(Rule::effect));
        let actions = self.action_list(p.must(Rule::action_list));
        let scope = self.scope(p.must(Rule::scope));
        let conditions = match p.take(Rule::condition) {
            Some(c) => Parts::of(c)
                .all(Rule::comparison)
                .into_iter()
                .map(|c| self.comparison(c))
                .collect(),
            None => Vec::new(),
        };
        BlockRule {
            effect,
            actions,
            scope,
            conditions,
        }
    }

    fn scope(&mut self, pair: Pair<'_, Rule>) -> Scope {
        let span = self.span(&pair);
        let mut p = Parts::of(pair);
        let target = if let Some(t) = p.take(Rule::type_ref) {
            ScopeTarget::Type(self.target(t))
        } else {
            let q = self.qname(p.must(Rule::qname));
            let word = q.tenant.is_none() && !q.name.quoted;
            if word && q.name.text == "all" {
                ScopeTarget::All(q.span)
            } else if word && ObjectKind::from_name(&q.name.text).is_some() {
                ScopeTarget::Kind(q.name)
            } else {
                ScopeTarget::Object(q)
            }
        };
        let relation = p.take(Rule::scope_relation).map(|r| {
            let mut rp = Parts::of(r);
            let rel = rp.must(Rule::relation);
            let relation = Spanned {
                span: self.span(&rel),
                value: match rel.as_str() {
                    "within" => Relation::Within,
                    "beneath" => Relation::Beneath,
                    _ => Relation::In,
                },
            };
            (relation, self.qname(rp.must(Rule::qname)))
        });
        Scope {
            target,
            relation,
            span,
        }
    }

    fn comparison(&mut self, pair: Pair<'_, Rule>) -> Comparison {
        let span = self.span(&pair);
        let mut p = Parts::of(pair);
        let left = self.path(p.must(Rule::path));
        let op_pair = p.must(Rule::operator);
        let op = Spanned {
            span: self.span(&op_pair),
            // The grammar admits only the operators.
            value: CmpOp::from_name(op_pair.as_str()).unwrap_or(CmpOp::Contains),
        };
        let mut operand = Parts::of(p.must(Rule::operand));
        let right = match operand.take(Rule::literal) {
            Some(l) => Operand::Literal(self.literal(l)),
            None => Operand::Path(self.path(operand.must(Rule::path))),
        };
        Comparison {
            left,
            op,
            right,
            span,
        }
    }

    fn path(&mut self, pair: Pair<'_, Rule>) -> Path {
        let span = self.span(&pair);
        let raw = pair.as_str();
        let segments = split_path(raw)
            .into_iter()
            .map(|r| {
                let s = self.sub_span(span, r.clone());
                let text = &raw[r];
                Spanned {
                    value: if text.starts_with('"') {
                        self.unescape(text, s)
                    } else {
                        text.to_string()
                    },
                    span: s,
                }
            })
            .collect();
        Path { segments, span }
    }

    fn literal(&mut self, pair: Pair<'_, Rule>) -> Literal {
        let span = self.span(&pair);
        let mut p = Parts::of(pair);
        let Some(inner) = p.next() else {
            // Invariant: the grammar's `literal` is one of five alternatives.
            unreachable!("grammar invariant: `literal` has one child")
        };
        let value = match inner.as_rule() {
            Rule::string => LitValue::Str(self.unescape(inner.as_str(), span)),
            Rule::number => {
                let text = inner.as_str();
                if text.contains('.') {
                    LitValue::Dec(text.to_string())
                } else {
                    match text.parse::<i64>() {
                        Ok(n) => LitValue::Int(n),
                        Err(_) => {
                            self.diagnostics.push(
                                Diagnostic::error(codes::SYNTAX, "integer out of range", span)
                                    .with_label("does not fit in 64 bits")
                                    .with_help("integers range from -9223372036854775808 to 9223372036854775807"),
                            );
                            LitValue::Int(0)
                        }
                    }
                }
            }
            Rule::boolean => LitValue::Bool(inner.as_str() == "true"),
            Rule::list => LitValue::List(
                Parts::of(inner)
                    .all(Rule::literal)
                    .into_iter()
                    .map(|l| self.literal(l))
                    .collect(),
            ),
            _ => LitValue::Map(self.map(inner)),
        };
        Literal { value, span }
    }

    fn map(&mut self, pair: Pair<'_, Rule>) -> MapLit {
        let span = self.span(&pair);
        let entries = Parts::of(pair)
            .all(Rule::map_entry)
            .into_iter()
            .map(|e| {
                let mut ep = Parts::of(e);
                MapEntry {
                    key: self.name(ep.must(Rule::name)),
                    value: self.literal(ep.must(Rule::literal)),
                }
            })
            .collect();
        MapLit { entries, span }
    }

    fn test_line(&mut self, pair: Pair<'_, Rule>) -> TestLine {
        let span = self.span(&pair);
        let mut p = Parts::of(pair);
        let expect = self.effect(p.must(Rule::effect));
        let subject = self.qname(p.must(Rule::qname));
        let action = self.name(p.must(Rule::action_name));
        let object = self.qname(p.must(Rule::qname));
        let context = match p.take(Rule::test_context) {
            Some(c) => Parts::of(c)
                .all(Rule::context_entry)
                .into_iter()
                .map(|e| {
                    let mut ep = Parts::of(e);
                    (
                        self.path(ep.must(Rule::path)),
                        self.literal(ep.must(Rule::literal)),
                    )
                })
                .collect(),
            None => Vec::new(),
        };
        let reason = p
            .take(Rule::test_reason)
            .map(|r| self.name(Parts::of(r).must(Rule::name)));
        TestLine {
            expect,
            subject,
            action,
            object,
            context,
            reason,
            span,
        }
    }
}
