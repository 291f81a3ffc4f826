//! Request: what to say when a request names something the table does not declare.

use crate::eval::{Decision, Reason};
use crate::table::format::{section as sec, NONE};
use crate::table::Table;

/// For a decision about a name the table does not hold (an unknown
/// subject, object or action), a sentence that repeats the name and
/// suggests the nearest declared one of the right kind.
pub fn not_found(
    table: &Table<'_>,
    decision: &Decision,
    subject: &str,
    action: &str,
    object: &str,
) -> Option<String> {
    match decision.reason {
        Reason::SubjectNotFound => {
            let entities = (0..table.count(sec::OBJECTS) as u32)
                .filter(|&o| table.object_entity(o) != NONE)
                .map(|o| table.object_name(o));
            Some(sentence("no entity", subject, entities))
        }
        Reason::ObjectNotFound => {
            let objects = (0..table.count(sec::OBJECTS) as u32).map(|o| table.object_name(o));
            Some(sentence("no object", object, objects))
        }
        Reason::NotApplicable if table.action_named(action).is_none() => {
            let actions = (0..table.count(sec::ACTIONS) as u32).map(|a| table.action_name(a));
            Some(sentence("no action", action, actions))
        }
        _ => None,
    }
}

fn sentence<'t>(what: &str, name: &str, candidates: impl Iterator<Item = &'t str>) -> String {
    match crate::check::suggest_closest(name, candidates) {
        Some(near) => format!("{what} `{name}` is declared; did you mean `{near}`?"),
        None => format!("{what} `{name}` is declared"),
    }
}
