//! Diagnostics: the files of a run, spans into them, and line/column lookup.

use std::ops::Range;
use std::sync::Arc;

/// Which file of a [`SourceMap`] a span points into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A byte range in one file. Files are limited in size (see
/// `syntax::limits`), so offsets fit in `u32`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span {
            file,
            start: clamp_u32(range.start),
            end: clamp_u32(range.end),
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A 1-based line and column (columns count Unicode scalar values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Where lines start after a break: `\n`, `\r\n`, or a lone `\r`, as
/// editors and the Language Server Protocol count lines (a lone `\r` is
/// also an A0001 error, `syntax::lone_carriage_returns`).
fn line_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().filter_map(move |(i, &b)| {
        let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        (b == b'\n' || lone_cr).then_some(i + 1)
    })
}

/// One source file: its display name (a path as given), text and line starts.
#[derive(Clone, Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    fn new(name: String, text: String) -> Self {
        let line_starts = std::iter::once(0).chain(line_breaks(&text)).collect();
        SourceFile {
            name,
            text,
            line_starts,
        }
    }

    fn line_index(&self, byte: usize) -> usize {
        match self.line_starts.binary_search(&byte) {
            Ok(line) => line,
            Err(next) => next - 1, // line_starts[0] == 0, so next >= 1
        }
    }

    fn line_range(&self, line: usize) -> Range<usize> {
        let start = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        let end = self
            .line_starts
            .get(line + 1)
            .copied()
            .unwrap_or(self.text.len());
        start..end
    }

    /// Where a 1-based line starts (the text's end past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.line_range(line.saturating_sub(1)).start
    }

    /// A 1-based line's text, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let range = self.line_range(line.saturating_sub(1));
        let text = self.text.get(range).unwrap_or("");
        text.strip_suffix('\n')
            .or_else(|| text.strip_suffix('\r'))
            .unwrap_or(text)
    }

    /// The line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, byte: usize) -> LineCol {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        let line = self.line_index(byte);
        let start = self.line_starts[line]; // line_index returns a valid index
        LineCol {
            line: line + 1,
            column: self.text[start..byte].chars().count() + 1,
        }
    }
}

/// All files of one run (or of a workspace). File ids are indices in the
/// order files were added; a removed file leaves its id unused, so the ids
/// of the others never change. Files are shared: a clone of the map costs
/// a pointer a file (the language server's snapshots).
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<Option<Arc<SourceFile>>>,
}

impl SourceMap {
    pub fn new() -> Self {
        SourceMap::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(clamp_u32(self.files.len()));
        self.files
            .push(Some(Arc::new(SourceFile::new(name.into(), text.into()))));
        id
    }

    /// Replaces the text of a file; `false` for an unknown or removed id.
    pub fn replace(&mut self, id: FileId, text: impl Into<String>) -> bool {
        match self.files.get_mut(id.0 as usize) {
            Some(Some(f)) => {
                *f = Arc::new(SourceFile::new(f.name.clone(), text.into()));
                true
            }
            _ => false,
        }
    }

    /// A map holding copies of the files `keep` selects, under the same ids.
    pub fn subset(&self, keep: impl Fn(FileId) -> bool) -> SourceMap {
        let files = self
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| f.as_ref().filter(|_| keep(FileId(clamp_u32(i)))).cloned())
            .collect();
        SourceMap { files }
    }

    /// Removes a file; its id is not reused.
    pub fn remove(&mut self, id: FileId) -> Option<Arc<SourceFile>> {
        self.files.get_mut(id.0 as usize)?.take()
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)?.as_deref()
    }

    /// The display name of a file (empty for an unknown id).
    pub fn name(&self, id: FileId) -> &str {
        self.get(id).map_or("", |f| f.name.as_str())
    }

    /// The text of a file (empty for an unknown id).
    pub fn text(&self, id: FileId) -> &str {
        self.get(id).map_or("", |f| f.text.as_str())
    }

    /// Start and end line/column of a span.
    pub fn span_lines(&self, span: Span) -> (LineCol, LineCol) {
        match self.get(span.file) {
            Some(f) => (
                f.line_col(span.start as usize),
                f.line_col(span.end as usize),
            ),
            None => {
                let one = LineCol { line: 1, column: 1 };
                (one, one)
            }
        }
    }

    /// A copy safe to print: names and texts with unsafe characters
    /// replaced (see `diag::visible`), spans still valid; `None` when every
    /// file is already safe.
    pub fn printable(&self) -> Option<SourceMap> {
        use super::visible::{is_unsafe, same_length, visible};
        let unsafe_file =
            |f: &SourceFile| f.text.chars().any(is_unsafe) || f.name.chars().any(is_unsafe);
        if !self.files.iter().flatten().any(|f| unsafe_file(f)) {
            return None;
        }
        let files = self
            .files
            .iter()
            .map(|f| {
                f.as_ref().map(|f| {
                    Arc::new(SourceFile::new(
                        visible(&f.name).into_owned(),
                        same_length(&f.text).into_owned(),
                    ))
                })
            })
            .collect();
        Some(SourceMap { files })
    }

    /// The files present, in id order.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .filter_map(|(i, f)| Some((FileId(clamp_u32(i)), f.as_deref()?)))
    }
}

impl<'a> codespan_reporting::files::Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.get(id)
            .map(|f| f.name.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.get(id)
            .map(|f| f.text.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn line_index(
        &'a self,
        id: FileId,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        self.get(id)
            .map(|f| f.line_index(byte.min(f.text.len())))
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn line_range(
        &'a self,
        id: FileId,
        line: usize,
    ) -> Result<Range<usize>, codespan_reporting::files::Error> {
        self.get(id)
            .map(|f| f.line_range(line))
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let mut map = SourceMap::new();
        let id = map.add("a.atom", "ab\ncdé f\n");
        let f = map.get(id).unwrap();
        assert_eq!(f.line_col(0), LineCol { line: 1, column: 1 });
        assert_eq!(f.line_col(3), LineCol { line: 2, column: 1 });
        // `f` is after the two-byte `é`: byte 8, column 5.
        assert_eq!(f.line_col(8), LineCol { line: 2, column: 5 });
        // Past the end clamps to the end.
        assert_eq!(f.line_col(100), LineCol { line: 3, column: 1 });
    }
}
