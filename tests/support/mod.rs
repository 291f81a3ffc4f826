//! Helpers shared by integration tests.
#![allow(dead_code)]

pub mod cli;
pub mod plan_eval;
pub mod plan_rows;
pub mod policy_gen;
pub mod postgres;
pub mod reference;
#[cfg(feature = "serve")]
pub mod server;
