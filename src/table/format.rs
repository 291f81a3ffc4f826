//! Table: the binary format of a compiled policy table (`.atomc`), version 6.
//!
//! Every integer is little-endian. Every optional `u32` is [`NONE`]
//! (`0xFFFF_FFFF`) when absent. Records have fixed sizes, so a section's
//! length is a multiple of its record size and record `i` starts at
//! `i * size`. A "range" is two `u32`s, start and length, into another
//! section's records. Names are string ids into the string table.
//!
//! ```text
//! header (64 bytes)
//!   0  magic          8 bytes  "ATOMTBL\0"
//!   8  version        u32      6 (5 stored a grant entry's action, not its key, and sorted
//!                              each action's entries by block alone;
//!                              4 had 4-byte index slots holding only a record;
//!                              3 stored one flattened grant list per entity;
//!                              2 had no `KIND in G` or `all in G` scopes)
//!   12 section_count  u32      SECTION_COUNT (29)
//!   16 payload_len    u64      bytes after the header and directory
//!   24 checksum       u32      CRC32C of the whole file with these 4 bytes left out
//!   28 reserved       u32      0
//!   32 source_hash    32 bytes SHA-256 of the sources (lengths and contents, in file order)
//! directory (section_count x 8 bytes): offset u32, length u32, from the payload start
//! payload: the sections, in directory order
//! ```
//!
//! The sections and their records (each layout is declared once, in
//! `records.rs`, which the reader, the validator and the
//! compiler all use):
//!
//! | # | section | record | fields |
//! |---|---|---|---|
//! | 0 | `STR_OFFSETS` | 4 | `u32` offsets into `STR_DATA`; `n + 1` of them, from 0 to its length; string `i` is bytes `offsets[i]..offsets[i+1]`, UTF-8 |
//! | 1 | `STR_DATA` | 1 | the strings, sorted and distinct, so string ids order as strings do |
//! | 2 | `TYPES` | 8 | kind `u8`, 3 zero bytes, name `u32` (`resource:channel`) |
//! | 3 | `ACTIONS` | 12 | name `u32`, applicability rows (range into `ROWS`) |
//! | 4 | `ROWS` | 8 | tag `u8` (0 kind, 1 type, 2 platform), 3 zero bytes, kind code or type id `u32` |
//! | 5 | `TENANTS` | 20 | name `u32`, status `u8`, 3 zero bytes, object `u32`, attributes (range into `MAP_ENTRIES`) |
//! | 6 | `OBJECTS` | 32 | qualified name `u32`, kind `u8`, 1 zero byte, name length `u16`, type `u32?`, tenant `u32?`, parent object group `u32?`, attributes (range into `MAP_ENTRIES`), entity `u32?`. The name is the byte offset of the name's string in `STR_DATA` (so a lookup compares names without reading `STR_OFFSETS`: one cache miss fewer on a large table), or, when the length is [`LONG_NAME`] (names of 65,535 bytes or more), the name's string id |
//! | 7 | `ENTITIES` | 24 | object `u32`, kind `u8`, status `u8`, 2 zero bytes, merged grants (range into `GRANTS`): the merged list of what the entity's principal groups receive; sources (range into `SOURCES`): the statements given to the entity itself |
//! | 8 | `GROUPS` | 16 | object `u32`, parent group `u32?`, `pre` `u32`, `post` `u32`: a group's subtree is the groups whose `pre` is in `pre..post` |
//! | 9 | `PGROUPS` | 20 | qualified name `u32`, tenant `u32?`, parent `u32?`, the statements given to the group itself (range into `SOURCES`) |
//! | 10 | `BLOCKS` | 36 | object `u32`, effect `u8` (0 allow, 1 deny), scope kind `u8` (the `scope` codes below), 2 zero bytes, tenant `u32?` (the boundary), scope operands `a` and `b` (`u32`), actions (range into `BLOCK_ACTIONS`), conditions (range into `CONDS`) |
//! | 11 | `BLOCK_ACTIONS` | 4 | action id `u32` |
//! | 12 | `GRANTS` | 12 | key `u32` (the action doubled, plus 1 when the block allows; 0 when it denies, as the block says), block `u32`, via `u32?`: the grant lists, each stored once and sorted by (key, block, via), so that each action's denies come before its allows: one per role (its blocks and its included roles' blocks) and per block given directly, whose entries have no via (`NONE`: the source gives it); and one per set of principal groups that entities are in, merging what those groups receive, each entry with its via |
//! | 13 | `VIAS` | 12 | kind `u8` (0 assign, 1 grant), subject kind `u8` (0 entity, 1 principal group), 2 zero bytes, given (role or block object) `u32`, subject `u32`; sorted by statement, then subject |
//! | 14 | `CONDS` | 12 | operator `u8`, right tag `u8` (0 path, 1 value), 2 zero bytes, left path `u32`, right path or value `u32` |
//! | 15 | `PATHS` | 12 | root `u8`, field `u8`, 2 zero bytes, keys (range into `PATH_KEYS`) |
//! | 16 | `PATH_KEYS` | 4 | string id `u32` |
//! | 17 | `VALUES` | 16 | tag `u8`, 7 zero bytes, payload `u64`: string id, `i64`, the string id of a decimal's canonical text (`value::decimal`), 0/1, or (for lists and maps) start in the low and length in the high 32 bits, into `VALUES` or `MAP_ENTRIES` |
//! | 18 | `MAP_ENTRIES` | 8 | key string id `u32`, value `u32`; each map sorted by key |
//! | 19 | `OBJECT_INDEX` | 16 | hash index of object names (see [`super::hash`]): record (object) `u32?` (`NONE`: an empty slot), name `u32`, name length `u16`, tag `u16`, entity `u32?`. The name is given as in `OBJECTS` (byte offset, or string id for a long name); the tag is bits 16..32 of the name's hash (`hash::key_hash`); entity is the object's entity. Empty slots hold `NONE`, 0, 0, `NONE` |
//! | 20 | `PGROUP_INDEX` | 16 | hash index of principal group names (slots as in `OBJECT_INDEX`, entity `NONE`) |
//! | 21 | `ACTION_INDEX` | 16 | hash index of action names (the same) |
//! | 22 | `TYPE_INDEX` | 16 | hash index of type names (the same) |
//! | 23 | `TENANT_INDEX` | 16 | hash index of tenant names (the same) |
//! | 24 | `GUARDRAILS` | 4 | the rule as written (`guardrail deny device delete on resource absolute`, with `in tenant T` for a tenant rule), a string id; for explanations |
//! | 25 | `FORBIDDEN` | 16 | block `u32`, action `u32`, entity kind `u8`, 3 zero bytes, guardrail `u32`: the allow grants that section 9 forbids to an entity kind; sorted by (block, action, kind), distinct. Only blocks that principal groups receive are listed: a described subject gets a group's grant only if it is not listed for its kind (spec section 6.1) |
//! | 26 | `MEMBERS` | 8 | entity `u32`, tenant `u32`: platform entities that joined a tenant with `member`; sorted, distinct |
//! | 27 | `DOCS` | 8 | object `u32`, doc string id `u32`: the `///` description of a declaration, for explanations; sorted by object, distinct |
//! | 28 | `SOURCES` | 12 | grant list (range into `GRANTS`), via `u32`: one statement given to a subject itself (the statement's list and its via). A principal group's and an entity's sources are sorted by via; identical source lists are stored once |
//!
//! A subject's grants are therefore shared: every entity in the same
//! principal groups points at one merged list (from its own record, so the
//! common case reads no source record), and every statement giving a role
//! at the role's one list, so the table grows with statements and group
//! sets, not with entities times blocks. A decision reads the entity's
//! merged list and its own statements' lists and, in each, only the
//! entries of its action (a binary search). A grant
//! list that is not sorted gives wrong answers, never a panic or an
//! out-of-bounds read; the loader does not re-sort lists.
//!
//! Principal groups are objects of kind `group` too (an `OBJECTS` record
//! with no type, parent or entity), so scopes and requests can name them.
//!
//! Codes are those of the vocabulary (`crate::kinds`): object kinds
//! ([`ObjectKind`](crate::kinds::ObjectKind), 0 entity ... 8 signing_key),
//! entity kinds ([`EntityKind`](crate::kinds::EntityKind), 0 human ... 4
//! application), statuses ([`EntityStatus`](crate::kinds::EntityStatus),
//! [`TenantStatus`](crate::kinds::TenantStatus), 0 active). Scope kinds: 0 all; 1 kind (`a` = kind); 2 type (`a` = type);
//! 3 object (`a` = object); 4, 5, 6 a type `in`, `within`, `beneath` a group
//! (`a` = type, `b` = group); 7, 8, 9 `group in`, `within`, `beneath` a group
//! (`b` = group). Operators are [`CmpOp`](crate::kinds::CmpOp) codes (0 `==`
//! ... 7 `contains`); path roots [`PathRoot`](crate::kinds::PathRoot) codes
//! (0 entity ... 3 context); fields [`Field`](crate::kinds::Field) codes (0
//! id ... 6 attributes), or [`NO_FIELD`] for context. Value tags 0 string, 1 integer, 2 decimal, 3 boolean, 4 list,
//! 5 map; a list's or map's items come after it (so values nest without
//! cycles), at most [`MAX_VALUE_DEPTH`] deep.

pub use super::hash::NONE;

pub const MAGIC: [u8; 8] = *b"ATOMTBL\0";
/// An object name length that says the name is given by string id.
pub const LONG_NAME: u16 = u16::MAX;
pub const VERSION: u32 = 6;
pub const HEADER_LEN: usize = 64;
pub const CHECKSUM_AT: usize = 24;
pub const SECTION_COUNT: usize = 29;
pub const MAX_VALUE_DEPTH: usize = 32;
/// The most keys a condition path or a test's context entry may read after
/// its root and field (`context.a.b` reads 2); more is a compile error.
pub const MAX_PATH_KEYS: usize = 32;

/// Section numbers, in directory order.
pub mod section {
    pub const STR_OFFSETS: usize = 0;
    pub const STR_DATA: usize = 1;
    pub const TYPES: usize = 2;
    pub const ACTIONS: usize = 3;
    pub const ROWS: usize = 4;
    pub const TENANTS: usize = 5;
    pub const OBJECTS: usize = 6;
    pub const ENTITIES: usize = 7;
    pub const GROUPS: usize = 8;
    pub const PGROUPS: usize = 9;
    pub const BLOCKS: usize = 10;
    pub const BLOCK_ACTIONS: usize = 11;
    pub const GRANTS: usize = 12;
    pub const VIAS: usize = 13;
    pub const CONDS: usize = 14;
    pub const PATHS: usize = 15;
    pub const PATH_KEYS: usize = 16;
    pub const VALUES: usize = 17;
    pub const MAP_ENTRIES: usize = 18;
    pub const OBJECT_INDEX: usize = 19;
    pub const PGROUP_INDEX: usize = 20;
    pub const ACTION_INDEX: usize = 21;
    pub const TYPE_INDEX: usize = 22;
    pub const TENANT_INDEX: usize = 23;
    pub const GUARDRAILS: usize = 24;
    pub const FORBIDDEN: usize = 25;
    pub const MEMBERS: usize = 26;
    pub const DOCS: usize = 27;
    pub const SOURCES: usize = 28;

    /// Names for error messages.
    pub const NAMES: [&str; super::SECTION_COUNT] = [
        "string offsets",
        "string data",
        "types",
        "actions",
        "applicability rows",
        "tenants",
        "objects",
        "entities",
        "object groups",
        "principal groups",
        "blocks",
        "block actions",
        "grants",
        "grant paths",
        "conditions",
        "paths",
        "path keys",
        "values",
        "map entries",
        "object index",
        "principal group index",
        "action index",
        "type index",
        "tenant index",
        "guardrails",
        "forbidden grants",
        "tenant members",
        "descriptions",
        "grant sources",
    ];
}

/// Scope kind codes.
pub mod scope {
    pub const ALL: u8 = 0;
    pub const KIND: u8 = 1;
    pub const TYPE: u8 = 2;
    pub const OBJECT: u8 = 3;
    pub const TYPE_IN: u8 = 4;
    pub const TYPE_WITHIN: u8 = 5;
    pub const TYPE_BENEATH: u8 = 6;
    pub const GROUP_IN: u8 = 7;
    pub const GROUP_WITHIN: u8 = 8;
    pub const GROUP_BENEATH: u8 = 9;
    /// `KIND in|within|beneath G`: `a` is the kind code.
    pub const KIND_IN: u8 = 10;
    pub const KIND_WITHIN: u8 = 11;
    pub const KIND_BENEATH: u8 = 12;
    /// `all in|within|beneath G`.
    pub const ALL_IN: u8 = 13;
    pub const ALL_WITHIN: u8 = 14;
    pub const ALL_BENEATH: u8 = 15;
}

/// Value tags.
pub mod tag {
    pub const STR: u8 = 0;
    pub const INT: u8 = 1;
    pub const DEC: u8 = 2;
    pub const BOOL: u8 = 3;
    pub const LIST: u8 = 4;
    pub const MAP: u8 = 5;
}

/// The field code of a path that has no field (`context.*`): one past
/// the last [`Field`](crate::kinds::Field) code.
pub const NO_FIELD: u8 = crate::kinds::Field::ALL.len() as u8;
