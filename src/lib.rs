//! atom: policy-as-code for the Atom access model.
//!
//! The pipeline, one module a stage: [`syntax`] parses `.atom` files into an
//! AST; `check` resolves and validates it; `lint` finds what is legal but
//! wrong; `compile` emits a binary decision table; `table` reads it and
//! `eval` decides requests from it. [`diag`] is how every stage reports,
//! [`project`] finds and loads a policy set, and [`workspace`] holds a set
//! in memory for the CLI, the language server and embedders. The runtime part (`table`,
//! `eval`, [`kinds`]) builds with `--no-default-features` and no dependencies.

#![forbid(unsafe_code)]

/// The README's Rust examples, compiled and run as doctests so that they stay true.
#[cfg(all(doctest, feature = "cli"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

pub mod analysis;
pub mod eval;
pub mod kinds;
pub mod table;
pub mod time;
pub mod value;
#[cfg(feature = "verify")]
pub mod verify;

#[cfg(feature = "compiler")]
pub mod check;
#[cfg(feature = "cli")]
pub mod cli;
#[cfg(feature = "compiler")]
pub mod compile;
#[cfg(feature = "compiler")]
pub mod decision;
#[cfg(feature = "compiler")]
pub mod diag;
#[cfg(feature = "compiler")]
pub mod format;
#[cfg(feature = "compiler")]
pub mod gen;
#[cfg(feature = "compiler")]
pub mod lint;
#[cfg(feature = "compiler")]
pub mod listing;
#[cfg(feature = "cli")]
pub mod lsp;
#[cfg(feature = "compiler")]
pub mod project;
#[cfg(feature = "compiler")]
pub mod request;
#[cfg(feature = "serve")]
pub mod serve;
#[cfg(feature = "compiler")]
pub mod syntax;
#[cfg(feature = "compiler")]
pub mod testing;
#[cfg(feature = "compiler")]
pub mod workspace;
