//! Table: the checks `Table::from_bytes` makes before it trusts any byte.
//!
//! Layout first (magic, version, directory), then the checksum, then every
//! record: string ids, record indices and ranges in bounds, codes known,
//! values nested without cycles and not too deep. One pass over each
//! section, so loading costs time linear in the table's size.

use super::format::{self, scope, section as sec, tag, HEADER_LEN, NONE, SECTION_COUNT};
use super::records::RECORD;
use super::records::*;
use super::{crc32c, hash, LoadError, Table};
use crate::kinds::{CmpOp, EntityKind, EntityStatus, ObjectKind, PathRoot, TenantStatus};

fn le32(b: &[u8], at: usize) -> u32 {
    match b.get(at..at + 4) {
        Some(&[a, b1, c, d]) => u32::from_le_bytes([a, b1, c, d]),
        _ => 0,
    }
}

fn le64(b: &[u8], at: usize) -> u64 {
    let mut x = [0u8; 8];
    if let Some(s) = b.get(at..at + 8) {
        x.copy_from_slice(s);
    }
    u64::from_le_bytes(x)
}

/// Checks bytes and builds the table view.
pub(super) fn load(bytes: &[u8]) -> Result<Table<'_>, LoadError> {
    let dir_len = SECTION_COUNT * 8;
    if bytes.len() < HEADER_LEN + dir_len {
        return Err(LoadError::TooShort { len: bytes.len() });
    }
    if bytes[..8] != format::MAGIC {
        return Err(LoadError::BadMagic);
    }
    let version = le32(bytes, 8);
    if version != format::VERSION {
        return Err(LoadError::UnsupportedVersion { found: version });
    }
    let layout = |detail: String| LoadError::BadLayout { detail };
    if le32(bytes, 12) as usize != SECTION_COUNT {
        return Err(layout(format!(
            "{} sections, expected {SECTION_COUNT}",
            le32(bytes, 12)
        )));
    }
    let payload_start = HEADER_LEN + dir_len;
    let payload_len = le64(bytes, 16);
    if payload_len != (bytes.len() - payload_start) as u64 {
        return Err(layout(format!(
            "the header says {payload_len} payload bytes, the file has {}",
            bytes.len() - payload_start
        )));
    }
    if le32(bytes, 28) != 0 {
        return Err(layout("reserved header bytes are not zero".to_string()));
    }
    let stored = le32(bytes, format::CHECKSUM_AT);
    let computed = crc32c::update(
        crc32c::crc32c(&bytes[..format::CHECKSUM_AT]),
        &bytes[format::CHECKSUM_AT + 4..],
    );
    if stored != computed {
        return Err(LoadError::BadChecksum { stored, computed });
    }

    let sections = directory(bytes, payload_start)?;
    let (text, n_strings) = strings(bytes, &sections)?;
    let table = Table::view(bytes, sections, text, n_strings);
    Check { t: &table }.records()?;
    Ok(table)
}

/// The section directory: each section's start and length, inside the
/// file and a whole number of records.
fn directory(
    bytes: &[u8],
    payload_start: usize,
) -> Result<[(usize, usize); SECTION_COUNT], LoadError> {
    let layout = |detail: String| LoadError::BadLayout { detail };
    let mut sections = [(0usize, 0usize); SECTION_COUNT];
    for (s, slot) in sections.iter_mut().enumerate() {
        let offset = le32(bytes, HEADER_LEN + s * 8) as usize;
        let len = le32(bytes, HEADER_LEN + s * 8 + 4) as usize;
        let start = payload_start.checked_add(offset);
        let end = start.and_then(|x| x.checked_add(len));
        match (start, end) {
            (Some(start), Some(end)) if end <= bytes.len() && len.is_multiple_of(RECORD[s]) => {
                *slot = (start, len)
            }
            _ => {
                return Err(layout(format!(
                "section `{}` ({len} bytes at {offset}) does not fit the file or its record size",
                sec::NAMES[s]
            )))
            }
        }
    }

    Ok(sections)
}

/// The string table: the data is UTF-8, and the offsets rise from 0 to its
/// length, each on a character boundary (so every string between two is
/// UTF-8 too). Returns the data as text and the number of strings.
fn strings<'a>(
    bytes: &'a [u8],
    sections: &[(usize, usize); SECTION_COUNT],
) -> Result<(&'a str, usize), LoadError> {
    let layout = |detail: String| LoadError::BadLayout { detail };
    let offsets = &bytes[sections[sec::STR_OFFSETS].0..][..sections[sec::STR_OFFSETS].1];
    let data = &bytes[sections[sec::STR_DATA].0..][..sections[sec::STR_DATA].1];
    let n_offsets = offsets.len() / 4;
    if n_offsets == 0
        || le32(offsets, 0) != 0
        || le32(offsets, (n_offsets - 1) * 4) as usize != data.len()
    {
        return Err(layout(
            "the string offsets do not span the string data".to_string(),
        ));
    }
    let text = std::str::from_utf8(data).map_err(|e| {
        layout(format!(
            "the string data is not UTF-8 (at byte {})",
            e.valid_up_to()
        ))
    })?;
    for i in 0..n_offsets - 1 {
        let (a, b) = (
            le32(offsets, i * 4) as usize,
            le32(offsets, i * 4 + 4) as usize,
        );
        if a > b || !text.is_char_boundary(b) {
            return Err(bad(
                sec::STR_OFFSETS,
                i,
                "not a valid UTF-8 string range".to_string(),
            ));
        }
    }
    Ok((text, n_offsets - 1))
}

/// How many codes a vocabulary has.
fn count<T>(all: &[T]) -> u8 {
    u8::try_from(all.len()).unwrap_or(u8::MAX)
}

fn bad(s: usize, record: usize, detail: String) -> LoadError {
    LoadError::BadRecord {
        section: sec::NAMES[s],
        record,
        detail,
    }
}

struct Check<'t, 'a> {
    t: &'t Table<'a>,
}

impl Check<'_, '_> {
    fn n(&self, s: usize) -> usize {
        self.t.count(s)
    }

    /// `value` must index a record of `target` (or be NONE when `optional`).
    fn index(
        &self,
        s: usize,
        r: usize,
        what: &str,
        value: u32,
        target: usize,
        optional: bool,
    ) -> Result<(), LoadError> {
        if (optional && value == NONE) || (value as usize) < self.n(target) {
            Ok(())
        } else {
            Err(bad(s, r, format!("{what} {value} is out of range")))
        }
    }

    /// An object's name: a string id for a long name, else a byte range of
    /// `STR_DATA` on character boundaries.
    fn object_name(&self, i: usize) -> Result<(), LoadError> {
        let r = self.t.object_rec(i as u32);
        if r.name_len == format::LONG_NAME {
            return self.string(sec::OBJECTS, i, "name", r.name);
        }
        let at = r.name as usize;
        if self.t.text.get(at..at + usize::from(r.name_len)).is_none() {
            return Err(bad(
                sec::OBJECTS,
                i,
                format!(
                    "name bytes {at}..{} are not text of the string table",
                    at + usize::from(r.name_len)
                ),
            ));
        }
        Ok(())
    }

    fn string(&self, s: usize, r: usize, what: &str, id: u32) -> Result<(), LoadError> {
        if (id as usize) < self.t.n_strings {
            Ok(())
        } else {
            Err(bad(
                s,
                r,
                format!("{what} names string {id}, which does not exist"),
            ))
        }
    }

    fn range(
        &self,
        s: usize,
        r: usize,
        what: &str,
        (start, len): (u32, u32),
        target: usize,
    ) -> Result<(), LoadError> {
        match (start as usize).checked_add(len as usize) {
            Some(end) if end <= self.n(target) => Ok(()),
            _ => Err(bad(s, r, format!("{what} {start}+{len} is out of range"))),
        }
    }

    fn code(&self, s: usize, r: usize, what: &str, value: u8, below: u8) -> Result<(), LoadError> {
        if value < below {
            Ok(())
        } else {
            Err(bad(s, r, format!("unknown {what} code {value}")))
        }
    }

    fn records(&self) -> Result<(), LoadError> {
        self.vocabulary()?;
        self.tenants_and_objects()?;
        self.principals()?;
        self.blocks()?;
        self.grants()?;
        self.conditions()?;
        self.values()?;
        self.guardrails()?;
        self.indexes()
    }

    /// Types, actions and applicability rows.
    fn vocabulary(&self) -> Result<(), LoadError> {
        let t = self.t;
        for i in 0..self.n(sec::TYPES) {
            self.code(
                sec::TYPES,
                i,
                "kind",
                t.record::<TypeRec>(sec::TYPES, i as u32).kind,
                count(&ObjectKind::ALL),
            )?;
            self.string(
                sec::TYPES,
                i,
                "name",
                t.record::<TypeRec>(sec::TYPES, i as u32).name,
            )?;
        }
        for i in 0..self.n(sec::ACTIONS) {
            self.string(
                sec::ACTIONS,
                i,
                "name",
                t.record::<ActionRec>(sec::ACTIONS, i as u32).name,
            )?;
            self.range(sec::ACTIONS, i, "rows", t.action_rows(i as u32), sec::ROWS)?;
        }
        for i in 0..self.n(sec::ROWS) {
            let (tag, v) = t.row(i as u32);
            match tag {
                0 if v < u32::from(count(&ObjectKind::ALL)) => {}
                1 => self.index(sec::ROWS, i, "type", v, sec::TYPES, false)?,
                2 => {}
                _ => return Err(bad(sec::ROWS, i, format!("unknown row {tag}/{v}"))),
            }
        }
        Ok(())
    }

    /// Tenants and objects.
    fn tenants_and_objects(&self) -> Result<(), LoadError> {
        let t = self.t;
        for i in 0..self.n(sec::TENANTS) {
            self.string(sec::TENANTS, i, "name", t.tenant(i as u32).name)?;
            self.code(
                sec::TENANTS,
                i,
                "status",
                t.tenant_status(i as u32),
                count(&TenantStatus::ALL),
            )?;
            self.index(
                sec::TENANTS,
                i,
                "object",
                t.tenant(i as u32).object,
                sec::OBJECTS,
                false,
            )?;
            self.range(
                sec::TENANTS,
                i,
                "attributes",
                t.tenant_attributes(i as u32),
                sec::MAP_ENTRIES,
            )?;
        }
        for i in 0..self.n(sec::OBJECTS) {
            let o = i as u32;
            self.object_name(i)?;
            self.code(
                sec::OBJECTS,
                i,
                "kind",
                t.object_kind(o),
                count(&ObjectKind::ALL),
            )?;
            self.index(sec::OBJECTS, i, "type", t.object_type(o), sec::TYPES, true)?;
            self.index(
                sec::OBJECTS,
                i,
                "tenant",
                t.object_tenant(o),
                sec::TENANTS,
                true,
            )?;
            self.index(
                sec::OBJECTS,
                i,
                "parent",
                t.object_parent(o),
                sec::GROUPS,
                true,
            )?;
            self.range(
                sec::OBJECTS,
                i,
                "attributes",
                t.object_attributes(o),
                sec::MAP_ENTRIES,
            )?;
            self.index(
                sec::OBJECTS,
                i,
                "entity",
                t.object_entity(o),
                sec::ENTITIES,
                true,
            )?;
        }
        Ok(())
    }

    /// Entities: object, codes, merged grants and sources in range.
    fn entities(&self) -> Result<(), LoadError> {
        let t = self.t;
        for i in 0..self.n(sec::ENTITIES) {
            let e = i as u32;
            self.index(
                sec::ENTITIES,
                i,
                "object",
                t.entity_object(e),
                sec::OBJECTS,
                false,
            )?;
            self.code(
                sec::ENTITIES,
                i,
                "entity kind",
                t.entity_kind(e),
                count(&EntityKind::ALL),
            )?;
            self.code(
                sec::ENTITIES,
                i,
                "status",
                t.entity_status(e),
                count(&EntityStatus::ALL),
            )?;
            self.range(
                sec::ENTITIES,
                i,
                "sources",
                t.entity_sources(e),
                sec::SOURCES,
            )?;
            self.range(
                sec::ENTITIES,
                i,
                "merged grants",
                t.entity_merged(e),
                sec::GRANTS,
            )?;
        }
        Ok(())
    }

    /// Entities, object groups and principal groups.
    fn principals(&self) -> Result<(), LoadError> {
        self.entities()?;
        let t = self.t;
        for i in 0..self.n(sec::GROUPS) {
            let g = i as u32;
            self.index(
                sec::GROUPS,
                i,
                "object",
                t.group_object(g),
                sec::OBJECTS,
                false,
            )?;
            self.index(
                sec::GROUPS,
                i,
                "parent",
                t.group_parent(g),
                sec::GROUPS,
                true,
            )?;
        }
        for i in 0..self.n(sec::PGROUPS) {
            let g = i as u32;
            self.string(sec::PGROUPS, i, "name", t.pgroup(i as u32).name)?;
            self.index(
                sec::PGROUPS,
                i,
                "tenant",
                t.pgroup(i as u32).tenant,
                sec::TENANTS,
                true,
            )?;
            self.index(
                sec::PGROUPS,
                i,
                "parent",
                t.pgroup_parent(g),
                sec::PGROUPS,
                true,
            )?;
            self.range(
                sec::PGROUPS,
                i,
                "sources",
                t.pgroup_sources(g),
                sec::SOURCES,
            )?;
        }
        Ok(())
    }

    /// Blocks: object, effect, boundary, scope and their ranges.
    fn blocks(&self) -> Result<(), LoadError> {
        for i in 0..self.n(sec::BLOCKS) {
            let r = self.t.block(i as u32);
            let s = sec::BLOCKS;
            self.index(s, i, "object", r.object, sec::OBJECTS, false)?;
            self.code(s, i, "effect", r.deny, 2)?;
            self.index(s, i, "tenant", r.tenant, sec::TENANTS, true)?;
            let (a, g) = (r.a, r.b);
            match r.scope {
                scope::ALL => {}
                scope::KIND if a < u32::from(count(&ObjectKind::ALL)) => {}
                scope::TYPE => self.index(s, i, "scope type", a, sec::TYPES, false)?,
                scope::OBJECT => self.index(s, i, "scope object", a, sec::OBJECTS, false)?,
                scope::TYPE_IN | scope::TYPE_WITHIN | scope::TYPE_BENEATH => {
                    self.index(s, i, "scope type", a, sec::TYPES, false)?;
                    self.index(s, i, "scope group", g, sec::GROUPS, false)?;
                }
                scope::GROUP_IN | scope::GROUP_WITHIN | scope::GROUP_BENEATH => {
                    self.index(s, i, "scope group", g, sec::GROUPS, false)?
                }
                scope::KIND_IN | scope::KIND_WITHIN | scope::KIND_BENEATH
                    if a < u32::from(count(&ObjectKind::ALL)) =>
                {
                    self.index(s, i, "scope group", g, sec::GROUPS, false)?
                }
                scope::ALL_IN | scope::ALL_WITHIN | scope::ALL_BENEATH => {
                    self.index(s, i, "scope group", g, sec::GROUPS, false)?
                }
                kind => return Err(bad(s, i, format!("unknown scope {kind}/{a}"))),
            }
            let actions = (r.actions_start, r.actions_len);
            self.range(s, i, "actions", actions, sec::BLOCK_ACTIONS)?;
            let conditions = (r.conds_start, r.conds_len);
            self.range(s, i, "conditions", conditions, sec::CONDS)?;
        }
        Ok(())
    }

    /// Block actions, grant entries, sources and grant paths.
    fn grants(&self) -> Result<(), LoadError> {
        let t = self.t;
        for i in 0..self.n(sec::BLOCK_ACTIONS) {
            let action = t.block_action(i as u32);
            self.index(sec::BLOCK_ACTIONS, i, "action", action, sec::ACTIONS, false)?;
        }
        for i in 0..self.n(sec::GRANTS) {
            let r: GrantRec = t.record(sec::GRANTS, i as u32);
            self.index(sec::GRANTS, i, "action", r.key >> 1, sec::ACTIONS, false)?;
            self.index(sec::GRANTS, i, "block", r.block, sec::BLOCKS, false)?;
            if (r.key & 1 == 0) != t.block_deny(r.block) {
                return Err(bad(
                    sec::GRANTS,
                    i,
                    "the key's effect is not its block's".to_string(),
                ));
            }
            self.index(sec::GRANTS, i, "via", r.via, sec::VIAS, true)?;
        }
        for i in 0..self.n(sec::SOURCES) {
            let ((start, len), via) = t.source(i as u32);
            self.range(sec::SOURCES, i, "grants", (start, len), sec::GRANTS)?;
            self.index(sec::SOURCES, i, "via", via, sec::VIAS, false)?;
        }
        for i in 0..self.n(sec::VIAS) {
            let r: ViaRec = t.record(sec::VIAS, i as u32);
            self.code(sec::VIAS, i, "statement", r.direct, 2)?;
            self.code(sec::VIAS, i, "subject kind", r.group, 2)?;
            self.index(sec::VIAS, i, "given", r.given, sec::OBJECTS, false)?;
            let target = if r.group == 1 {
                sec::PGROUPS
            } else {
                sec::ENTITIES
            };
            self.index(sec::VIAS, i, "subject", r.subject, target, false)?;
        }
        Ok(())
    }

    /// Conditions, paths, path keys and map entries.
    fn conditions(&self) -> Result<(), LoadError> {
        let t = self.t;
        for i in 0..self.n(sec::CONDS) {
            let (op, value, left, right) = t.condition(i as u32);
            self.code(sec::CONDS, i, "operator", op, count(&CmpOp::ALL))?;
            self.code(
                sec::CONDS,
                i,
                "operand tag",
                t.record::<CondRec>(sec::CONDS, i as u32).value,
                2,
            )?;
            self.index(sec::CONDS, i, "left path", left, sec::PATHS, false)?;
            let target = if value { sec::VALUES } else { sec::PATHS };
            self.index(sec::CONDS, i, "right operand", right, target, false)?;
        }
        for i in 0..self.n(sec::PATHS) {
            let (root, field, ks, kl) = t.path(i as u32);
            self.code(sec::PATHS, i, "root", root, count(&PathRoot::ALL))?;
            self.code(sec::PATHS, i, "field", field, format::NO_FIELD + 1)?;
            self.range(sec::PATHS, i, "keys", (ks, kl), sec::PATH_KEYS)?;
        }
        for i in 0..self.n(sec::PATH_KEYS) {
            self.string(
                sec::PATH_KEYS,
                i,
                "key",
                t.record::<PathKeyRec>(sec::PATH_KEYS, i as u32).key,
            )?;
        }
        for i in 0..self.n(sec::MAP_ENTRIES) {
            let (k, v) = t.map_entry(i as u32);
            self.string(sec::MAP_ENTRIES, i, "key", k)?;
            self.index(sec::MAP_ENTRIES, i, "value", v, sec::VALUES, false)?;
        }
        Ok(())
    }

    /// The name indexes: each a faithful map from the names of its
    /// section's records to those records (see [`index_slots`]).
    fn indexes(&self) -> Result<(), LoadError> {
        let t = self.t;
        for index in [
            sec::OBJECT_INDEX,
            sec::PGROUP_INDEX,
            sec::ACTION_INDEX,
            sec::TYPE_INDEX,
            sec::TENANT_INDEX,
        ] {
            // Whether a slot names its record's name (and entity). An
            // object's name is compared as a position, which the object
            // records' check has shown to be text: one read, not two.
            let agrees = |s: &NameSlot| -> bool {
                let name = match index {
                    sec::OBJECT_INDEX => {
                        let r = t.object_rec(s.record);
                        return (s.name, s.len, s.entity) == (r.name, r.name_len, r.entity);
                    }
                    sec::PGROUP_INDEX => t.str(t.pgroup(s.record).name),
                    sec::ACTION_INDEX => t.action_name(s.record),
                    sec::TYPE_INDEX => t.type_name(s.record),
                    _ => t.tenant_name(s.record),
                };
                t.slot_name(s) == name.as_bytes() && s.entity == NONE
            };
            index_slots(t, index, &agrees)?;
        }
        Ok(())
    }

    /// Guardrail texts, forbidden grants and tenant members: indices in
    /// range, codes known, each list strictly sorted (the evaluator
    /// binary-searches them).
    fn guardrails(&self) -> Result<(), LoadError> {
        let t = self.t;
        for i in 0..self.n(sec::GUARDRAILS) {
            self.string(
                sec::GUARDRAILS,
                i,
                "text",
                t.record::<GuardrailRec>(sec::GUARDRAILS, i as u32).text,
            )?;
        }
        for i in 0..self.n(sec::FORBIDDEN) {
            let (block, action, kind) = t.forbidden_key(i);
            self.index(sec::FORBIDDEN, i, "block", block, sec::BLOCKS, false)?;
            self.index(sec::FORBIDDEN, i, "action", action, sec::ACTIONS, false)?;
            self.code(
                sec::FORBIDDEN,
                i,
                "entity kind",
                kind,
                count(&EntityKind::ALL),
            )?;
            let rule = t.record::<ForbiddenRec>(sec::FORBIDDEN, i as u32).rule;
            self.index(sec::FORBIDDEN, i, "guardrail", rule, sec::GUARDRAILS, false)?;
            if i > 0 && t.forbidden_key(i - 1) >= (block, action, kind) {
                return Err(bad(sec::FORBIDDEN, i, "not sorted".to_string()));
            }
        }
        for i in 0..self.n(sec::DOCS) {
            let object = t.record::<DocRec>(sec::DOCS, i as u32).object;
            self.index(sec::DOCS, i, "object", object, sec::OBJECTS, false)?;
            self.string(
                sec::DOCS,
                i,
                "description",
                t.record::<DocRec>(sec::DOCS, i as u32).doc,
            )?;
            if i > 0 && t.record::<DocRec>(sec::DOCS, (i - 1) as u32).object >= object {
                return Err(bad(sec::DOCS, i, "not sorted".to_string()));
            }
        }
        for i in 0..self.n(sec::MEMBERS) {
            let (entity, tenant) = t.member(i);
            self.index(sec::MEMBERS, i, "entity", entity, sec::ENTITIES, false)?;
            self.index(sec::MEMBERS, i, "tenant", tenant, sec::TENANTS, false)?;
            if i > 0 && t.member(i - 1) >= (entity, tenant) {
                return Err(bad(sec::MEMBERS, i, "not sorted".to_string()));
            }
        }
        Ok(())
    }

    /// Values: known tags, string ids in range, and children strictly after
    /// their parent (lists) or through map entries after it, at most
    /// `MAX_VALUE_DEPTH` deep. Checked from the last value back, so each
    /// child's depth is known when its parent is checked.
    fn values(&self) -> Result<(), LoadError> {
        let t = self.t;
        let n = self.n(sec::VALUES);
        let mut depth = vec![0u8; n];
        for i in (0..n).rev() {
            let (tag, payload) = t.value(i as u32);
            let (start, len) = ((payload & 0xFFFF_FFFF) as usize, (payload >> 32) as usize);
            let children: Box<dyn Iterator<Item = usize>> = match tag {
                tag::STR => {
                    self.string(
                        sec::VALUES,
                        i,
                        "string",
                        payload.min(u64::from(u32::MAX)) as u32,
                    )?;
                    Box::new(std::iter::empty())
                }
                tag::DEC => {
                    let id = payload.min(u64::from(u32::MAX)) as u32;
                    self.string(sec::VALUES, i, "decimal", id)?;
                    let text = t.str(id);
                    if crate::value::Decimal::parse(text).map(|d| d.as_str() == text) != Ok(true) {
                        return Err(bad(
                            sec::VALUES,
                            i,
                            format!("{text:?} is not a decimal in canonical form"),
                        ));
                    }
                    Box::new(std::iter::empty())
                }
                tag::INT => Box::new(std::iter::empty()),
                tag::BOOL if payload <= 1 => Box::new(std::iter::empty()),
                tag::LIST if start > i && start.checked_add(len).is_some_and(|e| e <= n) => {
                    Box::new(start..start + len)
                }
                tag::MAP
                    if start
                        .checked_add(len)
                        .is_some_and(|e| e <= self.n(sec::MAP_ENTRIES)) =>
                {
                    let entries = start..start + len;
                    let mut vals = Vec::with_capacity(len);
                    for e in entries {
                        let v = t.map_entry(e as u32).1 as usize;
                        if v <= i {
                            return Err(bad(
                                sec::VALUES,
                                i,
                                "a map entry's value comes before its map".to_string(),
                            ));
                        }
                        vals.push(v);
                    }
                    Box::new(vals.into_iter())
                }
                _ => {
                    return Err(bad(
                        sec::VALUES,
                        i,
                        format!("bad value (tag {tag}, payload {payload:#x})"),
                    ))
                }
            };
            let mut d = 1u8;
            for c in children {
                d = d.max(depth.get(c).copied().unwrap_or(0).saturating_add(1));
            }
            if usize::from(d) > format::MAX_VALUE_DEPTH {
                return Err(bad(sec::VALUES, i, "values nest too deep".to_string()));
            }
            depth[i] = d;
        }
        Ok(())
    }
}

/// Checks one name index against the `n` records of the section it indexes
/// (`agrees` says whether a slot holds its record's name and entity):
/// `capacity(n)` slots; each record in exactly one slot, which holds the
/// record's name, its hash tag and (in the object index) its entity, and
/// which is reachable by probing from the name's home slot (no empty slot
/// between); empty slots all zero but for `NONE`s. Then a lookup finds
/// exactly the record of each name.
///
/// Linear time, in two passes: one in slot order finds each record's slot
/// and where the run of full slots holding it starts; one in record order
/// checks each record against its slot. Records (and, as the compiler
/// writes them, their names) are then read in order, not in hash order:
/// on a large table that is most of the check's time.
fn index_slots(
    t: &Table<'_>,
    index: usize,
    agrees: &dyn Fn(&NameSlot) -> bool,
) -> Result<(), LoadError> {
    let records = t.count(match index {
        sec::OBJECT_INDEX => sec::OBJECTS,
        sec::PGROUP_INDEX => sec::PGROUPS,
        sec::ACTION_INDEX => sec::ACTIONS,
        sec::TYPE_INDEX => sec::TYPES,
        _ => sec::TENANTS,
    });
    let len = t.count(index);
    if len != hash::capacity(records) {
        let want = hash::capacity(records);
        return Err(bad(
            index,
            0,
            format!("{len} slots for {records} names, expected {want}"),
        ));
    }
    // INVARIANT: capacity(n) > n for n > 0, so a valid index has an empty
    // slot; runs of full slots start after one.
    let Some(first_empty) = (0..len).find(|&i| slot(t, index, i).record == NONE) else {
        return if len == 0 {
            Ok(())
        } else {
            Err(bad(index, 0, "no empty slot".to_string()))
        };
    };
    let placed = placements(t, index, records, first_empty)?;
    for (record, &(k, run_start)) in placed.iter().enumerate() {
        if k == NONE {
            return Err(bad(index, 0, format!("record {record} is not indexed")));
        }
        let (k, run_start) = (k as usize, run_start as usize);
        let at = (first_empty + k) % len;
        let s = slot(t, index, at);
        if !agrees(&s) {
            return Err(bad(
                index,
                at,
                format!("slot disagrees with record {record}"),
            ));
        }
        let h = hash::key_hash(t.slot_name(&s));
        // The home's distance from the first empty slot, as `k` is.
        let home = (hash::home(h, len) + len - first_empty) % len;
        if s.tag != hash::tag(h) {
            return Err(bad(index, at, "tag is not its name's".to_string()));
        }
        if home < run_start || home > k {
            return Err(bad(
                index,
                at,
                "slot is not reachable from its name's home".to_string(),
            ));
        }
    }
    Ok(())
}

/// Slot `i` of a name index.
fn slot(t: &Table<'_>, index: usize, i: usize) -> NameSlot {
    t.record::<NameSlot>(index, i as u32)
}

/// The first pass of [`index_slots`], in slot order from the slot after
/// the first empty one: for each record, the distance `k` of its slot from
/// that empty slot and the distance of the first slot of its run of full
/// slots (`NONE`s for a record in no slot). Every empty slot must be all
/// `NONE`s and zeros, and no record may be in two slots.
fn placements(
    t: &Table<'_>,
    index: usize,
    records: usize,
    first_empty: usize,
) -> Result<Vec<(u32, u32)>, LoadError> {
    let len = t.count(index);
    let empty = NameSlot {
        record: NONE,
        name: NONE,
        len: 0,
        tag: 0,
        entity: NONE,
    };
    let mut placed = vec![(NONE, NONE); records];
    // `k` counts slots from the empty one (0), `at` is the slot itself;
    // both are below `len`, a section's record count, which fits in u32.
    // The first run starts after the empty slot: a name whose home is
    // that slot is found by no lookup, wherever its slot is.
    let (mut run_start, mut at) = (1, first_empty);
    for k in 1..=len {
        at = hash::next(at, len);
        let s = slot(t, index, at);
        if s.record == NONE {
            if s != empty {
                return Err(bad(index, at, "an empty slot holds data".to_string()));
            }
            run_start = k + 1;
            continue;
        }
        let Some(p) = placed.get_mut(s.record as usize).filter(|p| p.0 == NONE) else {
            return Err(bad(
                index,
                at,
                format!("record {} is out of range or indexed twice", s.record),
            ));
        };
        *p = (k as u32, run_start as u32);
    }
    Ok(placed)
}
