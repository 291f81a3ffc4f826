//! Table: the stable string hash and the placement of keys in the name indexes.
//!
//! A name index is an array of slots ([`NameSlot`](super::records::NameSlot)),
//! at most three quarters full, probed linearly (wrapping at the end) from a
//! key's home slot, `home(key_hash(key), len)`. The hash must never change
//! between builds and Rust releases, which rules out the standard library's
//! hasher (its algorithm is unspecified), so FNV-1a (with a finalizer) is written here. The
//! home slot comes from the hash's high 32 bits by multiplication (any
//! length, no power of two needed); a slot's [`tag`] is 16 other bits, so
//! a probe passes over other names without reading them. A lookup probes
//! at most every slot once, so a hostile index can make it slow but never
//! endless.

/// The "absent" value of every optional `u32` field.
pub const NONE: u32 = u32::MAX;

/// 64-bit FNV-1a.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01B3);
    }
    h
}

/// The hash of a key in a name index: FNV-1a, then MurmurHash3's 64-bit
/// finalizer, so that every bit depends on every byte (FNV-1a alone barely
/// moves its high bits when only a name's last byte differs, and names
/// such as `t1/device-17` and `t1/device-18` would crowd one stretch of
/// the index).
pub fn key_hash(bytes: &[u8]) -> u64 {
    let mut h = fnv1a(bytes);
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// The slot count for `n` keys: at most three quarters full.
pub fn capacity(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        n + n / 3 + 1
    }
}

/// The first slot to probe for a key of hash `hash` in an index of `len`
/// slots: below `len` whenever `len` is not 0 (and `len` fits in `u32`,
/// which a table's section sizes guarantee).
#[inline]
pub fn home(hash: u64, len: usize) -> usize {
    (((hash >> 32) * (len as u64 & 0xFFFF_FFFF)) >> 32) as usize
}

/// The slot after `at`, wrapping.
#[inline]
pub fn next(at: usize, len: usize) -> usize {
    if at + 1 >= len {
        0
    } else {
        at + 1
    }
}

/// The 16 bits of a key's hash stored in its slot.
#[inline]
pub fn tag(hash: u64) -> u16 {
    (hash >> 16) as u16
}

/// Places keys: `keys[i]` is the name of record `i`; the result has one
/// entry per slot, the record placed there or [`NONE`].
pub fn build<'k>(keys: impl ExactSizeIterator<Item = &'k str>) -> Vec<u32> {
    let len = capacity(keys.len());
    let mut slots = vec![NONE; len];
    for (i, key) in keys.enumerate() {
        let mut at = home(key_hash(key.as_bytes()), len);
        while slots[at] != NONE {
            at = next(at, len);
        }
        slots[at] = i as u32;
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_reference_values() {
        assert_eq!(fnv1a(b""), 0xCBF2_9CE4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xAF63_DC4C_8601_EC8C);
    }

    #[test]
    fn every_key_is_placed_once_and_reachable_from_its_home() {
        let keys: Vec<String> = (0..1000)
            .map(|i| format!("t{}/device-{i}", i % 7))
            .collect();
        let slots = build(keys.iter().map(String::as_str));
        assert_eq!(slots.len(), 1334);
        assert_eq!(slots.iter().filter(|&&s| s != NONE).count(), keys.len());
        for (i, k) in keys.iter().enumerate() {
            let mut at = home(key_hash(k.as_bytes()), slots.len());
            // Linear probing: no empty slot between a key's home and its slot.
            while slots[at] != i as u32 {
                assert_ne!(slots[at], NONE, "{k} is cut off from its home");
                at = next(at, slots.len());
            }
        }
    }

    #[test]
    fn names_that_differ_in_their_last_bytes_spread_out() {
        // Linear probing at three quarters full takes 2.5 probes on
        // average for well-spread keys; crowded homes would take hundreds.
        let keys: Vec<String> = (0..100_000)
            .map(|i| format!("t{}/device-{i}", i % 200))
            .collect();
        let slots = build(keys.iter().map(String::as_str));
        let mut probes = 0usize;
        for (i, k) in keys.iter().enumerate() {
            let mut at = home(key_hash(k.as_bytes()), slots.len());
            probes += 1;
            while slots[at] != i as u32 {
                at = next(at, slots.len());
                probes += 1;
            }
        }
        let mean = probes as f64 / keys.len() as f64;
        assert!(mean < 3.0, "{mean} probes per key");
    }

    #[test]
    fn home_is_in_range_for_any_hash() {
        for len in [1usize, 2, 3, 1334, u32::MAX as usize] {
            for h in [0u64, 1, u64::MAX, 0xFFFF_FFFF_0000_0000, fnv1a(b"x")] {
                assert!(home(h, len) < len);
            }
        }
        assert_eq!(next(2, 3), 0);
        assert_eq!(capacity(0), 0);
        assert_eq!(capacity(3), 5);
    }
}
