//! Small schedules solved exactly offline, for the common short events a search gets
//! wrong: 6 to 16 players on one to three courts, the default number of rounds.
//!
//! Each was found by a SAT solver (program kept outside the repository) under these
//! constraints: partner repeats at the forced minimum, every pair's opponent count in
//! the tightest window the solver could satisfy (the floor/ceil bound where possible,
//! proved impossible otherwise), per-player court counts within ⌊G/C⌋..⌈G/C⌉ (spread
//! ≤ 1), no longer sit-out run than needed, and games played balanced within one after
//! every round (so a tournament cut short is still fair). Using them is a table lookup;
//! the seed relabels players as for every other schedule.

use super::engine::RawRound;
use super::stored_data::STORED;

/// The stored schedule for `n` players, `courts` courts and `rounds` rounds, if any.
pub(crate) fn stored(n: usize, courts: usize, rounds: usize) -> Option<Vec<RawRound>> {
    let &(.., games) = STORED
        .iter()
        .find(|e| e.0 == n && e.1 == courts && games_len(e.5) == rounds * courts)?;
    let rounds = games
        .chunks_exact(4 * courts)
        .map(|r| {
            let games: Vec<[usize; 4]> = r
                .chunks_exact(4)
                .map(|g| [g[0] as usize, g[1] as usize, g[2] as usize, g[3] as usize])
                .collect();
            let sit = (0..n)
                .filter(|p| !games.iter().any(|g| g.contains(p)))
                .collect();
            RawRound { games, sit }
        })
        .collect();
    Some(rounds)
}

fn games_len(flat: &[u8]) -> usize {
    flat.len() / 4
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every stored schedule is well formed and meets the figures it claims, checked
    /// from the raw games (the public path is checked in `scheduling::tests`).
    #[test]
    fn stored_schedules_meet_their_figures() {
        for &(n, courts, omin, omax, streak, games) in STORED {
            let rounds = games_len(games) / courts;
            let s = stored(n, courts, rounds).unwrap_or_else(|| panic!("{n}/{courts}"));
            let pairs = n * (n - 1) / 2;
            let mut partner = vec![0u32; n * n];
            let mut opp = vec![0u32; n * n];
            let mut court = vec![0u32; n * courts];
            let mut played = vec![0u32; n];
            let mut run = vec![0u32; n];
            let key = |a: usize, b: usize| a.min(b) * n + a.max(b);
            for (t, r) in s.iter().enumerate() {
                assert_eq!(r.games.len(), courts);
                let mut seen = vec![false; n];
                for (k, g) in r.games.iter().enumerate() {
                    for &p in g {
                        assert!(p < n && !seen[p], "{n}/{courts} round {t}: player {p}");
                        seen[p] = true;
                        played[p] += 1;
                        court[p * courts + k] += 1;
                    }
                    partner[key(g[0], g[1])] += 1;
                    partner[key(g[2], g[3])] += 1;
                    for (a, b) in [(g[0], g[2]), (g[0], g[3]), (g[1], g[2]), (g[1], g[3])] {
                        opp[key(a, b)] += 1;
                    }
                }
                for p in 0..n {
                    run[p] = if seen[p] { 0 } else { run[p] + 1 };
                    assert!(run[p] <= streak, "{n}/{courts}: sit-out run");
                }
                // Balanced after every round.
                let (lo, hi) = (played.iter().min(), played.iter().max());
                assert!(hi.zip(lo).is_some_and(|(h, l)| h - l <= 1), "{n}/{courts}");
            }
            let slots = 2 * courts * rounds;
            let forced = slots.saturating_sub(pairs) as u32;
            let repeats: u32 = (0..n)
                .flat_map(|a| (a + 1..n).map(move |b| a * n + b))
                .map(|i| partner[i].saturating_sub(1))
                .sum();
            assert_eq!(repeats, forced, "{n}/{courts}: partner repeats");
            for a in 0..n {
                for b in a + 1..n {
                    let x = opp[a * n + b];
                    assert!(
                        (omin..=omax).contains(&x),
                        "{n}/{courts}: opp {a},{b} = {x}"
                    );
                }
                let row = &court[a * courts..(a + 1) * courts];
                let spread = row.iter().max().zip(row.iter().min()).map(|(h, l)| h - l);
                assert!(spread <= Some(1), "{n}/{courts}: court spread");
            }
        }
    }
}
