//! Quality figures of a schedule and the theoretical bounds they are judged against.

use super::{Format, Schedule};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// Figures of a schedule. Pair figures count unordered pairs of players who *can*
/// meet in that role (teammates in Team Americano never oppose; in Mixed only A–B pairs
/// can partner).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Quality {
    pub players: usize,
    pub courts: usize,
    pub rounds: usize,
    pub matches: usize,
    /// Sum over pairs of max(0, partnerships − 1).
    pub partner_repeats: u32,
    /// max(0, partner slots − pairs that can partner): repeats no schedule can avoid.
    pub forced_partner_repeats: u32,
    pub partner_min: u32,
    pub partner_max: u32,
    pub opponent_min: u32,
    pub opponent_max: u32,
    /// ⌊4M/P⌋ and ⌈4M/P⌉ for M matches over P pairs that can oppose.
    pub opponent_bound: (u32, u32),
    /// Pairs that can oppose whose count lies outside `opponent_bound`.
    pub pairs_outside_opponent_bound: u32,
    pub sit_out_min: u32,
    pub sit_out_max: u32,
    pub sit_out_bound: (u32, u32),
    pub longest_sit_out_streak: u32,
    /// Smallest possible longest streak given how many sit out per round.
    pub streak_bound: u32,
    /// Max over players of (most − fewest games on one court), over all courts.
    pub court_spread: u32,
    pub court_spread_bound: u32,
    /// Players whose own court spread is above `court_spread_bound`: the spread is a
    /// maximum, so this says whether one player or everyone is off.
    pub players_over_court_bound: u32,
    /// Largest difference in games played between two players after any round: at most
    /// 1 when sit-outs always go to whoever has played most.
    pub games_gap: u32,
    /// 1 when someone sits out, else 0.
    pub games_gap_bound: u32,
}

fn floor_ceil(total: u64, over: u64) -> (u32, u32) {
    if over == 0 {
        return (0, 0);
    }
    ((total / over) as u32, total.div_ceil(over) as u32)
}

/// ⌊4M/P⌋..⌈4M/P⌉ over the P pairs that can oppose. In Mixed every match has one A–A,
/// one B–B and two A–B opposing pairs, so each class has its own average: the bound is
/// the lowest floor and highest ceiling of the three (8 + 8 players on 4 courts for 15
/// rounds: A–A 60 meetings over 28 pairs, A–B 120 over 64, so 1–3; 240 over all 120
/// pairs would say 2–2, which no schedule meets).
fn opponent_bound(s: &Schedule, matches: u64, pairs: u64) -> (u32, u32) {
    match (s.format, s.group_a_len) {
        (Format::MixedAmericano, Some(a)) => {
            let (a, b) = (a as u64, (s.players.len() - a) as u64);
            [
                (matches, a * a.saturating_sub(1) / 2),
                (matches, b * b.saturating_sub(1) / 2),
                (2 * matches, a * b),
            ]
            .into_iter()
            .filter(|&(_, p)| p > 0)
            .map(|(m, p)| floor_ceil(m, p))
            .fold((u32::MAX, 0), |(lo, hi), (l, h)| (lo.min(l), hi.max(h)))
        }
        _ => floor_ceil(4 * matches, pairs),
    }
}

/// `(rounds, opponent min, opponent max, court spread)`: 8 players on two courts with
/// partners at the forced minimum and every pair's opponent count in min..=max reach no
/// smaller court spread than this (proved by the exhaustive search in `eight.rs`, whose
/// test also finds a schedule at each). So from 3 to 8 rounds the opponent bound and a
/// court spread of 1 cannot both hold (the stored schedules take opponents first, but
/// never all of a player's games on one court: 3 rounds 0–2 at spread 1, 4 rounds 0–2
/// at 2). Seven rounds with opponents 2–2 is the whist tournament: every pair shares a
/// game 3 times, the games form S(3,4,8), and all 128 ways to put them on courts leave
/// some player 6–1.
pub(super) const EIGHT_ON_TWO: &[(usize, u32, u32, u32)] = &[
    (3, 0, 1, 3),
    (4, 1, 2, 4),
    (4, 0, 2, 2),
    (5, 1, 2, 3),
    (6, 1, 2, 4),
    (7, 2, 2, 5),
    // With partner repeats (4 forced), beyond the exhaustive search: a SAT model
    // (BENCHMARKS.md) found nothing below 4 in 27 minutes' complete search.
    (8, 2, 3, 4),
];

/// The court spread to judge `s` by: 1 with two or more courts (everyone within
/// ⌊G/C⌋..⌈G/C⌉), unless `EIGHT_ON_TWO` proves more is needed for its opponent range
/// (the largest entry whose window holds it).
fn court_spread_bound(s: &Schedule, courts: usize, excess: u32, omin: u32, omax: u32) -> u32 {
    let base = u32::from(courts > 1);
    if s.format != Format::Americano || s.players.len() != 8 || courts != 2 || excess > 0 {
        return base;
    }
    EIGHT_ON_TWO
        .iter()
        .filter(|&&(r, lo, hi, _)| r == s.rounds.len() && lo <= omin && omax <= hi)
        .map(|e| e.3)
        .fold(base, u32::max)
}

/// Computes the quality figures of `s`.
pub fn quality(s: &Schedule) -> Quality {
    let n = s.players.len();
    let idx: HashMap<usize, usize> = s.players.iter().enumerate().map(|(i, &p)| (p, i)).collect();
    let ix = |p: &usize| idx.get(p).copied();
    let mut part = vec![0u32; n * n];
    let mut opp = vec![0u32; n * n];
    let courts = s.courts.max(1);
    let mut court = vec![0u32; n * courts];
    let mut sat = vec![0u32; n];
    let mut played = vec![0u32; n];
    let mut games_gap = 0u32;
    let (mut streak, mut longest) = (vec![0u32; n], 0u32);
    let mut max_sit_round = 0usize;
    let key = |a: usize, b: usize| if a < b { a * n + b } else { b * n + a };
    let mut matches = 0usize;
    for r in &s.rounds {
        let mut sitting = vec![false; n];
        for p in r.sit_outs.iter().filter_map(ix) {
            sitting[p] = true;
            sat[p] += 1;
        }
        max_sit_round = max_sit_round.max(r.sit_outs.len());
        for p in 0..n {
            streak[p] = if sitting[p] { streak[p] + 1 } else { 0 };
            longest = longest.max(streak[p]);
        }
        for m in &r.matches {
            matches += 1;
            let (Some(a), Some(b), Some(c), Some(d)) = (
                ix(&m.team_a[0]),
                ix(&m.team_a[1]),
                ix(&m.team_b[0]),
                ix(&m.team_b[1]),
            ) else {
                continue;
            };
            part[key(a, b)] += 1;
            part[key(c, d)] += 1;
            for (x, y) in [(a, c), (a, d), (b, c), (b, d)] {
                opp[key(x, y)] += 1;
            }
            for p in [a, b, c, d] {
                played[p] += 1;
                if m.court < courts {
                    court[p * courts + m.court] += 1;
                }
            }
        }
        let most = played.iter().max().copied().unwrap_or(0);
        let fewest = played.iter().min().copied().unwrap_or(0);
        games_gap = games_gap.max(most - fewest);
    }
    // Which pairs can partner / oppose, by format.
    let group_a = |p: usize| s.group_a_len.is_some_and(|k| p < k);
    let can_partner = |a: usize, b: usize| match s.format {
        Format::Americano => true,
        Format::TeamAmericano => a / 2 == b / 2,
        Format::MixedAmericano => group_a(a) != group_a(b),
    };
    let can_oppose = |a: usize, b: usize| match s.format {
        Format::TeamAmericano => a / 2 != b / 2,
        _ => true,
    };
    let (mut pr, mut pmin, mut pmax, mut pp) = (0u32, u32::MAX, 0u32, 0u64);
    let mut opp_counts = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let k = key(a, b);
            if can_partner(a, b) {
                pp += 1;
                pr += part[k].saturating_sub(1);
                pmin = pmin.min(part[k]);
                pmax = pmax.max(part[k]);
            }
            if can_oppose(a, b) {
                opp_counts.push(opp[k]);
            }
        }
    }
    let slots = 2 * matches as u64;
    let forced = if s.format == Format::TeamAmericano {
        pr // fixed pairs: every repeat is inherent
    } else {
        slots.saturating_sub(pp) as u32
    };
    let total_sat: u64 = sat.iter().map(|&x| x as u64).sum();
    let playing = n.saturating_sub(max_sit_round);
    let streak_bound = match (max_sit_round, playing) {
        (0, _) => 0,
        (s, 0) => s as u32,
        (s, p) => s.div_ceil(p).max(1) as u32,
    };
    let omin = opp_counts.iter().min().copied().unwrap_or(0);
    let omax = opp_counts.iter().max().copied().unwrap_or(0);
    let spreads: Vec<u32> = (0..n)
        .map(|p| {
            let row = &court[p * courts..(p + 1) * courts];
            row.iter().max().copied().unwrap_or(0) - row.iter().min().copied().unwrap_or(0)
        })
        .collect();
    let spread = spreads.iter().max().copied().unwrap_or(0);
    let spread_bound = court_spread_bound(s, courts, pr.saturating_sub(forced), omin, omax);
    let obound = opponent_bound(s, matches as u64, opp_counts.len() as u64);
    let pairs_outside = opp_counts
        .iter()
        .filter(|&&c| c < obound.0 || c > obound.1)
        .count() as u32;
    Quality {
        players: n,
        courts: s.courts,
        rounds: s.rounds.len(),
        matches,
        partner_repeats: pr,
        forced_partner_repeats: forced,
        partner_min: if pmin == u32::MAX { 0 } else { pmin },
        partner_max: pmax,
        opponent_min: omin,
        opponent_max: omax,
        opponent_bound: obound,
        pairs_outside_opponent_bound: pairs_outside,
        sit_out_min: sat.iter().min().copied().unwrap_or(0),
        sit_out_max: sat.iter().max().copied().unwrap_or(0),
        sit_out_bound: floor_ceil(total_sat, n as u64),
        longest_sit_out_streak: longest,
        streak_bound,
        court_spread: spread,
        court_spread_bound: spread_bound,
        players_over_court_bound: spreads.iter().filter(|&&x| x > spread_bound).count() as u32,
        games_gap,
        games_gap_bound: u32::from(total_sat > 0),
    }
}

fn range(a: u32, b: u32) -> String {
    if a == b {
        a.to_string()
    } else {
        format!("{a}–{b}")
    }
}

impl Quality {
    /// One-line human summary, e.g. "every pair partners once, opponents 2–2, sit-outs 1 each".
    pub fn summary(&self) -> String {
        let partners = if self.partner_repeats == 0 && self.partner_min == 1 {
            "every pair partners once".to_string()
        } else if self.partner_repeats == 0 {
            "no repeat partners".to_string()
        } else if self.partner_repeats == self.forced_partner_repeats {
            format!(
                "{} repeat partnerships (the unavoidable minimum)",
                self.partner_repeats
            )
        } else {
            format!(
                "{} repeat partnerships ({} unavoidable)",
                self.partner_repeats, self.forced_partner_repeats
            )
        };
        let sits = if self.sit_out_max == 0 {
            "no sit-outs".to_string()
        } else if self.sit_out_min == self.sit_out_max {
            format!("sit-outs {} each", self.sit_out_min)
        } else {
            format!("sit-outs {}–{}", self.sit_out_min, self.sit_out_max)
        };
        format!(
            "{partners}, opponents {}–{}, {sits}",
            self.opponent_min, self.opponent_max
        )
    }
}

impl fmt::Display for Quality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.summary())?;
        writeln!(f, "{:<24} {:>9}  {:>9}", "figure", "achieved", "bound")?;
        let rows = [
            (
                "partner repeats",
                self.partner_repeats.to_string(),
                self.forced_partner_repeats.to_string(),
            ),
            (
                "opponents per pair",
                format!("{}–{}", self.opponent_min, self.opponent_max),
                format!("{}–{}", self.opponent_bound.0, self.opponent_bound.1),
            ),
            (
                "sit-outs per player",
                range(self.sit_out_min, self.sit_out_max),
                range(self.sit_out_bound.0, self.sit_out_bound.1),
            ),
            (
                "longest sit-out streak",
                self.longest_sit_out_streak.to_string(),
                self.streak_bound.to_string(),
            ),
            (
                "court spread",
                self.court_spread.to_string(),
                format!("≤{}", self.court_spread_bound),
            ),
            (
                "games apart, any round",
                self.games_gap.to_string(),
                format!("≤{}", self.games_gap_bound),
            ),
        ];
        for (name, got, bound) in rows {
            writeln!(f, "{name:<24} {got:>9}  {bound:>9}")?;
        }
        // How far a figure misses: the range is set by its worst pair or player.
        if self.pairs_outside_opponent_bound > 0 {
            writeln!(
                f,
                "pairs outside the opponent bound: {}",
                self.pairs_outside_opponent_bound
            )?;
        }
        if self.players_over_court_bound > 0 {
            writeln!(
                f,
                "players over the court spread bound: {} of {}",
                self.players_over_court_bound, self.players
            )?;
        }
        Ok(())
    }
}
