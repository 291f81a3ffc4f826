//! Hostile text: whatever the input, parsing returns a result with spans
//! inside the text, and never panics, overflows the stack or hangs.

use atom::diag::{FileId, SourceMap};
use atom::syntax::{limits, parse};
use proptest::prelude::*;

fn assert_well_formed(text: &str) {
    let parsed = parse(FileId(0), text);
    for d in &parsed.diagnostics {
        assert!(
            d.primary.span.end as usize <= text.len(),
            "span past the end: {d:?}"
        );
        assert!(d.primary.span.start <= d.primary.span.end);
        assert!(text.is_char_boundary(d.primary.span.start as usize));
        assert!(!d.message.is_empty());
    }
    // Rendering must not fail either.
    let mut sources = SourceMap::new();
    sources.add("x.atom", text);
    let _ = atom::diag::render::render_human(&sources, &parsed.diagnostics);
}

#[test]
fn nesting_at_the_limit_parses_on_a_test_thread_stack() {
    // The entity's `{ }` is one level; the lists fill the rest.
    let depth = limits::MAX_NESTING - 1;
    let text = format!(
        "entity device d {{ v = {}{} }}",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let parsed = parse(FileId(0), &text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    assert_eq!(parsed.file.items.len(), 1);
}

#[test]
fn text_over_the_size_limit_is_refused_before_parsing() {
    let text = " ".repeat(limits::MAX_FILE_BYTES + 1);
    let parsed = parse(FileId(0), &text);
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].message, "file is too large");
}

#[test]
fn every_broken_declaration_of_a_large_file_is_reported_once() {
    // 50,000 broken declarations between good ones: recovery is linear in
    // the file (a quadratic step would not finish), and each is reported.
    let n = 50_000;
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            "entity human ok{i}\nentity human bad{i} disabled\n"
        ));
    }
    let parsed = parse(FileId(0), &text);
    assert_eq!(parsed.diagnostics.len(), n);
    assert_eq!(parsed.file.items.len(), n);
    assert_eq!(parsed.broken.len(), n);
    assert_eq!(parsed.broken[7].name, "bad7");
}

/// Fragments of the language, so that random sequences get deep into the grammar.
const TOKENS: &[&str] = &[
    "action",
    "type",
    "guardrail",
    "tenant",
    "attributes",
    "entity",
    "resource",
    "object",
    "object-group",
    "principal-group",
    "block",
    "role",
    "assign",
    "grant",
    "member",
    "test",
    "allow",
    "deny",
    "on",
    "to",
    "in",
    "within",
    "beneath",
    "when",
    "and",
    "with",
    "because",
    "absolute",
    "all",
    "device",
    "resource:channel",
    "factory/meter",
    "\"quoted\"",
    "\"bad\\q\"",
    "\"open",
    "{",
    "}",
    "[",
    "]",
    ",",
    "=",
    "==",
    "!=",
    "<",
    ">=",
    "contains",
    "entity.attributes.x",
    "context.\"k\"",
    "-12",
    "3.5",
    "true",
    "///",
    "// c\n",
    "\n",
    "é",
    "\u{0}",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,400}") {
        assert_well_formed(&text);
    }

    /// Long lines of multi-byte text and tokens: the excerpts the renderer
    /// cuts from them must fall on character boundaries.
    #[test]
    fn long_lines_render(text in "[a-zé🕴{}\\[\\]\" ,.=]{200,900}(\n[a-z ]{0,20}){0,2}") {
        let soup = format!("tenant t {{ principal-group g {{ {text} }} }}");
        assert_well_formed(&soup);
        let mut sources = SourceMap::new();
        sources.add("x.atom", soup.as_str());
        let checked = atom::check::check_sources(&sources);
        let _ = atom::diag::render::render_human(&sources, &checked.diagnostics);
    }

    #[test]
    fn token_soup_never_panics(tokens in proptest::collection::vec(proptest::sample::select(TOKENS), 0..80)) {
        assert_well_formed(&tokens.join(" "));
    }
}

/// Many findings on one long line: each is rendered with an excerpt of the
/// line around its label, so the report grows with the findings, not with
/// findings × line length (once 156 MB and minutes for this input).
#[test]
fn findings_on_one_long_line_render_in_linear_size() {
    let names: Vec<String> = (0..3000).map(|i| format!("member{i}")).collect();
    let text = format!(
        "tenant t {{ principal-group g {{ {} }} }}\n",
        names.join(", ")
    );
    let mut sources = SourceMap::new();
    sources.add("long.atom", text.clone());
    let checked = atom::check::check_sources(&sources);
    assert_eq!(checked.diagnostics.len(), 3000);
    let out = atom::diag::render::render_human(&sources, &checked.diagnostics);
    assert!(
        out.len() < 3000 * 400,
        "{} bytes for 3,000 findings on a {}-byte line",
        out.len(),
        text.len()
    );
    // Line and column stay those of the real file.
    let col = text.find("member2999").unwrap() + 1;
    assert!(
        out.contains(&format!("long.atom:1:{col}")),
        "{}",
        &out[out.len() - 600..]
    );
    assert!(out.contains("member2999"));
}
