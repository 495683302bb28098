//! Standings as a pure function of the stored matches.
use crate::domain::{SitOutComp, Tiebreak};
use std::cmp::Ordering;
use std::collections::HashMap;

#[derive(Clone, Debug)]
pub struct MatchResult {
    pub round: i32,
    pub team_a: [i64; 2],
    pub team_b: [i64; 2],
    pub score: Option<(i32, i32)>,
}

/// One line of the standings; the API serializes it as it is.
#[derive(Clone, Debug, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct Row {
    pub rank: u32,
    pub player_id: i64,
    pub name: String,
    /// Game points plus sit-out compensation; shown with one decimal when
    /// compensation makes it fractional.
    pub points: f64,
    pub played: u32,
    pub won: u32,
    pub drawn: u32,
    pub lost: u32,
    pub points_for: i32,
    pub points_against: i32,
    pub difference: i32,
    #[serde(skip)]
    pub sat_out: u32,
}

impl Row {
    pub fn points_label(&self) -> String {
        if self.points.fract().abs() < 1e-9 {
            format!("{}", self.points as i64)
        } else {
            format!("{:.1}", self.points)
        }
    }
}

pub struct Config<'a> {
    pub comp: SitOutComp,
    /// Match total for half-match compensation (fixed-total scoring).
    pub match_points: i32,
    pub order: &'a [Tiebreak],
}

/// `players`: (registration id, name) of everyone to rank; `sit_outs`:
/// (round, registration ids) of rounds with at least one completed match.
pub fn compute(
    players: &[(i64, String)],
    matches: &[MatchResult],
    sit_outs: &[(i32, Vec<i64>)],
    cfg: &Config<'_>,
) -> Vec<Row> {
    let mut rows: HashMap<i64, Row> = players
        .iter()
        .map(|(id, name)| {
            (
                *id,
                Row {
                    rank: 0,
                    player_id: *id,
                    name: name.clone(),
                    points: 0.0,
                    played: 0,
                    won: 0,
                    drawn: 0,
                    lost: 0,
                    points_for: 0,
                    points_against: 0,
                    difference: 0,
                    sat_out: 0,
                },
            )
        })
        .collect();
    // Head-to-head: points won by x against y, over the matches where they were opponents.
    let mut h2h: HashMap<(i64, i64), i32> = HashMap::new();
    // Per-round point totals and player counts, for round-average compensation.
    let mut round_totals: HashMap<i32, (i64, u32)> = HashMap::new();
    for m in matches {
        let Some((a, b)) = m.score else { continue };
        let sides = [(m.team_a, m.team_b, a, b), (m.team_b, m.team_a, b, a)];
        for (team, opp, own, other) in sides {
            for p in team {
                if let Some(r) = rows.get_mut(&p) {
                    r.played += 1;
                    r.points += f64::from(own);
                    r.points_for += own;
                    r.points_against += other;
                    match own.cmp(&other) {
                        Ordering::Greater => r.won += 1,
                        Ordering::Equal => r.drawn += 1,
                        Ordering::Less => r.lost += 1,
                    }
                }
                for o in opp {
                    *h2h.entry((p, o)).or_default() += own;
                }
            }
        }
        let t = round_totals.entry(m.round).or_default();
        t.0 += i64::from(a + b) * 2;
        t.1 += 4;
    }
    if cfg.comp != SitOutComp::None {
        for (round, ids) in sit_outs {
            let bonus = match cfg.comp {
                SitOutComp::RoundAverage => match round_totals.get(round) {
                    Some((pts, n)) if *n > 0 => *pts as f64 / f64::from(*n),
                    _ => continue,
                },
                SitOutComp::HalfMatch => f64::from(cfg.match_points) / 2.0,
                SitOutComp::None => 0.0,
            };
            for id in ids {
                if let Some(r) = rows.get_mut(id) {
                    r.points += bonus;
                    r.sat_out += 1;
                }
            }
        }
    }
    let mut out: Vec<Row> = rows.into_values().collect();
    for r in &mut out {
        r.difference = r.points_for - r.points_against;
    }
    let cmp = |x: &Row, y: &Row| -> Ordering {
        for t in cfg.order {
            let o = match t {
                Tiebreak::Points => y.points.total_cmp(&x.points),
                Tiebreak::Wins => y.won.cmp(&x.won),
                Tiebreak::Difference => y.difference.cmp(&x.difference),
                Tiebreak::HeadToHead => {
                    let xy = h2h.get(&(x.player_id, y.player_id)).copied().unwrap_or(0);
                    let yx = h2h.get(&(y.player_id, x.player_id)).copied().unwrap_or(0);
                    yx.cmp(&xy)
                }
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    };
    // Stable order for true ties: by name, then id, so the table never jitters.
    out.sort_by(|x, y| {
        cmp(x, y)
            .then_with(|| x.name.cmp(&y.name))
            .then(x.player_id.cmp(&y.player_id))
    });
    let mut rank = 0u32;
    for i in 0..out.len() {
        if i == 0 || cmp(&out[i - 1], &out[i]) != Ordering::Equal {
            rank = i as u32 + 1;
        }
        out[i].rank = rank;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn players(n: i64) -> Vec<(i64, String)> {
        (1..=n).map(|i| (i, format!("P{i}"))).collect()
    }

    const ORDER: &[Tiebreak] = &[
        Tiebreak::Points,
        Tiebreak::Wins,
        Tiebreak::Difference,
        Tiebreak::HeadToHead,
    ];

    #[test]
    fn hand_computed_round() {
        let m = vec![
            MatchResult {
                round: 1,
                team_a: [1, 2],
                team_b: [3, 4],
                score: Some((14, 10)),
            },
            MatchResult {
                round: 2,
                team_a: [1, 3],
                team_b: [2, 4],
                score: Some((12, 12)),
            },
            MatchResult {
                round: 3,
                team_a: [1, 4],
                team_b: [2, 3],
                score: None,
            },
        ];
        let cfg = Config {
            comp: SitOutComp::None,
            match_points: 24,
            order: ORDER,
        };
        let rows = compute(&players(4), &m, &[], &cfg);
        let p1 = rows.iter().find(|r| r.player_id == 1).unwrap();
        assert_eq!(
            (p1.points, p1.played, p1.won, p1.drawn, p1.lost),
            (26.0, 2, 1, 1, 0)
        );
        assert_eq!(p1.difference, 4);
        // P1 and P2 both have 26 points and one win; difference decides: +4 each, h2h: P1 took 12 from P2.
        assert_eq!(rows[0].points, 26.0);
        assert_eq!(rows.iter().find(|r| r.player_id == 4).unwrap().points, 22.0);
    }

    #[test]
    fn true_ties_share_a_rank() {
        let m = vec![MatchResult {
            round: 1,
            team_a: [1, 2],
            team_b: [3, 4],
            score: Some((12, 12)),
        }];
        let cfg = Config {
            comp: SitOutComp::None,
            match_points: 24,
            order: ORDER,
        };
        let rows = compute(&players(4), &m, &[], &cfg);
        assert!(rows.iter().all(|r| r.rank == 1));
    }

    #[test]
    fn sit_out_compensation() {
        let m = vec![MatchResult {
            round: 1,
            team_a: [1, 2],
            team_b: [3, 4],
            score: Some((16, 8)),
        }];
        let so = vec![(1, vec![5])];
        let avg = Config {
            comp: SitOutComp::RoundAverage,
            match_points: 24,
            order: ORDER,
        };
        let rows = compute(&players(5), &m, &so, &avg);
        assert_eq!(rows.iter().find(|r| r.player_id == 5).unwrap().points, 12.0);
        let half = Config {
            comp: SitOutComp::HalfMatch,
            match_points: 21,
            order: ORDER,
        };
        let rows = compute(&players(5), &m, &so, &half);
        let p5 = rows.iter().find(|r| r.player_id == 5).unwrap();
        assert_eq!(p5.points, 10.5);
        assert_eq!(p5.points_label(), "10.5");
        assert_eq!(p5.played, 0);
    }

    #[test]
    fn head_to_head_breaks_a_tie() {
        // 1 and 3 end level on points, wins and difference; 1 beat 3 head to head.
        let m = vec![
            MatchResult {
                round: 1,
                team_a: [1, 2],
                team_b: [3, 4],
                score: Some((13, 11)),
            },
            MatchResult {
                round: 2,
                team_a: [3, 2],
                team_b: [1, 4],
                score: Some((13, 11)),
            },
            MatchResult {
                round: 3,
                team_a: [1, 3],
                team_b: [2, 4],
                score: Some((12, 12)),
            },
        ];
        let order = [Tiebreak::Points, Tiebreak::HeadToHead];
        let cfg = Config {
            comp: SitOutComp::None,
            match_points: 24,
            order: &order,
        };
        let rows = compute(&players(4), &m, &[], &cfg);
        let r1 = rows.iter().find(|r| r.player_id == 1).unwrap();
        let r3 = rows.iter().find(|r| r.player_id == 3).unwrap();
        assert_eq!(r1.points, r3.points);
        // Against each other: 1 took 13+11, 3 took 11+13 -> equal, so they share a rank.
        assert_eq!(r1.rank, r3.rank);
    }
}
