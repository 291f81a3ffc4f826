//! Eval: requests, as a runtime builds them.
//!
//! A request names its subject and object by qualified name, or describes
//! one the policy does not declare (spec section 6, last paragraph).

use super::value::Value;
use crate::kinds::{EntityKind, EntityStatus, ObjectKind};

/// The subject of a request.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    /// A declared entity: `T/name`, or a platform name.
    Named(&'a str),
    /// An entity the policy does not declare.
    Described(&'a DescribedSubject),
}

/// An undeclared subject's facts. Its kind and status are vocabulary
/// words: a decoder refuses any other text before a request is made.
#[derive(Clone, Debug, PartialEq)]
pub struct DescribedSubject {
    pub id: String,
    pub kind: EntityKind,
    /// The tenant it belongs to, if any.
    pub tenant: Option<String>,
    /// Only `active` is allowed anything.
    pub status: EntityStatus,
    /// Qualified names of the principal groups it is a member of.
    pub groups: Vec<String>,
    pub attributes: Vec<(String, Value)>,
}

/// The object of a request.
#[derive(Clone, Copy, Debug)]
pub enum Object<'a> {
    /// A declared object: `T/name`, or a platform or tenant name.
    Named(&'a str),
    /// An object the policy does not declare.
    Described(&'a DescribedObject),
}

/// An undeclared object's facts.
#[derive(Clone, Debug, PartialEq)]
pub struct DescribedObject {
    pub id: String,
    /// Its kind, and its type if the kind has types.
    pub ty: ObjectType,
    /// The tenant that owns it, if any.
    pub tenant: Option<String>,
    /// The qualified name of its parent object group, if any.
    pub group: Option<String>,
    pub attributes: Vec<(String, Value)>,
}

/// An object's type as a request gives it: a kind (`credential`), or a
/// kind and a declared type's name (`resource:channel`). Whether the type
/// is declared is the table's to say.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectType {
    pub kind: ObjectKind,
    /// The name after the colon (`channel`), if any.
    pub name: Option<String>,
}

impl std::str::FromStr for ObjectType {
    type Err = String;

    /// `KIND` or `KIND:NAME`; an unknown kind is refused, naming the kinds.
    fn from_str(text: &str) -> Result<ObjectType, String> {
        let (kind, name) = match text.split_once(':') {
            Some((k, n)) => (k, Some(n.to_string())),
            None => (text, None),
        };
        let kind = ObjectKind::from_name(kind).ok_or_else(|| {
            format!(
                "`{kind}` is not an object kind ({})",
                ObjectKind::NAMES.join(", ")
            )
        })?;
        Ok(ObjectType { kind, name })
    }
}

impl std::fmt::Display for ObjectType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{}:{name}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

/// May `subject` perform `action` on `object`, given `context`?
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub subject: Subject<'a>,
    pub action: &'a str,
    pub object: Object<'a>,
    pub context: &'a [(String, Value)],
}
