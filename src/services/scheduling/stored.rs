//! Small schedules solved exactly offline, for the common short events a search gets
//! wrong: 6 to 14 players on one to three courts, the default number of rounds.
//!
//! Each was found by a SAT solver (program kept outside the repository) under these
//! constraints: partner repeats at the forced minimum, every pair's opponent count in
//! the tightest window the solver could satisfy (the floor/ceil bound was proved
//! impossible for 6 and 7 on one court; tighter windows timed out elsewhere), per-player court counts within ⌊G/C⌋..⌈G/C⌉ (spread
//! ≤ 1), no longer sit-out run than needed, and games played balanced within one after
//! every round (so a tournament cut short is still fair). Using them is a table lookup;
//! the seed relabels players as for every other schedule. Every entry is checked
//! through the public call by `scheduling::tests::stored_schedules_through_the_public_call`.

use super::engine::RawRound;
use super::stored_data::STORED;

/// The stored schedule for `n` players, `courts` courts and `rounds` rounds, if any.
pub(crate) fn stored(n: usize, courts: usize, rounds: usize) -> Option<Vec<RawRound>> {
    let &(.., games) = STORED
        .iter()
        .find(|e| e.0 == n && e.1 == courts && e.5.len() == 4 * rounds * courts)?;
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
