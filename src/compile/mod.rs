//! Compile: the checked model into a binary decision table (`table::format`).
//!
//! Everything is written in a fixed order derived from the model (which
//! follows file and declaration order) or sorted, never in hash-map order,
//! so the same sources always give the same bytes. Grants are stored once
//! per role and per directly given block, and once per set of principal
//! groups that entities share, as lists sorted by action (denies before
//! allows), block and via; a subject holds the short list of those (its sources), so the table grows
//! with statements and group sets, not with entities times blocks, and the
//! evaluator reads only the subject's entries for the action.

mod strings;
mod values;

use std::collections::{BTreeMap, HashMap};

use sha2::{Digest, Sha256};

use crate::check::guardrails::Verdicts;
use crate::check::model::{self as m, Model};
use crate::diag::SourceMap;
use crate::kinds::Field;
use crate::syntax::ast::{Effect, Relation};
use crate::table::format::{self, scope, section as sec, HEADER_LEN, NONE, SECTION_COUNT};
use crate::table::records::*;
use crate::table::{crc32c, hash};
use strings::Strings;
use values::Values;

/// The SHA-256 of a policy set's sources: each file's length and contents, in file order.
pub fn source_hash(sources: &SourceMap) -> [u8; 32] {
    let mut h = Sha256::new();
    for (_, file) in sources.files() {
        h.update((file.text.len() as u64).to_le_bytes());
        h.update(file.text.as_bytes());
    }
    h.finalize().into()
}

/// One section being written.
#[derive(Default)]
struct Section(Vec<u8>);

impl Section {
    /// Appends one record, laid out as `table::records` describes it.
    fn push(&mut self, record: impl Record) {
        record.write(&mut self.0);
    }

    /// How many `R` records the section holds.
    fn records<R: Record>(&self) -> u32 {
        n32(self.0.len() / R::SIZE)
    }
}

/// An optional id as the table stores it.
fn opt(v: Option<u32>) -> u32 {
    v.unwrap_or(NONE)
}

fn n32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Compiles a checked model into table bytes.
pub fn compile(model: &Model, source_hash: [u8; 32]) -> Vec<u8> {
    let strings = Strings::collect(model);
    let mut s: Vec<Section> = (0..SECTION_COUNT).map(|_| Section::default()).collect();
    let mut values = Values::default();
    let starts = write_strings(&mut s, &strings);
    write_vocabulary(&mut s, model, &strings);
    write_objects(&mut s, model, (&strings, &starts), &mut values);
    write_grants(&mut s, model, &strings);
    write_groups(&mut s, model);
    write_blocks(&mut s, model, &strings, &mut values);
    write_guardrails(&mut s, model, &strings);
    let (mut value_bytes, mut entry_bytes) = (Vec::new(), Vec::new());
    values.write(&mut value_bytes, &mut entry_bytes);
    s[sec::VALUES].0 = value_bytes;
    s[sec::MAP_ENTRIES].0 = entry_bytes;

    write_indexes(&mut s, model, (&strings, &starts));
    assemble(s, source_hash)
}

/// The string table.
/// The string table; returns each string's byte offset, by id.
fn write_strings(s: &mut [Section], strings: &Strings) -> Vec<u32> {
    let mut offset = 0u32;
    let mut starts = Vec::new();
    s[sec::STR_OFFSETS].push(StrOffset { offset: 0 });
    for text in strings.all() {
        starts.push(offset);
        s[sec::STR_DATA].0.extend_from_slice(text.as_bytes());
        offset += n32(text.len());
        s[sec::STR_OFFSETS].push(StrOffset { offset });
    }
    starts
}

/// Types, and actions with their applicability rows.
fn write_vocabulary(s: &mut [Section], model: &Model, strings: &Strings) {
    for t in &model.types {
        s[sec::TYPES].push(TypeRec {
            kind: t.kind.code(),
            name: strings.id(&format!("{}:{}", t.kind.name(), t.sub)),
        });
    }
    for a in &model.actions {
        let rows_start = s[sec::ROWS].records::<RowRec>();
        for row in &a.rows {
            let (tag, target) = match row {
                m::Target::Kind(k) => (0, u32::from(k.code())),
                m::Target::Type(t) => (1, t.0),
                m::Target::Platform => (2, 0),
            };
            s[sec::ROWS].push(RowRec { tag, target });
        }
        s[sec::ACTIONS].push(ActionRec {
            name: strings.id(&a.name),
            rows_start,
            rows_len: n32(a.rows.len()),
        });
    }
}

/// Tenants and objects.
fn write_objects(
    s: &mut [Section],
    model: &Model,
    (strings, starts): (&Strings, &[u32]),
    values: &mut Values,
) {
    for t in &model.tenants {
        let (start, len) = values.attributes(&t.attributes, strings);
        s[sec::TENANTS].push(TenantRec {
            name: strings.id(&t.name),
            status: t.status.code(),
            object: t.object.0,
            attrs_start: start,
            attrs_len: len,
        });
    }
    for (i, o) in model.objects.iter().enumerate() {
        let (start, len) = values.attributes(&o.attributes, strings);
        let entity = match o.role {
            m::ObjectRole::Entity(e) => Some(e.0),
            _ => None,
        };
        let qualified = model.qualified_name(m::ObjectId(n32(i)));
        let (name, name_len) = name_bytes(&qualified, (strings, starts));
        s[sec::OBJECTS].push(ObjectRec {
            name,
            name_len,
            kind: o.kind.code(),
            ty: opt(o.ty.map(|t| t.0)),
            tenant: opt(o.tenant.map(|t| t.0)),
            parent: opt(o.parent.map(|g| g.0)),
            attrs_start: start,
            attrs_len: len,
            entity: opt(entity),
        });
    }
}

/// The grant paths (`VIAS`): every (statement, subject) pair, sorted;
/// returns their indices.
fn write_vias(s: &mut [Section], model: &Model) -> HashMap<(usize, m::Subject), u32> {
    let mut via_keys: Vec<(usize, m::Subject)> = model
        .grants
        .iter()
        .enumerate()
        .flat_map(|(gi, g)| g.subjects.iter().map(move |(s, _)| (gi, *s)))
        .collect();
    via_keys.sort();
    via_keys.dedup();
    let via_index: HashMap<(usize, m::Subject), u32> = via_keys
        .iter()
        .enumerate()
        .map(|(i, k)| (*k, n32(i)))
        .collect();
    for (gi, subject) in &via_keys {
        let grant = &model.grants[*gi];
        let (kind, given) = match grant.given {
            m::Given::Role(r) => (0, model.role(r).object.0),
            m::Given::Block(b) => (1, model.block(b).object.0),
        };
        let (skind, sid) = match subject {
            m::Subject::Entity(e) => (0, e.0),
            m::Subject::Group(g) => (1, g.0),
        };
        s[sec::VIAS].push(ViaRec {
            direct: kind,
            group: skind,
            given,
            subject: sid,
        });
    }
    via_index
}

/// Writes lists of one section once each: identical lists share a range.
struct Shared<K> {
    seen: HashMap<Vec<K>, (u32, u32)>,
}

impl<K: std::hash::Hash + Eq + Clone> Shared<K> {
    fn new() -> Self {
        Shared {
            seen: HashMap::new(),
        }
    }

    /// The range of `entries` in section `at`, writing them (with `push`)
    /// if no identical list was written before.
    fn range(
        &mut self,
        s: &mut [Section],
        at: usize,
        size: usize,
        entries: Vec<K>,
        push: impl Fn(&mut Section, &K),
    ) -> (u32, u32) {
        if entries.is_empty() {
            return (0, 0);
        }
        if let Some(r) = self.seen.get(&entries) {
            return *r;
        }
        let start = n32(s[at].0.len() / size);
        for e in &entries {
            push(&mut s[at], e);
        }
        let r = (start, n32(entries.len()));
        self.seen.insert(entries, r);
        r
    }
}

/// Grant lists and sources (see `table::format`). Each statement's given (a
/// role, with the roles it includes, or one block) becomes one grant list
/// sorted by (key, block) (see [`grant_key`]), written once however many statements give
/// it; its entries carry no via, the source that points at it does. A
/// principal group's sources are its own statements. An entity has one
/// merged list of everything its groups give it (entries sorted by key,
/// block and via, each with its via; shared by every entity in the same
/// groups), named in its own record, and a source per statement given to it
/// directly, so a decision reads one or two lists however the entity got
/// its grants.
fn write_grants(s: &mut [Section], model: &Model, strings: &Strings) {
    let via_index = write_vias(s, model);
    let mut w = GrantWriter::new(model);
    // The statements each subject receives directly: (given, via).
    let mut entity_direct: Vec<Vec<(m::Given, u32)>> = vec![Vec::new(); model.entities.len()];
    let mut group_direct: Vec<Vec<(m::Given, u32)>> =
        vec![Vec::new(); model.principal_groups.len()];
    for (gi, grant) in model.grants.iter().enumerate() {
        w.given(s, grant.given);
        for (subject, _) in &grant.subjects {
            let via = via_index[&(gi, *subject)];
            match subject {
                m::Subject::Entity(e) => entity_direct[e.index()].push((grant.given, via)),
                m::Subject::Group(g) => group_direct[g.index()].push((grant.given, via)),
            }
        }
    }
    let groups_of = model.groups_of_entities();
    for (e, entity) in model.entities.iter().enumerate() {
        let (merged_start, merged_len) = w.merged(s, &groups_of[e], &group_direct);
        let list = w.statement_sources(&entity_direct[e]);
        let (sources_start, sources_len) = w.sources(s, list);
        s[sec::ENTITIES].push(EntityRec {
            object: entity.object.0,
            kind: entity.kind.code(),
            status: entity.status.code(),
            merged_start,
            merged_len,
            sources_start,
            sources_len,
        });
    }
    for (g, group) in model.principal_groups.iter().enumerate() {
        let list = w.statement_sources(&group_direct[g]);
        let (sources_start, sources_len) = w.sources(s, list);
        s[sec::PGROUPS].push(PGroupRec {
            name: strings.id(&model.group_name(m::PrincipalGroupId(n32(g)))),
            tenant: opt(group.tenant.map(|t| t.0)),
            parent: opt(group.parent.map(|p| p.0)),
            sources_start,
            sources_len,
        });
    }
}

/// Grant entries (key, block, via); sorted, each action's denies come
/// before its allows (see [`grant_key`]).
type Entries = Vec<(u32, u32, u32)>;

/// A grant entry's key: its action, doubled, plus 1 for an allow.
fn grant_key(action: u32, allow: u32) -> u32 {
    // INVARIANT: a table holds fewer than 2^28 actions (12-byte records in
    // at most 2 GiB), so the doubled action fits in u32.
    action * 2 + allow
}

/// Writes grant lists and source lists, each distinct list once.
struct GrantWriter<'m> {
    model: &'m Model,
    role_blocks: Vec<Vec<m::BlockId>>,
    lists: Shared<(u32, u32, u32)>,
    sources: Shared<(u32, u32, u32)>,
    /// Each given's entries (with no via) and where its list is.
    given: HashMap<m::Given, (Entries, (u32, u32))>,
    /// Each set of principal groups' merged list.
    merged: HashMap<Vec<m::PrincipalGroupId>, (u32, u32)>,
}

impl<'m> GrantWriter<'m> {
    fn new(model: &'m Model) -> Self {
        GrantWriter {
            model,
            role_blocks: model.role_blocks(),
            lists: Shared::new(),
            sources: Shared::new(),
            given: HashMap::new(),
            merged: HashMap::new(),
        }
    }

    /// Writes a grant list (once).
    fn list(&mut self, s: &mut [Section], entries: Entries) -> (u32, u32) {
        self.lists.range(
            s,
            sec::GRANTS,
            GrantRec::SIZE,
            entries,
            |s, &(key, block, via)| s.push(GrantRec { key, block, via }),
        )
    }

    /// Writes a source list (once).
    fn sources(&mut self, s: &mut [Section], list: Entries) -> (u32, u32) {
        self.sources.range(
            s,
            sec::SOURCES,
            SourceRec::SIZE,
            list,
            |s, &(gs, gl, via)| {
                s.push(SourceRec {
                    grants_start: gs,
                    grants_len: gl,
                    via,
                })
            },
        )
    }

    /// The list of what a statement gives: a role's blocks (with the roles
    /// it includes) or one block, by action, without vias.
    fn given(&mut self, s: &mut [Section], given: m::Given) {
        if self.given.contains_key(&given) {
            return;
        }
        let model = self.model;
        let blocks: &[m::BlockId] = match &given {
            m::Given::Block(b) => std::slice::from_ref(b),
            m::Given::Role(r) => &self.role_blocks[r.index()],
        };
        let mut entries: Entries = blocks
            .iter()
            .flat_map(|b| {
                let block = model.block(*b);
                let allow = u32::from(block.effect != Effect::Deny);
                block
                    .actions
                    .iter()
                    .map(move |a| (grant_key(a.0, allow), b.0, NONE))
            })
            .collect();
        entries.sort_unstable();
        entries.dedup();
        let range = self.list(s, entries.clone());
        self.given.insert(given, (entries, range));
    }

    /// One source per statement (its given's list and its via), in via order.
    fn statement_sources(&self, direct: &[(m::Given, u32)]) -> Entries {
        let mut list: Entries = direct
            .iter()
            .map(|(given, via)| {
                let (start, len) = self.given.get(given).map_or((0, 0), |(_, r)| *r);
                (start, len, *via)
            })
            .collect();
        list.sort_unstable_by_key(|&(start, len, via)| (via, start, len));
        list.dedup();
        list
    }

    /// The merged list of everything a set of principal groups receives,
    /// each entry with its via; empty for no groups.
    fn merged(
        &mut self,
        s: &mut [Section],
        groups: &[m::PrincipalGroupId],
        group_direct: &[Vec<(m::Given, u32)>],
    ) -> (u32, u32) {
        if groups.is_empty() {
            return (0, 0);
        }
        if let Some(r) = self.merged.get(groups) {
            return *r;
        }
        let mut entries: Entries = groups
            .iter()
            .flat_map(|g| &group_direct[g.index()])
            .flat_map(|(given, via)| {
                let listed = self.given.get(given).map_or(&[][..], |(l, _)| l);
                listed.iter().map(move |&(a, b, _)| (a, b, *via))
            })
            .collect();
        entries.sort_unstable();
        entries.dedup();
        let range = self.list(s, entries);
        self.merged.insert(groups.to_vec(), range);
        range
    }
}

/// Object groups with their subtree intervals (pre-order numbering).
fn write_groups(s: &mut [Section], model: &Model) {
    let intervals = group_intervals(model);
    for (g, group) in model.groups.iter().enumerate() {
        let (pre, post) = intervals[g];
        s[sec::GROUPS].push(GroupRec {
            object: group.object.0,
            parent: opt(group.parent.map(|p| p.0)),
            pre,
            post,
        });
    }
}

/// Blocks and their conditions.
fn write_blocks(s: &mut [Section], model: &Model, strings: &Strings, values: &mut Values) {
    for block in &model.blocks {
        // INVARIANT: only a model without errors is compiled, where every
        // block's rule resolved. Were one missing, the block is written
        // with no actions (it reaches nothing) rather than widened.
        let (scope, conditions, actions): (_, &[m::Condition], &[m::ActionId]) = match block.rule()
        {
            Some((scope, conditions)) => (scope, conditions, &block.actions),
            None => (m::Scope::Object(block.object), &[], &[]),
        };
        let (kind, a, b) = match scope {
            m::Scope::All => (scope::ALL, 0, 0),
            m::Scope::Kind(k) => (scope::KIND, u32::from(k.code()), 0),
            m::Scope::Type(t) => (scope::TYPE, t.0, 0),
            m::Scope::Object(o) => (scope::OBJECT, o.0, 0),
            m::Scope::TypeInGroup(t, r, g) => (relation(r, scope::TYPE_IN), t.0, g.0),
            m::Scope::GroupInGroup(r, g) => (relation(r, scope::GROUP_IN), 0, g.0),
            m::Scope::KindInGroup(k, r, g) => {
                (relation(r, scope::KIND_IN), u32::from(k.code()), g.0)
            }
            m::Scope::AllInGroup(r, g) => (relation(r, scope::ALL_IN), 0, g.0),
        };
        let actions_start = s[sec::BLOCK_ACTIONS].records::<BlockActionRec>();
        for a in actions {
            s[sec::BLOCK_ACTIONS].push(BlockActionRec { action: a.0 });
        }
        let conds_start = s[sec::CONDS].records::<CondRec>();
        for c in conditions {
            let left = write_path(s, &c.left, strings);
            let (tag, right) = match &c.right {
                m::Operand::Path(p) => (0, write_path(s, p, strings)),
                m::Operand::Value(v) => (1, values.value(v, strings)),
            };
            s[sec::CONDS].push(CondRec {
                op: c.op.code(),
                value: tag,
                left,
                right,
            });
        }
        s[sec::BLOCKS].push(BlockRec {
            object: block.object.0,
            deny: u8::from(block.effect == Effect::Deny),
            scope: kind,
            tenant: opt(model.object(block.object).tenant.map(|t| t.0)),
            a,
            b,
            actions_start,
            actions_len: n32(actions.len()),
            conds_start,
            conds_len: n32(conditions.len()),
        });
    }
}

/// Where a name's bytes are, as a name slot or an object record holds
/// them: its byte offset in `STR_DATA` and length, or its string id and
/// `LONG_NAME` for a name of 65,535 bytes or more.
fn name_bytes(name: &str, (strings, starts): (&Strings, &[u32])) -> (u32, u16) {
    let id = strings.id(name);
    match u16::try_from(name.len()) {
        Ok(len) if len < format::LONG_NAME => {
            (starts.get(id as usize).copied().unwrap_or(NONE), len)
        }
        _ => (id, format::LONG_NAME),
    }
}

/// The name indexes.
fn write_indexes(s: &mut [Section], model: &Model, names: (&Strings, &[u32])) {
    let index = |s: &mut Section, keys: Vec<String>, entity: &dyn Fn(u32) -> u32| {
        for record in hash::build(keys.iter().map(String::as_str)) {
            let Some(key) = keys.get(record as usize) else {
                s.push(NameSlot {
                    record: NONE,
                    name: NONE,
                    len: 0,
                    tag: 0,
                    entity: NONE,
                });
                continue;
            };
            let (name, len) = name_bytes(key, names);
            let tag = hash::tag(hash::key_hash(key.as_bytes()));
            s.push(NameSlot {
                record,
                name,
                len,
                tag,
                entity: entity(record),
            });
        }
    };
    let none = |_| NONE;
    let object_names = (0..model.objects.len())
        .map(|i| model.qualified_name(m::ObjectId(n32(i))))
        .collect();
    let entity_of = |o: u32| match model.objects.get(o as usize).map(|o| &o.role) {
        Some(m::ObjectRole::Entity(e)) => e.0,
        _ => NONE,
    };
    index(&mut s[sec::OBJECT_INDEX], object_names, &entity_of);
    let group_names = (0..model.principal_groups.len())
        .map(|g| model.group_name(m::PrincipalGroupId(n32(g))))
        .collect();
    index(&mut s[sec::PGROUP_INDEX], group_names, &none);
    let actions = model.actions.iter().map(|a| a.name.clone()).collect();
    index(&mut s[sec::ACTION_INDEX], actions, &none);
    let type_names = (0..model.types.len())
        .map(|t| model.type_name(m::TypeId(n32(t))))
        .collect();
    index(&mut s[sec::TYPE_INDEX], type_names, &none);
    let tenants = model.tenants.iter().map(|t| t.name.clone()).collect();
    index(&mut s[sec::TENANT_INDEX], tenants, &none);
}

/// `GUARDRAILS`, `FORBIDDEN`, `MEMBERS` and `DOCS`: what a runtime needs to
/// keep section 9 at request time, to grant a tenant's members `read` on
/// it, and to show `///` descriptions in explanations.
fn write_guardrails(s: &mut [Section], model: &Model, strings: &Strings) {
    for g in 0..model.guardrails.len() {
        let text = strings.id(&model.guardrail_text(m::GuardrailId(n32(g))));
        s[sec::GUARDRAILS].push(GuardrailRec { text });
    }
    // Every allow grant a principal group receives, against every entity
    // kind: a subject described into the group may be of any kind. The
    // grant's tenant is its block's (A0008 keeps a tenant's statements to
    // its own blocks and groups, and the platform's to its own), so the
    // verdict is one per (block, action, kind).
    let verdicts = Verdicts::new(model);
    let role_blocks = model.role_blocks();
    let mut forbidden: BTreeMap<(u32, u32, u8), u32> = BTreeMap::new();
    for grant in &model.grants {
        if !grant
            .subjects
            .iter()
            .any(|(s, _)| matches!(s, m::Subject::Group(_)))
        {
            continue;
        }
        let blocks: &[m::BlockId] = match &grant.given {
            m::Given::Block(b) => std::slice::from_ref(b),
            m::Given::Role(r) => &role_blocks[r.index()],
        };
        for &b in blocks {
            let block = model.block(b);
            let Some(scope) = block.scope.filter(|_| block.effect == Effect::Allow) else {
                continue;
            };
            for &action in &block.actions {
                for kind in m::EntityKind::ALL {
                    let key = (b.0, action.0, kind as u8);
                    if forbidden.contains_key(&key) {
                        continue;
                    }
                    if let Some(rule) = verdicts.forbidding(kind, action, scope, grant.tenant) {
                        forbidden.insert(key, rule.0);
                    }
                }
            }
        }
    }
    for ((block, action, kind), rule) in forbidden {
        s[sec::FORBIDDEN].push(ForbiddenRec {
            block,
            action,
            kind,
            rule,
        });
    }
    let mut members: Vec<(u32, u32)> = model
        .tenants
        .iter()
        .enumerate()
        .flat_map(|(t, tenant)| tenant.members.iter().map(move |e| (e.0, n32(t))))
        .collect();
    members.sort_unstable();
    members.dedup();
    for (entity, tenant) in members {
        s[sec::MEMBERS].push(MemberRec { entity, tenant });
    }
    for (o, object) in model.objects.iter().enumerate() {
        if let Some(doc) = &object.doc {
            s[sec::DOCS].push(DocRec {
                object: n32(o),
                doc: strings.id(doc),
            });
        }
    }
}

fn relation(r: Relation, base: u8) -> u8 {
    base + match r {
        Relation::In => 0,
        Relation::Within => 1,
        Relation::Beneath => 2,
    }
}

fn write_path(s: &mut [Section], p: &m::CondPath, strings: &Strings) -> u32 {
    let root = p.root.code();
    let field = Field::from_name(&p.field).map_or(format::NO_FIELD, Field::code);
    let keys_start = s[sec::PATH_KEYS].records::<PathKeyRec>();
    for k in &p.keys {
        s[sec::PATH_KEYS].push(PathKeyRec { key: strings.id(k) });
    }
    let id = s[sec::PATHS].records::<PathRec>();
    s[sec::PATHS].push(PathRec {
        root,
        field,
        keys_start,
        keys_len: n32(p.keys.len()),
    });
    id
}

/// Pre-order numbers: group `g`'s subtree is the groups numbered `pre..post`.
fn group_intervals(model: &Model) -> Vec<(u32, u32)> {
    let n = model.groups.len();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut roots = Vec::new();
    for (i, g) in model.groups.iter().enumerate() {
        match g.parent {
            Some(p) => children[p.index()].push(i),
            None => roots.push(i),
        }
    }
    let mut out = vec![(0u32, 0u32); n];
    let mut counter = 0u32;
    // Explicit stack: (group, children visited?).
    let mut stack: Vec<(usize, bool)> = roots.into_iter().rev().map(|r| (r, false)).collect();
    while let Some((g, done)) = stack.pop() {
        if done {
            out[g].1 = counter;
            continue;
        }
        out[g].0 = counter;
        counter += 1;
        stack.push((g, true));
        for c in children[g].iter().rev() {
            stack.push((*c, false));
        }
    }
    out
}

/// Header, directory, payload, checksum.
fn assemble(sections: Vec<Section>, source_hash: [u8; 32]) -> Vec<u8> {
    let dir_len = SECTION_COUNT * 8;
    let payload_len: usize = sections.iter().map(|s| s.0.len()).sum();
    let mut out = Vec::with_capacity(HEADER_LEN + dir_len + payload_len);
    out.extend_from_slice(&format::MAGIC);
    out.extend_from_slice(&format::VERSION.to_le_bytes());
    out.extend_from_slice(&n32(SECTION_COUNT).to_le_bytes());
    out.extend_from_slice(&(payload_len as u64).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // checksum, filled below
    out.extend_from_slice(&0u32.to_le_bytes()); // reserved
    out.extend_from_slice(&source_hash);
    let mut offset = 0u32;
    for s in &sections {
        out.extend_from_slice(&offset.to_le_bytes());
        out.extend_from_slice(&n32(s.0.len()).to_le_bytes());
        offset += n32(s.0.len());
    }
    for s in sections {
        out.extend_from_slice(&s.0);
    }
    let crc = crc32c::update(
        crc32c::crc32c(&out[..format::CHECKSUM_AT]),
        &out[format::CHECKSUM_AT + 4..],
    );
    out[format::CHECKSUM_AT..format::CHECKSUM_AT + 4].copy_from_slice(&crc.to_le_bytes());
    out
}
