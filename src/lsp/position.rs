//! LSP: positions; byte offsets to and from LSP line/character positions, in UTF-16 or UTF-8 units.

use lsp_types::{Position, Range};

use crate::diag::{SourceFile, Span};

/// The unit of a position's `character`, as negotiated at initialization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// The position of a byte offset in a file (clamped to the text).
pub fn position(file: &SourceFile, offset: usize, encoding: Encoding) -> Position {
    let line = file.line_col(offset).line; // 1-based; snaps to a character boundary
    let start = file.line_start(line);
    let mut end = offset.clamp(start, file.text.len());
    while !file.text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &file.text[start..end];
    let character = match encoding {
        Encoding::Utf8 => before.len(),
        Encoding::Utf16 => before.encode_utf16().count(),
    };
    Position::new(to_u32(line - 1), to_u32(character))
}

/// The range of a span.
pub fn range(file: &SourceFile, span: Span, encoding: Encoding) -> Range {
    Range::new(
        position(file, span.start as usize, encoding),
        position(file, span.end as usize, encoding),
    )
}

/// The byte offset of a position (clamped to its line, and to the text).
pub fn offset(file: &SourceFile, pos: Position, encoding: Encoding) -> usize {
    let start = file.line_start(pos.line as usize + 1);
    let line = file.line_text(pos.line as usize + 1);
    let mut units = 0usize;
    for (i, c) in line.char_indices() {
        if units >= pos.character as usize {
            return start + i;
        }
        units += match encoding {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
        };
    }
    (start + line.len()).min(file.text.len())
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::SourceMap;

    #[test]
    fn positions_count_utf16_units_and_round_trip() {
        let mut sources = SourceMap::new();
        let id = sources.add("a.atom", "ab\n\"é😀\" x\n");
        let f = sources.get(id).unwrap();
        let x = f.text.find('x').unwrap();
        assert_eq!(position(f, x, Encoding::Utf16), Position::new(1, 6));
        assert_eq!(position(f, x, Encoding::Utf8), Position::new(1, 9));
        assert_eq!(offset(f, Position::new(1, 6), Encoding::Utf16), x);
        assert_eq!(offset(f, Position::new(1, 9), Encoding::Utf8), x);
        // Past the end of a line: the line's end; past the last line: the end.
        assert_eq!(offset(f, Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(
            offset(f, Position::new(9, 0), Encoding::Utf16),
            f.text.len()
        );
    }
}
