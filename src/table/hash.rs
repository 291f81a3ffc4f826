//! Table: the stable string hash and the open-addressing name indexes.
//!
//! An index is a power-of-two array of `u32` slots holding record numbers
//! (or [`NONE`]), probed linearly from `fnv1a(name) & (len - 1)`. The hash
//! must never change between builds and Rust releases, which rules out the
//! standard library's hasher (its algorithm is unspecified), so FNV-1a is
//! written here. A lookup probes at most every slot once, so a hostile
//! index can make it slow but never endless.

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

/// The slot count for `n` keys: a power of two at most half full.
pub fn capacity(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        (n * 2).next_power_of_two()
    }
}

/// Builds an index: `keys[i]` is the name of record `i`.
pub fn build<'k>(keys: impl ExactSizeIterator<Item = &'k str>) -> Vec<u32> {
    let mut slots = vec![NONE; capacity(keys.len())];
    let mask = slots.len().wrapping_sub(1);
    for (i, key) in keys.enumerate() {
        let mut at = fnv1a(key.as_bytes()) as usize & mask;
        while slots[at] != NONE {
            at = (at + 1) & mask;
        }
        slots[at] = i as u32;
    }
    slots
}

/// A lookup begun: the first slot of a key's probe sequence and the name
/// of its record, read.
#[derive(Clone, Copy, Debug)]
pub struct Probe<'n> {
    at: usize,
    record: u32,
    name: Option<&'n str>,
}

/// Begins a lookup of `key` in an index of `len` slots (`slot(i)` reads
/// slot `i`; `name_of(r)` the name of record `r`): hashes the key and reads
/// its first slot and that record's name, without comparing. `None` for an
/// empty index. Beginning a second lookup before finishing a first lets
/// their memory reads overlap.
#[inline]
pub fn begin<'n>(
    slot: impl Fn(usize) -> u32,
    len: usize,
    key: &str,
    name_of: impl Fn(u32) -> Option<&'n str>,
) -> Option<Probe<'n>> {
    if len == 0 {
        return None;
    }
    let at = fnv1a(key.as_bytes()) as usize & (len - 1);
    let record = slot(at);
    let name = if record == NONE {
        None
    } else {
        name_of(record)
    };
    Some(Probe { at, record, name })
}

/// Finishes a lookup begun with [`begin`] on the same index and key.
#[inline]
pub fn finish<'n>(
    probe: Option<Probe<'n>>,
    slot: impl Fn(usize) -> u32,
    len: usize,
    key: &str,
    name_of: impl Fn(u32) -> Option<&'n str>,
) -> Option<u32> {
    let Probe {
        mut at,
        mut record,
        mut name,
    } = probe?;
    let mask = len.wrapping_sub(1);
    for _ in 0..len {
        if record == NONE {
            return None;
        }
        if name == Some(key) {
            return Some(record);
        }
        at = (at + 1) & mask;
        record = slot(at);
        name = if record == NONE {
            None
        } else {
            name_of(record)
        };
    }
    None
}

/// Finds the record whose name (given by `name_of`) is `key`.
pub fn find<'n>(
    slot: impl Fn(usize) -> u32 + Copy,
    len: usize,
    key: &str,
    name_of: impl Fn(u32) -> Option<&'n str> + Copy,
) -> Option<u32> {
    finish(begin(slot, len, key, name_of), slot, len, key, name_of)
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
    fn every_key_is_found_and_others_are_not() {
        let keys = ["a", "b", "factory/meter-001", "x/y", "zz"];
        let slots = build(keys.iter().copied());
        assert!(slots.len().is_power_of_two());
        for (i, k) in keys.iter().enumerate() {
            assert_eq!(
                find(
                    |s| slots[s],
                    slots.len(),
                    k,
                    |r| keys.get(r as usize).copied()
                ),
                Some(i as u32)
            );
        }
        assert_eq!(
            find(
                |s| slots[s],
                slots.len(),
                "nope",
                |r| keys.get(r as usize).copied()
            ),
            None
        );
    }
}
