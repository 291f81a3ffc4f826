//! Decision: the typed answer to one request, which every door encodes in its own format and metrics and logs read.

use crate::eval::Decision;

/// What a door answers for one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Decided (by the table, or by a door's own mapping, such as a
    /// declared name of another type).
    Decided(Decision),
    /// Not a valid request: no decision, an error that says why.
    Invalid(Invalid),
}

/// Why a request is not valid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub message: String,
    /// The key at fault (`subject.groups`), where there is one.
    pub key: Option<String>,
}

impl Invalid {
    /// An error about one key.
    pub fn at(key: &str, message: impl Into<String>) -> Invalid {
        Invalid {
            message: message.into(),
            key: Some(key.to_string()),
        }
    }
}

impl From<String> for Invalid {
    fn from(message: String) -> Invalid {
        Invalid { message, key: None }
    }
}

impl From<&str> for Invalid {
    fn from(message: &str) -> Invalid {
        Invalid::from(message.to_string())
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.key {
            Some(key) => write!(f, "`{key}`: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl Answer {
    /// An invalid request with no key.
    pub fn invalid(message: impl Into<String>) -> Answer {
        Answer::Invalid(Invalid {
            message: message.into(),
            key: None,
        })
    }

    /// Whether the request is allowed (an invalid one is not).
    pub fn allowed(&self) -> bool {
        matches!(self, Answer::Decided(d) if d.allow)
    }

    /// The metrics' and logs' words: `allow`, `deny` or `error`.
    pub fn result(&self) -> &'static str {
        match self {
            Answer::Decided(d) if d.allow => "allow",
            Answer::Decided(_) => "deny",
            Answer::Invalid(_) => "error",
        }
    }

    /// The reason's name (section 6), or `invalid_request`.
    pub fn reason(&self) -> &'static str {
        match self {
            Answer::Decided(d) => d.reason.name(),
            Answer::Invalid(_) => "invalid_request",
        }
    }

    /// The decision, if there is one.
    pub fn decision(&self) -> Option<&Decision> {
        match self {
            Answer::Decided(d) => Some(d),
            Answer::Invalid(_) => None,
        }
    }
}

impl From<Result<Decision, crate::eval::InvalidRequest>> for Answer {
    fn from(r: Result<Decision, crate::eval::InvalidRequest>) -> Answer {
        match r {
            Ok(d) => Answer::Decided(d),
            Err(e) => Answer::Invalid(Invalid {
                message: e.message,
                key: Some(e.key.to_string()),
            }),
        }
    }
}
