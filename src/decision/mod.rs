//! Decision: the layer every front door goes through: one table source (a file, sources, `git:REV`) with its trust, yielding the active table.
//!
//! A door names where its table comes from ([`TableSource`]) and how far
//! it trusts it ([`Trust`]); [`TableSource::load`] reads, compiles,
//! verifies and validates it whole and gives the [`Active`] table with
//! what identifies it (revision, key, sequence, SHA-256), or a
//! [`LoadError`] that says which step failed. `atom query`, `who-can`,
//! `what-can`, `diff` and `atom serve` all load through it.
//!
//! A door then decodes its request into the one typed request
//! ([`crate::request::OwnedRequest`]: each party named or described, kinds
//! and statuses as vocabulary words), decides, and encodes the typed
//! [`Answer`] in its own format ([`encode`]: atom's JSON, AuthZEN, Atom's
//! gRPC reason, human text, the decision log; [`encode::Grant`] is the
//! deciding grant every one of them words). The decoders: atom's JSON
//! (`request::parse_request`), an AuthZEN item (`request::authzen`), a
//! gRPC `CheckRequest` (`serve::grpc`), a test line
//! (`testing::line_request`) and `atom query`'s arguments. Metrics and logs
//! read the typed answer, never a door's JSON.

pub mod answer;
pub mod encode;
#[cfg(feature = "sign")]
pub mod source;

pub use answer::{Answer, Invalid};
#[cfg(feature = "sign")]
pub use source::{Active, LoadError, TableSource, Trust};
