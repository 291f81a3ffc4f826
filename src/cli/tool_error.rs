//! CLI: the tool's own failures as miette reports, with source spans where there are some.

use miette::{LabeledSpan, MietteDiagnostic, NamedSource, Report};

use crate::project::ProjectError;

/// A report for a project error (unreadable path, invalid `atom.toml`...).
pub fn project(error: ProjectError) -> Report {
    let mut diagnostic = MietteDiagnostic::new(error.to_string()).with_code(match &error {
        ProjectError::Manifest { .. } => "atom::manifest",
        ProjectError::NoInputs => "atom::no_inputs",
        _ => "atom::io",
    });
    if let Some(help) = error.help() {
        diagnostic = diagnostic.with_help(help);
    }
    match error {
        ProjectError::Manifest {
            path,
            text,
            message,
            span,
            ..
        } => {
            if let Some(span) = span {
                diagnostic = diagnostic.with_label(LabeledSpan::at(span, message));
            }
            Report::new(diagnostic).with_source_code(
                NamedSource::new(path.to_string_lossy(), text).with_language("toml"),
            )
        }
        _ => Report::new(diagnostic),
    }
}

/// A report for a command line clap could not parse.
pub fn usage(error: &clap::Error) -> Report {
    let rendered = error.render().to_string();
    let mut lines = rendered.lines();
    let first = lines
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_string();
    let rest: Vec<&str> = lines.map(str::trim).filter(|l| !l.is_empty()).collect();
    let mut diagnostic = MietteDiagnostic::new(first).with_code("atom::usage");
    if !rest.is_empty() {
        diagnostic = diagnostic.with_help(rest.join("\n"));
    }
    Report::new(diagnostic)
}

/// The reader of the tool's output went away (`atom ... | head`).
#[derive(Debug)]
pub struct OutputClosed;

impl std::fmt::Display for OutputClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the output was closed")
    }
}

impl std::error::Error for OutputClosed {}
impl miette::Diagnostic for OutputClosed {}

/// A report for failing to write output; a closed pipe is [`OutputClosed`].
pub fn output(error: std::io::Error) -> Report {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        return Report::new(OutputClosed);
    }
    Report::new(
        MietteDiagnostic::new(format!("could not write the output: {error}")).with_code("atom::io"),
    )
}

/// An `atom::io` report: `could not VERB `PATH`: ERROR`.
pub fn io(verb: &str, path: &std::path::Path, error: &std::io::Error) -> Report {
    Report::new(
        MietteDiagnostic::new(format!("could not {verb} `{}`: {error}", path.display()))
            .with_code("atom::io"),
    )
}

/// A report for a table source that did not load (other than a policy set
/// with errors, which is reported as diagnostics).
pub fn load(error: crate::decision::LoadError) -> Report {
    use crate::decision::LoadError;
    match error {
        LoadError::Project(e) => project(e),
        LoadError::Read { path, error } => io("read", &path, &error),
        LoadError::Refused(r) => {
            Report::new(MietteDiagnostic::new(r.to_string()).with_code("atom::io"))
        }
        e @ LoadError::Table { .. } => {
            Report::new(MietteDiagnostic::new(e.to_string()).with_code("atom::table"))
        }
        LoadError::Untrusted(why) => {
            Report::new(MietteDiagnostic::new(why).with_code("atom::signature"))
        }
    }
}
