//! Team Americano (fixed pairs, round robin) and Mixed Americano (one player per group).

use super::americano::replan_inner;
use super::engine::{
    assign_courts, plan, repair_court_spread, Budget, History, RawRound, SitSwaps,
};
use super::rng::Rng;
use super::{
    label_rounds, validate_courts, validate_players, Format, Round, Schedule, ScheduleError,
};

/// Team Americano: fixed `teams`, round robin by the circle method (a bye for an odd
/// team count), `rounds` rounds on `courts` courts.
///
/// Fewer courts than matches: the round-robin matches form a queue; each round takes up
/// to `courts` matches between free teams, preferring the current round-robin cycle and
/// then the teams that have played least, so resting is spread evenly and the round
/// robin is finished before any pairing repeats. More rounds than one round robin
/// starts another cycle.
pub fn team_americano(
    teams: &[[usize; 2]],
    courts: usize,
    rounds: usize,
    seed: u64,
) -> Result<Schedule, ScheduleError> {
    let players: Vec<usize> = teams.iter().flatten().copied().collect();
    validate_players(&players, 4)?;
    let t = teams.len();
    validate_courts(courts, t / 2)?;
    let mut rng = Rng::new(seed);
    let perm = rng.permutation(t); // team slot i is played by teams[perm[i]]
    let tt = t + t % 2; // with a bye slot
                        // Circle method: slot tt-1 is fixed, the others rotate.
    let circle_round = |r: usize| -> Vec<(usize, usize)> {
        let pos = |k: usize| {
            if k == tt - 1 {
                tt - 1
            } else {
                (k + r) % (tt - 1)
            }
        };
        (0..tt / 2)
            .map(|i| (pos(i), pos(tt - 1 - i)))
            .filter(|&(a, b)| a < t && b < t)
            .collect()
    };
    // Pending queue entries: (cycle, order within cycle, team a, team b).
    let mut pending: Vec<(usize, usize, usize, usize)> = Vec::new();
    let mut cycle = 0usize;
    let mut games = vec![0u32; t];
    let mut raw = Vec::with_capacity(rounds);
    for _ in 0..rounds {
        if pending.len() < 2 * courts + t {
            let mut k = 0;
            for r in 0..tt - 1 {
                for (a, b) in circle_round(r) {
                    pending.push((cycle, k, a, b));
                    k += 1;
                }
            }
            cycle += 1;
        }
        let mut order: Vec<usize> = (0..pending.len()).collect();
        order.sort_by_key(|&i| {
            let (c, k, a, b) = pending[i];
            (c, games[a] + games[b], k)
        });
        let mut busy = vec![false; t];
        let mut chosen = Vec::new();
        for i in order {
            let (_, _, a, b) = pending[i];
            if chosen.len() == courts {
                break;
            }
            if !busy[a] && !busy[b] {
                busy[a] = true;
                busy[b] = true;
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        let mut round_games = Vec::new();
        for &i in chosen.iter().rev() {
            let (_, _, a, b) = pending.remove(i);
            games[a] += 1;
            games[b] += 1;
            round_games.push([2 * a, 2 * a + 1, 2 * b, 2 * b + 1]);
        }
        round_games.reverse();
        let sit = (0..t)
            .filter(|&x| !busy[x])
            .flat_map(|x| [2 * x, 2 * x + 1])
            .collect();
        raw.push(RawRound {
            games: round_games,
            sit,
        });
    }
    let h = History::new(2 * t, courts);
    let raw = assign_courts(&h, courts, raw, &mut rng);
    let raw = repair_court_spread(&h, courts, raw, &rng, &mut Budget::for_players(2 * t));
    let labels: Vec<usize> = perm.iter().flat_map(|&i| teams[i]).collect();
    Ok(Schedule {
        format: Format::TeamAmericano,
        players,
        courts,
        rounds: label_rounds(&raw, &labels),
        group_a_len: None,
    })
}

fn validate_mixed(a: &[usize], b: &[usize], courts: usize) -> Result<Vec<usize>, ScheduleError> {
    let players: Vec<usize> = a.iter().chain(b).copied().collect();
    validate_players(&players, 4)?;
    if courts == 0 {
        return Err(ScheduleError::NoCourts);
    }
    for (group, g) in [('A', a), ('B', b)] {
        if g.len() < 2 * courts {
            return Err(ScheduleError::GroupTooSmall {
                group,
                players: g.len(),
                courts,
            });
        }
    }
    validate_courts(courts, a.len().min(b.len()) / 2)?;
    Ok(players)
}

/// Mixed Americano: every team has one player of `group_a` and one of `group_b`.
///
/// Partners from the other group rotate (a cyclic shift, i.e. a Latin square, when both
/// groups have exactly 2·courts players; otherwise the annealing search avoids repeat
/// partners), opponents are balanced, sit-outs are fair within each group.
pub fn mixed_americano(
    group_a: &[usize],
    group_b: &[usize],
    courts: usize,
    rounds: usize,
    seed: u64,
) -> Result<Schedule, ScheduleError> {
    let players = validate_mixed(group_a, group_b, courts)?;
    let (na, nb) = (group_a.len(), group_b.len());
    let n = na + nb;
    let mut rng = Rng::new(seed);
    let pa = rng.permutation(na);
    let pb = rng.permutation(nb);
    let labels: Vec<usize> = pa
        .iter()
        .map(|&i| group_a[i])
        .chain(pb.iter().map(|&i| group_b[i]))
        .collect();
    let groups: Vec<bool> = (0..n).map(|p| p < na).collect();
    let init = (na == nb && na == 2 * courts).then(|| {
        (0..rounds)
            .map(|r| {
                // Team i = (A_i, B_(i+r)); teams 2k and 2k+1 meet, shifted each
                // round so the A players face different opponents.
                let team = |i: usize| (i % na, na + (i + r) % na);
                let games = (0..courts)
                    .map(|k| {
                        let (x, y) = (team(2 * k + r / na), team(2 * k + 1 + r / na));
                        [x.0, x.1, y.0, y.1]
                    })
                    .collect();
                RawRound { games, sit: vec![] }
            })
            .collect()
    });
    let h = History::new(n, courts);
    let mut budget = Budget::for_players(n);
    let raw = plan(
        &h,
        courts,
        rounds,
        Some(&groups),
        init,
        SitSwaps::KeepRunning,
        &mut budget,
        &mut rng,
    );
    let raw = repair_court_spread(&h, courts, raw, &rng, &mut budget);
    Ok(Schedule {
        format: Format::MixedAmericano,
        players,
        courts,
        rounds: label_rounds(&raw, &labels),
        group_a_len: Some(na),
    })
}

/// Re-plans a Mixed Americano from `played.len()` on (see [`super::replan`]).
pub(crate) fn replan_mixed(
    played: &[Round],
    group_a: &[usize],
    group_b: &[usize],
    courts: usize,
    total_rounds: usize,
    seed: u64,
) -> Result<Vec<Round>, ScheduleError> {
    let players = validate_mixed(group_a, group_b, courts)?;
    let groups: Vec<bool> = (0..players.len()).map(|p| p < group_a.len()).collect();
    replan_inner(played, &players, Some(&groups), courts, total_rounds, seed)
}
