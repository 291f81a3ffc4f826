//! Workspace: a policy set held in memory, the one front end that the CLI, `atom lsp` and embedders share.
//!
//! Files are added, replaced and removed by name. Each file's parse is
//! cached and redone only when that file changes; the semantic checks and
//! lints (which see the whole set) are redone lazily on the next question
//! after a change. A workspace answers: the diagnostics of every file
//! (errors and lints), the analysed model, the declaration a name refers
//! to, every use of a declaration, and the `///` doc of a name.
//!
//! ```
//! use atom::workspace::Workspace;
//! let mut ws = Workspace::default();
//! ws.set_file("a.atom", "action read on resource\ntype resource:doc\n");
//! ws.set_file("b.atom", "resource doc r1\nblok b {}\n");
//! // One syntax error in b.atom; the rest is checked, and `r1` is declared.
//! let errors: Vec<&str> = ws.analysis().diagnostics.iter().map(|d| d.code.id).collect();
//! assert_eq!(errors, ["A0001"]);
//! assert!(ws.analysis().complete_model().is_none());
//! ws.set_file("b.atom", "resource doc r1\n");
//! assert!(ws.analysis().complete_model().is_some());
//! assert_eq!(ws.parse_count(), 3); // a.atom was parsed once
//! ```

mod compile;
mod complete;
mod hover;
mod incremental;
pub use compile::{Compiled, Refused};
pub use complete::{Completion, CompletionKind};
mod names;
pub mod outline;
mod rename;
pub use rename::RenameError;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::check::{self, model::Model};
use crate::diag::{self, Diagnostic, FileId, SourceMap};
use crate::lint::{self, LintConfig};
use crate::project::Loaded;
use crate::syntax::{self, ast, Parsed};

/// What a workspace knows about its set as a whole, computed on demand.
#[derive(Clone, Debug)]
pub struct Analysis {
    /// The analysed model of every declaration that parsed.
    pub model: Model,
    /// Every error and lint of every file, in report order.
    pub diagnostics: Vec<Diagnostic>,
    /// The files with at least one error (their lints are withheld).
    pub files_with_errors: BTreeSet<FileId>,
}

impl Analysis {
    /// The model, when the set has no error: the one that compiles.
    pub fn complete_model(&self) -> Option<&Model> {
        self.files_with_errors.is_empty().then_some(&self.model)
    }
}

/// A set of policy files in memory.
///
/// A clone is a snapshot that costs a pointer a file: texts, parses and
/// the analysis are shared, and a change to either copy replaces what it
/// changes without touching the other. A clone made before the analysis
/// is computed shares it when computed (on any thread), until one of them
/// changes (the language server analyses snapshots on a worker thread).
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    sources: SourceMap,
    /// The parse of each file, by file id (`None` once removed).
    parsed: Vec<Option<Arc<Parsed>>>,
    /// Findings about a file that come from outside its text (it could not
    /// be read as UTF-8, or is too large), until it is replaced.
    outside: HashMap<FileId, Vec<Diagnostic>>,
    by_name: HashMap<String, FileId>,
    lint: LintConfig,
    /// The analysis of the current files, shared with the snapshots made
    /// since the last change.
    analysis: Arc<OnceLock<Analysis>>,
    parses: usize,
    /// Per file, what its syntax says about its place in the set (for
    /// [`Workspace::file_diagnostics`]).
    facts: Vec<Option<Arc<incremental::FileFacts>>>,
    /// Counts changes: a file added, replaced or removed.
    generation: u64,
    /// Per file id, the generation of its last change (kept after removal).
    changed_at: Vec<u64>,
    /// What the newest whole analysis of this workspace or of a snapshot
    /// of it found (a snapshot's counts when it is newer).
    last_whole: Arc<Mutex<Option<LastWhole>>>,
}

/// The last whole analysis, as one file's partial analysis needs it.
#[derive(Debug)]
struct LastWhole {
    files_with_errors: BTreeSet<FileId>,
    /// The generation it analysed: files changed later are the ones
    /// changed since.
    generation: u64,
}

impl Workspace {
    /// An empty workspace with these lint levels.
    pub fn new(lint: LintConfig) -> Self {
        Workspace {
            lint,
            ..Workspace::default()
        }
    }

    /// A workspace holding the files a project load read.
    pub fn from_loaded(loaded: Loaded, lint: LintConfig) -> Self {
        let mut ws = Workspace::new(lint);
        ws.set_files(
            loaded
                .sources
                .files()
                .map(|(_, file)| (file.name.clone(), file.text.clone()))
                .collect(),
        );
        for d in loaded.diagnostics {
            // Ids match: files were added in the same order.
            ws.outside.entry(d.primary.span.file).or_default().push(d);
        }
        ws
    }

    /// Adds a file, or replaces its text; re-parses this file only.
    pub fn set_file(&mut self, name: &str, text: impl Into<String>) -> FileId {
        let id = self.put_text(name, text.into());
        let parsed = syntax::parse(id, self.sources.text(id));
        let facts = incremental::facts(&parsed, self.sources.text(id));
        self.store(id, parsed, facts);
        id
    }

    /// Adds or replaces many files at once, parsing them on every core
    /// (the same result as [`Workspace::set_file`] on each in turn).
    pub fn set_files(&mut self, files: Vec<(String, String)>) -> Vec<FileId> {
        let ids: Vec<FileId> = files
            .into_iter()
            .map(|(name, text)| self.put_text(&name, text))
            .collect();
        let sources = &self.sources;
        let parsed = syntax::parallel::map(&ids, |&id| {
            let parsed = syntax::parse(id, sources.text(id));
            let facts = incremental::facts(&parsed, sources.text(id));
            (parsed, facts)
        });
        for (&id, (parsed, facts)) in ids.iter().zip(parsed) {
            self.store(id, parsed, facts);
        }
        ids
    }

    /// Sets a file's text (adding the file if it is new); returns its id.
    fn put_text(&mut self, name: &str, text: String) -> FileId {
        match self.by_name.get(name) {
            Some(&id) => {
                self.sources.replace(id, text);
                self.outside.remove(&id);
                id
            }
            None => {
                let id = self.sources.add(name, text);
                self.by_name.insert(name.to_string(), id);
                id
            }
        }
    }

    /// Keeps a file's parse and facts, and forgets the analysis.
    fn store(&mut self, id: FileId, parsed: Parsed, facts: incremental::FileFacts) {
        self.parses += 1;
        let slot = id.0 as usize;
        if self.parsed.len() <= slot {
            self.parsed.resize_with(slot + 1, || None);
            self.facts.resize_with(slot + 1, || None);
        }
        self.facts[slot] = Some(Arc::new(facts));
        self.parsed[slot] = Some(Arc::new(parsed));
        self.changed(id);
    }

    /// Removes a file; `false` if there is none of that name.
    pub fn remove_file(&mut self, name: &str) -> bool {
        let Some(id) = self.by_name.remove(name) else {
            return false;
        };
        self.sources.remove(id);
        self.outside.remove(&id);
        if let Some(slot) = self.parsed.get_mut(id.0 as usize) {
            *slot = None;
        }
        if let Some(slot) = self.facts.get_mut(id.0 as usize) {
            *slot = None;
        }
        self.changed(id);
        true
    }

    /// Forgets the analysis after a change to `id`.
    fn changed(&mut self, id: FileId) {
        self.analysis = Arc::default();
        self.generation += 1;
        let slot = id.0 as usize;
        if self.changed_at.len() <= slot {
            self.changed_at.resize(slot + 1, 0);
        }
        self.changed_at[slot] = self.generation;
    }

    /// Changes the lint levels (the parses are kept).
    pub fn set_lint_config(&mut self, lint: LintConfig) {
        self.lint = lint;
        self.analysis = Arc::default();
        self.last_whole = Arc::default();
    }

    /// The generation of the files: it grows with every change, so two
    /// snapshots of one workspace with the same generation hold the same
    /// files.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The generation of a file's last change (0 for an unknown id): a
    /// snapshot whose file has the same one holds the same text.
    pub fn file_generation(&self, id: FileId) -> u64 {
        self.changed_at.get(id.0 as usize).copied().unwrap_or(0)
    }

    /// The files changed since the last whole analysis, or `None` if there
    /// was none; with the errors it found.
    fn since_last_whole(&self) -> Option<(Vec<FileId>, BTreeSet<FileId>)> {
        let last = self
            .last_whole
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let last = last.as_ref()?;
        let changed = (self.changed_at.iter().enumerate())
            .filter(|(_, &at)| at > last.generation)
            .map(|(i, _)| FileId(u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        Some((changed, last.files_with_errors.clone()))
    }

    /// The id of the file with this name.
    pub fn file_id(&self, name: &str) -> Option<FileId> {
        self.by_name.get(name).copied()
    }

    /// The files' names and texts, for rendering diagnostics.
    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// The parse of one file.
    pub fn parsed(&self, id: FileId) -> Option<&Parsed> {
        self.parsed.get(id.0 as usize)?.as_deref()
    }

    /// How many times a file was parsed since the workspace was made.
    pub fn parse_count(&self) -> usize {
        self.parses
    }

    /// The checks and lints of the whole set, computed after each change.
    pub fn analysis(&self) -> &Analysis {
        self.analysis.get_or_init(|| {
            let analysis = self.analyse();
            let mut last = self
                .last_whole
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if last
                .as_ref()
                .is_none_or(|l| l.generation <= self.generation)
            {
                *last = Some(LastWhole {
                    files_with_errors: analysis.files_with_errors.clone(),
                    generation: self.generation,
                });
            }
            analysis
        })
    }

    /// The sources and the analysis, consuming the workspace (no copy
    /// unless a snapshot shares the analysis).
    pub fn into_parts(mut self) -> (SourceMap, Analysis) {
        let done = match Arc::try_unwrap(std::mem::take(&mut self.analysis)) {
            Ok(cell) => cell.into_inner(),
            Err(shared) => shared.get().cloned(),
        };
        let analysis = done.unwrap_or_else(|| self.analyse());
        (self.sources, analysis)
    }

    /// Whether the whole analysis is computed for the current files (it is
    /// not after [`Workspace::file_diagnostics`] took the partial path).
    pub fn has_analysis(&self) -> bool {
        self.analysis.get().is_some()
    }

    /// The analysed model of the set.
    pub fn model(&self) -> &Model {
        &self.analysis().model
    }

    fn analyse(&self) -> Analysis {
        let parsed: Vec<&Parsed> = self.parsed.iter().flatten().map(|p| &**p).collect();
        let files: Vec<&ast::File> = parsed.iter().map(|p| &p.file).collect();
        let broken: Vec<syntax::Broken> = parsed
            .iter()
            .flat_map(|p| p.broken.iter().cloned())
            .collect();
        let (model, found) = check::check_files(&files, &broken);
        let mut diagnostics: Vec<Diagnostic> = self.outside.values().flatten().cloned().collect();
        diagnostics.extend(parsed.iter().flat_map(|p| p.diagnostics.iter().cloned()));
        diagnostics.extend(found);
        let files_with_errors = check::files_with_errors(&diagnostics);
        diagnostics.extend(lint::lint_partial(
            &model,
            &self.sources,
            &self.lint,
            &files_with_errors,
        ));
        diag::sort(&mut diagnostics);
        Analysis {
            model,
            diagnostics,
            files_with_errors,
        }
    }
}
