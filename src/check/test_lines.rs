//! Check: `test` blocks and their lines (A0012, and A0003 for undeclared names).
//!
//! Test lines may name anything in any tenant (no boundary check); inside a
//! tenant, unqualified names look in that tenant first.

use super::build::{Checker, Named};
use super::model::*;
use super::resolve::Want;
use super::suggest;
use crate::diag::{codes, Diagnostic};
use crate::syntax::ast::{self, Effect};
use crate::table::format::MAX_PATH_KEYS;

impl Checker<'_> {
    pub fn resolve_tests(&mut self) {
        for p in std::mem::take(&mut self.pending_tests) {
            let ast::Decl::Test(t) = &p.decl.decl else {
                continue;
            };
            let mut lines = Vec::new();
            for line in &t.lines {
                if let Some(l) = self.test_line(line, p.tenant) {
                    lines.push(l);
                }
            }
            self.model.tests.push(Test {
                name: t.name.text.clone(),
                tenant: p.tenant,
                lines,
                span: t.name.span,
            });
        }
    }

    fn ill_formed(&mut self, message: String, span: crate::diag::Span, label: &str, help: String) {
        self.error(
            Diagnostic::error(codes::BAD_TEST, message, span)
                .with_label(label)
                .with_help(help),
        );
    }

    fn test_line(&mut self, line: &ast::TestLine, tenant: Option<TenantId>) -> Option<TestLine> {
        let subject_found = self.lookup(&line.subject, tenant, Want::AnyEntity);
        let subject = subject_found.and_then(|f| match f.named {
            Named::Object(o) => match self.model.object(o).role {
                ObjectRole::Entity(e) => Some(e),
                _ => None,
            },
            Named::PrincipalGroup(_) => None,
        });
        if subject.is_none() && subject_found.is_some() {
            self.ill_formed(
                format!(
                    "the subject of a test line must be an entity; `{}` is not",
                    line.subject
                ),
                line.subject.span,
                "not an entity",
                "a request is made by one entity; to test a group, test one of its members"
                    .to_string(),
            );
        }
        let action = self.action(&line.action);
        let object = match self.lookup(&line.object, tenant, Want::AnyObject) {
            Some(found) => match found.named {
                Named::Object(o) => Some(o),
                // A principal group is an object of kind `group` (spec section 4).
                Named::PrincipalGroup(g) => Some(self.model.principal_groups[g.index()].object),
            },
            None => None,
        };
        let context = self.test_context(line);
        let reason = self.test_reason(line)?;
        Some(TestLine {
            expect: line.expect.value,
            subject: subject?,
            action: action?,
            object: object?,
            context: context?,
            reason,
            span: line.span,
        })
    }

    /// A test line's `with { context.KEY = value }` entries; `None` (after
    /// reporting A0012) when one is ill-formed.
    fn test_context(&mut self, line: &ast::TestLine) -> Option<Vec<(Vec<String>, Value)>> {
        let mut context: Vec<(Vec<String>, Value)> = Vec::new();
        let mut context_spans: Vec<crate::diag::Span> = Vec::new();
        let mut ok = true;
        for (path, literal) in &line.context {
            let segs: Vec<&str> = path.segments.iter().map(|s| s.value.as_str()).collect();
            if segs.first() != Some(&"context") || segs.len() < 2 {
                ok = false;
                self.ill_formed(
                    format!("`with` sets context entries; `{path}` is not one"),
                    path.span,
                    "not a `context.KEY` path",
                    "the entity and object come from the policy; `with` only sets `context.KEY = value`".to_string(),
                );
                continue;
            }
            if segs.len() - 1 > MAX_PATH_KEYS {
                ok = false;
                self.ill_formed(
                    format!("`context` entries nest at most {MAX_PATH_KEYS} keys deep"),
                    path.span,
                    &format!("{} keys", segs.len() - 1),
                    "flatten the context: `context.KEY = value` with fewer dots".to_string(),
                );
                continue;
            }
            let keys: Vec<String> = segs[1..].iter().map(|s| s.to_string()).collect();
            let overlapping = context.iter().position(|(k, _)| {
                k.len() != keys.len() && k.iter().zip(&keys).all(|(a, b)| a == b)
            });
            if let Some(i) = overlapping {
                ok = false;
                let (outer, inner) = if context[i].0.len() < keys.len() {
                    (context[i].0.join("."), keys.join("."))
                } else {
                    (keys.join("."), context[i].0.join("."))
                };
                self.error(
                    Diagnostic::error(
                        codes::BAD_TEST,
                        format!("`context.{inner}` is inside `context.{outer}`, which is set to a value"),
                        path.span,
                    )
                    .with_label("this entry overlaps another")
                    .with_secondary(context_spans[i], "the other entry")
                    .with_help(format!(
                        "set either `context.{outer}` or the entries inside it, not both"
                    )),
                );
                continue;
            }
            if context.iter().any(|(k, _)| *k == keys) {
                ok = false;
                self.ill_formed(
                    format!("`{path}` is set twice"),
                    path.span,
                    "set again here",
                    "give each context entry one value".to_string(),
                );
                continue;
            }
            let value = self.value(literal);
            context.push((keys, value));
            context_spans.push(path.span);
        }
        ok.then_some(context)
    }

    /// A test line's `because REASON`; `None` (after reporting A0012) when
    /// the reason is unknown or gives the other decision.
    fn test_reason(&mut self, line: &ast::TestLine) -> Option<Option<Reason>> {
        Some(match &line.reason {
            None => None,
            Some(r) => match Reason::from_name(&r.text) {
                None => {
                    let names: Vec<&str> = Reason::ALL.iter().map(|r| r.name()).collect();
                    let help = match suggest::closest(&r.text, names.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!("the reasons are {}", suggest::list(&names)),
                    };
                    self.ill_formed(
                        format!("unknown reason `{}`", r.text),
                        r.span,
                        "not a decision reason",
                        help,
                    );
                    return None;
                }
                Some(reason) if reason.allows() != (line.expect.value == Effect::Allow) => {
                    let help = if line.expect.value == Effect::Allow {
                        "an allowed request always has the reason `allowed_by`".to_string()
                    } else {
                        "`allowed_by` is the reason of an allow; a deny has one of the other reasons".to_string()
                    };
                    self.ill_formed(
                        format!(
                            "`{}` cannot be `because {}`",
                            line.expect.value.as_str(),
                            r.text
                        ),
                        r.span,
                        "this reason gives the other decision",
                        help,
                    );
                    return None;
                }
                Some(reason) => Some(reason),
            },
        })
    }
}
