//! Check: literals into values, and attribute maps (a key set twice is A0002).

use super::build::Checker;
use super::model::{Attributes, Value};
use crate::diag::{codes, Diagnostic};
use crate::syntax::ast;
use crate::value::Decimal;

impl Checker<'_> {
    /// The value of a literal.
    pub fn value(&mut self, lit: &ast::Literal) -> Value {
        match &lit.value {
            ast::LitValue::Str(s) => Value::Str(s.clone()),
            ast::LitValue::Int(i) => Value::Int(*i),
            ast::LitValue::Dec(d) => match Decimal::parse(d) {
                Ok(d) => Value::Dec(d),
                Err(e) => {
                    self.error(
                        Diagnostic::error(codes::SYNTAX, format!("{e}"), lit.span)
                            .with_label("this number")
                            .with_help(format!(
                                "write at most {} digits",
                                crate::value::decimal::MAX_DIGITS
                            )),
                    );
                    Value::Int(0)
                }
            },
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
                    .with_secondary(first_spans[i], "first set here")
                    .with_help(
                        "an attribute has one value: remove one of the two, or rename this key",
                    ),
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
