//! Analysis: every (subject, action, object) whose access differs between two tables, found from what changed.
//!
//! Both tables are read by name. A triple's access depends only on the
//! subject's facts and grants for the action (each block by its
//! definition, and the path that gives it), the object's facts (kind,
//! type, tenant and its status and attributes, parent groups, attributes)
//! and the action's applicability. So each entity, object and action gets
//! a fingerprint of exactly those facts on each side, and only these
//! triples are decided again:
//!
//! - for an entity whose facts differ: every object its grants' scopes hold
//!   on either side (and the tenants it is a member of);
//! - for an entity whose grants differ: the objects the scopes of the
//!   differing grants hold, for their actions;
//! - for an object whose facts differ: every entity with a grant whose
//!   scope holds it, on either side;
//! - for an action whose applicability differs: every entity's grants for it.
//!
//! A name declared on one side only is denied on the other. The cost
//! follows the size of the change and of its reach, not subjects × actions
//! × objects.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

use super::access::{access, access_described, Access, Undecided};
use crate::eval::facts::{Checked, ObjectFacts};
use crate::eval::request::DescribedSubject;
use crate::eval::request::Object;
use crate::eval::scope_matches;
use crate::eval::value::Val;
use crate::kinds::EntityKind;
use crate::table::format::{section, NONE};
use crate::table::Table;

/// One triple whose access differs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    /// For a principal-group entry, the entity kind of the subject
    /// described into the group (and nothing else): `subject` is then the
    /// group's name. `None` for a declared entity.
    pub described: Option<EntityKind>,
    pub subject: String,
    pub action: String,
    pub object: String,
    pub old: Access,
    pub new: Access,
    /// The block that allows it on the side where access is greater (for
    /// grouping), if a block does.
    pub block: Option<String>,
}

impl Change {
    /// Whether this entry is about a subject described into a group.
    pub fn is_group(&self) -> bool {
        self.described.is_some()
    }

    /// Whether access grows (deny → conditional → allow).
    pub fn gained(&self) -> bool {
        self.new > self.old
    }
}

/// A triple that could not be decided exactly on one side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsettled {
    pub subject: String,
    pub action: String,
    pub object: String,
    pub why: Undecided,
}

/// Every changed triple, sorted, and any that could not be decided.
pub fn diff(old: &Table<'_>, new: &Table<'_>) -> (Vec<Change>, Vec<Unsettled>) {
    let sides = [Side::new(old), Side::new(new)];
    let mut triples: BTreeSet<Triple> = BTreeSet::new();
    for group in [false, true] {
        changed_subjects(&sides, group, &mut triples);
    }
    changed_objects(&sides, &mut triples);
    changed_actions(&sides, &mut triples);
    let (mut changes, mut unsettled) = (Vec::new(), Vec::new());
    for (group, s, a, o) in triples {
        let kinds: Vec<Option<EntityKind>> = if group {
            EntityKind::ALL.iter().copied().map(Some).collect()
        } else {
            vec![None]
        };
        for described in kinds {
            let verdicts = [
                sides[0].access(described, &s, &a, &o),
                sides[1].access(described, &s, &a, &o),
            ];
            match verdicts {
                [Ok((old, ob)), Ok((new, nb))] if old != new => changes.push(Change {
                    block: if new > old { nb } else { ob },
                    described,
                    subject: s.clone(),
                    action: a.clone(),
                    object: o.clone(),
                    old,
                    new,
                }),
                [Ok(_), Ok(_)] => {}
                [Err(why), _] | [_, Err(why)] => unsettled.push(Unsettled {
                    subject: s.clone(),
                    action: a.clone(),
                    object: o.clone(),
                    why,
                }),
            }
        }
    }
    changes.sort();
    (changes, unsettled)
}

/// (a principal group's entry, subject or group, action, object).
type Triple = (bool, String, String, String);

/// A subject of the diff: a declared entity, or a principal group (for a
/// subject described into it).
#[derive(Clone, Copy)]
enum Who {
    Entity(u32),
    Group(u32),
}

/// The id of the subject described into a group (the brackets keep it
/// apart from any declared name a bare name could be).
const DESCRIBED_ID: &str = "(described)";

/// One table with its names, fingerprints and block reaches.
struct Side<'t> {
    t: &'t Table<'t>,
    objects: Vec<Option<ObjectFacts<'t>>>,
    entity_by_name: HashMap<&'t str, u32>,
    group_by_name: HashMap<&'t str, u32>,
    reach: std::cell::RefCell<HashMap<u32, std::rc::Rc<Vec<u32>>>>,
    /// Each block's definition and each path's text, printed once.
    prints: std::cell::RefCell<HashMap<(bool, u32), Rc<str>>>,
}

/// A grant as compared across the two tables: action, block definition,
/// path, and (for a group) the kinds a guardrail forbids it to; and the
/// block's index on its side.
type GrantKey = (Rc<str>, Rc<str>, Rc<str>, u8, u32);

static CHECKED: std::sync::OnceLock<Checked> = std::sync::OnceLock::new();

impl<'t> Side<'t> {
    fn new(t: &'t Table<'t>) -> Side<'t> {
        let checked = CHECKED.get_or_init(Checked::default);
        let objects = (0..t.count(section::OBJECTS) as u32)
            .map(|o| ObjectFacts::resolve(t, Object::Named(t.object_name(o)), checked))
            .collect();
        let entity_by_name = (0..t.count(section::ENTITIES) as u32)
            .map(|e| (t.object_name(t.entity_object(e)), e))
            .collect();
        let group_by_name = (0..t.count(section::PGROUPS) as u32)
            .map(|g| (t.pgroup_name(g), g))
            .collect();
        Side {
            t,
            objects,
            entity_by_name,
            group_by_name,
            reach: Default::default(),
            prints: Default::default(),
        }
    }

    fn who(&self, name: &str, group: bool) -> Option<Who> {
        if group {
            self.group_by_name.get(name).map(|&g| Who::Group(g))
        } else {
            self.entity_by_name.get(name).map(|&e| Who::Entity(e))
        }
    }

    /// Every entity and principal group, with its name.
    fn everyone(&self) -> Vec<(bool, &'t str, Who)> {
        let entities = self
            .entity_by_name
            .iter()
            .map(|(n, &e)| (false, *n, Who::Entity(e)));
        let groups = self
            .group_by_name
            .iter()
            .map(|(n, &g)| (true, *n, Who::Group(g)));
        entities.chain(groups).collect()
    }

    /// The access of a declared entity (`described` is `None`) or of a
    /// subject of kind `described` described into the group `s` alone.
    fn access(
        &self,
        described: Option<EntityKind>,
        s: &str,
        a: &str,
        o: &str,
    ) -> Result<(Access, Option<String>), Undecided> {
        let t = self.t;
        let who = self.who(s, described.is_some());
        let (Some(who), Some(a), Some(o)) = (who, t.action_named(a), t.object_named(o)) else {
            return Ok((Access::Deny, None));
        };
        let v = match (who, described) {
            (Who::Entity(e), _) => access(t, e, a, o)?,
            (Who::Group(g), Some(kind)) => {
                let tenant = t.pgroup_tenant(g);
                let subject = DescribedSubject {
                    id: DESCRIBED_ID.to_string(),
                    kind,
                    tenant: (tenant != NONE).then(|| t.tenant_name(tenant).to_string()),
                    status: crate::kinds::EntityStatus::Active,
                    groups: vec![s.to_string()],
                    attributes: Vec::new(),
                };
                access_described(t, &subject, a, o)?
            }
            (Who::Group(_), None) => return Ok((Access::Deny, None)),
        };
        let block = v
            .allowing
            .and_then(|(_, d)| d.block)
            .map(|b| t.object_name(t.block_object(b)).to_string());
        Ok((v.access, block))
    }

    /// The objects a block's boundary and scope hold, computed once.
    fn reach(&self, block: u32) -> std::rc::Rc<Vec<u32>> {
        if let Some(r) = self.reach.borrow().get(&block) {
            return r.clone();
        }
        let reached: Vec<u32> = self
            .objects
            .iter()
            .enumerate()
            .filter(|(_, o)| o.as_ref().is_some_and(|o| scope_matches(self.t, block, o)))
            .map(|(i, _)| i as u32)
            .collect();
        let reached = std::rc::Rc::new(reached);
        self.reach.borrow_mut().insert(block, reached.clone());
        reached
    }

    /// The grants of an entity, or of a group and its ancestors: (action,
    /// block fingerprint and path, block).
    ///
    /// For a group, each grant also names the entity kinds a guardrail
    /// forbids it to (a described subject of such a kind does not get it).
    fn grants(&self, who: Who) -> BTreeSet<GrantKey> {
        let t = self.t;
        self.grant_entries(who)
            .map(|(a, b, v)| {
                let forbidden = match who {
                    Who::Entity(_) => 0,
                    Who::Group(_) => EntityKind::ALL
                        .iter()
                        .enumerate()
                        .filter(|(_, k)| t.forbidden_by(b, a, k.code()).is_some())
                        .fold(0u8, |m, (i, _)| m | (1 << i)),
                };
                let action: Rc<str> = Rc::from(t.action_name(a));
                (
                    action,
                    self.print(false, b),
                    self.print(true, v),
                    forbidden,
                    b,
                )
            })
            .collect()
    }

    /// A block's definition (`path` false) or a path's text, cached.
    fn print(&self, path: bool, id: u32) -> Rc<str> {
        if let Some(p) = self.prints.borrow().get(&(path, id)) {
            return p.clone();
        }
        let text: Rc<str> = if path {
            Rc::from(crate::eval::explain::via_text(self.t, id))
        } else {
            Rc::from(block_print(self.t, id))
        };
        self.prints.borrow_mut().insert((path, id), text.clone());
        text
    }

    /// The grant entries of an entity, or of a group and its ancestors:
    /// (action, block, via).
    fn grant_entries(&self, who: Who) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        let t = self.t;
        let entries: Vec<(u32, u32, u32)> = match who {
            Who::Entity(e) => t.entity_grants(e).collect(),
            Who::Group(g) => {
                let mut ranges = Vec::new();
                let mut at = g;
                while at != NONE && ranges.len() <= t.count(section::PGROUPS) {
                    ranges.push(t.pgroup_sources(at));
                    at = t.pgroup_parent(at);
                }
                ranges.into_iter().flat_map(|r| t.grants_of(r)).collect()
            }
        };
        entries.into_iter()
    }

    /// The facts of a subject that decisions read, other than its grants.
    fn facts(&self, who: Who) -> String {
        let t = self.t;
        let e = match who {
            Who::Entity(e) => e,
            Who::Group(g) => {
                let tenant = t.pgroup_tenant(g);
                return if tenant == NONE {
                    String::new()
                } else {
                    t.tenant_name(tenant).to_string()
                };
            }
        };
        let o = t.entity_object(e);
        let members: Vec<&str> = (0..t.count(section::TENANTS) as u32)
            .filter(|&tn| t.is_member(e, tn))
            .map(|tn| t.tenant_name(tn))
            .collect();
        format!(
            "{} {} {} {members:?}",
            t.entity_kind(e),
            t.entity_status(e),
            object_print(t, o)
        )
    }
}

/// An object's facts: kind, type, tenant (status, attributes), parent
/// groups, attributes.
fn object_print(t: &Table<'_>, o: u32) -> String {
    let ty = t.object_type(o);
    let tenant = t.object_tenant(o);
    let mut chain = Vec::new();
    let mut g = t.object_parent(o);
    while g != NONE && chain.len() <= t.count(section::GROUPS) {
        chain.push(t.object_name(t.group_object(g)));
        g = t.group_parent(g);
    }
    let tenant_text = if tenant == NONE {
        String::new()
    } else {
        let (s, n) = t.tenant_attributes(tenant);
        format!(
            "{} {} {:?}",
            t.tenant_name(tenant),
            t.tenant_status(tenant),
            attributes(t, s, n)
        )
    };
    let (s, n) = t.object_attributes(o);
    format!(
        "{} {} [{tenant_text}] {chain:?} {:?}",
        t.object_kind(o),
        if ty == NONE { "" } else { t.type_name(ty) },
        attributes(t, s, n)
    )
}

fn attributes(t: &Table<'_>, start: u32, len: u32) -> String {
    format!(
        "{:?}",
        super::access::owned_value(Val::Map(crate::eval::value::Dict::Table(t, start, len)))
    )
}

/// A block's definition: effect, actions, boundary, scope and conditions.
fn block_print(t: &Table<'_>, b: u32) -> String {
    let (start, len) = t.block_actions(b);
    let actions: Vec<&str> = (start..start.saturating_add(len))
        .map(|i| t.action_name(t.block_action(i)))
        .collect();
    let (kind, a, g) = t.block_scope(b);
    let tenant = t.block_tenant(b);
    let scope_names = scope_names(t, kind, a, g);
    let (cs, cl) = t.block_conditions(b);
    let conditions: Vec<String> = (cs..cs.saturating_add(cl))
        .map(|c| condition_print(t, c))
        .collect();
    format!(
        "{} {} {actions:?} {} {kind} {scope_names} {conditions:?}",
        t.object_name(t.block_object(b)),
        t.block_deny(b),
        if tenant == NONE {
            ""
        } else {
            t.tenant_name(tenant)
        },
    )
}

fn scope_names(t: &Table<'_>, kind: u8, a: u32, g: u32) -> String {
    use crate::table::format::scope;
    let group = |g: u32| {
        if g == NONE {
            String::new()
        } else {
            t.object_name(t.group_object(g)).to_string()
        }
    };
    match kind {
        scope::TYPE | scope::TYPE_IN | scope::TYPE_WITHIN | scope::TYPE_BENEATH => {
            format!("{} {}", t.type_name(a), group(g))
        }
        scope::OBJECT => t.object_name(a).to_string(),
        scope::GROUP_IN | scope::GROUP_WITHIN | scope::GROUP_BENEATH => group(g),
        scope::KIND_IN | scope::KIND_WITHIN | scope::KIND_BENEATH => format!("{a} {}", group(g)),
        scope::ALL_IN | scope::ALL_WITHIN | scope::ALL_BENEATH => group(g),
        _ => a.to_string(),
    }
}

fn condition_print(t: &Table<'_>, c: u32) -> String {
    let (op, is_value, left, right) = t.condition(c);
    let path = |p: u32| {
        let (root, field, ks, kl) = t.path(p);
        let keys: Vec<&str> = (ks..ks.saturating_add(kl)).map(|k| t.path_key(k)).collect();
        format!("{root}.{field}.{keys:?}")
    };
    let right = if is_value {
        format!("{:?}", super::access::owned_value(Val::stored(t, right)))
    } else {
        path(right)
    };
    format!("{} {op} {right}", path(left))
}

/// Entities (or principal groups) whose facts or grants differ.
fn changed_subjects(sides: &[Side<'_>; 2], group: bool, out: &mut BTreeSet<Triple>) {
    let names: BTreeSet<&str> = sides
        .iter()
        .flat_map(|s| {
            s.everyone()
                .into_iter()
                .filter(|w| w.0 == group)
                .map(|w| w.1)
        })
        .collect();
    for name in names {
        let ids = [sides[0].who(name, group), sides[1].who(name, group)];
        let facts: Vec<Option<String>> = ids
            .iter()
            .zip(sides)
            .map(|(id, s)| id.map(|w| s.facts(w)))
            .collect();
        let grants: Vec<BTreeSet<GrantKey>> = ids
            .iter()
            .zip(sides)
            .map(|(id, s)| id.map(|w| s.grants(w)).unwrap_or_default())
            .collect();
        let all = facts[0] != facts[1];
        type Key = (Rc<str>, Rc<str>, Rc<str>, u8);
        let keys = |g: &BTreeSet<GrantKey>| -> BTreeSet<Key> {
            g.iter()
                .map(|(a, b, p, f, _)| (a.clone(), b.clone(), p.clone(), *f))
                .collect()
        };
        let (k0, k1) = (keys(&grants[0]), keys(&grants[1]));
        if !all && k0 == k1 {
            continue;
        }
        for ((side, id), g) in sides.iter().zip(ids).zip(&grants) {
            let Some(who) = id else { continue };
            for (action, print, path, forbidden, block) in g {
                let key = (action.clone(), print.clone(), path.clone(), *forbidden);
                if all || k0.contains(&key) != k1.contains(&key) {
                    for &o in side.reach(*block).iter() {
                        out.insert((
                            group,
                            name.to_string(),
                            action.to_string(),
                            side.t.object_name(o).to_string(),
                        ));
                    }
                }
            }
            if let (true, Who::Entity(e)) = (all, who) {
                membership_triples(side, e, name, out);
            }
        }
    }
}

/// The tenants an entity is a member of, for the implicit `read`.
fn membership_triples(side: &Side<'_>, e: u32, name: &str, out: &mut BTreeSet<Triple>) {
    let t = side.t;
    for tn in 0..t.count(section::TENANTS) as u32 {
        if t.is_member(e, tn) {
            let tenant = t.tenant_name(tn).to_string();
            out.insert((false, name.to_string(), "read".to_string(), tenant));
        }
    }
}

/// Objects whose facts differ: every entity and group whose grants reach them.
fn changed_objects(sides: &[Side<'_>; 2], out: &mut BTreeSet<Triple>) {
    let print = |s: &Side<'_>| -> BTreeMap<String, String> {
        (0..s.t.count(section::OBJECTS) as u32)
            .map(|o| (s.t.object_name(o).to_string(), object_print(s.t, o)))
            .collect()
    };
    let (p0, p1) = (print(&sides[0]), print(&sides[1]));
    let changed: BTreeSet<&String> = p0
        .keys()
        .chain(p1.keys())
        .filter(|n| p0.get(*n) != p1.get(*n))
        .collect();
    if changed.is_empty() {
        return;
    }
    for side in sides {
        let t = side.t;
        let here: Vec<u32> = changed.iter().filter_map(|n| t.object_named(n)).collect();
        // Per block, the changed objects its scope holds (most hold none).
        let mut hits: HashMap<u32, Vec<u32>> = HashMap::new();
        for (group, name, who) in side.everyone() {
            for (a, b, _) in side.grant_entries(who) {
                let held = hits.entry(b).or_insert_with(|| {
                    here.iter()
                        .copied()
                        .filter(|&o| {
                            side.objects[o as usize]
                                .as_ref()
                                .is_some_and(|f| scope_matches(t, b, f))
                        })
                        .collect()
                });
                for &o in held.iter() {
                    out.insert((
                        group,
                        name.to_string(),
                        t.action_name(a).to_string(),
                        t.object_name(o).to_string(),
                    ));
                }
            }
            if let Who::Entity(e) = who {
                for tn in 0..t.count(section::TENANTS) as u32 {
                    let tenant = t.tenant_name(tn).to_string();
                    if t.is_member(e, tn) && changed.contains(&tenant) {
                        out.insert((false, name.to_string(), "read".to_string(), tenant));
                    }
                }
            }
        }
    }
}

/// Actions whose applicability differs: every grant for them.
fn changed_actions(sides: &[Side<'_>; 2], out: &mut BTreeSet<Triple>) {
    let rows = |s: &Side<'_>| -> BTreeMap<String, Vec<String>> {
        let t = s.t;
        (0..t.count(section::ACTIONS) as u32)
            .map(|a| {
                let (start, len) = t.action_rows(a);
                let mut targets: Vec<String> = (start..start.saturating_add(len))
                    .map(|r| match t.row(r) {
                        (0, kind) => format!("kind {kind}"),
                        (_, ty) => format!("type {}", t.type_name(ty)),
                    })
                    .collect();
                targets.sort();
                (t.action_name(a).to_string(), targets)
            })
            .collect()
    };
    let (r0, r1) = (rows(&sides[0]), rows(&sides[1]));
    let changed: BTreeSet<&String> = r0
        .keys()
        .chain(r1.keys())
        .filter(|a| r0.get(*a) != r1.get(*a))
        .collect();
    if changed.is_empty() {
        return;
    }
    for side in sides {
        let t = side.t;
        for (group, name, who) in side.everyone() {
            for (a, b, _) in side.grant_entries(who) {
                let action = t.action_name(a).to_string();
                if changed.contains(&action) {
                    for &o in side.reach(b).iter() {
                        out.insert((
                            group,
                            name.to_string(),
                            action.clone(),
                            t.object_name(o).to_string(),
                        ));
                    }
                }
            }
            if let (Who::Entity(e), true) = (who, changed.contains(&"read".to_string())) {
                membership_triples(side, e, name, out);
            }
        }
    }
}
