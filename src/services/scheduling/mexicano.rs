//! Mexicano: each round is built from the current standings, groups of four by rank.

use super::rng::Rng;
use super::{validate_courts, validate_players, Match, Round, ScheduleError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// How often each pair has partnered, keyed by `(min id, max id)`.
pub type PartnerCounts = HashMap<(usize, usize), u32>;

fn key(a: usize, b: usize) -> (usize, usize) {
    (a.min(b), a.max(b))
}

/// Who partners whom inside a group of four ranked 1–4.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MexicanoRule {
    /// 1+4 vs 2+3 (the usual rule: both teams have the same rank sum).
    #[default]
    OneFourVsTwoThree,
    /// 1+3 vs 2+4.
    OneThreeVsTwoFour,
    /// 1+2 vs 3+4.
    OneTwoVsThreeFour,
}

/// The three ways to split four slots into two teams.
const PAIRINGS: [[usize; 4]; 3] = [[0, 3, 1, 2], [0, 2, 1, 3], [0, 1, 2, 3]];

impl MexicanoRule {
    fn pairing(self) -> [usize; 4] {
        match self {
            MexicanoRule::OneFourVsTwoThree => PAIRINGS[0],
            MexicanoRule::OneThreeVsTwoFour => PAIRINGS[1],
            MexicanoRule::OneTwoVsThreeFour => PAIRINGS[2],
        }
    }
}

/// What the repeat avoidance did in one round.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MexicanoReport {
    /// Repeat partnerships the plain rule would have made this round.
    pub plain_repeats: u32,
    /// Repeat partnerships in the returned round.
    pub repeats: u32,
    pub repeats_avoided: u32,
    /// How far the round departs from the plain rule, in ranks: for each match, how far
    /// its four ranks spread beyond a block of four consecutive ranks, plus how much its
    /// team rank-sum difference differs from the rule's. 0 when the rule is followed.
    pub rank_distance_cost: u32,
}

/// `g` holds ranks (positions among the playing players); `p` a pairing of its slots.
fn match_cost(g: &[usize; 4], p: [usize; 4], rule: MexicanoRule) -> u32 {
    let imb = |g: &[usize; 4], p: [usize; 4]| {
        ((g[p[0]] + g[p[1]]) as i64 - (g[p[2]] + g[p[3]]) as i64).unsigned_abs() as u32
    };
    let mut sorted = *g;
    sorted.sort_unstable();
    let spread = (sorted[3] - sorted[0]) as u32 - 3;
    spread + imb(g, p).abs_diff(imb(&sorted, rule.pairing()))
}

/// One Mexicano round.
///
/// `ranked`: player ids, best first (round 1: the caller's seed/rating/random order).
/// Players beyond 4·courts sit out: those with the fewest sit-outs so far (from
/// `sit_out_counts`, missing = 0), ties going to the lowest ranked. The rest form groups
/// of four by rank, paired by `rule`. With `avoid_repeats`, each group takes the pairing
/// with the fewest repeat partnerships (then the lowest rank-distance cost, the rule's
/// own first), then neighbouring groups exchange one player while that lowers their
/// (repeats, cost): at most one exchange between two groups, so every court keeps at
/// least two of its own four ranks (court 1 three of the top four).
pub fn mexicano_round(
    ranked: &[usize],
    partners: &PartnerCounts,
    sit_out_counts: &HashMap<usize, u32>,
    courts: usize,
    rule: MexicanoRule,
    avoid_repeats: bool,
) -> Result<(Round, MexicanoReport), ScheduleError> {
    validate_players(ranked, 4)?;
    validate_courts(courts, ranked.len() / 4)?;
    let n = ranked.len();
    let sit_n = n - 4 * courts;
    let mut by_need: Vec<usize> = (0..n).collect();
    by_need.sort_by_key(|&r| {
        (
            sit_out_counts.get(&ranked[r]).copied().unwrap_or(0),
            std::cmp::Reverse(r),
        )
    });
    let mut sitting = vec![false; n];
    by_need[..sit_n].iter().for_each(|&r| sitting[r] = true);
    let playing: Vec<usize> = (0..n).filter(|&r| !sitting[r]).map(|r| ranked[r]).collect();
    let count = |a: usize, b: usize| {
        partners
            .get(&key(playing[a], playing[b]))
            .copied()
            .unwrap_or(0)
    };
    let reps = |g: &[usize; 4], p: [usize; 4]| {
        u32::from(count(g[p[0]], g[p[1]]) > 0) + u32::from(count(g[p[2]], g[p[3]]) > 0)
    };
    let mut groups: Vec<[usize; 4]> = (0..courts)
        .map(|k| [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3])
        .collect();
    let plain_repeats: u32 = groups.iter().map(|g| reps(g, rule.pairing())).sum();
    let mut chosen = vec![rule.pairing(); courts];
    if avoid_repeats {
        // A group's best pairing: fewest repeats, then lowest rank-distance cost, the
        // rule's own pairing first on ties.
        let best_pairing = |g: &[usize; 4]| {
            std::iter::once(rule.pairing())
                .chain(PAIRINGS)
                .map(|p| (reps(g, p), match_cost(g, p, rule), p))
                .fold((u32::MAX, u32::MAX, rule.pairing()), |best, c| {
                    if (c.0, c.1) < (best.0, best.1) {
                        c
                    } else {
                        best
                    }
                })
        };
        let mut best: Vec<(u32, u32, [usize; 4])> = groups.iter().map(best_pairing).collect();
        // Then swaps of one player between neighbouring groups, the best taken while it
        // lowers the two groups' (repeats, cost). Every rank stays in its own group or a
        // neighbouring one, with at most one exchange between two groups, so the round
        // stays close to the standings (a free exchange cut repeats further, to 6% of
        // the plain rule's, but could move two of the top four off court 1); each step
        // lowers the round's (repeats, cost), so this ends.
        let home = |r: usize| r / 4;
        // How many of a group's ranks come from group `from`.
        let strays = |g: &[usize; 4], from: usize| g.iter().filter(|&&r| home(r) == from).count();
        let mut improved = true;
        while improved {
            improved = false;
            for k in 0..courts.saturating_sub(1) {
                let now = (best[k].0 + best[k + 1].0, best[k].1 + best[k + 1].1);
                let mut found: Option<((u32, u32), usize, usize)> = None;
                for x in 0..4 {
                    for y in 0..4 {
                        let (mut g, mut ng) = (groups[k], groups[k + 1]);
                        std::mem::swap(&mut g[x], &mut ng[y]);
                        if home(g[x]).abs_diff(k) > 1
                            || home(ng[y]).abs_diff(k + 1) > 1
                            || strays(&g, k + 1) > 1
                            || strays(&ng, k) > 1
                        {
                            continue;
                        }
                        let (a, b) = (best_pairing(&g), best_pairing(&ng));
                        let c = (a.0 + b.0, a.1 + b.1);
                        if c < now && found.is_none_or(|(f, _, _)| c < f) {
                            found = Some((c, x, y));
                        }
                    }
                }
                if let Some((_, x, y)) = found {
                    let (g, ng) = groups.split_at_mut(k + 1);
                    std::mem::swap(&mut g[k][x], &mut ng[0][y]);
                    best[k] = best_pairing(&groups[k]);
                    best[k + 1] = best_pairing(&groups[k + 1]);
                    improved = true;
                }
            }
        }
        chosen = best.iter().map(|b| b.2).collect();
    }
    let mut report = MexicanoReport {
        plain_repeats,
        ..Default::default()
    };
    let matches = groups
        .iter()
        .zip(&chosen)
        .enumerate()
        .map(|(court, (g, &p))| {
            report.repeats += reps(g, p);
            report.rank_distance_cost += match_cost(g, p, rule);
            Match {
                court,
                team_a: [playing[g[p[0]]], playing[g[p[1]]]],
                team_b: [playing[g[p[2]]], playing[g[p[3]]]],
            }
        })
        .collect();
    report.repeats_avoided = plain_repeats.saturating_sub(report.repeats);
    let sit_outs = (0..n).filter(|&r| sitting[r]).map(|r| ranked[r]).collect();
    Ok((Round { matches, sit_outs }, report))
}

/// Totals of a simulated Mexicano tournament.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct MexicanoSimulation {
    /// Sum over pairs of max(0, partnerships − 1).
    pub partner_repeats: u32,
    /// Sum of the per-round rank-distance costs.
    pub rank_distance_cost: u32,
}

/// Runs a Mexicano tournament with random scores (games to 24 points, split uniformly
/// at random), players `0..n` starting in that order, re-ranked by points after each
/// round. Used to compare the plain rule with repeat avoidance.
pub fn simulate_mexicano(
    n: usize,
    courts: usize,
    rounds: usize,
    rule: MexicanoRule,
    avoid_repeats: bool,
    seed: u64,
) -> Result<MexicanoSimulation, ScheduleError> {
    let mut rng = Rng::new(seed);
    let mut points = vec![0u32; n];
    let mut partners = PartnerCounts::new();
    let mut sat: HashMap<usize, u32> = HashMap::new();
    let mut ranked: Vec<usize> = (0..n).collect();
    let mut sim = MexicanoSimulation::default();
    for _ in 0..rounds {
        let (round, report) =
            mexicano_round(&ranked, &partners, &sat, courts, rule, avoid_repeats)?;
        sim.rank_distance_cost += report.rank_distance_cost;
        for m in &round.matches {
            let a = rng.below(25) as u32;
            for (t, s) in [(m.team_a, a), (m.team_b, 24 - a)] {
                *partners.entry(key(t[0], t[1])).or_insert(0) += 1;
                points[t[0]] += s;
                points[t[1]] += s;
            }
        }
        for &p in &round.sit_outs {
            *sat.entry(p).or_insert(0) += 1;
        }
        ranked.sort_by_key(|&p| (std::cmp::Reverse(points[p]), p));
    }
    sim.partner_repeats = partners.values().map(|&c| c.saturating_sub(1)).sum();
    Ok(sim)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: [MexicanoRule; 3] = [
        MexicanoRule::OneFourVsTwoThree,
        MexicanoRule::OneThreeVsTwoFour,
        MexicanoRule::OneTwoVsThreeFour,
    ];

    /// Partner counts in which every two of `group` have partnered once.
    fn all_partnered(group: [usize; 4]) -> PartnerCounts {
        let mut pc = PartnerCounts::new();
        for (i, &a) in group.iter().enumerate() {
            for &b in &group[i + 1..] {
                pc.insert(key(a, b), 1);
            }
        }
        pc
    }

    #[test]
    fn first_round_follows_the_given_order_and_rules() {
        let ids: Vec<usize> = (10..18).collect();
        let none = PartnerCounts::new();
        let sat = HashMap::new();
        let cases = [
            (MexicanoRule::OneFourVsTwoThree, [[10, 13], [11, 12]]),
            (MexicanoRule::OneThreeVsTwoFour, [[10, 12], [11, 13]]),
            (MexicanoRule::OneTwoVsThreeFour, [[10, 11], [12, 13]]),
        ];
        for (rule, [a, b]) in cases {
            let (r, rep) = mexicano_round(&ids, &none, &sat, 2, rule, true).unwrap_or_default();
            assert_eq!(r.matches[0].team_a, a);
            assert_eq!(r.matches[0].team_b, b);
            assert_eq!(r.matches[1].team_a[0], 14);
            assert_eq!(rep, MexicanoReport::default());
        }
    }

    #[test]
    fn sit_outs_go_to_fewest_sat_out_then_lowest_ranked() {
        let ids: Vec<usize> = (0..10).collect();
        let mut sat = HashMap::new();
        let (r, _) = mexicano_round(
            &ids,
            &PartnerCounts::new(),
            &sat,
            2,
            MexicanoRule::default(),
            true,
        )
        .unwrap_or_default();
        assert_eq!(r.sit_outs, vec![8, 9]);
        sat.insert(8, 1);
        sat.insert(9, 1);
        let (r, _) = mexicano_round(
            &ids,
            &PartnerCounts::new(),
            &sat,
            2,
            MexicanoRule::default(),
            true,
        )
        .unwrap_or_default();
        assert_eq!(r.sit_outs, vec![6, 7]);
    }

    #[test]
    fn a_repeat_is_avoided_inside_the_group() {
        let ids: Vec<usize> = (0..4).collect();
        let mut pc = PartnerCounts::new();
        pc.insert((0, 3), 1);
        let (r, rep) = mexicano_round(&ids, &pc, &HashMap::new(), 1, MexicanoRule::default(), true)
            .unwrap_or_default();
        assert_eq!(r.matches[0].team_a, [0, 2]);
        assert_eq!(rep.plain_repeats, 1);
        assert_eq!(rep.repeats, 0);
        assert_eq!(rep.repeats_avoided, 1);
        assert_eq!(rep.rank_distance_cost, 2);
        // Without avoidance the rule is applied as is.
        let (r, rep) = mexicano_round(
            &ids,
            &pc,
            &HashMap::new(),
            1,
            MexicanoRule::default(),
            false,
        )
        .unwrap_or_default();
        assert_eq!(r.matches[0].team_a, [0, 3]);
        assert_eq!(rep.repeats, 1);
    }

    #[test]
    fn a_swap_with_the_next_group_is_used_when_the_group_is_exhausted() {
        let ids: Vec<usize> = (0..8).collect();
        let pc = all_partnered([0, 1, 2, 3]);
        let (r, rep) = mexicano_round(&ids, &pc, &HashMap::new(), 2, MexicanoRule::default(), true)
            .unwrap_or_default();
        // One swap leaves three old partners together, so one repeat stays (plain: two).
        assert_eq!((rep.plain_repeats, rep.repeats), (2, 1));
        assert!(rep.rank_distance_cost > 0);
        let all: Vec<usize> = r
            .matches
            .iter()
            .flat_map(|m| m.team_a.into_iter().chain(m.team_b))
            .collect();
        let mut sorted = all.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, ids);
    }

    #[test]
    fn the_last_group_swaps_with_the_one_above() {
        // Ranks 4–7 have all partnered each other: every pairing of that group repeats
        // twice, and it has no group below. One exchange with the group above leaves
        // one repeat (the greedy pass of the eighth session only looked downwards: 2).
        let ids: Vec<usize> = (0..8).collect();
        let pc = all_partnered([4, 5, 6, 7]);
        let (r, rep) = mexicano_round(&ids, &pc, &HashMap::new(), 2, MexicanoRule::default(), true)
            .unwrap_or_default();
        assert_eq!((rep.plain_repeats, rep.repeats), (2, 1));
        // Court 1 keeps three of the top four.
        let court1: Vec<usize> = r.matches[0]
            .team_a
            .into_iter()
            .chain(r.matches[0].team_b)
            .collect();
        assert_eq!(court1.iter().filter(|&&p| p < 4).count(), 3, "{court1:?}");
    }

    /// The issue asks for under a quarter of the plain rule's repeats. Measured here
    /// (seeds 0–7, the four sizes below): 12–14% for the two balanced rules and 5% for
    /// 1+2 vs 3+4; a single downward swap per group (before the ninth session) left
    /// 23–24%, so this asserts under a sixth.
    #[test]
    fn avoidance_has_under_a_sixth_of_the_plain_repeats() {
        for rule in RULES {
            let (mut plain, mut avoid, mut cost) = (0, 0, 0);
            for seed in 0..8 {
                for (n, c, r) in [(8, 2, 6), (12, 3, 8), (16, 4, 10), (18, 4, 10)] {
                    let p = simulate_mexicano(n, c, r, rule, false, seed).unwrap_or_default();
                    let a = simulate_mexicano(n, c, r, rule, true, seed).unwrap_or_default();
                    plain += p.partner_repeats;
                    avoid += a.partner_repeats;
                    cost += a.rank_distance_cost;
                }
            }
            println!(
                "{rule:?}: plain {plain} repeats, avoidance {avoid}, rank-distance cost {cost}"
            );
            assert!(
                plain > 0 && avoid * 6 < plain,
                "{rule:?}: plain {plain}, avoid {avoid}"
            );
        }
    }

    /// Plain rule against repeat avoidance over simulated tournaments (nine sizes, 100
    /// seeds each, random scores): repeats and rank-distance cost per rule (numbers in
    /// BENCHMARKS.md). Run: `cargo test --release mexicano_avoidance_table -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore]
    fn mexicano_avoidance_table() {
        let sizes = [
            (8, 2, 7),
            (10, 2, 8),
            (12, 3, 8),
            (16, 4, 10),
            (18, 4, 10),
            (20, 5, 10),
            (24, 6, 12),
            (32, 8, 12),
            (40, 10, 12),
        ];
        for rule in RULES {
            let (mut all_plain, mut all_avoid, mut all_cost, mut all_matches) = (0, 0, 0, 0);
            for (n, c, r) in sizes {
                let (mut plain, mut avoid, mut cost) = (0, 0, 0);
                for seed in 0..100 {
                    let p = simulate_mexicano(n, c, r, rule, false, seed).unwrap_or_default();
                    let a = simulate_mexicano(n, c, r, rule, true, seed).unwrap_or_default();
                    plain += p.partner_repeats;
                    avoid += a.partner_repeats;
                    cost += a.rank_distance_cost;
                }
                let matches = 100 * c * r;
                println!(
                    "{rule:?} {n}/{c}/{r}: plain {plain}, avoidance {avoid} ({:.1}%), cost {:.2} per match",
                    100.0 * f64::from(avoid) / f64::from(plain.max(1)),
                    f64::from(cost) / matches as f64
                );
                (all_plain, all_avoid) = (all_plain + plain, all_avoid + avoid);
                (all_cost, all_matches) = (all_cost + cost, all_matches + matches);
            }
            println!(
                "{rule:?} all: plain {all_plain}, avoidance {all_avoid} ({:.1}%), cost {:.2} per match",
                100.0 * f64::from(all_avoid) / f64::from(all_plain),
                f64::from(all_cost) / all_matches as f64
            );
        }
    }
}
