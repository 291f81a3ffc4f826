//! CLI: `atom query`, which decides requests from a table (or from sources compiled in memory).

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use miette::{miette, IntoDiagnostic, WrapErr};

use super::compiled::compile_inputs;
use super::tool_error;
use super::{ColorArg, FormatArg, OutputArgs};
use crate::diag::visible::visible;
use crate::eval::decide;
use crate::eval::explain::{block_name, explain, via_text};
use crate::request::report::{decision_json, explanation_lines};
use crate::request::{
    parse_context, parse_request, read_line, Either, Line, OwnedRequest, MAX_REQUEST_LINE,
};
use crate::table::Table;

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The compiled table to decide from.
    #[arg(long, conflicts_with = "sources")]
    pub table: Option<PathBuf>,
    /// Policy files or folders to compile in memory instead of a table
    /// (default: the `sources` of `atom.toml`).
    #[arg(long)]
    pub sources: Vec<PathBuf>,
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
    /// `human` or `json`.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
}

/// The table's bytes: read from `--table`, or compiled from the sources;
/// `None` when the sources do not compile (their errors are reported).
fn table_bytes(args: &QueryArgs) -> miette::Result<Option<Vec<u8>>> {
    Ok(Some(match &args.table {
        Some(path) => crate::table::read_file(path).map_err(|e| {
            miette!(
                code = "atom::io",
                "could not read `{}`: {e}",
                path.display()
            )
        })?,
        None => {
            let report = OutputArgs {
                format: FormatArg::Human,
                color: ColorArg::Auto,
            };
            match compile_inputs(&args.sources, &report)? {
                Some(c) => c.bytes,
                None => return Ok(None),
            }
        }
    }))
}

pub fn run(args: QueryArgs) -> miette::Result<ExitCode> {
    let Some(bytes) = table_bytes(&args)? else {
        return Ok(ExitCode::from(2));
    };
    let table = Table::from_bytes(&bytes).map_err(|e| {
        miette!(code = "atom::table", "{}", e).wrap_err(match &args.table {
            Some(p) => format!("`{}` is not a usable policy table", p.display()),
            None => "the compiled table did not load".to_string(),
        })
    })?;

    if let Some(path) = &args.requests {
        return batch(&table, path, args.explain);
    }
    // `required_unless_present` guarantees the three positionals here.
    let (Some(subject), Some(action), Some(object)) = (args.subject, args.action, args.object)
    else {
        return Err(miette!(
            "a query needs SUBJECT ACTION OBJECT, or --requests FILE"
        ));
    };
    let context = match &args.context {
        Some(text) => parse_context(text).map_err(|e| miette!(code = "atom::usage", "{e}"))?,
        None => Vec::new(),
    };
    let request = OwnedRequest {
        subject: Either::Name(subject),
        action: action.clone(),
        object: Either::Name(object),
        context,
    };
    let (decision, explanation) = request.with(|r| {
        let explanation = args.explain.then(|| explain(&table, r)).transpose();
        (decide(&table, r), explanation)
    });
    // A request by names is never invalid; the error is kept for honesty.
    let invalid = |e: crate::eval::InvalidRequest| miette!(code = "atom::usage", "{e}");
    let (decision, explanation) = (decision.map_err(invalid)?, explanation.map_err(invalid)?);
    let mut out = std::io::stdout().lock();
    if args.format == FormatArg::Json {
        writeln!(
            out,
            "{}",
            decision_json(&table, &decision, explanation.as_ref())
        )
        .map_err(tool_error::output)?;
    } else {
        let named = match (decision.block, decision.via, decision.membership) {
            (Some(b), Some(v), _) => format!(
                " block `{}`, from `{}`",
                block_name(&table, b),
                via_text(&table, v)
            ),
            (_, _, Some(t)) => format!(" tenant membership of `{}`", table.tenant_name(t)),
            _ => String::new(),
        };
        let effect = if decision.allow { "allow" } else { "deny" };
        // Names are any text: never print a control character raw.
        writeln!(
            out,
            "{effect}: {}{}",
            decision.reason.name(),
            visible(&named)
        )
        .map_err(tool_error::output)?;
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

fn batch(table: &Table<'_>, path: &PathBuf, explain_each: bool) -> miette::Result<ExitCode> {
    let input: Box<dyn BufRead> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path)
            .into_diagnostic()
            .wrap_err_with(|| format!("could not read `{}`", path.display()))?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut bad = 0usize;
    let mut input = input;
    let mut n = 0usize;
    while let Some(line) = read_line(&mut input, MAX_REQUEST_LINE)
        .into_diagnostic()
        .wrap_err("could not read a request line")?
    {
        n += 1;
        let parsed = match line {
            Line::Text(text) if text.trim().is_empty() => continue,
            Line::Text(text) => serde_json::from_str(&text)
                .map_err(|e| e.to_string())
                .and_then(|j| parse_request(&j)),
            Line::TooLong => Err(format!(
                "the request line is longer than {MAX_REQUEST_LINE} bytes"
            )),
        };
        let answer = match parsed {
            Ok(request) => request.with(|r| {
                let e = explain_each.then(|| explain(table, r)).transpose();
                match (decide(table, r), e) {
                    (Ok(d), Ok(e)) => decision_json(table, &d, e.as_ref()),
                    (Err(invalid), _) | (_, Err(invalid)) => {
                        bad += 1;
                        serde_json::json!({ "error": invalid.message, "key": invalid.key, "line": n })
                    }
                }
            }),
            Err(message) => {
                bad += 1;
                serde_json::json!({ "error": message, "line": n })
            }
        };
        writeln!(out, "{answer}").map_err(tool_error::output)?;
    }
    out.flush().map_err(tool_error::output)?;
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
