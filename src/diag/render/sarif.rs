//! Diagnostics: SARIF 2.1.0 output, accepted by GitHub code scanning.

use serde_json::{json, Value};

use crate::diag::{Code, Diagnostic, Severity, SourceMap, Span};

/// Percent-encodes a relative path as a URI reference (forward slashes kept).
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::new();
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn physical_location(sources: &SourceMap, span: Span) -> Value {
    let (start, end) = sources.span_lines(span);
    json!({
        "artifactLocation": { "uri": uri(sources.name(span.file)) },
        "region": {
            "startLine": start.line,
            "startColumn": start.column,
            "endLine": end.line,
            "endColumn": end.column,
        }
    })
}

/// One SARIF log with one run: the rules used (ids are the codes) and the results.
pub fn render_sarif(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut rules: Vec<Code> = Vec::new();
    for d in diagnostics {
        if !rules.iter().any(|c| c.id == d.code.id) {
            rules.push(d.code);
        }
    }
    rules.sort_by_key(|c| c.id);
    let rule_index = |id: &str| rules.iter().position(|c| c.id == id).unwrap_or(0);

    let results: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!("\nhelp: {help}"));
            }
            let related: Vec<Value> = d
                .secondary
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    json!({
                        "id": i,
                        "physicalLocation": physical_location(sources, l.span),
                        "message": { "text": l.message },
                    })
                })
                .collect();
            let mut result = json!({
                "ruleId": d.code.id,
                "ruleIndex": rule_index(d.code.id),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": physical_location(sources, d.primary.span),
                    "message": { "text": d.primary.message },
                }],
            });
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            result
        })
        .collect();

    let rules: Vec<Value> = rules
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "shortDescription": { "text": c.title },
                "defaultConfiguration": { "level": c.default_level },
            })
        })
        .collect();

    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "atom",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    // A `Value` built from strings and integers always serializes.
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("./policies/a b.atom"), "policies/a%20b.atom");
        assert_eq!(uri("policies\\x.atom"), "policies/x.atom");
    }
}
