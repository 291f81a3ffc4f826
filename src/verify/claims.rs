//! Verify: the trusted comment of a table signature, which binds the table's SHA-256, source revision and sequence number.
//!
//! The comment is minisign's `key:value` fields separated by tabs, as
//! `minisign -S` writes its own (`timestamp:…\tfile:…`), with three more
//! (a tab is shown as `→` here):
//!
//! ```text
//! timestamp:1764662400→file:policy.atomc→sha256:9f86…→revision:3c1e2a7→seq:1764662400
//! ```
//!
//! Unknown fields are ignored, so a comment written by hand with
//! `minisign -S -t` works as long as it carries the three. A comment with
//! none of the three (minisign's default, `timestamp:…\tfile:…`) makes no
//! claims: the signature still covers the table's bytes, and such a table
//! counts as sequence 0. A comment with some of the three but not all is
//! refused.

/// What a signature says about the table it signs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claims {
    /// The table's SHA-256, 64 lowercase hex digits.
    pub sha256: String,
    /// The revision of the sources the table was built from (free text
    /// without tabs or line breaks: a commit, a tag, a build number).
    pub revision: String,
    /// The sequence number: a server never replaces a table by one with a
    /// lower number (a rollback).
    pub sequence: u64,
}

/// A field of a trusted comment that is missing or malformed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimError(pub String);

impl std::fmt::Display for ClaimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Claims {
    /// The trusted comment for these claims; `timestamp` and `file` are
    /// minisign's own fields, kept so that `minisign -V` prints them as usual.
    pub fn comment(&self, timestamp: u64, file: &str) -> String {
        let file: String = file.chars().filter(|c| !c.is_control()).collect();
        format!(
            "timestamp:{timestamp}\tfile:{file}\tsha256:{}\trevision:{}\tseq:{}",
            self.sha256, self.revision, self.sequence
        )
    }

    /// Reads the claims from a trusted comment: `None` when it carries
    /// none of atom's fields.
    pub fn parse(comment: &str) -> Result<Option<Claims>, ClaimError> {
        let field = |key: &str| {
            comment
                .split('\t')
                .find_map(|f| f.strip_prefix(key)?.strip_prefix(':'))
        };
        if ["sha256", "revision", "seq"]
            .iter()
            .all(|k| field(k).is_none())
        {
            return Ok(None);
        }
        let missing = |key: &str| {
            ClaimError(format!(
                "the trusted comment has no `{key}:` field (atom signs with `sha256:`, `revision:` and `seq:`)"
            ))
        };
        let sha256 = field("sha256").ok_or_else(|| missing("sha256"))?;
        if sha256.len() != 64
            || !sha256
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(ClaimError(
                "the trusted comment's `sha256:` is not 64 lowercase hex digits".to_string(),
            ));
        }
        let revision = field("revision").ok_or_else(|| missing("revision"))?;
        let sequence = field("seq").ok_or_else(|| missing("seq"))?;
        let sequence = sequence.parse::<u64>().map_err(|_| {
            ClaimError(format!(
                "the trusted comment's `seq:` is `{sequence}`, not a whole number"
            ))
        })?;
        Ok(Some(Claims {
            sha256: sha256.to_string(),
            revision: revision.to_string(),
            sequence,
        }))
    }

    /// Whether `revision` can be carried in a trusted comment.
    pub fn valid_revision(revision: &str) -> bool {
        !revision.is_empty() && revision.len() <= 256 && !revision.chars().any(char::is_control)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            sha256: "ab".repeat(32),
            revision: "v1.2-3-gabc".to_string(),
            sequence: 42,
        }
    }

    #[test]
    fn a_comment_reads_back() {
        let c = claims();
        assert_eq!(Claims::parse(&c.comment(7, "p.atomc")), Ok(Some(c)));
    }

    #[test]
    fn a_missing_or_malformed_field_is_named() {
        let e = Claims::parse("timestamp:1\tfile:x\trevision:r\tseq:1").unwrap_err();
        assert!(e.0.contains("`sha256:`"), "{e}");
        let bad_seq = claims().comment(1, "x").replace("seq:42", "seq:-1");
        assert!(Claims::parse(&bad_seq).unwrap_err().0.contains("`-1`"));
        let bad_hash = claims().comment(1, "x").replace("sha256:ab", "sha256:AB");
        assert!(Claims::parse(&bad_hash).unwrap_err().0.contains("hex"));
    }

    #[test]
    fn minisigns_own_comment_makes_no_claims() {
        assert_eq!(
            Claims::parse("timestamp:1764662400\tfile:p.atomc"),
            Ok(None)
        );
        assert_eq!(Claims::parse("anything at all"), Ok(None));
    }

    #[test]
    fn revisions_without_line_breaks_only() {
        assert!(Claims::valid_revision("3c1e2a7-dirty"));
        assert!(!Claims::valid_revision("a\tb"));
        assert!(!Claims::valid_revision(""));
    }
}
