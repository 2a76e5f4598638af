//! [`FastHasher`]: the hasher of the model's own lookup maps ([`FastMap`], [`FastSet`]).
//!
//! The standard `HashMap` hashes with SipHash-1-3, built to resist keys chosen to collide;
//! hashing names a few bytes long with it was a tenth of a build at 5,000 nodes (workloads,
//! services, labels and selectors looked up once or more per object). The model's maps are
//! lookups only: nothing reads one in its iteration order, so the hasher changes no output.
//! This one takes eight bytes at a time (multiply and rotate, as rustc's FxHash) and mixes
//! the result once at the end (MurmurHash3's finaliser), so the low bits the table indexes
//! by depend on every input bit. It is deterministic (the same on every platform, wasm
//! included) and, like any hasher with fixed keys, not meant for keys an attacker picks to
//! collide; every list a scenario holds is bounded (`scenario::limits`).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` with [`FastHasher`]: made with `FastMap::default()` or `with_capacity_and_hasher`.
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FastHasher>>;

/// A `HashSet` with [`FastHasher`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

/// An empty [`FastMap`] with room for `n` entries.
pub fn map_with_capacity<K, V>(n: usize) -> FastMap<K, V> {
    FastMap::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

/// An empty [`FastSet`] with room for `n` items.
pub fn set_with_capacity<K>(n: usize) -> FastSet<K> {
    FastSet::with_capacity_and_hasher(n, BuildHasherDefault::default())
}

/// Word-at-a-time multiply-rotate hashing with a final mix; see the module documentation.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher(u64);

/// FxHash's multiplier (odd, with well-spread bits).
const K: u64 = 0x517c_c1b7_2722_0a95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn finish(&self) -> u64 {
        // MurmurHash3's fmix64: every output bit depends on every input bit.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(<[u8; 8]>::try_from(word).map_or(0, u64::from_le_bytes));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            // The tail, zero-padded, with its length in the top byte (always free: at most 7
            // bytes of tail).
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ (rest.len() as u64) << 56);
        }
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u16(&mut self, n: u16) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash<T: Hash + ?Sized>(value: &T) -> u64 {
        BuildHasherDefault::<FastHasher>::default().hash_one(value)
    }

    #[test]
    fn equal_keys_hash_alike_and_neighbours_differ() {
        assert_eq!(hash("web-1"), hash(&String::from("web-1")));
        assert_eq!(hash(&("default", "web")), hash(&("default", "web")));
        assert_ne!(hash("web-1"), hash("web-2"));
        // The split between the parts of a tuple counts.
        assert_ne!(hash(&("ab", "c")), hash(&("a", "bc")));
        // Tails of every length, and the word boundary.
        let texts = ["", "a", "ab", "abcdefg", "abcdefgh", "abcdefghi"];
        let hashes: FastSet<u64> = texts.iter().map(|t| hash(*t)).collect();
        assert_eq!(hashes.len(), texts.len());
    }

    #[test]
    fn low_bits_spread_over_a_table() {
        // 4,096 names like a scenario's, 4,096 slots indexed by the low bits: a fair spread
        // fills most of them (a uniform hash fills 1 − 1/e ≈ 63%).
        let mut used = vec![false; 4096];
        for i in 0..4096 {
            used[(hash(&format!("api-{i}")) & 4095) as usize] = true;
        }
        let filled = used.iter().filter(|u| **u).count();
        assert!(filled > 2400, "{filled} of 4096 slots");
    }

    #[test]
    fn maps_find_what_they_hold() {
        let mut map: FastMap<(&str, &str), usize> = map_with_capacity(2);
        map.insert(("default", "web"), 1);
        map.insert(("kube-system", "web"), 2);
        assert_eq!(map.get(&("default", "web")), Some(&1));
        assert_eq!(map.get(&("kube-system", "web")), Some(&2));
        assert_eq!(map.get(&("default", "api")), None);
        let mut set: FastSet<u32> = set_with_capacity(1);
        assert!(set.insert(7));
        assert!(!set.insert(7));
    }
}
