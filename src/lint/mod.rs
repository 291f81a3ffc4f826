//! Lint: finding what is legal but almost certainly wrong, on the checked model.
//!
//! Each rule lives in its own file under `rules/`, whose `//!` comment is
//! its documentation (`atom rule NAME` prints it). The registry in
//! `rules/mod.rs` gives each rule a stable name and code, a category and a
//! default level. [`lint`] runs every rule that is not `allow`ed, drops the
//! findings that a `// atom: allow(NAME) reason` comment on the line above
//! suppresses, and reports suppressions without a reason or that suppress
//! nothing.

mod config;
mod context;
pub mod fix;
pub mod rules;
mod suppress;

pub use config::{Level, LintConfig};
pub use context::{Ctx, Finding, Outside};
pub use rules::{Category, Rule, RULES};

use crate::check::model::Model;
use std::collections::BTreeSet;

use crate::diag::{Code, Diagnostic, FileId, Label, Severity, SourceMap, Span};

/// The rule with this name or code (`deny-condition-fails-open` or `L009`).
pub fn rule_named(name: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .find(|r| r.name == name || r.code.eq_ignore_ascii_case(name))
}

/// A rule's documentation: its file's leading `//!` comment, without the markers.
pub fn documentation(rule: &Rule) -> String {
    let mut out = Vec::new();
    let mut in_example = false;
    for line in rule.source.lines().take_while(|l| l.starts_with("//!")) {
        let text = line.trim_start_matches("//!");
        let text = text.strip_prefix(' ').unwrap_or(text);
        // Code fences are for rustdoc; on a terminal the example is indented instead.
        if text.starts_with("```") {
            in_example = !in_example;
            continue;
        }
        out.push(if in_example && !text.is_empty() {
            format!("    {text}")
        } else {
            text.to_string()
        });
    }
    out.join("\n").trim().to_string()
}

/// Every rule's documentation as Markdown sections (`### L001`, ...), for
/// the language reference (`docs/reference.md`; a test keeps it current).
pub fn reference_markdown() -> String {
    let mut out = String::new();
    for rule in RULES {
        out.push_str(&format!(
            "### {}\n\n`{}`: {}, {} by default.\n\n{}\n\n",
            rule.code,
            rule.name,
            rule.category.name(),
            rule.default.name(),
            documentation(rule)
        ));
    }
    out
}

fn diagnostic(rule: &Rule, level: Level, f: Finding) -> Diagnostic {
    let severity = if level == Level::Deny {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut d = Diagnostic {
        code: Code {
            id: rule.code,
            title: rule.name,
            default_level: match rule.default {
                Level::Allow => "none",
                Level::Warn => "warning",
                Level::Deny => "error",
            },
        },
        severity,
        message: f.message,
        primary: Label::new(f.primary, f.label),
        secondary: f.secondary,
        help: f.help,
        notes: f.notes,
        fixes: f.fix.into_iter().collect(),
    };
    d.notes.push(format!(
        "`{}` is {}; `atom rule {}` explains it",
        rule.name,
        level.describe(rule),
        rule.name
    ));
    d
}

/// Runs the lints on a checked policy set without errors.
pub fn lint(model: &Model, sources: &SourceMap, config: &LintConfig) -> Vec<Diagnostic> {
    lint_partial(model, sources, config, &BTreeSet::new())
}

/// Runs the lints on the analysed model of a set whose `files_with_errors`
/// have errors: findings in those files are left out, and while there is
/// any error the rules that need the whole set ([`Rule::needs_whole_set`])
/// do not run.
pub fn lint_partial(
    model: &Model,
    sources: &SourceMap,
    config: &LintConfig,
    files_with_errors: &BTreeSet<FileId>,
) -> Vec<Diagnostic> {
    lint_with(
        model,
        sources,
        config,
        files_with_errors,
        Outside::default(),
    )
}

/// [`lint_partial`] for a model of part of a set: `outside` holds what the
/// left-out files declare, and `files_with_errors` may name left-out files
/// (an error anywhere holds back the rules that need the whole set).
pub fn lint_with(
    model: &Model,
    sources: &SourceMap,
    config: &LintConfig,
    files_with_errors: &BTreeSet<FileId>,
    outside: Outside,
) -> Vec<Diagnostic> {
    let mut ctx = Ctx::new(model);
    ctx.outside = outside;
    let complete = files_with_errors.is_empty();
    let mut suppressions = suppress::collect(sources);
    suppressions.retain(|s| !files_with_errors.contains(&s.file));
    let mut out = Vec::new();
    let runs = |r: &&Rule| !r.meta && (complete || !r.needs_whole_set());
    for rule in RULES.iter().filter(runs) {
        let level = config.level(rule);
        if level == Level::Allow {
            continue;
        }
        let findings = (rule.check)(&ctx);
        let kept = findings
            .into_iter()
            .filter(|f| !files_with_errors.contains(&f.primary.file));
        for finding in kept {
            let (start, _) = sources.span_lines(finding.primary);
            let suppressed = suppressions.iter_mut().find(|s| {
                s.file == finding.primary.file
                    && s.line + 1 == start.line
                    && s.rules
                        .iter()
                        .any(|r| r == rule.name || r.eq_ignore_ascii_case(rule.code))
            });
            match suppressed {
                Some(s) => s.used = true,
                None => out.push(diagnostic(rule, level, finding)),
            }
        }
    }
    for s in &suppressions {
        if s.reason.is_none() {
            if let Some(rule) = rule_named("suppression-without-reason") {
                let level = config.level(rule);
                if level != Level::Allow {
                    out.push(diagnostic(
                        rule,
                        level,
                        Finding::new(
                            s.span,
                            "this suppression gives no reason",
                            "no reason after `allow(...)`",
                        )
                        .help(format!(
                            "say why the finding is acceptable: `// atom: allow({}) REASON`",
                            s.rules.join(", ")
                        )),
                    ));
                }
            }
        }
        if !s.used && complete {
            if let Some(rule) = rule_named("unused-suppression") {
                let level = config.level(rule);
                if level != Level::Allow {
                    let f = Finding::new(
                        s.span,
                        "this suppression suppresses nothing",
                        "no finding on the next line",
                    )
                    .help(unused_help(s));
                    let (span, title) = (removal(sources, s.span), "remove the suppression");
                    let f = f.fix(title, span, "");
                    out.push(diagnostic(rule, level, f));
                }
            }
        }
    }
    out
}

/// Help for an unused suppression: the nearest lint to a name that is
/// none, else where a suppression must stand.
fn unused_help(s: &suppress::Suppression) -> String {
    match s.rules.iter().find(|r| rule_named(r).is_none()) {
        Some(u) => match crate::check::suggest_closest(u, RULES.iter().map(|r| r.name)) {
            Some(near) => format!("there is no lint named `{u}`; did you mean `{near}`?"),
            None => format!("there is no lint named `{u}`; `atom rule --list` lists them"),
        },
        None => "remove it, or move it to the line just above the finding it is for".to_string(),
    }
}

/// What to delete to remove a `//` comment that starts at `comment`: it
/// runs to the end of its line; the whole line goes when the comment stands
/// alone there, else the comment and the spaces before it.
fn removal(sources: &SourceMap, comment: Span) -> Span {
    let text = sources.text(comment.file);
    let start = (comment.start as usize).min(text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = line_end;
    let alone = text[line_start..start].trim().is_empty();
    let range = if alone {
        line_start..(line_end + 1).min(text.len())
    } else {
        start - (text[..start].len() - text[..start].trim_end().len())..end
    };
    Span::new(comment.file, range)
}

/// The lint table of the README, generated from the registry.
pub fn markdown_table() -> String {
    let mut out =
        String::from("| lint | code | category | default | finds |\n|---|---|---|---|---|\n");
    for r in RULES {
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            r.name,
            r.code,
            r.category.name(),
            r.default.name(),
            r.summary
        ));
    }
    out
}
