//! Listing: a plan as a PostgreSQL boolean expression with bind parameters; each comparison two-valued, with section 5's meaning.

use super::instant::{instant_of, seconds_text};
use super::mapping::{quoted, quoted_table, Mapping};
use crate::eval::plan::{field_text, Field, Operand, Plan};
use crate::eval::Value;
use crate::kinds::CmpOp;
use crate::request::report::value_json;

/// `WHERE` text and its parameters, every one a string (bind them as
/// text: the expression casts each where it is used).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub table: String,
    pub condition: String,
    pub params: Vec<String>,
}

/// Why a plan cannot be written for a mapping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SqlError {
    pub message: String,
}

impl std::fmt::Display for SqlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SqlError {}

fn refuse<T>(message: String) -> Result<T, SqlError> {
    Err(SqlError { message })
}

/// The plan as SQL over the mapping's table.
pub fn render(plan: &Plan, mapping: &Mapping) -> Result<Rendered, SqlError> {
    let mut w = Writer {
        mapping,
        params: Vec::new(),
        positive: true,
        path: None,
    };
    let condition = w.plan(plan)?;
    Ok(Rendered {
        table: quoted_table(&mapping.table),
        condition,
        params: w.params,
    })
}

struct Writer<'m> {
    mapping: &'m Mapping,
    params: Vec<String>,
    /// Under an even number of `NOT`s. There a comparison may be NULL
    /// where it does not hold (SQL then selects the row exactly when the
    /// two-valued condition holds: AND, OR and an even number of NOTs are
    /// monotone, and Kleene's logic keeps NULL strictly between), which
    /// leaves the plain forms an index answers; under an odd number, every
    /// comparison is made two-valued with COALESCE.
    positive: bool,
    /// The keys of the attribute being compared.
    path: Option<Vec<String>>,
}

const TRUE: &str = "TRUE";
const FALSE: &str = "FALSE";

impl Writer<'_> {
    /// A comparison that is NULL where it does not hold: as it is where
    /// that is exact, else two-valued.
    fn maybe_null(&self, comparison: String) -> String {
        if self.positive {
            format!("({comparison})")
        } else {
            format!("COALESCE({comparison}, FALSE)")
        }
    }

    /// A placeholder for a text parameter.
    fn param(&mut self, text: String) -> String {
        self.params.push(text);
        format!("(${}::text)", self.params.len())
    }

    fn plan(&mut self, p: &Plan) -> Result<String, SqlError> {
        Ok(match p {
            Plan::Always => TRUE.to_string(),
            Plan::Never => FALSE.to_string(),
            Plan::And(parts) => self.joined(parts, " AND ")?,
            Plan::Or(parts) => self.joined(parts, " OR ")?,
            Plan::Not(inner) => {
                self.positive = !self.positive;
                let inner = self.plan(inner);
                self.positive = !self.positive;
                format!("(NOT {})", inner?)
            }
            Plan::Compare { field, op, value } => match field {
                Field::Attribute(keys) => {
                    let before = self.params.len();
                    let a = self.attribute(keys)?;
                    self.path = Some(keys.clone());
                    let sql = self.attribute_op(&a, *op, value);
                    self.path = None;
                    let sql = sql?;
                    // A constant answer reads no parameter: PostgreSQL
                    // refuses parameters that the text does not use.
                    if sql == TRUE || sql == FALSE {
                        self.params.truncate(before);
                    }
                    sql
                }
                builtin => {
                    let c = self.column(builtin)?;
                    self.builtin_op(&c, *op, value)?
                }
            },
            Plan::Fields { field, op, field2 } => self.fields(field, *op, field2)?,
            Plan::Under(g) => {
                let ancestors = self.named("ancestors", self.mapping.ancestors.as_ref())?;
                let g = self.param(g.clone());
                // `@>` is what a GIN index on the column answers.
                self.maybe_null(format!("{ancestors} @> ARRAY[{g}]"))
            }
        })
    }

    fn joined(&mut self, parts: &[Plan], by: &str) -> Result<String, SqlError> {
        let parts: Vec<String> = parts
            .iter()
            .map(|q| self.plan(q))
            .collect::<Result<_, _>>()?;
        Ok(format!("({})", parts.join(by)))
    }

    /// A column the mapping must have.
    fn named(&self, fact: &str, column: Option<&String>) -> Result<String, SqlError> {
        match column {
            Some(c) => Ok(quoted(c)),
            None => refuse(format!(
                "the plan reads the object's `{fact}`, and the mapping has no `{fact}` column"
            )),
        }
    }

    fn column(&self, f: &Field) -> Result<String, SqlError> {
        let m = self.mapping;
        let column = match f {
            Field::Id => m.id.as_ref(),
            Field::Kind => m.kind.as_ref(),
            Field::Type => m.ty.as_ref(),
            Field::Tenant => m.tenant.as_ref(),
            Field::Group => m.group.as_ref(),
            Field::Attribute(_) => m.attributes.as_ref(),
        };
        let fact = match f {
            Field::Attribute(_) => "attributes".to_string(),
            other => field_text(other),
        };
        self.named(&fact, column)
    }

    /// The attribute at `keys` as jsonb, NULL when a key is missing (the
    /// path does not resolve); the whole map (never NULL) for no keys.
    fn attribute(&mut self, keys: &[String]) -> Result<String, SqlError> {
        let column = self.column(&Field::Attribute(Vec::new()))?;
        let map = format!("COALESCE({column}, '{{}}'::jsonb)");
        if keys.is_empty() {
            return Ok(map);
        }
        let path = serde_json::Value::from(keys.to_vec()).to_string();
        let path = self.param(path);
        Ok(format!(
            "({map} #> ARRAY(SELECT jsonb_array_elements_text({path}::jsonb)))"
        ))
    }

    /// A built-in text column (NULL for none) against a value.
    fn builtin_op(&mut self, c: &str, op: CmpOp, v: &Operand) -> Result<String, SqlError> {
        let v = match v {
            // A built-in field always resolves: only `!=` holds with none.
            Operand::None => return Ok(if op == CmpOp::Ne { TRUE } else { FALSE }.into()),
            Operand::Value(v) => v,
        };
        Ok(match (op, v) {
            (CmpOp::Eq, Value::Str(s)) => {
                let s = self.param(s.clone());
                self.maybe_null(format!("{c} = {s}"))
            }
            // None, or another value: unequal.
            (CmpOp::Ne, Value::Str(s)) => {
                format!("COALESCE({c} <> {}, TRUE)", self.param(s.clone()))
            }
            (CmpOp::Ne, _) => TRUE.into(),
            (CmpOp::Contains, Value::Str(s)) => {
                format!(
                    "COALESCE(strpos({c}, {}) > 0, FALSE)",
                    self.param(s.clone())
                )
            }
            (CmpOp::In, Value::List(items)) => {
                let texts: Vec<&str> = items
                    .iter()
                    .filter_map(|i| match i {
                        Value::Str(s) => Some(s.as_str()),
                        _ => None,
                    })
                    .collect();
                let list = self.param(serde_json::Value::from(texts).to_string());
                self.maybe_null(format!(
                    "{c} = ANY(ARRAY(SELECT jsonb_array_elements_text({list}::jsonb)))"
                ))
            }
            (CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge, Value::Str(_)) => {
                return refuse(format!(
                    "an ordering (`{}`) of a built-in field as timestamps is not written in SQL",
                    op.as_str()
                ))
            }
            _ => FALSE.into(),
        })
    }

    /// An attribute (jsonb, NULL when missing) against a value.
    fn attribute_op(&mut self, a: &str, op: CmpOp, v: &Operand) -> Result<String, SqlError> {
        let v = match v {
            Operand::None => {
                return Ok(if op == CmpOp::Ne {
                    format!("({a} IS NOT NULL)")
                } else {
                    FALSE.into()
                })
            }
            Operand::Value(v) => v,
        };
        let json =
            |w: &mut Self, v: &Value| format!("{}::jsonb", w.param(value_json(v).to_string()));
        Ok(match op {
            // jsonb equality is section 5's: numbers by value (3 = 3.0),
            // lists in order, maps by keys and values, no cross-type match.
            CmpOp::Eq => self.attribute_eq(a, v),
            CmpOp::Ne => format!("COALESCE({a} <> {}, FALSE)", json(self, v)),
            CmpOp::In => match v {
                Value::List(_) => format!(
                    "COALESCE(EXISTS (SELECT 1 FROM jsonb_array_elements({}) AS e(x) WHERE e.x = {a}), FALSE)",
                    json(self, v)
                ),
                _ => FALSE.into(),
            },
            CmpOp::Contains => self.attribute_contains(a, v),
            CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => self.attribute_order(a, op, v)?,
        })
    }

    /// `A == v`; where a plain form is exact, with `attributes @> {path: v}`
    /// beside it for a scalar `v`, which a GIN index on the column answers
    /// (equality implies it: containment of a scalar is equality, numbers
    /// by value).
    fn attribute_eq(&mut self, a: &str, v: &Value) -> String {
        let equal = format!("{a} = {}::jsonb", self.param(value_json(v).to_string()));
        let scalar = matches!(
            v,
            Value::Str(_) | Value::Int(_) | Value::Dec(_) | Value::Bool(_)
        );
        let keys = self.path.clone().unwrap_or_default();
        if !(self.positive && scalar && !keys.is_empty()) {
            return format!("COALESCE({equal}, FALSE)");
        }
        let mut nested = value_json(v);
        for k in keys.iter().rev() {
            let mut one = serde_json::Map::new();
            one.insert(k.clone(), nested);
            nested = serde_json::Value::Object(one);
        }
        let column = self
            .column(&Field::Attribute(Vec::new()))
            .unwrap_or_default();
        let contained = self.param(nested.to_string());
        format!("({column} @> {contained}::jsonb AND {equal})")
    }

    /// `A contains v`: a substring of a string, an element of a list, a key
    /// of a map.
    fn attribute_contains(&mut self, a: &str, v: &Value) -> String {
        let element = format!(
            "(jsonb_typeof({a}) = 'array' AND EXISTS (SELECT 1 FROM jsonb_array_elements({a}) AS e(x) WHERE e.x = {}::jsonb))",
            self.param(value_json(v).to_string())
        );
        let Value::Str(s) = v else {
            return format!("COALESCE({element}, FALSE)");
        };
        let s = self.param(s.clone());
        format!(
            "COALESCE(CASE jsonb_typeof({a}) WHEN 'string' THEN strpos({a} #>> '{{}}', {s}) > 0 WHEN 'object' THEN jsonb_exists({a}, {s}) ELSE {element} END, FALSE)"
        )
    }

    /// `A < v` and the like: numbers by value, timestamps as instants.
    fn attribute_order(&mut self, a: &str, op: CmpOp, v: &Value) -> Result<String, SqlError> {
        let number = match v {
            Value::Int(i) => i.to_string(),
            Value::Dec(d) => d.to_string(),
            Value::Str(s) => {
                // Both sides must be timestamps; they compare as instants.
                let Some(at) = crate::time::parse_rfc3339(s) else {
                    return Ok(FALSE.into());
                };
                let n = self.param(seconds_text(at));
                let text =
                    format!("CASE WHEN jsonb_typeof({a}) = 'string' THEN {a} #>> '{{}}' END");
                return Ok(format!(
                    "COALESCE({} {} {n}::numeric, FALSE)",
                    instant_of(&text),
                    op.as_str()
                ));
            }
            _ => return Ok(FALSE.into()),
        };
        let n = self.param(number);
        Ok(format!(
            "COALESCE(CASE WHEN jsonb_typeof({a}) = 'number' THEN ({a})::numeric {} {n}::numeric ELSE FALSE END, FALSE)",
            op.as_str()
        ))
    }

    /// `F op F2`: built-in fields (strings or none) with each other; an
    /// attribute with another field only for `==` and `!=`.
    fn fields(&mut self, f: &Field, op: CmpOp, f2: &Field) -> Result<String, SqlError> {
        let attribute = |f: &Field| matches!(f, Field::Attribute(_));
        if attribute(f) || attribute(f2) {
            return self.fields_json(f, op, f2);
        }
        let (c1, c2) = (self.column(f)?, self.column(f2)?);
        Ok(match op {
            // `F == F`: F has a value.
            CmpOp::Eq if c1 == c2 => format!("({c1} IS NOT NULL)"),
            CmpOp::Eq => format!("COALESCE({c1} = {c2}, FALSE)"),
            CmpOp::Ne => format!("COALESCE({c1} <> {c2}, TRUE)"),
            CmpOp::Contains => format!("COALESCE(strpos({c1}, {c2}) > 0, FALSE)"),
            CmpOp::In => FALSE.into(),
            _ => {
                return refuse(format!(
                    "an ordering (`{}`) of two built-in fields is not written in SQL",
                    op.as_str()
                ))
            }
        })
    }

    fn fields_json(&mut self, f: &Field, op: CmpOp, f2: &Field) -> Result<String, SqlError> {
        let side = |w: &mut Self, f: &Field| -> Result<(String, bool), SqlError> {
            Ok(match f {
                Field::Attribute(keys) => (w.attribute(keys)?, true),
                builtin => (format!("to_jsonb({})", w.column(builtin)?), false),
            })
        };
        let (a, a_attr) = side(self, f)?;
        let (b, b_attr) = side(self, f2)?;
        // A missing attribute makes both false; a built-in none is unequal
        // to everything.
        let missing = |x: &str, attr: bool| {
            if attr {
                format!("{x} IS NULL")
            } else {
                FALSE.into()
            }
        };
        let (ma, mb) = (missing(&a, a_attr), missing(&b, b_attr));
        Ok(match op {
            CmpOp::Eq => format!("COALESCE({a} = {b}, FALSE)"),
            CmpOp::Ne => format!("(NOT ({ma}) AND NOT ({mb}) AND COALESCE({a} <> {b}, TRUE))"),
            _ => {
                return refuse(format!(
                    "`{} {} {}` between two fields of the object is not written in SQL",
                    field_text(f),
                    op.as_str(),
                    field_text(f2)
                ))
            }
        })
    }
}
