//! Club simulator used to evaluate rating models against a known truth.
//!
//! Each player has a latent level that drifts slowly. In a game every player
//! plays at latent level + match-day form noise, and each point is won by team A
//! with probability `logistic(point_logit_per_level * (avg_a - avg_b))`.
//! Sessions are Americano style: partners rotate every round, games last
//! `points_per_game` points (e.g. 14–10 or 12–12).

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::model::logistic;

/// How players are put together in a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionStyle {
    /// Random available players play together regardless of level.
    Mixed,
    /// The organiser groups players of similar (perceived) level.
    Banded,
}

/// Simulator knobs. `Default` is a mid-sized club season.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimConfig {
    /// Players in the club over the season.
    pub players: usize,
    /// Share of players present from the first session; the rest join later.
    pub initial_share: f64,
    /// Sessions in a season.
    pub sessions: usize,
    /// Americano rounds per session.
    pub rounds: usize,
    /// Total points per game.
    pub points_per_game: u32,
    /// Mean latent level (0–7 scale).
    pub level_mean: f64,
    /// Spread of latent levels.
    pub level_sd: f64,
    /// Per-point logit per level of team-average difference.
    pub point_logit_per_level: f64,
    /// Per-player, per-game form noise (levels).
    pub form_sd: f64,
    /// Random-walk drift of the latent level per session (levels).
    pub drift_sd: f64,
    /// Probability that a player states a self-assessed level.
    pub self_assess_rate: f64,
    /// Noise of self-assessments (levels).
    pub self_assess_sd: f64,
    /// Average over-rating in self-assessments (levels).
    pub self_assess_bias: f64,
    /// Noise of the organiser's level perception in banded sessions (levels).
    pub perception_sd: f64,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            players: 48,
            initial_share: 0.6,
            sessions: 60,
            rounds: 7,
            points_per_game: 24,
            level_mean: 3.5,
            level_sd: 1.1,
            point_logit_per_level: 0.7,
            form_sd: 0.35,
            drift_sd: 0.04,
            self_assess_rate: 0.8,
            self_assess_sd: 0.8,
            self_assess_bias: 0.3,
            perception_sd: 0.3,
        }
    }
}

/// A simulated player as the app would see them at sign-up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimPlayer {
    /// Self-assessed level given at sign-up, if any.
    pub self_assessed: Option<f64>,
    /// Session index at which the player joins the club.
    pub joins_at: usize,
}

/// One simulated game (player indices into `Season::players`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SimMatch {
    /// Team A players.
    pub team_a: [usize; 2],
    /// Team B players.
    pub team_b: [usize; 2],
    /// Points of team A.
    pub score_a: u32,
    /// Points of team B.
    pub score_b: u32,
}

/// A simulated season: sign-up data, games in time order, and the truth.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Season {
    /// Players as seen at sign-up.
    pub players: Vec<SimPlayer>,
    /// Games in time order.
    pub matches: Vec<SimMatch>,
    /// Latent levels at the end of the season.
    pub final_levels: Vec<f64>,
}

/// Standard normal draw (Box-Muller; keeps the module free of `rand_distr`).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    let u1 = 1.0 - rng.random::<f64>();
    let u2 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// Simulates one season. Deterministic for a given `(cfg, style, seed)`.
pub fn simulate_season(cfg: &SimConfig, style: SessionStyle, seed: u64) -> Season {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = cfg.players;
    let mut level: Vec<f64> = (0..n)
        .map(|_| (cfg.level_mean + cfg.level_sd * normal(&mut rng)).clamp(0.5, 6.5))
        .collect();
    let activity: Vec<f64> = (0..n).map(|_| rng.random_range(0.2..1.0)).collect();
    let first_wave = (cfg.initial_share * n as f64).round() as usize;
    let players: Vec<SimPlayer> = (0..n)
        .map(|i| {
            let stated = rng.random::<f64>() < cfg.self_assess_rate;
            let noise = cfg.self_assess_bias + cfg.self_assess_sd * normal(&mut rng);
            SimPlayer {
                self_assessed: stated.then(|| (level[i] + noise).clamp(0.0, 7.0)),
                joins_at: if i < first_wave {
                    0
                } else {
                    rng.random_range(0..cfg.sessions.max(1))
                },
            }
        })
        .collect();

    let mut matches = Vec::new();
    for session in 0..cfg.sessions {
        let present: Vec<usize> = (0..n).filter(|&i| players[i].joins_at <= session).collect();
        let size = [8, 12, 16][rng.random_range(0..3)].min(present.len() / 4 * 4);
        if size < 4 {
            continue;
        }
        // Who shows up: weighted sampling without replacement (Efraimidis-Spirakis keys).
        let mut keyed: Vec<(f64, usize)> = present
            .iter()
            .map(|&i| (rng.random::<f64>().powf(1.0 / activity[i]), i))
            .collect();
        keyed.sort_by(|x, y| y.0.total_cmp(&x.0));
        let mut group: Vec<usize> = match style {
            SessionStyle::Mixed => keyed.iter().take(size).map(|k| k.1).collect(),
            SessionStyle::Banded => {
                // From everyone who wants to play, the organiser picks the `size`
                // players whose perceived level is closest to a random anchor.
                let pool: Vec<usize> = keyed.iter().take(size * 3).map(|k| k.1).collect();
                let perceived: Vec<f64> = pool
                    .iter()
                    .map(|&i| level[i] + cfg.perception_sd * normal(&mut rng))
                    .collect();
                let anchor = perceived[rng.random_range(0..pool.len())];
                let mut order: Vec<usize> = (0..pool.len()).collect();
                order.sort_by(|&x, &y| {
                    (perceived[x] - anchor)
                        .abs()
                        .total_cmp(&(perceived[y] - anchor).abs())
                });
                order.iter().take(size).map(|&j| pool[j]).collect()
            }
        };
        for _ in 0..cfg.rounds {
            // Americano: fresh random partners and opponents every round.
            group.shuffle(&mut rng);
            for court in group.chunks_exact(4) {
                let skill = |i: usize, r: &mut ChaCha8Rng| level[i] + cfg.form_sd * normal(r);
                let a = (skill(court[0], &mut rng) + skill(court[1], &mut rng)) / 2.0;
                let b = (skill(court[2], &mut rng) + skill(court[3], &mut rng)) / 2.0;
                let q = logistic(cfg.point_logit_per_level * (a - b));
                let score_a = (0..cfg.points_per_game)
                    .filter(|_| rng.random::<f64>() < q)
                    .count() as u32;
                matches.push(SimMatch {
                    team_a: [court[0], court[1]],
                    team_b: [court[2], court[3]],
                    score_a,
                    score_b: cfg.points_per_game - score_a,
                });
            }
        }
        for l in level.iter_mut() {
            *l = (*l + cfg.drift_sd * normal(&mut rng)).clamp(0.0, 7.0);
        }
    }
    Season {
        players,
        matches,
        final_levels: level,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulation_is_deterministic_and_well_formed() {
        let cfg = SimConfig {
            sessions: 10,
            ..SimConfig::default()
        };
        for style in [SessionStyle::Mixed, SessionStyle::Banded] {
            let s = simulate_season(&cfg, style, 7);
            assert_eq!(s, simulate_season(&cfg, style, 7));
            assert!(s.matches.len() >= 10 * cfg.rounds * 2);
            for m in &s.matches {
                assert_eq!(m.score_a + m.score_b, cfg.points_per_game);
                let p = [m.team_a[0], m.team_a[1], m.team_b[0], m.team_b[1]];
                assert!((0..4).all(|x| (x + 1..4).all(|y| p[x] != p[y])));
            }
        }
    }
}
