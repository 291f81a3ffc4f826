//! Diagnostics: the one model every stage reports through, and its renderers.
//!
//! A [`Diagnostic`] has a stable code, a severity, a lowercase message, a
//! primary label, secondary labels (which may sit in other files), help and
//! notes. [`render`] turns a list of them into the output formats of
//! `--format`.

pub mod codes;
pub mod render;
pub mod source;
pub mod visible;

pub use codes::Code;
pub use source::{FileId, SourceFile, SourceMap, Span};

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The policy is rejected.
    Error,
    /// The policy is accepted, but a reviewer should look.
    Warning,
}

impl Severity {
    /// The word used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A span with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

impl Label {
    pub fn new(span: Span, message: impl Into<String>) -> Self {
        Label {
            span,
            message: message.into(),
        }
    }
}

/// One finding about a policy set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    pub severity: Severity,
    /// Lowercase, no trailing period, user names in backticks.
    pub message: String,
    /// Where the finding is; its message may be empty.
    pub primary: Label,
    /// Other places involved, possibly in other files.
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    pub notes: Vec<String>,
    /// Edits that fix the finding (the did-you-mean of A0003), for editors.
    pub fixes: Vec<Fix>,
}

/// An edit that fixes a finding: replace `span` with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, for a menu: "replace with `readers`".
    pub title: String,
    pub span: Span,
    pub replacement: String,
}

impl Diagnostic {
    /// An error with the code's severity and a primary label.
    pub fn error(code: Code, message: impl Into<String>, span: Span) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            primary: Label::new(span, ""),
            secondary: Vec::new(),
            help: None,
            notes: Vec::new(),
            fixes: Vec::new(),
        }
    }

    /// Adds a fix.
    pub fn with_fix(mut self, span: Span, replacement: impl Into<String>) -> Self {
        let replacement = replacement.into();
        self.fixes.push(Fix {
            title: format!("replace with `{replacement}`"),
            span,
            replacement,
        });
        self
    }

    /// Sets the primary label's message.
    pub fn with_label(mut self, message: impl Into<String>) -> Self {
        self.primary.message = message.into();
        self
    }

    /// Adds a secondary label.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.secondary.push(Label::new(span, message));
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
}

/// Sorts diagnostics into the stable report order: file, line, column, code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.primary.span.file, a.primary.span.start, a.code.id)
            .cmp(&(b.primary.span.file, b.primary.span.start, b.code.id))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// Counts of a run's findings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        Summary {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}
