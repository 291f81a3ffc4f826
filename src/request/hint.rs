//! Request: what to say when a request names something the table does not declare.

use crate::eval::{Decision, Reason};
use crate::table::format::{section as sec, NONE};
use crate::table::Table;

/// What kind of name a table lacks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Missing {
    Entity,
    Object,
    Action,
}

/// A sentence that repeats a name the table does not declare and suggests
/// the nearest declared one of the right kind (for an unqualified name,
/// the tenant things of that name).
pub fn unknown(table: &Table<'_>, missing: Missing, name: &str) -> String {
    let objects = 0..table.count(sec::OBJECTS) as u32;
    match missing {
        Missing::Entity => {
            let entities = objects
                .filter(|&o| table.object_entity(o) != NONE)
                .map(|o| table.object_name(o));
            sentence("no entity", name, entities)
        }
        Missing::Object => sentence("no object", name, objects.map(|o| table.object_name(o))),
        Missing::Action => {
            let actions = (0..table.count(sec::ACTIONS) as u32).map(|a| table.action_name(a));
            sentence("no action", name, actions)
        }
    }
}

/// For a decision about a name the table does not hold (an unknown
/// subject, object or action), [`unknown`]'s sentence.
pub fn not_found(
    table: &Table<'_>,
    decision: &Decision,
    subject: &str,
    action: &str,
    object: &str,
) -> Option<String> {
    match decision.reason {
        Reason::SubjectNotFound => Some(unknown(table, Missing::Entity, subject)),
        Reason::ObjectNotFound => Some(unknown(table, Missing::Object, object)),
        Reason::NotApplicable if table.action_named(action).is_none() => {
            Some(unknown(table, Missing::Action, action))
        }
        _ => None,
    }
}

/// The sentence, with a suggestion: the qualified names of tenant things
/// whose own name is `name` (requests name them `T/name`), else the nearest
/// declared name.
fn sentence<'t>(what: &str, name: &str, candidates: impl Iterator<Item = &'t str>) -> String {
    let candidates: Vec<&str> = candidates.collect();
    let suffix = format!("/{name}");
    let mut qualified: Vec<&str> = if name.contains('/') {
        Vec::new()
    } else {
        candidates
            .iter()
            .copied()
            .filter(|c| c.ends_with(&suffix))
            .collect()
    };
    qualified.sort_unstable();
    if !qualified.is_empty() {
        let shown = qualified.len().min(3);
        let mut list = crate::check::suggest::list(&qualified[..shown]).replace(" and ", " or ");
        if qualified.len() > shown {
            list.push_str(&format!(" (or {} more)", qualified.len() - shown));
        }
        return format!(
            "{what} `{name}` is declared; did you mean {list}? (tenant things are named `TENANT/NAME`)"
        );
    }
    match crate::check::suggest_closest(name, candidates) {
        Some(near) => format!("{what} `{name}` is declared; did you mean `{near}`?"),
        None => format!("{what} `{name}` is declared"),
    }
}
