//! CLI: `atom plan`, the query plan of what a subject may do an action on (spec section 16), in its JSON form.

use std::io::Write;
use std::process::ExitCode;

use miette::miette;

use super::input::TableArgs;
use super::tool_error;
use crate::eval::plan::{plan, PlanError};
use crate::listing::mapping::{Mapping, MAX_MAPPING};
use crate::listing::sql::render;
use crate::request::plan::{answer_json, subject};
use crate::request::{parse_context, strict};

#[derive(Debug, clap::Args)]
pub struct PlanArgs {
    /// The subject: a qualified entity name, or a section 6.1 description
    /// as JSON (`{"id": ..., "kind": ..., "status": ..., ...}`).
    pub subject: String,
    /// The action.
    pub action: String,
    /// The context, as a JSON object: `{"protocol": "mqtt"}`.
    #[arg(long)]
    pub context: Option<String>,
    #[command(flatten)]
    pub input: TableArgs,
    /// The plan's form.
    #[arg(long, value_enum, default_value_t = PlanFormat::Json)]
    pub format: PlanFormat,
    /// For `--format sql`: the TOML file that maps an object's facts to
    /// columns (section 16).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<std::path::PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    /// `{"plan": P, "revision": R}`.
    Json,
    /// `{"where": TEXT, "params": [...], "revision": R}`: a PostgreSQL
    /// condition with `$1`, `$2`, ... (every parameter a string).
    Sql,
}

/// Prints the plan; exit 2 for a subject or context that cannot be read,
/// or a plan that cannot be made exactly (never a partial one).
pub fn run(args: &PlanArgs) -> miette::Result<ExitCode> {
    let usage = |e: String| miette!(code = "atom::usage", "{e}");
    let who = match args.subject.trim_start().starts_with('{') {
        true => {
            let j = strict::parse(args.subject.as_bytes())
                .map_err(|e| usage(format!("the subject is not JSON: {e}")))?;
            subject(Some(&j)).map_err(|e| usage(e.to_string()))?
        }
        false => crate::request::Either::Name(args.subject.clone()),
    };
    let context = match &args.context {
        Some(text) => parse_context(text).map_err(usage)?,
        None => Vec::new(),
    };
    let mapping = match (args.format, &args.mapping) {
        (PlanFormat::Sql, None) => {
            return Err(usage("`--format sql` needs `--mapping FILE`".into()))
        }
        (_, Some(path)) => Some(read_mapping(path)?),
        (PlanFormat::Json, None) => None,
    };
    let Some(active) = args.input.load_active(true)? else {
        return Ok(ExitCode::from(1));
    };
    let t = active.table.table();
    let request = crate::request::plan::PlanRequest {
        subject: who,
        action: args.action.clone(),
        context,
    };
    let p = match plan(&t, request.subject(), &request.action, &request.context) {
        Ok(p) => p,
        Err(PlanError::Invalid(e)) => return Err(usage(e.to_string())),
        Err(PlanError::Unplannable(e)) => {
            return Err(miette!(code = "atom::unplannable", "{e}"));
        }
    };
    let doc = match args.format {
        PlanFormat::Json => answer_json(&p, &active.revision),
        PlanFormat::Sql => sql_json(&p, mapping.as_ref(), &active.revision)?,
    };
    writeln!(std::io::stdout(), "{doc}").map_err(tool_error::output)?;
    Ok(ExitCode::SUCCESS)
}

/// The mapping file, read within its size limit.
fn read_mapping(path: &std::path::Path) -> miette::Result<Mapping> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| tool_error::io("read", path, &e))?;
    let mut text = String::new();
    file.take(MAX_MAPPING as u64 + 1)
        .read_to_string(&mut text)
        .map_err(|e| tool_error::io("read", path, &e))?;
    Mapping::parse(&text).map_err(|e| {
        miette!(
            code = "atom::usage",
            "the mapping `{}`: {e}",
            path.display()
        )
    })
}

/// `{"where", "params", "revision"}`; a plan the mapping cannot hold is
/// refused (exit 2).
fn sql_json(
    p: &crate::eval::plan::Plan,
    mapping: Option<&Mapping>,
    revision: &str,
) -> miette::Result<serde_json::Value> {
    let Some(mapping) = mapping else {
        return Err(miette!(
            code = "atom::usage",
            "`--format sql` needs `--mapping FILE`"
        ));
    };
    let rendered = render(p, mapping).map_err(|e| miette!(code = "atom::unplannable", "{e}"))?;
    Ok(serde_json::json!({
        "where": rendered.condition,
        "params": rendered.params,
        "revision": revision,
    }))
}
