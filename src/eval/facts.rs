//! Eval: what a request's subject and object are, and reading condition paths from them.

use super::request::{DescribedObject, DescribedSubject, Object, Subject};
use super::value::{self, Dict, Val, Value};
use crate::table::format::{
    path, ENTITY_KIND_NAMES, ENTITY_STATUS_NAMES, KIND_NAMES, NONE, TENANT_STATUS_NAMES,
};
use crate::table::Table;

/// The subject: a declared entity, or a description.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SubjectFacts<'a> {
    Declared(u32),
    Described {
        desc: &'a DescribedSubject,
        kind: u8,
    },
}

impl<'a> SubjectFacts<'a> {
    pub fn resolve(t: &Table<'_>, s: Subject<'a>) -> Option<SubjectFacts<'a>> {
        match s {
            Subject::Named(name) => {
                let entity = t.object_entity(t.object_named(name)?);
                (entity != NONE).then_some(SubjectFacts::Declared(entity))
            }
            Subject::Described(desc) => {
                let kind = ENTITY_KIND_NAMES.iter().position(|k| *k == desc.kind)? as u8;
                Some(SubjectFacts::Described { desc, kind })
            }
        }
    }

    pub fn active(&self, t: &Table<'_>) -> bool {
        match self {
            SubjectFacts::Declared(e) => t.entity_status(*e) == 0,
            SubjectFacts::Described { desc, .. } => desc.status == "active",
        }
    }
}

/// The object: its kind, type, tenant and parent group as table indices.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ObjectFacts<'a> {
    /// The object's index, when it is declared.
    pub declared: Option<u32>,
    pub desc: Option<&'a DescribedObject>,
    pub kind: u8,
    pub ty: u32,
    pub tenant: u32,
    pub parent: u32,
}

impl<'a> ObjectFacts<'a> {
    pub fn resolve(t: &Table<'_>, o: Object<'a>) -> Option<ObjectFacts<'a>> {
        match o {
            Object::Named(name) => {
                let id = t.object_named(name)?;
                Some(ObjectFacts {
                    declared: Some(id),
                    desc: None,
                    kind: t.object_kind(id),
                    ty: t.object_type(id),
                    tenant: t.object_tenant(id),
                    parent: t.object_parent(id),
                })
            }
            Object::Described(desc) => {
                let kind_name = desc.kind.split(':').next().unwrap_or("");
                let kind = KIND_NAMES.iter().position(|k| *k == kind_name)? as u8;
                let ty = if desc.kind.contains(':') {
                    t.type_named(&desc.kind).unwrap_or(NONE)
                } else {
                    NONE
                };
                let tenant = match &desc.tenant {
                    Some(name) => t.tenant_named(name)?,
                    None => NONE,
                };
                let parent = desc
                    .group
                    .as_deref()
                    .and_then(|g| t.object_named(g))
                    .filter(|o| t.object_kind(*o) == crate::table::format::KIND_GROUP)
                    .and_then(|o| group_of_object(t, o))
                    .unwrap_or(NONE);
                Some(ObjectFacts {
                    declared: None,
                    desc: Some(desc),
                    kind,
                    ty,
                    tenant,
                    parent,
                })
            }
        }
    }
}

/// The object group record of a group object (groups are few; a scan is fine
/// for described objects, which are not on the declared fast path).
fn group_of_object(t: &Table<'_>, object: u32) -> Option<u32> {
    (0..t.group_count() as u32).find(|g| t.group_object(*g) == object)
}

/// Everything a condition can read.
pub(crate) struct Facts<'a> {
    pub table: &'a Table<'a>,
    pub subject: SubjectFacts<'a>,
    pub object: ObjectFacts<'a>,
    pub context: &'a [(String, Value)],
}

impl<'a> Facts<'a> {
    /// Whether every condition of a block holds.
    pub fn conditions_hold(&self, block: u32) -> bool {
        let t = self.table;
        let (start, len) = t.block_conditions(block);
        (start..start.saturating_add(len)).all(|c| self.condition(c))
    }

    /// Whether one condition holds (for explanations).
    pub fn conditions_hold_one(&self, c: u32) -> bool {
        self.condition(c)
    }

    fn condition(&self, c: u32) -> bool {
        let t = self.table;
        let (op, right_is_value, left, right) = t.condition(c);
        let a = self.read(left);
        let b = if right_is_value {
            Some(Val::stored(t, right))
        } else {
            self.read(right)
        };
        let (Some(a), Some(b)) = (a, b) else {
            // A side that does not resolve: only `!=` holds (spec section 5).
            return op == 1;
        };
        use std::cmp::Ordering::*;
        match op {
            0 => value::equal(a, b) == Some(true),
            // The exact negation of `==`: also for values of different types.
            1 => value::equal(a, b) != Some(true),
            2 => value::order(a, b) == Some(Less),
            3 => matches!(value::order(a, b), Some(Less | Equal)),
            4 => value::order(a, b) == Some(Greater),
            5 => matches!(value::order(a, b), Some(Greater | Equal)),
            6 => value::is_in(a, b),
            7 => value::contains(a, b),
            _ => false,
        }
    }

    /// The value a path names, if it resolves.
    pub fn read(&self, p: u32) -> Option<Val<'a>> {
        let t = self.table;
        let (root, field, ks, kl) = t.path(p);
        let base = match root {
            path::ENTITY => self.entity_field(field)?,
            path::OBJECT => self.object_field(field)?,
            path::TENANT => self.tenant_field(field)?,
            path::CONTEXT => Val::Map(Dict::Req(self.context)),
            _ => return None,
        };
        let mut v = base;
        for k in ks..ks.saturating_add(kl) {
            let Val::Map(d) = v else { return None };
            v = d.get(t.path_key(k))?;
        }
        Some(v)
    }

    fn entity_field(&self, field: u8) -> Option<Val<'a>> {
        let t = self.table;
        match self.subject {
            SubjectFacts::Declared(e) => {
                let o = t.entity_object(e);
                match field {
                    path::ID => Some(Val::Str(t.object_name(o))),
                    path::KIND => ENTITY_KIND_NAMES
                        .get(usize::from(t.entity_kind(e)))
                        .map(|s| Val::Str(s)),
                    path::TENANT_FIELD => {
                        let tn = t.object_tenant(o);
                        (tn != NONE).then(|| Val::Str(t.tenant_name(tn)))
                    }
                    path::STATUS => ENTITY_STATUS_NAMES
                        .get(usize::from(t.entity_status(e)))
                        .map(|s| Val::Str(s)),
                    path::ATTRIBUTES => {
                        let (s, n) = t.object_attributes(o);
                        Some(Val::Map(Dict::Table(t, s, n)))
                    }
                    _ => None,
                }
            }
            SubjectFacts::Described { desc, kind } => match field {
                path::ID => Some(Val::Str(&desc.id)),
                path::KIND => ENTITY_KIND_NAMES
                    .get(usize::from(kind))
                    .map(|s| Val::Str(s)),
                path::TENANT_FIELD => desc.tenant.as_deref().map(Val::Str),
                path::STATUS => Some(Val::Str(&desc.status)),
                path::ATTRIBUTES => Some(Val::Map(Dict::Req(&desc.attributes))),
                _ => None,
            },
        }
    }

    fn object_field(&self, field: u8) -> Option<Val<'a>> {
        let t = self.table;
        let o = &self.object;
        match field {
            path::ID => match (o.declared, o.desc) {
                (Some(id), _) => Some(Val::Str(t.object_name(id))),
                (None, Some(d)) => Some(Val::Str(&d.id)),
                _ => None,
            },
            path::KIND => KIND_NAMES.get(usize::from(o.kind)).map(|s| Val::Str(s)),
            path::TYPE => match (o.ty, o.desc) {
                (NONE, Some(d)) if d.kind.contains(':') => Some(Val::Str(&d.kind)),
                (NONE, _) => None,
                (ty, _) => Some(Val::Str(t.type_name(ty))),
            },
            path::TENANT_FIELD => (o.tenant != NONE).then(|| Val::Str(t.tenant_name(o.tenant))),
            path::GROUP => {
                (o.parent != NONE).then(|| Val::Str(t.object_name(t.group_object(o.parent))))
            }
            path::ATTRIBUTES => match (o.declared, o.desc) {
                (Some(id), _) => {
                    let (s, n) = t.object_attributes(id);
                    Some(Val::Map(Dict::Table(t, s, n)))
                }
                (None, Some(d)) => Some(Val::Map(Dict::Req(&d.attributes))),
                _ => None,
            },
            _ => None,
        }
    }

    fn tenant_field(&self, field: u8) -> Option<Val<'a>> {
        let t = self.table;
        let tn = self.object.tenant;
        if tn == NONE {
            return None;
        }
        match field {
            path::ID => Some(Val::Str(t.tenant_name(tn))),
            path::STATUS => TENANT_STATUS_NAMES
                .get(usize::from(t.tenant_status(tn)))
                .map(|s| Val::Str(s)),
            path::ATTRIBUTES => {
                let (s, n) = t.tenant_attributes(tn);
                Some(Val::Map(Dict::Table(t, s, n)))
            }
            _ => None,
        }
    }
}
