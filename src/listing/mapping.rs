//! Listing: the mapping file, which column holds which fact of an object (spec section 16).

use serde::Deserialize;

/// `table`, and the column of each fact; a fact without a column can be
/// used by no plan rendered for it.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The relation the `WHERE` applies to (`schema.table` allowed).
    pub table: String,
    /// text: the object's qualified name.
    pub id: Option<String>,
    /// text: `entity`, `resource`, `group`, ...
    pub kind: Option<String>,
    /// text, NULL for none.
    #[serde(rename = "type")]
    pub ty: Option<String>,
    /// text, NULL for platform objects.
    pub tenant: Option<String>,
    /// text: the object's own group, NULL for none.
    pub group: Option<String>,
    /// text[]: the object's group and every group above it.
    pub ancestors: Option<String>,
    /// text, NULL for objects that are not entities.
    pub status: Option<String>,
    /// jsonb object.
    pub attributes: Option<String>,
}

/// The largest mapping file read (64 KiB).
pub const MAX_MAPPING: usize = 64 * 1024;

impl Mapping {
    /// A mapping from its TOML text; every column name non-empty and free
    /// of NUL (the only character a quoted PostgreSQL name cannot hold).
    pub fn parse(text: &str) -> Result<Mapping, String> {
        if text.len() > MAX_MAPPING {
            return Err(format!("the mapping is longer than {MAX_MAPPING} bytes"));
        }
        let m: Mapping = toml::from_str(text).map_err(|e| e.message().to_string())?;
        let names = [
            Some(&m.table),
            m.id.as_ref(),
            m.kind.as_ref(),
            m.ty.as_ref(),
            m.tenant.as_ref(),
            m.group.as_ref(),
            m.ancestors.as_ref(),
            m.status.as_ref(),
            m.attributes.as_ref(),
        ];
        for name in names.into_iter().flatten() {
            if name.is_empty() || name.contains('\0') {
                return Err(format!(
                    "`{}` is not a column or table name",
                    name.escape_debug()
                ));
            }
        }
        Ok(m)
    }
}

/// A column name as PostgreSQL reads it whatever it holds: in double
/// quotes, a double quote doubled.
pub fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The table's name, `schema.table` quoted part by part.
pub fn quoted_table(name: &str) -> String {
    name.split('.').map(quoted).collect::<Vec<_>>().join(".")
}
