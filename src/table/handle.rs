//! Table: handles, names resolved once to the indices a runtime then decides by.
//!
//! A runtime that decides many requests about the same subjects, actions
//! and objects resolves each name once ([`Table::subject`],
//! [`Table::action`], [`Table::object`]) and decides by handle
//! (`eval::decide_handles`), skipping the name lookups that are
//! about a third of a decision by name. A handle is stamped with its
//! table's checksum: used with another table it decides as if the thing
//! were not declared (`subject_not_found`, `object_not_found`,
//! `not_applicable`), never about whatever sits at the same index.

use super::format::CHECKSUM_AT;
use super::Table;

/// A declared entity, as a subject.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SubjectId {
    pub(crate) entity: u32,
    pub(crate) stamp: u32,
}

/// A declared action.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActionId {
    pub(crate) action: u32,
    pub(crate) stamp: u32,
}

/// A declared object (an entity, resource, group, tenant, role, block...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ObjectId {
    pub(crate) object: u32,
    pub(crate) stamp: u32,
}

impl<'a> Table<'a> {
    /// The table's stamp: its stored checksum.
    pub(crate) fn stamp(&self) -> u32 {
        let b = self
            .bytes
            .get(CHECKSUM_AT..CHECKSUM_AT + 4)
            .unwrap_or(&[0; 4]);
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    /// The entity a qualified name declares, as a subject handle.
    pub fn subject(&self, name: &str) -> Option<SubjectId> {
        self.entity_named(name).map(|entity| SubjectId {
            entity,
            stamp: self.stamp(),
        })
    }

    /// An action by name, as a handle.
    pub fn action(&self, name: &str) -> Option<ActionId> {
        self.action_named(name).map(|action| ActionId {
            action,
            stamp: self.stamp(),
        })
    }

    /// An object by qualified name, as a handle.
    pub fn object(&self, name: &str) -> Option<ObjectId> {
        self.object_named(name).map(|object| ObjectId {
            object,
            stamp: self.stamp(),
        })
    }

    /// The entity of a subject handle from this table.
    pub(crate) fn subject_index(&self, s: SubjectId) -> Option<u32> {
        (s.stamp == self.stamp()).then_some(s.entity)
    }

    /// The action of a handle from this table.
    pub(crate) fn action_index(&self, a: ActionId) -> Option<u32> {
        (a.stamp == self.stamp()).then_some(a.action)
    }

    /// The object of a handle from this table.
    pub(crate) fn object_index(&self, o: ObjectId) -> Option<u32> {
        (o.stamp == self.stamp()).then_some(o.object)
    }
}
