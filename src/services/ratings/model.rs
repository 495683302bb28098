//! The rating model: Weng-Lin style Bradley-Terry rating for two teams of two,
//! fed with the *points share* of a game instead of win/loss.
//!
//! Each point is modelled as a Bradley-Terry trial between the two teams:
//! team A wins a point with probability `logistic((mu_a1 + mu_a2 - mu_b1 - mu_b2) / beta)`.
//! A game of `n` points is treated as `n` such trials, discounted for match-day
//! form (points of one game are not independent evidence), which gives an
//! effective evidence weight `w = 1 / (1/n + q(1-q) form_sd^2)`.
//!
//! The update is one Newton (Laplace) step of the Gaussian prior on the four
//! skills, i.e. the exact rank-one Kalman update for the linearised likelihood.
//! It keeps Weng-Lin's shape: each player moves by `sigma_i^2 * g / (1 + V h)`, so
//! partners are credited by their uncertainty and reliable players move less, but
//! unlike Weng-Lin's diagonal approximation it stays well behaved for the large
//! evidence weights that points results produce.

use serde::{Deserialize, Serialize};

/// Lowest level of the padel level scale.
pub const LEVEL_MIN: f64 = 0.0;
/// Highest level of the padel level scale.
pub const LEVEL_MAX: f64 = 7.0;
/// Sigma at which [`reliability`] is 0 %. Equal to the default starting sigma of
/// a self-assessed player, so every new player starts at 0 %.
pub const RELIABILITY_REFERENCE_SIGMA: f64 = 0.95;

/// A player's skill belief on the padel level scale: mean `mu` and standard
/// deviation `sigma` (both in level units, 0–7).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// Estimated level (level units; shown to users clamped to 0–7).
    pub mu: f64,
    /// Uncertainty of `mu` (level units). Shrinks with every game played.
    pub sigma: f64,
}

/// Model parameters. `Default` holds the values tuned on simulated training
/// seasons (see `BENCHMARKS.md`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// Per-point scale: a team whose *summed* levels are `beta` higher wins a
    /// point at odds e:1 (about 73 %).
    pub beta: f64,
    /// Match-to-match form noise on the per-point logit. Larger values trust a
    /// single scoreline less and widen win probabilities.
    pub form_sd: f64,
    /// Skill drift per game (level units), added to sigma before each update so
    /// that ratings keep following players who improve or decline.
    pub tau: f64,
    /// Starting sigma for a player with a self-assessed level.
    pub initial_sigma: f64,
    /// Starting level for a player without a self-assessment.
    pub unknown_level: f64,
    /// Starting sigma for a player without a self-assessment.
    pub unknown_sigma: f64,
    /// Game length (total points) assumed by [`win_probability`].
    pub nominal_points: u32,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            beta: 3.5,
            form_sd: 0.21,
            tau: 0.026,
            initial_sigma: RELIABILITY_REFERENCE_SIGMA,
            unknown_level: 3.5,
            unknown_sigma: 2.0,
            nominal_points: 24,
        }
    }
}

impl Params {
    /// True when every parameter is finite and in its meaningful range.
    pub fn is_valid(&self) -> bool {
        self.beta.is_finite()
            && self.beta > 0.0
            && self.form_sd.is_finite()
            && self.form_sd >= 0.0
            && self.tau.is_finite()
            && self.tau >= 0.0
            && self.initial_sigma.is_finite()
            && self.initial_sigma > 0.0
            && self.unknown_level.is_finite()
            && self.unknown_sigma.is_finite()
            && self.unknown_sigma > 0.0
    }
}

/// Starting rating of a new player. `level` is the self-assessed level on the
/// 0–7 scale (clamped); `None` starts from `unknown_level` with more doubt.
pub fn initial(level: Option<f64>, p: &Params) -> Rating {
    match level.filter(|l| l.is_finite()) {
        Some(l) => Rating {
            mu: l.clamp(LEVEL_MIN, LEVEL_MAX),
            sigma: p.initial_sigma,
        },
        None => Rating {
            mu: p.unknown_level,
            sigma: p.unknown_sigma,
        },
    }
}

/// Level shown to users: `mu` clamped to the 0–7 scale (NaN shows as 0).
pub fn to_level(r: &Rating) -> f64 {
    if r.mu.is_nan() {
        return LEVEL_MIN;
    }
    r.mu.clamp(LEVEL_MIN, LEVEL_MAX)
}

/// Reliability in 0..=1: the share of the starting variance that games have
/// removed, `1 - (sigma / RELIABILITY_REFERENCE_SIGMA)^2`.
pub fn reliability(r: &Rating) -> f64 {
    if !r.sigma.is_finite() {
        return 0.0;
    }
    let x = r.sigma / RELIABILITY_REFERENCE_SIGMA;
    (1.0 - x * x).clamp(0.0, 1.0)
}

fn valid(r: &Rating) -> bool {
    r.mu.is_finite() && r.sigma.is_finite() && r.sigma > 0.0
}

/// Numerically safe logistic function.
pub(crate) fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// Standard normal CDF via Numerical Recipes' `erfcc` (|rel. error| < 1.2e-7),
/// since std has no erf.
pub(crate) fn normal_cdf(x: f64) -> f64 {
    let z = x.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    if x >= 0.0 {
        1.0 - 0.5 * erfc
    } else {
        0.5 * erfc
    }
}

/// Summed mean and summed variance of a team.
fn team(t: &[Rating; 2]) -> (f64, f64) {
    (
        t[0].mu + t[1].mu,
        t[0].sigma * t[0].sigma + t[1].sigma * t[1].sigma,
    )
}

/// Mean and variance of the per-point logit of team A in the coming game:
/// rating uncertainty of all four players plus match-day form.
fn logit_belief(a: &[Rating; 2], b: &[Rating; 2], p: &Params) -> (f64, f64) {
    let (ma, va) = team(a);
    let (mb, vb) = team(b);
    let m = (ma - mb) / p.beta;
    let v = (va + vb) / (p.beta * p.beta) + p.form_sd * p.form_sd;
    (m, v)
}

/// Expected share of points for team A (0..1), averaging the per-point
/// probability over rating uncertainty and form (probit approximation).
pub fn expected_share(team_a: [Rating; 2], team_b: [Rating; 2], p: &Params) -> f64 {
    if !(team_a.iter().chain(team_b.iter()).all(valid) && p.is_valid()) {
        return 0.5;
    }
    let (m, v) = logit_belief(&team_a, &team_b, p);
    logistic(m / (1.0 + std::f64::consts::PI * v / 8.0).sqrt())
}

/// Probability that team A wins a game of `p.nominal_points` points, given
/// that it is decided (no draw). See [`win_probability_points`].
pub fn win_probability(team_a: [Rating; 2], team_b: [Rating; 2], p: &Params) -> f64 {
    win_probability_points(team_a, team_b, p.nominal_points, p)
}

/// Probability that team A wins a decided game of `points` total points.
///
/// The per-point logit `x ~ N(m, v)` is integrated on a fixed 21-node grid
/// (trapezoid rule is spectrally accurate for Gaussian weights), and given `x`
/// the points share is approximately normal around `logistic(x)`.
pub fn win_probability_points(
    team_a: [Rating; 2],
    team_b: [Rating; 2],
    points: u32,
    p: &Params,
) -> f64 {
    if !(team_a.iter().chain(team_b.iter()).all(valid) && p.is_valid()) || points == 0 {
        return 0.5;
    }
    let (m, v) = logit_belief(&team_a, &team_b, p);
    let sd = v.sqrt();
    let n = f64::from(points);
    let (mut acc, mut wsum) = (0.0, 0.0);
    for i in 0..21 {
        let z = -5.0 + 0.5 * f64::from(i);
        let w = (-0.5 * z * z).exp();
        let q = logistic(m + sd * z);
        let spread = (q * (1.0 - q) / n).sqrt().max(1e-300);
        acc += w * normal_cdf((q - 0.5) / spread);
        wsum += w;
    }
    (acc / wsum).clamp(0.0, 1.0)
}

/// Update both teams after a game that team A scored `score_a` points in and
/// team B `score_b`. Deterministic and pure: the same inputs always give
/// bit-identical outputs. 0–0, non-finite ratings or invalid params leave the
/// ratings unchanged.
pub fn update(
    team_a: [Rating; 2],
    team_b: [Rating; 2],
    score_a: u32,
    score_b: u32,
    p: &Params,
) -> ([Rating; 2], [Rating; 2]) {
    let n = f64::from(score_a) + f64::from(score_b);
    if n <= 0.0 || !(team_a.iter().chain(team_b.iter()).all(valid) && p.is_valid()) {
        return (team_a, team_b);
    }
    let share = f64::from(score_a) / n;

    // Drift first: skill may have moved since the player's last game.
    let tau2 = p.tau * p.tau;
    let var = |r: &Rating| r.sigma * r.sigma + tau2;
    let va = [var(&team_a[0]), var(&team_a[1])];
    let vb = [var(&team_b[0]), var(&team_b[1])];
    let total_var = va[0] + va[1] + vb[0] + vb[1];

    let q = logistic((team_a[0].mu + team_a[1].mu - team_b[0].mu - team_b[1].mu) / p.beta);
    let qq = q * (1.0 - q);
    // Effective number of independent points: form noise caps what one game can tell.
    let weight = 1.0 / (1.0 / n + qq * p.form_sd * p.form_sd);
    // Gradient and curvature of the log-likelihood w.r.t. (mu_a1 + mu_a2 - mu_b1 - mu_b2).
    let g = weight * (share - q) / p.beta;
    let h = weight * qq / (p.beta * p.beta);
    let k = 1.0 / (1.0 + total_var * h);

    let post = |r: &Rating, v: f64, sign: f64| Rating {
        mu: r.mu + sign * v * g * k,
        // v * (1 - v h k) > 0 because v <= total_var, so sigma never collapses to 0.
        sigma: (v * (1.0 - v * h * k)).sqrt(),
    };
    (
        [post(&team_a[0], va[0], 1.0), post(&team_a[1], va[1], 1.0)],
        [post(&team_b[0], vb[0], -1.0), post(&team_b[1], vb[1], -1.0)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(mu: f64, sigma: f64) -> Rating {
        Rating { mu, sigma }
    }

    fn close(x: f64, y: f64) -> bool {
        (x - y).abs() < 1e-12
    }

    #[test]
    fn swapping_teams_mirrors_the_update() {
        let p = Params::default();
        let a = [r(3.2, 0.8), r(4.1, 0.4)];
        let b = [r(3.9, 1.1), r(2.7, 0.6)];
        let (a1, b1) = update(a, b, 15, 9, &p);
        let (b2, a2) = update(b, a, 9, 15, &p);
        for (x, y) in a1.iter().chain(b1.iter()).zip(a2.iter().chain(b2.iter())) {
            assert!(
                close(x.mu, y.mu) && close(x.sigma, y.sigma),
                "{x:?} vs {y:?}"
            );
        }
        let pa = win_probability(a, b, &p);
        assert!(close(pa + win_probability(b, a, &p), 1.0));
        assert!(close(
            expected_share(a, b, &p) + expected_share(b, a, &p),
            1.0
        ));
    }

    #[test]
    fn equal_sigmas_are_zero_sum_and_precision_weighted_sum_is_zero() {
        let p = Params::default();
        let a = [r(3.0, 0.7), r(4.0, 0.7)];
        let b = [r(3.5, 0.7), r(3.2, 0.7)];
        let (a1, b1) = update(a, b, 14, 10, &p);
        let delta: f64 = a1
            .iter()
            .zip(a.iter())
            .map(|(n, o)| n.mu - o.mu)
            .sum::<f64>()
            + b1.iter()
                .zip(b.iter())
                .map(|(n, o)| n.mu - o.mu)
                .sum::<f64>();
        assert!(delta.abs() < 1e-12, "{delta}");

        // Unequal sigmas: changes weighted by 1/sigma^2 (pre-game, incl. drift) sum to 0.
        let a = [r(3.0, 0.3), r(4.0, 1.2)];
        let b = [r(3.5, 0.5), r(3.2, 0.9)];
        let (a1, b1) = update(a, b, 10, 14, &p);
        let tau2 = p.tau * p.tau;
        let weighted: f64 = a1
            .iter()
            .zip(a.iter())
            .chain(b1.iter().zip(b.iter()))
            .map(|(n, o)| (n.mu - o.mu) / (o.sigma * o.sigma + tau2))
            .sum();
        assert!(weighted.abs() < 1e-12, "{weighted}");
    }

    #[test]
    fn expected_result_moves_nothing_on_average() {
        // Zero-sum in expectation: scoring exactly the expected share barely moves mu.
        let p = Params::default();
        let a = [r(3.0, 0.7), r(3.0, 0.7)];
        let b = [r(3.0, 0.7), r(3.0, 0.7)];
        let (a1, _) = update(a, b, 12, 12, &p);
        assert!(close(a1[0].mu, 3.0));
    }

    #[test]
    fn bigger_margin_moves_more() {
        let p = Params::default();
        let a = [r(3.5, 0.8), r(3.5, 0.8)];
        let b = [r(3.5, 0.8), r(3.5, 0.8)];
        let (big, _) = update(a, b, 16, 8, &p);
        let (small, _) = update(a, b, 13, 11, &p);
        assert!(big[0].mu - 3.5 > small[0].mu - 3.5);
        assert!(small[0].mu > 3.5);
        let (lost, _) = update(a, b, 8, 16, &p);
        assert!(lost[0].mu < 3.5);
    }

    #[test]
    fn sigma_shrinks_and_updates_shrink_with_it() {
        let p = Params::default();
        let mut a = [r(3.5, 1.2), r(3.5, 1.2)];
        let b = [r(3.5, 0.3), r(3.5, 0.3)];
        let mut last_move = f64::INFINITY;
        for _ in 0..20 {
            let (a1, _) = update(a, b, 14, 10, &p);
            assert!(a1[0].sigma < a[0].sigma);
            let moved = a1[0].mu - a[0].mu;
            assert!(moved > 0.0 && moved < last_move);
            last_move = moved;
            a = a1;
        }
        assert!(reliability(&a[0]) > 0.5);
    }

    #[test]
    fn partner_with_higher_sigma_moves_more() {
        let p = Params::default();
        let a = [r(3.5, 0.4), r(3.5, 1.0)];
        let b = [r(3.5, 0.6), r(3.5, 0.6)];
        let (a1, _) = update(a, b, 15, 9, &p);
        assert!(a1[1].mu - 3.5 > a1[0].mu - 3.5);
        assert!(a1[0].mu > 3.5);
    }

    #[test]
    fn stronger_team_is_favoured_and_expected_wins_move_less() {
        let p = Params::default();
        let strong = [r(5.0, 0.5), r(4.5, 0.5)];
        let weak = [r(3.0, 0.5), r(3.5, 0.5)];
        assert!(win_probability(strong, weak, &p) > 0.8);
        assert!(expected_share(strong, weak, &p) > 0.55);
        // Winning 14-10 when expected to win by more costs rating.
        let share = expected_share(strong, weak, &p);
        assert!(share > 14.0 / 24.0);
        let (s1, _) = update(strong, weak, 14, 10, &p);
        assert!(s1[0].mu < 5.0);
    }

    #[test]
    fn level_mapping_is_monotone_and_clamped() {
        let mut last = -1.0;
        for i in -20..=100 {
            let l = to_level(&r(f64::from(i) * 0.1, 0.5));
            assert!(l >= last && (LEVEL_MIN..=LEVEL_MAX).contains(&l));
            last = l;
        }
        assert_eq!(to_level(&r(-3.0, 1.0)), 0.0);
        assert_eq!(to_level(&r(9.0, 1.0)), 7.0);
        let mut last = 2.0;
        for i in 0..=40 {
            let rel = reliability(&r(3.0, f64::from(i) * 0.05));
            assert!(rel <= last && (0.0..=1.0).contains(&rel));
            last = rel;
        }
    }

    #[test]
    fn initial_uses_self_assessment() {
        let p = Params::default();
        assert_eq!(initial(Some(4.5), &p), r(4.5, p.initial_sigma));
        assert_eq!(initial(Some(12.0), &p).mu, LEVEL_MAX);
        let unknown = initial(None, &p);
        assert_eq!(unknown.mu, p.unknown_level);
        assert!(unknown.sigma >= initial(Some(3.0), &p).sigma);
        assert_eq!(reliability(&initial(Some(3.0), &p)), 0.0);
        assert_eq!(initial(Some(f64::NAN), &p), unknown);
    }

    #[test]
    fn invalid_input_leaves_ratings_unchanged() {
        let p = Params::default();
        let a = [r(3.0, 0.5), r(4.0, 0.5)];
        let b = [r(3.5, 0.5), r(3.5, 0.5)];
        assert_eq!(update(a, b, 0, 0, &p), (a, b));
        let bad = [r(f64::INFINITY, 0.5), r(4.0, 0.5)];
        assert_eq!(update(bad, b, 10, 14, &p), (bad, b));
        let nan = [r(3.0, f64::NAN), r(4.0, 0.5)];
        let (a1, b1) = update(nan, b, 10, 14, &p);
        assert!(a1[0].sigma.is_nan() && a1[1] == nan[1] && b1 == b);
        let bad_p = Params { beta: 0.0, ..p };
        assert_eq!(update(a, b, 10, 14, &bad_p), (a, b));
        assert_eq!(win_probability(bad, b, &p), 0.5);
    }

    #[test]
    fn normal_cdf_is_accurate() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-7);
        assert!((normal_cdf(1.0) - 0.841_344_746).abs() < 1e-7);
        assert!((normal_cdf(-1.96) - 0.024_997_895).abs() < 1e-7);
        assert_eq!(normal_cdf(f64::INFINITY), 1.0);
        assert_eq!(normal_cdf(f64::NEG_INFINITY), 0.0);
    }
}
