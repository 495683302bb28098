//! Schedules solved offline where the run-time search falls short of the best we could
//! find: partners at the forced minimum and the tightest opponent window reachable.
//!
//! Two kinds of entry, found by their length:
//! * The default number of rounds. 6, 7, 8 players on one court and 10 on two came from
//!   a SAT solver, most others from an annealing search over whole schedules (several
//!   seeds, up to 150 s each); both programs are kept outside the repository. 9 players
//!   on one court, 16 on three and 25 on five regroup the games of whist designs Wh(9),
//!   Wh(16) and Wh(25) into rounds of one, three and five games (for 16: blocks of three
//!   whist rounds, each minus one game, plus a round of the three left-out games, which
//!   must be disjoint; for 25: `benches/sat/regroup_whist.py`, each lap of five rounds
//!   one round of a cyclic design's games and its images under x → x + 5, court spread
//!   1), ordered so sit-out runs and games stay balanced: every pair partners once and
//!   opposes exactly twice, the bound. From 18 to 40 players (N/4 courts or
//!   one fewer), by the rule of the club lengths below over seeds 0–299, kept only at
//!   court spread ≤ 1: 30 sizes, mostly a pair one meeting closer to the opponent bound
//!   (18 on four courts for 20 rounds: 1–3 against 2–3, where seeds 0–9 gave 0–3 to
//!   0–4).
//! * Club-length events on N/4 courts or one fewer: up to 16 players for 3 to 16 rounds,
//!   17–32 for 3 to 12. Candidates are the run-time search's schedules for seeds 0–2,999
//!   (0–299 from 17 players) and the first rounds of a default-length entry; kept is
//!   one at least as good as each of seeds 0–9 on five figures (partner repeats above
//!   the forced count, the longest sit-out run above its bound, the games gap above its
//!   bound, court spread above 1, the opponent range's distance from ⌊4G/P⌋..⌈4G/P⌉) and
//!   better than one of them on some figure; of those, the best in that order, then by
//!   the opponent range's width and the sum of squared opponent counts. Mostly a pair
//!   closer to the opponent bound (8 on one court for 8–13 rounds, first rounds of the
//!   14-round entry: every pair within it, where the search left one 2–3 outside),
//!   sometimes a shorter sit-out run or a better court spread. Whist lengths, the first
//!   kind, and lengths where games drift two apart in every candidate (12 on two courts
//!   from 15 rounds, 14 on three for 14) have no entry from this rule.
//!   `tests::club_length_candidates` (ignored; release) regenerates these entries and
//!   the default lengths from 18 players by this rule; it does not reproduce the SAT
//!   entries below, which replace its entries of the same size.
//! * 8 players on two courts for 4 and 9 rounds, solved exactly by a SAT model (kept
//!   outside the repository, like the others). From 3 to 8 rounds no schedule meets
//!   both the opponent bound and court spread 1 (`quality::EIGHT_ON_TWO`, proved by
//!   `eight.rs` up to 7 and by the SAT model for 8). These take opponents first, then
//!   court spread, but never all of a player's games on one court: 4 rounds has
//!   opponents 0–2 (2 pairs never meet) at spread 2, where 1–2 needs someone on one
//!   court all 4 rounds and the search gave 0–3 at spread 0 (8 pairs outside 1–2);
//!   9 rounds reaches opponents 2–3 at spread 1, where the search gave 3. 3, 5, 6 and 8
//!   rounds are left to the search, which is already there (0–2 at spread 1; 1–2 at 3
//!   and 4; 2–3 at 4); 7 rounds is Wh(8) in the best of its 128 court orders, spread 5
//!   (`whist::eight_on_courts`).
//! * Club lengths the search leaves short of a bound, solved by a second SAT model
//!   (`benches/sat/club_lengths.py`): one variable per round, player and team slot (two
//!   players per slot, each player in one slot or sitting out); partnerships at the
//!   forced minimum; every pair's opponent count inside the bound; each player's court
//!   counts within the court bound; no sit-out run above its bound; and sit-outs laid out
//!   in advance in laps of all N players, each lap the previous one rotated by one or
//!   two, so games played stay within one after every round (fixing them spares the
//!   solver most of its work; "unsatisfiable" then holds for that layout only). These
//!   meet every figure of the quality report at its bound: 10 on two courts for 9, 10,
//!   13, 14 and 16 rounds, 11 on two for 9 and 11, 12 on two for 11–14, 12 on three for
//!   9, 13 on two for 14. Where the search had games two apart mid-event (10, 11 and 12
//!   on two courts for N rounds, 12 on two for 13–14) or a pair outside the opponent
//!   bound (10/2/13–14 1–4, 13/2/14 0–3, 11/2/9 and 12/2/11 0–2), the stored schedule
//!   keeps games within one and every pair inside the bound. Six are one closer: 10 on
//!   two courts for 11 rounds (opponents 1–3 against the search's 1–4; 1–2 gave no
//!   answer in 4 minutes), 12 on two for 15 (1–3 at court spread 0 with games within
//!   one, where the search had 1–4, spread 2 and games two apart) and 16 (1–3 with games
//!   within one and no partner repeat, where the search had games two apart, 1–4 and up
//!   to two repeats; 1–2 is unsatisfiable for both layouts tried), 13 on three for 11
//!   (court spread 1 where the search had 2) and 14 on three for 11 and 13 (1–3 against
//!   the earlier entries' 0–3).
//! * Small club lengths from the same model with the sit-outs left to the solver
//!   (`--free`: games within one after every round becomes a bound on each player's
//!   sit-outs after each round, and round 1 is fixed, which every schedule can be
//!   relabelled to, so "unsatisfiable" holds for every schedule): 5 on one court for 3
//!   and 13 rounds, 6 on one for 6, 7 and 9–16, 8 on one for 15–16, 9 on one for 11–14,
//!   10 on one for 12–16, 11 on one for 11, 12, 15 and 16, 10 on two for 7 and 15, and
//!   12 on three for 8. Each has the best opponent window and sit-out run the solver
//!   found with partners within one of each other and games within one (10/2/7, 10/2/15,
//!   9/1/11–14 and 12/3/8 every figure at its bound); the search had games two apart (6
//!   on one court), runs of 3 where 2 is possible (10 and 11 on one court) or a wider
//!   window.
//! * Long events on two courts with a third to a half resting (13–15 players, 17 to 2N
//!   rounds), from the same model with free sit-outs, where the search left partner
//!   repeats it could have avoided, court spread 2 or opponents 2 outside the bound, or
//!   took 5 ms or more. With no two rests in a row, of two consecutive rounds only
//!   8C − N players play both (1 for 15 players), so the rounds of each parity change a
//!   player at a time and opponents concentrate. Each entry has partners at the forced
//!   minimum, games within one after every round, no two rests in a row and court spread
//!   ≤ 1 (14/2/21: 2, where 1 gave no answer in 10 minutes), and was kept only when no
//!   schedule of the search's seeds 0–9 ranks better by partner repeats, then the larger
//!   of the opponent window's miss and court spread − 1. Most were asked for at most K
//!   pairs outside the opponent bound (`--outside K`, K about the median of those
//!   seeds), so that the entry does not trade that figure for the window. Examples: 15
//!   players for 29 rounds, opponents 1–4 against the bound 2–3 (the search: 0–5 with up
//!   to 3 avoidable repeats, 11 ms); 15 for 24 rounds, 0–3 against 1–2 with no repeat
//!   (the search: 0–4 and up to 8 avoidable repeats). Unanswered (so left to the search
//!   or the entry above): 15/2/27 at 1–4 in 15 minutes, 15/2/25 at 0–3 in 15 minutes
//!   (stored at 0–4), 15/2/23 at 0–3 in 10 (stored at 0–4); BENCHMARKS.md lists the rest.
//! * 16 players on two courts for 17–22, 25, 26 and 30 rounds, from the same model with free
//!   sit-outs: opponents 0–2 (17–22) or 1–3 (25, 26) against the bound 1–2, one meeting
//!   from it where every search of seeds 0–9 was two (0–3, some 0–4), with fewer pairs
//!   outside the bound (10–26 against the seeds' 18–46) and court spread ≤ 1 (the
//!   seeds: 2 in some). Half the field rests every round, so partners at the forced
//!   minimum need some players to rest twice in a row (fixed groups of eight alternating
//!   would partner nobody across them), as in the search. 23–29 rounds at 0–2, and 23,
//!   24, 27–29 at 1–3, gave no answer in 10 minutes each. Also 30 rounds: 1–3 against the
//!   bound 2–2 (seeds 0–9: 1–4 or 0–4), asked for at most 62 pairs outside it (the
//!   seeds' median; it has 60).
//! * Lengths up to 16 players the run-time search took 4 ms or more over on the
//!   thirty-fourth session's machine (up to 6.8 ms against the 5 ms target): 13 on two
//!   courts for 19 rounds, 14 on two for 24, 16 on two for 14, 15, 23, 24, 27–29, 31 and
//!   32, on three for 19 and 32, and on four for 24. Stored so they are a look-up, by
//!   the club-length rule above (`CLUB_LENGTHS` of `tests::club_length_candidates`)
//!   without its "better than one seed" condition: the best of the search's schedules
//!   for seeds 0–2,999, at least as good as each of seeds 0–9 on the five figures. Most
//!   are better too: a court spread of 1 where most seeds had 2 (16/3/19: 1–3 with 10
//!   pairs outside the bound, the seeds 15–34 at spread 2), or fewer pairs outside.
//!   16 on four courts for 11 rounds is from `anneal.rs` (opponents 0–2 at court spread
//!   1; the seeds had 0–2 at spread 2 or 0–3 at 1). 16 on four for 13 rounds stays with
//!   the search: its seeds trade court spread 2 at 1–2 against spread 1 at 0–3, no
//!   candidate of 3,000 had both, and the annealer found neither 1–2 nor 0–2 at spread 1.
//!   Whist designs with two opponent-disjoint rounds left out give 1–2, but no court
//!   order of theirs reaches spread 1 (`benches/sat/sixteen_on_four.py`).
//!   From 17 players the same for the lengths over 45 ms (target 50), from seeds 0–299:
//!   29 on six courts for 33 rounds, 29 on seven for 22, 30 on four for 52, 31 on six
//!   for 36, 32 on six for 41 and 32 on eight for 24–26, 28 and 29 (the whist prefixes:
//!   fewer pairs outside the bound at the same spread 2). 32 on five for 51 and on four
//!   for 62 stay with the search, whose seeds trade court spread against opponents.
//! * Long events on one court from the same model, free sit-outs: 9 players for 17
//!   rounds at every bound (opponents 1–2 with runs of 2, where the search gave 0–3 or
//!   0–4 and some seeds runs of 3); 11 for 19 and 20 rounds with runs of 2 (the bound)
//!   and opponents 0–3, where the search had runs of 3 (1–3 or 1–2 with runs of 2, or
//!   0–3 with at most 17 pairs outside the bound for 20 rounds, are unsatisfiable; so
//!   the entries have about twice the search's pairs outside); 11 for 21 rounds, where
//!   runs of 2 cannot reach 0–3 (unsatisfiable), with runs of 3 as the search and
//!   opponents 1–3 against its 0–3 to 0–4.
//! * Club lengths from 17 players where every other entry or search left pairs one
//!   outside the opponent bound (0–2 against 0–1: some pairs opposing twice where
//!   nobody need, or 0–2 against 1–2), from the annealing search of `anneal.rs` (test
//!   builds only; `tests::anneal_entry` rebuilds each bit for bit from the move budget
//!   and seeds noted in `tests::annealed_club_lengths_meet_every_bound`, which lists
//!   them): every figure at its bound, so nobody meets an opponent twice (or, at 1–2,
//!   every pair opposes at least once).
//!   Also 16 on four courts for 12 rounds: every pair opposes once or twice (1–2, the
//!   bound) at court spread 2, where the search left pairs that never oppose (0–2, also
//!   spread 2, every seed); 1–2 with spread 1 was not found.
//! * 16 players on four courts for 15 rounds, the whist length: a whist design (every
//!   pair partners once and opposes twice) with court spread 1, where the stored Wh(16)
//!   admits no court order better than 2 (a SAT solver proved that). Found by
//!   enumerating cyclic bases on Z_15 ∪ {∞} and asking a SAT solver, for each, for a court
//!   order with every player's court counts within one (the first base tried had one;
//!   for 12 players none of the 220 cyclic bases on Z_11 ∪ {∞} has one). Shorter events
//!   on four courts start from the stored Wh(16)'s first rounds (refined; taking this
//!   design's first rounds instead gave 16/4/13 spread 3 where Wh(16) keeps 2); where
//!   those end at court spread 2 or more, the rounds chosen from the whole design
//!   (`whist::design_subset`) come from this one, in its court order, as for 20.
//! * 20 players on five courts for 19 rounds, the whist length, with court spread 1: a
//!   whist design invariant under a map of order 5 (four orbits of five players) that
//!   moves every court on by one, so a player's court counts are a turn of the counts of
//!   its orbit's first player and only four players' counts need a constraint. Found by
//!   `benches/sat/rotating_whist.py 5 1` in about a second (one base round developed
//!   five times and 14 rounds that are each one game turned round the courts). No cyclic
//!   design on Z_(N−1) ∪ {∞} has this symmetry, and their court orders stop at spread 2.
//!   Shorter events on five courts choose their rounds from it (`whist::design_subset`)
//!   where the refined first rounds of the stored Wh(20) end at spread 2 or more: 20/5/3
//!   and 20/5/15–18 now reach spread 1 for seeds 0–1 (they had 2–3; 20/5/16 at the cost
//!   of opponents 0–2 against 1–2, which it met at spread 3).
//! * 28, 44 and 52 players on 7, 11 and 13 courts for 27, 43 and 51 rounds, the whist
//!   length, with court spread 1: designs of the same kind that are also invariant under
//!   a multiplier of Z_C (t → 2t, 3t, 3t, of order 3, 5, 3), which cuts the search about
//!   that many times; `rotating_whist.py 7 3 --mu 2 --fix 0` and `11 3 --mu 3 --fix 0`
//!   answer in about 4 s, `13 2 --mu 3` in 30 s (the stored cyclic designs' court orders
//!   stop at spread 2, 14, 33 and 42 players over). Shorter events on those courts choose
//!   their rounds from them as for 20.
//!
//! Every entry meets: partner repeats at the forced minimum; every pair's opponent count
//! in the recorded window (the floor/ceil bound was proved impossible for 6 and 7 on
//! one court); per-player court counts within the recorded spread (≤ 1 for the default
//! lengths but 16 on three courts, 2); no longer sit-out run than recorded; games played
//! balanced within one after every round (so a tournament cut short is still fair).
//! Using them is a table lookup; the seed relabels players as for every other schedule.
//! Every entry is checked through the public call by
//! `scheduling::tests::stored_schedules_through_the_public_call`.

use super::engine::RawRound;
use super::stored_data::STORED;

/// The stored schedule for `n` players, `courts` courts and `rounds` rounds, if any.
pub(crate) fn stored(n: usize, courts: usize, rounds: usize) -> Option<Vec<RawRound>> {
    let &(.., games) = STORED
        .iter()
        .find(|e| e.0 == n && e.1 == courts && e.6.len() == 4 * rounds * courts)?;
    let slots: Vec<usize> = games.bytes().map(player_index).collect();
    let rounds = slots
        .chunks_exact(4 * courts)
        .map(|r| {
            let games: Vec<[usize; 4]> = r
                .chunks_exact(4)
                .map(|g| [g[0], g[1], g[2], g[3]])
                .collect();
            let sit = (0..n)
                .filter(|p| !games.iter().any(|g| g.contains(p)))
                .collect();
            RawRound { games, sit }
        })
        .collect();
    Some(rounds)
}

/// `0`–`9`, `A`–`Z`, `a`–`z` → 0–61 (the data file's one character per player).
fn player_index(c: u8) -> usize {
    usize::from(match c {
        b'0'..=b'9' => c - b'0',
        b'A'..=b'Z' => c - b'A' + 10,
        _ => c.wrapping_sub(b'a').wrapping_add(36),
    })
}
