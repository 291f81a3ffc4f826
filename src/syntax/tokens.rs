//! Syntax: the lossless token layer; every byte of a file belongs to exactly one token.
//!
//! The lexer never fails and never allocates per token beyond the list: a
//! character it does not know is an [`TokenKind::Unknown`] token, an
//! unterminated string ends at its line's end (strings may not span lines).
//! Comments, doc comments, spaces and line breaks are tokens too, so the
//! formatter can reprint them, suppressions and docs read real comment
//! tokens, and error recovery can find declaration boundaries. Concatenating
//! the tokens' texts gives back the file exactly.

use std::ops::Range;

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenKind {
    /// A bare word: a name, keyword, kind, number or dotted path
    /// (`[A-Za-z0-9_]` or `-DIGIT`, then `[A-Za-z0-9_.-]*`).
    Word,
    /// A string literal, quotes included.
    String,
    /// `{ } [ ] , = : /` or a comparison operator (`== != <= >= < >`).
    Punct,
    /// A `//` comment, up to (not including) the line break.
    Comment,
    /// A `///` doc comment (exactly three slashes), up to the line break.
    DocComment,
    /// Spaces, tabs and carriage returns.
    Space,
    /// One `\n`.
    Newline,
    /// A character no other token starts with.
    Unknown,
}

impl TokenKind {
    /// Spaces, line breaks and comments: what the grammar skips between tokens.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            TokenKind::Space | TokenKind::Newline | TokenKind::Comment | TokenKind::DocComment
        )
    }
}

/// One token: its kind and byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: u32,
    pub end: u32,
}

impl Token {
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The token's text.
    pub fn text(self, source: &str) -> &str {
        source.get(self.range()).unwrap_or("")
    }
}

/// Splits `text` into tokens. Files are at most 64 MiB (`limits::MAX_FILE_BYTES`), so offsets fit in `u32`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 4);
    let mut i = 0;
    while i < bytes.len() {
        let (kind, len) = next(bytes, i);
        // INVARIANT: `next` always consumes at least one byte and stops on a
        // character boundary (it only splits at ASCII bytes).
        let end = i + len.max(1);
        out.push(Token {
            kind,
            start: i as u32,
            end: end as u32,
        });
        i = end;
    }
    out
}

fn is_word_start(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_word_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')
}

/// The kind and length of the token at `i`.
fn next(bytes: &[u8], i: usize) -> (TokenKind, usize) {
    let rest = &bytes[i..];
    let run = |pred: fn(u8) -> bool, from: usize| {
        from + rest[from..].iter().take_while(|&&b| pred(b)).count()
    };
    match rest[0] {
        b'\n' => (TokenKind::Newline, 1),
        b' ' | b'\t' | b'\r' => (
            TokenKind::Space,
            run(|b| matches!(b, b' ' | b'\t' | b'\r'), 0),
        ),
        b'/' if rest.get(1) == Some(&b'/') => {
            let mut len = run(|b| b != b'\n', 0);
            if rest[len - 1] == b'\r' {
                len -= 1; // a CRLF line break is not part of the comment
            }
            let doc = rest.starts_with(b"///") && rest.get(3) != Some(&b'/');
            let kind = if doc {
                TokenKind::DocComment
            } else {
                TokenKind::Comment
            };
            (kind, len)
        }
        b'"' => (TokenKind::String, string_len(rest)),
        b'-' if rest.get(1).is_some_and(u8::is_ascii_digit) => {
            (TokenKind::Word, run(is_word_char, 1))
        }
        b if is_word_start(b) => (TokenKind::Word, run(is_word_char, 1)),
        b'=' | b'!' | b'<' | b'>' if rest.get(1) == Some(&b'=') => (TokenKind::Punct, 2),
        b'{' | b'}' | b'[' | b']' | b',' | b'=' | b':' | b'/' | b'<' | b'>' => {
            (TokenKind::Punct, 1)
        }
        b if b.is_ascii() => (TokenKind::Unknown, 1),
        _ => (TokenKind::Unknown, utf8_len(rest)),
    }
}

/// The length of the string literal at the start of `rest`: up to and
/// including the closing quote, or up to the end of the line.
fn string_len(rest: &[u8]) -> usize {
    let mut i = 1;
    while i < rest.len() {
        match rest[i] {
            b'"' => return i + 1,
            b'\n' => return i,
            b'\\' if rest.get(i + 1).is_some_and(|&b| b != b'\n') => i += 1,
            _ => {}
        }
        i += 1;
    }
    // Unterminated at the end of the text. (An escape only skips the byte
    // after `\\`; the loop stops at `"` or a line break, both ASCII, or at the end.)
    rest.len()
}

/// The length of the UTF-8 character at the start of `rest`.
fn utf8_len(rest: &[u8]) -> usize {
    1 + rest[1..]
        .iter()
        .take(3)
        .take_while(|&&b| (b & 0xC0) == 0x80)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokenize(text)
            .into_iter()
            .map(|t| (t.kind, t.text(text)))
            .collect()
    }

    #[test]
    fn tokens_cover_the_text_exactly() {
        let text = "/// doc\nentity human \"a b\" { x = -1.5 } // c\n//// not doc\n";
        let joined: std::string::String = tokenize(text).iter().map(|t| t.text(text)).collect();
        assert_eq!(joined, text);
        use TokenKind::*;
        assert_eq!(
            kinds(text),
            vec![
                (DocComment, "/// doc"),
                (Newline, "\n"),
                (Word, "entity"),
                (Space, " "),
                (Word, "human"),
                (Space, " "),
                (String, "\"a b\""),
                (Space, " "),
                (Punct, "{"),
                (Space, " "),
                (Word, "x"),
                (Space, " "),
                (Punct, "="),
                (Space, " "),
                (Word, "-1.5"),
                (Space, " "),
                (Punct, "}"),
                (Space, " "),
                (Comment, "// c"),
                (Newline, "\n"),
                (Comment, "//// not doc"),
                (Newline, "\n"),
            ]
        );
    }

    #[test]
    fn strings_hide_comment_markers_and_stop_at_line_ends() {
        assert_eq!(
            kinds("\"a // b\" x"),
            vec![
                (TokenKind::String, "\"a // b\""),
                (TokenKind::Space, " "),
                (TokenKind::Word, "x")
            ]
        );
        assert_eq!(kinds("\"open\nx")[0], (TokenKind::String, "\"open"));
        assert_eq!(
            kinds("\"esc\\\"q\"")[0],
            (TokenKind::String, "\"esc\\\"q\"")
        );
    }

    #[test]
    fn any_text_tokenizes_on_character_boundaries() {
        for text in ["é\"\\é", "\"\\", "!<=>=!=é€😀", "\u{0}\"\\\u{80}"] {
            let joined: String = tokenize(text).iter().map(|t| t.text(text)).collect();
            assert_eq!(joined, text);
        }
        assert_eq!(kinds("a<=b")[1], (TokenKind::Punct, "<="));
    }
}
