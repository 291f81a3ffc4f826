//! Helpers shared by integration tests.
#![allow(dead_code)]

pub mod cli;
pub mod plan_eval;
pub mod policy_gen;
pub mod reference;
#[cfg(feature = "serve")]
pub mod server;
