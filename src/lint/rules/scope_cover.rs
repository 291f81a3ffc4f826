//! Lint: whether one block's scope covers another's (shared by several rules).
//!
//! Conservative: `true` only when every object the inner block can reach is
//! also reached by the outer one, whatever the objects declared.

use crate::check::model::*;
use crate::kinds::ObjectKind;
use crate::syntax::ast::Relation;

/// Whether `outer` reaches every object `inner` reaches (boundaries included).
pub fn covers(model: &Model, outer: BlockId, inner: BlockId) -> bool {
    let (o, i) = (model.block(outer), model.block(inner));
    let (ot, it) = (model.object(o.object).tenant, model.object(i.object).tenant);
    if ot.is_some() && ot != it {
        return false;
    }
    let kind_of = |t: TypeId| model.types[t.index()].kind;
    let (Some(outer_scope), Some(inner_scope)) = (o.scope, i.scope) else {
        return false;
    };
    match (outer_scope, inner_scope) {
        (Scope::All, _) => true,
        (_, Scope::Object(x)) => model.block_reaches(outer, x),
        (a, b) if a == b => true,
        (Scope::Kind(k), Scope::Kind(k2)) => k == k2,
        (Scope::Kind(k), Scope::Type(t) | Scope::TypeInGroup(t, _, _)) => kind_of(t) == k,
        (Scope::Kind(ObjectKind::Group), Scope::GroupInGroup(_, _)) => true,
        (Scope::Type(t), Scope::TypeInGroup(t2, _, _)) => t == t2,
        (Scope::TypeInGroup(t, Relation::Within, g), Scope::TypeInGroup(t2, _, g2)) => {
            t == t2 && model.group_at_or_below(Some(g2), g)
        }
        (Scope::GroupInGroup(Relation::Within, g), Scope::GroupInGroup(_, g2)) => {
            model.group_at_or_below(Some(g2), g)
        }
        _ => false,
    }
}
