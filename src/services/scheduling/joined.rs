//! N ≡ 6 (mod 8) players with two resting (C = (N − 2)/4) for N + 2 rounds: 22 players
//! on five courts for 24, 30 on seven for 32, 38 on nine for 40 (the default rounds).
//!
//! The development's sit-out pairs have an even difference d (an odd one costs partner
//! repeats), so with gcd(d, N) = 2 they form two cycles of odd length L = N/2: evens and
//! odds. No order of the N developed rounds rests everyone once in the first L rounds
//! (an odd cycle has no perfect matching), so games drift two apart mid-event. The two
//! searched rounds can join the cycles: resting {a, b} (a even, b odd) and {a − d, b − d},
//! the N + 2 rounds play as three blocks, each resting everyone once (the third only
//! the four who rest three times), and games stay within one after every round.

use super::americano::{forced_repeats, score, Score};
use super::cyclic::{cyclic_rounds, gcd};
use super::engine::{plan, search_units, Budget, History, RawRound, SitSwaps};
use super::rng::Rng;

/// Odd offsets b tried for the second cycle's joined player (each a 2-round search),
/// until one meets the partner and court bounds or the budget runs short.
const OFFSETS: [usize; 3] = [1, 3, 5];
/// Developments tried for sit-out pairs that form two cycles (gcd(d, N) = 2; e.g. 30
/// players can get d = 6 or 10: six or ten cycles).
const DEVELOPMENTS: usize = 3;

/// The joined schedule, or None when N, C, R are not this case or the development's
/// sit-outs do not form exactly two cycles.
pub(super) fn joined_cycles(
    n: usize,
    courts: usize,
    rounds: usize,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Option<Vec<RawRound>> {
    if n % 8 != 6 || n != 4 * courts + 2 || rounds != n + 2 {
        return None;
    }
    let (dev, d) = (0..DEVELOPMENTS).find_map(|_| {
        let dev = cyclic_rounds(n, courts, false, false, budget, rng)?;
        let [u, v] = dev.first()?.sit[..] else {
            return None;
        };
        let d = (v + n - u) % n;
        (gcd(d, n) == 2).then_some((dev, d))
    })?;
    // round_of[y]: the developed round resting {y, y + d}.
    let mut round_of = vec![0usize; n];
    for (i, r) in dev.iter().enumerate() {
        let [x, y] = r.sit[..] else {
            return None;
        };
        round_of[if (x + d) % n == y { x } else { y }] = i;
    }
    let mut h = History::new(n, courts);
    for r in &dev {
        h.record(r, &[]);
    }
    let back = |x: usize| (x + n - d) % n;
    let forced = forced_repeats(n, courts, rounds);
    let mut best: Option<(Score, usize, Vec<RawRound>)> = None;
    for b in OFFSETS.into_iter().filter(|&b| b < n) {
        // Another offset only when its whole search is left in the budget.
        if best.is_some() && !budget.allows(search_units(n, 2 * courts as u64)) {
            break;
        }
        let init: Vec<RawRound> = [[0, b], [back(0), back(b)]]
            .iter()
            .map(|sit| {
                let mut playing: Vec<usize> = (0..n).filter(|p| !sit.contains(p)).collect();
                rng.shuffle(&mut playing);
                RawRound {
                    games: playing
                        .chunks_exact(4)
                        .map(|g| [g[0], g[1], g[2], g[3]])
                        .collect(),
                    sit: sit.to_vec(),
                }
            })
            .collect();
        let tail = plan(
            &h,
            courts,
            2,
            None,
            Some(init),
            SitSwaps::Fixed,
            budget,
            rng,
        );
        let s = score(&h, &tail);
        if best.as_ref().is_none_or(|(bs, _, _)| s < *bs) {
            best = Some((s, b, tail));
        }
        if s.0 <= forced && s.1 <= 1 {
            break;
        }
    }
    let (_, b, tail) = best?;
    let l = n / 2;
    // Developed round resting edge k of the cycle through c: {c + k·d, c + (k + 1)·d}.
    let edge = |c: usize, k: usize| round_of[(c + k * d) % n];
    let odd_edges = |c: usize| (1..l).step_by(2).map(move |k| edge(c, k));
    let even_edges = |c: usize| (0..l - 1).step_by(2).map(move |k| edge(c, k));
    // Block 1: {0, b} and the cycles' odd edges (everyone else once); block 2: the even
    // edges and {−d, b − d}; block 3: edge L − 1 of each cycle. Consecutive rounds never
    // share a sitter (checked in the tests).
    let mut out: Vec<RawRound> = Vec::with_capacity(rounds);
    let mut tail = tail.into_iter();
    out.extend(tail.next());
    out.extend(odd_edges(0).chain(odd_edges(b)).map(|i| dev[i].clone()));
    out.extend(even_edges(0).map(|i| dev[i].clone()));
    out.extend(tail.next());
    out.extend(even_edges(b).map(|i| dev[i].clone()));
    out.extend([edge(0, l - 1), edge(b, l - 1)].map(|i| dev[i].clone()));
    (out.len() == rounds).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::super::americano::sit_gap;
    use super::super::{americano, quality};
    use super::*;

    #[test]
    fn joined_cycles_keep_games_within_one() {
        for n in [14usize, 22, 30] {
            let c = (n - 2) / 4;
            let mut rng = Rng::new(5);
            let Some(raw) = joined_cycles(n, c, n + 2, &mut Budget::for_players(n), &mut rng)
            else {
                panic!("N={n}: no joined schedule");
            };
            assert_eq!(sit_gap(n, raw.iter().map(|r| &r.sit)), 1, "N={n}");
            for (t, r) in raw.iter().enumerate() {
                if let Some(next) = raw.get(t + 1) {
                    assert!(r.sit.iter().all(|p| !next.sit.contains(p)), "N={n} {t}");
                }
            }
        }
        // Through the public call: the default rounds for 22 players on five courts.
        let s = americano(&(0..22).collect::<Vec<_>>(), 5, 24, 0).unwrap_or_else(|e| panic!("{e}"));
        let q = quality(&s);
        assert_eq!(q.games_gap, 1);
        assert_eq!(q.partner_repeats, q.forced_partner_repeats);
    }
}
