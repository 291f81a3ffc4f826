//! Verify: key generation and signing of tables (spec section 15), with the `minisign` crate.
//!
//! Keys and signatures are minisign's files: `minisign -V` checks atom's
//! signatures, and atom signs with keys made by `minisign -G`. A secret key
//! is written unencrypted (as `minisign -G -W` does) unless a password is
//! given, in which case it is encrypted with minisign's scrypt parameters.

use minisign::{KeyPair, SecretKey, SecretKeyBox};
use sha2::{Digest, Sha256};

use super::{Claims, KeyId, TrustedKey};

/// A new key pair, as the text of its two files.
pub struct NewKey {
    pub secret: String,
    pub public: String,
    pub id: KeyId,
}

/// Makes a key pair; `password` encrypts the secret key.
pub fn keygen(password: Option<String>) -> Result<NewKey, String> {
    let pair = match password {
        Some(p) => KeyPair::generate_encrypted_keypair(Some(p)),
        None => KeyPair::generate_unencrypted_keypair(),
    }
    .map_err(|e| e.to_string())?;
    let public = pair.pk.to_box().map_err(|e| e.to_string())?.into_string();
    let secret = pair
        .sk
        .to_box(Some("atom secret key"))
        .map_err(|e| e.to_string())?
        .into_string();
    let id = TrustedKey::decode(&public)?.id();
    Ok(NewKey { secret, public, id })
}

/// Reads a secret key file's text; an encrypted key needs `password`.
pub fn secret_key(text: &str, password: Option<String>) -> Result<SecretKey, String> {
    let boxed =
        || SecretKeyBox::from_string(text).map_err(|e| format!("not a minisign secret key: {e}"));
    // The key's own bytes say whether it is encrypted: its KDF field is
    // checked before anything is decrypted, so this never prompts.
    match boxed()?.into_unencrypted_secret_key() {
        Ok(key) => return Ok(key),
        Err(e) if e.to_string().contains("encrypted") => {}
        Err(e) => return Err(format!("not a minisign secret key: {e}")),
    }
    let Some(password) = password else {
        return Err(
            "the secret key is encrypted; give its password in `ATOM_KEY_PASSWORD`".to_string(),
        );
    };
    boxed()?
        .into_secret_key(Some(password))
        .map_err(|e| format!("could not decrypt the secret key: {e}"))
}

/// The SHA-256 of `bytes`, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Signs `table`: the text of its `.minisig` file. The trusted comment
/// carries the table's SHA-256, `revision` and `sequence`.
pub fn sign(
    table: &[u8],
    key: &SecretKey,
    revision: &str,
    sequence: u64,
    file_name: &str,
) -> Result<String, String> {
    if !Claims::valid_revision(revision) {
        return Err(format!(
            "the revision `{}` cannot be signed: it must be 1 to 256 characters without tabs or line breaks",
            revision.escape_debug()
        ));
    }
    let claims = Claims {
        sha256: sha256_hex(table),
        revision: revision.to_string(),
        sequence,
    };
    let comment = claims.comment(unix_now(), file_name);
    let untrusted = "signature from atom secret key";
    let sig = minisign::sign(None, key, table, Some(&comment), Some(untrusted))
        .map_err(|e| e.to_string())?;
    Ok(sig.into_string())
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::{check_hash, verify, Refusal};

    #[test]
    fn a_signed_table_verifies_and_every_change_is_refused() {
        let key = keygen(None).unwrap();
        let other = keygen(None).unwrap();
        let sk = secret_key(&key.secret, None).unwrap();
        let table = b"table bytes".to_vec();
        let sig = sign(&table, &sk, "r1", 7, "p.atomc").unwrap();
        let trusted = [TrustedKey::decode(&key.public).unwrap()];
        let signed = verify(&table, &sig, &trusted).unwrap();
        assert_eq!(signed.key_id, key.id);
        assert_eq!(
            (signed.revision().unwrap_or(""), signed.sequence()),
            ("r1", 7)
        );
        check_hash(&signed, &sha256_hex(&table)).unwrap();

        let others = [TrustedKey::decode(&other.public).unwrap()];
        assert!(matches!(
            verify(&table, &sig, &others),
            Err(Refusal::OtherKey { .. })
        ));
        assert!(matches!(
            verify(b"other bytes", &sig, &trusted),
            Err(Refusal::OtherBytes { .. })
        ));
        let forged = sig.replace("seq:7", "seq:9");
        assert!(matches!(
            verify(&table, &forged, &trusted),
            Err(Refusal::OtherBytes { .. })
        ));
        assert!(matches!(
            verify(&table, "garbage", &trusted),
            Err(Refusal::Malformed(_))
        ));
    }

    #[test]
    fn an_encrypted_key_needs_its_password() {
        let key = keygen(Some("pw".to_string())).unwrap();
        assert!(secret_key(&key.secret, None)
            .unwrap_err()
            .contains("ATOM_KEY_PASSWORD"));
        assert!(secret_key(&key.secret, Some("wrong".to_string())).is_err());
        assert!(secret_key(&key.secret, Some("pw".to_string())).is_ok());
    }
}
