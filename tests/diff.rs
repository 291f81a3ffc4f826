//! `atom::analysis::diff` finds exactly the triples whose access differs: on
//! random policies and random edits of them (blocks, roles, grants,
//! effects, attributes, groups, statuses, context conditions), its answer
//! equals deciding the access of every (subject, action, object) on both
//! sides. The access of each triple is itself checked against the
//! reference interpreter in `tests/access.rs`.
//!
//! `ATOM_DIFF_CASES` sets how many policy pairs are generated.

mod support;

use std::collections::BTreeSet;

use atom::analysis::access::{access, access_described, Access};
use atom::analysis::diff::diff;
use atom::compile::{compile, source_hash};
use atom::gen::SplitMix64;
use atom::kinds::EntityKind;
use atom::table::format::section;
use atom::table::Table;
use proptest::prelude::*;
use support::policy_gen::{policy, sizes, without_breached_guardrails, Sizes};

fn cases() -> u32 {
    std::env::var("ATOM_DIFF_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150)
}

/// An edit of one line: `None` when it does not apply there.
type LineEdit = fn(&str) -> Option<String>;

/// One random edit that keeps the policy valid: an assignment or grant
/// removed or given to another subject, an effect flipped, a role item
/// dropped, an attribute value, a parent group, a status or a context
/// bound changed.
fn edit(rng: &mut SplitMix64, text: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let kinds: [(&str, LineEdit); 8] = [
        ("assign ", |_| Some(String::new())),
        ("grant ", |l| {
            Some(
                l.replacen(" to e0", " to e1", 1)
                    .replacen(" to pg0", " to pg1", 1),
            )
        }),
        ("block ", |l| {
            Some(if l.contains("allow") {
                l.replacen("allow", "deny", 1)
            } else {
                l.replacen("deny", "allow", 1)
            })
        }),
        ("role ", |l| {
            let open = l.find('{')?;
            let items: Vec<&str> = l[open + 1..]
                .trim_end_matches('}')
                .split(',')
                .map(str::trim)
                .collect();
            (items.len() > 1).then(|| format!("{}{{ {} }}", &l[..open], items[1..].join(", ")))
        }),
        ("entity ", |l| Some(l.replace("\"a\"", "\"c\""))),
        ("resource ", |l| {
            Some(l.replacen(" in g0", " in g1", 1).replace("\"a\"", "\"b\""))
        }),
        ("entity ", |l| {
            (!l.contains("active") && !l.contains("suspended")).then(|| {
                let at = l.find('{').unwrap_or(l.len());
                format!("{} inactive {}", l[..at].trim_end(), &l[at..])
            })
        }),
        ("block ", |l| {
            Some(
                l.replace("< 5", "< 3")
                    .replace(">= 2", ">= 3")
                    .replace("\"mqtt\"", "\"http\""),
            )
        }),
    ];
    let (prefix, change) = kinds[rng.below(kinds.len())];
    let candidates: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].trim_start().starts_with(prefix))
        .collect();
    if candidates.is_empty() {
        return text.to_string();
    }
    let i = candidates[rng.below(candidates.len())];
    if let Some(changed) = change(&lines[i]) {
        let indent: String = lines[i].chars().take_while(|c| c.is_whitespace()).collect();
        lines[i] = if changed.is_empty() {
            String::new()
        } else if changed.starts_with(' ') {
            changed
        } else {
            format!("{indent}{}", changed.trim_start())
        };
    }
    lines.join("\n") + "\n"
}

fn table(text: &str) -> Option<Vec<u8>> {
    let (_, sources, model) = without_breached_guardrails(text)?;
    Some(compile(&model, source_hash(&sources)))
}

/// A diff entry: the kind of a subject described into a group (or `None`
/// for a declared entity), the subject or group, action, object, old, new.
type Entry = (Option<&'static str>, String, String, String, Access, Access);

/// A triple's access on one side, by names (absent names are `deny`): a
/// declared entity, or a subject of kind `described` described into group `s`.
fn access_by_name(t: &Table<'_>, described: Option<&str>, s: &str, a: &str, o: &str) -> Access {
    let (Some(a), Some(o)) = (t.action_named(a), t.object_named(o)) else {
        return Access::Deny;
    };
    match described {
        None => match t.object_named(s).map(|x| t.object_entity(x)) {
            Some(e) if e != atom::table::format::NONE => {
                access(t, e, a, o).expect("decided").access
            }
            _ => Access::Deny,
        },
        Some(kind) => {
            let Some(g) = t.group_named(s) else {
                return Access::Deny;
            };
            let tenant = t.pgroup_tenant(g);
            let subject = atom::eval::DescribedSubject {
                id: "(described)".into(),
                kind: EntityKind::from_name(kind).expect("an entity kind"),
                tenant: (tenant != atom::table::format::NONE)
                    .then(|| t.tenant_name(tenant).to_string()),
                status: atom::kinds::EntityStatus::Active,
                groups: vec![s.to_string()],
                attributes: Vec::new(),
            };
            access_described(t, &subject, a, o).expect("decided").access
        }
    }
}

fn names(t: &Table<'_>, sec: usize, name: impl Fn(u32) -> String) -> BTreeSet<String> {
    (0..t.count(sec) as u32).map(name).collect()
}

fn check_diff(seed: u64, sizes: &Sizes) -> Result<(), TestCaseError> {
    let old_text = policy(seed, sizes).text;
    let mut rng = SplitMix64::new(seed ^ 0xD1FF);
    let mut new_text = old_text.clone();
    for _ in 0..1 + rng.below(3) {
        new_text = edit(&mut rng, &new_text);
    }
    let (Some(old), Some(new)) = (table(&old_text), table(&new_text)) else {
        if std::env::var_os("ATOM_DIFF_STATS").is_some() {
            eprintln!("diff-stats skipped");
        }
        return Ok(());
    };
    let (old, new) = (
        Table::from_bytes(&old).unwrap(),
        Table::from_bytes(&new).unwrap(),
    );
    let (changes, unsettled) = diff(&old, &new);
    prop_assert!(unsettled.is_empty(), "{:?}", unsettled);
    let found: BTreeSet<Entry> = changes
        .into_iter()
        .map(|c| {
            (
                c.described.map(EntityKind::name),
                c.subject,
                c.action,
                c.object,
                c.old,
                c.new,
            )
        })
        .collect();
    let mut expected = BTreeSet::new();
    let union = |sec: usize, f: &dyn Fn(&Table<'_>, u32) -> String| -> BTreeSet<String> {
        let mut n = names(&old, sec, |i| f(&old, i));
        n.extend(names(&new, sec, |i| f(&new, i)));
        n
    };
    let subjects = union(section::ENTITIES, &|t, e| {
        t.object_name(t.entity_object(e)).to_string()
    });
    let actions = union(section::ACTIONS, &|t, a| t.action_name(a).to_string());
    let objects = union(section::OBJECTS, &|t, o| t.object_name(o).to_string());
    let groups = union(section::PGROUPS, &|t, g| t.pgroup_name(g).to_string());
    let kinds: Vec<Option<&'static str>> = std::iter::once(None)
        .chain(EntityKind::ALL.iter().map(|k| Some(k.name())))
        .collect();
    for described in kinds {
        let who = if described.is_some() {
            &groups
        } else {
            &subjects
        };
        for s in who {
            for a in &actions {
                for o in &objects {
                    let x = access_by_name(&old, described, s, a, o);
                    let y = access_by_name(&new, described, s, a, o);
                    if x != y {
                        expected.insert((described, s.clone(), a.clone(), o.clone(), x, y));
                    }
                }
            }
        }
    }
    if std::env::var_os("ATOM_DIFF_STATS").is_some() {
        eprintln!("diff-stats changes {}", expected.len().min(9));
    }
    prop_assert_eq!(found, expected, "old:\n{}\nnew:\n{}", old_text, new_text);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn diff_equals_deciding_every_triple(seed in any::<u64>(), sizes in sizes()) {
        check_diff(seed, &sizes)?;
    }
}
