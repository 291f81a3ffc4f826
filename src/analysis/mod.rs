//! Analysis: what a table grants over every context, computed from its structure: a triple's access, who-can and what-can (`access`), and the access diff of two tables (`diff`).
//!
//! Built on the evaluator (each context is decided by `eval` itself), and
//! never imported by it.

pub mod access;
pub mod diff;
