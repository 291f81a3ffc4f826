//! Verify: minisign key ids, read from the base64 of a public key or a signature.

/// A minisign key id: 8 bytes, printed as minisign prints it (the bytes
/// read as a little-endian number, 16 uppercase hex digits).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct KeyId(pub [u8; 8]);

impl std::fmt::Display for KeyId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:016X}", u64::from_le_bytes(self.0))
    }
}

impl KeyId {
    /// The key id of a public key's base64 line (algorithm, id, key).
    pub fn of_public_key(base64: &str) -> Option<KeyId> {
        Self::after_algorithm(base64)
    }

    /// The key id of a signature's base64 line (algorithm, id, signature).
    pub fn of_signature(base64: &str) -> Option<KeyId> {
        Self::after_algorithm(base64)
    }

    /// Both lines start with 2 bytes of algorithm and 8 of key id: the
    /// first 16 base64 characters hold 12 bytes.
    fn after_algorithm(base64: &str) -> Option<KeyId> {
        let head = base64.trim().as_bytes().get(..16)?;
        let mut bytes = [0u8; 12];
        for (i, quad) in head.chunks(4).enumerate() {
            let mut n: u32 = 0;
            for &c in quad {
                n = (n << 6) | u32::from(sextet(c)?);
            }
            bytes[i * 3..i * 3 + 3].copy_from_slice(&n.to_be_bytes()[1..]);
        }
        let mut id = [0u8; 8];
        id.copy_from_slice(&bytes[2..10]);
        Some(KeyId(id))
    }
}

/// The value of one standard base64 character.
fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_id_minisign_prints() {
        // minisign's own test key: "minisign public key 8A2D1B5F0B69E5E5"…
        // built here from known bytes: algorithm "Ed", id 1..=8, key zeros.
        let mut raw = vec![b'E', b'd', 1, 2, 3, 4, 5, 6, 7, 8];
        raw.extend([0u8; 32]);
        let b64 = encode(&raw);
        let id = KeyId::of_public_key(&b64).unwrap();
        assert_eq!(id.0, [1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(id.to_string(), "0807060504030201");
        assert_eq!(KeyId::of_public_key("RWQ!"), None);
    }

    fn encode(bytes: &[u8]) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = String::new();
        for c in bytes.chunks(3) {
            let n = c
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..=c.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }
}
