//! Eval: values as the evaluator sees them, and the comparisons of spec section 5.
//!
//! [`Value`] (the ground floor's, `crate::value`) is what a request carries (context, described attributes).
//! [`Val`] is a borrowed view over either a request value or a value stored
//! in the table, so that comparisons never copy or allocate. Values that
//! cannot be compared make every comparison false but `!=`, which holds
//! when both sides resolve and are not equal (spec section 5). [`Read`] is
//! what a condition's side reads: a value, *none* (a built-in field the
//! thing has no value for) or nothing (a path that does not resolve, which
//! makes every comparison false, `!=` included).

use crate::kinds::CmpOp;
use crate::table::format::tag;
use crate::table::Table;
use crate::time::parse_rfc3339;
use crate::value::decimal;
pub use crate::value::Value;

/// Deeper values are not compared (the comparison is false): a bound on
/// recursion for values that come from outside.
const MAX_DEPTH: usize = 64;

/// A borrowed value.
#[derive(Clone, Copy, Debug)]
pub enum Val<'a> {
    Str(&'a str),
    Int(i64),
    /// The canonical text of an exact decimal.
    Dec(&'a str),
    Bool(bool),
    List(Seq<'a>),
    Map(Dict<'a>),
}

/// A list, in the table or in a request.
#[derive(Clone, Copy, Debug)]
pub enum Seq<'a> {
    Table(&'a Table<'a>, u32, u32),
    Req(&'a [Value]),
}

/// A map, in the table (entries sorted by key) or in a request.
#[derive(Clone, Copy, Debug)]
pub enum Dict<'a> {
    Table(&'a Table<'a>, u32, u32),
    Req(&'a [(String, Value)]),
}

impl<'a> Val<'a> {
    /// A view of a request value.
    pub fn of(v: &'a Value) -> Val<'a> {
        match v {
            Value::Str(s) => Val::Str(s),
            Value::Int(i) => Val::Int(*i),
            Value::Dec(d) => Val::Dec(d.as_str()),
            Value::Bool(b) => Val::Bool(*b),
            Value::List(l) => Val::List(Seq::Req(l)),
            Value::Map(m) => Val::Map(Dict::Req(m)),
        }
    }

    /// A view of a table value.
    pub fn stored(t: &'a Table<'a>, v: u32) -> Val<'a> {
        let (tag, payload) = t.value(v);
        let (lo, hi) = ((payload & 0xFFFF_FFFF) as u32, (payload >> 32) as u32);
        match tag {
            tag::STR => Val::Str(t.str(lo)),
            tag::INT => Val::Int(payload as i64),
            tag::DEC => Val::Dec(t.str(lo)),
            tag::BOOL => Val::Bool(payload == 1),
            tag::LIST => Val::List(Seq::Table(t, lo, hi)),
            _ => Val::Map(Dict::Table(t, lo, hi)),
        }
    }
}

impl<'a> Seq<'a> {
    pub fn len(&self) -> usize {
        match self {
            Seq::Table(_, _, n) => *n as usize,
            Seq::Req(items) => items.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, i: usize) -> Option<Val<'a>> {
        match self {
            Seq::Table(t, start, n) => (i < *n as usize).then(|| Val::stored(t, start + i as u32)),
            Seq::Req(items) => items.get(i).map(Val::of),
        }
    }
}

impl<'a> Dict<'a> {
    pub fn len(&self) -> usize {
        match self {
            Dict::Table(_, _, n) => *n as usize,
            Dict::Req(entries) => entries.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value of a key.
    pub fn get(&self, key: &str) -> Option<Val<'a>> {
        match self {
            Dict::Table(t, start, n) => {
                // Entries are sorted by key, and string ids sort as strings do.
                let (mut lo, mut hi) = (*start, start.saturating_add(*n));
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    let (k, v) = t.map_entry(mid);
                    match t.str(k).cmp(key) {
                        std::cmp::Ordering::Equal => return Some(Val::stored(t, v)),
                        std::cmp::Ordering::Less => lo = mid + 1,
                        std::cmp::Ordering::Greater => hi = mid,
                    }
                }
                None
            }
            Dict::Req(entries) => entries
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| Val::of(v)),
        }
    }

    /// The entries sorted by key (a request's map; a table's already is).
    fn sorted(&self) -> Vec<(&'a str, Val<'a>)> {
        let mut out: Vec<(&'a str, Val<'a>)> =
            (0..self.len()).filter_map(|i| self.entry(i)).collect();
        out.sort_by(|a, b| a.0.cmp(b.0));
        out
    }

    /// The key and value at a position.
    pub fn entry(&self, i: usize) -> Option<(&'a str, Val<'a>)> {
        match self {
            Dict::Table(t, start, n) => (i < *n as usize).then(|| {
                let (k, v) = t.map_entry(start + i as u32);
                (t.str(k), Val::stored(t, v))
            }),
            Dict::Req(entries) => entries.get(i).map(|(k, v)| (k.as_str(), Val::of(v))),
        }
    }
}

/// What one side of a comparison reads (spec section 5).
#[derive(Clone, Copy, Debug)]
pub enum Read<'a> {
    /// The path does not resolve: a missing attribute or context key, a
    /// key below a value that is not a map, `tenant.*` of an object with no
    /// tenant.
    Unresolved,
    /// A built-in field that resolves to no value (`object.type` of a
    /// group, `entity.tenant` of a platform entity...).
    None,
    Value(Val<'a>),
}

impl<'a> Read<'a> {
    /// A built-in field that always has a value (`None` only for a code
    /// the table does not know, which validation refuses).
    pub fn known(v: Option<Val<'a>>) -> Read<'a> {
        v.map_or(Read::Unresolved, Read::Value)
    }

    /// The value, if there is one.
    pub fn value(self) -> Option<Val<'a>> {
        match self {
            Read::Value(v) => Some(v),
            _ => None,
        }
    }
}

/// `a op b` with the meaning of spec section 5: a side that does not
/// resolve makes every comparison false; none is unequal to everything,
/// itself included (`!=` holds, nothing else does).
pub fn compare(op: CmpOp, a: Read<'_>, b: Read<'_>) -> bool {
    use std::cmp::Ordering::*;
    let (a, b) = match (a, b) {
        (Read::Unresolved, _) | (_, Read::Unresolved) => return false,
        (Read::Value(a), Read::Value(b)) => (a, b),
        _ => return op == CmpOp::Ne,
    };
    match op {
        CmpOp::Eq => equal(a, b) == Some(true),
        // Both resolve: also for values of different types.
        CmpOp::Ne => equal(a, b) != Some(true),
        CmpOp::Lt => order(a, b) == Some(Less),
        CmpOp::Le => matches!(order(a, b), Some(Less | Equal)),
        CmpOp::Gt => order(a, b) == Some(Greater),
        CmpOp::Ge => matches!(order(a, b), Some(Greater | Equal)),
        CmpOp::In => is_in(a, b),
        CmpOp::Contains => contains(a, b),
    }
}

/// The most entries of a request's map looked up by scanning in a map
/// comparison; a larger one is sorted first (`==` on two 1 MiB maps stays
/// n log n, not n²).
const SCAN_LIMIT: usize = 16;

/// The exact order of two numbers, or `None` when one is not a number.
fn number_order(a: Val<'_>, b: Val<'_>) -> Option<std::cmp::Ordering> {
    Some(match (a, b) {
        (Val::Int(x), Val::Int(y)) => x.cmp(&y),
        (Val::Int(x), Val::Dec(y)) => decimal::compare_int(x, y),
        (Val::Dec(x), Val::Int(y)) => decimal::compare_int(y, x).reverse(),
        (Val::Dec(x), Val::Dec(y)) => decimal::compare(x, y),
        _ => return None,
    })
}

/// Equality, or `None` when the two cannot be compared (different types).
/// Integers compare exactly; an integer and a decimal compare as decimals.
pub fn equal(a: Val<'_>, b: Val<'_>) -> Option<bool> {
    equal_at(a, b, 0)
}

fn equal_at(a: Val<'_>, b: Val<'_>, depth: usize) -> Option<bool> {
    if depth > MAX_DEPTH {
        return None;
    }
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => Some(x == y),
        (Val::Bool(x), Val::Bool(y)) => Some(x == y),
        (Val::Int(_) | Val::Dec(_), Val::Int(_) | Val::Dec(_)) => {
            Some(number_order(a, b)? == std::cmp::Ordering::Equal)
        }
        (Val::List(x), Val::List(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            for i in 0..x.len() {
                if equal_at(x.get(i)?, y.get(i)?, depth + 1) != Some(true) {
                    return Some(false);
                }
            }
            Some(true)
        }
        (Val::Map(x), Val::Map(y)) => {
            if x.len() != y.len() {
                return Some(false);
            }
            // A request's map is not sorted: looking each key up in it
            // would be quadratic, so a large one is indexed first.
            let index = matches!(y, Dict::Req(e) if e.len() > SCAN_LIMIT).then(|| y.sorted());
            for i in 0..x.len() {
                let (k, v) = x.entry(i)?;
                let w = match &index {
                    Some(sorted) => sorted
                        .binary_search_by(|(key, _)| (*key).cmp(k))
                        .ok()
                        .map(|at| sorted[at].1),
                    None => y.get(k),
                };
                match w {
                    Some(w) if equal_at(v, w, depth + 1) == Some(true) => {}
                    _ => return Some(false),
                }
            }
            Some(true)
        }
        _ => None,
    }
}

/// The order of two numbers, or of two RFC 3339 timestamps.
pub fn order(a: Val<'_>, b: Val<'_>) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => Some(parse_rfc3339(x)?.cmp(&parse_rfc3339(y)?)),
        _ => number_order(a, b),
    }
}

/// `a in b`: `b` is a list holding a value equal to `a`.
pub fn is_in(a: Val<'_>, b: Val<'_>) -> bool {
    let Val::List(items) = b else { return false };
    (0..items.len()).any(|i| items.get(i).is_some_and(|x| equal(a, x) == Some(true)))
}

/// `a contains b`: a substring, a list element, or a map key.
pub fn contains(a: Val<'_>, b: Val<'_>) -> bool {
    match (a, b) {
        (Val::Str(s), Val::Str(t)) => s.contains(t),
        (Val::List(items), _) => {
            (0..items.len()).any(|i| items.get(i).is_some_and(|x| equal(x, b) == Some(true)))
        }
        (Val::Map(m), Val::Str(k)) => m.get(k).is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Decimal;

    fn v(x: &Value) -> Val<'_> {
        Val::of(x)
    }

    fn dec(s: &str) -> Value {
        Value::Dec(Decimal::parse(s).unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn equality_is_typed_and_numeric() {
        let (i3, d3, s3) = (Value::Int(3), dec("3.0"), Value::Str("3".into()));
        assert_eq!(equal(v(&i3), v(&d3)), Some(true));
        assert_eq!(equal(v(&i3), v(&s3)), None);
        let a = Value::Map(vec![
            ("x".into(), Value::Int(1)),
            ("y".into(), Value::Bool(true)),
        ]);
        let b = Value::Map(vec![
            ("y".into(), Value::Bool(true)),
            ("x".into(), dec("1.0")),
        ]);
        assert_eq!(equal(v(&a), v(&b)), Some(true));
    }

    #[test]
    fn ordering_needs_numbers_or_timestamps() {
        let t1 = Value::Str("2026-01-01T00:00:00Z".into());
        let t2 = Value::Str("2026-01-01T01:00:00+02:00".into());
        assert_eq!(order(v(&t2), v(&t1)), Some(std::cmp::Ordering::Less));
        assert_eq!(
            order(v(&Value::Str("a".into())), v(&Value::Str("b".into()))),
            None
        );
        assert_eq!(
            order(v(&Value::Int(2)), v(&dec("2.5"))),
            Some(std::cmp::Ordering::Less)
        );
        assert_eq!(order(v(&Value::Bool(true)), v(&Value::Bool(false))), None);
        // Exact, where binary floats would round both to the same value.
        assert_eq!(
            order(
                v(&Value::Int(9_007_199_254_740_993)),
                v(&dec("9007199254740992.0"))
            ),
            Some(std::cmp::Ordering::Greater)
        );
        assert_eq!(
            equal(v(&dec("0.3")), v(&dec("0.30000000000000004"))),
            Some(false)
        );
    }

    /// Two request maps of 200,000 entries in opposite orders: equal, and
    /// unequal by one value, decided in n log n (a key-by-key scan would
    /// take 4·10¹⁰ steps and never finish in a test).
    #[test]
    fn large_request_maps_compare_without_a_quadratic_scan() {
        let entries: Vec<(String, Value)> = (0..200_000)
            .map(|i| (format!("k{i}"), Value::Int(i)))
            .collect();
        let a = Value::Map(entries.clone());
        let mut reversed = entries;
        reversed.reverse();
        let b = Value::Map(reversed.clone());
        assert_eq!(equal(v(&a), v(&b)), Some(true));
        reversed[7].1 = Value::Int(-1);
        let c = Value::Map(reversed);
        assert_eq!(equal(v(&a), v(&c)), Some(false));
    }

    #[test]
    fn in_and_contains() {
        let list = Value::List(vec![Value::Str("mqtt".into()), Value::Int(1)]);
        assert!(is_in(v(&Value::Str("mqtt".into())), v(&list)));
        assert!(is_in(v(&dec("1.0")), v(&list)));
        assert!(!is_in(v(&Value::Str("http".into())), v(&list)));
        assert!(!is_in(
            v(&Value::Str("mqtt".into())),
            v(&Value::Str("mqtt".into()))
        ));
        assert!(contains(
            v(&Value::Str("plant-a".into())),
            v(&Value::Str("ant".into()))
        ));
        assert!(contains(v(&list), v(&Value::Int(1))));
        let map = Value::Map(vec![("site".into(), Value::Int(1))]);
        assert!(contains(v(&map), v(&Value::Str("site".into()))));
        assert!(!contains(v(&map), v(&Value::Int(1))));
    }
}
