//! CLI: `atom query`, which decides requests from a table (or from sources compiled in memory).

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use miette::miette;

use super::input::TableArgs;
use super::tool_error;
use crate::decision::{encode, Answer};
use crate::diag::visible::visible;
use crate::eval::decide;
use crate::eval::explain::explain;
use crate::request::hint;
use crate::request::report::{answer, decision_json, explanation_lines};
use crate::request::{parse_context, read_line, Either, Line, OwnedRequest, MAX_REQUEST_LINE};
use crate::table::Table;

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    #[command(flatten)]
    pub input: TableArgs,
    /// The subject: a qualified entity name such as `factory-a/meter-001`.
    #[arg(required_unless_present = "requests")]
    pub subject: Option<String>,
    /// The action.
    #[arg(required_unless_present = "requests")]
    pub action: Option<String>,
    /// The object: a qualified name.
    #[arg(required_unless_present = "requests")]
    pub object: Option<String>,
    /// The request's context, as a JSON object: `{"protocol": "mqtt"}`.
    #[arg(long)]
    pub context: Option<String>,
    /// Print the facts and every grant considered.
    #[arg(long)]
    pub explain: bool,
    /// Read JSON lines of requests from FILE (`-` for stdin) and write JSON
    /// lines of decisions.
    #[arg(long, conflicts_with_all = ["subject", "context"])]
    pub requests: Option<PathBuf>,
    /// How to print the decision.
    #[arg(long, value_enum, default_value_t = QueryFormat::Human)]
    pub format: QueryFormat,
}

/// The formats that mean something for a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum QueryFormat {
    /// `allow: allowed_by block ...`, and the explanation with `--explain`.
    Human,
    /// One JSON object: `{"decision","allow","reason","block","via"}`.
    Json,
}

pub fn run(args: QueryArgs) -> miette::Result<ExitCode> {
    let json = args.format == QueryFormat::Json || args.requests.is_some();
    let Some(owned) = args.input.load(json)? else {
        return Ok(ExitCode::from(1));
    };
    let table = owned.table();

    if let Some(path) = &args.requests {
        return batch(&table, path, args.explain);
    }
    // `required_unless_present` guarantees the three positionals here.
    let (Some(subject), Some(action), Some(object)) = (args.subject, args.action, args.object)
    else {
        return Err(miette!(
            code = "atom::usage",
            "a query needs SUBJECT ACTION OBJECT, or --requests FILE"
        ));
    };
    let context = match &args.context {
        Some(text) => parse_context(text).map_err(|e| miette!(code = "atom::usage", "{e}"))?,
        None => Vec::new(),
    };
    let request = OwnedRequest {
        subject: Either::Name(subject.clone()),
        action: action.clone(),
        object: Either::Name(object.clone()),
        context,
        id: None,
    };
    let (decision, explanation) = request.with(|r| {
        let explanation = args.explain.then(|| explain(&table, r)).transpose();
        (decide(&table, r), explanation)
    });
    // A request by names is never invalid; the error is kept for honesty.
    let invalid = |e: crate::eval::InvalidRequest| miette!(code = "atom::usage", "{e}");
    let (decision, explanation) = (decision.map_err(invalid)?, explanation.map_err(invalid)?);
    let hint = hint::not_found(&table, &decision, &subject, &action, &object);
    let mut out = std::io::stdout().lock();
    if args.format == QueryFormat::Json {
        let mut json = decision_json(&table, &decision, explanation.as_ref());
        if let Some(hint) = &hint {
            json["hint"] = serde_json::json!(hint);
        }
        writeln!(out, "{json}").map_err(tool_error::output)?;
    } else {
        let line = encode::human(&table, &Answer::Decided(decision));
        // Names are any text: never print a control character raw.
        writeln!(out, "{}", visible(&line)).map_err(tool_error::output)?;
        if let Some(hint) = &hint {
            writeln!(out, "  {}", visible(hint)).map_err(tool_error::output)?;
        }
        if let Some(e) = &explanation {
            for line in explanation_lines(e, &action) {
                writeln!(out, "{}", visible(&line)).map_err(tool_error::output)?;
            }
        }
    }
    Ok(if decision.allow {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A line that is not a request: its error answer.
fn invalid(table: &Table<'_>, message: String) -> (serde_json::Value, Answer) {
    let typed = Answer::invalid(message);
    (encode::atom_json(table, &typed), typed)
}

fn batch(table: &Table<'_>, path: &PathBuf, explain_each: bool) -> miette::Result<ExitCode> {
    let input: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path).map_err(|e| tool_error::io("read", path, &e))?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut bad = 0usize;
    let mut input = input;
    let mut n = 0usize;
    while let Some(line) = read_line(&mut input, MAX_REQUEST_LINE)
        .map_err(|e| tool_error::io("read a request line from", path, &e))?
    {
        n += 1;
        let (mut answer, typed) = match line {
            Line::Text(text) if text.trim().is_empty() => continue,
            Line::Text(text) => match crate::request::strict::parse(text.as_bytes()) {
                Ok(j) => answer(table, &j, explain_each),
                Err(e) => invalid(table, e.to_string()),
            },
            Line::TooLong => invalid(
                table,
                format!("the request line is longer than {MAX_REQUEST_LINE} bytes"),
            ),
            Line::NotUtf8 => invalid(table, "the request line is not UTF-8".to_string()),
        };
        let valid = !matches!(typed, Answer::Invalid(_));
        bad += usize::from(!valid);
        answer["line"] = serde_json::json!(n);
        writeln!(out, "{answer}").map_err(tool_error::output)?;
    }
    out.flush().map_err(tool_error::output)?;
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
