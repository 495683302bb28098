//! Cross-cutting tests: structure, bounds, whist property, courts, extend/replan, JSON.

use super::americano::{americano_from, Source};
use super::*;
use proptest::prelude::*;
use std::collections::HashSet;
use std::ops::Range;

/// Every match has 4 distinct players, nobody appears twice in a round, the sit-outs
/// are exactly the others, and courts are 0..matches in order.
fn check_structure(s: &Schedule) {
    let all: HashSet<usize> = s.players.iter().copied().collect();
    for (ri, r) in s.rounds.iter().enumerate() {
        let mut seen = HashSet::new();
        for (k, m) in r.matches.iter().enumerate() {
            assert_eq!(m.court, k, "round {ri}: courts in order");
            assert!(m.court < s.courts);
            for p in m.team_a.iter().chain(&m.team_b) {
                assert!(all.contains(p), "round {ri}: unknown player {p}");
                assert!(seen.insert(*p), "round {ri}: player {p} twice");
            }
        }
        for p in &r.sit_outs {
            assert!(seen.insert(*p), "round {ri}: sit-out {p} also plays");
        }
        assert_eq!(seen, all, "round {ri}: sit-outs are exactly the rest");
    }
}

/// N, C of a whist design, with fewer rounds than the design (its games are fixed).
fn whist_order(n: usize, c: usize) -> bool {
    c == n / 4 && n % 4 <= 1
}

fn players(n: usize) -> Vec<usize> {
    (0..n).map(|i| 100 + 7 * i).collect()
}

#[test]
fn whist_property_for_every_order_and_several_seeds() {
    for n in 4..=64usize {
        if n % 4 > 1 {
            continue;
        }
        for seed in [0u64, 42] {
            let c = natural_courts(n);
            let r = default_rounds(Format::Americano, n, c);
            assert_eq!(r, if n % 4 == 0 { n - 1 } else { n });
            let s = americano(&players(n), c, r, seed).unwrap_or_else(|e| panic!("{n}: {e}"));
            check_structure(&s);
            let q = quality(&s);
            assert_eq!((q.partner_min, q.partner_max), (1, 1), "n={n} seed={seed}");
            assert_eq!(
                (q.opponent_min, q.opponent_max),
                (2, 2),
                "n={n} seed={seed}"
            );
            let sit = u32::from(n % 4 == 1);
            assert_eq!((q.sit_out_min, q.sit_out_max), (sit, sit), "n={n}");
            // Only the order of the games on the courts is free in a whist design. 4k+1:
            // perfectly even. 4k: 2 with a stored court order (1 is impossible for 12
            // and 16, proved by the solver), else at most 3; for 8 the game sets of
            // Wh(8) allow only spreads 5 or 7 (checked exhaustively).
            let stored = super::whist_courts::COURT_ORDERS.iter().any(|e| e.0 == n);
            let spread = match n {
                _ if n % 4 == 1 => 0,
                8 => 5,
                _ if stored => 2,
                _ => 3,
            };
            assert!(
                q.court_spread <= spread,
                "n={n} seed={seed} spread {}",
                q.court_spread
            );
        }
    }
}

/// N = 4k+3, k courts, N rounds: the cut 4k+4 design, refined without ever adding a
/// partner repeat: no repeats, opponents within their bound, courts perfectly even, and
/// its rounds ordered so games stay within two (three before the order was chosen).
#[test]
fn cut_designs_stay_repeat_free_and_balanced() {
    for n in [11usize, 15] {
        let s = americano(&players(n), n / 4, n, 0).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        assert_eq!(q.partner_repeats, 0, "n={n}");
        assert_eq!((q.opponent_min, q.opponent_max), q.opponent_bound, "n={n}");
        assert_eq!(q.court_spread, 0, "n={n}");
        assert_eq!(q.longest_sit_out_streak, 1, "n={n}");
        assert!(q.games_gap <= 2, "n={n}: games gap {}", q.games_gap);
    }
}

/// The games gap is the worst moment, not the end: 6 players on one court where 4 and 5
/// sit out the first two rounds are two games behind after the second.
#[test]
fn games_gap_is_the_worst_moment() {
    let game = |a: usize, b: usize, c: usize, d: usize| Match {
        court: 0,
        team_a: [a, b],
        team_b: [c, d],
    };
    let round = |m: Match, sit: [usize; 2]| Round {
        matches: vec![m],
        sit_outs: sit.to_vec(),
    };
    let s = Schedule {
        format: Format::Americano,
        players: (0..6).collect(),
        courts: 1,
        rounds: vec![
            round(game(0, 1, 2, 3), [4, 5]),
            round(game(0, 2, 1, 3), [4, 5]),
            round(game(4, 0, 5, 1), [2, 3]),
            round(game(4, 2, 5, 3), [0, 1]),
        ],
        group_a_len: None,
    };
    let q = quality(&s);
    assert_eq!((q.games_gap, q.games_gap_bound), (2, 1));
    assert_eq!((q.sit_out_min, q.sit_out_max), (1, 2));
    assert!(q.to_string().contains("games apart, any round"), "{q}");
}

/// The spread and the opponent range are set by the worst player or pair; the counts
/// say how many miss. Two hand-made rounds of 8 players on 2 courts (opponents 0–1).
#[test]
fn quality_counts_players_and_pairs_outside_their_bounds() {
    let game = |court: usize, [a, b, c, d]: [usize; 4]| Match {
        court,
        team_a: [a, b],
        team_b: [c, d],
    };
    let two_rounds = |second: [Match; 2]| Schedule {
        format: Format::Americano,
        players: (0..8).collect(),
        courts: 2,
        rounds: vec![
            Round {
                matches: vec![game(0, [0, 1, 2, 3]), game(1, [4, 5, 6, 7])],
                sit_outs: vec![],
            },
            Round {
                matches: second.to_vec(),
                sit_outs: vec![],
            },
        ],
        group_a_len: None,
    };
    // 0 and 2 stay on court 0, 5 and 7 on court 1; no pair meets twice.
    let q = quality(&two_rounds([game(0, [0, 2, 4, 6]), game(1, [1, 3, 5, 7])]));
    assert_eq!((q.court_spread, q.players_over_court_bound), (2, 4));
    assert_eq!((q.opponent_max, q.pairs_outside_opponent_bound), (1, 0));
    assert!(
        q.to_string()
            .contains("players over the court spread bound: 4 of 8"),
        "{q}"
    );
    // Everyone changes court; 0–3, 1–2, 4–7 and 5–6 oppose twice.
    let q = quality(&two_rounds([game(1, [0, 2, 1, 3]), game(0, [4, 6, 5, 7])]));
    assert_eq!((q.court_spread, q.players_over_court_bound), (0, 0));
    assert_eq!((q.opponent_max, q.pairs_outside_opponent_bound), (2, 4));
    assert!(
        q.to_string()
            .contains("pairs outside the opponent bound: 4"),
        "{q}"
    );
    assert!(!q.to_string().contains("players over"), "{q}");
}

#[test]
fn seeds_relabel_players() {
    let a = americano(&players(8), 2, 7, 1).unwrap_or_else(|e| panic!("{e}"));
    let b = americano(&players(8), 2, 7, 1).unwrap_or_else(|e| panic!("{e}"));
    let c = americano(&players(8), 2, 7, 2).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a, b, "deterministic for a seed");
    assert_ne!(a.rounds, c.rounds, "another seed shuffles the slots");
}

#[test]
fn json_has_the_documented_shape() {
    let s = preview(Format::Americano, 8, 2, None, 3).unwrap_or_else(|e| panic!("{e}"));
    let v = to_json(&s);
    assert_eq!(v["N"], 8);
    assert_eq!(v["C"], 2);
    assert_eq!(v["R"], 7);
    let rounds = v["rounds"].as_array().map(|r| r.len());
    assert_eq!(rounds, Some(7));
    assert_eq!(v["rounds"][0]["sitOuts"], serde_json::json!([]));
    assert_eq!(
        v["rounds"][0]["matches"].as_array().map(|m| m.len()),
        Some(2)
    );
    let text = to_json_string(&s);
    assert!(text.starts_with("{\"N\":8,\"C\":2,\"R\":7,\"rounds\":[{\"matches\":[[["));
    let back: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(back, v);
    let t = to_text(&s);
    assert!(
        t.contains("every pair partners once, opponents 2–2, no sit-outs"),
        "{t}"
    );
    // The whist property fixes a court spread of 5 for 8 on two courts (quality.rs).
    let q = quality(&s);
    assert_eq!((q.court_spread, q.court_spread_bound), (5, 5));
    let s9 = preview(Format::Americano, 9, 2, None, 3).unwrap_or_else(|e| panic!("{e}"));
    assert!(to_text(&s9).contains("every pair partners once, opponents 2–2, sit-outs 1 each"));
}

/// Every stored schedule, through the public call and for several seeds: partner
/// repeats at the forced minimum, opponents in the stored window, court spread within
/// the stored one (≤ 1 at the default lengths), sit-outs within their bound, no longer
/// runs than stored, and games played within one of each other after every round.
#[test]
fn stored_schedules_through_the_public_call() {
    for &(n, c, omin, omax, streak, spread, games) in super::stored_data::STORED {
        let r = games.len() / (4 * c);
        assert_eq!(games.len(), 4 * c * r, "N={n} C={c}: whole rounds");
        let default = r == default_rounds(Format::Americano, n, c);
        let club = if n <= 16 { 3..=16 } else { 3..=12 };
        // Long events: up to 16 players solved by the SAT model, and lengths stored for
        // time up to 32 (see `stored.rs`).
        let long = n <= 32 && (13..=2 * n).contains(&r);
        assert!(default || club.contains(&r) || long, "N={n} C={c} R={r}");
        for seed in [0u64, 7, 42] {
            let s = americano(&players(n), c, r, seed).unwrap_or_else(|e| panic!("{e}"));
            check_structure(&s);
            let at = format!("N={n} C={c} R={r} seed={seed}");
            let q = quality(&s);
            assert!(q.games_gap <= 1, "{at}: games balanced after every round");
            assert_eq!(q.partner_repeats, q.forced_partner_repeats, "{at}");
            assert!(q.opponent_min >= omin && q.opponent_max <= omax, "{at}");
            // Spread 1 everywhere but 16 on three courts: the regrouped Wh(16) keeps the 2
            // the search gave there (each plays 15 games, so 1 would mean 5 on every court).
            assert!(q.court_spread <= spread, "{at}");
            assert!(
                !default || spread <= 1 || (n, c, spread) == (16, 3, 2),
                "{at}"
            );
            assert!(q.sit_out_min >= q.sit_out_bound.0 && q.sit_out_max <= q.sit_out_bound.1);
            assert!(q.longest_sit_out_streak <= streak, "{at}");
        }
    }
}

/// `americano` keeps a fixed schedule's court order as it is (no court repair, which
/// acts only on a player 3 or more apart): every stored schedule and stored whist court
/// order keeps everyone within two, and Wh(8)'s order, at 5, is the best of all 128
/// orders of its games (each plays 7 games on two courts, so the spread is odd).
#[test]
fn fixed_schedules_need_no_court_repair() {
    let largest_spread = |raw: &[engine::RawRound], n: usize, courts: usize| {
        super::americano::score(&engine::History::new(n, courts), raw).1
    };
    for &(n, c, .., games) in super::stored_data::STORED {
        let r = games.len() / (4 * c);
        let raw = stored::stored(n, c, r).unwrap_or_else(|| panic!("{n}/{c}/{r}"));
        assert!(largest_spread(&raw, n, c) <= 2, "stored {n}/{c}/{r}");
    }
    for &(n, _) in super::whist_courts::COURT_ORDERS {
        let raw = whist::design_on_courts(n, n / 4, n - 1).unwrap_or_else(|| panic!("{n}"));
        assert!(largest_spread(&raw, n, n / 4) <= 2, "whist {n}");
    }
    let eight = whist::eight_on_courts(8, 2, 7).expect("Wh(8) on two courts");
    assert_eq!(largest_spread(&eight, 8, 2), 5);
    for mask in 0..1u32 << 7 {
        let mut other = eight.clone();
        for (r, round) in other.iter_mut().enumerate() {
            if mask >> r & 1 == 1 {
                round.games.swap(0, 1);
            }
        }
        assert!(largest_spread(&other, 8, 2) >= 5, "order {mask:07b}");
    }
    let s = americano(&players(8), 2, 7, 3).expect("8/2/7");
    let q = quality(&s);
    assert_eq!((q.opponent_min, q.opponent_max, q.court_spread), (2, 2, 5));
    assert_eq!(q.court_spread_bound, 5);
}

/// 8 players on two courts, the most common small event, for 3 to 9 rounds: partners at
/// the forced minimum and the best opponent range and court spread together
/// (`quality::EIGHT_ON_TWO` proves that up to 8 rounds the opponent bound costs court
/// spread): opponents first, but nobody plays all their games on one court (3 rounds:
/// 0–1 needs spread 3; 4 rounds: 1–2 needs 4). So the spread is within the reported
/// bound wherever the opponents are.
#[test]
fn eight_on_two_courts_take_opponents_first_and_never_one_court_all_evening() {
    // (rounds, opponent range, court spread)
    let want = [
        (3, (0, 2), 1),
        (4, (0, 2), 2),
        (5, (1, 2), 3),
        (6, (1, 2), 4),
        (7, (2, 2), 5),
        (8, (2, 3), 4),
        (9, (2, 3), 1),
    ];
    for (r, opponents, spread) in want {
        for seed in [0u64, 5, 99] {
            let s = americano(&players(8), 2, r, seed).unwrap_or_else(|e| panic!("{e}"));
            let q = quality(&s);
            let at = format!("R={r} seed={seed}");
            assert_eq!(q.partner_repeats, q.forced_partner_repeats, "{at}");
            assert_eq!((q.opponent_min, q.opponent_max), opponents, "{at}");
            assert_eq!(q.court_spread, spread, "{at}");
            assert!(q.court_spread <= q.court_spread_bound, "{at}");
            assert!(
                q.court_spread < r as u32,
                "{at}: someone on one court all evening"
            );
        }
    }
}

/// Club lengths solved by the SAT model (`benches/sat/club_lengths.py`): every figure at
/// its bound, for any seed. The search alone had games two apart mid-event (10, 11 and
/// 12 on two courts for N rounds, 12 on two for 13–14), a pair two outside the opponent
/// bound (10/2/13–14: 1–4; 13/2/14: 0–3), a pair one outside it (10/2/15: 2–4, solved
/// with `--free`; 11/2/9 and 12/2/11: 0–2), or court spread 2 (12 on three for 9).
#[test]
fn sat_solved_club_lengths_meet_every_bound() {
    for (n, c, r) in [
        (10, 2, 9),
        (10, 2, 10),
        (10, 2, 13),
        (10, 2, 14),
        (10, 2, 15),
        (10, 2, 16),
        (11, 2, 9),
        (11, 2, 11),
        (12, 2, 11),
        (12, 2, 12),
        (12, 2, 13),
        (12, 2, 14),
        (12, 3, 9),
        (13, 2, 14),
    ] {
        for seed in [0, 7] {
            let q = sat_entry_quality(n, c, r, seed);
            let at = format!("{n}/{c}/{r} seed {seed}");
            assert_eq!((q.opponent_min, q.opponent_max), q.opponent_bound, "{at}");
            assert_eq!(q.longest_sit_out_streak, q.streak_bound, "{at}");
        }
    }
}

/// Club lengths from 17 players stored from the annealing search (`anneal.rs`): every
/// figure at its bound for any seed, so no pair opposes twice where 0–1 is the bound (or
/// every pair meets where it is 1–2). The entries they replace had 0–2 for every seed.
#[test]
fn annealed_club_lengths_meet_every_bound() {
    #[rustfmt::skip]
    let sizes = [
        // First pass: ANNEAL_MOVES=20000000 ANNEAL_SEEDS=6.
        (17, 3, 9), (17, 4, 10), (18, 3, 9), (18, 4, 8), (18, 4, 12), (19, 3, 10),
        (19, 3, 12), (20, 4, 9), (20, 5, 12), (21, 4, 10), (22, 5, 9), (23, 4, 12),
        (23, 5, 10), (24, 6, 9), (25, 5, 11), (25, 6, 10), (26, 5, 12), (27, 6, 11),
        (28, 6, 12), (32, 8, 11),
        // Second pass: ANNEAL_MOVES=6000000 ANNEAL_SEEDS=20 (seeds 1–6 miss at 20 M).
        (17, 3, 10), (17, 4, 12), (22, 4, 11),
    ];
    for (n, c, r) in sizes {
        for seed in [0, 7] {
            let q = sat_entry_quality(n, c, r, seed);
            let at = format!("{n}/{c}/{r} seed {seed}");
            assert_eq!((q.opponent_min, q.opponent_max), q.opponent_bound, "{at}");
            assert_eq!(q.longest_sit_out_streak, q.streak_bound, "{at}");
        }
    }
}

/// Rounds chosen from a whist design that tie on every range figure are told apart by
/// how many players end above court spread 1 (then pairs outside the opponent bound):
/// 28 players on seven courts for 14 rounds, seed 3, had all 28 at spread 2.
#[test]
fn ties_on_the_ranges_go_to_fewer_players_over_the_court_bound() {
    let s = americano(&players(28), 7, 14, 3).unwrap_or_else(|e| panic!("{e}"));
    check_structure(&s);
    let q = quality(&s);
    assert_eq!(q.partner_repeats, 0);
    assert_eq!(q.court_spread, 2, "{q}");
    assert!(q.players_over_court_bound <= 23, "{q}");
}

/// One round short of the whist length, the court pass could end with a player 2 and 5
/// games on two courts (32 players on eight courts for 30 rounds: spread 3 for seeds
/// 0–4) where 2 is reachable: `repair_spread` weighs such players on their own.
#[test]
fn a_round_short_of_the_whist_length_keeps_courts_within_two() {
    for seed in [0, 3] {
        let s = americano(&players(32), 8, 30, seed).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        assert_eq!(q.partner_repeats, 0, "seed {seed}");
        assert!(q.court_spread <= 2, "seed {seed}: {q}");
    }
}

/// `n` players on `courts` courts for `rounds` rounds, each seed: no partner repeat,
/// opponent bound 1–2 and no pair past 3, court spread at most 2, sit-outs within one.
fn no_pair_two_past_the_bound(n: usize, courts: usize, rounds: usize, seeds: Range<u64>) {
    for seed in seeds {
        // The search's own schedule: 16/4/11 is stored (a look-up) since.
        let s = americano_from(&players(n), courts, rounds, seed, Source::SearchOnly)
            .unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        assert_eq!(q.partner_repeats, 0, "seed {seed}");
        assert_eq!(q.opponent_bound, (1, 2), "seed {seed}");
        assert!(q.opponent_max <= 3, "seed {seed}: {q}");
        assert!(q.court_spread <= 2, "seed {seed}: {q}");
        assert!(q.sit_out_max - q.sit_out_min <= 1, "seed {seed}: {q}");
    }
}

/// 16 players on four courts for 11 rounds: rounds chosen from the whist design (every
/// pair meets at most twice) win over refined rounds with a pair meeting 4 times at
/// court spread 1 (seed 1 did): the larger miss decides.
#[test]
fn no_pair_meets_twice_past_the_bound_to_save_a_court() {
    no_pair_two_past_the_bound(16, 4, 11, 0..8);
}

/// 19 players on four courts for 18 rounds: the search left a pair meeting 4 times where
/// the bound is 1–2 for every seed; re-matching the teams within their rounds
/// (`rematch.rs`) brings them to 0–3, at court spread 2: seeds 1 and 2 on opponents
/// alone, seeds 0 and 3 only with courts weighed in (assigned afresh, they ended 3 apart).
/// 17 on four courts for 13 rounds, seed 2, was 0–4 the same way.
#[test]
fn teams_are_rematched_when_a_pair_meets_twice_too_often() {
    no_pair_two_past_the_bound(19, 4, 18, 0..4);
    no_pair_two_past_the_bound(17, 4, 13, 0..4);
}

/// Lap designs fix which teams play each round, so only the matching (and with it each
/// player's courts) can move: 31 players on five courts for 47 rounds, seed 1, kept a pair
/// meeting 7 times against the bound 2–3 (opponents alone reach 1–4, but no court order
/// better than spread 3); seed 3 ended at court spread 3 after every court pass. Weighing
/// opponents and courts together: at most one meeting above the bound, spread 2.
#[test]
fn lap_designs_are_rematched_with_their_courts() {
    for seed in [1, 3] {
        let s = americano(&players(31), 5, 47, seed).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        assert_eq!(q.partner_repeats, q.forced_partner_repeats, "seed {seed}");
        assert_eq!(q.opponent_bound, (2, 3), "seed {seed}");
        assert!(q.opponent_max <= 4, "seed {seed}: {q}");
        assert!(q.court_spread <= 2, "seed {seed}: {q}");
        assert!(q.longest_sit_out_streak <= 1, "seed {seed}: {q}");
    }
}

/// 14 players on two courts for 24 rounds (a lap design whose searches spend the
/// budget): seeds 70, 78, 94 and 97 kept a pair meeting 7 times against the bound 2–3,
/// the budget having no room left for the re-matching. A pair 2 or more outside is
/// re-matched whatever the budget left: at most 2 outside now.
#[test]
fn a_pair_far_outside_is_rematched_on_a_spent_budget() {
    for seed in [70, 78, 94, 97] {
        let s = americano(&players(14), 2, 24, seed).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        assert_eq!(q.opponent_bound, (2, 3), "seed {seed}");
        assert!(q.opponent_max <= 5, "seed {seed}: {q}");
        assert!(q.court_spread <= 2, "seed {seed}: {q}");
    }
}

/// One round short of N (R = N − 1) with some resting: the partner slots fill nearly
/// every pair, and the search alone left avoidable repeats (26 players on six courts
/// for 25 rounds, seed 0: 1; 59 on 14 for 58, seed 1: 2). The first N − 1 rounds of a
/// cyclic development repeat no partner, keep courts within one before the last passes,
/// games within one and rest nobody twice in a row.
#[test]
fn one_round_short_of_a_development_repeats_no_partner() {
    for (n, courts, seed) in [(26, 6, 0), (59, 14, 1)] {
        let s = americano(&players(n), courts, n - 1, seed).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        assert_eq!(q.partner_repeats, 0, "{n}/{courts} seed {seed}: {q}");
        assert!(q.sit_out_min >= q.sit_out_bound.0 && q.sit_out_max <= q.sit_out_bound.1);
        assert!(
            q.longest_sit_out_streak <= 1,
            "{n}/{courts} seed {seed}: {q}"
        );
        assert!(q.court_spread <= 2, "{n}/{courts} seed {seed}: {q}");
        assert!(q.games_gap <= 1, "{n}/{courts} seed {seed}: {q}");
    }
}

/// 22 players on three courts for 38 rounds, seed 785 (a lap design; the proptest found
/// it): re-matching the teams took opponents 0–6 to 0–4 at court spread 4, which
/// `miss_key` must never take.
#[test]
fn rematching_never_leaves_courts_three_apart() {
    let s = americano(&players(22), 3, 38, 785).unwrap_or_else(|e| panic!("{e}"));
    check_structure(&s);
    let q = quality(&s);
    assert!(q.court_spread <= 2, "{q}");
}

/// 16 players on four courts for 12 rounds, stored from `anneal.rs`
/// (`ANNEAL="16 4 12 1 2 0 2" ANNEAL_SEEDS=3`): every pair opposes once or twice, the
/// bound, where the search left pairs that never oppose (0–2 for every seed). Court
/// spread stays 2 as the search had it; 1 together with 1–2 was not found.
#[test]
fn sixteen_on_four_courts_for_twelve_rounds_meet_every_pair() {
    for seed in [0, 7] {
        let s = americano(&players(16), 4, 12, seed).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        assert_eq!(q.partner_repeats, 0, "seed {seed}");
        assert_eq!((q.opponent_min, q.opponent_max), (1, 2), "seed {seed}");
        assert_eq!(q.opponent_bound, (1, 2), "seed {seed}");
        assert!(q.court_spread <= 2, "seed {seed}");
    }
}

/// Whist lengths stored as designs whose symmetry moves every court on by one: the whist
/// property and every player's court counts within one of each other.
#[test]
fn rotating_court_whist_designs_have_court_spread_one() {
    for n in [20, 28, 44, 52] {
        for seed in [0, 7] {
            let s = americano(&players(n), n / 4, n - 1, seed).unwrap_or_else(|e| panic!("{e}"));
            check_structure(&s);
            let q = quality(&s);
            assert_eq!(q.partner_repeats, 0, "{n} seed {seed}");
            assert_eq!((q.opponent_min, q.opponent_max), (2, 2), "{n} seed {seed}");
            assert_eq!(q.court_spread, 1, "{n} seed {seed}");
        }
    }
}

/// The figures every SAT-solved entry shares, checked through the public call: partners
/// at the forced minimum, sit-outs within their bound, court spread within its bound and
/// games within one after every round.
fn sat_entry_quality(n: usize, c: usize, r: usize, seed: u64) -> Quality {
    let s = americano(&players(n), c, r, seed).unwrap_or_else(|e| panic!("{e}"));
    check_structure(&s);
    let q = quality(&s);
    let at = format!("{n}/{c}/{r} seed {seed}");
    assert_eq!(q.partner_repeats, q.forced_partner_repeats, "{at}");
    assert_eq!((q.sit_out_min, q.sit_out_max), q.sit_out_bound, "{at}");
    assert!(q.court_spread <= q.court_spread_bound, "{at}");
    assert!(q.games_gap <= 1, "{at}");
    q
}

/// Small club lengths solved by the SAT model, all but 12/2/15 and 13/3/11 with free
/// sit-outs (`club_lengths.py --free`): the figures below, for any seed, with partners
/// at the forced minimum, court spread within its bound and games within one after every
/// round. The search alone had games two apart (6 on one court; 12 on two for 15 rounds,
/// also court spread 2), court spread 2 (13 on three for 11), a longer sit-out run (3 for
/// 10 on one court for 12, 13 and 15 rounds, and 11 for 11 and 15) or a pair outside
/// these opponent windows; BENCHMARKS.md ("Nineteenth session") lists the before/after
/// figures and the windows proved unsatisfiable.
#[test]
fn free_sat_small_sizes_reach_their_best_windows() {
    // (N, C, R, opponent min, max, longest sit-out run)
    #[rustfmt::skip]
    let want = [
        (5, 1, 3, 0, 2, 1), (5, 1, 13, 4, 6, 1),
        (6, 1, 6, 1, 2, 1), (6, 1, 7, 1, 3, 1), (6, 1, 9, 2, 3, 1), (6, 1, 10, 2, 3, 1),
        (6, 1, 11, 2, 4, 1), (6, 1, 12, 3, 4, 1), (6, 1, 13, 3, 4, 1), (6, 1, 14, 3, 4, 1),
        (6, 1, 15, 4, 4, 1), (6, 1, 16, 4, 5, 1),
        (8, 1, 15, 2, 3, 2), (8, 1, 16, 2, 3, 2),
        (9, 1, 11, 1, 2, 2), (9, 1, 12, 1, 2, 2), (9, 1, 13, 1, 2, 2), (9, 1, 14, 1, 2, 2),
        (10, 2, 7, 1, 2, 1),
        (10, 1, 12, 0, 2, 2), (10, 1, 13, 0, 2, 2), (10, 1, 14, 0, 2, 2), (10, 1, 15, 0, 2, 2),
        (10, 1, 16, 0, 2, 2),
        (11, 1, 11, 0, 2, 2), (11, 1, 12, 0, 1, 3), (11, 1, 15, 0, 3, 2), (11, 1, 16, 1, 2, 3),
        (12, 2, 15, 1, 3, 1), (12, 3, 8, 1, 2, 0), (13, 3, 11, 1, 3, 1),
    ];
    for (n, c, r, omin, omax, streak) in want {
        for seed in [0, 7] {
            let q = sat_entry_quality(n, c, r, seed);
            let at = format!("{n}/{c}/{r} seed {seed}");
            assert_eq!((q.opponent_min, q.opponent_max), (omin, omax), "{at}");
            assert_eq!(q.longest_sit_out_streak, streak, "{at}");
        }
    }
}

/// The small rows of the quality table in BENCHMARKS.md (seed 0, default
/// rounds, N/4 courts and one fewer), exactly: (N, C, partner repeats, opponents min,
/// max, longest sit-out run, court spread). Sit-outs are within their floor/ceil bound.
/// The schedules are bit-for-bit reproducible (own PRNG and `exp`), so these are exact
/// regression values.
#[test]
fn small_schedules_match_the_quality_table() {
    #[rustfmt::skip]
    let rows: [(usize, usize, u32, u32, u32, u32, u32); 22] = [
        (4, 1, 0, 2, 2, 0, 0), (5, 1, 0, 2, 2, 1, 0), (6, 1, 1, 1, 3, 1, 0), (7, 1, 1, 1, 3, 1, 0),
        (8, 2, 0, 2, 2, 0, 5), (8, 1, 0, 2, 2, 2, 0), (9, 2, 0, 2, 2, 1, 0), (9, 1, 0, 2, 2, 2, 0),
        (10, 2, 3, 1, 3, 1, 1), (10, 1, 1, 1, 3, 2, 0), (11, 2, 1, 1, 3, 1, 1), (11, 1, 1, 0, 6, 2, 0),
        (12, 3, 0, 2, 2, 0, 2), (12, 2, 2, 1, 3, 1, 1), (13, 3, 0, 2, 2, 1, 0), (13, 2, 2, 1, 4, 1, 1),
        (14, 3, 5, 1, 3, 1, 1), (14, 2, 1, 1, 4, 1, 1), (15, 3, 3, 1, 3, 1, 1), (15, 2, 3, 0, 5, 1, 1),
        (16, 4, 0, 2, 2, 0, 1), (16, 3, 0, 2, 2, 1, 2),
    ];
    for (n, c, repeats, omin, omax, streak, spread) in rows {
        let r = default_rounds(Format::Americano, n, c);
        let s = americano(&(0..n).collect::<Vec<_>>(), c, r, 0).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        let got = (
            q.partner_repeats,
            q.opponent_min,
            q.opponent_max,
            q.longest_sit_out_streak,
            q.court_spread,
        );
        assert_eq!(got, (repeats, omin, omax, streak, spread), "N={n} C={c}");
        assert!(q.sit_out_min >= q.sit_out_bound.0 && q.sit_out_max <= q.sit_out_bound.1);
        // The shortest possible runs, except 8 players on one court: runs of one would
        // make the same two foursomes alternate all evening (16 partner repeats), so
        // the stored schedule rotates partners fully and rests some players twice.
        if (n, c) != (8, 1) {
            assert_eq!(q.longest_sit_out_streak, q.streak_bound, "N={n} C={c}");
        }
    }
}

/// Prints the BENCHMARKS quality table: `cargo test --release quality_table -- --ignored --nocapture`.
#[test]
#[ignore]
fn quality_table() {
    println!("| N | C | R | partner repeats (forced) | opponents (bound) | sit-outs (bound) | longest streak (bound) | court spread (bound) | games gap | time (release) |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for n in 4..=40usize {
        let nat = natural_courts(n);
        for c in [nat, nat.saturating_sub(1)] {
            if c == 0 {
                continue;
            }
            let r = default_rounds(Format::Americano, n, c);
            let t = std::time::Instant::now();
            let s =
                americano(&(0..n).collect::<Vec<_>>(), c, r, 0).unwrap_or_else(|e| panic!("{e}"));
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let q = quality(&s);
            println!(
                "| {n} | {c} | {r} | {} ({}) | {}–{} ({}–{}) | {}–{} ({}–{}) | {} ({}) | {} ({}) | {} | {ms:.1} ms |",
                q.partner_repeats, q.forced_partner_repeats, q.opponent_min, q.opponent_max,
                q.opponent_bound.0, q.opponent_bound.1, q.sit_out_min, q.sit_out_max,
                q.sit_out_bound.0, q.sit_out_bound.1, q.longest_sit_out_streak, q.streak_bound,
                q.court_spread, q.court_spread_bound, q.games_gap
            );
        }
    }
}

/// Generation time off the measured lengths: every N in `SWEEP_N` ("lo hi", default
/// 4–64) on every court count, seed 3, for every R from 1 to 2N up to 32 players and
/// every ⌈N/8⌉-th from 1 to 2N above (with N − 1, N, N + 3 and the default). A schedule
/// over its class's target (N ≤ 16: 5 ms, ≤ 32: 50 ms, ≤ 64: 500 ms) is timed twice more
/// and its median kept, so that one preempted run does not count. Prints per class the
/// count over the target and the slowest (`SWEEP_SHOW` of them, 10 by default). Minutes
/// of sustained load slow this machine (up to 4× for 33–64 players against the same
/// schedule run alone from the CLI), so the counts rank schedules and the slowest want a
/// spot check. Numbers in
/// BENCHMARKS.md. Run: `cargo test --release --lib generation_time_every_length --
/// --ignored --nocapture` (up to 32 players 48 s on the thirty-first session's machine, 4
/// min on the thirtieth's; above, 7 and 24 min).
#[test]
#[ignore]
fn generation_time_every_length() {
    let (lo, hi) = std::env::var("SWEEP_N")
        .ok()
        .and_then(|v| {
            let mut it = v.split_whitespace().filter_map(|x| x.parse::<usize>().ok());
            Some((it.next()?, it.next()?))
        })
        .unwrap_or((4, 64));
    let target = |n: usize| match n {
        0..=16 => 5.0,
        17..=32 => 50.0,
        _ => 500.0,
    };
    let time = |n: usize, c: usize, r: usize| {
        let t = std::time::Instant::now();
        let s = americano(&players(n), c, r, 3).unwrap_or_else(|e| panic!("{e}"));
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        check_structure(&s);
        ms
    };
    // Per class: schedules, over the target, (ms, which) of every schedule over half of it.
    let mut classes = [
        (16usize, 0usize, 0usize, Vec::new()),
        (32, 0, 0, Vec::new()),
        (64, 0, 0, Vec::new()),
    ];
    for n in lo.max(4)..=hi.min(64) {
        for c in 1..=n / 4 {
            let mut rs: Vec<usize> = if n <= 32 {
                (1..=2 * n).collect()
            } else {
                (1..=2 * n).step_by(n.div_ceil(8)).collect()
            };
            rs.extend([n - 1, n, n + 3, default_rounds(Format::Americano, n, c)]);
            rs.sort_unstable();
            rs.dedup();
            for r in rs {
                let mut ms = time(n, c, r);
                if ms > target(n) {
                    let mut three = [ms, time(n, c, r), time(n, c, r)];
                    three.sort_by(f64::total_cmp);
                    ms = three[1];
                }
                let Some(class) = classes.iter_mut().find(|cl| n <= cl.0) else {
                    continue;
                };
                class.1 += 1;
                class.2 += usize::from(ms > target(n));
                class.3.push((ms, format!("{n}/{c}/{r}")));
            }
        }
    }
    for (top, count, over, mut times) in classes {
        if count == 0 {
            continue;
        }
        times.sort_by(|a, b| b.0.total_cmp(&a.0));
        let slowest: Vec<String> = times
            .iter()
            .take(env_u64("SWEEP_SHOW", 10) as usize)
            .map(|(ms, w)| format!("{w} {ms:.1}"))
            .collect();
        println!(
            "N ≤ {top}: {count} schedules, {over} over {} ms; slowest: {}",
            target(top),
            slowest.join(", ")
        );
    }
}

/// Every N ≤ 64, every court count, R ∈ {1, N−1, N, N+3, default}, seed 3: checks the
/// sit-out bound and prints, per size class of the time targets (N ≤ 16: 5 ms,
/// ≤ 32: 50 ms, ≤ 64: 500 ms), how many schedules took longer than the target and the
/// slowest; and, at the default rounds, partner repeats above the forced count by
/// court count: the natural count or one fewer, fewer still (most players resting in
/// every round), and fixed groups. Numbers in BENCHMARKS.md. Run: `cargo test --release
/// generation_time_sweep -- --ignored --nocapture` (≈ 4 min).
#[test]
#[ignore]
fn generation_time_sweep() {
    // (largest N, target ms, schedules, over the target, slowest ms, which).
    let mut classes = [(16usize, 5.0f64), (32, 50.0), (64, 500.0)]
        .map(|(top, target)| (top, target, 0usize, 0usize, 0f64, String::new()));
    // (regime, schedules, with excess repeats, excess in all, largest excess and which).
    let mut regimes = ["natural or one fewer", "fewer", "fixed groups"]
        .map(|name| (name, 0usize, 0usize, 0u32, (0u32, String::new())));
    for n in 4..=64usize {
        for c in 1..=n / 4 {
            let default = default_rounds(Format::Americano, n, c);
            let mut rs = vec![1, (n - 1).max(1), n, n + 3, default];
            rs.sort_unstable();
            rs.dedup();
            for r in rs {
                let t = std::time::Instant::now();
                let s = americano(&players(n), c, r, 3).unwrap_or_else(|e| panic!("{e}"));
                let ms = t.elapsed().as_secs_f64() * 1000.0;
                check_structure(&s);
                let q = quality(&s);
                assert!(q.sit_out_min >= q.sit_out_bound.0 && q.sit_out_max <= q.sit_out_bound.1);
                let which = format!("N={n} C={c} R={r}");
                if let Some(class) = classes.iter_mut().find(|cl| n <= cl.0) {
                    class.2 += 1;
                    class.3 += usize::from(ms > class.1);
                    if ms > class.4 {
                        (class.4, class.5) = (ms, which.clone());
                    }
                }
                if r == default {
                    let regime = if super::americano::fixed_groups(n, c) {
                        2
                    } else if c + 1 >= n / 4 {
                        0
                    } else {
                        1
                    };
                    let excess = q.partner_repeats - q.forced_partner_repeats;
                    let g = &mut regimes[regime];
                    g.1 += 1;
                    g.2 += usize::from(excess > 0);
                    g.3 += excess;
                    if excess > g.4 .0 {
                        g.4 = (excess, which);
                    }
                }
            }
        }
    }
    for (top, target, count, over, slowest, which) in classes {
        println!(
            "N ≤ {top}: {count} schedules, {over} over {target} ms; slowest {slowest:.1} ms ({which})"
        );
    }
    for (name, count, with, excess, (most, which)) in regimes {
        println!(
            "default rounds, {name}: {count} schedules, {with} with repeats above the forced \
             count ({excess} in all; most {most}: {which})"
        );
    }
}

/// Every N ≤ 40, C and R ≤ 12 outside whist prefixes and fixed groups, seeds 0–1: prints
/// how many schedules have games more than one apart after some round (split by R < N
/// and R ≥ N), partner repeats above the forced count, and court spread 2 (numbers in
/// BENCHMARKS.md). Run: `cargo test --release games_gap_sweep -- --ignored --nocapture`.
#[test]
#[ignore]
fn games_gap_sweep() {
    let (mut all, mut gap_short, mut gap_long, mut repeats, mut spread) = (0, 0, 0, 0, 0);
    for n in 4..=40usize {
        for c in 1..=n / 4 {
            if whist_order(n, c) || super::americano::fixed_groups(n, c) {
                continue;
            }
            for r in 1..=12 {
                for seed in 0..2 {
                    let s = americano(&players(n), c, r, seed).unwrap_or_else(|e| panic!("{e}"));
                    let q = quality(&s);
                    all += 1;
                    if q.games_gap > 1 {
                        *(if r < n { &mut gap_short } else { &mut gap_long }) += 1;
                    }
                    repeats += usize::from(q.partner_repeats > q.forced_partner_repeats);
                    spread += usize::from(q.court_spread > 1);
                }
            }
        }
    }
    println!(
        "{all} schedules: games gap ≥ 2 in {gap_short} with R < N, {gap_long} with R ≥ N; \
         excess partner repeats in {repeats}; court spread ≥ 2 in {spread}"
    );
}

/// Seed 0 of every N ≤ 24 for R = 2…4, and of every N ≤ 16 for R up to 12 (whist
/// prefixes and fixed groups left out): partner repeats at the forced minimum and court
/// spread ≤ 1. A few rounds with many sitting out used to end at spread 2 (12 players
/// on two courts for two rounds) because the search stopped as soon as partners and
/// opponents were optimal; the longer small events need the retries the search budget
/// leaves room for (with one search each, 16 players on three courts for 12 rounds
/// ends at spread 2).
#[test]
fn short_schedules_are_at_the_partner_and_court_bounds() {
    for n in 5..=24 {
        for c in 1..=n / 4 {
            if whist_order(n, c) || super::americano::fixed_groups(n, c) {
                continue;
            }
            let longest = if n <= 16 { 12 } else { 4 };
            for r in 2..=longest {
                let s = americano(&players(n), c, r, 0).unwrap_or_else(|e| panic!("{e}"));
                let q = quality(&s);
                let at = format!("N={n} C={c} R={r}");
                assert!(q.court_spread <= 1, "{at}: spread {}", q.court_spread);
                assert_eq!(q.partner_repeats, q.forced_partner_repeats, "{at}");
            }
        }
    }
}

/// Lap designs (`laps.rs`), seed 0 of every N ≤ 28 and C where they are used, at R = N,
/// 2N, the default and the default + N/2 (into a second pass): partner repeats at the
/// forced minimum (at the default, everyone partners everyone: fixed groups of 16 on two
/// courts left half the field apart, 64 repeats), games within one after every round,
/// sit-outs within the bound, sit-out runs at most one round longer than the shortest
/// and none of two rounds where fewer than half rest, court spread ≤ 2.
#[test]
fn lap_designs_partner_everyone_once() {
    let (mut used, mut mid) = (0, 0);
    for n in 5..=28 {
        for c in 1..=n / 4 {
            let default = default_rounds(Format::Americano, n, c);
            for r in [n, 2 * n, default, default + n / 2] {
                if !super::laps::suits(n, c, r) {
                    continue;
                }
                used += 1;
                let s = americano(&players(n), c, r, 0).unwrap_or_else(|e| panic!("{e}"));
                check_structure(&s);
                let q = quality(&s);
                let at = format!("N={n} C={c} R={r}");
                assert_eq!(q.partner_repeats, q.forced_partner_repeats, "{at}");
                if r >= default {
                    assert!(q.partner_min >= 1, "{at}");
                }
                assert!(q.games_gap <= 1, "{at}");
                assert!(q.sit_out_min >= q.sit_out_bound.0 && q.sit_out_max <= q.sit_out_bound.1);
                assert!(q.longest_sit_out_streak <= q.streak_bound + 1, "{at}");
                if 2 * (n - 4 * c) < n {
                    assert_eq!(q.longest_sit_out_streak, 1, "{at}");
                    mid += 1;
                }
                assert!(q.court_spread <= 2, "{at}: spread {}", q.court_spread);
            }
        }
    }
    assert!(used > 100 && mid >= 12, "{used} {mid}");
}

/// Inputs where `americano_properties_cyclic` failed or measured at its edge: court
/// spread 3 (12/2/16 seed 306 found by CI; 22/4/28; 12/2/16 seed 86, twelfth session,
/// the development's budget leaving no retry) and games 3 apart (21/4/25, 25/5/30,
/// 27/5/31), each when a search kept it to save a partner repeat; 25/6/31 seed 153
/// (fourteenth session, a sweep of this domain's seeds 0–200): a whist start refined to
/// court spread 3. The search alone: 12 on two courts for 16 rounds also has a stored
/// schedule.
#[test]
fn cyclic_edge_cases_stay_within_two() {
    for (n, c, r, seed) in [
        (12, 2, 16, 306),
        (22, 4, 28, 8),
        (22, 4, 28, 10),
        (21, 4, 25, 15),
        (25, 5, 30, 8),
        (27, 5, 31, 16),
        (12, 2, 16, 86),
        (12, 2, 16, 23),
        (12, 2, 16, 172),
        (12, 2, 16, 346),
        (12, 2, 16, 611),
        (25, 6, 31, 153),
    ] {
        let s = americano_from(&players(n), c, r, seed, Source::SearchOnly)
            .unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        let at = format!("{n}/{c}/{r} seed {seed}");
        assert!(q.court_spread <= 2, "{at}: court spread {}", q.court_spread);
        assert!(q.games_gap <= 2, "{at}: games gap {}", q.games_gap);
        assert!(q.partner_repeats <= q.forced_partner_repeats + 2, "{at}");
    }
}

/// 7 players on one court for 10 rounds, seed 486 (found by a 400-case proptest run): a
/// pair met 5 times where the bound is 1–2 (28 of 1,000 seeds). Small events now search
/// again while a pair ends 3 or more outside the bound.
#[test]
fn small_events_search_again_when_a_pair_meets_far_too_often() {
    for seed in [486, 0, 1] {
        let s = americano(&players(7), 1, 10, seed).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        let (lo, hi) = q.opponent_bound;
        assert!(
            q.opponent_min + 2 >= lo && q.opponent_max <= hi + 2,
            "seed {seed}: opponents {}-{} vs {lo}-{hi}",
            q.opponent_min,
            q.opponent_max
        );
        assert!(q.longest_sit_out_streak <= 1, "seed {seed}");
    }
}

/// A sixth to a third resting at the default length: the rounds after the development
/// partner only pairs it left unused, so repeats stay at the forced count. Before, the
/// search left 1, 5, 11 and 18 avoidable repeats here.
#[test]
fn developments_continue_with_unused_partners() {
    for (n, c) in [(24, 4), (30, 5), (53, 9), (64, 11)] {
        let r = default_rounds(Format::Americano, n, c);
        let s = americano(&players(n), c, r, 0).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        let at = format!("{n}/{c}/{r}");
        assert_eq!(q.partner_repeats, q.forced_partner_repeats, "{at}");
        assert!(q.longest_sit_out_streak <= 1, "{at}");
        assert!(q.games_gap <= 1, "{at}: games gap {}", q.games_gap);
        assert!(q.court_spread <= 2, "{at}: court spread {}", q.court_spread);
    }
}

/// A development whose base round left class 9 of 27 players unpartnered (nine
/// triangles: with three resting, each round after the 27 repeats three partnerships)
/// is searched again when rounds follow it: 27 players on six courts, seed 142, had 3
/// and 6 repeats above the forced 0.
#[test]
fn developments_do_not_strand_a_class_of_triangles() {
    for r in [28, 29] {
        let s = americano(&players(27), 6, r, 142).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        assert_eq!(q.partner_repeats, q.forced_partner_repeats, "27/6/{r}");
        assert!(q.longest_sit_out_streak <= 1, "27/6/{r}");
    }
}

/// A lap design whose first search left a pair meeting 11 times where the bound is 3
/// (14 players on two courts for 24 rounds, seed 212): a pair 5 or more above the bound
/// makes the laps search again, and the better is kept (here 7, at court spread 2).
#[test]
fn lap_designs_search_again_when_a_pair_meets_far_too_often() {
    let s = americano(&players(14), 2, 24, 212).unwrap_or_else(|e| panic!("{e}"));
    check_structure(&s);
    let q = quality(&s);
    let (_, hi) = q.opponent_bound;
    assert!(
        q.opponent_max <= hi + 4,
        "opponents {}-{} vs ..{hi}",
        q.opponent_min,
        q.opponent_max
    );
    assert_eq!(q.partner_repeats, q.forced_partner_repeats);
    assert!(q.court_spread <= 2, "court spread {}", q.court_spread);
    assert!(q.longest_sit_out_streak <= 1 && q.games_gap <= 1);
}

/// Inputs where a pair's opponent count ended 2 outside the bound (e.g. 3 meetings where
/// every pair could meet at most once) with partners, courts and games already at their
/// best: the opponent repair (or, for 10 on two courts, free sit-outs in the
/// development) brings them within one, and nothing else gets worse. The search alone:
/// 10 on two courts for 10 rounds also has a stored schedule.
#[test]
fn far_opponent_counts_are_repaired() {
    for (n, c, r, seed) in [
        (10, 2, 10, 1),
        (14, 2, 10, 1),
        (15, 2, 8, 1),
        (22, 3, 11, 0),
        (31, 4, 8, 0),
    ] {
        let s = americano_from(&players(n), c, r, seed, Source::SearchOnly)
            .unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        let at = format!("{n}/{c}/{r} seed {seed}");
        let (lo, hi) = q.opponent_bound;
        assert!(
            q.opponent_min + 1 >= lo && q.opponent_max <= hi + 1,
            "{at}: opponents {}-{} against {lo}-{hi}",
            q.opponent_min,
            q.opponent_max
        );
        assert_eq!(q.partner_repeats, q.forced_partner_repeats, "{at}");
        assert!(q.court_spread <= 1, "{at}: court spread {}", q.court_spread);
        assert!(q.games_gap <= 2, "{at}: games gap {}", q.games_gap);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Random N, C, R ≤ 12: structure holds, sit-outs are within the floor/ceil bound,
    /// nobody sits out twice in a row when 2·(sitters) ≤ N, partner repeats at most one
    /// above the forced minimum, every player's court counts differ by at most 2 and games
    /// played stay within one after every round (R < N), opponents at most 2 outside
    /// their bound. Exceptions: whist prefixes (their games are fixed: no court
    /// assertion) and fixed groups (below: spread ≤ 2, repeats and opponents unbounded)
    /// up to the round where their partners run out; after it, and from N rounds with
    /// more than half resting, lap designs (`laps.rs`): repeats at the forced minimum,
    /// sit-out runs at most one round longer than the shortest.
    /// Measured on every N ≤ 40, C, R = 4…12 with seeds 0–9 (17 100 schedules, release,
    /// tenth session): repeats at the forced minimum and spread ≤ 1 in all but 3, whose
    /// searches ran out of budget (7 players on one court for 10 rounds, seeds 2 and 9:
    /// one repeat above; 24 on five courts for 12 rounds, seed 0: spread 2); games gap 2
    /// only with R ≥ N. Seed 0 is held to the exact bounds for N ≤ 16 by
    /// `short_schedules_are_at_the_partner_and_court_bounds`. Full-length schedules are tabulated in
    /// BENCHMARKS.md.
    #[test]
    fn americano_properties(n in 4usize..=40, cfrac in 0.0f64..1.0, r in 1usize..=12, seed in 0u64..1000) {
        let c = 1 + ((n / 4 - 1) as f64 * cfrac) as usize;
        let s = americano(&players(n), c, r, seed).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        prop_assert_eq!(s.rounds.len(), r);
        let q = quality(&s);
        prop_assert!(q.sit_out_min >= q.sit_out_bound.0 && q.sit_out_max <= q.sit_out_bound.1,
            "sit-outs {}-{} vs {:?}", q.sit_out_min, q.sit_out_max, q.sit_out_bound);
        let laps = super::laps::suits(n, c, r);
        if laps {
            prop_assert_eq!(q.partner_repeats, q.forced_partner_repeats);
            prop_assert!(q.longest_sit_out_streak <= q.streak_bound + 1);
        }
        // Two rests in a row are avoidable with at most half resting, and kept out
        // except by lap designs for fixed groups (exactly half resting).
        if 2 * (n - 4 * c) <= n && !(laps && super::americano::fixed_groups(n, c)) {
            prop_assert!(q.longest_sit_out_streak <= 1);
        }
        prop_assert!(q.partner_repeats >= q.forced_partner_repeats);
        // When N is a multiple of 4C (and > 4C), fair sit-outs with the shortest runs
        // rotate fixed groups of 4C players (e.g. 8 players on one court: two foursomes
        // taking turns), which forces repeats beyond the count bound and makes each
        // group a whist prefix on the courts.
        let fixed_groups = super::americano::fixed_groups(n, c) && !laps;
        let whist_prefix = whist_order(n, c);
        if !fixed_groups {
            prop_assert!(q.partner_repeats <= q.forced_partner_repeats + 1,
                "repeats {} forced {}", q.partner_repeats, q.forced_partner_repeats);
        }
        if fixed_groups || !whist_prefix {
            prop_assert!(q.court_spread <= 2, "court spread {}", q.court_spread);
        }
        // Sit-outs go to whoever has played most: games within one after every round.
        // With R ≥ N a cyclic development is used, whose sit-outs are evenly spaced only
        // where that costs no partner repeat (6 players on one court, 11 on two for 11
        // rounds, 12 on two for 12), so it is not asserted there.
        if r < n {
            prop_assert!(q.games_gap <= 1, "games gap {}", q.games_gap);
        }
        // Opponents: within one of ⌊4G/P⌋..⌈4G/P⌉ in 5,522 of 5,544 measured (seeds
        // 700–702, whist prefixes and fixed groups left out), never 3 outside (whist
        // prefixes, seeds 0–9: 2 at most). Fixed groups never meet across groups.
        let (olo, ohi) = q.opponent_bound;
        if !fixed_groups {
            prop_assert!(q.opponent_min + 2 >= olo && q.opponent_max <= ohi + 2,
                "opponents {}-{} vs {olo}-{ohi}", q.opponent_min, q.opponent_max);
        }
    }

    /// Random N ≤ 28, courts with some but at most a third sitting out, R = N…N+6 (the
    /// cyclic development plus searched rounds): structure, sit-outs within the bound,
    /// no back-to-back sit-outs, court spread ≤ 2, partner repeats at most 3 above the
    /// forced minimum and opponents at most 2 below / 3 above their bound. Measured
    /// beforehand over every N ≤ 40, every such C, R = N…N+6 and the default, seeds 0–2
    /// (1,419 schedules, release): spread ≤ 1 in 94%, at most 6 excess repeats (72 in
    /// all), opponents within one of the bound in 90%. Sixth session, with evenly spaced
    /// sit-outs, this test's domain with seeds 0–3 (840 schedules): spread ≤ 1 in 93%,
    /// at most 2 excess repeats (one schedule with any), opponents 2 below in 11 and 3
    /// above in 3. Fifteenth session, with stranding base rounds searched again, seeds
    /// 0–199 of R = N…N+6 at every such C (42,000): at most 2 excess repeats (in 12;
    /// 74 in all, 62 schedules), where before 27/6/28–29 seed 142 had 3 and 6 (the
    /// tolerance was 6).
    #[test]
    fn americano_properties_cyclic(n in 9usize..=28, cfrac in 0.0f64..1.0, extra in 0usize..=6, seed in 0u64..1000) {
        // Courts from the fewest with s ≤ N/3 up to the most with someone sitting out.
        let lo = (2 * n).div_ceil(12);
        let hi = (n - 1) / 4;
        prop_assume!(lo <= hi);
        let c = lo + ((hi - lo) as f64 * cfrac).round() as usize;
        let r = n + extra;
        let s = americano(&players(n), c, r, seed).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        prop_assert!(q.sit_out_min >= q.sit_out_bound.0 && q.sit_out_max <= q.sit_out_bound.1,
            "sit-outs {}-{} vs {:?}", q.sit_out_min, q.sit_out_max, q.sit_out_bound);
        prop_assert!(q.longest_sit_out_streak <= 1);
        prop_assert!(q.court_spread <= 2, "court spread {}", q.court_spread);
        // Games within two after every round (within one in 738 of 840 measured, seeds
        // 0–3: N ≡ 6 mod 8 with two resting and the 4k+3 cut designs cannot order their
        // sit-outs for one).
        prop_assert!(q.games_gap <= 2, "games gap {}", q.games_gap);
        prop_assert!(q.partner_repeats <= q.forced_partner_repeats + 3,
            "repeats {} forced {}", q.partner_repeats, q.forced_partner_repeats);
        let (olo, ohi) = q.opponent_bound;
        prop_assert!(q.opponent_min + 2 >= olo && q.opponent_max <= ohi + 3,
            "opponents {}-{} vs {olo}-{ohi}", q.opponent_min, q.opponent_max);
    }

    /// Random N ≤ 32 with a third to a half resting (not fixed groups) at the default
    /// length or a round either side, random seeds: the lap designs' guarantees, partner
    /// repeats at the forced minimum, no two rests in a row, games within one after
    /// every round, sit-outs within the bound; courts and opponents as measured over
    /// 252 such schedules with N ≤ 64, seeds 0–5 (BENCHMARKS.md, twelfth session): court
    /// spread at most 3 then (3 in 3–9 of 252 per seed; 2 now, below), the most meetings
    /// at most 7 above the bound (7 once in all), the fewest at most 2 below. Fifteenth
    /// session, with the
    /// late-courts search as a second draw, this domain over seeds 0–149 (7,650): at
    /// most 5 above (15 schedules), spread 3 in 29; but 14 players on two courts for 24
    /// rounds still reaches 6 above (1 of 400 seeds), so the tolerance stays.
    /// Twenty-eighth session, teams re-matched with their courts (`rematch.rs`): court
    /// spread 3 in none of 5,100 (this domain at its three lengths, seeds 100–199; 4 of
    /// the first 2,040 before), so at most 2 is asserted; the most meetings 6 above once.
    /// Twenty-ninth session, a pair 2 or more outside re-matched whatever the budget
    /// left (`finish`): at most 3 above in the same 5,100 (35 schedules, e.g. 0–5 against
    /// 1–2 for 23 players on three courts for 42 rounds), so at most 3 is asserted.
    #[test]
    fn americano_properties_laps_a_third_to_half_resting(n in 13usize..=32, cfrac in 0.0f64..1.0, off in 0usize..3, seed in 0u64..1000) {
        // 4C from N/2 up to below 2N/3.
        let lo = n.div_ceil(8);
        let hi = (n - 1) / 6;
        prop_assume!(lo <= hi);
        let c = lo + ((hi - lo) as f64 * cfrac).round() as usize;
        prop_assume!(!super::americano::fixed_groups(n, c));
        let r = default_rounds(Format::Americano, n, c) + off - 1;
        prop_assume!(super::laps::suits(n, c, r));
        let s = americano(&players(n), c, r, seed).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        prop_assert_eq!(q.partner_repeats, q.forced_partner_repeats);
        prop_assert!(q.longest_sit_out_streak <= 1, "streak {}", q.longest_sit_out_streak);
        prop_assert!(q.games_gap <= 1, "games gap {}", q.games_gap);
        prop_assert!(q.sit_out_min >= q.sit_out_bound.0 && q.sit_out_max <= q.sit_out_bound.1);
        prop_assert!(q.court_spread <= 2, "court spread {}", q.court_spread);
        let (olo, ohi) = q.opponent_bound;
        prop_assert!(q.opponent_min + 2 >= olo && q.opponent_max <= ohi + 3,
            "opponents {}-{} vs {olo}-{ohi}", q.opponent_min, q.opponent_max);
    }

    #[test]
    fn big_americano_structure(n in 41usize..=64, seed in 0u64..1000) {
        let c = n / 4;
        let s = americano(&players(n), c, 3, seed).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        prop_assert_eq!(q.partner_repeats, 0);
        prop_assert!(q.sit_out_max <= q.sit_out_bound.1);
    }
}

#[test]
fn extend_keeps_played_rounds_and_uses_history() {
    let s = americano(&players(12), 3, 5, 7).unwrap_or_else(|e| panic!("{e}"));
    let e = extend(&s, 6, 7).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&e.rounds[..5], &s.rounds[..]);
    assert_eq!(e.rounds.len(), 11);
    check_structure(&e);
    let q = quality(&e);
    // 11 rounds can avoid every repeat, and the re-plan after the 5 fixed rounds does
    // (one search alone left 2).
    assert_eq!(q.partner_repeats, 0);
}

/// One player leaving or one arriving after any round of 13 players on three courts
/// (13 rounds) and 14 on three (16 rounds): the re-planned rounds repeat a partnership
/// only once the pairs that never partnered cannot fill them. One search alone left an
/// avoidable repeat in 12 of these 50 re-plans (`replan_quality_sweep` measures more).
#[test]
fn replans_repeat_partners_only_when_the_unused_pairs_run_out() {
    for (n, c, r, seed) in [(13, 3, 13, 1), (14, 3, 16, 0)] {
        let s = americano(&players(n), c, r, seed).unwrap_or_else(|e| panic!("{e}"));
        for k in 1..r - 1 {
            for arrive in [false, true] {
                let now = present_after(n, arrive);
                let f = replanned_figures(&s, k, &now, c, seed);
                let at = format!("{n}/{c}/{r} seed {seed} after {k}, arrival {arrive}");
                assert_eq!(f.0, 0, "{at}: avoidable repeats");
                assert!(f.1 <= 1, "{at}: games gap {}", f.1);
            }
        }
    }
}

#[test]
fn replan_with_a_late_arrival_and_a_departure() {
    let s = americano(&players(8), 2, 3, 1).unwrap_or_else(|e| panic!("{e}"));
    let mut now = players(8);
    let gone = now.remove(2);
    now.push(999); // late arrival, new id
    now.push(1000);
    let new = replan(&s.rounds, &now, 2, 7, 1).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(new.len(), 4);
    let mut late_played = 0;
    for r in &new {
        let ids: Vec<usize> = r
            .matches
            .iter()
            .flat_map(|m| m.team_a.into_iter().chain(m.team_b))
            .collect();
        assert!(!ids.contains(&gone) && !r.sit_outs.contains(&gone));
        assert_eq!(ids.len() + r.sit_outs.len(), 9);
        late_played += usize::from(ids.contains(&999));
    }
    // The late player has played least, so he is not the one to sit out.
    assert_eq!(late_played, 4);
    assert!(matches!(
        replan(&s.rounds, &now, 2, 2, 1),
        Err(ScheduleError::RoundsAlreadyPlayed {
            played: 3,
            total: 2
        })
    ));
}

#[test]
fn team_americano_is_a_round_robin() {
    for t in 2usize..=16 {
        let teams: Vec<[usize; 2]> = (0..t).map(|i| [2 * i, 2 * i + 1]).collect();
        let courts = t / 2;
        let r = default_rounds(Format::TeamAmericano, 2 * t, courts);
        let s = team_americano(&teams, courts, r, 3).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let mut met = std::collections::HashMap::new();
        for m in s.rounds.iter().flat_map(|r| &r.matches) {
            assert_eq!(m.team_a[0] / 2, m.team_a[1] / 2, "fixed pairs");
            let k = (m.team_a[0] / 2).min(m.team_b[0] / 2);
            let l = (m.team_a[0] / 2).max(m.team_b[0] / 2);
            *met.entry((k, l)).or_insert(0) += 1;
        }
        assert_eq!(met.len(), t * (t - 1) / 2, "t={t}: everyone meets");
        assert!(met.values().all(|&v| v == 1));
        assert_eq!(r, if t % 2 == 0 { t - 1 } else { t });
    }
}

/// Team Americano with a bye leaves a court free in some rounds: the last court pass
/// (`repair_court_spread`) swaps games only, since a round's games go on its first
/// courts. 15 teams on six courts ended at spread 3 for these (rounds, seed).
#[test]
fn team_americano_with_byes_keeps_courts_within_two() {
    let teams: Vec<[usize; 2]> = (0..15).map(|i| [2 * i, 2 * i + 1]).collect();
    for (r, seed) in [(19, 0), (27, 1), (31, 1)] {
        let s = team_americano(&teams, 6, r, seed).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        let q = quality(&s);
        assert!(q.court_spread <= 2, "{r} rounds, seed {seed}: {q}");
    }
}

#[test]
fn team_americano_with_fewer_courts_rests_fairly() {
    let teams: Vec<[usize; 2]> = (0..8).map(|i| [2 * i, 2 * i + 1]).collect();
    let r = default_rounds(Format::TeamAmericano, 16, 2);
    assert_eq!(r, 14);
    let s = team_americano(&teams, 2, r, 0).unwrap_or_else(|e| panic!("{e}"));
    check_structure(&s);
    let q = quality(&s);
    assert_eq!((q.opponent_min, q.opponent_max), (1, 1), "full round robin");
    assert!(q.sit_out_max - q.sit_out_min <= 1);
}

/// 2c + 2c players on c courts play every round, so each has 2c games for c courts:
/// the court pass used to leave a few at 3–4 games apart on one court (8 + 8 on four
/// courts, seed 1; 14 + 14 on seven, seeds 1, 3 and 5; 16 + 16 on eight, seeds 2 and
/// 4) where spread 2 was reachable with the same games (a SAT model said so).
#[test]
fn mixed_courts_stay_within_two_games() {
    for c in 4..=8 {
        let (a, b): (Vec<usize>, Vec<usize>) = ((0..2 * c).collect(), (2 * c..4 * c).collect());
        let r = default_rounds(Format::MixedAmericano, 4 * c, c);
        for seed in 0..=5 {
            let s = mixed_americano(&a, &b, c, r, seed).unwrap_or_else(|e| panic!("{e}"));
            let q = quality(&s);
            assert!(
                q.court_spread <= 2,
                "{c} courts seed {seed}: {}",
                q.court_spread
            );
            assert_eq!(
                q.partner_repeats, q.forced_partner_repeats,
                "{c} seed {seed}"
            );
        }
    }
}

#[test]
fn mixed_americano_rotates_partners_across_groups() {
    // (12, 12, 6): the Latin-square start is refined cold, so no repeat creeps in.
    for (a, b, c) in [
        (4, 4, 2),
        (8, 8, 4),
        (6, 6, 2),
        (5, 7, 2),
        (10, 10, 4),
        (12, 12, 6),
    ] {
        let ga: Vec<usize> = (0..a).collect();
        let gb: Vec<usize> = (100..100 + b).collect();
        let r = a.max(b);
        let s = mixed_americano(&ga, &gb, c, r, 1).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        for m in s.rounds.iter().flat_map(|r| &r.matches) {
            for t in [m.team_a, m.team_b] {
                assert!((t[0] < 100) != (t[1] < 100), "one of each group");
            }
        }
        let q = quality(&s);
        assert_eq!(q.partner_repeats, q.forced_partner_repeats, "{a}/{b}/{c}");
    }
    assert!(matches!(
        mixed_americano(&[0, 1], &[2, 3, 4, 5], 2, 3, 0),
        Err(ScheduleError::GroupTooSmall { group: 'A', .. })
    ));
}

#[test]
fn mixed_opponent_bound_is_per_class_of_pair() {
    // 8 + 8 players on 4 courts for 15 rounds: 60 matches, so A–A pairs meet 60 times
    // over 28 pairs (2–3) and A–B pairs 120 times over 64 (1–2); one bound over all
    // 120 pairs (240 / 120 = 2–2) could not be met.
    let ga: Vec<usize> = (0..8).collect();
    let gb: Vec<usize> = (8..16).collect();
    let s = mixed_americano(&ga, &gb, 4, 15, 0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(quality(&s).opponent_bound, (1, 3));
    let s = americano(&players(16), 4, 15, 0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(quality(&s).opponent_bound, (2, 2));
}

#[test]
fn preview_covers_every_format() {
    for f in [
        Format::Americano,
        Format::TeamAmericano,
        Format::MixedAmericano,
    ] {
        let s = preview(f, 16, 4, None, 0).unwrap_or_else(|e| panic!("{e}"));
        check_structure(&s);
        assert_eq!(s.rounds.len(), default_rounds(f, 16, 4));
        assert!(!to_text(&s).is_empty());
    }
    assert_eq!(natural_courts(17), 4);
    assert_eq!(
        "team-americano".parse::<Format>(),
        Ok(Format::TeamAmericano)
    );
    assert!(preview(Format::TeamAmericano, 9, 2, None, 0).is_err());
}

/// The figures the stored club lengths are chosen by (`stored.rs`): partner repeats above
/// forced, longest sit-out run above its bound, games gap above its bound, court spread
/// above 1, opponent range outside its bound; then range width, squared opponent counts.
fn entry_figures(s: &Schedule) -> ([u32; 5], u32, u64) {
    let q = quality(s);
    let n = s.players.len();
    let mut opp = vec![0u64; n * n];
    for m in s.rounds.iter().flat_map(|r| &r.matches) {
        for (a, b) in m
            .team_a
            .iter()
            .flat_map(|&a| m.team_b.iter().map(move |&b| (a, b)))
        {
            opp[super::engine::pix(n, a, b)] += 1;
        }
    }
    let five = [
        q.partner_repeats - q.forced_partner_repeats,
        q.longest_sit_out_streak.saturating_sub(q.streak_bound),
        q.games_gap.saturating_sub(q.games_gap_bound),
        q.court_spread.saturating_sub(q.court_spread_bound),
        q.opponent_bound.0.saturating_sub(q.opponent_min)
            + q.opponent_max.saturating_sub(q.opponent_bound.1),
    ];
    let squares = opp.iter().map(|x| x * x).sum::<u64>();
    (
        five,
        q.opponent_max - q.opponent_min,
        4 * squares + u64::from(q.court_spread),
    )
}

/// Regenerates stored entries by the rule of `stored.rs`: for N from `CLUB_FROM` to
/// `CLUB_TO` (6–16) on N/4 courts and one fewer, 3–16 rounds (3–12 from 17 players), or
/// with `CLUB_DEFAULT=1` the default length only (kept at court spread ≤ 1), the
/// run-time search's schedules for seeds 0..`CLUB_SEEDS` (3,000; 300 from 17 players
/// when written) and the first rounds of the default-length schedule; prints an entry
/// where one is at least as good as each of seeds 0–9 on the five figures, better than
/// one of them, and keeps games within one. Whist lengths are skipped.
/// `CLUB_LENGTHS="16 2 27; 14 2 24"` takes those lengths instead and prints the best
/// candidate even where it only ties seeds 0–9 on the five figures: the lengths the
/// search takes longest over, stored to make them a look-up.
/// `cargo test --release --lib club_length_candidates -- --ignored --nocapture`.
#[test]
#[ignore]
fn club_length_candidates() {
    let (from, to, seeds) = (
        env_u64("CLUB_FROM", 6) as usize,
        env_u64("CLUB_TO", 16) as usize,
        env_u64("CLUB_SEEDS", 3000),
    );
    let default_only = env_u64("CLUB_DEFAULT", 0) == 1;
    let listed: Vec<(usize, usize, usize)> = std::env::var("CLUB_LENGTHS")
        .unwrap_or_default()
        .split(';')
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Vec<usize> = l
                .split_whitespace()
                .map(|x| x.parse().unwrap_or_else(|e| panic!("{l}: {e}")))
                .collect();
            let &[n, c, r] = v.as_slice() else {
                panic!("{l}: want N C R")
            };
            (n, c, r)
        })
        .collect();
    let is_listed = !listed.is_empty();
    let lengths: Vec<(usize, usize, usize)> = if !is_listed {
        let mut all = Vec::new();
        for n in from..=to {
            for c in [n / 4, n / 4 - 1].into_iter().filter(|&c| c >= 1) {
                let def = default_rounds(Format::Americano, n, c);
                let rs = if default_only {
                    def..=def
                } else {
                    3..=if n <= 16 { 16 } else { 12 }
                };
                all.extend(
                    rs.filter(|&r| default_only || r != def)
                        // Whist lengths keep their designs.
                        .filter(|&r| !(c == n / 4 && n % 4 <= 1 && r == n - 1 + n % 4))
                        .map(|r| (n, c, r)),
                );
            }
        }
        all
    } else {
        listed
    };
    for (n, c, r) in lengths {
        // Labels 0..N: the entry's characters.
        let ids: Vec<usize> = (0..n).collect();
        let def = default_rounds(Format::Americano, n, c);
        let search = |seed| {
            americano_from(&ids, c, r, seed, Source::SearchOnly).unwrap_or_else(|e| panic!("{e}"))
        };
        let first_ten: Vec<Schedule> = (0..10).map(search).collect();
        let sample: Vec<[u32; 5]> = first_ten.iter().map(|s| entry_figures(s).0).collect();
        let first = (def > r).then(|| {
            let mut s = americano(&ids, c, def, 0).unwrap_or_else(|e| panic!("{e}"));
            s.rounds.truncate(r);
            s
        });
        let candidates = (0..seeds).map(search).chain(first);
        let best = candidates
            .map(|s| (entry_figures(&s), s))
            .filter(|(f, _)| {
                sample
                    .iter()
                    .all(|x| f.0.iter().zip(x).all(|(a, b)| a <= b))
            })
            .min_by_key(|(f, _)| *f);
        let Some((f, s)) = best else {
            if is_listed {
                // Seeds 0–9 trade one figure for another (16 on four courts for 13
                // rounds: court spread 2, or a pair 0 and one 3 against 1–2).
                println!("    // {n}/{c}/{r}: none as good as each of {sample:?}");
            }
            continue;
        };
        let q = quality(&s);
        let better = is_listed || sample.iter().any(|x| *x > f.0);
        if !better || q.games_gap > 1 || (default_only && q.court_spread > 1) {
            continue;
        }
        if is_listed {
            // The figures BENCHMARKS.md compares: opponent range and pairs outside the
            // bound, court spread; the entry's, then seeds 0–9's.
            let fig = |q: &Quality| {
                format!(
                    "{}–{} {} s{}",
                    q.opponent_min, q.opponent_max, q.pairs_outside_opponent_bound, q.court_spread
                )
            };
            let seeds: Vec<String> = first_ten.iter().map(|s| fig(&quality(s))).collect();
            println!(
                "    // {n}/{c}/{r}: {} against seeds 0–9 {}",
                fig(&q),
                seeds.join(", ")
            );
        }
        println!("    {}", entry_line(&s, &q));
    }
}

/// Runs the offline annealing search (`anneal.rs`) behind the annealed club-length
/// entries: `ANNEAL="N C R OMIN OMAX RUN SPREAD; …"` (targets: opponent window, longest
/// sit-out run, court spread), seeds 1..=`ANNEAL_SEEDS` (6) tried in turn with
/// `ANNEAL_MOVES` moves each (20 M; about 15 s in release); prints the entry line of the
/// first schedule that meets them, after checking it through `quality()`. The stored
/// entries came from the settings noted in `annealed_club_lengths_meet_every_bound`.
/// `ANNEAL="17 3 9 0 1 1 1" cargo test --release --lib anneal_entry -- --ignored --nocapture`.
#[test]
#[ignore]
fn anneal_entry() {
    use super::anneal::{anneal, Target};
    let (seeds, moves) = (
        env_u64("ANNEAL_SEEDS", 6),
        env_u64("ANNEAL_MOVES", 20_000_000),
    );
    let sizes = std::env::var("ANNEAL").unwrap_or_default();
    for size in sizes.split(';').filter(|s| !s.trim().is_empty()) {
        let v: Vec<usize> = size
            .split_whitespace()
            .map(|x| x.parse().unwrap_or_else(|e| panic!("{size}: {e}")))
            .collect();
        let &[n, c, r, olo, ohi, run, spread] = v.as_slice() else {
            panic!("{size}: want N C R OMIN OMAX RUN SPREAD")
        };
        let target = Target {
            opponents: (olo as i32, ohi as i32),
            run,
            spread: spread as i32,
        };
        let found =
            (1..=seeds).find_map(|seed| Some((seed, anneal(n, c, r, target, seed, moves)?)));
        let Some((seed, raw)) = found else {
            println!("// {size}: none in {seeds} seeds × {moves} moves");
            continue;
        };
        let players: Vec<usize> = (0..n).collect();
        let s = Schedule {
            format: Format::Americano,
            rounds: label_rounds(&raw, &players),
            players,
            courts: c,
            group_a_len: None,
        };
        check_structure(&s);
        let q = quality(&s);
        assert_eq!(q.partner_repeats, q.forced_partner_repeats, "{size}");
        assert!(q.games_gap <= 1, "{size}");
        println!("    {} // seed {seed}", entry_line(&s, &q));
    }
}

/// A numeric environment setting of the ignored generators, or its default.
fn env_u64(key: &str, default: u64) -> u64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `s` as a line of `stored_data.rs` (players labelled 0..N).
fn entry_line(s: &Schedule, q: &Quality) -> String {
    const SYMBOLS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let games: String = s
        .rounds
        .iter()
        .flat_map(|r| {
            r.matches
                .iter()
                .flat_map(|m| m.team_a.iter().chain(&m.team_b))
        })
        .map(|&p| char::from(SYMBOLS[p]))
        .collect();
    format!(
        "({}, {}, {}, {}, {}, {}, \"{games}\"),",
        s.players.len(),
        s.courts,
        q.opponent_min,
        q.opponent_max,
        q.longest_sit_out_streak,
        q.court_spread
    )
}

/// Re-planning mid-event (`replan`): for N `REPLAN_FROM` (8) to `REPLAN_TO` (24) on N/4
/// courts at the default length, one player leaving or one arriving after round k (every
/// k), seeds 0–`REPLAN_SEEDS` (2), the best of `REPLAN_TRIES` (1) seeds: partner repeats
/// the new rounds add beyond what the unused pairs force (a lower bound: a late arrival
/// can take only one new partner a round), the games gap among those present from the
/// start, the longest sit-out run in the new rounds, court spread (over every court the
/// event used, so 4k players losing one, who lose a court, show 4–5) and the opponent
/// range over the whole event; prints the scenarios that miss, a summary and the slowest
/// re-plan. `cargo test --release --lib replan_quality_sweep -- --ignored --nocapture`.
#[test]
#[ignore]
fn replan_quality_sweep() {
    let to = env_u64("REPLAN_TO", 24) as usize;
    let seeds = env_u64("REPLAN_SEEDS", 2);
    let from = env_u64("REPLAN_FROM", 8) as usize;
    let mut slowest = (std::time::Duration::ZERO, String::new());
    let (mut runs, mut rep_miss, mut gap_miss, mut streak_miss, mut spread2) = (0, 0, 0, 0, 0);
    for n in from..=to {
        let c = n / 4;
        let r = default_rounds(Format::Americano, n, c);
        for seed in 0..=seeds {
            let s = americano(&players(n), c, r, seed).unwrap_or_else(|e| panic!("{e}"));
            for k in 1..r - 1 {
                for arrive in [false, true].into_iter().filter(|&a| !a || n < MAX_PLAYERS) {
                    let now = present_after(n, arrive);
                    let c2 = c.min(now.len() / 4);
                    let tries = env_u64("REPLAN_TRIES", 1);
                    let t0 = std::time::Instant::now();
                    let f = (0..tries)
                        .map(|t| replanned_figures(&s, k, &now, c2, seed + 1000 * t))
                        .min()
                        .unwrap_or_default();
                    let took = t0.elapsed();
                    runs += 1;
                    let at = format!(
                        "{n}/{c}/{r} seed {seed} {} after {k} ({c2} courts)",
                        if arrive { "arrival" } else { "departure" }
                    );
                    if took > slowest.0 {
                        slowest = (took, at.clone());
                    }
                    let miss = f.0 > 0 || f.1 > 1 || f.2 > 2 || f.3 > 2;
                    rep_miss += usize::from(f.0 > 0);
                    gap_miss += usize::from(f.1 > 1);
                    streak_miss += usize::from(f.2 > 2);
                    spread2 += usize::from(f.3 > 1);
                    if miss {
                        println!(
                            "{at}: avoidable repeats {}, games gap {}, longest new rest {}, court spread {}, opponents {}-{}",
                            f.0, f.1, f.2, f.3, f.4, f.5
                        );
                    }
                }
            }
        }
    }
    println!("{runs} re-plans: avoidable repeats in {rep_miss}, games gap > 1 in {gap_miss}, rests > 2 in a row in {streak_miss}, court spread ≥ 2 in {spread2}; slowest {:?} ({})", slowest.0, slowest.1);
}

/// Players `0..n` after one arrives (player 1000) or player 0 leaves.
fn present_after(n: usize, arrive: bool) -> Vec<usize> {
    let mut now = players(n);
    if arrive {
        now.push(1000);
    } else {
        now.remove(0);
    }
    now
}

/// `s` re-planned after its first `k` rounds for `now` on `courts` courts (same total
/// length), and the [`replan_figures`] of the result.
fn replanned_figures(
    s: &Schedule,
    k: usize,
    now: &[usize],
    courts: usize,
    seed: u64,
) -> (u32, u32, u32, u32, u32, u32) {
    let played = &s.rounds[..k];
    let new = replan(played, now, courts, s.rounds.len(), seed).unwrap_or_else(|e| panic!("{e}"));
    replan_figures(now, played, &new)
}

/// (new partner repeats beyond max(0, new partnerships − unused present pairs), games gap
/// among players present throughout, longest sit-out run in the new rounds, court spread
/// over the whole event, opponent min and max over present pairs).
fn replan_figures(
    now: &[usize],
    played: &[Round],
    new: &[Round],
) -> (u32, u32, u32, u32, u32, u32) {
    use std::collections::HashMap;
    let all: Vec<&Round> = played.iter().chain(new).collect();
    let key = |a: usize, b: usize| (a.min(b), a.max(b));
    let mut part: HashMap<(usize, usize), u32> = HashMap::new();
    for m in played.iter().flat_map(|r| &r.matches) {
        for t in [m.team_a, m.team_b] {
            *part.entry(key(t[0], t[1])).or_default() += 1;
        }
    }
    let used = now
        .iter()
        .enumerate()
        .flat_map(|(i, &a)| now[i + 1..].iter().map(move |&b| (a, b)))
        .filter(|&(a, b)| part.contains_key(&key(a, b)))
        .count();
    let pairs = now.len() * (now.len() - 1) / 2;
    let slots: usize = new.iter().map(|r| 2 * r.matches.len()).sum();
    let forced = slots.saturating_sub(pairs - used) as u32;
    let mut repeats = 0u32;
    for m in new.iter().flat_map(|r| &r.matches) {
        for t in [m.team_a, m.team_b] {
            let e = part.entry(key(t[0], t[1])).or_default();
            repeats += u32::from(*e > 0);
            *e += 1;
        }
    }
    let mut games: HashMap<usize, u32> = HashMap::new();
    let mut courts: HashMap<usize, Vec<u32>> = HashMap::new();
    let mut opp: HashMap<(usize, usize), u32> = HashMap::new();
    let width = all.iter().map(|r| r.matches.len()).max().unwrap_or(0);
    for m in all.iter().flat_map(|r| &r.matches) {
        for p in m.team_a.iter().chain(&m.team_b) {
            *games.entry(*p).or_default() += 1;
            courts.entry(*p).or_insert_with(|| vec![0; width])[m.court] += 1;
        }
        for a in m.team_a {
            for b in m.team_b {
                *opp.entry(key(a, b)).or_default() += 1;
            }
        }
    }
    let throughout: Vec<u32> = now
        .iter()
        .filter(|p| {
            played[0]
                .matches
                .iter()
                .any(|m| m.team_a.contains(p) || m.team_b.contains(p))
                || played[0].sit_outs.contains(p)
        })
        .map(|p| games.get(p).copied().unwrap_or(0))
        .collect();
    let gap = throughout.iter().max().unwrap_or(&0) - throughout.iter().min().unwrap_or(&0);
    let mut streak = 0;
    for &p in now {
        let mut run = 0;
        for r in new {
            run = if r.sit_outs.contains(&p) { run + 1 } else { 0 };
            streak = streak.max(run);
        }
    }
    let spread = now
        .iter()
        .filter_map(|p| courts.get(p))
        .map(|c| c.iter().max().unwrap_or(&0) - c.iter().min().unwrap_or(&0))
        .max()
        .unwrap_or(0);
    let oc: Vec<u32> = now
        .iter()
        .enumerate()
        .flat_map(|(i, &a)| now[i + 1..].iter().map(move |&b| (a, b)))
        .map(|(a, b)| opp.get(&key(a, b)).copied().unwrap_or(0))
        .collect();
    (
        repeats.saturating_sub(forced),
        gap,
        streak,
        spread,
        oc.iter().copied().min().unwrap_or(0),
        oc.iter().copied().max().unwrap_or(0),
    )
}
