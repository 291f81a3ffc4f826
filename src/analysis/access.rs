//! Analysis: the access of a (subject, action, object) triple over every context: allow, deny or conditional.
//!
//! Facts about the subject, the object and its tenant are declared; only
//! `context.*` is unknown (specification section 13). The access is found
//! exactly, by deciding the triple in a finite set of contexts that meets
//! every combination of truth values the triple's context comparisons can
//! take:
//!
//! - the comparisons are those of the subject's grants for the action whose
//!   scope holds the object; each compares a context path with a value
//!   known from the facts (a literal, or an entity, object or tenant path)
//!   or with another context path;
//! - for each context path, the candidate values are: missing; every value
//!   it is compared with; for numbers, each constant and the numbers one
//!   step below and above it at a precision finer than any constant's (so
//!   every interval between constants has one); for timestamps, each
//!   instant, one nanosecond before and after, and the same instant
//!   written another way; for `contains`, a string, list and map holding
//!   each subset of the values looked for, and the same with one more
//!   element (so that holding those values and being equal to no constant
//!   is tried); for `"..." contains context.p`, every substring of the
//!   string; a string equal to none of them;
//!   `true` and `false`;
//! - two context paths compared with each other (`==`, `!=`, an ordering)
//!   share one pool of constants, with two candidates in every interval
//!   between them and two strings equal to none, so that equal, unequal and
//!   ordered pairs are all among the combinations;
//! - the contexts are the product of the paths' candidate sets.
//!
//! Each context is decided by [`crate::eval::decide_declared`] (or
//! [`crate::eval::decide`] for a described subject) itself, so the analysis
//! agrees with `atom query` by construction, and a `conditional` triple
//! comes with a context that allows it and one that denies it. What is
//! refused rather than guessed ([`Undecided`]): `in` or `contains` between
//! two context paths, a context path compared both whole and by its keys,
//! `contains` looking for more than six values in one path, a context
//! value looked for in a string over 32 characters, and more than
//! [`MAX_CONTEXTS`] contexts.

use crate::eval::facts::{Checked, Facts, ObjectFacts, SubjectFacts};
use crate::eval::request::{DescribedSubject, Object, Request, Subject};
use crate::eval::value::{Seq, Val, Value};
use crate::eval::{decide, decide_declared, scope_matches, Decimal, Decision};
use crate::kinds::{CmpOp, PathRoot};
use crate::table::Table;
use crate::time::{format_rfc3339, parse_rfc3339, Instant};

/// The access of a triple over every context.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Access {
    /// Denied whatever the context.
    Deny,
    /// Allowed in some contexts and denied in others.
    Conditional,
    /// Allowed whatever the context.
    Allow,
}

impl Access {
    pub fn name(self) -> &'static str {
        match self {
            Access::Allow => "allow",
            Access::Deny => "deny",
            Access::Conditional => "conditional",
        }
    }
}

/// A context: the request's `context` entries.
pub type Context = Vec<(String, Value)>;

/// A triple's access, with a context of each outcome that occurs.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub access: Access,
    /// A context in which the triple is allowed, and the decision there.
    pub allowing: Option<(Context, Decision)>,
    /// A context in which the triple is denied, and the decision there.
    pub denying: Option<(Context, Decision)>,
}

/// Why a triple's access was not decided.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Undecided {
    /// A comparison this analysis does not decide exactly.
    Unsupported(&'static str),
    /// The contexts to decide exceed [`MAX_CONTEXTS`].
    TooManyContexts,
}

impl std::fmt::Display for Undecided {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Undecided::Unsupported(what) => write!(f, "{what} is not analysed"),
            Undecided::TooManyContexts => write!(
                f,
                "the conditions combine into more than {MAX_CONTEXTS} contexts"
            ),
        }
    }
}

/// The most contexts decided for one triple.
pub const MAX_CONTEXTS: usize = 65_536;

/// The most values one context path's `contains` comparisons look for
/// (their subsets are candidates).
const MAX_CONTAINED: usize = 6;

/// The access of declared entity `entity` to declared object `object` for `action`.
pub fn access(t: &Table<'_>, entity: u32, action: u32, object: u32) -> Result<Verdict, Undecided> {
    let subject = t.object_name(t.entity_object(entity));
    let (action_name, object_name) = (t.action_name(action), t.object_name(object));
    let checked = Checked::default();
    let Some(o) = ObjectFacts::resolve(t, Object::Named(object_name), &checked) else {
        return Ok(denied());
    };
    let blocks = t
        .entity_grants(entity)
        .filter(|&(a, b, _)| a == action && scope_matches(t, b, &o))
        .map(|(_, b, _)| b);
    let facts = Facts {
        table: t,
        subject: SubjectFacts::Declared(entity),
        object: o,
        context: &[],
    };
    let mut paths = context_paths(&facts, blocks)?;
    pool_linked(&mut paths);
    enumerate(&paths, |context| {
        decide_declared(t, subject, action_name, object_name, context)
    })
}

/// The access of a described subject (specification section 6.1) to a
/// declared object; an invalid description is denied everything.
pub fn access_described(
    t: &Table<'_>,
    subject: &DescribedSubject,
    action: u32,
    object: u32,
) -> Result<Verdict, Undecided> {
    let (action_name, object_name) = (t.action_name(action), t.object_name(object));
    fn request<'r>(
        subject: &'r DescribedSubject,
        action: &'r str,
        object: &'r str,
        context: &'r [(String, Value)],
    ) -> Request<'r> {
        Request {
            subject: Subject::Described(subject),
            action,
            object: Object::Named(object),
            context,
        }
    }
    let Ok(checked) = Checked::new(t, &request(subject, action_name, object_name, &[])) else {
        return Ok(denied());
    };
    let (Some(parts), Some(o)) = (
        checked.subject.as_ref(),
        ObjectFacts::resolve(t, Object::Named(object_name), &checked),
    ) else {
        return Ok(denied());
    };
    let blocks: Vec<u32> = parts
        .groups
        .iter()
        .flat_map(|&g| t.grants_of(t.pgroup_sources(g)))
        .filter(|&(a, b, _)| a == action && scope_matches(t, b, &o))
        .filter(|&(_, b, _)| t.block_deny(b) || t.forbidden_by(b, action, parts.kind).is_none())
        .map(|(_, b, _)| b)
        .collect();
    let facts = Facts {
        table: t,
        subject: SubjectFacts::Described {
            desc: subject,
            parts,
        },
        object: o,
        context: &[],
    };
    let mut paths = context_paths(&facts, blocks.into_iter())?;
    pool_linked(&mut paths);
    enumerate(&paths, |context| {
        decide(t, &request(subject, action_name, object_name, context))
            .unwrap_or(Decision::deny(crate::kinds::Reason::SubjectNotFound))
    })
}

fn denied() -> Verdict {
    Verdict {
        access: Access::Deny,
        allowing: None,
        denying: None,
    }
}

/// Decides every context of the product of the paths' candidate sets
/// (stopping once both outcomes are seen).
fn enumerate(
    paths: &[ContextPath],
    decide: impl Fn(&[(String, Value)]) -> Decision,
) -> Result<Verdict, Undecided> {
    let sets: Vec<Vec<Option<Value>>> = paths
        .iter()
        .map(|p| p.candidates())
        .collect::<Result<_, _>>()?;
    let total = sets
        .iter()
        .try_fold(1usize, |n, s| {
            n.checked_mul(s.len()).filter(|n| *n <= MAX_CONTEXTS)
        })
        .ok_or(Undecided::TooManyContexts)?;
    let mut verdict = denied();
    for i in 0..total {
        let context = context_at(paths, &sets, i);
        let d = decide(&context);
        let slot = if d.allow {
            &mut verdict.allowing
        } else {
            &mut verdict.denying
        };
        if slot.is_none() {
            *slot = Some((context, d));
        }
        if verdict.allowing.is_some() && verdict.denying.is_some() {
            break;
        }
    }
    verdict.access = match (&verdict.allowing, &verdict.denying) {
        (Some(_), Some(_)) => Access::Conditional,
        (Some(_), None) => Access::Allow,
        _ => Access::Deny,
    };
    Ok(verdict)
}

/// The `i`-th context of the product of the candidate sets.
fn context_at(paths: &[ContextPath], sets: &[Vec<Option<Value>>], mut i: usize) -> Context {
    let mut context = Context::new();
    for (path, set) in paths.iter().zip(sets) {
        let value = &set[i % set.len()];
        i /= set.len();
        if let Some(v) = value {
            insert(&mut context, &path.keys, v.clone());
        }
    }
    context
}

fn insert(map: &mut Context, keys: &[String], value: Value) {
    let Some((first, rest)) = keys.split_first() else {
        return;
    };
    if rest.is_empty() {
        map.push((first.clone(), value));
        return;
    }
    let at = match map.iter().position(|(k, _)| k == first) {
        Some(at) => at,
        None => {
            map.push((first.clone(), Value::Map(Vec::new())));
            map.len() - 1
        }
    };
    if let Value::Map(inner) = &mut map[at].1 {
        insert(inner, rest, value);
    }
}

/// One context path and what it is compared with.
#[derive(Debug, Default)]
struct ContextPath {
    keys: Vec<String>,
    /// Values compared with `==`, `!=`, or listed after `in`.
    equal: Vec<Value>,
    /// Values compared with an ordering.
    ordered: Vec<Value>,
    /// Values the path is looked in for: `V in context.p` (a list holding
    /// V), `context.p contains V`.
    contained: Vec<Value>,
    /// Values the path must be inside: `V contains context.p`.
    within: Vec<Value>,
    /// Compared with another context path: two values in each region
    /// between constants are candidates, and the pools are shared.
    linked: bool,
}

/// The context paths that the triple's matching blocks compare, with the
/// values they are compared with.
fn context_paths(
    facts: &Facts<'_>,
    blocks: impl Iterator<Item = u32>,
) -> Result<Vec<ContextPath>, Undecided> {
    let t = facts.table;
    let mut paths: Vec<ContextPath> = Vec::new();
    for block in blocks {
        let (cs, cl) = t.block_conditions(block);
        for c in cs..cs.saturating_add(cl) {
            comparison(facts, c, &mut paths)?;
        }
    }
    let overlapping = paths.iter().any(|p| {
        paths
            .iter()
            .any(|q| q.keys.len() > p.keys.len() && q.keys.starts_with(&p.keys))
    });
    if overlapping {
        return Err(Undecided::Unsupported(
            "a context path compared both whole and by its keys",
        ));
    }
    Ok(paths)
}

/// The context keys of a path, if it reads the context.
fn context_keys(t: &Table<'_>, p: u32) -> Option<Vec<String>> {
    let (root, _, ks, kl) = t.path(p);
    (PathRoot::from_code(root)? == PathRoot::Context).then(|| {
        (ks..ks.saturating_add(kl))
            .map(|k| t.path_key(k).to_string())
            .collect()
    })
}

/// Records what one condition compares a context path with.
fn comparison(facts: &Facts<'_>, c: u32, paths: &mut Vec<ContextPath>) -> Result<(), Undecided> {
    let t = facts.table;
    let (op, right_is_value, left, right) = t.condition(c);
    let Some(op) = CmpOp::from_code(op) else {
        return Ok(());
    };
    let left_keys = context_keys(t, left);
    let right_keys = (!right_is_value).then(|| context_keys(t, right)).flatten();
    let known = |p: u32, is_value: bool| -> Option<Value> {
        if is_value {
            Some(owned(Val::stored(t, p)))
        } else {
            facts.read(p).value().map(owned)
        }
    };
    let (keys, other, context_left) = match (left_keys, right_keys) {
        (None, None) => return Ok(()),
        (Some(l), Some(r)) => return linked(op, l, r, paths),
        (Some(k), None) => (k, known(right, right_is_value), true),
        (None, Some(k)) => (k, known(left, false), false),
    };
    if keys.is_empty() {
        return Err(Undecided::Unsupported("a condition on the whole context"));
    }
    let path = match paths.iter().position(|p| p.keys == keys) {
        Some(at) => &mut paths[at],
        None => {
            paths.push(ContextPath {
                keys,
                ..ContextPath::default()
            });
            let last = paths.len() - 1;
            &mut paths[last]
        }
    };
    // A side that does not resolve makes the comparison's truth fixed.
    let Some(other) = other else { return Ok(()) };
    match (op, context_left) {
        (CmpOp::Eq | CmpOp::Ne, _) => path.equal.push(other),
        (CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge, _) => path.ordered.push(other),
        (CmpOp::In, true) => {
            if let Value::List(items) = other {
                path.equal.extend(items);
            }
        }
        (CmpOp::In, false) | (CmpOp::Contains, true) => path.contained.push(other),
        (CmpOp::Contains, false) => path.within.push(other),
    }
    Ok(())
}

/// Two context paths compared with each other (`==`, `!=` or an
/// ordering): both are marked linked, and their candidates are pooled.
fn linked(
    op: CmpOp,
    left: Vec<String>,
    right: Vec<String>,
    paths: &mut Vec<ContextPath>,
) -> Result<(), Undecided> {
    if matches!(op, CmpOp::In | CmpOp::Contains) || left.is_empty() || right.is_empty() {
        return Err(Undecided::Unsupported(
            "`in` or `contains` between two context values",
        ));
    }
    for keys in [left, right] {
        match paths.iter_mut().find(|p| p.keys == keys) {
            Some(p) => p.linked = true,
            None => paths.push(ContextPath {
                keys,
                linked: true,
                ..ContextPath::default()
            }),
        }
    }
    Ok(())
}

/// Pools the constants of every linked path into each of them, so that
/// their candidate sets are the same (equal values on both sides, and two
/// values ordered either way, are then among the combinations).
fn pool_linked(paths: &mut [ContextPath]) {
    let (mut equal, mut ordered) = (Vec::new(), Vec::new());
    for p in paths.iter().filter(|p| p.linked) {
        equal.extend(p.equal.iter().cloned());
        ordered.extend(p.ordered.iter().cloned());
    }
    // Two numbers and one instant even without constants, to order.
    ordered.extend([
        Value::Int(0),
        Value::Str("2000-01-01T00:00:00Z".to_string()),
    ]);
    for p in paths.iter_mut().filter(|p| p.linked) {
        p.equal.clone_from(&equal);
        p.ordered.clone_from(&ordered);
    }
}

/// A borrowed value made owned.
pub(crate) fn owned_value(v: Val<'_>) -> Value {
    owned(v)
}

fn owned(v: Val<'_>) -> Value {
    match v {
        Val::Str(s) => Value::Str(s.to_string()),
        Val::Int(i) => Value::Int(i),
        Val::Dec(d) => Decimal::parse(d).map_or(Value::Str(d.to_string()), Value::Dec),
        Val::Bool(b) => Value::Bool(b),
        Val::List(items) => Value::List(list(items)),
        Val::Map(m) => Value::Map(
            (0..m.len())
                .filter_map(|i| m.entry(i))
                .map(|(k, v)| (k.to_string(), owned(v)))
                .collect(),
        ),
    }
}

fn list(items: Seq<'_>) -> Vec<Value> {
    (0..items.len())
        .filter_map(|i| items.get(i))
        .map(owned)
        .collect()
}

impl ContextPath {
    /// The candidate values (`None` is missing), without repeats.
    fn candidates(&self) -> Result<Vec<Option<Value>>, Undecided> {
        let mut out: Vec<Option<Value>> = vec![None];
        let mut add = |v: Value| {
            if !out.iter().any(|o| o.as_ref() == Some(&v)) {
                out.push(Some(v));
            }
        };
        let all = || self.equal.iter().chain(&self.ordered);
        let steps: &[i128] = if self.linked {
            &[-2, -1, 1, 2]
        } else {
            &[-1, 1]
        };
        all().cloned().for_each(&mut add);
        numbers(all(), steps).into_iter().for_each(&mut add);
        timestamps(all(), steps).into_iter().for_each(&mut add);
        for v in &self.within {
            match v {
                Value::Str(s) => substrings(s)?.into_iter().for_each(&mut add),
                Value::List(items) => items.iter().cloned().for_each(&mut add),
                Value::Map(entries) => entries
                    .iter()
                    .map(|(k, _)| Value::Str(k.clone()))
                    .for_each(&mut add),
                other => add(other.clone()),
            }
        }
        let fresh = fresh_string(all().chain(&self.contained).chain(&self.within));
        holders(&self.contained, &fresh)?
            .into_iter()
            .for_each(&mut add);
        add(Value::Str("\u{1}".to_string()));
        if self.linked {
            add(Value::Str("\u{2}".to_string()));
        }
        add(Value::Bool(true));
        add(Value::Bool(false));
        Ok(out)
    }
}

/// For numbers among `values`: each, and one step below and above at a
/// precision ten times finer than any of them (so that every interval
/// between two of them holds one).
fn numbers<'v>(values: impl Iterator<Item = &'v Value>, steps: &[i128]) -> Vec<Value> {
    let texts: Vec<String> = values
        .filter_map(|v| match v {
            Value::Int(i) => Some(i.to_string()),
            Value::Dec(d) => Some(d.to_string()),
            _ => None,
        })
        .collect();
    let digits = texts
        .iter()
        .map(|t| t.split_once('.').map_or(0, |(_, f)| f.len()))
        .max()
        .unwrap_or(0)
        + 1;
    let mut out = Vec::new();
    for text in &texts {
        let Some(scaled) = scaled(text, digits) else {
            continue;
        };
        for step in steps {
            out.extend(unscaled(scaled + step, digits));
        }
    }
    out
}

/// `text` times 10^digits as an integer, if it fits.
fn scaled(text: &str, digits: usize) -> Option<i128> {
    let (int, frac) = text.split_once('.').unwrap_or((text, ""));
    let padded = format!("{int}{frac:0<digits$}");
    padded.parse().ok()
}

/// The number `n / 10^digits`.
fn unscaled(n: i128, digits: usize) -> Option<Value> {
    let sign = if n < 0 { "-" } else { "" };
    let text = format!("{:0>width$}", n.unsigned_abs(), width = digits + 1);
    let (int, frac) = text.split_at(text.len() - digits);
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        return format!("{sign}{int}").parse().ok().map(Value::Int);
    }
    Decimal::parse(&format!("{sign}{int}.{frac}"))
        .ok()
        .map(Value::Dec)
}

/// For timestamps among `values`: one nanosecond before and after each,
/// and the same instant written another way (equal as an instant, not as
/// a string).
fn timestamps<'v>(values: impl Iterator<Item = &'v Value>, steps: &[i128]) -> Vec<Value> {
    let mut out = Vec::new();
    for v in values {
        let Value::Str(s) = v else { continue };
        let Some(at) = parse_rfc3339(s) else { continue };
        let nanos = i128::from(at.seconds) * 1_000_000_000 + i128::from(at.nanos);
        for step in std::iter::once(&0).chain(steps) {
            let n = nanos + step;
            let instant = Instant {
                seconds: n.div_euclid(1_000_000_000) as i64,
                nanos: n.rem_euclid(1_000_000_000) as u32,
            };
            out.extend(format_rfc3339(instant).map(Value::Str));
        }
    }
    out
}

/// The most characters of a string that a context value is looked for in
/// (`"..." contains context.p`): every substring of it is a candidate.
const MAX_WITHIN_CHARS: usize = 32;

/// Every distinct substring of `s`, the empty one included.
fn substrings(s: &str) -> Result<Vec<Value>, Undecided> {
    let cuts: Vec<usize> = s
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .collect();
    if cuts.len() > MAX_WITHIN_CHARS + 1 {
        return Err(Undecided::Unsupported(
            "`contains` of a context value in a string over 32 characters",
        ));
    }
    let mut out: Vec<Value> = Vec::new();
    for (i, &a) in cuts.iter().enumerate() {
        for &b in &cuts[i..] {
            let v = Value::Str(s[a..b].to_string());
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    Ok(out)
}

/// A string equal to no string in `values` (nor inside their lists and
/// maps), and longer than each: a list or map holding it, or a string
/// wrapped in it, is equal to none of the constants.
fn fresh_string<'v>(values: impl Iterator<Item = &'v Value>) -> String {
    fn longest(v: &Value) -> usize {
        match v {
            Value::Str(s) => s.chars().count(),
            Value::List(items) => items.iter().map(longest).max().unwrap_or(0),
            Value::Map(entries) => entries
                .iter()
                .map(|(k, v)| k.chars().count().max(longest(v)))
                .max()
                .unwrap_or(0),
            _ => 0,
        }
    }
    "\u{2}".repeat(values.map(longest).max().unwrap_or(0) + 1)
}

/// Values that hold each subset of `looked_for`: strings that contain the
/// strings, lists that hold the values, maps that have the keys; each also
/// with one more element (a longer string, list or map, holding `fresh`),
/// so that holding a subset and being equal to no constant is among them.
fn holders(looked_for: &[Value], fresh: &str) -> Result<Vec<Value>, Undecided> {
    let mut wanted: Vec<&Value> = Vec::new();
    for v in looked_for {
        if !wanted.contains(&v) {
            wanted.push(v);
        }
    }
    if wanted.len() > MAX_CONTAINED {
        return Err(Undecided::TooManyContexts);
    }
    let extra = Value::Str(fresh.to_string());
    let mut out = Vec::new();
    for mask in 0u32..(1 << wanted.len()) {
        let subset: Vec<Value> = (0..wanted.len())
            .filter(|i| mask & (1 << i) != 0)
            .map(|i| wanted[i].clone())
            .collect();
        let mut longer = subset.clone();
        longer.push(extra.clone());
        out.push(Value::List(subset.clone()));
        out.push(Value::List(longer));
        let strings: Vec<&str> = subset
            .iter()
            .filter_map(|v| match v {
                Value::Str(s) => Some(s.as_str()),
                _ => None,
            })
            .collect();
        if strings.len() == subset.len() {
            let joined = strings.join("\u{1}");
            out.push(Value::Str(format!("{fresh}{joined}{fresh}")));
            out.push(Value::Str(joined));
            let keys = strings.iter().chain(std::iter::once(&fresh));
            let map = |keys: &mut dyn Iterator<Item = &&str>| {
                Value::Map(keys.map(|s| (s.to_string(), Value::Bool(true))).collect())
            };
            out.push(map(&mut strings.iter()));
            out.push(map(&mut keys.clone()));
        }
    }
    Ok(out)
}

/// One triple of a `who-can` or `what-can` answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub entity: u32,
    pub action: u32,
    pub object: u32,
    pub verdict: Result<Verdict, Undecided>,
}

/// Every declared entity whose access to `object` for `action` is `allow`
/// or `conditional` (and any whose access was not decided), by entity.
pub fn who_can(t: &Table<'_>, action: u32, object: u32) -> Vec<Row> {
    let entities = t.count(crate::table::format::section::ENTITIES) as u32;
    (0..entities)
        .map(|entity| Row {
            entity,
            action,
            object,
            verdict: access(t, entity, action, object),
        })
        .filter(|r| !matches!(&r.verdict, Ok(v) if v.access == Access::Deny))
        .collect()
}

/// Every (action, object) that `entity` has `allow` or `conditional`
/// access to (only `action` when given), by action then object. Only the
/// objects a grant's scope holds (or, for a tenant member, the tenant
/// itself) are decided: nothing else can be allowed.
pub fn what_can(t: &Table<'_>, entity: u32, action: Option<u32>) -> Vec<Row> {
    use crate::table::format::section;
    let actions: Vec<u32> = match action {
        Some(a) => vec![a],
        None => (0..t.count(section::ACTIONS) as u32).collect(),
    };
    let checked = Checked::default();
    let mut out = Vec::new();
    for action in actions {
        let blocks: Vec<u32> = t
            .entity_grants(entity)
            .filter(|(a, _, _)| *a == action)
            .map(|(_, b, _)| b)
            .collect();
        for object in 0..t.count(section::OBJECTS) as u32 {
            let Some(o) = ObjectFacts::resolve(t, Object::Named(t.object_name(object)), &checked)
            else {
                continue;
            };
            let reached = blocks.iter().any(|b| scope_matches(t, *b, &o));
            let tenant = o.kind == crate::kinds::ObjectKind::Tenant.code();
            if !reached && !tenant {
                continue;
            }
            let verdict = access(t, entity, action, object);
            if !matches!(&verdict, Ok(v) if v.access == Access::Deny) {
                out.push(Row {
                    entity,
                    action,
                    object,
                    verdict,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_fall_between_any_two_constants() {
        let values = [Value::Int(2), Value::Dec(Decimal::parse("2.5").unwrap())];
        let got: Vec<String> = numbers(values.iter(), &[-1, 1])
            .iter()
            .map(|v| format!("{v:?}"))
            .collect();
        assert_eq!(got.len(), 4, "{got:?}");
        assert!(got.iter().any(|g| g.contains("1.99")), "{got:?}");
        assert!(got.iter().any(|g| g.contains("2.01")), "{got:?}");
        assert!(got.iter().any(|g| g.contains("2.49")), "{got:?}");
        assert!(got.iter().any(|g| g.contains("2.51")), "{got:?}");
    }

    #[test]
    fn unscaling_writes_integers_and_decimals() {
        assert_eq!(
            unscaled(-5, 1),
            Some(Value::Dec(Decimal::parse("-0.5").unwrap()))
        );
        assert_eq!(unscaled(30, 1), Some(Value::Int(3)));
        assert_eq!(unscaled(-30, 1), Some(Value::Int(-3)));
    }
}
