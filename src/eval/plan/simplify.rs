//! Plan: the folding constructors; `always`/`never` absorbed, nested `and`s and `or`s flattened, equalities on one field merged into an `in` list.

use super::{Field, Operand, Plan};
use crate::eval::Value;
use crate::kinds::CmpOp;

/// Every part holds.
pub fn all(parts: Vec<Plan>) -> Plan {
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        match p {
            Plan::Always => {}
            Plan::Never => return Plan::Never,
            Plan::And(inner) => out.extend(inner),
            other => out.push(other),
        }
    }
    match out.len() {
        0 => Plan::Always,
        1 => out.pop().unwrap_or(Plan::Always),
        _ => Plan::And(out),
    }
}

/// Some part holds.
pub fn any(parts: Vec<Plan>) -> Plan {
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        match p {
            Plan::Never => {}
            Plan::Always => return Plan::Always,
            Plan::Or(inner) => out.extend(inner),
            other => out.push(other),
        }
    }
    let mut out = merged(out);
    match out.len() {
        0 => Plan::Never,
        1 => out.pop().unwrap_or(Plan::Never),
        _ => Plan::Or(out),
    }
}

/// The part does not hold.
pub fn not(part: Plan) -> Plan {
    match part {
        Plan::Always => Plan::Never,
        Plan::Never => Plan::Always,
        Plan::Not(inner) => *inner,
        other => Plan::Not(Box::new(other)),
    }
}

/// `F == "s"` and `F in ["s", ..]` alternatives on one built-in field
/// become one `F in [..]`, sorted (exact: `in` is equality with some
/// element, and these fields are strings or none).
fn merged(parts: Vec<Plan>) -> Vec<Plan> {
    let mut lists: Vec<(Field, Vec<String>)> = Vec::new();
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        match as_choices(&p) {
            Some((field, texts)) => match lists.iter_mut().find(|(f, _)| *f == field) {
                Some((_, list)) => list.extend(texts),
                None => lists.push((field, texts)),
            },
            None => out.push(p),
        }
    }
    for (field, mut texts) in lists {
        texts.sort_unstable();
        texts.dedup();
        out.push(super::one_of(field, texts));
    }
    out
}

/// The strings a built-in field is compared with, when `p` is `F == "s"`
/// or `F in ["s", ...]`.
fn as_choices(p: &Plan) -> Option<(Field, Vec<String>)> {
    let Plan::Compare {
        field,
        op,
        value: Operand::Value(v),
    } = p
    else {
        return None;
    };
    if matches!(field, Field::Attribute(_)) {
        return None;
    }
    let text = |v: &Value| match v {
        Value::Str(s) => Some(s.clone()),
        _ => None,
    };
    match (op, v) {
        (CmpOp::Eq, v) => Some((field.clone(), vec![text(v)?])),
        (CmpOp::In, Value::List(items)) => Some((
            field.clone(),
            items.iter().map(text).collect::<Option<_>>()?,
        )),
        _ => None,
    }
}
