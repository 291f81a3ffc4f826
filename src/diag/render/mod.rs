//! Diagnostics: rendering a run's findings in the formats of `--format`.

mod github;
mod human;
mod json;
mod sarif;
mod short;
mod window;

pub use human::{render_human, write_human};
pub use json::{diagnostics_value, render_json};
pub use sarif::render_sarif;
pub use short::render_short;

use super::{Diagnostic, SourceMap};

/// An output format for diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// rustc-style reports with source snippets (codespan-reporting).
    Human,
    /// One line a finding: `path:line:col: error[A0001]: message`.
    Short,
    /// One JSON document with every finding and a summary.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.
    Sarif,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
}

impl Format {
    /// Every format with its `--format` name.
    pub const ALL: [(&'static str, Format); 5] = [
        ("human", Format::Human),
        ("short", Format::Short),
        ("json", Format::Json),
        ("sarif", Format::Sarif),
        ("github", Format::Github),
    ];

    pub fn name(self) -> &'static str {
        Format::ALL
            .iter()
            .find(|(_, f)| *f == self)
            .map_or("human", |(n, _)| n)
    }
}

/// Renders findings as text in a format (human output without colour).
pub fn render(format: Format, sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    match format {
        Format::Human => render_human(sources, diagnostics),
        Format::Short => short::render_short(sources, diagnostics),
        Format::Json => render_json(sources, diagnostics),
        Format::Sarif => render_sarif(sources, diagnostics),
        Format::Github => github::render_github(sources, diagnostics),
    }
}
