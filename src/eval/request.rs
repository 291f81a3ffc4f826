//! Eval: requests, as a runtime builds them.
//!
//! A request names its subject and object by qualified name, or describes
//! one the policy does not declare (spec section 6, last paragraph).

use super::value::Value;

/// The subject of a request.
#[derive(Clone, Copy, Debug)]
pub enum Subject<'a> {
    /// A declared entity: `T/name`, or a platform name.
    Named(&'a str),
    /// An entity the policy does not declare.
    Described(&'a DescribedSubject),
}

/// An undeclared subject's facts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DescribedSubject {
    pub id: String,
    /// An entity kind: `human`, `device`, `service`, `workload`, `application`.
    pub kind: String,
    /// The tenant it belongs to, if any.
    pub tenant: Option<String>,
    /// `active`, `inactive` or `suspended`; only `active` is allowed anything.
    pub status: String,
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
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DescribedObject {
    pub id: String,
    /// A type (`resource:channel`, `entity:device`) or a kind without
    /// types (`credential`).
    pub kind: String,
    /// The tenant that owns it, if any.
    pub tenant: Option<String>,
    /// The qualified name of its parent object group, if any.
    pub group: Option<String>,
    pub attributes: Vec<(String, Value)>,
}

/// May `subject` perform `action` on `object`, given `context`?
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub subject: Subject<'a>,
    pub action: &'a str,
    pub object: Object<'a>,
    pub context: &'a [(String, Value)],
}
