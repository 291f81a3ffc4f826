//! Check: literals into values, and attribute maps (a key set twice is A0002).

use super::build::Checker;
use super::model::{Attributes, Value};
use crate::diag::{codes, Diagnostic};
use crate::syntax::ast;

impl Checker<'_> {
    /// The value of a literal.
    pub fn value(&mut self, lit: &ast::Literal) -> Value {
        match &lit.value {
            ast::LitValue::Str(s) => Value::Str(s.clone()),
            ast::LitValue::Int(i) => Value::Int(*i),
            // The grammar only admits `-?digits.digits`, which always parses.
            ast::LitValue::Dec(d) => Value::Dec(d.parse().unwrap_or(0.0)),
            ast::LitValue::Bool(b) => Value::Bool(*b),
            ast::LitValue::List(items) => {
                Value::List(items.iter().map(|i| self.value(i)).collect())
            }
            ast::LitValue::Map(map) => Value::Map(self.attributes(map)),
        }
    }

    /// An attribute map; a key written twice is reported and the first kept.
    pub fn attributes(&mut self, map: &ast::MapLit) -> Attributes {
        let mut out: Attributes = Vec::with_capacity(map.entries.len());
        let mut first_spans = Vec::with_capacity(map.entries.len());
        for entry in &map.entries {
            if let Some(i) = out.iter().position(|(k, _)| *k == entry.key.text) {
                self.error(
                    Diagnostic::error(
                        codes::DUPLICATE,
                        format!("the attribute `{}` is set twice", entry.key.text),
                        entry.key.span,
                    )
                    .with_label("set again here")
                    .with_secondary(first_spans[i], "first set here"),
                );
                continue;
            }
            let value = self.value(&entry.value);
            out.push((entry.key.text.clone(), value));
            first_spans.push(entry.key.span);
        }
        out
    }
}
