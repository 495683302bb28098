//! Re-matching of a finished schedule's teams when some pair of players ends 2 or more
//! outside the opponent bound ⌊4G/P⌋..⌈4G/P⌉ (e.g. meets 4 times where 2 is the most).
//!
//! Within a round, which team plays which is free: partners and sit-outs stay as they
//! are, and only the opponent counts (and courts, assigned afterwards) change. The
//! search weighs opponents against courts and partners throughout and left such pairs
//! in long events (19 players on four courts for 18 rounds: 0–4 against 1–2 for every
//! seed); this anneals on opponents alone, the furthest pairs first.

use super::engine::{pix, RawRound};
use super::rng::{exp, Rng};

/// Moves per game of the schedule wanted, and at most this many in all.
const MOVES_PER_GAME: u64 = 100;
const MAX_MOVES: u64 = 400_000;

/// The moves [`rematch_far_opponents`] wants for `games` games; each is charged as one
/// [`Budget`](super::engine::Budget) unit (a search move).
pub(crate) fn wanted_moves(games: u64) -> u64 {
    (games * MOVES_PER_GAME).min(MAX_MOVES)
}

/// Cost of a pair that met `x` times against `lo..=hi`: 16^e − 1 for e meetings outside,
/// so one pair 2 outside costs more than many 1 outside; x² spreads the rest.
fn pair_cost(x: u32, lo: u32, hi: u32) -> i64 {
    let e = x.saturating_sub(hi) + lo.saturating_sub(x);
    ((1i64 << (4 * e).min(40)) - 1) * 16 + i64::from(x) * i64::from(x)
}

/// The opponent pairs of a game of teams `a` and `b`.
fn opposed(a: [usize; 2], b: [usize; 2]) -> [(usize, usize); 4] {
    [(a[0], b[0]), (a[0], b[1]), (a[1], b[0]), (a[1], b[1])]
}

/// The opponent pairs of two games: `a` v `b` and `c` v `d`.
fn opposed2(a: [usize; 2], b: [usize; 2], c: [usize; 2], d: [usize; 2]) -> [(usize, usize); 8] {
    let (x, y) = (opposed(a, b), opposed(c, d));
    [x[0], x[1], x[2], x[3], y[0], y[1], y[2], y[3]]
}

/// `raw`'s teams re-matched within each round so that the furthest pair's opponent count
/// (history `opp`, n × n as [`pix`], included) comes closer to `lo..=hi`; `None` when no
/// pair is 2 or more outside, or no re-matching brought the furthest closer. Games keep
/// their place in the round (courts are assigned again by the caller). `moves` annealing
/// moves.
pub(crate) fn rematch_far_opponents(
    n: usize,
    opp: &[u32],
    (lo, hi): (u32, u32),
    raw: &[RawRound],
    moves: usize,
    rng: &Rng,
) -> Option<Vec<RawRound>> {
    let mut count = opp.to_vec();
    let mut teams: Vec<Vec<[usize; 2]>> = Vec::with_capacity(raw.len());
    for r in raw {
        let mut ts = Vec::with_capacity(2 * r.games.len());
        for g in &r.games {
            let (a, b) = ([g[0], g[1]], [g[2], g[3]]);
            for (x, y) in opposed(a, b) {
                if x < n && y < n {
                    count[pix(n, x, y)] += 1;
                }
            }
            ts.push(a);
            ts.push(b);
        }
        teams.push(ts);
    }
    let off = |x: u32| x.saturating_sub(hi) + lo.saturating_sub(x);
    let worst = |count: &[u32]| -> u32 {
        (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .map(|(a, b)| off(count[pix(n, a, b)]))
            .max()
            .unwrap_or(0)
    };
    let start = worst(&count);
    if start < 2 {
        return None;
    }
    let cost_of = |count: &[u32], pairs: &[(usize, usize)]| -> i64 {
        pairs
            .iter()
            .filter(|&&(x, y)| x < n && y < n)
            .map(|&(x, y)| pair_cost(count[pix(n, x, y)], lo, hi))
            .sum()
    };
    let bump = |count: &mut [u32], pairs: &[(usize, usize)], s: i32| {
        for &(x, y) in pairs.iter().filter(|&&(x, y)| x < n && y < n) {
            let c = &mut count[pix(n, x, y)];
            *c = (*c as i32 + s) as u32;
        }
    };
    let total = |count: &[u32]| -> i64 {
        (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .map(|(a, b)| pair_cost(count[pix(n, a, b)], lo, hi))
            .sum()
    };
    let rounds: Vec<usize> = (0..raw.len()).filter(|&r| raw[r].games.len() > 1).collect();
    if rounds.is_empty() {
        return None;
    }
    // Each round's game of every player and his side in it (for the targeted moves).
    let mut game = vec![usize::MAX; raw.len() * n];
    let mut side = vec![false; raw.len() * n];
    let seat = |game: &mut [usize], side: &mut [bool], r: usize, g: usize, ts: [[usize; 2]; 2]| {
        for (k, t) in ts.iter().enumerate() {
            for &p in t.iter().filter(|&&p| p < n) {
                game[r * n + p] = g;
                side[r * n + p] = k == 1;
            }
        }
    };
    for (r, ts) in teams.iter().enumerate() {
        for g in 0..ts.len() / 2 {
            seat(&mut game, &mut side, r, g, [ts[2 * g], ts[2 * g + 1]]);
        }
    }
    let mut met: Vec<(usize, usize)> = Vec::with_capacity(raw.len());
    let mut rng = rng.fork();
    let mut cur = total(&count);
    let mut best = ((start, cur), teams.clone());
    let (t0, t1) = (64.0f64, 0.5f64);
    let ln_ratio = (t1 / t0).ln();
    let mut temp = t0;
    let mut far: Vec<(usize, usize)> = Vec::new();
    for it in 0..moves {
        if it % 256 == 0 {
            temp = t0 * exp(ln_ratio * it as f64 / moves as f64);
            far = (0..n)
                .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
                .filter(|&(a, b)| count[pix(n, a, b)] > hi + 1)
                .collect();
        }
        // Half the moves take a pair 2 or more above the bound and re-match one game
        // where it meets; the others are random.
        let (r, i) = match far.get(rng.below(far.len().max(1))) {
            Some(&(a, b)) if rng.below(2) == 0 => {
                met.clear();
                met.extend(rounds.iter().filter_map(|&r| {
                    let (x, y) = (game[r * n + a], game[r * n + b]);
                    (x == y && x != usize::MAX && side[r * n + a] != side[r * n + b])
                        .then_some((r, x))
                }));
                match met.get(rng.below(met.len().max(1))) {
                    Some(&m) => m,
                    None => continue,
                }
            }
            _ => {
                let r = rounds[rng.below(rounds.len())];
                (r, rng.below(teams[r].len() / 2))
            }
        };
        let g = teams[r].len() / 2;
        let mut j = rng.below(g - 1);
        if j >= i {
            j += 1;
        }
        // Games i = (A v B) and j = (C v D) become (A v C), (B v D) or (A v D), (B v C).
        let ts = &teams[r];
        let (a, b, c, d) = (ts[2 * i], ts[2 * i + 1], ts[2 * j], ts[2 * j + 1]);
        let (p, q) = if rng.below(2) == 0 { (c, d) } else { (d, c) };
        let (before, after) = (opposed2(a, b, c, d), opposed2(a, p, b, q));
        let old = cost_of(&count, &before) + cost_of(&count, &after);
        bump(&mut count, &before, -1);
        bump(&mut count, &after, 1);
        let new = cost_of(&count, &before) + cost_of(&count, &after);
        let delta = new - old;
        if delta <= 0 || rng.unit() < exp(-(delta as f64) / temp) {
            cur += delta;
            let ts = &mut teams[r];
            (ts[2 * i], ts[2 * i + 1], ts[2 * j], ts[2 * j + 1]) = (a, p, b, q);
            seat(&mut game, &mut side, r, i, [a, p]);
            seat(&mut game, &mut side, r, j, [b, q]);
            if cur < best.0 .1 {
                let w = worst(&count);
                if (w, cur) < best.0 {
                    best = ((w, cur), teams.clone());
                }
            }
        } else {
            bump(&mut count, &after, -1);
            bump(&mut count, &before, 1);
        }
    }
    if best.0 .0 >= start {
        return None;
    }
    Some(
        raw.iter()
            .zip(best.1)
            .map(|(r, ts)| RawRound {
                games: ts
                    .chunks_exact(2)
                    .map(|t| [t[0][0], t[0][1], t[1][0], t[1][1]])
                    .collect(),
                sit: r.sit.clone(),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two rounds of two games where the same four pairs oppose in both: re-matching one
    /// round spreads them (bound 0–1 over 16 opponent slots and 28 pairs).
    #[test]
    fn a_pair_meeting_twice_where_once_is_the_most_is_rematched() {
        let n = 8;
        let round = RawRound {
            games: vec![[0, 1, 2, 3], [4, 5, 6, 7]],
            sit: vec![],
        };
        let raw = vec![round.clone(), round];
        let (lo, hi) = (0, 1);
        // 2 is only 1 outside 0–1: nothing to do.
        assert!(
            rematch_far_opponents(n, &vec![0; n * n], (lo, hi), &raw, 1000, &Rng::new(1)).is_none()
        );
        // With one more meeting of 0 and 2 in the history, 0 and 2 are 2 above.
        let mut opp = vec![0; n * n];
        opp[pix(n, 0, 2)] = 1;
        let out = rematch_far_opponents(n, &opp, (lo, hi), &raw, 1000, &Rng::new(1))
            .unwrap_or_else(|| panic!("no re-matching"));
        let mut count = opp.clone();
        for r in &out {
            for g in &r.games {
                for (x, y) in opposed([g[0], g[1]], [g[2], g[3]]) {
                    count[pix(n, x, y)] += 1;
                }
            }
        }
        assert!(count[pix(n, 0, 2)] <= 2);
        // Partners and who plays are unchanged.
        for (a, b) in raw.iter().zip(&out) {
            let teams = |r: &RawRound| {
                let mut t: Vec<[usize; 2]> = r
                    .games
                    .iter()
                    .flat_map(|g| [[g[0], g[1]], [g[2], g[3]]])
                    .collect();
                t.sort();
                t
            };
            assert_eq!(teams(a), teams(b));
            assert_eq!(a.sit, b.sit);
        }
    }
}
