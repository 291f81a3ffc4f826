//! Table: reading a compiled policy table from untrusted bytes.
//!
//! [`Table::from_bytes`] checks the magic, version, checksum, and every
//! offset, length, index and code before it returns `Ok` (see
//! [`format`] for the layout and `validate` for the checks). After that,
//! accessors still read through bounds-checked `get`s, so even a bug in
//! validation yields a wrong answer, never a panic or an out-of-bounds read.
//! Nothing here allocates after loading. [`Table`] borrows its bytes;
//! [`OwnedTable`] owns them (behind `Arc`s) and lends a `Table` view.

pub mod crc32c;
pub mod format;
pub mod handle;
pub mod hash;
pub mod lookup;
pub mod records;
mod validate;

use format::{section as sec, HEADER_LEN, SECTION_COUNT};
use records::RECORD;
use records::*;

/// Why bytes are not a valid table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// Shorter than a header and directory.
    TooShort { len: usize },
    /// Not a table at all.
    BadMagic,
    /// A table of another format version.
    UnsupportedVersion { found: u32 },
    /// The directory disagrees with the file's size or layout.
    BadLayout { detail: String },
    /// The bytes were changed after the table was written.
    BadChecksum { stored: u32, computed: u32 },
    /// A record refers to something that does not exist, or holds an unknown code.
    BadRecord {
        section: &'static str,
        record: usize,
        detail: String,
    },
}

impl std::fmt::Display for LoadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoadError::TooShort { len } => write!(f, "the file is too short to be a policy table ({len} bytes)"),
            LoadError::BadMagic => write!(f, "not a policy table (wrong magic bytes)"),
            LoadError::UnsupportedVersion { found } => write!(
                f,
                "table format version {found} is not supported (this build reads version {})",
                format::VERSION
            ),
            LoadError::BadLayout { detail } => write!(f, "corrupt table layout: {detail}"),
            LoadError::BadChecksum { stored, computed } => write!(
                f,
                "checksum mismatch (stored {stored:08x}, computed {computed:08x}): the table is corrupt"
            ),
            LoadError::BadRecord { section, record, detail } => {
                write!(f, "corrupt table: {section} record {record}: {detail}")
            }
        }
    }
}

impl std::error::Error for LoadError {}

/// The largest table file [`read_file`] reads: 2 GiB (offsets in a table
/// are 32-bit, and a bound keeps a FIFO or device from being read forever).
pub const MAX_TABLE_BYTES: u64 = 1 << 31;

/// Reads a table file: only a regular file, and at most
/// [`MAX_TABLE_BYTES`]; anything else is an error, never an endless read.
pub fn read_file(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::{Error, ErrorKind, Read};
    // Checked before opening: opening a FIFO for reading blocks until a
    // writer comes.
    if !std::fs::metadata(path)?.is_file() {
        return Err(Error::new(ErrorKind::InvalidInput, "not a regular file"));
    }
    let file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_TABLE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_TABLE_BYTES {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!("larger than the {MAX_TABLE_BYTES}-byte limit of a table"),
        ));
    }
    Ok(bytes)
}

/// A validated, read-only view of a compiled policy table.
#[derive(Debug)]
pub struct Table<'a> {
    bytes: &'a [u8],
    sections: [(usize, usize); SECTION_COUNT],
    /// Each section's bytes, sliced once when the view is made, so that
    /// reading a record checks one bound instead of finding its section
    /// in `bytes` first.
    slices: [&'a [u8]; SECTION_COUNT],
    /// The string data, checked UTF-8 once at load; string `i` is the
    /// slice between offsets `i` and `i + 1`, each on a character boundary.
    text: &'a str,
    n_strings: usize,
}

/// A validated table that owns its bytes, behind `Arc`s so that a server can
/// share one among threads and swap it whole; [`OwnedTable::table`] is an
/// O(1) borrowed view. Loading checks every byte once, as
/// [`Table::from_bytes`] does.
#[derive(Clone, Debug)]
pub struct OwnedTable {
    bytes: std::sync::Arc<[u8]>,
    text: std::sync::Arc<str>,
    sections: [(usize, usize); SECTION_COUNT],
    n_strings: usize,
}

impl OwnedTable {
    /// Checks and takes a table's bytes.
    pub fn from_bytes(bytes: impl Into<std::sync::Arc<[u8]>>) -> Result<OwnedTable, LoadError> {
        let bytes: std::sync::Arc<[u8]> = bytes.into();
        let (text, sections, n_strings) = {
            let t = Table::from_bytes(&bytes)?;
            (std::sync::Arc::<str>::from(t.text), t.sections, t.n_strings)
        };
        Ok(OwnedTable {
            bytes,
            text,
            sections,
            n_strings,
        })
    }

    /// A view to decide from.
    pub fn table(&self) -> Table<'_> {
        Table::view(&self.bytes, self.sections, &self.text, self.n_strings)
    }

    /// The table's bytes, as loaded.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl<'a> Table<'a> {
    /// Checks and opens a table. Any corruption is an error value.
    pub fn from_bytes(bytes: &'a [u8]) -> Result<Table<'a>, LoadError> {
        validate::load(bytes)
    }

    /// A view of checked bytes whose sections lie at `sections` (the
    /// loader's and [`OwnedTable::table`]'s one constructor).
    fn view(
        bytes: &'a [u8],
        sections: [(usize, usize); SECTION_COUNT],
        text: &'a str,
        n_strings: usize,
    ) -> Table<'a> {
        let slices =
            sections.map(|(start, len)| bytes.get(start..start.saturating_add(len)).unwrap_or(&[]));
        Table {
            bytes,
            sections,
            slices,
            text,
            n_strings,
        }
    }

    /// The SHA-256 of the sources the table was compiled from.
    pub fn source_hash(&self) -> &'a [u8] {
        self.bytes.get(32..64).unwrap_or(&[])
    }

    /// The bytes of a section.
    #[inline]
    fn section(&self, s: usize) -> &'a [u8] {
        self.slices.get(s).copied().unwrap_or(&[])
    }

    /// How many records a section has.
    /// The size of section `s` in bytes (0 for an unknown section).
    pub fn section_len(&self, s: usize) -> usize {
        self.section(s).len()
    }

    /// How many records section `s` has.
    pub fn count(&self, s: usize) -> usize {
        self.section(s).len() / RECORD.get(s).copied().unwrap_or(1).max(1)
    }

    /// Record `i` of section `s`, read through its layout (absent fields
    /// of a record past the end read as `NONE` or 0).
    #[inline]
    pub fn record<R: Record>(&self, s: usize, i: u32) -> R {
        let at = (i as usize).saturating_mul(R::SIZE);
        R::read(
            self.section(s)
                .get(at..at.saturating_add(R::SIZE))
                .unwrap_or(&[]),
        )
    }

    /// A string by id ("" for an invalid id).
    pub fn str(&self, id: u32) -> &'a str {
        if id as usize >= self.n_strings {
            return "";
        }
        let a = self.record::<StrOffset>(sec::STR_OFFSETS, id).offset;
        let b = self.record::<StrOffset>(sec::STR_OFFSETS, id + 1).offset;
        self.text.get(a as usize..b as usize).unwrap_or("")
    }

    // Typed views: one record each, then one accessor per field the
    // evaluator reads (all through the layouts of `records.rs`).

    pub fn object_rec(&self, o: u32) -> ObjectRec {
        self.record(sec::OBJECTS, o)
    }
    pub fn entity_rec(&self, e: u32) -> EntityRec {
        self.record(sec::ENTITIES, e)
    }
    pub fn tenant(&self, t: u32) -> TenantRec {
        self.record(sec::TENANTS, t)
    }
    pub fn block(&self, b: u32) -> BlockRec {
        self.record(sec::BLOCKS, b)
    }
    pub fn pgroup(&self, g: u32) -> PGroupRec {
        self.record(sec::PGROUPS, g)
    }
    pub fn group(&self, g: u32) -> GroupRec {
        self.record(sec::GROUPS, g)
    }

    pub fn object_name(&self, o: u32) -> &'a str {
        let r = self.object_rec(o);
        if r.name_len == format::LONG_NAME {
            return self.str(r.name);
        }
        let at = r.name as usize;
        self.text
            .get(at..at + usize::from(r.name_len))
            .unwrap_or("")
    }
    pub fn object_kind(&self, o: u32) -> u8 {
        self.object_rec(o).kind
    }
    pub fn object_type(&self, o: u32) -> u32 {
        self.object_rec(o).ty
    }
    pub fn object_tenant(&self, o: u32) -> u32 {
        self.object_rec(o).tenant
    }
    pub fn object_parent(&self, o: u32) -> u32 {
        self.object_rec(o).parent
    }
    pub fn object_attributes(&self, o: u32) -> (u32, u32) {
        let r = self.object_rec(o);
        (r.attrs_start, r.attrs_len)
    }
    pub fn object_entity(&self, o: u32) -> u32 {
        self.object_rec(o).entity
    }

    pub fn entity_object(&self, e: u32) -> u32 {
        self.entity_rec(e).object
    }
    pub fn entity_kind(&self, e: u32) -> u8 {
        self.entity_rec(e).kind
    }
    pub fn entity_status(&self, e: u32) -> u8 {
        self.entity_rec(e).status
    }
    /// The statements given to an entity itself (range into `SOURCES`).
    pub fn entity_sources(&self, e: u32) -> (u32, u32) {
        let r = self.entity_rec(e);
        (r.sources_start, r.sources_len)
    }

    /// The merged list of what an entity's principal groups give it
    /// (range into `GRANTS`, each entry with its via).
    pub fn entity_merged(&self, e: u32) -> (u32, u32) {
        let r = self.entity_rec(e);
        (r.merged_start, r.merged_len)
    }

    /// Every grant entry that reaches an entity, as (action, block, via):
    /// its groups' merged list, then its own statements' (for analyses).
    pub fn entity_grants(&self, e: u32) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        let (start, len) = self.entity_merged(e);
        (start..start.saturating_add(len))
            .map(move |i| self.grant(i))
            .chain(self.grants_of(self.entity_sources(e)))
    }

    pub fn tenant_name(&self, t: u32) -> &'a str {
        self.str(self.tenant(t).name)
    }
    pub fn tenant_status(&self, t: u32) -> u8 {
        self.tenant(t).status
    }
    pub fn tenant_attributes(&self, t: u32) -> (u32, u32) {
        let r = self.tenant(t);
        (r.attrs_start, r.attrs_len)
    }

    pub fn type_kind(&self, t: u32) -> u8 {
        self.record::<TypeRec>(sec::TYPES, t).kind
    }
    pub fn type_name(&self, t: u32) -> &'a str {
        self.str(self.record::<TypeRec>(sec::TYPES, t).name)
    }

    pub fn action_name(&self, a: u32) -> &'a str {
        self.str(self.record::<ActionRec>(sec::ACTIONS, a).name)
    }
    pub fn action_rows(&self, a: u32) -> (u32, u32) {
        let r: ActionRec = self.record(sec::ACTIONS, a);
        (r.rows_start, r.rows_len)
    }
    pub fn row(&self, r: u32) -> (u8, u32) {
        let r: RowRec = self.record(sec::ROWS, r);
        (r.tag, r.target)
    }

    pub fn group_object(&self, g: u32) -> u32 {
        self.group(g).object
    }
    pub fn group_parent(&self, g: u32) -> u32 {
        self.group(g).parent
    }
    pub fn group_interval(&self, g: u32) -> (u32, u32) {
        let r = self.group(g);
        (r.pre, r.post)
    }

    pub fn pgroup_name(&self, g: u32) -> &'a str {
        self.str(self.pgroup(g).name)
    }
    pub fn pgroup_tenant(&self, g: u32) -> u32 {
        self.pgroup(g).tenant
    }
    pub fn pgroup_parent(&self, g: u32) -> u32 {
        self.pgroup(g).parent
    }
    /// The statements given to a principal group itself (range into `SOURCES`).
    pub fn pgroup_sources(&self, g: u32) -> (u32, u32) {
        let r = self.pgroup(g);
        (r.sources_start, r.sources_len)
    }

    pub fn block_object(&self, b: u32) -> u32 {
        self.block(b).object
    }
    pub fn block_deny(&self, b: u32) -> bool {
        self.block(b).deny == 1
    }
    pub fn block_scope(&self, b: u32) -> (u8, u32, u32) {
        let r = self.block(b);
        (r.scope, r.a, r.b)
    }
    pub fn block_tenant(&self, b: u32) -> u32 {
        self.block(b).tenant
    }
    pub fn block_actions(&self, b: u32) -> (u32, u32) {
        let r = self.block(b);
        (r.actions_start, r.actions_len)
    }
    pub fn block_action(&self, i: u32) -> u32 {
        self.record::<BlockActionRec>(sec::BLOCK_ACTIONS, i).action
    }
    pub fn block_conditions(&self, b: u32) -> (u32, u32) {
        let r = self.block(b);
        (r.conds_start, r.conds_len)
    }

    /// A grant entry: (action, block, via; `NONE` in a statement's list).
    #[inline]
    pub fn grant(&self, i: u32) -> (u32, u32, u32) {
        let r: GrantRec = self.record(sec::GRANTS, i);
        (r.key >> 1, r.block, r.via)
    }

    /// A grant entry as stored: (key, block, via), where the key is the
    /// action doubled, plus 1 for an allow; a list is sorted by key, then
    /// block and via, so each action's denies come before its allows.
    #[inline]
    pub fn grant_keyed(&self, i: u32) -> (u32, u32, u32) {
        let r: GrantRec = self.record(sec::GRANTS, i);
        (r.key, r.block, r.via)
    }

    /// A source: (its grant list, as a range into `GRANTS`; its via).
    #[inline]
    pub fn source(&self, s: u32) -> ((u32, u32), u32) {
        let r: SourceRec = self.record(sec::SOURCES, s);
        ((r.grants_start, r.grants_len), r.via)
    }

    /// Every grant entry a range of sources reaches, as (action, block,
    /// via), source by source (for analyses; deciding reads only the
    /// entries of one action).
    pub fn grants_of(
        &self,
        (start, len): (u32, u32),
    ) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        (start..start.saturating_add(len)).flat_map(move |s| {
            let ((gs, gl), via) = self.source(s);
            (gs..gs.saturating_add(gl)).map(move |i| {
                let (action, block, _) = self.grant(i);
                (action, block, via)
            })
        })
    }

    /// A via: (is a direct grant, subject is a group, given object, subject).
    pub fn via(&self, v: u32) -> (bool, bool, u32, u32) {
        let r: ViaRec = self.record(sec::VIAS, v);
        (r.direct == 1, r.group == 1, r.given, r.subject)
    }

    /// A condition: (operator, right is a value, left path, right path or value).
    pub fn condition(&self, c: u32) -> (u8, bool, u32, u32) {
        let r: CondRec = self.record(sec::CONDS, c);
        (r.op, r.value == 1, r.left, r.right)
    }

    /// A path: (root, field, keys start, keys length).
    pub fn path(&self, p: u32) -> (u8, u8, u32, u32) {
        let r: PathRec = self.record(sec::PATHS, p);
        (r.root, r.field, r.keys_start, r.keys_len)
    }
    pub fn path_key(&self, i: u32) -> &'a str {
        self.str(self.record::<PathKeyRec>(sec::PATH_KEYS, i).key)
    }

    /// A value: (tag, payload).
    pub fn value(&self, v: u32) -> (u8, u64) {
        let r: ValueRec = self.record(sec::VALUES, v);
        (r.tag, r.payload)
    }
    /// A map entry: (key string id, value).
    pub fn map_entry(&self, i: u32) -> (u32, u32) {
        let r: MapEntryRec = self.record(sec::MAP_ENTRIES, i);
        (r.key, r.value)
    }

    /// A guardrail rule as written, for explanations.
    pub fn guardrail_text(&self, g: u32) -> &'a str {
        self.str(self.record::<GuardrailRec>(sec::GUARDRAILS, g).text)
    }

    /// The guardrail that forbids an allow block's action to an entity
    /// kind, for the blocks principal groups receive (spec section 6.1).
    pub fn forbidden_by(&self, block: u32, action: u32, kind: u8) -> Option<u32> {
        let key = (block, action, kind);
        let (mut lo, mut hi) = (0usize, self.count(sec::FORBIDDEN));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.forbidden_key(mid).cmp(&key) {
                std::cmp::Ordering::Equal => {
                    return Some(self.record::<ForbiddenRec>(sec::FORBIDDEN, mid as u32).rule)
                }
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        None
    }

    pub(crate) fn forbidden_key(&self, i: usize) -> (u32, u32, u8) {
        let r: ForbiddenRec = self.record(sec::FORBIDDEN, i as u32);
        (r.block, r.action, r.kind)
    }

    /// Whether a platform entity joined a tenant with `member`.
    pub fn is_member(&self, entity: u32, tenant: u32) -> bool {
        let key = (entity, tenant);
        let (mut lo, mut hi) = (0usize, self.count(sec::MEMBERS));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.member(mid).cmp(&key) {
                std::cmp::Ordering::Equal => return true,
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        false
    }

    /// The `///` description of a declared object, if it has one.
    pub fn object_doc(&self, object: u32) -> Option<&'a str> {
        let (mut lo, mut hi) = (0usize, self.count(sec::DOCS));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let doc: DocRec = self.record(sec::DOCS, mid as u32);
            match doc.object.cmp(&object) {
                std::cmp::Ordering::Equal => return Some(self.str(doc.doc)),
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
            }
        }
        None
    }

    pub(crate) fn member(&self, i: usize) -> (u32, u32) {
        let r: MemberRec = self.record(sec::MEMBERS, i as u32);
        (r.entity, r.tenant)
    }

    pub fn entity_count(&self) -> usize {
        self.count(sec::ENTITIES)
    }
    pub fn object_count(&self) -> usize {
        self.count(sec::OBJECTS)
    }
    pub fn action_count(&self) -> usize {
        self.count(sec::ACTIONS)
    }
    pub fn block_count(&self) -> usize {
        self.count(sec::BLOCKS)
    }
    pub fn group_count(&self) -> usize {
        self.count(sec::GROUPS)
    }
    pub fn pgroup_count(&self) -> usize {
        self.count(sec::PGROUPS)
    }
    pub fn len(&self) -> usize {
        self.bytes.len()
    }
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
    pub fn header_len(&self) -> usize {
        HEADER_LEN
    }
}
