//! Standings of a 24-player Americano (the leaderboard's pure core).
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use tornetic::domain::{SitOutComp, Tiebreak};
use tornetic::services::standings::{compute, Config, MatchResult};

fn bench(c: &mut Criterion) {
    let players: Vec<(i64, String)> = (1..=24).map(|i| (i, format!("Player {i}"))).collect();
    // 23 rounds of 6 courts, rotating partners.
    let mut matches = Vec::new();
    for r in 0..23i64 {
        for court in 0..6i64 {
            let p = |k: i64| (court * 4 + k + r * 5) % 24 + 1;
            matches.push(MatchResult {
                round: r as i32 + 1,
                team_a: [p(0), p(1)],
                team_b: [p(2), p(3)],
                score: Some(((r + court) as i32 % 25, 24 - (r + court) as i32 % 25)),
            });
        }
    }
    let order = [
        Tiebreak::Points,
        Tiebreak::Wins,
        Tiebreak::Difference,
        Tiebreak::HeadToHead,
    ];
    let cfg = Config {
        comp: SitOutComp::RoundAverage,
        match_points: 24,
        order: &order,
    };
    c.bench_function("standings_24_players_138_matches", |b| {
        b.iter(|| compute(black_box(&players), black_box(&matches), &[], &cfg))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
