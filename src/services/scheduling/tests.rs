//! Cross-cutting tests: structure, bounds, whist property, courts, extend/replan, JSON.

use super::*;
use proptest::prelude::*;
use std::collections::HashSet;

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

fn players(n: usize) -> Vec<usize> {
    (0..n).map(|i| 100 + 7 * i).collect()
}

#[test]
fn whist_property_for_every_order_and_several_seeds() {
    for n in 4..=64usize {
        if n % 4 > 1 {
            continue;
        }
        for seed in [0u64, 1, 42] {
            let c = natural_courts(n);
            let r = default_rounds(Format::Americano, n, c);
            assert_eq!(r, if n % 4 == 0 { n - 1 } else { n });
            let s = americano(&players(n), c, r, seed).unwrap_or_else(|e| panic!("{n}: {e}"));
            check_structure(&s);
            let q = quality(&s);
            assert_eq!((q.partner_min, q.partner_max), (1, 1), "n={n} seed={seed}");
            assert_eq!((q.opponent_min, q.opponent_max), (2, 2), "n={n} seed={seed}");
            let sit = u32::from(n % 4 == 1);
            assert_eq!((q.sit_out_min, q.sit_out_max), (sit, sit), "n={n}");
            assert!(q.court_spread <= 1, "n={n} seed={seed} spread {}", q.court_spread);
        }
    }
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
    assert_eq!(v["rounds"][0]["matches"].as_array().map(|m| m.len()), Some(2));
    let text = to_json_string(&s);
    assert!(text.starts_with("{\"N\":8,\"C\":2,\"R\":7,\"rounds\":[{\"matches\":[[["));
    let back: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(back, v);
    let t = to_text(&s);
    assert!(t.contains("every pair partners once, opponents 2–2, no sit-outs"), "{t}");
    let s9 = preview(Format::Americano, 9, 2, None, 3).unwrap_or_else(|e| panic!("{e}"));
    assert!(to_text(&s9).contains("every pair partners once, opponents 2–2, sit-outs 1 each"));
}

/// Prints the BENCHMARKS quality table: `cargo test --release quality_table -- --ignored --nocapture`.
#[test]
#[ignore]
fn quality_table() {
    println!("| N | C | R | partner repeats (forced) | opponents (bound) | sit-outs (bound) | longest streak (bound) | court spread |");
    println!("|---|---|---|---|---|---|---|---|");
    for n in 4..=40usize {
        let nat = natural_courts(n);
        for c in [nat, nat.saturating_sub(1)] {
            if c == 0 || (c != nat && c == 0) {
                continue;
            }
            let r = default_rounds(Format::Americano, n, c);
            let t = std::time::Instant::now();
            let s = americano(&(0..n).collect::<Vec<_>>(), c, r, 0).unwrap_or_else(|e| panic!("{e}"));
            let ms = t.elapsed().as_secs_f64() * 1000.0;
            let q = quality(&s);
            println!(
                "| {n} | {c} | {r} | {} ({}) | {}–{} ({}–{}) | {}–{} ({}–{}) | {} ({}) | {} | {ms:.1}ms",
                q.partner_repeats, q.forced_partner_repeats, q.opponent_min, q.opponent_max,
                q.opponent_bound.0, q.opponent_bound.1, q.sit_out_min, q.sit_out_max,
                q.sit_out_bound.0, q.sit_out_bound.1, q.longest_sit_out_streak, q.streak_bound,
                q.court_spread
            );
        }
    }
}
