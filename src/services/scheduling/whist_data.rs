// Generated offline by the whist search program kept in /work/scratch/whistgen
// (random starters + annealing over the grouping of partner pairs into tables; the
// primes 53 and 61 use the classical construction with the 4th roots of unity).
// Verified exhaustively by `whist::tests`. Do not edit by hand.

/// Base rounds of cyclic whist designs: `(N, g, tables)` with tables of four flattened
/// as `a, b, c, d` = (a, b) vs (c, d). Points are elements of Z_(m/g) x Z_g encoded as
/// `x * g + y` (g = 1: plain Z_m). N = 4k: m = N−1 and `m` is the fixed point at
/// infinity; N = 4k+1: m = N and point 0 sits out. Developing by every group element
/// gives the m rounds.
#[rustfmt::skip]
pub(super) static CYCLIC_BASES: &[(usize, usize, &[u8])] = &[
    (4, 1, &[1, 2, 3, 0]),
    (5, 1, &[1, 4, 2, 3]),
    (8, 1, &[2, 6, 4, 5, 7, 0, 1, 3]),
    (9, 3, &[4, 8, 1, 2, 5, 7, 3, 6]),
    (12, 1, &[2, 6, 3, 8, 5, 7, 9, 10, 1, 4, 11, 0]),
    (13, 1, &[3, 10, 2, 11, 1, 12, 5, 8, 4, 9, 6, 7]),
    (16, 1, &[9, 13, 15, 0, 5, 10, 2, 14, 6, 12, 7, 8, 1, 3, 4, 11]),
    (17, 1, &[1, 16, 4, 13, 6, 11, 7, 10, 2, 15, 8, 9, 5, 12, 3, 14]),
    (20, 1, &[6, 9, 1, 10, 4, 18, 16, 17, 5, 11, 8, 15, 19, 0, 2, 13, 3, 7, 12, 14]),
    (21, 1, &[19, 20, 3, 10, 14, 16, 8, 17, 5, 9, 2, 15, 1, 11, 13, 18, 4, 7, 6, 12]),
    (24, 1, &[1, 8, 13, 19, 3, 22, 23, 0, 2, 17, 15, 18, 5, 16, 9, 14, 10, 11, 7, 20, 4, 6, 12, 21]),
    (25, 1, &[5, 20, 10, 15, 1, 24, 2, 23, 6, 19, 12, 13, 9, 16, 7, 18, 8, 17, 4, 21, 3, 22, 11, 14]),
    (28, 1, &[27, 0, 3, 5, 8, 24, 12, 22, 18, 26, 10, 17, 11, 16, 1, 25, 2, 15, 19, 23, 9, 21, 14, 20, 6, 7, 4, 13]),
    (29, 1, &[3, 26, 7, 22, 6, 23, 1, 28, 8, 21, 9, 20, 14, 15, 12, 17, 5, 24, 13, 16, 4, 25, 10, 19, 11, 18, 2, 27]),
    (32, 1, &[5, 21, 25, 26, 31, 0, 8, 13, 9, 18, 2, 19, 23, 27, 22, 29, 15, 28, 11, 30, 14, 24, 6, 17, 4, 7, 10, 16, 1, 3, 12, 20]),
    (53, 1, &[1, 52, 30, 23, 2, 51, 7, 46, 4, 49, 14, 39, 8, 45, 28, 25, 16, 37, 3, 50, 32, 21, 6, 47, 11, 42, 12, 41, 22, 31, 24, 29, 44, 9, 48, 5, 35, 18, 43, 10, 17, 36, 33, 20, 34, 19, 13, 40, 15, 38, 26, 27]),
    (61, 1, &[1, 60, 11, 50, 2, 59, 22, 39, 4, 57, 44, 17, 8, 53, 27, 34, 16, 45, 54, 7, 32, 29, 47, 14, 3, 58, 33, 28, 6, 55, 5, 56, 12, 49, 10, 51, 24, 37, 20, 41, 48, 13, 40, 21, 35, 26, 19, 42, 9, 52, 38, 23, 18, 43, 15, 46, 36, 25, 30, 31]),
];

/// Full designs for orders without a stored base: N rounds of N entries, tables of
/// four then the sitter. (Currently none are needed.)
pub(super) static FULL_DESIGNS: &[(usize, &[u8])] = &[];
