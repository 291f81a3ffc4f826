//! Lint `allow-not-equal-missing` (L018): retired; it never reports.
//!
//! What it found: an allow block whose `!=` read an attribute that some
//! subject or object in its scope lacked, when `!=` held on a missing
//! side and the allow then applied to them.
//!
//! Why it is retired: spec section 5 now follows Atom: a comparison whose
//! side does not resolve is false, `!=` included, so an allow never
//! applies because an attribute is missing. The name and code stay known,
//! so that `atom.toml` levels and `atom: allow(...)` comments that name
//! them are not errors (such a comment is reported as an
//! `unused-suppression`, and can be removed). The code is never reused.
//! The opposite case, a deny that a missing attribute switches off, is
//! `deny-condition-fails-open` (L009), which now covers `!=` too.
//!
//! Example:
//!
//! ```text
//! entity device m2                           // no `fw` attribute
//! block non-legacy { allow publish on resource:channel
//!                    when entity.attributes.fw != "1" }   // m2 is not allowed
//! ```
//!
//! Fix: nothing to fix; remove the rule from `[lint]` and the suppression
//! comments that name it.
