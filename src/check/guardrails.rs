//! Check: guardrail rules (A0011) and grants that break them (A0006, spec section 9).
//!
//! Every allow block that reaches an entity through an `assign` or `grant`
//! is checked, for every entity kind that can receive it, every action of
//! the block, and every (kind, type) its scope can reach that the action
//! applies to. The matching rule of highest precedence decides. Findings
//! are grouped: one error per (statement, subject, rule), however many
//! entities, actions or types are involved.

use std::collections::HashMap;

use super::build::Checker;
use super::model::*;
use super::scope::{target_covers, KindType};
use super::suggest;
use crate::diag::{codes, Diagnostic, Span};
use crate::syntax::ast::{self, Effect};

/// Rules indexed by (entity kind, action).
struct RuleIndex {
    by_kind_action: HashMap<(EntityKind, ActionId), Vec<GuardrailId>>,
}

impl RuleIndex {
    fn new(model: &Model) -> Self {
        let mut by_kind_action: HashMap<(EntityKind, ActionId), Vec<GuardrailId>> = HashMap::new();
        for (i, g) in model.guardrails.iter().enumerate() {
            for a in &g.actions {
                by_kind_action
                    .entry((g.entity_kind, *a))
                    .or_default()
                    .push(GuardrailId(i as u32));
            }
        }
        RuleIndex { by_kind_action }
    }

    /// The deciding rule for a grant made in `tenant`, if it denies.
    fn denying_rule(
        &self,
        model: &Model,
        kind: EntityKind,
        action: ActionId,
        kt: KindType,
        tenant: Option<TenantId>,
    ) -> Option<GuardrailId> {
        let rules = self.by_kind_action.get(&(kind, action))?;
        let decisive = rules
            .iter()
            .filter(|r| {
                let g = &model.guardrails[r.index()];
                (g.tenant.is_none() || g.tenant == tenant) && target_covers(g.target, kt)
            })
            .min_by_key(|r| (model.guardrails[r.index()].precedence(), r.0))?;
        (model.guardrails[decisive.index()].effect == Effect::Deny).then_some(*decisive)
    }
}

/// The guardrail verdicts of a model, for grants the checker cannot see:
/// the compiler lists, per allow block and action, the entity kinds that
/// section 9 forbids it to, so that a subject described at request time
/// gets no more than a declared entity of its kind could (spec section 6.1).
pub struct Verdicts<'m> {
    model: &'m Model,
    index: RuleIndex,
}

impl<'m> Verdicts<'m> {
    pub fn new(model: &'m Model) -> Self {
        Verdicts {
            model,
            index: RuleIndex::new(model),
        }
    }

    /// The rule that forbids giving `action` of a block with `scope`, in a
    /// grant made in `tenant`, to entities of `kind`: the deciding rule of
    /// the first (kind, type) the scope reaches that it denies.
    pub fn forbidding(
        &self,
        kind: EntityKind,
        action: ActionId,
        scope: Scope,
        tenant: Option<TenantId>,
    ) -> Option<GuardrailId> {
        self.model
            .applicable_reach(action, scope)
            .into_iter()
            .find_map(|kt| {
                self.index
                    .denying_rule(self.model, kind, action, kt, tenant)
            })
    }
}

impl Model {
    /// A guardrail as written: `guardrail deny device delete on resource absolute`,
    /// followed by `(tenant T)` for a tenant rule.
    pub fn guardrail_text(&self, id: GuardrailId) -> String {
        let g = &self.guardrails[id.index()];
        let actions: Vec<&str> = g
            .actions
            .iter()
            .map(|a| self.actions[a.index()].name.as_str())
            .collect();
        let mut text = format!(
            "guardrail {} {} {} on {}",
            if g.effect == Effect::Deny {
                "deny"
            } else {
                "allow"
            },
            g.entity_kind.name(),
            actions.join(", "),
            self.target_name(g.target)
        );
        if g.absolute {
            text.push_str(" absolute");
        }
        if let Some(t) = g.tenant {
            text.push_str(&format!(" (tenant {})", self.tenants[t.index()].name));
        }
        text
    }
}

/// One way a block breaks a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Breach {
    rule: GuardrailId,
    kind: EntityKind,
    action: ActionId,
    action_index: usize,
    kt: KindType,
}

/// Everything one (statement, subject, rule) error reports.
struct Finding {
    grant: usize,
    subject: usize,
    rule: GuardrailId,
    block: BlockId,
    first: Breach,
    kinds: u8,
    pairs: Vec<(ActionId, KindType)>,
    other_blocks: usize,
}

/// Every way an allow block breaks a rule for the entity kinds in `mask`,
/// in a grant made in `tenant`.
fn breaches(
    model: &Model,
    index: &RuleIndex,
    b: BlockId,
    tenant: Option<TenantId>,
    mask: u8,
) -> Vec<Breach> {
    let block = model.block(b);
    let mut out = Vec::new();
    let Some(scope) = block.scope else {
        return out;
    };
    for (ai, &action) in block.actions.iter().enumerate() {
        for kt in model.applicable_reach(action, scope) {
            for kind in kinds_in(mask) {
                if let Some(rule) = index.denying_rule(model, kind, action, kt, tenant) {
                    out.push(Breach {
                        rule,
                        kind,
                        action,
                        action_index: ai,
                        kt,
                    });
                }
            }
        }
    }
    out
}

/// The findings so far, one per (statement, subject, rule).
#[derive(Default)]
struct Findings {
    list: Vec<Finding>,
    index: HashMap<(usize, usize, GuardrailId), usize>,
}

impl Findings {
    /// Adds the breaches of block `b`, given by subject `si` of statement `gi`.
    fn add(&mut self, gi: usize, si: usize, b: BlockId, breaches: &[Breach]) {
        let mut blocks_counted: Vec<GuardrailId> = Vec::new();
        for breach in breaches {
            let key = (gi, si, breach.rule);
            match self.index.get(&key) {
                Some(&i) => {
                    let f = &mut self.list[i];
                    f.kinds |= breach.kind.bit();
                    if f.block == b && !f.pairs.contains(&(breach.action, breach.kt)) {
                        f.pairs.push((breach.action, breach.kt));
                    } else if f.block != b && !blocks_counted.contains(&breach.rule) {
                        f.other_blocks += 1;
                        blocks_counted.push(breach.rule);
                    }
                }
                None => {
                    self.index.insert(key, self.list.len());
                    blocks_counted.push(breach.rule);
                    self.list.push(Finding {
                        grant: gi,
                        subject: si,
                        rule: breach.rule,
                        block: b,
                        first: *breach,
                        kinds: breach.kind.bit(),
                        pairs: vec![(breach.action, breach.kt)],
                        other_blocks: 0,
                    });
                }
            }
        }
    }
}

fn kinds_in(mask: u8) -> impl Iterator<Item = EntityKind> {
    EntityKind::ALL
        .into_iter()
        .filter(move |k| mask & k.bit() != 0)
}

fn plural(kind: EntityKind, n: usize) -> String {
    if n == 1 {
        kind.name().to_string()
    } else {
        format!("{}s", kind.name())
    }
}

impl Checker<'_> {
    /// A guardrail statement: its form (A0011), actions and target.
    pub fn guardrail_rule(
        &mut self,
        g: &ast::GuardrailDecl,
        tenant: Option<TenantId>,
        span: Span,
        doc: Option<String>,
    ) {
        let mut ok = true;
        if tenant.is_some() && g.effect.value == Effect::Allow {
            ok = false;
            self.error(
                Diagnostic::error(codes::BAD_GUARDRAIL, "a tenant guardrail can only deny", g.effect.span)
                    .with_label("`allow` in a tenant guardrail")
                    .with_help("tenants may only narrow what the platform allows; write `guardrail deny ...`, or move this allow to the top level"),
            );
        }
        if let (Some(_), Some(abs)) = (tenant, g.absolute) {
            ok = false;
            self.error(
                Diagnostic::error(codes::BAD_GUARDRAIL, "only a global guardrail can be absolute", abs)
                    .with_label("`absolute` in a tenant guardrail")
                    .with_help("a tenant deny already overrides global allows; move an absolute rule to the top level"),
            );
        }
        if g.effect.value == Effect::Allow && g.absolute.is_some() && tenant.is_none() {
            ok = false;
            self.error(
                Diagnostic::error(codes::BAD_GUARDRAIL, "an allow guardrail cannot be absolute", g.absolute.unwrap_or(span))
                    .with_label("`absolute` applies to deny rules")
                    .with_help("`absolute` makes a deny win over every other rule; remove it or make the rule `deny`"),
            );
        }
        let kind = EntityKind::from_name(&g.entity_kind.text);
        if kind.is_none() {
            ok = false;
            let mut d = Diagnostic::error(
                codes::BAD_GUARDRAIL,
                format!("guardrail on unknown entity kind `{}`", g.entity_kind.text),
                g.entity_kind.span,
            )
            .with_label("not an entity kind");
            d = match suggest::closest(&g.entity_kind.text, crate::kinds::ENTITY_KINDS) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!(
                    "guardrails name an entity kind: {}",
                    suggest::list(&crate::kinds::ENTITY_KINDS)
                )),
            };
            self.error(d);
        }
        let actions: Vec<ActionId> = g.actions.iter().filter_map(|a| self.action(a)).collect();
        let target = self.target(&g.target);
        if let (true, Some(kind), Some(target), true) =
            (ok, kind, target, actions.len() == g.actions.len())
        {
            self.model.guardrails.push(Guardrail {
                effect: g.effect.value,
                entity_kind: kind,
                actions,
                target,
                absolute: g.absolute.is_some(),
                tenant,
                span,
                doc,
            });
        }
    }

    /// A0006: every allow grant against the guardrails.
    pub fn check_guardrails(&mut self) {
        if self.model.guardrails.is_empty() {
            return;
        }
        let model = &self.model;
        let index = RuleIndex::new(model);
        let role_blocks = model.role_blocks();
        let children = model.principal_group_children();
        let group_kinds = self.group_kinds();
        let mut cache: HashMap<(BlockId, Option<TenantId>, u8), Vec<Breach>> = HashMap::new();
        let mut findings = Findings::default();
        for (gi, grant) in model.grants.iter().enumerate() {
            let blocks: &[BlockId] = match &grant.given {
                Given::Block(b) => std::slice::from_ref(b),
                Given::Role(r) => &role_blocks[r.index()],
            };
            for (si, (subject, _)) in grant.subjects.iter().enumerate() {
                let mask = match subject {
                    Subject::Entity(e) if !self.bad_entities[e.index()] => {
                        model.entity(*e).kind.bit()
                    }
                    Subject::Entity(_) => 0,
                    Subject::Group(g) => group_kinds[g.index()],
                };
                if mask == 0 {
                    continue;
                }
                for &b in blocks {
                    if model.block(b).effect != Effect::Allow || model.block(b).scope.is_none() {
                        continue;
                    }
                    let found = cache
                        .entry((b, grant.tenant, mask))
                        .or_insert_with(|| breaches(model, &index, b, grant.tenant, mask));
                    findings.add(gi, si, b, found);
                }
            }
        }
        let diagnostics: Vec<Diagnostic> = findings
            .list
            .iter()
            .map(|f| self.breach_diagnostic(f, &children))
            .collect();
        self.diagnostics.extend(diagnostics);
    }

    /// The entity kinds each principal group's grants reach: the kinds of
    /// its members and of its child groups' members, as bit sets.
    fn group_kinds(&self) -> Vec<u8> {
        let model = &self.model;
        let mut group_kinds = vec![0u8; model.principal_groups.len()];
        for (i, g) in model.principal_groups.iter().enumerate() {
            let mask = g
                .members
                .iter()
                .filter(|e| !self.bad_entities[e.index()])
                .fold(0u8, |m, e| m | model.entity(*e).kind.bit());
            let mut node = Some(PrincipalGroupId(i as u32));
            let mut depth = 0;
            while let (Some(n), true) = (node, depth <= model.principal_groups.len()) {
                group_kinds[n.index()] |= mask;
                node = model.principal_groups[n.index()].parent;
                depth += 1;
            }
        }
        group_kinds
    }

    fn breach_diagnostic(&self, f: &Finding, children: &[Vec<PrincipalGroupId>]) -> Diagnostic {
        let model = &self.model;
        let grant = &model.grants[f.grant];
        let (subject, subject_span) = grant.subjects[f.subject];
        let rule = &model.guardrails[f.rule.index()];
        let block = model.block(f.block);
        let kt_name = |kt: KindType| match kt.1 {
            Some(t) => model.type_name(t),
            None => kt.0.name().to_string(),
        };
        let action_name = |a: ActionId| model.actions[a.index()].name.clone();
        let kinds: Vec<EntityKind> = kinds_in(f.kinds).collect();
        let kind_words: Vec<String> = kinds.iter().map(|k| plural(*k, 2)).collect();

        let receivers = receivers_note(model, f, subject, children);

        let path = path_note(model, f, subject);

        let what: Vec<String> = f
            .pairs
            .iter()
            .map(|(a, kt)| format!("`{}` on `{}`", action_name(*a), kt_name(*kt)))
            .collect();
        let rule_kind = match rule.precedence() {
            1 => "absolute guardrail",
            2 => "tenant guardrail",
            _ => "guardrail",
        };
        let mut d = Diagnostic::error(
            codes::GUARDRAIL,
            format!(
                "{rule_kind} forbids giving {} to {}",
                what.first().cloned().unwrap_or_default(),
                suggest::list(&kind_words).replace('`', "")
            ),
            subject_span,
        )
        .with_label(format!(
            "this {} gives it",
            match grant.given {
                Given::Role(_) => "assignment",
                Given::Block(_) => "grant",
            }
        ))
        .with_secondary(rule.span, format!("forbidden by this {rule_kind}"))
        .with_secondary(
            block.action_spans[f.first.action_index],
            format!("`{}` is granted here", action_name(f.first.action)),
        )
        .with_note(path)
        .with_note(receivers);
        if let Some(doc) = &rule.doc {
            d = d.with_note(format!("the {rule_kind} says: /// {doc}"));
        }
        if let Some(note) = model.doc_note(block.object) {
            d = d.with_note(note);
        }
        d = carrier_labels(d, model, f, subject, children);
        if what.len() > 1 {
            d = d.with_note(format!(
                "the same rule forbids {} in this block",
                what[1..].join(", ")
            ));
        }
        if f.other_blocks > 0 {
            d = d.with_note(format!(
                "{} other block{} given by this statement break the same rule",
                f.other_blocks,
                if f.other_blocks == 1 { "" } else { "s" }
            ));
        }
        d.with_help(format!(
            "remove `{}` from block `{}`, or give it to subjects that are not {}",
            action_name(f.first.action),
            model.block_name(f.block),
            suggest::list(&kind_words).replace('`', "")
        ))
    }
}

/// Who receives a breaching grant: the entity, or how many members of the
/// group (and its child groups) of the forbidden kinds, with examples.
fn receivers_note(
    model: &Model,
    f: &Finding,
    subject: Subject,
    children: &[Vec<PrincipalGroupId>],
) -> String {
    let kinds: Vec<EntityKind> = kinds_in(f.kinds).collect();
    match subject {
        Subject::Entity(e) => format!(
            "received by {} `{}`",
            model.entity(e).kind.name(),
            model.entity_name(e)
        ),
        Subject::Group(g) => {
            let reached: Vec<EntityId> = model
                .group_reach(g, children)
                .into_iter()
                .filter(|e| f.kinds & model.entity(*e).kind.bit() != 0)
                .collect();
            let examples: Vec<String> = reached
                .iter()
                .take(3)
                .map(|e| model.entity_name(*e))
                .collect();
            let has_children = !children[g.index()].is_empty();
            let kind = kinds.first().copied().unwrap_or(EntityKind::Device);
            let count = if reached.len() == 1 {
                format!("{} `{}`", kind.name(), examples[0])
            } else {
                let more = if reached.len() > examples.len() {
                    ", such as "
                } else {
                    ": "
                };
                format!(
                    "{} {}{more}{}",
                    reached.len(),
                    if kinds.len() == 1 {
                        plural(kind, reached.len())
                    } else {
                        "entities".to_string()
                    },
                    suggest::list(&examples)
                )
            };
            // The chain runs from `g` down; it reads upwards: `a` in `b` in `g`.
            let chain = member_chain(model, g, f.kinds, children)
                .filter(|(chain, _)| chain.len() > 1)
                .map(|(mut chain, member)| {
                    chain.reverse();
                    (chain, member)
                });
            match chain {
                Some((chain, _)) if reached.len() == 1 => {
                    format!("received by {count}, as member of {}", chain_text(model, &chain))
                }
                Some((chain, member)) => format!(
                    "received by {count}, as members of `{}` and its child groups (`{}` as member of {})",
                    model.group_name(g),
                    model.entity_name(member),
                    chain_text(model, &chain)
                ),
                None => format!(
                    "received by {count}, as member{} of `{}`{}",
                    if reached.len() == 1 { "" } else { "s" },
                    model.group_name(g),
                    if has_children { " and its child groups" } else { "" }
                ),
            }
        }
    }
}

/// `` `a` in `b` in `c` ``.
fn chain_text(model: &Model, chain: &[PrincipalGroupId]) -> String {
    let names: Vec<String> = chain
        .iter()
        .map(|g| format!("`{}`", model.group_name(*g)))
        .collect();
    names.join(" in ")
}

/// The path of a breaching grant: statement → roles → block → action on type.
fn path_note(model: &Model, f: &Finding, subject: Subject) -> String {
    let grant = &model.grants[f.grant];
    let action = &model.actions[f.first.action.index()].name;
    let kt = match f.first.kt.1 {
        Some(t) => model.type_name(t),
        None => f.first.kt.0.name().to_string(),
    };
    // The path: statement → roles → block → action on type.
    let statement = match grant.given {
        Given::Role(r) => format!(
            "`assign {} to {}`",
            model.role_name(r),
            subject_name(model, subject)
        ),
        Given::Block(b) => format!(
            "`grant {} to {}`",
            model.block_name(b),
            subject_name(model, subject)
        ),
    };
    let mut path = vec![statement];
    if let Given::Role(r) = grant.given {
        for role in model.role_path(r, f.block).unwrap_or_else(|| vec![r]) {
            path.push(format!("role `{}`", model.role_name(role)));
        }
    }
    path.push(format!("block `{}`", model.block_name(f.block)));
    path.push(format!("`{} on {}`", action, kt));

    format!("path: {}", path.join(" → "))
}

/// Labels at the roles that carry the block and at the group chain down to
/// the first member of a forbidden kind, each at its declaration.
fn carrier_labels(
    mut d: Diagnostic,
    model: &Model,
    f: &Finding,
    subject: Subject,
    children: &[Vec<PrincipalGroupId>],
) -> Diagnostic {
    let grant = &model.grants[f.grant];
    // The roles that carry the block, and the group chain down to the
    // first member of a forbidden kind, each at its declaration.
    if let Given::Role(r) = grant.given {
        let roles = model.role_path(r, f.block).unwrap_or_else(|| vec![r]);
        for (i, role) in roles.iter().enumerate() {
            let holds = match roles.get(i + 1) {
                Some(next) => format!("role `{}`", model.role_name(*next)),
                None => format!("block `{}`", model.block_name(f.block)),
            };
            d = d.with_secondary(
                model.object(model.role(*role).object).span,
                format!("role `{}` includes {holds}", model.role_name(*role)),
            );
        }
    }
    if let Subject::Group(g) = subject {
        if let Some(chain) = member_chain(model, g, f.kinds, children) {
            let (last, member) = chain;
            for pair in last.windows(2) {
                d = d.with_secondary(
                    model.principal_groups[pair[1].index()].span,
                    format!(
                        "`{}` is in `{}`",
                        model.group_name(pair[1]),
                        model.group_name(pair[0])
                    ),
                );
            }
            let inner = last.last().copied().unwrap_or(g);
            d = d.with_secondary(
                model.object(model.entity(member).object).span,
                format!(
                    "{} `{}` is a member of `{}`",
                    model.entity(member).kind.name(),
                    model.entity_name(member),
                    model.group_name(inner)
                ),
            );
        }
    }
    d
}

/// The chain of groups from `top` down to the first group (breadth first)
/// with a direct member of one of the `kinds`, and that member.
fn member_chain(
    model: &Model,
    top: PrincipalGroupId,
    kinds: u8,
    children: &[Vec<PrincipalGroupId>],
) -> Option<(Vec<PrincipalGroupId>, EntityId)> {
    let mut parent: HashMap<PrincipalGroupId, PrincipalGroupId> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([top]);
    while let Some(g) = queue.pop_front() {
        let member = model.principal_groups[g.index()]
            .members
            .iter()
            .find(|e| kinds & model.entity(**e).kind.bit() != 0);
        if let Some(member) = member {
            let mut chain = vec![g];
            while let Some(p) = parent.get(chain.last()?) {
                chain.push(*p);
            }
            chain.reverse();
            return Some((chain, *member));
        }
        for c in &children[g.index()] {
            if *c != top && !parent.contains_key(c) {
                parent.insert(*c, g);
                queue.push_back(*c);
            }
        }
    }
    None
}

fn subject_name(model: &Model, subject: Subject) -> String {
    match subject {
        Subject::Entity(e) => model.entity_name(e),
        Subject::Group(g) => model.group_name(g),
    }
}
