//! Eval: what a request's subject and object are, and reading condition paths from them.

use super::describe::{self, InvalidRequest, ObjectParts, SubjectParts};
use super::request::{DescribedObject, DescribedSubject, Object, Request, Subject};
use super::value::{self, Dict, Read, Val, Value};
use crate::kinds::{CmpOp, EntityKind, EntityStatus, Field, ObjectKind, PathRoot, TenantStatus};
use crate::table::format::NONE;
use crate::table::records::ObjectRec;
use crate::table::Table;

/// The descriptions of a request, checked against the table (spec
/// section 6.1). `None` where the request names a declared thing, or where
/// a description's tenant is not declared (so the thing is not found).
#[derive(Default)]
pub(crate) struct Checked {
    pub subject: Option<SubjectParts>,
    pub object: Option<ObjectParts>,
}

impl Checked {
    pub fn new(t: &Table<'_>, r: &Request<'_>) -> Result<Checked, InvalidRequest> {
        let subject = match r.subject {
            Subject::Described(d) => describe::subject(t, d)?,
            Subject::Named(_) => None,
        };
        let object = match r.object {
            Object::Described(d) => describe::object(t, d)?,
            Object::Named(_) => None,
        };
        Ok(Checked { subject, object })
    }
}

/// The subject: a declared entity, or a checked description.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SubjectFacts<'a> {
    Declared(u32),
    Described {
        desc: &'a DescribedSubject,
        parts: &'a SubjectParts,
    },
}

impl<'a> SubjectFacts<'a> {
    pub fn resolve(
        t: &Table<'_>,
        s: Subject<'a>,
        checked: &'a Checked,
    ) -> Option<SubjectFacts<'a>> {
        match s {
            Subject::Named(name) => t.entity_named(name).map(SubjectFacts::Declared),
            Subject::Described(desc) => checked
                .subject
                .as_ref()
                .map(|parts| SubjectFacts::Described { desc, parts }),
        }
    }

    pub fn active(&self, t: &Table<'_>) -> bool {
        match self {
            SubjectFacts::Declared(e) => t.entity_status(*e) == 0,
            SubjectFacts::Described { desc, .. } => desc.status == EntityStatus::Active,
        }
    }
}

/// The object: its kind, type, tenant and parent group as table indices.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ObjectFacts<'a> {
    /// The object's index, when it is declared.
    pub declared: Option<u32>,
    pub desc: Option<(&'a DescribedObject, &'a str)>,
    pub kind: u8,
    pub ty: u32,
    pub tenant: u32,
    pub parent: u32,
}

impl<'a> ObjectFacts<'a> {
    /// A declared object's facts.
    pub fn declared(t: &Table<'_>, id: u32) -> ObjectFacts<'a> {
        ObjectFacts::from_record(id, t.object_rec(id))
    }

    /// A declared object's facts, from its record (read already).
    pub fn from_record(id: u32, r: ObjectRec) -> ObjectFacts<'a> {
        ObjectFacts {
            declared: Some(id),
            desc: None,
            kind: r.kind,
            ty: r.ty,
            tenant: r.tenant,
            parent: r.parent,
        }
    }

    pub fn resolve(t: &Table<'_>, o: Object<'a>, checked: &'a Checked) -> Option<ObjectFacts<'a>> {
        match o {
            Object::Named(name) => Some(ObjectFacts::declared(t, t.object_named(name)?)),
            Object::Described(desc) => {
                let p = checked.object.as_ref()?;
                Some(ObjectFacts {
                    declared: None,
                    desc: Some((desc, p.id.as_str())),
                    kind: p.kind,
                    ty: p.ty,
                    tenant: p.tenant,
                    parent: p.parent,
                })
            }
        }
    }
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
        let Some(op) = CmpOp::from_code(op) else {
            return false;
        };
        let b = if right_is_value {
            Read::Value(Val::stored(t, right))
        } else {
            self.read(right)
        };
        value::compare(op, self.read(left), b)
    }

    /// What a path reads (spec section 5): a value, none (a built-in field
    /// the thing has no value for), or nothing when it does not resolve.
    pub fn read(&self, p: u32) -> Read<'a> {
        let t = self.table;
        let (root, field, ks, kl) = t.path(p);
        let field = Field::from_code(field);
        let base = match (PathRoot::from_code(root), field) {
            (Some(PathRoot::Entity), Some(f)) => self.entity_field(f),
            (Some(PathRoot::Object), Some(f)) => self.object_field(f),
            (Some(PathRoot::Tenant), Some(f)) => self.tenant_field(f),
            (Some(PathRoot::Context), _) => Read::Value(Val::Map(Dict::Req(self.context))),
            _ => Read::Unresolved,
        };
        let mut v = base;
        for k in ks..ks.saturating_add(kl) {
            let Read::Value(Val::Map(d)) = v else {
                return Read::Unresolved;
            };
            v = d.get(t.path_key(k)).map_or(Read::Unresolved, Read::Value);
        }
        v
    }

    fn entity_field(&self, field: Field) -> Read<'a> {
        let t = self.table;
        match self.subject {
            SubjectFacts::Declared(e) => {
                let o = t.entity_object(e);
                match field {
                    Field::Id => Read::Value(Val::Str(t.object_name(o))),
                    Field::Kind => Read::known(
                        EntityKind::from_code(t.entity_kind(e)).map(|k| Val::Str(k.name())),
                    ),
                    Field::Tenant => self.tenant_name(t.object_tenant(o)),
                    Field::Status => Read::known(
                        EntityStatus::from_code(t.entity_status(e)).map(|s| Val::Str(s.name())),
                    ),
                    Field::Attributes => {
                        let (s, n) = t.object_attributes(o);
                        Read::Value(Val::Map(Dict::Table(t, s, n)))
                    }
                    _ => Read::Unresolved,
                }
            }
            SubjectFacts::Described { desc, parts } => match field {
                Field::Id => Read::Value(Val::Str(&parts.id)),
                Field::Kind => {
                    Read::known(EntityKind::from_code(parts.kind).map(|k| Val::Str(k.name())))
                }
                Field::Tenant => self.tenant_name(parts.tenant),
                Field::Status => Read::Value(Val::Str(desc.status.name())),
                Field::Attributes => Read::Value(Val::Map(Dict::Req(&desc.attributes))),
                _ => Read::Unresolved,
            },
        }
    }

    /// A tenant's name, or none for the platform.
    fn tenant_name(&self, tenant: u32) -> Read<'a> {
        if tenant == NONE {
            Read::None
        } else {
            Read::Value(Val::Str(self.table.tenant_name(tenant)))
        }
    }

    fn object_field(&self, field: Field) -> Read<'a> {
        let t = self.table;
        let o = &self.object;
        match field {
            Field::Id => match (o.declared, o.desc) {
                (Some(id), _) => Read::Value(Val::Str(t.object_name(id))),
                (None, Some((_, id))) => Read::Value(Val::Str(id)),
                _ => Read::Unresolved,
            },
            Field::Kind => Read::known(ObjectKind::from_code(o.kind).map(|k| Val::Str(k.name()))),
            Field::Type if o.ty == NONE => Read::None,
            Field::Type => Read::Value(Val::Str(t.type_name(o.ty))),
            Field::Tenant => self.tenant_name(o.tenant),
            Field::Group if o.parent == NONE => Read::None,
            Field::Group => Read::Value(Val::Str(t.object_name(t.group_object(o.parent)))),
            Field::Attributes => match (o.declared, o.desc) {
                (Some(id), _) => {
                    let (s, n) = t.object_attributes(id);
                    Read::Value(Val::Map(Dict::Table(t, s, n)))
                }
                (None, Some((d, _))) => Read::Value(Val::Map(Dict::Req(&d.attributes))),
                _ => Read::Unresolved,
            },
            _ => Read::Unresolved,
        }
    }

    /// `tenant.*`: nothing resolves for an object with no tenant.
    fn tenant_field(&self, field: Field) -> Read<'a> {
        let t = self.table;
        let tn = self.object.tenant;
        if tn == NONE {
            return Read::Unresolved;
        }
        match field {
            Field::Id => Read::Value(Val::Str(t.tenant_name(tn))),
            Field::Status => Read::known(
                TenantStatus::from_code(t.tenant_status(tn)).map(|s| Val::Str(s.name())),
            ),
            Field::Attributes => {
                let (s, n) = t.tenant_attributes(tn);
                Read::Value(Val::Map(Dict::Table(t, s, n)))
            }
            _ => Read::Unresolved,
        }
    }
}
