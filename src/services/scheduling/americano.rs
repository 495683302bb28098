//! Americano (rotating partners), plus extending and re-planning any rotating schedule.

use super::cyclic::{base_want, cyclic_rounds, gcd};
use super::engine::{
    assign_courts, plan, repair_cost, repair_court_spread, repair_court_spread_runs,
    repair_opponents, repair_units, repair_unpaid, search_units, Budget, History, RawRound,
    SitSwaps, COURT_PASS_UNITS, PASS_UNITS_PER_GAME, REMATCH_UNITS_PER_MOVE, REPAIR_SHARE,
};
use super::joined::joined_cycles;
use super::laps;
use super::leftover;
use super::rematch::{rematch_far_opponents, wanted_moves, Weigh, UNITS_PER_MOVE};
use super::rng::Rng;
use super::stored::stored;
use super::whist::{design, design_laps, design_on_courts, design_subset, eight_on_courts};
use super::{
    label_rounds, team, validate_courts, validate_players, Format, Round, Schedule, ScheduleError,
};
use std::collections::HashMap;

/// Americano for `players` (4..=64 distinct labels) on `courts` (1..=N/4) for `rounds`.
///
/// Deterministic for a given `seed`; the seed relabels players by a seeded permutation
/// and seeds the search. Whist designs are used whenever N, C fit one (see module docs).
pub fn americano(
    players: &[usize],
    courts: usize,
    rounds: usize,
    seed: u64,
) -> Result<Schedule, ScheduleError> {
    americano_from(players, courts, rounds, seed, Source::StoredFirst)
}

/// Whether [`americano_from`] looks up `stored.rs` first.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    StoredFirst,
    /// The run-time construction and search alone: what the stored club lengths were
    /// chosen against (`tests::club_length_candidates` regenerates them).
    #[cfg(test)]
    SearchOnly,
}

pub(crate) fn americano_from(
    players: &[usize],
    courts: usize,
    rounds: usize,
    seed: u64,
    source: Source,
) -> Result<Schedule, ScheduleError> {
    validate_players(players, 4)?;
    let n = players.len();
    validate_courts(courts, n / 4)?;
    let mut rng = Rng::new(seed);
    let perm = rng.permutation(n);
    let labels: Vec<usize> = perm.iter().map(|&i| players[i]).collect();
    let h = History::new(n, courts);
    let mut budget = Budget::for_players(n);
    // A stored exact solve, or a whist design in a stored court order, is already best
    // on every figure, courts included: no search. Then the lap design where the search
    // cannot avoid partner repeats (few courts over long events, a third to a half
    // resting at the default length), a whist start refined (whole laps of the design
    // past its length), a cyclic development, or the search alone.
    let fixed = (source == Source::StoredFirst)
        .then(|| stored(n, courts, rounds))
        .flatten()
        .or_else(|| design_on_courts(n, courts, rounds))
        .or_else(|| eight_on_courts(n, courts, rounds));
    // Fixed schedules are kept as they are: no re-matching (`finish`) of their teams, and
    // no court repair, which could only act on a player 3 or more apart: every stored
    // schedule and court order keeps everyone within two, and Wh(8)'s order is the best
    // of all of them (`fixed_schedules_need_no_court_repair`).
    let raw = match fixed {
        Some(raw) => raw,
        None => {
            let raw = laps::suits(n, courts, rounds)
                .then(|| best_laps(n, courts, rounds, &mut budget, &mut rng))
                .flatten()
                .or_else(|| {
                    design_laps(n, courts, rounds, &mut rng)
                        .or_else(|| design_init(n, courts, rounds))
                        .map(|init| {
                            let refined =
                                refined_design(&h, courts, rounds, init, &mut budget, &mut rng);
                            design_subset_or(&h, courts, rounds, refined, &mut budget, &mut rng)
                        })
                })
                .or_else(|| cyclic_then_search(n, courts, rounds, &mut budget, &mut rng))
                .unwrap_or_else(|| search_alone(&h, courts, rounds, &mut budget, &mut rng));
            finish(&h, courts, raw, &mut budget, &rng)
        }
    };
    Ok(Schedule {
        format: Format::Americano,
        players: players.to_vec(),
        courts,
        rounds: label_rounds(&raw, &labels),
        group_a_len: None,
    })
}

/// A whist start refined cold; refined again on a spare budget (up to
/// [`DESIGN_RETRIES`] times, while it gains) when it ends at court spread 3: 25 players on
/// six courts for 31 rounds, seed 153, did (1 in about 29,000 schedules of the cyclic
/// proptest's domain, enough to fail CI now and then).
fn refined_design(
    h: &History,
    courts: usize,
    rounds: usize,
    init: Vec<RawRound>,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Vec<RawRound> {
    let keep = SitSwaps::KeepRunning;
    let mut best = plan(h, courts, rounds, None, Some(init), keep, budget, rng);
    let mut best_score = score(h, &best);
    for _ in 0..DESIGN_RETRIES {
        if best_score.1 <= 2 {
            break;
        }
        let start = Some(best.clone());
        let again = budget.with_spare(h.n, |spare| {
            plan(h, courts, rounds, None, start, keep, spare, rng)
        });
        let s = score(h, &again);
        if rank(s) >= rank(best_score) {
            break;
        }
        (best, best_score) = (again, s);
    }
    best
}

/// Choices of rounds tried by [`design_subset_or`]: each is another local optimum, so
/// another chance at balanced courts.
const SUBSET_TRIES: usize = 4;

/// `refined` (a whist design's first rounds refined), or rounds chosen from the whole
/// design ([`design_subset`]) with their courts assigned, when that is better in the
/// order partner repeats, court spread, games gap, opponent range (12 players on three
/// courts for 9 rounds: opponents 0–2 at court spread 2, where the refined rounds had
/// 0–4 at 2).
fn design_subset_or(
    h: &History,
    courts: usize,
    rounds: usize,
    refined: Vec<RawRound>,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Vec<RawRound> {
    let games = rounds * courts;
    let (try_units, pass_units) = (
        PASS_UNITS_PER_GAME * games as u64,
        repair_cost(games, SIDE_PASS_RUNS),
    );
    // Each side is compared as it would end: the last court pass runs on whichever is
    // kept, and may bring a spread of 3 down to 2. It costs up to ~100 ms a run at 64
    // players, so sides are ranked as if it did, and it runs on the best side only.
    let mut sides = vec![(miss_key(h, &refined, 2), refined)];
    for _ in 0..SUBSET_TRIES {
        // Fixed games leave the court pass little room: over the 1,372 shorter events on
        // whist courts of BENCHMARKS.md no choice of rounds beat refined rounds already
        // at court spread 1 (the same figures without trying), and each try costs up to
        // ~40 ms at 64 players. Rounds of the design meet every pair at most twice, so
        // they are tried too where the opponent range ends 2 or more outside its bound
        // (20 players on five courts for 13 rounds: 0–3 → 0–2 for every seed).
        let bar = sides.iter().map(|s| s.0).min().unwrap_or_default();
        if bar.3 <= 1 && bar.6 <= 1 {
            break;
        }
        // Each try (its choice of rounds and its court pass) from the reserve.
        if !budget.reserve_allows(try_units) {
            break;
        }
        let Some(sub) = design_subset(h.n, rounds, rng) else {
            break;
        };
        budget.extra(try_units);
        // The design's own court order, kept or passed: the pass minimises counts
        // outside the bound summed, which can leave one player 3 apart to bring two
        // others within one (24 players for 22 rounds: 2 in the design's order, 3 after).
        let passed = assign_courts(h, courts, sub.clone(), rng);
        sides.push((miss_key(h, &passed, 2), passed));
        sides.push((miss_key(h, &sub, 2), sub));
    }
    // Where the pass left that side at 3 it did on the others too (57 players on 14
    // courts for 52 rounds: three sides, 0.2 s each, all at 3), so the rest are then
    // ranked as they are.
    let mut ran = false;
    loop {
        // The first of the best: the refined rounds on a tie.
        let i = (0..sides.len()).min_by_key(|&i| sides[i].0).unwrap_or(0);
        if ran || score(h, &sides[i].1).1 <= 2 || !budget.reserve_allows(pass_units) {
            return sides.swap_remove(i).1;
        }
        budget.extra(pass_units);
        let side = std::mem::take(&mut sides[i].1);
        let passed = repair_court_spread_runs(h, courts, side, rng, SIDE_PASS_RUNS);
        sides[i] = (miss_key(h, &passed, u32::MAX), passed);
        for side in &mut sides {
            side.0 = miss_key(h, &side.1, u32::MAX);
        }
        ran = true;
    }
}

/// A court spread of 3 or more first (never taken to save anything else, as in
/// [`rank`]: 22 players on three courts for 38 rounds, seed 785, re-matched from
/// opponents 0–6 to 0–4 at spread 4 otherwise), partner repeats, the larger of the two
/// misses (court spread above 1, the furthest pair outside the opponent bound), court
/// spread (a larger one counted as `cap`: what the last court pass may bring it to),
/// that pair's distance, games gap, opponent range outside its bound, players above
/// spread 1, pairs outside; smaller is better. A pair meeting 4 times where the bound is
/// 2 is worse than a player 2 apart on courts (16 players on four courts for 11 rounds,
/// seed 1: opponents 0–4 at spread 1 before, 0–2 at spread 2 now).
type MissKey = (bool, u32, u32, u32, u32, u32, u32, usize, usize);

fn miss_key(h: &History, raw: &[RawRound], cap: u32) -> MissKey {
    let (rep, spread, gap) = score(h, raw);
    let (players, pairs) = misses(h, raw);
    let (spread, off) = (spread.min(cap), opponents_off(h, raw));
    let worst = spread.saturating_sub(1).max(off);
    let range = opponent_range_off(h, raw);
    (
        spread > 2,
        rep,
        worst,
        spread,
        off,
        gap,
        range,
        players,
        pairs,
    )
}

/// The last passes over a finished schedule. Where some player's courts are 3 or more
/// apart, the teams re-matched within their rounds on opponents and courts together
/// ([`rematch_far_opponents`], [`Weigh::AndCourts`]), kept when it brings everyone
/// within 2 with no pair further outside the opponent bound, else the court pass
/// ([`repair_court_spread`]). Then, where some pair ends 2 or more outside the opponent
/// bound and that is the larger miss, re-matched on opponents alone with the courts
/// assigned again (the last pass on [`SIDE_PASS_RUNS`] runs), and where that is not
/// enough on opponents and courts together (for a pair [`FAR_OFF`] or more outside,
/// whatever the budget left); kept when [`miss_key`] ranks it better.
pub(super) fn finish(
    h: &History,
    courts: usize,
    raw: Vec<RawRound>,
    budget: &mut Budget,
    rng: &Rng,
) -> Vec<RawRound> {
    let games = raw.iter().map(|r| r.games.len()).sum::<usize>();
    let moves = wanted_moves(games as u64);
    let want = moves * UNITS_PER_MOVE;
    // A stream of its own: the court pass forks `rng` the same way.
    let mut side = Rng::new(rng.fork().next_u64().rotate_left(17));
    // `matched`: the search's rounds, where courts were re-matched first: the re-matching
    // on opponents alone starts from their matching (it assigns courts afresh anyway).
    let (raw, matched) = if score(h, &raw).1 >= 3 {
        // From the reserve (the searches' share is spent by now), at least a quarter of
        // its moves or none.
        let paid = if budget.reserve_allows(REMATCH_UNITS_PER_MOVE * moves / 4) {
            budget.extra(REMATCH_UNITS_PER_MOVE * moves) / REMATCH_UNITS_PER_MOVE
        } else {
            0
        };
        match rematched_onto_courts(h, &raw, paid as usize, &side) {
            Some(new) => (new, Some(raw)),
            None => (repair_court_spread(h, courts, raw, rng, budget), None),
        }
    } else {
        (raw, None)
    };
    // Only where that pair is the larger miss: re-matched courts rarely end better than
    // the search left them, and each try costs (twenty-seventh session: 56 ms of a 50 ms
    // target for 31 players on five courts for 47 rounds, with nothing gained).
    let off = opponents_off(h, &raw);
    if off < 2 || score(h, &raw).1.saturating_sub(1) >= off {
        return raw;
    }
    let Some((_, lo, hi)) = opponent_counts(h, &raw) else {
        return raw;
    };
    // From what the searches left of the schedule's budget: each re-matching runs only
    // when at least a quarter of its moves are left (and its court passes, where the
    // courts are assigned afresh).
    let passes = COURT_PASS_UNITS * games as u64 + repair_units(games, SIDE_PASS_RUNS);
    let raw_key = miss_key(h, &raw, u32::MAX);
    let mut best: Option<(MissKey, Vec<RawRound>)> = None;
    let offer = |best: &mut Option<(MissKey, Vec<RawRound>)>, s: Vec<RawRound>| {
        let k = miss_key(h, &s, u32::MAX);
        if k < raw_key && best.as_ref().is_none_or(|b| k < b.0) {
            *best = Some((k, s));
        }
    };
    // What the budget's charges leave unpaid of the time these take, from the reserve.
    let unpaid_per_move = REMATCH_UNITS_PER_MOVE - UNITS_PER_MOVE;
    let unpaid_passes = (PASS_UNITS_PER_GAME - COURT_PASS_UNITS) * games as u64
        + repair_unpaid(games, SIDE_PASS_RUNS);
    // Moves from the budget's share, as many as the reserve pays the rest of.
    let paid_moves = |budget: &mut Budget| {
        let granted = budget.take(want) / UNITS_PER_MOVE;
        granted.min(budget.extra(unpaid_per_move * granted) / unpaid_per_move)
    };
    // Opponents alone, then the courts assigned afresh.
    if budget.allows(passes + want / 4)
        && budget.reserve_allows(unpaid_passes + unpaid_per_move * moves / 4)
    {
        budget.take(passes);
        budget.extra(unpaid_passes);
        let moves = paid_moves(budget) as usize;
        let weigh = Weigh::Opponents;
        let from = matched.as_deref().unwrap_or(&raw);
        if let Some(new) = rematch_far_opponents(h, (lo, hi), from, moves, weigh, &side) {
            let new = assign_courts(h, courts, new, &mut side);
            let new = repair_court_spread_runs(h, courts, new, &side, SIDE_PASS_RUNS);
            offer(&mut best, new);
        }
    }
    // Where that leaves courts 3 apart or a miss of 2, or the budget had no room for its
    // court passes: opponents and courts weighed together, each game keeping its court
    // (31 players on five courts for 47 rounds, seed 1: opponents alone reach 1–4
    // against 2–3 with no court order better than spread 3, so 0–7 stayed; together,
    // 0–4 at spread 2). A pair still 2 or more outside gets all its moves whatever the
    // budget left, as a court spread of 3 does above (14 players on two courts for 24
    // rounds: the lap searches spend the budget, and 20 of 400 seeds kept 0–6 or 0–7
    // against 2–3; with it, 0–5 at most, in 35 instead of 70; 58 players on 14 courts
    // for 57 rounds, seed 3: 0–5 → 0–3 against 1–2). Those schedules pay (about a
    // millisecond at 14 players, up to 0.1 s at 62) and the slowest of each size stays
    // under its target. Not for fixed groups, whose far pairs are forced (players of
    // different groups).
    let far = |k: &MissKey| k.0 || k.2 >= 2;
    let off_now = best.as_ref().map_or(raw_key.4, |b| b.0 .4);
    let beyond = off_now >= FAR_OFF && !fixed_groups(h.n, courts);
    if best.as_ref().is_none_or(|b| far(&b.0)) && (beyond || budget.allows(want / 4)) {
        // From the budget, its unpaid part from the reserve; beyond, the rest of its
        // moves from the reserve too.
        let granted = paid_moves(budget);
        let rest = if beyond {
            budget.extra(REMATCH_UNITS_PER_MOVE * (moves - granted)) / REMATCH_UNITS_PER_MOVE
        } else {
            0
        };
        let moves = (granted + rest) as usize;
        let weigh = Weigh::AndCourts;
        if let Some(new) = rematch_far_opponents(h, (lo, hi), &raw, moves, weigh, &side) {
            offer(&mut best, new);
        }
    }
    best.map_or(raw, |(_, s)| s)
}

/// `raw`, some player 3 or more apart on the courts, re-matched on opponents and courts
/// together, when that brings every player within 2 and no pair further outside the
/// opponent bound (8 players on two courts for 6 rounds have opponents 1–2 only at
/// court spread 4, proven in `eight.rs`, and opponents come first there). Moving a team
/// to another game of its round is a move the court pass does not have: lap designs
/// the court pass left at 3 (31 players on five courts for 47 rounds, seed 3, after
/// 8 court-pass runs, 70% of its time) end at 2 in a tenth of that. Paid from the
/// budget's reserve, as the court pass it spares is (so the re-matching on opponents
/// after it keeps its share: 50 players on seven courts for 88 rounds, seed 1, lost it).
fn rematched_onto_courts(
    h: &History,
    raw: &[RawRound],
    moves: usize,
    rng: &Rng,
) -> Option<Vec<RawRound>> {
    let (_, lo, hi) = opponent_counts(h, raw)?;
    let new = rematch_far_opponents(h, (lo, hi), raw, moves, Weigh::AndCourts, rng)?;
    (score(h, &new).1 <= 2 && opponents_off(h, &new) <= opponents_off(h, raw)).then_some(new)
}

/// How far outside the opponent bound a pair may end before [`finish`] re-matches
/// outside the budget: at 3, 14/2/24 still kept 0–5 against 2–3 in 70 of 400 seeds.
const FAR_OFF: u32 = 2;

/// Runs of the last court pass on a side that may replace the schedule ([`design_subset_or`],
/// [`finish`]): 2 kept most of what 8 gained for chosen whist rounds, within 0.43 s for 64
/// players (8: up to 0.6 s), and re-matched teams that end the court pass at 3 mostly
/// stay there (56 players on 14 courts for 48 rounds: 0.2 s for 8 runs, all at 3).
const SIDE_PASS_RUNS: usize = 2;

/// See [`refined_design`].
const DESIGN_RETRIES: usize = 2;

/// Extra searches for up to 16 players when the first misses the partner or court
/// bound (each takes a few ms). Measured before they existed, over every N ≤ 40, C and
/// R ≤ 12 with seeds 0–9 (22 800 schedules): 4 had a partner repeat beyond the forced
/// ones and 5 a court spread of 2 (e.g. 6 players on one court for 7 rounds, whose
/// last round's sit-outs must be one of three pairs; 16 players on three courts for 12
/// rounds), all with N ≤ 16. As many run as the budget has whole searches for (one
/// when the first hits the 20 k-move cap).
const SMALL_RETRIES: usize = 3;

/// Larger events of up to this many rounds search once more when courts end at spread
/// 2: about 1 in 10,000 did (24 players on five courts for 12 rounds), once games were
/// kept within one after every round. For N ≤ 32 at the 270 k-move cap the budget has
/// no room for it (that 24/5/12 seed stays at spread 2).
const SHORT_ROUNDS: usize = 12;

/// Searches of a small event's rounds after its cyclic development, while they end at
/// court spread 3 (see [`cyclic_and_rest`]).
const SPREAD_RETRIES: usize = 4;

/// Searches again of a small event while a pair ends 3 or more outside the opponent
/// bound (see [`search_alone`]).
const FAR_OPP_RETRIES: usize = 4;

/// Rounds after a development built from its unused partner pairs
/// ([`leftover::leftover_rounds`]) are refined cold on 1 / `BUILT_SHARE` of a search's
/// moves (a quarter: as good as a half over the sixth-to-a-third-resting inputs, and
/// the search after it keeps the rest), then up to `BUILT_RETRIES` times more: refined
/// again while above the forced repeats or at court spread 3 (a court pass alone rarely
/// fixes that: the refinement moves teams between games), or given another court pass
/// at spread 2. Up to `BUILDS` constructions run while the last ends with a court
/// spread of 3 or avoidable repeats.
const BUILT_SHARE: u64 = 4;
const BUILT_RETRIES: usize = 3;
const BUILDS: usize = 2;

/// Lap searches after the first two, run while some pair's opponent count ends this far
/// or further outside ⌊4G/P⌋..⌈4G/P⌉ (in practice above it: ⌊4G/P⌋ is 2 or 3 there); see
/// [`best_laps`].
const LAP_RETRIES: usize = 2;
const LAP_OPP_RETRY: u32 = 5;
/// The late-courts lap search runs on 1 / `LATE_SHARE` of a search's moves: half keeps
/// most of the gain (opponent ranges 1,854 off in all instead of 1,792 with whole
/// searches, below) for the slowest N ≤ 16 lap design at 3.8 ms instead of 4.8.
const LATE_SHARE: u64 = 2;

/// A lap design: a search weighing courts throughout, then one weighing them late
/// ([`laps::Courts`]), kept when its court spread and then its opponent range are
/// better with no more repeats and no larger games gap; then searched again (up to
/// [`LAP_RETRIES`] times, each only when the budget has its whole length) while some
/// pair is [`LAP_OPP_RETRY`] or more outside the opponent bound; the one furthest inside
/// kept, never one with more repeats, a larger games gap, or a court spread above both
/// 2 and the best's so far. More moves do not help there (14 players on two courts for
/// 24 rounds, 200 seeds: the same outcomes at 1×, 2× and 4× the moves), but another
/// search is another draw: 17% of 400 seeds ended 5–8 above, seed 212 8 (a pair
/// meeting 11 times where the bound is 3).
///
/// The two weighings trade courts for opponents along one frontier, each search
/// ending on it at random; taking the better of one draw of each moves the whole set
/// forward. Over the 462 lap designs a third to a half resting at the default length
/// and a round either side (N ≤ 64, seeds 0–1) the opponent ranges' distance from their
/// bounds sums to 1,854 instead of 2,102, with court spread ≤ 1 in 222 instead of 216
/// and 3 in 3 instead of 8; seeds 0–9 (2,310): 9,146 instead of 10,476, a pair 4 or
/// more above the bound in 120 instead of 532, spread 3 in 11 instead of 38.
fn best_laps(
    n: usize,
    courts: usize,
    rounds: usize,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Option<Vec<RawRound>> {
    let empty = History::new(n, courts);
    let mut best = laps::lap_rounds(n, courts, rounds, laps::Courts::Throughout, budget, rng)?;
    let mut best_score = score(&empty, &best);
    let late_units = laps::lap_units(courts, rounds) / LATE_SHARE;
    if budget.allows(late_units) {
        let mut part = budget.split(late_units);
        let late = laps::lap_rounds(n, courts, rounds, laps::Courts::Late, &mut part, rng);
        budget.rejoin(part);
        if let Some(late) = late {
            let s = score(&empty, &late);
            let key = |s: Score, raw: &[RawRound]| (s.1, opponent_range_off(&empty, raw));
            if s.0 <= best_score.0 && s.2 <= best_score.2 && key(s, &late) < key(best_score, &best)
            {
                (best, best_score) = (late, s);
            }
        }
    }
    let mut best_off = opponents_off(&empty, &best);
    for _ in 0..LAP_RETRIES {
        if best_off < LAP_OPP_RETRY || !budget.allows(laps::lap_units(courts, rounds)) {
            break;
        }
        let Some(again) =
            laps::lap_rounds(n, courts, rounds, laps::Courts::Throughout, budget, rng)
        else {
            break;
        };
        let (s, off) = (score(&empty, &again), opponents_off(&empty, &again));
        // A court spread of 2 is a smaller unfairness than a pair meeting 5 or more
        // times too often (14/2/24, seed 212: 0–11 against 2–3 at spread 1, the second
        // search 0–7 at spread 2).
        let (rep, spread, gap) = s;
        if off < best_off
            && rep <= best_score.0
            && spread <= best_score.1.max(2)
            && gap <= best_score.2
        {
            (best, best_score, best_off) = (again, s, off);
        }
    }
    Some(best)
}

/// Whether `n` players on `courts` courts rotate fixed groups of 4C (N a multiple of 4C,
/// > 4C: the fair sit-outs alternate), whose courts no retry balances.
pub(super) fn fixed_groups(n: usize, courts: usize) -> bool {
    n.is_multiple_of(4 * courts) && n > 4 * courts
}

/// (partner repeats beyond the first, court spread, games gap) of a plan.
pub(super) type Score = (u32, u32, u32);

/// Partner repeats beyond the first, the court spread (largest most − fewest games on
/// one court over players), over `h` plus `raw` (games in court order), and the games
/// gap (most − fewest games played after any round of `raw`).
pub(super) fn score(h: &History, raw: &[RawRound]) -> Score {
    let after = replayed(h, raw);
    let repeats = after.partner.iter().map(|&x| x.saturating_sub(1)).sum();
    let spread = court_spreads(&after).max().unwrap_or(0);
    // Most minus fewest games after each round (history's counts first).
    let mut played = h.played.clone();
    let mut gap = 0;
    for r in raw {
        r.games.iter().flatten().for_each(|&p| played[p] += 1);
        let most = played.iter().max().copied().unwrap_or(0);
        let fewest = played.iter().min().copied().unwrap_or(0);
        gap = gap.max(most - fewest);
    }
    (repeats, spread, gap)
}

/// Each player's most minus fewest games on one court in `h`.
fn court_spreads(h: &History) -> impl Iterator<Item = u32> + '_ {
    h.court
        .chunks(h.courts.max(1))
        .map(|row| row.iter().max().unwrap_or(&0) - row.iter().min().unwrap_or(&0))
}

/// `h` with `raw` recorded after it (games in court order: game k on court k).
fn replayed(h: &History, raw: &[RawRound]) -> History {
    let mut after = h.clone();
    for r in raw {
        after.record(r, &[]);
    }
    after
}

/// Order of [`Score`]s, best first: a court spread or games gap of 3 or more is never
/// kept to save a repeat (someone 3 games heavier on one court, or 3 games behind
/// another player, is worse than one pair partnering twice), otherwise fewer repeats,
/// then smaller spread, then smaller gap.
fn rank((repeats, spread, gap): Score) -> (bool, u32, u32, u32) {
    (spread > 2 || gap > 2, repeats, spread, gap)
}

/// `rounds` searched after `h`, searched again up to `retries` times while `done` says
/// the figures (partner repeats, court spread) can improve; the best by [`rank`] is
/// kept. Sit-outs stay fair after every round, unless that leaves more partner repeats
/// than `forced` or a court spread of 3: then up to [`FREE_TRIES`] searches that keep
/// them fair at the end only, one kept if it ranks better (19 players on three courts,
/// 31 on six: one repeat fewer; 12 on two courts for 16 rounds: spread 3 in 40 of 1,000
/// seeds without this, 13 as before the fair-throughout rule). A search after the first
/// runs only when the budget has its whole length left.
#[allow(clippy::too_many_arguments)]
fn plan_best(
    h: &History,
    courts: usize,
    rounds: usize,
    retries: usize,
    done: impl Fn(Score) -> bool,
    forced: u32,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Vec<RawRound> {
    let keep = SitSwaps::KeepRunning;
    let full = search_units(h.n, (courts * rounds) as u64);
    let mut best = plan(h, courts, rounds, None, None, keep, budget, rng);
    let mut best_score = score(h, &best);
    for _ in 0..retries {
        if done(best_score) || !budget.allows(full) {
            break;
        }
        let again = plan(h, courts, rounds, None, None, keep, budget, rng);
        let s = score(h, &again);
        if rank(s) < rank(best_score) {
            (best, best_score) = (again, s);
        }
    }
    freed_and_repaired(h, courts, rounds, best, forced, budget, rng)
}

/// One search of `rounds` after `h`, then what [`plan_best`] does after its retries:
/// the searches with sit-outs fair at the end only, and the opponent repair.
fn plan_once(
    h: &History,
    courts: usize,
    rounds: usize,
    forced: u32,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Vec<RawRound> {
    let keep = SitSwaps::KeepRunning;
    let first = plan(h, courts, rounds, None, None, keep, budget, rng);
    freed_and_repaired(h, courts, rounds, first, forced, budget, rng)
}

/// `best` (searched with sit-outs fair after every round) against up to [`FREE_TRIES`]
/// searches with them fair at the end only, where it has more partner repeats than
/// `forced` or a court spread of 3; the better by [`rank`], its opponents repaired.
fn freed_and_repaired(
    h: &History,
    courts: usize,
    rounds: usize,
    mut best: Vec<RawRound>,
    forced: u32,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Vec<RawRound> {
    let full = search_units(h.n, (courts * rounds) as u64);
    let mut best_score = score(h, &best);
    for _ in 0..FREE_TRIES {
        if (best_score.0 <= forced && best_score.1 <= 2) || !budget.allows(full) {
            break;
        }
        let free = plan(
            h,
            courts,
            rounds,
            None,
            None,
            SitSwaps::KeepTotals,
            budget,
            rng,
        );
        let s = score(h, &free);
        if rank(s) < rank(best_score) {
            (best, best_score) = (free, s);
        }
    }
    opponents_repaired(h, courts, best, best_score, budget, rng).0
}

/// Every pair's opponent count over `h` plus `raw`, with ⌊4G/P⌋ and ⌈4G/P⌉ (G games in
/// all, P pairs); `None` without pairs.
fn opponent_counts(h: &History, raw: &[RawRound]) -> Option<(Vec<u32>, u32, u32)> {
    let after = replayed(h, raw);
    let n = after.n;
    let slots: usize = after.played.iter().map(|&g| g as usize).sum();
    let pairs = n * (n - 1) / 2;
    if pairs == 0 {
        return None;
    }
    let counts = (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| a * n + b))
        .map(|i| after.opp[i])
        .collect();
    Some((counts, (slots / pairs) as u32, slots.div_ceil(pairs) as u32))
}

/// How far the furthest pair's opponent count ends outside ⌊4G/P⌋..⌈4G/P⌉ over `h`
/// plus `raw` (G games in all, P pairs).
fn opponents_off(h: &History, raw: &[RawRound]) -> u32 {
    let Some((counts, lo, hi)) = opponent_counts(h, raw) else {
        return 0;
    };
    counts
        .iter()
        .map(|&x| x.saturating_sub(hi) + lo.saturating_sub(x))
        .max()
        .unwrap_or(0)
}

/// How far the opponent range (fewest and most meetings of a pair) over `h` plus `raw`
/// ends outside ⌊4G/P⌋..⌈4G/P⌉, both ends added: what the quality report shows.
pub(super) fn opponent_range_off(h: &History, raw: &[RawRound]) -> u32 {
    let Some((counts, lo, hi)) = opponent_counts(h, raw) else {
        return 0;
    };
    let fewest = counts.iter().copied().min().unwrap_or(lo);
    let most = counts.iter().copied().max().unwrap_or(hi);
    lo.saturating_sub(fewest) + most.saturating_sub(hi)
}

/// How many players end above court spread 1 and how many pairs outside the opponent
/// bound over `h` plus `raw`: ties of the range figures above are common, and these
/// break them.
fn misses(h: &History, raw: &[RawRound]) -> (usize, usize) {
    let players = court_spreads(&replayed(h, raw)).filter(|&x| x > 1).count();
    let pairs = opponent_counts(h, raw).map_or(0, |(counts, lo, hi)| {
        counts.iter().filter(|&&c| c < lo || c > hi).count()
    });
    (players, pairs)
}

/// `raw` (after `h`, with [`Score`] `sc`) given one short repair when a pair's opponent
/// count ends 2 or more outside the bound (e.g. 3 times where every pair could meet at
/// most once), which weighs it above court balance; the repair is kept only if nothing
/// else got worse, and runs only when the budget has 1 / [`REPAIR_SHARE`] of a search of
/// these rounds.
fn opponents_repaired(
    h: &History,
    courts: usize,
    raw: Vec<RawRound>,
    sc: Score,
    budget: &mut Budget,
    rng: &mut Rng,
) -> (Vec<RawRound>, Score) {
    let off = opponents_off(h, &raw);
    let full = search_units(h.n, (courts * raw.len()) as u64);
    if off < 2 || !budget.allows(full / REPAIR_SHARE) {
        return (raw, sc);
    }
    let fixed = repair_opponents(h, courts, raw.clone(), budget, rng);
    let fixed_score = score(h, &fixed);
    if rank(fixed_score) <= rank(sc) && opponents_off(h, &fixed) < off {
        (fixed, fixed_score)
    } else {
        (raw, sc)
    }
}

/// Searches with sit-outs fair only at the end, after those fair throughout left an
/// avoidable partner repeat or a court spread of 3.
const FREE_TRIES: usize = 2;

/// Partner repeats `h` has, plus those `rounds` more rounds on `courts` courts must
/// add once the pairs that never partnered run out.
fn reachable_repeats(h: &History, courts: usize, rounds: usize) -> u32 {
    let n = h.n;
    let pairs = (0..n).flat_map(|a| (a + 1..n).map(move |b| a * n + b));
    let (mut repeats, mut unused) = (0, 0);
    for i in pairs {
        repeats += h.partner[i].saturating_sub(1);
        unused += u32::from(h.partner[i] == 0);
    }
    repeats + (2 * courts * rounds) as u32 - unused.min((2 * courts * rounds) as u32)
}

/// Repeats forced by counting after `rounds` in all: 2·C·R partnerships over P pairs.
pub(super) fn forced_repeats(n: usize, courts: usize, rounds: usize) -> u32 {
    (2 * courts * rounds).saturating_sub(n * (n - 1) / 2) as u32
}

/// The search alone, from a random start (small events: until it meets both bounds).
fn search_alone(
    h: &History,
    courts: usize,
    rounds: usize,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Vec<RawRound> {
    let n = h.n;
    let fixed = fixed_groups(n, courts);
    let small = n <= 16 && !fixed;
    let short = rounds <= SHORT_ROUNDS;
    let retries = match (small, fixed) {
        (true, _) => SMALL_RETRIES,
        (false, true) => 0,
        (false, false) => 1,
    };
    let forced = forced_repeats(n, courts, rounds);
    // What a search again may improve: small events both bounds, short ones the courts
    // (spread 2 in about 1 in 10,000), long ones a repeat the fair-throughout rule left
    // (19 players on three courts: 4 repeats against 3 forced, seed 0).
    let done = move |(rep, sp, _): Score| match (small, short) {
        (true, _) => rep <= forced && sp <= 1,
        (false, true) => sp <= 1,
        (false, false) => rep <= forced,
    };
    let mut best = plan_best(h, courts, rounds, retries, done, forced, budget, rng);
    // Small events whose budget is spent: whole searches again on a spare budget (a few
    // ms) while a pair ends 3 or more outside the opponent bound, kept only when that
    // brings it closer and nothing ranks worse (7 players on one court for 10 rounds:
    // 28 of 1,000 seeds met a pair 5 times where the bound is 1-2).
    if small {
        let (mut best_score, mut off) = (score(h, &best), opponents_off(h, &best));
        for _ in 0..FAR_OPP_RETRIES {
            if off < 3 {
                break;
            }
            let again = budget.with_spare(n, |spare| {
                plan_best(h, courts, rounds, retries, done, forced, spare, rng)
            });
            let (s, o) = (score(h, &again), opponents_off(h, &again));
            if rank(s) <= rank(best_score) && o < off {
                (best, best_score, off) = (again, s, o);
            }
        }
    }
    best
}

/// For at least N rounds: a cyclic development for the first N (courts, sit-outs,
/// partners and opponents balanced by construction), the rest searched against it; for
/// N − 1, its first N − 1 ([`one_short`]).
fn cyclic_then_search(
    n: usize,
    courts: usize,
    rounds: usize,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Option<Vec<RawRound>> {
    // Two resting with N ≡ 6 (mod 8) for N + 2 rounds: the joined cycles keep games
    // within one where the development cannot; kept when at the partner and court bounds,
    // else the better of it and the development.
    let Some(joined) = joined_cycles(n, courts, rounds, budget, rng) else {
        return developed(n, courts, rounds, budget, rng);
    };
    let empty = History::new(n, courts);
    let joined_score = score(&empty, &joined);
    if joined_score.0 <= forced_repeats(n, courts, rounds) && joined_score.1 <= 1 {
        return Some(joined);
    }
    let found = developed(n, courts, rounds, budget, rng)?;
    Some(if rank(joined_score) <= rank(score(&empty, &found)) {
        joined
    } else {
        found
    })
}

/// The development with evenly spaced sit-outs, or free ones when that has fewer partner
/// repeats, and the rounds after it searched (one round short: [`one_short`]).
fn developed(
    n: usize,
    courts: usize,
    rounds: usize,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Option<Vec<RawRound>> {
    if rounds < n {
        return one_short(n, courts, rounds, budget, rng);
    }
    // Evenly spaced sit-outs first (games even mid-event, see `cyclic_rounds`); if the
    // whole schedule then has more partner repeats than counting forces, free sit-outs
    // too, the one with fewer repeats kept.
    let first = cyclic_and_rest(n, courts, rounds, true, budget, rng)?;
    let forced = forced_repeats(n, courts, rounds);
    let empty = History::new(n, courts);
    let first_score = score(&empty, &first);
    // Up to 16 players (time to spare), spaced sit-outs that leave a pair 2 or more
    // outside the opponent bound are also retried free (10 on two courts for 10 rounds:
    // spaced sit-outs {0, 5} allow no base round better than 0–3 against 1–2).
    let first_off = opponents_off(&empty, &first);
    let far_off = n <= 16 && first_off >= 2;
    // A second development runs only when the budget has its base round and a whole
    // search of the remaining rounds left.
    let rest = base_want(n, courts, false) + search_units(n, (courts * (rounds - n)) as u64);
    if (first_score.0 <= forced && !far_off) || !budget.allows(rest) {
        return Some(first);
    }
    let Some(second) = cyclic_and_rest(n, courts, rounds, false, budget, rng) else {
        return Some(first);
    };
    let second_score = score(&empty, &second);
    // Free sit-outs may put games 2 apart mid-event; that is kept for an opponent count
    // closer to the bound when partners and courts are as good.
    let closer = far_off
        && second_score.2 <= 2
        && rank((second_score.0, second_score.1, 0)) <= rank((first_score.0, first_score.1, 0))
        && opponents_off(&empty, &second) < first_off;
    Some(if rank(second_score) < rank(first_score) || closer {
        second
    } else {
        first
    })
}

/// One round short of a development (R = N − 1): its first N − 1 rounds. Partners never
/// repeat (each difference class partners at most once), a player misses one base
/// position, so courts are within one, and with evenly spaced sit-outs each player's
/// rests are those of a run of N − 1 rounds (within the bound, never two in a row,
/// games within one): no search ranks better, so it is taken. The search alone fills
/// nearly every pair's partner slot there and left avoidable repeats (58 players on 14
/// courts for 57 rounds: 3–4 for every seed). Two resting with N ≡ 6 (mod 8) develop
/// with free sit-outs (the parity count, see `cyclic_rounds`), games 2 apart mid-event:
/// there the search runs as before and is kept unless it repeats a partner (30 players
/// on seven courts for 29 rounds: the search's, no repeat and games within one; 54 on
/// 13 for 53: the development's, no repeat for the search's 1–2). The development has a
/// budget and a stream of its own, so a search kept is the schedule it was.
fn one_short(
    n: usize,
    courts: usize,
    rounds: usize,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Option<Vec<RawRound>> {
    if rounds + 1 != n {
        return None;
    }
    let mut raw = budget.with_spare(n, |own| {
        cyclic_rounds(n, courts, true, false, own, &mut rng.fork())
    })?;
    raw.truncate(rounds);
    let empty = History::new(n, courts);
    let dev = score(&empty, &raw);
    if dev.2 <= 1 {
        return Some(raw);
    }
    let found = search_alone(&empty, courts, rounds, budget, rng);
    Some(if score(&empty, &found).0 <= dev.0 {
        found
    } else {
        raw
    })
}

/// The N developed rounds (sit-outs evenly spaced when `spaced`), then the rest searched.
fn cyclic_and_rest(
    n: usize,
    courts: usize,
    rounds: usize,
    spaced: bool,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Option<Vec<RawRound>> {
    let mut raw = cyclic_rounds(n, courts, spaced, rounds > n, budget, rng)?;
    let mut h = History::new(n, courts);
    // Games are already in court order (no explicit courts: game k on court k).
    for r in &raw {
        h.record(r, &[]);
    }
    let small = n <= 16 && !fixed_groups(n, courts);
    let forced = forced_repeats(n, courts, rounds);
    // Partners from the pairs the development left unused, where that stays fair
    // throughout: kept at once at the partner, court and opponent bounds, else the better
    // of it and the search below. Up to 32 players it has a spare budget (a few ms), so
    // that the search keeps its whole budget; larger events have room for both. And a
    // stream of its own: where the search is kept, it is the schedule it was.
    let mut fork = rng.fork();
    // The fewest repeats any rounds after this development can end with (when its
    // base round partners the diameter, more than the count forces overall).
    let reachable = reachable_repeats(&h, courts, rounds - n);
    let built = if n <= 32 {
        budget.with_spare(n, |own| {
            best_built(&h, courts, rounds - n, reachable, own, &mut fork)
        })
    } else {
        best_built(&h, courts, rounds - n, reachable, budget, &mut fork)
    };
    let built = match built {
        Some((sc, built))
            if sc.0 <= reachable && sc.1 <= 1 && opponent_range_off(&h, &built) <= 1 =>
        {
            raw.extend(built);
            return Some(raw);
        }
        other => other,
    };
    // The searched rounds occasionally leave someone at court spread 3 (3 in 1,419
    // schedules measured); up to three more searches, the best kept, remove those. Small
    // events also search again for a repeat or a spread of 2 (the last round's sit-outs
    // decide whether the remaining partners can meet).
    let done = |(rep, sp, _): Score| sp <= 2 && (!small || (rep <= forced && sp <= 1));
    let mut extra = plan_best(&h, courts, rounds - n, 3, done, forced, budget, rng);
    // Small events reach here with the budget spent on the development, so the retries
    // above do not run: 12 players on two courts for 16 rounds ended at spread 3 in 19 of
    // 401 seeds. More searches of the few rounds (~1 ms each, only then) until spread 2:
    // one left 5 of 1,001 seeds at 3, three 1 of 3,001, four none.
    let mut extra_score = score(&h, &extra);
    for _ in 0..SPREAD_RETRIES {
        if !small || extra_score.1 <= 2 {
            break;
        }
        let keep = SitSwaps::KeepRunning;
        let again = budget.with_spare(n, |spare| {
            plan(&h, courts, rounds - n, None, None, keep, spare, rng)
        });
        let again_score = score(&h, &again);
        if rank(again_score) < rank(extra_score) {
            (extra, extra_score) = (again, again_score);
        }
    }
    if let Some((sc, built)) = built {
        let key = |sc: Score, raw: &[RawRound]| (rank(sc), opponent_range_off(&h, raw));
        if key(sc, &built) < key(extra_score, &extra) {
            extra = built;
        }
    }
    raw.extend(extra);
    Some(raw)
}

/// Up to [`BUILDS`] constructions of the rounds after the development in `h`
/// ([`built_rest`]), until one has the `fewest` repeats reachable after `h` and a court
/// spread of 2 or less; the best by [`rank`].
fn best_built(
    h: &History,
    courts: usize,
    rounds: usize,
    fewest: u32,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Option<(Score, Vec<RawRound>)> {
    let mut best: Option<(Score, Vec<RawRound>)> = None;
    for _ in 0..BUILDS {
        if best
            .as_ref()
            .is_some_and(|&(sc, _)| sc.0 <= fewest && sc.1 <= 2)
        {
            break;
        }
        let Some(again) = built_rest(h, courts, rounds, fewest, budget, rng) else {
            break;
        };
        if best
            .as_ref()
            .is_none_or(|(sc, _)| rank(again.0) < rank(*sc))
        {
            best = Some(again);
        }
    }
    best
}

/// The `rounds` after the development in `h` built from its unused partner pairs
/// ([`leftover::leftover_rounds`]), refined cold on a share of a search's moves, then
/// refined again while above `fewest` repeats or at court spread 3, or given court
/// passes at spread 2 (see [`BUILT_RETRIES`]); with its [`Score`] after `h`.
fn built_rest(
    h: &History,
    courts: usize,
    rounds: usize,
    fewest: u32,
    budget: &mut Budget,
    rng: &mut Rng,
) -> Option<(Score, Vec<RawRound>)> {
    let init = leftover::leftover_rounds(h, courts, rounds, rng)?;
    let share = search_units(h.n, (courts * rounds) as u64) / BUILT_SHARE;
    let keep = SitSwaps::KeepRunning;
    let refine = |start: Vec<RawRound>, budget: &mut Budget, rng: &mut Rng| {
        let mut part = budget.split(share);
        let refined = plan(h, courts, rounds, None, Some(start), keep, &mut part, rng);
        budget.rejoin(part);
        refined
    };
    let mut built = refine(init, budget, rng);
    let mut sc = score(h, &built);
    for _ in 0..BUILT_RETRIES {
        let again = if sc.0 > fewest || sc.1 > 2 {
            refine(built.clone(), budget, rng)
        } else if sc.1 > 1 {
            assign_courts(h, courts, built.clone(), rng)
        } else {
            break;
        };
        // No gain means the partner classes left do not allow one (27 players on six
        // courts for 29 rounds, seed 142: one class of triangles): stop there.
        let s = score(h, &again);
        if rank(s) >= rank(sc) {
            break;
        }
        (built, sc) = (again, s);
    }
    // As after a search (`plan_best`).
    let (built, sc) = opponents_repaired(h, courts, built, sc, budget, rng);
    Some((sc, built))
}

/// Rounds taken from a whist design when one fits, repeated cyclically past its end (the
/// cut 4k+3 designs; a whole 4k or 4k+1 design past its length starts from
/// [`design_laps`] instead, which is tried first).
fn design_init(n: usize, courts: usize, rounds: usize) -> Option<Vec<RawRound>> {
    if courts != n / 4 || rounds == 0 {
        return None;
    }
    let base = match n % 4 {
        0 | 1 => design(n)?,
        // N = 4k+3: a 4k+4 design minus its point at infinity (index n). Its table
        // becomes the three sit-outs, so everyone sits out exactly 3 times in N rounds.
        // Only whole cycles: a prefix of the cut design can break the sit-out bound.
        3 if rounds.is_multiple_of(n) => {
            let d = design(n + 1)?;
            let cut: Vec<RawRound> = d
                .into_iter()
                .map(|r| {
                    let (with_inf, games): (Vec<[usize; 4]>, Vec<[usize; 4]>) =
                        r.games.into_iter().partition(|g| g.contains(&n));
                    let sit = with_inf
                        .iter()
                        .flatten()
                        .copied()
                        .filter(|&p| p != n)
                        .collect();
                    RawRound { games, sit }
                })
                .collect();
            reorder_no_back_to_back(n, cut)?
        }
        _ => return None,
    };
    Some((0..rounds).map(|t| base[t % base.len()].clone()).collect())
}

/// Cyclic designs may sit a player out in developments i and i+1; stepping through the
/// rounds with a stride s coprime to their count, from some start, avoids that for some
/// s. Of those orders, the one keeping games closest after every round: 2 apart at worst
/// for the 4k+3 cut designs up to 63 but 51 and 63 (1), instead of 3 for most (no order
/// of the 15-player design's rounds keeps games within one without a back-to-back rest:
/// exhaustive search).
fn reorder_no_back_to_back(n: usize, rounds: Vec<RawRound>) -> Option<Vec<RawRound>> {
    let m = rounds.len();
    let mut best: Option<(u32, Vec<usize>)> = None;
    for s in 1..m.max(2) {
        if gcd(s, m) != 1 {
            continue;
        }
        let order: Vec<usize> = (0..m).map(|t| (t * s) % m).collect();
        let ok = (0..m).all(|t| {
            let (a, b) = (&rounds[order[t]].sit, &rounds[order[(t + 1) % m]].sit);
            a.iter().all(|p| !b.contains(p))
        });
        if !ok {
            continue;
        }
        for start in 0..m {
            let rotated: Vec<usize> = (0..m).map(|t| order[(start + t) % m]).collect();
            let gap = sit_gap(n, rotated.iter().map(|&i| &rounds[i].sit));
            if best.as_ref().is_none_or(|(g, _)| gap < *g) {
                best = Some((gap, rotated));
            }
        }
    }
    best.map(|(_, order)| order.iter().map(|&i| rounds[i].clone()).collect())
}

/// Largest difference in sit-outs (so in games) between two of `n` players after any
/// of the rounds whose sitters are given.
pub(super) fn sit_gap<'a>(n: usize, sits: impl Iterator<Item = &'a Vec<usize>>) -> u32 {
    let mut sat = vec![0u32; n];
    let mut worst = 0;
    for sit in sits {
        for &p in sit {
            sat[p] += 1;
        }
        let most = sat.iter().max().copied().unwrap_or(0);
        let fewest = sat.iter().min().copied().unwrap_or(0);
        worst = worst.max(most - fewest);
    }
    worst
}

/// Adds `extra_rounds` to a rotating schedule (Americano or Mixed); earlier rounds are
/// kept and the new ones take their history into account.
pub fn extend(s: &Schedule, extra_rounds: usize, seed: u64) -> Result<Schedule, ScheduleError> {
    let mut out = s.clone();
    let new = match s.format {
        Format::Americano => replan(
            &s.rounds,
            &s.players,
            s.courts,
            s.rounds.len() + extra_rounds,
            seed,
        )?,
        Format::MixedAmericano => {
            let k = s.group_a_len.unwrap_or(s.players.len() / 2);
            let (a, b) = s.players.split_at(k.min(s.players.len()));
            team::replan_mixed(
                &s.rounds,
                a,
                b,
                s.courts,
                s.rounds.len() + extra_rounds,
                seed,
            )?
        }
        Format::TeamAmericano => {
            return Err(ScheduleError::Unsupported(
                "extending Team Americano; generate it with more rounds instead",
            ))
        }
    };
    out.rounds.extend(new);
    Ok(out)
}

/// Plans rounds `played.len()..total_rounds` for the players present now.
///
/// Played rounds never change; partner/opponent counts, sit-outs and courts from them
/// are respected (departed players are ignored, a late arrival has no history and so
/// is preferred for playing). Returns only the new rounds.
pub fn replan(
    played: &[Round],
    players_now: &[usize],
    courts: usize,
    total_rounds: usize,
    seed: u64,
) -> Result<Vec<Round>, ScheduleError> {
    validate_players(players_now, 4)?;
    let n = players_now.len();
    validate_courts(courts, n / 4)?;
    replan_inner(played, players_now, None, courts, total_rounds, seed)
}

/// Whole searches, each on a budget of its own, when re-planning from round k for `n`
/// players. Above 32 players one search with the shared budget, as before: a re-plan
/// there takes up to 0.9 s already (60–64 players, release), and the extra
/// searches' repeats barely moved (60–64 players: avoidable repeats in 463 of 545
/// re-plans against 486, for half as much time again).
fn replan_tries(n: usize) -> usize {
    match n {
        0..=16 => 8,
        17..=32 => 4,
        _ => 0,
    }
}

/// Searches in a row that did not rank better before a re-plan stops early.
const REPLAN_PATIENCE: usize = 3;

/// Shared by Americano and Mixed re-planning; `groups[i]` is true for group A.
pub(crate) fn replan_inner(
    played: &[Round],
    players_now: &[usize],
    groups: Option<&[bool]>,
    courts: usize,
    total_rounds: usize,
    seed: u64,
) -> Result<Vec<Round>, ScheduleError> {
    if total_rounds < played.len() {
        return Err(ScheduleError::RoundsAlreadyPlayed {
            played: played.len(),
            total: total_rounds,
        });
    }
    let n = players_now.len();
    let idx: HashMap<usize, usize> = players_now
        .iter()
        .enumerate()
        .map(|(i, &p)| (p, i))
        .collect();
    // Departed players map outside 0..n and are ignored by the history.
    let ix = |p: &usize| idx.get(p).copied().unwrap_or(usize::MAX);
    let mut h = History::new(n, courts);
    for r in played {
        let raw = RawRound {
            games: r
                .matches
                .iter()
                .map(|m| {
                    [
                        ix(&m.team_a[0]),
                        ix(&m.team_a[1]),
                        ix(&m.team_b[0]),
                        ix(&m.team_b[1]),
                    ]
                })
                .collect(),
            sit: r.sit_outs.iter().map(ix).collect(),
        };
        let courts_of: Vec<usize> = r.matches.iter().map(|m| m.court).collect();
        h.record(&raw, &courts_of);
    }
    let mut rng = Rng::new(seed ^ (played.len() as u64).rotate_left(32));
    let mut budget = Budget::for_players(n);
    let rounds = total_rounds - played.len();
    let tries = replan_tries(n);
    let raw = match groups {
        // Searched again, each search on a whole budget of its own, while the history's
        // unused pairs could have avoided a repeat or courts end 2 apart: one plain search
        // left a repeat those pairs could have avoided in 178 of 1,518 re-plans (8–24
        // players at the default length, one leaving or arriving after any round, seeds
        // 0–2; `tests::replan_quality_sweep`), these searches in 47, nearly all late
        // arrivals, whose new pairs cannot all be used in the few rounds left.
        None if tries > 0 => {
            let reachable = reachable_repeats(&h, courts, rounds);
            let mut best: Option<(Score, Vec<RawRound>)> = None;
            let mut stale = 0;
            for _ in 0..tries {
                let mut own = Budget::for_players(n);
                let raw = plan_once(&h, courts, rounds, reachable, &mut own, &mut rng);
                let sc = score(&h, &raw);
                if best.as_ref().is_none_or(|(b, _)| rank(sc) < rank(*b)) {
                    (best, stale) = (Some((sc, raw)), 0);
                } else {
                    stale += 1;
                }
                if (sc.0 <= reachable && sc.1 <= 1) || stale >= REPLAN_PATIENCE {
                    break;
                }
            }
            best.map(|(_, raw)| raw).unwrap_or_default()
        }
        _ => plan(
            &h,
            courts,
            rounds,
            groups,
            None,
            SitSwaps::KeepRunning,
            &mut budget,
            &mut rng,
        ),
    };
    let raw = finish(&h, courts, raw, &mut budget, &rng);
    Ok(label_rounds(&raw, players_now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_reported() {
        assert!(matches!(
            americano(&[1, 2, 3], 1, 3, 0),
            Err(ScheduleError::TooFewPlayers { .. })
        ));
        assert!(matches!(
            americano(&(0..65).collect::<Vec<_>>(), 1, 3, 0),
            Err(ScheduleError::TooManyPlayers { .. })
        ));
        assert_eq!(
            americano(&[0, 1, 2, 3], 0, 3, 0),
            Err(ScheduleError::NoCourts)
        );
        assert!(matches!(
            americano(&[0, 1, 2, 3, 4, 5, 6], 2, 3, 0),
            Err(ScheduleError::TooManyCourts { courts: 2, max: 1 })
        ));
        assert_eq!(
            americano(&[0, 1, 2, 2], 1, 3, 0),
            Err(ScheduleError::DuplicatePlayer(2))
        );
        let e = americano(&[0, 1, 2, 3, 4, 5, 6], 2, 3, 0)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            e.as_deref(),
            Some("2 courts is too many for these players: at most 1 can be used")
        );
    }

    #[test]
    fn four_k_plus_three_uses_the_cut_design_without_back_to_back_sit_outs() {
        let mut found = 0;
        for n in [7, 11, 15, 19, 23, 27, 31, 35, 39, 43, 47, 51, 55, 59, 63] {
            let Some(d) = design_init(n, n / 4, n) else {
                continue; // no stride avoids back-to-back sit-outs: the search is used
            };
            found += 1;
            for t in 0..n {
                let (a, b) = (&d[t].sit, &d[(t + 1) % n].sit);
                assert!(a.iter().all(|p| !b.contains(p)), "n={n} t={t}");
            }
        }
        assert!(found >= 5, "{found}");
    }
}
