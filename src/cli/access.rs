//! CLI: `atom who-can ACTION OBJECT` and `atom what-can SUBJECT`, the access of every subject or object (spec section 13).

use std::io::Write;
use std::process::ExitCode;

use miette::miette;
use serde_json::{json, Value as Json};

use super::input::TableArgs;
use super::tool_error;
use crate::analysis::access::{what_can, who_can, Row};
use crate::diag::visible::visible;
use crate::request::hint::{unknown, Missing};
use crate::request::report::map_json;
use crate::table::Table;

/// How to print an access answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AccessFormat {
    /// One line a result: access, names, and the grant that gives it.
    Human,
    /// `{"results":[{"subject","action","object","access","block","via",...}]}`.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct WhoCanArgs {
    /// The action.
    pub action: String,
    /// The object: a qualified name.
    pub object: String,
    #[command(flatten)]
    pub input: TableArgs,
    #[arg(long, value_enum, default_value_t = AccessFormat::Human)]
    pub format: AccessFormat,
}

#[derive(Debug, clap::Args)]
pub struct WhatCanArgs {
    /// The subject: a qualified entity name.
    pub subject: String,
    /// Only this action.
    #[arg(long)]
    pub action: Option<String>,
    #[command(flatten)]
    pub input: TableArgs,
    #[arg(long, value_enum, default_value_t = AccessFormat::Human)]
    pub format: AccessFormat,
}

pub fn who(args: WhoCanArgs) -> miette::Result<ExitCode> {
    let Some(owned) = args.input.load(args.format == AccessFormat::Json)? else {
        return Ok(ExitCode::from(2));
    };
    let t = owned.table();
    let action = named(
        &t,
        t.action_named(&args.action),
        Missing::Action,
        &args.action,
    )?;
    let object = named(
        &t,
        t.object_named(&args.object),
        Missing::Object,
        &args.object,
    )?;
    print(&t, &who_can(&t, action, object), args.format)
}

pub fn what(args: WhatCanArgs) -> miette::Result<ExitCode> {
    let Some(owned) = args.input.load(args.format == AccessFormat::Json)? else {
        return Ok(ExitCode::from(2));
    };
    let t = owned.table();
    let object = named(
        &t,
        t.entity_named(&args.subject).map(|e| t.entity_object(e)),
        Missing::Entity,
        &args.subject,
    )?;
    let entity = t.object_entity(object);
    if entity == crate::table::format::NONE {
        return Err(miette!(
            code = "atom::usage",
            "`{}` is not an entity",
            args.subject
        ));
    }
    let action = match &args.action {
        Some(a) => Some(named(&t, t.action_named(a), Missing::Action, a)?),
        None => None,
    };
    print(&t, &what_can(&t, entity, action), args.format)
}

fn named(t: &Table<'_>, found: Option<u32>, missing: Missing, name: &str) -> miette::Result<u32> {
    found.ok_or_else(|| miette!(code = "atom::usage", "{}", unknown(t, missing, name)))
}

/// Prints the rows; exits 2 when a triple could not be decided exactly.
fn print(t: &Table<'_>, rows: &[Row], format: AccessFormat) -> miette::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    let text = match format {
        AccessFormat::Json => {
            let results: Vec<Json> = rows.iter().map(|r| row_json(t, r)).collect();
            format!("{}\n", json!({ "results": results }))
        }
        AccessFormat::Human => rows.iter().map(|r| row_line(t, r) + "\n").collect(),
    };
    out.write_all(text.as_bytes()).map_err(tool_error::output)?;
    let undecided = rows.iter().any(|r| r.verdict.is_err());
    Ok(ExitCode::from(if undecided { 2 } else { 0 }))
}

/// The grant behind the allowing decision: (block, path) or membership.
fn grant(t: &Table<'_>, r: &Row) -> (Option<String>, Option<String>) {
    let Some((_, d)) = r.verdict.as_ref().ok().and_then(|v| v.allowing.as_ref()) else {
        return (None, None);
    };
    crate::decision::encode::Grant::of(t, d).fields()
}

fn row_json(t: &Table<'_>, r: &Row) -> Json {
    let (block, via) = grant(t, r);
    let mut j = json!({
        "subject": t.object_name(t.entity_object(r.entity)),
        "action": t.action_name(r.action),
        "object": t.object_name(r.object),
        "block": block,
        "via": via,
    });
    match &r.verdict {
        Ok(v) => {
            j["access"] = json!(v.access.name());
            if let (Some((allowing, _)), Some((denying, _))) = (&v.allowing, &v.denying) {
                j["allowing_context"] = map_json(allowing);
                j["denying_context"] = map_json(denying);
            }
        }
        Err(why) => {
            j["access"] = json!("undecided");
            j["error"] = json!(why.to_string());
        }
    }
    j
}

fn row_line(t: &Table<'_>, r: &Row) -> String {
    let subject = t.object_name(t.entity_object(r.entity));
    let what = format!(
        "{subject} {} {}",
        t.action_name(r.action),
        t.object_name(r.object)
    );
    let line = match (&r.verdict, grant(t, r)) {
        (Err(why), _) => format!("undecided    {what}: {why}"),
        (Ok(v), (block, via)) => {
            let from = match (block, via) {
                (Some(b), Some(v)) => format!(": block `{b}`, from `{v}`"),
                (None, Some(v)) => format!(": {v}"),
                _ => String::new(),
            };
            let when = match (&v.allowing, &v.denying) {
                (Some((a, _)), Some((d, _))) => format!(
                    " (allowed with context {}, denied with {})",
                    map_json(a),
                    map_json(d)
                ),
                _ => String::new(),
            };
            format!("{:<12} {what}{from}{when}", v.access.name())
        }
    };
    visible(&line).into_owned()
}
