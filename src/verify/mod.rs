//! Verify: minisign signatures over table bytes (spec section 15), with no dependency but `minisign-verify`.
//!
//! A signed table `policy.atomc` sits beside `policy.atomc.minisig`, in
//! minisign's format (Ed25519 over the BLAKE2b-512 of the bytes, and a
//! second signature over the trusted comment). [`verify`] checks a table
//! against a set of trusted public keys and returns who signed it and what
//! the trusted comment claims (see [`claims`]); [`Refusal`] says which step
//! failed. Rollback (a lower sequence number than the active table's) is
//! the server's check, as only it knows the active table.
//!
//! Limits: a public key or signature file is read only up to
//! [`MAX_SIGNATURE_BYTES`]; a larger one is refused unread.

pub mod claims;
mod key_id;
#[cfg(feature = "sign")]
pub mod sign;

pub use claims::Claims;
pub use key_id::KeyId;

/// The largest signature or public key file read: 4 KiB (minisign's are
/// under 400 bytes; the bound keeps a hostile file from being read whole).
pub const MAX_SIGNATURE_BYTES: usize = 4096;

/// A public key a table may be signed with.
#[derive(Clone, Debug)]
pub struct TrustedKey {
    key: minisign_verify::PublicKey,
    id: KeyId,
}

impl TrustedKey {
    /// Reads a public key in minisign's format (`untrusted comment: …`, then
    /// the key in base64), or the base64 line alone.
    pub fn decode(text: &str) -> Result<TrustedKey, String> {
        if text.len() > MAX_SIGNATURE_BYTES {
            return Err(format!("longer than {MAX_SIGNATURE_BYTES} bytes"));
        }
        let line = match text.lines().next() {
            Some(first) if first.starts_with("untrusted comment:") => text.lines().nth(1),
            first => first,
        }
        .map(str::trim)
        .ok_or("empty")?;
        let key = minisign_verify::PublicKey::from_base64(line)
            .map_err(|e| format!("not a minisign public key: {e}"))?;
        let id = KeyId::of_public_key(line).ok_or("not a minisign public key")?;
        Ok(TrustedKey { key, id })
    }

    /// The key's id, as minisign prints it (16 uppercase hex digits).
    pub fn id(&self) -> KeyId {
        self.id
    }
}

/// A table whose signature holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// The key that signed it.
    pub key_id: KeyId,
    /// What the trusted comment says; `None` for a comment without atom's
    /// fields (minisign's own), which claims nothing beyond the bytes.
    pub claims: Option<Claims>,
}

impl Signed {
    /// The signed sequence number: 0 without claims, so that anti-rollback
    /// refuses such a table once a table with a higher number is active.
    pub fn sequence(&self) -> u64 {
        self.claims.as_ref().map_or(0, |c| c.sequence)
    }

    /// The signed source revision, if the comment claims one.
    pub fn revision(&self) -> Option<&str> {
        self.claims.as_ref().map(|c| c.revision.as_str())
    }
}

/// Why a table is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No signature file beside the table.
    Unsigned,
    /// The signature file is not a minisign signature.
    Malformed(String),
    /// Signed by a key that is not trusted.
    OtherKey {
        signed_by: KeyId,
        trusted: Vec<KeyId>,
    },
    /// The signature does not hold for these bytes (the table or the
    /// trusted comment was changed after signing).
    OtherBytes { key_id: KeyId },
    /// The signature holds, but its trusted comment lacks atom's claims.
    Claims(String),
    /// The signature holds, but the table's SHA-256 is not the claimed one.
    HashMismatch { claimed: String, actual: String },
    /// The sequence number is lower than the active table's.
    Rollback { sequence: u64, active: u64 },
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Unsigned => write!(f, "the table is not signed (no `.minisig` file beside it)"),
            Refusal::Malformed(e) => write!(f, "the signature file is not a minisign signature: {e}"),
            Refusal::OtherKey { signed_by, trusted } => {
                let trusted: Vec<String> = trusted.iter().map(|k| format!("`{k}`")).collect();
                write!(
                    f,
                    "the table is signed by key `{signed_by}`, which is not trusted (trusted: {})",
                    trusted.join(", ")
                )
            }
            Refusal::OtherBytes { key_id } => write!(
                f,
                "the signature by key `{key_id}` does not match the table's bytes or its trusted comment (changed after signing)"
            ),
            Refusal::Claims(e) => write!(f, "{e}"),
            Refusal::HashMismatch { claimed, actual } => write!(
                f,
                "the signature claims SHA-256 `{claimed}` but the table's is `{actual}`"
            ),
            Refusal::Rollback { sequence, active } => write!(
                f,
                "rollback: the table's sequence number {sequence} is lower than the active table's {active}"
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// Checks `table` against its signature file's text with any of `keys`.
///
/// The signature may be minisign's pre-hashed kind (the default since
/// minisign 0.8) or its legacy one (`minisign -S -l`); it must be by a
/// trusted key, over exactly these bytes and this trusted comment. A
/// comment that carries atom's claims must carry all three; the claimed
/// SHA-256 is compared by [`check_hash`] where a SHA-256 is at hand.
pub fn verify(table: &[u8], signature: &str, keys: &[TrustedKey]) -> Result<Signed, Refusal> {
    if signature.len() > MAX_SIGNATURE_BYTES {
        return Err(Refusal::Malformed(format!(
            "longer than {MAX_SIGNATURE_BYTES} bytes"
        )));
    }
    let sig = minisign_verify::Signature::decode(signature)
        .map_err(|e| Refusal::Malformed(e.to_string()))?;
    let signed_by = signature
        .lines()
        .nth(1)
        .and_then(KeyId::of_signature)
        .ok_or_else(|| Refusal::Malformed("no key id".to_string()))?;
    let Some(key) = keys.iter().find(|k| k.id == signed_by) else {
        return Err(Refusal::OtherKey {
            signed_by,
            trusted: keys.iter().map(|k| k.id).collect(),
        });
    };
    key.key
        .verify(table, &sig, true)
        .map_err(|_| Refusal::OtherBytes { key_id: signed_by })?;
    let claims = Claims::parse(sig.trusted_comment()).map_err(|e| Refusal::Claims(e.0))?;
    Ok(Signed {
        key_id: signed_by,
        claims,
    })
}

/// Compares the claimed SHA-256, if any, with the table's (`actual`,
/// lowercase hex). Without claims there is nothing to compare: the
/// signature itself covers the bytes.
pub fn check_hash(signed: &Signed, actual: &str) -> Result<(), Refusal> {
    match &signed.claims {
        Some(c) if c.sha256 != actual => Err(Refusal::HashMismatch {
            claimed: c.sha256.clone(),
            actual: actual.to_string(),
        }),
        _ => Ok(()),
    }
}

/// Refuses `sequence` if it is lower than the active table's.
pub fn check_sequence(sequence: u64, active: Option<u64>) -> Result<(), Refusal> {
    match active {
        Some(active) if sequence < active => Err(Refusal::Rollback { sequence, active }),
        _ => Ok(()),
    }
}

/// Reads a small file (a key or a signature) of at most
/// [`MAX_SIGNATURE_BYTES`]; a larger one is an error, never read whole.
pub fn read_small(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    if !std::fs::metadata(path)?.is_file() {
        return Err(Error::new(ErrorKind::InvalidInput, "not a regular file"));
    }
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(MAX_SIGNATURE_BYTES as u64 + 1)
        .read_to_string(&mut text)?;
    if text.len() > MAX_SIGNATURE_BYTES {
        return Err(Error::new(
            ErrorKind::InvalidData,
            format!("larger than {MAX_SIGNATURE_BYTES} bytes"),
        ));
    }
    Ok(text)
}

/// The signature file of a table: `TABLE.minisig`, as minisign names it.
pub fn signature_path(table: &std::path::Path) -> std::path::PathBuf {
    let mut name = table.as_os_str().to_owned();
    name.push(".minisig");
    std::path::PathBuf::from(name)
}
