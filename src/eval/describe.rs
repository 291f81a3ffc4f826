//! Eval: checking a described subject or object against the table (spec section 6.1).
//!
//! A description is a runtime's claim about something the policy does not
//! declare, so it is checked as strictly as source code: an invalid one is
//! an [`InvalidRequest`], never a decision. A tenant the table does not
//! know is not invalid: the thing is simply not found (`subject_not_found`,
//! `object_not_found`). The checks here are those that need the table; the
//! keys and shapes of a JSON description are the request decoder's.

use super::request::{DescribedObject, DescribedSubject};
use crate::kinds::ObjectKind;
use crate::table::format::NONE;
use crate::table::Table;

/// The most principal groups one description may name.
pub const MAX_GROUPS: usize = 1024;

/// Why a request cannot be decided: which key of which description is
/// wrong, and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidRequest {
    /// The key, as `subject.groups` or `object.type`.
    pub key: &'static str,
    pub message: String,
}

impl std::fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.key, self.message)
    }
}

impl std::error::Error for InvalidRequest {}

fn invalid(key: &'static str, message: String) -> InvalidRequest {
    InvalidRequest { key, message }
}

/// A described subject, checked: what the evaluator reads of it.
#[derive(Clone, Debug)]
pub(crate) struct SubjectParts {
    /// Qualified: `T/id` in tenant T.
    pub id: String,
    pub kind: u8,
    pub tenant: u32,
    /// The named principal groups and their ancestors, each once.
    pub groups: Vec<u32>,
}

/// A described object, checked.
#[derive(Clone, Debug)]
pub(crate) struct ObjectParts {
    /// Qualified: `T/id` in tenant T.
    pub id: String,
    pub kind: u8,
    pub ty: u32,
    pub tenant: u32,
    /// The parent object group (a `GROUPS` index), or `NONE`.
    pub parent: u32,
}

fn qualify(t: &Table<'_>, tenant: u32, id: &str) -> String {
    if tenant == NONE {
        id.to_string()
    } else {
        format!("{}/{id}", t.tenant_name(tenant))
    }
}

/// The id must be new: a declared name is named, not described.
fn fresh_id(
    t: &Table<'_>,
    key: &'static str,
    id: &str,
    qualified: &str,
) -> Result<(), InvalidRequest> {
    if id.is_empty() {
        return Err(invalid(key, "the id is empty".to_string()));
    }
    // Principal groups are objects too, so one look-up covers every name.
    if t.object_named(qualified).is_some() {
        return Err(invalid(
            key,
            format!("`{qualified}` is declared in the policy: name it instead of describing it"),
        ));
    }
    Ok(())
}

/// The tenant of a description: `Ok(None)` when it names no declared tenant.
fn tenant_of(t: &Table<'_>, tenant: Option<&str>) -> Option<u32> {
    match tenant {
        None => Some(NONE),
        Some(name) => t.tenant_named(name),
    }
}

/// Checks a described subject. `Ok(None)`: its tenant is not declared.
pub(crate) fn subject(
    t: &Table<'_>,
    d: &DescribedSubject,
) -> Result<Option<SubjectParts>, InvalidRequest> {
    let kind = d.kind.code();
    if d.groups.len() > MAX_GROUPS {
        return Err(invalid(
            "subject.groups",
            format!(
                "{} groups named; a description names at most {MAX_GROUPS}",
                d.groups.len()
            ),
        ));
    }
    let Some(tenant) = tenant_of(t, d.tenant.as_deref()) else {
        return Ok(None);
    };
    let id = qualify(t, tenant, &d.id);
    fresh_id(t, "subject.id", &d.id, &id)?;
    let mut groups: Vec<u32> = Vec::with_capacity(d.groups.len() * 2);
    let mut seen = Seen::default();
    for name in &d.groups {
        let g = t.group_named(name).ok_or_else(|| {
            invalid(
                "subject.groups",
                format!("`{name}` is not a declared principal group"),
            )
        })?;
        if t.pgroup_tenant(g) != tenant {
            let place = |x: u32| {
                if x == NONE {
                    "the platform".to_string()
                } else {
                    format!("tenant `{}`", t.tenant_name(x))
                }
            };
            return Err(invalid(
                "subject.groups",
                format!(
                    "`{name}` belongs to {}, and a subject of {} can only be a member of its groups",
                    place(t.pgroup_tenant(g)),
                    place(tenant)
                ),
            ));
        }
        // The group and its ancestors, stopping at the first one already
        // seen (its ancestors are then seen too): linear in the groups.
        let mut node = g;
        for _ in 0..t.pgroup_count() {
            if node == NONE || !seen.insert(node, &groups) {
                break;
            }
            groups.push(node);
            node = t.pgroup_parent(node);
        }
    }
    Ok(Some(SubjectParts {
        id,
        kind,
        tenant,
        groups,
    }))
}

/// The groups already collected: a scan of the list while it is short (the
/// common case, no allocation), a hash set once it is long (so that 1,024
/// groups with deep ancestries stay linear).
#[derive(Default)]
struct Seen(Option<std::collections::HashSet<u32>>);

impl Seen {
    const SCAN: usize = 32;

    /// Adds `g`; false when it was already there. `list` holds every `g`
    /// added so far, in order.
    fn insert(&mut self, g: u32, list: &[u32]) -> bool {
        if self.0.is_none() && list.len() >= Self::SCAN {
            self.0 = Some(list.iter().copied().collect());
        }
        match &mut self.0 {
            Some(set) => set.insert(g),
            None => !list.contains(&g),
        }
    }
}

/// Checks a described object. `Ok(None)`: its tenant is not declared.
pub(crate) fn object(
    t: &Table<'_>,
    d: &DescribedObject,
) -> Result<Option<ObjectParts>, InvalidRequest> {
    let kind = d.ty.kind.code();
    let ty = match &d.ty.name {
        None => NONE,
        Some(_) => {
            let name = d.ty.to_string();
            t.type_named(&name)
                .ok_or_else(|| invalid("object.type", format!("`{name}` is not a declared type")))?
        }
    };
    let Some(tenant) = tenant_of(t, d.tenant.as_deref()) else {
        return Ok(None);
    };
    let id = qualify(t, tenant, &d.id);
    fresh_id(t, "object.id", &d.id, &id)?;
    let parent = match &d.group {
        None => NONE,
        Some(_) if !d.ty.kind.sits_in_groups() => {
            return Err(invalid(
                "object.group",
                format!(
                    "{} does not sit in object groups",
                    crate::kinds::an(&format!("`{}`", d.ty.kind))
                ),
            ));
        }
        Some(name) => {
            let group = t
                .object_named(name)
                .filter(|o| t.object_kind(*o) == ObjectKind::Group.code())
                .and_then(|o| group_of_object(t, o))
                .ok_or_else(|| {
                    invalid(
                        "object.group",
                        format!("`{name}` is not a declared object group"),
                    )
                })?;
            if t.object_tenant(t.group_object(group)) != tenant {
                return Err(invalid(
                    "object.group",
                    format!("`{name}` belongs to another tenant than the object"),
                ));
            }
            group
        }
    };
    Ok(Some(ObjectParts {
        id,
        kind,
        ty,
        tenant,
        parent,
    }))
}

/// The object group record of a group object (a scan: described objects
/// are off the declared fast path).
fn group_of_object(t: &Table<'_>, object: u32) -> Option<u32> {
    (0..t.group_count() as u32).find(|g| t.group_object(*g) == object)
}
