//! Full replay of a match history. Stored ratings must always equal a replay of
//! all matches in time order, so edits and `tornetic ratings rebuild` both go
//! through this one function.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::model::{initial, update, Params, Rating};

/// One played game, identified by the caller's player keys (e.g. database ids).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchRecord<K> {
    /// The two players of team A.
    pub team_a: [K; 2],
    /// The two players of team B.
    pub team_b: [K; 2],
    /// Points won by team A.
    pub score_a: u32,
    /// Points won by team B.
    pub score_b: u32,
}

/// A player's rating just before and just after one match.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry<K> {
    /// Index of the match in the slice passed to [`replay`].
    pub match_index: usize,
    /// The player.
    pub player: K,
    /// Rating before the match.
    pub before: Rating,
    /// Rating after the match.
    pub after: Rating,
}

/// Result of [`replay`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplayOutcome<K: Ord> {
    /// Final rating of every player in the initial map or in any match.
    pub ratings: BTreeMap<K, Rating>,
    /// Four entries per applied match, in match order (team A then team B).
    pub history: Vec<HistoryEntry<K>>,
    /// Indices of matches that changed nothing: 0–0 scores or a player listed twice.
    pub skipped: Vec<usize>,
}

/// Replays `matches` (already in time order) starting from `initial_ratings`.
/// Players missing from the map start at `initial(None, p)`. Deterministic: the
/// same inputs always give bit-identical ratings.
pub fn replay<K: Ord + Clone>(
    initial_ratings: &BTreeMap<K, Rating>,
    matches: &[MatchRecord<K>],
    p: &Params,
) -> ReplayOutcome<K> {
    let mut ratings = initial_ratings.clone();
    let mut history = Vec::with_capacity(matches.len() * 4);
    let mut skipped = Vec::new();
    for (i, m) in matches.iter().enumerate() {
        let players = [&m.team_a[0], &m.team_a[1], &m.team_b[0], &m.team_b[1]];
        let duplicate = (0..4).any(|x| (x + 1..4).any(|y| players[x] == players[y]));
        if duplicate || m.score_a == 0 && m.score_b == 0 {
            skipped.push(i);
            continue;
        }
        let get = |k: &K| ratings.get(k).copied().unwrap_or_else(|| initial(None, p));
        let before_a = [get(&m.team_a[0]), get(&m.team_a[1])];
        let before_b = [get(&m.team_b[0]), get(&m.team_b[1])];
        let (after_a, after_b) = update(before_a, before_b, m.score_a, m.score_b, p);
        let before = before_a.iter().chain(before_b.iter());
        let after = after_a.iter().chain(after_b.iter());
        for ((player, b), a) in players.into_iter().zip(before).zip(after) {
            ratings.insert(player.clone(), *a);
            history.push(HistoryEntry {
                match_index: i,
                player: player.clone(),
                before: *b,
                after: *a,
            });
        }
    }
    ReplayOutcome {
        ratings,
        history,
        skipped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn arb_match() -> impl Strategy<Value = MatchRecord<u8>> {
        (prop::array::uniform4(0u8..10), 0u32..=100, 0u32..=100).prop_map(
            |(p, score_a, score_b)| MatchRecord {
                team_a: [p[0], p[1]],
                team_b: [p[2], p[3]],
                score_a,
                score_b,
            },
        )
    }

    fn arb_rating() -> impl Strategy<Value = Rating> {
        (-2.0f64..9.0, 0.01f64..5.0).prop_map(|(mu, sigma)| Rating { mu, sigma })
    }

    #[test]
    fn replay_applies_matches_in_order_and_records_history() {
        let p = Params::default();
        let mut init = BTreeMap::new();
        init.insert("ana", initial(Some(4.0), &p));
        let matches = vec![
            MatchRecord {
                team_a: ["ana", "bo"],
                team_b: ["cy", "di"],
                score_a: 14,
                score_b: 10,
            },
            MatchRecord {
                team_a: ["ana", "ana"],
                team_b: ["cy", "di"],
                score_a: 14,
                score_b: 10,
            },
            MatchRecord {
                team_a: ["ana", "cy"],
                team_b: ["bo", "di"],
                score_a: 0,
                score_b: 0,
            },
        ];
        let out = replay(&init, &matches, &p);
        assert_eq!(out.skipped, vec![1, 2]);
        assert_eq!(out.history.len(), 4);
        assert_eq!(out.ratings.len(), 4);
        let (a, b) = update(
            [initial(Some(4.0), &p), initial(None, &p)],
            [initial(None, &p), initial(None, &p)],
            14,
            10,
            &p,
        );
        assert_eq!(out.ratings["ana"], a[0]);
        assert_eq!(out.ratings["di"], b[1]);
        assert_eq!(out.history[0].after, a[0]);
    }

    proptest! {
        #[test]
        fn replay_is_deterministic(matches in prop::collection::vec(arb_match(), 0..60)) {
            let p = Params::default();
            let init: BTreeMap<u8, Rating> =
                (0..5).map(|k| (k, initial(Some(f64::from(k) + 1.5), &p))).collect();
            let first = replay(&init, &matches, &p);
            let second = replay(&init, &matches, &p);
            // Bit-identical, not just approximately equal.
            for (x, y) in first.ratings.values().zip(second.ratings.values()) {
                prop_assert_eq!(x.mu.to_bits(), y.mu.to_bits());
                prop_assert_eq!(x.sigma.to_bits(), y.sigma.to_bits());
            }
            prop_assert_eq!(first, second);
        }

        #[test]
        fn ratings_stay_finite(
            a in prop::array::uniform2(arb_rating()),
            b in prop::array::uniform2(arb_rating()),
            score_a in 0u32..=100,
            score_b in 0u32..=100,
        ) {
            let p = Params::default();
            let (a1, b1) = update(a, b, score_a, score_b, &p);
            for r in a1.iter().chain(b1.iter()) {
                prop_assert!(r.mu.is_finite() && r.sigma.is_finite() && r.sigma > 0.0);
                prop_assert!((0.0..=1.0).contains(&super::super::model::reliability(r)));
            }
            let w = super::super::model::win_probability(a, b, &p);
            let s = super::super::model::expected_share(a, b, &p);
            prop_assert!((0.0..=1.0).contains(&w) && (0.0..=1.0).contains(&s));
        }

        #[test]
        fn long_replays_stay_finite(matches in prop::collection::vec(arb_match(), 0..200)) {
            let p = Params::default();
            let out = replay(&BTreeMap::new(), &matches, &p);
            for r in out.ratings.values() {
                prop_assert!(r.mu.is_finite() && r.sigma.is_finite() && r.sigma > 0.0);
            }
        }
    }
}
