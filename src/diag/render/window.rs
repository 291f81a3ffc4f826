//! Diagnostics: what the human renderer shows of the source, with long
//! lines cut down to the parts around a finding's labels.
//!
//! codespan-reporting prints every line a label touches in full. A
//! generated or minified file can put thousands of findings on one line of
//! tens of kilobytes, and printing that line once per finding makes the
//! report quadratic in the input. So a finding whose labels sit on a line
//! longer than [`LONG_LINE`] bytes is rendered from a [`View`] that holds
//! only its label lines, each long one reduced to the labels and
//! [`CONTEXT`] bytes on either side (elided parts shown as `…`), while line
//! and column numbers stay those of the real file. The report then costs
//! time linear in the findings and the input.

use std::ops::Range;

use codespan_reporting::files::{Error, Files};

use crate::diag::{Diagnostic, FileId, SourceMap, Span};

/// Lines longer than this (in bytes) are cut down around the labels.
pub(crate) const LONG_LINE: usize = 240;
/// Bytes kept on either side of a label on a long line.
pub(crate) const CONTEXT: usize = 40;

/// One line of an excerpt: where it sits in the excerpt's text, which real
/// line it is, and the kept segments as (excerpt offset, real offset, length).
pub(crate) struct Line {
    range: Range<usize>,
    real_line: usize,
    real_start: usize,
    segments: Vec<(usize, usize, usize)>,
}

/// The label lines of one file, some of them cut down.
pub(crate) struct Excerpt {
    file: FileId,
    text: String,
    lines: Vec<Line>,
}

impl Excerpt {
    /// The excerpt offset of a real offset inside a kept segment.
    fn map(&self, real: usize) -> Option<usize> {
        self.lines
            .iter()
            .flat_map(|l| &l.segments)
            .find_map(|&(new, old, len)| {
                (old..=old + len)
                    .contains(&real)
                    .then(|| new + (real - old))
            })
    }

    /// The real offset of an excerpt offset.
    fn unmap(&self, line: &Line, new_byte: usize) -> usize {
        let mut real = line.real_start;
        for &(new, old, len) in &line.segments {
            if new_byte >= new {
                real = old + (new_byte - new).min(len);
            }
        }
        real
    }
}

/// The files a finding is rendered from: the run's files as they are, or
/// excerpts of them.
pub(crate) enum View<'a> {
    Whole(&'a SourceMap),
    Cut {
        sources: &'a SourceMap,
        excerpts: Vec<Excerpt>,
    },
}

/// Floors a byte offset to a character boundary of `text`.
fn floor(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

impl<'a> View<'a> {
    /// The view for one finding, and its spans mapped into it.
    pub fn of(sources: &'a SourceMap, d: &Diagnostic) -> (View<'a>, Vec<Span>) {
        let spans: Vec<Span> = std::iter::once(d.primary.span)
            .chain(d.secondary.iter().map(|l| l.span))
            .collect();
        let whole = || (View::Whole(sources), spans.clone());
        let Some(mut lines) = long_label_lines(sources, &spans) else {
            return whole();
        };
        lines.sort();
        let mut excerpts: Vec<Excerpt> = Vec::new();
        for (file_id, line) in lines {
            let Some(file) = sources.get(file_id) else {
                return whole();
            };
            if !cut_line(&mut excerpts, file_id, file, line, &spans) {
                return whole();
            }
        }
        let mapped: Option<Vec<Span>> = spans
            .iter()
            .map(|s| {
                let ex = excerpts.iter().find(|e| e.file == s.file)?;
                Some(Span::new(
                    s.file,
                    ex.map(s.start as usize)?..ex.map(s.end as usize)?,
                ))
            })
            .collect();
        match mapped {
            Some(mapped) => (View::Cut { sources, excerpts }, mapped),
            None => whole(),
        }
    }

    fn excerpt(&self, id: FileId) -> Option<&Excerpt> {
        match self {
            View::Whole(_) => None,
            View::Cut { excerpts, .. } => excerpts.iter().find(|e| e.file == id),
        }
    }

    fn sources(&self) -> &'a SourceMap {
        match self {
            View::Whole(s) | View::Cut { sources: s, .. } => s,
        }
    }
}

/// The lines a finding's labels sit on, when they are all single-line and
/// at least one line is long; `None` when the finding is rendered whole.
fn long_label_lines(sources: &SourceMap, spans: &[Span]) -> Option<Vec<(FileId, usize)>> {
    let mut lines: Vec<(FileId, usize)> = Vec::new();
    let mut long = false;
    for s in spans {
        let file = sources.get(s.file)?;
        let (start, end) = (
            file.line_col(s.start as usize).line,
            file.line_col(s.end as usize).line,
        );
        let text_end = (s.end as usize).min(file.text.len());
        let ends_at_break =
            text_end > s.start as usize && file.text.as_bytes()[..text_end].ends_with(b"\n");
        if start != end && !(ends_at_break && end == start + 1) {
            return None; // a multi-line label: rendered as it is
        }
        long |= file.line_text(start).len() > LONG_LINE;
        if !lines.contains(&(s.file, start)) {
            lines.push((s.file, start));
        }
    }
    long.then_some(lines)
}

/// Appends one label line to the excerpt of its file, cut down to the
/// labels and their context when it is long. False when it cannot be.
fn cut_line(
    excerpts: &mut Vec<Excerpt>,
    file_id: FileId,
    file: &crate::diag::source::SourceFile,
    line: usize,
    spans: &[Span],
) -> bool {
    let text = file.line_text(line);
    let real_start = file.line_start(line);
    let on_line: Vec<Range<usize>> = spans
        .iter()
        .filter(|s| s.file == file_id && file.line_col(s.start as usize).line == line)
        .map(|s| {
            let a = s.start as usize - real_start;
            a..(s.end as usize - real_start).clamp(a, text.len())
        })
        .collect();
    if excerpts.last().is_none_or(|e| e.file != file_id) {
        excerpts.push(Excerpt {
            file: file_id,
            text: String::new(),
            lines: Vec::new(),
        });
    }
    let Some(ex) = excerpts.last_mut() else {
        return false;
    };
    let keep: Vec<Range<usize>> = if text.len() <= LONG_LINE {
        std::iter::once(0..text.len()).collect()
    } else {
        merge(
            on_line
                .iter()
                .map(|r| floor(text, r.start.saturating_sub(CONTEXT))..ceil(text, r.end + CONTEXT))
                .collect(),
        )
    };
    let begin = ex.text.len();
    let mut segments = Vec::new();
    for (i, r) in keep.iter().enumerate() {
        if i == 0 && r.start > 0 {
            ex.text.push('…');
        }
        if i > 0 {
            ex.text.push_str(" … ");
        }
        segments.push((ex.text.len(), real_start + r.start, r.len()));
        ex.text.push_str(text.get(r.clone()).unwrap_or(""));
    }
    if keep.last().is_some_and(|r| r.end < text.len()) {
        ex.text.push('…');
    }
    let end = ex.text.len();
    ex.text.push('\n');
    ex.lines.push(Line {
        range: begin..end,
        real_line: line,
        real_start,
        segments,
    });
    true
}

/// Sorted, overlapping or touching ranges merged.
fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

impl<'v> Files<'v> for View<'_> {
    type FileId = FileId;
    type Name = &'v str;
    type Source = &'v str;

    fn name(&'v self, id: FileId) -> Result<&'v str, Error> {
        Files::name(self.sources(), id)
    }

    fn source(&'v self, id: FileId) -> Result<&'v str, Error> {
        match self.excerpt(id) {
            Some(e) => Ok(&e.text),
            None => Files::source(self.sources(), id),
        }
    }

    fn line_index(&'v self, id: FileId, byte: usize) -> Result<usize, Error> {
        match self.excerpt(id) {
            Some(e) => Ok(e
                .lines
                .iter()
                .position(|l| byte <= l.range.end)
                .unwrap_or(e.lines.len().saturating_sub(1))),
            None => Files::line_index(self.sources(), id, byte),
        }
    }

    fn line_number(&'v self, id: FileId, line: usize) -> Result<usize, Error> {
        match self.excerpt(id) {
            Some(e) => e
                .lines
                .get(line)
                .map(|l| l.real_line)
                .ok_or(Error::LineTooLarge {
                    given: line,
                    max: e.lines.len(),
                }),
            None => Files::line_number(self.sources(), id, line),
        }
    }

    fn column_number(&'v self, id: FileId, line: usize, byte: usize) -> Result<usize, Error> {
        match self.excerpt(id) {
            Some(e) => {
                let l = e.lines.get(line).ok_or(Error::LineTooLarge {
                    given: line,
                    max: e.lines.len(),
                })?;
                let file = self.sources().get(id).ok_or(Error::FileMissing)?;
                Ok(file.line_col(e.unmap(l, byte)).column)
            }
            None => Files::column_number(self.sources(), id, line, byte),
        }
    }

    fn line_range(&'v self, id: FileId, line: usize) -> Result<Range<usize>, Error> {
        match self.excerpt(id) {
            Some(e) => e
                .lines
                .get(line)
                .map(|l| l.range.clone())
                .ok_or(Error::LineTooLarge {
                    given: line,
                    max: e.lines.len(),
                }),
            None => Files::line_range(self.sources(), id, line),
        }
    }
}
