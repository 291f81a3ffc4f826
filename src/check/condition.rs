//! Check: conditions, `when A op B and ...` (A0010).
//!
//! Paths have a known root and field; comparisons must fit what the two
//! sides can be. What a path holds at request time is only known for the
//! fixed fields (`id`, `kind`, `status`... are strings); attributes and
//! context entries can be anything, so only literals constrain them.

use super::build::Checker;
use super::model::{CondPath, Condition, Operand, PathRoot, Value};
use crate::diag::{codes, Diagnostic, Span};
use crate::syntax::ast::{self, CmpOp};
use crate::table::format::MAX_PATH_KEYS;
use crate::time::parse_rfc3339;

/// What the checker knows a side of a comparison holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// A fixed string field (`entity.id`, `object.type`...).
    Text,
    /// An attribute map (`entity.attributes`).
    AttrMap,
    /// An attribute or context entry: any value.
    Any,
    /// A literal.
    Literal(Lit),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Lit {
    Str,
    Timestamp,
    Number,
    Bool,
    List,
    Map,
}

fn literal_shape(v: &Value) -> Lit {
    match v {
        Value::Str(s) if parse_rfc3339(s).is_some() => Lit::Timestamp,
        Value::Str(_) => Lit::Str,
        Value::Int(_) | Value::Dec(_) => Lit::Number,
        Value::Bool(_) => Lit::Bool,
        Value::List(_) => Lit::List,
        Value::Map(_) => Lit::Map,
    }
}

/// The names of the fields a root may read.
fn fields(root: &PathRoot) -> Vec<&'static str> {
    root.fields().iter().map(|f| f.name()).collect()
}

fn describe(shape: Shape) -> &'static str {
    match shape {
        Shape::Text => "a string field",
        Shape::AttrMap => "an attribute map",
        Shape::Any => "a value",
        Shape::Literal(Lit::Str) => "a string",
        Shape::Literal(Lit::Timestamp) => "a timestamp",
        Shape::Literal(Lit::Number) => "a number",
        Shape::Literal(Lit::Bool) => "a boolean",
        Shape::Literal(Lit::List) => "a list",
        Shape::Literal(Lit::Map) => "a map",
    }
}

/// Why `l op r` can never hold (or, for `!=`, always holds), as a message
/// and help, when the shapes of the two sides say so.
fn mismatch(op: CmpOp, l: Shape, r: Shape) -> Option<(String, &'static str)> {
    use Lit::*;
    use Shape::*;
    match op {
            CmpOp::Eq | CmpOp::Ne => match (l, r) {
                (Text, Literal(Number | Bool | List | Map)) => Some((
                    format!("{} is never equal to {}", describe(l), describe(r)),
                    "compare a string field with a string",
                )),
                (AttrMap, Literal(Str | Timestamp | Number | Bool | List)) => Some((
                    format!("{} is never equal to {}", describe(l), describe(r)),
                    "read one attribute: `entity.attributes.KEY`",
                )),
                _ => None,
            },
            CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => match (l, r) {
                (Text | AttrMap, _) | (_, Text | AttrMap) => Some((
                    format!("`{}` orders numbers and timestamps, not {}", op.as_str(), describe(if matches!(l, Text | AttrMap) { l } else { r })),
                    "ordering compares numbers, or two RFC 3339 timestamps",
                )),
                (_, Literal(Bool | List | Map | Str)) => Some((
                    format!("`{}` orders numbers and timestamps, not {}", op.as_str(), describe(r)),
                    "ordering compares numbers, or two RFC 3339 timestamps such as \"2026-01-01T00:00:00Z\"",
                )),
                _ => None,
            },
            CmpOp::In => match (l, r) {
                (AttrMap, _) => Some(("an attribute map cannot be `in` a list".to_string(), "read one attribute: `entity.attributes.KEY`")),
                (_, Literal(List)) | (Any, Any) | (Text, Any) => None,
                _ => Some((
                    format!("`in` needs a list on its right, not {}", describe(r)),
                    "write the values as a list: `in [\"a\", \"b\"]`",
                )),
            },
            CmpOp::Contains => match (l, r) {
                (Text, Literal(Number | Bool | List | Map)) => Some((
                    format!("a string only contains strings, not {}", describe(r)),
                    "`contains` on a string looks for a substring",
                )),
                (AttrMap, Literal(Number | Bool | List | Map)) => Some((
                    format!("an attribute map's keys are strings, never {}", describe(r)),
                    "`contains` on a map looks for a key: `entity.attributes contains \"KEY\"`",
                )),
                _ => None,
            },
        }
}

/// A0010 for a field that the root does not have.
fn unknown_field(
    root: PathRoot,
    written_root: &str,
    field_seg: &ast::Spanned<String>,
    last: bool,
) -> Diagnostic {
    let field = field_seg.value.as_str();
    let mut d = Diagnostic::error(
        codes::CONDITION_TYPE,
        format!("`{}` has no field `{field}`", written_root),
        field_seg.span,
    )
    .with_label("unknown field");
    d = match super::suggest::closest(field, fields(&root).iter().copied()) {
        Some(s) => d.with_help(format!("did you mean `{s}`?")),
        None if last => d.with_help(format!(
            "the fields are {}; attributes are read with `{}.attributes.{field}`",
            super::suggest::list(&fields(&root)),
            written_root
        )),
        None => d.with_help(format!(
            "the fields are {}",
            super::suggest::list(&fields(&root))
        )),
    };
    d
}

impl Checker<'_> {
    fn ill_typed(&mut self, message: String, span: Span, label: &str, help: &str) {
        self.error(
            Diagnostic::error(codes::CONDITION_TYPE, message, span)
                .with_label(label)
                .with_help(help),
        );
    }

    /// The root of a path; reports A0010 for an unknown one.
    fn path_root(&mut self, root_seg: &ast::Spanned<String>) -> Option<PathRoot> {
        Some(match root_seg.value.as_str() {
            "entity" => PathRoot::Entity,
            "object" | "resource" => PathRoot::Object,
            "tenant" => PathRoot::Tenant,
            "context" => PathRoot::Context,
            other => {
                let mut d = Diagnostic::error(
                    codes::CONDITION_TYPE,
                    format!("unknown path root `{other}`"),
                    root_seg.span,
                )
                .with_label("not a root");
                let subject_word = matches!(other, "subject" | "principal" | "user" | "caller");
                d = match super::suggest::closest(
                    other,
                    ["entity", "object", "resource", "tenant", "context"],
                ) {
                    _ if subject_word => {
                        d.with_help("the subject of a request is `entity`: `entity.attributes.KEY`")
                    }
                    Some(s) => d.with_help(format!("did you mean `{s}`?")),
                    None => d.with_help(
                        "a path starts with `entity`, `object`, `resource`, `tenant` or `context`",
                    ),
                };
                self.error(d);
                return None;
            }
        })
    }

    /// Checks a path; reports A0010 for an unknown root or field.
    fn cond_path(&mut self, path: &ast::Path) -> Option<(CondPath, Shape)> {
        let segs = &path.segments;
        let root_seg = &segs[0]; // a path always has its root segment
        let root = self.path_root(root_seg)?;
        if segs.len() > MAX_PATH_KEYS + 2 {
            self.ill_typed(
                format!("a path reads at most {MAX_PATH_KEYS} keys"),
                path.span,
                &format!("{} segments", segs.len()),
                "read a shallower attribute or context entry",
            );
            return None;
        }
        if root == PathRoot::Context {
            if segs.len() < 2 {
                self.ill_typed(
                    "`context` needs a key".to_string(),
                    path.span,
                    "the whole context is not a value",
                    "name an entry of the request's context: `context.protocol`",
                );
                return None;
            }
            let keys = segs[1..].iter().map(|s| s.value.clone()).collect();
            let p = CondPath {
                root,
                field: String::new(),
                keys,
                span: path.span,
            };
            return Some((p, Shape::Any));
        }
        let Some(field_seg) = segs.get(1) else {
            self.ill_typed(
                format!("`{}` needs a field", root_seg.value),
                path.span,
                "not a value",
                &format!(
                    "the fields of `{}` are {}",
                    root_seg.value,
                    super::suggest::list(&fields(&root))
                ),
            );
            return None;
        };
        let field = field_seg.value.as_str();
        if !fields(&root).contains(&field) {
            let d = unknown_field(root, &root_seg.value, field_seg, segs.len() == 2);
            self.error(d);
            return None;
        }
        let keys: Vec<String> = segs[2..].iter().map(|s| s.value.clone()).collect();
        let shape = if field == "attributes" {
            if keys.is_empty() {
                Shape::AttrMap
            } else {
                Shape::Any
            }
        } else if !keys.is_empty() {
            self.ill_typed(
                format!("`{}.{field}` is a string and has no fields", root_seg.value),
                path.span,
                "cannot be read further",
                "only `attributes` holds keys",
            );
            return None;
        } else {
            Shape::Text
        };
        Some((
            CondPath {
                root,
                field: field.to_string(),
                keys,
                span: path.span,
            },
            shape,
        ))
    }

    /// Checks one comparison; reports A0010.
    pub fn condition(&mut self, c: &ast::Comparison) -> Option<Condition> {
        let left = self.cond_path(&c.left);
        let right = match &c.right {
            ast::Operand::Literal(l) => {
                let v = self.value(l);
                let shape = Shape::Literal(literal_shape(&v));
                Some((Operand::Value(v), shape, l.span))
            }
            ast::Operand::Path(p) => self
                .cond_path(p)
                .map(|(cp, s)| (Operand::Path(cp), s, p.span)),
        };
        let ((left, ls), (right, rs, rspan)) = (left?, right?);
        let op = c.op.value;
        let ordering = matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge);
        if let (true, Operand::Value(Value::Str(text))) = (ordering, &right) {
            if let Some(why) = crate::time::rfc3339_problem(text) {
                self.ill_typed(
                    format!("\"{text}\" is not a valid timestamp: {why}"),
                    rspan,
                    "not an RFC 3339 timestamp",
                    "ordering compares numbers, or two RFC 3339 timestamps such as \"2026-01-01T00:00:00Z\"",
                );
                return None;
            }
        }
        if let Some((message, help)) = mismatch(op, ls, rs) {
            let span = if matches!(rs, Shape::Literal(_)) {
                rspan
            } else {
                c.span
            };
            let label = if op == CmpOp::Ne {
                "this comparison always holds"
            } else {
                "this comparison can never hold"
            };
            self.ill_typed(message, span, label, help);
            return None;
        }
        if let (Shape::Text, CmpOp::In, Operand::Value(Value::List(items))) = (ls, op, &right) {
            if let Some(item) = items.iter().find(|i| !matches!(i, Value::Str(_))) {
                self.ill_typed(
                    format!(
                        "a string field is never `in` a list holding {}",
                        describe(Shape::Literal(literal_shape(item)))
                    ),
                    rspan,
                    "this list holds a value that is not a string",
                    "a fixed field such as `entity.id` is a string: list strings, `in [\"a\", \"b\"]`",
                );
                return None;
            }
        }
        Some(Condition {
            left,
            op,
            right,
            span: c.span,
        })
    }
}
