//! Value: the runtime's ground floor, the values requests and policies carry (exact decimals included), below the table and the evaluator.
//!
//! Nothing here depends on another module of the crate: `table`, `eval`
//! and the checker all build on it.

pub mod decimal;

pub use decimal::Decimal;

/// An owned value, as carried by requests.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    /// An exact decimal (never a binary float).
    Dec(Decimal),
    Bool(bool),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
}
