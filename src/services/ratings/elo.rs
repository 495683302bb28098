//! Win/loss team Elo: the baseline the points-share model must beat.
//! A team's rating is the average of its two players; both partners get the
//! same `K * (result - expected)` change. Only used by the evaluation.

use serde::{Deserialize, Serialize};

/// Baseline parameters (tuned by grid search in the evaluation).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct EloParams {
    /// Update step.
    pub k: f64,
    /// Elo points per level of self-assessment when seeding new players
    /// (0 = everybody starts at 1500), so the baseline gets the same prior
    /// information as the model.
    pub points_per_level: f64,
}

impl Default for EloParams {
    fn default() -> Self {
        EloParams {
            k: 24.0,
            points_per_level: 100.0,
        }
    }
}

/// Starting Elo rating from an optional self-assessed level (3.5 = 1500).
pub fn elo_initial(level: Option<f64>, p: &EloParams) -> f64 {
    match level.filter(|l| l.is_finite()) {
        Some(l) => 1500.0 + p.points_per_level * (l.clamp(0.0, 7.0) - 3.5),
        None => 1500.0,
    }
}

/// Probability that team A (average rating `ra`) beats team B (`rb`).
pub fn elo_expected(ra: f64, rb: f64) -> f64 {
    1.0 / (1.0 + 10f64.powf((rb - ra) / 400.0))
}

/// Elo update of both teams; a drawn game counts as half a win.
pub fn elo_update(
    a: [f64; 2],
    b: [f64; 2],
    score_a: u32,
    score_b: u32,
    p: &EloParams,
) -> ([f64; 2], [f64; 2]) {
    let result = match score_a.cmp(&score_b) {
        std::cmp::Ordering::Greater => 1.0,
        std::cmp::Ordering::Less => 0.0,
        std::cmp::Ordering::Equal if score_a == 0 => return (a, b),
        std::cmp::Ordering::Equal => 0.5,
    };
    let e = elo_expected((a[0] + a[1]) / 2.0, (b[0] + b[1]) / 2.0);
    let d = p.k * (result - e);
    ([a[0] + d, a[1] + d], [b[0] - d, b[1] - d])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elo_is_zero_sum_and_symmetric() {
        let p = EloParams::default();
        let (a, b) = elo_update([1500.0, 1600.0], [1550.0, 1500.0], 14, 10, &p);
        assert!((a[0] + a[1] + b[0] + b[1] - 6150.0).abs() < 1e-9);
        assert!(a[0] > 1500.0);
        assert!((elo_expected(1600.0, 1500.0) + elo_expected(1500.0, 1600.0) - 1.0).abs() < 1e-12);
        assert_eq!(
            elo_update([1.0, 2.0], [3.0, 4.0], 0, 0, &p),
            ([1.0, 2.0], [3.0, 4.0])
        );
    }
}
