//! Fingerprints: a small, stable hash (FNV-1a) of bytes, for content-hashed file names and for
//! the keys of remembered work, and the folder where a project's caches live.
//!
//! A key is always made from the bytes of the inputs it stands for, each part followed by a
//! separator so that `["ab", "c"]` and `["a", "bc"]` differ; never from `Debug` output, whose form
//! may change between compiler versions. Not for security.

/// The project's cache folder (processed pictures), relative to its root.
pub const CACHE_DIR: &str = ".tebiki-cache";

const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const PRIME: u64 = 0x0100_0000_01b3;
const SEPARATOR: u8 = 0xff;

/// FNV-1a over `parts`, each followed by a separator.
pub fn fingerprint(parts: &[&[u8]]) -> u64 {
    let mut key = Fingerprint::new();
    for part in parts {
        key.bytes(part);
    }
    key.finish()
}

/// A fingerprint made part by part (the same value as [`fingerprint`] of the same parts).
#[derive(Clone, Copy)]
pub struct Fingerprint(u64);

impl Default for Fingerprint {
    fn default() -> Self {
        Fingerprint::new()
    }
}

impl Fingerprint {
    pub fn new() -> Fingerprint {
        Fingerprint(OFFSET)
    }

    /// Adds one part.
    pub fn bytes(&mut self, part: &[u8]) -> &mut Fingerprint {
        for b in part {
            self.step(*b);
        }
        self.step(SEPARATOR);
        self
    }

    pub fn str(&mut self, part: &str) -> &mut Fingerprint {
        self.bytes(part.as_bytes())
    }

    /// Adds a number, as its eight little-endian bytes.
    pub fn u64(&mut self, part: u64) -> &mut Fingerprint {
        self.bytes(&part.to_le_bytes())
    }

    /// Adds a float, as the eight bytes of its IEEE 754 form.
    pub fn f64(&mut self, part: f64) -> &mut Fingerprint {
        self.u64(part.to_bits())
    }

    pub fn finish(&self) -> u64 {
        self.0
    }

    fn step(&mut self, b: u8) {
        self.0 = (self.0 ^ u64::from(b)).wrapping_mul(PRIME);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_separated_and_the_builder_agrees() {
        assert_ne!(fingerprint(&[b"ab", b"c"]), fingerprint(&[b"a", b"bc"]));
        assert_eq!(Fingerprint::new().str("ab").str("c").finish(), fingerprint(&[b"ab", b"c"]));
        // Published file names depend on these values: FNV-1a of "a" and the separator.
        assert_eq!(fingerprint(&[b"a"]), 0x089b_c907_b544_c769);
    }
}
