//! Re-matching of a finished schedule's teams when some pair of players ends 2 or more
//! outside the opponent bound ⌊4G/P⌋..⌈4G/P⌉ (e.g. meets 4 times where 2 is the most).
//!
//! Within a round, which team plays which is free: partners and sit-outs stay as they
//! are, and only the opponent counts and courts change. The search weighs opponents
//! against courts and partners throughout and left such pairs in long events (19
//! players on four courts for 18 rounds: 0–4 against 1–2 for every seed); this anneals
//! on opponents, the furthest pairs first: alone (the caller assigns courts afresh), or
//! with each player's court spread, moves also swapping two games' courts, where courts
//! assigned afresh end 3 apart (lap designs: the teams of a round are fixed by the laps,
//! so their court counts follow the matching).

use super::engine::{pix, History, RawRound};
use super::rng::{exp, Divisor, Rng};

/// Moves per game of the schedule wanted, and at most this many in all.
const MOVES_PER_GAME: u64 = 100;
const MAX_MOVES: u64 = 400_000;

/// The moves [`rematch_far_opponents`] wants for `games` games.
pub(crate) fn wanted_moves(games: u64) -> u64 {
    (games * MOVES_PER_GAME).min(MAX_MOVES)
}

/// [`Budget`](super::engine::Budget) units charged per move: about 2,500 instructions
/// (callgrind, 16 players on two courts for 15 rounds), against ~800 per unit (a search
/// move; [`COURT_PASS_UNITS`](super::engine::COURT_PASS_UNITS) per game of a court pass).
pub(crate) const UNITS_PER_MOVE: u64 = 3;

/// Cost of a pair that met `x` times against `lo..=hi`: 16^e − 1 for e meetings outside,
/// so one pair 2 outside costs more than many 1 outside; x² spreads the rest.
fn pair_cost(x: u32, lo: u32, hi: u32) -> i64 {
    let e = x.saturating_sub(hi) + lo.saturating_sub(x);
    ((1i64 << (4 * e).min(40)) - 1) * 16 + i64::from(x) * i64::from(x)
}

/// What the re-matching weighs: opponents alone (courts are assigned afresh after it),
/// or opponents and each player's court spread (the games keep their courts, and a
/// move may also swap two games' courts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Weigh {
    Opponents,
    AndCourts,
}

/// Cost of a player's games per court `row`: 0 at a spread (most − fewest) of 1 or less,
/// [`SPREAD_TWO`] at 2 (a player one game over the court bound ranks with a pair one
/// meeting outside the opponent bound, [`pair_cost`]), 16^(s−3) · [`SPREAD_THREE`] from 3,
/// which nothing else outweighs (a court spread of 3 ranks last, `miss_key`).
fn spread_cost(row: &[u32]) -> i64 {
    let most = row.iter().max().copied().unwrap_or(0);
    let fewest = row.iter().min().copied().unwrap_or(0);
    match most - fewest {
        0 | 1 => 0,
        2 => SPREAD_TWO,
        s => SPREAD_THREE << (4 * (s - 3)).min(20),
    }
}
const SPREAD_TWO: i64 = 480;
const SPREAD_THREE: i64 = 1 << 30;

/// An accepted move: round, its games i and j, their four teams before and after.
type Entry = (usize, usize, usize, [[usize; 2]; 4], [[usize; 2]; 4]);

/// Accepted moves kept to undo back to the best schedule (at least one per team);
/// past it the best is copied once and the journal starts again.
const JOURNAL_CAP: usize = 65_536;

/// `entries` applied to `teams`: their after-teams (`forward`) or before-teams.
fn replay<'a>(
    teams: &mut [Vec<[usize; 2]>],
    entries: impl Iterator<Item = &'a Entry>,
    forward: bool,
) {
    for &(r, i, j, before, after) in entries {
        let [w, x, y, z] = if forward { after } else { before };
        let ts = &mut teams[r];
        (ts[2 * i], ts[2 * i + 1], ts[2 * j], ts[2 * j + 1]) = (w, x, y, z);
    }
}

/// One move in this many swaps two games' courts; the others re-match teams.
const COURT_MOVE_EVERY: usize = 4;

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
/// (after the history `h`) comes closer to `lo..=hi`, and with [`Weigh::AndCourts`] each
/// player's court spread under 3 (game k of a round is on court k); `None` when nothing
/// better was found, or (opponents alone) no pair is 2 or more outside. `moves`
/// annealing moves.
pub(crate) fn rematch_far_opponents(
    h: &History,
    (lo, hi): (u32, u32),
    raw: &[RawRound],
    moves: usize,
    weigh: Weigh,
    rng: &Rng,
) -> Option<Vec<RawRound>> {
    let n = h.n;
    let mut count = h.opp.clone();
    // Each player's games per court (history and `raw`, game k on court k), C per row.
    let c = h.courts.max(1);
    let mut on = h.court.clone();
    let mut teams: Vec<Vec<[usize; 2]>> = Vec::with_capacity(raw.len());
    for r in raw {
        let mut ts = Vec::with_capacity(2 * r.games.len());
        for (k, g) in r.games.iter().enumerate() {
            for &p in g.iter().filter(|&&p| p < n && k < c) {
                on[p * c + k] += 1;
            }
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
    // Weighing courts, a player 3 apart is reason enough (the cost says whether the
    // moves found anything better).
    if weigh == Weigh::Opponents && worst(&count) < 2 {
        return None;
    }
    let court_cost = |on: &[u32], p: usize| match weigh {
        Weigh::Opponents => 0,
        Weigh::AndCourts => spread_cost(&on[p * c..(p + 1) * c]),
    };
    // The change in cost when each of `pairs` (distinct) meets `s` (±1) more often.
    let change = |count: &[u32], pairs: &[(usize, usize)], s: i32| -> i64 {
        pairs
            .iter()
            .filter(|&&(x, y)| x < n && y < n)
            .map(|&(x, y)| {
                let now = count[pix(n, x, y)];
                pair_cost(now.saturating_add_signed(s), lo, hi) - pair_cost(now, lo, hi)
            })
            .sum()
    };
    let bump = |count: &mut [u32], pairs: &[(usize, usize)], s: i32| {
        for &(x, y) in pairs.iter().filter(|&&(x, y)| x < n && y < n) {
            let c = &mut count[pix(n, x, y)];
            *c = (*c as i32 + s) as u32;
        }
    };
    let total = |count: &[u32], on: &[u32]| -> i64 {
        (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .map(|(a, b)| pair_cost(count[pix(n, a, b)], lo, hi))
            .sum::<i64>()
            + (0..n).map(|p| court_cost(on, p)).sum::<i64>()
    };
    // A team's two players move from court `from` to court `to`, with the change in cost.
    let shift = |on: &mut [u32], t: [usize; 2], from: usize, to: usize| -> i64 {
        let mut d = 0;
        if weigh == Weigh::Opponents {
            return d;
        }
        for p in t.into_iter().filter(|&p| p < n) {
            d -= court_cost(on, p);
            on[p * c + from] -= 1;
            on[p * c + to] += 1;
            d += court_cost(on, p);
        }
        d
    };
    let rounds: Vec<usize> = (0..raw.len())
        .filter(|&r| raw[r].games.len() > 1 && raw[r].games.len() <= c)
        .collect();
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
    let mut cur = total(&count, &on);
    let start = cur;
    // The best schedule seen is the current one with the journal's moves undone (no
    // copy per improvement), or `saved` once the journal grew past its cap.
    let mut best = cur;
    let mut journal: Vec<Entry> = Vec::new();
    let mut saved: Option<Vec<Vec<[usize; 2]>>> = None;
    let cap = JOURNAL_CAP.max(teams.len());
    let (t0, t1) = (64.0f64, 0.5f64);
    let ln_ratio = (t1 / t0).ln();
    let mut temp = t0;
    let mut far: Vec<(usize, usize)> = Vec::new();
    // The same draws as `rng.below`, without a division per draw.
    let mut by_far = Divisor::new(1);
    let by_rounds = Divisor::new(rounds.len());
    let by_games: Vec<[Divisor; 2]> = teams
        .iter()
        .map(|ts| {
            [
                Divisor::new(ts.len() / 2),
                Divisor::new((ts.len() / 2).max(1) - 1),
            ]
        })
        .collect();
    for it in 0..moves {
        if it % 256 == 0 {
            temp = t0 * exp(ln_ratio * it as f64 / moves as f64);
            far.clear();
            far.extend(
                (0..n)
                    .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
                    .filter(|&(a, b)| count[pix(n, a, b)] > hi + 1),
            );
            by_far = Divisor::new(far.len().max(1));
        }
        // Half the moves take a pair 2 or more above the bound and re-match one game
        // where it meets; the others are random.
        let (r, i) = match far.get(rng.below_by(by_far)) {
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
                let r = rounds[rng.below_by(by_rounds)];
                (r, rng.below_by(by_games[r][0]))
            }
        };
        let mut j = rng.below_by(by_games[r][1]);
        if j >= i {
            j += 1;
        }
        let ts = &teams[r];
        let (a, b, t, u) = (ts[2 * i], ts[2 * i + 1], ts[2 * j], ts[2 * j + 1]);
        let delta = if weigh == Weigh::AndCourts && rng.below(COURT_MOVE_EVERY) == 0 {
            // Games i and j swap courts: opponents stay.
            let d = shift(&mut on, a, i, j) + shift(&mut on, b, i, j);
            let d = d + shift(&mut on, t, j, i) + shift(&mut on, u, j, i);
            if d <= 0 || rng.unit() < exp(-(d as f64) / temp) {
                Some((d, [t, u, a, b]))
            } else {
                shift(&mut on, a, j, i);
                shift(&mut on, b, j, i);
                shift(&mut on, t, i, j);
                shift(&mut on, u, i, j);
                None
            }
        } else {
            // Games i = (A v B) on court i and j = (T v U) on court j become (A v P)
            // and (B v Q), {P, Q} = {T, U}: B moves to court j, P to court i.
            let (p, q) = if rng.below(2) == 0 { (t, u) } else { (u, t) };
            let (before, after) = (opposed2(a, b, t, u), opposed2(a, p, b, q));
            // The two sets share no pair (a pair of players is one pair of teams).
            let d = change(&count, &before, -1) + change(&count, &after, 1);
            let d = d + shift(&mut on, b, i, j) + shift(&mut on, p, j, i);
            if d <= 0 || rng.unit() < exp(-(d as f64) / temp) {
                bump(&mut count, &before, -1);
                bump(&mut count, &after, 1);
                Some((d, [a, p, b, q]))
            } else {
                shift(&mut on, b, j, i);
                shift(&mut on, p, i, j);
                None
            }
        };
        if let Some((d, now)) = delta {
            let entry = (r, i, j, [a, b, t, u], now);
            replay(&mut teams, std::iter::once(&entry), true);
            seat(&mut game, &mut side, r, i, [now[0], now[1]]);
            seat(&mut game, &mut side, r, j, [now[2], now[3]]);
            journal.push(entry);
            cur += d;
            if cur < best {
                best = cur;
                journal.clear();
                saved = None;
            } else if journal.len() > cap {
                if saved.is_none() {
                    replay(&mut teams, journal.iter().rev(), false);
                    saved = Some(teams.clone());
                    replay(&mut teams, journal.iter(), true);
                }
                journal.clear();
            }
        }
    }
    if best >= start {
        return None;
    }
    let best = match saved {
        Some(s) => s,
        None => {
            replay(&mut teams, journal.iter().rev(), false);
            teams
        }
    };
    Some(
        raw.iter()
            .zip(best)
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
        let raw = same_round(2);
        let (lo, hi) = (0, 1);
        // 2 is only 1 outside 0–1: nothing to do.
        let mut h = History::new(n, 2);
        assert!(
            rematch_far_opponents(&h, (lo, hi), &raw, 1000, Weigh::Opponents, &Rng::new(1))
                .is_none()
        );
        // With one more meeting of 0 and 2 in the history, 0 and 2 are 2 above.
        h.opp[pix(n, 0, 2)] = 1;
        let out = rematch_far_opponents(&h, (lo, hi), &raw, 1000, Weigh::Opponents, &Rng::new(1))
            .unwrap_or_else(|| panic!("no re-matching"));
        let mut count = h.opp.clone();
        for r in &out {
            for g in &r.games {
                for (x, y) in opposed([g[0], g[1]], [g[2], g[3]]) {
                    count[pix(n, x, y)] += 1;
                }
            }
        }
        assert!(count[pix(n, 0, 2)] <= 2);
        same_teams(&raw, &out);
    }

    /// Three times the same round: players 0–3 on court 1 all evening (3 against 0).
    /// Weighing opponents alone leaves each game on its court; with courts weighed in,
    /// nobody ends 3 apart.
    #[test]
    fn courts_weighed_in_take_players_off_one_court() {
        let n = 8;
        let raw = same_round(3);
        let h = History::new(n, 2);
        let out = rematch_far_opponents(&h, (0, 1), &raw, 2000, Weigh::AndCourts, &Rng::new(3))
            .unwrap_or_else(|| panic!("no re-matching"));
        for p in 0..n {
            let first = out.iter().filter(|r| r.games[0].contains(&p)).count();
            assert!(
                (1..=2).contains(&first),
                "player {p}: {first} of 3 on court 1"
            );
        }
        same_teams(&raw, &out);
    }

    /// `times` rounds of 0, 1 v 2, 3 on court 1 and 4, 5 v 6, 7 on court 2.
    fn same_round(times: usize) -> Vec<RawRound> {
        let round = RawRound {
            games: vec![[0, 1, 2, 3], [4, 5, 6, 7]],
            sit: vec![],
        };
        vec![round; times]
    }

    /// Partners and who plays are unchanged.
    fn same_teams(raw: &[RawRound], out: &[RawRound]) {
        for (a, b) in raw.iter().zip(out) {
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
