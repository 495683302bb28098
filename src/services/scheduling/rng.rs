//! Tiny seeded PRNG (SplitMix64). Hand-written so that schedules are reproducible
//! across dependency upgrades: the same seed gives the same schedule forever.
//!
//! [`exp`] is hand-written for the same reason: the platform's `exp`/`powf` may differ
//! in the last bit between systems, which would change annealing decisions; this one
//! uses only IEEE basic operations, which are exact and the same everywhere.

#[derive(Clone, Debug)]
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        // Mix the seed so that nearby seeds give unrelated streams.
        let mut r = Rng(seed ^ 0x5DEE_CE66_D1A4_F87B);
        r.next_u64();
        r
    }

    /// An independent stream derived from this one's state, which stays where it is: a
    /// side computation then leaves the main stream's later draws as they were.
    pub(crate) fn fork(&self) -> Rng {
        Rng::new(self.0 ^ 0xA076_1D64_78BD_642F)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the tiny modulo bias is irrelevant here.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        (self.next_u64() % n as u64) as usize
    }

    /// The same number as [`Rng::below`]`(d.n)`, by multiplications: the search draws
    /// two or three of these per move, and the division was its costliest instruction.
    pub(crate) fn below_by(&mut self, d: Divisor) -> usize {
        if d.n <= 1 {
            return 0;
        }
        d.rem(self.next_u64()) as usize
    }

    /// Uniform in `[0, 1)`.
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub(crate) fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }

    /// A seeded permutation of `0..n`.
    pub(crate) fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut p: Vec<usize> = (0..n).collect();
        self.shuffle(&mut p);
        p
    }
}

/// A divisor n with its reciprocal M = ⌈2^128 / n⌉, for `x % n` without a division
/// (Lemire, Kaser & Kurz, "Faster remainder by direct computation", 2019: exact for
/// every 64-bit x and n).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Divisor {
    n: u64,
    m: u128,
}

impl Divisor {
    pub(crate) fn new(n: usize) -> Self {
        let n = n as u64;
        let m = if n <= 1 {
            0
        } else {
            u128::MAX / u128::from(n) + 1
        };
        Divisor { n, m }
    }

    /// x mod n: the fractional part of x / n (M · x mod 2^128) times n, its top 64 bits.
    #[inline(always)]
    fn rem(self, x: u64) -> u64 {
        let low = self.m.wrapping_mul(u128::from(x));
        let n = u128::from(self.n);
        let bottom = (u128::from(low as u64) * n) >> 64;
        ((bottom + (low >> 64) * n) >> 64) as u64
    }
}

/// e^x from IEEE basic operations only (bit-identical on every platform); relative error
/// below 1e-14 for |x| ≤ 50 (the search uses −30..0), 0 below −700, +∞ above 700.
pub(crate) fn exp(x: f64) -> f64 {
    const LN2: f64 = std::f64::consts::LN_2;
    if x.is_nan() {
        return x;
    }
    if x < -700.0 {
        return 0.0;
    }
    if x > 700.0 {
        return f64::INFINITY;
    }
    // x = k·ln2 + r with |r| ≤ ln2/2; e^r by its Taylor series to r^13/13! (< 2e-16
    // there) in Horner form with the reciprocals as constants (multiplications only: the
    // search calls this for most uphill moves, and divisions were most of its cost);
    // 2^k from the exponent bits.
    const INV: [f64; 14] = [
        0.0,
        1.0,
        0.5,
        0.333_333_333_333_333_3,
        0.25,
        0.2,
        0.166_666_666_666_666_66,
        0.142_857_142_857_142_85,
        0.125,
        0.111_111_111_111_111_1,
        0.1,
        0.090_909_090_909_090_91,
        0.083_333_333_333_333_33,
        0.076_923_076_923_076_92,
    ];
    let k = (x / LN2).round();
    let r = x - k * LN2;
    let mut sum = 1.0f64;
    for inv in INV[1..].iter().rev() {
        sum = 1.0 + r * inv * sum;
    }
    let bits = ((1023 + k as i64) as u64) << 52;
    sum * f64::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::{Divisor, Rng};

    #[test]
    fn divisor_remainders_are_exact() {
        let mut rng = Rng::new(1);
        let edges = [0, 1, 2, 3, u64::MAX, u64::MAX - 1, 1 << 63, (1 << 63) - 1];
        for n in (2..300).chain([1 << 20, (1 << 32) + 7, u64::MAX as usize]) {
            let d = Divisor::new(n);
            let xs = edges.into_iter().chain((0..2_000).map(|_| rng.next_u64()));
            for x in xs {
                assert_eq!(d.rem(x), x % n as u64, "{x} % {n}");
            }
        }
        let (mut a, mut b) = (Rng::new(5), Rng::new(5));
        for n in 0..100 {
            assert_eq!(a.below(n), b.below_by(Divisor::new(n)));
        }
    }

    #[test]
    fn exp_matches_the_platform_exp() {
        for i in -5000..=5000 {
            let x = i as f64 / 100.0;
            let (a, b) = (super::exp(x), x.exp());
            assert!((a - b).abs() <= 1e-14 * b, "{x}: {a} vs {b}");
        }
        assert_eq!(super::exp(-1e9), 0.0);
    }
}
