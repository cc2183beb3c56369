//! A tiny seeded pseudo-random generator (SplitMix64).
//!
//! The simulator's data must be the same for the same `--seed` on every machine and every Rust version, so the
//! generator is written out here rather than taken from a crate whose algorithm may change between releases.
//! It is not meant for secrets: session ids mix in process entropy (see `sessions.rs`).

/// SplitMix64: one 64-bit state, a fixed increment and a finaliser. Fast, and good enough for test data.
#[derive(Debug, Clone, Default)]
pub struct SplitMix {
    state: u64,
}

impl SplitMix {
    /// A generator whose whole output is decided by `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0). The tiny modulo bias does not matter for test data.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        if high <= low {
            return low;
        }
        let span = (high - low) as u64 + 1;
        low + self.below(span) as i64
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        // 53 random bits make every representable value in [0, 1) with that spacing equally likely.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// `true` with probability `p` (clamped to 0..=1).
    pub fn chance(&mut self, p: f64) -> bool {
        if p <= 0.0 {
            false
        } else if p >= 1.0 {
            true
        } else {
            self.unit() < p
        }
    }

    /// One element of `items` (`None` when empty).
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len() as u64) as usize)
        }
    }

    /// A random version-4-style UUID string, the shape of Storware guids and platform ids.
    pub fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        let time_low = (a >> 32) as u32;
        let time_mid = (a >> 16) as u16;
        let version = ((a as u16) & 0x0FFF) | 0x4000;
        let variant = (((b >> 48) as u16) & 0x3FFF) | 0x8000;
        let node = b & 0xFFFF_FFFF_FFFF;
        format!("{time_low:08x}-{time_mid:04x}-{version:04x}-{variant:04x}-{node:012x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_sequence() {
        let mut a = SplitMix::new(7);
        let mut b = SplitMix::new(7);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
        assert_ne!(SplitMix::new(7).next_u64(), SplitMix::new(8).next_u64());
    }

    #[test]
    fn uuid_has_the_right_shape() {
        let id = SplitMix::new(1).uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(id.as_bytes()[14], b'4');
        assert_eq!(id.matches('-').count(), 4);
    }

    #[test]
    fn ranges_hold() {
        let mut r = SplitMix::new(3);
        for _ in 0..1000 {
            let n = r.between(-3, 5);
            assert!((-3..=5).contains(&n));
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
        }
        assert!(!r.chance(0.0));
        assert!(r.chance(1.0));
    }
}
