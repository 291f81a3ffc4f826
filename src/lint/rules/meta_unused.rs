//! Lint `unused-suppression` (L017): a suppression comment that suppresses nothing.
//!
//! What it finds: `// atom: allow(RULE) ...` where the line below has no
//! finding of RULE (the finding went away, the comment moved, or RULE is
//! misspelt).
//!
//! Why it is bad: a stale suppression would silently hide a future finding
//! on that line, and a misspelt one hides nothing while looking as if it did.
//!
//! Example:
//!
//! ```text
//! // atom: allow(unused-blok) kept for the next release
//! block spare { allow read on resource }
//! ```
//!
//! Fix: remove it, correct the name, or put it on the line just above the finding.
