//! Player ratings for 2-vs-2 padel (pure: no I/O, no async, no database).
//!
//! * [`model`]: points-share Weng-Lin (Bradley-Terry) rating with uncertainty,
//!   shown on the padel 0–7 level scale with a reliability percentage.
//! * [`replay`](mod@replay): stored ratings are always a full replay of the match history.
//! * [`sim`] and [`eval`]: a club simulator and the evaluation against a tuned
//!   win/loss Elo baseline (`tornetic ratings evaluate`).
//!
//! ```
//! use tornetic::services::ratings::{initial, to_level, update, Params};
//! let p = Params::default();
//! let a = [initial(Some(3.5), &p), initial(Some(4.0), &p)];
//! let b = [initial(Some(3.0), &p), initial(None, &p)];
//! let (a, _b) = update(a, b, 14, 10, &p);
//! assert!(to_level(&a[0]) > 3.5);
//! ```

pub mod elo;
pub mod eval;
pub mod model;
pub mod replay;
pub mod sim;

pub use eval::{evaluate, EvalConfig, EvalReport};
pub use model::{
    expected_share, initial, reliability, to_level, update, win_probability,
    win_probability_points, Params, Rating, LEVEL_MAX, LEVEL_MIN, RELIABILITY_REFERENCE_SIGMA,
};
pub use replay::{replay, HistoryEntry, MatchRecord, ReplayOutcome};
