//! Request: an access diff as people read it (grouped), as a pull-request comment (Markdown), and as JSON (spec section 13).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::json;

use crate::analysis::access::Access;
use crate::analysis::diff::Change;
use crate::diag::visible::visible;
use crate::kinds::EntityKind;

/// Changes that read as one: the same action, the same old and new
/// access, through the same block.
struct Group<'c> {
    changes: Vec<&'c Change>,
}

impl Group<'_> {
    fn first(&self) -> &Change {
        self.changes[0]
    }
    fn distinct(&self, f: impl Fn(&Change) -> &str) -> Vec<&str> {
        let mut v: Vec<&str> = self.changes.iter().map(|c| f(c)).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// What the changes of one group share: lost or gained, action, before,
/// after, block.
type GroupKey<'c> = (
    Option<&'c str>,
    bool,
    &'c str,
    Access,
    Access,
    Option<&'c str>,
);

fn groups(changes: &[Change]) -> Vec<Group<'_>> {
    let mut by: BTreeMap<GroupKey<'_>, Vec<&Change>> = BTreeMap::new();
    for c in changes {
        let key = (
            c.described.map(|_| "described"),
            !c.gained(),
            c.action.as_str(),
            c.old,
            c.new,
            c.block.as_deref(),
        );
        by.entry(key).or_default().push(c);
    }
    by.into_values().map(|changes| Group { changes }).collect()
}

/// `a`, `b`, `c` and N more.
fn examples(names: &[&str], shown: usize) -> String {
    let listed: Vec<String> = names.iter().take(shown).map(|n| format!("`{n}`")).collect();
    match names.len().saturating_sub(shown) {
        0 => listed.join(", "),
        more => format!("{} and {more} more", listed.join(", ")),
    }
}

fn headline(g: &Group<'_>) -> String {
    let c = g.first();
    let (subjects, objects) = (g.distinct(|c| &c.subject), g.distinct(|c| &c.object));
    let who = match c.described {
        Some(_) => {
            let mut kinds: Vec<&str> = (g.changes.iter())
                .filter_map(|c| c.described.map(EntityKind::name))
                .collect();
            kinds.sort_unstable();
            kinds.dedup();
            format!("subjects described ({}) into", kinds.join(", "))
        }
        None => format!("subject{}", if subjects.len() == 1 { "" } else { "s" }),
    };
    let verb = match (c.gained(), subjects.len() == 1 && c.described.is_none()) {
        (true, true) => "gains",
        (true, false) => "gain",
        (false, true) => "loses",
        (false, false) => "lose",
    };
    let through = c
        .block
        .as_ref()
        .map_or(String::new(), |b| format!(", through block `{b}`"));
    let count = if c.described.is_some() {
        format!(
            "{who} {} group{}",
            subjects.len(),
            if subjects.len() == 1 { "" } else { "s" }
        )
    } else {
        format!("{} {who}", subjects.len())
    };
    format!(
        "{count} {verb} `{}` on {} object{} ({} → {}){through}",
        c.action,
        objects.len(),
        if objects.len() == 1 { "" } else { "s" },
        c.old.name(),
        c.new.name()
    )
}

/// (gained, lost): the subject entries whose access grows and shrinks
/// (principal-group entries are not counted, as section 13 says).
pub fn counts(changes: &[Change]) -> (usize, usize) {
    let subjects = changes.iter().filter(|c| !c.is_group());
    let (gained, all) = subjects.fold((0, 0), |(g, n), c| (g + usize::from(c.gained()), n + 1));
    (gained, all - gained)
}

/// For people: one paragraph per group, with a few examples, then the counts.
pub fn human(changes: &[Change]) -> String {
    let mut out = String::new();
    for g in groups(changes) {
        let sign = if g.first().gained() { '+' } else { '-' };
        let _ = writeln!(out, "{sign} {}", headline(&g));
        let _ = writeln!(
            out,
            "    {}: {}\n    objects: {}",
            if g.first().is_group() {
                "groups"
            } else {
                "subjects"
            },
            examples(&g.distinct(|c| &c.subject), 3),
            examples(&g.distinct(|c| &c.object), 3)
        );
    }
    let (gained, lost) = counts(changes);
    let _ = writeln!(out, "access: {gained} gained, {lost} lost");
    visible(&out).into_owned()
}

/// For a pull-request comment: a summary table by action, then each group
/// in a collapsible section listing every triple.
pub fn markdown(changes: &[Change]) -> String {
    let (gained, lost) = counts(changes);
    let mut out = format!("### Access changes: {gained} gained, {lost} lost\n\n");
    if changes.is_empty() {
        out.push_str("No subject gains or loses access.\n");
        return out;
    }
    let mut by_action: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for c in changes.iter().filter(|c| !c.is_group()) {
        let e = by_action.entry(c.action.as_str()).or_default();
        if c.gained() {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    out.push_str("| action | gained | lost |\n|---|---|---|\n");
    for (action, (g, l)) in by_action {
        let _ = writeln!(out, "| `{action}` | {g} | {l} |");
    }
    out.push('\n');
    for g in groups(changes) {
        let _ = writeln!(
            out,
            "<details><summary>{}</summary>\n",
            md_escape(&headline(&g))
        );
        let group = g.first().is_group();
        out.push_str(if group {
            "| group | kinds | object | before | after |\n|---|---|---|---|---|\n"
        } else {
            "| subject | object | before | after |\n|---|---|---|---|\n"
        });
        for (c, kinds) in collapsed(g.changes.iter().copied()) {
            let kinds = match (group, kinds) {
                (false, _) => String::new(),
                (true, None) => " all |".to_string(),
                (true, Some(k)) => format!(" {} |", k.join(", ")),
            };
            let _ = writeln!(
                out,
                "| `{}` |{kinds} `{}` | {} | {} |",
                c.subject,
                c.object,
                c.old.name(),
                c.new.name()
            );
        }
        out.push_str("\n</details>\n\n");
    }
    visible(&out).into_owned()
}

fn md_escape(s: &str) -> String {
    s.replace('<', "&lt;").replace('>', "&gt;")
}

/// Entries that differ only in the kind of the subject described into a
/// group, as one: the entry, and its kinds (`None` when every entity kind
/// has the same change). A declared subject's entry stands alone.
fn collapsed<'c>(
    changes: impl Iterator<Item = &'c Change>,
) -> Vec<(&'c Change, Option<Vec<&'static str>>)> {
    let mut out: Vec<(&Change, Vec<&'static str>)> = Vec::new();
    let mut at: BTreeMap<(&str, &str, &str, Access, Access), usize> = BTreeMap::new();
    for c in changes {
        let Some(kind) = c.described.map(EntityKind::name) else {
            out.push((c, Vec::new()));
            continue;
        };
        let key = (
            c.subject.as_str(),
            c.action.as_str(),
            c.object.as_str(),
            c.old,
            c.new,
        );
        match at.get(&key) {
            Some(&i) => out[i].1.push(kind),
            None => {
                at.insert(key, out.len());
                out.push((c, vec![kind]));
            }
        }
    }
    out.into_iter()
        .map(|(c, mut kinds)| {
            kinds.sort_unstable();
            let all = c.is_group() && kinds.len() == EntityKind::ALL.len();
            (c, (c.is_group() && !all).then_some(kinds))
        })
        .collect()
}

/// The JSON of section 13: `{"changes":[...],"summary":{"gained","lost"}}`.
/// A principal-group entry carries `"group"` in place of `"subject"`, and
/// `"kinds"` (the entity kinds described into the group that have this
/// change) unless every kind has it.
pub fn json(changes: &[Change]) -> String {
    let (gained, lost) = counts(changes);
    let list: Vec<_> = collapsed(changes.iter())
        .into_iter()
        .map(|(c, kinds)| {
            let mut entry = json!({
                "action": c.action,
                "object": c.object,
                "old": c.old.name(),
                "new": c.new.name(),
            });
            if c.is_group() {
                entry["group"] = json!(c.subject);
                if let Some(kinds) = kinds {
                    entry["kinds"] = json!(kinds);
                }
            } else {
                entry["subject"] = json!(c.subject);
            }
            entry
        })
        .collect();
    json!({ "changes": list, "summary": { "gained": gained, "lost": lost } }).to_string() + "\n"
}
