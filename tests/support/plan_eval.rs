//! A small interpreter of plans (spec section 16) over one object's facts,
//! written for the tests apart from the library: fields read as a database
//! row holds them, comparisons by the reference interpreter's section 5.

use atom::eval::plan::{Field, Operand, Plan};
use atom::eval::Value;

use super::reference::{compare, Side};

/// One object as a listing's table holds it.
#[derive(Clone, Debug)]
pub struct Row {
    /// The qualified name.
    pub id: String,
    pub kind: String,
    pub ty: Option<String>,
    pub tenant: Option<String>,
    pub group: Option<String>,
    /// The object's group and every group above it.
    pub ancestors: Vec<String>,
    pub attributes: Vec<(String, Value)>,
}

/// Whether the plan holds on the row.
pub fn holds(p: &Plan, row: &Row) -> bool {
    match p {
        Plan::Always => true,
        Plan::Never => false,
        Plan::And(parts) => parts.iter().all(|q| holds(q, row)),
        Plan::Or(parts) => parts.iter().any(|q| holds(q, row)),
        Plan::Not(q) => !holds(q, row),
        Plan::Compare { field, op, value } => {
            let b = match value {
                Operand::Value(v) => Side::Is(v.clone()),
                Operand::None => Side::Nothing,
            };
            compare(*op, read(field, row), b)
        }
        Plan::Fields { field, op, field2 } => compare(*op, read(field, row), read(field2, row)),
        Plan::Under(g) => row.ancestors.contains(g),
    }
}

fn read(f: &Field, row: &Row) -> Side {
    let text = |s: &Option<String>| s.clone().map_or(Side::Nothing, |x| Side::Is(Value::Str(x)));
    match f {
        Field::Id => Side::Is(Value::Str(row.id.clone())),
        Field::Kind => Side::Is(Value::Str(row.kind.clone())),
        Field::Type => text(&row.ty),
        Field::Tenant => text(&row.tenant),
        Field::Group => text(&row.group),
        Field::Attribute(keys) => {
            let mut v = Value::Map(row.attributes.clone());
            for k in keys {
                let Value::Map(entries) = v else {
                    return Side::Missing;
                };
                match entries.into_iter().find(|(key, _)| key == k) {
                    Some((_, x)) => v = x,
                    None => return Side::Missing,
                }
            }
            Side::Is(v)
        }
    }
}
