//! Lint `suppression-without-reason` (L016): a suppression comment that does
//! not say why.
//!
//! What it finds: `// atom: allow(RULE)` with nothing after the parenthesis.
//!
//! Why it is bad: a suppression turns a finding off for good; without a
//! reason, the next reviewer cannot tell a considered exception from a
//! silenced warning.
//!
//! Example:
//!
//! ```text
//! // atom: allow(platform-wide-allow)
//! block auditors { allow read on all }
//! ```
//!
//! Fix: say why: `// atom: allow(platform-wide-allow) auditors read everything by design`.
