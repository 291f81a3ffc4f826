//! CLI: `atom plan`, the query plan of what a subject may do an action on (spec section 16), in its JSON form.

use std::io::Write;
use std::process::ExitCode;

use miette::miette;

use super::input::TableArgs;
use super::tool_error;
use crate::eval::plan::{plan, PlanError};
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
    /// The plan's form: `json` (section 16; the SQL form is not built yet).
    #[arg(long, value_enum, default_value_t = PlanFormat::Json)]
    pub format: PlanFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum PlanFormat {
    /// `{"plan": P, "revision": R}`.
    Json,
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
    let doc = answer_json(&p, &active.revision);
    writeln!(std::io::stdout(), "{doc}").map_err(tool_error::output)?;
    Ok(ExitCode::SUCCESS)
}
