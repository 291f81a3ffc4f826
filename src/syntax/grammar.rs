//! Syntax: the pest binding of `grammar/atom.pest`; nothing outside `syntax` sees it.

use pest_derive::Parser;

/// The generated parser for `.atom` files.
#[derive(Parser)]
#[grammar = "../grammar/atom.pest"]
pub struct AtomParser;
