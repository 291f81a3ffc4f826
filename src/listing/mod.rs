//! Listing: a query plan (spec section 16) as a PostgreSQL `WHERE` clause over one table, for an application's list endpoints.
//!
//! [`mapping::Mapping`] says which column holds which fact of an object
//! (section 16's TOML); [`sql::render`] writes a plan as a boolean
//! expression with `$1`, `$2`, ... placeholders and the parameters beside
//! it. The expression is built from fixed fragments, the mapping's quoted
//! column names and placeholders only: no value of a plan (a name, an
//! attribute key, a string, a number) is ever written into its text. Every
//! comparison is two-valued (never SQL's NULL), so `NOT` means section 5's
//! "does not hold". What the mapping lacks, or SQL cannot say exactly, is
//! an error that says what ([`sql::SqlError`]).

pub mod instant;
pub mod mapping;
pub mod sql;
