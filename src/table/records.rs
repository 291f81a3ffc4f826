//! Table: every record layout, described once; the reader, the validator and the compiler all use these.
//!
//! Each record type lists its fields with their byte offsets (the table in
//! [`super::format`] documents what they mean). From that one description
//! come: the record size ([`Record::SIZE`], and so [`RECORD`]),
//! a reader from bytes and a writer to bytes, and compile-time checks that
//! every field lies inside its record and no two fields overlap. Integers
//! are little-endian; padding is zero.

/// A fixed-size table record.
pub trait Record: Sized {
    /// The record's size in bytes.
    const SIZE: usize;
    /// Reads a record from its bytes; a field past the end of `bytes`
    /// reads as [`super::format::NONE`] (`u32`), `u16::MAX` or 0 (`u8`, `u64`).
    fn read(bytes: &[u8]) -> Self;
    /// Appends the record's bytes to `out`.
    fn write(&self, out: &mut Vec<u8>);
}

/// A field type.
trait Field: Copy {
    const WIDTH: usize;
    fn get(bytes: &[u8], at: usize) -> Self;
    fn put(self, bytes: &mut [u8], at: usize);
}

impl Field for u8 {
    const WIDTH: usize = 1;
    #[inline]
    fn get(bytes: &[u8], at: usize) -> Self {
        bytes.get(at).copied().unwrap_or(0)
    }
    fn put(self, bytes: &mut [u8], at: usize) {
        if let Some(b) = bytes.get_mut(at) {
            *b = self;
        }
    }
}

impl Field for u16 {
    const WIDTH: usize = 2;
    #[inline]
    fn get(bytes: &[u8], at: usize) -> Self {
        match bytes.get(at..at + 2) {
            Some(&[a, b]) => u16::from_le_bytes([a, b]),
            _ => u16::MAX,
        }
    }
    fn put(self, bytes: &mut [u8], at: usize) {
        if let Some(b) = bytes.get_mut(at..at + 2) {
            b.copy_from_slice(&self.to_le_bytes());
        }
    }
}

impl Field for u32 {
    const WIDTH: usize = 4;
    #[inline]
    fn get(bytes: &[u8], at: usize) -> Self {
        match bytes.get(at..at + 4) {
            Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
            _ => super::format::NONE,
        }
    }
    fn put(self, bytes: &mut [u8], at: usize) {
        if let Some(b) = bytes.get_mut(at..at + 4) {
            b.copy_from_slice(&self.to_le_bytes());
        }
    }
}

impl Field for u64 {
    const WIDTH: usize = 8;
    #[inline]
    fn get(bytes: &[u8], at: usize) -> Self {
        let mut x = [0u8; 8];
        if let Some(b) = bytes.get(at..at + 8) {
            x.copy_from_slice(b);
        }
        u64::from_le_bytes(x)
    }
    fn put(self, bytes: &mut [u8], at: usize) {
        if let Some(b) = bytes.get_mut(at..at + 8) {
            b.copy_from_slice(&self.to_le_bytes());
        }
    }
}

/// Whether fields `(offset, width)` lie inside `size` and do not overlap.
const fn fits(fields: &[(usize, usize)], size: usize) -> bool {
    let mut i = 0;
    while i < fields.len() {
        if fields[i].0 + fields[i].1 > size {
            return false;
        }
        let mut j = i + 1;
        while j < fields.len() {
            let (a, b) = (fields[i], fields[j]);
            if a.0 < b.0 + b.1 && b.0 < a.0 + a.1 {
                return false;
            }
            j += 1;
        }
        i += 1;
    }
    true
}

macro_rules! records {
    ($(
        $(#[$doc:meta])*
        $name:ident ($size:literal) {
            $( $(#[$fdoc:meta])* $field:ident : $ty:ident @ $at:literal ),* $(,)?
        }
    )*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name {
            $( $(#[$fdoc])* pub $field: $ty, )*
        }

        // INVARIANT: checked at compile time; a layout with a field outside
        // its record or two overlapping fields does not build.
        const _: () = assert!(fits(&[$( ($at, <$ty as Field>::WIDTH) ),*], $size));

        impl Record for $name {
            const SIZE: usize = $size;
            #[inline]
            fn read(bytes: &[u8]) -> Self {
                $name { $( $field: <$ty as Field>::get(bytes, $at), )* }
            }
            fn write(&self, out: &mut Vec<u8>) {
                let start = out.len();
                out.resize(start + $size, 0);
                let record = &mut out[start..];
                $( Field::put(self.$field, record, $at); )*
            }
        }
    )*};
}

records! {
    /// `STR_OFFSETS`: where string `i` starts in `STR_DATA`.
    StrOffset (4) { offset: u32 @ 0 }
    /// `STR_DATA`: one byte of string data.
    StrByte (1) { byte: u8 @ 0 }
    /// `TYPES`: a type's kind code and name (`resource:channel`).
    TypeRec (8) { kind: u8 @ 0, name: u32 @ 4 }
    /// `ACTIONS`: a name and its applicability rows (range into `ROWS`).
    ActionRec (12) { name: u32 @ 0, rows_start: u32 @ 4, rows_len: u32 @ 8 }
    /// `ROWS`: tag (0 kind, 1 type, 2 platform) and kind code or type id.
    RowRec (8) { tag: u8 @ 0, target: u32 @ 4 }
    /// `TENANTS`.
    TenantRec (20) {
        name: u32 @ 0, status: u8 @ 4, object: u32 @ 8, attrs_start: u32 @ 12, attrs_len: u32 @ 16,
    }
    /// `OBJECTS`: optional fields are `NONE` when absent. `name` is the
    /// name's byte offset in `STR_DATA` and `name_len` its length, or, when
    /// `name_len` is `LONG_NAME`, `name` is the name's string id.
    ObjectRec (32) {
        name: u32 @ 0, kind: u8 @ 4, name_len: u16 @ 6, ty: u32 @ 8, tenant: u32 @ 12,
        parent: u32 @ 16, attrs_start: u32 @ 20, attrs_len: u32 @ 24, entity: u32 @ 28,
    }
    /// `ENTITIES`: `merged` is a range into `GRANTS` (what the entity's
    /// principal groups give it), `sources` a range into `SOURCES` (the
    /// statements given to the entity itself).
    EntityRec (24) {
        object: u32 @ 0, kind: u8 @ 4, status: u8 @ 5, merged_start: u32 @ 8, merged_len: u32 @ 12,
        sources_start: u32 @ 16, sources_len: u32 @ 20,
    }
    /// `GROUPS`: an object group and its pre-order interval.
    GroupRec (16) { object: u32 @ 0, parent: u32 @ 4, pre: u32 @ 8, post: u32 @ 12 }
    /// `PGROUPS`: a principal group and the statements given to it (range into `SOURCES`).
    PGroupRec (20) {
        name: u32 @ 0, tenant: u32 @ 4, parent: u32 @ 8, sources_start: u32 @ 12, sources_len: u32 @ 16,
    }
    /// `BLOCKS`: `deny` is 0 or 1; `scope` a scope kind code with operands `a`, `b`.
    BlockRec (36) {
        object: u32 @ 0, deny: u8 @ 4, scope: u8 @ 5, tenant: u32 @ 8, a: u32 @ 12, b: u32 @ 16,
        actions_start: u32 @ 20, actions_len: u32 @ 24, conds_start: u32 @ 28, conds_len: u32 @ 32,
    }
    /// `BLOCK_ACTIONS`.
    BlockActionRec (4) { action: u32 @ 0 }
    /// `GRANTS`: one (action, block, via) entry of a grant list; `via` is
    /// `NONE` in a statement's list, whose source gives the via.
    GrantRec (12) { key: u32 @ 0, block: u32 @ 4, via: u32 @ 8 }
    /// `SOURCES`: a grant list (range into `GRANTS`) and the via it is
    /// reached through (`NONE` for a merged list, whose entries carry theirs).
    SourceRec (12) { grants_start: u32 @ 0, grants_len: u32 @ 4, via: u32 @ 8 }
    /// `VIAS`: `direct` is 0 for `assign`, 1 for `grant`; `group` 1 when the
    /// subject is a principal group; `given` the role or block object.
    ViaRec (12) { direct: u8 @ 0, group: u8 @ 1, given: u32 @ 4, subject: u32 @ 8 }
    /// `CONDS`: `value` is 1 when `right` is a value, 0 when it is a path.
    CondRec (12) { op: u8 @ 0, value: u8 @ 1, left: u32 @ 4, right: u32 @ 8 }
    /// `PATHS`.
    PathRec (12) { root: u8 @ 0, field: u8 @ 1, keys_start: u32 @ 4, keys_len: u32 @ 8 }
    /// `PATH_KEYS`: a string id.
    PathKeyRec (4) { key: u32 @ 0 }
    /// `VALUES`: a tag and its payload.
    ValueRec (16) { tag: u8 @ 0, payload: u64 @ 8 }
    /// `MAP_ENTRIES`: a key string id and a value id.
    MapEntryRec (8) { key: u32 @ 0, value: u32 @ 4 }
    /// The five name indexes: one slot (see [`hash`](super::hash)). `record`
    /// is the record named (`NONE`: an empty slot); `name` and `len` are the
    /// name's byte offset in `STR_DATA` and its length (or, when `len` is
    /// `LONG_NAME`, `name` is the name's string id); `tag` is 16 bits of the
    /// name's hash; `entity`, in the object index, the object's entity
    /// (`NONE` for other objects and in the other indexes).
    NameSlot (16) { record: u32 @ 0, name: u32 @ 4, len: u16 @ 8, tag: u16 @ 10, entity: u32 @ 12 }
    /// `GUARDRAILS`: the rule as written, a string id.
    GuardrailRec (4) { text: u32 @ 0 }
    /// `FORBIDDEN`: an allow grant that a guardrail forbids to an entity kind.
    ForbiddenRec (16) { block: u32 @ 0, action: u32 @ 4, kind: u8 @ 8, rule: u32 @ 12 }
    /// `MEMBERS`: a platform entity that joined a tenant.
    MemberRec (8) { entity: u32 @ 0, tenant: u32 @ 4 }
    /// `DOCS`: an object's `///` description.
    DocRec (8) { object: u32 @ 0, doc: u32 @ 4 }
}

/// The record size of each section, from the layouts in
/// this module (where each record is described once), in section order
/// ([`super::format::section`]).
pub const RECORD: [usize; super::format::SECTION_COUNT] = {
    [
        StrOffset::SIZE,
        StrByte::SIZE,
        TypeRec::SIZE,
        ActionRec::SIZE,
        RowRec::SIZE,
        TenantRec::SIZE,
        ObjectRec::SIZE,
        EntityRec::SIZE,
        GroupRec::SIZE,
        PGroupRec::SIZE,
        BlockRec::SIZE,
        BlockActionRec::SIZE,
        GrantRec::SIZE,
        ViaRec::SIZE,
        CondRec::SIZE,
        PathRec::SIZE,
        PathKeyRec::SIZE,
        ValueRec::SIZE,
        MapEntryRec::SIZE,
        NameSlot::SIZE,
        NameSlot::SIZE,
        NameSlot::SIZE,
        NameSlot::SIZE,
        NameSlot::SIZE,
        GuardrailRec::SIZE,
        ForbiddenRec::SIZE,
        MemberRec::SIZE,
        DocRec::SIZE,
        SourceRec::SIZE,
    ]
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_through_their_bytes() {
        let block = BlockRec {
            object: 7,
            deny: 1,
            scope: 4,
            tenant: super::super::format::NONE,
            a: 3,
            b: 9,
            actions_start: 10,
            actions_len: 2,
            conds_start: 0,
            conds_len: 1,
        };
        let mut bytes = Vec::new();
        block.write(&mut bytes);
        assert_eq!(bytes.len(), BlockRec::SIZE);
        assert_eq!(&bytes[4..8], &[1, 4, 0, 0]);
        assert_eq!(BlockRec::read(&bytes), block);
        // Missing bytes read as absent, never panic.
        assert_eq!(ObjectRec::read(&[]).ty, super::super::format::NONE);
    }

    #[test]
    fn overlapping_or_outside_fields_are_refused() {
        assert!(fits(&[(0, 4), (4, 1)], 8));
        assert!(!fits(&[(0, 4), (2, 4)], 8));
        assert!(!fits(&[(6, 4)], 8));
    }
}
