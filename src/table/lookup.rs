//! Table: finding records by name through the name indexes.
//!
//! A lookup hashes the name, reads its home slot, and compares the names
//! of the slots from there whose tag and length match, until it finds the
//! name or an empty slot (see [`hash`](super::hash)). A slot holds where
//! its name's bytes are, so the name and the record can be read at once;
//! [`Table::begin_object`] and [`Table::begin_subject`] issue those reads
//! for a request's object and subject before either is compared, so that on
//! a table larger than the cache their misses overlap.

use super::format::{section as sec, LONG_NAME, NONE};
use super::hash;
use super::records::{EntityRec, NameSlot, ObjectRec};
use super::Table;

/// A lookup begun: its slot, read, with the first byte of that slot's name
/// and its record (`R`), read before they are needed.
#[derive(Clone, Copy, Debug)]
pub struct Probe<R> {
    at: usize,
    tag: u16,
    slot: NameSlot,
    first: Option<u8>,
    record: R,
}

impl<'a> Table<'a> {
    /// Slot `i` of a name index.
    #[inline]
    fn name_slot(&self, index: usize, i: usize) -> NameSlot {
        self.record(index, i as u32)
    }

    /// The bytes of the name a slot holds (empty if out of bounds).
    #[inline]
    pub(super) fn slot_name(&self, s: &NameSlot) -> &'a [u8] {
        if s.len == LONG_NAME {
            return self.str(s.name).as_bytes();
        }
        let at = s.name as usize;
        self.text
            .as_bytes()
            .get(at..at + usize::from(s.len))
            .unwrap_or(&[])
    }

    /// Whether slot `s` holds `key` (of hash tag `tag`).
    #[inline]
    fn holds(&self, s: &NameSlot, tag: u16, key: &[u8]) -> bool {
        s.tag == tag
            && (s.len == LONG_NAME || usize::from(s.len) == key.len())
            && self.slot_name(s) == key
    }

    /// Begins looking `key` up in `index`: hashes it, reads its home slot,
    /// and reads the first byte of that slot's name and `read(slot)`,
    /// without comparing. `None` for an empty index.
    #[inline]
    fn begin<R>(&self, index: usize, key: &str, read: impl Fn(&NameSlot) -> R) -> Option<Probe<R>> {
        let len = self.count(index);
        if len == 0 {
            return None;
        }
        let h = hash::key_hash(key.as_bytes());
        let at = hash::home(h, len);
        let slot = self.name_slot(index, at);
        Some(Probe {
            at,
            tag: hash::tag(h),
            slot,
            first: self.slot_name(&slot).first().copied(),
            record: read(&slot),
        })
    }

    /// Finishes a lookup begun with [`Table::begin`] on the same index and
    /// key: the slot that holds `key` and its record, if any does.
    #[inline]
    fn finish<R>(
        &self,
        index: usize,
        probe: Option<Probe<R>>,
        key: &str,
        read: impl Fn(&NameSlot) -> R,
    ) -> Option<(NameSlot, R)> {
        let Probe {
            mut at,
            tag,
            mut slot,
            first,
            record,
        } = probe?;
        let key = key.as_bytes();
        if slot.record == NONE {
            return None;
        }
        if first == key.first().copied() && self.holds(&slot, tag, key) {
            return Some((slot, record));
        }
        let len = self.count(index);
        for _ in 1..len {
            at = hash::next(at, len);
            slot = self.name_slot(index, at);
            if slot.record == NONE {
                return None;
            }
            if self.holds(&slot, tag, key) {
                return Some((slot, read(&slot)));
            }
        }
        None
    }

    /// The slot of `key` in `index`.
    fn lookup(&self, index: usize, key: &str) -> Option<NameSlot> {
        let probe = self.begin(index, key, |_| ());
        self.finish(index, probe, key, |_| ()).map(|(s, ())| s)
    }

    /// An object by qualified name (`T/name`, or a platform or tenant name).
    pub fn object_named(&self, name: &str) -> Option<u32> {
        self.lookup(sec::OBJECT_INDEX, name).map(|s| s.record)
    }

    /// The entity a qualified name declares (read from the name's slot:
    /// no object record is read).
    pub fn entity_named(&self, name: &str) -> Option<u32> {
        self.lookup(sec::OBJECT_INDEX, name)
            .map(|s| s.entity)
            .filter(|&e| e != NONE)
    }

    /// Begins looking up an object by name (see [`Table::finish_object`]):
    /// reads its slot, the first byte of that slot's name and the object
    /// record there, so that these reads overlap other work.
    #[inline]
    pub fn begin_object(&self, name: &str) -> Option<Probe<ObjectRec>> {
        self.begin(sec::OBJECT_INDEX, name, |s| self.object_rec(s.record))
    }

    /// Finishes a lookup begun with [`Table::begin_object`] for the same
    /// name: the object [`Table::object_named`] finds, and its record.
    #[inline]
    pub fn finish_object(
        &self,
        probe: Option<Probe<ObjectRec>>,
        name: &str,
    ) -> Option<(u32, ObjectRec)> {
        self.finish(sec::OBJECT_INDEX, probe, name, |s| {
            self.object_rec(s.record)
        })
        .map(|(s, r)| (s.record, r))
    }

    /// Begins looking up an entity by name, as [`Table::begin_object`]
    /// does an object: reads its slot and the entity record there.
    #[inline]
    pub fn begin_subject(&self, name: &str) -> Option<Probe<EntityRec>> {
        self.begin(sec::OBJECT_INDEX, name, |s| self.entity_rec(s.entity))
    }

    /// Finishes a lookup begun with [`Table::begin_subject`] for the same
    /// name: the entity [`Table::entity_named`] finds, and its record.
    #[inline]
    pub fn finish_subject(
        &self,
        probe: Option<Probe<EntityRec>>,
        name: &str,
    ) -> Option<(u32, EntityRec)> {
        self.finish(sec::OBJECT_INDEX, probe, name, |s| {
            self.entity_rec(s.entity)
        })
        .map(|(s, r)| (s.entity, r))
        .filter(|&(e, _)| e != NONE)
    }

    /// A principal group by qualified name.
    pub fn group_named(&self, name: &str) -> Option<u32> {
        self.lookup(sec::PGROUP_INDEX, name).map(|s| s.record)
    }

    /// An action by name.
    pub fn action_named(&self, name: &str) -> Option<u32> {
        self.lookup(sec::ACTION_INDEX, name).map(|s| s.record)
    }

    /// A type by name (`resource:channel`).
    pub fn type_named(&self, name: &str) -> Option<u32> {
        self.lookup(sec::TYPE_INDEX, name).map(|s| s.record)
    }

    /// A tenant by name.
    pub fn tenant_named(&self, name: &str) -> Option<u32> {
        self.lookup(sec::TENANT_INDEX, name).map(|s| s.record)
    }
}
