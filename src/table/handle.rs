//! Table: handles, names resolved once to the indices a runtime then decides by.
//!
//! A runtime that decides many requests about the same subjects, actions
//! and objects resolves each name once ([`Table::subject`],
//! [`Table::action`], [`Table::object`]) and decides by handle
//! ([`crate::eval::decide_handles`]), skipping the name lookups that are
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

#[cfg(all(test, feature = "compiler"))]
mod tests {
    use super::*;
    use crate::eval::{decide_handles, Reason};
    use crate::table::format::CHECKSUM_AT;

    /// A table's bytes with another stamp (and a checksum that matches it
    /// no more: handles are compared, never the table re-validated).
    fn restamped(bytes: &[u8]) -> Vec<u8> {
        let mut other = bytes.to_vec();
        other[CHECKSUM_AT] ^= 0xFF;
        other
    }

    #[test]
    fn a_handle_from_another_table_is_not_found_there() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/policies");
        let loaded = crate::project::load_sources(&[dir.into()]).unwrap();
        let model = crate::check::check_sources(&loaded.sources)
            .into_complete_model()
            .unwrap();
        let bytes = crate::compile::compile(&model, crate::compile::source_hash(&loaded.sources));
        let t = Table::from_bytes(&bytes).unwrap();
        let (s, a, o) = (
            t.subject("factory-a/meter-001").unwrap(),
            t.action("publish").unwrap(),
            t.object("factory-a/telemetry").unwrap(),
        );
        let ctx = [(
            "protocol".to_string(),
            crate::eval::Value::Str("mqtt".into()),
        )];
        assert!(decide_handles(&t, s, a, o, &ctx).allow);
        let other = restamped(&bytes);
        let view = Table { bytes: &other, ..t };
        assert_eq!(
            decide_handles(&view, s, a, o, &ctx).reason,
            Reason::SubjectNotFound
        );
        assert_eq!(
            t.subject("factory-a/telemetry"),
            None,
            "a resource is not a subject"
        );
        assert_eq!(t.action("fly"), None);
    }
}
