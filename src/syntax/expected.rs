//! Syntax: turning a parse failure into an A0001 diagnostic in the user's words.
//!
//! Pest reports the grammar rules it tried at the furthest position. Each
//! rule has a phrase here (the match is exhaustive, so a new rule cannot be
//! forgotten); lexical mistakes (strings, doc comments, the end of the file)
//! are recognised from the text itself, for a precise span and message.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::grammar::Rule;
use super::limits::{scan, string_end};
use crate::diag::{codes, Diagnostic, FileId, Span};

/// What a rule means to a user, when it is what the parser expected.
enum Phrase {
    /// A specific thing, in words.
    Words(&'static str),
    /// The start of a new declaration.
    Declaration,
    /// A `,` continuing a list: mentioned only when nothing else fits.
    Comma,
    /// The end of the file: mentioned only when nothing else fits.
    End,
}

#[expect(
    clippy::too_many_lines,
    reason = "a table with one arm per grammar rule reads best whole"
)]
fn phrase(rule: Rule) -> Phrase {
    use Phrase::*;
    match rule {
        Rule::EOI => End,
        Rule::comma => Comma,
        Rule::file
        | Rule::lone_item
        | Rule::lone_tenant_head
        | Rule::tenant_head
        | Rule::item
        | Rule::doc
        | Rule::doc_line
        | Rule::action_decl
        | Rule::type_decl
        | Rule::guardrail_decl
        | Rule::tenant_decl
        | Rule::tenant_attributes
        | Rule::entity_decl
        | Rule::resource_decl
        | Rule::object_group_decl
        | Rule::object_decl
        | Rule::principal_group_decl
        | Rule::block_decl
        | Rule::role_decl
        | Rule::assign_decl
        | Rule::grant_decl
        | Rule::member_decl
        | Rule::test_decl
        | Rule::kw_action
        | Rule::kw_type
        | Rule::kw_guardrail
        | Rule::kw_tenant
        | Rule::kw_attributes
        | Rule::kw_entity
        | Rule::kw_resource
        | Rule::kw_object
        | Rule::kw_object_group
        | Rule::kw_principal_group
        | Rule::kw_block
        | Rule::kw_role
        | Rule::kw_assign
        | Rule::kw_grant
        | Rule::kw_member
        | Rule::kw_test => Declaration,
        // Silent rules: never reported, listed so that the match stays exhaustive.
        Rule::WHITESPACE
        | Rule::COMMENT
        | Rule::doc_start
        | Rule::name_char
        | Rule::bare_name
        | Rule::escape
        | Rule::string_body
        | Rule::name_body
        | Rule::declaration
        | Rule::scope_target
        | Rule::path_root
        | Rule::path_segment => Words("a token"),
        Rule::name => Words("a name"),
        Rule::qname | Rule::name_list => Words("a name"),
        Rule::subject_list => Words("a subject (an entity or principal group)"),
        Rule::action_name | Rule::action_list => Words("an action name"),
        Rule::target | Rule::target_kind | Rule::target_list => {
            Words("a kind or type (such as `resource` or `resource:channel`)")
        }
        Rule::target_sub => Words("a sub-type after `:`"),
        Rule::kind_word => Words("a kind"),
        Rule::kw_on => Words("`on` after the actions"),
        Rule::kw_to => Words("`to`"),
        Rule::kw_in | Rule::parent_group => Words("`in`"),
        Rule::kw_when | Rule::condition => Words("`when`"),
        Rule::kw_and => Words("`and`"),
        Rule::kw_with | Rule::test_context => Words("`with`"),
        Rule::kw_because | Rule::test_reason => Words("`because`"),
        Rule::kw_absolute | Rule::absolute => Words("`absolute`"),
        Rule::open_brace | Rule::map => Words("`{`"),
        Rule::close_brace => Words("`}`"),
        Rule::open_bracket | Rule::list => Words("`[`"),
        Rule::close_bracket => Words("`]`"),
        Rule::equals => Words("`=`"),
        Rule::tenant_status => {
            Words("a tenant status (`active`, `inactive`, `frozen` or `deleted`)")
        }
        Rule::entity_status => Words("an entity status (`active`, `inactive` or `suspended`)"),
        Rule::effect => Words("`allow` or `deny`"),
        Rule::block_rule => Words("a rule (`allow ACTIONS on SCOPE` or `deny ACTIONS on SCOPE`)"),
        Rule::scope | Rule::type_ref => Words("a scope (`all`, a kind, a type or a name)"),
        Rule::scope_relation | Rule::relation => Words("`in`, `within` or `beneath`"),
        Rule::comparison | Rule::path => Words("a path (such as `entity.attributes.site`)"),
        Rule::operator => {
            Words("a comparison operator (`==`, `!=`, `<`, `<=`, `>`, `>=`, `in` or `contains`)")
        }
        Rule::operand => Words("a value or a path"),
        Rule::literal => Words("a value"),
        Rule::string => Words("a string"),
        Rule::number => Words("a number"),
        Rule::boolean => Words("`true` or `false`"),
        Rule::map_entry => Words("an attribute (`key = value`)"),
        Rule::test_line => Words("a test line (`allow SUBJECT ACTION OBJECT`)"),
        Rule::context_entry => Words("a context entry (`context.key = value`)"),
    }
}

/// Help for the common mistake behind an expected rule, if there is one.
fn help_for(rule: Rule) -> Option<&'static str> {
    match rule {
        Rule::kw_on => Some("write the actions, then `on` and what they apply to: `allow read, write on resource:channel`"),
        Rule::operator => Some("`=` sets a value in attributes and test contexts; compare with `==`"),
        Rule::kw_to => Some("write `assign ROLE to SUBJECT` or `grant BLOCK to SUBJECT`"),
        Rule::test_line => Some("each test line reads `allow SUBJECT ACTION OBJECT` or `deny SUBJECT ACTION OBJECT [because REASON]`"),
        Rule::name | Rule::qname | Rule::name_list => Some("a name is letters, digits, `_`, `.` and `-`, starting with a letter, digit or `_`; quote any other text: `\"my name\"`"),
        Rule::effect | Rule::block_rule => Some("a block's rule starts with `allow` or `deny`: `block NAME { allow read on resource }`"),
        Rule::scope | Rule::type_ref => Some("say what the rule reaches: `on all`, `on resource`, `on resource:channel`, `on NAME` or `on resource:channel in GROUP`"),
        Rule::target | Rule::target_kind | Rule::target_list => Some("name a kind (`resource`) or a type (`resource:channel`), or `platform`"),
        Rule::target_sub => Some("write the type without spaces: `resource:channel`"),
        Rule::entity_status => Some("an entity's status is `active`, `inactive` or `suspended`, after its name and group"),
        Rule::tenant_status => Some("a tenant's status is `active`, `inactive`, `frozen` or `deleted`, after its name"),
        Rule::close_bracket => Some("separate list items with `,` and close the list with `]`"),
        _ => None,
    }
}

/// Help for what newcomers from other languages type: `or`, `||`, `&&`,
/// `!`, and a `,` left before `on` or a closing bracket. `before` is the
/// text up to the error, `rest` the text from it.
fn newcomer_help(before: &str, rest: &str, positives: &[Rule]) -> Option<&'static str> {
    let expects = |r: Rule| positives.contains(&r);
    let word = rest
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    if (word == "or" || rest.starts_with("||")) && expects(Rule::kw_and) {
        return Some("conditions are joined with `and` only; for either-or, write a second block (allows add up) or compare with `in [\"a\", \"b\"]`");
    }
    if rest.starts_with("&&") && expects(Rule::kw_and) {
        return Some("join conditions with the word `and`: `when A == B and C == D`");
    }
    if rest.starts_with('!') && !rest.starts_with("!=") {
        return Some("there is no `!`: compare with `!=`, or write a `deny` block for what must never be allowed");
    }
    if expects(Rule::operator) && !rest.starts_with('=') {
        let last_word = before
            .trim_end()
            .rsplit([' ', '\t', '\n'])
            .next()
            .unwrap_or("");
        if last_word == "not" {
            return Some("there is no `not`: compare with `!=` (`context.flag != true`), or write a `deny` block for what must never be allowed");
        }
        return Some("a condition compares two sides, there are no bare boolean conditions: `context.flag == true`");
    }
    let before = before.trim_end();
    if expects(Rule::kw_on)
        && before.ends_with(" on")
        && before[..before.len() - 3].trim_end().ends_with(',')
    {
        return Some("a `,` before `on` makes `on` read as an action: remove the trailing comma (`allow read, write on resource`)");
    }
    if before.ends_with(',')
        && (rest.starts_with('}')
            || rest.starts_with(']')
            || rest.starts_with(|c: char| c.is_whitespace()))
    {
        return Some("remove the trailing `,`: it must be followed by another item");
    }
    None
}

/// Joins phrases as `a`, `a or b`, `one of a, b or c`.
fn join(phrases: &[&str]) -> String {
    match phrases {
        [] => "something else".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] if init.len() == 1 => format!("{} or {}", init[0], last),
        [init @ .., last] => format!("one of {} or {}", init.join(", "), last),
    }
}

/// What stands at `pos`: a word, a string, a character, or the end of the file.
fn found(text: &str, pos: usize) -> (String, usize) {
    let rest = &text[pos..];
    let word = rest
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
        .map_or(rest.len(), |(i, _)| i);
    if word > 0 {
        return (format!("`{}`", &rest[..word]), word);
    }
    if let Some(op) = ["||", "&&"].into_iter().find(|op| rest.starts_with(op)) {
        return (format!("`{op}`"), 2);
    }
    match rest.chars().next() {
        None => ("end of file".to_string(), 0),
        Some('\n' | '\r') => ("a line break".to_string(), 1),
        Some(c) if c.is_whitespace() => ("a space".to_string(), c.len_utf8()),
        Some('"') => ("a string".to_string(), 1),
        Some(c) => (format!("`{c}`"), c.len_utf8()),
    }
}

/// The offset just past the last character that is not white space.
fn end_of_content(text: &str) -> usize {
    text.trim_end().len()
}

/// Whether the last non-blank line before `pos` is a `///` doc comment.
fn follows_doc_comment(text: &str, pos: usize) -> bool {
    text[..pos]
        .trim_end()
        .lines()
        .last()
        .is_some_and(|l| l.trim_start().starts_with("///") && !l.trim_start().starts_with("////"))
}

/// Converts a pest failure into the A0001 diagnostic a user reads.
/// What the parser expected, in words, and the help for it.
struct Expected {
    words: Vec<&'static str>,
    /// A new declaration could start here.
    declaration: bool,
    /// A `,` could continue a list here.
    comma: bool,
    help: Option<&'static str>,
}

/// The expected rules as words: each rule's phrase once, a `,` first
/// unless `on` is what is usually missing, a declaration last.
fn expected_words(positives: &[Rule]) -> Expected {
    let mut words: Vec<&str> = Vec::new();
    let (mut declaration, mut comma, mut end) = (false, false, false);
    let mut help = None;
    for rule in positives {
        match phrase(*rule) {
            Phrase::Words(w) => {
                if !words.contains(&w) {
                    words.push(w);
                }
                help = help.or(help_for(*rule));
            }
            Phrase::Declaration => declaration = true,
            Phrase::Comma => comma = true,
            Phrase::End => end = true,
        }
    }
    if declaration {
        words.push("a declaration");
    }
    // A `,` could continue almost any list; name it unless the help already
    // explains it (after actions, where `on` is what is usually missing).
    if comma && !positives.contains(&Rule::kw_on) {
        words.insert(0, "`,`");
    }
    if words.is_empty() && end {
        words.push("end of file");
    }
    Expected {
        words,
        declaration,
        comma,
        help,
    }
}

/// The label names the one thing expected, leaving aside a `,` and the
/// start of a new declaration; with several, it names what was found.
fn label_for(words: &[&str], found: &str) -> String {
    let main: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| *w != "`,`" && *w != "a declaration")
        .collect();
    match (main.as_slice(), words.first()) {
        ([one], _) | ([], Some(one)) => {
            format!("expected {}", one.split(" (").next().unwrap_or(one))
        }
        _ => format!("unexpected {found}"),
    }
}

/// What to do about a syntax error: the rule's own help, else help for a
/// list or a declaration, else "write what was expected".
fn with_syntax_help(
    diagnostic: Diagnostic,
    after_doc: bool,
    help: Option<&'static str>,
    comma: bool,
    declaration: bool,
    expected: &str,
) -> Diagnostic {
    if after_doc {
        diagnostic.with_help(
            "a `///` comment describes the declaration after it; use `//` for other comments",
        )
    } else if let Some(help) = help {
        diagnostic.with_help(help)
    } else if comma && !declaration {
        diagnostic
            .with_help("separate the items of a list with `,`; a list in braces ends with `}`")
    } else if declaration {
        diagnostic.with_help(
            "a declaration starts with `action`, `type`, `guardrail`, `tenant`, `entity`, `resource`, `object`, `object-group`, `principal-group`, `block`, `role`, `assign`, `grant`, `member` or `test`; a block that is still open needs its `}`",
        )
    } else {
        diagnostic.with_help(format!("write {expected} here"))
    }
}

/// The errors at `pos` that say more than "expected ...": a `///` comment
/// with nothing to document, a bad escape, an unterminated string.
fn misplaced_doc_or_bad_string(
    file: FileId,
    text: &str,
    pos: usize,
    positives: &[Rule],
) -> Option<Diagnostic> {
    let span = |r: std::ops::Range<usize>| Span::new(file, r);
    let rest = &text[pos..];
    if rest.starts_with("///") && !rest.starts_with("////") {
        let end = pos + rest.find('\n').unwrap_or(rest.len());
        // Where `}` could come, the block before is still open: the comment
        // is fine once it is closed.
        let help = if positives.contains(&Rule::close_brace) {
            "the `{` before this comment is still open: close it with `}` first"
        } else {
            "use `//` for a comment here"
        };
        return Some(
            Diagnostic::error(
                codes::SYNTAX,
                "a doc comment must come right before a declaration",
                span(pos..end),
            )
            .with_label("this `///` comment documents nothing")
            .with_help(help),
        );
    }
    if rest.starts_with('"') {
        let end = string_end(text.as_bytes(), pos);
        if let Some(escape) = end.bad_escape {
            return Some(Diagnostic::error(codes::SYNTAX, "unknown escape in string", span(escape))
                .with_label("not a valid escape")
                .with_help(r#"the escapes are `\"`, `\\`, `\n`, `\t` and `\u{...}` with 1 to 6 hex digits"#));
        }
        if !end.closed {
            return Some(
                Diagnostic::error(codes::SYNTAX, "unterminated string", span(pos..end.end))
                    .with_label("this string has no closing `\"`")
                    .with_help("strings end on the line they start; write a line break as `\\n`"),
            );
        }
    }

    None
}

///
/// `error` comes from parsing `text[piece]`: the whole file, or (for the
/// recovering parser) one declaration, whose end is where another
/// declaration may start.
pub(crate) fn syntax_error(
    file: FileId,
    text: &str,
    piece: std::ops::Range<usize>,
    error: &Error<Rule>,
) -> Diagnostic {
    let pos = (piece.start
        + match error.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        })
    .min(text.len());
    let span = |r: std::ops::Range<usize>| Span::new(file, r);

    let positives = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } if piece.end < text.len() => {
            // In a piece, the end of the piece is where the next declaration begins.
            positives
                .iter()
                .map(|&r| if r == Rule::EOI { Rule::item } else { r })
                .collect()
        }
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { message } => {
            return Diagnostic::error(
                codes::SYNTAX,
                "this file is too complex to parse",
                span(pos..pos),
            )
            .with_label(format!("the parser stopped here: {message}"))
            .with_help("split the file, or simplify the declaration at this point");
        }
    };

    if let Some(d) = misplaced_doc_or_bad_string(file, text, pos, &positives) {
        return d;
    }
    let rest = &text[pos..];

    let Expected {
        words,
        declaration,
        comma,
        help,
    } = expected_words(&positives);
    let help = newcomer_help(&text[piece.start.min(pos)..pos], rest, &positives).or(help);
    let expected = join(&words);

    let at_end = rest.trim().is_empty();
    let (found, len) = if at_end {
        ("end of file".to_string(), 0)
    } else {
        found(text, pos)
    };
    let primary = if at_end {
        let e = end_of_content(text);
        span(e..e)
    } else {
        span(pos..pos + len)
    };

    let after_doc = words == ["a declaration"] && follows_doc_comment(text, pos);
    let message = if after_doc {
        format!("expected a declaration after the doc comment, found {found}")
    } else {
        format!("expected {expected}, found {found}")
    };
    let label = label_for(&words, &found);
    let mut diagnostic = Diagnostic::error(codes::SYNTAX, message, primary).with_label(label);
    diagnostic = with_syntax_help(diagnostic, after_doc, help, comma, declaration, &expected);
    // At the end of the file or of a piece (where the next declaration
    // starts), an open delimiter is the likely cause.
    let piece_text = text.get(piece.clone()).unwrap_or("");
    let at_piece_end = text
        .get(pos..piece.end)
        .is_some_and(|r| r.trim().is_empty());
    if at_end || at_piece_end {
        if let Some(&open) = scan(piece_text).open.last() {
            let open = piece.start + open;
            let delimiter = &text[open..open + 1];
            diagnostic = diagnostic.with_secondary(
                span(open..open + 1),
                format!("this `{delimiter}` is never closed"),
            );
        }
    }
    diagnostic
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_join_like_prose() {
        assert_eq!(join(&["`a`"]), "`a`");
        assert_eq!(join(&["`a`", "`b`"]), "`a` or `b`");
        assert_eq!(join(&["`a`", "`b`", "`c`"]), "one of `a`, `b` or `c`");
    }

    #[test]
    fn found_names_the_token() {
        assert_eq!(found("x resource:channel", 2).0, "`resource`");
        assert_eq!(found("x \"s\"", 2).0, "a string");
        assert_eq!(found("x }", 2).0, "`}`");
        assert_eq!(found("x", 1).0, "end of file");
    }
}
