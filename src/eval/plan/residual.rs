//! Plan: a block's conditions with everything the object does not decide filled in (the subject, the context, the tenant per declared tenant).

use super::simplify::{all, any};
use super::{is, Field, Operand, Plan, Unplannable};
use crate::eval::facts::{Facts, ObjectFacts, SubjectFacts};
use crate::eval::value::{self, Read, Val};
use crate::eval::{Decimal, Value};
use crate::kinds::{self, CmpOp, PathRoot};
use crate::table::format::{section, NONE};
use crate::table::Table;

/// The longest string whose substrings a plan lists for `"…" contains F`.
const MAX_SUBSTRINGS_OF: usize = 32;

/// One side of a comparison, seen from the planner.
enum Side<'a> {
    /// Known now: the subject's, the context's, or a value.
    Known(Read<'a>),
    /// A fact of the object.
    Object(Field),
    /// A `tenant.*` path: known once the object's tenant is.
    Tenant(u32),
}

/// Reads the subject and the context while planning.
pub struct Reader<'a> {
    facts: Facts<'a>,
}

impl<'a> Reader<'a> {
    pub fn new(t: &'a Table<'a>, who: SubjectFacts<'a>, context: &'a [(String, Value)]) -> Self {
        Reader {
            facts: Facts {
                table: t,
                subject: who,
                object: object_of_tenant(NONE),
                context,
            },
        }
    }

    /// Every condition of a block (a tenant block's `tenant.*` is its
    /// tenant's: the boundary admits no other).
    pub fn conditions(&self, block: u32) -> Result<Plan, Unplannable> {
        let t = self.facts.table;
        let (start, len) = t.block_conditions(block);
        let boundary = t.block_tenant(block);
        let parts = (start..start.saturating_add(len))
            .map(|c| self.condition(c, boundary))
            .collect::<Result<_, _>>()?;
        Ok(all(parts))
    }

    fn condition(&self, c: u32, boundary: u32) -> Result<Plan, Unplannable> {
        let t = self.facts.table;
        let (op, right_is_value, left, right) = t.condition(c);
        let Some(op) = CmpOp::from_code(op) else {
            return Ok(Plan::Never);
        };
        let right = if right_is_value {
            Side::Known(Read::Value(Val::stored(t, right)))
        } else {
            self.side(right)
        };
        let left = self.side(left);
        match (&left, &right) {
            (Side::Tenant(_), _) | (_, Side::Tenant(_)) => {
                self.per_tenant(op, &left, &right, boundary)
            }
            _ => compare(op, left, right),
        }
    }

    fn side(&self, p: u32) -> Side<'a> {
        let t = self.facts.table;
        let (root, field, ks, kl) = t.path(p);
        match PathRoot::from_code(root) {
            Some(PathRoot::Object) => {
                object_field(t, field, ks, kl).map_or(Side::Known(Read::Unresolved), Side::Object)
            }
            Some(PathRoot::Tenant) => Side::Tenant(p),
            _ => Side::Known(self.facts.read(p)),
        }
    }

    /// A comparison that reads `tenant.*`: for each declared tenant (the
    /// boundary alone, for a tenant block), the object is of that tenant
    /// and the comparison holds with its facts.
    fn per_tenant(
        &self,
        op: CmpOp,
        left: &Side<'a>,
        right: &Side<'a>,
        boundary: u32,
    ) -> Result<Plan, Unplannable> {
        let t = self.facts.table;
        let mut cases = Vec::new();
        let tenants = 0..t.count(section::TENANTS) as u32;
        for n in tenants.filter(|&n| boundary == NONE || n == boundary) {
            let facts = Facts {
                object: object_of_tenant(n),
                ..self.facts
            };
            let known = |s: &Side<'a>| match s {
                Side::Tenant(p) => Side::Known(facts.read(*p)),
                Side::Known(r) => Side::Known(*r),
                Side::Object(f) => Side::Object(f.clone()),
            };
            let holds = compare(op, known(left), known(right))?;
            cases.push(all(vec![
                is(Field::Tenant, CmpOp::Eq, t.tenant_name(n)),
                holds,
            ]));
        }
        Ok(any(cases))
    }
}

/// The facts of an object of tenant `n`, for reading `tenant.*` (nothing
/// else of the object is read through them).
fn object_of_tenant<'a>(n: u32) -> ObjectFacts<'a> {
    ObjectFacts {
        declared: None,
        desc: None,
        kind: 0,
        ty: NONE,
        tenant: n,
        parent: NONE,
    }
}

/// An `object.*` path as a field; `None` for one that never resolves
/// (keys below a field that is not the attribute map, or a field objects
/// do not have).
fn object_field(t: &Table<'_>, field: u8, ks: u32, kl: u32) -> Option<Field> {
    let keys: Vec<String> = (ks..ks.saturating_add(kl))
        .map(|k| t.path_key(k).to_string())
        .collect();
    let field = match kinds::Field::from_code(field)? {
        kinds::Field::Attributes => return Some(Field::Attribute(keys)),
        kinds::Field::Id => Field::Id,
        kinds::Field::Kind => Field::Kind,
        kinds::Field::Type => Field::Type,
        kinds::Field::Tenant => Field::Tenant,
        kinds::Field::Group => Field::Group,
        _ => return None,
    };
    keys.is_empty().then_some(field)
}

/// `left op right` with the object's side left open.
fn compare(op: CmpOp, left: Side<'_>, right: Side<'_>) -> Result<Plan, Unplannable> {
    Ok(match (left, right) {
        (Side::Known(a), Side::Known(b)) => fold(value::compare(op, a, b)),
        (Side::Object(f), Side::Known(k)) => field_op_known(f, op, k)?,
        (Side::Known(k), Side::Object(f)) => known_op_field(k, op, f)?,
        (Side::Object(field), Side::Object(field2)) => Plan::Fields { field, op, field2 },
        // `per_tenant` replaced every tenant side.
        (Side::Tenant(_), _) | (_, Side::Tenant(_)) => Plan::Never,
    })
}

fn fold(holds: bool) -> Plan {
    if holds {
        Plan::Always
    } else {
        Plan::Never
    }
}

/// `F op k`.
fn field_op_known(f: Field, op: CmpOp, k: Read<'_>) -> Result<Plan, Unplannable> {
    Ok(match k {
        Read::Unresolved => Plan::Never,
        Read::None => none_side(f, op),
        Read::Value(v) => Plan::Compare {
            field: f,
            op,
            value: Operand::Value(owned(v)?),
        },
    })
}

/// A comparison with none: only `!=` can hold, when the field resolves
/// (built-in fields always do).
fn none_side(f: Field, op: CmpOp) -> Plan {
    match (op, &f) {
        (CmpOp::Ne, Field::Attribute(_)) => Plan::Compare {
            field: f,
            op,
            value: Operand::None,
        },
        (CmpOp::Ne, _) => Plan::Always,
        _ => Plan::Never,
    }
}

/// `k op F`, written as a comparison with the field first where that is
/// exact, refused where it is not.
fn known_op_field(k: Read<'_>, op: CmpOp, f: Field) -> Result<Plan, Unplannable> {
    let v = match k {
        Read::Unresolved => return Ok(Plan::Never),
        Read::None => return Ok(none_side(f, op)),
        Read::Value(v) => v,
    };
    let flipped = |op| -> Result<Plan, Unplannable> {
        Ok(Plan::Compare {
            field: f.clone(),
            op,
            value: Operand::Value(owned(v)?),
        })
    };
    match op {
        CmpOp::Eq | CmpOp::Ne => flipped(op),
        CmpOp::Lt => flipped(CmpOp::Gt),
        CmpOp::Le => flipped(CmpOp::Ge),
        CmpOp::Gt => flipped(CmpOp::Lt),
        CmpOp::Ge => flipped(CmpOp::Le),
        // `v in F` is `F contains v` unless `v` is a string (then `F`
        // could also be a string holding it, or a map with that key).
        CmpOp::In if !matches!(v, Val::Str(_)) => flipped(CmpOp::Contains),
        CmpOp::In => Err(Unplannable {
            message: format!(
                "`\"{}\" in object.{}` cannot be planned exactly: a plan can say `contains`, which also holds for a string or a map; write the list's test another way",
                value_text(v),
                field_text(&f)
            ),
        }),
        CmpOp::Contains => contains_field(v, f),
    }
}

/// `v contains F`: `F` is an element of a list, a key of a map, or a
/// substring of a string.
fn contains_field(v: Val<'_>, f: Field) -> Result<Plan, Unplannable> {
    let list = |items: Vec<Value>| Plan::Compare {
        field: f.clone(),
        op: CmpOp::In,
        value: Operand::Value(Value::List(items)),
    };
    Ok(match v {
        Val::List(_) => list(match owned(v)? {
            Value::List(items) => items,
            _ => Vec::new(),
        }),
        Val::Map(m) => list(
            (0..m.len())
                .filter_map(|i| m.entry(i))
                .map(|(key, _)| Value::Str(key.to_string()))
                .collect(),
        ),
        Val::Str(s) if s.chars().count() <= MAX_SUBSTRINGS_OF => {
            list(substrings(s).into_iter().map(Value::Str).collect())
        }
        Val::Str(s) => {
            return Err(Unplannable {
                message: format!(
                    "`\"{}…\" contains object.{}` cannot be planned: the string is longer than {MAX_SUBSTRINGS_OF} characters",
                    s.chars().take(16).collect::<String>(),
                    field_text(&f)
                ),
            })
        }
        _ => Plan::Never,
    })
}

/// Every distinct substring of `s`, the empty one included.
fn substrings(s: &str) -> Vec<String> {
    let bounds: Vec<usize> = s.char_indices().map(|(i, _)| i).chain([s.len()]).collect();
    let mut out: Vec<String> = Vec::new();
    for (n, &i) in bounds.iter().enumerate() {
        for &j in &bounds[n..] {
            out.push(s[i..j].to_string());
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// A value read from the table or the request, owned.
fn owned(v: Val<'_>) -> Result<Value, Unplannable> {
    owned_at(v, 0).ok_or_else(|| Unplannable {
        message: "a value nests too deeply to be planned".to_string(),
    })
}

fn owned_at(v: Val<'_>, depth: usize) -> Option<Value> {
    if depth > 64 {
        return None;
    }
    Some(match v {
        Val::Str(s) => Value::Str(s.to_string()),
        Val::Int(i) => Value::Int(i),
        Val::Dec(d) => Value::Dec(Decimal::parse(d).ok()?),
        Val::Bool(b) => Value::Bool(b),
        Val::List(items) => Value::List(
            (0..items.len())
                .map(|i| owned_at(items.get(i)?, depth + 1))
                .collect::<Option<_>>()?,
        ),
        Val::Map(m) => Value::Map(
            (0..m.len())
                .map(|i| {
                    let (k, v) = m.entry(i)?;
                    Some((k.to_string(), owned_at(v, depth + 1)?))
                })
                .collect::<Option<_>>()?,
        ),
    })
}

fn value_text(v: Val<'_>) -> String {
    match v {
        Val::Str(s) => s.to_string(),
        _ => String::new(),
    }
}

/// A field as a condition names it (`attributes.tags`).
pub fn field_text(f: &Field) -> String {
    match f {
        Field::Id => "id".to_string(),
        Field::Kind => "kind".to_string(),
        Field::Type => "type".to_string(),
        Field::Tenant => "tenant".to_string(),
        Field::Group => "group".to_string(),
        Field::Attribute(keys) if keys.is_empty() => "attributes".to_string(),
        Field::Attribute(keys) => format!("attributes.{}", keys.join(".")),
    }
}
